"""links.lock: published page URLs and section anchors keep working, or the build says which broke."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest
import yaml
from lawguide.content.site import load_site
from lawguide.content.urls import page_url
from lawguide.core.settings import Settings
from lawguide.links.lock import (
    LOCK_HEADER,
    LinkConfig,
    lock_problems,
    published_links,
    published_pages,
    read_link_config,
)
from lawguide.render.generate import generated_pages
from lawguide.render.page import insert_alias_anchors
from mkdocs.structure.files import File

from tests.fixtures import DEFAULT_PAGES, DEFAULT_TERMS, build, lawguide, make_site

PAGE = textwrap.dedent(DEFAULT_PAGES["index.md"])
OTHER = """\
    ---
    title: Short breaks
    summary: Time away from caring.
    reviewed: 2026-11-01
    ---
    # Short breaks

    ## Asking for a short break {#ask-short-break}

    Ask the council.
    """
ANCHOR_HINT = ("add anchor_aliases: {asking: new-id} to the page front matter, "
               "or a redirect in mkdocs.yml redirect_maps")


def fixture(root: Path, pages: dict[str, str] | None = None, redirects: dict[str, str] | None = None, **kw) -> Path:
    extra = {"plugins": ["search", {"redirects": {"redirect_maps": redirects or {}}}]}
    return make_site(root, pages={"index.md": PAGE, "short-breaks.md": OTHER} if pages is None else pages,
                     extra_config=extra, **kw)


def site_of(root: Path):
    return load_site(Settings.from_mkdocs_yml(root / "mkdocs.yml"))


def lock(root: Path, *urls: str) -> Path:
    (root / "links.lock").write_text(LOCK_HEADER + "".join(f"{u}\n" for u in urls), encoding="utf-8")
    return root / "links.lock"


def locked_line(root: Path, url: str) -> int:
    return (root / "links.lock").read_text(encoding="utf-8").split("\n").index(url) + 1


def found(root: Path) -> list[str]:
    return [p.format() for p in lock_problems(site_of(root))]


def edit(root: Path, page: str, old: str, new: str) -> None:
    path = root / "docs" / page
    text = path.read_text(encoding="utf-8")
    assert old in text, f"fixture has no {old!r}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def add_front_matter(root: Path, page: str, yaml_lines: str) -> None:
    edit(root, page, "reviewed: 2026-11-01\n", f"reviewed: 2026-11-01\n{yaml_lines}")


# --- what is published ---------------------------------------------------------------------

@pytest.mark.parametrize("src", ["index.md", "get-help.md", "assessments/index.md", "assessments/young-carers.md",
                                 "law/ca1989-s17.md", "glossary.md", "README.md"])
@pytest.mark.parametrize("directory_urls", [True, False])
def test_page_url_is_the_url_mkdocs_publishes(src, directory_urls):
    mkdocs_url = File(src, "", "", directory_urls).url
    expected = "/" if mkdocs_url == "./" else "/" + mkdocs_url
    assert page_url(src, directory_urls) == expected


SOURCES = ["index.md", "get-help.md", "assessments/index.md", "assessments/young-carers.md", "law/ca1989-s17.md",
           "law/index.md", "glossary.md", "a/b/c/deep.md", "ab.md", "a/bc.md"]


@pytest.mark.parametrize("directory_urls", [True, False])
def test_relative_link_between_pages_is_the_one_posixpath_gives(directory_urls):
    """href's fast relative path agrees with posixpath.relpath for every pair of pages."""
    import posixpath

    from lawguide.content.urls import _relative_url

    for to_page in SOURCES:
        for from_page in SOURCES:
            target = page_url(to_page, directory_urls)
            start = posixpath.dirname(page_url(from_page, directory_urls)) or "/"
            expected = posixpath.relpath(target, start)
            if target.endswith("/"):
                expected = "./" if expected == "." else expected + "/"
            assert _relative_url(target, start) == expected, (from_page, to_page)


