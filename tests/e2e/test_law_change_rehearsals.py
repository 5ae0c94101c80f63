"""Rehearsals: for each kind of change, from the editor's edit in law_refs/ to what the reader sees
(the notice on the page, the citation's tag), What's changed, the feed and `lawguide review`, on a
fixed clock. One fixture site holds every kind, one page each, so two builds cover them all: one
on 10 January 2027, and one on 1 April 2027, the day a commencement recorded in November arrives.
Includes a Bill that is introduced and never passes."""

from __future__ import annotations

import copy
import json
import os
import re
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from lawguide.core.settings import config_in
from lawguide.tools.engine import build

from tests.fixtures import DEFAULT_REFS, REPO, make_site

A = "{http://www.w3.org/2005/Atom}"
BEFORE, ON_THE_DAY = "2027-01-10", "2027-04-01"
LEG = "https://www.legislation.gov.uk/ukpga/1989/41/section/"
SRC = "https://www.legislation.gov.uk/uksi/2026/999"


def act(ref_id: str, section: str, status: str = "in-force", **more) -> dict:
    return {"id": ref_id, "title": f"Section {section}", "cite": f"Children Act 1989, s.{section}", "url": LEG + section,
            "type": "act", "status": status, "summary": f"What s.{section} says.", "verified": "2026-11-25", **more}


def changed(kind: str, summary: str, source: str = SRC, **more) -> dict:
    return {"changes": [{"date": "2026-11-20", "kind": kind, "summary": summary, "source": source, **more}]}


# What the editor types: one register entry per kind of change.
REFS = [
    act("s-amend", "1", **changed("amended", "Words inserted by the Example Act 2026.")),
    act("s-commence", "2", "not-yet-in-force",
        **changed("commenced", "Brought into force by the Example (Commencement No. 1) Regulations 2026.",
                  commences="2027-04-01")),
    act("s-repeal", "3", "repealed", **changed("repealed", "Repealed by the Example Act 2026.")),
    {**act("new-guide", "4"), "type": "statutory-guidance", "url": "https://www.gov.uk/guidance/new"},
    {**act("old-guide", "5", "superseded", replaced_by="new-guide"), "type": "statutory-guidance",
     "url": "https://www.gov.uk/guidance/old", **changed("new-edition", "Replaced by the 2026 edition.",
                                                         "https://www.gov.uk/guidance/new")},
    act("s-case", "6", **changed("case-law", "Section 6 covers short breaks at home.", case="case-x",
                                 source="https://caselaw.nationalarchives.gov.uk/ewhc/admin/2026/1")),
    {"id": "case-x", "title": "R (X) v A Council", "cite": "R (X) v A Council [2026] EWHC 1 (Admin)",
     "url": "https://caselaw.nationalarchives.gov.uk/ewhc/admin/2026/1", "type": "case", "status": "in-force",
     "summary": "What the court held.", "verified": "2026-11-25", "interprets": ["s-case"],
     **changed("appeal", "Permission to appeal granted.", "https://caselaw.nationalarchives.gov.uk/ewca/civ/2026/9")},
    act("s-moved", "7", url=LEG + "7/contents", **changed("link-moved", "The official text moved.", LEG + "7/contents")),
    act("s-corrected", "8", **changed("correction", "Our summary left out the time limit.")),
    {"id": "bill-x", "title": "Disabled Children Bill", "cite": "Disabled Children Bill (HL Bill 1, 2026)",
     "url": "https://bills.parliament.uk/bills/1", "type": "bill", "status": "withdrawn", "summary": "A Bill.",
     "verified": "2026-11-25", **changed("reform-update", "The Bill fell at the end of the session.",
                                         "https://bills.parliament.uk/bills/1")},
]
# Each page cites one entry; reviewed before the change, except the one signed off in advance.
PAGES = {"amend": "s-amend", "commence": "s-commence", "signed": "s-commence", "repeal": "s-repeal",
         "edition": "old-guide", "caselaw": "s-case", "appeal": "case-x", "moved": "s-moved",
         "correction": "s-corrected", "bill": "bill-x"}
REVIEWED = {"signed": "2026-11-25"}
NOTICE = re.compile(r'<div class="lg-law-change".*?</div>', re.S)
COMMENCED = re.compile(r'<div class="lg-law-commenced".*?</div>', re.S)
# What the reader then sees: the notice's headline and item, or None for no notice.
EXPECTED = {
    "amend": ("has changed since we last reviewed the page", "changed on 20 November 2026: Words inserted by the Example Act 2026."),
    "commence": ("is about to change", "comes into force on 1 April 2027: Brought into force by"),
    "signed": None,
    "repeal": ("has changed since we last reviewed the page", "has been repealed. It is no longer the law."),
    "edition": ("has changed since we last reviewed the page", "has been replaced by "),
    "caselaw": ("A court decision affects the law this page relies on.", "explains how "),
    "appeal": ("A court decision affects the law this page relies on.", "is under appeal (20 November 2026): "
               "Permission to appeal granted. A higher court may change what it means."),
    "moved": None,
    "correction": ("We have corrected our record", "on 20 November 2026: Our summary left out the time limit."),
    "bill": ("There is news about a proposal this page mentions. The law has not changed.",
             "(a Bill, not law): The Bill fell at the end of the session (20 November 2026)."),
}


def env(today: str) -> dict[str, str]:
    return {**os.environ, "LAWGUIDE_TODAY": today}


