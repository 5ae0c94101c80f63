"""The editors' review page (/editors/) and its data (/editors/review.json): the same report as
`lawguide review`, published with every build. Kept out of the menu, search and search engines."""

from __future__ import annotations

import datetime as dt
import json
import re
from html import escape as html_escape

from lawguide.content.site import Site
from lawguide.content.urls import EDITORS_PAGE, REVIEW_JSON, href, law_page_path, rel_link
from lawguide.lawchange.review import (
    AFFECTED,
    OVERDUE,
    UNFINISHED,
    ReviewItem,
    dated_claim_reason,
    reread_items,
    review_items,
    review_report,
    stale_dated_claims,
    stale_versions,
)
from lawguide.lawchange.sources_lock import StaleSource, stale_sources
from lawguide.render.page import html_link, html_text, long_date, md_text

_HEAD = re.compile(r"<head(\s[^>]*)?>", re.IGNORECASE)


AFFECTED_PLACEHOLDER, OVERDUE_PLACEHOLDER, UNFINISHED_PLACEHOLDER = "lgqaffectedq", "lgqoverdueq", "lgqunfinishedq"
_LIST_BLOCK = re.compile(r"<p>(lgqaffectedq|lgqoverdueq|lgqunfinishedq)</p>")
# Each list holds the pages review.json counts under the same name (review_report's counts): a page both
# affected and overdue is in both lists, as it is in both counts, so the page and review.json never disagree.
_LISTS = {AFFECTED_PLACEHOLDER: AFFECTED, OVERDUE_PLACEHOLDER: OVERDUE, UNFINISHED_PLACEHOLDER: UNFINISHED}


def _in_list(item: ReviewItem, name: str) -> bool:
    return {AFFECTED: item.affected, OVERDUE: item.overdue, UNFINISHED: bool(item.unfinished)}[name]


def page_title(site: Site, path: str) -> str:
    return site.pages[path].title


def _plural(count: int, word: str = "page") -> str:
    return f"{count} {word}{'s' if count != 1 else ''}"


def editors_page(site: Site, today: dt.date) -> str:
    """The page's Markdown. Its lists of pages to review (a line for every page, hundreds on a big
    guide) go into the HTML after conversion (finish_editors_html): Python-Markdown never parses them."""
    counts = _report(site, today)["counts"]
    out = ["---", "title: Pages to review", "robots: noindex", "search:", "  exclude: true", "---", "",
           "# Pages to review", "",
           '<p class="lg-summary">For editors: guide pages affected by a change in the law, and pages due for '
           "review. Readers do not need this page.</p>", "",
           f"On {long_date(today)}, the day this site was built: {_plural(counts[AFFECTED])} affected by a change "
           f"in the law, {_plural(counts[OVERDUE])} overdue for review, {_plural(counts[UNFINISHED])} with an edit "
           "left half done (a page can be in more than one list). Run `lawguide review` for the same list. "
           f"The data is in [review.json]({rel_link(EDITORS_PAGE, REVIEW_JSON)}).",
           "", "## Affected by a change in the law {#affected}", ""]
    out += [AFFECTED_PLACEHOLDER] if counts[AFFECTED] else ["No page is affected by a recorded change in the law."]
    out += ["", "## Overdue for review {#overdue}", ""]
    out += [OVERDUE_PLACEHOLDER] if counts[OVERDUE] else ["No page is overdue for review."]
    out += ["", "## Edits left half done {#unfinished}", "",
            "Readers see nothing of these; `lawguide review` fails until they are finished.", ""]
    out += [UNFINISHED_PLACEHOLDER] if counts[UNFINISHED] else ["No edit is left half done."]
    out += ["", "## Re-read for a change to law or a proposal they name {#reread}", "",
            "Pages naming or describing (a process tag) a law that changed, or a proposal with news (not law), "
            "without citing it. Readers see no notice. "
            "Re-read the page, then record the change in its `reviewed_for:`.", ""]
    out += [f"- [{md_text(r.page.title)}]({rel_link(EDITORS_PAGE, r.page.path)}) (`{md_text(r.page.display)}`): "
            f"{md_text(r.reason())}" for r in reread_items(site, today)] or ["No page is waiting to be re-read."]
    out += ["", "## Dated claims to check {#dated-claims}", "",
            "Sentences saying how things stood \"as of\" a date older than their page's review interval.", ""]
    out += [f"- [{md_text(page_title(site, c.page))}]({rel_link(EDITORS_PAGE, c.page)}) (`{md_text(c.display)}:{c.line}`): "
            f"{md_text(c.sentence)} ({md_text(dated_claim_reason(c, months))})"
            for c, months in stale_dated_claims(site, today)] or ["No \"as of\" claim is older than its page's interval."]
    out += ["", "## Source changed: re-verify {#sources-changed}", "",
            "The last `lawguide sources check` found these sources changed after their entry was verified. "
            "Readers see no notice until an editor confirms the change in the register. Read the source, "
            "update the entry, then run `lawguide sources reverify ID`.", ""]
    out += _stale_lines(stale_sources(site)) or ["No source has changed since its entry was verified."]
    out += ["", "## Translations to update {#stale-versions}", "",
            "Translations and Easy Read versions made from an older text of their English page. Their readers see "
            "a notice in their language linking to the English page until the version is updated.", ""]
    out += _stale_version_lines(site) or ["No translation or Easy Read version is out of date."]
    out += ["", "## Register notes {#register-notes}", "",
            "Where each entry was checked, from the `notes` in law_refs/*.yml. Law pages show readers only the date "
            "and whether the official text was read.", ""]
    for ref in sorted(site.register.refs.values(), key=lambda r: r.id):
        if not ref.notes:
            continue
        verified = long_date(ref.verified) if ref.verified else "never"
        secondary = "; secondary sources only" if ref.verified_from == "secondary" else ""
        out += [f"- [{md_text(ref.cite)}]({rel_link(EDITORS_PAGE, law_page_path(ref.id))}) (`{ref.id}`), "
                f"verified {verified}{secondary}: {md_text(ref.notes)}"]
    return "\n".join(out) + "\n"


