"""What the reader sees on a guide page, in two steps that any Markdown engine can share:

1. `transform_page` turns the author's Markdown into the Markdown the engine converts: retired ids
   get alias anchors, every citation becomes an inert placeholder (letters and digits only, so
   Markdown passes it through untouched in paragraphs, links, lists, tables, admonitions and
   md_in_html blocks), and the page ends with the "Words used" and "Legal basis" headings, which stay
   Markdown so the engine's table of contents, search index and anchor checks see them.
2. `finish_html` turns the engine's HTML into the page: placeholders become links, the summary, the
   review date and any law-change notice go under the <h1>, and the two lists go under their headings.

The generated HTML never passes through Markdown, which is most of what a build with the hooks used
to cost. Register and glossary text is data, never markup: everything from YAML is escaped where it
lands (md_text() for Markdown, html_text() for HTML, raw_html_text() and html_link() for HTML written
into Markdown)."""

from __future__ import annotations

import datetime as dt
import functools
import html
import os
import re
from collections.abc import Callable, Collection
from urllib.parse import urlsplit

from lawguide.content.markdown_scan import (
    GLOSSARY_PREFIX,
    HEADING_RE,
    SITE_PREFIX,
    code_mask,
    parse_heading,
    transform_citations,
)
from lawguide.content.pages import RESERVED_IDS, Page
from lawguide.content.publisher import NO_FEEDBACK_ROUTE, PLACEHOLDERS
from lawguide.content.register import LawRef
from lawguide.content.site import Site, short_cite_clashes
from lawguide.content.urls import GLOSSARY_PAGE, href, law_page_path
from lawguide.core import clock
from lawguide.core.weburl import url_problem
from lawguide.lawchange.review import commenced_since_review, law_changes
from lawguide.render.translations import language_of, version_block
from lawguide.render.wording import OLD_EDITION, long_date, plain_words, proposal_tag, reader_tag  # editors.py takes long_date from here

# As in content.site: typing is imported only by type checkers (about 10 ms a command otherwise).
TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import TypeVar

    T = TypeVar("T")

_MD_SPECIAL = re.compile(r"([\\`*_\[\]{}#|!])")
_LINE_BREAKS = re.compile(r"[ \t]*[\r\n][\s]*")
# HTML written into Markdown (generated pages): <, > and & escaped; characters that start Markdown or
# attr_list syntax as character references (inside raw HTML they read the same, and Markdown leaves them
# alone wherever the HTML lands: a table cell, a list item); line breaks as spaces (a blank line would
# end a raw HTML block and hand the rest to Markdown).
_TEXT = {"&": "&amp;", "<": "&lt;", ">": "&gt;", "\r": " ", "\n": " ",
         **{ch: f"&#{ord(ch)};" for ch in "\\`*_[]{}|"}}
_RAW_HTML_TEXT = str.maketrans(_TEXT)
# Attributes are stashed whole by Markdown; only a table's | and a code span's ` could cut them.
_HTML_ATTR = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;", "|": "&#124;",
                            "`": "&#96;", "\r": " ", "\n": " "})
ALIAS_CLASS = "lg-anchor-alias"
WORDS_ID = "words-on-this-page"
LEGAL_BASIS_ID = "legal-basis"
HEADER, WORDS, LEGAL_BASIS, HISTORY = "header", "words", "legal", "history"  # block placeholders: lgqheaderq ...
TAIL = "tail"  # where page_tail's HTML goes when the engine converts it apart (transform_page, tail_apart)
SEARCH_EXCLUDED = (LEGAL_BASIS,)  # blocks search leaves out (their heading carries data-search-exclude)
LEGAL_BASIS_INTRO = "Each link opens our page on that law, with a link to the official text."

# A citation placeholder: "lgq", this build's salt (six letters, none of them hex, chosen at random
# once a build), the citation's number among the page's distinct citations (Page.distinct_citations,
# found when the page was loaded), "q"; or, for one the page's scan did not find, "lgq", the
# citation's source text as UTF-8 hex, "q". Only ASCII letters and digits, so no Markdown syntax
# (emphasis, smart quotes, escapes, tables, toc slugs) can touch it. Numbers keep the text Markdown
# scans short (hex placeholders cost Python-Markdown's inline patterns about 0.1 s more at 1,000
# pages); the salt means no text that reaches the page's HTML from anywhere else (an author's
# "LGQZ0Q" heading lower-cased into an id, a snippet, a toc setting) can pass for one. Every numbered
# placeholder is replaced, so the salt never reaches a built page and builds stay reproducible.
_SALT_LETTERS = "ghijklmnoprstuvwxy"
_BLOCK_NAMES = "header|words|legal|history"
# Where a generated block goes: a paragraph of its own holding "lgq" + a name that is not hex + "q"
# (_Finisher.finish finds them).


def md_text(text: str) -> str:
    """Escape text for inline Markdown: <, > and & as HTML entities, Markdown punctuation backslashed,
    line breaks as spaces, so 'A <b>' reads as 'A <b>' and nothing in it becomes markup."""
    one_line = _LINE_BREAKS.sub(" ", text)  # a blank line would end the list item, table row or link it sits in
    return _MD_SPECIAL.sub(r"\\\1", html.escape(one_line, quote=False))


@functools.lru_cache(maxsize=65536)
def html_text(text: str) -> str:
    """Escape text for HTML element content; the same characters md_text() ends up as after Markdown.
    Cached: a build escapes the same citations, titles and links tens of thousands of times."""
    return html.escape(text, quote=False)


@functools.lru_cache(maxsize=65536)
def raw_html_text(text: str) -> str:
    """Text from YAML, a feed or front matter, as element content in HTML written into Markdown
    (generated pages), where Markdown may still read it. Cached like html_text."""
    return text.translate(_RAW_HTML_TEXT)


@functools.lru_cache(maxsize=65536)
def html_attr(value: str) -> str:
    """A double-quoted attribute value, safe in HTML and in HTML written into Markdown."""
    return value.translate(_HTML_ATTR)


