"""The same fixture guide built by MkDocs, ProperDocs and Zensical: what the reader gets must agree.

ProperDocs is byte-identical to MkDocs except the generator tag. Zensical has its own theme, so
only the page content is compared: every link in the article (citations, law pages, legal basis,
words used, notices), resolved to the file it reaches."""

from __future__ import annotations

import importlib.util
import posixpath
import re
from pathlib import Path

import pytest
from lawguide.links.htmlcheck import check_built_site

from tests.fixtures import DEFAULT_PAGES, build, make_site, site_differences

needs_zensical = pytest.mark.skipif(importlib.util.find_spec("zensical") is None,
                                    reason="zensical is not installed: pip install -e '.[zensical]'")

CHANGED_REF = {
    "id": "ca1989-s17zd", "title": "Parent carer needs assessments", "cite": "Children Act 1989, s.17ZD",
    "url": "https://www.legislation.gov.uk/ukpga/1989/41/section/17ZD", "type": "act", "status": "in-force",
    "summary": "The council must assess a parent carer who asks.", "verified": "2026-11-22",
    "changes": [{"date": "2026-11-20", "summary": "Amended by a fixture act", "source": "https://www.legislation.gov.uk/ukpga/2026/1"}],
}
PAGES = {
    **DEFAULT_PAGES,
    "help/more.md": """\
        ---
        title: More help
        summary: A page in a folder.
        reviewed: 2026-11-01
        ---
        # More help

        Ask again under [[ca1989-s17]] and read about [[glossary:short-breaks]].
        """,
}


@pytest.fixture(scope="module")
def sites(tmp_path_factory) -> dict[str, Path]:
    from tests.fixtures import DEFAULT_REFS

    tmp = tmp_path_factory.mktemp("engines")
    refs = [CHANGED_REF if ref["id"] == "ca1989-s17zd" else ref for ref in DEFAULT_REFS]
    # A site under a sub-path: the published links must work there too.
    root = make_site(tmp / "project", pages=PAGES, refs=refs, extra_config={"site_url": "https://example.org/guide/"})
    out = {}
    for engine in ("mkdocs", "properdocs", "zensical"):
        if engine == "zensical" and importlib.util.find_spec("zensical") is None:
            continue
        result = build(root, site_dir=tmp / engine, engine=engine)
        assert result.returncode == 0, f"{engine}:\n{result.stderr[-3000:]}"
        out[engine] = tmp / engine
    return out


def article(html: str) -> str:
    match = re.search(r"<article[^>]*>(.*?)</article>", html, re.S)
    return match.group(1) if match else ""


def resolved_links(site: Path, page: Path) -> list[str]:
    """Every link in a page's article, resolved against the page's URL (so './x/' and 'x/' agree)."""
    base = "/" + page.parent.relative_to(site).as_posix() + "/"
    out = []
    for href in re.findall(r'href="([^"]*)"', article(page.read_text(encoding="utf-8"))):
        if href.startswith("#") or ":" in href:
            out.append(href)
            continue
        path, _, anchor = href.partition("#")
        full = posixpath.normpath(posixpath.join(base, path)) + ("/" if path.endswith("/") or path in ("", ".") else "")
        out.append(full.replace("//", "/") + (f"#{anchor}" if anchor else ""))
    return out


@pytest.mark.slow
def test_properdocs_output_is_mkdocs_output_generator_tag_excepted(sites):
    assert site_differences(sites["mkdocs"], sites["properdocs"]) == []


@needs_zensical
@pytest.mark.slow
def test_zensical_pages_link_to_exactly_what_mkdocs_pages_link_to(sites):
    mkdocs, zensical = sites["mkdocs"], sites["zensical"]
    pages = sorted(p.relative_to(mkdocs) for p in mkdocs.rglob("index.html") if p.parent != mkdocs / "search")
    assert pages == sorted(p.relative_to(zensical) for p in zensical.rglob("index.html"))
    for page in pages:
        assert resolved_links(zensical, zensical / page) == resolved_links(mkdocs, mkdocs / page), str(page)


