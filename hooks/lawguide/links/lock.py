"""Links that never break: the published-links lock, redirects and anchor aliases.

links.lock (committed, one URL path per line) records every page URL and section anchor the
guide has published. Advisers paste these links into letters and case notes, so once a line is
in the lock it must keep working: through the page itself, a redirect (mkdocs-redirects'
redirect_maps in mkdocs.yml, read here as data) or an anchor alias (front matter
`anchor_aliases`). Everything is computed from the sources; no build is needed.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from lawguide.content.urls import GLOSSARY_PAGE, generated_page_anchors, page_url
from lawguide.core.problems import Problem, display_path
from lawguide.core.settings import FastTolerantLoader, config_in
from lawguide.core.yamlsrc import read_text

# `from typing import TYPE_CHECKING` would import typing (about 10 ms) into every command.
TYPE_CHECKING = False
if TYPE_CHECKING:
    from lawguide.content.site import Site

LOCK_NAME = "links.lock"
LOCK_HEADER = """\
# links.lock: every page URL and section anchor this guide has published, one per line,
# as paths from the site root. Advisers link to these, so each must keep working: the build
# fails if one disappears without a redirect (redirect_maps in mkdocs.yml) or an anchor alias
# (anchor_aliases in the page's front matter). `lawguide links --update` adds new ones.
# Nothing is removed automatically: delete a line by hand only to break that link on purpose.
"""
_LOCK_LINE_RE = re.compile(r"^/[^\s#]*(#[^\s#]+)?$")
ALIAS_CLASS = "lg-anchor-alias"


# --- URLs -------------------------------------------------------------------------------------

def is_external(target: str) -> bool:
    return target.lower().startswith(("http://", "https://"))


# --- mkdocs.yml as data ---------------------------------------------------------------------

@dataclass(frozen=True)
class LinkConfig:
    redirects: dict[str, str]  # old source path -> new source path (maybe with #fragment) or an external URL
    directory_urls: bool = True
    config_display: str = "mkdocs.yml"


def read_link_config(config_file: Path, display: str = "mkdocs.yml") -> LinkConfig:
    """redirect_maps and use_directory_urls from mkdocs.yml, without importing mkdocs."""
    if not config_file.exists():
        return LinkConfig({}, True, display)
    data = yaml.load(config_file.read_text(encoding="utf-8"), Loader=FastTolerantLoader) or {}
    options = _plugin_options(data.get("plugins"), "redirects")
    maps = options.get("redirect_maps") or {}
    redirects = {str(old).lstrip("/"): str(new) for old, new in maps.items()} if isinstance(maps, dict) else {}
    directory_urls = data.get("use_directory_urls")
    return LinkConfig(redirects, directory_urls is not False, display)


def _plugin_options(plugins: object, name: str) -> dict:
    """MkDocs accepts plugins as a list of names / {name: options}, or as one mapping."""
    items: Iterable = []
    if isinstance(plugins, dict):
        items = plugins.items()
    elif isinstance(plugins, list):
        items = [(p, {}) if isinstance(p, str) else next(iter(p.items()), ("", {})) for p in plugins
                 if isinstance(p, (str, dict))]
    for key, options in items:
        if key == name:
            return options if isinstance(options, dict) else {}
    return {}


def config_file_for(site: Site) -> Path:
    """The site's config file: properdocs.yml, mkdocs.yml or mkdocs.yaml (MkDocs' name when there is none)."""
    return config_in(site.settings.root) or site.settings.root / "mkdocs.yml"


# --- what the sources publish --------------------------------------------------------------

@dataclass(frozen=True)
class PublishedPage:
    url: str
    src: str  # path relative to docs/
    display: str  # source file as shown in messages; '' for generated pages
    locked_anchors: tuple[str, ...]  # anchors the lock records
    anchors: frozenset[str]  # every id a link may target: headings and aliases


def published_pages(site: Site, config: LinkConfig) -> dict[str, PublishedPage]:
    """URL -> page, for every guide page and every generated page."""
    out: dict[str, PublishedPage] = {}
    for page in site.pages.values():
        ids = {h.id for h in page.headings}
        locked = tuple(dict.fromkeys(h.id for h in page.headings if h.level in (2, 3) and h.explicit))
        aliases = {old for old, new in page.anchor_aliases.items() if new in ids}
        url = page_url(page.path, config.directory_urls)
        out[url] = PublishedPage(url, page.path, page.display, locked, frozenset(ids | aliases))
    for path, anchors in generated_page_anchors(site).items():
        locked = tuple(site.glossary.terms) if path == GLOSSARY_PAGE else ()
        url = page_url(path, config.directory_urls)
        out[url] = PublishedPage(url, path, "", locked, anchors)
    return out


def published_links(pages: dict[str, PublishedPage]) -> list[str]:
    """What the lock should hold: each page URL and its locked anchors, sorted."""
    links = set()
    for page in pages.values():
        links.add(page.url)
        links.update(f"{page.url}#{anchor}" for anchor in page.locked_anchors)
    return sorted(links)


def implicit_headings(site: Site) -> list[Problem]:
    """H2/H3 headings the lock cannot record yet because they have no explicit id."""
    return [Problem(page.display, h.line, f"heading '{h.text}' has no explicit id, so it is not locked")
            for page in site.pages.values() for h in page.headings if h.level in (2, 3) and not h.explicit]


# --- the lock file --------------------------------------------------------------------------

@dataclass(frozen=True)
class LockEntry:
    url: str
    line: int


@dataclass
class Lock:
    path: Path
    display: str
    exists: bool
    header: str = LOCK_HEADER
    entries: list[LockEntry] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)

    @property
    def urls(self) -> set[str]:
        return {e.url for e in self.entries}


def read_lock(path: Path, display: str = LOCK_NAME) -> Lock:
    lock = Lock(path, display, path.exists())
    if not lock.exists:
        return lock
    header: list[str] = []
    content, unreadable = read_text(path, display)
    if unreadable:
        lock.problems.append(unreadable)
        return lock
    for number, raw in enumerate(content.split("\n"), start=1):
        text = raw.strip()
        if not text or text.startswith("#"):
            if not lock.entries and text:
                header.append(raw)
            continue
        if _LOCK_LINE_RE.match(text):
            lock.entries.append(LockEntry(text, number))
        else:
            lock.problems.append(Problem(display, number, f"'{text}' in {display} is not a URL path",
                                         "one path per line, e.g. /assessments/ or /assessments/#refuse-to-assess"))
    if header:
        lock.header = "\n".join(header) + "\n"
    return lock


def write_lock(lock: Lock, urls: Iterable[str]) -> None:
    """Rewrite the lock sorted, keeping its comment header."""
    body = "\n".join(sorted(set(urls)))
    lock.path.write_text(lock.header + body + ("\n" if body else ""), encoding="utf-8")


# --- the check -------------------------------------------------------------------------------

@dataclass
class LockReport:
    lock: Lock
    added: list[str]  # published now, not yet in the lock
    missing: list[Problem]  # in the lock, no longer reachable

    @property
    def problems(self) -> list[Problem]:
        return [*self.lock.problems, *self.missing]


def compare(site: Site, config_file: Path | None = None) -> LockReport:
    config_file = config_file or config_file_for(site)
    config = read_link_config(config_file, display_path(config_file.resolve(), site.settings.root.resolve()))
    lock = read_lock(site.settings.root / LOCK_NAME)
    pages = published_pages(site, config)
    locked = lock.urls  # a new set at each call: made once, not once per published link
    added = [url for url in published_links(pages) if url not in locked]
    missing = [p for entry in lock.entries
               if (p := check_entry(entry, lock, pages, config)) and not _held_back(site, entry.url, config)]
    return LockReport(lock, added, missing)


def _held_back(site: Site, url: str, config: LinkConfig) -> bool:
    """A law page or glossary anchor that an unreadable register or glossary file may still define, or a
    section of a guide page that could not be read:
    that file's own error is the one to fix (load_site says how many checks it held back)."""
    path, _, anchor = url.partition("#")
    if any(path == page_url(p.path, config.directory_urls) for p in site.pages.values() if not p.readable):
        return True  # a guide page that could not be read: its sections are unknown, not gone
    if path == page_url(GLOSSARY_PAGE, config.directory_urls):
        return bool(anchor) and bool(site.glossary.held_back(anchor))
    if path.startswith("/law/") and not anchor:
        ref_id = path.strip("/").split("/")[-1].removesuffix(".html")
        return bool(site.register.held_back(ref_id))
    return False


