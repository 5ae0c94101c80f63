"""Editions: every `lawguide publish` keeps the guide as it stood that day at /editions/NAME/."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
import posixpath
import re
import shutil
from pathlib import Path

import pytest
from lawguide.render.editions import Edition, parse_names
from lawguide.tools.editions import edition_page, versions_json
from lawguide.tools.publish import PublishError, publish

from tests.fixtures import make_site
from tests.links.test_linkcheck import linkcheck, readable_tmp  # noqa: F401 - a fixture

PAGE = """\
---
title: Home
summary: A tiny guide.
reviewed: 2026-11-01
{changes}---
# Home

{body}

## Asking for help {{#asking}}

The council must help [[ca1989-s17]].
"""
FIRST, SECOND = dt.date(2026, 11, 22), dt.date(2026, 11, 29)


def write_page(project: Path, body: str, changes: str = "") -> None:
    (project / "docs" / "index.md").write_text(PAGE.format(body=body, changes=changes), encoding="utf-8")


def store_state(store: Path) -> dict[str, str]:
    return {p.relative_to(store).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(store.rglob("*")) if p.is_file()}


@pytest.fixture
def two_editions(tmp_path: Path) -> tuple[Path, Path]:
    project = make_site(tmp_path / "project", pages={"index.md": PAGE.format(body="First version.", changes="")})
    dest = tmp_path / "www" / "guide"
    dest.parent.mkdir()
    publish(project / "mkdocs.yml", dest, out=io.StringIO(), today=FIRST)
    write_page(project, "Second version.",
               "changes:\n  - date: 2026-11-25\n    summary: Said plainly who can ask for help.\n")
    out = io.StringIO()
    publish(project / "mkdocs.yml", dest, out=out, today=SECOND)
    assert "Edition 2026-11-29 kept at /editions/2026-11-29/" in out.getvalue()
    return project, dest


def test_old_edition_shows_the_old_text_with_the_banner_linking_to_the_current_page(two_editions):
    _, dest = two_editions
    old = (dest / "editions" / "2026-11-22" / "index.html").read_text(encoding="utf-8")
    assert "First version." in old and "Second version." not in old
    assert "This is the guide as it stood on 22 November 2026. The law may have changed since." in old
    assert '<meta name="robots" content="noindex">' in old
    assert "Second version." in (dest / "index.html").read_text(encoding="utf-8")
    law = (dest / "editions" / "2026-11-22" / "law" / "ca1989-s17" / "index.html").read_text(encoding="utf-8")
    link = re.search(r'See the current version of this page', law) and \
        re.search(r'<a href="([^"]+)">See the current version of this page</a>', law).group(1)
    assert link == "../../../../law/ca1989-s17/"
    current = posixpath.normpath(posixpath.join("/editions/2026-11-22/law/ca1989-s17/", link))
    assert (dest / current.lstrip("/") / "index.html").exists()


def test_editions_page_lists_editions_newest_first_with_what_changed(two_editions):
    _, dest = two_editions
    page = (dest / "editions" / "index.html").read_text(encoding="utf-8")
    newest, oldest = page.index('href="2026-11-29/"'), page.index('href="2026-11-22/"')
    assert newest < oldest
    assert "What changed since 22 November 2026:" in page
    assert "Said plainly who can ask for help." in page
    assert "The first edition." in page
    assert '<meta name="robots" content="noindex">' in page


def test_editions_stay_out_of_the_current_search_and_sitemap(two_editions):
    _, dest = two_editions
    index = json.loads((dest / "search" / "search_index.json").read_text(encoding="utf-8"))
    assert not [d["location"] for d in index["docs"] if d["location"].startswith("editions")]
    assert not list((dest / "editions" / "2026-11-22").glob("sitemap.xml*"))
    assert not (dest / "editions" / "2026-11-22" / "editions").exists()


def test_versions_json_has_the_shape_mike_writes(two_editions):
    _, dest = two_editions
    versions = json.loads((dest / "editions" / "versions.json").read_text(encoding="utf-8"))
    assert versions == [
        {"version": "2026-11-29", "title": "29 November 2026", "aliases": ["latest"]},
        {"version": "2026-11-22", "title": "22 November 2026", "aliases": []},
    ]


def test_unchanged_files_are_shared_between_editions_and_editions_are_read_only(two_editions):
    _, dest = two_editions
    store = dest.parent / "guide.editions"
    css = sorted((store / "2026-11-22" / "assets" / "stylesheets").glob("*.css"))[0]
    twin = store / "2026-11-29" / css.relative_to(store / "2026-11-22")
    assert css.stat().st_ino == twin.stat().st_ino  # one file on disk
    assert (dest / "editions" / "2026-11-22" / css.relative_to(store / "2026-11-22")).stat().st_ino == css.stat().st_ino
    assert css.stat().st_mode & 0o222 == 0


def test_a_failed_publish_leaves_every_edition_as_it_was(two_editions):
    project, dest = two_editions
    store = dest.parent / "guide.editions"
    before, served = store_state(store), store_state(dest.resolve())
    write_page(project, "Help comes from [[no-such-ref]].")
    with pytest.raises(PublishError):
        publish(project / "mkdocs.yml", dest, out=io.StringIO(), today=dt.date(2026, 12, 1))
    assert store_state(store) == before
    assert store_state(dest.resolve()) == served
    assert sorted(p.name for p in store.iterdir()) == ["2026-11-22", "2026-11-29"]


def test_a_second_publish_on_one_day_is_a_new_edition_not_a_rewrite(two_editions):
    project, dest = two_editions
    store = dest.parent / "guide.editions"
    before = store_state(store / "2026-11-29")
    write_page(project, "Third version.")
    publish(project / "mkdocs.yml", dest, out=io.StringIO(), today=SECOND)
    assert store_state(store / "2026-11-29") == before
    assert "Third version." in (dest / "editions" / "2026-11-29-2" / "index.html").read_text(encoding="utf-8")
    assert "edition 2 of the day" in (dest / "editions" / "index.html").read_text(encoding="utf-8")


@pytest.mark.slow
def test_linkchecker_passes_over_the_current_guide_and_both_editions(two_editions, readable_tmp):  # noqa: F811
    _, dest = two_editions
    copy = readable_tmp / "published"
    shutil.copytree(dest, copy, symlinks=False)  # a plain copy: make_readable must not touch the editions
    result = linkcheck(copy, readable_tmp)
    assert result.returncode == 0, result.stdout[-6000:]
    assert " 0 warnings found. 0 errors found." in result.stdout
    assert "editions/2026-11-22/" in result.stdout or result.returncode == 0


# --- the parts, on their own ----------------------------------------------------------------

def test_edition_names_are_dates_and_bad_names_are_ignored():
    assert [e.name for e in parse_names("2026-11-29, 2026-11-22,nonsense,2026-13-01,,2026-11-29-2")] == [
        "2026-11-22", "2026-11-29", "2026-11-29-2"]
    assert Edition("2026-11-29-2").title == "29 November 2026 (edition 2 of the day)"
    with pytest.raises(ValueError):
        _ = Edition("yesterday").date


def test_edition_page_banner_escapes_and_replaces_an_existing_robots_meta():
    html = ('<html><head><meta name="robots" content="index"></head><body>'
            '<article class="md-content__inner md-typeset"><h1>T</h1>'
            '<a class="lg-editions-link" href="../editions/?page=a/b/">See</a></article></body></html>')
    out = edition_page(html, "a/b/index.html", Edition("2026-11-22"))
    assert out.count('name="robots"') == 1 and 'content="noindex"' in out
    assert '<a href="../../../../a/b/">See the current version of this page</a>' in out
    assert '<a class="lg-editions-link" href="../../../../editions/?page=a/b/">' in out
    assert out.index("lg-edition-banner") < out.index("<h1>")


def test_a_page_without_an_article_gets_the_banner_after_body():
    out = edition_page("<html><head></head><body class='x'><p>redirect</p></body></html>", "old.html",
                       Edition("2026-11-22"))
    assert "<body class='x'><div class=\"admonition warning lg-edition-banner\"" in out


def test_versions_json_of_no_editions_is_an_empty_list():
    assert json.loads(versions_json([])) == []
