"""Authors' own Markdown links and the nav, checked the way the strict build checks them, but with lines.

MkDocs validates links while it renders (mkdocs.structure.pages._RelativePathTreeprocessor) and the
nav while it builds it, and reports neither with a line. `lawguide check` and the build's first
step (on_config, which stops a strict build before anything is written) report the same problems
here, at the line of the link or the nav entry, using the `validation:` levels of mkdocs.yml: only
what MkDocs would report as a warning (and a strict build would fail on) is a problem.

Links out of the guide are checked whatever the levels say (`unsafe_link`), autolinks (<https://...>)
and addresses in raw HTML (<a href="...">) too, for nothing else: a web link passes the one URL check,
core/weburl.py (https, a real host in plain a-z, no look-alike of an official site); mailto: and tel:
links are allowed; any other scheme (javascript:, data:, vbscript:, file:, ...) and a protocol-relative
//host link are refused.
"""

from __future__ import annotations

import fnmatch
import functools
import html
import posixpath
import re
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import unquote, urlsplit

from lawguide.content.markdown_scan import MdLink
from lawguide.content.pages import RESERVED_IDS
from lawguide.content.urls import GLOSSARY_PAGE, generated_page_anchors
from lawguide.core.problems import Problem, shorten, suggest
from lawguide.core.weburl import url_problem
from lawguide.core.yamlsrc import Node, parse_yaml, read_text

if TYPE_CHECKING:
    from collections.abc import Callable

    from lawguide.content.site import Site

# MkDocs 1.6 defaults (mkdocs.config.defaults.MkDocsConfig.validation)
DEFAULTS = {
    "nav": {"omitted_files": "info", "not_found": "warn", "absolute_links": "info"},
    "links": {"not_found": "warn", "anchors": "info", "absolute_links": "info", "unrecognized_links": "info"},
}


@dataclass(frozen=True)
class Validation:
    nav: dict[str, str]
    links: dict[str, str]


def read_validation(config: dict) -> Validation:
    raw = config.get("validation") if isinstance(config.get("validation"), dict) else {}
    levels = {kind: dict(values) for kind, values in DEFAULTS.items()}
    for key, value in raw.items():
        if key in ("nav", "links") and isinstance(value, dict):
            levels[key].update({k: str(v) for k, v in value.items()})
        elif isinstance(value, str):
            for kind in levels.values():
                if key in kind:
                    kind[key] = value
    return Validation(levels["nav"], levels["links"])


def link_problems(site: Site, config_file: Path) -> list[Problem]:
    """Broken links in guide pages and nav problems, at their lines; [] if mkdocs.yml cannot be read
    (the settings loader reports that). Each page's links and HTML ids were found when it was loaded
    (content.markdown_scan.scan_page), so no page is read twice."""
    display = config_file.name
    text, problem = read_text(config_file, display)
    if problem:
        return []
    node, _ = parse_yaml(text, display)
    if node is None or not isinstance(node.value, dict):
        return []
    config = node.plain()
    validation = read_validation(config)
    docs_dir = site.settings.docs_dir
    generated = generated_page_anchors(site)
    anchors: dict[str, set[str]] = {path: set(ids) for path, ids in generated.items()}
    anchors[GLOSSARY_PAGE] = anchors.get(GLOSSARY_PAGE, set()) | {f"letter-{c}" for c in "abcdefghijklmnopqrstuvwxyz"}
    page_links: dict[str, list[MdLink]] = {}
    unread = {page.path: page for page in site.pages.values() if not page.readable}
    held: dict[str, int] = {}  # unreadable page -> links to it not checked (its own problem is the cause)
    for page in site.pages.values():
        if not page.readable:
            continue  # its own problem says why
        page_links[page.path] = page.links  # found while the page was loaded: each page is read once
        aliases = set(page.anchor_aliases)
        anchors[page.path] = {h.id for h in page.headings} | page.html_ids | aliases | set(RESERVED_IDS)
    problems: list[Problem] = []
    # A link's answer depends on its text and the folder of the page it is on (or, for a link within the
    # page, the page): pages of one folder repeat the same links, which are checked once.
    answers: dict[tuple[str, str], tuple[str, str] | None] = {}
    directory_urls = site.settings.use_directory_urls
    for path, links in sorted(page_links.items()):
        page = site.pages[path]
        folder = posixpath.dirname(path)
        for link in links:
            if link.raw:  # an autolink or raw HTML: published as written, so only its safety is checked
                unsafe = unsafe_link(link.target)
                if unsafe:
                    problems.append(Problem(page.display, link.line, *unsafe))
                continue
            target = _page_target(link.target, path) if unread else ""
            if target in unread:
                held[target] = held.get(target, 0) + 1
                continue
            key = (link.target, folder if _leaves_page(link.target) else path)
            if key in answers:
                found = answers[key]
            else:
                found = answers[key] = _check_link(link, path, anchors, docs_dir, validation, directory_urls)
            if found:
                problems.append(Problem(page.display, link.line, *found))
    problems += _nav_problems(node, display, site, anchors, validation)
    for target, count in sorted(held.items()):
        cause = unread[target].problems[0]
        problems.append(Problem(cause.path, cause.line, f"not checked: {count} link{'s' if count != 1 else ''} "
                                "to this page from other pages", "fix the problem above first; they are checked again then",
                                root=True))
    return problems


