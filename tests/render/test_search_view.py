"""The search view: what Material's search indexes instead of the finished page (same index, fewer tags).

The MkDocs adapter hands search finish_html_and_search_view's view and publishes its page. These tests
prove the two give Material's search parser the same sections, on tiny pages and on every page of
the real guide, so the swap can never change what readers find."""

from __future__ import annotations

import re

import markdown
import pytest
from lawguide.content.site import load_site
from lawguide.core.settings import Settings
from lawguide.guide import load_guide
from lawguide.render.page import finish_html, finish_html_and_search_view, transform_page
from material.plugins.search.plugin import Parser
from mkdocs.config import load_config

from tests.fixtures import DEFAULT_REFS, REPO, make_site


def sections(html: str) -> list[tuple[str | None, str, str]]:
    """What Material's search plugin indexes of a page: each section's id, title and text, sections
    marked data-search-exclude left out (plugin.py: add_entry_from_context, create_entry_for_section)."""
    parser = Parser()
    parser.feed(html)
    parser.close()
    return [(s.id, "".join(s.title).strip(), "".join(s.text).strip()) for s in parser.data if not s.is_excluded()]


def converter(config_file) -> markdown.Markdown:
    """Python-Markdown as MkDocs sets it up for this project (its markdown_extensions)."""
    config = load_config(str(config_file))
    return markdown.Markdown(extensions=config["markdown_extensions"], extension_configs=config["mdx_configs"])


def views(site, path: str, md: markdown.Markdown) -> tuple[str, str]:
    source = site.pages[path]
    text = (site.settings.docs_dir / path).read_text(encoding="utf-8")
    body = re.sub(r"\A---\n.*?\n---\n", "", text, count=1, flags=re.S)
    converted = md.reset().convert(transform_page(site, source, body))
    return finish_html_and_search_view(site, source, converted)


PAGE = """---
title: Home
summary: A page with every kind of generated text.
reviewed: 2026-11-01
changes:
  - date: 2026-11-01
    summary: First written.
---
# Home

The council must help [[ca1989-s17]], and assess you [[ca1989-s17zd|when you ask]].
Read about [[glossary:short-breaks]] and the proposals [[lawcom-dcsc-report]].

## Asking {#asking}

| You ask | The law |
| --- | --- |
| Help | [[ca1989-s17]] |

- A list item citing [[ca1989-s17zd]].
"""


def test_search_view_drops_links_but_keeps_every_word_and_block(tmp_path):
    root = make_site(tmp_path, pages={"index.md": PAGE})
    site = load_site(Settings.from_mkdocs_yml(root / "mkdocs.yml"))
    page, view = views(site, "index.md", converter(root / "mkdocs.yml"))
    assert 'class="lg-cite"' in page and 'class="lg-term"' in page and "<time" in page
    assert "<a " not in view  # not even the engine's own permalinks: search ignores their text
    assert "<span" not in view and "<time" not in view
    assert "Children Act 1989, s.17" in view  # the short cite's hidden instrument is still read
    assert ": a proposal, not law)" in view
    assert "lgq" not in page and "lgq" not in view.replace("lgqlegalq", "")  # the view leaves the legal basis out
    assert 'class="lg-legal-basis"' in page and "lg-legal-basis" not in view
    outside_legal_basis = re.sub(r'<ul class="lg-legal-basis">.*?</ul>', "", page, flags=re.S)
    assert view.count("<li>") == outside_legal_basis.count("<li>") and view.count("<table>") == page.count("<table>")


def test_search_view_indexes_exactly_like_the_page(tmp_path):
    root = make_site(tmp_path, pages={"index.md": PAGE})
    site = load_site(Settings.from_mkdocs_yml(root / "mkdocs.yml"))
    page, view = views(site, "index.md", converter(root / "mkdocs.yml"))
    assert sections(view) == sections(page)
    assert any("Time away from caring" in text for _, _, text in sections(view))  # words used, indexed


