"""`lawguide changes import`: legislation.gov.uk effects feeds matched to the register, and
recorded as `changes` entries without disturbing the register files."""

from __future__ import annotations

import datetime as dt
import difflib
import json
import shutil
from pathlib import Path

import pytest
from lawguide.content.site import load_site
from lawguide.core.settings import Settings
from lawguide.lawchange.changes_import import Provision, ProvisionRange, normalise_uri, read_feed
from lawguide.lawchange.review import review_items

from tests.fixtures import REPO, lawguide, make_site

FEEDS = Path(__file__).resolve().parent.parent / "data" / "feeds"
MAIN_FEED = FEEDS / "children-act-1989.feed.xml"

# A register file as editors write it: comments, folded text, a change already recorded.
CHILDREN_ACT = """\
# Children Act 1989: checked against legislation.gov.uk.
instrument: Children Act 1989
refs:
  - id: ca1989-s17
    title: Support for children in need
    cite: Children Act 1989, s.17
    url: https://www.legislation.gov.uk/ukpga/1989/41/section/17  # whole section
    type: act
    status: in-force
    summary: >-
      The council must help children in need and their families. This sentence is long enough to be
      folded over two lines, and must stay folded exactly here.
    verified: 2026-11-22

  # Parent carers have their own section.
  - id: ca1989-s17zd
    title: Parent carer needs assessments
    cite: Children Act 1989, s.17ZD
    url: https://www.legislation.gov.uk/ukpga/1989/41/section/17ZD
    type: act
    status: in-force
    summary: The council must assess a parent carer who asks.
    verified: 2026-11-22
    changes:
      - date: 2015-04-01
        summary: In force.
        source: https://www.legislation.gov.uk/ukpga/2014/6/section/97
"""
OTHER = """\
instrument: Law Commission
refs:
  - id: lawcom-dcsc-report
    title: Law Commission final report
    cite: Law Commission, Disabled Children's Social Care (2025)
    url: https://lawcom.gov.uk/project/disabled-childrens-social-care/
    type: proposal
    status: proposed
    summary: Recommendations for new law. Not law.
    verified: 2026-11-22
"""
PAGES = {
    "index.md": "---\ntitle: Home\nreviewed: 2026-11-01\n---\n# Home\n\nHelp [[ca1989-s17]].\n",
    "parents.md": "---\ntitle: Parents\nreviewed: 2026-11-01\n---\n# Parents\n\nAsk [[ca1989-s17zd]].\n",
    "reform.md": "---\ntitle: Reform\nreviewed: 2026-11-01\n---\n# Reform\n\n[[lawcom-dcsc-report]]\n",
}


@pytest.fixture
def project(tmp_path) -> Path:
    root = make_site(tmp_path, pages=PAGES)
    (root / "law_refs" / "refs.yml").unlink()
    (root / "law_refs" / "children-act-1989.yml").write_text(CHILDREN_ACT, encoding="utf-8")
    (root / "law_refs" / "lawcom.yml").write_text(OTHER, encoding="utf-8")
    return root


def site_of(root: Path):
    return load_site(Settings.from_mkdocs_yml(root / "mkdocs.yml"))


def snapshot(root: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted((root / "law_refs").glob("*.yml"))}


# --- URIs -----------------------------------------------------------------------------------

@pytest.mark.parametrize(("uri", "instrument", "path"), [
    ("http://www.legislation.gov.uk/id/ukpga/1989/41", ("ukpga", "1989", "41"), ()),
    ("https://www.legislation.gov.uk/ukpga/1989/41/section/17", ("ukpga", "1989", "41"), ("section", "17")),
    ("https://legislation.gov.uk/ukpga/1989/41/section/17ZD/england", ("ukpga", "1989", "41"), ("section", "17zd")),
    ("http://www.legislation.gov.uk/ukpga/1989/41/section/17/6/=england+wales/2020-01-01", ("ukpga", "1989", "41"),
     ("section", "17", "6")),
    ("https://www.legislation.gov.uk/uksi/2010/959/regulation/48/made", ("uksi", "2010", "959"), ("regulation", "48")),
    ("https://www.legislation.gov.uk/ukpga/2026/21/contents", ("ukpga", "2026", "21"), ()),
    ("https://www.legislation.gov.uk/ukpga/2014/6/schedule/2/paragraph/7/data.xml", ("ukpga", "2014", "6"),
     ("schedule", "2", "paragraph", "7")),
    ("http://www.legislation.gov.uk/id/ukpga/Geo6/12-13-14/56/section/1", ("ukpga", "geo6", "12-13-14", "56"),
     ("section", "1")),
])
def test_identifier_and_document_uris_normalise_to_the_same_provision(uri, instrument, path):
    assert normalise_uri(uri) == Provision(instrument, path)


