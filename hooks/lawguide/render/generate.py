"""Pages the engine generates: one per law reference, the law index, the glossary, what's changed and
the editors' review page; plus the changes feed and review.json."""

from __future__ import annotations

import datetime as dt
import html
import re
from collections.abc import Collection

from lawguide.content.flows import FINDER_DIR
from lawguide.content.register import LawRef
from lawguide.content.site import Site
from lawguide.content.translations import Versions, site_versions
from lawguide.content.urls import (
    CHANGES_PAGE,
    EDITIONS_PAGE,
    EDITORS_PAGE,
    FEED_FILE,
    GLOSSARY_PAGE,
    LAW_DIR,
    LAW_INDEX,
    LAW_PAGE_CHANGES,
    LAW_PAGE_GUIDES,
    LAW_PAGE_SOURCES,
    LAW_PAGE_TOP,
    REVIEW_JSON,
    changes_year_of,
    href,
    instrument_anchor,
    law_page_path,
)
from lawguide.core import clock
from lawguide.render.editions import Edition, editions_page
from lawguide.render.editors import editors_page, finish_editors_html, review_json
from lawguide.render.finder import finder_pages
from lawguide.render.page import html_attr, html_link, md_text, raw_html_text
from lawguide.render.whatschanged import changes_feed, changes_page, changes_year_pages, finish_changes_html
from lawguide.render.wording import history_label, long_date, reader_tag

PROPOSAL_BOX = {
    "proposal": "This is a proposal. It does not change the law unless Parliament acts. The current law still applies.",
    "bill": "This is a Bill: a proposed law before Parliament. It is not law. It becomes law only if Parliament "
            "passes it, it gets Royal Assent and its sections are brought into force. The current law still applies.",
    "consultation": "This is a consultation: the government asking what people think of a proposal. It does not "
                    "change the law. The current law still applies.",
    "response": "This is the government's response to a proposal: what it plans to do. It does not change the law "
                "unless Parliament acts. The current law still applies.",
    "parliament": "This is a record of what was said in Parliament, such as a minister's answer or a committee "
                  "hearing. It does not change the law. The current law still applies.",
}


def _status_box(site: Site, ref: LawRef, path: str, today: dt.date) -> list[str]:
    """The warning under a law page's summary: said once, so the status row below only names the state."""
    if ref.is_proposal:
        words = PROPOSAL_BOX.get(ref.type, PROPOSAL_BOX["proposal"])
        if ref.status == "withdrawn":
            words = "This proposal was dropped. It never became law. The current law still applies."
        elif ref.status == "superseded":
            new = site.register.refs.get(ref.replaced_by) if ref.replaced_by else None
            words = ("This proposal is no longer current. It was never law in this form. "
                     + (f"See {html_link(href(site, path, law_page_path(new.id)), new.cite)}." if new else ""))
        return [f'!!! warning "{ref.status_label}"', f"    {words.strip()}", ""]
    pending = ref.pending(today)
    if pending is not None:
        label = reader_tag(ref, today)
        return [f'!!! warning "{label[:1].upper() + label[1:]}"',
                f"    Until {long_date(pending.commences)} the law as it was still applies. {md_text(pending.summary)}", ""]
    if ref.status in ("superseded", "withdrawn"):
        new = site.register.refs.get(ref.replaced_by) if ref.replaced_by else None
        use = (f"Use {html_link(href(site, path, law_page_path(new.id)), new.cite)} instead. " if new
               else "It no longer applies. ")
        return [f'!!! warning "{ref.status_label}"', f"    {use}We keep this page so that old links still work.", ""]
    commenced = next((c for c in ref.changes if c.kind == "commenced" and c.commences and c.commences <= today), None)
    if ref.status == "not-yet-in-force" and commenced is not None:
        return [f'!!! note "In force since {long_date(commenced.commences)}"', f"    {md_text(commenced.summary)}", ""]
    if ref.status in ("repealed", "not-yet-in-force"):
        return [f'!!! warning "{ref.status_label}"', f"    Status: {ref.status_label.lower()}.", ""]
    if ref.is_local:
        return ['!!! note "One council\'s policy: an example only"',
                f"    This is the policy of {md_text(ref.scope)}. Your council's policy may be different: ask for it.", ""]
    return []


