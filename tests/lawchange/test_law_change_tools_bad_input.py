"""Attacks on the editors' law-change tools (process tags, `reviewed_for:`, dated claims): every bad input
is refused at its own line with a likely fix, root cause first, and never treated as law when it is not."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from lawguide.core import clock
from lawguide.core.settings import Settings
from lawguide.guide import load_guide

from tests.fixtures import DEFAULT_REFS, make_site

WT = {"id": "wt2026", "title": "Working Together to Safeguard Children 2026", "cite": "Working Together 2026, ch. 3",
      "short": "Working Together 2026", "url": "https://www.gov.uk/government/publications/working-together",
      "type": "statutory-guidance", "status": "in-force", "summary": "Guidance.", "verified": "2026-11-22",
      "changes": [{"date": "2026-11-20", "kind": "amended", "summary": "Chapter 3 revised.",
                   "source": "https://www.gov.uk/government/publications/working-together"}]}
REPORT = {**DEFAULT_REFS[2], "changes": [{"date": "2026-11-25", "summary": "The government responded.",
                                          "source": "https://lawcom.gov.uk/project/disabled-childrens-social-care/"}]}
REFS = [*DEFAULT_REFS[:2], REPORT, WT]
PROCESSES = "section-47-enquiry:\n  name: Child protection enquiry\n  governed_by: [wt2026]\n"
TODAY = dt.date(2026, 12, 7)


def page(front: str = "", body: str = "## The steps {#steps}\n\nWorking Together 2026 sets the steps.\n") -> str:
    return f"---\ntitle: Home\nreviewed: 2026-12-01\n{front}---\n# Home\n\n{body}"


def load(tmp_path: Path, pages: dict[str, str], processes: str | bytes | None = PROCESSES):
    root = make_site(tmp_path, pages=pages, refs=REFS)
    if processes is not None:
        data = processes.encode() if isinstance(processes, str) else processes
        (root / "law_refs" / "processes.yml").write_bytes(data)
    return load_guide(Settings.from_mkdocs_yml(root / "mkdocs.yml"))


def problems(site) -> list[str]:
    return [p.format() for p in site.problems]


# --- law_refs/processes.yml -------------------------------------------------------------------

TAGGED = {"index.md": page("processes: {section-47-enquiry: [steps]}\n"),
          "other.md": page("processes: {section-47-enquiry: [steps]}\n").replace("Home", "Other")}


def test_an_unreadable_processes_file_is_reported_once_at_its_line_not_as_an_unknown_process_at_every_tag(tmp_path):
    unreadable = {"syntax": (PROCESSES.replace("[wt2026]", "[wt2026"), "law_refs/processes.yml:3: YAML syntax error"),
                  "alias bomb": ('a: &a ["lol", "lol"]\nb: [*a, *a]\n' + PROCESSES, "law_refs/processes.yml:1: YAML anchor"),
                  "too big": (PROCESSES + "# padding\n" * 250_000, "law_refs/processes.yml:1: file is larger than 2 MB"),
                  "not utf-8": (PROCESSES.encode().replace(b"Child", b"\xffChild"), "law_refs/processes.yml:2: file is not UTF-8"),
                  "a list": ("- section-47-enquiry\n", "law_refs/processes.yml:1: processes must be a mapping")}
    for name, (text, expected) in unreadable.items():
        found = problems(load(tmp_path / name.replace(" ", "-"), TAGGED, processes=text))
        assert len(found) == 1 and found[0].startswith(expected), (name, found)


def test_a_malformed_process_is_reported_at_its_line_and_pages_tagging_it_are_not_told_to_add_it(tmp_path):
    bad = ("section-47-enquiry:\n  name: [Child protection enquiry]\n  governed_by: [wt2026]\n"
           "complaints:\n  name: Complaints\n  governed_by: wt2026\n")
    pages = {"index.md": page("processes: {section-47-enquiry: [steps], complaints: [steps]}\n")}
    assert problems(load(tmp_path, pages, processes=bad)) == [
        "law_refs/processes.yml:1: process 'section-47-enquiry' needs a 'name' and 'governed_by' (for example "
        "section-47-enquiry: {name: Child protection enquiry, governed_by: [ca1989-s47]})",
        "law_refs/processes.yml:6: process 'complaints' has no 'governed_by' list of register ids "
        "(governed_by: [ca1989-s47, wt2026])"]


def test_an_empty_processes_file_lists_no_process_so_a_tag_is_unknown(tmp_path):
    assert problems(load(tmp_path, {"index.md": TAGGED["index.md"]}, processes="")) == [
        "docs/index.md:4: unknown process 'section-47-enquiry' (add it to law_refs/processes.yml)"]


def test_a_process_governed_by_a_proposal_or_a_nested_list_is_refused_at_its_line(tmp_path):
    bad = "section-47-enquiry:\n  name: Child protection enquiry\n  governed_by: [lawcom-dcsc-report, [wt2026]]\n"
    found = problems(load(tmp_path, {"index.md": TAGGED["index.md"]}, processes=bad))
    assert found == [
        "law_refs/processes.yml:3: process 'section-47-enquiry' is governed by lawcom-dcsc-report, a proposal: it is "
        "not law and governs nothing (list the law or guidance in force; a page naming the proposal is found by "
        "`lawguide impact` anyway)",
        "law_refs/processes.yml:3: process 'section-47-enquiry' lists ['wt2026'] in 'governed_by', not a register id "
        "(one id per item: governed_by: [ca1989-s47, wt2026])"]


def test_a_page_s_process_tag_with_a_look_alike_or_payload_is_refused_at_its_line_with_the_real_id(tmp_path):
    tags = ("processes:\n  section\u201047\u2010enquiry: [steps]\n  section-47-enquiry: ['<script>alert(1)</script>']\n"
            "  'section 47 enquiry': [steps]\n")
    found = problems(load(tmp_path, {"index.md": page(tags)}))
    assert sorted(found) == [
        "docs/index.md:5: unknown process 'section\u201047\u2010enquiry' (did you mean 'section-47-enquiry'?)",
        "docs/index.md:6: process 'section-47-enquiry' tags unknown section '<script>alert(1)</script>' (use the {#id} "
        "of an H2 or H3 heading on this page)",
        "docs/index.md:7: unknown process 'section 47 enquiry' (did you mean 'section-47-enquiry'?)"]


# --- reviewed_for ------------------------------------------------------------------------------

def test_a_reviewed_for_item_with_a_list_id_a_repeat_a_future_date_or_an_entry_without_changes_is_refused_at_its_line(
        tmp_path):
    front = ("reviewed_for:\n  - {id: [wt2026], change: 2026-11-20}\n  - {id: wt2026, change: 2026-11-20}\n"
             "  - {id: wt2026, change: 2026-11-20}\n  - {id: wt2026, change: 2099-11-20}\n"
             "  - {id: ca1989-s17zd, change: 2026-11-20}\n")
    found = problems(load(tmp_path, {"index.md": page(front)}))
    assert sorted(found) == [
        "docs/index.md:5: 'reviewed_for' id must be one register id (one item for each entry: "
        "reviewed_for: [{id: wt2026, change: 2026-12-01}])",
        "docs/index.md:7: 'reviewed_for' lists wt2026's change of 2026-11-20 twice (keep the item on line 6)",
        "docs/index.md:8: 'reviewed_for' names a change of wt2026 dated 2099-11-20, in the future (today is "
        f"{clock.today()}) (give the date of the change as the register records it)",
        "docs/index.md:9: 'reviewed_for' names a change of ca1989-s17zd dated 2026-11-20 that the register does not "
        "record (ca1989-s17zd records no change to re-read for: remove the item)"]


def test_a_page_naming_a_proposal_with_news_is_listed_to_re_read_as_a_proposal_not_as_a_change_in_the_law(tmp_path):
    from lawguide.lawchange.review import reread_items, reread_text, review_report

    body = "## Reform {#reform}\n\nThe Law Commission final report has had no government response yet.\n"
    site = load(tmp_path, {"index.md": page(body=body)}, processes=None)
    assert problems(site) == []
    (item,) = reread_items(site, TODAY)
    assert "lawcom-dcsc-report (a proposal, not law) reform-update on 2026-11-25" in item.reason()
    assert review_report(site, TODAY)["reread"][0]["proposal"] is True
    assert "to re-read for a change to law (or news of a proposal) they name" in "".join(reread_text(site, TODAY))


# --- dated claims: what an editor is shown -------------------------------------------------------

def claims(site, path: str = "index.md") -> list[tuple[int, str, str]]:
    from lawguide.lawchange.impact import page_dated_claims

    return [(c.line, c.phrase, c.sentence) for c in page_dated_claims(site, path)]


def test_a_negative_with_yet_about_the_reader_s_case_is_not_a_dated_claim_but_one_about_the_law_is(tmp_path):
    body = ("Use this letter if:\n\n- the council has not yet replied\n- you have asked twice\n\n"
            "If you have not asked for an assessment yet, ask. When the council has not replied yet, write.\n"
            "The Act has not started yet. Most of it has not started yet, if we read it right.\n\n"
            "Things that have not happened yet:\n\n- the regulations are not made yet\n")
    site = load(tmp_path, {"index.md": page(body=body)}, processes=None)
    assert claims(site) == [(13, "not started yet", "The Act has not started yet."),
                            (13, "not started yet", "Most of it has not started yet, if we read it right."),
                            (15, "not happened yet", "Things that have not happened yet:"),
                            (17, "not made yet", "the regulations are not made yet")]


def test_a_dated_claim_in_a_table_row_or_a_nested_quote_is_shown_as_the_reader_reads_it(tmp_path):
    body = ("| When | What |\n|---|---|\n| From 1 April 2026 | Councils use the code [[wt2026]]. |\n\n"
            "> > - As of May 2026 the duty applies [[wt2026]].\n")
    site = load(tmp_path, {"index.md": page(body=body)}, processes=None)
    assert claims(site) == [(9, "From 1 April 2026", "From 1 April 2026 | Councils use the code [wt2026]."),
                            (11, "As of May 2026", "As of May 2026 the duty applies [wt2026].")]


LANGUAGES = "languages:\n  en: {name: English}\n  pl: {name: Polski}\n  ar: {name: العربية}\n  ro: {name: Română}\n" \
            "  ur: {name: اردو}\n"


def version(language: str, body: str) -> str:
    return (f"---\ntitle: T\nreviewed: 2026-12-01\ntranslation: {{of: index.md, source_hash: 000000000000, "
            f"language: {language}, checked_by: null}}\n---\n# T\n\n{body}\n")


def test_a_translation_s_dated_claims_are_found_in_its_own_language_and_its_conditionals_left_out(tmp_path):
    pages = {"index.md": page(body="It applies from 1 September 2026 [[wt2026]]. It has not started yet.\n"),
             "pl/index.md": version("pl", "Obowiązują od 1 września 2026 roku [[wt2026]]. Jeśli jeszcze nie pytali "
                                    "Państwo, proszę zapytać. Większość jeszcze nie weszła w życie."),
             "ar/index.md": version("ar", "وتنطبق من ١ سبتمبر ٢٠٢٦ [[wt2026]]. لكن معظمه لم يبدأ العمل به بعد. "
                                    "ستحصل عليه بعد 18 عامًا."),
             "ro/index.md": version("ro", "Se aplică de la 1 septembrie 2026 [[wt2026]]. Nu a intrat încă în vigoare. "
                                    "Dacă nu ați cerut încă, cereți."),
             "ur/index.md": version("ur", "یہ 1 ستمبر 2026 سے لاگو ہے [[wt2026]]۔ وہ ابھی شروع نہیں ہوئیں۔ اگر آپ نے ابھی "
                                    "نہیں پوچھا تو پوچھیں۔")}
    root = make_site(tmp_path, pages=pages, refs=REFS)
    (root / "glossary" / "ui-strings.yml").write_text(LANGUAGES, encoding="utf-8")
    site = load_guide(Settings.from_mkdocs_yml(root / "mkdocs.yml"))
    assert [(p, c[1]) for p in ("pl/index.md", "ar/index.md", "ro/index.md", "ur/index.md") for c in claims(site, p)] == [
        ("pl/index.md", "od 1 września 2026"), ("pl/index.md", "jeszcze nie"),
        ("ar/index.md", "من ١ سبتمبر ٢٠٢٦"), ("ar/index.md", "لم يبدأ العمل به بعد"),
        ("ro/index.md", "de la 1 septembrie 2026"), ("ro/index.md", "Nu a intrat încă"),
        ("ur/index.md", "1 ستمبر 2026 سے"), ("ur/index.md", "ابھی شروع نہیں")]
    assert claims(site, "ur/index.md")[1][2] == "وہ ابھی شروع نہیں ہوئیں۔"  # the sentence, not the whole line


def test_a_page_re_read_for_an_entry_s_newest_change_is_not_asked_again_for_its_older_ones(tmp_path):
    from lawguide.lawchange.review import reread_items

    older = {"date": "2026-10-01", "kind": "amended", "summary": "Chapter 2 revised.", "source": WT["url"]}
    refs = [*DEFAULT_REFS[:2], REPORT, {**WT, "changes": [*WT["changes"], older]}]
    front = "reviewed_for: [{id: wt2026, change: 2026-11-20}]\n"
    for name, pages, expected in (("newest", {"index.md": page(front)}, []),
                                  ("older", {"index.md": page(front.replace("11-20", "10-01"))}, ["2026-11-20"])):
        root = make_site(tmp_path / name, pages=pages, refs=refs)
        site = load_guide(Settings.from_mkdocs_yml(root / "mkdocs.yml"))
        assert problems(site) == []
        assert [r.change.date.isoformat() for r in reread_items(site, TODAY)] == expected, name


def test_a_process_tag_s_unknown_or_repeated_section_is_refused_at_the_line_of_that_section_id(tmp_path):
    tags = "processes:\n  section-47-enquiry:\n    - steps\n    - stpes\n    - steps\n"
    site = load(tmp_path, {"index.md": page(tags)})
    assert sorted(problems(site)) == [
        "docs/index.md:7: process 'section-47-enquiry' tags unknown section 'stpes' (did you mean 'steps'?)",
        "docs/index.md:8: process 'section-47-enquiry' tags section 'steps' twice (keep the one on line 6)"]
    assert site.pages["index.md"].processes == {"section-47-enquiry": ("steps", "stpes")}  # each once


def test_a_dated_claim_in_the_summary_readers_see_under_the_title_is_found_but_not_one_in_a_change_note(tmp_path):
    text = ("---\ntitle: Home\nsummary: >-\n  What the council must do. As of May 2026\n  no regulations are made.\n"
            "reviewed: 2026-12-01\nchanges:\n  - date: 2026-12-01\n    summary: Currently rewritten.\n---\n# Home\n\nBody.\n")
    site = load(tmp_path, {"index.md": text}, processes=None)
    assert claims(site) == [(3, "As of May 2026", "As of May 2026 no regulations are made.")]
