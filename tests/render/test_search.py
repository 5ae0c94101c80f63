"""Search index post-processing: guide pages first, parents' words added, short words matched whole."""

from __future__ import annotations

import json
import re
from pathlib import Path
from types import SimpleNamespace

from lawguide.content.translations import Language
from lawguide.render.page import LEGAL_BASIS_ID, WORDS_ID
from lawguide.render.search import (
    FALLBACK_LANG,
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
    in_pieces,
    index_file,
    load_synonyms,
    no_wildcard_on_short_words,
    piece_file,
    readable_search_view,
    route_words,
    separate_table_cells,
    split_by_language,
    titles_only,
    write_language_indexes,
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


LANG_INDEX = {"config": {"lang": ["en"], "pipeline": ["stopWordFilter"], "fields": {"title": {"boost": 20.0}}},
              "docs": [{"location": "", "title": "Start here", "text": "x"},
                       {"location": "short-breaks/", "title": "Short breaks", "text": "x"},
                       {"location": "easy-read/short-breaks/", "title": "Short breaks", "text": "x"},
                       {"location": "pl/short-breaks/", "title": "Przerwy", "text": "x"},
                       {"location": "pl/short-breaks/#ask", "title": "Jak", "text": "x"},
                       {"location": "ro/short-breaks/", "title": "Pauze", "text": "x"},
                       {"location": "law/ca1989-s17/", "title": "s17", "text": "x"}]}
PAGE_LANGUAGE = {"pl/short-breaks/": "pl", "ro/short-breaks/": "ro"}


def _locations(text: str) -> list[str]:
    return [d["location"] for d in json.loads(text)["docs"]]


def test_each_language_gets_its_own_pages_and_english_keeps_english_easy_read_and_law():
    split = split_by_language(json.dumps(LANG_INDEX), PAGE_LANGUAGE, {"ro"}, {"pl": "Wyniki po angielsku"})
    assert sorted(split) == ["en", "pl", "ro"]
    assert _locations(split["pl"]) == ["pl/short-breaks/", "pl/short-breaks/#ask"]
    assert _locations(split["ro"]) == ["ro/short-breaks/"]
    assert _locations(split["en"]) == ["", "short-breaks/", "easy-read/short-breaks/", "law/ca1989-s17/"]
    assert json.loads(split["en"])["config"] == LANG_INDEX["config"]  # English as Material wrote it


def test_a_language_uses_materials_stemmer_where_there_is_one_and_fold_elsewhere():
    split = split_by_language(json.dumps(LANG_INDEX), PAGE_LANGUAGE, {"ro"}, {})
    ro, pl = json.loads(split["ro"])["config"], json.loads(split["pl"])["config"]
    assert ro["lang"] == ["ro"] and pl["lang"] == [FALLBACK_LANG]
    # Material removes every function not named in `pipeline`: a stemmer must be named to be used.
    assert "stemmer" in ro["pipeline"] and "trimmer" in pl["pipeline"]


def test_the_english_heading_comes_from_the_strings_and_falls_back_to_english():
    split = split_by_language(json.dumps(LANG_INDEX), PAGE_LANGUAGE, set(), {"pl": "Wyniki po angielsku"})
    assert json.loads(split["pl"])["config"]["lawguide"]["english"] == "Wyniki po angielsku"
    assert json.loads(split["ro"])["config"]["lawguide"]["english"] == "Results in English"
    assert "lawguide" not in json.loads(split["en"])["config"]
    assert index_file("en") == "search_index.json" and index_file("pl", titles=True) == "search_index.pl.titles.json"


def test_the_routes_words_travel_in_their_languages_index_only():
    routes = {"pl": {"talk": "Rozmowa z kimś (EN)", "finder": "Proszę odpowiedzieć (EN)"}}
    split = split_by_language(json.dumps(LANG_INDEX), PAGE_LANGUAGE, set(), {"pl": "Wyniki po angielsku"}, routes)
    assert json.loads(split["pl"])["config"]["lawguide"] == {
        "english": "Wyniki po angielsku", "routes": {"talk": "Rozmowa z kimś (EN)", "finder": "Proszę odpowiedzieć (EN)"}}
    # a language without them: no routes key, so the script writes its English (marked English)
    assert "routes" not in json.loads(split["ro"])["config"]["lawguide"]
    assert "lawguide" not in json.loads(split["en"])["config"]


def test_route_words_are_read_from_each_languages_strings_under_the_scripts_names():
    languages = {"en": Language("en", "ltr", {"search_talk": "Talk to someone: free helplines for parents"}),
                 "pl": Language("pl", "ltr", {"search_try": "Proszę spróbować:", "search_talk": "Rozmowa (EN)",
                                              "search_english": "Wyniki po angielsku"}),
                 "ro": Language("ro", "ltr", {"name": "Română"})}
    words = route_words(SimpleNamespace(languages=languages))
    assert words["pl"] == {"try": "Proszę spróbować:", "talk": "Rozmowa (EN)"}
    assert "ro" not in words  # none given: the script's English


def test_language_indexes_are_written_beside_materials_and_the_same_twice(tmp_path: Path):
    (tmp_path / "search").mkdir()
    lunr = tmp_path / "assets" / "javascripts" / "lunr" / "min"
    lunr.mkdir(parents=True)
    (lunr / "lunr.ro.min.js").write_text("", encoding="utf-8")
    text = json.dumps(LANG_INDEX)
    written = write_language_indexes(tmp_path, text, PAGE_LANGUAGE, {})
    assert sorted(written) == ["search_index.json", "search_index.pl.json", "search_index.pl.titles.json",
                               "search_index.ro.json", "search_index.ro.titles.json", "search_index.titles.json"]
    first = {name: (tmp_path / "search" / name).read_bytes() for name in written}
    assert json.loads(first["search_index.ro.json"])["config"]["lang"] == ["ro"]
    assert json.loads(first["search_index.pl.json"])["config"]["lang"] == [FALLBACK_LANG]
    write_language_indexes(tmp_path, text, PAGE_LANGUAGE, {})
    assert {name: (tmp_path / "search" / name).read_bytes() for name in written} == first


def test_a_guide_in_english_only_writes_the_english_index_alone(tmp_path: Path):
    (tmp_path / "search").mkdir()
    assert write_language_indexes(tmp_path, json.dumps(LANG_INDEX), {}, {}) == ["search_index.json",
                                                                               "search_index.titles.json"]


def test_the_titles_index_keeps_every_entry_title_and_boost_and_the_words_a_page_is_also_searched_as():
    index = improve_index(json.dumps(INDEX), [Synonyms("short-breaks.md", ("respite",))])
    full, titles = json.loads(index), json.loads(titles_only(index))
    assert [(d["location"], d["title"], d["boost"]) for d in titles["docs"]] == \
        [(d["location"], d["title"], d["boost"]) for d in full["docs"]]
    assert titles["config"] == full["config"]
    texts = {d["location"]: d["text"] for d in titles["docs"]}
    assert texts["short-breaks/"] == "<p>Also searched as: respite.</p>"  # no "Breaks." text
    assert texts["short-breaks/#ask"] == ""
    assert len(titles_only(index)) < len(index)


def test_the_theme_ships_the_fold_plugin_material_loads_by_name():
    plugin = Path(__file__).resolve().parents[2] / "theme" / "assets" / "javascripts" / "lunr" / "min"
    text = (plugin / f"lunr.{FALLBACK_LANG}.min.js").read_text(encoding="utf-8")
    assert f"lunr.{FALLBACK_LANG} = function" in text and f"lunr.{FALLBACK_LANG}.stemmer" in text


# --- results show the words that answer, not page furniture (look-shots FINDINGS item 12) ---------------

def _material_text(html: str) -> str:
    """The text Material's search parser indexes for a page's last section."""
    from material.plugins.search.plugin import Parser

    parser = Parser()
    parser.feed(html)
    parser.close()
    return "".join(parser.data[-1].text).strip()


WORDS_ENTRY = ("Show the words explained (2) <ul> <li>Short break: time apart. Also called: respite.</li> "
               "<li>PR: rights.</li> </ul> Page history <ul> <li>1 May 2026: First written.</li> </ul>")


def test_the_words_sections_fold_summary_is_left_out_and_each_word_is_a_block_in_every_language():
    index = {"config": {}, "docs": [
        {"location": "short-breaks/", "title": "Short breaks", "text": "Loose lead text. <p>Breaks.</p>"},
        {"location": f"short-breaks/#{WORDS_ID}", "title": "Words used on this page", "text": WORDS_ENTRY},
        # A translated page: its summary is in Polish (ui-strings); the section id is the same.
        {"location": f"pl/short-breaks/#{WORDS_ID}", "title": "Słowa na tej stronie",
         "text": "Pokaż wyjaśnione słowa (1) <ul> <li>Przerwa: czas. Also called: respite.</li> </ul>"}]}
    texts = {d["location"]: d["text"] for d in json.loads(improve_index(json.dumps(index), []))["docs"]}
    words = texts[f"short-breaks/#{WORDS_ID}"]
    # Each word a paragraph: Material's result shows the blocks that match, and a list is one block.
    assert words == ("<p>Short break: time apart. Also called: respite.</p> <p>PR: rights.</p> "
                     "<p>1 May 2026: First written.</p>")
    assert texts[f"pl/short-breaks/#{WORDS_ID}"] == "<p>Przerwa: czas. Also called: respite.</p>"
    assert texts["short-breaks/"].startswith("Loose lead text.")  # only the furniture sections lose loose text


def test_a_legal_basis_entry_is_left_out_of_the_index():
    index = {"config": {}, "docs": [
        {"location": "short-breaks/", "title": "Short breaks", "text": "<p>Breaks.</p>"},
        {"location": f"pl/short-breaks/#{LEGAL_BASIS_ID}", "title": "Podstawa prawna",
         "text": "Pokaż przepisy (1) <ul> <li>s.17</li> </ul>"}]}
    out = json.loads(improve_index(json.dumps(index), []))
    assert [d["location"] for d in out["docs"]] == ["short-breaks/"]


CRISIS_TABLE = """<h2 id="call-now">Who can I call tonight?</h2>
<table>
<thead>
<tr>
<th>Who</th>
<th>Number</th>
</tr>
</thead>
<tbody>
<tr>
<td>Samaritans</td>
<td><a href="tel:116123">116 123</a></td>
</tr>
</tbody>
</table>
<p>After.</p>"""


def test_a_tables_cells_are_kept_apart_and_each_row_is_a_block_in_what_search_indexes():
    assert _material_text(CRISIS_TABLE) == "Who Number Samaritans 116 123 <p>After.</p>"  # the run-together text
    text = _material_text(separate_table_cells(CRISIS_TABLE))
    assert text == "<p> Who · Number </p> <p> Samaritans · 116 123 </p> <p>After.</p>"


def test_a_table_row_with_blocks_of_its_own_and_a_page_without_tables_are_left_as_they_are():
    row = "<table><tr><td><p>One</p></td><td>Two</td></tr></table>"
    assert separate_table_cells(row) == row
    page = "<h2 id=\"a\">A</h2>\n<p>No table | here.</p>"
    assert separate_table_cells(page) is page


def test_the_cell_separator_is_a_word_separator_so_it_adds_no_word_to_any_index():
    out = json.loads(improve_index(json.dumps({"config": {"separator": "[\\s\\-]+"}, "docs": []}), []))
    separator = out["config"]["separator"]
    assert re.split(separator, "Samaritans · 116-123 now") == ["Samaritans", "116", "123", "now"]
    split = json.loads(split_by_language(json.dumps(out), {"pl/": "pl"}, set(), {})["pl"])
    assert split["config"]["separator"] == separator
    own = json.loads(improve_index(json.dumps({"config": {"separator": "[\\s]+"}, "docs": []}), []))
    assert own["config"]["separator"] == "[\\s]+"  # a site's own separator is left alone


def test_the_guides_fold_summaries_are_left_out_of_the_search_view_in_any_language():
    page = ('<h2 id="other">Other information</h2>\n<p>Feedback.</p>\n'
            '<details class="lg-fold lg-history" id="page-history">\n<summary>Historia strony</summary>\n'
            '<ul class="lg-history__list">\n<li>1 May 2026: First written.</li>\n</ul>\n</details>\n'
            '<details class="adviser">\n<summary>For advisers</summary>\n<p>Case law.</p>\n</details>')
    assert "Historia strony" in _material_text(page)
    text = _material_text(readable_search_view(page))
    assert "Historia strony" not in text and "1 May 2026: First written." in text
    assert "For advisers" in text  # a box's own title is content, not the guide's fold
    assert readable_search_view(CRISIS_TABLE) == separate_table_cells(CRISIS_TABLE)


# ------------------------------------------------------------------ the whole index in pieces (issue 31 item 2)


def _big_index(pages: int = 30) -> dict:
    """An index of guide pages (a page entry and two sections each, text of varied length), then law pages
    and the glossary (boosted least), as Material writes them: in file order, not the menu's."""
    docs = []
    for n in range(pages):
        page = f"copy{n:02d}/page/"
        docs.append({"location": page, "title": f"Page {n}", "text": "<p>" + "word " * (40 + 17 * (n % 5)) + "</p>",
                     "boost": GUIDE_BOOST})
        docs += [{"location": f"{page}#s{k}", "title": f"Section {k}", "text": f"<p>only{n}x{k} " + "more " * 30 + "</p>",
                  "boost": 3.0} for k in (1, 2)]
    docs.insert(0, {"location": "law/ca1989-s17/", "title": "s17", "text": "<p>" + "law " * 50 + "</p>", "boost": LAW_BOOST})
    docs.append({"location": "glossary/", "title": "Words", "text": "x", "boost": GLOSSARY_BOOST})
    docs.append({"location": "short-breaks/", "title": "Short breaks", "text": "<p>breaks</p>", "boost": GUIDE_BOOST})
    return {"config": {"lang": ["en"], "separator": "[\\s]+", "fields": {"title": {"boost": 20.0}}}, "docs": docs}


def _pages(piece: dict) -> list[str]:
    return list(dict.fromkeys(d["location"].partition("#")[0] for d in piece["docs"]))


def test_a_big_index_splits_under_the_cap_with_every_entry_once_and_no_page_split():
    index = _big_index()
    whole = len(json.dumps(index, separators=(",", ":")).encode())
    cap = whole // 4
    pieces = [json.loads(text) for text in in_pieces(index, cap)]
    assert len(pieces) >= 4, [len(t) for t in in_pieces(index, cap)]
    assert all(len(text.encode()) <= cap for text in in_pieces(index, cap))
    assert all(piece["config"] == index["config"] for piece in pieces)
    entries = [json.dumps(d, sort_keys=True) for piece in pieces for d in piece["docs"]]
    assert sorted(entries) == sorted(json.dumps(d, sort_keys=True) for d in index["docs"])  # each exactly once
    owner: dict[str, int] = {}
    for number, piece in enumerate(pieces):
        for doc in piece["docs"]:
            assert owner.setdefault(doc["location"].partition("#")[0], number) == number, doc["location"]
    sizes = [len(text.encode()) for text in in_pieces(index, cap)]
    assert max(sizes) < 1.6 * min(sizes), sizes  # about equal


def test_the_pieces_put_the_menus_pages_first_then_guide_pages_and_reference_pages_last():
    index = _big_index()
    pieces = [json.loads(text) for text in in_pieces(index, 3000, first_pages=["/short-breaks/", "/copy07/page/"])]
    order = [page for piece in pieces for page in _pages(piece)]
    assert order[:3] == ["short-breaks/", "copy07/page/", "copy00/page/"]
    assert order[-2:] == ["law/ca1989-s17/", "glossary/"]


def test_a_page_larger_than_the_cap_is_a_piece_of_its_own():
    index = _big_index(3)
    index["docs"][1]["text"] = "<p>" + "long " * 2000 + "</p>"  # copy00/page/: 10 KB alone
    pieces = [json.loads(text) for text in in_pieces(index, 2000)]
    assert ["copy00/page/"] in [_pages(piece) for piece in pieces]
    assert sum(len(piece["docs"]) for piece in pieces) == len(index["docs"])


def test_a_big_index_is_written_in_pieces_named_in_its_titles_index_and_a_small_one_is_not(tmp_path: Path):
    (tmp_path / "search").mkdir()
    index = _big_index()
    index["docs"].append({"location": "pl/short-breaks/", "title": "Krótkie przerwy", "text": "<p>przerwy</p>"})
    cap = len(json.dumps(index).encode()) // 3
    written = write_language_indexes(tmp_path, json.dumps(index), {"pl/short-breaks/": "pl"}, {}, piece_bytes=cap)
    parts = [name for name in written if ".part-" in name]
    assert parts == [piece_file("en", n) for n in range(1, len(parts) + 1)] and len(parts) >= 3
    assert parts[0] == "search_index.part-1.json"
    titles = json.loads((tmp_path / "search" / "search_index.titles.json").read_text(encoding="utf-8"))
    assert titles["config"]["lawguide"]["parts"] == parts
    whole = json.loads((tmp_path / "search" / "search_index.json").read_text(encoding="utf-8"))
    assert "lawguide" not in whole["config"]  # the whole index is still written whole, as Material reads it
    in_parts = [d for name in parts for d in json.loads((tmp_path / "search" / name).read_text(encoding="utf-8"))["docs"]]
    assert len(in_parts) == len(whole["docs"])
    # The small Polish index stays one file, and its titles index names no pieces.
    assert not any(name.startswith("search_index.pl.part-") for name in written)
    pl_titles = json.loads((tmp_path / "search" / "search_index.pl.titles.json").read_text(encoding="utf-8"))
    assert "parts" not in pl_titles["config"].get("lawguide", {})


def test_an_index_under_the_cap_or_with_no_cap_is_written_as_before(tmp_path: Path):
    (tmp_path / "search").mkdir()
    text = json.dumps(_big_index())
    expected = ["search_index.json", "search_index.titles.json"]
    assert write_language_indexes(tmp_path, text, {}, {}, piece_bytes=len(text.encode()) * 2) == expected
    before = (tmp_path / "search" / "search_index.titles.json").read_bytes()
    assert write_language_indexes(tmp_path, text, {}, {}) == expected
    assert (tmp_path / "search" / "search_index.titles.json").read_bytes() == before
    assert "lawguide" not in json.loads(before)["config"]


def test_the_piece_size_setting_is_read_and_a_bad_one_is_a_problem_at_its_line(tmp_path: Path):
    from lawguide.core.settings import SEARCH_PIECE_KB, Settings, search_piece_problems

    from tests.fixtures import lawguide, make_site

    root = make_site(tmp_path, extra_config={"extra": {"lawguide": {"search_piece_kb": 64}}})
    assert Settings.from_mkdocs_yml(root / "mkdocs.yml").search_piece_kb == 64
    assert search_piece_problems(root / "mkdocs.yml", root) == []
    assert Settings.from_config(root, {}).search_piece_kb == SEARCH_PIECE_KB
    for bad, said in (("0", "'0'"), ("-3", "'-3'"), ("big", "'big'"), ("1.5", "'1.5'"), ("[2]", "a list"),
                      ("{kb: 2}", "a mapping")):
        text = (root / "mkdocs.yml").read_text(encoding="utf-8")
        text = re.sub(r"search_piece_kb: .*", f"search_piece_kb: {bad}", text)
        (root / "mkdocs.yml").write_text(text, encoding="utf-8")
        line = text.splitlines().index(f"    search_piece_kb: {bad}") + 1
        assert Settings.from_mkdocs_yml(root / "mkdocs.yml").search_piece_kb == SEARCH_PIECE_KB
        problems = search_piece_problems(root / "mkdocs.yml", root)
        assert [(p.line, "search_piece_kb must be a whole number" in p.message) for p in problems] == [(line, True)], bad
        assert problems[0].message.endswith(f"1 or more (not {said})"), problems[0].message
    result = lawguide(root, "check")
    assert result.returncode == 1
    assert f"mkdocs.yml:{line}: extra.lawguide.search_piece_kb must be a whole number of kilobytes" in result.stdout + result.stderr
