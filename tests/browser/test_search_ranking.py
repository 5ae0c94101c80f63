"""How search orders a long question's results (lawguide-search-engine.js `headingsFirst`, issue 31 item 3):
the pages whose title, headings and "also searched as" words hold at least three of the query's telling
words come first, most first; otherwise Material's (lunr's) order stands. Run on made-up pages and words
in the engine itself (window.lawguideSearch.ranking), so no page of the guide can make a case pass."""

from __future__ import annotations

import pytest

from .conftest import ServedSite

pytestmark = pytest.mark.browser

# learn(docs) as from an index file, then order(items, query) on Material's groups (one list of docs per
# page, in lunr's order); returns each group's page.
ORDER_JS = """([docs, groups, query]) => {
    const ranking = window.lawguideSearch.ranking;
    ranking.learn(docs);
    const items = groups.map(g => g.map(location => ({location: location, title: '', text: '', score: 1})));
    return ranking.order(items, query).map(group => group[0].location);
}"""


@pytest.fixture()
def engine(page, site: ServedSite):
    """An English page with the search engine loaded (it is fetched when the reader starts a search)."""
    page.goto(site.url("/"))
    page.focus(".md-search__input")
    page.keyboard.type("a")
    page.wait_for_function("() => window.lawguideSearch && window.lawguideSearch.ranking", timeout=15000)
    return page


def order(page, docs: list[dict], groups: list[list[str]], query: str) -> list[str]:
    return page.evaluate(ORDER_JS, [docs, groups, query])


def doc(location: str, title: str, also: str = "") -> dict:
    text = f"<p>Some text.</p><p>Also searched as: {also}.</p>" if also else "<p>Some text.</p>"
    return {"location": location, "title": title, "text": text}


def test_a_page_whose_headings_hold_more_of_a_long_question_comes_before_lunrs_first(engine) -> None:
    docs = [doc("made-up/crisis/", "Zorblat now"),
            doc("made-up/answer/", "Quenix vimtor"), doc("made-up/answer/#plonk", "Plonk and zorblat")]
    found = order(engine, docs, [["made-up/crisis/"], ["made-up/answer/#plonk", "made-up/answer/"]], "zorblat quenix vimtor plonk")
    assert found == ["made-up/answer/#plonk", "made-up/crisis/"], found


def test_more_words_held_come_first_among_pages_holding_three_or_more(engine) -> None:
    docs = [doc("made-up/three/", "Zorblat quenix vimtor"), doc("made-up/four/", "Zorblat quenix vimtor plonk"),
            doc("made-up/one/", "Plonk")]
    found = order(engine, docs, [["made-up/one/"], ["made-up/three/"], ["made-up/four/"]], "zorblat quenix vimtor plonk")
    assert found == ["made-up/four/", "made-up/three/", "made-up/one/"], found


def test_words_a_page_is_also_searched_as_count_as_its_headings(engine) -> None:
    docs = [doc("made-up/crisis/", "Zorblat now"), doc("made-up/answer/", "Grommet", also="quenix vimtor, plonk zorblat")]
    found = order(engine, docs, [["made-up/crisis/"], ["made-up/answer/"]], "zorblat quenix vimtor plonk")
    assert found == ["made-up/answer/", "made-up/crisis/"], found


def test_a_page_holding_only_two_of_the_words_keeps_lunrs_order(engine) -> None:
    docs = [doc("made-up/first/", "Zorblat now"), doc("made-up/second/", "Quenix vimtor")]
    found = order(engine, docs, [["made-up/first/"], ["made-up/second/"]], "zorblat quenix vimtor plonk")
    assert found == ["made-up/first/", "made-up/second/"], found


def test_a_word_in_more_than_half_the_pages_headings_is_not_counted(engine) -> None:
    # "blorp" in the title of more pages than the rest of the index holds: it tells no page from another,
    # so the second page holds two counted words, not three, and lunr's order stands.
    many = [doc(f"made-up/blorp-{n}/", f"Blorp {n}") for n in range(1500)]
    docs = many + [doc("made-up/first/", "Zorblat quenix"), doc("made-up/second/", "Blorp zorblat quenix")]
    found = order(engine, docs, [["made-up/first/"], ["made-up/second/"]], "blorp zorblat quenix")
    assert found == ["made-up/first/", "made-up/second/"], found


def test_a_word_in_few_pages_headings_is_counted(engine) -> None:
    docs = [doc("made-up/first/", "Zorblat quenix"), doc("made-up/second/", "Blorp zorblat quenix")]
    found = order(engine, docs, [["made-up/first/"], ["made-up/second/"]], "blorp zorblat quenix")
    assert found == ["made-up/second/", "made-up/first/"], found


def test_english_little_words_are_not_counted(engine) -> None:
    # Counted, "his her she" would give the second page four words; they are not, so it holds one, and
    # the first page's title, which is the whole query's one word, stays first.
    docs = [doc("made-up/first/", "Zorblat"), doc("made-up/second/", "Zorblat his her she")]
    found = order(engine, docs, [["made-up/first/"], ["made-up/second/"]], "zorblat his her she")
    assert found == ["made-up/first/", "made-up/second/"], found


def test_law_pages_and_the_glossary_keep_the_place_lunr_gives_them(engine) -> None:
    docs = [doc("made-up/guide/", "Zorblat"), doc("law/zz-act/", "Zorblat quenix vimtor plonk"),
            doc("glossary/", "Zorblat quenix vimtor plonk")]
    found = order(engine, docs, [["made-up/guide/"], ["law/zz-act/"], ["glossary/"]], "zorblat quenix vimtor plonk")
    assert found == ["made-up/guide/", "law/zz-act/", "glossary/"], found
