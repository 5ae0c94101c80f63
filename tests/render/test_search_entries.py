"""render.search_entries makes the search-index entries Material's search plugin makes, byte for byte
(issue 31). Material's own SearchIndex is the oracle, imported here only: on every page of the real guide
as the build hands it to search, on a hand-written case for each quirk of its parser, and on a seeded fuzz
of mutated pages, where ours must equal Material's or step aside (None: the adapter then runs Material's)."""

from __future__ import annotations

import copy
import importlib.util
import random
from dataclasses import dataclass, field
from types import SimpleNamespace

import material
import pytest
from lawguide.render import search_entries
from lawguide.render.search_entries import MATERIAL_VERSIONS, page_entries, toc_lookup
from material.plugins.search import plugin as material_search
from mkdocs.commands.build import build
from mkdocs.config import load_config

from tests.fixtures import REPO


@dataclass
class Item:
    """A table of contents item as Material's _find_toc_by_id reads it."""

    id: str | None
    url: str
    children: list[Item] = field(default_factory=list)


@dataclass
class Page:
    content: str
    toc: list[Item] = field(default_factory=list)
    url: str = "page/"
    meta: dict = field(default_factory=dict)
    title: str = "Page title"


def materials(page: Page) -> list[dict]:
    index = material_search.SearchIndex()
    index.add_entry_from_context(copy.deepcopy(page))
    return index.entries


def ours(page: Page) -> list[dict] | None:
    page = copy.deepcopy(page)
    return page_entries(page.content, toc_lookup(page.toc), page.url, page.meta, lambda: page.title)


def same_as_material(html: str, **page_fields) -> list[dict]:
    page = Page(html, **page_fields)
    entries = ours(page)
    assert entries is not None, "expected the fast path"
    assert entries == materials(page)
    return entries


# ------------------------------------------------------------------ (a) every page of the real guide


@dataclass
class RealBuild:
    pages: list[tuple[Page, list[dict]]]  # each page as search got it, and the entries the build added
    material_parses: int  # how often Material's own parser ran (0: every page took the fast path)


@pytest.fixture(scope="module")
def real_build(tmp_path_factory) -> RealBuild:
    """The real guide built in this process, every page recorded as Material's search plugin gets it
    (its content is then the search view, render.page), with the entries the adapter added for it."""
    recorded: list[tuple[Page, list[dict]]] = []
    parses = [0]
    on_page_context, feed = material_search.SearchPlugin.on_page_context, material_search.Parser.feed

    def recording(self, context, *, page, config, nav):
        before = len(self.search_index.entries)
        seen = Page(page.content, copy.deepcopy(list(page.toc)), page.url, copy.deepcopy(dict(page.meta)),
                    page.title)
        result = on_page_context(self, context, page=page, config=config, nav=nav)
        recorded.append((seen, copy.deepcopy(self.search_index.entries[before:])))
        return result

    def counting_feed(self, data):
        parses[0] += 1
        return feed(self, data)

    material_search.SearchPlugin.on_page_context = recording  # before MkDocs collects the plugins' events
    material_search.Parser.feed = counting_feed
    try:
        config = load_config(str(REPO / "mkdocs.yml"), site_dir=str(tmp_path_factory.mktemp("site")))
        config.plugins.on_startup(command="build", dirty=False)
        build(config)
    finally:
        material_search.SearchPlugin.on_page_context = on_page_context
        material_search.Parser.feed = feed
    return RealBuild(recorded, parses[0])


def test_every_real_guide_page_gets_materials_entries_on_the_fast_path(real_build):
    assert len(real_build.pages) > 300
    languages = {page.url.split("/")[0] for page, _ in real_build.pages}
    assert {"pl", "ar", "ro", "ur", "easy-read", "law", "glossary", ""} <= languages
    unsure, differing = [], []
    for page, _ in real_build.pages:
        entries = ours(page)
        if entries is None:
            unsure.append(page.url)
        elif entries != materials(page):
            differing.append(page.url)
    assert unsure == [] and differing == []