def lock_problems(site: Site, config_file: Path | None = None) -> list[Problem]:
    """Every locked link that no longer works; nothing when the project has no lock yet."""
    if not (site.settings.root / LOCK_NAME).exists():
        return []
    return compare(site, config_file).problems


def check_entry(entry: LockEntry, lock: Lock, pages: dict[str, PublishedPage], config: LinkConfig) -> Problem | None:
    url, _, anchor = entry.url.partition("#")
    page = pages.get(url)
    if page is not None:
        if not anchor or anchor in page.anchors:
            return None
        return _missing_anchor(entry, lock, page, anchor, page.display)
    target = _redirect_for(url, config)
    if target is None:
        return _missing_page(entry, lock, url, config)
    if is_external(target):
        return None  # can't see the other site's anchors; the redirect is the promise
    target_src, _, target_anchor = target.partition("#")
    new = pages.get(page_url(target_src, config.directory_urls))
    if new is None:
        return Problem(lock.display, entry.line, f"published link '{entry.url}' redirects to '{target}', which is not a page",
                       f"fix the redirect in {config.config_display} redirect_maps")
    if not anchor:
        return None
    if target_anchor:  # the redirect stub would send '/old/#a' to '/new/#b#a'
        return Problem(lock.display, entry.line, f"published link '{entry.url}' no longer exists",
                       f"the redirect goes to '{target}', which drops '#{anchor}': redirect to '{target_src}' "
                       f"and give it the id '{anchor}' or an anchor alias")
    if anchor in new.anchors:
        return None
    return _missing_anchor(entry, lock, new, anchor, "")