def law_page(site: Site, ref: LawRef, today: dt.date | None = None, table_after: bool = False) -> str:
    """A law page's Markdown. table_after: its "About this law" table is a placeholder paragraph, and its
    HTML goes in after conversion (finish_searched_html), where every cell's HTML is known for certain."""
    today = today or clock.today()
    path = law_page_path(ref.id)
    out = [
        "---",
        f"title: {_yaml_str(ref.cite)}",
        f"description: {_yaml_str(ref.summary)}",
        # Parents searching everyday words should land on a guide page before the law behind it.
        "search:",
        "  boost: 0.3",
        "---",
        "",
        f"# {md_text(ref.cite)}: {md_text(ref.title)} {{#{LAW_PAGE_TOP}}}",
        "",
        f'<p class="lg-summary">{raw_html_text(ref.summary)}</p>',
        "",
    ]
    out += _status_box(site, ref, path, today)
    status = ref.status_label if ref.is_proposal else {"superseded": "No longer current", "withdrawn": "Withdrawn"}.get(
        ref.status, ref.status_label)
    rows = _about_rows(ref, status)
    if table_after and all(html_cell is not None for _, _, html_cell in rows):
        site.remember("law_tables", dict)[path] = _about_table_html(rows)
        out += [LAW_TABLE_PLACEHOLDER, ""]
    else:
        out += ["| About this law | Details |", "|---|---|", *(f"| {label} | {cell} |" for label, cell, _ in rows), ""]
    if ref.replaced_by and ref.replaced_by in site.register and ref.status not in ("superseded", "withdrawn"):
        new = site.register[ref.replaced_by]
        out += [f"This has been replaced by {html_link(href(site, path, law_page_path(new.id)), new.cite)}.", ""]
    out += _guides_section(site, ref, path)
    out += _changes_section(ref)
    # Research notes are for editors (the YAML and /editors/); readers get one plain line.
    out += [f"## Sources and checks {{#{LAW_PAGE_SOURCES}}}", "", checked_line(ref), ""]
    return "\n".join(out)


def _checked_row(ref: LawRef) -> tuple[str, str]:
    """Say plainly how the entry was last checked: a secondary-only check must not read as a check of the source."""
    if not ref.verified:
        return "Last checked against the source", "not recorded"
    if ref.verified_from == "secondary":
        return ("Last checked", f"{long_date(ref.verified)}, using other reliable sources only. "
                "We could not read the official text itself.")
    return "Last checked against the source", long_date(ref.verified)


# A law page's table ("About this law") can reach the engine as a placeholder paragraph, its HTML put in after
# conversion (issue 31: Python-Markdown read its cells one by one, most of a law page's conversion). Each cell
# is (label, its Markdown, its HTML as Python-Markdown gives it, or None when that is not certain: then the
# page keeps its Markdown table). tests/render/test_law_table_after.py converts every page both ways.
LAW_TABLE_PLACEHOLDER = "lgqlawtableq"
_TABLE_BLOCK = f"<p>{LAW_TABLE_PLACEHOLDER}</p>"
_PLAIN = re.compile(r"[A-Za-z0-9 ,.:;'()\-]*")  # no character Markdown reads as syntax in a table cell
_ID = re.compile(r"[A-Za-z0-9._-]+")
_MD_LINE_BREAKS = re.compile(r"[ \t]*[\r\n][\s]*")  # as md_text joins lines


def _plain_html(text: str) -> str | None:
    """Text written into a cell as it is: its HTML is itself when it holds no Markdown syntax."""
    return text.strip() if _PLAIN.fullmatch(text) else None


