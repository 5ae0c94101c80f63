"""Every page of the built site, in a real browser: accessible, private, and usable on a small phone.

Each page is visited once (desktop width, axe-core, then narrowed to 320 CSS px); the three checks
below read that one visit, so a failure names the page and the problem without paying for three loads.
"""

from __future__ import annotations

import json
import statistics
import time
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import urlsplit

import pytest
from axe_playwright_python.sync_playwright import Axe

from .conftest import DESKTOP, TIMINGS, RequestLog, ServedSite, built_page_urls, expected_page_urls, guide_page_urls

pytestmark = pytest.mark.browser

PAGES = expected_page_urls()
PHONE = {"width": 320, "height": 640}
SMALL_PHONE = {"width": 360, "height": 740}
MAX_FOLDED_SHARE = 0.15  # issue 13: folded lists and controls take at most 15% of a guide page at 360px
GUIDE_PAGES = guide_page_urls()
# WCAG 2.2 levels A and AA, plus axe's best practices. Nothing is switched off.
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]
AXE_OPTIONS = {"runOnly": {"type": "tag", "values": AXE_TAGS}, "resultTypes": ["violations"]}

# Measured after the page has been narrowed to 320px and laid out again (two animation frames).
MEASURE_WIDTH_JS = """() => new Promise(resolve => requestAnimationFrame(() => requestAnimationFrame(() => {
  const doc = document.documentElement;
  resolve({scrollWidth: doc.scrollWidth, clientWidth: doc.clientWidth});
})))"""

# Only run when a page is too wide: the outermost in-flow elements that stick out to the right.
WIDE_ELEMENTS_JS = """() => {
  const limit = document.documentElement.clientWidth + 1;
  const name = el => el.tagName.toLowerCase() + (el.id ? '#' + el.id : '')
    + Array.from(el.classList).map(c => '.' + c).join('');
  const fixed = el => { for (; el && el !== document.body; el = el.parentElement) {
    if (getComputedStyle(el).position === 'fixed') return true; } return false; };
  const wide = [];
  for (const el of document.body.querySelectorAll('*')) {
    const r = el.getBoundingClientRect();
    if (r.width === 0 || r.right <= limit || fixed(el)) continue;
    if (wide.some(w => w.el.contains(el))) continue;
    wide.push({el, text: `${name(el)} (right edge at ${Math.round(r.right)}px, width ${Math.round(r.width)}px)`});
    if (wide.length >= 5) break;
  }
  return wide.map(w => w.text);
}"""


# How much of a guide page, at 360px, goes to the lists at its end (Words used, Legal basis, Page history,
# folded or not) and to what the copy-link buttons add to the height, as a share of the content's height.
FOLDED_SHARE_JS = """() => new Promise(resolve => requestAnimationFrame(() => requestAnimationFrame(() => {
  const article = document.querySelector('article.md-content__inner');
  const top = el => el.getBoundingClientRect().top, bottom = el => el.getBoundingClientRect().bottom;
  const block = el => el.parentElement.classList.contains('lg-heading-row') ? el.parentElement : el;
  const heads = ['words-on-this-page', 'legal-basis'].map(id => document.getElementById(id)).filter(Boolean);
  let lists = 0;
  if (heads.length) {
    const start = block(heads[0]);
    let last = start;
    for (let el = start.nextElementSibling; el && !el.classList.contains('lg-help'); el = el.nextElementSibling) {
      if (el.getBoundingClientRect().height > 0) last = el;
    }
    lists = bottom(last) - top(start);
  }
  let controls = 0;
  for (const button of document.querySelectorAll('.md-content button.lg-copy-link')) {
    const row = button.parentElement;
    if (row.classList.contains('lg-heading-row')) {
      controls += Math.max(0, row.getBoundingClientRect().height - row.querySelector('h2, h3').getBoundingClientRect().height);
    } else {
      const s = getComputedStyle(button);
      controls += button.getBoundingClientRect().height + parseFloat(s.marginTop) + parseFloat(s.marginBottom);
    }
  }
  const height = article.getBoundingClientRect().height;
  resolve({height, lists, controls, share: (lists + controls) / height});
})))"""


