"""The register: good entries load; every bad input names the file, the line and the fix."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest
from lawguide.content.register import check_url, load_register
from lawguide.render.wording import reader_tag  # the words are render's; the facts they read are tested here

GOOD = """\
instrument: Children Act 1989
refs:
  - id: ca1989-s17
    title: Support for children in need
    cite: Children Act 1989, s.17
    url: https://www.legislation.gov.uk/ukpga/1989/41/section/17
    type: act
    status: in-force
    summary: The council must help children in need.
    verified: 2026-11-22
    changes:
      - date: 2015-04-01
        summary: Older change.
        source: https://www.legislation.gov.uk/ukpga/2014/6/section/97
      - date: 2020-01-01
        summary: Newer change.
        source: https://www.legislation.gov.uk/ukpga/2014/6/section/96
"""


def write(tmp_path: Path, text: str, name: str = "ca.yml") -> Path:
    folder = tmp_path / "law_refs"
    folder.mkdir(exist_ok=True)
    (folder / name).write_text(textwrap.dedent(text), encoding="utf-8")
    return folder


def messages(register) -> list[str]:
    return [p.format() for p in register.problems]


def test_good_entry_loads_with_source_line_and_changes_newest_first(tmp_path):
    register = load_register(write(tmp_path, GOOD), tmp_path)
    assert messages(register) == []
    ref = register["ca1989-s17"]
    assert (ref.path, ref.line, ref.instrument) == ("law_refs/ca.yml", 3, "Children Act 1989")
    assert [c.summary for c in ref.changes] == ["Newer change.", "Older change."]
    assert ref.verified.isoformat() == "2026-11-22"


def test_misspelt_field_is_reported_with_line_and_suggestion(tmp_path):
    register = load_register(write(tmp_path, GOOD.replace("    summary: The", "    sumary: The")), tmp_path)
    assert "law_refs/ca.yml:9: unknown field 'sumary' in a law reference (did you mean 'summary'?)" in messages(register)
    assert any("missing required field 'summary'" in m for m in messages(register))


def test_bad_dates_are_reported_at_their_line(tmp_path):
    text = GOOD.replace("verified: 2026-11-22", "verified: 2026-13-01").replace("date: 2015-04-01", "date: 1 April 2015")
    found = messages(load_register(write(tmp_path, text), tmp_path))
    assert "law_refs/ca.yml:10: 'verified' is '2026-13-01', which is not a real date (check the month (01-12) and the day)" in found
    assert any(m.startswith("law_refs/ca.yml:12: 'date' is '1 April 2015', not a date in the form YYYY-MM-DD") for m in found)


def test_http_url_and_non_legislation_act_url_are_rejected(tmp_path):
    found = messages(load_register(write(tmp_path, GOOD.replace("https://www.legislation", "http://www.legislation", 1)), tmp_path))
    assert any(m.startswith("law_refs/ca.yml:6: url 'http://www.legislation.gov.uk/ukpga/1989/41/section/17' is not https")
               for m in found)
    found = messages(load_register(write(tmp_path, GOOD.replace(
        "https://www.legislation.gov.uk/ukpga/1989/41/section/17", "https://example.org/ca1989")), tmp_path))
    assert any("is not a legislation.gov.uk URI for act" in m for m in found)


def test_regulations_must_use_a_uksi_uri(tmp_path):
    text = GOOD.replace("type: act", "type: regulations")
    found = messages(load_register(write(tmp_path, text), tmp_path))
    assert any("is not a legislation.gov.uk URI for regulations (use https://www.legislation.gov.uk/uksi/" in m for m in found)


def test_duplicate_ids_across_files_name_the_first_definition(tmp_path):
    folder = write(tmp_path, GOOD)
    write(tmp_path, GOOD, name="copy.yml")
    found = messages(load_register(folder, tmp_path))
    assert "law_refs/copy.yml:3: duplicate law reference id 'ca1989-s17' (already defined at law_refs/ca.yml:3; " \
           "ids must be unique)" in found


def test_replaced_by_pointing_nowhere_suggests_a_near_id(tmp_path):
    text = GOOD.replace("    verified: 2026-11-22", "    verified: 2026-11-22\n    replaced_by: ca1989-s71")
    found = messages(load_register(write(tmp_path, text), tmp_path))
    assert "law_refs/ca.yml:11: 'ca1989-s17' is replaced_by unknown id 'ca1989-s71' (did you mean 'ca1989-s17'?)" in found


def test_unknown_type_and_status_suggest_the_right_value(tmp_path):
    text = GOOD.replace("type: act", "type: acts").replace("status: in-force", "status: inforce")
    found = messages(load_register(write(tmp_path, text), tmp_path))
    assert "law_refs/ca.yml:7: 'type' is 'acts', not a known value (did you mean 'act'?)" in found
    assert "law_refs/ca.yml:8: 'status' is 'inforce', not a known value (did you mean 'in-force'?)" in found


def test_yaml_syntax_error_reports_the_line(tmp_path):
    text = GOOD.replace("    title: Support for children in need", "    title: Support: for children\n   bad")
    found = messages(load_register(write(tmp_path, text), tmp_path))
    assert len(found) == 1 and found[0].startswith("law_refs/ca.yml:") and "YAML syntax error" in found[0]


def test_bad_id_and_duplicate_key_are_reported(tmp_path):
    text = GOOD.replace("id: ca1989-s17", "id: CA1989 s17").replace("    type: act", "    type: act\n    type: act")
    found = messages(load_register(write(tmp_path, text), tmp_path))
    assert any("id 'CA1989 s17' is not lower-case words joined by hyphens (try 'ca1989-s17')" in m for m in found)
    assert any(m.startswith("law_refs/ca.yml:8: duplicate key 'type'") for m in found)


def test_all_problems_are_reported_in_one_run(tmp_path):
    text = GOOD.replace("type: act", "type: acts").replace("verified: 2026-11-22", "verified: soon")
    text = text.replace("url: https", "url: http")
    assert len(load_register(write(tmp_path, text), tmp_path).problems) == 3


@pytest.mark.parametrize(("url", "ref_type"), [
    ("https://www.legislation.gov.uk/anaw/2014/4/section/21", "act"),       # Senedd Act (Wales)
    ("https://www.legislation.gov.uk/nisi/1995/755/article/17", "act"),     # NI Order in Council
    ("https://www.legislation.gov.uk/asp/2014/8/section/1", "act"),         # Scottish Parliament Act
    ("https://www.legislation.gov.uk/ukpga/1995/36/section/23", "act"),     # Children (Scotland) Act 1995
    ("https://www.legislation.gov.uk/wsi/2015/1818/regulation/40", "regulations"),
    ("https://www.legislation.gov.uk/nisr/1996/461/regulation/4", "regulations"),
])
def test_law_of_wales_scotland_and_northern_ireland_can_be_cited(url, ref_type):
    assert check_url(url, "law_refs/x.yml", 7, ref_type) == []


@pytest.mark.parametrize(("url", "ref_type", "kind"), [
    ("https://www.legislation.gov.uk/wsi/2015/1818", "act", "ukpga"),
    ("https://www.legislation.gov.uk/nisr/1996/461", "act", "ukpga"),
    ("https://www.legislation.gov.uk/anaw/2014/4", "regulations", "uksi"),
    ("https://www.legislation.gov.uk/nisi/1995/755", "regulations", "uksi"),
    ("https://www.legislation.gov.uk/xyz/2014/4", "act", "ukpga"),
])
def test_other_nations_law_of_the_wrong_type_is_still_refused(url, ref_type, kind):
    problems = check_url(url, "law_refs/x.yml", 7, ref_type)
    assert [(p.line, p.message, p.hint) for p in problems] == [
        (7, f"url '{url}' is not a legislation.gov.uk URI for {ref_type}",
         f"use https://www.legislation.gov.uk/{kind}/YEAR/NUMBER/...")]
# --- validation of meaning: what an entry says must be able to be true --------------------------

import datetime as dt  # noqa: E402

import pytest  # noqa: E402

TODAY = dt.date(2026, 12, 7)


def entry(**fields: str) -> str:
    """One entry as YAML text; a field given as None is left out; changes: raw YAML lines."""
    base = {"id": "x-1", "title": "A title", "cite": "A cite", "url": "https://www.legislation.gov.uk/ukpga/1989/41/section/17",
            "type": "act", "status": "in-force", "summary": "What it says.", "verified": "2026-11-22"}
    base.update(fields)
    changes = base.pop("changes", None)
    lines = ["instrument: Fixture", "refs:"]
    first = True
    for key, value in base.items():
        if value is None:
            continue
        lines.append(f"  {'- ' if first else '  '}{key}: {value}")
        first = False
    if changes:
        lines.append("    changes:")
        lines += ["      " + line for line in textwrap.dedent(changes).strip().splitlines()]
    return "\n".join(lines) + "\n"


def load(tmp_path: Path, text: str, extra: str = ""):
    return load_register(write(tmp_path, text + extra), tmp_path, today=TODAY)


CHANGE = """\
- date: 2026-11-01
  summary: Something happened.
  source: https://www.gov.uk/government/news/x
