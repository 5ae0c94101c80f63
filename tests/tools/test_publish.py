"""`lawguide publish DEST`: build and check into a temporary folder, then switch DEST atomically."""

from __future__ import annotations

import hashlib
import os
import re
import urllib.request
from pathlib import Path

import pytest
from lawguide.links.htmlcheck import check_built_site
from lawguide.tools.publish import canonical_root

from tests.fixtures import lawguide, make_site
from tests.linkcheck_server import serve

PAGE = """\
---
title: Home
summary: A tiny guide.
reviewed: 2026-11-01
---
# Home

{body}

## Asking for help {{#asking}}

The council must help [[ca1989-s17]].
"""


def page(body: str) -> dict[str, str]:
    return {"index.md": PAGE.format(body=body)}


def publish(root: Path, dest: Path, *extra: str):
    return lawguide(root, "publish", *extra, str(dest))


def tree_state(dest: Path) -> dict[str, str]:
    """Everything a reader or a rollback could see: DEST's files (through the link), where
    DEST and DEST.previous point, and which releases exist."""
    state = {}
    for name in (dest.name, f"{dest.name}.previous"):
        link = dest.parent / name
        state[f"link:{name}"] = os.readlink(link) if link.is_symlink() else ("dir" if link.is_dir() else "absent")
    releases = dest.parent / f"{dest.name}.releases"
    state["releases"] = ",".join(sorted(p.name for p in releases.iterdir())) if releases.exists() else "absent"
    if dest.exists():
        for file in sorted(dest.rglob("*")):
            if file.is_file():
                state[file.relative_to(dest).as_posix()] = hashlib.sha256(file.read_bytes()).hexdigest()
    return state


def leftovers(dest: Path) -> list[str]:
    """Temporary build folders or switch links that a publish should never leave behind."""
    releases = dest.parent / f"{dest.name}.releases"
    names = [p.name for p in releases.iterdir()] if releases.exists() else []
    names += [p.name for p in dest.parent.iterdir() if ".switch-" in p.name]
    return [n for n in names if n.startswith("new-") or ".switch-" in n]


@pytest.fixture
def project(tmp_path: Path) -> Path:
    return make_site(tmp_path / "project", pages=page("First version."))


@pytest.fixture
def dest(tmp_path: Path) -> Path:
    return tmp_path / "www" / "guide"


@pytest.fixture
def published(project: Path, dest: Path) -> Path:
    dest.parent.mkdir()
    result = publish(project, dest)
    assert result.returncode == 0, result.stderr
    return dest


def edit(project: Path, body: str) -> None:
    (project / "docs" / "index.md").write_text(PAGE.format(body=body), encoding="utf-8")


def test_publish_serves_the_checked_build_through_a_symlink(published: Path):
    assert published.is_symlink()
    assert "First version." in (published / "index.html").read_text(encoding="utf-8")
    assert (published / "law" / "ca1989-s17" / "index.html").exists()
    assert oct((published / ".").resolve().stat().st_mode & 0o777) == "0o755"  # readable by the web server
    assert leftovers(published) == []
    with serve(published) as base:  # a static server follows the link
        assert "First version." in urllib.request.urlopen(base).read().decode()


def test_second_publish_keeps_the_previous_version(project: Path, published: Path):
    edit(project, "Second version.")
    result = publish(project, published)
    assert result.returncode == 0, result.stderr
    assert "Second version." in (published / "index.html").read_text(encoding="utf-8")
    previous = published.parent / "guide.previous"
    assert "First version." in (previous / "index.html").read_text(encoding="utf-8")
    assert "--rollback" in result.stdout
    # A third publish keeps only the current and the previous release.
    edit(project, "Third version.")
    assert publish(project, published).returncode == 0
    releases = [p for p in (published.parent / "guide.releases").iterdir() if p.is_dir()]
    assert sorted(releases) == sorted({published.resolve(), previous.resolve()})
    assert "Second version." in (previous / "index.html").read_text(encoding="utf-8")


def test_rollback_restores_the_previous_version_and_can_be_undone(project: Path, published: Path):
    edit(project, "Second version.")
    assert publish(project, published).returncode == 0
    result = publish(project, published, "--rollback")
    assert result.returncode == 0, result.stderr
    assert "First version." in (published / "index.html").read_text(encoding="utf-8")
    assert publish(project, published, "--rollback").returncode == 0
    assert "Second version." in (published / "index.html").read_text(encoding="utf-8")


def test_rollback_without_a_previous_version_fails_and_changes_nothing(project: Path, published: Path):
    before = tree_state(published)
    result = publish(project, published, "--rollback")
    assert result.returncode == 1
    assert "no previous version to roll back to" in result.stderr
    assert tree_state(published) == before


def test_rollback_of_a_folder_not_made_by_publish_refuses(project: Path, dest: Path):
    dest.mkdir(parents=True)
    result = publish(project, dest, "--rollback")
    assert result.returncode == 1
    assert "is not a link made by `lawguide publish`: nothing to roll back" in result.stderr
    assert sorted(p.name for p in dest.parent.iterdir()) == ["guide"]


