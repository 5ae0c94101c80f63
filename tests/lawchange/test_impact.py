"""`lawguide impact`: every page and section citing a register id, with source lines, no build."""

from __future__ import annotations

import json

import pytest
from lawguide.content.site import load_site
from lawguide.core.settings import Settings
from lawguide.lawchange.impact import impact, impact_json

from tests.fixtures import DEFAULT_REFS, home_page, lawguide, make_site

PAGES = {
    "index.md": home_page("""\
        Parents can ask [[ca1989-s17zd]].

        ## Asking {#asking}

        Ask [[ca1989-s17|under section 17]]. Parents too [[ca1989-s17zd|section 17ZD]] and [[ca1989-s17zd]].

        ### Carers {#carers}

        Again [[ca1989-s17zd]].

        Not in code: `[[ca1989-s17zd]]`.
        """),
    "more/other.md": """\
        ---
        title: Other
        reviewed: 2026-11-01
        ---
        # Other

        ## Late {#late}

        ```
        [[ca1989-s17zd]]
        ```

        Finally [[ca1989-s17zd]].
        """,
    "quiet.md": "---\ntitle: Quiet\nreviewed: 2026-11-01\n---\n# Quiet\n\nNothing cited.\n",
}


def site_of(root):
    return load_site(Settings.from_mkdocs_yml(root / "mkdocs.yml"))


def test_impact_lists_each_citing_page_with_section_anchors_and_lines(tmp_path):
    site = site_of(make_site(tmp_path, pages=PAGES))
    found = [(p.page, p.anchors, p.lines, p.cited_at_top) for p in impact(site, "ca1989-s17zd")]
    assert found == [("index.md", ("asking", "carers"), (7, 11, 15), True),
                     ("more/other.md", ("late",), (13,), False)]


def test_impact_json_maps_each_id_to_pages_relative_to_docs(tmp_path):
    root = make_site(tmp_path, pages=PAGES)
    result = lawguide(root, "impact", "--json", "ca1989-s17zd", "ca1989-s17", "lawcom-dcsc-report")
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == {
        "ca1989-s17zd": [{"page": "index.md", "anchors": ["asking", "carers"], "lines": [7, 11, 15]},
                         {"page": "more/other.md", "anchors": ["late"], "lines": [13]}],
        "ca1989-s17": [{"page": "index.md", "anchors": ["asking"], "lines": [11]}],
        "lawcom-dcsc-report": [],
    }
    assert json.loads(result.stdout) == impact_json(site_of(root), ["ca1989-s17zd", "ca1989-s17", "lawcom-dcsc-report"])


def test_impact_text_names_pages_sections_and_lines(tmp_path):
    result = lawguide(make_site(tmp_path, pages=PAGES), "impact", "ca1989-s17zd", "lawcom-dcsc-report")
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == [
        "ca1989-s17zd (Children Act 1989, s.17ZD): cited on 2 pages, 4 lines",
        "  docs/index.md  (Home)",
        "    top of page: line 7",
        "    #asking (Asking): line 11",
        "    #carers (Carers): line 15",
        "  docs/more/other.md  (Other)",
        "    #late (Late): line 13",
        "lawcom-dcsc-report (Law Commission, Disabled Children's Social Care (2025)): cited on 0 pages, 0 lines",
        "  no page cites it",
    ]


def test_unknown_id_fails_with_a_suggestion_and_prints_no_report(tmp_path):
    result = lawguide(make_site(tmp_path, pages=PAGES), "impact", "ca1989-s17zd", "ca1989-s17d")
    assert result.returncode == 1
    assert result.stdout == ""
    assert "lawguide impact: unknown law reference 'ca1989-s17d' (did you mean 'ca1989-s17zd'?)" in result.stderr


def test_impact_answers_even_when_other_pages_have_problems(tmp_path):
    pages = {**PAGES, "broken.md": "---\ntitle: Broken\nreviewed: 2026-11-01\n---\n# Broken\n\n[[no-such-ref]] [[ca1989-s17]]\n"}
    result = lawguide(make_site(tmp_path, pages=pages), "impact", "--json", "ca1989-s17")
    assert result.returncode == 0
    assert [p["page"] for p in json.loads(result.stdout)["ca1989-s17"]] == ["broken.md", "index.md"]
    assert "note: 1 problem(s) in the sources; run `lawguide check` for details." in result.stderr


def test_impact_agrees_with_the_built_law_page(tmp_path):
    from tests.fixtures import build

    root = make_site(tmp_path, pages=PAGES)
    assert build(root).returncode == 0
    html = (root / "site" / "law" / "ca1989-s17zd" / "index.html").read_text()
    guides = html[html.index('id="guides"'):html.index('id="changes"')]
    items = impact(site_of(root), "ca1989-s17zd")
    assert sum(len(item.anchors) for item in items) == 3
    for item in items:
        stem = item.page.removesuffix(".md").removesuffix("index")
        for anchor in item.anchors:
            assert f'href="../../{stem}{"/" if stem and not stem.endswith("/") else ""}#{anchor}"' in guides