def html_link(url: str, text: str, css_class: str = "") -> str:
    """An <a> element, safe in HTML and in HTML written into Markdown: text from YAML is escaped, never
    markup. External addresses have passed core.weburl (the register checks every one where it is read)."""
    cls = f' class="{css_class}"' if css_class else ""
    return f'<a{cls} href="{html_attr(url)}">{raw_html_text(text)}</a>'


@functools.lru_cache(maxsize=4096)
def running_text(term: str) -> str:
    """'Short breaks' reads as 'short breaks' mid-sentence; 'Law Commission' and 'EHC plan' keep capitals."""
    words = term.split()
    if words[0].isupper() or any(w[:1].isupper() for w in words[1:]):
        return term
    return term[:1].lower() + term[1:]


# --- citations ---------------------------------------------------------------------------------

def render_citation(site: Site, page_path: str, target: str, text: str, is_glossary: bool,
                    escape=md_text, full_cite: frozenset[str] = frozenset(), today: dt.date | None = None) -> str:
    """A citation as a link. `escape` is md_text() for Markdown (headings) and html_text() for HTML.
    A bare [[id]] shows the short cite ("s.17") in brackets, with the instrument for screen readers
    and on hover; ids in full_cite show the whole cite (two references on one page would otherwise
    look the same). [[site:publisher]] and [[site:feedback]] are the values set in mkdocs.yml."""
    if target.startswith(SITE_PREFIX):
        return render_site_value(site, target[len(SITE_PREFIX):], escape)
    if is_glossary:
        term = site.glossary.terms.get(target)
        if term is None:
            return escape(text or target)
        label = escape(text or running_text(term.term))
        return f'<a class="lg-term" href="{href(site, page_path, GLOSSARY_PAGE, term.id)}">{label}</a>'
    ref = site.register.refs.get(target)
    if ref is None:
        return escape(text or target)
    if not text:  # a bare [[id]] reads as a reference at the end of a sentence, so it goes in brackets
        return bracket_citations(site, page_path, [bare_citation(site, page_path, ref, escape, full_cite, today)])
    link = f'<a class="lg-cite" href="{href(site, page_path, law_page_path(ref.id))}">{escape(text)}</a>'
    tag = _reader_tag(ref, today)
    return link + f' <span class="{tag[0]}">({tag[1]})</span>' if tag else link


def is_bare_citation(site: Site, target: str, text: str, is_glossary: bool) -> bool:
    """Whether render_citation puts this citation in brackets: a bare [[id]] of a known reference."""
    return not (text or is_glossary or target.startswith(SITE_PREFIX)) and target in site.register.refs


def bare_citation(site: Site, page_path: str, ref: LawRef, escape=md_text, full_cite: frozenset[str] = frozenset(),
                  today: dt.date | None = None) -> str:
    """A bare [[id]]'s link and its tag, without the brackets (bracket_citations adds them)."""
    link = short_cite_link(ref, href(site, page_path, law_page_path(ref.id)), full=ref.id in full_cite, escape=escape)
    tag = _reader_tag(ref, today)
    # Inside a bare citation's own brackets the tag follows a colon: "(s.17: not yet in force)", never nested.
    return link + f'<span class="{tag[0]}">: {tag[1]}</span>' if tag else link


def bracket_citations(site: Site, page_path: str, citations: list[str]) -> str:
    """One or more bare citations (bare_citation) in one pair of brackets: "(s.7; ex p Rixon [1996])".
    Citations side by side in the text ("[[a]] [[b]]") read as one reference, not "(s.7) (ex p Rixon [1996])"."""
    inside = "; ".join(citations)
    if language_of(site, page_path)[1] == "rtl":
        # An English cite inside Arabic or Urdu: isolated and left to right with its brackets, so a
        # line break inside "Short Breaks Regulations 2011" cannot put the brackets on the wrong ends.
        # A group is one isolate: its semicolons and brackets stay in their places too.
        return f'<bdi class="lg-citation" dir="ltr" lang="en">({inside})</bdi>'
    return f"({inside})"


def _reader_tag(ref: LawRef, today: dt.date | None) -> tuple[str, str] | None:
    """(CSS class, escaped words) of the reference's tag, or None. One place decides the words
    (render.wording.reader_tag): never law, not yet in force (until the day it commences), an old
    edition, or one council's policy."""
    tag = reader_tag(ref, today)
    if not tag:
        return None
    css = ("lg-proposal-tag" if ref.is_proposal else "lg-replaced-tag" if ref.status in OLD_EDITION
           and not ref.pending(today or clock.today()) else "lg-status-tag")
    return css, html.escape(tag, quote=False)


def short_cite_link(ref: LawRef, url: str, full: bool = False, escape=md_text) -> str:
    """<a> with the short cite as its visible text; the full cite is read out and shown on hover."""
    short = ref.cite if full else ref.short_cite
    if short == ref.cite:
        return f'<a class="lg-cite" href="{url}">{escape(ref.cite)}</a>'
    # "s.17": the instrument before it is read out by screen readers; a short name of its own
    # ("Working Together 2026") stands alone. Either way the full cite shows on hover.
    hidden = f'<span class="lg-sr">{escape(ref.cite[: -len(short)])}</span>' if ref.cite.endswith(short) else ""
    return f'<a class="lg-cite" href="{url}" title="{html.escape(ref.cite)}">{hidden}{escape(short)}</a>'


def ambiguous_short_cites(site: Site, page: Page) -> frozenset[str]:
    """Ids of references this page cites whose short cite another cited reference shares."""
    if site.citing_pages.get(page.path) is page:
        return site.short_cite_clashes[page.path]
    return short_cite_clashes(site, page)