@pytest.mark.parametrize("link_base", ["url", "source"])
@pytest.mark.parametrize("directory_urls", [True, False])
def test_href_between_any_two_pages_is_the_one_posixpath_gives(directory_urls, link_base):
    """href's shortcut for links with nothing in common agrees with posixpath.relpath, anchors too."""
    import posixpath
    from types import SimpleNamespace

    from lawguide.content.urls import href

    site = SimpleNamespace(settings=SimpleNamespace(use_directory_urls=directory_urls, link_base=link_base))
    for to_page in SOURCES:
        for from_page in SOURCES:
            target = page_url(to_page, directory_urls)
            if link_base == "source":
                start = "/" + posixpath.dirname(from_page) if posixpath.dirname(from_page) else "/"
            else:
                start = posixpath.dirname(page_url(from_page, directory_urls)) or "/"
            expected = posixpath.relpath(target, start)
            if target.endswith("/"):
                expected = "./" if expected == "." else expected + "/"
            assert href(site, from_page, to_page) == expected, (from_page, to_page)
            assert href(site, from_page, to_page, "sec") == expected + "#sec"


def test_published_links_are_pages_explicit_h2_h3_law_pages_and_glossary_terms(tmp_path):
    root = fixture(tmp_path, pages={"index.md": PAGE + textwrap.dedent("""\

        ### No explicit id here

        #### Deep detail {#deep}
        """)})
    site = site_of(root)
    links = published_links(published_pages(site, LinkConfig({})))
    assert links == sorted(links)
    # every page, generated ones included (whatever else the engine generates, it is published too)
    pages = {"/", "/law/", "/law/ca1989-s17/", "/law/ca1989-s17zd/", "/law/lawcom-dcsc-report/", "/glossary/"}
    assert pages <= {u for u in links if "#" not in u} == {page_url(p) for p in [*site.pages, *generated_pages(site)]}
    # anchors: explicit H2/H3 ids of guide pages and glossary terms; not H4, not automatic ids
    assert [u for u in links if "#" in u] == ["/#asking", "/#parent-carers", "/glossary/#short-breaks"]


def test_redirect_maps_are_read_from_mkdocs_yml_as_data(tmp_path):
    root = fixture(tmp_path, redirects={"old.md": "short-breaks.md", "gone.md": "https://example.org/"})
    config = read_link_config(root / "mkdocs.yml")
    assert config.redirects == {"old.md": "short-breaks.md", "gone.md": "https://example.org/"}
    assert config.directory_urls is True


def test_mkdocs_yml_tags_and_missing_plugins_are_tolerated(tmp_path):
    (tmp_path / "mkdocs.yml").write_text("site_url: !ENV LAWGUIDE_SITE_URL\nuse_directory_urls: false\n", encoding="utf-8")
    assert read_link_config(tmp_path / "mkdocs.yml") == LinkConfig({}, False)


# --- the lock command ----------------------------------------------------------------------

def test_update_creates_a_sorted_lock_with_a_comment_header(tmp_path):
    root = fixture(tmp_path)
    result = lawguide(root, "links", "--update")
    assert result.returncode == 0, result.stderr
    text = (root / "links.lock").read_text(encoding="utf-8")
    assert text.startswith(LOCK_HEADER)
    urls = [line for line in text.split("\n") if line and not line.startswith("#")]
    assert urls == sorted(urls) and "/#asking" in urls and "/short-breaks/#ask-short-break" in urls
    assert "added: /short-breaks/" in result.stdout
    again = lawguide(root, "links")
    assert again.returncode == 0 and "0 link(s) would be added" in again.stdout


def test_links_without_update_reports_new_links_and_writes_nothing(tmp_path):
    root = fixture(tmp_path)
    lock(root, "/", "/#asking")
    result = lawguide(root, "links")
    assert result.returncode == 0, result.stderr
    assert "new: /#parent-carers" in result.stdout and "new: /#asking" not in result.stdout
    assert (root / "links.lock").read_text(encoding="utf-8") == LOCK_HEADER + "/\n/#asking\n"


def test_update_adds_new_links_and_never_removes_missing_ones(tmp_path):
    root = fixture(tmp_path)
    lock(root, "/retired/", "/")
    line = locked_line(root, "/retired/")
    result = lawguide(root, "links", "--update")
    assert result.returncode == 1
    assert f"links.lock:{line}: published link '/retired/' no longer exists" in result.stderr
    urls = (root / "links.lock").read_text(encoding="utf-8").split("\n")
    assert "/retired/" in urls and "/#asking" in urls and urls.index("/") < urls.index("/retired/")


