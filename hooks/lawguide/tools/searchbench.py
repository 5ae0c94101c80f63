"""`lawguide bench --search SITE`: what the first search costs a reader, and where its time goes.

A built site is served on 127.0.0.1 with every text file gzip -9 (as a static host serves it), and
Debian's Chromium (Playwright, never a downloaded browser) opens a page with an empty cache, focuses
the search box, types a query key by key and waits for the first result. Measured:
- bytes: the first visit (the page and everything it loads before search is used), then what the
  first search fetches (worker, index files, lunr language files, the theme's search engine script),
  as transferred (gzip);
- the index itself, in the page: download, JSON parse, and in a worker of Material's the lunr build
  (setup message to ready) and one query;
- first results: from the last key to the first result on screen, as a reader sees it.
Optionally with Chrome DevTools' network presets (CDP Network.emulateNetworkConditions), with the figures
DevTools uses: "Slow 4G" (formerly "Fast 3G") 1.6 Mbit/s down x 0.9, 750 kbit/s up x 0.9, 150 ms x 3.75
latency; "3G" (formerly "Slow 3G") 500 kbit/s x 0.8 both ways, 400 ms x 5.
"""

from __future__ import annotations

import functools
import gzip
import http.server
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

CHROMIUM = Path("/usr/bin/chromium")
# name -> (download bytes/s, upload bytes/s, latency ms): Chrome DevTools' presets.
NETWORKS: dict[str, tuple[float, float, float]] = {
    "slow-4g": (1.6 * 1000 * 1000 / 8 * 0.9, 750 * 1000 / 8 * 0.9, 150 * 3.75),
    "3g": (500 * 1000 / 8 * 0.8, 500 * 1000 / 8 * 0.8, 400 * 5),
}
COMPRESSED = (".html", ".js", ".css", ".json", ".svg", ".xml", ".txt")
# What a search fetches once it starts; lawguide-search-engine.js is the rest of the theme's search script,
# fetched then (issue 31), not on the first visit.
SEARCH_PARTS = ("/search/", "/assets/javascripts/workers/", "/assets/javascripts/lunr/",
                "/assets/javascripts/lawguide-search-engine.js")


class SearchBenchError(Exception):
    pass


@dataclass
class SearchCost:
    page: str
    query: str
    network: str  # "local" or a NETWORKS name
    first_visit_bytes: int = 0  # bytes the server sent (gzip where it compresses) before search is used
    first_search_bytes: int = 0  # bytes the server sent for search once the box was used (within 0.5 s of results)
    search_files: list[str] = field(default_factory=list)
    first_results_ms: float = 0.0  # last key -> first result on screen
    # The page's index files, each fetched alone and set up in a worker of Material's: file -> timings
    # {download, parse, build (setup -> ready: lunr builds the index), query} in ms, and its gzip bytes.
    profile: dict[str, dict[str, float]] = field(default_factory=dict)


class _GzipHandler(http.server.SimpleHTTPRequestHandler):
    """Serves text files gzip -9 when asked (Accept-Encoding: gzip), as a static host does, and logs
    what it sent (path, bytes)."""

    cache: dict[Path, bytes] = {}
    sizes: list[tuple[str, int]] = []

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - the stdlib's name
        pass

    def do_GET(self) -> None:  # noqa: N802 - the stdlib's name
        path = Path(self.translate_path(self.path))
        if path.is_dir():
            path = path / "index.html"
        if (not path.is_file() or path.suffix not in COMPRESSED
                or "gzip" not in self.headers.get("Accept-Encoding", "")):
            if path.is_file():
                self.sizes.append((self.path.split("?")[0], path.stat().st_size))
            return super().do_GET()
        if path not in self.cache:
            self.cache[path] = gzip.compress(path.read_bytes(), compresslevel=9, mtime=0)
        body = self.cache[path]
        self.sizes.append((self.path.split("?")[0], len(body)))
        self.send_response(200)
        self.send_header("Content-Type", self.guess_type(str(path)))
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "max-age=600")  # as GitHub Pages sends: a file asked twice comes once
        self.end_headers()
        self.wfile.write(body)


