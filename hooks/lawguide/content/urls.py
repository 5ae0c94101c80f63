"""Where everything is published: the one map from source paths to site URLs.

Guide pages come from docs/; the build also generates a page per law reference, the law index,
the glossary, the editors' page and What's changed, plus two files. Every module that writes a
link or checks one asks here, so a URL is decided in one place. Generated pages' section ids are
declared here too, because the published-links check must know them without rendering anything.
"""

from __future__ import annotations

import datetime as dt
import functools
import posixpath
import re

# A question's or outcome's page is decided beside the flow's ids (content.flows gives each outcome its
# Page when it loads), and mapped here with the rest.
from lawguide.content.flows import FINDER_DIR, finder_node_path
from lawguide.content.markdown_scan import slugify

# `from typing import TYPE_CHECKING` would import typing (about 10 ms) into every command.
TYPE_CHECKING = False
if TYPE_CHECKING:
    from lawguide.content.site import Site

LAW_DIR = "law"
LAW_INDEX = f"{LAW_DIR}/index.md"
GLOSSARY_PAGE = "glossary.md"
EDITORS_PAGE = "editors/index.md"
REVIEW_JSON = "editors/review.json"
CHANGES_PAGE = "changes.md"
FEED_FILE = "changes/feed.xml"
# What's changed shows whole months from the same month a year ago; older entries are on a page for each
# year (/changes/2025/), which links.lock must know before anything is rendered.
CHANGES_OLDER = "older-changes"  # What's changed's section linking the year pages (when there are any)
_CHANGES_YEAR = re.compile(r"changes/(\d{4})\.md")
EDITIONS_DIR = "editions"  # /editions/: every dated edition (made by `lawguide publish`)
EDITIONS_PAGE = f"{EDITIONS_DIR}/index.md"
VERSIONS_JSON = f"{EDITIONS_DIR}/versions.json"
# The route finder (content.flows): /finder/ lists every flow; /finder/FLOW/ is its first question, where
# the flow runs in one page with JavaScript; /finder/FLOW/ID/ is each question and each outcome as a page
# of its own (JavaScript off, and the stable address an adviser sends; outcomes go into links.lock).
FINDER_PAGE = f"{FINDER_DIR}/index.md"

# Section ids of every law page (render.generate writes exactly these headings).
LAW_PAGE_TOP, LAW_PAGE_GUIDES, LAW_PAGE_CHANGES, LAW_PAGE_SOURCES = "top", "guides", "changes", "sources"
EDITORS_SECTIONS = ("affected", "overdue", "sources-changed", "stale-versions", "register-notes")


@functools.lru_cache(maxsize=65536)
def page_url(src: str, directory_urls: bool = True) -> str:
    """The site-root path MkDocs publishes a Markdown file at (mirrors mkdocs.structure.files.File)."""
    parent, _, name = src.rpartition("/")
    stem = name.rsplit(".", 1)[0]
    prefix = f"/{parent}/" if parent else "/"
    if stem in ("index", "README"):
        return prefix if directory_urls else f"{prefix}index.html"
    return f"{prefix}{stem}/" if directory_urls else f"{prefix}{stem}.html"


def finder_flow_path(flow_id: str) -> str:
    return f"{FINDER_DIR}/{flow_id}/index.md"


def finder_paths(site: Site) -> list[str]:
    """Every page the route finder publishes, start page first (none when there are no flows)."""
    if not site.flows:
        return []
    out = [FINDER_PAGE]
    for flow in site.flows.values():
        out.append(finder_flow_path(flow.id))
        out += [finder_node_path(flow.id, node_id) for node_id in (*flow.questions, *flow.outcomes)]
    return out


def law_page_path(ref_id: str) -> str:
    return f"{LAW_DIR}/{ref_id}.md"


def instrument_anchor(instrument: str) -> str:
    """The law index's section id for one instrument."""
    return slugify(instrument) or "instrument"


def rel_link(from_page: str, to_page: str, anchor: str = "") -> str:
    """A Markdown link target from one source file to another (MkDocs resolves it)."""
    link = posixpath.relpath(to_page, posixpath.dirname(from_page) or ".")
    return f"{link}#{anchor}" if anchor else link


def href(site: Site, from_page: str, to_page: str, anchor: str = "") -> str:
    """The published, relative URL from one page to another, as MkDocs itself would write it.

    Generated links are written as HTML with their final URLs: MkDocs then has no Markdown links to
    parse, rewrite and validate for them, which was most of the hooks' build cost. They are correct by
    construction (they point only at pages the engine knows), and links.lock, publish's built-site
    check and the linkchecker test still check them."""
    settings = site.settings
    link = _href(from_page, to_page, settings.use_directory_urls, settings.link_base)
    return f"{link}#{anchor}" if anchor else link