def test_lock_keeps_a_hand_edited_header(tmp_path):
    root = fixture(tmp_path)
    (root / "links.lock").write_text("# our own words\n/\n", encoding="utf-8")
    assert lawguide(root, "links", "--update").returncode == 0
    assert (root / "links.lock").read_text(encoding="utf-8").startswith("# our own words\n/\n/#asking\n")


def test_lock_line_that_is_not_a_url_path_is_reported_with_its_line(tmp_path):
    root = fixture(tmp_path)
    (root / "links.lock").write_text("# header\n/\nassessments/\n/a b/\n", encoding="utf-8")
    assert found(root) == [
        "links.lock:3: 'assessments/' in links.lock is not a URL path "
        "(one path per line, e.g. /assessments/ or /assessments/#refuse-to-assess)",
        "links.lock:4: '/a b/' in links.lock is not a URL path "
        "(one path per line, e.g. /assessments/ or /assessments/#refuse-to-assess)",
    ]
    result = lawguide(root, "links", "--update")
    assert result.returncode == 1 and "fix them by hand first" in result.stderr
    assert (root / "links.lock").read_text(encoding="utf-8") == "# header\n/\nassessments/\n/a b/\n"


def test_headings_without_explicit_ids_are_named_but_not_locked(tmp_path):
    root = fixture(tmp_path, pages={"index.md": PAGE + "\n## Costs\n"})
    line = PAGE.count("\n") + 2
    result = lawguide(root, "links", "--update")
    assert f"docs/index.md:{line}: heading 'Costs' has no explicit id, so it is not locked" in result.stderr
    assert "/#costs" not in (root / "links.lock").read_text(encoding="utf-8")


def test_no_lock_means_nothing_is_checked(tmp_path):
    assert found(fixture(tmp_path)) == []


# --- the check, without building ------------------------------------------------------------

def test_renamed_heading_id_is_reported_at_the_page_with_alias_hint(tmp_path):
    root = fixture(tmp_path)
    lock(root, "/", "/#asking", "/#parent-carers")
    edit(root, "index.md", "{#asking}", "{#asking-for-help}")
    assert found(root) == [f"docs/index.md:1: published link '/#asking' no longer exists ({ANCHOR_HINT})"]


def test_anchor_alias_keeps_a_renamed_heading_id_published(tmp_path):
    root = fixture(tmp_path)
    lock(root, "/", "/#asking")
    edit(root, "index.md", "{#asking}", "{#asking-for-help}")
    add_front_matter(root, "index.md", "anchor_aliases:\n  asking: asking-for-help\n")
    assert found(root) == []


def test_deleted_page_is_reported_at_its_lock_line_with_redirect_hint(tmp_path):
    root = fixture(tmp_path)
    lock(root, "/", "/short-breaks/", "/short-breaks/#ask-short-break")
    (root / "docs" / "short-breaks.md").unlink()
    hint = "the page has moved or gone: add a redirect to mkdocs.yml redirect_maps, e.g. 'short-breaks.md: new-page.md'"
    assert found(root) == [
        f"links.lock:{locked_line(root, '/short-breaks/')}: published link '/short-breaks/' no longer exists ({hint})",
        f"links.lock:{locked_line(root, '/short-breaks/#ask-short-break')}: "
        f"published link '/short-breaks/#ask-short-break' no longer exists ({hint})",
    ]


def test_redirect_keeps_a_moved_page_and_its_anchors_published(tmp_path):
    root = fixture(tmp_path, redirects={"short-breaks.md": "help/breaks.md"})
    lock(root, "/short-breaks/", "/short-breaks/#ask-short-break")
    (root / "docs" / "short-breaks.md").rename(root / "docs" / "help.md")
    (root / "docs" / "help").mkdir()
    (root / "docs" / "help.md").rename(root / "docs" / "help" / "breaks.md")
    assert found(root) == []


def test_anchor_lost_on_the_redirect_target_is_reported_at_the_lock_line(tmp_path):
    root = fixture(tmp_path, redirects={"short-breaks.md": "breaks.md"})
    lock(root, "/short-breaks/", "/short-breaks/#ask-short-break")
    (root / "docs" / "short-breaks.md").rename(root / "docs" / "breaks.md")
    edit(root, "breaks.md", "{#ask-short-break}", "{#asking}")
    line = locked_line(root, "/short-breaks/#ask-short-break")
    assert found(root) == [
        f"links.lock:{line}: published link '/short-breaks/#ask-short-break' no longer exists "
        "(add anchor_aliases: {ask-short-break: new-id} to the front matter of docs/breaks.md)"]
    add_front_matter(root, "breaks.md", "anchor_aliases:\n  ask-short-break: asking\n")
    assert found(root) == []


