"""The pieces' deadline and their one word rarity (issue 31): render/search.py writes both for an index
written in pieces, named in its titles index; the browser side is in tests/browser/test_search_pieces*.py."""

from __future__ import annotations

import json
from pathlib import Path

from lawguide.render.search import (
    PIECE_SECONDS_LEAST,
    piece_seconds,
    rarity_file,
    word_rarity,
    write_language_indexes,
)

from .test_search import _big_index


def test_a_piece_deadline_is_twice_its_time_on_slow_4g_uncompressed_and_never_under_the_least() -> None:
    assert piece_seconds(1000) == PIECE_SECONDS_LEAST
    assert piece_seconds(2_070_769) == 24  # the 1,000-page copy's largest piece: 11.5 s on Slow 4G, twice
    assert piece_seconds(4_500_000) == 50
    assert piece_seconds(4_500_000) > piece_seconds(2_070_769)


def test_word_rarity_counts_words_as_materials_worker_makes_them_once_a_field() -> None:
    index = {"config": {"lang": ["en"], "pipeline": ["stopWordFilter"], "separator": "[\\s\\-·]+",
                        "fields": {"title": {"boost": 20.0}, "text": {"boost": 1.0}, "tags": {}}},
             "docs": [{"location": "a/", "title": "Short <code>Breaks</code>", "text": "<p>short-breaks short</p>"},
                      {"location": "a/#x", "title": "Help", "text": "<p class=\"note\">Help · now</p>"},
                      {"location": "b/", "title": "Other", "text": ""}]}
    rarity = word_rarity(index)
    assert rarity == {"count": 3, "df": {"breaks": 2, "help": 2, "now": 1, "other": 1, "short": 2}}
    assert "class" not in rarity["df"] and "note" not in rarity["df"]  # inside a tag: not a word


def test_a_language_whose_pipeline_changes_words_gets_no_word_rarity() -> None:
    docs = [{"location": "ro/a/", "title": "Ajutor", "text": "<p>ajutor</p>"}]
    stemmed = {"lang": ["ro"], "pipeline": ["trimmer", "stopWordFilter", "stemmer"]}
    assert word_rarity({"config": stemmed, "docs": docs}) is None
    assert word_rarity({"config": {"lang": ["en"], "pipeline": ["stemmer"]}, "docs": docs}) is None
    assert word_rarity({"config": {"lang": ["en"], "separator": "[", "pipeline": []}, "docs": docs}) is None


def test_an_index_in_pieces_names_its_deadline_and_word_rarity_in_its_titles_index(tmp_path: Path) -> None:
    (tmp_path / "search").mkdir()
    index = _big_index()
    index["config"]["pipeline"] = ["stopWordFilter"]
    index["config"]["fields"] = {"title": {"boost": 20.0}, "text": {"boost": 1.0}}
    cap = len(json.dumps(index).encode()) // 3
    written = write_language_indexes(tmp_path, json.dumps(index), {}, {}, piece_bytes=cap)
    titles = json.loads((tmp_path / "search" / "search_index.titles.json").read_text(encoding="utf-8"))
    own = titles["config"]["lawguide"]
    largest = max((tmp_path / "search" / name).stat().st_size for name in own["parts"])
    assert own["piece_seconds"] == piece_seconds(largest)
    assert own["rarity"] == rarity_file("en") == "search_index.rarity.json" and own["rarity"] in written
    assert own["rarity"] not in own["parts"]
    rarity = json.loads((tmp_path / "search" / own["rarity"]).read_text(encoding="utf-8"))
    assert rarity["count"] == len(index["docs"])
    assert rarity["df"]["more"] == 2 * 30  # every page's two sections
    assert rarity["df"]["only7x1"] == 1


def test_an_index_not_in_pieces_has_no_deadline_and_no_word_rarity(tmp_path: Path) -> None:
    (tmp_path / "search").mkdir()
    written = write_language_indexes(tmp_path, json.dumps(_big_index(3)), {}, {}, piece_bytes=10_000_000)
    assert written == ["search_index.json", "search_index.titles.json"]
    titles = json.loads((tmp_path / "search" / "search_index.titles.json").read_text(encoding="utf-8"))
    assert "lawguide" not in titles["config"]
