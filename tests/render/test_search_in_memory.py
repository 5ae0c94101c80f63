"""A build hands Material's search index to on_post_build in memory instead of writing it and reading it
back (issue 31: speed). What on_post_build gets must be what it read back from Material's file."""

from __future__ import annotations

import datetime as dt
import importlib.util
import json
from types import SimpleNamespace

from lawguide.render.search import index_as_read
from material.plugins.search.plugin import SearchIndex

from tests.fixtures import REPO

CONFIG = {"lang": ["en"], "separator": r"[\s\-]+", "pipeline": ["stopWordFilter"],
          "fields": {"title": {"boost": 1000.0}, "text": {"boost": 1.0}, "tags": {"boost": 1000000.0}}}
ENTRIES = [
    {"location": "", "title": "Home", "text": "<p>Caf\u00e9 \u0627\u0644\u0639\u0631\u0628\u064a\u0629 \"quoted\" \\ </p>"},
    {"location": "law/x/", "title": "Law", "text": "t", "boost": 0.3},
    {"location": "a/", "title": "A", "text": "t", "boost": 2, "tags": ["one", "two"]},
    {"location": "b/", "title": "B", "text": "t", "boost": dt.date(2026, 12, 7)},  # front matter gave a date
    {"location": "c/", "title": "C", "text": "t", "boost": "5"},
    {"location": "d/", "title": "D", "text": "t", "boost": True},
]


def _material(entries: list[dict]) -> dict:
    index = SearchIndex(**CONFIG)
    index.entries = [dict(entry) for entry in entries]
    return json.loads(index.generate_search_index(None))


def test_the_index_in_memory_is_the_index_material_writes_read_back():
    kept = index_as_read(CONFIG, [dict(entry) for entry in ENTRIES])
    assert kept == _material(ENTRIES)
    assert json.dumps(kept, ensure_ascii=False) == json.dumps(_material(ENTRIES), ensure_ascii=False)
    assert kept["docs"][3]["boost"] == "2026-12-07"  # as the file reads back: text


def test_an_empty_index_is_the_same_too():
    assert index_as_read(CONFIG, []) == _material([])


def _adapter():
    spec = importlib.util.spec_from_file_location("lawguide_hooks_search_test", REPO / "hooks" / "lawguide_hooks.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_a_build_keeps_materials_index_and_material_writes_an_empty_file():
    adapter = _adapter()
    adapter._state["serving"] = False
    index = SearchIndex(**CONFIG)
    index.entries = [dict(entry) for entry in ENTRIES]
    config = SimpleNamespace(plugins={"material/search": SimpleNamespace(search_index=index)})
    adapter._keep_search_index(config)
    assert index.generate_search_index(None) == ""
    assert adapter._state["search_index"] == _material(ENTRIES)


def test_another_search_plugin_is_left_alone():
    adapter = _adapter()
    other = SimpleNamespace(search_index=SimpleNamespace(entries=[]))  # no generate_search_index of Material's
    adapter._keep_search_index(SimpleNamespace(plugins={"search": other}))
    assert "search_index" not in adapter._state and not hasattr(other.search_index, "generate_search_index")
