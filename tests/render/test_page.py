"""A guide page in two steps: Markdown with inert citation placeholders for the engine, then the
engine's HTML finished by lawguide (links, header, notice, words used, legal basis)."""

from __future__ import annotations

import copy
import datetime as dt
import re

import markdown
import pytest
from lawguide.content.site import load_site
from lawguide.core.settings import Settings
from lawguide.render.page import _patterns, finish_html, law_change_notice, transform_page
from markdown.postprocessors import Postprocessor

from tests.fixtures import DEFAULT_REFS, DEFAULT_TERMS, make_site

BODY = """\
# Home

Help [[ca1989-s17]] and [[lawcom-dcsc-report|the *report* & <its> "ideas"]].

## About [[ca1989-s17zd]] {#about}

- in a list [[ca1989-s17]]
    - nested [[glossary:short-breaks|respite_care]]
1. numbered [[ca1989-s17zd|s.17ZD]]

[a link around [[ca1989-s17]]](other.md) and *emphasis [[glossary:short-breaks]]* and __[[ca1989-s17zd|strong]]__.

| law | word |
|---|---|
| [[ca1989-s17]] | [[glossary:short-breaks]] |

!!! note "Note"
    In an admonition [[ca1989-s17]].

<div class="box" markdown="1">
In an md_in_html block [[ca1989-s17zd]].
</div>

> In a quote [[ca1989-s17]] -- with 'smart' quotes...

Code stays: `[[ca1989-s17]]`.
"""
EXTENSIONS = ["admonition", "attr_list", "md_in_html", "tables", "smarty", "toc"]


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    refs = copy.deepcopy(DEFAULT_REFS)
    refs[1]["changes"] = [{"date": "2026-11-10", "summary": "Words <inserted> & more.",
                           "source": "https://www.legislation.gov.uk/ukpga/2027/3"}]
    pages = {"index.md": "---\ntitle: Home\nsummary: A \"tiny\" guide.\nreviewed: 2026-11-01\n---\n" + BODY,
             "other.md": "---\ntitle: Other\nreviewed: 2026-11-01\n---\nNo title [[ca1989-s17]].\n"}
    root = make_site(tmp_path_factory.mktemp("page"), pages=pages, refs=refs, terms=DEFAULT_TERMS)
    return load_site(Settings.from_mkdocs_yml(root / "mkdocs.yml"))


def engine(site, path: str) -> tuple[str, str]:
    """(the Markdown the hooks hand over, the finished HTML) through plain Python-Markdown."""
    text = transform_page(site, site.pages[path], BODY if path == "index.md" else "No title [[ca1989-s17]].\n")
    converted = markdown.markdown(text, extensions=EXTENSIONS)
    return text, finish_html(site, site.pages[path], converted, today=dt.date(2026, 11, 29))


def test_markdown_for_the_engine_carries_no_html_outside_headings(site):
    text, _ = engine(site, "index.md")
    body = [line for line in text.split("\n") if not line.startswith("#")]
    assert not any("<a " in line for line in body)
    assert "lg-words" not in text and "lg-legal-basis" not in text and "lg-summary" not in text
    assert text.startswith("# Home\n\nlgqheaderq\n")
    assert text.rstrip().endswith("## Words used on this page {#words-on-this-page}\n\nlgqwordsq\n\n"
                                  "## Legal basis {#legal-basis data-search-exclude}\n\nlgqlegalq")


def test_placeholders_survive_markdown_in_every_kind_of_block(site):
    _, html = engine(site, "index.md")
    assert "lgq" not in html
    cite = ('<a class="lg-cite" href="law/ca1989-s17/" title="Children Act 1989, s.17">'
            '<span class="lg-sr">Children Act 1989, </span>s.17</a>')  # the short cite (issue 13)
    for context in (f"<li>in a list ({cite})", f"<td>({cite})</td>", f"In an admonition ({cite}).",
                    f"<a href=\"other.md\">a link around ({cite})</a>", f"In a quote ({cite})",
                    '<li>numbered <a class="lg-cite" href="law/ca1989-s17zd/">s.17ZD</a></li>',
                    '<strong><a class="lg-cite" href="law/ca1989-s17zd/">strong</a></strong>',
                    '<em>emphasis <a class="lg-term" href="glossary/#short-breaks">short breaks</a></em>',
                    'nested <a class="lg-term" href="glossary/#short-breaks">respite_care</a>',
                    'In an md_in_html block (<a class="lg-cite" href="law/ca1989-s17zd/" title='):
        assert context in html
    assert "<code>[[ca1989-s17]]</code>" in html


