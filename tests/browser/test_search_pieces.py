"""The whole search index in pieces (issue 31 item 2): a fixture site built with a tiny
`extra.lawguide.search_piece_kb`, so its index is written in pieces (render/search.py), and the theme's
lawguide-search-engine.js fetches them one at a time after the titles index answers, merges their
results, and fetches no more while search is closed."""

from __future__ import annotations

import http.server
import json
import re
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from .conftest import DESKTOP

pytestmark = pytest.mark.browser

WORD = "zebraword"  # only in the glossary's text, which is in the last piece
PIECE_KB = 4  # the fixture's index (about 15 KB) in five pieces
PART = re.compile(r"/search/search_index\.part-(\d+)\.json$")
RESULTS_JS = """(href) => Array.from(document.querySelectorAll('.md-search-result__item a.md-search-result__link'))
    .some(a => new URL(a.href).pathname.startsWith(href))"""


@dataclass
class PieceServer:
    """The fixture site on 127.0.0.1, each piece sent `delay` seconds after it was asked for, logging when
    each piece was asked for and when it was sent whole."""

    root: Path
    base: str = ""
    delay: float = 0.0
    log: list[tuple[int, float, float]] = field(default_factory=list)  # (piece, asked, sent)
    broken: dict[int, str] = field(default_factory=dict)  # piece -> how it fails (_send_broken)
    stalled: dict[int, str] = field(default_factory=dict)  # piece -> how it stalls (_stall), until `release`
    release: threading.Event = field(default_factory=threading.Event)
    asked: list[tuple[int, float]] = field(default_factory=list)  # (piece, when asked), as it is asked

    def parts(self) -> list[int]:
        return [number for number, _, _ in self.log]