@contextmanager
def served(site_dir: Path) -> Iterator[str]:
    handler = functools.partial(_GzipHandler, directory=str(site_dir))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, name="lawguide-searchbench", daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        server.server_close()


# In the page: the index fetched, parsed, and set up and asked in a worker of Material's, each timed.
_PROFILE_JS = """async ([indexUrl, workerUrl, query]) => {
  const t0 = performance.now();
  const response = await fetch(indexUrl, {cache: "no-store"});
  const text = await response.text();
  const t1 = performance.now();
  const index = JSON.parse(text);
  const t2 = performance.now();
  const worker = new Worker(workerUrl);
  const next = () => new Promise(resolve => worker.addEventListener("message", e => resolve(e.data), {once: true}));
  worker.postMessage({type: 0, data: {config: index.config, docs: index.docs, options: {suggest: false}}});
  await next();
  const t3 = performance.now();
  worker.postMessage({type: 2, data: query});
  await next();
  const t4 = performance.now();
  worker.terminate();
  return [t1 - t0, t2 - t1, t3 - t2, t4 - t3];
}"""

# The first results for the whole query: the first time the result list changes, with results in it,
# after the last key (lawguide-search.js shows no answer to an older query once a newer one is asked).
_WATCH_JS = """([keys]) => {
  const bench = window.lawguideBench = {keys: 0, lastKey: 0, first: 0};
  document.addEventListener("keydown", () => {
    bench.keys += 1;
    if (bench.keys === keys) bench.lastKey = performance.now();
  }, true);
  new MutationObserver(() => {
    if (bench.lastKey && !bench.first && document.querySelector(".md-search-result__item"))
      bench.first = performance.now();
  }).observe(document.querySelector(".md-search-result"), {childList: true, subtree: true, characterData: true});
}"""


def measure_search(site_dir: Path, page: str = "/", query: str = "short breaks", network: str | None = None,
                   timeout_ms: float = 120_000, browser=None) -> SearchCost:
    """One first search on a fresh cache: see the module's docstring. browser: a Playwright Chromium
    to use (the browser tests' own); by default one is launched and closed."""
    try:
        from playwright.sync_api import sync_playwright
    except ImportError as exc:
        raise SearchBenchError("Playwright is not installed: run bin/setup --test") from exc
    if not CHROMIUM.exists():
        raise SearchBenchError(f"{CHROMIUM} not found (apt-get install chromium)")
    if network is not None and network not in NETWORKS:
        raise SearchBenchError(f"unknown network {network!r}: use one of {', '.join(NETWORKS)}")
    if not (site_dir / "search" / "search_index.json").is_file():
        raise SearchBenchError(f"{site_dir}: no search/search_index.json (build the site first)")
    cost = SearchCost(page=page, query=query, network=network or "local")
    with served(site_dir) as base:
        if browser is not None:
            _first_search(browser, base, cost, network, timeout_ms)
            _profile_index(browser, base, cost, network, site_dir)
            return cost
        with sync_playwright() as pw:
            own = pw.chromium.launch(executable_path=str(CHROMIUM),
                                     args=["--no-sandbox", "--disable-gpu", "--disable-quic",
                                           "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1"])
            try:
                _first_search(own, base, cost, network, timeout_ms)
                _profile_index(own, base, cost, network, site_dir)
            finally:
                own.close()
    return cost


def _emulate(context, tab, network: str | None) -> None:
    if network is None:
        return
    down, up, latency = NETWORKS[network]
    session = context.new_cdp_session(tab)
    session.send("Network.enable")
    session.send("Network.emulateNetworkConditions", {"offline": False, "latency": latency,
                                                       "downloadThroughput": down, "uploadThroughput": up})