def test_author_text_in_a_citation_is_text_not_markup(site):
    _, html = engine(site, "index.md")
    assert ('<a class="lg-cite" href="law/lawcom-dcsc-report/">the *report* &amp; &lt;its&gt; "ideas"</a> '
            '<span class="lg-proposal-tag">(a proposal, not law)</span>') in html


def test_citation_in_a_heading_is_a_link_before_conversion_so_the_toc_shows_its_text(site):
    text, html = engine(site, "index.md")
    assert ('## About (<a class="lg-cite" href="law/ca1989-s17zd/" title="Children Act 1989, s.17ZD">'
            '<span class="lg-sr">Children Act 1989, </span>s.17ZD</a>) {#about}') in text
    md = markdown.Markdown(extensions=EXTENSIONS)
    md.convert(text)
    assert [t["name"] for t in md.toc_tokens[0]["children"]] == [
        "About (Children Act 1989, s.17ZD)", "Words used on this page", "Legal basis"]


def test_header_and_notice_go_under_the_title_lists_under_their_headings(site):
    _, html = engine(site, "index.md")
    assert html.startswith(
        '<h1 id="home">Home</h1>\n<p class="lg-summary">A &quot;tiny&quot; guide.</p>\n'
        '<p class="lg-reviewed">Checked against the law as it stood on <time datetime="2026-11-01">1 November 2026</time></p>\n\n'
        '<div class="lg-law-change" data-law-change="ca1989-s17zd" id="law-change-notice" role="note">\n'
        "<p>The law this page relies on has changed since we last reviewed the page.")
    assert ('<li><a href="law/ca1989-s17zd/">Children Act 1989, s.17ZD</a> changed on 10 November 2026: '
            "Words &lt;inserted&gt; &amp; more.</li>\n</ul>\n</div>\n<p>Help") in html
    words = html.split('id="words-on-this-page">Words used on this page</h2>\n', 1)[1]
    assert words.startswith('<details class="lg-fold">\n<summary>Show the words explained (1)</summary>\n'
                            '<ul class="lg-words">\n<li><a href="glossary/#short-breaks">Short breaks</a>: '
                            "Time away from caring. Also called: respite.</li>\n</ul>\n</details>\n\n<h2")
    basis = html.split('id="legal-basis">Legal basis</h2>\n', 1)[1]
    assert basis.startswith('<details class="lg-fold">\n<summary>Show the law this page relies on (3)</summary>\n'
                            "<p>Each link opens our page on that law")
    assert re.findall(r'<li><a href="(law/[^"]+)"', basis) == [
        "law/ca1989-s17/", "law/lawcom-dcsc-report/", "law/ca1989-s17zd/"]
    assert basis.endswith("</ul>\n</details>")


def test_page_without_a_title_opens_with_the_header(site):
    _, html = engine(site, "other.md")
    assert html.startswith('<p class="lg-reviewed">Checked against the law as it stood on <time datetime="2026-11-01">1 November 2026'
                           '</time></p>\n\n<p>No title (<a class="lg-cite" href="../law/ca1989-s17/" title=')


def test_damaged_placeholder_is_left_as_it_is(site):
    page = site.pages["other.md"]
    assert "lgqzzq and lgq6q" in finish_html(site, page, "<p>lgqzzq and lgq6q</p>")
    assert "lgqffq" in finish_html(site, page, "<p>lgqffq</p>")  # not UTF-8
    assert "lgqz1q and lgqz9999999q" in finish_html(site, page, "<p>lgqz1q and lgqz9999999q</p>")  # one citation