def _escaped_html(text: str, after: str = "") -> str | None:
    """The HTML of md_text(text) + after: what md_text escapes, Markdown gives back; a tab (Markdown turns it
    into spaces) or a placeholder character of Python-Markdown's is not certain."""
    if any(c in text for c in "\t\x02\x03") or not _PLAIN.fullmatch(after):
        return None
    return (html.escape(_MD_LINE_BREAKS.sub(" ", text), quote=False) + after).strip()


def _about_rows(ref: LawRef, status: str) -> list[tuple[str, str, str | None]]:
    checked_label, checked = _checked_row(ref)
    link = html_link(ref.url, "Read the official text")  # raw HTML: Markdown hands it back as it is
    rows = [("Citation", md_text(ref.cite), _escaped_html(ref.cite)),
            ("Kind", ref.type_label, _plain_html(ref.type_label))]
    if ref.is_local:
        rows.append(("Applies to", f"{md_text(ref.scope)} only", _escaped_html(ref.scope, " only")))
    rows += [("Status", status, _plain_html(status)),
             (checked_label, checked, _plain_html(checked)),
             ("Official text", link, link),
             ("Short link", f"`/law/{ref.id}/`", f"<code>/law/{ref.id}/</code>" if _ID.fullmatch(ref.id) else None)]
    return rows


def _about_table_html(rows: list[tuple[str, str, str | None]]) -> str:
    body = "".join(f"<tr>\n<td>{label}</td>\n<td>{cell}</td>\n</tr>\n" for label, _, cell in rows)
    return ("<table>\n<thead>\n<tr>\n<th>About this law</th>\n<th>Details</th>\n</tr>\n</thead>\n<tbody>\n"
            f"{body}</tbody>\n</table>")


def checked_line(ref: LawRef) -> str:
    if ref.verified is None:
        return "We have not recorded when we last checked this."
    if ref.verified_from == "secondary":
        return (f"We could not read the official text. We checked this against other reliable sources on "
                f"{long_date(ref.verified)}.")
    return f"We checked this against the official text on {long_date(ref.verified)}."


GUIDES_PLACEHOLDER = "lgqguidesq"  # where finish_generated_html puts a law page's list of guides
# The placeholder paragraph is excluded from search like the list that replaces it, so an engine may
# put the list in after indexing (the section's search text stays empty, as it always was).
_GUIDES_BLOCK = re.compile(rf"<p data-search-exclude(?:=\"\")?>{GUIDES_PLACEHOLDER}</p>(\n?)")


def _guides_section(site: Site, ref: LawRef, path: str) -> list[str]:
    out = [f"## Guides that rely on this {{#{LAW_PAGE_GUIDES}}}", ""]
    if not site.citing_page_count(ref.id):
        return out + ["No guide page cites this yet.", ""]
    # The list can run to hundreds of links: it goes into the HTML after conversion (finish_generated_html),
    # so Python-Markdown never parses it.
    return out + [GUIDES_PLACEHOLDER, "{: data-search-exclude }", ""]


