"""What's changed: the /changes/ page and its Atom feed, from register changes and page change notes."""

from __future__ import annotations

import copy
import dataclasses
import datetime as dt
import xml.etree.ElementTree as ET

import markdown
import pytest
from lawguide.content.site import load_site
from lawguide.content.urls import generated_page_anchors
from lawguide.core.settings import Settings
from lawguide.render.generate import generated_pages
from lawguide.render.whatschanged import (
    change_entries,
    changes_feed,
    changes_page,
    changes_year_pages,
    finish_changes_html,
    page_url,
)

from tests.fixtures import DEFAULT_REFS, build, make_site

A = "{http://www.w3.org/2005/Atom}"
PAGES = {
    "index.md": """\
        ---
        title: Home
        reviewed: 2026-11-01
        changes:
          - date: 2026-11-01
            summary: Rewrote the answer on short breaks.
          - date: 2026-06-01
            summary: First published.
        ---
        # Home

        Help [[ca1989-s17]].
        """,
    "parents/carers.md": """\
        ---
        title: Parent carers & you
        reviewed: 2026-11-01
        changes:
          - date: 2026-11-01
            summary: Added <the> new duty.
        ---
        # Parent carers

        Ask [[ca1989-s17zd]].
        """,
}


def refs() -> list[dict]:
    out = copy.deepcopy(DEFAULT_REFS)
    out[1]["changes"] = [
        {"date": "2026-11-01", "summary": "Words inserted by the Example Act 2026, s. 3.",
         "source": "https://www.legislation.gov.uk/ukpga/2026/3"},
        {"date": "2015-04-01", "summary": "In force.", "source": "https://www.legislation.gov.uk/ukpga/2014/6/section/97"},
    ]
    return out


@pytest.fixture
def site(tmp_path):
    return load_site(Settings.from_mkdocs_yml(make_site(tmp_path, pages=PAGES, refs=refs()) / "mkdocs.yml"))


TODAY = dt.date(2026, 12, 7)  # What's changed shows entries from 1 December 2025


def finished(site, path: str = "changes.md", today=TODAY) -> str:
    """A What's changed page as Python-Markdown converts it, with its lists put in after conversion."""
    body = changes_page(site, today).split("---\n", 2)[2]
    return finish_changes_html(site, path, markdown.markdown(body, extensions=["attr_list", "toc"]), today)


def with_site_url(site, url: str):
    return dataclasses.replace(site, settings=dataclasses.replace(site.settings, site_url=url))


def test_entries_are_newest_first_with_law_changes_before_guide_updates_on_the_same_day(site):
    found = [(e.date.isoformat(), e.kind, e.target) for e in change_entries(site)]
    assert found == [
        ("2026-11-01", "law", "law/ca1989-s17zd.md"),
        ("2026-11-01", "guide", "index.md"),
        ("2026-11-01", "guide", "parents/carers.md"),
        ("2026-06-01", "guide", "index.md"),
        ("2015-04-01", "law", "law/ca1989-s17zd.md"),
    ]


def test_changes_page_groups_by_month_and_links_each_entry(site):
    text = changes_page(site, TODAY)
    assert text.index("## November 2026 {#changes-2026-11}") < text.index("## June 2026 {#changes-2026-06}")
    assert "## April 2015 {#changes-2015-04}" in changes_year_pages(site, TODAY)["changes/2015.md"]
    assert "[feed of changes](changes/feed.xml)" in text
    html = finished(site)
    # Links are HTML with final URLs and escaped attributes, put in after conversion: register text
    # never becomes a Markdown link, and Python-Markdown never parses the entries.
    assert ('<li>1 November 2026. Law change: <a href="../law/ca1989-s17zd/">Children Act 1989, s.17ZD</a>. '
            'Words inserted by the Example Act 2026, s. 3. <a href="https://www.legislation.gov.uk/ukpga/2026/3">'
            "Official source</a></li>") in html
    assert '<li>1 June 2026. Guide update: <a href="../">Home</a>. First published.</li>' in html
    assert 'Guide update: <a href="../parents/carers/">Parent carers &amp; you</a>. Added &lt;the&gt; new duty.' in html
    assert html.index('<h2 id="changes-2026-11">') < html.index("Added &lt;the&gt;") < html.index('<h2 id="changes-2026-06">')