def _redirect_for(url: str, config: LinkConfig) -> str | None:
    for old, new in config.redirects.items():
        if page_url(old, config.directory_urls) == url:
            return new
    return None


def _missing_page(entry: LockEntry, lock: Lock, url: str, config: LinkConfig) -> Problem:
    message = f"published link '{entry.url}' no longer exists"
    if url.startswith("/law/") and url != "/law/":
        ref_id = url.strip("/").split("/")[-1].removesuffix(".html")
        return Problem(lock.display, entry.line, message,
                       f"law page short links never change: keep '{ref_id}' in law_refs/*.yml "
                       "(mark it repealed or set replaced_by rather than deleting it)")
    old = _source_guess(url, config.directory_urls)
    return Problem(lock.display, entry.line, message,
                   f"the page has moved or gone: add a redirect to {config.config_display} "
                   f"redirect_maps, e.g. '{old}: new-page.md'")


def _missing_anchor(entry: LockEntry, lock: Lock, page: PublishedPage, anchor: str, source: str) -> Problem:
    """source: the page's own file when the locked URL is still that page; '' when the link
    arrives through a redirect (the old file is gone, so the lock line is the place to point)."""
    message = f"published link '{entry.url}' no longer exists"
    if not page.display:  # a generated page: its anchors come from the register or glossary
        hint = (f"keep the id '{anchor}' in the register or glossary, "
                f"or delete the line from {lock.display} by hand to break the link on purpose")
    elif source:
        hint = f"add anchor_aliases: {{{anchor}: new-id}} to the page front matter, or a redirect in mkdocs.yml redirect_maps"
    else:
        hint = f"add anchor_aliases: {{{anchor}: new-id}} to the front matter of {page.display}"
    if source:
        return Problem(source, 1, message, hint)
    return Problem(lock.display, entry.line, message, hint)


def _source_guess(url: str, directory_urls: bool) -> str:
    path = url.strip("/")
    if not path:
        return "index.md"
    if not directory_urls:
        return path.removesuffix(".html") + ".md"
    return f"{path}.md"