def test_redirect_to_a_fragment_cannot_carry_the_old_pages_anchors(tmp_path):
    root = fixture(tmp_path, redirects={"short-breaks.md": "index.md#asking"})
    lock(root, "/short-breaks/", "/short-breaks/#ask-short-break")
    (root / "docs" / "short-breaks.md").unlink()
    problems = found(root)
    assert len(problems) == 1
    assert problems[0].startswith(f"links.lock:{locked_line(root, '/short-breaks/#ask-short-break')}: "
                                  "published link '/short-breaks/#ask-short-break' no longer exists (the redirect "
                                  "goes to 'index.md#asking', which drops '#ask-short-break'")


def test_redirect_to_a_page_that_does_not_exist_is_reported(tmp_path):
    root = fixture(tmp_path, redirects={"short-breaks.md": "breaks.md"})
    lock(root, "/short-breaks/")
    (root / "docs" / "short-breaks.md").unlink()
    assert found(root) == [f"links.lock:{locked_line(root, '/short-breaks/')}: published link '/short-breaks/' "
                           "redirects to 'breaks.md', which is not a page (fix the redirect in mkdocs.yml redirect_maps)"]


def test_redirect_to_another_site_keeps_the_link(tmp_path):
    root = fixture(tmp_path, redirects={"short-breaks.md": "https://www.gov.uk/"})
    lock(root, "/short-breaks/", "/short-breaks/#ask-short-break")
    (root / "docs" / "short-breaks.md").unlink()
    assert found(root) == []


def test_law_page_short_link_never_changes(tmp_path):
    from tests.fixtures import DEFAULT_REFS

    root = fixture(tmp_path, refs=[r for r in DEFAULT_REFS if r["id"] != "lawcom-dcsc-report"])
    lock(root, "/law/", "/law/lawcom-dcsc-report/")
    assert found(root) == [
        f"links.lock:{locked_line(root, '/law/lawcom-dcsc-report/')}: published link '/law/lawcom-dcsc-report/' "
        "no longer exists (law page short links never change: keep 'lawcom-dcsc-report' in law_refs/*.yml "
        "(mark it repealed or set replaced_by rather than deleting it))"]


def test_removed_glossary_term_anchor_is_reported(tmp_path):
    terms = [*DEFAULT_TERMS, {"id": "direct-payments", "term": "Direct payments", "definition": "Money instead."}]
    root = fixture(tmp_path, terms=terms)
    lock(root, "/glossary/", "/glossary/#direct-payments", "/glossary/#short-breaks")
    assert found(root) == []
    root = fixture(root, terms=DEFAULT_TERMS)
    assert found(root) == [
        f"links.lock:{locked_line(root, '/glossary/#direct-payments')}: published link '/glossary/#direct-payments' "
        "no longer exists (keep the id 'direct-payments' in the register or glossary, "
        "or delete the line from links.lock by hand to break the link on purpose)"]


def test_lawguide_check_fails_on_a_broken_published_link(tmp_path):
    root = fixture(tmp_path)
    lock(root, "/", "/#asking")
    assert lawguide(root, "check").returncode == 0
    edit(root, "index.md", "{#asking}", "{#asking-for-help}")
    result = lawguide(root, "check")
    assert result.returncode == 1
    assert f"docs/index.md:1: published link '/#asking' no longer exists ({ANCHOR_HINT})" in result.stderr
    links = lawguide(root, "links")
    assert links.returncode == 1 and "1 missing" in links.stdout and "new: /#asking-for-help" in links.stdout


# --- aliases in the Markdown ---------------------------------------------------------------

def test_alias_anchor_is_an_empty_block_just_before_its_heading():
    markdown = "# Title\n\n## Asking {#asking-for-help}\n\nText.\n"
    out = insert_alias_anchors(markdown, {"asking": "asking-for-help", "ask": "asking-for-help"})
    assert out == ('# Title\n\n\n<div id="asking" class="lg-anchor-alias"></div>\n\n'
                   '<div id="ask" class="lg-anchor-alias"></div>\n\n## Asking {#asking-for-help}\n\nText.\n')


