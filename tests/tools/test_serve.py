"""`lawguide serve`: the live preview shows problems in the browser and picks up code changes."""

from __future__ import annotations

import contextlib
import importlib.util
import os
import shutil
import signal
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
from tests.sources_server import closed_port as free_port

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


# --- the preview renders again only what an edit affects (lawguide serve runs MkDocs with --dirty) ----

_DIRTY_BUILDS = r"""
import json, os, sys, tempfile, time
from pathlib import Path
from mkdocs.commands.build import build
from mkdocs.config import load_config

root = Path(sys.argv[1])
steps = json.loads(sys.argv[2])  # each: {"file": path under root, "text": new text} or null (no edit)
site = tempfile.mkdtemp(prefix="dirty-")

def config():
    c = load_config(config_file=str(root / "mkdocs.yml"), site_dir=site, strict=False)
    c.site_url = "http://127.0.0.1:8000/"
    return c

def outputs():
    return {str(p.relative_to(site)): p.stat().st_mtime_ns for p in Path(site).rglob("*.html")}

first = config()
first.plugins.on_startup(command="serve", dirty=True)
build(first, serve_url=first.site_url, dirty=True)
report = []
for step in steps:
    time.sleep(0.05)
    if step:
        (root / step["file"]).write_text(step["text"], encoding="utf-8")
    before = outputs()
    build(config(), serve_url="http://127.0.0.1:8000/", dirty=True)
    after = outputs()
    report.append({"rendered": sorted(p for p in after if before.get(p) != after[p]),
                   "pages": {p: (Path(site) / p).read_text(encoding="utf-8") for p in after}})
print(json.dumps(report))
"""

OTHER = """\
---
title: Other
summary: Another page.
reviewed: 2026-11-01
---
# Other

The Law Commission proposed new law [[lawcom-dcsc-report]].
"""


def dirty_builds(root: Path, steps: list[dict | None]) -> list[dict]:
    import json

    result = subprocess.run([sys.executable, "-c", _DIRTY_BUILDS, str(root), json.dumps(steps)], capture_output=True,
                            text=True, cwd=root, env={**os.environ, "NO_MKDOCS_2_WARNING": "1"}, timeout=600)
    assert result.returncode == 0, result.stderr[-3000:]
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_serve_runs_the_engines_dirty_preview_unless_asked_for_clean(tmp_path):
    from lawguide.tools.engine import serve_command

    config = tmp_path / "mkdocs.yml"
    assert "--dirty" in serve_command("mkdocs", config, "127.0.0.1:8000")
    assert "--dirty" not in serve_command("mkdocs", config, "127.0.0.1:8000", dirty=False)
    assert "--dirty" not in serve_command("zensical", config, "127.0.0.1:8000")  # it has no such option


@pytest.mark.slow
def test_preview_renders_again_an_edited_page_and_what_it_feeds_and_nothing_else(tmp_path):
    root = make_site(tmp_path / "project", pages={"index.md": GOOD, "other.md": OTHER})
    edited = OTHER.replace("proposed new law", "proposed a new law, edited")
    no_edit, edit, _ = dirty_builds(root, [None, {"file": "docs/other.md", "text": edited},
                                           {"file": "docs/other.md", "text": OTHER}])
    # Nothing changed: no guide page and no law page is rendered again.
    assert "index.html" not in no_edit["rendered"] and "other/index.html" not in no_edit["rendered"]
    assert not any(p.startswith("law/ca1989") for p in no_edit["rendered"]), no_edit["rendered"]
    # The edited page, the law page whose list of guides it is on, What's changed; not the other page
    # nor law pages it does not cite.
    assert "proposed a new law, edited" in edit["pages"]["other/index.html"]
    assert "other/index.html" in edit["rendered"] and "law/lawcom-dcsc-report/index.html" in edit["rendered"]
    assert "changes/index.html" in edit["rendered"]
    assert "index.html" not in edit["rendered"] and "law/ca1989-s17/index.html" not in edit["rendered"]
    # A page not rendered again keeps its title in the menu of a page that is.
    assert ">Home<" in edit["pages"]["other/index.html"] or "Home\n" in edit["pages"]["other/index.html"]


