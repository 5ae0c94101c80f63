"""Front matter and headings of guide pages are validated with path:line messages."""

from __future__ import annotations

import textwrap
from pathlib import Path

from lawguide.content.pages import load_page

PAGE = """\
---
title: Assessments
summary: How to ask.
reviewed: 2026-11-01
---
# Assessments

## Can the council refuse? {#refuse-to-assess}

Text.
"""


def load(tmp_path: Path, text: str):
    docs = tmp_path / "docs"
    docs.mkdir(exist_ok=True)
    (docs / "a.md").write_text(textwrap.dedent(text), encoding="utf-8")
    return load_page(docs / "a.md", docs)


def found(page) -> list[str]:
    return [p.format() for p in page.problems]


def test_good_page_has_no_problems(tmp_path):
    page = load(tmp_path, PAGE)
    assert found(page) == []
    assert page.reviewed.isoformat() == "2026-11-01" and page.anchors == ["refuse-to-assess"]


def test_heading_without_id_fails_with_a_suggested_id(tmp_path):
    page = load(tmp_path, PAGE.replace(" {#refuse-to-assess}", ""))
    assert found(page) == ["docs/a.md:8: heading 'Can the council refuse?' has no explicit id "
                           "(add {#council-refuse} at the end of the heading; ids keep links working)"]


def test_missing_and_bad_reviewed_dates(tmp_path):
    assert found(load(tmp_path, PAGE.replace("reviewed: 2026-11-01\n", ""))) == [
        "docs/a.md:1: missing 'reviewed' date in front matter (add 'reviewed: YYYY-MM-DD' between the --- lines)"]
    assert found(load(tmp_path, PAGE.replace("2026-11-01", "2026-02-30"))) == [
        "docs/a.md:4: 'reviewed' is '2026-02-30', which is not a real date (check the month (01-12) and the day)"]


def test_misspelt_front_matter_key_and_duplicate_heading_id(tmp_path):
    text = PAGE.replace("reviewed:", "reviewd:") + "\n## Again {#refuse-to-assess}\n"
    messages = found(load(tmp_path, text))
    assert "docs/a.md:4: unknown front matter key 'reviewd' (did you mean 'reviewed'?)" in messages
    assert "docs/a.md:12: duplicate heading id 'refuse-to-assess' (already used on line 8)" in messages


def test_a_duplicate_front_matter_key_names_both_lines_of_the_file(tmp_path):
    messages = found(load(tmp_path, PAGE.replace("reviewed: 2026-11-01", "reviewed: 2026-11-01\ntitle: Again")))
    assert "docs/a.md:5: duplicate key 'title' (first given on line 2; keep one)" in messages


def test_reserved_engine_ids_cannot_be_used(tmp_path):
    messages = found(load(tmp_path, PAGE.replace("refuse-to-assess", "legal-basis")))
    assert messages == ["docs/a.md:8: heading id 'legal-basis' is reserved for the engine (choose another id)"]


def test_front_matter_yaml_error_points_into_the_file(tmp_path):
    messages = found(load(tmp_path, PAGE.replace("summary: How to ask.", "summary: [unclosed")))
    assert any(m.startswith("docs/a.md:") and "YAML syntax error" in m for m in messages)
