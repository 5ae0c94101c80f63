"""A page's search-index entries, as Material's search plugin makes them, without html.parser (issue 31).

Material's search (material/plugins/search/plugin.py: SearchIndex.add_entry_from_context, its Parser,
Element and Section) splits a page's HTML into sections at headings with an id and indexes each section's
title and text. Its html.parser subclass is about a sixth of a 1,000-page build. This is the same logic,
quirks included, fed by str.split and a regex per distinct tag instead of html.parser's tokenizer:

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
from html.entities import html5

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

# A page is split at every "<" (str.split, in C); each piece then holds one tag up to its first ">",
# and the text after it. The tag must be a start tag whose attributes are all name="value",
# name='value' or a bare name, separated by spaces, tabs or newlines (the only whitespace every version
# agrees on), no "<" or ">" in a value, or an end tag with nothing but its name; anything else -> None.
_ATTR = r"""[ \t\n]+[a-zA-Z_:][-a-zA-Z0-9_:.]*(?:="[^"<>]*"|='[^'<>]*')?"""
_START = re.compile(rf"([a-zA-Z][a-zA-Z0-9-]*)((?:{_ATTR})*)[ \t\n]*(/?)")
_END = re.compile(r"/([a-zA-Z][a-zA-Z0-9-]*)")
_ATTR_PARTS = re.compile(r"""([a-zA-Z_:][-a-zA-Z0-9_:.]*)(?:=("[^"]*"|'[^']*'))?""")
_NO_ATTRS: dict[str, str | None] = {}
# A tag as read: (start tag name or "", its attributes, end tag name or ""; <tag/> is both). Pages
# repeat their tags, so each is read once a build or so (the attributes are only ever read).
_Tag = tuple[str, Mapping[str, "str | None"], str]
_TAGS: dict[str, _Tag] = {}
_TAGS_KEPT = 20_000
# Character references every version decodes alike in an attribute value: numeric ones with their ";"
# and named ones that are an HTML5 name with its ";" (newer html.parser leaves "&ampx;" alone where
# html.unescape gives "&x;"). Any other "&" in an attribute value -> None.
_REFERENCE = re.compile(r"&(?:#[0-9]{1,7};|#[xX][0-9a-fA-F]{1,6};|([a-zA-Z][a-zA-Z0-9]*;))")


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
    if not isinstance(search, dict) or not isinstance(content, str):
        return None  # Material calls search.get() and parses the content: let it say what is wrong
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
    for name, quoted in _ATTR_PARTS.findall(text):
        if not quoted:
            attrs[name.lower()] = None
            continue
        value = quoted[1:-1]
        if "&" in value:
            if "&" in _REFERENCE.sub(_sure_reference, value):
                raise _Unsure
            value = unescape(value)
        attrs[name.lower()] = value
    return attrs


def _sure_reference(match: re.Match[str]) -> str:
    """"" for a reference every html.parser decodes as html.unescape does; "&" for any other."""
    return "" if match[1] is None or match[1] in html5 else "&"


def _tag(text: str) -> _Tag:
    """What html.parser makes of `<text>`, if it is a tag the fast path knows."""
    match = _START.fullmatch(text)
    if match:
        tag = match[1].lower()
        token: _Tag = (tag, _attributes(match[2]) if match[2] else _NO_ATTRS, tag if match[3] else "")
    else:
        match = _END.fullmatch(text)
        if not match:
            raise _Unsure  # a comment, <!...>, <?...>, a stray "<", an odd attribute or end tag...
        token = ("", _NO_ATTRS, match[1].lower())
    if token[0] in _RAW_TEXT or token[2] in _RAW_TEXT:
        raise _Unsure
    if len(_TAGS) >= _TAGS_KEPT:
        _TAGS.clear()
    _TAGS[text] = token
    return token


