"""Shared fixtures. Playwright's sync API allows one running instance per thread, so every test
module that drives Chromium borrows this one."""

from __future__ import annotations

import functools
import http.server
import os
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent

TIMINGS: dict[str, float | int | str] = {}  # figures the browser tests print at the end of the run
WORKER_TIMINGS: dict[str, dict[str, float | int | str]] = {}  # under pytest-xdist: each worker's TIMINGS


@pytest.hookimpl(trylast=True)
def pytest_sessionfinish(session: pytest.Session) -> None:
    """In a pytest-xdist worker, hand this worker's figures to the controller, which prints them: a worker's
    own terminal summary is never shown. Last, so the session fixtures (the browser's total) are torn down."""
    output = getattr(session.config, "workeroutput", None)
    if output is not None and TIMINGS:
        output["lawguide_timings"] = dict(TIMINGS)


@pytest.hookimpl(optionalhook=True)
def pytest_testnodedown(node, error) -> None:
    """pytest-xdist's controller: a worker finished; keep the figures it sent (none if it ran no browser test)."""
    timings = getattr(node, "workeroutput", {}).get("lawguide_timings")
    if timings:
        WORKER_TIMINGS[node.gateway.id] = timings


def pytest_terminal_summary(terminalreporter, exitstatus: int, config: pytest.Config) -> None:
    # Serial: this process's figures. Under pytest-xdist: one line a worker, each with its own build and browser.
    for worker, timings in ([("", TIMINGS)] if TIMINGS else sorted(WORKER_TIMINGS.items())):
        label = f"lawguide browser timings ({worker})" if worker else "lawguide browser timings"
        terminalreporter.write_line(label + ": " + ", ".join(
            f"{name} {value:.1f}" if isinstance(value, float) else f"{name} {value}" for name, value in timings.items()))


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


# ---------------------------------------------------------------- the real guide, built once a session

SERVED: list[str] = []  # every path the real guide's loopback server was asked for, in order


class _LoggingHandler(http.server.SimpleHTTPRequestHandler):
    def end_headers(self) -> None:
        # The header linkchecker looks for to lift its per-host delay (tests/linkcheck_server.py).
        self.send_header("LinkChecker", "lawguide-tests")
        super().end_headers()

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - signature is the stdlib's
        pass

    def log_request(self, code: int | str = "-", size: int | str = "-") -> None:
        SERVED.append(self.path)

    def list_directory(self, path: str | os.PathLike[str]) -> None:
        # A folder without index.html is a missing page, as on a web host: never a 200 listing that
        # linkchecker would count as a page.
        self.send_error(404, "File not found")
        return None


@dataclass(frozen=True)
class RealGuide:
    root: Path  # the built site folder: read it, never change it (copy it first)
    base: str  # http://127.0.0.1:PORT (no trailing slash), also the build's site_url
    build_seconds: float


@pytest.fixture(scope="session")
def served_real_guide(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RealGuide]:
    """The real guide built strictly once a session into a temporary folder and served on 127.0.0.1:
    the browser tests (tests/browser/conftest.py `site`) and linkchecker (tests/links/test_linkcheck.py)
    read the same build. Tests only read it."""
    from lawguide.tools.engine import build as engine_build

    out = tmp_path_factory.mktemp("site")
    # Bind first, so the build can use the server's own address as site_url: canonical links and
    # the sitemap then point at the page under test, and 404.html's absolute links resolve locally.
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_LoggingHandler, directory=str(out)))
    server.daemon_threads = True
    base = f"http://127.0.0.1:{server.server_port}"
    started = time.perf_counter()
    result = engine_build(REPO / "mkdocs.yml", out, env={**os.environ, "LAWGUIDE_SITE_URL": base + "/"})
    seconds = time.perf_counter() - started
    if result.returncode != 0:
        server.server_close()
        tail = "\n".join((result.stdout + result.stderr).splitlines()[-40:])
        pytest.fail(f"mkdocs build --strict of the real site failed (exit {result.returncode}):\n{tail}", pytrace=False)
    thread = threading.Thread(target=server.serve_forever, name="lawguide-test-server", daemon=True)
    thread.start()
    try:
        yield RealGuide(root=out, base=base, build_seconds=seconds)
    finally:
        server.shutdown()
        server.server_close()
