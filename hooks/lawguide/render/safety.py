"""The one safety pass every engine's adapter calls: text is data in the theme, and every page
carries the security policy. An adapter that skips it fails its own build (`unsafe_pages`, run by
tools/engine.py after every build), and tests/browser/test_payloads.py attacks every engine.

1. Front matter as the templates see it. Material (MkDocs, ProperDocs) and Zensical print
   `page.meta.title` and `page.meta.description` (and the page title, which comes from them) without
   escaping, in <title>, the header, the menu and a meta attribute. Law pages take their title and
   description from register text (cite, summary), guide pages from their front matter. Before any
   template runs, those values become escaped markup: `escape_page_meta` on the MkDocs page.meta (a
   template that escapes, `| e`, then does not escape them twice), `escape_front_matter` on the
   Markdown files an engine reads its front matter from itself (Zensical).
2. Every built page gets a Content-Security-Policy <meta> that allows scripts only from the site
   itself plus the exact inline scripts the theme wrote into that page (their SHA-256 hashes, computed
   from the page as built, so they never go out of step with the theme), and a same-origin referrer
   policy: `secure_page` per page as it is written (MkDocs), or `secure_site` over the built folder.
   Scripts inside the page body (rendered from Markdown) are never allowed.
"""

from __future__ import annotations

import base64
import functools
import hashlib
import re
from collections.abc import Iterator, MutableMapping
from pathlib import Path

import yaml
from markupsafe import Markup, escape

# Front matter values Material prints as text. `template` names a file and is left alone.
TEXT_META = ("title", "description", "status", "subtitle")

# The body is everything up to the first </script>; written as runs of non-"<" characters (one C loop)
# rather than a lazy .*? (a step per character): the same match, several times faster.
_INLINE_SCRIPT = re.compile(r"<script(?P<attrs>(?:\s[^>]*)?)>(?P<body>[^<]*(?:<(?!/script\s*>)[^<]*)*)</script\s*>",
                            re.IGNORECASE)
_SCRIPT_START = re.compile(r"<script", re.IGNORECASE)  # where an _INLINE_SCRIPT match can start
_SRC_ATTR = re.compile(r"\bsrc\s*=")
_TYPE_ATTR = re.compile(r"\btype\s*=\s*[\"']?([^\"'\s>]+)")
_CHARSET = re.compile(r"<meta\s+charset=[^>]*>", re.IGNORECASE)
_HEAD = re.compile(r"<head(\s[^>]*)?>", re.IGNORECASE)
# Script types the browser does not run (Material's JSON configuration): not subject to the policy.
_DATA_TYPES = ("application/json", "application/ld+json", "text/template")
REFERRER = '<meta name="referrer" content="same-origin">'


_FRONT_MATTER = re.compile(r"\A(\ufeff?---[ \t]*\r?\n)(.*?\r?\n)?(---[ \t]*(?:\r?\n|\Z))", re.S)
_ARTICLE = re.compile(r"<article\b[^>]*>(.*)</article>", re.S | re.IGNORECASE)
POLICY_MARK = 'http-equiv="Content-Security-Policy"'


def _text(value: str) -> Markup:
    # & < > and " escaped; an apostrophe stays as typed (every attribute in the templates is double-quoted)
    return Markup(str(escape(value)).replace("&#39;", "'"))


def escape_page_meta(meta: MutableMapping[str, object]) -> None:
    """Make text values of front matter safe to print as HTML, in place (idempotent)."""
    for key in TEXT_META:
        value = meta.get(key)
        if isinstance(value, str) and not isinstance(value, Markup):
            meta[key] = _text(value)


def escape_front_matter(markdown: str) -> str:
    """A Markdown file whose front matter's text values (TEXT_META) are escaped HTML, for an engine
    that reads front matter itself and prints it unescaped (Zensical). Not idempotent: once per file.
    A file without front matter, or with front matter that is not a mapping, is returned as it is
    (lawguide check has reported it)."""
    match = _FRONT_MATTER.match(markdown)
    if not match:
        return markdown
    try:
        meta = yaml.safe_load(match.group(2) or "")
    except yaml.YAMLError:
        return markdown
    if not isinstance(meta, dict) or not any(isinstance(meta.get(k), str) for k in TEXT_META):
        return markdown
    for key in TEXT_META:
        if isinstance(meta.get(key), str):
            meta[key] = str(_text(meta[key]))
    front = yaml.safe_dump(meta, sort_keys=False, allow_unicode=True, width=1_000_000)
    return "---\n" + front + "---\n" + markdown[match.end():]