def test_register_text_that_looks_like_tags_stays_text_in_the_search_view(tmp_path):
    refs = [dict(DEFAULT_REFS[0], cite='Children Act 1989 <span class="x">a</span>, <a href=x>s.17</a>'),
            *DEFAULT_REFS[1:]]
    root = make_site(tmp_path, pages={"index.md": PAGE}, refs=refs)
    site = load_site(Settings.from_mkdocs_yml(root / "mkdocs.yml"))
    page, view = views(site, "index.md", converter(root / "mkdocs.yml"))
    assert "&lt;span class=\"x\"&gt;a&lt;/span&gt;" in view or "&lt;span class=&quot;x&quot;&gt;" in view
    assert sections(view) == sections(page)


def test_finish_html_is_the_page_of_finish_html_and_search_view(tmp_path):
    root = make_site(tmp_path, pages={"index.md": PAGE})
    site = load_site(Settings.from_mkdocs_yml(root / "mkdocs.yml"))
    source = site.pages["index.md"]
    converted = converter(root / "mkdocs.yml").convert(transform_page(site, source, PAGE.split("---\n", 2)[2]))
    assert finish_html(site, source, converted) == finish_html_and_search_view(site, source, converted)[0]


HEADINGS = """<h1 id="top">Title<a class="headerlink" href="#top" title="Link to this section">&para;</a></h1>
<p>Text.</p>
<h2 id="code">With <code>code</code> and <em>stress</em><a class="headerlink" href="#code">&para;</a></h2>
<h2>No id, so Material indexes this one<a class="headerlink" href="#x" title="t">&para;</a></h2>
<h3 data-id="not-an-id">Nor this<a class="headerlink" href="#y" title="t">&para;</a></h3>
<h2 id="link">A <a href="/x/">link</a> inside<a class="headerlink" href="#link" title="t">&para;</a></h2>
<p>A <a class="headerlink" href="#z" title="t">&para;</a> in a paragraph is text.</p>
<h4 id="two">Two<a class="headerlink" href="#two" title="t">A</a><a class="headerlink" href="#two" title="t">B</a></h4>
<div><h5 id="nested">Nested<a class="headerlink" href="#nested" title="t">&para;</a></h5></div>
<h2 id="ex" data-search-exclude>Left out<a class="headerlink" href="#ex" title="t">&para;</a></h2>
<p>lgqlegalq</p>
<h6 id="last">Last<a class="headerlink" href="#last" title="t">&para;</a></h6>"""


def test_search_view_leaves_out_permalinks_only_where_search_ignores_them(tmp_path):
    root = make_site(tmp_path, pages={"index.md": PAGE})
    site = load_site(Settings.from_mkdocs_yml(root / "mkdocs.yml"))
    page, view = finish_html_and_search_view(site, site.pages["index.md"], HEADINGS)
    assert sections(view) == sections(page)
    kept = re.findall(r'<a class="headerlink"[^>]*>[^<]*</a>', view)
    assert kept == ['<a class="headerlink" href="#x" title="t">&para;</a>',  # no id: indexed as text
                    '<a class="headerlink" href="#y" title="t">&para;</a>',
                    '<a class="headerlink" href="#link" title="t">&para;</a>',  # a link in the title: left alone
                    '<a class="headerlink" href="#z" title="t">&para;</a>',  # not in a heading
                    '<a class="headerlink" href="#two" title="t">A</a>',  # two: both stay
                    '<a class="headerlink" href="#two" title="t">B</a>']
    assert '<h1 id="top">Title</h1>' in view and "<h5 id=\"nested\">Nested</h5>" in view


@pytest.fixture(scope="module")
def real_guide():
    return load_guide(Settings.from_mkdocs_yml(REPO / "mkdocs.yml"))


def test_every_real_guide_page_indexes_the_same_from_its_search_view(real_guide):
    md = converter(REPO / "mkdocs.yml")
    assert len(real_guide.pages) > 30
    differing = []
    for path in sorted(real_guide.pages):
        page, view = views(real_guide, path, md)
        if sections(view) != sections(page):
            differing.append(path)
    assert differing == []
