"""Editions: every `lawguide publish` keeps the guide as it stood that day at /editions/NAME/."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
import posixpath
import re
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from lawguide.core import clock
from lawguide.links.htmlcheck import check_built_site
from lawguide.render.editions import Edition, parse_names
from lawguide.tools.editions import (
    MANIFEST,
    content_key,
    edition_page,
    make_edition,
    point_at_holders,
    stub_page,
    versions_json,
)
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


def publish_two_editions(tmp_path: Path) -> tuple[Path, Path]:
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


@pytest.fixture
def two_editions(tmp_path: Path) -> tuple[Path, Path]:
    """Two editions published for this test alone: for tests that publish again or change the project."""
    return publish_two_editions(tmp_path)


@pytest.fixture(scope="module")
def read_two_editions(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, Path]]:
    """The same two editions published once for the tests that only read them (two publishes each saved);
    a test that wrote to them would fail here, at the end of the module."""
    project, dest = publish_two_editions(tmp_path_factory.mktemp("two-editions"))
    before = store_state(dest.parent)
    yield project, dest
    assert store_state(dest.parent) == before, "a test changed the shared editions: use two_editions"


def test_an_edition_is_named_by_the_guides_clock_so_lawguide_today_moves_it(tmp_path, monkeypatch):
    project = make_site(tmp_path / "project", pages={"index.md": PAGE.format(body="First version.", changes="")})
    dest = tmp_path / "www" / "guide"
    dest.parent.mkdir()
    monkeypatch.setenv(clock.ENV, "2026-11-30")  # not the machine's date: the clock decides, as for the build
    out = io.StringIO()
    publish(project / "mkdocs.yml", dest, out=out)
    assert "Edition 2026-11-30 kept at /editions/2026-11-30/" in out.getvalue()
    assert (dest / "editions" / "2026-11-30" / "index.html").is_file()


def test_old_edition_shows_the_old_text_with_the_banner_linking_to_the_current_page(read_two_editions):
    _, dest = read_two_editions
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


def test_editions_page_lists_editions_newest_first_with_what_changed(read_two_editions):
    _, dest = read_two_editions
    page = (dest / "editions" / "index.html").read_text(encoding="utf-8")
    newest, oldest = page.index('href="2026-11-29/"'), page.index('href="2026-11-22/"')
    assert newest < oldest
    assert "What changed since 22 November 2026:" in page
    assert "Said plainly who can ask for help." in page
    assert "The first edition." in page
    assert '<meta name="robots" content="noindex">' in page


def test_editions_stay_out_of_the_current_search_and_sitemap(read_two_editions):
    _, dest = read_two_editions
    index = json.loads((dest / "search" / "search_index.json").read_text(encoding="utf-8"))
    assert not [d["location"] for d in index["docs"] if d["location"].startswith("editions")]
    assert not list((dest / "editions" / "2026-11-22").glob("sitemap.xml*"))
    assert not (dest / "editions" / "2026-11-22" / "editions").exists()


def test_versions_json_has_the_shape_mike_writes(read_two_editions):
    _, dest = read_two_editions
    versions = json.loads((dest / "editions" / "versions.json").read_text(encoding="utf-8"))
    assert versions == [
        {"version": "2026-11-29", "title": "29 November 2026", "aliases": ["latest"]},
        {"version": "2026-11-22", "title": "22 November 2026", "aliases": []},
    ]


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
def test_linkchecker_passes_over_the_current_guide_and_both_editions(read_two_editions, readable_tmp):  # noqa: F811
    _, dest = read_two_editions
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


# --- editions store only what changed -------------------------------------------------------

OTHER = """\
---
title: Other
summary: A page that never changes.
reviewed: 2026-11-01
---
# Other

Nothing here changes.

## Details {#details}

