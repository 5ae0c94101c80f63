"""Each kind of change in its own words: the reader's notice, the citation's tag, the law page,
What's changed and the feed; proposals never as a change in the law; commencement on its day."""

from __future__ import annotations

import copy
import datetime as dt
import xml.etree.ElementTree as ET

import pytest
from lawguide.content.site import load_site
from lawguide.core.settings import Settings
from lawguide.lawchange.review import law_changes, review_items
from lawguide.render.generate import law_page
from lawguide.render.page import law_change_notice, legal_basis, render_citation
from lawguide.render.whatschanged import FEED_LIMIT, change_entries, changes_feed, changes_page

from tests.fixtures import DEFAULT_REFS, make_site
from tests.render.test_whatschanged import finished

D = dt.date.fromisoformat
A = "{http://www.w3.org/2005/Atom}"
SOURCE = "https://www.legislation.gov.uk/ukpga/2026/3"
CASE = {"id": "case-x", "title": "R (X) v A Council", "cite": "R (X) v A Council [2026] EWHC 1 (Admin)",
        "url": "https://caselaw.nationalarchives.gov.uk/ewhc/admin/2026/1", "type": "case", "status": "in-force",
        "summary": "What the court held.", "verified": "2026-11-22"}


def page(reviewed: str = "2026-11-01", body: str = "Help [[ca1989-s17]]. Proposal [[lawcom-dcsc-report]].") -> str:
    return f"---\ntitle: Home\nreviewed: {reviewed}\n---\n# Home\n\n{body}\n"


def site_with(tmp_path, fields: dict[str, dict], reviewed: str = "2026-11-01", extra_refs=(), pages=None):
    refs = copy.deepcopy(DEFAULT_REFS) + [copy.deepcopy(r) for r in extra_refs]
    for ref in refs:
        ref.update(fields.get(ref["id"], {}))
    root = make_site(tmp_path, pages=pages or {"index.md": page(reviewed)}, refs=refs)
    return load_site(Settings.from_mkdocs_yml(root / "mkdocs.yml"))


def change(kind: str | None = None, date: str = "2026-11-20", summary: str = "Words changed.", **more) -> dict:
    out = {"date": date, "summary": summary, "source": more.pop("source", SOURCE), **more}
    if kind:
        out["kind"] = kind
    return {"changes": [out]}


def notice(site, today: str = "2026-12-07") -> str:
    return law_change_notice(site, site.pages["index.md"], today=D(today))


# --- 1. proposals never pass for law ------------------------------------------------------------

def test_a_change_recorded_on_a_proposal_is_a_reform_update_never_a_law_change(tmp_path):
    site = site_with(tmp_path, {"lawcom-dcsc-report": change(summary="The government published its response.")})
    text = notice(site)
    assert "The law this page relies on" not in text
    assert "There is news about a proposal this page mentions. The law has not changed." in text
    assert "(a proposal, not law): The government published its response (20 November 2026). Until Parliament acts, " \
           "the current law still applies." in text
    assert [c.kind for c in law_changes(site, site.pages["index.md"])] == ["reform-update"]
    (entry,) = [e for e in change_entries(site, D("2026-12-07")) if e.kind == "law"]
    assert entry.label == "Reform update (a proposal, not law)"


@pytest.mark.parametrize(("kind", "tag", "label"), [
    ("bill", "a Bill, not law", "A Bill before Parliament: not law"),
    ("consultation", "a consultation, not law", "Consultation: not law"),
    ("response", "a government response, not law", "Government response: not law"),
    ("parliament", "a parliamentary record, not law", "Parliamentary record: not law"),
])
def test_the_reader_s_label_follows_the_type(tmp_path, kind, tag, label):
    site = site_with(tmp_path, {"lawcom-dcsc-report": {"type": kind}})
    cited = render_citation(site, "index.md", "lawcom-dcsc-report", "", False)
    assert cited.endswith(f'<span class="lg-proposal-tag">: {tag}</span>)')  # one pair of brackets, not nested
    assert f"({tag})" in legal_basis(site, site.pages["index.md"])
    law = law_page(site, site.register["lawcom-dcsc-report"], D("2026-12-07"))
    assert f'!!! warning "{label}"' in law and f"| Status | {label} |" in law


