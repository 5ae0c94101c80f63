"""A page's search-index entries, as Material's search plugin makes them, without html.parser (issue 31).

Material's search (material/plugins/search/plugin.py: SearchIndex.add_entry_from_context, its Parser,
Element and Section) splits a page's HTML into sections at headings with an id and indexes each section's
title and text. Its html.parser subclass is about a sixth of a 1,000-page build. This is the same logic,
quirks included, fed by one compiled regex instead of html.parser's tokenizer:

- `page_entries` returns the entries Material would append, byte for byte, or None when it cannot be sure
  (a comment, `<!`, `<?`, a `<` that starts no tag it knows, an unquoted attribute, script or style, ...):
  the adapter then calls Material's own method. The tokenizer accepts only HTML that every html.parser
  since Python 3.11 (the 2025 security releases changed comments, CDATA, raw text elements and odd
  start and end tags) reads into the same events.
- Material compares its elements by tag name (Element.__eq__ and __hash__), so its `skip` set behaves
  as a set of tag names and "the heading is open" means "an element with the heading's tag is open":
  here both are plain tag names.

MATERIAL_VERSIONS names the Material releases this was compared with (tests/render/test_search_entries.py
runs Material's own SearchIndex as the oracle); the adapter falls back for any other.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from html import escape, unescape

MATERIAL_VERSIONS = frozenset({"9.8.1"})

# Material's Parser: tags never pushed on the open-element stack, skipped from the start, kept as markup.
_VOID = frozenset({"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param",
                   "source", "track", "wbr"})
_ALWAYS_SKIPPED = ("object", "script", "style")
_KEEP = frozenset({"p", "code", "pre", "li", "ol", "ul", "sub", "sup"})
_HEADINGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})
# Elements whose content html.parser reads as raw text (script, style), or may in a later Python
# (textarea, title; the HTML standard's other raw text elements): never on the fast path.
_RAW_TEXT = frozenset({"script", "style", "textarea", "title", "xmp", "iframe", "noembed", "noframes",
                       "noscript", "plaintext"})

# One token at a time, back to back: text up to the next "<", a start tag whose attributes are all
# name="value", name='value' or a bare name, separated by spaces, tabs or newlines (the only whitespace
# every version agrees on), an end tag with nothing but its name, or any other "<" (-> None). (The
# outer groups name the kind: a match's lastgroup is the last group to close.)
_ATTR = r"""[ \t\n]+[a-zA-Z_:][-a-zA-Z0-9_:.]*(?:="[^"<>]*"|='[^'<>]*')?"""
_TOKEN = re.compile(
    r"(?P<text>[^<]+)"
    rf"|(?P<starttag><(?P<start>[a-zA-Z][a-zA-Z0-9-]*)(?P<attrs>(?:{_ATTR})*)[ \t\n]*(?P<close>/?)>)"
    r"|(?P<endtag></(?P<end>[a-zA-Z][a-zA-Z0-9-]*)>)"
    r"|(?P<other><)"
)
_ATTR_PARTS = re.compile(r"""([a-zA-Z_:][-a-zA-Z0-9_:.]*)(?:="([^"]*)"|='([^']*)')?""")
# A character reference every version decodes alike; any other "&" in an attribute value -> None.
_AMP_OK = re.compile(r"&(?:[a-zA-Z][a-zA-Z0-9]*;|#[0-9]{1,7};|#[xX][0-9a-fA-F]{1,6};)")
_UNSURE_CHARS = ("\x00", "\r")  # html.parser's handling of these has changed, or may


class _Section:
    """Material's Section: a heading's title and the text up to the next one. `tag` is its heading's
    tag ("hx" for the text before the first), the only thing Material compares it by."""

    __slots__ = ("tag", "excluded", "depth", "text", "title", "id")

    def __init__(self, tag: str, depth: float, excluded: bool = False) -> None:
        self.tag = tag
        self.excluded = excluded
        self.depth = depth
        self.text: list[str] = []
        self.title: list[str] = []
        self.id: str | None = None


class _Unsure(Exception):
    """Input html.parser might read otherwise, or on which Material's parser raises."""


def page_entries(content: str, toc_urls: Mapping[str | None, str], url: str, meta: Mapping,
                 page_title: Callable[[], object]) -> list[dict] | None:
    """The entries Material's SearchIndex.add_entry_from_context(page) appends, or None if unsure.
    `toc_urls` maps a table of contents id to its item's url (see toc_lookup); `page_title` gives
    page.title, read only when a section has no title (as Material does)."""
    search = meta.get("search") or {}
    if not isinstance(search, dict):
        return None  # Material calls search.get(): let it say what is wrong
    if search.get("exclude"):
        return []
    try:
        sections = _sections(content)
    except _Unsure:
        return None
    return [_entry(section, toc_urls, url, meta, page_title, search) for section in sections
            if not section.excluded]


def toc_lookup(toc: Iterable) -> dict:
    """id -> url of a page's table of contents items, the first in Material's search order
    (_find_toc_by_id: an item, then its children, then the next item)."""
    found: dict = {}

    def walk(items: Iterable) -> None:
        for item in items:
            found.setdefault(item.id, item.url)
            walk(item.children)

    walk(toc)
    return found


def _entry(section: _Section, toc_urls: Mapping, url: str, meta: Mapping, page_title: Callable[[], object],
           search: dict) -> dict:
    """Material's create_entry_for_section (without jieba: the adapter falls back when it is installed)."""
    if section.id in toc_urls:
        url = url + toc_urls[section.id]
    elif section.id:
        url = url + "#" + section.id
    title = section.title or [str(meta["title"] if "title" in meta else page_title())]
    entry: dict = {"location": url, "title": "".join(title).strip(), "text": "".join(section.text).strip()}
    tags = meta.get("tags")
    if isinstance(tags, list):
        entry["tags"] = [str(name) for name in tags if name and isinstance(name, (str, int, float, bool))]
    if "boost" in search:
        entry["boost"] = search["boost"]
    return entry


