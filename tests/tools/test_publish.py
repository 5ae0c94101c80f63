"""`lawguide publish DEST`: build and check into a temporary folder, then switch DEST atomically."""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import subprocess
import sys
import urllib.request
from pathlib import Path

import pytest
from lawguide.links.htmlcheck import check_built_site
from lawguide.tools.publish import CRASH_ENV, NO_EXCHANGE_ENV, STEPS, canonical_root, os_error_text

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


@pytest.fixture(scope="session")
def first_publish(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """DEST's folder (DEST, DEST.releases, DEST.editions) as one first publish of the `project` guide left
    it, made once a session: the tests that start from a published site copy it (`published`) instead of
    building the same guide again. Never changed; the test of what a first publish writes publishes itself."""
    root = tmp_path_factory.mktemp("first-publish")
    project = make_site(root / "project", pages=page("First version."))
    dest = root / "www" / "guide"
    dest.parent.mkdir()
    result = publish(project, dest)
    assert result.returncode == 0, result.stderr
    # A copy is a faithful start only if no link in it leads out of the folder (publish links relatively).
    for folder, dirs, files in os.walk(dest.parent):
        for name in dirs + files:
            link = Path(folder) / name
            if link.is_symlink():
                target = Path(os.path.normpath(link.parent / os.readlink(link)))
                assert dest.parent in target.parents, f"{link} -> {os.readlink(link)} leads out of the publish"
    return dest.parent


@pytest.fixture
def published(project: Path, dest: Path, first_publish: Path) -> Path:
    shutil.copytree(first_publish, dest.parent, symlinks=True)  # links, modes and names as publish left them
    return dest


def edit(project: Path, body: str) -> None:
    (project / "docs" / "index.md").write_text(PAGE.format(body=body), encoding="utf-8")


def test_publish_serves_the_checked_build_through_a_symlink(project: Path, dest: Path):
    dest.parent.mkdir()
    result = publish(project, dest)  # its own publish: this test checks what a first publish writes
    assert result.returncode == 0, result.stderr
    published = dest
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
    # A link MkDocs' strict build would fail on: the check now finds it first, at its line.
    before = tree_state(published)
    edit(project, "See [the missing page](missing.md).")
    result = publish(project, published)
    assert result.returncode == 1
    assert re.search(r"docs/index\.md:\d+: link 'missing\.md'", result.stderr)
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


def test_adopted_plain_folder_is_replaced_by_a_link_and_kept_as_previous(project: Path, dest: Path):
    dest.mkdir(parents=True)
    (dest / "index.html").write_text("old hand-copied site", encoding="utf-8")
    result = publish(project, dest, "--adopt")
    assert result.returncode == 0, result.stderr
    assert dest.is_symlink()
    assert (dest.parent / "guide.previous" / "index.html").read_text(encoding="utf-8") == "old hand-copied site"


def test_a_non_empty_folder_publish_did_not_make_is_refused_and_left_alone(project: Path, dest: Path):
    dest.mkdir(parents=True)
    (dest / "notes.txt").write_text("someone's own files", encoding="utf-8")
    result = publish(project, dest)
    assert result.returncode == 1
    assert (f"lawguide publish: {dest} is a folder `lawguide publish` did not make, and it is not empty "
            "(it holds notes.txt); publishing would move it aside. Move it away, or run again with --adopt") \
        in result.stderr
    assert "Traceback" not in result.stderr
    assert not dest.is_symlink() and (dest / "notes.txt").read_text(encoding="utf-8") == "someone's own files"
    assert sorted(p.name for p in dest.parent.iterdir()) == ["guide"]


def test_an_empty_folder_at_dest_needs_no_adopt(project: Path, dest: Path):
    dest.mkdir(parents=True)
    result = publish(project, dest)
    assert result.returncode == 0, result.stderr
    assert dest.is_symlink() and "First version." in (dest / "index.html").read_text(encoding="utf-8")


def test_an_adopted_folder_is_never_deleted_by_later_publishes(project: Path, dest: Path):
    dest.mkdir(parents=True)
    (dest / "notes.txt").write_text("someone's own files", encoding="utf-8")
    assert publish(project, dest, "--adopt").returncode == 0
    adopted = [p for p in (dest.parent / "guide.releases").iterdir() if "-was-" in p.name]
    assert len(adopted) == 1
    for n in (2, 3):  # the adopted folder stops being DEST.previous, then would have been pruned
        edit(project, f"Version {n}.")
        result = publish(project, dest)
        assert result.returncode == 0, result.stderr
    assert (adopted[0] / "notes.txt").read_text(encoding="utf-8") == "someone's own files"
    assert f"Kept {adopted[0]}: `lawguide publish` did not make it" in result.stdout
    # What publish made is still pruned: the served release, the previous one, and the adopted folder.
    releases = sorted(p.name for p in (dest.parent / "guide.releases").iterdir() if p.is_dir())
    assert len(releases) == 3 and adopted[0].name in releases


def test_a_folder_someone_put_among_the_releases_is_never_deleted(project: Path, published: Path):
    stray = published.parent / "guide.releases" / "20200101T000000Z-1-backup"
    stray.mkdir()
    (stray / "keep.txt").write_text("mine", encoding="utf-8")
    abandoned = published.parent / "guide.releases" / "new-not-ours"
    abandoned.mkdir()
    (abandoned / "keep.txt").write_text("also mine", encoding="utf-8")
    for n in (2, 3):
        edit(project, f"Version {n}.")
        assert publish(project, published).returncode == 0
    assert (stray / "keep.txt").read_text(encoding="utf-8") == "mine"
    assert (abandoned / "keep.txt").read_text(encoding="utf-8") == "also mine"


def test_releases_of_an_older_publish_without_a_record_are_still_pruned(project: Path, published: Path):
    releases = published.parent / "guide.releases"
    (releases / ".made-by-lawguide-publish").unlink()  # as an older version left it
    first = os.readlink(published)
    for n in (2, 3):
        edit(project, f"Version {n}.")
        assert publish(project, published).returncode == 0
    assert not (published.parent / first).exists()


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


# --- publishing never loses a site ------------------------------------------------------------

def publish_env(root: Path, dest: Path, *extra: str, **env: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "lawguide.cli", "--config", str(root / "mkdocs.yml"),
                           "publish", *extra, str(dest)], capture_output=True, text=True, cwd=root,
                          env={**os.environ, **env})