def _handler(server: PieceServer):
    class Handler(http.server.SimpleHTTPRequestHandler):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, directory=str(server.root), **kwargs)

        def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - the stdlib's name
            pass

        def end_headers(self) -> None:
            self.send_header("Cache-Control", "no-store")
            super().end_headers()

        def do_GET(self) -> None:  # noqa: N802 - the stdlib's name
            piece = PART.search(self.path.split("?")[0])
            if not piece:
                return super().do_GET()
            asked = time.monotonic()
            number = int(piece.group(1))
            server.asked.append((number, asked))
            if number in server.stalled:
                self._stall(server.stalled[number], server.root / self.path.split("?")[0].lstrip("/"))
                return
            time.sleep(server.delay)
            if number in server.broken:
                self._send_broken(server.broken[number], server.root / self.path.split("?")[0].lstrip("/"))
            else:
                super().do_GET()
            server.log.append((int(piece.group(1)), asked, time.monotonic()))

        def _stall(self, how: str, path: Path) -> None:
            """A download that stalls (a phone on a bad network): no answer at all, or the headers and half
            the body; the connection is held open until the test releases it (or a minute passes)."""
            if how == "half-sent":
                body = path.read_bytes()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body[: len(body) // 2])
                self.wfile.flush()
            server.release.wait(60)
            self.close_connection = True

        def _send_broken(self, how: str, path: Path) -> None:
            """A piece that fails: not there (404), cut off half way, the connection dropped with no
            answer, or JSON whose docs are not a list."""
            if how == "404":
                self.send_error(404)
                return
            if how == "reset":
                self.close_connection = True
                self.connection.shutdown(2)
                return
            body = path.read_bytes()
            if how == "truncated":
                body = body[: len(body) // 2]
            elif how == "docs-not-a-list":
                body = json.dumps({**json.loads(body), "docs": {"location": "x/"}}).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

    return Handler


@pytest.fixture(scope="module")
def pieces_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[PieceServer]:
    from tests.fixtures import DEFAULT_PAGES, DEFAULT_TERMS, REPO, build, make_site

    root = tmp_path_factory.mktemp("pieces")
    pages = dict(DEFAULT_PAGES)
    for n, word in enumerate(["apple", "banana", "cherry", "damson", "elder"]):
        pages[f"fruit-{n}.md"] = (f"---\nreviewed: 2026-11-01\n---\n# Fruit {n}\n\n"
                                  + "Some words about the garden and the weather. " * 30
                                  + f"\n\n## More {{#more}}\n\nThe {word}word grows here.\n")
    terms = [*DEFAULT_TERMS, {"id": "zebra", "term": "Zebra crossing", "definition": f"The {WORD} is only here."}]
    make_site(root, pages, terms=terms, extra_config={
        "theme": {"name": "material", "custom_dir": str(REPO / "theme"), "font": False},
        "extra": {"polyfills": ["assets/javascripts/lawguide-search.js"], "lawguide": {"search_piece_kb": PIECE_KB}}})
    result = build(root, strict=False, site_dir=root / "site")
    assert result.returncode == 0, result.stderr[-3000:]
    server = PieceServer(root / "site")
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _handler(server))
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    server.base = f"http://127.0.0.1:{httpd.server_port}"
    yield server
    server.release.set()
    httpd.shutdown()
    httpd.server_close()


def _parts(site: PieceServer) -> list[str]:
    titles = json.loads((site.root / "search" / "search_index.titles.json").read_text(encoding="utf-8"))
    return titles["config"]["lawguide"]["parts"]


@pytest.fixture()
def tab(browser, pieces_site: PieceServer):
    pieces_site.log.clear()
    pieces_site.delay = 0.0
    pieces_site.broken.clear()
    pieces_site.stalled.clear()
    pieces_site.asked.clear()
    pieces_site.release = threading.Event()
    ctx = browser.new_context(viewport=DESKTOP, reduced_motion="reduce")
    page = ctx.new_page()
    page.set_default_timeout(20_000)
    yield page
    ctx.close()
    pieces_site.release.set()


def _search(tab, site: PieceServer, query: str) -> None:
    tab.goto(site.base + "/", wait_until="load")
    tab.focus(".md-search__input")
    tab.keyboard.type(query, delay=20)


def test_the_fixture_index_is_in_pieces_and_the_word_only_in_the_last_one(pieces_site: PieceServer) -> None:
    parts = _parts(pieces_site)
    assert len(parts) >= 3, parts
    texts = [(pieces_site.root / "search" / name).read_text(encoding="utf-8") for name in parts]
    assert [WORD in text for text in texts] == [False] * (len(parts) - 1) + [True]
    assert WORD not in (pieces_site.root / "search" / "search_index.titles.json").read_text(encoding="utf-8")


def test_a_word_only_in_the_last_piece_is_found_once_its_piece_is_ready(tab, pieces_site: PieceServer) -> None:
    _search(tab, pieces_site, WORD)
    tab.wait_for_selector('.md-search-result[data-lg-index="whole"]', state="attached")
    tab.wait_for_function(RESULTS_JS, arg="/glossary/")
    count = len(_parts(pieces_site))
    assert tab.evaluate("() => document.querySelector('.md-search-result').getAttribute('data-lg-parts')") == \
        f"{count}/{count}"
    assert sorted(pieces_site.parts()) == list(range(1, count + 1))  # each piece fetched once
    # A word of an early piece, from a page's text (not its title), is found too, with its section.
    tab.fill(".md-search__input", "")
    tab.keyboard.type("cherryword", delay=20)
    tab.wait_for_function(RESULTS_JS, arg="/fruit-2/")


def test_pieces_are_fetched_one_at_a_time_in_order(tab, pieces_site: PieceServer) -> None:
    pieces_site.delay = 0.3
    _search(tab, pieces_site, WORD)
    tab.wait_for_function(RESULTS_JS, arg="/glossary/")
    log = sorted(pieces_site.log, key=lambda entry: entry[1])
    assert [number for number, _, _ in log] == list(range(1, len(_parts(pieces_site)) + 1))
    for (_, _, sent), (number, asked, _) in zip(log, log[1:], strict=False):
        assert asked >= sent, f"piece {number} was asked for before the one before it had come"


def test_closing_search_stops_further_pieces_and_the_next_search_goes_on(tab, pieces_site: PieceServer) -> None:
    pieces_site.delay = 4.0  # piece 1 comes well after the titles index answers and search is closed
    _search(tab, pieces_site, "fruit")  # in the titles
    tab.wait_for_selector(".md-search-result__item")  # the titles index answered: piece 1 is on its way
    tab.keyboard.press("Escape")
    tab.evaluate("() => document.activeElement && document.activeElement.blur()")
    closed = time.monotonic()
    assert tab.evaluate("() => document.getElementById('__search').checked") is False
    deadline = time.monotonic() + 15
    while not pieces_site.log and time.monotonic() < deadline:
        time.sleep(0.1)
    assert pieces_site.parts() == [1], pieces_site.log
    assert pieces_site.log[0][2] > closed, "piece 1 came before search was closed: the test proves nothing"
    pieces_site.delay = 0.0
    tab.wait_for_timeout(2500)  # piece 1 built; piece 2 would have been asked for and sent by now
    assert pieces_site.parts() == [1], f"pieces fetched while search was closed: {pieces_site.log}"
    tab.focus(".md-search__input")
    tab.fill(".md-search__input", "")
    tab.keyboard.type(WORD, delay=20)
    tab.wait_for_function(RESULTS_JS, arg="/glossary/")
    assert sorted(pieces_site.parts()) == list(range(1, len(_parts(pieces_site)) + 1))


ANSWERED_JS = """() => { const b = document.querySelector('.md-search-result');
    return b && ['data-lg-index', 'data-lg-parts', 'data-lg-query'].map(n => b.getAttribute(n)); }"""


def _wait_answered(tab, index: str, parts: str, query: str) -> None:
    """Wait until the results on screen say they answer `query` from `index` with `parts` ready."""
    tab.wait_for_function(f"(want) => JSON.stringify(({ANSWERED_JS})()) === JSON.stringify(want)",
                          arg=[index, parts, query])


@pytest.mark.parametrize("how", ["404", "truncated", "reset", "docs-not-a-list"])
def test_a_piece_that_fails_does_not_hold_up_the_later_ones_and_is_fetched_again_on_the_next_search(
        tab, pieces_site: PieceServer, how: str) -> None:
    count = len(_parts(pieces_site))
    pieces_site.broken[2] = how
    _search(tab, pieces_site, WORD)  # only in the last piece, after the broken one
    tab.wait_for_function(RESULTS_JS, arg="/glossary/")
    _wait_answered(tab, "part", f"{count - 1}/{count}", WORD)  # not "whole": piece 2 is not in it
    assert sorted(set(pieces_site.parts())) == list(range(1, count + 1))
    asked = pieces_site.parts().count(2)
    tab.wait_for_timeout(1000)
    assert pieces_site.parts().count(2) == asked, "the broken piece was fetched again with no new search"
    # Mended (a network back, a deploy finished): the next search fetches it, and the index is whole.
    del pieces_site.broken[2]
    tab.fill(".md-search__input", "")
    tab.keyboard.type("cherryword", delay=20)  # fruit-2's section text
    tab.wait_for_function(RESULTS_JS, arg="/fruit-2/")
    _wait_answered(tab, "whole", f"{count}/{count}", "cherryword")


# A Polish page whose index is in two pieces (the real guide's Polish index, cut in two by page as it is
# served), with an English titles index that takes seconds to build (padded), holding the query's word.
POLISH_WORD = "lekarz"  # "doctor": in no Polish title, in the text of several Polish pages
LINKS_JS = """() => Array.from(document.querySelectorAll('.md-search-result__list > li'))
    .map(li => li.classList.contains('lg-search-english') ? 'HEADING' : (li.querySelector('a') || {}).href)"""


def _titles_with(**settings):
    """A route handler: the titles index as built, with these config.lawguide settings put in (parts, rarity,
    piece_seconds: what the engine reads from it)."""
    def titles(route) -> None:
        response = route.fetch()
        data = response.json()
        data["config"].setdefault("lawguide", {}).update(settings)
        route.fulfill(response=response, json=data)
    return titles


def _polish_in_two_pieces_and_slow_english(tab, root: Path) -> None:
    whole = json.loads((root / "search" / "search_index.pl.json").read_text(encoding="utf-8"))
    pages = sorted({doc["location"].partition("#")[0] for doc in whole["docs"]})
    halves = [set(pages[: len(pages) // 2]), set(pages[len(pages) // 2:])]
    names = ["search_index.pl.part-1.json", "search_index.pl.part-2.json"]

    def piece(route) -> None:
        half = halves[int(re.search(r"part-(\d)", route.request.url).group(1)) - 1]
        route.fulfill(json={**whole, "docs": [d for d in whole["docs"] if d["location"].partition("#")[0] in half]})

    def english(route) -> None:
        data = route.fetch().json()
        padding = [{"location": f"padding-{n}/", "title": f"Padding {n} words", "text": ""} for n in range(40_000)]
        data["docs"] += [{"location": "short-breaks/", "title": f"English {POLISH_WORD}", "text": ""}, *padding]
        route.fulfill(json=data)

    tab.route("**/search/search_index.pl.titles.json", _titles_with(parts=names))
    tab.route("**/search/search_index.pl.part-*.json", piece)
    tab.route("**/search/search_index.titles.json", english)


def test_english_results_for_an_older_answer_do_not_replace_a_newer_pieces_answer(browser, site) -> None:
    ctx = browser.new_context(viewport=DESKTOP, reduced_motion="reduce")
    try:
        tab = ctx.new_page()
        tab.set_default_timeout(20_000)
        _polish_in_two_pieces_and_slow_english(tab, site.root)
        tab.goto(site.url("/pl/short-breaks/"), wait_until="load")
        tab.focus(".md-search__input")
        tab.fill(".md-search__input", POLISH_WORD)
        tab.dispatch_event(".md-search__input", "keyup")
        _wait_answered(tab, "whole", "2/2", POLISH_WORD)
        shown = tab.evaluate(LINKS_JS)
        polish = [href for href in shown if href and "/pl/" in href]
        assert len(polish) >= 3, f"the test needs a word the whole Polish index finds on 3 pages or more: {shown}"
        tab.wait_for_timeout(8000)  # the padded English titles index built and asked by now
        assert tab.evaluate(LINKS_JS) == shown, "an older answer (with English results) replaced the whole index's"
    finally:
        ctx.close()


@pytest.mark.parametrize("crafted", ["//evil.example/search_index.part-1.json", "https://evil.example/x.json",
                                     "../search_index.part-1.json", "%2e%2e/search_index.part-1.json",
                                     "search_index.part-1.json/../../x", "search_index.part-1.json?//evil",
                                     "search_index.part-1.json\n", "javascript:alert(1)//.part-1.json"])
def test_a_crafted_piece_name_fetches_nothing_but_the_whole_index_beside_it(tab, pieces_site: PieceServer,
                                                                             crafted: str) -> None:
    asked: list[str] = []
    tab.on("request", lambda request: asked.append(request.url))
    tab.route("**/search/search_index.titles.json", _titles_with(parts=["search_index.part-1.json", crafted]))
    _search(tab, pieces_site, WORD)
    tab.wait_for_function(RESULTS_JS, arg="/glossary/")  # from the whole index, fetched instead
    _wait_answered(tab, "whole", "1/1", WORD)
    assert not [url for url in asked if not url.startswith(pieces_site.base + "/")], asked
    assert not [url for url in asked if ".part-" in url or "evil" in url], asked
    assert pieces_site.base + "/search/search_index.json" in asked




def test_the_built_titles_index_gives_each_piece_a_deadline(pieces_site: PieceServer) -> None:
    titles = json.loads((pieces_site.root / "search" / "search_index.titles.json").read_text(encoding="utf-8"))
    assert titles["config"]["lawguide"]["piece_seconds"] >= 20


@pytest.mark.parametrize("how", ["no-answer", "half-sent"])
def test_a_piece_that_stalls_fails_at_its_deadline_and_the_later_ones_come(tab, pieces_site: PieceServer,
                                                                          how: str) -> None:
    count = len(_parts(pieces_site))
    pieces_site.stalled[2] = how
    tab.route("**/search/search_index.titles.json", _titles_with(piece_seconds=1.5))
    _search(tab, pieces_site, WORD)  # only in the last piece, after the stalled one
    tab.wait_for_function(RESULTS_JS, arg="/glossary/")
    _wait_answered(tab, "part", f"{count - 1}/{count}", WORD)
    asked = dict(reversed(pieces_site.asked))  # piece -> when first asked
    assert sorted(asked) == list(range(1, count + 1)), pieces_site.asked
    assert asked[3] - asked[2] >= 1.4, "piece 3 was asked for before piece 2's deadline: not one at a time"
    assert [n for n, _ in pieces_site.asked].count(2) == 1, "the stalled piece was asked again with no new search"
    # The network is back: the next search asks for the stalled piece again, and the index is whole.
    pieces_site.stalled.clear()
    pieces_site.release.set()
    tab.fill(".md-search__input", "")
    tab.keyboard.type("cherryword", delay=20)  # fruit-2's section text
    tab.wait_for_function(RESULTS_JS, arg="/fruit-2/")
    _wait_answered(tab, "whole", f"{count}/{count}", "cherryword")
    assert [n for n, _ in pieces_site.asked].count(2) == 2


# A piece's scores as the whole index's (lawguide-search-worker.js): each file set up alone in a worker and asked
# once, in the page; "#profile" keeps lawguide-search.js's stand-in off Material's worker (as searchbench does).
SCORES_JS = """async ([workerUrl, indexUrl, rarityUrl, query]) => {
  const index = await (await fetch(indexUrl)).json();
  const rarity = rarityUrl ? await (await fetch(rarityUrl)).json() : undefined;
  const worker = new Worker(workerUrl);
  const next = () => new Promise((resolve) => {
    worker.addEventListener("message", (e) => resolve(e.data), {once: true});
    worker.addEventListener("error", (e) => resolve({error: String(e.message)}), {once: true});
  });
  worker.postMessage({type: 0, data: {config: index.config, docs: index.docs, options: {suggest: false}, rarity}});
  const ready = await next();
  if (ready.error) return ready.error;
  worker.postMessage({type: 2, data: query});
  const answer = await next();
  worker.terminate();
  const scores = {};
  for (const group of answer.data.items) for (const doc of group) scores[doc.location] = doc.score;
  return scores;
}"""


@pytest.mark.parametrize("query", [WORD, "garden weather"])
def test_a_piece_built_with_the_whole_index_word_rarity_scores_pages_as_the_whole_index(tab, pieces_site: PieceServer,
                                                                                       query: str) -> None:
    titles = json.loads((pieces_site.root / "search" / "search_index.titles.json").read_text(encoding="utf-8"))
    rarity = f"{pieces_site.base}/search/{titles['config']['lawguide']['rarity']}"
    material = next((pieces_site.root / "assets" / "javascripts" / "workers").glob("search.*.min.js")).name
    workers = f"{pieces_site.base}/assets/javascripts/workers/"
    tab.goto(pieces_site.base + "/", wait_until="load")
    whole = tab.evaluate(SCORES_JS, [workers + material + "#profile", pieces_site.base + "/search/search_index.json", None, query])
    assert isinstance(whole, dict) and whole, whole
    compared = 0
    differs = False  # a piece's own word rarity gives another score somewhere: what the worker mends
    for name in _parts(pieces_site):
        piece = f"{pieces_site.base}/search/{name}"
        own = tab.evaluate(SCORES_JS, [workers + material + "#profile", piece, None, query])
        shared = tab.evaluate(SCORES_JS, [f"{workers}lawguide-search-worker.js?worker={material}", piece, rarity, query])
        assert isinstance(shared, dict), shared
        assert sorted(shared) == sorted(own), "the piece found other pages with the whole index's word rarity"
        differs = differs or any(own[at] != pytest.approx(whole[at], rel=1e-6) for at in own)
        for location, score in shared.items():
            assert score == pytest.approx(whole[location], rel=1e-9), (name, location, score, whole[location], own[location])
            compared += 1
    assert compared == len(whole), "a page the whole index finds was found in no piece"
    assert differs, "every piece scores as the whole index even without the worker: the test proves nothing"


@pytest.mark.parametrize("crafted", ["//evil.example/search_index.rarity.json", "../search_index.rarity.json",
                                     "search_index.rarity.json?//evil", "https://evil.example/r.json"])
def test_a_crafted_word_rarity_name_fetches_nothing_and_the_pieces_still_come(tab, pieces_site: PieceServer,
                                                                              crafted: str) -> None:
    asked: list[str] = []
    tab.on("request", lambda request: asked.append(request.url))
    tab.route("**/search/search_index.titles.json", _titles_with(rarity=crafted))
    _search(tab, pieces_site, WORD)
    tab.wait_for_function(RESULTS_JS, arg="/glossary/")
    count = len(_parts(pieces_site))
    _wait_answered(tab, "whole", f"{count}/{count}", WORD)
    assert not [url for url in asked if not url.startswith(pieces_site.base + "/") or "rarity" in url], asked
    assert not [url for url in asked if "lawguide-search-worker" in url], "a piece was built by the rarity worker without a rarity"


def test_the_word_rarity_is_fetched_once_and_every_piece_built_by_its_worker(tab, pieces_site: PieceServer) -> None:
    asked: list[str] = []
    tab.on("request", lambda request: asked.append(request.url))
    _search(tab, pieces_site, WORD)
    count = len(_parts(pieces_site))
    _wait_answered(tab, "whole", f"{count}/{count}", WORD)
    assert [url for url in asked if "rarity" in url] == [pieces_site.base + "/search/search_index.rarity.json"]
    workers = [url for url in asked if "lawguide-search-worker.js" in url]
    assert workers and all(re.search(r"\?worker=search\.[0-9a-f]+\.min\.js$", url) for url in workers), workers