def test_unknown_citation_leaves_dest_untouched_and_reports_path_and_line(project: Path, published: Path):
    edit(project, "Something new.")
    assert publish(project, published).returncode == 0  # so there is a previous version too
    before = tree_state(published)
    edit(project, "Help comes from [[ca1989-s71]].")
    result = publish(project, published)
    assert result.returncode == 1
    assert "docs/index.md:8: unknown law reference 'ca1989-s71' (did you mean 'ca1989-s17'?)" in result.stderr
    assert "Nothing was changed" in result.stderr
    assert tree_state(published) == before
    assert leftovers(published) == []


def test_failed_strict_build_leaves_dest_untouched(project: Path, published: Path):
    # lawguide check passes; MkDocs' own link validation fails the strict build.
    before = tree_state(published)
    edit(project, "See [the missing page](missing.md).")
    result = publish(project, published)
    assert result.returncode == 1
    assert "the strict build failed" in result.stderr
    assert "'missing.md'" in result.stderr
    assert tree_state(published) == before
    assert leftovers(published) == []


def test_broken_link_in_built_html_leaves_dest_untouched(project: Path, published: Path):
    # Raw HTML links pass MkDocs' validation; only the check of the built site sees them.
    before = tree_state(published)
    edit(project, '<a href="nowhere/">Gone</a> and <a href="#no-such-section">a section</a>.')
    result = publish(project, published)
    assert result.returncode == 1
    assert "broken link 'nowhere/': nothing is published at /nowhere/" in result.stderr
    assert "broken link '#no-such-section': index.html has no id 'no-such-section'" in result.stderr
    assert re.search(r"^(lawguide publish: )?index\.html:\d+: broken link 'nowhere/'.*\(written in docs/index\.md; ", result.stderr, re.M)
    assert tree_state(published) == before
    assert leftovers(published) == []


def test_failed_first_publish_creates_nothing(project: Path, dest: Path):
    dest.parent.mkdir()
    edit(project, "[[no-such-ref]]")
    result = publish(project, dest)
    assert result.returncode == 1
    assert sorted(p.name for p in dest.parent.iterdir()) == []


def test_plain_folder_is_replaced_by_a_link_and_kept_as_previous(project: Path, dest: Path):
    dest.mkdir(parents=True)
    (dest / "index.html").write_text("old hand-copied site", encoding="utf-8")
    result = publish(project, dest)
    assert result.returncode == 0, result.stderr
    assert dest.is_symlink()
    assert (dest.parent / "guide.previous" / "index.html").read_text(encoding="utf-8") == "old hand-copied site"


def test_dest_that_is_a_file_is_refused(project: Path, dest: Path):
    dest.parent.mkdir()
    dest.write_text("not a folder", encoding="utf-8")
    result = publish(project, dest)
    assert result.returncode == 1
    assert "exists and is not a folder" in result.stderr
    assert dest.read_text(encoding="utf-8") == "not a folder"


# --- the built-site link check on hand-written HTML -----------------------------------------

def write(root: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text, encoding="utf-8")
    return root


def test_html_check_resolves_directory_urls_and_anchors(tmp_path: Path):
    site = write(tmp_path, {
        "index.html": '<a href="a/">A</a>\n<a href="a/#s1">s1</a>\n<a href="a/b.html#top">b</a>\n'
                      '<a href="https://example.org/x/">ext</a> <a href="mailto:x@example.org">m</a>\n'
                      '<link rel="stylesheet" href="assets/site.css"><a href="a/#named">n</a>',
        "a/index.html": '<h2 id="s1">S</h2><a href="../">home</a><a href="b.html">b</a><a name="named"></a>',
        "a/b.html": '<div id="top"></div><a href="../a">dir without slash</a><a href="/a/#s1">root-relative</a>',
        "assets/site.css": "body{}",
    })
    assert check_built_site(site) == []


def test_html_check_reports_missing_files_and_anchors_with_lines(tmp_path: Path):
    site = write(tmp_path, {
        "index.html": '<p>intro</p>\n<a href="a/#s2">x</a>\n<script src="missing.js"></script>\n<a href="b/">b</a>',
        "a/index.html": '<h2 id="s1">S</h2>',
    })
    assert [p.format() for p in check_built_site(site)] == [
        "index.html:2: broken link 'a/#s2': a/index.html has no id 's2' "
        "(fix the anchor, or give the heading that id or an anchor alias)",
        "index.html:3: broken link 'missing.js': nothing is published at /missing.js "
        "(fix the link in the page's source, or add a redirect)",
        "index.html:4: broken link 'b/': nothing is published at /b/ (fix the link in the page's source, or add a redirect)",
    ]


def test_html_check_treats_links_under_site_url_as_internal(tmp_path: Path):
    site = write(tmp_path, {
        "index.html": '<link rel="canonical" href="https://guide.example/sub/">'
                      '<a href="https://guide.example/sub/gone/">g</a><a href="https://other.example/gone/">o</a>',
    })
    problems = check_built_site(site, site_url="https://guide.example/sub/")
    assert [p.message for p in problems] == ["broken link 'https://guide.example/sub/gone/': nothing is published at /gone/"]



def test_site_address_comes_from_the_home_page_canonical_link(tmp_path: Path):
    # mkdocs.yml takes site_url from !ENV LAWGUIDE_SITE_URL, which the settings cannot expand.
    write(tmp_path / "a", {"index.html": '<head><link rel="canonical" href="https://guide.example/sub/"></head>'})
    assert canonical_root(tmp_path / "a") == "https://guide.example/sub/"
    write(tmp_path / "b", {"index.html": "<head></head>"})
    assert canonical_root(tmp_path / "b") == ""
