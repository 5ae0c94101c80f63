"""Search index post-processing: guide pages first, parents' words added, short words matched whole."""

from __future__ import annotations

import json
from pathlib import Path

from lawguide.render.search import (
    GLOSSARY_BOOST,
    GUIDE_BOOST,
    LAW_BOOST,
    ON_DEMAND_SCRIPT,
    TITLE_BOOST,
    VERSION_BOOST,
    WORKER_WILDCARD,
    WORKER_WILDCARD_NOT_SHORT,
    Synonyms,
    improve_index,
    load_synonyms,
    no_wildcard_on_short_words,
)

INDEX = {"config": {"fields": {"title": {"boost": 1000.0}, "text": {"boost": 1.0}}},
         "docs": [{"location": "short-breaks/", "title": "Short breaks", "text": "<p>Breaks.</p>"},
                  {"location": "short-breaks/#ask", "title": "Ask", "text": "x"},
                  {"location": "law/ca1989-s17/", "title": "s17", "text": "x", "boost": 0.3},
                  {"location": "glossary/#respite", "title": "Short breaks", "text": "x"}]}


def test_guides_are_boosted_law_and_glossary_lowered_and_titles_weigh_less():
    out = json.loads(improve_index(json.dumps(INDEX), []))
    boosts = {d["location"]: d["boost"] for d in out["docs"]}
    assert boosts["short-breaks/"] == GUIDE_BOOST
    assert boosts["law/ca1989-s17/"] == LAW_BOOST
    assert boosts["glossary/#respite"] == GLOSSARY_BOOST
    assert boosts["short-breaks/"] > boosts["short-breaks/#ask"] > boosts["law/ca1989-s17/"]
    assert out["config"]["fields"]["title"]["boost"] == TITLE_BOOST


def test_translated_and_easy_read_pages_rank_after_the_english_page_for_english_words():
    docs = [{"location": "safeguarding/#family-help", "title": "What is Family Help?", "text": "x"},
            {"location": "ur/safeguarding/", "title": "Family Help", "text": "x"},
            {"location": "ur/safeguarding/#family-help", "title": "Family Help", "text": "x"},
            {"location": "easy-read/safeguarding/", "title": "Keeping children safe", "text": "x"}]
    out = json.loads(improve_index(json.dumps({"config": INDEX["config"], "docs": docs}), [],
                                   versions=["ur/safeguarding.md", "easy-read/safeguarding.md"]))
    boosts = {d["location"]: d["boost"] for d in out["docs"]}
    assert boosts["ur/safeguarding/"] == boosts["ur/safeguarding/#family-help"] == VERSION_BOOST
    assert boosts["easy-read/safeguarding/"] == VERSION_BOOST
    assert boosts["safeguarding/#family-help"] > VERSION_BOOST > LAW_BOOST


def test_synonyms_are_added_to_the_page_entry_only_and_escaped():
    out = json.loads(improve_index(json.dumps(INDEX), [Synonyms("short-breaks.md", ("respite", "<b>PA</b>"))]))
    texts = {d["location"]: d["text"] for d in out["docs"]}
    assert texts["short-breaks/"].endswith("<p>Also searched as: respite, &lt;b&gt;PA&lt;/b&gt;.</p>")
    assert texts["short-breaks/#ask"] == "x"


def test_synonyms_file_bad_entries_are_problems_with_the_file(tmp_path: Path):
    path = tmp_path / "search-synonyms.yml"
    path.write_text("synonyms:\n  - page: short-breaks.md\n    words: [respite]\n"
                    "  - page: nowhere.md\n    words: [x]\n  - page: short-breaks.md\n    words: respite\n",
                    encoding="utf-8")
    found, problems = load_synonyms(path, {"short-breaks.md"})
    assert found == [Synonyms("short-breaks.md", ("respite",))]
    assert [(p.line, p.message) for p in problems] == [(4, "entry 2: no guide page 'nowhere.md'"),
                                                       (6, "entry 3: needs `page:` and a list of `words:`")]
    path.write_text("synonyms: [\n", encoding="utf-8")
    found, problems = load_synonyms(path, set())
    assert found == [] and (problems[0].line, problems[0].message.split(" (")[0]) == (
        1, "YAML syntax error: a [ list starts here and is not closed")
    assert load_synonyms(tmp_path / "missing.yml", set()) == ([], [])


def test_the_search_worker_matches_short_words_whole():
    worker = "function ue(t){return x.map(r=>r).map(r=>/(^[+-]|[~^]\\d+$)/.test(r)?r:`${r}*`).join(\" \")}"
    assert WORKER_WILDCARD in worker
    patched = no_wildcard_on_short_words(worker)
    assert patched is not None and WORKER_WILDCARD_NOT_SHORT in patched
    assert no_wildcard_on_short_words(patched) == patched  # a second build does not patch twice
    assert no_wildcard_on_short_words("a changed worker") is None


def test_the_installed_material_worker_has_the_code_the_patch_expects():
    import material

    workers = list((Path(material.__file__).parent / "templates" / "assets" / "javascripts" / "workers")
                   .glob("search.*.min.js"))
    assert workers and all(no_wildcard_on_short_words(w.read_text(encoding="utf-8")) for w in workers)


def test_lawguide_check_reports_a_bad_synonyms_entry_with_its_line(tmp_path: Path):
    from tests.fixtures import lawguide, make_site

    root = make_site(tmp_path)
    (root / "glossary" / "search-synonyms.yml").write_text(
        "synonyms:\n  - page: index.md\n    words: [start]\n  - page: gone.md\n    words: [x]\n", encoding="utf-8")
    result = lawguide(root, "check")
    assert result.returncode == 1
    assert "glossary/search-synonyms.yml:4: entry 2: no guide page 'gone.md' (use a path relative to docs/)" in \
        result.stdout + result.stderr


def test_the_search_on_demand_script_is_loaded_before_materials_bundle():
    """mkdocs.yml's extra.polyfills go in <head>, before Material's bundle starts its search."""
    import yaml
    from lawguide.core.settings import _TolerantLoader

    repo = Path(__file__).resolve().parents[2]
    config = yaml.load((repo / "mkdocs.yml").read_text(encoding="utf-8"), Loader=_TolerantLoader)
    assert ON_DEMAND_SCRIPT in config["extra"]["polyfills"]
    assert ON_DEMAND_SCRIPT not in (config.get("extra_javascript") or [])  # those run after the bundle
    assert (repo / "theme" / ON_DEMAND_SCRIPT).is_file()