"""


@pytest.mark.parametrize("kind", ["proposal", "bill", "consultation", "response", "parliament"])
def test_a_proposal_bill_consultation_response_or_parliamentary_record_is_never_in_force(tmp_path, kind):
    text = entry(type=kind, status="in-force", url="https://www.gov.uk/government/consultations/x")
    (message,) = messages(load(tmp_path, text))
    assert message.startswith("law_refs/ca.yml:8: 'x-1' is a ") and "with 'status: in-force': it is not law" in message
    assert "use status: proposed" in message


@pytest.mark.parametrize("status", ["proposed", "withdrawn", "superseded"])
def test_a_bill_may_be_proposed_dropped_or_replaced_and_is_labelled_not_law(tmp_path, status):
    replaced = {"replaced_by": "x-1"} if status == "superseded" else {}
    register = load(tmp_path, entry(type="bill", status=status, url="https://bills.parliament.uk/bills/1", **replaced,
                                    changes=CHANGE))
    assert messages(register) == []
    ref = register["x-1"]
    assert ref.is_proposal and reader_tag(ref, TODAY) == "a Bill, not law"
    assert "not law" in ref.status_label or "never" in ref.status_label


def test_an_act_cannot_be_merely_proposed(tmp_path):
    (message,) = messages(load(tmp_path, entry(status="proposed")))
    assert message.startswith("law_refs/ca.yml:8: 'x-1' is of type 'act' with 'status: proposed'")
    assert "a proposal is type proposal, bill, consultation, response or parliament" in message


def test_a_parliamentary_record_is_labelled_as_one_and_never_law(tmp_path):
    register = load(tmp_path, entry(type="parliament", status="proposed",
                                    url="https://committees.parliament.uk/oralevidence/16896/html"))
    assert messages(register) == []
    ref = register["x-1"]
    assert ref.is_proposal
    assert ref.type_label == "Parliamentary record"
    assert ref.status_label == "Parliamentary record: not law"
    assert reader_tag(ref, TODAY) == "a parliamentary record, not law"


def test_a_misspelt_parliamentary_type_is_refused_at_its_line_and_only_there(tmp_path):
    # Only the type is wrong: the status that goes with a parliamentary record is not blamed too.
    assert messages(load(tmp_path, entry(type="parliment", status="proposed"))) == [
        "law_refs/ca.yml:7: 'type' is 'parliment', not a known value (did you mean 'parliament'?)"]


def test_future_verified_and_change_dates_are_refused_at_their_lines(tmp_path):
    text = entry(verified="2026-12-08", changes="""\
        - date: 2027-01-01
          summary: Not yet.
          source: https://www.legislation.gov.uk/ukpga/2027/1
        """)
    assert sorted(messages(load(tmp_path, text))) == [
        "law_refs/ca.yml:10: 'verified' 2026-12-08 is in the future (today is 2026-12-07) (record the day you read the source)",
        "law_refs/ca.yml:12: change date 2027-01-01 is in the future (today is 2026-12-07) (date a change when it "
        "happened or was made; put a later start in 'commences:')",
    ]


def test_a_later_start_goes_in_commences_and_tags_citations_until_that_day(tmp_path):
    text = entry(status="not-yet-in-force", changes="""\
        - date: 2026-11-20
          kind: commenced
          commences: 2027-04-01
          summary: Commenced by the Example (Commencement No. 1) Regulations 2026.
          source: https://www.legislation.gov.uk/uksi/2026/999
        """)
    ref = load(tmp_path, text)["x-1"]
    assert reader_tag(ref, dt.date(2027, 3, 31)) == "in force from 1 April 2027"
    assert reader_tag(ref, dt.date(2027, 4, 1)) == ""


def test_a_not_yet_in_force_entry_without_a_known_date_says_so(tmp_path):
    assert reader_tag(load(tmp_path, entry(status="not-yet-in-force"))["x-1"], TODAY) == "not yet in force"


@pytest.mark.parametrize(("fields", "change", "expected"), [
    ({}, "kind: amnded", "'kind' is 'amnded', not a known value (did you mean 'amended'?)"),
    ({}, "kind: reform-update", "'kind: reform-update' is only for proposals"),
    ({"type": "bill", "status": "proposed"}, "kind: amended", "a proposal cannot have a change of kind 'amended'"),
    ({}, "kind: case-law\n  commences: 2027-01-01", "'commences' has no meaning for a change of kind 'case-law'"),
    ({}, "kind: appeal", "an appeal change belongs on a case's entry"),
    ({}, "kind: new-edition", "a new-edition change needs 'replaced_by:' on the entry"),
    ({}, "kind: amended\n  case: x-1", "'case' is only for a change of kind 'case-law'"),
    ({}, "kind: case-law\n  case: no-such-case", "'x-1' names unknown id 'no-such-case' in 'case'"),
    ({}, "kind: link-moved", "the link moved to 'https://www.gov.uk/government/news/x' but 'url' still has the old address"),
    ({}, "kind: repealed", "'x-1' has a repeal on 2026-11-01 but 'status: in-force'"),
])
def test_each_kind_of_change_is_validated_for_what_it_means(tmp_path, fields, change, expected):
    text = entry(**fields, changes=CHANGE + "  " + change + "\n")
    found = messages(load(tmp_path, text))
    assert any(expected in m and m.startswith("law_refs/ca.yml:") for m in found), found


def test_every_kind_of_change_loads_with_its_kind_and_the_default_keeps_amended(tmp_path):
    register = load(tmp_path, entry(changes=CHANGE))
    assert messages(register) == [] and register["x-1"].changes[0].kind == "amended"
    proposal = load(tmp_path, entry(type="proposal", status="proposed", url="https://lawcom.gov.uk/x", changes=CHANGE))
    assert proposal["x-1"].changes[0].kind == "reform-update"


def test_superseded_without_replaced_by_or_a_dated_change_is_half_done(tmp_path):
    text = entry(type="statutory-guidance", status="superseded", url="https://www.gov.uk/guidance/x")
    assert messages(load(tmp_path, text)) == [
        "law_refs/ca.yml:8: 'x-1' is superseded but says neither by what nor when (add 'replaced_by: NEW-ID' and a "
        "dated 'changes:' entry (kind: new-edition))"]


def test_a_case_must_be_read_on_an_official_judgment_host_or_say_it_was_not(tmp_path):
    text = entry(type="case", url="https://www.example-law-firm.co.uk/news/big-case")
    (message,) = messages(load(tmp_path, text))
    assert message.startswith("law_refs/ca.yml:6: 'x-1': a case's url must be on an official judgment host, not "
                              "'www.example-law-firm.co.uk'")
    assert messages(load(tmp_path, entry(type="case", url="https://www.example-law-firm.co.uk/news/big-case",
                                         verified_from="secondary"))) == []
    for url in ("https://caselaw.nationalarchives.gov.uk/uksc/2018/37", "https://www.bailii.org/uk/cases/UKSC/2018/37.html",
                "https://www.supremecourt.uk/cases/uksc-2017-0102"):
        assert messages(load(tmp_path, entry(type="case", url=url))) == [], url


@pytest.mark.parametrize("url", [
    "https://www.legislation.gov.uk/ukpga/1989/41/contents",
    "https://www.legislation.gov.uk/ukpga/1989/41/section/17",
    "https://www.legislation.gov.uk/ukpga/1989/41/schedule/2/paragraph/21",
    "https://www.legislation.gov.uk/uksi/2010/959/regulation/9",
    "https://www.legislation.gov.uk/uksi/2010/959/made",
    "https://www.legislation.gov.uk/uksi/2011?title=Breaks%20for%20Carers",
])
def test_legislation_addresses_following_the_uri_scheme_pass(tmp_path, url):
    kind = "regulations" if "/uksi/" in url else "act"
    assert messages(load(tmp_path, entry(url=url, type=kind))) == []


def test_legislation_content_for_contents_is_refused_with_the_right_address(tmp_path):
    (message,) = messages(load(tmp_path, entry(url="https://www.legislation.gov.uk/ukpga/1989/41/content")))
    assert message == ("law_refs/ca.yml:6: url 'https://www.legislation.gov.uk/ukpga/1989/41/content' does not follow "
                       "legislation.gov.uk's URI scheme (did you mean 'https://www.legislation.gov.uk/ukpga/1989/41/contents'?)")
    (bad,) = messages(load(tmp_path, entry(url="https://www.legislation.gov.uk/ukpga/1989/41/sections/17")))
    assert "does not follow legislation.gov.uk's URI scheme" in bad


def test_a_council_s_policy_is_local_in_scope_and_only_an_example(tmp_path):
    register = load(tmp_path, entry(type="guidance", url="https://www.leeds.gov.uk/x", scope="Leeds City Council"))
    assert messages(register) == []
    assert register["x-1"].is_local and reader_tag(register["x-1"], TODAY) == "one council's policy: an example only"
    (message,) = messages(load(tmp_path, entry(scope="Leeds City Council")))
    assert message.startswith("law_refs/ca.yml:11: 'x-1' is of type 'act', which applies nationally")