def guides_list(site: Site, ref: LawRef) -> str:
    """Every guide page citing ref, with the sections that cite it; HTML with final URLs (see urls.href).
    English pages and Easy Read versions first, then each other language's pages under the language's
    name in itself (ui-strings `name`), each link marked with its language and direction (a screen reader
    speaks it in that language; an Arabic title keeps its order). Kept out of search, which should find
    the guides themselves. (The exclusion sits on a wrapper: Material's search parser fails on nested
    lists inside an excluded list.)"""
    path = law_page_path(ref.id)
    order = site.remember("citing_pages_order", lambda: {p: page.title.lower() for p, page in site.citing_pages.items()})
    versions = site_versions(site)
    sections = site.remember("guide_sections", dict)  # the <li> of one section of one page, by its link
    languages = site.remember("guide_languages", dict)  # a citing page -> its language code and link attributes
    groups: dict[str, list[str]] = {}  # language code ("" for English and Easy Read) -> its <li>s, by title
    for page_path, anchors in sorted(site.cited_sections(ref.id), key=lambda pa: order[pa[0]]):
        language = languages.get(page_path)
        if language is None:
            version = versions.by_path.get(page_path)
            code = "" if version is None or version.easy_read else version.language
            language = languages[page_path] = code, _lang_attrs(versions, code)
        groups.setdefault(language[0], []).append(_guide_item(site, path, page_path, anchors, language[1], sections))
    out = ['<div class="lg-guides" data-search-exclude>']
    for code in sorted(groups):  # "" (English) first, then the languages by code, as the page switcher has them
        if code:
            language = versions.languages.get(code)
            name = html.escape(language.strings.get("name", code) if language else code)
            out.append(f'<p class="lg-guides__lang"><span{_lang_attrs(versions, code)[1]}>{name}</span></p>')
        out += ["<ul>", *groups[code], "</ul>"]
    return "\n".join([*out, "</div>"])


def _lang_attrs(versions: Versions, code: str) -> tuple[str, str]:
    """(hreflang, lang and dir) attributes for a link to a page in language `code`; none for English, the
    law page's own language."""
    if not code:
        return "", ""
    language = versions.languages.get(code)
    code = html.escape(code, quote=True)
    return f' hreflang="{code}"', f' lang="{code}" dir="{language.direction if language else "ltr"}"'


def _guide_item(site: Site, path: str, page_path: str, anchors: tuple[str, ...], attrs: tuple[str, str],
                shared: dict[tuple[str, str, str], str] | None = None) -> str:
    """One citing page's <li>: its link, and a list of the sections that cite the reference. A section's
    <li> depends only on its page, its address and the link's attributes: law pages at the same depth
    list the same sections alike, so with `shared` each is made once a build and reused."""
    page_href = href(site, path, page_path)  # + "#" + anchor is href(..., anchor): one computed, not each
    link_attrs = "".join(attrs)
    shared = {} if shared is None else shared
    whole = (page_path, page_href, anchors, link_attrs)  # the same sections of the same page, linked alike
    if whole in shared:
        return shared[whole]
    page = site.citing_pages[page_path]
    sections = []
    for anchor in anchors:
        url = f"{page_href}#{anchor}"
        key = (page_path, url, link_attrs)
        item = shared.get(key)
        if item is None:
            heading = page.heading(anchor)
            item = shared[key] = f"<li>{_link(url, heading.text if heading else anchor, link_attrs)}</li>"
        sections.append(item)
    inner = f"<ul>{''.join(sections)}</ul>" if sections else ""
    shared[whole] = item = f"<li>{_link(page_href, page.title, link_attrs)}{inner}</li>"
    return item


def _link(url: str, text: str, attrs: str) -> str:
    """html_link with extra attributes (already escaped): the same bytes when there are none."""
    return f'<a href="{html_attr(url)}"{attrs}>{raw_html_text(text)}</a>'


def finish_searched_html(site: Site, path: str, content: str, today: dt.date | None = None) -> str:
    """The lists a generated page puts in after conversion that search should index: the lists of entries
    of What's changed and its year pages, and a route-finder page's HTML when the engine was handed its
    placeholder (generated_pages' finder_after). An engine that indexes pages before finish_generated_html
    (the MkDocs adapter) calls this first; finish_generated_html does it too, so calling only that is
    enough elsewhere."""
    if path == CHANGES_PAGE or changes_year_of(path) is not None:
        return finish_changes_html(site, path, content, today)
    if content == _FINDER_BLOCK and path.startswith(f"{FINDER_DIR}/"):
        return _finder_html(site).get(path, content)
    if path.startswith(f"{LAW_DIR}/") and _TABLE_BLOCK in content:
        table = site.remember("law_tables", dict).get(path)
        if table is not None:
            return content.replace(_TABLE_BLOCK, table, 1)
    return content