def test_alias_anchor_ignores_headings_in_code_and_unknown_targets():
    markdown = "```\n## Asking {#asking-for-help}\n```\n"
    assert insert_alias_anchors(markdown, {"asking": "asking-for-help", "x": "nowhere"}) == markdown


# --- end to end: the build catches it or the old link keeps working ------------------------------

def set_redirects(root: Path, maps: dict[str, str]) -> None:
    config = yaml.safe_load((root / "mkdocs.yml").read_text(encoding="utf-8"))
    config["plugins"] = ["search", {"redirects": {"redirect_maps": maps}}]
    (root / "mkdocs.yml").write_text(yaml.safe_dump(config), encoding="utf-8")


def built_fixture(root: Path, **kw) -> Path:
    root = fixture(root, **kw)
    assert lawguide(root, "links", "--update").returncode == 0
    first = build(root)
    assert first.returncode == 0, first.stderr
    return root


@pytest.mark.slow
def test_build_fails_naming_the_locked_anchor_when_a_heading_id_is_renamed(tmp_path):
    root = built_fixture(tmp_path)
    edit(root, "index.md", "{#asking}", "{#asking-for-help}")
    result = build(root)
    assert result.returncode == 1
    assert f"docs/index.md:1: published link '/#asking' no longer exists ({ANCHOR_HINT})" in result.stderr


@pytest.mark.slow
def test_build_passes_and_old_anchor_lands_on_the_new_heading_with_an_alias(tmp_path):
    root = built_fixture(tmp_path)
    edit(root, "index.md", "{#asking}", "{#asking-for-help}")
    add_front_matter(root, "index.md", "anchor_aliases:\n  asking: asking-for-help\n")
    # a link to the old id from another page must still validate in MkDocs' own anchor check
    edit(root, "short-breaks.md", "Ask the council.", "Ask the council ([how](index.md#asking)).")
    result = build(root)
    assert result.returncode == 0, result.stderr
    html = (root / "site" / "index.html").read_text(encoding="utf-8")
    alias = '<div class="lg-anchor-alias" id="asking"></div>'
    alias = alias if alias in html else '<div id="asking" class="lg-anchor-alias"></div>'
    assert html.count('id="asking"') == 1 and alias in html
    between = html.split(alias, 1)[1].split('<h2 id="asking-for-help"', 1)
    assert len(between) == 2 and between[0].strip() == "", "alias must sit right before the new heading"


@pytest.mark.slow
def test_build_passes_and_old_url_serves_a_redirect_when_a_page_moves(tmp_path):
    root = built_fixture(tmp_path)
    (root / "docs" / "help").mkdir()
    (root / "docs" / "short-breaks.md").rename(root / "docs" / "help" / "breaks.md")
    moved = build(root)
    assert moved.returncode == 1 and "published link '/short-breaks/' no longer exists" in moved.stderr
    set_redirects(root, {"short-breaks.md": "help/breaks.md"})
    result = build(root)
    assert result.returncode == 0, result.stderr
    stub = (root / "site" / "short-breaks" / "index.html").read_text(encoding="utf-8")
    assert '<meta http-equiv="refresh" content="0; url=../help/breaks/">' in stub
    assert 'location.href="../help/breaks/"+(anchor?"#"+anchor:"")' in stub  # carries #ask-short-break along
    assert 'id="ask-short-break"' in (root / "site" / "help" / "breaks" / "index.html").read_text(encoding="utf-8")


@pytest.mark.slow
def test_build_fails_when_a_published_section_is_deleted(tmp_path):
    root = built_fixture(tmp_path)
    edit(root, "short-breaks.md", "## Asking for a short break {#ask-short-break}\n\nAsk the council.\n", "")
    result = build(root)
    assert result.returncode == 1
    assert "docs/short-breaks.md:1: published link '/short-breaks/#ask-short-break' no longer exists" in result.stderr


@pytest.mark.slow
def test_build_fails_when_a_published_page_is_deleted_without_redirect(tmp_path):
    root = built_fixture(tmp_path)
    (root / "docs" / "short-breaks.md").unlink()
    result = build(root)
    assert result.returncode == 1
    assert (f"links.lock:{locked_line(root, '/short-breaks/')}: published link '/short-breaks/' no longer exists"
            in result.stderr)