def inline_script_hashes(html: str, content: str = "") -> list[str]:
    """CSP source expressions ('sha256-...') for the inline scripts the theme wrote into the page.
    Scripts inside `content` (the page's own body, rendered from Markdown) are never allowed: a
    script there is either an author's mistake or text that escaped its escaping."""
    # Only a script that starts inside the body is left out: no need to find the body when it has none.
    start = html.find(content) if content and _SCRIPT_START.search(content) else -1
    body_span = range(start, start + len(content)) if start >= 0 else range(0)
    hashes = []
    for match in _inline_scripts(html):
        if match.start() in body_span:
            continue
        attrs = match.group("attrs").lower()
        if _SRC_ATTR.search(attrs):
            continue
        kind = _TYPE_ATTR.search(attrs)
        if kind and kind.group(1) in _DATA_TYPES:
            continue
        hashes.append(_script_hash(match.group("body")))
    return list(dict.fromkeys(hashes))


def _inline_scripts(html: str) -> Iterator[re.Match]:
    """_INLINE_SCRIPT.finditer(html), found faster: a page has a handful of scripts in 40 KB of
    HTML, and a plain search for "<script" in its lower-case copy skips to each one."""
    lower = html.lower()
    if len(lower) != len(html):  # a character whose lower case is longer would shift every position
        yield from _INLINE_SCRIPT.finditer(html)
        return
    pos = lower.find("<script")
    while pos >= 0:
        match = _INLINE_SCRIPT.match(html, pos)
        if match:
            yield match
        pos = lower.find("<script", match.end() if match else pos + 1)


@functools.lru_cache(maxsize=256)
def _script_hash(body: str) -> str:
    """Every page carries the same few theme scripts."""
    return f"'sha256-{base64.b64encode(hashlib.sha256(body.encode('utf-8')).digest()).decode('ascii')}'"


def content_security_policy(html: str, content: str = "") -> str:
    scripts = " ".join(["'self'", *inline_script_hashes(html, content)])
    return "; ".join([
        "default-src 'self'",
        f"script-src {scripts}",
        # Material sets a few style attributes in its HTML; styles cannot run script.
        "style-src 'self' 'unsafe-inline'",
        "img-src 'self' data:",
        "font-src 'self' data:",
        "connect-src 'self'",
        "worker-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
    ])


def secure_page(html: str, content: str | None = None) -> str:
    """The policy and the referrer <meta> first in <head> (right after the charset), before any script.
    content: the page body as rendered from Markdown, whose scripts the policy does not allow; None
    when the engine does not say (the <article> the theme wraps it in is taken)."""
    if content is None:
        article = _ARTICLE.search(html)
        content = article.group(1) if article else ""
    if POLICY_MARK in html:
        return html
    policy = content_security_policy(html, content)
    tags = (f'<meta http-equiv="Content-Security-Policy" content="{policy.replace("&", "&amp;").replace(chr(34), "&quot;")}">'
            f"\n    {REFERRER}")
    charset = _CHARSET.search(html)
    if charset:
        return html[:charset.end()] + "\n    " + tags + html[charset.end():]
    head = _HEAD.search(html)
    if head:
        return html[:head.end()] + "\n    " + tags + html[head.end():]
    return html


def _has_policy(path: Path) -> bool:
    """The policy sits right after the charset, in the first few hundred bytes: no need to read it all."""
    with path.open("rb") as handle:
        return POLICY_MARK.encode() in handle.read(_HEAD_BYTES)


_HEAD_BYTES = 8192


def secure_site(site_dir: Path) -> int:
    """secure_page on every HTML file of a built site that lacks the policy: the pages of an engine
    that writes them itself (Zensical), and files other plugins write (mkdocs-redirects' stubs).
    Returns how many pages were changed."""
    changed = 0
    for path in sorted(Path(site_dir).rglob("*.html")):
        if _has_policy(path):
            continue
        html = path.read_text(encoding="utf-8")
        secured = secure_page(html)
        if secured != html:
            path.write_text(secured, encoding="utf-8")
            changed += 1
    return changed


def unsafe_pages(site_dir: Path) -> list[str]:
    """Built pages (relative paths) that lack the policy: an adapter that forgot the safety pass."""
    return [path.relative_to(site_dir).as_posix() for path in sorted(Path(site_dir).rglob("*.html"))
            if not _has_policy(path)]