def test_the_build_adds_materials_entries_without_running_materials_parser(real_build):
    assert real_build.material_parses == 0
    differing = [page.url for page, added in real_build.pages if added != materials(page)]
    assert differing == []
    assert sum(len(added) for _, added in real_build.pages) > 1000


# ------------------------------------------------------------------ (b) each quirk of Material's parser


def test_an_excluded_element_inside_one_with_the_same_tag_ends_the_exclusion_when_it_closes():
    # Material's skip set holds elements compared by tag name: the inner div adds nothing, and closing
    # it removes "div", so the outer div's remaining text is indexed.
    entries = same_as_material('<div data-search-exclude>gone<div data-search-exclude>inner</div>back</div>')
    assert entries[0]["text"] == "back"


def test_closing_any_element_with_an_excluded_tag_ends_the_exclusion():
    entries = same_as_material('<div data-search-exclude>a<section><div>b</div>c</section>d</div>e')
    assert entries[0]["text"] == "cde"


def test_script_style_and_object_stay_skipped():
    entries = same_as_material('<object>x<object>y</object>z</object>after')
    assert entries[0]["text"] == "after"


def test_text_in_any_element_with_the_headings_tag_is_title():
    # "The heading is open" is "an element with the heading's tag is open": a second h2 without an id
    # adds its words to the h2 section's title.
    entries = same_as_material('<h2 id="a">One</h2>x<h2>Two</h2>y', toc=[Item("a", "#a")])
    assert entries[-1]["title"] == "OneTwo" and entries[-1]["text"] == "xy"


def test_an_excluded_heading_still_opens_a_section_that_is_then_left_out():
    entries = same_as_material('<p>intro</p><h2 id="x" data-search-exclude>Hidden</h2><p>gone</p><h2 id="y">Y</h2>z')
    assert [entry["location"] for entry in entries] == ["page/", "page/#y"]
    assert "gone" not in entries[0]["text"]


def test_a_headerlink_is_left_out_of_the_title_but_not_of_the_text():
    entries = same_as_material('<h2 id="a">Title<a class="headerlink" href="#a">&para;</a></h2>'
                               '<p>x<a class="headerlink" href="#a">&para;</a></p>')
    assert entries[-1]["title"] == "Title" and entries[-1]["text"] == "<p>x\u00b6</p>"


def test_whitespace_collapses_per_text_chunk_and_not_in_pre():
    entries = same_as_material('<p>a\nb</p>\n\n  <p>c</p>\n \n<pre>x\n\n  y<i> </i>\n<b>\n</b></pre>\n\n<b> </b><i> </i>z')
    assert entries[0]["text"] == "<p>a b</p> <p>c</p> <pre>x\n\n  y \n\n</pre> z"


def test_text_is_escaped_without_quotes_after_its_references_are_decoded():
    entries = same_as_material('<p>&lt;b&gt; &amp; "q" &#39;s&nbsp;&#x41;</p>')
    assert entries[0]["text"] == "<p>&lt;b&gt; &amp; \"q\" 's\u00a0A</p>"


def test_an_empty_kept_element_is_removed_unless_an_earlier_one_of_its_tag_has_words():
    # Material looks for the FIRST "<p>" in the section, not the one being closed.
    entries = same_as_material('<h2 id="a">A</h2><p> </p><ul><li></li></ul><h2 id="b">B</h2><p>x</p><p> </p>')
    assert entries[1]["text"] == "" and entries[2]["text"] == "<p>x</p><p> </p>"


def test_a_heading_nested_in_an_element_ends_when_that_element_closes():
    entries = same_as_material('<h1 id="t">T</h1>a<div><section><h2 id="n">N</h2>b</section>c</div>d',
                               toc=[Item("t", "#t", [Item("n", "#toc-n")])])
    assert [(entry["location"], entry["text"]) for entry in entries] == [("page/", "acd"), ("page/#toc-n", "b")]


def test_a_first_heading_below_h1_gets_a_section_before_it_and_a_first_h1_no_id():
    below = same_as_material('<h2 id="a">A</h2>x')
    assert [entry["location"] for entry in below] == ["page/", "page/#a"]
    first_h1 = same_as_material('<h1 id="top">Top</h1>x<h2 id="b">B</h2>')
    assert [entry["location"] for entry in first_h1] == ["page/", "page/#b"]


