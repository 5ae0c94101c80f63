"""Domain objects -> small Markdown strings. Register and glossary text is data, never markup:
everything from YAML goes through md_text()."""

from __future__ import annotations

import datetime as dt
import html
import re

from lawguide.content.markdown_scan import code_mask, parse_heading, transform_citations
from lawguide.content.pages import Page
from lawguide.content.register import LawRef
from lawguide.content.site import Site
from lawguide.content.urls import GLOSSARY_PAGE, href, law_page_path, rel_link
from lawguide.lawchange.review import law_changes

_MD_SPECIAL = re.compile(r"([\\`*_\[\]{}<>#|!])")
ALIAS_CLASS = "lg-anchor-alias"
# Guidance that no longer applies says so wherever it is cited, so a page may still cite it on purpose.
OLD_EDITION = {"superseded": "replaced by a newer edition", "withdrawn": "withdrawn"}


def md_text(text: str) -> str:
    """Escape text for inline Markdown: HTML-escaped, Markdown punctuation backslashed."""
    return _MD_SPECIAL.sub(r"\\\1", html.unescape(html.escape(text, quote=False))).replace("&", "&amp;")


def html_link(url: str, text: str, css_class: str = "") -> str:
    """An <a> element; text from YAML is escaped, never markup."""
    cls = f' class="{css_class}"' if css_class else ""
    return f'<a{cls} href="{html.escape(url)}">{html.escape(text, quote=False)}</a>'


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
        return f'<a class="lg-term" href="{href(site, page_path, GLOSSARY_PAGE, term.id)}">{label}</a>'
    ref = site.register.refs.get(target)
    if ref is None:
        return md_text(text or target)
    link = f'<a class="lg-cite" href="{href(site, page_path, law_page_path(ref.id))}">{md_text(text or ref.cite)}</a>'
    if ref.is_proposal:
        link += ' <span class="lg-proposal-tag">(a proposal, not law)</span>'
    elif ref.status in OLD_EDITION:
        link += f' <span class="lg-replaced-tag">({OLD_EDITION[ref.status]})</span>'
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
        elif change.kind == "withdrawn":
            items.append(f"- {link} has been withdrawn. It no longer applies.")
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
    terms = [site.glossary.terms[t] for t in dict.fromkeys(c.target for c in page.glossary_links)
             if t in site.glossary.terms]
    if not terms:
        return ""
    # The everyday words stay in the search index: they are how "respite" finds the short breaks pages.
    out = ["", "## Words used on this page {#words-on-this-page}", "", '<ul class="lg-words">']
    for term in terms:
        also = f" Also called: {', '.join(term.also_called)}." if term.also_called else ""
        out.append(f"<li>{html_link(href(site, page.path, GLOSSARY_PAGE, term.id), term.term)}: "
                   f"{html.escape(term.definition + also, quote=False)}</li>")
    return "\n".join([*out, "</ul>"]) + "\n"


def legal_basis(site: Site, page: Page) -> str:
    refs: list[LawRef] = [site.register.refs[t] for t in dict.fromkeys(c.target for c in page.law_citations)
                          if t in site.register.refs]
    if not refs:
        return ""
    # Left out of the search index: the same citations already sit in the page text.
    out = ["", "## Legal basis {#legal-basis data-search-exclude}", "",
           "The law this page relies on. Each link opens our page on that law, with a link to the official text.", "",
           '<ul class="lg-legal-basis">']
    for ref in refs:
        tag = " (a proposal, not law)" if ref.is_proposal else (f" ({OLD_EDITION[ref.status]})" if ref.status in OLD_EDITION else "")
        out.append(f"<li>{html_link(href(site, page.path, law_page_path(ref.id)), ref.cite)}: "
                   f"{html.escape(ref.title + tag, quote=False)}. {html_link(ref.url, 'Official text', 'lg-official')}</li>")
    return "\n".join([*out, "</ul>"]) + "\n"


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