def test_the_changes_page_markdown_holds_no_entry_text(site):
    text = changes_page(site, TODAY)
    assert "Added" not in text and "Example Act" not in text and "Parent carers" not in text
    assert "lgqchanges202611q" in text and "lgqchanges" not in finished(site)


def test_change_note_text_is_escaped_where_it_lands_in_html(tmp_path):
    pages = {**PAGES, "x.md": "---\ntitle: A <b> & *page*\nreviewed: 2026-11-01\nchanges:\n  - date: 2026-11-02\n"
                               "    summary: '<script>alert(1)</script> [link](https://evil.example) *em* lgqchanges202611q'\n"
                               "---\n# X\n\nText.\n"}
    site = load_site(Settings.from_mkdocs_yml(make_site(tmp_path, pages=pages, refs=refs()) / "mkdocs.yml"))
    html = finished(site)
    assert "<script>" not in html and "<b>" not in html and "<em>" not in html and 'href="https://evil' not in html
    assert ("Guide update: <a href=\"../x/\">A &lt;b&gt; &amp; &#42;page&#42;</a>. &lt;script&gt;alert(1)&lt;/script&gt; "
            "[link](https://evil.example) *em* lgqchanges202611q.</li>") in html
    assert html.count("<li>2 November 2026.") == 1  # the note's look-alike placeholder is text, not a list


def test_feed_is_atom_with_stable_ids_and_relative_links_without_site_url(site):
    feed = ET.fromstring(changes_feed(site))
    assert feed.tag == f"{A}feed"
    assert feed.findtext(f"{A}updated") == "2026-11-01T00:00:00Z"
    assert feed.find(f"{A}author/{A}name").text == "Fixture guide"
    assert feed.find(f"{A}link[@rel='self']") is None  # needs site_url
    entries = feed.findall(f"{A}entry")
    assert len(entries) == 5
    first = entries[0]
    assert first.findtext(f"{A}title") == "Law change: Children Act 1989, s.17ZD"
    assert first.find(f"{A}link[@rel='alternate']").get("href") == "../law/ca1989-s17zd/"
    assert first.find(f"{A}link[@rel='related']").get("href") == "https://www.legislation.gov.uk/ukpga/2026/3"
    assert entries[1].find(f"{A}link[@rel='alternate']").get("href") == "../"
    assert entries[2].findtext(f"{A}summary") == "Added <the> new duty."
    ids = [e.findtext(f"{A}id") for e in entries]
    assert all(i.startswith("urn:uuid:") for i in ids) and len(set(ids)) == 5


def test_feed_links_are_absolute_with_site_url_and_ids_do_not_change(site):
    relative = ET.fromstring(changes_feed(site))
    absolute = ET.fromstring(changes_feed(with_site_url(site, "https://guide.example.org/sub")))
    assert absolute.find(f"{A}link[@rel='self']").get("href") == "https://guide.example.org/sub/changes/feed.xml"
    assert absolute.find(f"{A}link[@rel='alternate']").get("href") == "https://guide.example.org/sub/changes/"
    hrefs = [e.find(f"{A}link[@rel='alternate']").get("href") for e in absolute.findall(f"{A}entry")]
    assert hrefs[:3] == ["https://guide.example.org/sub/law/ca1989-s17zd/", "https://guide.example.org/sub/",
                         "https://guide.example.org/sub/parents/carers/"]
    assert [e.findtext(f"{A}id") for e in absolute.iter(f"{A}entry")] == \
        [e.findtext(f"{A}id") for e in relative.iter(f"{A}entry")]


@pytest.mark.parametrize(("path", "directory", "flat"), [
    ("index.md", "", "index.html"), ("changes.md", "changes/", "changes.html"),
    ("a/index.md", "a/", "a/index.html"), ("a/b.md", "a/b/", "a/b.html")])
def test_page_urls_follow_use_directory_urls(path, directory, flat):
    assert page_url(path, True) == directory and page_url(path, False) == flat


