"""What a save in the live preview renders again (render.rerender), on tiny fixture guides, without an engine."""

from __future__ import annotations

import datetime as dt
import os
import time

from lawguide.content.cache import RACY_NS
from lawguide.content.pages import load_page
from lawguide.content.site import load_site
from lawguide.content.urls import CHANGES_PAGE, EDITORS_PAGE
from lawguide.core.settings import Settings
from lawguide.lawchange.impact import DATED_CLAIMS_MEMO, page_dated_claims
from lawguide.render.generate import generated_pages
from lawguide.render.rerender import KeptPages, Memory, plan, remember_facts, reuse_facts, sources_key

from tests.fixtures import home_page, make_site

HOME = home_page("The council must help [[ca1989-s17]].\n")
OTHER = home_page("The Law Commission proposed new law [[lawcom-dcsc-report]].\n").replace("title: Home", "title: Other")
EASY_READ = ("---\ntitle: Home in Easy Read\nreviewed: 2026-11-01\ntranslation:\n  of: index.md\n  source_hash: 0123456789ab\n"
             "  language: en\n  variant: easy-read\n  checked_by: null\n---\n# Home\n\nThe council helps [[ca1989-s17]].\n")


def guide(tmp_path, pages: dict[str, str] | None = None):
    root = make_site(tmp_path / "project", pages=pages or {"index.md": HOME, "other.md": OTHER})
    return root, load_site(Settings.from_mkdocs_yml(root / "mkdocs.yml"))


def key_of(root, site, problems: tuple[str, ...] = ()) -> tuple:
    return sources_key([root / "law_refs", root / "glossary", root / "mkdocs.yml"], site, problems)


def first_then(root, site, memory: Memory, edited: set[str], changed_site=None):
    """The first build's plan, then the plan after `edited` was saved (on changed_site, if given)."""
    first = plan(site, set(site.pages), generated_pages(site), key_of(root, site), memory)
    after = changed_site or site
    return first, plan(after, edited, generated_pages(after), key_of(root, after), memory)


def test_first_build_keeps_no_generated_page(tmp_path):
    root, site = guide(tmp_path)
    first = plan(site, set(site.pages), generated_pages(site), key_of(root, site), Memory())
    assert not first.everything and first.keep == frozenset()


def test_an_edit_renders_its_law_pages_and_the_lists_and_keeps_the_rest(tmp_path):
    root, site = guide(tmp_path)
    _, after = first_then(root, site, Memory(), {"other.md"})
    assert not after.everything and after.also == frozenset()
    assert "law/lawcom-dcsc-report.md" not in after.keep  # other.md is on its list of guides
    assert CHANGES_PAGE not in after.keep and EDITORS_PAGE not in after.keep
    assert "law/ca1989-s17.md" in after.keep  # cited only by the page not edited
    assert "law/index.md" in after.keep and "glossary.md" in after.keep


def test_a_citation_removed_renders_the_law_page_it_left(tmp_path):
    root, site = guide(tmp_path)
    memory = Memory()
    plan(site, set(site.pages), generated_pages(site), key_of(root, site), memory)
    (root / "docs" / "other.md").write_text(OTHER.replace("[[lawcom-dcsc-report]]", "[[ca1989-s17zd]]"), encoding="utf-8")
    edited = load_site(site.settings)
    after = plan(edited, {"other.md"}, generated_pages(edited), key_of(root, site), memory)
    assert "law/lawcom-dcsc-report.md" not in after.keep  # cited before the edit
    assert "law/ca1989-s17zd.md" not in after.keep  # cited after it
    assert "law/ca1989-s17.md" in after.keep


def test_an_english_page_edit_renders_its_easy_read_version(tmp_path):
    root, site = guide(tmp_path, {"index.md": HOME, "other.md": OTHER, "easy-read/index.md": EASY_READ})
    _, after = first_then(root, site, Memory(), {"index.md"})
    assert after.also == frozenset({"easy-read/index.md"})
    _, other = first_then(root, site, Memory(), {"other.md"})
    assert other.also == frozenset()


