"""What's changed: law changes from the register and editorial change notes from pages, newest
first, as a generated page (changes.md -> /changes/) and an Atom feed (/changes/feed.xml).

Feed links are absolute when mkdocs.yml sets `site_url`; without it they are relative to the
feed's own address (/changes/feed.xml), which Atom allows and feed readers resolve. Entry and
feed ids never depend on site_url: they are `urn:uuid:` values derived from the entry itself,
so setting or moving site_url later does not make readers see every entry twice.
"""

from __future__ import annotations

import datetime as dt
import posixpath
import re
import uuid
import xml.etree.ElementTree as ET
from dataclasses import dataclass

from lawguide.content import urls
from lawguide.content.site import Site
from lawguide.content.urls import (
    CHANGES_OLDER,
    CHANGES_PAGE,
    FEED_FILE,
    changes_archive,
    changes_cutoff,
    changes_month_anchor,
    changes_year_path,
    law_page_path,
    rel_link,
)
from lawguide.core import clock
from lawguide.render.page import html_link, html_text
from lawguide.render.wording import long_date, news_label

FEED_LIMIT = 100  # guide updates in the feed; law changes are never pushed out by them
ATOM = "http://www.w3.org/2005/Atom"
LAW, GUIDE = "law", "guide"
IN_EFFECT = "in-effect"  # the day a change recorded earlier takes effect (its `commences:` date)
IN_EFFECT_WORDS = {"commenced": "Now in force", "amended": "The change takes effect", "repealed": "The repeal takes effect"}


@dataclass(frozen=True)
class ChangeEntry:
    date: dt.date
    kind: str  # LAW (a change to a cited law) or GUIDE (an editorial change note on a page)
    target: str  # docs-relative path of the page the entry links to
    title: str  # the law's citation or the page's title
    summary: str
    source: str = ""  # official source of a law change
    proposal: bool = False  # a change to a proposal (a Bill, a report): not a change in the law
    change_kind: str = "amended"  # the register's kind of change (LAW), or IN_EFFECT
    pages: tuple[tuple[str, str], ...] = ()  # GUIDE: every (path, title) with the same note that day

    @property
    def label(self) -> str:
        if self.kind == GUIDE:
            return "Guide update"
        if self.proposal:
            return news_label("reform-update")
        return "Now in effect" if self.change_kind == IN_EFFECT else news_label(self.change_kind)

    @property
    def uid(self) -> str:
        where = self.target if len(self.pages) < 2 else ",".join(path for path, _ in self.pages)
        kind = self.kind if self.change_kind != IN_EFFECT else f"{self.kind}:{IN_EFFECT}"
        name = f"lawguide:{kind}:{where}:{self.date.isoformat()}:{self.summary}"
        return f"urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, name)}"


def change_entries(site: Site, today: dt.date | None = None) -> list[ChangeEntry]:
    """Every dated change up to today, newest first; on the same day law changes come before guide
    updates. A change that takes effect later is listed on its date and again on the day it takes
    effect (no editor needed). A page's notes of one day are one entry, and pages given the same
    note on the same day share one entry. Worked out once a build for each day: What's changed, each
    year page, each month's list, the feed and the editions page all ask."""
    today = today or clock.today()
    return list(site.remember(("change_entries", today), lambda: _change_entries(site, today)))


def _change_entries(site: Site, today: dt.date) -> list[ChangeEntry]:
    entries = []
    for ref in site.register.refs.values():
        for c in ref.changes:
            if c.kind == "link-moved":  # the register's business: readers' links already point at the new address
                continue
            later = c.commences if c.commences and c.commences > c.date else None
            summary = c.summary + (f" Takes effect on {long_date(later)}." if later else "")
            entries.append(ChangeEntry(c.date, LAW, law_page_path(ref.id), ref.cite, summary, c.source,
                                       ref.is_proposal, c.kind))
            if later and later <= today:
                words = IN_EFFECT_WORDS.get(c.kind, "Takes effect")
                entries.append(ChangeEntry(later, LAW, law_page_path(ref.id), ref.cite, f"{words}: {c.summary}",
                                           c.source, ref.is_proposal, IN_EFFECT))
    entries += _guide_entries(site)
    return sorted(entries, key=lambda e: (-e.date.toordinal(), e.kind != LAW, e.title.lower(), e.summary))


def _guide_entries(site: Site) -> list[ChangeEntry]:
    by_page_day: dict[tuple[dt.date, str], list[str]] = {}
    for page in site.pages.values():
        for note in page.change_notes:
            notes = by_page_day.setdefault((note.date, page.path), [])
            if note.summary not in notes:
                notes.append(note.summary)
    by_note: dict[tuple[dt.date, str], list[str]] = {}
    for (date, path), notes in by_page_day.items():
        by_note.setdefault((date, " ".join(n if n.endswith(".") else n + "." for n in notes)), []).append(path)
    out = []
    for (date, summary), paths in by_note.items():
        pages = tuple(sorted(((p, site.pages[p].title) for p in paths), key=lambda pt: pt[1].lower()))
        if len(pages) == 1:
            out.append(ChangeEntry(date, GUIDE, pages[0][0], pages[0][1], summary, pages=pages))
        else:
            out.append(ChangeEntry(date, GUIDE, CHANGES_PAGE, f"{len(pages)} pages", summary, pages=pages))
    return out