def test_a_bill_that_never_passes_is_dropped_and_never_law(tmp_path):
    site = site_with(tmp_path, {"lawcom-dcsc-report": {"type": "bill", "status": "withdrawn",
                                                       **change(summary="The Bill fell at the end of the session.")}})
    assert site.problems == []
    law = law_page(site, site.register["lawcom-dcsc-report"], D("2026-12-07"))
    assert "This proposal was dropped. It never became law. The current law still applies." in law
    assert "There is news about a proposal this page mentions. The law has not changed." in notice(site)


# --- 2. commencement as an event ------------------------------------------------------------------

COMMENCE = {"status": "not-yet-in-force", **change("commenced", summary="Brought into force by SI 2026/999.",
                                                   commences="2027-04-01")}


def test_a_page_checked_before_the_commencement_regulations_shows_what_is_coming(tmp_path):
    site = site_with(tmp_path, {"ca1989-s17": COMMENCE})
    text = notice(site, "2027-01-10")
    assert "The law this page relies on is about to change." in text
    assert "comes into force on 1 April 2027: Brought into force by SI 2026/999.</li>" in text
    cited = render_citation(site, "index.md", "ca1989-s17", "", False, today=D("2027-01-10"))
    assert cited.endswith('<span class="lg-status-tag">: in force from 1 April 2027</span>)')


def test_a_page_signed_off_in_advance_has_no_notice_then_says_so_on_the_day(tmp_path):
    site = site_with(tmp_path, {"ca1989-s17": COMMENCE}, reviewed="2026-11-25")
    assert law_changes(site, site.pages["index.md"]) == []
    assert notice(site, "2027-03-31") == ""
    assert ": in force from 1 April 2027</span>)" in render_citation(site, "index.md", "ca1989-s17", "", False, today=D("2027-03-31"))
    on_the_day = notice(site, "2027-04-01")
    assert 'class="lg-law-commenced"' in on_the_day and "Since 1 April 2027, " in on_the_day
    assert "is in force. We checked this page for it on 25 November 2026." in on_the_day
    assert "in force from" not in render_citation(site, "index.md", "ca1989-s17", "", False, today=D("2027-04-01"))
    before = [e.summary for e in change_entries(site, D("2027-03-31"))]
    after = [(e.date, e.label, e.summary) for e in change_entries(site, D("2027-04-01"))]
    assert "Now in force: Brought into force by SI 2026/999." not in before
    assert (D("2027-04-01"), "Now in effect", "Now in force: Brought into force by SI 2026/999.") in after
    feed = ET.fromstring(changes_feed(site, D("2027-04-01")))
    assert "Now in force: Brought into force by SI 2026/999." in [e.findtext(f"{A}summary") for e in feed.iter(f"{A}entry")]


# --- 3. kinds of change ---------------------------------------------------------------------------

@pytest.mark.parametrize(("fields", "headline", "item"), [
    (change(), "has changed since we last reviewed the page", "changed on 20 November 2026: Words changed.</li>"),
    ({"status": "repealed", **change("repealed")}, "has changed since we last reviewed the page",
     "has been repealed. It is no longer the law.</li>"),
    (change("repealed", commences="2027-06-01"), "is about to change",
     "will be repealed on 1 June 2027. Until then it is still the law: Words changed.</li>"),
    (change("case-law", case="case-x"), "A court decision affects the law this page relies on.",
     "on 20 November 2026 explains how "),
    (change("correction", summary="Our summary left out s.17(10)."), "We have corrected our record",
     "on 20 November 2026: Our summary left out s.17(10).</li>"),
])
def test_each_kind_has_its_own_reader_message(tmp_path, fields, headline, item):
    site = site_with(tmp_path, {"ca1989-s17": fields}, extra_refs=[CASE])
    assert site.problems == [], site.problems
    text = notice(site)
    assert headline in text and item in text, text
    assert [i.page.path for i in review_items(site, D("2026-12-07")) if i.affected] == ["index.md"]


