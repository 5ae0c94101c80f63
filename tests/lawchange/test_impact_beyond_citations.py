"""`impact` beyond citations (issue 32): dated claims, sections tagged with a process, and
`reviewed_for:` records of a page re-read for one change of an entry it names without citing."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from lawguide.content.site import load_site
from lawguide.core.fields import id_hint
from lawguide.core.settings import Settings
from lawguide.lawchange.impact import dated_claims, process_sections
from lawguide.lawchange.review import reread_items, review_report

from tests.fixtures import DEFAULT_REFS, lawguide, make_site

WT = {"id": "wt2026", "title": "Working Together to Safeguard Children 2026", "cite": "Working Together 2026, ch. 3",
      "short": "Working Together 2026", "url": "https://www.gov.uk/government/publications/working-together",
      "type": "statutory-guidance", "status": "in-force", "summary": "Guidance.", "verified": "2026-11-22"}
REFS = [*DEFAULT_REFS, WT]
ROOT = Path(__file__).resolve().parents[2]


def site_of(root):
    return load_site(Settings.from_mkdocs_yml(root / "mkdocs.yml"))


def guide(tmp_path, pages, refs=REFS, processes: str | None = None):
    root = make_site(tmp_path, pages=pages, refs=refs)
    if processes is not None:
        (root / "law_refs" / "processes.yml").write_text(processes, encoding="utf-8")
    return root


# --- 1. dated claims ------------------------------------------------------------------------

DATED = {
    "index.md": """\
        ---
        title: Home
        reviewed: 2026-11-01
        changes:
          - date: 2026-11-01
            summary: "As of November 2026 nothing had changed yet."
        ---
        # Home

        As of December 2026, the duty applies [[ca1989-s17]]. The council currently pays.

        ## Reform {#reform}

        At the time of writing there is no government response to the report yet. The Act has not yet started.

        - Since 1 September 2026 schools use new guidance.
        - From April 2027 councils must publish more.

        `currently` in code is not a claim. Nothing dated here.
        """,
    "named.md": """\
        ---
        title: Named
        reviewed: 2026-11-01
        ---
        # Named

        Working Together 2026 is currently being revised.
        """,
    "other.md": """\
        ---
        title: Other
        reviewed: 2026-11-01
        ---
        # Other

        The council currently pays [[ca1989-s17zd]].
        """,
}


def test_impact_lists_each_kind_of_dated_claim_on_pages_citing_the_entry_outside_front_matter_and_code(tmp_path):
    site = site_of(guide(tmp_path, DATED))
    found = [(c.page, c.line, c.anchor, c.phrase) for c in dated_claims(site, "ca1989-s17")]
    assert found == [("index.md", 10, "", "As of December 2026"), ("index.md", 10, "", "currently"),
                     ("index.md", 14, "reform", "At the time of writing"),
                     ("index.md", 14, "reform", "no government response to the report yet"),
                     ("index.md", 14, "reform", "not yet"),
                     ("index.md", 16, "reform", "Since 1 September 2026"), ("index.md", 17, "reform", "From April 2027")]
    claim = dated_claims(site, "ca1989-s17")[0]
    assert claim.sentence == "As of December 2026, the duty applies [ca1989-s17]." and claim.as_of == dt.date(2026, 12, 31)
    assert [c.as_of for c in dated_claims(site, "ca1989-s17")[1:]] == [None] * 6  # only "as of" is dated by us


def test_impact_lists_dated_claims_on_pages_naming_the_entry_in_prose_and_in_the_sentences_audit(tmp_path):
    root = guide(tmp_path, DATED)
    assert [(c.page, c.phrase) for c in dated_claims(site_of(root), "wt2026")] == [("named.md", "currently")]
    text = lawguide(root, "impact", "wt2026").stdout
    assert ("  dated claims on those pages, to re-read (1 sentence):\n"
            '    docs/named.md:7  top of page  "currently": Working Together 2026 is currently being revised.') in text
    audit = lawguide(root, "impact", "ca1989-s17zd", "--sentences")
    assert 'docs/other.md:7  top of page  "currently": The council currently pays [ca1989-s17zd].' in audit.stdout
    data = json.loads(lawguide(root, "impact", "ca1989-s17zd", "--sentences", "--json").stdout)
    assert data["ca1989-s17zd"]["dated_claims"] == [
        {"page": "other.md", "line": 7, "anchor": "", "phrase": "currently", "as_of": None,
         "sentence": "The council currently pays [ca1989-s17zd]."}]


def test_review_lists_an_as_of_claim_older_than_its_page_s_review_interval_and_does_not_fail(tmp_path):
    page = "---\ntitle: {t}\nreviewed: 2026-11-01\n{extra}---\n# {t}\n\nAs of {when}, the duty applies [[ca1989-s17]].\n"
    pages = {"index.md": page.format(t="Home", extra="", when="May 2026"),  # 31 May + 6 months < 7 December
             "recent.md": page.format(t="Recent", extra="", when="June 2026"),  # 30 June + 6 months: still inside
             "yearly.md": page.format(t="Yearly", extra="review_interval_months: 12\n", when="1 May 2026"),
             "short.md": page.format(t="Short", extra="review_interval_months: 3\n", when="1 August 2026")}
    root = guide(tmp_path, pages)
    report = review_report(site_of(root), dt.date(2026, 12, 7))
    assert [(c["page"], c["as_of"]) for c in report["dated_claims"]] == [("index.md", "2026-05-31"),
                                                                         ("short.md", "2026-08-01")]
    assert "more than this page's review interval (3 months) ago" in report["dated_claims"][1]["reason"]
    result = lawguide(root, "review", "--today", "2026-12-07")
    assert result.returncode == 0, result.stdout  # a list to work through, not a failure
    assert "2 \"as of\" claims older than its page's review interval:" in result.stdout
    assert ("DATED     docs/index.md:7: 'As of May 2026' is more than this page's review interval (6 months) ago"
            in result.stdout)


# --- 2. process tags ------------------------------------------------------------------------

PROCESSES = """\
section-47-enquiry:
  name: Child protection enquiry
  governed_by: [wt2026, ca1989-s17zd]