# Where a month's list goes: letters and digits (Python-Markdown passes them through as a paragraph),
# the month's number in them. The page's Markdown holds no text from change notes or titles at all, so
# nothing an editor writes can pass for one.
# What the page says of news that is not law: every register type that is never law (STYLE.md, "Proposals, Bills
# and commencement"), parliamentary records included, is labelled "(a proposal, not law)" (wording.news_label).
NOT_LAW_NOTE = ("Proposals, Bills and consultations are marked \"a proposal, not law\". So is news about a "
                "parliamentary record, such as a minister's written answer or evidence to a committee. "
                "None of these change the law.")
_MONTH_PLACEHOLDER = "lgqchanges{year:04d}{month:02d}q"
_MONTH_BLOCK = re.compile(r"<p>lgqchanges(\d{4})(\d{2})q</p>")


def changes_page(site: Site, today: dt.date | None = None) -> str:
    """What's changed as Markdown: headings and fixed words only. Each month's list is a placeholder
    that finish_changes_html fills after conversion, so Python-Markdown never parses the entries
    (they grow with every change note ever written); the month headings stay Markdown for the table
    of contents and anchors."""
    out = ["---", "title: What's changed", "description: Changes to the law this guide relies on, "
           "and changes we have made to the guide, newest first.", "---", "",
           "# What's changed", "",
           '<p class="lg-summary">Changes to the law this guide relies on, and changes we have made to the guide, '
           "newest first.</p>", "",
           f"You can follow these changes in a feed reader: [feed of changes]({rel_link(CHANGES_PAGE, FEED_FILE)}).", "",
           NOT_LAW_NOTE, ""]
    today = today or clock.today()
    entries = change_entries(site, today)
    cutoff = changes_cutoff(today)
    recent = [e for e in entries if e.date >= cutoff]
    if not recent:
        out += [f"No changes recorded since {long_date(cutoff)}." if entries else "No changes recorded yet.", ""]
    out += _month_sections(recent)
    years = sorted(changes_archive(site, today), reverse=True)
    if years:
        links = ", ".join(f"[{year}]({rel_link(CHANGES_PAGE, changes_year_path(year))})" for year in years)
        out += [f"## Older changes {{#{CHANGES_OLDER}}}", "",
                f"This page shows changes since {long_date(cutoff)}. Older changes are on a page for each year: "
                f"{links}.", ""]
    out += ["## How to be told about changes {#subscribe}", "",
            "You do not need to keep checking this page. A feed reader app can tell you when something changes:",
            "", "1. Install a feed reader (also called an RSS reader) on your phone or computer.",
            f"2. Copy the address of our [feed of changes]({rel_link(CHANGES_PAGE, FEED_FILE)}).",
            "3. In the feed reader, choose to add a feed, and paste the address.", "",
            "If you open the feed in a web browser, it shows as code. That is normal: it is meant for feed readers.",
            "Every change in the law we record is in the feed, as well as our recent changes to the guide.", ""]
    return "\n".join(out) + "\n"


def changes_year_pages(site: Site, today: dt.date | None = None) -> dict[str, str]:
    """A page for each year with entries older than What's changed shows (content.urls.changes_archive
    decides which, so links.lock knows them without rendering): path -> Markdown. Kept out of search,
    which should find the guide's answers, not its history; the feed keeps what it always kept."""
    today = today or clock.today()
    archive = changes_archive(site, today)
    cutoff = changes_cutoff(today)
    pages = {}
    for year, months in archive.items():
        path = changes_year_path(year)
        out = ["---", f"title: What's changed in {year}",
               f"description: Changes to the law this guide relies on, and to the guide, in {year}.",
               "search:", "  exclude: true", "---", "", f"# What's changed in {year}", "",
               f'<p class="lg-summary">Changes to the law this guide relies on, and changes we made to the guide, '
               f"in {year}, newest first.</p>", "",
               f"Changes since {long_date(cutoff)} are on [What's changed]({rel_link(path, CHANGES_PAGE)}).", "",
               NOT_LAW_NOTE, ""]
        for y, m in months:
            name = dt.date(y, m, 1).strftime("%B %Y")
            out += ["", f"## {name} {{#{changes_month_anchor(y, m)}}}", "", _MONTH_PLACEHOLDER.format(year=y, month=m), ""]
        pages[path] = "\n".join(out) + "\n"
    return pages