@pytest.mark.parametrize("uri", ["https://www.gov.uk/government/publications/send-code-of-practice-0-to-25",
                                 "https://lawcom.gov.uk/project/x/", "not a uri", "https://www.legislation.gov.uk/ukpga"])
def test_other_addresses_are_not_legislation_provisions(uri):
    assert normalise_uri(uri) is None


def test_a_provision_matches_its_parents_and_children_but_not_its_neighbours():
    s17 = normalise_uri("https://www.legislation.gov.uk/ukpga/1989/41/section/17")
    s17_6 = normalise_uri("http://www.legislation.gov.uk/id/ukpga/1989/41/section/17/6")
    act = normalise_uri("http://www.legislation.gov.uk/id/ukpga/1989/41")
    s17zd = normalise_uri("https://www.legislation.gov.uk/ukpga/1989/41/section/17ZD")
    other_act = normalise_uri("https://www.legislation.gov.uk/ukpga/2014/6/section/17")
    assert s17_6.related(s17) and s17.related(s17_6) and act.related(s17zd)
    assert not s17_6.related(s17zd) and not s17.related(other_act)


def test_a_section_range_matches_the_sections_inside_it():
    base = "http://www.legislation.gov.uk/id/ukpga/1989/41/section/"
    span = ProvisionRange(normalise_uri(base + "17ZA"), normalise_uri(base + "17ZF"))
    inside = [span.related(normalise_uri(base + s)) for s in ("17ZA", "17ZD", "17ZD/2", "17ZF")]
    outside = [span.related(normalise_uri(base + s)) for s in ("17", "17A", "17ZG", "18")]
    assert all(inside) and not any(outside)


# --- reading feeds --------------------------------------------------------------------------

def test_effects_are_read_with_dates_summaries_and_sources():
    effects, problems = read_feed(MAIN_FEED)
    assert problems == []
    first, second, applied, no_dates, other = effects
    assert (first.id, first.date, first.outstanding) == ("effect-placeholder-0001", dt.date(2002, 11, 7), True)
    assert first.summary == "s. 17(6) words inserted by Adoption and Children Act 2002 s. 116(1)"
    assert first.source == "https://www.legislation.gov.uk/ukpga/2002/38"
    assert second.date == dt.date(2027, 3, 1)  # prospective, no in-force date: when it was last modified
    assert no_dates.date == dt.date(2027, 3, 1)  # no Modified either: the entry's <updated>
    assert applied.applied and not applied.outstanding
    assert other.affected.instrument == ("uksi", "2010", "772")


@pytest.mark.parametrize(("feed", "message"), [
    ("not-xml.xml", "not-xml.xml:1: not well-formed XML: syntax error (is this the feed file? download it from "
                    "https://www.legislation.gov.uk/changes/affected/TYPE/YEAR/NUMBER/data.feed)"),
    ("not-atom.xml", "not-atom.xml:2: not an Atom feed: the document starts with <rss>, not an Atom <feed>"),
    ("missing-attributes.feed.xml", "missing-attributes.feed.xml:21: effect effect-placeholder-0202 is missing "
                                    "required attributes 'Type', 'AffectedURI' (the feed may be truncated or edited by hand)"),
    ("legislation-list.feed.xml", "legislation-list.feed.xml:7: entry 1 has no ukm:Effect (this is not a 'changes to "
                                  "legislation' feed"),
])
def test_malformed_feed_fails_with_path_line_and_message_and_changes_no_file(project, feed, message):
    before = snapshot(project)
    result = lawguide(project, "changes", "import", str(FEEDS / feed), "--apply")
    assert result.returncode == 1
    assert f"{FEEDS / feed}".replace(feed, "") + message in result.stderr
    assert "problem(s): the feed was not imported; no file was changed." in result.stderr
    assert result.stdout == ""
    assert snapshot(project) == before