def render_site_value(site: Site, key: str, escape=md_text) -> str:
    """[[site:publisher]]: the publisher's name, linked when it has a web address.
    [[site:feedback]]: a whole sentence saying how to send feedback (mkdocs.yml extra.lawguide)."""
    info = site.publisher
    if key == "publisher":
        name = info.name or "the organisation that shared this guide with you"
        return html_link(info.url, name) if info.url else escape(name)
    if key == "feedback":
        if info.feedback_email:
            return f"Email us at {html_link('mailto:' + info.feedback_email, info.feedback_email)}."
        if info.feedback_url:
            return f"Use our feedback page: {html_link(info.feedback_url, info.feedback_url)}."
        issues = repo_issues_url(site.settings.repo_url)
        if issues:
            return f"Tell us on the guide's public issue list: {html_link(issues, issues)}. Anyone can read it."
        return f"Use {escape(NO_FEEDBACK_ROUTE)}."
    return escape(f"[[site:{key}]]")


# Code hosts whose repositories have their issue list at <repository>/issues.
ISSUE_HOSTS = ("github.com", "gitlab.com", "codeberg.org")


def repo_issues_url(repo_url: str) -> str:
    """The issue list of the guide's source repository (mkdocs.yml repo_url), when no feedback address
    is set: a real route, never an invented one. Empty unless repo_url is a safe https address of a
    repository (owner/name) on a host whose issues live at /issues."""
    url = repo_url.strip().rstrip("/").removesuffix(".git")
    if not url or url_problem(url):
        return ""
    parts = urlsplit(url)
    path = [p for p in parts.path.split("/") if p]
    if parts.netloc.lower() not in ISSUE_HOSTS or len(path) != 2 or parts.query or parts.fragment:
        return ""
    return f"https://{parts.netloc.lower()}/{path[0]}/{path[1]}/issues"


def citation_placeholder(site: Site, target: str, text: str, is_glossary: bool, page: Page | None = None) -> str:
    """The inert token that stands for a citation until finish_html. Unknown targets (a problem the
    checks report) stay plain text, as they always have."""
    known = site.glossary.terms if is_glossary else site.register.refs
    site_value = target.startswith(SITE_PREFIX) and target[len(SITE_PREFIX):] in PLACEHOLDERS
    if target not in known and not site_value:
        return md_text(text or target)
    number = page.citation_numbers.get((target, text, is_glossary)) if page is not None else None
    if number is not None:
        return f"lgq{_patterns(site)[0]}{number}q"
    source = f"{GLOSSARY_PREFIX if is_glossary else ''}{target}|{text}"
    return f"lgq{source.encode('utf-8').hex()}q"


def _patterns(site: Site) -> tuple[str, re.Pattern, re.Pattern]:
    """This build's salt; the placeholder pattern (group 1: hex, group 2: number); and what follows
    "lgq" in any placeholder (groups 1 and 2 as before, group 3: a block name)."""
    return site.remember("placeholders", _new_patterns)


def _new_patterns() -> tuple[str, re.Pattern, re.Pattern]:
    salt = "".join(_SALT_LETTERS[b % len(_SALT_LETTERS)] for b in os.urandom(6))
    return (salt,
            re.compile(rf"lgq(?:((?:[0-9a-f]{{2}})+)|{salt}(\d{{1,6}}))q"),
            re.compile(rf"(?:((?:[0-9a-f]{{2}})+)|{salt}(\d{{1,6}})|({_BLOCK_NAMES}))q"))


def _decode(match: re.Match, page: Page) -> tuple[str, str, bool] | None:
    """(target, text, is_glossary) from a placeholder; None if it was damaged on the way."""
    if match.group(2) is not None:
        number = int(match.group(2))
        return page.distinct_citations[number] if number < len(page.distinct_citations) else None
    try:
        source = bytes.fromhex(match.group(1)).decode("utf-8")
    except (ValueError, UnicodeDecodeError):
        return None
    target, _, text = source.partition("|")
    if target.startswith(GLOSSARY_PREFIX):
        return target[len(GLOSSARY_PREFIX):], text, True
    return target, text, False


def _citation_link(site: Site, page: Page, match: re.Match, escape=html_text,
                   full_cite: frozenset[str] = frozenset()) -> str:
    citation = _decode(match, page)
    if citation is None:
        return match.group(0)
    return render_citation(site, page.path, *citation, escape=escape, full_cite=full_cite)


# The inline tags finish_html writes (links, the short cite's hidden part and tags, dates). Only ever
# applied to HTML this module wrote, where text is escaped: no "<" is ever inside an attribute or text.
_INLINE_TAG = re.compile(r"</?(?:a|span|time)\b[^>]*>")
# Python-Markdown's permalink, last in a heading that has an id (toc's markup, class "headerlink").
# Material's search parser ignores a headerlink's text inside such a heading (it is a section title),
# so the search view leaves it out: the same index, two tags fewer per heading. Nothing else is touched:
# a headerlink anywhere else, or in a heading without an id, is indexed by Material, so it stays.
_PERMALINK = re.compile(r'(<h([1-6])\s[^>]*?(?<=\s)id="[^"<>]*"[^>]*>[^<\n]*(?:<(?!/?h[1-6]\b|/?a\b)[^>]*>[^<\n]*)*)'
                        r'<a class="headerlink" href="#[^"<>]*"(?: title="[^"<>]*")?>[^<]*</a>(</h\2>)')



def _without_permalinks(view: str) -> str:
    """The view without the permalinks _PERMALINK finds: none without a headerlink (the engine's toc writes
    them only with `permalink` set), so the heading pattern, about 3 microseconds a heading, is not tried."""
    return _PERMALINK.sub(r"\1\3", view) if 'class="headerlink"' in view else view


# --- step 1: the Markdown the engine converts ---------------------------------------------------

