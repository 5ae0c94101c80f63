"""The adapter (hooks/lawguide_hooks.py, _index_guide_pages_only) skips Material's data-search-* strip
only where on_page_context throws its result away: a guide page's search view (issue 31). Run through
MkDocs' own PluginCollection and Material's own SearchPlugin, as a build registers them."""

from __future__ import annotations

import copy
import importlib.util
from dataclasses import dataclass, field
from types import SimpleNamespace

import material
import pytest
from material.plugins.search import plugin as material_search
from mkdocs.plugins import PluginCollection

from tests.fixtures import REPO

HTML = '<h2 id="a" data-search-exclude="x">A</h2><p data-search-boost="2">Words</p>'
STRIPPED = '<h2 id="a">A</h2><p>Words</p>'


@dataclass
class Page:
    src_uri: str
    content: str = HTML
    toc: list = field(default_factory=list)
    url: str = "page/"
    meta: dict = field(default_factory=dict)
    title: str = "Page title"

    @property
    def file(self) -> SimpleNamespace:
        return SimpleNamespace(src_uri=self.src_uri)


def _adapter():
    spec = importlib.util.spec_from_file_location("lawguide_hooks_strip_test", REPO / "hooks" / "lawguide_hooks.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    module._state["finished"] = {"guide.md": "<p>the finished page</p>"}  # as on_page_content leaves it
    return module


def _plugins(enabled: bool = True) -> tuple[PluginCollection, material_search.SearchPlugin]:
    search = material_search.SearchPlugin()
    errors, warnings = search.load_config({"enabled": enabled})
    assert not errors
    search.search_index = material_search.SearchIndex()  # what Material's on_config makes
    plugins = PluginCollection()
    plugins["material/search"] = search
    return plugins, search


def _context(plugins: PluginCollection, page: Page) -> None:
    plugins.run_event("page_context", {}, page=page, config=None, nav=None)


def _materials_entries(page: Page) -> list[dict]:
    index = material_search.SearchIndex()
    index.add_entry_from_context(copy.deepcopy(page))
    return index.entries


def test_a_guide_page_is_indexed_and_its_discarded_search_view_left_unstripped():
    plugins, search = _plugins()
    _adapter()._index_guide_pages_only(SimpleNamespace(plugins=plugins))
    page = Page("guide.md")
    _context(plugins, page)
    assert page.content == HTML  # on_page_context replaces it with the finished page
    assert search.search_index.entries == _materials_entries(Page("guide.md"))
    assert search.search_index.entries  # the page was indexed


def test_a_generated_page_still_loses_its_data_search_attributes():
    plugins, search = _plugins()
    _adapter()._index_guide_pages_only(SimpleNamespace(plugins=plugins))
    page = Page("law/children-act-1989-s17.md")  # not in _state["finished"]: its page.content is kept
    _context(plugins, page)
    assert page.content == STRIPPED
    assert search.search_index.entries == _materials_entries(Page("x.md"))


def test_a_disabled_search_indexes_nothing_and_strips_nothing():
    plugins, search = _plugins(enabled=False)
    _adapter()._index_guide_pages_only(SimpleNamespace(plugins=plugins))
    for src_uri in ("guide.md", "other.md"):
        page = Page(src_uri)
        _context(plugins, page)
        assert page.content == HTML
    assert search.search_index.entries == []


def test_the_wrapper_keeps_materials_place_priority_and_name_and_wraps_once():
    plugins, search = _plugins()
    before = list(plugins.events["page_context"])
    adapter = _adapter()
    adapter._index_guide_pages_only(SimpleNamespace(plugins=plugins))
    after = plugins.events["page_context"]
    assert len(after) == len(before) == 1 and after[0] != search.on_page_context
    assert plugins._event_origins[after[0]] == "material/search"
    adapter._index_guide_pages_only(SimpleNamespace(plugins=plugins))
    assert plugins.events["page_context"] == after


def _materials_method_stays(plugins: PluginCollection, search) -> None:
    assert plugins.events["page_context"] == [search.on_page_context]
    page = Page("guide.md")
    _context(plugins, page)
    assert page.content == STRIPPED  # Material's own method ran


def test_another_material_release_leaves_materials_method(monkeypatch):
    monkeypatch.setattr(material, "__version__", "99.0.0")
    plugins, search = _plugins()
    _adapter()._index_guide_pages_only(SimpleNamespace(plugins=plugins))
    _materials_method_stays(plugins, search)


def test_materials_method_registered_twice_is_left_alone():
    plugins, search = _plugins()
    plugins.events["page_context"].append(search.on_page_context)
    _adapter()._index_guide_pages_only(SimpleNamespace(plugins=plugins))
    assert plugins.events["page_context"] == [search.on_page_context, search.on_page_context]


@pytest.mark.parametrize("missing", ["events", "_event_origins"])
def test_a_plugin_collection_without_mkdocs_structures_is_left_alone(missing):
    plugins, search = _plugins()
    kept = copy.copy(plugins.events)
    delattr(plugins, missing)
    _adapter()._index_guide_pages_only(SimpleNamespace(plugins=plugins))
    assert kept == getattr(plugins, "events", kept) and kept["page_context"] == [search.on_page_context]


def test_another_search_plugin_is_left_alone():
    other = SimpleNamespace(on_page_context=lambda context, **kwargs: None)
    plugins = PluginCollection()
    plugins["search"] = other
    _adapter()._index_guide_pages_only(SimpleNamespace(plugins=plugins))
    assert plugins.events["page_context"] == [other.on_page_context]
    _adapter()._index_guide_pages_only(SimpleNamespace(plugins={}))  # no search plugin: nothing to do


def test_a_replaced_page_context_method_is_left_alone(monkeypatch):
    def recording(self, context, *, page, config, nav):  # as a test or another plugin might patch it
        page.content = "recorded"

    monkeypatch.setattr(material_search.SearchPlugin, "on_page_context", recording)
    plugins, search = _plugins()
    _adapter()._index_guide_pages_only(SimpleNamespace(plugins=plugins))
    assert plugins.events["page_context"] == [search.on_page_context]
    page = Page("guide.md")
    _context(plugins, page)
    assert page.content == "recorded"
