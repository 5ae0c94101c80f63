"""What's changed: the /changes/ page and its Atom feed, from register changes and page change notes."""

from __future__ import annotations

import copy
import dataclasses
import xml.etree.ElementTree as ET

import markdown
import pytest
from lawguide.content.site import load_site
from lawguide.core.settings import Settings
from lawguide.render.whatschanged import change_entries, changes_feed, changes_page, finish_changes_html, page_url

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


def finished(site, path: str = "changes.md", today=None) -> str:
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
    text = changes_page(site)
    assert text.index("## November 2026 {#changes-2026-11}") < text.index("## June 2026 {#changes-2026-06}") \
        < text.index("## April 2015 {#changes-2015-04}")
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
    text = changes_page(site)
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