def age(root, seconds: int = 60) -> None:
    """Make every source look older, so the page cache may keep it (it distrusts fresh files)."""
    import os
    import time

    then = time.time() - seconds
    for file in root.rglob("*.md"):
        os.utime(file, (then, then))


def test_page_cache_gives_the_same_site_and_notices_edits(tmp_path):
    from lawguide.content.cache import PageCache, load_site_cached

    root = make_site(tmp_path, pages=PAGES)
    age(root)
    settings = Settings.from_mkdocs_yml(root / "mkdocs.yml")
    first = load_site_cached(settings)
    cache = PageCache(settings)
    second = load_site(settings, page_loader=cache.load_page)
    assert cache.misses == 0 and second.pages == first.pages == site_of(root).pages
    # Same size, new content: the changed modification time is enough.
    index = root / "docs" / "index.md"
    old, new = "[[ca1989-s17|under section 17]]", "[[ca1989-s17zd|under sectn 17]]"
    assert len(old) == len(new)
    index.write_text(index.read_text().replace(old, new))
    age(root, 30)
    assert [p.lines for p in impact(load_site_cached(settings), "ca1989-s17zd")][0] == (7, 11, 15)
    third = PageCache(settings)
    assert impact(load_site(settings, page_loader=third.load_page), "ca1989-s17") == []
    assert third.misses == 0  # the edited page was cached again on the previous run


def test_page_cache_reads_a_page_again_on_another_day(tmp_path, monkeypatch):
    """A citations audit dated after today is refused when the page is parsed; on that day it counts.
    A page cached the day before must not keep yesterday's answer."""
    from lawguide.content.cache import load_site_cached

    audited = PAGES["index.md"].replace("reviewed: 2026-11-01", 'reviewed: 2026-11-01\ncitations_audited: '
                                        '{date: 2026-12-10, by: "A. Reviewer"}')
    root = make_site(tmp_path, pages={**PAGES, "index.md": audited})
    age(root)
    settings = Settings.from_mkdocs_yml(root / "mkdocs.yml")
    monkeypatch.setenv("LAWGUIDE_TODAY", "2026-12-09")
    assert load_site_cached(settings).pages["index.md"].citations_audited is None
    monkeypatch.setenv("LAWGUIDE_TODAY", "2026-12-10")
    assert load_site_cached(settings).pages["index.md"].citations_audited.date.isoformat() == "2026-12-10"


def test_lawguide_commands_can_skip_the_cache(tmp_path):
    root = make_site(tmp_path, pages=PAGES)
    age(root)
    cached = lawguide(root, "impact", "--json", "ca1989-s17zd")
    assert (root / ".cache" / "lawguide" / "pages.pickle").exists()
    uncached = lawguide(root, "impact", "--json", "ca1989-s17zd", "--no-cache")
    assert cached.stdout == uncached.stdout and json.loads(cached.stdout)["ca1989-s17zd"]


@pytest.mark.parametrize(("name", "command"), [("pages.pickle", ["impact", "--json", "ca1989-s17zd"]),
                                               ("dated_claims.pickle", ["review", "--json"])])
def test_a_corrupt_cache_file_is_rebuilt_with_a_note_not_a_traceback(tmp_path, name, command):
    root = make_site(tmp_path, pages=PAGES)
    age(root)
    good = lawguide(root, *command)
    cache_file = root / ".cache" / "lawguide" / name
    cache_file.write_bytes(cache_file.read_bytes()[:40])  # cut short, as by a full disk
    cut = lawguide(root, *command)
    assert cut.returncode == good.returncode and cut.stdout == good.stdout
    assert "Traceback" not in cut.stderr
    assert f"note: {cache_file}: cache file could not be read" in cut.stderr
    again = lawguide(root, *command)
    assert again.stdout == good.stdout and "could not be read" not in again.stderr


SLOW_TO_IMPORT = ("typing", "tempfile", "difflib", "json", "markdown", "mkdocs", "textstat", "ruamel", "jinja2",
                  "lawguide.render", "lawguide.tools", "lawguide.links", "lawguide.guide", "lawguide.lawchange.changes_import")


