"""In Chromium, on every engine the project supports (tools/engine.py ENGINES: MkDocs, ProperDocs,
Zensical; a new engine is attacked as soon as it is listed): no payload from any YAML field, front
matter value or citation text runs as script, opens a dialog or adds an element, on any page; every
page carries the Content-Security-Policy, which blocks nothing the site needs (the theme's own inline
scripts are allowed by hash); and search still works, with payloads in its results.

One small fixture build per engine (tests/e2e/payloads.py), shared with tests/e2e/test_text_is_data.py
(tests/conftest.py payload_builds), served on 127.0.0.1."""

from __future__ import annotations

import functools
import http.server
import importlib.util
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from lawguide.tools.engine import ENGINES

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
                   policy: document.querySelectorAll('head meta[http-equiv="Content-Security-Policy"]').length,
                   csp: window.__csp || [],
                   material: typeof window.document$ === 'object' && typeof window.__md_get === 'function'})"""


def _engines() -> list:
    return [pytest.param(name, marks=pytest.mark.skipif(importlib.util.find_spec(name) is None,
                                                        reason=f"{name} is not installed"))
            for name in ENGINES]


@pytest.fixture(scope="module", params=_engines())
def payload_server(request, payload_builds) -> Iterator[tuple[str, Path, str]]:
    site = payload_builds(request.param)  # the same build tests/e2e/test_text_is_data.py reads
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_QuietHandler, directory=str(site)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}", site, request.param
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
    base, site, _ = payload_server
    urls = built_page_urls(site)
    assert len(urls) >= 8
    page = payload_context.new_page()
    failures = []
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(f"{page.url}: {dialog.message}"), dialog.dismiss()))
    try:
        for url in urls:
            page.goto(base + url)
            page.wait_for_load_state("load")
            # Hover and click over everything the payloads might have added, to fire any handlers.
            page.mouse.move(400, 300)
            state = page.evaluate(STATE)
            if state["pwned"] is not None or state["injected"] or state["csp"] or state["policy"] != 1 \
                    or not state["material"]:
                failures.append(f"{url}: {state}")
    finally:
        page.close()
    assert failures == [] and dialogs == []


# Zensical's search is its own dialog in a shadow root, opened by a button; Material's is an input.
SEARCH_TITLES = {
    "material": "() => Array.from(document.querySelectorAll('.md-search-result__item h1, .md-search-result__item h2'))"
                ".map(h => h.textContent)",
    "zensical": "() => Array.from(document.querySelectorAll('*')).filter(e => e.shadowRoot)"
                ".flatMap(e => Array.from(e.shadowRoot.querySelectorAll('h1, h2'))).map(h => h.textContent)",
}
SHADOW_INJECTED = ("() => Array.from(document.querySelectorAll('*')).filter(e => e.shadowRoot)"
                   ".reduce((n, e) => n + e.shadowRoot.querySelectorAll('.pwned').length, 0)")


def test_search_works_under_the_policy_and_shows_payloads_as_text(payload_server, payload_context) -> None:
    base, _, engine = payload_server
    titles = SEARCH_TITLES["zensical" if engine == "zensical" else "material"]
    page = payload_context.new_page()
    try:
        page.goto(base + "/")
        if engine == "zensical":
            page.click(".md-search__button")
        else:
            page.keyboard.press("/")
            page.wait_for_function("() => document.activeElement.classList.contains('md-search__input')", timeout=5000)
        page.keyboard.type("carer")
        page.wait_for_function(f"() => ({titles})().length > 0", timeout=15000)
        page.wait_for_timeout(300)  # results may arrive in more than one batch
        found = page.evaluate(titles)
        assert any("window.__pwned=" in t for t in found), found  # a payload in a title, as text
        state = page.evaluate(STATE)
        assert state["pwned"] is None and state["injected"] == 0 and state["csp"] == [], state
        assert page.evaluate(SHADOW_INJECTED) == 0
    finally:
        page.close()