def test_void_and_self_closed_tags():
    entries = same_as_material('a<br>b<br/>c<img src="x" alt="y" />d<p/>e<div/>f</br>g<li />h')
    assert entries[0]["text"] == "abcdefgh"


def test_upper_case_tags_and_attributes_are_read_lower_case():
    entries = same_as_material('<P>y</P><DIV CLASS="linenodiv">1</DIV>z<H2 ID="Up" DATA-SEARCH-EXCLUDE>x</H2>w')
    assert entries == [{"location": "page/", "title": "Page title", "text": "<p>y</p>z"}]


def test_attributes_without_values_and_repeated_names():
    entries = same_as_material('<p hidden class="a" class="headerlink">x</p><details open><h2 id="a" id="b">B</h2></details>')
    assert entries[-1]["location"] == "page/#b"


def test_an_attribute_value_is_unescaped():
    entries = same_as_material('<h2 id="a&amp;b&#65;&#x42;&eacute;">x</h2>', toc=[Item("a&bAB\u00e9", "#found")])
    assert entries[-1]["location"] == "page/#found"


def test_toc_lookup_finds_the_first_item_depth_first():
    toc = [Item("x", "#1", [Item("y", "#2")]), Item("y", "#3"), Item(None, "#none")]
    assert toc_lookup(toc) == {"x": "#1", "y": "#2", None: "#none"}


def test_page_title_tags_and_boost_as_material_sets_them():
    html = '<h2 id="a">A</h2>x'
    for meta in ({}, {"title": "Front matter"}, {"title": 7}, {"tags": ["a", 2, None, "", 0.5, True, {"x": 1}]},
                 {"tags": "not a list"}, {"search": {"boost": 2}}, {"search": None}, {"search": {"boost": None}}):
        same_as_material(html, meta=meta)
    assert ours(Page(html, meta={"search": {"exclude": True}})) == [] == materials(Page(html, meta={"search": {"exclude": True}}))
    assert ours(Page(html, meta={"search": "odd"})) is None  # Material raises on it: its message, not ours


def test_the_page_title_is_read_only_when_a_section_needs_it():
    asked = []

    def title() -> str:
        asked.append(1)
        return "T"

    assert page_entries('<h1 id="a">A</h1>x', {}, "p/", {}, title)[0]["title"] == "A" and asked == []


@pytest.mark.parametrize("html", [
    "a <!-- c --> b", "<!DOCTYPE html>x", "<?php x ?>", "<![CDATA[x]]>", "a < b", "a <3", "x<", "<p =x>y</p>",
    "<script>var a = '<p>';</script>x", "<style>p {}</style>x", "<title>t</title>", "<textarea>&amp;</textarea>",
    '<p class=x>y</p>', "<p class='a\">b'>y</p>", "<p a=\"1\"b=\"2\">y</p>", "</p >", "<br / >", 'x\r\ny', "a\x00b",
    '<h2 id="a&b">x</h2>', '<h2 id="a&ampx;">x</h2>', '<h2 id="a&notit;">x</h2>', '<h2 id="a&amp=">x</h2>',
    "<p>x</p>tail &amp", "<p:x>y</p:x>", "a <> b", "a </> b", "<p>x</p", "</ p>",
])
def test_what_the_tokenizer_is_not_sure_of_goes_to_material(html):
    assert ours(Page(html)) is None


def test_content_that_is_not_text_goes_to_material():
    assert page_entries(None, {}, "p/", {}, lambda: "T") is None


def test_tags_are_read_once_and_the_memory_of_them_stays_bounded(monkeypatch):
    monkeypatch.setattr(search_entries, "_TAGS", {})
    monkeypatch.setattr(search_entries, "_TAGS_KEPT", 50)
    html = "".join(f'<p class="c{n}">{n}</p>' for n in range(200))
    assert same_as_material(html) == same_as_material(html)  # the second time from the memory
    assert 0 < len(search_entries._TAGS) <= 50


