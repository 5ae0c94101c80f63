"""Shared fixtures. Playwright's sync API allows one running instance per thread, so every test
module that drives Chromium borrows this one."""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest


@pytest.fixture(scope="session")
def playwright_driver() -> Iterator[object]:
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as playwright:
        yield playwright


@pytest.fixture(scope="session")
def payload_builds(tmp_path_factory: pytest.TempPathFactory):
    """payload_builds(engine) -> the built site folder of the payload guide (tests/e2e/payloads.py) built by
    that engine (None: the default engine, LAWGUIDE_ENGINE or MkDocs), strictly, once a session: the
    built-HTML tests (tests/e2e/test_text_is_data.py) and the Chromium tests (tests/browser/test_payloads.py)
    read the same build instead of building the same inputs again. Tests only read it."""
    from tests.e2e.payloads import make_payload_site
    from tests.fixtures import build

    built: dict[str, object] = {}

    def get(engine: str | None = None):
        # The payload guide names no engine, so the default is LAWGUIDE_ENGINE's or MkDocs (tools/engine.py).
        engine = engine or os.environ.get("LAWGUIDE_ENGINE") or "mkdocs"
        if engine not in built:
            root = make_payload_site(tmp_path_factory.mktemp(f"payloads-{engine}"))
            result = build(root, engine=engine)
            assert result.returncode == 0, result.stderr
            built[engine] = root / "site"
        return built[engine]

    return get