def site_files(folder: Path) -> set[str]:
    """The files of a served site, editions left out (they grow with every publish)."""
    return {p.relative_to(folder).as_posix() for p in folder.rglob("*")
            if p.is_file() and p.relative_to(folder).parts[0] != "editions"}


def assert_serves_a_complete_site(dest: Path, texts: tuple[str, ...], files: set[str]) -> str:
    """DEST serves a whole site (every file a build makes) carrying one of `texts`; returns that text."""
    assert dest.exists(), f"{dest} is missing: readers get errors"
    index = (dest / "index.html").read_text(encoding="utf-8")
    shown = [t for t in texts if t in index]
    assert shown, f"{dest} serves none of {texts}"
    assert site_files(dest) >= files, f"{dest} serves an incomplete site: missing {sorted(files - site_files(dest))[:5]}"
    return shown[0]


def test_publish_steps_are_the_documented_ones():
    assert STEPS == ("built", "named", "recorded", "switched", "kept", "pruned")


@pytest.mark.parametrize("step", STEPS)
def test_a_crash_at_any_step_leaves_a_complete_site_and_the_next_publish_cleans_up(
        project: Path, published: Path, step: str):
    edit(project, "Second version.")
    assert publish(project, published).returncode == 0
    files = site_files(published)
    editions_before = sorted(p.name for p in (published.parent / "guide.editions").iterdir())
    edit(project, "Third version.")
    crashed = publish_env(project, published, **{CRASH_ENV: step})
    assert crashed.returncode == 86, crashed.stderr
    shown = assert_serves_a_complete_site(published, ("Second version.", "Third version."), files)
    # No release that DEST or DEST.previous names is ever deleted.
    previous = published.parent / "guide.previous"
    assert previous.resolve().is_dir() and published.resolve().is_dir()
    expected_previous = "First version." if shown == "Second version." else "Second version."
    if step == "recorded":  # DEST.previous already names what DEST serves: both keep it alive
        expected_previous = shown
    assert expected_previous in (previous / "index.html").read_text(encoding="utf-8")
    # The next run cleans the debris and publishes.
    edit(project, "Fourth version.")
    result = publish(project, published)
    assert result.returncode == 0, result.stderr
    assert "Fourth version." in (published / "index.html").read_text(encoding="utf-8")
    assert shown in (previous / "index.html").read_text(encoding="utf-8")
    assert leftovers(published) == []
    store = sorted(p.name for p in (published.parent / "guide.editions").iterdir())
    assert not [n for n in store if n.startswith(".new-")]
    # An edition exists only for a version DEST served: the crashed one only if the switch happened.
    assert len(store) == len(editions_before) + (2 if shown == "Third version." else 1)


