"""The register: good entries load; every bad input names the file, the line and the fix."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest
from lawguide.content.register import check_url, load_register

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