def transform_page(site: Site, page: Page, markdown: str, tail_apart: bool = False) -> str:
    """The Markdown the engine converts: alias anchors, citations as placeholders (as links in
    headings, so the table of contents shows their text), and the closing headings (page_tail).

    With tail_apart (see tail_apart_safe), the page ends with placeholder paragraphs instead of the
    tail, for an engine that converts each distinct tail once per build and puts its HTML in with
    insert_tail: every page ends with one of a handful of tails, and their headings are most of what
    the tail costs to convert (about 90 microseconds a heading in Python-Markdown). The placeholders
    stand where the tail's first block would, so Markdown lays out what comes before them exactly as it
    would before the tail, and they carry the tail's heading ids, so the page's own headings get the
    same ids (a heading the author also called "Legal basis" still becomes legal-basis_1), and the
    engine's anchor check finds them where it found them before."""
    body = insert_alias_anchors(markdown, page.anchor_aliases)  # retired ids keep working
    body = transform_citations(body, _placeholders(site, page))
    body = fold_adviser_boxes(body)
    if "lgq" in body:
        body = _links_in_headings(site, page, body)
    body = _header_placeholder(site, page, body)
    tail = page_tail(site, page)
    if tail_apart and tail:
        return body.rstrip() + "\n\n" + _tail_marks(_tail_ids(site, page)) + "\n"
    return body.rstrip() + "\n" + tail


def _placeholders(site: Site, page: Page) -> Callable[[str, str, bool], str]:
    """citation_placeholder for this page's citations, with what every call would look up looked up once:
    a known reference or term the page's scan numbered is its numbered placeholder; anything else is asked
    of citation_placeholder itself."""
    salt, numbers = _patterns(site)[0], page.citation_numbers
    refs, terms = site.register.refs, site.glossary.terms

    def placeholder(target: str, text: str, is_glossary: bool) -> str:
        number = numbers.get((target, text, is_glossary))
        if number is not None and target in (terms if is_glossary else refs):
            return f"lgq{salt}{number}q"
        return citation_placeholder(site, target, text, is_glossary, page)

    return placeholder


def _tail_marks(ids: list[str]) -> str:
    """The Markdown standing for the tail: a placeholder paragraph for each of its heading ids, or one."""
    return "\n\n".join(f"{_TAIL_MARK}\n{{: #{anchor} }}" for anchor in ids) or _TAIL_MARK


_TAIL_MARK = f"lgq{TAIL}q"  # the block placeholder for the tail
# Python-Markdown extensions with which a page's tail converts apart exactly as with the rest of the
# page: none carries anything from one part of a document into another (abbreviations, footnotes,
# snippets' auto_append and a [TOC] marker do: with any of those, pages are converted whole).
TAIL_APART_EXTENSIONS = frozenset({"admonition", "attr_list", "fenced_code", "md_in_html", "tables", "toc",
                                   "pymdownx.details"})


def tail_apart_safe(extensions: Collection[object], toc_marker: str | None, markdown: str) -> bool:
    """Whether transform_page(tail_apart=True) gives the same page with these Python-Markdown
    extensions (names as in mkdocs.yml) and this page's Markdown. attr_list is needed: the
    placeholders carry the tail's ids in its syntax."""
    names = {str(e).removeprefix("markdown.extensions.") if isinstance(e, str) else None for e in extensions}
    if None in names or not names <= TAIL_APART_EXTENSIONS or "attr_list" not in names:
        return False
    return not (toc_marker and toc_marker in markdown)


def page_tail(site: Site, page: Page) -> str:
    """The Markdown that ends every guide page: the "Words used" and "Legal basis" headings with
    their placeholders, and the page history's. It depends only on which of the three the page has.
    Worked out once a page (transform_page and the engine's adapter both ask)."""
    return _per_page(site, page, "tail", lambda: "".join(_closing_headings(site, page)) + _history_placeholder(page))


def _tail_ids(site: Site, page: Page) -> list[str]:
    return _per_page(site, page, "tail_ids", lambda: ([WORDS_ID] if _words(site, page) else [])
                     + ([LEGAL_BASIS_ID] if _refs(site, page) else []))


def insert_tail(site: Site, page: Page, content: str, tail_html: str) -> tuple[str, bool]:
    """The engine's HTML for a page transformed with tail_apart, with its tail's HTML (the engine's
    conversion of page_tail) where the placeholders are: the same HTML as converting the whole page.
    The placeholders are the last ones on the page (an author may type the same text earlier). False
    when they are not there as paragraphs: an unclosed HTML block took them in as raw text, as it
    would have taken the tail, so the tail's Markdown goes there as raw text too."""
    ids = _tail_ids(site, page)
    marks = "\n".join(f'<p id="{anchor}">{_TAIL_MARK}</p>' for anchor in ids) or f"<p>{_TAIL_MARK}</p>"
    at = content.rfind(marks)
    if at >= 0:
        return content[:at] + tail_html + content[at + len(marks):], True
    raw = _tail_marks(ids)
    at = content.rfind(raw)
    if at < 0:
        return content, False
    tail = page_tail(site, page).removeprefix("\n").removesuffix("\n")  # the "\n" around it is the page's
    return content[:at] + tail + content[at + len(raw):], False


def _links_in_headings(site: Site, page: Page, body: str) -> str:
    """A heading's text becomes the table of contents entry and its search title: there a citation
    is a link from the start, as before, never a placeholder."""
    full = ambiguous_short_cites(site, page)
    placeholder = _patterns(site)[1]

    def heading(match: re.Match) -> str:
        line = match.group(1)
        if not HEADING_RE.match(line):
            return line
        return placeholder.sub(lambda m: _citation_link(site, page, m, md_text, full), line)

    # Only lines that start with "#" and hold a placeholder can change: found by one search for "\n#" (a
    # literal the regex engine skips to; a line-start anchor would be tried at every character).
    return _HASH_LINE_WITH_PLACEHOLDER.sub(lambda m: "\n" + heading(m), "\n" + body)[1:]


_HASH_LINE_WITH_PLACEHOLDER = re.compile(r"\n(#[^\n]*lgq[^\n]*)")  # a line of body.split("\n"), after its "\n"


def _closing_headings(site: Site, page: Page) -> list[str]:
    out = []
    if _words(site, page):
        out.append(f"\n## Words used on this page {{#{WORDS_ID}}}\n\n{_block_placeholder(WORDS)}\n")
    if _refs(site, page):
        # Left out of the search index: the same citations already sit in the page text.
        out.append(f"\n## Legal basis {{#{LEGAL_BASIS_ID} data-search-exclude}}\n\n{_block_placeholder(LEGAL_BASIS)}\n")
    return out


