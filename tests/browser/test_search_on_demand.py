"""Search costs nothing until it is used, and never ends in an empty box (issue 31;
theme/assets/javascripts/lawguide-search.js)."""

from __future__ import annotations

import pytest

from .conftest import DESKTOP, SERVED, ServedSite
from .test_search_set import QUIET_MS, SETTLED_JS, top_results

pytestmark = pytest.mark.browser

SEARCH_FILES = ("/search/search_index.json", "/assets/javascripts/workers/search.")


def _search_requests(paths: list[str]) -> list[str]:
    return [p for p in paths if p.split("?")[0].startswith(SEARCH_FILES)]


@pytest.fixture()
def fresh_page(browser, site: ServedSite):
    """A tab in a context of its own: an empty cache, so every file is asked of the server."""
    ctx = browser.new_context(viewport=DESKTOP, reduced_motion="reduce")
    tab = ctx.new_page()
    tab.set_default_timeout(10_000)
    yield tab
    ctx.close()


def test_loading_a_page_fetches_nothing_of_search_until_the_box_is_used(fresh_page, site: ServedSite) -> None:
    mark = len(SERVED)
    fresh_page.goto(site.url("/short-breaks/"), wait_until="load")
    fresh_page.wait_for_timeout(1500)  # Material used to start its worker and fetch the index here
    loaded = SERVED[mark:]
    assert any(p.startswith("/short-breaks/") for p in loaded), f"the server did not see the page: {loaded}"
    assert not _search_requests(loaded), f"search fetched on page load: {_search_requests(loaded)}"
    fresh_page.focus(".md-search__input")
    fresh_page.wait_for_function("() => true")
    fresh_page.keyboard.type("respite", delay=20)
    fresh_page.wait_for_function("() => document.querySelectorAll('.md-search-result__item').length > 0",
                                 timeout=15000)
    fetched = [p.split("?")[0] for p in _search_requests(SERVED[mark:])]
    assert "/search/search_index.json" in fetched, f"the first search did not fetch the index: {SERVED[mark:]}"
    assert any(p.startswith("/assets/javascripts/workers/search.") for p in fetched), fetched


def test_a_page_opened_from_a_search_result_still_highlights_the_words(fresh_page, site: ServedSite) -> None:
    fresh_page.goto(site.url("/short-breaks/?h=respite"), wait_until="load")
    fresh_page.wait_for_selector("article mark", timeout=15000)  # Material's highlighting needs the index


def test_a_misspelt_search_is_asked_again_with_a_letter_forgiven(page, site: ServedSite) -> None:
    page.goto(site.url("/"))
    assert "/assessments/" in top_results(page, "assesment")


def test_a_search_that_finds_nothing_offers_the_parents_routes(page, site: ServedSite) -> None:
    page.goto(site.url("/"))
    assert top_results(page, "zzqqx wwvvy") == []
    routes = page.locator(".lg-search-routes")
    assert routes.is_visible(), "no routes under 'No matching documents'"
    hrefs = [a.get_attribute("href") for a in routes.locator("a").all()]
    assert site.url("/finder/") in hrefs and site.url("/get-help/#free-advice") in hrefs, hrefs
    top_results(page, "respite")  # a search that finds something hides them again
    assert not routes.is_visible()


@pytest.mark.parametrize(("query", "section"), [("family help", "/safeguarding/#family-help"),
                                                ("annual review", "/ehc-plans/#annual-review")])
def test_a_section_whose_heading_matches_comes_first(page, site: ServedSite, query: str, section: str) -> None:
    """In the first answer a parent sees (often the titles index's) and in the whole index's, which answers
    from then on (lawguide-search-engine.js marks which one is on screen)."""
    page.goto(site.url("/"))
    top_results(page, query)
    js = """() => Array.from(document.querySelectorAll('.md-search-result__item')[0]
        .querySelectorAll('a.md-search-result__link')).map(a => { const u = new URL(a.href); return u.pathname + u.hash; })"""
    which = page.evaluate("() => document.querySelector('.md-search-result').getAttribute('data-lg-index')")
    first = page.evaluate(js)
    assert section in first, f"{query!r}: the first result from the {which} index is {first}, not the section {section}"
    page.wait_for_selector('.md-search-result[data-lg-index="whole"]', state="attached", timeout=15000)
    page.wait_for_function(SETTLED_JS, arg=QUIET_MS, timeout=15000)
    first = page.evaluate(js)
    assert section in first, f"{query!r}: the first result from the whole index is {first}, not the section {section}"
