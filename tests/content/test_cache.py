"""The loaded guide kept for the editors' commands (content.cache.load_site_cached, issue 31): used while
nothing load_site reads has changed, and never once anything has."""

from __future__ import annotations

import json
import os
import pickle
import subprocess
import sys
import time

import pytest
from lawguide.content import cache
from lawguide.content.cache import SITE_FILE, load_site_cached
from lawguide.content.site import load_site
from lawguide.core.settings import Settings
from lawguide.lawchange.impact import impact_json

from tests.fixtures import home_page, lawguide, make_site

PAGES = {
    "index.md": home_page("Parents can ask [[ca1989-s17zd]].\n\n## Help at home {#help}\n\nAsk [[ca1989-s17]].\n"),
    "other.md": home_page("See [[ca1989-s17]].\n"),
}


def age(root, seconds: int = 60) -> None:
    """Every file and folder of the project older than the caches' two seconds of doubt."""
    then = time.time() - seconds
    for path in [root, *root.rglob("*")]:
        if ".cache" not in path.parts:
            os.utime(path, (then, then))


def fresh_loads(monkeypatch) -> list[int]:
    """How many times load_site_cached really loads the guide (once a call when nothing is kept)."""
    calls: list[int] = []
    real = cache.load_site

    def counting(*args, **kwargs):
        calls.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(cache, "load_site", counting)
    return calls


def settings_of(root) -> Settings:
    return Settings.from_mkdocs_yml(root / "mkdocs.yml")


def answer(site) -> str:
    return json.dumps(impact_json(site, ["ca1989-s17", "ca1989-s17zd"]), sort_keys=True)


@pytest.fixture
def root(tmp_path):
    made = make_site(tmp_path, pages=PAGES)
    age(made)
    return made


def test_the_kept_guide_is_used_while_nothing_changed_and_answers_as_a_fresh_load(root, monkeypatch):
    first = load_site_cached(settings_of(root))
    assert (root / SITE_FILE).exists()
    loads = fresh_loads(monkeypatch)
    kept = load_site_cached(settings_of(root))
    assert loads == []
    assert kept.pages == first.pages and [p.format() for p in kept.problems] == [p.format() for p in first.problems]
    assert answer(kept) == answer(load_site(settings_of(root)))


def edit_page(root):
    (root / "docs" / "other.md").write_text(home_page("See [[ca1989-s17zd]] now.\n"), encoding="utf-8")


def add_page(root):
    (root / "docs" / "new.md").write_text(home_page("Ask [[ca1989-s17]].\n"), encoding="utf-8")


def remove_page(root):
    (root / "docs" / "other.md").unlink()


def edit_register(root):
    refs_file = root / "law_refs" / "refs.yml"
    refs_file.write_text(refs_file.read_text(encoding="utf-8").replace("s.17ZD", "section 17ZD"),
                         encoding="utf-8")


def add_glossary_file(root):
    (root / "glossary" / "more.yml").write_text("terms:\n  - id: x\n    term: X\n    definition: An x.\n",
                                                encoding="utf-8")


def edit_config(root):
    config = root / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8").replace("review_interval_months: 6",
                                                                 "review_interval_months: 3"), encoding="utf-8")


def add_flows_folder(root):
    (root / "finder").mkdir()


def register_instrument(site):
    return sorted({ref.cite for ref in site.register.refs.values()})


@pytest.mark.parametrize(("change", "shows"), [
    (edit_page, answer), (add_page, lambda site: sorted(site.pages)), (remove_page, lambda site: sorted(site.pages)),
    (edit_register, register_instrument), (add_glossary_file, lambda site: sorted(site.glossary.terms)),
    (edit_config, lambda site: site.settings.review_interval_months),
    (add_flows_folder, None),  # an empty folder changes nothing the guide says, but it is read: load again
])
def test_any_change_to_what_the_guide_is_read_from_loads_it_again(root, monkeypatch, change, shows):
    before = load_site_cached(settings_of(root))
    change(root)
    age(root, 30)
    loads = fresh_loads(monkeypatch)
    after = load_site_cached(settings_of(root))
    assert loads == [1]
    fresh = load_site(settings_of(root))
    assert answer(after) == answer(fresh)
    assert [p.format() for p in after.problems] == [p.format() for p in fresh.problems]
    if shows:
        assert shows(after) == shows(fresh) != shows(before)


def test_another_day_or_other_code_loads_the_guide_again(root, monkeypatch):
    load_site_cached(settings_of(root))
    loads = fresh_loads(monkeypatch)
    monkeypatch.setenv("LAWGUIDE_TODAY", "2027-06-01")
    load_site_cached(settings_of(root))
    assert loads == [1]
    monkeypatch.setattr(cache, "code_version", lambda: ("other code",))
    load_site_cached(settings_of(root))
    assert loads == [1, 1]