@pytest.mark.parametrize("step", ["recorded", "switched", "kept"])
def test_a_crash_during_the_first_publish_over_a_plain_folder_never_loses_the_old_site(
        project: Path, dest: Path, step: str):
    dest.mkdir(parents=True)
    (dest / "index.html").write_text("old hand-copied site", encoding="utf-8")
    crashed = publish_env(project, dest, "--adopt", **{CRASH_ENV: step})
    assert crashed.returncode == 86, crashed.stderr
    assert dest.exists()
    shown = (dest / "index.html").read_text(encoding="utf-8")
    if "First version." not in shown:
        assert shown == "old hand-copied site"
    else:  # switched: the old site is DEST.previous
        assert (dest.parent / "guide.previous" / "index.html").read_text(encoding="utf-8") == "old hand-copied site"
    result = publish(project, dest, "--adopt")
    assert result.returncode == 0, result.stderr
    assert "First version." in (dest / "index.html").read_text(encoding="utf-8")
    expected = "old hand-copied site" if "First version." not in shown else "First version."
    assert expected in (dest.parent / "guide.previous" / "index.html").read_text(encoding="utf-8")
    assert leftovers(dest) == []


def test_without_an_atomic_exchange_a_crash_between_the_renames_is_repaired_by_the_next_run(
        project: Path, dest: Path):
    dest.mkdir(parents=True)
    (dest / "index.html").write_text("old hand-copied site", encoding="utf-8")
    crashed = publish_env(project, dest, "--adopt", **{CRASH_ENV: "moved", NO_EXCHANGE_ENV: "1"})
    assert crashed.returncode == 86, crashed.stderr
    # The one moment a plain folder cannot be swapped atomically: DEST.previous was recorded first.
    assert (dest.parent / "guide.previous" / "index.html").read_text(encoding="utf-8") == "old hand-copied site"
    result = publish(project, dest, "--adopt")
    assert result.returncode == 0, result.stderr
    assert "serves" in result.stdout and "again" in result.stdout
    assert "First version." in (dest / "index.html").read_text(encoding="utf-8")
    assert (dest.parent / "guide.previous" / "index.html").read_text(encoding="utf-8") == "old hand-copied site"
    assert leftovers(dest) == []


def test_leftover_switch_links_and_staging_folders_are_cleaned_by_the_next_run(project: Path, published: Path):
    releases = published.parent / "guide.releases"
    (releases / "new-abandoned").mkdir()
    (releases / "new-abandoned" / "index.html").write_text("half a build", encoding="utf-8")
    with (releases / ".made-by-lawguide-publish").open("a", encoding="utf-8") as record:
        record.write("new-abandoned\n")  # as a publish records its build folder before filling it
    os.symlink("guide.releases/nowhere", published.parent / ".guide.switch-999")
    os.symlink("guide.releases/nowhere", published.parent / ".guide.previous.switch-999")
    (published.parent / "guide.editions" / ".new-2026-01-01").mkdir()
    edit(project, "Second version.")
    result = publish(project, published)
    assert result.returncode == 0, result.stderr
    assert leftovers(published) == []
    assert not (published.parent / "guide.editions" / ".new-2026-01-01").exists()