def test_an_end_tag_material_cannot_match_goes_to_material():
    # Material's parser raises (data.index) on a kept element whose opening tag was skipped: not ours to say.
    page = Page('<div data-search-exclude><p><div></div>x</p></div>')
    with pytest.raises(ValueError):
        materials(page)
    assert ours(page) is None


# ------------------------------------------------------------------ (c) a seeded fuzz of mutated pages

# Markup the fast path reads, and markup it must leave to Material (a few of each in most cases).
PLAIN = [
    "&amp;", "&lt;", "&gt;", "&nbsp;", "&#10;", "&#x20;", "&copy", "&amp", "&#0;", "&unknown;", "&#x110000;", "x & y",
    '<h2 id="f1">Fuzz', '<h3 id="f2">Three</h3>', '<h1 id="f0">One</h1>', "<h2>no id</h2>", "</h2>", "</h3>",
    '<div><h4 id="f4">Deep</h4>in</div>', '<h2 id="fx" data-search-exclude>Ex</h2>', "<hx>odd</hx>",
    "<div data-search-exclude>", "</div>", '<div data-search-exclude>x<div data-search-exclude>y</div>z</div>',
    "<pre>  a\n\n b </pre>", "<pre><code>x\n</code></pre>", "<pre>", "</pre>",
    '<a class="headerlink" href="#x">&para;</a>', '<a class="headerlink">', "</a>",
    "<br>", "<br/>", "<br />", "<img src='x'>", "<hr/>", "</br>", "<p/>", "<div/>", "<h2 id='s'/>", "<li/>",
    "<p hidden>", "<details open>", "<P>", "</P>", '<H2 ID="u">Up</H2>', "<PRE>x\n y</PRE>",
    "<p></p>", "<p> </p>", "<li>\n</li>", "<code></code>", "<ul><li> </li></ul>", "<sub>2</sub>",
    "\n\n", "   ", "\t", "\u00a0", '<h2 id="a&amp;b">amp</h2>', "</p>", "</span>", "</li>",
    '<div class="linenodiv">1\n2</div>', "<object>x</object>", "<p\n class=\"a\">", "<p class=''>",
]
ODD = [
    "&", "<", "< ", "<3", "a < b", "<!-- c -->", "<!---->", "<!DOCTYPE html>", "<?pi?>", "<![CDATA[x]]>",
    "<script>x<p></script>", "<style>p{}</style>", "<title>t</title>", "<p class=x>", "<a href=#x>",
    "<p class=\"a'b\">", "<p class='x\">'>", '<h2 id="a&b">', "\r\n", "\x00", "</p >", "<p =x>", '<p a="1"b="2">',
]


def _mutated(rng: random.Random, base: str) -> str:
    text = base
    for _ in range(rng.randint(1, 6)):
        if rng.random() < 0.05 and len(text) > 10:
            start = rng.randrange(len(text))
            text = text[:start] + text[start + rng.randint(1, 40):]  # cut: unclosed or broken tags
            continue
        boundaries = [i for i, char in enumerate(text) if char == "<"] + [len(text)]
        at = rng.choice(boundaries) if rng.random() < 0.85 else rng.randrange(len(text) + 1)
        text = text[:at] + rng.choice(ODD if rng.random() < 0.1 else PLAIN) + text[at:]
    return text


def _bases(real_build: RealBuild, rng: random.Random) -> list[str]:
    """Windows of real pages, cut at a tag, and small hand-made pages."""
    bases = ['<h1 id="t">Title</h1><p>Some <b>text</b> and <code>code</code>.</p><h2 id="a">A</h2><ul><li>x</li></ul>',
             "<p>Just a paragraph.</p>", ""]
    for page, _ in real_build.pages:
        html = page.content
        starts = [i for i, char in enumerate(html) if char == "<"] or [0]
        start = rng.choice(starts)
        end = html.find("<", start + rng.randint(200, 2500))
        bases.append(html[start:end if end > 0 else len(html)])
    return bases