@functools.lru_cache(maxsize=65536)  # a build asks for the same few thousand links tens of thousands of times
def _href(from_page: str, to_page: str, directory_urls: bool, link_base: str) -> str:
    target = page_url(to_page, directory_urls)
    top, up = _start(from_page, directory_urls, link_base)
    if top and not target.startswith(top):
        # Nothing in common (a guide page linking a law page or the glossary): up to the root and
        # down again. Most links a build writes take this path: no path arithmetic per link.
        return up + target[1:]
    return _relative_url(target, _folder(from_page, directory_urls, link_base))


@functools.lru_cache(maxsize=65536)
def _start(src: str, directory_urls: bool, link_base: str) -> tuple[str, str]:
    """For links from src: the first folder of its site folder as "/name/" ("" at the root), and
    the "../" steps from that folder up to the site root."""
    parts = [p for p in _folder(src, directory_urls, link_base).split("/") if p]
    return (f"/{parts[0]}/" if parts else ""), "../" * len(parts)


@functools.lru_cache(maxsize=65536)
def _folder(src: str, directory_urls: bool, link_base: str = "url") -> str:
    """The site folder a page's relative links start from: its URL's folder, or (link_base "source",
    for an engine that rewrites relative links as if written from the source file) its source folder."""
    if link_base == "source":
        return "/" + posixpath.dirname(src) if posixpath.dirname(src) else "/"
    return posixpath.dirname(page_url(src, directory_urls)) or "/"


@functools.lru_cache(maxsize=65536)
def _relative_url(target: str, source_dir: str) -> str:
    """posixpath.relpath for two site-root paths (absolute, no '.' or '..' segments), without its
    general-purpose normalising: a build asks for tens of thousands of these."""
    to, start = [p for p in target.split("/") if p], [p for p in source_dir.split("/") if p]
    common = 0
    for a, b in zip(to, start, strict=False):  # paths of different depths
        if a != b:
            break
        common += 1
    link = "/".join([".."] * (len(start) - common) + to[common:]) or "."
    if target.endswith("/"):
        link = "./" if link == "." else link + "/"
    return link


def changes_year_path(year: int) -> str:
    return f"changes/{year:04d}.md"


def changes_year_of(path: str) -> int | None:
    """The year of a What's changed year page's path, or None for any other path."""
    match = _CHANGES_YEAR.fullmatch(path)
    return int(match.group(1)) if match else None


def changes_cutoff(today: dt.date) -> dt.date:
    """The first day What's changed shows: the first of this month a year ago, so every entry up to
    twelve months old is on it, and a month's entries are never split between two pages."""
    return dt.date(today.year - 1, today.month, 1)


def change_dates(site: Site, today: dt.date) -> set[dt.date]:
    """Every date What's changed lists an entry on (render.whatschanged.change_entries makes the entries):
    register changes but moved links, the day a later commencement takes effect once it has come, and
    page change notes."""
    dates = set()
    for ref in site.register.refs.values():
        for change in ref.changes:
            if change.kind == "link-moved":
                continue
            dates.add(change.date)
            if change.commences and change.date < change.commences <= today:
                dates.add(change.commences)
    for page in site.pages.values():
        dates.update(note.date for note in page.change_notes)
    return dates


def changes_archive(site: Site, today: dt.date | None = None) -> dict[int, list[tuple[int, int]]]:
    """Each year with entries older than What's changed shows -> its months with entries, newest first.
    A year with no such entries has no page."""
    if today is None:
        from lawguide.core.clock import today as clock_today

        today = clock_today()
    cutoff = changes_cutoff(today)
    out: dict[int, list[tuple[int, int]]] = {}
    for date in sorted(change_dates(site, today), reverse=True):
        if date < cutoff and (date.year, date.month) not in out.get(date.year, []):
            out.setdefault(date.year, []).append((date.year, date.month))
    return out


def changes_month_anchor(year: int, month: int) -> str:
    return f"changes-{year:04d}-{month:02d}"


def generated_page_anchors(site: Site) -> dict[str, frozenset[str]]:
    """Every page the build generates (path relative to docs/) -> the section ids it publishes."""
    pages: dict[str, frozenset[str]] = {}
    for ref in site.register.refs.values():
        ids = {LAW_PAGE_TOP, LAW_PAGE_GUIDES, LAW_PAGE_CHANGES, LAW_PAGE_SOURCES}
        pages[law_page_path(ref.id)] = frozenset(ids)
    pages[LAW_INDEX] = frozenset(instrument_anchor(name) for name in site.register.instruments)
    pages[GLOSSARY_PAGE] = frozenset(site.glossary.terms)
    pages[EDITORS_PAGE] = frozenset(EDITORS_SECTIONS)
    if CHANGES_PAGE not in site.pages:  # a hand-written page wins
        archive = changes_archive(site)
        pages[CHANGES_PAGE] = frozenset({CHANGES_OLDER} if archive else ())
        # A year page's months never change once they are on it: advisers may cite them.
        for year, months in archive.items():
            pages[changes_year_path(year)] = frozenset(changes_month_anchor(y, m) for y, m in months)
    pages[EDITIONS_PAGE] = frozenset({"editions"})
    for path in finder_paths(site):
        pages[path] = frozenset()
    return pages
