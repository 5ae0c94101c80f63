"""Search on a right-to-left page (ar, ur): English results, shown under "Results in English" in the page's
language when its own index finds fewer than three pages, are marked lang="en" dir="ltr", so an English title
reads the right way round ("How do I link to a section?", not "?How do I link to a section"); the heading
over them stays in the page's language and direction, and so do the page's own results. The routes offered
when nothing is found are in the page's language and direction (test_search_routes_language.py)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from .conftest import ServedSite
from .test_search_set import ranked_results

pytestmark = pytest.mark.browser

# Each result item on screen: where it goes, its marks, and how the browser lays out its title and its
# "Missing:" line (Material's words, in the page's language).
ITEMS_JS = """() => Array.from(document.querySelectorAll('.md-search-result__list > li')).map(li => {
    const link = li.querySelector('a.md-search-result__link');
    const title = li.querySelector('h1, h2');
    const terms = li.querySelector('.md-search-result__terms');
    return {
        heading: li.classList.contains('lg-search-english'),
        path: link ? new URL(link.href).pathname : null,
        lang: li.getAttribute('lang'), dir: li.getAttribute('dir'),
        direction: getComputedStyle(li).direction,
        titleDirection: title ? getComputedStyle(title).direction : null,
        termsLang: terms ? terms.closest('[lang]').getAttribute('lang') : null,
        termsDirection: terms ? getComputedStyle(terms).direction : null,
    };
})"""


def shown(page) -> list[dict]:
    return page.evaluate(ITEMS_JS)


@pytest.fixture(scope="module")
def arabic_tab(context, site: ServedSite):
    """One tab on the Arabic home page: the box is cleared between queries."""
    tab = context.new_page()
    tab.set_default_timeout(10_000)
    tab.goto(site.url("/ar/"))
    assert tab.get_attribute("html", "dir") == "rtl" and tab.get_attribute("html", "lang") == "ar"
    yield tab
    tab.close()


def english_results(page, query: str) -> list[dict]:
    ranked_results(page, query)
    page.wait_for_selector(".lg-search-english", timeout=15000)
    return [item for item in shown(page) if not item["heading"] and not item["path"].startswith("/ar/")]


def test_english_results_on_an_arabic_page_are_marked_english_and_left_to_right(arabic_tab) -> None:
    english = english_results(arabic_tab, "section 17")  # no Arabic page says it: English results only
    assert english, "no English results for 'section 17' on /ar/"
    for item in english:
        assert (item["lang"], item["dir"]) == ("en", "ltr"), f"{item['path']}: lang={item['lang']} dir={item['dir']}"
        assert item["direction"] == item["titleDirection"] == "ltr", item
    # The marks the search tests read stay on Material's result block.
    block = arabic_tab.locator(".md-search-result")
    assert (block.get_attribute("data-lg-index"), block.get_attribute("data-lg-query")) == ("whole", "section 17")


def test_the_english_heading_and_materials_own_words_stay_in_the_pages_language(arabic_tab) -> None:
    english_results(arabic_tab, "section 20")  # another query: the same one again would not be asked again
    items = shown(arabic_tab)
    heading = [item for item in items if item["heading"]]
    assert len(heading) == 1 and heading[0]["direction"] == "rtl" and heading[0]["lang"] is None, heading
    missing = [item for item in items if item["termsLang"]]
    assert missing, "no result showed Material's 'Missing:' line for 'section 20'"
    for item in missing:
        assert (item["termsLang"], item["termsDirection"]) == ("ar", "rtl"), item


def test_the_pages_own_results_are_not_marked_english(arabic_tab) -> None:
    ranked_results(arabic_tab, "رعاية")  # Arabic words: Arabic pages
    own = [item for item in shown(arabic_tab) if not item["heading"] and item["path"].startswith("/ar/")]
    assert own, "no Arabic results for an Arabic word"
    for item in own:
        assert item["lang"] is None and item["dir"] is None and item["direction"] == "rtl", item


def test_the_routes_are_drawn_in_a_colour_that_shows_on_the_results_panel(arabic_tab) -> None:
    """They took the header's white and were drawn white on the white panel."""
    ranked_results(arabic_tab, "qqzzx vvwwy")
    routes = arabic_tab.locator(".lg-search-routes")
    routes.wait_for(state="visible", timeout=15000)
    colours = routes.evaluate("""el => {
        let back = el;
        const clear = (node) => /^(transparent|rgba\\(0,0,0,0\\))$/.test(getComputedStyle(node).backgroundColor.replace(/\\s/g, ''));
        while (back && clear(back)) back = back.parentElement;
        const background = back ? getComputedStyle(back).backgroundColor : 'rgb(255, 255, 255)';
        return [background, getComputedStyle(el.querySelector('p')).color, getComputedStyle(el.querySelector('a')).color];
    }""")
    background, text, link = colours
    assert text != background and link != background, f"routes drawn {text} (links {link}) on {background}"


def test_english_results_on_an_urdu_page_are_marked_english_too(page, site: ServedSite) -> None:
    page.goto(site.url("/ur/"))
    assert page.get_attribute("html", "dir") == "rtl"
    ranked_results(page, "tribunal")  # an English word no Urdu page uses
    page.wait_for_selector(".lg-search-english", timeout=15000)
    english = [item for item in shown(page) if not item["heading"] and not item["path"].startswith("/ur/")]
    assert english and all((i["lang"], i["dir"], i["direction"]) == ("en", "ltr", "ltr") for i in english), english


def test_screenshot_of_english_results_on_an_arabic_page_at_360px(page, site: ServedSite, tmp_path: Path) -> None:
    """Kept for a person to look at (LAWGUIDE_SCREENSHOTS=folder); always checks the results draw."""
    folder = Path(os.environ.get("LAWGUIDE_SCREENSHOTS") or tmp_path)
    page.set_viewport_size({"width": 360, "height": 740})
    page.goto(site.url("/ar/"))
    ranked_results(page, "section 17")
    page.wait_for_selector(".lg-search-english", timeout=15000)
    page.screenshot(path=str(folder / "ar-search-360.png"))
    assert (folder / "ar-search-360.png").stat().st_size > 1000
