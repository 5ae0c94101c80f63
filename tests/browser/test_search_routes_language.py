"""The routes offered when a search finds nothing ("No matching documents": a hint, the route finder, the free
helplines) are in the page's language where glossary/ui-strings.yml gives the words (search_try, search_finder,
search_talk), carried in that language's search index; a word a language lacks stays English, marked English.
The links go to English pages, and the translated words say so. The words are data: written as text, never
markup."""

from __future__ import annotations

import re

import pytest
import yaml

from .conftest import REPO, ServedSite
from .test_search_set import ranked_results

pytestmark = pytest.mark.browser

NOTHING = "zzqqx wwvvy"  # no page in any language has these words
ROUTE_KEYS = {"try": "search_try", "finder": "search_finder", "talk": "search_talk"}


def strings(code: str) -> dict[str, str]:
    data = yaml.safe_load((REPO / "glossary" / "ui-strings.yml").read_text(encoding="utf-8"))
    return data["languages"][code]


# Each part of the box: its words, the lang and dir marked on it (the list item, for a link), its direction as
# drawn, and where a link goes.
ROUTES_JS = """() => Array.from(document.querySelectorAll('.lg-search-routes [data-lg-route]')).map(node => {
    const marked = node.tagName === 'A' ? node.parentElement : node;
    return {name: node.getAttribute('data-lg-route'), text: node.textContent,
            lang: marked.getAttribute('lang'), dir: marked.getAttribute('dir'),
            direction: getComputedStyle(marked).direction,
            path: node.href ? new URL(node.href).pathname + new URL(node.href).hash : null,
            margins: [getComputedStyle(marked).marginLeft, getComputedStyle(marked).marginRight],
            children: node.children.length};
})"""


def routes_shown(page) -> dict[str, dict]:
    assert ranked_results(page, NOTHING) == []
    page.locator(".lg-search-routes").wait_for(state="visible", timeout=15000)
    return {part["name"]: part for part in page.evaluate(ROUTES_JS)}


def test_a_search_finding_nothing_on_a_polish_page_offers_the_routes_in_polish(page, site: ServedSite) -> None:
    page.goto(site.url("/pl/short-breaks/"))
    polish = strings("pl")
    parts = routes_shown(page)
    assert {name: part["text"] for name, part in parts.items()} == {
        name: polish[key] for name, key in ROUTE_KEYS.items()}
    for part in parts.values():  # the page's language: not marked English
        assert (part["lang"], part["dir"]) == (None, None), part
    assert parts["finder"]["path"] == "/finder/" and parts["talk"]["path"] == "/get-help/#free-advice"
    # The pages they open are English, and the Polish words say so, as Polish pages mark an English link.
    assert parts["finder"]["text"].endswith("(EN)") and parts["talk"]["text"].endswith("(EN)")


def test_on_an_arabic_page_the_routes_are_arabic_and_right_to_left(page, site: ServedSite) -> None:
    page.goto(site.url("/ar/"))
    parts = routes_shown(page)
    assert parts["talk"]["text"] == strings("ar")["search_talk"]
    for part in parts.values():
        assert part["lang"] is None and part["direction"] == "rtl", part
    # An Arabic list is indented on the right.
    for name in ("finder", "talk"):
        left, right = parts[name]["margins"]
        assert right != "0px" and left == "0px", parts[name]


def test_on_an_english_page_the_routes_stay_english_and_are_marked_english(page, site: ServedSite) -> None:
    page.goto(site.url("/short-breaks/"))
    parts = routes_shown(page)
    assert parts["talk"]["text"] == "Talk to someone: free helplines for parents"
    assert all((p["lang"], p["dir"]) == ("en", "ltr") for p in parts.values()), parts


def _index_with(page, change, code: str = "pl") -> None:
    """Serve a language's indexes with their config.lawguide.routes changed by `change` (a dict, in place)."""
    def handle(route) -> None:
        response = route.fetch()
        data = response.json()
        change(data["config"]["lawguide"].setdefault("routes", {}))
        route.fulfill(response=response, json=data)
    page.route(f"**/search/search_index.{code}*.json", handle)


def _polish_index_with(page, change) -> None:
    _index_with(page, change, "pl")


def test_a_route_word_a_language_lacks_stays_english_and_marked_english(page, site: ServedSite) -> None:
    _polish_index_with(page, lambda routes: routes.pop("finder", None))
    page.goto(site.url("/pl/short-breaks/"))
    parts = routes_shown(page)
    assert parts["finder"]["text"] == "Answer a few questions to find the right page"
    assert (parts["finder"]["lang"], parts["finder"]["dir"]) == ("en", "ltr")
    assert parts["talk"]["text"] == strings("pl")["search_talk"] and parts["talk"]["lang"] is None


def test_on_an_arabic_page_a_route_word_it_lacks_reads_left_to_right_indented_on_the_left(page, site: ServedSite) -> None:
    """The English words on a right-to-left page: marked English, drawn left to right and indented on the left as
    an English list, while the Arabic words beside them stay right to left (what the English-only box was
    tested for before the routes were translated)."""
    _index_with(page, lambda routes: routes.pop("finder", None), "ar")
    page.goto(site.url("/ar/"))
    parts = routes_shown(page)
    english, arabic = parts["finder"], parts["talk"]
    assert english["text"] == "Answer a few questions to find the right page"
    assert (english["lang"], english["dir"], english["direction"]) == ("en", "ltr", "ltr"), english
    left, right = english["margins"]
    assert left != "0px" and right == "0px", english
    assert arabic["text"] == strings("ar")["search_talk"] and arabic["direction"] == "rtl", arabic


def test_route_words_are_shown_as_text_never_run_as_markup(page, site: ServedSite) -> None:
    words = '<img src="x" id="lg-injected"> <b>bold</b>'
    _polish_index_with(page, lambda routes: routes.update(talk=words))
    page.goto(site.url("/pl/short-breaks/"))
    parts = routes_shown(page)
    assert parts["talk"]["text"] == words and parts["talk"]["children"] == 0
    assert page.evaluate("() => document.getElementById('lg-injected') === null")


@pytest.mark.parametrize("code", ["pl", "ro", "ur", "ar"])
def test_the_hints_example_words_find_pages_in_that_language(page, site: ServedSite, code: str) -> None:
    """The hint says "try words such as X or Y": X and Y must find the language's own pages."""
    examples = re.findall(r"[„\"“]([^”\"]+)[”\"]", strings(code)["search_try"])
    assert len(examples) == 2, examples
    page.goto(site.url(f"/{code}/"))
    for word in examples:
        found = ranked_results(page, word)
        assert found and found[0].startswith(f"/{code}/"), f"{code}: {word!r} found {found}"