def test_missing_feed_file_is_a_clear_error(project):
    result = lawguide(project, "changes", "import", str(project / "nowhere.xml"))
    assert result.returncode == 1
    assert "nowhere.xml:1: cannot read the feed: No such file or directory" in result.stderr


# --- matching and reporting -----------------------------------------------------------------

def test_report_names_matched_entries_pages_and_unmatched_effects_without_writing(project):
    before = snapshot(project)
    result = lawguide(project, "changes", "import", str(MAIN_FEED))
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert out.startswith("5 effects in the feed: 2 matched, 2 unmatched, 1 already applied on legislation.gov.uk (skipped).")
    assert ("2002-11-07  s. 17(6) words inserted by Adoption and Children Act 2002 s. 116(1)\n"
            "  effect effect-placeholder-0001; source https://www.legislation.gov.uk/ukpga/2002/38\n"
            "  register: ca1989-s17 (Children Act 1989, s.17) at law_refs/children-act-1989.yml:4\n"
            "  pages to check: docs/index.md\n") in out
    assert ("2027-03-01  s. 17ZD substituted by Example Families Act 2027 s. 4(2)\n"
            "  effect effect-placeholder-0002; source https://www.legislation.gov.uk/ukpga/2027/99\n"
            "  register: ca1989-s17zd (Children Act 1989, s.17ZD) at law_refs/children-act-1989.yml:16\n"
            "  pages to check: docs/parents.md\n") in out
    assert "2027-03-01  s. 20(1) amended by Example Families Act 2027 s. 5 - no register entry covers this provision" in out
    assert ("reg. 32EA inserted by The Occupational Pension Schemes (Collective Money Purchase Schemes) Regulations 2022 "
            "Sch. 7 para. 2(3) - The Occupational and Personal Pension Schemes (Automatic Enrolment) Regulations 2010 "
            "is not in the register") in out
    assert "Nothing written. Run again with --apply" in out
    assert snapshot(project) == before


def test_json_report(project):
    result = lawguide(project, "changes", "import", str(MAIN_FEED), "--json")
    report = json.loads(result.stdout)
    assert [(m["effect"], m["refs"], m["pages"]) for m in report["matches"]] == [
        ("effect-placeholder-0001", ["ca1989-s17"], ["index.md"]),
        ("effect-placeholder-0002", ["ca1989-s17zd"], ["parents.md"])]
    assert [u["effect"] for u in report["unmatched"]] == ["effect-placeholder-0004", "effect-placeholder-0005"]
    assert report["skipped"] == ["effect-placeholder-0003"] and report["recorded"] == []


def test_include_applied_also_matches_effects_already_applied(project):
    report = json.loads(lawguide(project, "changes", "import", str(MAIN_FEED), "--json", "--include-applied").stdout)
    assert "effect-placeholder-0003" in [m["effect"] for m in report["matches"]]
    assert report["skipped"] == []


def test_whole_instrument_effect_matches_every_entry_of_it_and_range_matches_inside(project):
    report = json.loads(lawguide(project, "changes", "import", str(FEEDS / "whole-act-and-range.feed.xml"), "--json").stdout)
    assert [(m["effect"], m["date"], m["refs"]) for m in report["matches"]] == [
        ("effect-placeholder-0101", "2030-01-01", ["ca1989-s17", "ca1989-s17zd"]),  # earliest in-force date
        ("effect-placeholder-0102", "2028-06-01", ["ca1989-s17zd"])]


# --- --apply --------------------------------------------------------------------------------

