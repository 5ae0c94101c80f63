"""The first search's cost, measured as `lawguide bench --search` measures it (tools/searchbench.py), on the
site the browser tests share: what the first visit and the first search fetch, and that the titles-only
index answers first while the whole index is built in the background."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from lawguide.tools.searchbench import NETWORKS, SearchBenchError, bench_search, measure_search

from .conftest import TIMINGS, ServedSite

pytestmark = pytest.mark.browser

FIRST_VISIT_KB = 150  # issue 31: the first visit, with nothing of search


def test_the_first_search_fetches_the_titles_index_then_the_whole_one(browser, site: ServedSite) -> None:
    cost = measure_search(site.root, "/", "respite", browser=browser)
    TIMINGS["first search, results after the last key (ms)"] = round(cost.first_results_ms)
    assert cost.first_visit_bytes / 1024 <= FIRST_VISIT_KB, f"first visit {cost.first_visit_bytes / 1024:.1f} KB"
    assert "/search/search_index.titles.json" in cost.search_files, cost.search_files
    assert "/search/search_index.json" in cost.search_files, "the whole index was not fetched after the titles"
    assert cost.first_results_ms >= 0, "results were on screen before the query was typed"
    titles, whole = cost.profile["search_index.titles.json"], cost.profile["search_index.json"]
    assert titles["gzip"] < whole["gzip"] / 3, cost.profile


def test_a_polish_page_fetches_polish_titles_and_english_titles_for_the_fallback(browser, site: ServedSite) -> None:
    cost = measure_search(site.root, "/pl/", "przerwy", browser=browser)
    assert "/search/search_index.pl.titles.json" in cost.search_files, cost.search_files
    assert "/search/search_index.titles.json" in cost.search_files  # "Results in English" comes from these
    assert "/search/search_index.json" not in cost.search_files  # not the whole English index
    assert set(cost.profile) == {"search_index.pl.titles.json", "search_index.pl.json"}


def test_the_bench_refuses_an_unbuilt_site_and_an_unknown_network(tmp_path: Path) -> None:
    with pytest.raises(SearchBenchError, match="no search/search_index.json"):
        measure_search(tmp_path)
    with pytest.raises(SearchBenchError, match="unknown network 'slow-5g'"):
        measure_search(tmp_path, network="slow-5g")
    out = io.StringIO()
    assert bench_search(tmp_path, out) == 1 and out.getvalue() == ""
    assert set(NETWORKS) == {"slow-4g", "3g"}


def test_the_bench_finds_each_languages_index_and_not_the_pieces_of_one(tmp_path: Path) -> None:
    from lawguide.tools.searchbench import index_languages

    (tmp_path / "search").mkdir()
    for name in ("search_index.json", "search_index.titles.json", "search_index.part-1.json", "search_index.part-2.json",
                 "search_index.pl.json", "search_index.pl.titles.json", "search_index.pl.part-1.json", "search_index.ro.json"):
        (tmp_path / "search" / name).write_text("{}", encoding="utf-8")
    assert index_languages(tmp_path) == ["pl", "ro"]