def test_fuzz_ours_is_materials_or_none(real_build):
    rng = random.Random(31)
    bases = _bases(real_build, rng)
    toc = [Item("a", "#a"), Item("f1", "#toc-f1", [Item("f2", "#toc-f2")]), Item("a&b", "#amp")]
    fast = unsure = 0
    for case in range(4000):
        meta = rng.choice([{}, {"title": "Meta"}, {"tags": ["t"]}, {"search": {"boost": 2}}])
        page = Page(_mutated(rng, rng.choice(bases)), toc=toc, meta=meta)
        entries = ours(page)
        try:
            expected = materials(page)
        except Exception:  # noqa: BLE001 - any error of Material's parser (html.parser's own too)
            assert entries is None, f"case {case}: Material raises, ours gave entries for {page.content!r}"
            continue
        if entries is None:
            unsure += 1
        else:
            fast += 1
            assert entries == expected, f"case {case}: {page.content!r}"
    # The fuzz must test the port, not only the fallback: most cases take the fast path.
    print(f"fuzz: {fast} on the fast path, {unsure} left to Material")
    assert fast > 2000 and unsure > 500, (fast, unsure)


# ------------------------------------------------------------------ the adapter


def _adapter():
    spec = importlib.util.spec_from_file_location("lawguide_hooks_entries_test", REPO / "hooks" / "lawguide_hooks.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _config(index) -> SimpleNamespace:
    return SimpleNamespace(plugins={"material/search": SimpleNamespace(search_index=index)})


def test_material_is_a_release_the_port_was_compared_with():
    # A new Material may change its search parser: re-run these tests against it, then add its version.
    assert material.__version__ in MATERIAL_VERSIONS


def test_the_adapter_adds_our_entries_and_falls_back_where_we_are_unsure(monkeypatch):
    index = material_search.SearchIndex()
    _adapter()._fast_search_entries(_config(index))
    assert getattr(index.add_entry_from_context, "lawguide_fast", False)
    fast = Page('<h2 id="a">A</h2>x', toc=[Item("a", "#toc-a")])
    expected = materials(fast)
    calls = []
    monkeypatch.setattr(material_search.Parser, "feed", lambda self, data: calls.append(data) or None)
    index.add_entry_from_context(fast)
    assert calls == [] and index.entries == expected and expected[-1]["location"] == "page/#toc-a"
    index.add_entry_from_context(Page("a <!-- comment --> b"))
    assert calls == ["a <!-- comment --> b"]  # Material's own method ran


def test_the_adapter_leaves_material_alone_with_jieba_another_release_or_another_plugin(monkeypatch):
    adapter = _adapter()
    monkeypatch.setattr(material_search, "jieba", object())
    index = material_search.SearchIndex()
    adapter._fast_search_entries(_config(index))
    assert "add_entry_from_context" not in vars(index)
    monkeypatch.setattr(material_search, "jieba", None)
    monkeypatch.setattr(material, "__version__", "99.0.0")
    adapter._fast_search_entries(_config(index))
    assert "add_entry_from_context" not in vars(index)
    monkeypatch.undo()
    other = SimpleNamespace(entries=[], add_entry_from_context=lambda page: None)
    adapter._fast_search_entries(_config(other))
    assert not hasattr(other.add_entry_from_context, "lawguide_fast")
    adapter._fast_search_entries(SimpleNamespace(plugins={}))  # no search plugin: nothing to do


def test_the_adapter_adds_to_the_entries_the_preview_gives_the_index_later():
    # --dirty preview: on_env swaps in the last build's entries after wrapping (lawguide_hooks.on_env).
    index = material_search.SearchIndex()
    _adapter()._fast_search_entries(_config(index))
    kept = {"location": "kept/", "title": "Kept", "text": ""}
    index.entries = [kept]
    page = Page('<h2 id="a">A</h2>x')
    index.add_entry_from_context(page)
    assert index.entries == [kept, *materials(page)]


def test_the_adapter_wraps_once():
    adapter, index = _adapter(), material_search.SearchIndex()
    adapter._fast_search_entries(_config(index))
    wrapped = index.add_entry_from_context
    adapter._fast_search_entries(_config(index))
    assert index.add_entry_from_context is wrapped