def _leaves_page(url: str) -> bool:
    """Whether a link's answer cannot depend on the page it is on beyond its folder: it does not start
    with a fragment, a query or anything a URL parser strips first (a space, a control character)."""
    return url[:1] > " " and url[0] not in "#?"


def _page_target(url: str, src: str) -> str:
    """The docs/ path a relative link points at ('' for a web address, an absolute or a same-page link)."""
    parts = urlsplit(url)
    if parts.scheme or parts.netloc or url.startswith(("/", "\\")) or not parts.path:
        return ""
    return posixpath.normpath(posixpath.join(posixpath.dirname(src), unquote(parts.path))).lstrip("/")


def _level(validation: dict[str, str], key: str) -> bool:
    return validation.get(key, "info") == "warn"


SAFE_SCHEMES = ("mailto", "tel")  # links out of the guide that are not web pages
_SCHEME = re.compile(r"^\s*([A-Za-z][A-Za-z0-9+.-]*)\s*:")


@functools.lru_cache(maxsize=65536)  # a guide repeats its links on many pages; the answer depends on the text alone
def unsafe_link(url: str) -> tuple[str, str] | None:
    """(problem, fix) for a link the guide must not publish, or None for a relative link, a
    #fragment, mailto:, tel: or a web address that passes core/weburl.py."""
    shown = shorten(url)
    # As a browser reads the href Python-Markdown writes: character references decoded ('jav&#x61;script:'),
    # tabs and line breaks dropped, leading spaces and control characters ignored.
    url = re.sub(r"[\t\n\r]", "", html.unescape(url)).lstrip("".join(map(chr, range(33))))
    scheme = _SCHEME.match(url)
    name = scheme.group(1).lower() if scheme else ""
    if name in SAFE_SCHEMES:
        return None
    if url.lstrip().startswith(("//", "\\\\", "/\\", "\\/")):
        return (f"link '{shown}' is protocol-relative (//host): it leaves the guide without saying how",
                "write the full https:// address")
    if name in ("http", "https"):
        problem = url_problem(url)
        if problem == "is not https":
            return (f"link '{shown}' is plain http://", "use the https:// address (official sites all have one)")
        return (f"link '{shown}' {problem}", "link the official https:// address") if problem else None
    if name and not re.fullmatch(r"[a-z]", name):  # 'c:' would be a Windows path: a file in docs/, below
        return (f"link '{shown}' is a {name}: link, which the guide never publishes",
                "link a page of the guide, an https:// address, mailto: or tel:")
    return None


def _check_link(link: MdLink, src: str, anchors: dict[str, set[str]], docs_dir: Path, validation: Validation,
                directory_urls: bool) -> tuple[str, str] | None:
    url = link.target
    unsafe = unsafe_link(url)
    if unsafe:
        return unsafe
    parts = urlsplit(url)
    if parts.scheme or parts.netloc:
        return None
    if url.startswith(("/", "\\")):
        if _level(validation.links, "absolute_links"):
            return (f"absolute link '{url}'", "link relative to this page, e.g. ../page.md, so it works wherever the site is served")
        return None
    path, anchor = unquote(parts.path), parts.fragment
    if not path:
        if anchor and anchor not in anchors.get(src, set()) and _level(validation.links, "anchors"):
            return (f"link '{url}' points to '#{anchor}', which is not a section of this page",
                    suggest(anchor, anchors.get(src, set())) or "use the {#id} of a heading on this page")
        return None
    target = posixpath.normpath(posixpath.join(posixpath.dirname(src), path)).lstrip("/")
    if target in anchors:  # a Markdown page, written or generated
        if anchor and anchor not in anchors[target] and _level(validation.links, "anchors"):
            return (f"link '{url}': '{target}' has no section '#{anchor}'",
                    suggest(anchor, anchors[target]) or f"use the {{#id}} of a heading in {target}")
        return None
    if not target.startswith("../") and (docs_dir / target).is_file() and not target.endswith(".md"):
        return None  # an image or other file in docs/
    if not posixpath.splitext(path)[1]:
        if _level(validation.links, "unrecognized_links"):
            guess = _guess(target, anchors, directory_urls)
            return (f"link '{url}' is not a page or file in docs/",
                    f"link to the Markdown file, e.g. '{guess}'" if guess else "link to the Markdown file (.md)")
        return None
    if _level(validation.links, "not_found"):
        return (f"link '{url}': '{target}' is not a page or file in docs/",
                suggest(target, anchors) or "check the file name and the ../ steps")
    return None


