"""finish_html's one pass over the placeholders against the two substitutions it replaced.

_Finisher.finish splits the engine's HTML at every "lgq" and reads each piece once, for the page and
its search view together. Before, the page was made by two whole-text regex substitutions (citations,
then block paragraphs) and the view by the same two again. The reference below is that code, and the
fuzz test feeds both thousands of texts built from placeholders, damaged placeholders, paragraph tags,
line breaks and permalinks, in any order. The reference also puts bare citations side by side in one
pair of brackets, "(a; b)", from each one's link alone: the one pass must group exactly those."""

from __future__ import annotations

import random
import re

import pytest
from lawguide.content.site import load_site
from lawguide.core.settings import Settings
from lawguide.render.page import (
    _PERMALINK,
    SEARCH_EXCLUDED,
    _citation_link,
    _Finisher,
    _patterns,
    ambiguous_short_cites,
    html_text,
)

from tests.fixtures import make_site
from tests.render.test_search_view import PAGE

_BLOCK = re.compile(r"<p>lgq(header|words|legal|history)q</p>(?=(\n?))")  # as it was


def reference(site, page, content: str, with_view: bool) -> str:
    finisher = _Finisher(site, page, None)
    view = finisher._text if with_view else (lambda piece: piece)
    later = SEARCH_EXCLUDED if with_view else ()
    full = ambiguous_short_cites(site, page)
    if "lgq" in content:
        content = _CITATION_RUN(site).sub(lambda run: _run(site, page, run.group(0), view, full), content)

        def block(match: re.Match) -> str:
            if match.group(1) in later:
                return match.group(0)
            html_block, blank_after = finisher._block(match.group(1))
            return view(html_block) + ("\n" if blank_after and match.group(2) else "")

        content = _BLOCK.sub(block, content)
    return _PERMALINK.sub(r"\1\3", content) if with_view else content


def _CITATION_RUN(site) -> re.Pattern:  # noqa: N802 - a pattern, named like one
    """Placeholders with only whitespace between them (one placeholder alone is a run too)."""
    one = _patterns(site)[1].pattern
    return re.compile(rf"(?:{one})(?:\s*(?:{one}))*")


def _run(site, page, text: str, view, full) -> str:
    """Each placeholder's link as it renders alone; bare citations side by side (a link in brackets)
    share one pair of brackets, "(a; b)", and the whitespace between them goes."""
    tokens = list(_patterns(site)[1].finditer(text))
    links = [_citation_link(site, page, m, html_text, full) for m in tokens]
    bare = [link.startswith("(<a ") and link.endswith(")") for link in links]
    gaps: list[str] = []
    groups: list[list[str]] = []
    for i, (token, link) in enumerate(zip(tokens, links, strict=True)):
        if i and bare[i] and bare[i - 1]:
            groups[-1].append(link)
        else:
            gaps.append(text[tokens[i - 1].end():token.start()] if i else "")
            groups.append([link])
    joined = [group[0] if len(group) == 1 else "(" + "; ".join(link[1:-1] for link in group) + ")" for group in groups]
    return "".join(gap + view(link) for gap, link in zip(gaps, joined, strict=True))


@pytest.fixture(scope="module")
def site_and_page(tmp_path_factory):
    root = make_site(tmp_path_factory.mktemp("finish"), pages={"index.md": PAGE})
    site = load_site(Settings.from_mkdocs_yml(root / "mkdocs.yml"))
    return site, site.pages["index.md"]


def test_one_pass_gives_what_the_two_substitutions_gave(site_and_page):
    site, page = site_and_page
    hex_cite = b"ca1989-s17|".hex()
    salt = _patterns(site)[0]
    parts = ["lgq", f"{salt}0q", f"{salt}1q", f"{salt}2q", f"{salt}3q", f"{salt}99q", " ", f"lgq{salt}3q",
             salt, "z0q", "z", "q", f"{hex_cite}q", "ffq", "fq", "6q", "wordsq",
             "headerq", "legalq", "historyq", "lgqwordsq", f"lgq{salt}1q", "lgqz1q", f"lgq{hex_cite}q", "<p>", "</p>", "\n",
             "<p>lgqheaderq</p>", "<p>lgqwordsq</p>\n", "<p>lgqlegalq</p>", "<p>lgqhistoryq</p>\n\n", "text ",
             '<h2 id="x">X', "</h2>", '<a class="headerlink" href="#x" title="t">&para;</a>', "<", ">", "lg"]
    randomly = random.Random(2026)
    for _ in range(6000):
        content = "".join(randomly.choice(parts) for _ in range(randomly.randint(0, 14)))
        page_html, view = _Finisher(site, page, None).finish(content)
        assert page_html == reference(site, page, content, with_view=False), content
        assert view == reference(site, page, content, with_view=True), content
        assert _Finisher(site, page, None).page(content) == page_html


def test_a_real_page_shape_is_finished_the_same_way(site_and_page):
    site, page = site_and_page
    salt = _patterns(site)[0]
    content = ('<h1 id="home">Home<a class="headerlink" href="#home" title="t">&para;</a></h1>\n<p>lgqheaderq</p>\n'
               f"<p>Help lgq{salt}0q and lgq{salt}1q.</p>\n<h2 id=\"words-on-this-page\">Words</h2>\n<p>lgqwordsq</p>\n"
               '<h2 data-search-exclude id="legal-basis">Legal basis</h2>\n<p>lgqlegalq</p>\n<p>lgqhistoryq</p>')
    page_html, view = _Finisher(site, page, None).finish(content)
    assert "lgq" not in page_html and 'class="lg-legal-basis"' in page_html
    assert (page_html, view) == (reference(site, page, content, False), reference(site, page, content, True))
