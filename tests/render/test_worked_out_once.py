"""What the build works out once and reuses (issue 31: speed) still answers as a fresh computation would:
a caller may change what it is given, another Page object for the same path gets its own answer, and
the cheap tests in front of the costly ones never skip a page that needs the work."""

from __future__ import annotations

import dataclasses
import json

from lawguide.content.site import load_site
from lawguide.core.settings import Settings
from lawguide.render.page import fold_adviser_boxes, legal_basis, words_list
from lawguide.render.search import Synonyms, improve_index, improve_index_data, write_language_indexes

from tests.fixtures import make_site


def _site(tmp_path):
    return load_site(Settings.from_mkdocs_yml(make_site(tmp_path) / "mkdocs.yml"))


def test_pages_citing_gives_each_caller_its_own_dict_and_lists(tmp_path):
    site = _site(tmp_path)
    first = site.pages_citing("ca1989-s17")
    assert first and all(first.values())
    expected = {path: list(cites) for path, cites in first.items()}
    first[next(iter(first))].clear()  # a caller changing what it was given
    first["someone-elses.md"] = []
    assert site.pages_citing("ca1989-s17") == expected


def test_pages_citing_groups_every_citation_of_the_entry_by_page_in_order(tmp_path):
    site = _site(tmp_path)
    for ref_id, cites in site.citations_by_ref.items():
        grouped = site.pages_citing(ref_id)
        assert [c for page_cites in grouped.values() for c in page_cites] == cites
        assert list(grouped) == list(dict.fromkeys(c.page for c in cites))
    assert site.pages_citing("no-such-entry") == {}


def test_another_page_object_with_the_same_path_gets_its_own_lists(tmp_path):
    site = _site(tmp_path)
    page = site.pages["index.md"]
    assert "ca1989-s17" in legal_basis(site, page) and "short-breaks" in words_list(site, page)
    bare = dataclasses.replace(page, citations=[])  # same path, no citations: as a preview's edited page
    assert legal_basis(site, bare) == "" and words_list(site, bare) == ""
    assert "ca1989-s17" in legal_basis(site, page)  # the first page's answer is unchanged


def test_a_page_with_other_boxes_only_is_returned_as_it_was():
    source = '!!! note "Note"\n    Text with !!! in it.\n\n```\n!!! adviser "In code"\n```\n'
    assert fold_adviser_boxes(source) == source
    assert fold_adviser_boxes(source + '\n  !!! adviser "Real"\n').endswith('\n  ??? adviser "Real"\n')


def test_search_indexes_written_from_the_parsed_index_are_the_bytes_of_the_text_route(tmp_path):
    """The build parses Material's index once and hands the parsed index on; the files must be the ones
    the text route (improve_index, then write_language_indexes on its JSON) writes."""
    index = {"config": {"lang": ["en"], "separator": "[\\s\\-]+", "fields": {"title": {"boost": 1000.0}}},
             "docs": [{"location": "", "title": "Home", "text": "<p>Help é “quotes”</p>"},
                      {"location": "short-breaks/", "title": "Short breaks", "text": "<p>Breaks</p>"},
                      {"location": "short-breaks/#ask", "title": "Ask", "text": "<p>Ask</p>", "boost": 2},
                      {"location": "law/ca1989-s17/", "title": "s.17", "text": "<p>Law</p>"},
                      {"location": "pl/short-breaks/", "title": "Przerwy", "text": "<p>Tekst</p>"}]}
    synonyms = [Synonyms("short-breaks.md", ("respite", "breaks")), Synonyms("index.md", ("start",))]
    languages, headings = {"pl/short-breaks/": "pl"}, {"pl": "Wyniki po angielsku"}
    text_dir, data_dir = tmp_path / "text", tmp_path / "data"
    for site_dir in (text_dir, data_dir):
        (site_dir / "search").mkdir(parents=True)
    improved = improve_index(json.dumps(index), synonyms, True, ["pl/short-breaks.md"])
    written = write_language_indexes(text_dir, improved, languages, headings)
    data = improve_index_data(json.loads(json.dumps(index)), synonyms, True, ["pl/short-breaks.md"])
    assert write_language_indexes(data_dir, data, languages, headings) == written
    assert len(written) == 4
    for name in written:
        assert (data_dir / "search" / name).read_bytes() == (text_dir / "search" / name).read_bytes()
    assert "Also searched as: respite, breaks" in (data_dir / "search" / "search_index.titles.json").read_text()


# --- issue 31, second pass at a page's own work ---------------------------------------------------