@needs_zensical
@pytest.mark.slow
def test_zensical_renders_citations_header_notice_words_and_legal_basis(sites):
    html = article((sites["zensical"] / "index.html").read_text(encoding="utf-8"))
    assert ('(<a class="lg-cite" href="law/ca1989-s17/" title="Children Act 1989, s.17">'
            '<span class="lg-sr">Children Act 1989, </span>s.17</a>)') in html  # the short cite (issue 13)
    assert '<p class="lg-summary">A tiny guide.</p>' in html and 'datetime="2026-11-01"' in html
    assert 'id="law-change-notice"' in html and "Amended by a fixture act" in html
    assert 'id="words-on-this-page"' in html and 'id="legal-basis"' in html
    folder = article((sites["zensical"] / "help" / "more" / "index.html").read_text(encoding="utf-8"))
    assert 'href="../../law/ca1989-s17/"' in folder and 'href="../../glossary/#short-breaks"' in folder


@needs_zensical
@pytest.mark.slow
def test_zensical_site_under_a_sub_path_has_no_broken_internal_link(sites):
    problems = [p for p in check_built_site(sites["zensical"], "https://example.org/guide/")
                if "assets/" not in p.message]  # the theme's own files are Zensical's business
    assert problems == []


@needs_zensical
@pytest.mark.slow
def test_zensical_editors_page_is_noindex_and_guide_pages_are_not(sites):
    assert '<meta name="robots" content="noindex">' in (sites["zensical"] / "editors" / "index.html").read_text()
    assert 'name="robots"' not in (sites["zensical"] / "index.html").read_text()


@needs_zensical
def test_zensical_strict_failure_leaves_the_previous_site_untouched(tmp_path):
    root = make_site(tmp_path)
    assert build(root, engine="zensical").returncode == 0
    before = {p: p.read_bytes() for p in (root / "site").rglob("*") if p.is_file()}
    bad = DEFAULT_PAGES["index.md"].replace("under [[ca1989-s17|section 17]]", "under [[ca1989-s71]]")
    (root / "docs" / "index.md").write_text(bad.replace("        ", ""), encoding="utf-8")
    result = build(root, engine="zensical")
    assert result.returncode != 0
    assert "docs/index.md:12: unknown law reference 'ca1989-s71' (did you mean 'ca1989-s17'?)" in result.stderr
    assert "nothing was built" in result.stderr and "Traceback" not in result.stderr
    assert {p: p.read_bytes() for p in (root / "site").rglob("*") if p.is_file()} == before


@needs_zensical
def test_zensical_engine_failure_is_a_message_and_leaves_the_site_untouched(tmp_path):
    # A Markdown link to a page that does not exist: Zensical's own strict check fails the build.
    # (not_found: info keeps lawguide's check, which follows MkDocs' validation levels, from reporting
    # it first; Zensical ignores those levels.)
    pages = {"index.md": DEFAULT_PAGES["index.md"] + "\n        See [a missing page](missing.md).\n"}
    validation = {"omitted_files": "info", "anchors": "warn", "unrecognized_links": "warn", "not_found": "info"}
    root = make_site(tmp_path, pages=pages, extra_config={"strict": True, "validation": validation})
    result = build(root, engine="zensical")
    assert result.returncode != 0
    assert "was left as it was" in result.stderr and "Traceback" not in result.stderr
    assert not (root / "site").exists()


@needs_zensical
def test_zensical_stops_at_a_page_it_cannot_read_even_when_not_strict(tmp_path):
    # As the MkDocs adapter: a fatal problem (here a page that is not UTF-8) stops every build, the lenient
    # ones included, with the message; the build folder's safety pass once read the page and crashed.
    root = make_site(tmp_path)
    (root / "docs" / "bad.md").write_bytes(b"---\ntitle: Bad\n---\n# Bad \xff\n")
    result = build(root, strict=False, engine="zensical")
    assert result.returncode != 0 and "Traceback" not in result.stderr
    assert "docs/bad.md:4: file is not UTF-8 text (byte 0xff on this line)" in result.stderr
    assert "nothing was built" in result.stderr and not (root / "site").exists()
