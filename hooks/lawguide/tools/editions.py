"""Dated editions of the whole guide, kept by `lawguide publish` (see tools/publish.py).

Every publish keeps a copy of the site it publishes as an edition, stored next to DEST:

    DEST.editions/2026-11-22/      the guide as published on 22 November 2026 (never rewritten)
    DEST.editions/2026-11-29/      the next one (a second publish on one day: 2026-11-29-2)

Each release serves every edition under /editions/NAME/ (hard links into the store, so they cost
no space), with /editions/ listing them newest first and /editions/versions.json in the shape
`mike` writes. An edition is the built site with, on every page, `noindex`, a banner ("This is the
guide as it stood on DATE. The law may have changed since.") linking to the same page of the current
guide, and its own /editions/ page and sitemap left out.

An edition stores only what changed since the edition before (a static host serves plain files, so
hard links would not save anything there):
- a page whose content (its title and main <article>, the banner and the editions link left out;
  navigation changes touch every page's HTML, so the whole file is the wrong thing to compare) is
  unchanged is a tiny redirect page to the same page in the edition that holds it in full;
- any other file byte-identical to the edition before is not stored: the full pages of the edition
  point at it in the edition that holds it (their relative URLs are rewritten when the edition is made);
- `edition.json` (not a dotfile: Pages artifacts drop those) records, for every file, which edition
  holds it in full and a digest of its content, so the next edition compares against it and every
  redirect goes straight to the edition holding the content, never through a chain.
Old editions are never rewritten; an edition made before this scheme is simply one that holds
everything in full.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import posixpath
import re
import shutil
from dataclasses import dataclass
from html import escape
from pathlib import Path
from urllib.parse import urljoin, urlsplit

from lawguide.content.urls import EDITIONS_DIR, VERSIONS_JSON
from lawguide.render.editions import Edition, is_edition_name, sort_editions

NEW_PREFIX = ".new-"  # an edition being made; committed by renaming it to its name
# Left out of an edition: its own editions page (the current one lists every edition), the sitemap
# (editions are noindex) and Material's search index (old editions stay out of search).
LEFT_OUT = (EDITIONS_DIR, "sitemap.xml", "sitemap.xml.gz")
BANNER_CLASS = "lg-edition-banner"
_ARTICLE = re.compile(r'(<article class="md-content__inner md-typeset">)')
_BODY = re.compile(r"(<body[^>]*>)", re.IGNORECASE)
_HEAD = re.compile(r"(<head(?:\s[^>]*)?>)", re.IGNORECASE)
_ROBOTS = re.compile(r'<meta name="robots"[^>]*>\s*', re.IGNORECASE)
_EDITIONS_LINK = re.compile(r'<a class="lg-editions-link" href="[^"]*">')


def editions(store: Path) -> list[Edition]:
    """The committed editions in a store, oldest first."""
    if not store.is_dir():
        return []
    return sort_editions([Edition(p.name) for p in store.iterdir()
                          if is_edition_name(p.name) and p.is_dir() and not p.is_symlink()])


def next_edition(store: Path, today: dt.date) -> Edition:
    """Today's edition name; a second publish on one day gets -2, then -3: an edition is never rewritten."""
    taken = {e.name for e in editions(store)}
    name, n = today.isoformat(), 1
    while name in taken:
        n += 1
        name = f"{today.isoformat()}-{n}"
    return Edition(name)


# --- making an edition ----------------------------------------------------------------------

@dataclass
class SnapshotSize:
    files: int = 0  # files of the built site the edition serves
    new_bytes: int = 0  # bytes this edition adds to the editions store (stubs included)
    shared_bytes: int = 0  # bytes of files held by an earlier edition and not stored again
    stubs: int = 0  # unchanged pages written as redirects to the edition holding them


MANIFEST = "edition.json"  # per edition: {"edition": NAME, "files": {rel: {"held": NAME, "key": sha256}}}
# Fetched by Material's script from the page's own base URL (not from a link that can be rewritten),
# so stored in every edition: the search index. (Material's lunr language files are fetched the same
# way, but only when a search language other than English is configured.)
ALWAYS_STORED = ("search/",)
# Files that find each other by relative URLs inside scripts, which cannot be rewritten: Material's search
# worker loads lunr's language files from "../lunr/" beside itself. If one of a group is stored, all are.
STORED_TOGETHER = (("assets/javascripts/workers/", "assets/javascripts/lunr/"),)
_TITLE = re.compile(r"<title>(.*?)</title>", re.IGNORECASE | re.DOTALL)
_ARTICLE_BODY = re.compile(r'<article class="md-content__inner md-typeset">(.*?)</article>', re.DOTALL)
_BANNER = re.compile(rf'<div class="admonition warning {BANNER_CLASS}" role="note"><p>.*?</p></div>', re.DOTALL)
_CSP = re.compile(r'<meta http-equiv="Content-Security-Policy"[^>]*>', re.IGNORECASE)
_LANG = re.compile(r'<html[^>]*\slang="([^"]*)"', re.IGNORECASE)
_URL_ATTR = re.compile(r'(\s(?:href|src)=")([^"]*)(")')
_WORKER = re.compile(r'("search": ")([^"]*)(")')  # Material's __config: the search worker script


