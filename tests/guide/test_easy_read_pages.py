"""The Easy Read pages (docs/easy-read/) keep the Easy Read rules the guide follows (UK government
accessible-formats guidance and the Easy Read Standard): short sentences, under 1,000 words a page, a
shipped picture with alt text beside every point, the full page linked, and no law the full page does
not cite. A failure means the content broke a rule; fix the page, not the test."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from lawguide.content.site import Site, load_site
from lawguide.core.settings import Settings

from tests.fixtures import REPO

DOCS = REPO / "docs"
EASY = DOCS / "easy-read"
PAGES = sorted(p.relative_to(EASY).as_posix() for p in EASY.rglob("*.md"))
# The core set issue 21 asks for: each must have an Easy Read version.
CORE = ["index.md", "assessments/index.md", "assessments/refused-or-delayed.md", "direct-payments.md",
        "short-breaks.md", "assessments/parent-carers.md", "safeguarding.md", "moving-to-adult-care.md",
        "challenging-decisions/complaints.md"]
MAX_WORDS_A_SENTENCE = 15
MAX_WORDS_A_PAGE = 1000

ROW = re.compile(r'<div class="lg-easy__row" markdown>\n\n(.*?)\n</div>', re.S)
PICTURE = re.compile(r"^!\[([^\]]*)\]\(([^)\s]+)\)\{ \.lg-easy__pic \}$")
LINK = re.compile(r"\[([^\]]*)\]\([^)]*\)")
CITE = re.compile(r"\s*\[\[[^\]]*\]\]")


@pytest.fixture(scope="module")
def site() -> Site:
    return load_site(Settings.from_mkdocs_yml(REPO / "mkdocs.yml"))


def body(path: str) -> str:
    return (EASY / path).read_text(encoding="utf-8").split("\n---\n", 1)[1]


def rows(path: str) -> list[list[str]]:
    return [[line for line in row.split("\n") if line.strip()] for row in ROW.findall(body(path))]


def words_lines(path: str) -> list[str]:
    """The page's readable lines: headings and the words of each point, without pictures, HTML,
    heading ids or citations (which the reader sees as short links, not words)."""
    out = []
    for line in body(path).split("\n"):
        if not line.strip() or line.startswith(("<", "![")):
            continue
        line = re.sub(r"\{#[^}]*\}", "", CITE.sub("", line))
        out.append(LINK.sub(r"\1", line).lstrip("# ").strip())
    return out


def sentences(line: str) -> list[str]:
    return [s for s in re.split(r"(?<=[.?!])\s+(?=[A-Z\"0-9])", line) if s]


def test_every_core_page_has_an_easy_read_version():
    assert not [p for p in CORE if p not in PAGES]


@pytest.mark.parametrize("path", PAGES, ids=PAGES)
def test_every_sentence_has_at_most_15_words(path: str):
    long = [s for line in words_lines(path) for s in sentences(line) if len(s.split()) > MAX_WORDS_A_SENTENCE]
    assert not long, f"docs/easy-read/{path}: sentences over {MAX_WORDS_A_SENTENCE} words: {long}"


@pytest.mark.parametrize("path", PAGES, ids=PAGES)
def test_page_has_fewer_than_1000_words(path: str):
    words = sum(len(line.split()) for line in words_lines(path))
    assert 0 < words < MAX_WORDS_A_PAGE, f"docs/easy-read/{path}: {words} words"


@pytest.mark.parametrize("path", PAGES, ids=PAGES)
def test_every_point_is_a_shipped_picture_with_alt_text_then_words(path: str):
    page_rows = rows(path)
    assert page_rows, f"docs/easy-read/{path}: no Easy Read points"
    for row in page_rows:
        picture = PICTURE.match(row[0])
        assert picture, f"docs/easy-read/{path}: a point does not start with its picture: {row}"
        alt, src = picture.groups()
        assert alt.strip(), f"docs/easy-read/{path}: picture {src} has no alt text"
        assert not src.startswith(("http:", "https:", "//")), f"{src}: pictures are shipped, never loaded"
        assert (EASY / Path(path).parent / src).resolve().is_file(), f"docs/easy-read/{path}: missing {src}"
        assert len(row) >= 2, f"docs/easy-read/{path}: picture {src} has no words beside it"


@pytest.mark.parametrize("path", PAGES, ids=PAGES)
def test_page_links_to_its_full_page(path: str):
    full = Path("/".join([".."] * (path.count("/") + 1))) / path
    assert f"]({full.as_posix()})" in body(path), f"docs/easy-read/{path}: no link to the full page {path}"


@pytest.mark.parametrize("path", PAGES, ids=PAGES)
def test_page_cites_only_law_its_full_page_cites(site: Site, path: str):
    mine = {c.target for c in site.pages[f"easy-read/{path}"].law_citations}
    full = {c.target for c in site.pages[path].law_citations}
    assert mine, f"docs/easy-read/{path}: cites no law at all"
    assert mine <= full, f"docs/easy-read/{path}: cites what {path} does not: {sorted(mine - full)}"


def test_the_easy_read_start_page_links_to_every_other_easy_read_page():
    start = body("index.md")
    missing = [p for p in PAGES if p != "index.md" and f"]({p})" not in start]
    assert not missing, f"docs/easy-read/index.md does not link to {missing}"