def test_apply_only_adds_change_lines_and_keeps_comments_order_and_folding(project, monkeypatch):
    monkeypatch.setenv("LAWGUIDE_TODAY", "2026-12-07")
    before = (project / "law_refs" / "children-act-1989.yml").read_text()
    result = lawguide(project, "changes", "import", str(MAIN_FEED), "--apply")
    assert result.returncode == 0, result.stderr
    assert "Recorded 2 changes in the register; 0 already recorded." in result.stdout
    after = (project / "law_refs" / "children-act-1989.yml").read_text()
    diff = [line for line in difflib.ndiff(before.splitlines(), after.splitlines()) if line[:1] in "+-?"]
    assert diff == [
        "+     changes:",
        "+       - date: 2002-11-07",
        "+         summary: s. 17(6) words inserted by Adoption and Children Act 2002 s. 116(1)",
        "+         source: https://www.legislation.gov.uk/ukpga/2002/38",
        # In force on a future date: recorded as made today, taking effect on its date (never a future 'date').
        "+       - date: 2026-12-07",
        "+         summary: s. 17ZD substituted by Example Families Act 2027 s. 4(2)",
        "+         source: https://www.legislation.gov.uk/ukpga/2027/99",
        "+         commences: 2027-03-01",
    ]
    assert after.index("verified: 2026-11-22\n    changes:\n      - date: 2002-11-07") < after.index("# Parent carers")
    assert after.index("source: https://www.legislation.gov.uk/ukpga/2014/6/section/97\n      - date: 2026-12-07") > 0
    assert (project / "law_refs" / "lawcom.yml").read_text() == OTHER


def test_applied_changes_load_in_the_register_and_make_citing_pages_affected(project, monkeypatch):
    monkeypatch.setenv("LAWGUIDE_TODAY", "2026-12-07")
    assert lawguide(project, "changes", "import", str(MAIN_FEED), "--apply").returncode == 0
    site = site_of(project)
    assert site.problems == []
    assert [(c.date.isoformat(), c.effective.isoformat(), c.source) for c in site.register["ca1989-s17zd"].changes] == [
        ("2026-12-07", "2027-03-01", "https://www.legislation.gov.uk/ukpga/2027/99"),
        ("2015-04-01", "2015-04-01", "https://www.legislation.gov.uk/ukpga/2014/6/section/97")]
    affected = [i.page.path for i in review_items(site, dt.date(2027, 3, 2)) if i.affected]
    assert affected == ["parents.md"]  # the s.17(6) change of 2002 predates index.md's review


def test_applying_twice_changes_nothing_the_second_time(project):
    assert lawguide(project, "changes", "import", str(MAIN_FEED), "--apply").returncode == 0
    once = snapshot(project)
    again = lawguide(project, "changes", "import", str(MAIN_FEED), "--apply")
    assert again.returncode == 0
    assert "Recorded 0 changes in the register; 2 already recorded." in again.stdout
    assert snapshot(project) == once


def test_effects_on_instruments_outside_the_register_are_reported_not_errors(project):
    feed = project / "other.feed.xml"
    text = MAIN_FEED.read_text()
    start, end = text.index("<entry>"), text.rindex("<entry>")
    feed.write_text(text[:start] + text[end:], encoding="utf-8")  # keep only the uksi/2010/772 effect
    before = snapshot(project)
    result = lawguide(project, "changes", "import", str(feed), "--apply")
    assert result.returncode == 0, result.stderr
    assert "1 effect in the feed: 0 matched, 1 unmatched" in result.stdout
    assert "Recorded 0 changes in the register; 0 already recorded." in result.stdout
    assert snapshot(project) == before


def test_file_whose_layout_would_change_is_not_touched(project):
    odd = CHILDREN_ACT.replace("    type: act\n", "    type:   act\n", 1)  # round-trip would drop the spaces
    (project / "law_refs" / "children-act-1989.yml").write_text(odd, encoding="utf-8")
    before = snapshot(project)
    result = lawguide(project, "changes", "import", str(MAIN_FEED), "--apply")
    assert result.returncode == 1
    assert ("law_refs/children-act-1989.yml:1: saving this file automatically would change its layout; "
            "add the changes by hand") in result.stderr
    assert snapshot(project) == before


