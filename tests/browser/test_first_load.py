"""A first page load loads only what the page uses (issue 31): the letter builder and the route finder
only on pages that hold a letter or a flow, Easy Read's and the switcher's style only where they show,
and of search only the small part that holds Material's search until it is used
(theme/main.html, theme/assets/javascripts/lawguide-search.js and lawguide-search-engine.js)."""

from __future__ import annotations

import pytest

from .conftest import DESKTOP, SERVED, ServedSite

pytestmark = pytest.mark.browser

PAGE_ONLY = ("letter-builder.js", "letters.css", "finder.js", "finder.css", "easy-read.css")
SEARCH_LATER = ("lawguide-search-engine.js", "search_index", "/workers/search.")


@pytest.fixture()
def fresh_page(browser):
    """A tab with an empty cache, so every file the page loads is asked of the server."""
    ctx = browser.new_context(viewport=DESKTOP, reduced_motion="reduce")
    tab = ctx.new_page()
    tab.set_default_timeout(10_000)
    yield tab
    ctx.close()


def _loaded(since: int) -> list[str]:
    return [p.split("?")[0] for p in SERVED[since:]]


def test_a_plain_guide_page_loads_no_letter_finder_or_easy_read_files_and_nothing_of_search(
        fresh_page, site: ServedSite) -> None:
    mark = len(SERVED)
    fresh_page.goto(site.url("/more-questions/emergencies/"), wait_until="load")
    fresh_page.wait_for_timeout(500)
    loaded = _loaded(mark)
    assert "/assets/javascripts/lawguide.js" in loaded and "/assets/javascripts/lawguide-search.js" in loaded, loaded
    assert not [p for p in loaded if p.endswith(PAGE_ONLY)], loaded
    assert not [p for p in loaded if any(part in p for part in SEARCH_LATER)], loaded


def test_a_letter_page_loads_the_letter_builder_and_a_flow_loads_the_finder(fresh_page, site: ServedSite) -> None:
    mark = len(SERVED)
    fresh_page.goto(site.url("/letters/ask-for-assessment/"), wait_until="load")
    fresh_page.wait_for_selector("form.lg-letter-form")  # the builder ran
    loaded = _loaded(mark)
    assert "/assets/javascripts/letter-builder.js" in loaded and "/assets/stylesheets/letters.css" in loaded, loaded
    assert not [p for p in loaded if p.endswith(("finder.js", "finder.css", "easy-read.css"))], loaded
    mark = len(SERVED)
    fresh_page.goto(site.url("/finder/eligibility/"), wait_until="load")
    loaded = _loaded(mark)
    assert "/assets/javascripts/finder.js" in loaded and "/assets/stylesheets/finder.css" in loaded, loaded
    assert not [p for p in loaded if p.endswith(("letter-builder.js", "letters.css"))], loaded


def test_search_answers_the_first_query_typed_with_no_pause_after_focusing_the_box(
        fresh_page, site: ServedSite) -> None:
    """The rest of search is fetched when the box gets focus; the keys typed before it has run are kept."""
    fresh_page.goto(site.url("/short-breaks/"), wait_until="load")
    mark = len(SERVED)
    fresh_page.focus(".md-search__input")
    fresh_page.keyboard.type("respite")  # no delay between keys, none after the focus
    fresh_page.wait_for_function("() => document.querySelectorAll('.md-search-result__item').length > 0",
                                 timeout=15000)
    assert fresh_page.input_value(".md-search__input") == "respite"
    first = fresh_page.evaluate("() => new URL(document.querySelector('.md-search-result__item a').href).pathname")
    assert first == "/short-breaks/", first
    assert "/assets/javascripts/lawguide-search-engine.js" in _loaded(mark), _loaded(mark)