The council must help [[ca1989-s17]].
"""
THIRD = dt.date(2026, 12, 6)


@pytest.fixture(scope="module")
def three_editions(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """22 Nov: the first edition, made as before this scheme (no edition.json: every file in full);
    29 Nov: the home page changed; 6 Dec: the home page changed back. Other never changes."""
    tmp = tmp_path_factory.mktemp("dedupe")
    body = "First version. See [the details](other.md#details)."
    project = make_site(tmp / "project", pages={"index.md": PAGE.format(body=body, changes=""), "other.md": OTHER})
    dest = tmp / "www" / "guide"
    dest.parent.mkdir()
    publish(project / "mkdocs.yml", dest, out=io.StringIO(), today=FIRST)
    first = dest.parent / "guide.editions" / "2026-11-22"
    first.chmod(0o755)
    (first / MANIFEST).unlink()  # an edition kept before editions recorded what they hold
    first.chmod(0o555)
    write_page(project, "Second version. See [the details](other.md#details).")
    publish(project / "mkdocs.yml", dest, out=io.StringIO(), today=SECOND)
    write_page(project, body)
    publish(project / "mkdocs.yml", dest, out=io.StringIO(), today=THIRD)
    return dest


def redirect_of(page: Path) -> str | None:
    match = re.search(r'<meta http-equiv="refresh" content="0; url=([^"]+)">', page.read_text(encoding="utf-8"))
    return match.group(1) if match else None


def test_an_unchanged_page_redirects_straight_to_the_edition_holding_it(three_editions):
    dest = three_editions
    for name, when in (("2026-11-29", "29 November 2026"), ("2026-12-06", "6 December 2026")):
        stub = dest / "editions" / name / "other" / "index.html"
        assert redirect_of(stub) == "../../2026-11-22/other/"  # one hop, even from the third edition
        text = stub.read_text(encoding="utf-8")
        assert (f"This page did not change between 22 November 2026 and {when}; "
                "opening it as published on 22 November 2026.") in text
        assert '<a href="../../2026-11-22/other/">Open the page as published on 22 November 2026</a>' in text
        assert '<meta name="robots" content="noindex">' in text and "<script" not in text
        assert '<link rel="canonical" href="../../2026-11-22/other/">' in text
        full = (dest / "editions" / "2026-11-22" / "other" / "index.html").read_text(encoding="utf-8")
        csp = re.search(r'<meta http-equiv="Content-Security-Policy"[^>]*>', full).group(0)
        assert csp in text
        assert posixpath.normpath(posixpath.join(f"/editions/{name}/other/", "../../2026-11-22/other/")) == \
            "/editions/2026-11-22/other"
        assert len(stub.read_bytes()) < 2000
    assert "Nothing here changes." in full


def test_a_changed_page_is_stored_in_full_even_when_it_changed_back(three_editions):
    dest = three_editions
    second = (dest / "editions" / "2026-11-29" / "index.html").read_text(encoding="utf-8")
    third = (dest / "editions" / "2026-12-06" / "index.html").read_text(encoding="utf-8")
    assert redirect_of(dest / "editions" / "2026-11-29" / "index.html") is None
    assert "Second version." in second and "First version." not in second
    assert redirect_of(dest / "editions" / "2026-12-06" / "index.html") is None  # compared with 29 Nov only
    assert "First version." in third and "This is the guide as it stood on 6 December 2026." in third
    # its link to the unchanged page goes straight to the edition holding it, section and all
    assert 'href="../2026-11-22/other/#details"' in third


def test_identical_assets_are_stored_once_and_pages_point_at_them(three_editions):
    dest = three_editions
    store = dest.parent / "guide.editions"
    css = sorted((store / "2026-11-22" / "assets" / "stylesheets").glob("main.*.css"))[0]
    rel = css.relative_to(store / "2026-11-22").as_posix()
    assert not (store / "2026-11-29" / rel).exists() and not (store / "2026-12-06" / rel).exists()
    for name in ("2026-11-29", "2026-12-06"):
        page = (store / name / "index.html").read_text(encoding="utf-8")
        assert f'href="../2026-11-22/{rel}"' in page
        assert f'href="{rel}"' not in page
        manifest = json.loads((store / name / MANIFEST).read_text(encoding="utf-8"))["files"]
        assert manifest[rel]["held"] == "2026-11-22"
        assert manifest["index.html"]["held"] == name and manifest["other/index.html"]["held"] == "2026-11-22"
        assert (store / name / "search" / "search_index.json").is_file()  # fetched from the page's base
    assert all(p.stat().st_mode & 0o222 == 0 for p in (store / "2026-12-06").rglob("*") if p.is_file())


def test_every_relative_url_of_every_edition_resolves(three_editions):
    assert check_built_site(three_editions.resolve()) == []


def test_earlier_editions_are_never_rewritten_by_later_ones(three_editions):
    store = three_editions.parent / "guide.editions"
    first = store / "2026-11-22"
    assert not (first / MANIFEST).exists()  # the old full edition is left as it was
    assert "First version." in (first / "index.html").read_text(encoding="utf-8")
    assert "<title>" in (first / "other" / "index.html").read_text(encoding="utf-8")
    assert redirect_of(first / "other" / "index.html") is None


BUILT = ('<html lang="cy"><head><meta http-equiv="Content-Security-Policy" content="default-src \'self\'">'
         '<title>Page &amp; more</title><link rel="stylesheet" href="../assets/a.css"></head><body>'
         '<nav>{nav}</nav><article class="md-content__inner md-typeset"><h1>T</h1>{body}'
         '<a class="lg-editions-link" href="../editions/?page=a/">See</a></article>'
         '<script src="../assets/b.js"></script></body></html>')


def test_content_key_ignores_navigation_banner_and_editions_link_but_not_the_article_or_title():
    built = BUILT.format(nav="one", body="Text")
    key = content_key("a/index.html", built.encode())
    assert key == content_key("a/index.html", BUILT.format(nav="two pages", body="Text").encode())
    assert key == content_key("a/index.html", edition_page(built, "a/index.html", Edition("2026-11-22")).encode())
    assert key != content_key("a/index.html", BUILT.format(nav="one", body="Text!").encode())
    assert key != content_key("a/index.html", built.replace("Page &amp;", "Page and").encode())
    assert content_key("old/index.html", b'<meta http-equiv="refresh" content="0; url=../new/">') is None
    assert content_key("x.css", b"a") != content_key("x.css", b"b")


def test_point_at_holders_rewrites_only_urls_into_its_own_edition_held_elsewhere():
    files = {"assets/a.css": {"held": "2026-11-22"}, "assets/b.js": {"held": "2026-11-29"},
             "b/index.html": {"held": "2026-11-22"}, "index.html": {"held": "2026-11-29"}}
    html = ('<link href="../assets/a.css"><script src="../assets/b.js"></script><a href="../b/#s">B</a>'
            '<a href="../../../b/">current</a><a href="https://x.org/assets/a.css">x</a><a href="#top">t</a>'
            '<a href="..">home</a><script id="__config">{"search": "../assets/a.css"}</script>')
    out = point_at_holders(html, "a/index.html", Edition("2026-11-29"), files)
    assert '<link href="../../2026-11-22/assets/a.css">' in out
    assert '<script src="../assets/b.js">' in out  # held by this edition itself
    assert '<a href="../../2026-11-22/b/#s">' in out
    assert '<a href="../../../b/">' in out and 'href="https://x.org/assets/a.css"' in out and 'href="#top"' in out
    assert '<a href="..">' in out
    assert '"search": "../../2026-11-22/assets/a.css"' in out


def test_stub_page_escapes_and_keeps_the_page_language():
    html = BUILT.format(nav="", body="")
    out = stub_page(html, "a/index.html", Edition("2026-11-29-2"), Edition("2026-11-22"))
    assert out.startswith('<!doctype html>\n<html lang="cy">')
    assert "and 29 November 2026 (edition 2 of the day); opening it as published on 22 November 2026." in out
    assert '<meta http-equiv="refresh" content="0; url=../../2026-11-22/a/">' in out
    assert "<title>Page &amp; more</title>" in out
    assert '<meta http-equiv="Content-Security-Policy" content="default-src \'self\'">' in out


def write_files(root: Path, files: dict[str, str]) -> None:
    for rel, text in files.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(text, encoding="utf-8")


HOME = ('<html><head><title>Home</title><link rel="stylesheet" href="assets/a.css"></head><body>'
        '<article class="md-content__inner md-typeset"><h1>Home</h1></article>'
        '<script id="__config" type="application/json">{"search": "assets/javascripts/workers/w.js"}</script>'
        '</body></html>')


def test_a_search_worker_and_its_lunr_files_are_stored_together(tmp_path):
    site, store = tmp_path / "site", tmp_path / "store"
    write_files(site, {"index.html": HOME, "assets/a.css": "a", "assets/javascripts/workers/w.js": "w1",
                       "assets/javascripts/lunr/min/lunr.cy.min.js": "l"})
    make_edition(site, store / "2026-11-22", Edition("2026-11-22"), None)
    write_files(site, {"assets/javascripts/workers/w.js": "w2"})  # a new Material: the worker changed, lunr not
    size = make_edition(site, store / "2026-11-29", Edition("2026-11-29"), store / "2026-11-22")
    second = store / "2026-11-29"
    assert (second / "assets/javascripts/lunr/min/lunr.cy.min.js").read_text(encoding="utf-8") == "l"
    assert not (second / "assets/a.css").exists()
    assert redirect_of(second / "index.html") == "../2026-11-22/"
    assert size.stubs == 1 and size.files == 4


def test_an_edition_deleted_by_hand_is_never_pointed_at_again(tmp_path):
    site, store = tmp_path / "site", tmp_path / "store"
    write_files(site, {"index.html": HOME, "assets/a.css": "a", "assets/javascripts/workers/w.js": "w"})
    make_edition(site, store / "2026-11-22", Edition("2026-11-22"), None)
    make_edition(site, store / "2026-11-29", Edition("2026-11-29"), store / "2026-11-22")
    for path in [store / "2026-11-22", *(store / "2026-11-22").rglob("*")]:
        path.chmod(0o755)
    shutil.rmtree(store / "2026-11-22")
    make_edition(site, store / "2026-12-06", Edition("2026-12-06"), store / "2026-11-29")
    third = store / "2026-12-06"
    assert redirect_of(third / "index.html") is None and "<h1>Home</h1>" in (third / "index.html").read_text(encoding="utf-8")
    assert (third / "assets/a.css").read_text(encoding="utf-8") == "a"
    files = json.loads((third / MANIFEST).read_text(encoding="utf-8"))["files"]
    assert {entry["held"] for entry in files.values()} == {"2026-12-06"}
