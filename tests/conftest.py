"""Shared fixtures. Playwright's sync API allows one running instance per thread, so every test
module that drives Chromium borrows this one."""

from __future__ import annotations

from collections.abc import Iterator

import pytest


@pytest.fixture(scope="session")
def playwright_driver() -> Iterator[object]:
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as playwright:
        yield playwright
