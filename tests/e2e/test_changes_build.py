"""What's changed in a built fixture site on a fixed day: the last twelve months on /changes/, older
entries on a page for each year, every link valid in the strict build, and the lock knowing the years."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET

import pytest
from lawguide.content.site import load_site
from lawguide.core.settings import Settings
from lawguide.links.lock import LinkConfig, published_links, published_pages

from tests.fixtures import build, make_site

A = "{http://www.w3.org/2005/Atom}"


def page(title: str, date: str, summary: str) -> str:
    return (f"---\ntitle: {title}\nreviewed: 2026-11-01\nchanges:\n  - date: {date}\n    summary: '{summary}'\n"
            f"---\n# {title}\n\nHelp [[ca1989-s17]].\n")


PAGES = {
    "index.md": page("Home", "2026-01-07", "Eleven months ago."),
    "help/old.md": page("Old & new", "2025-11-07", "Thirteen months ago <b>bold</b>."),
    "older.md": page("Older", "2023-02-01", "Years ago."),
}


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    root = make_site(tmp_path_factory.mktemp("changes"), pages=PAGES)
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("LAWGUIDE_TODAY", "2026-12-07")  # the build and the lock see the same day
        result = build(root)  # strict: a broken link to or from a year page fails it
        assert result.returncode == 0, result.stderr
        site = load_site(Settings.from_mkdocs_yml(root / "mkdocs.yml"))
        links = published_links(published_pages(site, LinkConfig({})))
    return root / "site", links


def test_changes_shows_the_last_twelve_months_and_links_each_older_year(built):
    site, _ = built
    html = (site / "changes" / "index.html").read_text()
    assert "Eleven months ago" in html and "Thirteen months ago" not in html and "Years ago" not in html
    assert '<h2 id="older-changes">' in html
    assert '<a href="2025/">2025</a>, <a href="2023/">2023</a>' in html


def test_older_entries_are_on_their_year_page_escaped_with_working_links(built):
    site, _ = built
    year = (site / "changes" / "2025" / "index.html").read_text()
    assert ('<a href="../../help/old/">Old &amp; new</a>. Thirteen months ago &lt;b&gt;bold&lt;/b&gt;.</li>') in year
    assert "Eleven months ago" not in year and '<h2 id="changes-2025-11">' in year
    assert '<a href="../">What\'s changed</a>' in year
    assert "Years ago" in (site / "changes" / "2023" / "index.html").read_text()
    assert not (site / "changes" / "2024").exists() and not (site / "changes" / "2026").exists()


def test_year_pages_are_out_of_search_and_in_the_lock_and_the_feed_keeps_every_entry(built):
    site, links = built
    index = json.loads((site / "search" / "search_index.json").read_text())
    assert not any(d["location"].startswith("changes/20") for d in index["docs"])
    assert any("Eleven months ago" in d["text"] for d in index["docs"] if d["location"].startswith("changes/"))
    assert {"/changes/", "/changes/2025/", "/changes/2023/"} <= set(links) and "/changes/2024/" not in links
    summaries = [e.findtext(f"{A}summary") for e in ET.parse(site / "changes" / "feed.xml").getroot().iter(f"{A}entry")]
    assert {"Eleven months ago.", "Thirteen months ago <b>bold</b>.", "Years ago."} <= set(summaries)