def test_a_guide_with_a_file_changed_a_moment_ago_is_not_kept(root):
    edit_page(root)  # now: it may change again within the file system's timestamp granularity
    load_site_cached(settings_of(root))
    assert not (root / SITE_FILE).exists()


def test_a_page_symlinked_later_is_reported_not_read_from_the_kept_guide(root, tmp_path):
    load_site_cached(settings_of(root))
    outside = tmp_path / "outside.md"
    outside.write_text(home_page("Elsewhere.\n"), encoding="utf-8")
    (root / "docs" / "linked.md").symlink_to(outside)
    age(root, 30)
    os.utime(outside, (time.time() - 30, time.time() - 30))
    problems = [p.format() for p in load_site_cached(settings_of(root)).problems]
    assert any("docs/linked.md" in p and "symlink" in p for p in problems), problems


def test_a_corrupt_kept_guide_is_rebuilt_with_a_note(root):
    good = lawguide(root, "impact", "--json", "ca1989-s17")
    (root / SITE_FILE).write_bytes((root / SITE_FILE).read_bytes()[:100])
    cut = lawguide(root, "impact", "--json", "ca1989-s17")
    assert cut.stdout == good.stdout and "Traceback" not in cut.stderr
    assert f"note: {root / SITE_FILE}: cache file could not be read" in cut.stderr
    assert "could not be read" not in lawguide(root, "impact", "--json", "ca1989-s17").stderr


def test_no_cache_neither_reads_nor_writes_the_kept_guide(root):
    result = lawguide(root, "impact", "--json", "ca1989-s17", "--no-cache")
    assert result.returncode == 0 and json.loads(result.stdout)["ca1989-s17"]
    assert not (root / SITE_FILE).exists()



def test_a_kept_guide_read_under_another_key_is_not_unpickled(root, monkeypatch, capsys):
    """The key is read first and alone: after an edit, the stale guide behind it costs nothing to skip."""
    (root / SITE_FILE).parent.mkdir(parents=True)
    (root / SITE_FILE).write_bytes(pickle.dumps(("other code",)) + b"\x80\x05 not a pickle at all")
    loads = fresh_loads(monkeypatch)
    site = load_site_cached(settings_of(root))
    assert loads == [1] and sorted(site.pages) == ["index.md", "other.md"]
    assert "could not be read" not in capsys.readouterr().err  # the garbage after the key was never read


def test_what_is_prepared_before_keeping_is_kept_and_answers_as_worked_out_afresh(root, monkeypatch):
    from lawguide.lawchange.impact import prepare_for_questions

    load_site_cached(settings_of(root), prepare=prepare_for_questions)
    loads = fresh_loads(monkeypatch)
    kept = load_site_cached(settings_of(root), prepare=prepare_for_questions)
    assert loads == []
    assert {"citations_by_ref", "_pages_citing", "citing_pages"} <= set(vars(kept))  # unpickled, not worked out
    assert {"processes", "process_tags"} <= set(kept.memo)
    assert answer(kept) == answer(load_site(settings_of(root)))


# --- the editors' questions (content.cache.load_questions_site): settings kept too, links left out -----------

def counting_settings(monkeypatch) -> list[int]:
    """How many times the config file is read and parsed."""
    calls: list[int] = []
    real = cache.Settings.from_mkdocs_yml

    def counting(config_file):
        calls.append(1)
        return real(config_file)

    monkeypatch.setattr(cache.Settings, "from_mkdocs_yml", staticmethod(counting))
    return calls


def test_a_warm_question_reads_neither_the_config_file_nor_the_guide_and_answers_as_afresh(root, monkeypatch):
    first = cache.load_questions_site(root / "mkdocs.yml")
    parsed, loads = counting_settings(monkeypatch), fresh_loads(monkeypatch)
    kept = cache.load_questions_site(root / "mkdocs.yml")
    assert parsed == [] and loads == []
    assert kept.settings == first.settings == settings_of(root)
    assert answer(kept) == answer(load_site(settings_of(root)))


@pytest.mark.parametrize("change", [edit_page, add_page, remove_page, edit_register, add_glossary_file, edit_config,
                                    add_flows_folder])
def test_any_change_reads_the_config_and_the_guide_again_for_the_questions(root, monkeypatch, change):
    cache.load_questions_site(root / "mkdocs.yml")
    change(root)
    age(root, 30)
    parsed, loads = counting_settings(monkeypatch), fresh_loads(monkeypatch)
    after = cache.load_questions_site(root / "mkdocs.yml")
    assert loads == [1] and parsed == [1]
    fresh = load_site(settings_of(root))
    assert after.settings == fresh.settings and answer(after) == answer(fresh)
    assert [p.format() for p in after.problems] == [p.format() for p in fresh.problems]