def _history_placeholder(page: Page) -> str:
    """Page history goes last, with no heading of its own (it is not a section a reader links to)."""
    return f"\n{_block_placeholder(HISTORY)}\n" if page.change_notes else ""


def _block_placeholder(name: str) -> str:
    return f"lgq{name}q"


def _header_placeholder(site: Site, page: Page, body: str) -> str:
    """Mark where the summary, review date and notice go: under the first H1, or at the top."""
    if not (page.summary or page.reviewed or law_changes(site, page) or _sections(page)):
        return body
    marker = _block_placeholder(HEADER)
    # The first line that starts with "# ", found without splitting the page into lines.
    start = 0 if body.startswith("# ") else body.find("\n# ") + 1
    if not start and not body.startswith("# "):
        return marker + "\n\n" + body
    end = body.find("\n", start)
    if end < 0:  # the title is the last line
        return body + "\n\n" + marker + "\n"
    return body[:end] + "\n\n" + marker + "\n\n" + body[end + 1:]


# --- step 2: the engine's HTML -> the page ------------------------------------------------------

def finish_html(site: Site, page: Page, content: str, today: dt.date | None = None) -> str:
    """The reader's page from the engine's HTML for transform_page's Markdown: citations linked,
    summary, review date and law-change notice under the title, words explained and the legal basis
    under their headings. It only replaces placeholders, so it is safe on any piece of the page and
    any engine can call it after converting (Python-Markdown's toc extension, for one, runs
    postprocessors on each heading's text as well as on the whole page)."""
    return _Finisher(site, page, today).page(content)


def finish_html_and_search_view(site: Site, page: Page, content: str,
                                today: dt.date | None = None) -> tuple[str, str]:
    """finish_html's page, whole, and its search view: the same page without the inline tags
    finish_html adds (<a>, <span>, <time>), text and block tags unchanged, and with the blocks search
    leaves out (SEARCH_EXCLUDED) still placeholders. A search parser that indexes only text and block
    tags (Material's) reads the same index from the view, with far fewer tags to walk; an engine that
    indexes page HTML before the page is final can index the view and publish the page (see
    lawguide_hooks). Each citation and block is rendered once for both."""
    return _Finisher(site, page, today).finish(content)


