"""Every page of the built site, in a real browser: accessible, private, and usable on a small phone.

Each page is visited once and the checks below read that one visit, so a failure names the page and the
problem without paying for several loads. Every page is checked for its status, its language and
direction, requests to other hosts and sideways scrolling at 320 CSS px. axe-core, the costly check (about
three quarters of a visit), runs on every page written by hand (docs/: every guide, Easy Read and
translated page, in every language) and on every one-off generated page; pages generated from one template
with escaped data (law pages, route-finder pages, What's changed year pages) are axed on a sample: one page
of each distinct markup (axe_sample), so a template variant that only some entries reach is still axed.
"""

from __future__ import annotations

import functools
import json
import re
import statistics
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from axe_playwright_python.sync_playwright import Axe

from .conftest import DESKTOP, REPO, TIMINGS, RequestLog, ServedSite, built_page_urls, expected_page_urls, guide_page_urls, url_for_source

pytestmark = pytest.mark.browser

PAGES = expected_page_urls()
PHONE = {"width": 320, "height": 640}
SMALL_PHONE = {"width": 360, "height": 740}
MAX_FOLDED_SHARE = 0.15  # issue 13: folded lists and controls take at most 15% of a guide page at 360px
GUIDE_PAGES = guide_page_urls()
# Pages generated from one template with escaped data, each many times over: axe runs on a sample of each
# family (axe_sample). Every other page (docs/, the law index, glossary, finder start, 404...) is axed whole.
TEMPLATE_FAMILIES = {
    "law": re.compile(r"/law/[^/]+/"),  # one page per register entry
    "finder": re.compile(r"/finder/[^/]+/(?:[^/]+/)?"),  # each flow's page and its question and outcome pages
    "changes": re.compile(r"/changes/\d{4}/"),  # What's changed, one page per earlier year
}


def family_of(path: str) -> str | None:
    if path in GUIDE_PAGES:
        return None
    return next((name for name, pattern in TEMPLATE_FAMILIES.items() if pattern.fullmatch(path)), None)


AXE_WHOLE = [p for p in PAGES if family_of(p) is None]  # axed page by page
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
    axed: bool = False  # axe-core ran on this page (AXE_WHOLE and the template samples)
    status: int | None = None
    error: str = ""
    requests: list[str] = field(default_factory=list)  # every request while loading and checking
    violations: list[dict] = field(default_factory=list)
    scroll_width: int = 0
    client_width: int = 0
    wide_elements: list[str] = field(default_factory=list)
    folded: dict = field(default_factory=dict)  # FOLDED_SHARE_JS at 360px, guide pages only
    lang: str = ""  # <html lang> and dir as the browser reads them
    dir: str = ""


# ---------------------------------------------------------------- the axe sample of template pages


class _Markup(HTMLParser):
    """The markup a page's body is made of: each element's tag and classes, and its lang, dir, role, type
    and inline style, with every text, address and id left out (those are the data a template escapes)."""

    def __init__(self) -> None:
        super().__init__()
        self.shape: set[tuple[str, ...]] = set()
        self.in_body = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.in_body = self.in_body or tag == "body"
        if not self.in_body:
            return
        values = dict(attrs)
        self.shape.add((tag, *sorted((values.get("class") or "").split())))
        self.shape.update((tag, name, values[name] or "") for name in ("lang", "dir", "role", "type", "style")
                          if name in values)


def markup_of(html: str) -> frozenset[tuple[str, ...]]:
    parser = _Markup()
    parser.feed(html)
    return frozenset(parser.shape)


def axe_sample(pages: Iterable[tuple[str, str]]) -> list[str]:
    """From (path, html) pairs of one template family, the paths to axe: the first page (in path order)
    of each distinct markup, and the longest page (the most data). Deterministic for a given build."""
    chosen: dict[frozenset, str] = {}
    longest, longest_size = "", -1
    for path, html in sorted(pages):
        chosen.setdefault(markup_of(html), path)
        if len(html) > longest_size:
            longest, longest_size = path, len(html)
    return sorted(set(chosen.values()) | ({longest} if longest else set()))


def built_html(root: Path, path: str) -> Path:
    return root / path.strip("/") / "index.html" if path.endswith("/") else root / path.lstrip("/")


@pytest.fixture(scope="session")
def axe_samples(site: ServedSite) -> dict[str, list[str]]:
    """Family name -> the sampled paths of the built site (every family named, even if empty)."""
    samples = {}
    for name in TEMPLATE_FAMILIES:
        members = [p for p in PAGES if family_of(p) == name]
        samples[name] = axe_sample((p, built_html(site.root, p).read_text(encoding="utf-8")) for p in members)
        TIMINGS[f"axe sample {name}"] = f"{len(samples[name])}/{len(members)}"
    return samples