@pytest.fixture(scope="module")
def rehearsal(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("rehearsal")
    pages = {f"{name}.md": f"---\ntitle: Page {name}\nreviewed: {REVIEWED.get(name, '2026-11-01')}\n---\n# Page {name}\n\n"
                           f"The rule [[{ref}]].\n" for name, ref in PAGES.items()}
    pages["index.md"] = "---\ntitle: Home\nreviewed: 2026-11-01\n---\n# Home\n\nHelp [[ca1989-s17]].\n"
    # The guide's own theme: its <head> carries the feed link.
    theme = {"theme": {"name": "material", "font": False, "custom_dir": str(REPO / "theme")}}
    make_site(root, pages=pages, refs=copy.deepcopy(DEFAULT_REFS) + copy.deepcopy(REFS), extra_config=theme)
    for day in (BEFORE, ON_THE_DAY):
        result = build(config_in(root), root / f"site-{day}", env=env(day))
        assert result.returncode == 0, result.stderr
    return root


def html(root: Path, day: str, page: str) -> str:
    return (root / f"site-{day}" / page / "index.html").read_text(encoding="utf-8")


def feed(root: Path, day: str) -> list[tuple[str, list[str], str]]:
    tree = ET.parse(root / f"site-{day}" / "changes" / "feed.xml")
    return [(e.findtext(f"{A}title"), [c.get("term") for c in e.iter(f"{A}category")], e.findtext(f"{A}summary"))
            for e in tree.getroot().iter(f"{A}entry")]


def review(root: Path, day: str) -> dict:
    result = subprocess.run([sys.executable, "-m", "lawguide.cli", "--config", str(root / "mkdocs.yml"), "review",
                             "--json", "--no-cache"], capture_output=True, text=True, env=env(day), cwd=root)
    assert result.returncode == 1, result.stderr
    return json.loads(result.stdout)


@pytest.mark.parametrize("name", list(PAGES))
def test_each_kind_reaches_the_reader_s_notice_in_its_own_words(rehearsal, name):
    page = html(rehearsal, BEFORE, name)
    notice = NOTICE.search(page)
    if EXPECTED[name] is None:
        assert notice is None, notice.group(0)
        return
    headline, item = EXPECTED[name]
    assert notice, name
    assert headline in notice.group(0) and item in notice.group(0), notice.group(0)
    if name == "bill":
        assert "The law this page relies on" not in notice.group(0)


def test_what_s_changed_labels_each_kind_and_leaves_out_a_moved_link(rehearsal):
    page = html(rehearsal, BEFORE, "changes")
    for label in ("Law change", "Commencement", "Repeal", "New edition", "New court decision", "Case under appeal",
                  "Our correction", "Reform update (a proposal, not law)"):
        assert f"{label}: <a " in page, label
    assert "The official text moved" not in page and "Now in effect" not in page
    assert "Takes effect on 1 April 2027." in page


def test_the_feed_has_every_kind_and_what_s_changed_points_at_it(rehearsal):
    kinds = {terms[1] for _, terms, _ in feed(rehearsal, BEFORE) if terms[0] == "law"}
    assert kinds == {"amended", "commenced", "repealed", "new-edition", "case-law", "appeal", "correction", "reform-update"}
    head = html(rehearsal, BEFORE, "changes").split("</head>")[0]
    assert re.search(r'<link rel="alternate" type="application/atom\+xml" title="[^"]*" href="feed\.xml">', head)
    # Only there: Material fetches a sitemap.xml beside every <link rel="alternate"> (a 404 on every page)
    assert "application/atom+xml" not in html(rehearsal, BEFORE, "amend").split("</head>")[0]


def test_review_lists_each_affected_page_and_never_the_moved_link_or_the_signed_off_page(rehearsal):
    report = review(rehearsal, BEFORE)
    affected = {p["page"]: [c["kind"] for c in p["law_changes"]] for p in report["pages"] if p["affected"]}
    assert affected == {"amend.md": ["changed"], "commence.md": ["commenced"], "repeal.md": ["repealed"],
                        "edition.md": ["new-edition"], "caselaw.md": ["case-law"], "appeal.md": ["appeal"],
                        "correction.md": ["correction"], "bill.md": ["reform-update"]}


def test_a_bill_that_never_passes_is_never_law_anywhere(rehearsal):
    law = html(rehearsal, BEFORE, "law/bill-x")
    assert "This proposal was dropped. It never became law. The current law still applies." in law
    assert '<span class="lg-proposal-tag">: a Bill, not law</span>)' in html(rehearsal, BEFORE, "bill")
    titles = [t for t, _, _ in feed(rehearsal, BEFORE)]
    assert "Reform update (a proposal, not law): Disabled Children Bill (HL Bill 1, 2026)" in titles


def test_a_commencement_arrives_on_its_day_without_an_editor(rehearsal):
    before, after = html(rehearsal, BEFORE, "signed"), html(rehearsal, ON_THE_DAY, "signed")
    assert ": in force from 1 April 2027</span>)" in before and not COMMENCED.search(before)
    assert "in force from" not in after
    note = COMMENCED.search(after)
    assert note and "Since 1 April 2027, " in note.group(0)
    assert "is in force. We checked this page for it on 25 November 2026." in note.group(0)
    assert "In force since 1 April 2027" in html(rehearsal, ON_THE_DAY, "law/s-commence")
    assert "Now in effect: <a " in html(rehearsal, ON_THE_DAY, "changes")
    summaries = [s for _, _, s in feed(rehearsal, ON_THE_DAY)]
    assert any(s.startswith("Now in force: Brought into force by") for s in summaries)
    signed = [p for p in review(rehearsal, ON_THE_DAY)["pages"] if p["page"] == "signed.md"]
    assert signed == [] or not signed[0]["affected"]