def test_editors_commands_import_only_what_they_need(tmp_path):
    """`lawguide impact` and `lawguide review` start fast: nothing for building, publishing or measuring
    (the first run also writes the page cache, which needs tempfile; the runs checked here are warm)."""
    import os
    import subprocess
    import sys

    root = make_site(tmp_path, pages=PAGES)
    script = ("import sys, contextlib, io\nfrom lawguide.cli import main\n"
              "with contextlib.redirect_stdout(io.StringIO()):\n"
              f"    main(['--config', {str(root / 'mkdocs.yml')!r}, *sys.argv[1:]])\n"
              "print(' '.join(sorted(sys.modules)))")
    def run(*argv: str) -> list[str]:
        result = subprocess.run([sys.executable, "-c", script, *argv], capture_output=True, text=True, cwd=tmp_path)
        assert result.returncode == 0, result.stderr
        return result.stdout.split()

    for page in (root / "docs").rglob("*.md"):  # pages edited a moment ago are re-read every time
        os.utime(page, (page.stat().st_atime - 60, page.stat().st_mtime - 60))
    run("impact", "ca1989-s17zd")  # writes the page cache
    for argv in (["impact", "ca1989-s17zd"], ["review"]):
        slow = [m for m in run(*argv) if m.split(".")[0] in SLOW_TO_IMPORT or m.startswith(SLOW_TO_IMPORT[10:])]
        assert slow == [], argv


# --- beyond citations ---------------------------------------------------------------------------

# A register entry named in prose by its title or short name (the tests below and the fifo test).
WT2026 = {"id": "wt2026", "title": "Working Together to Safeguard Children 2026", "cite": "Working Together 2026, ch. 3",
          "short": "Working Together 2026", "url": "https://www.gov.uk/government/publications/working-together",
          "type": "statutory-guidance", "status": "in-force", "summary": "Guidance.", "verified": "2026-11-22"}

def test_impact_finds_prose_naming_a_document_by_its_title_or_short_name_outside_code(tmp_path):
    from lawguide.lawchange.impact import prose_mentions

    refs = [WT2026]
    pages = {"index.md": """\
        ---
        title: Home
        reviewed: 2026-11-01
        ---
        # Home

        The guidance is called working together to safeguard children 2026.

        ## Steps {#steps}

        Read Working Together 2026 [[wt2026]].

        In a letter: "Under Working Together 2026 you must assess."

        `Working Together 2026` in code is not prose.
        """}
    site = load_site(Settings.from_mkdocs_yml(make_site(tmp_path, pages=pages, refs=refs) / "mkdocs.yml"))
    found = [(m.page, m.line, m.anchor, m.name) for m in prose_mentions(site, "wt2026")]
    assert found == [("index.md", 7, "", "working together to safeguard children 2026"),
                     ("index.md", 13, "steps", "Working Together 2026")]
    text = lawguide(tmp_path, "impact", "wt2026").stdout
    assert "named in prose without a citation (2 lines):" in text and "docs/index.md:13  #steps" in text


def test_an_act_s_name_alone_does_not_flag_every_page_for_one_section(tmp_path):
    from lawguide.lawchange.impact import names_for

    site = load_site(Settings.from_mkdocs_yml(make_site(tmp_path, pages=PAGES) / "mkdocs.yml"))
    assert names_for(site, "ca1989-s17") == []


def test_a_new_case_is_proposed_for_the_sections_citing_what_it_interprets(tmp_path):
    from lawguide.lawchange.impact import proposed_sections

    refs = [*DEFAULT_REFS,
            {"id": "case-x", "title": "R (X) v A Council", "cite": "R (X) v A Council [2026] EWHC 1 (Admin)",
             "url": "https://caselaw.nationalarchives.gov.uk/ewhc/admin/2026/1", "type": "case", "status": "in-force",
             "summary": "Section 17 read widely.", "verified": "2026-11-22", "interprets": ["ca1989-s17"]}]
    site = load_site(Settings.from_mkdocs_yml(make_site(tmp_path, pages=PAGES, refs=refs) / "mkdocs.yml"))
    assert site.problems == []
    assert proposed_sections(site, "case-x") == [("index.md", "asking", ("ca1989-s17",))]
    text = lawguide(tmp_path, "impact", "case-x").stdout
    assert "no page cites it" in text and "may belong in these sections (they cite what it interprets):" in text
    assert "docs/index.md  #asking  (cites ca1989-s17)" in text


def test_impact_prose_search_skips_a_named_pipe_in_docs_instead_of_hanging(tmp_path):
    """The loader refuses a named pipe at line 1; the prose search must not open it again (it would
    wait for a writer for ever)."""
    import os

    import pytest

    if not hasattr(os, "mkfifo"):
        pytest.skip("no named pipes here")
    refs = [WT2026]
    pages = {"index.md": """\
        ---
        title: Home
        reviewed: 2026-11-01
        ---
        # Home

        Working Together 2026 says so.
        """}
    root = make_site(tmp_path, pages=pages, refs=refs)
    os.mkfifo(root / "docs" / "pipe.md")
    import subprocess
    import sys

    result = subprocess.run([sys.executable, "-m", "lawguide.cli", "--config", str(root / "mkdocs.yml"), "impact",
                             "wt2026", "--no-cache"], capture_output=True, text=True, cwd=root, timeout=30)
    assert "docs/index.md:7" in result.stdout