def content_key(rel: str, data: bytes) -> str | None:
    """What must match for a file to count as unchanged: a page's title and main article (the edition
    banner and editions link normalised out, so a built page and its edition page match), any other
    file's bytes. None: a page without the main article (a redirect, the 404 page), always stored."""
    if rel.endswith(".html"):
        html = data.decode("utf-8", errors="replace")
        article, title = _ARTICLE_BODY.search(html), _TITLE.search(html)
        if article is None:
            return None
        body = _EDITIONS_LINK.sub('<a class="lg-editions-link">', _BANNER.sub("", article.group(1)))
        data = f"{title.group(1) if title else ''}\0{body}".encode()
    return hashlib.sha256(data).hexdigest()


def read_manifest(edition_dir: Path) -> dict[str, dict[str, str]]:
    """rel -> {"held": edition holding the file in full, "key": content_key}. An edition made before
    manifests existed holds every file itself: its keys are computed from its files."""
    manifest = edition_dir / MANIFEST
    if manifest.is_file():
        return json.loads(manifest.read_text(encoding="utf-8"))["files"]
    files: dict[str, dict[str, str]] = {}
    for file in sorted(edition_dir.rglob("*")):
        if file.is_file() and not file.is_symlink():
            rel = file.relative_to(edition_dir).as_posix()
            key = content_key(rel, file.read_bytes())
            if key is not None:
                files[rel] = {"held": edition_dir.name, "key": key}
    return files


def make_edition(site_dir: Path, target: Path, edition: Edition, before: Path | None) -> SnapshotSize:
    """Write the built site into `target` as an edition, storing only what changed since the edition
    `before`: unchanged pages become redirect pages, unchanged other files are not stored and the
    pages point at them where they are held. Files are made read-only."""
    size = SnapshotSize()
    previous = read_manifest(before) if before is not None and before.is_dir() else {}
    sources = {p.relative_to(site_dir).as_posix(): p for p in sorted(site_dir.rglob("*"))
               if p.is_file() and not p.is_symlink() and p.relative_to(site_dir).parts[0] not in LEFT_OUT}
    files: dict[str, dict[str, str]] = {}
    for rel, source in sources.items():
        key = content_key(rel, source.read_bytes())
        old = previous.get(rel)
        # The holder must still be there: an edition deleted by hand is never pointed at again.
        unchanged = (key is not None and old is not None and old["key"] == key and not rel.startswith(ALWAYS_STORED)
                     and before is not None and (before.parent / old["held"] / rel).is_file())
        files[rel] = {"held": old["held"] if unchanged and old else edition.name, "key": key or ""}
    for group in STORED_TOGETHER:
        members = [rel for rel in files if rel.startswith(group)]
        if any(files[rel]["held"] == edition.name for rel in members):
            for rel in members:
                files[rel]["held"] = edition.name
    target.mkdir(parents=True)
    for rel, source in sources.items():
        held, out = files[rel]["held"], target / rel
        size.files += 1
        if held != edition.name and not rel.endswith(".html"):
            size.shared_bytes += source.stat().st_size
            continue
        out.parent.mkdir(parents=True, exist_ok=True)
        html = source.read_text(encoding="utf-8", errors="replace") if rel.endswith(".html") else None
        if html is not None and held != edition.name:
            out.write_text(stub_page(html, rel, edition, Edition(held)), encoding="utf-8")
            size.stubs += 1
            size.shared_bytes += source.stat().st_size
        elif html is not None:
            out.write_text(point_at_holders(edition_page(html, rel, edition), rel, edition, files), encoding="utf-8")
        else:
            os.link(source, out)
        size.new_bytes += out.stat().st_size
    manifest = target / MANIFEST
    manifest.write_text(json.dumps({"edition": edition.name, "files": files}, indent=0, sort_keys=True) + "\n",
                        encoding="utf-8")
    size.new_bytes += manifest.stat().st_size
    for file in target.rglob("*"):
        if file.is_file():
            file.chmod(0o444)
    return size


