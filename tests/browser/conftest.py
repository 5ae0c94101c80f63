"""Real-browser checks of the built site: build once, serve on 127.0.0.1, drive Debian's Chromium.

One browser and one browser context serve the whole session. Pages are built strictly from the real
project into a temporary folder; nothing is downloaded (never `playwright install`).
"""

from __future__ import annotations

import http.server
import os
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

# SERVED: every path the site's server (and _QuietHandler's) was asked for, in order; TIMINGS: figures printed
# at the end of the run (tests/conftest.py prints them, serially or from each pytest-xdist worker).
from tests.conftest import SERVED, TIMINGS

REPO = Path(__file__).resolve().parents[2]
CHROMIUM = Path("/usr/bin/chromium")
LAUNCH_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
    "--disable-sync", "--no-first-run", "--disable-quic",
    # Belt and braces: any host other than the local server fails at once instead of leaving the machine.
    # The tests still see such a request (page.on("request") fires before the lookup) and report it.
    "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1",
]
DESKTOP = {"width": 1280, "height": 800}


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Skip browser tests on a machine without Chromium, but never in CI: there they must run."""
    if CHROMIUM.exists() or os.environ.get("CI"):
        return
    skip = pytest.mark.skip(reason=f"{CHROMIUM} not found (apt-get install chromium); "
                                   "with CI set these tests run and fail instead")
    for item in items:
        if item.get_closest_marker("browser"):
            item.add_marker(skip)


# ---------------------------------------------------------------- the site


@dataclass
class ServedSite:
    root: Path  # the built site folder
    base: str  # http://127.0.0.1:PORT (no trailing slash)

    def url(self, path: str) -> str:
        return self.base + path

    def is_local(self, url: str) -> bool:
        return url == self.base or url.startswith(self.base + "/") or url.startswith(("data:", "blob:"))


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - signature is the stdlib's
        pass

    def log_request(self, code: int | str = "-", size: int | str = "-") -> None:
        SERVED.append(self.path)


def url_for_source(src: str) -> str:
    """docs-relative Markdown path -> the URL path MkDocs gives it (use_directory_urls)."""
    from lawguide.content.urls import page_url

    return page_url(src)


def expected_page_urls() -> list[str]:
    """Every page the build should produce, known before building (for test ids): the Markdown in
    docs/, the pages the engine generates (law pages, law index, glossary) and the 404 page.
    test_every_built_page_is_checked compares this list with the built site."""
    from lawguide.content.site import load_site
    from lawguide.core.settings import Settings
    from lawguide.render.generate import generated_pages

    settings = Settings.from_mkdocs_yml(REPO / "mkdocs.yml")
    sources = {p.relative_to(settings.docs_dir).as_posix() for p in settings.docs_dir.rglob("*.md")}
    sources |= set(generated_pages(load_site(settings)))
    return sorted({url_for_source(s) for s in sources}) + ["/404.html"]


def guide_page_urls() -> list[str]:
    """The guide's own pages (docs/**/*.md), not the generated law pages, law index or glossary."""
    docs = REPO / "docs"
    return sorted(url_for_source(p.relative_to(docs).as_posix()) for p in docs.rglob("*.md"))


def built_page_urls(root: Path) -> list[str]:
    """Every HTML page in a built site folder, as URL paths."""
    urls = []
    for path in root.rglob("*.html"):
        rel = path.relative_to(root).as_posix()
        urls.append("/" + rel[: -len("index.html")] if rel.endswith("index.html") else "/" + rel)
    return sorted(urls)


@pytest.fixture(scope="session")
def site(served_real_guide) -> ServedSite:
    """The real site, built strictly once a session and served on 127.0.0.1 (tests/conftest.py
    `served_real_guide`, which the link check reads too)."""
    TIMINGS["site build (s)"] = served_real_guide.build_seconds
    return ServedSite(root=served_real_guide.root, base=served_real_guide.base)


# ---------------------------------------------------------------- the browser


@pytest.fixture(scope="session")
def browser(playwright_driver) -> Iterator[object]:
    if not CHROMIUM.exists():
        pytest.fail(f"{CHROMIUM} is missing and CI is set: browser tests must run in CI "
                    "(apt-get install chromium; never `playwright install`)", pytrace=False)
    started = time.perf_counter()
    browser = playwright_driver.chromium.launch(executable_path=str(CHROMIUM), args=LAUNCH_ARGS)
    yield browser
    browser.close()
    TIMINGS["browser tests in all (s)"] = time.perf_counter() - started


@dataclass
class RequestLog:
    """Every request any page of the shared context makes, in order."""

    urls: list[str] = field(default_factory=list)

    def mark(self) -> int:
        return len(self.urls)

    def since(self, mark: int) -> list[str]:
        return self.urls[mark:]


@pytest.fixture(scope="session")
def request_log() -> RequestLog:
    return RequestLog()


@pytest.fixture(scope="session")
def context(browser, site: ServedSite, request_log: RequestLog) -> Iterator[object]:
    """The one browser context all browser tests share."""
    ctx = browser.new_context(viewport=DESKTOP, accept_downloads=True, reduced_motion="reduce")
    ctx.grant_permissions(["clipboard-read", "clipboard-write"], origin=site.base)
    ctx.on("request", lambda req: request_log.urls.append(req.url))
    yield ctx
    ctx.close()


@pytest.fixture()
def page(context) -> Iterator[object]:
    """A fresh tab in the shared context, closed after the test (for tests that change page state)."""
    tab = context.new_page()
    tab.set_default_timeout(10_000)
    yield tab
    tab.close()