def test_a_new_edition_names_the_replacement(tmp_path):
    site = site_with(tmp_path, {"ca1989-s17": {"status": "superseded", "replaced_by": "ca1989-s17zd",
                                               **change("new-edition")}})
    text = notice(site)
    assert text.count("<li>") == 1 and "has been replaced by <a href=\"law/ca1989-s17zd/\">" in text


def test_a_case_under_appeal_is_said_on_pages_citing_the_case(tmp_path):
    case = {**CASE, **change("appeal", summary="Permission to appeal granted by the Court of Appeal.")}
    site = site_with(tmp_path, {}, extra_refs=[case], pages={"index.md": page(body="See [[case-x]].")})
    text = notice(site)
    assert "A court decision affects the law this page relies on." in text
    assert "is under appeal (20 November 2026): Permission to appeal granted by the Court of Appeal. A higher court " \
           "may change what it means.</li>" in text


def test_a_moved_link_tells_readers_nothing_and_is_not_in_what_s_changed(tmp_path):
    moved = "https://www.legislation.gov.uk/ukpga/1989/41/section/17/contents"
    site = site_with(tmp_path, {"ca1989-s17": {"url": moved, **change("link-moved", summary="Moved.", source=moved)}})
    assert site.problems == [] and notice(site) == ""
    assert [e for e in change_entries(site, D("2026-12-07")) if e.kind == "law"] == []
    assert review_items(site, D("2026-12-07")) == []


# --- 7. What's changed and the feed ---------------------------------------------------------------

def many_pages(count: int, note: str = "Checked against the law as it stood on 1 November 2026.") -> dict[str, str]:
    return {f"p{i:03d}.md": (f"---\ntitle: Page {i:03d}\nreviewed: 2026-11-01\nchanges:\n  - date: 2026-11-01\n"
                             f"    summary: {note}\n  - date: 2026-11-01\n    summary: Fixed a typo.\n---\n# P\n\nText.\n")
            for i in range(count)}


def test_a_day_s_identical_edits_are_one_entry_and_each_page_s_notes_of_a_day_are_one(tmp_path):
    site = site_with(tmp_path, {}, pages={**many_pages(36), "index.md": page()})
    guide = [e for e in change_entries(site, D("2026-12-07")) if e.kind == "guide"]
    assert len(guide) == 1 and len(guide[0].pages) == 36
    assert guide[0].summary == "Checked against the law as it stood on 1 November 2026. Fixed a typo."
    text = finished(site, today=D("2026-12-07"))
    assert text.count("Guide update on 36 pages: ") == 1 and text.count('href="../p0') == 36


def test_law_changes_are_always_in_the_feed_however_many_guide_updates(tmp_path):
    pages = {f"p{i:03d}.md": f"---\ntitle: Page {i:03d}\nreviewed: 2026-11-30\nchanges:\n  - date: 2026-11-30\n"
                             f"    summary: Note {i}.\n---\n# P\n\nText.\n" for i in range(FEED_LIMIT + 20)}
    site = site_with(tmp_path, {"ca1989-s17": change(date="2026-01-05")}, pages={**pages, "index.md": page()})
    entries = list(ET.fromstring(changes_feed(site, D("2026-12-07"))).iter(f"{A}entry"))
    kinds = [[c.get("term") for c in e.iter(f"{A}category")] for e in entries]
    assert ["law", "amended"] in kinds
    assert sum(k == ["guide"] for k in kinds) == FEED_LIMIT


def test_the_changes_page_says_how_to_be_told_of_changes(tmp_path):
    text = changes_page(site_with(tmp_path, {}), D("2026-12-07"))
    assert "## How to be told about changes {#subscribe}" in text and text.count("[feed of changes](changes/feed.xml)") == 2
