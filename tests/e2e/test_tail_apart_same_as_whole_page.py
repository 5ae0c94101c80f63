"""The page tail converted apart (and numbered citation placeholders) builds what converting the whole
page built: each test is an input where a review found the first version of that change (6f7845a)
differing from f34e9e1, which converted whole pages. The expected values are what f34e9e1 built.
MkDocs only: converting the tail apart is the MkDocs adapter's."""

from __future__ import annotations

import textwrap

import pytest

from tests.fixtures import build, make_site

FRONT = "---\ntitle: Home\nreviewed: 2026-11-01\n---\n"
EXTENSIONS = ["admonition", "attr_list", "md_in_html", "tables"]
OTHER = FRONT.replace("Home", "Other") + "# Other\n\nSee [the law](index.md#legal-basis).\n"


def _site(tmp_path, body: str, extensions=None, toc=None, other: bool = False):
    pages = {"index.md": FRONT + textwrap.dedent(body)}
    extra = {"markdown_extensions": [*(extensions or EXTENSIONS), {"toc": {"permalink": True, **(toc or {})}}]}
    if other:
        pages["other.md"] = OTHER
        extra["nav"] = ["index.md", "other.md"]
    return make_site(tmp_path, pages=pages, extra_config=extra)


def _html(tmp_path, body: str, **kwargs) -> str:
    root = _site(tmp_path, body, **kwargs)
    result = build(root, engine="mkdocs")
    assert result.returncode == 0, result.stderr
    return (root / "site" / "index.html").read_text(encoding="utf-8")


@pytest.mark.parametrize(("body", "heading"), [
    ("# Home\n\nHelp [[ca1989-s17]].\n\nLegal basis\n-----------\n\nText.\n",
     '<h2 id="legal-basis_1">Legal basis'),
    ("# Home\n\nHelp [[ca1989-s17]], [[glossary:short-breaks]].\n\n!!! note\n    #### Words on this page\n\n    Text.\n",
     '<h4 id="words-on-this-page_1">Words on this page'),
], ids=["setext heading", "heading in an admonition"])
def test_a_body_heading_slugged_like_a_closing_heading_gets_a_unique_id(tmp_path, body, heading):
    """The load's reserved-id check sees only ATX headings at the start of a line; Python-Markdown
    gave such a heading '_1' because the closing heading's explicit id was in the same document."""
    html = _html(tmp_path, body)
    assert heading in html
    taken = heading.split('id="', 1)[1].split("_1", 1)[0]
    assert html.count(f'id="{taken}"') == 1


def test_a_toc_marker_lists_the_closing_headings(tmp_path):
    html = _html(tmp_path, "# Home\n\n[TOC]\n\nHelp [[ca1989-s17]].\n")
    assert '<li><a href="#legal-basis">Legal basis</a></li>' in html


def test_abbreviations_defined_on_the_page_apply_to_the_closing_headings(tmp_path):
    html = _html(tmp_path, "# Home\n\nHelp [[ca1989-s17]].\n\n*[basis]: The foundation\n",
                 extensions=[*EXTENSIONS, "abbr"])
    assert '>Legal <abbr title="The foundation">basis</abbr><a class="headerlink"' in html


def _with_footer_snippet(tmp_path, footer_text: str) -> str:
    """The page built with pymdownx.snippets appending a footer file to it."""
    footer = tmp_path / "footer.md"
    footer.write_text(footer_text, encoding="utf-8")
    snippets = {"pymdownx.snippets": {"auto_append": [str(footer)], "base_path": [str(tmp_path)]}}
    return _html(tmp_path / "site", "# Home\n\nHelp [[ca1989-s17]].\n", extensions=[*EXTENSIONS, snippets])


def test_snippets_auto_append_appears_once(tmp_path):
    assert _with_footer_snippet(tmp_path, "Footer text.\n").count("<p>Footer text.</p>") == 1


def test_a_link_to_legal_basis_is_valid_when_toc_depth_leaves_it_out_of_the_contents(tmp_path):
    root = _site(tmp_path, "# Home\n\nHelp [[ca1989-s17]].\n", toc={"toc_depth": 1}, other=True)
    result = build(root, engine="mkdocs")
    assert result.returncode == 0, result.stderr


def test_a_tail_swallowed_by_an_unclosed_html_block_is_not_in_the_contents_or_anchors(tmp_path):
    """Python-Markdown keeps everything after an unclosed <div> as raw HTML, the closing headings too:
    no #legal-basis on the page, so a strict build with a link to it fails, as it did at f34e9e1."""
    root = _site(tmp_path, "# Home\n\nHelp [[ca1989-s17]].\n\n<div>\nOpen.\n", other=True)
    result = build(root, engine="mkdocs")
    assert result.returncode != 0
    assert "does not contain an anchor '#legal-basis'" in result.stderr


def test_text_an_author_types_that_looks_like_a_placeholder_stays_text(tmp_path):
    html = _html(tmp_path, "# Home\n\nHelp [[ca1989-s17]].\n\nTyped: lgqz0q and `lgqz0q`.\n\nlgqtailq\n\nEnd.\n")
    assert "<p>Typed: lgqz0q and <code>lgqz0q</code>.</p>\n<p>lgqtailq</p>\n<p>End.</p>" in html


# A second review: "lgq" that the page's own file does not contain, but its converted HTML does (a
# lower-cased heading id, a snippet). Numbered placeholders carry a salt chosen once a build, so no such
# text can pass for one; f34e9e1's hex placeholders left "lgqz0q" alone too (z is not hex).

def test_a_heading_whose_generated_id_reads_like_a_numbered_placeholder_keeps_its_id(tmp_path):
    """toc lower-cases the heading text into its id: 'LGQZ0Q' -> id="lgqz0q"."""
    html = _html(tmp_path, "# Home\n\nHelp [[ca1989-s17]].\n\n#### LGQZ0Q\n")
    assert '<h4 id="lgqz0q">LGQZ0Q<a class="headerlink" href="#lgqz0q" title="Permanent link">&para;</a></h4>' in html


def test_snippet_text_that_reads_like_a_numbered_placeholder_stays_text(tmp_path):
    assert "<p>Code lgqz0q here.</p>" in _with_footer_snippet(tmp_path, "Code lgqz0q here.\n")


def test_a_custom_toc_marker_lists_the_closing_headings_when_toc_is_configured_by_its_full_name(tmp_path):
    """The marker is read under either of toc's names: were it missed, the tail would be converted apart
    and the page's contents list would lose 'Legal basis'."""
    root = make_site(tmp_path, pages={"index.md": FRONT + "# Home\n\n{{toc}}\n\nHelp [[ca1989-s17]].\n"},
                     extra_config={"markdown_extensions": [*EXTENSIONS, {"markdown.extensions.toc": {
                         "permalink": True, "marker": "{{toc}}"}}]})
    result = build(root, engine="mkdocs")
    assert result.returncode == 0, result.stderr
    html = (root / "site" / "index.html").read_text(encoding="utf-8")
    assert '<li><a href="#legal-basis">Legal basis</a></li>' in html
