"""Ranking across pieces (issue 31): on the 1,000-page copy of the guide (tools/realcopy.py, built as users
build it) the English index is written in six pieces, each a whole lunr index with its own word rarity.
The parents' English query sets (tests/data, as test_search_set.py reads them) are asked of (a) the whole
index (the titles index's list of pieces taken out, so the engine fetches search_index.json whole) and
(b) the pieces once every one is ready; both shares with a right page in the top three are printed (and
kept in the timings line), and the pieces may not do worse.

A right page in the copy is the page asked for or one of its copies (/copy03/short-breaks/ for
/short-breaks/): the copies hold the same words, so the whole index scores them the same and which of
them comes first is a tie.

Run it alone: .venv/bin/python -m pytest tests/browser/test_search_pieces_ranking.py -q -s
(about a minute to copy and build, then a few minutes of searches)."""

from __future__ import annotations

import functools
import http.server
import re
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from .conftest import DESKTOP, REPO, TIMINGS, url_for_source
from .test_search_set import HELD_OUT, NEW_SEARCHES, SEARCHES, ranked_results

pytestmark = [pytest.mark.browser, pytest.mark.slow]

PAGES = 1000
COPY = re.compile(r"^/copy\d+/")
SETS = {"first": SEARCHES, "new": NEW_SEARCHES, "held-out": HELD_OUT}


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - the stdlib's name
        pass


@pytest.fixture(scope="module")
def copy_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path]]:
    from lawguide.tools.realcopy import make_real_copy

    work = tmp_path_factory.mktemp("pieces-ranking")
    make_real_copy((REPO / "mkdocs.yml").resolve(), work / "copy", PAGES)
    built = subprocess.run([sys.executable, "-m", "lawguide.cli", "--config", str(work / "copy" / "mkdocs.yml"), "build",
                            "-d", str(work / "site")], capture_output=True, text=True, check=False)
    assert built.returncode == 0, built.stderr[-3000:]
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(work / "site")))
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{httpd.server_port}", work / "site"
    httpd.shutdown()
    httpd.server_close()


def _whole_only(route) -> None:
    """The titles index without its list of pieces: the engine fetches search_index.json whole."""
    response = route.fetch()
    data = response.json()
    data["config"].get("lawguide", {}).pop("parts", None)
    route.fulfill(response=response, json=data)


def _right(found: list[str], wanted: set[str]) -> bool:
    return any(COPY.sub("/", path) in wanted for path in found)


def shares(browser, base: str, whole: bool) -> dict[str, tuple[float, dict[str, str]]]:
    """Each set's share of searches with a right page in the top three, and its misses (query -> what came)."""
    ctx = browser.new_context(viewport=DESKTOP, reduced_motion="reduce")
    try:
        tab = ctx.new_page()
        tab.set_default_timeout(120_000)
        if whole:
            tab.route("**/search/search_index.titles.json", _whole_only)
        tab.goto(base + "/", wait_until="load")
        tab.focus(".md-search__input")
        # The first query waits for every piece (or the whole index) to be fetched and built.
        tab.fill(".md-search__input", "short breaks")
        tab.dispatch_event(".md-search__input", "keyup")
        tab.wait_for_selector('.md-search-result[data-lg-index="whole"]', state="attached", timeout=300_000)
        out = {}
        for name, searches in SETS.items():
            misses: dict[str, str] = {}
            for entry in searches:
                wanted = {url_for_source(src.partition("#")[0]) for src in entry["pages"]}
                found = ranked_results(tab, entry["query"])
                if not _right(found, wanted):
                    misses[entry["query"]] = f"{entry['query']!r}: wanted {sorted(wanted)}, got {found}"
            out[name] = (1 - len(misses) / len(searches), misses)
        return out
    finally:
        ctx.close()


def test_the_copy_is_in_pieces(copy_site) -> None:
    _, root = copy_site
    assert len(list((root / "search").glob("search_index.part-*.json"))) >= 3


def test_pieces_rank_as_well_as_the_whole_index(browser, copy_site) -> None:
    base, _ = copy_site
    whole = shares(browser, base, whole=True)
    pieces = shares(browser, base, whole=False)
    lines = []
    for name in SETS:
        TIMINGS[f"{PAGES}-page copy, {name} searches, top 3, whole index (%)"] = round(100 * whole[name][0], 1)
        TIMINGS[f"{PAGES}-page copy, {name} searches, top 3, pieces (%)"] = round(100 * pieces[name][0], 1)
        lines.append(f"{name}: whole index {whole[name][0]:.1%}, pieces {pieces[name][0]:.1%}")
        lines += [f"  missed by the pieces only: {m}" for q, m in pieces[name][1].items() if q not in whole[name][1]]
        lines += [f"  missed by the whole index only: {m}" for q, m in whole[name][1].items() if q not in pieces[name][1]]
    print(f"\n{PAGES}-page copy, right page in the top three:\n" + "\n".join(lines))
    for name in SETS:
        assert pieces[name][0] >= whole[name][0], "\n".join(lines)