def test_placeholders_number_the_page_s_citations_and_read_back_from_the_page_alone(site):
    page = site.pages["index.md"]
    text, html = engine(site, "index.md")
    salt = _patterns(site)[0]
    assert re.fullmatch(r"[g-y]{6}", salt) and not set(salt) & set("0123456789abcdefqz")
    numbers = re.findall(rf"lgq{salt}(\d+)q", text)
    assert sorted(set(map(int, numbers))) == list(range(len(page.distinct_citations)))
    assert not re.search(r"lgq[0-9a-f]{4,}q", text)  # no long hex: every citation was found when loading
    assert {t for t in re.findall(r"lgq\w*?q", text) if not re.fullmatch(rf"lgq{salt}\d{{1,2}}q", t)} == {
        "lgqheaderq", "lgqwordsq", "lgqlegalq"}
    assert page.distinct_citations[0] == ("ca1989-s17", "", False)
    assert finish_html(site, page, f"<p>lgq{salt}0q</p>") == finish_html(site, page, f"<p>lgq{b'ca1989-s17|'.hex()}q</p>")


def test_numbered_placeholders_cannot_be_imitated_by_text_from_anywhere(site, tmp_path):
    """The salt is chosen at random once a build: typed, lower-cased or configured text never has it."""
    page = site.pages["index.md"]
    typed = "<p>lgqz0q LGQZ0Q lgq0q lgqzq</p>"
    assert finish_html(site, page, typed) == typed
    other = load_site(Settings.from_mkdocs_yml(make_site(tmp_path) / "mkdocs.yml"))
    assert _patterns(other)[0] != _patterns(site)[0]  # a new build, a new salt (the same: 1 in 24 million)


def test_a_citation_the_load_did_not_see_still_gets_a_self_contained_placeholder(site):
    page = site.pages["other.md"]  # cites only ca1989-s17
    text = transform_page(site, page, "New [[glossary:short-breaks|respite]] since loading.\n")
    token = re.search(r"lgq([0-9a-f]+)q", text).group(1)
    assert bytes.fromhex(token).decode() == "glossary:short-breaks|respite"
    html = finish_html(site, page, markdown.markdown(text, extensions=EXTENSIONS))
    assert '<a class="lg-term" href="../glossary/#short-breaks">respite</a>' in html


def test_finished_html_does_not_depend_on_the_engine_calling_it(site):
    """A second engine calls finish_html from a Python-Markdown postprocessor, with the same result."""
    page = site.pages["index.md"]

    class Finish(Postprocessor):
        def run(self, text: str) -> str:
            return finish_html(site, page, text, today=dt.date(2026, 11, 29))

    md = markdown.Markdown(extensions=EXTENSIONS)
    md.postprocessors.register(Finish(md), "lawguide", 0)  # after the raw HTML is put back
    assert md.convert(transform_page(site, page, BODY)) == engine(site, "index.md")[1]


def test_notice_is_html_with_final_urls(site):
    notice = law_change_notice(site, site.pages["index.md"], today=dt.date(2026, 11, 29))
    assert notice.startswith('<div class="lg-law-change" data-law-change="ca1989-s17zd"')
    assert "law/ca1989-s17zd/" in notice and ".md" not in notice


def test_register_text_that_looks_like_a_placeholder_stays_text_in_a_heading(tmp_path):
    refs = [dict(DEFAULT_REFS[0], cite="Children Act 1989 lgqz0q, s.17"), *DEFAULT_REFS[1:]]
    body = "# Home\n\n## About [[ca1989-s17]] {#about}\n\nHelp [[ca1989-s17zd]].\n"
    root = make_site(tmp_path, pages={"index.md": "---\ntitle: Home\n---\n" + body}, refs=refs)
    site = load_site(Settings.from_mkdocs_yml(root / "mkdocs.yml"))
    page = site.pages["index.md"]
    text = transform_page(site, page, body)
    assert "lgqz0q" in text and f"lgq{_patterns(site)[0]}1q" in text  # the citation below: numbered
    html = finish_html(site, page, markdown.markdown(text, extensions=EXTENSIONS))
    assert "1989 lgqz0q, s.17" in html and html.count('class="lg-cite"') == 2