@pytest.fixture(scope="session")
def visit(context, site: ServedSite, request_log: RequestLog, axe_samples: dict[str, list[str]]):
    """visit(path) -> Visit, done once per page and shared by the checks. Pages to axe are loaded at
    desktop width, axed, then narrowed to 320px; the others are loaded at 320px and measured."""
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
    to_axe = set(AXE_WHOLE).union(*axe_samples.values())
    cache: dict[str, Visit] = {}
    spent = [0.0]

    def run(path: str) -> Visit:
        if path in cache:
            return cache[path]
        started = time.perf_counter()
        result = Visit(path, axed=path in to_axe)
        mark = request_log.mark()
        try:
            tab.set_viewport_size(DESKTOP if result.axed else PHONE)
            response = tab.goto(site.url(path), wait_until="load")
            result.status = response.status if response else None
            result.lang, result.dir = tab.evaluate("[document.documentElement.lang, document.documentElement.dir]")
            if result.axed:
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
        TIMINGS["pages axed"] = sum(v.axed for v in cache.values())
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


def _axe_report(result: Visit) -> str:
    if not result.violations:
        return ""
    return (f"{result.path}: {len(result.violations)} axe-core violation(s) of WCAG 2.2 A/AA or best practice "
            "(fix the theme or the page, never the rules):\n" + "\n".join(_describe(v) for v in result.violations))


@pytest.mark.parametrize("path", AXE_WHOLE, ids=AXE_WHOLE)
def test_page_has_no_accessibility_violations(path: str, visit) -> None:
    result = visit(path)
    _loaded(result)
    assert result.axed, f"{path}: axe-core did not run on this page"
    if result.violations:
        pytest.fail(_axe_report(result), pytrace=False)


@pytest.mark.parametrize("family", TEMPLATE_FAMILIES)
def test_template_pages_pass_axe_on_one_page_of_each_markup(family: str, visit, axe_samples) -> None:
    """One failing page fails its family's test, named with the page; the sample is in the timings line."""
    sample = axe_samples[family]
    assert sample, f"no {family} page was built: the template family {TEMPLATE_FAMILIES[family].pattern} matched nothing"
    reports = []
    for path in sample:
        result = visit(path)
        if result.error or result.status != 200:
            reports.append(f"{path}: could not be checked: {result.error or result.status}")
        elif not result.axed:
            reports.append(f"{path}: axe-core did not run on this page")
        elif result.violations:
            reports.append(_axe_report(result))
    assert not reports, f"{family} pages (sample {sample}):\n" + "\n".join(reports)


@functools.cache
def page_languages() -> dict[str, tuple[str, str]]:
    """URL path -> (lang, dir) of every translated page, from its front matter and its language's
    direction (content.translations); every other page is English, left to right."""
    from lawguide.content.site import load_site
    from lawguide.content.translations import site_versions
    from lawguide.core.settings import Settings

    versions = site_versions(load_site(Settings.from_mkdocs_yml(REPO / "mkdocs.yml")))
    return {url_for_source(source): (version.language, versions.languages[version.language].direction
                                     if version.language in versions.languages else "ltr")
            for source, version in versions.by_path.items()}


@pytest.mark.parametrize("path", PAGES, ids=PAGES)
def test_page_declares_its_language_and_direction(path: str, visit) -> None:
    result = visit(path)
    _loaded(result)
    lang, direction = page_languages().get(path, ("en", "ltr"))
    assert (result.lang, result.dir or "ltr") == (lang, direction), (
        f"{path}: <html lang={result.lang!r} dir={result.dir!r}>, expected lang={lang!r} dir={direction!r} "
        "(screen readers pick their voice from lang; dir sets the reading order)")


@pytest.mark.parametrize("path", PAGES, ids=PAGES)
def test_page_requests_nothing_from_other_hosts(path: str, visit, site: ServedSite) -> None:
    result = visit(path)
    _loaded(result)
    outside = sorted({url for url in result.requests if not site.is_local(url)})
    assert not outside, (f"{path}: loading the page made requests to other hosts (a privacy leak; "
                         f"self-host the file or drop it): {outside}")
    pointers = external_asset_pointers(built_html(site.root, path).read_text(encoding="utf-8"))
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


def test_axe_sample_takes_the_first_page_of_each_markup_and_the_longest_page() -> None:
    def page(body: str) -> str:
        return f"<html><head><title>t</title></head><body>{body}</body></html>"

    pages = [
        ("/law/b/", page('<h1>B</h1><p class="lg-status">In force</p>')),
        ("/law/a/", page('<h1>A</h1><p class="lg-status">Repealed</p>')),  # same markup as b, other text
        ("/law/c/", page('<h1>C</h1><p class="lg-status lg-status--proposed">Proposed</p>')),  # a variant
        ("/law/d/", page('<h1>D</h1><p class="lg-status">' + "long text " * 50 + "</p>")),  # the most data
        ("/law/e/", page('<h1>E</h1><p class="lg-status"><span style="color: #eee">faint</span></p>')),
        ("/law/f/", page('<h1 lang="pl">F</h1><p class="lg-status">W mocy</p>')),
    ]
    assert axe_sample(pages) == ["/law/a/", "/law/c/", "/law/d/", "/law/e/", "/law/f/"]
    assert axe_sample(reversed(pages)) == axe_sample(pages), "the sample must not depend on the order pages are found"
    assert axe_sample([]) == []
