"""Safety first: the quick exit is opted into by front matter, validated like every other key."""

from __future__ import annotations

from pathlib import Path

import pytest
from lawguide.content.pages import load_page


def _page(tmp_path: Path, front: str):
    docs = tmp_path / "docs"
    docs.mkdir(exist_ok=True)
    path = docs / "page.md"
    path.write_text(f"---\ntitle: T\nreviewed: 2026-12-07\n{front}---\n\n# T\n\nText.\n", encoding="utf-8")
    return load_page(path, docs)


@pytest.mark.parametrize(("front", "expected"), [("exit_this_page: true\n", True), ("exit_this_page: false\n", False),
                                                 ("exit_this_page: True\n", True), ("", False)])
def test_exit_this_page_is_read_from_front_matter(tmp_path: Path, front: str, expected: bool) -> None:
    page = _page(tmp_path, front)
    assert page.problems == []
    assert page.exit_this_page is expected


@pytest.mark.parametrize("value", ["yes", "1", "on", "'maybe'", "[true]"])
def test_exit_this_page_that_is_not_true_or_false_is_an_error_at_its_line(tmp_path: Path, value: str) -> None:
    page = _page(tmp_path, f"exit_this_page: {value}\n")
    assert [(p.line, "not true or false" in p.message) for p in page.problems] == [(4, True)]
    assert "exit_this_page: true" in page.problems[0].hint
    assert page.exit_this_page is False