"""
TAGGED = {
    "index.md": """\
        ---
        title: Home
        reviewed: 2026-11-01
        processes: {section-47-enquiry: [steps]}
        ---
        # Home

        ## The steps {#steps}

        A strategy discussion comes first [[ca1989-s17]].

        ## Other {#other}

        Not tagged [[ca1989-s17]].
        """,
}


def test_impact_lists_every_section_tagged_with_a_process_the_entry_governs_whatever_it_cites(tmp_path):
    root = guide(tmp_path, TAGGED, processes=PROCESSES)
    site = site_of(root)
    assert site.problems == []
    assert process_sections(site, "wt2026") == [("index.md", "steps", "section-47-enquiry")]
    assert process_sections(site, "ca1989-s17") == []  # cited there, but it does not govern the process
    text = lawguide(root, "impact", "wt2026").stdout
    assert "no page cites it" in text
    assert ("  sections describing a process it governs (law_refs/processes.yml), whatever they cite:\n"
            "    docs/index.md  #steps (The steps)  [section-47-enquiry]") in text


def test_a_process_tag_naming_an_unknown_process_or_section_fails_check_at_its_line(tmp_path):
    tags = "processes:\n          section-47-enquiri: [steps]\n          section-47-enquiry: [stpes]"
    pages = {"index.md": TAGGED["index.md"].replace("processes: {section-47-enquiry: [steps]}", tags)}
    result = lawguide(guide(tmp_path, pages, processes=PROCESSES), "check")
    assert result.returncode == 1
    assert "docs/index.md:5: unknown process 'section-47-enquiri' (did you mean 'section-47-enquiry'?)" in result.stderr
    assert "docs/index.md:6: process 'section-47-enquiry' tags unknown section 'stpes' (did you mean 'steps'?)" \
        in result.stderr


def test_a_process_tag_that_is_not_a_mapping_of_section_lists_fails_check(tmp_path):
    pages = {"index.md": TAGGED["index.md"].replace("processes: {section-47-enquiry: [steps]}", "processes: [steps]")}
    result = lawguide(guide(tmp_path, pages, processes=PROCESSES), "check")
    assert "docs/index.md:4: 'processes' must map a process id to a list of section ids on this page " \
           "(processes: {section-47-enquiry: [s47-steps]})" in result.stderr


def test_the_processes_file_names_each_bad_process_at_its_line_and_is_not_read_as_register_entries(tmp_path):
    bad = "Bad Id:\n  name: x\n  governed_by: [wt2026]\nno-name:\n  governed_by: [wt2026]\nunknown-law:\n" \
          "  name: Something\n  governed_by: [wt2062]\n"
    result = lawguide(guide(tmp_path, TAGGED, processes=PROCESSES + bad), "check")
    assert result.returncode == 1
    errors = [line for line in result.stderr.splitlines() if line.startswith("law_refs/processes.yml")]
    assert errors == [
        "law_refs/processes.yml:4: process id 'Bad Id' is not lower-case words joined by hyphens "
        f"({id_hint('Bad Id')})",
        "law_refs/processes.yml:7: process 'no-name' needs a 'name' and 'governed_by' (for example "
        "section-47-enquiry: {name: Child protection enquiry, governed_by: [ca1989-s47]})",
        "law_refs/processes.yml:11: process 'unknown-law' is governed by unknown law reference 'wt2062' "
        "(did you mean 'wt2026'?)"]
    assert "law_refs/processes.yml:1:" not in result.stderr  # not an entry file: no "needs an id" errors


def test_the_real_guide_tags_the_section_47_steps_and_the_complaint_stages():
    site = site_of(ROOT)
    assert ("safeguarding.md", "s47-steps", "section-47-enquiry") in process_sections(site, "ca1989-s47")
    stages = [a for p, a, _ in process_sections(site, "complaints-regs-2006") if p == "challenging-decisions/complaints.md"]
    assert stages == ["stages", "stage-1", "stage-2", "stage-3"]
    assert [p for p in site.problems if "process" in p.message] == []


# --- 3. reviewed_for -------------------------------------------------------------------------

CHANGED = [*DEFAULT_REFS, {**WT, "changes": [{"date": "2026-11-20", "kind": "amended", "summary": "Chapter 3 revised.",
                                               "source": "https://www.gov.uk/government/publications/working-together"}]}]


def named(reviewed: str, extra: str = "") -> dict:
    return {"index.md": f"---\ntitle: Home\nreviewed: {reviewed}\n{extra}---\n# Home\n\n"
                        "Working Together 2026 is currently being revised.\n"}


def test_a_page_naming_a_changed_entry_is_listed_to_re_read_until_reviewed_for_records_that_change(tmp_path):
    root = guide(tmp_path / "a", named("2026-12-01"), refs=CHANGED)
    (item,) = reread_items(site_of(root), dt.date(2026, 12, 7))  # re-dated alone: not proof it was re-read for it
    assert (item.page.path, item.ref.id, item.change.date) == ("index.md", "wt2026", dt.date(2026, 11, 20))
    result = lawguide(root, "review", "--today", "2026-12-07")
    assert result.returncode == 0 and "REREAD    docs/index.md: line 7 names wt2026 ('Working Together 2026'); " \
        "wt2026 amended on 2026-11-20: re-read the page, then add {id: wt2026, change: 2026-11-20} to its reviewed_for" \
        in result.stdout
    assert "dated claims on those pages" in lawguide(root, "impact", "wt2026").stdout

    done = guide(tmp_path / "b", named("2026-12-01", "reviewed_for: [{id: wt2026, change: 2026-11-20}]\n"), refs=CHANGED)
    site = site_of(done)
    assert site.problems == [] and reread_items(site, dt.date(2026, 12, 7)) == []
    text = lawguide(done, "impact", "wt2026").stdout
    assert "re-read for its newest change (reviewed_for), so left out below:\n    docs/index.md  (change of 2026-11-20)" in text
    assert "named in prose" not in text and "dated claims" not in text


def test_a_change_older_than_the_page_s_review_interval_is_left_to_its_overdue_review(tmp_path):
    refs = [*DEFAULT_REFS, {**WT, "changes": [{**CHANGED[-1]["changes"][0], "date": "2026-05-01"}]}]
    assert reread_items(site_of(guide(tmp_path, named("2026-04-01"), refs=refs)), dt.date(2026, 12, 7)) == []


def test_a_half_done_reviewed_for_fails_check_at_its_line(tmp_path):
    extra = ("reviewed_for:\n  - {id: wt2062, change: 2026-11-20}\n  - {id: wt2026, change: 2026-11-21}\n"
             "  - {id: wt2026, change: 2026-11-20}\n  - {id: ca1989-s17, change: 2026-11-20}\n  - {id: wt2026}\n"
             "  - {id: wt2026, change: 20/11/2026}\n")
    pages = named("2026-11-10", extra)
    pages["index.md"] = pages["index.md"].replace("revised.", "revised [[ca1989-s17]].")
    result = lawguide(guide(tmp_path, pages, refs=CHANGED), "check")
    assert result.returncode == 1
    errors = sorted(line for line in result.stderr.splitlines() if line.startswith("docs/index.md"))
    assert errors == sorted([
        "docs/index.md:10: 'reviewed_for change' is '20/11/2026', not a date in the form YYYY-MM-DD "
        "(for example 2026-11-22)",
        "docs/index.md:5: 'reviewed_for' names unknown law reference 'wt2062' (did you mean 'wt2026'?)",
        "docs/index.md:6: 'reviewed_for' names a change of wt2026 dated 2026-11-21 that the register does not record "
        "(use the date of one of its changes (2026-11-20))",
        "docs/index.md:7: 'reviewed_for' says the page was re-read for the change of wt2026 on 2026-11-20, after its "
        "'reviewed' date 2026-11-10 (set 'reviewed:' to the day you re-read the page)",
        "docs/index.md:8: 'reviewed_for' names ca1989-s17, which this page cites (remove the item: for a cited "
        "entry, the page's 'reviewed:' date signs it off)",
        "docs/index.md:9: each 'reviewed_for' item needs 'id' (a register id) and 'change' (the date of that "
        "change), nothing else (reviewed_for: [{id: wt2026, change: 2026-12-01}])"])