def _first_search(browser, base: str, cost: SearchCost, network: str | None, timeout_ms: float) -> None:
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    try:
        tab = context.new_page()
        _emulate(context, tab, network)
        served_log = _GzipHandler.sizes
        served_log.clear()
        tab.goto(base + cost.page, wait_until="load")
        tab.wait_for_timeout(1000)
        visit = list(served_log)
        cost.first_visit_bytes = sum(size for _, size in visit)
        tab.evaluate(_WATCH_JS, [len(cost.query)])
        tab.focus(".md-search__input")
        tab.keyboard.type(cost.query, delay=120)  # about a reader's pace on a phone
        tab.wait_for_function("() => window.lawguideBench.first > 0", timeout=timeout_ms)
        bench = tab.evaluate("() => window.lawguideBench")
        cost.first_results_ms = bench["first"] - bench["lastKey"]
        tab.wait_for_timeout(500)
        # Every file the server sent (the worker's own requests too: lunr's language files), as sent (gzip).
        search = [(path, size) for path, size in served_log[len(visit):] if path.startswith(SEARCH_PARTS)]
        cost.first_search_bytes = sum(size for _, size in search)
        cost.search_files = sorted({path for path, _ in search})
    finally:
        context.close()


def _profile_index(browser, base: str, cost: SearchCost, network: str | None, site_dir: Path) -> None:
    context = browser.new_context()
    try:
        tab = context.new_page()
        _emulate(context, tab, network)
        tab.goto(base + cost.page, wait_until="load")
        lang = tab.evaluate("() => document.documentElement.lang || 'en'")
        stem = "search_index" if lang.split("-")[0] == "en" else f"search_index.{lang}"
        worker = tab.evaluate("() => JSON.parse(document.getElementById('__config').textContent).search")
        # "#profile": lawguide-search.js holds back only the worker URL Material uses; this one is made at once.
        worker_url = str(tab.evaluate("(w) => new URL(w, location.href).href", worker)) + "#profile"
        # A piece of the whole index, where it is written in pieces (render.search.in_pieces): the first.
        for name in (f"{stem}.titles.json", f"{stem}.part-1.json", f"{stem}.json"):
            if not (site_dir / "search" / name).is_file():
                continue
            times = tab.evaluate(_PROFILE_JS, [f"{base}/search/{name}", worker_url, cost.query])
            raw = (site_dir / "search" / name).read_bytes()
            cost.profile[name] = {"download": times[0], "parse": times[1], "build": times[2], "query": times[3],
                                  "gzip": len(gzip.compress(raw, compresslevel=9, mtime=0))}
    finally:
        context.close()


def format_cost(cost: SearchCost) -> str:
    kb = lambda n: f"{n / 1024:.1f} KB"  # noqa: E731 - a local formatter
    return "\n".join([
        f"search bench: {cost.page} {cost.query!r}, network {cost.network}",
        f"  first visit: {kb(cost.first_visit_bytes)} transferred",
        f"  first search fetches: {kb(cost.first_search_bytes)} ({', '.join(cost.search_files) or 'nothing'})",
        f"  first results after the last key: {cost.first_results_ms:.0f} ms",
    ] + [f"  {name} alone ({kb(t['gzip'])} gzip): download {t['download']:.0f} ms, JSON parse {t['parse']:.0f} ms,"
         f" lunr build in the worker {t['build']:.0f} ms, one query {t['query']:.0f} ms"
         for name, t in cost.profile.items()]) + "\n"


def index_languages(site_dir: Path) -> list[str]:
    """The languages with an index of their own (search_index.<code>.json), not titles indexes, pieces or
    the pieces' word rarity (search_index.rarity.json)."""
    return sorted(p.name.split(".")[1] for p in (site_dir / "search").glob("search_index.*.json")
                  if p.name.count(".") == 2 and not p.name.endswith((".titles.json", ".rarity.json"))
                  and ".part-" not in p.name)


def bench_search(site_dir: Path, out, query: str = "short breaks") -> int:
    """`lawguide bench --search SITE`: the first search on the English home page and on each translated
    language's home page, locally and on emulated Slow 4G. 0, or 1 with a message an editor can act on."""
    pages = ["/"] + [f"/{code}/" for code in index_languages(site_dir) if (site_dir / code / "index.html").is_file()]
    try:
        for page in pages:
            for network in (None, "slow-4g"):
                out.write(format_cost(measure_search(site_dir, page, query, network)))
    except SearchBenchError as exc:
        print(f"lawguide bench --search: {exc}", file=sys.stderr)
        return 1
    return 0