class _Finisher:
    """finish_html for one page: every distinct citation and block rendered once, however many
    times it appears and however many views are made of the page."""

    def __init__(self, site: Site, page: Page, today: dt.date | None) -> None:
        # Today read once for the page, not at every citation's tag (core.clock reads the environment).
        self.site, self.source, self.today = site, page, today or clock.today()
        self.full_cite = ambiguous_short_cites(site, page)
        # A citation's link depends on the page only through the address it links to (relative to the
        # page) and the page's script direction: pages for which both are the same share the link,
        # rendered once a build (a law page's link from every guide page at one depth is "../law/id/").
        self.rtl = language_of(site, page.path)[1] == "rtl"
        self.shared: dict[tuple, str] = site.remember("citation_links", dict)
        # _known's answers, shared like self.shared: (link, its search view, whether it is a bare citation).
        self.entries: dict[tuple, tuple[str, str, bool]] = site.remember("citation_entries", dict)
        self.blocks: dict[str, tuple[str, bool]] = {}
        self.texts: dict[str, str] = {}  # a link or block -> its search view
        self.citations: dict[str, tuple[str, str, bool] | None] = {}  # a token -> its citation, decoded once
        self.known: dict[str, tuple[str, str, bool]] = {}  # a citation token -> _known's answer

    def page(self, content: str) -> str:
        return self.finish(content, with_view=False)[0]

    def finish(self, content: str, with_view: bool = True) -> tuple[str, str]:
        """The page and (with_view) its search view, in one pass over the placeholders. The text is
        split at every "lgq": each piece after the first starts with a placeholder's body or is left as
        it was, exactly as the placeholder pattern's sub and then a block pattern (<p>lgqNAMEq</p>) would
        read it (their matches never overlap an "lgq" of another: hex digits, the salt's letters,
        decimal digits and block names contain none)."""
        if "lgq" not in content:
            return content, (_without_permalinks(content) if with_view else "")
        pieces = content.split("lgq")
        token_pattern = _patterns(self.site)[2]
        tokens = [token_pattern.match(piece) for piece in pieces]
        page, view = [pieces[0]], [pieces[0]]
        known = self.known
        i = 1
        while i < len(pieces):
            before, piece, token = pieces[i - 1], pieces[i], tokens[i]  # before: the text up to this "lgq"
            if token is None:
                page.append("lgq" + piece)
                view.append("lgq" + piece)
            elif token.group(3) is None:  # a citation, or bare citations side by side: one pair of brackets
                link, text, bare = known.get(token.group(0)) or self._known(token)
                rest = piece[token.end():]
                # Most bare citations have words after them: only whitespace can start a run.
                if bare and not rest.strip() and i + 1 < len(pieces) and self._bare(tokens[i + 1]):
                    last = self._run_end(pieces, tokens, i)
                    link = self._group(tokens[i:last + 1])
                    text = self._text(link)
                    rest = pieces[last][tokens[last].end():]
                    i = last
                page.append(link + rest)
                view.append(text + rest if with_view else "")
            elif before.endswith("<p>") and piece.startswith("</p>", token.end()):
                self._put_block(token.group(3), piece[token.end() + 4:], page, view, with_view)
            else:  # a block name outside its own paragraph is text
                page.append("lgq" + piece)
                view.append("lgq" + piece)
            i += 1
        return "".join(page), (_without_permalinks("".join(view)) if with_view else "")

    def _known(self, token: re.Match) -> tuple[str, str, bool]:
        """A citation token's link, the link's search view and whether it is a bare citation: worked out
        once a page for each distinct token (a page repeats a few citations many times), and taken from
        another page's when the citation and everything its link depends on are the same (self.entries)."""
        citation = self._decoded(token)
        if citation is None:  # damaged on the way: left as it was
            link = "lgq" + token.group(0)
            entry = (link, self._text(link), False)
        else:
            key = self._key(*citation)
            entry = self.entries.get(key)
            if entry is None:
                link = self._citation(*citation)
                entry = self.entries[key] = (link, _INLINE_TAG.sub("", link), is_bare_citation(self.site, *citation))
        self.known[token.group(0)] = entry
        return entry

    def _run_end(self, pieces: list[str], tokens: list[re.Match | None], i: int) -> int:
        """The index of the last bare citation in the run that starts at pieces[i], a bare citation: bare
        citations with nothing but whitespace between them. i itself when the citation stands alone."""
        while i + 1 < len(pieces) and not pieces[i][tokens[i].end():].strip() and self._bare(tokens[i + 1]):
            i += 1
        return i

    def _bare(self, token: re.Match | None) -> bool:
        if token is None or token.group(3) is not None:
            return False
        return (self.known[token.group(0)] if token.group(0) in self.known else self._known(token))[2]

    def _decoded(self, token: re.Match) -> tuple[str, str, bool] | None:
        key = token.group(0)
        if key not in self.citations:
            self.citations[key] = _decode(token, self.source)
        return self.citations[key]

    def _group(self, tokens: list[re.Match]) -> str:
        """Bare citations side by side, in one pair of brackets; each keeps its own link, title and tag."""
        inside = []
        for token in tokens:
            target = self._decoded(token)[0]
            key = ("bare", href(self.site, self.source.path, law_page_path(target)), self.today, target,
                   target in self.full_cite)
            if key not in self.shared:
                self.shared[key] = bare_citation(self.site, self.source.path, self.site.register.refs[target],
                                                 html_text, self.full_cite, self.today)
            inside.append(self.shared[key])
        return bracket_citations(self.site, self.source.path, inside)

    def _put_block(self, name: str, after: str, page: list[str], view: list[str], with_view: bool) -> None:
        page[-1], view[-1] = page[-1][:-3], view[-1][:-3]  # the "<p>" before the placeholder
        html_block, blank_after = self._block(name)
        # Laid out as Python-Markdown lays out blocks, so pages stay byte-identical to the days when
        # these went through it: a blank line after a raw HTML block, a line break after the notice.
        newline = "\n" if blank_after and after.startswith("\n") else ""
        page.append(html_block + newline + after)
        if not with_view:
            view.append("")
        elif name in SEARCH_EXCLUDED:  # search leaves it out: it stays a placeholder
            view.append(f"<p>lgq{name}q</p>" + after)
        else:
            view.append(self._text(html_block) + newline + after)

    def _text(self, html_piece: str) -> str:
        if html_piece not in self.texts:
            self.texts[html_piece] = _INLINE_TAG.sub("", html_piece)
        return self.texts[html_piece]

    def _key(self, target: str, text: str, is_glossary: bool) -> tuple:
        """What a citation's link depends on: the address it links to (relative to the page), the page's
        script direction, the day, the citation and whether its short cite clashes on the page."""
        to = "" if target.startswith(SITE_PREFIX) else GLOSSARY_PAGE if is_glossary else law_page_path(target)
        url = href(self.site, self.source.path, to) if to else ""
        return (url, self.rtl, self.today, target, text, is_glossary, target in self.full_cite)

    def _citation(self, target: str, text: str, is_glossary: bool) -> str:
        key = self._key(target, text, is_glossary)
        if key not in self.shared:
            self.shared[key] = render_citation(self.site, self.source.path, target, text, is_glossary, escape=html_text,
                                               full_cite=self.full_cite, today=self.today)
        return self.shared[key]

    def _block(self, name: str) -> tuple[str, bool]:
        if name not in self.blocks:
            self.blocks[name] = _render_block(self.site, self.source, name, self.today)
        return self.blocks[name]


def _render_block(site: Site, page: Page, name: str, today: dt.date | None) -> tuple[str, bool]:
    """A generated block's HTML, and whether a blank line follows it."""
    if name == WORDS:
        return words_list(site, page), True
    if name == LEGAL_BASIS:
        return legal_basis(site, page, today), True
    if name == HISTORY:
        return page_history(page), True
    header, notice = _header_block(page), law_change_notice(site, page, today)
    versions = version_block(site, page)  # translations and Easy Read: switcher, stale and unchecked notices
    return "\n\n".join(b for b in (header, versions, notice) if b), not notice


def _header_block(page: Page) -> str:
    parts = []
    if page.summary:
        parts.append(f'<p class="lg-summary">{html.escape(page.summary)}</p>')
    if page.reviewed:
        # Plain words for what the date means (issue 23): the law as it stood then, not "reviewed".
        parts.append(f'<p class="lg-reviewed">Checked against the law as it stood on '
                     f'<time datetime="{page.reviewed.isoformat()}">{long_date(page.reviewed)}</time></p>')
    on_this_page = _on_this_page(page)
    if on_this_page:
        parts.append(on_this_page)
    return "\n".join(parts)


# A long page's "What to do next" sat 5 to 13 phone screens down (issue 23): on phones, where the table
# of contents hides in the menu, a long page opens with a link to it and a folded list of its sections.
# Wide screens show the table of contents beside the page, so the stylesheet hides this there.
ON_THIS_PAGE_MIN_SECTIONS = 5
NEXT_STEP_IDS = ("next-steps", "what-happens-next")


def _sections(page: Page) -> list:
    """The page's own H2 sections, when there are enough of them to need a way in."""
    sections = [h for h in page.headings if h.level == 2 and h.id not in RESERVED_IDS]
    return sections if len(sections) >= ON_THIS_PAGE_MIN_SECTIONS else []