def test_real_register_files_round_trip_unchanged():
    """--apply relies on every law_refs file surviving a ruamel.yaml round-trip byte for byte."""
    from lawguide.lawchange.changes_import import _dump, _round_trip

    files = sorted((REPO / "law_refs").glob("*.yml"))
    assert files
    for file in files:
        text = file.read_text(encoding="utf-8")
        yaml, data = _round_trip(text, file.name)
        assert _dump(yaml, data) == text, file.name


def test_adding_a_change_to_any_real_register_entry_only_adds_lines_inside_that_entry(tmp_path, monkeypatch):
    monkeypatch.setenv("LAWGUIDE_TODAY", "2031-01-02")  # the change is dated today, never in the future
    from lawguide.content.register import load_register
    from lawguide.lawchange.changes_import import add_changes_to_text

    real = REPO / "law_refs"
    register = load_register(real)
    change = {"date": dt.date(2031, 1, 2), "summary": "Test change: words inserted",
              "source": "https://www.legislation.gov.uk/ukpga/2031/1"}
    assert register.refs
    # One copy of the register; each entry's file is changed in it, read back whole, then put back as it was
    # (a copy per entry cost as much as the reading).
    folder = tmp_path / "law_refs"
    shutil.copytree(real, folder)
    for ref in register.refs.values():
        text = (real.parent / ref.path).read_text(encoding="utf-8")
        new, added, _ = add_changes_to_text(text, ref.path, {ref.id: [change]})
        diff = [line for line in difflib.ndiff(text.splitlines(), new.splitlines()) if line[:1] in "+-?"]
        assert all(line.startswith("+ ") for line in diff) and len(diff) == (3 if ref.changes else 4), (ref.id, diff)
        changed = folder / Path(ref.path).name
        changed.write_text(new, encoding="utf-8")
        reloaded = load_register(folder)
        changed.write_bytes((real.parent / ref.path).read_bytes())
        assert [(p.path, p.message) for p in reloaded.problems] == [(p.path, p.message) for p in register.problems]
        assert [c.summary for c in reloaded[ref.id].changes if c.date == change["date"]] == [change["summary"]]
        assert all(r.changes == register[r.id].changes for r in reloaded.refs.values() if r.path != ref.path)


def _crlf(data: bytes) -> bytes:
    return data.replace(b"\n", b"\r\n")


def _bom(data: bytes) -> bytes:
    return b"\xef\xbb\xbf" + data


def _bom_crlf(data: bytes) -> bytes:
    return _bom(_crlf(data))


@pytest.mark.parametrize("save", [_crlf, _bom, _bom_crlf], ids=["crlf", "bom", "bom-crlf"])
def test_apply_keeps_a_register_file_s_own_line_endings_and_byte_order_mark(tmp_path, monkeypatch, save):
    """Written as the same file saved with LF endings would be, then saved the editor's way: in review only
    the added change lines differ (every line did, in LF)."""
    monkeypatch.setenv("LAWGUIDE_TODAY", "2026-12-07")
    name = "law_refs/children-act-1989.yml"
    clean, saved = (make_site(tmp_path / which, pages=PAGES) for which in ("clean", "saved"))
    for root in (clean, saved):
        (root / "law_refs" / "refs.yml").unlink()
        (root / name).write_text(CHILDREN_ACT, encoding="utf-8")
        (root / "law_refs" / "lawcom.yml").write_text(OTHER, encoding="utf-8")
    (saved / name).write_bytes(save(CHILDREN_ACT.encode("utf-8")))
    for root in (clean, saved):
        result = lawguide(root, "changes", "import", str(MAIN_FEED), "--apply")
        assert result.returncode == 0, result.stderr
        assert "Recorded 2 changes in the register; 0 already recorded." in result.stdout
    expected = (clean / name).read_bytes()
    assert b"summary: s. 17ZD substituted by Example Families Act 2027 s. 4(2)" in expected
    assert (saved / name).read_bytes() == save(expected)