def _month_sections(entries: list[ChangeEntry]) -> list[str]:
    """A Markdown heading and a list placeholder for each month with entries, newest first."""
    out = []
    for year, month in dict.fromkeys((e.date.year, e.date.month) for e in entries):
        name = dt.date(year, month, 1).strftime("%B %Y")
        out += ["", f"## {name} {{#{changes_month_anchor(year, month)}}}", "",
                _MONTH_PLACEHOLDER.format(year=year, month=month), ""]
    return out


def finish_changes_html(site: Site, path: str, content: str, today: dt.date | None = None) -> str:
    """The page's HTML with each month's list in place of its placeholder (see changes_page). Text
    from the register and pages is escaped here, where it lands in HTML; links are final URLs from
    `path`, the page they are written on."""
    if "lgqchanges" not in content:
        return content
    months: dict[tuple[int, int], list[ChangeEntry]] = {}
    for entry in change_entries(site, today):
        months.setdefault((entry.date.year, entry.date.month), []).append(entry)

    def month_list(match: re.Match) -> str:
        entries = months.get((int(match.group(1)), int(match.group(2))))
        if not entries:
            return match.group(0)
        items = "\n".join(f"<li>{long_date(e.date)}. {_entry_html(site, path, e)}</li>" for e in entries)
        return f"<ul>\n{items}\n</ul>"  # the shape Python-Markdown gave the list

    return _MONTH_BLOCK.sub(month_list, content)


def _entry_html(site: Site, path: str, entry: ChangeEntry) -> str:
    summary = html_text(entry.summary.rstrip("."))
    source = f" {html_link(entry.source, 'Official source')}" if entry.source else ""
    if len(entry.pages) > 1:
        links = ", ".join(html_link(urls.href(site, path, page), title) for page, title in entry.pages)
        return f"{entry.label} on {len(entry.pages)} pages: {summary}. Pages: {links}."
    link = html_link(urls.href(site, path, entry.target), entry.title)
    return f"{entry.label}: {link}. {summary}.{source}"


def page_url(path: str, directory_urls: bool = True) -> str:
    """The URL MkDocs gives a docs-relative Markdown path, relative to the site root."""
    return urls.page_url(path, directory_urls).lstrip("/")


def feed_entries(site: Site, today: dt.date | None = None) -> list[ChangeEntry]:
    """Every law change, and the newest FEED_LIMIT guide updates, newest first."""
    entries = change_entries(site, today)
    guide = [e for e in entries if e.kind == GUIDE][:FEED_LIMIT]
    keep = {id(e) for e in guide}
    return [e for e in entries if e.kind == LAW or id(e) in keep]


def changes_feed(site: Site, today: dt.date | None = None) -> str:
    """An Atom feed of every law change and the newest guide updates (RFC 4287)."""
    ET.register_namespace("", ATOM)
    entries = feed_entries(site, today)
    base = site.settings.site_url.rstrip("/") + "/" if site.settings.site_url else ""
    name = site.settings.site_name or "lawguide"
    directory_urls = site.settings.use_directory_urls

    def href(path_url: str) -> str:
        if base:
            return base + path_url
        rel = posixpath.relpath(path_url or ".", posixpath.dirname(FEED_FILE))
        return rel + "/" if not path_url or path_url.endswith("/") else rel

    feed = ET.Element(f"{{{ATOM}}}feed")
    _add(feed, "title", f"{name}: what's changed")
    _add(feed, "id", f"urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, f'lawguide:changes:{name}')}")
    newest = entries[0].date if entries else dt.date(1970, 1, 1)
    _add(feed, "updated", _timestamp(newest))
    _add(feed, "link", href=href(page_url(CHANGES_PAGE, directory_urls)), rel="alternate", type="text/html")
    if base:
        _add(feed, "link", href=base + FEED_FILE, rel="self", type="application/atom+xml")
    author = _add(feed, "author")
    _add(author, "name", name)
    for entry in entries:
        item = _add(feed, "entry")
        _add(item, "title", f"{entry.label}: {entry.title}")
        _add(item, "id", entry.uid)
        _add(item, "updated", _timestamp(entry.date))
        _add(item, "link", href=href(page_url(entry.target, directory_urls)), rel="alternate", type="text/html")
        if entry.source:
            _add(item, "link", href=entry.source, rel="related")
        _add(item, "category", term=entry.kind)
        if entry.kind == LAW:
            _add(item, "category", term=entry.change_kind if not entry.proposal else "reform-update")
        pages = f" Pages: {', '.join(title for _, title in entry.pages)}." if len(entry.pages) > 1 else ""
        _add(item, "summary", entry.summary + pages)
    ET.indent(feed)
    return ET.tostring(feed, encoding="unicode", xml_declaration=True) + "\n"


def _add(parent: ET.Element, tag: str, text: str | None = None, **attrs: str) -> ET.Element:
    element = ET.SubElement(parent, f"{{{ATOM}}}{tag}", attrs)
    if text is not None:
        element.text = text
    return element


def _timestamp(date: dt.date) -> str:
    return f"{date.isoformat()}T00:00:00Z"