@pytest.mark.slow
def test_preview_renders_every_page_when_the_register_or_the_problems_change(tmp_path):
    root = make_site(tmp_path / "project", pages={"index.md": GOOD, "other.md": OTHER})
    refs = (root / "law_refs" / "refs.yml").read_text(encoding="utf-8")
    register, problem, fixed = dirty_builds(root, [
        {"file": "law_refs/refs.yml", "text": refs.replace("Support for children in need", "Support for children in need (s.17)")},
        {"file": "docs/index.md", "text": BAD},
        {"file": "docs/index.md", "text": GOOD}])
    pages = {"index.html", "other/index.html", "law/ca1989-s17/index.html", "glossary/index.html"}
    assert pages <= set(register["rendered"])
    # A new problem: every page shows the banner, not only the page edited; fixed, every page loses it.
    assert pages <= set(problem["rendered"])
    assert all(BANNER_ID in problem["pages"][p] for p in pages)
    assert all(BANNER_ID not in fixed["pages"][p] for p in pages)


@pytest.mark.slow
def test_preview_editors_page_lists_dated_claims_of_pages_kept_and_of_the_page_edited(tmp_path):
    dated = GOOD.replace("The council must help", "As of March 2020 the council must help")
    root = make_site(tmp_path / "project", pages={"index.md": dated, "other.md": OTHER})
    past = time.time_ns() - 60_000_000_000  # saved a minute ago: past the page cache's racy window
    for page in (root / "docs").rglob("*.md"):
        os.utime(page, ns=(past, past))
    claim = OTHER.replace("The Law Commission proposed", "As of May 2021 the Law Commission proposed")
    kept, edit, undone = dirty_builds(root, [None, {"file": "docs/other.md", "text": claim},
                                             {"file": "docs/other.md", "text": OTHER}])
    # index.md's claim comes from the last save's scan (its file did not change); other.md's from this one.
    assert all("March 2020" in step["pages"]["editors/index.html"] for step in (kept, edit, undone))
    assert "May 2021" in edit["pages"]["editors/index.html"]
    assert "May 2021" not in undone["pages"]["editors/index.html"]


# --- the preview hears a save from the system's file notifications, not by polling ---------------------------

def _hooks():
    spec = importlib.util.spec_from_file_location("lawguide_hooks_serve_test", HOOK)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _server(tmp_path: Path):
    from mkdocs.livereload import LiveReloadServer

    server = LiveReloadServer(builder=lambda: None, host="127.0.0.1", port=free_port(), root=str(tmp_path))
    (tmp_path / "docs").mkdir()
    server.watch(str(tmp_path / "docs"))
    server.watch(str(tmp_path / "docs"))  # watched twice: unwatch must count down from two
    return server


def test_preview_hears_a_save_through_file_notifications(tmp_path):
    from watchdog.observers.polling import PollingObserver

    server = _hooks().on_serve(_server(tmp_path), config=None, builder=None)
    docs = str(tmp_path / "docs")
    assert not isinstance(server.observer, PollingObserver) and server._watched_paths == {docs: 2}
    server.observer.start()
    try:
        (tmp_path / "docs" / "page.md").write_text("saved\n", encoding="utf-8")
        deadline = time.monotonic() + 5
        while not server._want_rebuild and time.monotonic() < deadline:
            time.sleep(0.02)
        assert server._want_rebuild
    finally:
        server.observer.stop()
        server.observer.join()


def test_preview_keeps_polling_when_file_notifications_fail(tmp_path, monkeypatch):
    import watchdog.observers
    from watchdog.observers.polling import PollingObserver

    class NoWatches:
        def schedule(self, *args, **kwargs):
            raise OSError(28, "inotify watch limit reached")

    monkeypatch.setattr(watchdog.observers, "Observer", NoWatches)
    server = _server(tmp_path)
    refs = dict(server._watch_refs)
    server = _hooks().on_serve(server, config=None, builder=None)
    assert isinstance(server.observer, PollingObserver)
    assert server._watched_paths == {str(tmp_path / "docs"): 2} and server._watch_refs == refs