def point_at_holders(html: str, rel: str, edition: Edition, files: dict[str, dict[str, str]]) -> str:
    """Rewrite each relative URL of an edition page that reaches a file of its own edition held by an
    earlier one, so it points there directly (assets, and pages with their #section)."""
    here = f"/{EDITIONS_DIR}/{edition.name}/"
    up = "../" * (rel.count("/") + 1)  # from the page's folder to /editions/

    def held_at(url: str) -> str | None:
        if not url or url.startswith(("#", "/")) or urlsplit(url).scheme or urlsplit(url).netloc:
            return None
        parts = urlsplit(urljoin(here + rel, url))
        path = posixpath.normpath(parts.path) + ("/" if parts.path.endswith("/") else "")
        if not path.startswith(here):
            return None
        sub = path[len(here):]
        entry = files.get(sub) or files.get(posixpath.join(sub, "index.html"))
        if entry is None or entry["held"] == edition.name:
            return None
        return (f"{up}{entry['held']}/{sub}" + (f"?{parts.query}" if parts.query else "")
                + (f"#{parts.fragment}" if parts.fragment else ""))

    def rewrite(m: re.Match[str]) -> str:
        new = held_at(m.group(2).replace("&amp;", "&"))
        return m.group(1) + escape(new) + m.group(3) if new is not None else m.group(0)

    return _WORKER.sub(rewrite, _URL_ATTR.sub(rewrite, html))


def stub_page(html: str, rel: str, edition: Edition, held: Edition) -> str:
    """A page unchanged since the edition `held`: a redirect to it there, with no script, saying why."""
    target = "../" * (rel.count("/") + 1) + held.name + "/" + rel.removesuffix("index.html")
    title = _TITLE.search(html)
    csp = _CSP.search(html)
    lang = _LANG.search(html)
    return (f'<!doctype html>\n<html lang="{escape(lang.group(1) if lang else "en")}">\n<head>\n'
            '<meta charset="utf-8">\n'
            + (csp.group(0) + "\n" if csp else "")
            + '<meta name="robots" content="noindex">\n'
            '<meta name="viewport" content="width=device-width,initial-scale=1">\n'
            f'<title>{title.group(1).strip() if title else "Page"}</title>\n'
            f'<link rel="canonical" href="{escape(target)}">\n'
            f'<meta http-equiv="refresh" content="0; url={escape(target)}">\n'
            '</head>\n<body>\n<main>\n'
            f'<p>This page did not change between {escape(held.title)} and {escape(edition.title)}; '
            f'opening it as published on {escape(held.title)}.</p>\n'
            f'<p><a href="{escape(target)}">Open the page as published on {escape(held.title)}</a></p>\n'
            '</main>\n</body>\n</html>\n')


def edition_page(html: str, rel: str, edition: Edition) -> str:
    """One built page as an edition page: noindex, the banner, and links back to the current guide."""
    up = "../" * (rel.count("/") + 2)  # from /editions/NAME/<rel> to the site root
    page = rel.removesuffix("index.html")
    html = _ROBOTS.sub("", html)
    html = _HEAD.sub(lambda m: m.group(1) + '\n<meta name="robots" content="noindex">', html, count=1)
    banner = (f'<div class="admonition warning {BANNER_CLASS}" role="note"><p>This is the guide as it stood on '
              f"{escape(edition.title)}. The law may have changed since. "
              f'<a href="{escape(up + page)}">See the current version of this page</a>.</p></div>')
    if _ARTICLE.search(html):
        html = _ARTICLE.sub(lambda m: m.group(1) + banner, html, count=1)
    else:
        html = _BODY.sub(lambda m: m.group(1) + banner, html, count=1)
    link = f'<a class="lg-editions-link" href="{escape(up + EDITIONS_DIR + "/?page=" + page)}">'
    return _EDITIONS_LINK.sub(lambda m: link, html)


# --- serving editions from a release --------------------------------------------------------

def link_editions(site_dir: Path, sources: dict[str, Path]) -> None:
    """Serve each edition folder at site_dir/editions/NAME/ through hard links (no bytes copied)."""
    root = site_dir / EDITIONS_DIR
    for name, source in sources.items():
        out = root / name
        if out.exists():
            shutil.rmtree(out)
        shutil.copytree(source, out, copy_function=os.link)


def versions_json(names: list[str]) -> str:
    """The editions in the shape `mike` writes (Material's version selector reads it), newest first;
    the newest carries the alias "latest"."""
    rows = [{"version": name, "title": Edition(name).title, "aliases": []} for name in reversed(names)]
    if rows:
        rows[0]["aliases"] = ["latest"]
    return json.dumps(rows, indent=2, ensure_ascii=False) + "\n"


def write_versions(site_dir: Path, names: list[str]) -> None:
    out = site_dir / VERSIONS_JSON
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(versions_json(names), encoding="utf-8")


def tree_bytes(folder: Path) -> int:
    """Bytes on disk of a folder, counting each hard-linked file once."""
    seen: set[tuple[int, int]] = set()
    total = 0
    for file in folder.rglob("*"):
        if file.is_file() and not file.is_symlink():
            st = file.stat()
            if (st.st_dev, st.st_ino) not in seen:
                seen.add((st.st_dev, st.st_ino))
                total += st.st_size
    return total
