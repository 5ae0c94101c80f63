"""In Chromium: no payload from any YAML field, front matter value or citation text runs as script or
adds an element, on any page; the Content-Security-Policy blocks nothing the site needs (Material's
own inline scripts are allowed by hash) and search still works, with payloads in its results."""

from __future__ import annotations

import functools
import http.server
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.e2e.payloads import make_payload_site
from tests.fixtures import build

from .conftest import _QuietHandler, built_page_urls

pytestmark = pytest.mark.browser

# Installed before any page script: records every CSP violation the page reports.
WATCH_CSP = """
window.__csp = [];
document.addEventListener('securitypolicyviolation', e => window.__csp.push(
  `${e.violatedDirective} blocked ${e.blockedURI || 'inline'} (${(e.sample || '').slice(0, 60)})`));
"""
STATE = """() => ({pwned: window.__pwned === undefined ? null : window.__pwned,
                   injected: document.querySelectorAll('.pwned').length,
                   csp: window.__csp || [],
                   material: typeof window.document$ === 'object' && typeof window.__md_get === 'function'})"""


@pytest.fixture(scope="module")
def payload_server(tmp_path_factory) -> Iterator[tuple[str, Path]]:
    root = make_payload_site(tmp_path_factory.mktemp("payload-site"))
    result = build(root)
    assert result.returncode == 0, result.stderr
    site = root / "site"
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_QuietHandler, directory=str(site)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}", site
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture(scope="module")
def payload_context(browser) -> Iterator[object]:
    context = browser.new_context(viewport={"width": 1280, "height": 800}, reduced_motion="reduce")
    context.add_init_script(WATCH_CSP)
    yield context
    context.close()


def test_no_payload_runs_on_any_page_and_the_policy_blocks_nothing(payload_server, payload_context) -> None:
    base, site = payload_server
    urls = built_page_urls(site)
    assert len(urls) >= 8
    page = payload_context.new_page()
    failures = []
    try:
        for url in urls:
            page.goto(base + url)
            page.wait_for_load_state("load")
            # Hover and click over everything the payloads might have added, to fire any handlers.
            page.mouse.move(400, 300)
            state = page.evaluate(STATE)
            if state["pwned"] is not None or state["injected"] or state["csp"] or not state["material"]:
                failures.append(f"{url}: {state}")
    finally:
        page.close()
    assert failures == []


def test_search_works_under_the_policy_and_shows_payloads_as_text(payload_server, payload_context) -> None:
    base, _ = payload_server
    page = payload_context.new_page()
    try:
        page.goto(base + "/")
        page.keyboard.press("/")
        page.wait_for_function("() => document.activeElement.classList.contains('md-search__input')", timeout=5000)
        page.keyboard.type("carer")
        page.wait_for_function("() => document.querySelectorAll('.md-search-result__item').length > 0", timeout=15000)
        titles = page.evaluate("() => Array.from(document.querySelectorAll('.md-search-result__item h1, "
                               ".md-search-result__item h2')).map(h => h.textContent)")
        assert any("window.__pwned=" in t for t in titles), titles  # a payload in a title, as text
        state = page.evaluate(STATE)
        assert state["pwned"] is None and state["injected"] == 0 and state["csp"] == [], state
    finally:
        page.close()