@pytest.mark.parametrize("where", ["project", "docs", "parent of the project"])
def test_dest_that_holds_the_project_is_refused_and_nothing_moves(project: Path, where: str):
    dest = {"project": project, "docs": project / "docs", "parent of the project": project.parent}[where]
    before = sorted(p.relative_to(project).as_posix() for p in project.rglob("*"))
    result = publish(project, dest)
    assert result.returncode == 1
    assert "publishing there would move it aside" in result.stderr or "inside the docs folder" in result.stderr
    assert "Traceback" not in result.stderr
    assert sorted(p.relative_to(project).as_posix() for p in project.rglob("*")) == before
    assert not (dest.parent / f"{dest.name}.releases").exists()


def test_dest_inside_the_docs_folder_is_refused(project: Path):
    result = publish(project, project / "docs" / "site")
    assert result.returncode == 1
    assert "is inside the docs folder" in result.stderr


def test_plain_folder_at_dest_previous_is_refused_with_one_line(project: Path, dest: Path):
    (dest.parent / "guide.previous").mkdir(parents=True)
    result = publish(project, dest)
    assert result.returncode == 1
    assert "guide.previous is a plain folder, not the link to the previous version" in result.stderr
    assert "Traceback" not in result.stderr
    assert sorted(p.name for p in dest.parent.iterdir()) == ["guide.previous"]


def test_unwritable_parent_folder_gives_one_line_not_a_traceback(project: Path, tmp_path: Path):
    if os.geteuid() == 0:
        # root writes anywhere: make the parent a file instead, which fails for everyone
        parent = tmp_path / "not-a-folder"
        parent.write_text("x", encoding="utf-8")
        result = publish(project, parent / "guide")
    else:
        parent = tmp_path / "locked"
        parent.mkdir()
        parent.chmod(0o555)
        result = publish(project, parent / "guide")
        parent.chmod(0o755)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    lines = [line for line in result.stderr.splitlines() if line.startswith("lawguide publish:")]
    assert len(lines) == 1 and str(parent) in lines[0], result.stderr


def test_every_os_error_becomes_one_line():
    assert os_error_text(PermissionError(13, "Permission denied", "/var/www/guide.releases")) == (
        "Permission denied: /var/www/guide.releases "
        "(the user publishing must be able to write to DEST's parent folder)")
    assert os_error_text(OSError(18, "Invalid cross-device link", "/a", None, "/b")) == \
        "Invalid cross-device link: /a -> /b"


def test_kill_9_while_the_edition_is_being_written_leaves_site_and_editions_whole(project: Path, published: Path):
    """A real SIGKILL (no exit handler runs), sent as soon as today's edition starts to appear in
    DEST.editions/.new-NAME, i.e. while it is being copied (the step crashes above stop only between steps)."""
    import signal
    import time

    files = site_files(published)
    store = published.parent / "guide.editions"
    committed = {p.name: site_files(p) for p in store.iterdir() if not p.name.startswith(".")}
    edit(project, "Second version.")
    process = subprocess.Popen([sys.executable, "-m", "lawguide.cli", "--config", str(project / "mkdocs.yml"),
                                "publish", str(published)], cwd=project, stdout=subprocess.DEVNULL,
                               stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 120
    while process.poll() is None and time.monotonic() < deadline:
        if any(any(p.iterdir()) for p in store.glob(".new-*")):
            break
        time.sleep(0.005)
    killed = process.poll() is None
    process.send_signal(signal.SIGKILL)
    process.wait()
    assert killed, "the publish ended before its edition could be caught being written"
    assert_serves_a_complete_site(published, ("First version.", "Second version."), files)
    for name, before in committed.items():  # a committed edition is never touched
        assert site_files(store / name) == before
    result = publish(project, published)
    assert result.returncode == 0, result.stderr
    assert "Second version." in (published / "index.html").read_text(encoding="utf-8")
    assert leftovers(published) == [] and not list(store.glob(".new-*"))
    for name, before in committed.items():
        assert site_files(store / name) == before