def test_built_site_has_the_changes_page_and_feed_and_the_links_resolve(tmp_path):
    root = make_site(tmp_path, pages=PAGES, refs=refs())
    result = build(root)  # strict: a broken generated link would fail the build
    assert result.returncode == 0, result.stderr
    html = (root / "site" / "changes" / "index.html").read_text()
    assert '<a href="../law/ca1989-s17zd/">Children Act 1989, s.17ZD</a>' in html
    assert '<a href="../parents/carers/">Parent carers &amp; you</a>' in html
    assert '<a href="feed.xml">feed of changes</a>' in html
    feed = ET.parse(root / "site" / "changes" / "feed.xml").getroot()
    assert len(feed.findall(f"{A}entry")) == 5


def test_a_hand_written_changes_page_is_kept(tmp_path):
    pages = {**PAGES, "changes.md": "---\ntitle: Our changes\nreviewed: 2026-11-01\n---\n# Our own list\n\nHand-written.\n"}
    root = make_site(tmp_path, pages=pages, refs=refs())
    assert build(root).returncode == 0
    assert "Our own list" in (root / "site" / "changes" / "index.html").read_text()


def test_changes_to_proposals_are_not_called_law_changes(tmp_path):
    out = refs()
    out[2]["changes"] = [{"date": "2026-10-01", "summary": "Government response published.",
                          "source": "https://lawcom.gov.uk/project/disabled-childrens-social-care/"}]
    site = load_site(Settings.from_mkdocs_yml(make_site(tmp_path, pages=PAGES, refs=out) / "mkdocs.yml"))
    assert "<li>1 October 2026. Reform update (a proposal, not law): <a href=\"../law/lawcom-dcsc-report/\">Law Commission, " \
        "Disabled Children's Social Care (2025)</a>" in finished(site)
    titles = [e.findtext(f"{A}title") for e in ET.fromstring(changes_feed(site)).iter(f"{A}entry")]
    assert "Reform update (a proposal, not law): Law Commission, Disabled Children's Social Care (2025)" in titles


def test_news_of_a_parliamentary_record_is_marked_not_law_and_the_page_says_why(tmp_path):
    out = refs() + [{"id": "minister-answer-2026", "title": "Written answer on short breaks",
                     "cite": "Written question UIN 1234, answered 12 February 2026",
                     "url": "https://questions-statements.parliament.uk/written-questions", "type": "parliament",
                     "status": "proposed", "summary": "A minister's answer.", "verified": "2026-11-01",
                     "changes": [{"date": "2026-10-02", "summary": "The minister answered a follow-up question.",
                                  "source": "https://questions-statements.parliament.uk/written-questions"}]}]
    pages = {**PAGES, "index.md": PAGES["index.md"].rstrip("\n") + " Asked [[minister-answer-2026]].\n"}
    site = load_site(Settings.from_mkdocs_yml(make_site(tmp_path, pages=pages, refs=out) / "mkdocs.yml"))
    page = finished(site)
    assert "2 October 2026. Reform update (a proposal, not law):" in page
    assert "Law change" not in page.split("2 October 2026.", 1)[1].split("</li>", 1)[0]
    # the page and each year's page say that such records are listed and are not law
    assert "So is news about a parliamentary record, such as a minister's written answer or evidence to a " \
        "committee. None of these change the law." in page
    old = load_site(Settings.from_mkdocs_yml(make_site(tmp_path / "old", pages=pages, refs=[
        {**out[-1], "changes": [{**out[-1]["changes"][0], "date": "2024-10-02"}]}, *out[:-1]]) / "mkdocs.yml"))
    assert "None of these change the law." in changes_year_pages(old, TODAY)["changes/2024.md"]
    # the law index, where the record itself is listed, says so in its introduction
    index = generated_pages(site)["law/index.md"]
    assert "Proposals and parliamentary records (such as a minister's written answer or evidence to a committee) " \
        "are listed too, and marked: they are not law." in index
    assert "Parliamentary record: not law" in index


# --- the last twelve months, and a page for each older year -----------------------------------------


def dated_site(tmp_path, dates: dict[str, str]):
    """A site whose pages each carry one change note: path -> date."""
    pages = {"index.md": "---\ntitle: Home\nreviewed: 2026-11-01\n---\n# Home\n\nHelp [[ca1989-s17]].\n"}
    for i, (name, date) in enumerate(dates.items()):
        pages[f"{name}.md"] = (f"---\ntitle: Page {name}\nreviewed: 2026-11-01\nchanges:\n  - date: {date}\n"
                               f"    summary: Note {i} on {name}.\n---\n# P\n\nText.\n")
    return load_site(Settings.from_mkdocs_yml(make_site(tmp_path, pages=pages) / "mkdocs.yml"))