# A route-finder page is front matter and one raw HTML block (render.finder), which Python-Markdown hands
# back as it is, less the blank lines around it, after reading it tag by tag (about 2 ms a page). With
# finder_after the engine converts a placeholder paragraph instead and the block goes in after conversion:
# the same HTML, byte for byte (tests/render/test_finder_after.py converts every page both ways).
FINDER_PLACEHOLDER = "lgqfinderq"
_FINDER_BLOCK = f"<p>{FINDER_PLACEHOLDER}</p>"


def _finder_pages(site: Site) -> dict[str, str]:
    return site.remember("finder_pages", lambda: finder_pages(site))


def _finder_html(site: Site) -> dict[str, str]:
    """Each finder page's HTML as Python-Markdown would give it: the page's block without its front matter."""
    return site.remember("finder_html", lambda: {path: _split_front(text)[1].strip("\n")
                                                 for path, text in _finder_pages(site).items()})


def _split_front(text: str) -> tuple[str, str]:
    """(front matter with its closing line, the rest) of a generated page."""
    end = text.index("\n---\n", 4) + 5
    return text[:end], text[end:]


def finish_generated_html(site: Site, path: str, content: str, today: dt.date | None = None) -> str:
    """A generated page's HTML after conversion: What's changed gets its lists of entries, a law page
    its list of guides, the editors' page its lists of pages to review. Pure text in, text out, like
    render.page.finish_html; other generated pages pass through."""
    content = finish_searched_html(site, path, content, today)
    if path == EDITORS_PAGE:
        return finish_editors_html(site, content, today or clock.today())
    if GUIDES_PLACEHOLDER not in content or not path.startswith(f"{LAW_DIR}/"):
        return content
    ref = site.register.refs.get(path[len(LAW_DIR) + 1:].removesuffix(".md"))
    if ref is None:
        return content
    # A raw HTML block is followed by a blank line in Python-Markdown's output: same bytes as before.
    return _GUIDES_BLOCK.sub(lambda m: guides_list(site, ref) + ("\n\n" if m.group(1) else ""), content, count=1)


def _changes_section(ref: LawRef) -> list[str]:
    out = [f"## Change history {{#{LAW_PAGE_CHANGES}}}", ""]
    if not ref.changes:
        return out + ["No changes recorded in this guide's register.", ""]
    for change in ref.changes:
        source = f" {html_link(change.source, 'Source')}" if change.source else ""
        effect = f" Takes effect on {long_date(change.commences)}." if change.commences else ""
        out.append(f"- {long_date(change.date)}. {history_label(change.kind)}: {md_text(change.summary)}{effect}{source}")
    return out + [""]


def law_index(site: Site, today: dt.date | None = None) -> str:
    out = ["---", "title: The law this guide relies on", "---", "",
           "# The law this guide relies on", "",
           '<p class="lg-summary">Every Act, regulation, guidance document and case this guide cites, '
           "with a page for each showing which guides rely on it.</p>", "",
           "Each law page has a short link that never changes, for example `/law/ca1989-s17/`. "
           "Proposals and parliamentary records (such as a minister's written answer or evidence to a committee) "
           "are listed too, and marked: they are not law.", ""]
    for instrument, ids in sorted(site.register.instruments.items(), key=lambda kv: kv[0].lower()):
        out += [f"## {md_text(instrument)} {{#{instrument_anchor(instrument)}}}", ""]
        out.append('<ul class="lg-law-index">')
        for ref_id in ids:
            ref = site.register[ref_id]
            count = site.citing_page_count(ref_id)
            uses = f"{count} guide page{'s' if count != 1 else ''}"
            tag = reader_tag(ref, today)
            state = tag[:1].upper() + tag[1:] if tag and not ref.is_proposal else ref.status_label
            detail = f"{ref.title}. {state}; cited by {uses}."
            out.append(f"<li>{html_link(href(site, LAW_INDEX, law_page_path(ref_id)), ref.cite)}: "
                       f"{raw_html_text(detail)}</li>")
        out += ["</ul>", ""]
    return "\n".join(out)


