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