def test_another_day_or_config_file_named_otherwise_reads_the_settings_again(root, monkeypatch):
    cache.load_questions_site(root / "mkdocs.yml")
    parsed = counting_settings(monkeypatch)
    monkeypatch.setenv("LAWGUIDE_TODAY", "2027-06-01")
    cache.load_questions_site(root / "mkdocs.yml")
    assert parsed == [1]
    monkeypatch.chdir(root)
    relative = cache.load_questions_site(cache.Path("mkdocs.yml"))  # kept settings hold the name as given
    assert parsed == [1, 1] and relative.settings.config_file == cache.Path("mkdocs.yml")


def test_a_config_file_edited_a_moment_ago_keeps_nothing(root, monkeypatch):
    edit_config(root)
    cache.load_questions_site(root / "mkdocs.yml")
    assert not (root / SITE_FILE).exists()


def test_the_questions_guide_leaves_out_links_and_citations_as_written_and_any_use_fails_loudly(root, monkeypatch):
    loaded = cache.load_questions_site(root / "mkdocs.yml")
    assert all(isinstance(page.links, list) for page in loaded.pages.values())  # this process's: whole
    kept = cache.load_questions_site(root / "mkdocs.yml")
    page = kept.pages["index.md"]
    assert isinstance(page.links, cache.NotKept) and isinstance(page.citations, cache.NotKept)
    assert [c.target for c in page.law_citations] == ["ca1989-s17zd", "ca1989-s17"]  # what the questions read
    with pytest.raises(RuntimeError, match="not kept"):
        page.glossary_links  # noqa: B018
    with pytest.raises(RuntimeError, match="not kept"):
        list(page.links)
    with pytest.raises(RuntimeError, match="not kept"):
        len(page.links)
    loads = fresh_loads(monkeypatch)
    whole = load_site_cached(settings_of(root))  # a caller wanting the whole guide never gets the lean one
    assert loads == [1] and whole.pages == load_site(settings_of(root)).pages


def test_a_guide_kept_unprepared_is_prepared_and_kept_again_for_the_questions(root, monkeypatch):
    from lawguide.lawchange.review import prepare_for_editors

    load_site_cached(settings_of(root))  # as the benchmark's in-process runs keep it: nothing prepared
    loads = fresh_loads(monkeypatch)
    cache.load_questions_site(root / "mkdocs.yml", prepare=prepare_for_editors)
    kept = cache.load_questions_site(root / "mkdocs.yml", prepare=prepare_for_editors)
    assert loads == []
    assert {"_pages_citing", "citations_by_ref"} <= set(vars(kept)) and "processes" in kept.memo
    assert ("law_changes", "index.md") in kept.memo and answer(kept) == answer(load_site(settings_of(root)))


def test_code_version_follows_every_module_and_nothing_else(tmp_path):
    (tmp_path / "core").mkdir()
    (tmp_path / "core" / "a.py").write_text("x = 1\n")
    (tmp_path / "b.py").write_text("y = 1\n")
    (tmp_path / "__pycache__").mkdir()
    (tmp_path / "__pycache__" / "c.py").write_text("")
    (tmp_path / "notes.txt").write_text("")

    def stats() -> list[tuple]:
        found: list[tuple] = []
        cache._code_stats(str(tmp_path), "", found)
        return sorted(found)

    before = stats()
    assert [name for name, *_ in before] == ["b.py", "core/a.py"]
    (tmp_path / "core" / "a.py").write_text("x = 10\n")
    assert stats() != before


def test_a_warm_question_imports_no_yaml_parser_and_prints_what_a_cold_one_does(root):
    script = ("import sys, io, contextlib\nfrom lawguide.cli import main\nout = io.StringIO()\n"
              "with contextlib.redirect_stdout(out):\n    code = main(sys.argv[1:])\n"
              "print(code, 'yaml' in sys.modules, 'hashlib' in sys.modules)\nprint(out.getvalue())\n")
    for args in (["impact", "ca1989-s17"], ["review"], ["review", "--json"]):
        run = [sys.executable, "-c", script, "--config", str(root / "mkdocs.yml"), *args]
        cold = subprocess.run(run, capture_output=True, text=True, cwd=root)
        warm = subprocess.run(run, capture_output=True, text=True, cwd=root)
        assert warm.stdout.split("\n", 1)[0].endswith("False False"), warm.stdout
        assert warm.stdout.split("\n", 1)[1] == cold.stdout.split("\n", 1)[1] == lawguide(root, *args, "--no-cache").stdout + "\n"