def _sections(content: str) -> list[_Section]:
    """Material's Parser, event for event: its handle_starttag, handle_endtag and handle_data, in one
    loop over the page's pieces (a call per tag would cost as much as the work; rare steps are calls)."""
    if "\x00" in content or "\r" in content:
        raise _Unsure  # html.parser's handling of these has changed, or may
    pieces = content.split("<")
    if "&" in (pieces[-1].partition(">")[2] if len(pieces) > 1 else pieces[0]):
        raise _Unsure  # text after the last tag with a "&": html.parser may hold it back until close()
    tags = _TAGS
    context: list[str] = []  # open elements' tags (Material's context)
    links: list[bool] = []  # per open element: an <a class="headerlink"> (left out of titles)
    count: dict[str, int] = {}  # tag -> open elements with it
    skip = set(_ALWAYS_SKIPPED)  # tag names (Material's skip set compares elements by tag)
    skipping = 0  # open elements whose tag is in skip: Material's skip.intersection(context)
    permalinks = 0  # open headerlinks
    sections: list[_Section] = []
    section: _Section | None = None
    text = pieces[0]
    for number, piece in enumerate(pieces):
        if number:
            head, gt, text = piece.partition(">")
            if not gt:
                raise _Unsure  # a "<" with no ">" after it
            tag, attrs, end = tags.get(head) or _tag(head)
            if tag and tag not in _VOID:  # handle_starttag
                context.append(tag)
                link = tag == "a" and attrs.get("class") == "headerlink"
                links.append(link)
                permalinks += link
                open_now = count[tag] = count.get(tag, 0) + 1
                if tag in skip:
                    skipping += 1
                if tag in _HEADINGS and "id" in attrs:
                    section = _heading_section(tag, attrs, len(context), sections)
                if section is None:
                    section = _Section("hx", 0)
                    sections.append(section)
                if "data-search-exclude" in attrs or attrs.get("class") == "linenodiv":
                    if tag not in skip:  # a second excluded element with the same tag adds nothing
                        skip.add(tag)
                        skipping += open_now
                elif tag in _KEEP and not skipping:
                    (section.title if count.get(section.tag) else section.text).append(f"<{tag}>")
            if end and context and context[-1] == end:  # handle_endtag: only for the element on top
                if section.depth > len(context):  # leaving the element a heading was nested in
                    section = _enclosing_section(section, sections, len(context))
                context.pop()
                permalinks -= links.pop()
                count[end] -= 1
                if end in skip:
                    skipping -= 1
                    if end not in _ALWAYS_SKIPPED:  # closing ANY element with an excluded tag ends the exclusion
                        skip.discard(end)
                        skipping -= count[end]
                elif end in _KEEP and not skipping:
                    _close_kept(end, section.title if count.get(section.tag) else section.text)
        if text and not skipping:  # handle_data: the text up to the next "<", as html.parser gives it
            data = unescape(text) if "&" in text else text
            pre = count.get("pre")
            if not pre:
                data = " " if data.isspace() else data.replace("\n", " ")
            if section is None:
                section = _Section("hx", 0)
                sections.append(section)
            if count.get(section.tag):
                if not permalinks:
                    section.title.append(escape(data, quote=False))
            elif data.isspace():
                kept = section.text
                if not kept or not kept[-1].isspace() or pre:
                    kept.append(data)
            else:
                section.text.append(escape(data, quote=False))
    return sections


def _heading_section(tag: str, attrs: Mapping, depth: int, sections: list[_Section]) -> _Section:
    """A heading with an id opens a section (even an excluded one: it is left out at the end)."""
    if tag != "h1" and not sections:
        sections.append(_Section("hx", depth))  # a top-level section before a first heading below h1
    section = _Section(tag, depth, "data-search-exclude" in attrs)
    if sections:  # the first section has no id
        section.id = attrs["id"]
    sections.append(section)
    return section


def _enclosing_section(section: _Section, sections: list[_Section], depth: int) -> _Section:
    """Material's way back to the section the closing element is in; the one left is never used again."""
    for earlier in reversed(sections):
        if earlier.depth <= depth:
            section.depth = float("inf")
            return earlier
    return section


def _close_kept(tag: str, data: list[str]) -> None:
    """A kept element closes: its end tag, or nothing at all if it held only whitespace."""
    try:
        index = data.index(f"<{tag}>")  # the FIRST such opening tag, as Material searches
    except ValueError:
        raise _Unsure from None  # Material's parser raises here: let it
    if all(item.isspace() for item in data[index + 1:]):
        del data[index:]
    else:
        data.append(f"</{tag}>")