def test_a_register_change_renders_everything(tmp_path):
    root, site = guide(tmp_path)
    memory = Memory()
    plan(site, set(site.pages), generated_pages(site), key_of(root, site), memory)
    refs = root / "law_refs" / "refs.yml"
    refs.write_text(refs.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    after = plan(site, set(), generated_pages(site), key_of(root, site), memory)
    assert after.everything and after.keep == frozenset()


def test_a_new_problem_or_a_new_page_renders_everything(tmp_path):
    root, site = guide(tmp_path)
    memory = Memory()
    plan(site, set(site.pages), generated_pages(site), key_of(root, site), memory)
    problem = plan(site, {"index.md"}, generated_pages(site), key_of(root, site, ("docs/index.md:7: x",)), memory)
    assert problem.everything
    (root / "docs" / "new.md").write_text(OTHER.replace("title: Other", "title: New"), encoding="utf-8")
    grown = load_site(site.settings)
    added = plan(grown, {"new.md"}, generated_pages(grown), key_of(root, grown, ("docs/index.md:7: x",)), memory)
    assert added.everything


def test_a_generated_page_whose_markdown_changed_is_rendered(tmp_path):
    root, site = guide(tmp_path)
    memory = Memory()
    generated = generated_pages(site)
    plan(site, set(site.pages), generated, key_of(root, site), memory)
    changed = {**generated, "glossary.md": generated["glossary.md"] + "\nchanged\n"}
    after = plan(site, set(), changed, key_of(root, site), memory)
    assert "glossary.md" not in after.keep and "law/index.md" in after.keep


def test_sources_key_changes_with_a_file_under_a_root_and_ignores_missing_roots(tmp_path):
    root, site = guide(tmp_path)
    before = sources_key([root / "law_refs", root / "nothing-here"], site, ())
    (root / "law_refs" / "more.yml").write_text("refs: []\n", encoding="utf-8")
    assert sources_key([root / "law_refs", root / "nothing-here"], site, ()) != before


# --- per-page facts kept between saves (the editors' page's dated claims) -----------------------------------

DATED = home_page("As of March 2020 the council pays [[ca1989-s17]].\n")
TODAY = dt.date(2026, 12, 7)


def old(path) -> None:
    """Give the file a time past the racy window, as a page saved a while ago has."""
    os.utime(path, ns=(time.time_ns() - 10 * RACY_NS, time.time_ns() - 10 * RACY_NS))


def dated_guide(tmp_path):
    root, site = guide(tmp_path, {"index.md": DATED, "other.md": OTHER})
    for page in ("index.md", "other.md"):
        old(root / "docs" / page)
    return root, load_site(site.settings)


def test_facts_of_an_unchanged_page_are_reused_and_give_the_same_claims(tmp_path):
    root, site = dated_guide(tmp_path)
    memory, key = Memory(), key_of(root, site)
    first = page_dated_claims(site, "index.md")
    assert first and first[0].phrase.startswith("As of March 2020")
    remember_facts(site, memory, key, TODAY)
    again = load_site(site.settings)
    assert reuse_facts(again, memory, key, TODAY) == 1  # other.md has no claims: nothing to keep
    assert again.memo[(DATED_CLAIMS_MEMO, "index.md")] is site.memo[(DATED_CLAIMS_MEMO, "index.md")]
    assert page_dated_claims(again, "index.md") == first


def test_an_edited_page_is_scanned_again(tmp_path):
    root, site = dated_guide(tmp_path)
    memory, key = Memory(), key_of(root, site)
    page_dated_claims(site, "index.md")
    remember_facts(site, memory, key, TODAY)
    (root / "docs" / "index.md").write_text(DATED.replace("March 2020", "May 2021"), encoding="utf-8")
    old(root / "docs" / "index.md")
    edited = load_site(site.settings)
    assert reuse_facts(edited, memory, key, TODAY) == 0
    assert page_dated_claims(edited, "index.md")[0].phrase.startswith("As of May 2021")


def test_facts_are_dropped_when_the_sources_or_the_day_change(tmp_path):
    root, site = dated_guide(tmp_path)
    memory, key = Memory(), key_of(root, site)
    page_dated_claims(site, "index.md")
    remember_facts(site, memory, key, TODAY)
    assert reuse_facts(load_site(site.settings), memory, key, TODAY + dt.timedelta(days=1)) == 0
    remember_facts(site, memory, key, TODAY)
    assert reuse_facts(load_site(site.settings), memory, key_of(root, site, ("docs/x.md:1: y",)), TODAY) == 0
    assert memory.facts == {}


def test_a_page_saved_within_the_racy_window_is_not_kept(tmp_path):
    root, site = guide(tmp_path, {"index.md": DATED, "other.md": OTHER})  # files written just now
    memory, key = Memory(), key_of(root, site)
    page_dated_claims(site, "index.md")
    remember_facts(site, memory, key, TODAY)
    assert memory.facts == {}


# --- pages kept as parsed from save to save ------------------------------------------------------------------

def test_an_unchanged_page_is_kept_and_an_edited_one_parsed_again(tmp_path):
    root, site = dated_guide(tmp_path)
    kept = KeptPages()
    first = load_site(site.settings, kept.loader(load_page, TODAY))
    assert kept.reused == 0
    (root / "docs" / "other.md").write_text(OTHER.replace("proposed new law", "proposed a law"), encoding="utf-8")
    old(root / "docs" / "other.md")
    second = load_site(site.settings, kept.loader(load_page, TODAY))
    assert kept.reused == 1 and second.pages["index.md"] is first.pages["index.md"]
    assert second.pages["other.md"] is not first.pages["other.md"]
    assert [c.target for c in second.pages["other.md"].law_citations] == ["lawcom-dcsc-report"]


def test_a_kept_page_still_reports_its_problems(tmp_path):
    root, site = guide(tmp_path, {"index.md": HOME.replace("reviewed: 2026-11-01", "reviewed: 2026-13-45"),
                                  "other.md": OTHER})
    old(root / "docs" / "index.md")
    kept = KeptPages()
    first = load_site(site.settings, kept.loader(load_page, TODAY))
    second = load_site(site.settings, kept.loader(load_page, TODAY))
    assert kept.reused >= 1
    assert [p.format() for p in second.problems] == [p.format() for p in first.problems]
    assert any("docs/index.md:" in p.format() for p in second.problems)


def test_pages_are_parsed_again_on_a_new_day_or_when_saved_within_the_racy_window(tmp_path):
    root, site = guide(tmp_path)  # other.md written just now: racy
    old(root / "docs" / "index.md")
    kept = KeptPages()
    load_site(site.settings, kept.loader(load_page, TODAY))
    load_site(site.settings, kept.loader(load_page, TODAY))
    assert kept.reused == 1  # index.md only
    load_site(site.settings, kept.loader(load_page, TODAY + dt.timedelta(days=1)))
    assert kept.reused == 0
