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


# ---------------------------------------------------------------- the About page's feedback route

from lawguide.render.page import render_site_value, repo_issues_url  # noqa: E402


@pytest.mark.parametrize(("repo", "issues"), [
    ("https://github.com/owner/lawguide", "https://github.com/owner/lawguide/issues"),
    ("https://github.com/owner/lawguide/", "https://github.com/owner/lawguide/issues"),
    ("https://github.com/owner/lawguide.git", "https://github.com/owner/lawguide/issues"),
    ("https://gitlab.com/group/guide", "https://gitlab.com/group/guide/issues"),
])
def test_repository_issues_are_the_feedback_route_when_repo_url_is_a_repository(repo: str, issues: str) -> None:
    assert repo_issues_url(repo) == issues


@pytest.mark.parametrize("repo", ["", "http://github.com/owner/guide", "https://github.com/owner",
                                  "https://github.com/owner/guide/tree/main", "https://example.org/owner/guide",
                                  "javascript:alert(1)", "https://github.com/owner/gu\"ide",
                                  "https://github.com/owner/guide?x=1"])
def test_no_issue_list_is_invented_for_an_address_that_is_not_a_known_repository(repo: str) -> None:
    assert repo_issues_url(repo) == ""


class _Settings:
    def __init__(self, repo_url: str) -> None:
        self.repo_url = repo_url


class _Site:
    def __init__(self, repo_url: str, email: str = "") -> None:
        from lawguide.content.publisher import Publisher

        self.settings = _Settings(repo_url)
        self.publisher = Publisher(name="P", feedback_email=email)


def test_feedback_sentence_links_the_issue_list_only_when_no_address_is_set() -> None:
    repo = "https://github.com/owner/lawguide"
    sentence = render_site_value(_Site(repo), "feedback")
    assert '<a href="https://github.com/owner/lawguide/issues">' in sentence
    assert "issues" not in render_site_value(_Site(repo, email="a@example.org"), "feedback")
    assert "the organisation that shared this guide" in render_site_value(_Site(""), "feedback")
