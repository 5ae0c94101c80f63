"""Internal links and anchors of a built site, checked from its HTML files alone.

No server and no browser: every .html file is parsed once (html.parser) for the ids it offers
and the links it makes; each relative or root-relative link is resolved against the file's own
URL (so directory URLs and `use_directory_urls: false` both work), and must reach a file in the
built folder, and its #fragment an id (or <a name>) in that file. External schemes are skipped:
they need the network, which publishing must not depend on.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

from lawguide.core.problems import Problem

# Elements whose attribute makes the browser fetch or navigate to another file.
LINK_ATTRS = {
    "a": "href", "area": "href", "link": "href", "script": "src", "img": "src", "iframe": "src",
    "source": "src", "video": "src", "audio": "src", "track": "src", "embed": "src",
}


@dataclass
class HtmlFile:
    ids: set[str] = field(default_factory=set)
    links: list[tuple[str, int]] = field(default_factory=list)  # (attribute value, line)


class _Collector(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.file = HtmlFile()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if values.get("id"):
            self.file.ids.add(values["id"] or "")
        if tag == "a" and values.get("name"):
            self.file.ids.add(values["name"] or "")
        attr = LINK_ATTRS.get(tag)
        target = values.get(attr) if attr else None
        if target is not None:
            self.file.links.append((target, self.getpos()[0]))

    handle_startendtag = handle_starttag


def parse_html(text: str) -> HtmlFile:
    collector = _Collector()
    collector.feed(text)
    collector.close()
    return collector.file


def is_external(href: str) -> bool:
    """http:, mailto:, data:, javascript:, //host/... : anything with a scheme or a host."""
    parts = urlsplit(href)
    return bool(parts.scheme or parts.netloc)


def check_built_site(site_dir: Path, site_url: str = "") -> list[Problem]:
    """Every broken internal link or anchor in site_dir, as 'file.html:line: ...' problems.

    Links starting with site_url (e.g. canonical links once LAWGUIDE_SITE_URL is set) are
    checked as internal links too."""
    site_dir = Path(site_dir)
    files = _all_files(site_dir)
    parsed = {rel: parse_html((site_dir / rel).read_text(encoding="utf-8", errors="replace"))
              for rel in sorted(files) if rel.endswith(".html")}
    base_path = urlsplit(site_url).path if site_url else ""
    problems: list[Problem] = []
    for rel, doc in parsed.items():
        for href, line in doc.links:
            problem = _check_link(rel, href, line, files, parsed, site_url, base_path)
            if problem:
                problems.append(problem)
    return problems


def _all_files(site_dir: Path) -> set[str]:
    out = set()
    for folder, _dirs, names in os.walk(site_dir):
        rel_folder = Path(folder).relative_to(site_dir).as_posix()
        prefix = "" if rel_folder == "." else rel_folder + "/"
        out.update(prefix + name for name in names)
    return out


def _check_link(rel: str, href: str, line: int, files: set[str], parsed: dict[str, HtmlFile],
                site_url: str, base_path: str) -> Problem | None:
    original = href = href.strip()
    if site_url and href.startswith(site_url):
        href = "/" + href[len(site_url):].lstrip("/")
    elif is_external(href):
        return None
    if href.startswith("/") and base_path and href.startswith(base_path):
        href = "/" + href[len(base_path):].lstrip("/")
    resolved = urlsplit(urljoin("/" + rel, href))
    target = _target_file(unquote(resolved.path), files)
    if target is None:
        return Problem(rel, line, f"broken link '{original}': nothing is published at {resolved.path}",
                       "fix the link in the page's source, or add a redirect")
    fragment = unquote(resolved.fragment)
    if not fragment or not target.endswith(".html"):
        return None
    if fragment not in parsed[target].ids:
        return Problem(rel, line, f"broken link '{original}': {target} has no id '{fragment}'",
                       "fix the anchor, or give the heading that id or an anchor alias")
    return None


def _target_file(path: str, files: set[str]) -> str | None:
    """The built file a URL path serves, the way a static host maps it (directory -> index.html)."""
    rel = path.lstrip("/")
    if rel in files:
        return rel
    index = (rel.rstrip("/") + "/index.html").lstrip("/")
    if index in files:
        return index
    return None