SIDE_BY_SIDE = """\
# Side by side

Pair [[ca1989-s17]] [[ca1989-s17zd]]. Triple [[ca1989-s17]]  [[ca1989-s17zd]] [[lawcom-dcsc-report]].
Touching [[ca1989-s17]][[ca1989-s17zd]]. Across a line [[ca1989-s17]]
[[ca1989-s17zd]].

Apart [[ca1989-s17]] and [[ca1989-s17zd]]. Apart by a comma [[ca1989-s17]], [[ca1989-s17zd]].
With words [[ca1989-s17]] [[ca1989-s17zd|s.17ZD]]. A term [[glossary:short-breaks]] [[ca1989-s17]].
"""


@pytest.fixture(scope="module")
def side_site(tmp_path_factory):
    pages = {"index.md": "---\ntitle: Side\nreviewed: 2026-11-01\n---\n" + SIDE_BY_SIDE,
             "deep/page.md": "---\ntitle: Deep\nreviewed: 2026-11-01\n---\n" + SIDE_BY_SIDE}
    root = make_site(tmp_path_factory.mktemp("side"), pages=pages, refs=DEFAULT_REFS, terms=DEFAULT_TERMS)
    return load_site(Settings.from_mkdocs_yml(root / "mkdocs.yml"))


def side_html(site, path: str) -> str:
    text = transform_page(site, site.pages[path], SIDE_BY_SIDE)
    return finish_html(site, site.pages[path], markdown.markdown(text, extensions=EXTENSIONS),
                       today=dt.date(2026, 11, 29))


def cite(to: str, short: str, depth: str = "") -> str:
    return (f'<a class="lg-cite" href="{depth}law/{to}/" title="Children Act 1989, {short}">'
            f'<span class="lg-sr">Children Act 1989, </span>{short}</a>')


def test_bare_citations_side_by_side_share_one_pair_of_brackets_each_its_own_link(side_site):
    html = side_html(side_site, "index.md")
    pair = f"({cite('ca1989-s17', 's.17')}; {cite('ca1989-s17zd', 's.17ZD')})"
    assert f"Pair {pair}." in html and f"Touching {pair}." in html and f"Across a line {pair}." in html
    # the proposal's tag stays inside the group's brackets, after its own cite
    proposal = ('<a class="lg-cite" href="law/lawcom-dcsc-report/">Law Commission, Disabled Children\'s Social Care'
                ' (2025)</a><span class="lg-proposal-tag">: a proposal, not law</span>')
    assert f"Triple ({cite('ca1989-s17', 's.17')}; {cite('ca1989-s17zd', 's.17ZD')}; {proposal})." in html
    assert ") (" not in html and html.count("(<a") == 10  # 4 groups, 6 citations on their own


def test_citations_apart_or_with_their_own_words_keep_their_own_brackets(side_site):
    html = side_html(side_site, "index.md")
    s17, s17zd = cite("ca1989-s17", "s.17"), cite("ca1989-s17zd", "s.17ZD")
    assert f"Apart ({s17}) and ({s17zd})." in html and f"Apart by a comma ({s17}), ({s17zd})." in html
    assert f'With words ({s17}) <a class="lg-cite" href="law/ca1989-s17zd/">s.17ZD</a>.' in html
    assert f'A term <a class="lg-term" href="glossary/#short-breaks">short breaks</a> ({s17}).' in html


def test_a_group_links_each_citation_from_its_own_page_however_many_pages_share_the_links(side_site):
    top, deep = side_html(side_site, "index.md"), side_html(side_site, "deep/page.md")
    assert f"Pair ({cite('ca1989-s17', 's.17', '../../')}; {cite('ca1989-s17zd', 's.17ZD', '../../')})." in deep
    assert 'href="law/' not in deep and 'href="../../law/' not in top
    assert side_html(side_site, "index.md") == top  # the build's shared links gave the same page again