def _guess(target: str, pages: dict[str, set[str]], directory_urls: bool) -> str:
    for candidate in (f"{target}/index.md", f"{target}.md", target.removesuffix(".html") + ".md"):
        if candidate.strip("/") in pages:
            return candidate.strip("/")
    return ""


def _nav_problems(config: Node, display: str, site: Site, anchors: dict[str, set[str]],
                  validation: Validation) -> list[Problem]:
    nav = config.get("nav")
    if nav is None or nav.value is None:
        return []  # no nav: MkDocs lists every page itself
    listed: set[str] = set()
    problems: list[Problem] = []
    for entry in _nav_entries(nav):
        target = entry.value
        if urlsplit(target).scheme or urlsplit(target).netloc:
            continue
        if target.startswith("/"):
            if _level(validation.nav, "absolute_links"):
                problems.append(Problem(display, entry.line, f"nav entry '{target}' is an absolute link",
                                        "name the Markdown file relative to docs/"))
            continue
        path = posixpath.normpath(target)
        listed.add(path)
        if path not in anchors and not (site.settings.docs_dir / path).is_file() and _level(validation.nav, "not_found"):
            problems.append(Problem(display, entry.line, f"nav entry '{target}' is not a page in docs/",
                                    suggest(path, site.pages) or "check the file name, relative to docs/"))
    if _level(validation.nav, "omitted_files"):
        patterns = _not_in_nav(config)
        for path, page in sorted(site.pages.items()):
            if path not in listed and not any(_matches(path, p) for p in patterns):
                problems.append(Problem(page.display, 1, f"page is not in the nav of {display}",
                                        f"add it under nav: in {display}, or to not_in_nav if it is meant to be hidden"))
    return problems


def _nav_entries(node: Node) -> list[Node]:
    """Every page path in the nav, as nodes with lines; iterative."""
    out, stack = [], [node]
    while stack:
        current = stack.pop()
        if isinstance(current.value, str):
            out.append(current)
        elif isinstance(current.value, list):
            stack.extend(reversed(current.value))
        elif isinstance(current.value, dict):
            stack.extend(reversed(list(current.value.values())))
    return out


def _not_in_nav(config: Node) -> list[str]:
    value = config.get("not_in_nav")
    if value is None or not isinstance(value.value, str):
        return []
    return [line.strip() for line in value.value.splitlines() if line.strip() and not line.strip().startswith("#")]


def _matches(path: str, pattern: str) -> bool:
    """A small subset of gitignore patterns, as MkDocs' not_in_nav reads them: fnmatch on the path (or, for
    the second test of a relative pattern, its file name), each test's pattern compiled once."""
    return any(match(posixpath.basename(path) if on_name else path) for match, on_name in _pattern_tests(pattern))


@functools.lru_cache(maxsize=256)
def _pattern_tests(pattern: str) -> tuple[tuple[Callable[[str], re.Match | None], bool], ...]:
    """(fnmatch's test for one pattern, whether it reads the file name alone) for each way _matches tries a
    not_in_nav pattern, in order. fnmatch.fnmatch is this match (paths are posix: no case folding), made
    again at each call; the guide asks for every page not in the nav."""
    def test(glob: str) -> Callable[[str], re.Match | None]:
        return re.compile(fnmatch.translate(glob)).match

    if pattern.startswith("/"):
        return (test(pattern.lstrip("/")), False), (test(pattern.lstrip("/").rstrip("/") + "/*"), False)
    return ((test(pattern), False), (test(pattern), True), (test(f"*/{pattern}"), False),
            (test(pattern.rstrip("/") + "/*"), False))
