"""Dated editions of the whole guide, kept by `lawguide publish` (see tools/publish.py).

Every publish keeps a copy of the site it publishes as an edition, stored next to DEST:

    DEST.editions/2026-11-22/      the guide as published on 22 November 2026 (never rewritten)
    DEST.editions/2026-11-29/      the next one (a second publish on one day: 2026-11-29-2)

Each release serves every edition under /editions/NAME/ (hard links into the store, so they cost
no space), with /editions/ listing them newest first and /editions/versions.json in the shape
`mike` writes. An edition is the built site with, on every page, `noindex`, a banner ("This is the
guide as it stood on DATE. The law may have changed since.") linking to the same page of the current
guide, and its own /editions/ page, sitemap and search left out. Files an edition shares with the
edition before (or with its own release) are hard links: only changed files cost space.
"""

from __future__ import annotations

import datetime as dt
import filecmp
import json
import os
import re
import shutil
from dataclasses import dataclass
from html import escape
from pathlib import Path

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
    files: int = 0
    new_bytes: int = 0  # bytes this edition adds to the editions store
    shared_bytes: int = 0  # bytes shared (hard links) with the edition before


def make_edition(site_dir: Path, target: Path, edition: Edition, before: Path | None) -> SnapshotSize:
    """Copy the built site into `target` as an edition. Unchanged files are hard links to the same
    file of the edition `before` (or to the built site's own file). Files are made read-only."""
    size = SnapshotSize()
    target.mkdir(parents=True)
    for source in sorted(site_dir.rglob("*")):
        rel = source.relative_to(site_dir)
        if rel.parts[0] in LEFT_OUT or source.is_symlink():
            continue
        out = target / rel
        if source.is_dir():
            out.mkdir(exist_ok=True)
            continue
        out.parent.mkdir(parents=True, exist_ok=True)
        if source.suffix == ".html":
            data = edition_page(source.read_text(encoding="utf-8", errors="replace"), rel.as_posix(), edition)
            out.write_text(data, encoding="utf-8")
        else:
            os.link(source, out)
        size.files += 1
        old = before / rel if before else None
        if old is not None and old.is_file() and filecmp.cmp(old, out, shallow=False):
            out.unlink()
            os.link(old, out)
            size.shared_bytes += old.stat().st_size
        else:
            size.new_bytes += out.stat().st_size
    for file in target.rglob("*"):
        if file.is_file():
            file.chmod(0o444)
    return size


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
