"""`lawguide serve`: the live preview shows problems in the browser and picks up code changes."""

from __future__ import annotations

import contextlib
import importlib.util
import os
import shutil
import signal
import socket
import subprocess
import sys
import textwrap
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from lawguide.render.preview import BANNER_ID, add_banner, problems_banner
from lawguide.tools.serve import PACKAGE, code_paths

from tests.fixtures import DEFAULT_PAGES, HOOK, make_site

BAD = textwrap.dedent(DEFAULT_PAGES["index.md"]).replace("under [[ca1989-s17|section 17]]", "under [[ca1989-s71]]")
GOOD = textwrap.dedent(DEFAULT_PAGES["index.md"])
PROBLEM = "docs/index.md:12: unknown law reference 'ca1989-s71'"
PROBLEM_TEXT = "docs/index.md:12: unknown law reference 'ca1989-s71' (did you mean 'ca1989-s17'?)"


def test_banner_lists_every_problem_escaped():
    banner = problems_banner(["docs/a.md:3: unknown law reference '<b>'", "law_refs/x.yml:1: bad"])
    assert "2 problems in the guide's sources" in banner and "&lt;b&gt;" in banner and "<b>" not in banner
    assert problems_banner([]) == ""


def test_banner_goes_first_in_the_body_once():
    banner = problems_banner(["docs/a.md:3: x"])
    html = add_banner('<html><body class="x"><p>page</p></body></html>', banner)
    assert html.index(BANNER_ID) < html.index("<p>page</p>") and html.count(BANNER_ID) == 1
    assert add_banner(html, banner) == html
    assert add_banner("<p>no body</p>", banner).startswith(f'<div id="{BANNER_ID}"')


def test_code_paths_are_the_package_and_the_configs_hooks(tmp_path):
    hooks = tmp_path / "myhooks"
    hooks.mkdir()
    (hooks / "h.py").write_text("", encoding="utf-8")
    config = tmp_path / "mkdocs.yml"
    config.write_text("site_name: x\nhooks:\n  - myhooks/h.py\n  - missing/gone.py\n", encoding="utf-8")
    assert code_paths(config) == sorted([PACKAGE, hooks])


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def fetch(url: str) -> str:
    """One request; a preview that hangs fails here instead of stalling the test."""
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.read().decode("utf-8")
    except urllib.error.HTTPError as exc:
        return f"HTTP {exc.code}"
    except (urllib.error.URLError, ConnectionError):
        return ""


def wait_for(url: str, found: Callable[[str], bool], seconds: float = 90) -> str:
    deadline = time.monotonic() + seconds
    html = ""
    while time.monotonic() < deadline:
        html = fetch(url)
        if found(html):
            return html
        time.sleep(0.5)
    raise AssertionError(f"{url} did not show what was expected within {seconds} s; last response:\n{html[-3000:]}")


@contextlib.contextmanager
def serving(root: Path, port: int, log: Path, *options: str) -> Iterator[subprocess.Popen]:
    with open(log, "w") as out:
        process = subprocess.Popen([sys.executable, "-m", "lawguide.cli", "--config", str(root / "mkdocs.yml"),
                                    "serve", "-a", f"127.0.0.1:{port}", *options], cwd=root, stdout=out,
                                   stderr=subprocess.STDOUT, start_new_session=True)
        try:
            yield process
        finally:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGINT)
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()


@pytest.mark.slow
def test_serve_shows_source_problems_in_the_browser_and_restarts_on_code_changes(tmp_path):
    hooks = tmp_path / "hooks"
    hooks.mkdir()
    shutil.copy(HOOK, hooks / "lawguide_hooks.py")  # a copy this test may edit
    root = make_site(tmp_path / "project", extra_config={"hooks": [str(hooks / "lawguide_hooks.py")], "strict": True})
    port = free_port()
    url = f"http://127.0.0.1:{port}/"
    log = tmp_path / "serve.log"
    with serving(root, port, log):
        first = wait_for(url, lambda html: "Asking for help" in html)
        assert BANNER_ID not in first

        # A bad citation: the preview keeps serving and says what is wrong, where.
        (root / "docs" / "index.md").write_text(BAD, encoding="utf-8")
        html = wait_for(url, lambda html: PROBLEM in html)
        assert "1 problem in the guide's sources" in html and BANNER_ID in html
        assert BANNER_ID in fetch(url + "glossary/")  # every page says so, and none hangs

        # Fixed: the banner goes.
        (root / "docs" / "index.md").write_text(GOOD, encoding="utf-8")
        wait_for(url, lambda html: "Asking for help" in html and BANNER_ID not in html)

        # A change to the code restarts the preview, which then runs the new code.
        with open(hooks / "lawguide_hooks.py", "a", encoding="utf-8") as handle:
            handle.write("\n\n_before = on_post_page\n\n\ndef on_post_page(output, page, config, **kwargs):\n"
                         "    return _before(output, page=page, config=config).replace('</body>', '<!-- new code --></body>')\n")
        wait_for(url, lambda html: "<!-- new code -->" in html)
    text = log.read_text(encoding="utf-8")
    assert "lawguide_hooks.py changed; restarting the preview" in text
    assert PROBLEM_TEXT in text  # the terminal says it too
    assert "Traceback" not in text


@pytest.mark.slow
@pytest.mark.skipif(importlib.util.find_spec("zensical") is None, reason="zensical is not installed")
def test_zensical_preview_shows_source_problems_and_regenerates_on_source_changes(tmp_path):
    root = make_site(tmp_path / "project", pages={"index.md": BAD})
    port = free_port()
    url = f"http://127.0.0.1:{port}/"
    log = tmp_path / "serve.log"
    with serving(root, port, log, "--engine", "zensical"):
        html = wait_for(url, lambda html: PROBLEM in html)
        assert "1 problem in the guide's sources" in html
        (root / "docs" / "index.md").write_text(GOOD, encoding="utf-8")
        fixed = wait_for(url, lambda html: 'class="lg-cite" href="law/ca1989-s17/">section 17</a>' in html)
        assert BANNER_ID not in fixed
    assert "index.md changed; restarting the preview" in log.read_text(encoding="utf-8")


def test_strict_build_outside_serve_still_fails_on_the_same_problem(tmp_path):
    from tests.fixtures import build

    result = build(make_site(tmp_path, pages={"index.md": BAD}))
    assert result.returncode != 0 and PROBLEM_TEXT in result.stderr
    assert not (tmp_path / "site").exists()