def test_adviser_boxes_fold_alike_with_and_without_fenced_code_on_the_page():
    """Without a fence every line is text, so the whole page is folded in one pass: the same lines as the
    line-by-line route a page with a fence takes (indented boxes, tabs, several boxes; not 'advisers')."""
    boxes = ('!!! adviser "One"\n    Text.\n\n  !!! adviser\n\n\t!!!\t adviser "Tab"\n'
             '!!! advisers "Not one"\n!!! note "adviser"\nText !!! adviser mid-line.\n')
    folded = fold_adviser_boxes(boxes)
    assert folded == ('??? adviser "One"\n    Text.\n\n  ??? adviser\n\n\t??? adviser "Tab"\n'
                      '!!! advisers "Not one"\n!!! note "adviser"\nText !!! adviser mid-line.\n')
    fenced = boxes + '\n```\n!!! adviser "In code"\n```\n'
    assert fold_adviser_boxes(fenced) == folded + '\n```\n!!! adviser "In code"\n```\n'


def test_a_citation_written_twice_is_rendered_once_and_each_spelling_on_its_own():
    from lawguide.content.markdown_scan import transform_citations

    calls = []

    def render(target: str, text: str, is_glossary: bool) -> str:
        calls.append((target, text, is_glossary))
        return f"<{target}|{text}|{is_glossary}>"

    body = ("See [[ca1989-s17]] and [[ca1989-s17]].\n[[ca1989-s17|s.17]] [[ glossary:short-breaks ]] "
            "[[glossary:short-breaks]] [[ca1989-s17]]\n")
    out = transform_citations(body, render)
    assert out == ("See <ca1989-s17||False> and <ca1989-s17||False>.\n<ca1989-s17|s.17|False> "
                   "<short-breaks||True> <short-breaks||True> <ca1989-s17||False>\n")
    # once for each way it is written: the two spellings of the glossary link are rendered apart
    assert calls == [("ca1989-s17", "", False), ("ca1989-s17", "s.17", False), ("short-breaks", "", True),
                     ("short-breaks", "", True)]
    assert transform_citations("`[[ca1989-s17]]` [[ca1989-s17]]", render) == "`[[ca1989-s17]]` <ca1989-s17||False>"


def test_links_between_pages_follow_the_settings_they_were_asked_with(tmp_path):
    """href remembers each link by its pages and the settings that shape it, never by the pages alone."""
    from lawguide.content.urls import href

    site = _site(tmp_path)
    flat = dataclasses.replace(site, settings=dataclasses.replace(site.settings, use_directory_urls=False))
    assert href(site, "a/b.md", "law/ca1989-s17.md") == "../../law/ca1989-s17/"
    assert href(flat, "a/b.md", "law/ca1989-s17.md") == "../law/ca1989-s17.html"
    assert href(site, "a/b.md", "law/ca1989-s17.md", "top") == "../../law/ca1989-s17/#top"
    assert href(site, "a/b.md", "a/c.md") == "../c/"
    assert href(site, "index.md", "a/c.md") == "a/c/"


def test_short_cites_shared_by_two_cited_references_are_found_from_each_id_once(tmp_path):
    from lawguide.content.site import short_cite_clashes

    refs = [{"id": "first-s17", "cite": "First Act 1989, s.17", "title": "One", "url": "https://www.legislation.gov.uk/ukpga/1989/41/section/17",
             "type": "act", "status": "in-force", "verified": "2026-01-01"},
            {"id": "second-s17", "cite": "Second Act 2014, s.17", "title": "Two", "url": "https://www.legislation.gov.uk/ukpga/2014/23/section/17",
             "type": "act", "status": "in-force", "verified": "2026-01-01"},
            {"id": "third-s2", "cite": "Third Act 1970, s.2", "title": "Three", "url": "https://www.legislation.gov.uk/ukpga/1970/44/section/2",
             "type": "act", "status": "in-force", "verified": "2026-01-01"}]
    front = "---\ntitle: T\nsummary: S.\nreviewed: 2026-01-01\n---\n"
    pages = {"index.md": front + "# T\n\nA [[first-s17]] and [[first-s17|again]] and [[third-s2]].\n",
             "both.md": front + "# T\n\nA [[first-s17]], [[second-s17]], [[second-s17|s.17]] and [[third-s2]].\n"}
    site = load_site(Settings.from_mkdocs_yml(make_site(tmp_path, pages=pages, refs=refs, terms=[]) / "mkdocs.yml"))
    assert short_cite_clashes(site, site.pages["index.md"]) == frozenset()
    assert short_cite_clashes(site, site.pages["both.md"]) == {"first-s17", "second-s17"}


def test_adviser_boxes_fold_on_exactly_the_lines_the_line_pattern_finds():
    """The page-at-once fold against ADVISER_RE line by line, on lines built from its awkward characters."""
    import random

    from lawguide.render.page import ADVISER_RE

    pieces = ["!!!", "!", " ", "\t", "\r", "adviser", "advisers", " adviser", "note", "x", "\n", "\n", '"T"', "?"]
    rng = random.Random(31)
    for _ in range(5000):
        text = "".join(rng.choice(pieces) for _ in range(rng.randint(0, 14)))
        expected = "\n".join(ADVISER_RE.sub(r"\1??? adviser", line) for line in text.split("\n"))
        assert fold_adviser_boxes(text) == expected, repr(text)