def _attributes(text: str) -> dict[str, str | None]:
    """A start tag's attributes as html.parser gives them: names lower-cased, a bare name None, a
    value unescaped, the last of a repeated name winning (Material makes a dict of them)."""
    attrs: dict[str, str | None] = {}
    for match in _ATTR_PARTS.finditer(text):
        name, double, single = match.groups()
        value = double if double is not None else single
        if value and "&" in value:
            if "&" in _AMP_OK.sub("", value):
                raise _Unsure
            value = unescape(value)
        attrs[name.lower()] = value
    return attrs


def _sections(content: str) -> list[_Section]:
    """Material's Parser, event for event: its handle_starttag, handle_endtag and handle_data."""
    if any(char in content for char in _UNSURE_CHARS):
        raise _Unsure
    context: list[str] = []  # open elements' tags (Material's context)
    headerlink: list[bool] = []  # per open element: an <a class="headerlink"> (left out of titles)
    open_count: dict[str, int] = {}
    skip = set(_ALWAYS_SKIPPED)  # tag names (Material's skip set compares elements by tag)
    sections: list[_Section] = []
    section: _Section | None = None
    permalinks = 0
    after_tags = 0  # where the text after the last tag starts
    for token in _TOKEN.finditer(content):
        kind = token.lastgroup
        if kind == "text":
            if any(open_count.get(tag) for tag in skip):
                continue
            data = unescape(token.group())
            if not open_count.get("pre"):
                data = " " if data.isspace() else data.replace("\n", " ")
            if section is None:
                section = _Section("hx", 0)
                sections.append(section)
            if open_count.get(section.tag):
                if not permalinks:
                    section.title.append(escape(data, quote=False))
            elif data.isspace():
                text = section.text
                if not text or not text[-1].isspace() or open_count.get("pre"):
                    text.append(data)
            else:
                section.text.append(escape(data, quote=False))
            continue
        if kind == "other":
            raise _Unsure
        after_tags = token.end()
        if kind == "starttag":
            tag = token.group("start").lower()
            if tag in _RAW_TEXT:
                raise _Unsure
            attrs = _attributes(token.group("attrs")) if token.group("attrs") else {}
            section = _start(tag, attrs, context, headerlink, open_count, skip, sections, section)
            permalinks += tag == "a" and attrs.get("class") == "headerlink"
            if not token.group("close"):
                continue
            end = tag  # <tag/>: html.parser's handle_startendtag calls handle_starttag, then handle_endtag
        else:
            end = token.group("end").lower()
            if end in _RAW_TEXT:
                raise _Unsure
        if context and context[-1] == end:
            permalinks -= headerlink[-1]
            section = _end(end, context, headerlink, open_count, skip, sections, section)
    if "&" in content[after_tags:]:
        raise _Unsure  # text after the last tag with a "&": html.parser may hold it back until close()
    return sections


def _start(tag: str, attrs: dict, context: list[str], headerlink: list[bool], open_count: dict[str, int],
           skip: set[str], sections: list[_Section], section: _Section | None) -> _Section | None:
    """Material's handle_starttag; returns the current section."""
    if tag in _VOID:
        return section
    context.append(tag)
    headerlink.append(tag == "a" and attrs.get("class") == "headerlink")
    open_count[tag] = open_count.get(tag, 0) + 1
    if tag in _HEADINGS and "id" in attrs:
        depth = len(context)
        if tag != "h1" and not sections:
            sections.append(_Section("hx", depth))  # a top-level section before a first heading below h1
        section = _Section(tag, depth, "data-search-exclude" in attrs)
        if sections:
            section.id = attrs["id"]
        sections.append(section)
    if section is None:
        section = _Section("hx", 0)
        sections.append(section)
    if "data-search-exclude" in attrs or attrs.get("class") == "linenodiv":
        skip.add(tag)  # a second excluded element with the same tag adds nothing (a set of tags)
        return section
    if tag in _KEEP and not any(open_count.get(name) for name in skip):
        (section.title if open_count.get(section.tag) else section.text).append(f"<{tag}>")
    return section


def _end(tag: str, context: list[str], headerlink: list[bool], open_count: dict[str, int], skip: set[str],
         sections: list[_Section], section: _Section) -> _Section:
    """Material's handle_endtag for the element on top of the stack; returns the current section."""
    depth = len(context)
    if section.depth > depth:  # leaving the element a heading was nested in: back to an enclosing section
        for earlier in reversed(sections):
            if earlier.depth <= depth:
                section.depth = float("inf")
                section = earlier
                break
    context.pop()
    headerlink.pop()
    open_count[tag] -= 1
    if tag in skip:
        if tag not in _ALWAYS_SKIPPED:
            skip.discard(tag)  # closing ANY element with an excluded tag ends the exclusion
        return section
    if tag in _KEEP and not any(open_count.get(name) for name in skip):
        data = section.title if open_count.get(section.tag) else section.text
        try:
            index = data.index(f"<{tag}>")  # the FIRST such opening tag, as Material searches
        except ValueError:
            raise _Unsure from None  # Material's parser raises here: let it
        if all(item.isspace() for item in data[index + 1:]):
            del data[index:]  # an empty kept element is left out
        else:
            data.append(f"</{tag}>")
    return section