def test_an_entry_11_months_old_is_on_the_page_and_one_13_months_old_on_its_year_page(tmp_path):
    site = dated_site(tmp_path, {"eleven": "2026-01-07", "thirteen": "2025-11-07"})
    page = finished(site, today=TODAY)
    assert "Note 0 on eleven" in page and "Note 1 on thirteen" not in page
    years = changes_year_pages(site, TODAY)
    assert list(years) == ["changes/2025.md"]
    body = years["changes/2025.md"].split("---\n", 2)[2]
    year = finish_changes_html(site, "changes/2025.md", markdown.markdown(body, extensions=["attr_list", "toc"]), TODAY)
    assert "Note 1 on thirteen" in year and "Note 0 on eleven" not in year
    assert '<h2 id="changes-2025-11">November 2025</h2>' in year
    assert '<a href="../../thirteen/">Page thirteen</a>' in year  # links from /changes/2025/, one folder deeper
    # the page says where the older changes went, and the year page links back
    assert "## Older changes {#older-changes}" in changes_page(site, TODAY)
    assert "[2025](changes/2025.md)" in changes_page(site, TODAY)
    assert "[What's changed](../changes.md)" in years["changes/2025.md"]


def test_the_page_keeps_whole_months_back_to_the_same_month_a_year_ago(tmp_path):
    site = dated_site(tmp_path, {"first": "2025-12-01", "last": "2025-11-30"})
    page = finished(site, today=TODAY)
    assert "Note 0 on first" in page and "Note 1 on last" not in page
    assert "This page shows changes since 1 December 2025." in changes_page(site, TODAY)


def test_a_year_with_no_older_entries_makes_no_page(tmp_path):
    site = dated_site(tmp_path, {"a": "2023-05-01", "b": "2025-03-01", "c": "2026-06-01"})
    assert list(changes_year_pages(site, TODAY)) == ["changes/2025.md", "changes/2023.md"]
    assert "[2025](changes/2025.md), [2023](changes/2023.md)" in changes_page(site, TODAY)


def test_with_only_recent_entries_there_are_no_year_pages_and_no_older_section(tmp_path):
    site = dated_site(tmp_path, {"a": "2026-06-01"})
    assert changes_year_pages(site, TODAY) == {}
    assert "older-changes" not in changes_page(site, TODAY)


def test_every_entry_is_on_exactly_one_page_and_the_feed_keeps_them_all(tmp_path):
    site = dated_site(tmp_path, {"a": "2023-05-01", "b": "2025-03-01", "c": "2025-12-02", "d": "2026-06-01"})
    texts = [finished(site, today=TODAY)] + [
        finish_changes_html(site, path, markdown.markdown(md.split("---\n", 2)[2], extensions=["attr_list"]), TODAY)
        for path, md in changes_year_pages(site, TODAY).items()]
    for i, name in enumerate("abcd"):
        assert sum(f"Note {i} on {name}." in text for text in texts) == 1
    summaries = [e.findtext(f"{A}summary") for e in ET.fromstring(changes_feed(site, TODAY)).iter(f"{A}entry")]
    assert len(summaries) == 4


def test_the_lock_knows_the_year_pages_the_build_makes_on_a_fixed_day(tmp_path, monkeypatch):
    monkeypatch.setenv("LAWGUIDE_TODAY", TODAY.isoformat())
    site = dated_site(tmp_path, {"a": "2023-05-01", "b": "2025-03-01", "c": "2026-06-01"})
    anchors = generated_page_anchors(site)
    made = {p for p in generated_pages(site) if p.startswith("changes")}
    assert made == {p for p in anchors if p.startswith("changes")} == {"changes.md", "changes/2025.md", "changes/2023.md"}
    assert anchors["changes/2025.md"] == {"changes-2025-03"} and anchors["changes.md"] == {"older-changes"}
    monkeypatch.setenv("LAWGUIDE_TODAY", "2026-02-28")  # earlier: March 2025 is still on What's changed
    assert "changes/2025.md" not in generated_page_anchors(site)