@dataclass
class Visit:
    path: str
    status: int | None = None
    error: str = ""
    requests: list[str] = field(default_factory=list)  # every request while loading and checking
    violations: list[dict] = field(default_factory=list)
    scroll_width: int = 0
    client_width: int = 0
    wide_elements: list[str] = field(default_factory=list)
    folded: dict = field(default_factory=dict)  # FOLDED_SHARE_JS at 360px, guide pages only


@pytest.fixture(scope="session")
def visit(context, site: ServedSite, request_log: RequestLog):
    """visit(path) -> Visit, done once per page and shared by the three checks."""
    tab = context.new_page()
    tab.set_default_timeout(30_000)
    # Material fetches the whole search index on every page and indexes it in a worker, which costs
    # about a fifth of each visit. Here that one local file is answered with an empty index (same
    # config): the request is still made and logged, and search itself is tested in test_site.py.
    index = json.loads((site.root / "search" / "search_index.json").read_text(encoding="utf-8"))
    empty_index = json.dumps({"config": index["config"], "docs": []})
    tab.route(f"{site.base}/search/search_index.json",
              lambda route: route.fulfill(body=empty_index, content_type="application/json"))
    axe = Axe()
    cache: dict[str, Visit] = {}
    spent = [0.0]

    def run(path: str) -> Visit:
        if path in cache:
            return cache[path]
        started = time.perf_counter()
        result = Visit(path)
        mark = request_log.mark()
        try:
            tab.set_viewport_size(DESKTOP)
            response = tab.goto(site.url(path), wait_until="load")
            result.status = response.status if response else None
            result.violations = axe.run(tab, options=AXE_OPTIONS).response["violations"]
            if path in GUIDE_PAGES:
                tab.set_viewport_size(SMALL_PHONE)
                tab.reload(wait_until="load")  # as a phone opens it: the lists start folded
                result.folded = tab.evaluate(FOLDED_SHARE_JS)
            tab.set_viewport_size(PHONE)
            width = tab.evaluate(MEASURE_WIDTH_JS)
            result.scroll_width, result.client_width = width["scrollWidth"], width["clientWidth"]
            if result.scroll_width > result.client_width + 1:
                result.wide_elements = tab.evaluate(WIDE_ELEMENTS_JS)
        except Exception as exc:  # a broken page must fail its own tests, not the whole session
            result.error = f"{type(exc).__name__}: {exc}"
        result.requests = request_log.since(mark)
        cache[path] = result
        spent[0] += time.perf_counter() - started
        TIMINGS["every-page visits (s)"] = spent[0]
        TIMINGS["pages visited"] = len(cache)
        return result

    yield run
    tab.close()


def _loaded(visit: Visit) -> None:
    if visit.error:
        pytest.fail(f"{visit.path}: the page could not be checked: {visit.error}", pytrace=False)
    if visit.status != 200:
        pytest.fail(f"{visit.path}: the server answered {visit.status}, not 200", pytrace=False)


def _describe(violation: dict) -> str:
    lines = [f"  - {violation['id']} ({violation['impact']}): {violation['help']} <{violation['helpUrl']}>"]
    for node in violation["nodes"][:8]:
        target = " ".join(str(t) for t in node["target"])
        checks = node.get("any", []) + node.get("all", []) + node.get("none", [])
        why = f" -- {checks[0]['message']}" if checks else ""
        lines.append(f"      at {target}: {' '.join(node['html'][:160].split())}{why}")
    if len(violation["nodes"]) > 8:
        lines.append(f"      ... and {len(violation['nodes']) - 8} more")
    return "\n".join(lines)


@pytest.mark.parametrize("path", PAGES, ids=PAGES)
def test_page_has_no_accessibility_violations(path: str, visit) -> None:
    result = visit(path)
    _loaded(result)
    if result.violations:
        report = "\n".join(_describe(v) for v in result.violations)
        pytest.fail(f"{path}: {len(result.violations)} axe-core violation(s) of WCAG 2.2 A/AA or best practice "
                    f"(fix the theme or the page, never the rules):\n{report}", pytrace=False)


