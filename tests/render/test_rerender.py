"""What a save in the live preview renders again (render.rerender), on tiny fixture guides, without an engine."""

from __future__ import annotations

from lawguide.content.site import load_site
from lawguide.content.urls import CHANGES_PAGE, EDITORS_PAGE
from lawguide.core.settings import Settings
from lawguide.render.generate import generated_pages
from lawguide.render.rerender import Memory, plan, sources_key

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