def _stale_version_lines(site: Site) -> list[str]:
    out = []
    for item in stale_versions(site):
        page, english = site.pages[item["page"]], site.pages[item["of"]]
        out.append(f"- [{md_text(page.title)}]({rel_link(EDITORS_PAGE, item['page'])}) (`{md_text(item['display'])}`, "
                   f"{md_text(item['language'])}{' Easy Read' if item['variant'] else ''}), made from an older text of "
                   f"[{md_text(english.title)}]({rel_link(EDITORS_PAGE, item['of'])}): {md_text(item['reason'])}")
    return out


def _stale_lines(stale: list[StaleSource]) -> list[str]:
    out = []
    for source in stale:
        law = f"[{md_text(source.cite)}]({rel_link(EDITORS_PAGE, law_page_path(source.ref_id))})"
        verified = long_date(source.verified) if source.verified else "never"
        out.append(f"- {law} (`{source.ref_id}`), verified {verified}")
        changed = long_date(source.entry.changed) if source.entry.changed else "an unknown date"
        out.append(f"    - Changed on {changed}: {md_text(source.entry.summary)}")
        pages = ", ".join(f"[{md_text(p)}]({rel_link(EDITORS_PAGE, p)})" for p in source.pages)
        out.append(f"    - Pages: {pages or 'none cite it'}")
    return out


def finish_editors_html(site: Site, content: str, today: dt.date) -> str:
    """The editors' page HTML with its lists of pages to review put in: pure text in, text out."""
    if "lgq" not in content:
        return content
    items = review_items(site, today)

    def block(match: re.Match) -> str:
        name = _LISTS[match.group(1)]
        return _item_list(site, [i for i in items if _in_list(i, name)], name)

    return _LIST_BLOCK.sub(block, content)


def _item_list(site: Site, items: list[ReviewItem], name: str = AFFECTED) -> str:
    """The list as Python-Markdown wrote it from the Markdown list it replaces: the same bytes."""
    out = ["<ul>"]
    for item in items:
        page = item.page
        reviewed = long_date(page.reviewed) if page.reviewed else "never"
        line = (f"<li>{html_link(href(site, EDITORS_PAGE, page.path), page.title)} "
                f"(<code>{html_text(page.display)}</code>), last reviewed {reviewed}")
        sub = [f"<li>{html_text(reason)}</li>" for reason in item.unfinished] if name == UNFINISHED else []
        for change in item.law_changes if name == AFFECTED else []:
            law = html_link(href(site, EDITORS_PAGE, law_page_path(change.ref.id)), change.ref.cite)
            if change.kind == "changed":
                sub.append(f"<li>{law} changed on {long_date(change.date)}: {html_text(change.summary)}</li>")
            else:
                sub.append(f"<li>{law}: {html_text(change.summary)}</li>")
        if item.overdue and name != UNFINISHED:
            due = f"was due on {long_date(item.due)}" if item.due else "has no valid 'reviewed' date"
            sub.append(f"<li>Review {due}.</li>")
        out.append(f"{line}<ul>\n" + "\n".join(sub) + "\n</ul>\n</li>" if sub else f"{line}</li>")
    return "\n".join([*out, "</ul>"])


def review_json(site: Site, today: dt.date) -> str:
    return json.dumps(_report(site, today), indent=2, ensure_ascii=False) + "\n"


def _report(site: Site, today: dt.date) -> dict:
    """review_report, worked out once a build for each day: the editors' page and review.json both read it.
    Never changed by its readers (json.dumps and the page's counts only read it)."""
    return site.remember(("review_report", today), lambda: review_report(site, today))


def add_robots_meta(html: str, robots: str) -> str:
    """Insert <meta name="robots"> at the top of <head>, for pages whose front matter sets `robots`."""
    tag = f'<meta name="robots" content="{html_escape(str(robots), quote=True)}">'
    if tag in html:
        return html
    return _HEAD.sub(lambda m: m.group(0) + "\n    " + tag, html, count=1)