@pytest.mark.parametrize("path", PAGES, ids=PAGES)
def test_page_requests_nothing_from_other_hosts(path: str, visit, site: ServedSite) -> None:
    result = visit(path)
    _loaded(result)
    outside = sorted({url for url in result.requests if not site.is_local(url)})
    assert not outside, (f"{path}: loading the page made requests to other hosts (a privacy leak; "
                         f"self-host the file or drop it): {outside}")
    html = site.root / path.strip("/") / "index.html" if path.endswith("/") else site.root / path.lstrip("/")
    pointers = external_asset_pointers(html.read_text(encoding="utf-8"))
    assert not pointers, f"{path}: the HTML loads files from other hosts: {pointers}"


@pytest.mark.parametrize("path", PAGES, ids=PAGES)
def test_page_fits_a_320px_wide_screen(path: str, visit) -> None:
    result = visit(path)
    _loaded(result)
    assert result.scroll_width <= result.client_width + 1, (
        f"{path}: at 320 CSS px wide the page scrolls sideways (scrollWidth {result.scroll_width}px > "
        f"clientWidth {result.client_width}px; WCAG 1.4.10 reflow). Wide elements: {result.wide_elements}. "
        "Let long words wrap, or put wide tables and code in their own scrolling container.")


FOLDED_SHARES: dict[str, float] = {}


@pytest.mark.parametrize("path", GUIDE_PAGES, ids=GUIDE_PAGES)
def test_guide_page_lists_and_controls_take_little_of_a_phone_screen(path: str, visit) -> None:
    result = visit(path)
    _loaded(result)
    folded = result.folded
    FOLDED_SHARES[path] = folded["share"]
    worst = max(FOLDED_SHARES, key=FOLDED_SHARES.get)
    TIMINGS["360px lists+controls: worst %"] = round(100 * FOLDED_SHARES[worst], 1)
    TIMINGS["360px lists+controls: worst page"] = worst
    TIMINGS["360px lists+controls: median %"] = round(100 * statistics.median(FOLDED_SHARES.values()), 1)
    assert folded["share"] <= MAX_FOLDED_SHARE, (
        f"{path}: at 360px the lists at the end (Words used, Legal basis, Page history) take "
        f"{folded['lists']:.0f}px and the copy-link buttons add {folded['controls']:.0f}px: "
        f"{100 * folded['share']:.1f}% of the page's {folded['height']:.0f}px (at most {100 * MAX_FOLDED_SHARE:.0f}%)")


def test_every_built_page_is_checked(site: ServedSite) -> None:
    built = built_page_urls(site.root)
    assert built == sorted(PAGES), ("the built site and the checked page list differ: "
                            f"built but not checked {sorted(set(built) - set(PAGES))}, "
                            f"checked but not built {sorted(set(PAGES) - set(built))}")


# ---------------------------------------------------------------- HTML that points at other hosts

# <link rel> values that fetch nothing (canonical and alternate only name an address).
NON_FETCHING_RELS = {"canonical", "alternate", "author", "license", "help", "next", "prev", "search"}
SOURCE_ATTRS = {"script": "src", "img": "src", "iframe": "src", "source": "src", "audio": "src", "video": "src",
                "embed": "src", "object": "data"}


class _AssetPointers(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.found: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name: value or "" for name, value in attrs}
        if tag == "link":
            rels = set(values.get("rel", "").lower().split())
            if rels and rels <= NON_FETCHING_RELS:
                return
            self._check(tag, values.get("href", ""))
        elif tag in SOURCE_ATTRS:
            self._check(tag, values.get(SOURCE_ATTRS[tag], ""))

    def _check(self, tag: str, url: str) -> None:
        parts = urlsplit(url.strip())
        if parts.netloc and parts.hostname not in ("127.0.0.1", "localhost"):
            self.found.append(f"<{tag}> {url}")


def external_asset_pointers(html: str) -> list[str]:
    """<link>/<script>/<img>... in the HTML that would make the browser fetch from another host."""
    parser = _AssetPointers()
    parser.feed(html)
    return parser.found


def test_external_asset_pointers_are_found() -> None:
    html = ('<link rel="stylesheet" href="https://fonts.googleapis.com/css?family=Roboto">'
            '<link rel="canonical" href="https://example.org/page/"><script src="//cdn.example.com/x.js"></script>'
            '<script src="../assets/local.js"></script><img src="http://127.0.0.1:8000/a.png">')
    assert external_asset_pointers(html) == ["<link> https://fonts.googleapis.com/css?family=Roboto",
                                             "<script> //cdn.example.com/x.js"]