def _on_this_page(page: Page) -> str:
    sections = _sections(page)
    if not sections:
        return ""
    items = "".join(f'<li><a href="#{html_attr(h.id)}">{html.escape(plain_words(h.text))}</a></li>'
                    for h in sections)
    first = next((h for h in sections if h.id in NEXT_STEP_IDS), None)
    jump = (f'<p class="lg-on-this-page__next"><a href="#{html_attr(first.id)}">{html.escape(plain_words(first.text))}'
            f'</a></p>' if first else "")
    # data-search-exclude: search indexes each section under its own heading already.
    return (f'<nav class="lg-on-this-page" aria-label="On this page" data-search-exclude>{jump}'
            f'<details><summary><span lang="en" dir="ltr">On this page</span></summary><ul>{items}</ul></details></nav>')


def law_change_notice(site: Site, page: Page, today: dt.date | None = None) -> str:
    """The notice under the title of an affected page (HTML): what changed, when, a link to the law
    page, and that we are checking the page; each kind of change in its own words, and news about a
    proposal never as a change in the law. Then, for a page signed off in advance against a change
    that has since taken effect, a note saying so. Empty when there is nothing to say."""
    today = today or clock.today()
    changes = law_changes(site, page)
    notes = commencement_note(site, page, today)
    if not changes:
        return notes
    items = [_notice_item(site, page, change, today) for change in changes]
    ids = " ".join(dict.fromkeys(change.ref.id for change in changes))
    return "\n".join([
        f'<div class="lg-law-change" data-law-change="{html.escape(ids)}" id="law-change-notice" role="note">',
        f"<p>{_headline(changes, today)}</p>",
        "<ul>",
        *items,
        "</ul>",
        "</div>",
        *([notes] if notes else []),
    ])


_LAW_MOVED = ("changed", "commenced", "repealed", "withdrawn", "replaced", "new-edition")


def _headline(changes: list, today: dt.date) -> str:
    """One sentence for the whole notice, from the most serious kind present."""
    pending = [c for c in changes if (c.commences or c.date or today) > today]
    moved = [c for c in changes if c.kind in _LAW_MOVED and c not in pending]
    checking = " We are checking the page now. Until we finish, parts of it may be out of date."
    if moved:
        return "The law this page relies on has changed since we last reviewed the page." + checking
    if any(c.kind in _LAW_MOVED for c in changes) or any(c.date and c.date > today for c in changes):
        return "The law this page relies on is about to change." + checking
    if any(c.kind in ("case-law", "appeal") for c in changes):
        return "A court decision affects the law this page relies on." + checking
    if any(c.kind == "correction" for c in changes):
        return "We have corrected our record of the law this page relies on. We are checking the page now."
    return ("There is news about a proposal this page mentions. The law has not changed. "
            "We are checking the page now.")


def _notice_item(site: Site, page: Page, change, today: dt.date) -> str:
    link = html_link(href(site, page.path, law_page_path(change.ref.id)), change.ref.cite)
    summary = html_text(change.summary.rstrip("."))
    when = long_date(change.date) if change.date else ""
    later = change.commences if change.commences and change.commences > today else None
    if change.kind == "changed":
        if later or (change.date and change.date > today):
            return f"<li>{link} will change on {long_date(later or change.date)}: {summary}.</li>"
        return f"<li>{link} changed on {long_date(change.commences or change.date)}: {summary}.</li>"
    if change.kind == "commenced":
        if later:
            return f"<li>{link} comes into force on {long_date(later)}: {summary}.</li>"
        return f"<li>{link} came into force on {long_date(change.commences or change.date)}: {summary}.</li>"
    if change.kind == "repealed":
        if later:
            return f"<li>{link} will be repealed on {long_date(later)}. Until then it is still the law: {summary}.</li>"
        return f"<li>{link} has been repealed. It is no longer the law.</li>"
    if change.kind == "withdrawn":
        return f"<li>{link} has been withdrawn. It no longer applies.</li>"
    if change.kind in ("replaced", "new-edition"):
        new = change.replaced_by
        target = (html_link(href(site, page.path, law_page_path(new.id)), new.cite) if new
                  else html_text(change.summary))
        return f"<li>{link} has been replaced by {target}.</li>"
    if change.kind == "case-law":
        case = (html_link(href(site, page.path, law_page_path(change.case.id)), change.case.cite) + " "
                if change.case else "")
        return (f"<li>A court decision {case}on {when} explains how {link} applies: {summary}. "
                "The words of the law have not changed.</li>")
    if change.kind == "appeal":
        return f"<li>{link} is under appeal ({when}): {summary}. A higher court may change what it means.</li>"
    if change.kind == "correction":
        return f"<li>We corrected what we say about {link} on {when}: {summary}.</li>"
    return (f"<li>{link} ({html_text(proposal_tag(change.ref))}): {summary} ({when}). "
            "Until Parliament acts, the current law still applies.</li>")


_IN_EFFECT = {"commenced": "{link} is in force", "amended": "the new wording of {link} applies",
              "repealed": "{link} is repealed"}


def commencement_note(site: Site, page: Page, today: dt.date) -> str:
    """Changes the page was checked against in advance that have since taken effect: said on the day
    they take effect, without an editor, until the page is reviewed again."""
    done = commenced_since_review(site, page, today)
    if not done:
        return ""
    items = []
    for ref, change in done:
        link = html_link(href(site, page.path, law_page_path(ref.id)), ref.cite)
        items.append(f"<li>Since {long_date(change.commences)}, {_IN_EFFECT[change.kind].format(link=link)}. "
                     f"We checked this page for it on {long_date(page.reviewed)}.</li>")
    return "\n".join(['<div class="lg-law-commenced" role="note">', "<ul>", *items, "</ul>", "</div>"])


def _words(site: Site, page: Page) -> list:
    return _per_page(site, page, "words", lambda: [site.glossary.terms[t] for t in dict.fromkeys(
        c.target for c in page.glossary_links) if t in site.glossary.terms])


def _refs(site: Site, page: Page) -> list[LawRef]:
    return _per_page(site, page, "refs", lambda: [site.register.refs[t] for t in dict.fromkeys(
        c.target for c in page.law_citations) if t in site.register.refs])