def glossary_page(site: Site) -> str:
    out = ["---", "title: Glossary", "---", "", "# Glossary: words you may hear", "",
           '<p class="lg-summary">What the words used by councils, schools and lawyers mean, in plain English.</p>', ""]
    terms = sorted(site.glossary.terms.values(), key=lambda t: t.term.lower())
    letters: dict[str, list] = {}
    for term in terms:
        letters.setdefault(term.term[:1].upper(), []).append(term)
    out.append("Jump to: " + " ".join(f"[{k}](#letter-{k.lower()})" for k in letters))
    out.append("")
    for letter, group in letters.items():
        out += [f'<h2 id="letter-{letter.lower()}" class="lg-letter-head">{letter}</h2>', ""]
        for term in group:
            out += [f"### {md_text(term.term)} {{#{term.id}}}", "", md_text(term.definition), ""]
            if term.also_called:
                out += [f"Also called: {md_text(', '.join(term.also_called))}.", ""]
            links = [html_link(href(site, GLOSSARY_PAGE, law_page_path(r)), site.register[r].cite)
                     for r in term.refs if r in site.register]
            if links:
                out += ["The law: " + ", ".join(links) + ".", ""]
    return "\n".join(out)


def _yaml_str(text: str) -> str:
    import json

    return json.dumps(text, ensure_ascii=False)


def generated_pages(site: Site, today: dt.date | None = None, editions: list[Edition] | None = None,
                    finder_after: bool = False) -> dict[str, str]:
    """Every generated page: path relative to docs/ -> Markdown. `editions`: the dated editions
    `lawguide publish` keeps (none in a preview build). finder_after: each route-finder page is its front
    matter and a placeholder, for an engine that calls finish_searched_html or finish_generated_html
    on the page's HTML (its block goes in there), and each law page's table likewise (law_page's table_after)."""
    today = today or clock.today()
    pages = {law_page_path(ref.id): law_page(site, ref, today, table_after=finder_after)
             for ref in site.register.refs.values()}
    pages[LAW_INDEX] = law_index(site, today)
    pages[GLOSSARY_PAGE] = glossary_page(site)
    pages[EDITORS_PAGE] = editors_page(site, today)
    if CHANGES_PAGE not in site.pages:  # a hand-written page wins
        pages[CHANGES_PAGE] = changes_page(site, today)
        pages.update((path, text) for path, text in changes_year_pages(site, today).items() if path not in site.pages)
    pages[EDITIONS_PAGE] = editions_page(site, editions or [])
    finder = _finder_pages(site)  # the route finder: /finder/ (render.finder)
    if finder_after:
        finder = {path: f"{_split_front(text)[0]}\n{FINDER_PLACEHOLDER}\n" for path, text in finder.items()}
    pages.update(finder)
    return pages


def shared_menu_folder(page_url: str, menu_urls: Collection[str]) -> str | None:
    """The folder of a page the menu does not hold, when every such page in that folder gets the same menu
    HTML; None for a page in the menu, or one with a menu entry under its own address.

    The menu marks nothing active on a page it does not hold, so its HTML differs between such pages only in
    its relative links. A link from page F/name/ (or F/name.html) to an address outside F/name/ climbs to
    the common ancestor of F and the target, whatever the name: so pages of one folder share it. (The theme
    renders the menu once for each such folder, issue 31: 2 ms of Jinja a generated page.)"""
    if not page_url or page_url in menu_urls or any(url.startswith(page_url) for url in menu_urls):
        return None
    return page_url.rstrip("/").rpartition("/")[0]


def generated_files(site: Site, today: dt.date | None = None) -> dict[str, str]:
    """Generated files that are not pages (the changes feed, the review report): path -> text."""
    today = today or clock.today()
    return {FEED_FILE: changes_feed(site, today), REVIEW_JSON: review_json(site, today)}
