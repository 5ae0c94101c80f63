"""Domain objects -> small Markdown strings. Register and glossary text is data, never markup:
everything from YAML goes through md_text()."""

from __future__ import annotations

import datetime as dt
import html
import posixpath
import re

from .links import insert_alias_anchors
from .markdown_scan import transform_citations
from .pages import Page
from .register import LawRef
from .review import law_changes
from .site import Site

LAW_DIR = "law"
GLOSSARY_PAGE = "glossary.md"
LAW_INDEX = f"{LAW_DIR}/index.md"
_MD_SPECIAL = re.compile(r"([\\`*_\[\]{}<>#|!])")


def md_text(text: str) -> str:
    """Escape text for inline Markdown: HTML-escaped, Markdown punctuation backslashed."""
    return _MD_SPECIAL.sub(r"\\\1", html.unescape(html.escape(text, quote=False))).replace("&", "&amp;")


def law_page_path(ref_id: str) -> str:
    return f"{LAW_DIR}/{ref_id}.md"


def rel_link(from_page: str, to_page: str, anchor: str = "") -> str:
    link = posixpath.relpath(to_page, posixpath.dirname(from_page) or ".")
    return f"{link}#{anchor}" if anchor else link


def long_date(date: dt.date) -> str:
    return f"{date.day} {date.strftime('%B %Y')}"


def running_text(term: str) -> str:
    """'Short breaks' reads as 'short breaks' mid-sentence; 'Law Commission' and 'EHC plan' keep capitals."""
    words = term.split()
    if words[0].isupper() or any(w[:1].isupper() for w in words[1:]):
        return term
    return term[:1].lower() + term[1:]


def render_citation(site: Site, page_path: str, target: str, text: str, is_glossary: bool) -> str:
    if is_glossary:
        term = site.glossary.terms.get(target)
        if term is None:
            return md_text(text or target)
        label = md_text(text or running_text(term.term))
        return f"[{label}]({rel_link(page_path, GLOSSARY_PAGE, term.id)}){{: .lg-term }}"
    ref = site.register.refs.get(target)
    if ref is None:
        return md_text(text or target)
    link = f"[{md_text(text or ref.cite)}]({rel_link(page_path, law_page_path(ref.id))}){{: .lg-cite }}"
    if ref.is_proposal:
        link += ' <span class="lg-proposal-tag">(a proposal, not law)</span>'
    # A bare [[id]] reads as a reference at the end of a sentence, so it goes in brackets.
    return link if text else f"({link})"


def transform_page(site: Site, page: Page, markdown: str) -> str:
    """The reader's page: citations linked, summary and review date under the title,
    words explained and the legal basis at the end."""
    body = insert_alias_anchors(markdown, page.anchor_aliases)  # retired ids keep working
    body = transform_citations(body, lambda t, x, g: render_citation(site, page.path, t, x, g))
    header = "\n\n".join(b for b in (_header_block(page), law_change_notice(site, page)) if b)
    body = _insert_after_h1(body, header)
    return body.rstrip() + "\n" + words_section(site, page) + legal_basis(site, page)


def _header_block(page: Page) -> str:
    parts = []
    if page.summary:
        parts.append(f'<p class="lg-summary">{html.escape(page.summary)}</p>')
    if page.reviewed:
        parts.append(f'<p class="lg-reviewed">Last reviewed on <time datetime="{page.reviewed.isoformat()}">'
                     f"{long_date(page.reviewed)}</time></p>")
    return "\n".join(parts)


def law_change_notice(site: Site, page: Page, today: dt.date | None = None) -> str:
    """The notice under the title of an affected page: what changed, when, a link to the law page,
    and that we are checking the page. Empty when the law behind the page has not moved."""
    changes = law_changes(site, page)
    if not changes:
        return ""
    today = today or dt.date.today()
    items = []
    for change in changes:
        link = f"[{md_text(change.ref.cite)}]({rel_link(page.path, law_page_path(change.ref.id))})"
        if change.kind == "changed":
            verb = "changed" if change.date <= today else "will change"
            items.append(f"- {link} {verb} on {long_date(change.date)}: {md_text(change.summary.rstrip('.'))}.")
        elif change.kind == "repealed":
            items.append(f"- {link} has been repealed. It is no longer the law.")
        else:
            new = change.replaced_by
            target = (f"[{md_text(new.cite)}]({rel_link(page.path, law_page_path(new.id))})" if new
                      else md_text(change.summary))
            items.append(f"- {link} has been replaced by {target}.")
    ids = " ".join(dict.fromkeys(change.ref.id for change in changes))
    upcoming = all(change.kind == "changed" and change.date > today for change in changes)
    what = "is about to change" if upcoming else "has changed since we last reviewed the page"
    return "\n".join([
        f'<div class="lg-law-change" id="law-change-notice" data-law-change="{html.escape(ids)}" role="note" markdown="1">',
        "",
        f"The law this page relies on {what}. We are checking the page now. "
        "Until we finish, parts of it may be out of date.",
        "",
        *items,
        "",
        "</div>",
    ])


def _insert_after_h1(body: str, block: str) -> str:
    if not block:
        return body
    lines = body.split("\n")
    for i, line in enumerate(lines):
        if line.startswith("# "):
            return "\n".join(lines[: i + 1] + ["", block, ""] + lines[i + 1:])
    return block + "\n\n" + body


def words_section(site: Site, page: Page) -> str:
    """Glossary terms the page links, with the everyday words for them (these also feed search)."""
    terms = []
    for cite in page.glossary_links:
        term = site.glossary.terms.get(cite.target)
        if term and term not in terms:
            terms.append(term)
    if not terms:
        return ""
    out = ["", "## Words used on this page {#words-on-this-page}", ""]
    for term in terms:
        also = f" Also called: {md_text(', '.join(term.also_called))}." if term.also_called else ""
        out.append(f"- [{md_text(term.term)}]({rel_link(page.path, GLOSSARY_PAGE, term.id)}): "
                   f"{md_text(term.definition)}{also}")
    return "\n".join(out) + "\n"


def legal_basis(site: Site, page: Page) -> str:
    refs: list[LawRef] = []
    for cite in page.law_citations:
        ref = site.register.refs.get(cite.target)
        if ref and ref not in refs:
            refs.append(ref)
    if not refs:
        return ""
    out = ["", "## Legal basis {#legal-basis}", "",
           "The law this page relies on. Each link opens our page on that law, with a link to the official text.", ""]
    for ref in refs:
        tag = " (a proposal, not law)" if ref.is_proposal else ""
        out.append(f"- [{md_text(ref.cite)}]({rel_link(page.path, law_page_path(ref.id))}): {md_text(ref.title)}{tag}. "
                   f"[Official text]({ref.url}){{: .lg-official }}")
    return "\n".join(out) + "\n"