def _per_page(site: Site, page: Page, what: str, compute: Callable[[], T]) -> T:
    """compute() for this page, once a build: the tail, its ids and its blocks each ask (four or five
    times a page). Kept with the page object it was worked out for: another Page with the same path
    (a test's, the preview's) gets its own answer."""
    known = site.remember((what, page.path), dict)
    if known.get("page") is not page:
        known["page"], known["value"] = page, compute()
    return known["value"]


def words_list(site: Site, page: Page) -> str:
    """Glossary terms the page links, with the everyday words for them (these also feed search:
    they are how "respite" finds the short breaks pages)."""
    terms = _words(site, page)
    if not terms:
        return ""
    out = [fold_open(f"Show the words explained ({len(terms)})"), '<ul class="lg-words">']
    items = site.remember("words_items", dict)  # an item depends only on its link and term: made once a build
    for term in terms:
        url = href(site, page.path, GLOSSARY_PAGE, term.id)
        item = items.get((url, term.id))
        if item is None:
            also = f" Also called: {', '.join(term.also_called)}." if term.also_called else ""
            item = items[url, term.id] = f"<li>{html_link(url, term.term)}: {html_text(term.definition + also)}</li>"
        out.append(item)
    return "\n".join([*out, "</ul>", FOLD_CLOSE])


def legal_basis(site: Site, page: Page, today: dt.date | None = None) -> str:
    refs = _refs(site, page)
    if not refs:
        return ""
    out = [fold_open(f"Show the law this page relies on ({len(refs)})"), f"<p>{LEGAL_BASIS_INTRO}</p>",
           '<ul class="lg-legal-basis">']
    today = today or clock.today()  # read once, not at every reference's tag
    items = site.remember("legal_basis_items", dict)  # an item depends only on its link, reference and day
    for ref in refs:
        url = href(site, page.path, law_page_path(ref.id))
        item = items.get((url, ref.id, today))
        if item is None:
            tag = reader_tag(ref, today)
            tag = f" ({tag})" if tag else ""
            item = items[url, ref.id, today] = (f"<li>{html_link(url, ref.cite)}: {html_text(ref.title + tag)}. "
                                                f"{html_link(ref.url, 'Official text', 'lg-official')}</li>")
        out.append(item)
    return "\n".join([*out, "</ul>", FOLD_CLOSE])


# --- folded blocks: closed on phones; lawguide.js opens them on wider screens, and every <details>
# in the content when the page is printed.
FOLD_CLOSE = "</details>"


def fold_open(summary: str, css_class: str = "lg-fold", element_id: str = "") -> str:
    ident = f' id="{html.escape(element_id)}"' if element_id else ""
    return f'<details class="{css_class}"{ident}>\n<summary>{html.escape(summary, quote=False)}</summary>'


def page_history(page: Page) -> str:
    """The page's own change notes (front matter `changes:`), newest first, folded at the end."""
    if not page.change_notes:
        return ""
    notes = sorted(page.change_notes, key=lambda n: n.date, reverse=True)
    out = [fold_open("Page history", "lg-fold lg-history", "page-history"), '<ul class="lg-history__list">']
    for note in notes:
        out.append(f'<li><time datetime="{note.date.isoformat()}">{long_date(note.date)}</time>: '
                   f"{html.escape(note.summary, quote=False)}</li>")
    return "\n".join([*out, "</ul>", FOLD_CLOSE])


ADVISER_RE = re.compile(r"^([ \t]*)!!![ \t]+adviser\b")
_ADVISER_ANYWHERE = re.compile(r"^[ \t]*!!![ \t]+adviser\b", re.MULTILINE)  # ADVISER_RE on any line
_ADVISER_AFTER_INDENT = re.compile(r"!!![ \t]+adviser\b")  # ADVISER_RE from its "!!!" on


def fold_adviser_boxes(markdown: str) -> str:
    """`!!! adviser` boxes become `??? adviser` (pymdownx.details): folded, opened when printed."""
    # Most pages have no adviser box (many have other boxes): then there is no need to find the code blocks.
    if "adviser" not in markdown or "!!!" not in markdown:
        return markdown
    if "```" not in markdown and "~~~" not in markdown:  # no fenced code (code_mask's test): every line is text
        return _fold_every_line(markdown)
    if not _ADVISER_ANYWHERE.search(markdown):
        return markdown
    lines = markdown.split("\n")
    out = [ADVISER_RE.sub(r"\1??? adviser", line) if "!!!" in line and not is_code else line
           for line, is_code in zip(lines, code_mask(lines), strict=True)]
    return "\n".join(out)


def _fold_every_line(markdown: str) -> str:
    """ADVISER_RE's replacement on every line at once: each "!!!" found by a plain search (a regular
    expression anchored at line starts tries every character of the page), kept when only spaces and
    tabs stand before it on its line."""
    out, pos = [], 0
    at = markdown.find("!!!")
    while at >= 0:
        box = _ADVISER_AFTER_INDENT.match(markdown, at)
        if box and not markdown[markdown.rfind("\n", 0, at) + 1:at].strip(" \t"):
            out += [markdown[pos:at], "??? adviser"]
            pos = box.end()
        at = markdown.find("!!!", at + 3)
    return "".join(out) + markdown[pos:] if out else markdown


def insert_alias_anchors(markdown: str, aliases: dict[str, str]) -> str:
    """Put each retired id on an empty block just before the heading that replaced it, so old
    links still land there. The block has no content and no role: invisible and never announced.
    It is Markdown-level raw HTML, so MkDocs' own anchor validation sees the id too."""
    if not aliases:
        return markdown
    by_target: dict[str, list[str]] = {}
    for old, new in aliases.items():
        by_target.setdefault(new, []).append(old)
    lines = markdown.split("\n")
    out: list[str] = []
    for line, is_code in zip(lines, code_mask(lines), strict=True):
        heading = None if is_code else parse_heading(line, 0)
        if heading and heading.id in by_target:
            for old in by_target.pop(heading.id):
                out += ["", f'<div id="{html.escape(old, quote=True)}" class="{ALIAS_CLASS}"></div>']
            out.append("")
        out.append(line)
    return "\n".join(out)
