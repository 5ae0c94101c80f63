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
import uuid
import xml.etree.ElementTree as ET
from dataclasses import dataclass

from lawguide.content import urls
from lawguide.content.site import Site
from lawguide.content.urls import CHANGES_PAGE, FEED_FILE, law_page_path, rel_link
from lawguide.render.page import html_link, long_date, md_text

FEED_LIMIT = 100  # feed readers only need the recent past; the page keeps everything
ATOM = "http://www.w3.org/2005/Atom"
LAW, GUIDE = "law", "guide"


@dataclass(frozen=True)
class ChangeEntry:
    date: dt.date
    kind: str  # LAW (a change to a cited law) or GUIDE (an editorial change note on a page)
    target: str  # docs-relative path of the page the entry links to
    title: str  # the law's citation or the page's title
    summary: str
    source: str = ""  # official source of a law change
    proposal: bool = False  # a change to a proposal (a Bill, a report): not a change in the law

    @property
    def label(self) -> str:
        if self.kind == GUIDE:
            return "Guide update"
        return "Proposal, not law" if self.proposal else "Law change"

    @property
    def uid(self) -> str:
        name = f"lawguide:{self.kind}:{self.target}:{self.date.isoformat()}:{self.summary}"
        return f"urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, name)}"


def change_entries(site: Site) -> list[ChangeEntry]:
    """Every dated change, newest first; on the same day law changes come before guide updates."""
    entries = [ChangeEntry(c.date, LAW, law_page_path(ref.id), ref.cite, c.summary, c.source, ref.is_proposal)
               for ref in site.register.refs.values() for c in ref.changes]
    entries += [ChangeEntry(note.date, GUIDE, page.path, page.title, note.summary)
                for page in site.pages.values() for note in page.change_notes]
    return sorted(entries, key=lambda e: (-e.date.toordinal(), e.kind != LAW, e.title.lower(), e.summary))


def changes_page(site: Site) -> str:
    out = ["---", "title: What's changed", "description: Changes to the law this guide relies on, "
           "and changes we have made to the guide, newest first.", "---", "",
           "# What's changed", "",
           '<p class="lg-summary">Changes to the law this guide relies on, and changes we have made to the guide, '
           "newest first.</p>", "",
           f"You can follow these changes in a feed reader: [feed of changes]({rel_link(CHANGES_PAGE, FEED_FILE)}).", ""]
    entries = change_entries(site)
    if not entries:
        return "\n".join(out + ["No changes recorded yet.", ""])
    month = None
    for entry in entries:
        if (entry.date.year, entry.date.month) != month:
            month = (entry.date.year, entry.date.month)
            out += ["", f"## {entry.date.strftime('%B %Y')} {{#changes-{entry.date.year}-{entry.date.month:02d}}}", ""]
        out.append(f"- {long_date(entry.date)}. " + _entry_text(site, entry))
    return "\n".join(out) + "\n"


def _entry_text(site: Site, entry: ChangeEntry) -> str:
    link = html_link(urls.href(site, CHANGES_PAGE, entry.target), entry.title)
    summary = md_text(entry.summary.rstrip("."))
    source = f" {html_link(entry.source, 'Official source')}" if entry.source else ""
    return f"{entry.label}: {link}. {summary}.{source}"


def page_url(path: str, directory_urls: bool = True) -> str:
    """The URL MkDocs gives a docs-relative Markdown path, relative to the site root."""
    return urls.page_url(path, directory_urls).lstrip("/")


def changes_feed(site: Site) -> str:
    """An Atom feed of the newest changes (RFC 4287)."""
    ET.register_namespace("", ATOM)
    entries = change_entries(site)[:FEED_LIMIT]
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
        _add(item, "summary", entry.summary)
    ET.indent(feed)
    return ET.tostring(feed, encoding="unicode", xml_declaration=True) + "\n"


def _add(parent: ET.Element, tag: str, text: str | None = None, **attrs: str) -> ET.Element:
    element = ET.SubElement(parent, f"{{{ATOM}}}{tag}", attrs)
    if text is not None:
        element.text = text
    return element


def _timestamp(date: dt.date) -> str:
    return f"{date.isoformat()}T00:00:00Z"
