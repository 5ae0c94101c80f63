"""`lawguide bench`: how build time and page weight grow with the size of the guide.

By default it measures the guide that exists: the real guide's pages copied whole, folder by folder
(tools/realcopy.py), to about each size asked for; every copy must build strictly, or the benchmark
stops with its problems (a broken copy measures error reporting, not building). `--synthetic` uses
generated pages instead (lawguide.synthetic), which still shows how the hooks scale with page count
on pages that carry a table and many more citations than the real ones.

Each size is built three ways, strictly, with MkDocs as a subprocess, side by side:
- hooks on: the lawguide hooks, as the real guide builds;
- hooks off: the same pages with citations left as plain text, no hooks, no generated pages;
- stock Material on the hooks' Markdown: no hooks, but every page exactly as the hooks hand it to
  Markdown (what transform_page produces, placeholders and all; its tail, the closing headings, on
  every page, where the adapter converts each distinct tail once a build) and every generated page
  and file written out as source. Hooks on minus this is lawguide's own work in the build (loading, checking,
  finishing the HTML) and the engine handling the HTML that work adds.
Each figure is the median of --repeat clean builds. Both wall time and CPU time (user + system of
the build process) are shown; the targets are judged on CPU time, which is what the build costs and
is barely moved by other work on a shared machine.

Targets (issues 9 and 31):
- at 1,000 pages the build with the hooks takes at most 1.2x the CPU of the same pages without, and
  lawguide's own code at most 0.1 s CPU per 100 pages;
- 2,000 pages take at most 2.1x as long as 1,000 (scaled by the ratio of the page counts built);
- `lawguide impact` and `lawguide review` on 1,000 pages take at most 0.3 s each as commands (CPU time
  of the whole command, Python start-up included; on an idle machine its wall time is about the same);
- a first page load (HTML + CSS + JavaScript) is at most 100 KB gzip, and at most 150 KB with what
  search fetches.
"""

from __future__ import annotations

import argparse
import compileall
import contextlib
import gc
import gzip
import os
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Collection
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from typing import TextIO

import yaml

from lawguide.content.urls import page_url
from lawguide.core.settings import Settings, _TolerantLoader, find_config
from lawguide.render.search import ON_DEMAND_SCRIPT
from lawguide.tools.engine import EngineError, build_command, check_installed, engine_for, quiet_env
from lawguide.tools.realcopy import CopyError, make_real_copy
from lawguide.tools.synthetic import make_synthetic_site

DEFAULT_SIZES = (1000, 2000)
REFERENCE_SIZE = 1000
HOOKS_RATIO_TARGET = 1.2  # hooks on / hooks off, CPU, at the reference size (issue 31; issue 9 asked 1.3)
OWN_PER_100_TARGET = 0.1  # lawguide's own code, CPU seconds per 100 pages
GROWTH_TARGET_PER_DOUBLING = 2.1
COMMAND_TARGET = 0.3  # seconds, as a command (median of COMMAND_RUNS)
FIRST_LOAD_TARGET_KB = 100.0
FIRST_VISIT_TARGET_KB = 150.0  # first visit including what search fetches (issue 31)


# --- measuring ---------------------------------------------------------------------------------

@dataclass(frozen=True)
class Timing:
    wall: float
    cpu: float


def timed_run(args: list[str], cwd: Path | None = None) -> tuple[Timing, subprocess.CompletedProcess]:
    """Run a command; its wall time and the CPU time of it and its children."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    result = subprocess.run(args, capture_output=True, text=True, cwd=cwd, env=quiet_env())
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return Timing(wall, cpu), result


def median(timings: list[Timing]) -> Timing:
    return Timing(statistics.median(t.wall for t in timings), statistics.median(t.cpu for t in timings))


class BenchError(Exception):
    pass


def build(root: Path, site_dir: Path, engine: str | None = None, config: Path | None = None) -> Timing:
    """One clean, strict build of root into site_dir, with the project's engine (tools/engine.py)."""
    shutil.rmtree(site_dir, ignore_errors=True)
    config = config or root / "mkdocs.yml"
    args = build_command(engine_for(config, engine), config, site_dir)
    timing, result = timed_run(args, cwd=root)
    if result.returncode != 0:
        tail = "\n".join((result.stderr + result.stdout).splitlines()[-15:])
        raise BenchError(f"strict build of {root} failed (the copy to benchmark must build strictly):\n{tail}")
    return timing


def bench_engines(config: Path, engines: list[str], repeat: int, work: Path,
                  log: Callable[[str], None]) -> dict[str, Timing]:
    """The real guide built by each engine in turn, interleaved, median of `repeat` clean builds."""
    for engine in engines:
        check_installed(engine)
    runs: dict[str, list[Timing]] = {engine: [] for engine in engines}
    for i in range(repeat):
        for engine in engines:
            log(f"{config.parent.name}: build {i + 1}/{repeat} with {engine}")
            runs[engine].append(build(config.parent, work / f"site-{engine}", engine, config))
    return {engine: median(timings) for engine, timings in runs.items()}


def format_engines(config: Path, timings: dict[str, Timing], repeat: int) -> str:
    first = next(iter(timings.values()))
    lines = [f"{config}: strict clean builds, median of {repeat} run(s) each, {os.cpu_count()} CPU core(s)", "",
             f"{'engine':<12}  {'wall (s)':>8}  {'CPU (s)':>8}  {'CPU vs ' + next(iter(timings)):>14}"]
    for engine, t in timings.items():
        lines.append(f"{engine:<12}  {t.wall:>8.1f}  {t.cpu:>8.1f}  {t.cpu / first.cpu:>13.2f}x")
    return "\n".join(lines) + "\n"


@dataclass
class SizeResult:
    pages: int
    hooks: Timing
    plain: Timing
    stock: Timing | None = None  # stock Material on the hooks' Markdown
    # Hooks on / hooks off of each side-by-side pair of builds: how far the machine drifted.
    pair_ratios: list[float] = field(default_factory=list)

    @property
    def ratio(self) -> float:
        """Hooks on / hooks off, CPU."""
        return self.hooks.cpu / self.plain.cpu

    @property
    def stock_ratio(self) -> float | None:
        return self.stock.cpu / self.plain.cpu if self.stock else None


@dataclass
class CommandResult:
    command: str  # e.g. "impact sca-sec1"
    available: bool
    in_process: float = 0.0
    subprocess: float = 0.0  # wall seconds, median
    exit_status: int = 0
    subprocess_cpu: float = 0.0  # CPU seconds (user + system), median: what the target is judged on


@dataclass
class PageWeight:
    page: str  # URL of the typical page
    html: int  # gzip -9 bytes
    css: int
    js: int
    project_assets: int  # the real project's own extra_css/extra_javascript, gzip
    project_config: str  # where those came from, or ''
    search_worker: int  # fetched by Material's search right after load, or on the first search
    search_index_raw: int
    search_index_gzip: int
    search_on_demand: bool = False  # the page loads render.search.ON_DEMAND_SCRIPT: search waits to be used

    @property
    def first_load(self) -> int:
        return self.html + self.css + self.js + self.project_assets


@dataclass
class BrokenLinks:
    links: int  # broken links added
    reported: int  # problems `lawguide check` reported
    clean: float  # CPU seconds of `lawguide check` on the copy, median
    broken: float  # the same with the broken links

    @property
    def extra(self) -> float:
        return self.broken - self.clean


@dataclass
class Report:
    sizes: list[int]
    repeat: int
    builds: dict[int, SizeResult] = field(default_factory=dict)
    reference: int = 0
    own_cpu: float = 0.0  # lawguide's own code in the reference hooks build, CPU seconds (page cache warm)
    own_cpu_cold: float = 0.0  # the same with no page cache (a first build, or CI)
    commands: list[CommandResult] = field(default_factory=list)
    weight: PageWeight | None = None
    synthetic: bool = False  # synthetic pages instead of the real guide scaled up
    broken: BrokenLinks | None = None  # `lawguide check` with and without many broken links
    # Lines and verdicts (PASS/MISS/SKIP, what, figure) from EXTRA_MEASURES, printed before the targets.
    extra_lines: list[str] = field(default_factory=list)
    extra_targets: list[tuple[str, str, str]] = field(default_factory=list)


# Further measurements of the reference copy, run after the built-in ones: each is called as
# measure(ref_root, site_dir, report, log) and adds to report.extra_lines / report.extra_targets.
# The hook for other tools (e.g. a search benchmark in tools/searchbench.py appends itself here).
EXTRA_MEASURES: list[Callable[[Path, Path, Report, Callable[[str], None]], None]] = []


def make_sites(n: int, work: Path, project_config: Path | None, synthetic: bool) -> tuple[Path, Path, int]:
    """The hooks-on and hooks-off copies of one size, and how many guide pages they hold."""
    if synthetic:
        return (make_synthetic_site(work / f"hooks-{n}", n, hooks=True),
                make_synthetic_site(work / f"plain-{n}", n, hooks=False), n)
    if project_config is None:
        raise BenchError("no mkdocs.yml or properdocs.yml found to scale up; pass --config, or --synthetic")
    try:
        on = make_real_copy(project_config, work / f"hooks-{n}", n, hooks=True)
        off = make_real_copy(project_config, work / f"plain-{n}", n, hooks=False)
    except CopyError as exc:
        raise BenchError(str(exc)) from None
    return on.root, off.root, on.pages


def compile_own_code() -> None:
    """Byte-compile lawguide's own modules before timing anything. Python reads a stale .pyc only to
    compile the module again, in every process, and never writes the new one where
    PYTHONDONTWRITEBYTECODE is set (this machine sets it): the hooks build, own_work and the commands
    then paid about 0.04 s and more each for compiling, which a user's install never pays, while the
    hooks-off build (no lawguide import) paid nothing. py_compile writes whatever that variable says."""
    package = Path(__file__).resolve().parents[1]  # hooks/lawguide
    compileall.compile_dir(package, quiet=1)
    adapter = package.parent / "lawguide_hooks.py"
    if adapter.is_file():
        compileall.compile_file(adapter, quiet=1)


def run_bench(sizes: list[int], repeat: int, work: Path, project_config: Path | None,
              log: Callable[[str], None], synthetic: bool = False) -> Report:
    compile_own_code()
    report = Report(sorted(set(sizes)), repeat, synthetic=synthetic)
    report.reference = REFERENCE_SIZE if REFERENCE_SIZE in report.sizes else max(report.sizes)
    for n in report.sizes:
        hooks_root, plain_root, pages = make_sites(n, work, project_config, synthetic)
        stock_root = write_hooks_markdown(hooks_root, work / f"stock-{n}")  # also checks the copy: fails loudly
        runs: dict[str, list[Timing]] = {"hooks": [], "plain": [], "stock": []}
        for i in range(repeat):  # interleaved, so drift in machine load hits all three alike
            for kind, root, what in (("hooks", hooks_root, "with hooks"), ("plain", plain_root, "without hooks"),
                                     ("stock", stock_root, "stock Material on the hooks' Markdown")):
                runs[kind].append(build(root, work / f"site-{kind}-{n}"))
                log(f"{pages} pages: build {i + 1}/{repeat} {what}: {runs[kind][-1].cpu:.2f} s CPU")
        report.builds[n] = SizeResult(pages, median(runs["hooks"]), median(runs["plain"]), median(runs["stock"]),
                                      [h.cpu / p.cpu for h, p in zip(runs["hooks"], runs["plain"], strict=True)])
        for kind in ("plain", "stock"):
            shutil.rmtree(work / f"site-{kind}-{n}", ignore_errors=True)
        if n != report.reference:
            shutil.rmtree(work / f"site-hooks-{n}", ignore_errors=True)
        r = report.builds[n]
        log(f"{pages} pages: {r.hooks.cpu:.1f} s CPU with hooks, {r.plain.cpu:.1f} s without, "
            f"{r.stock.cpu:.1f} s stock Material on the hooks' Markdown")
    ref_root = work / f"hooks-{report.reference}"
    report.own_cpu_cold = statistics.median(own_work_fresh(ref_root, cached=False) for _ in range(repeat))
    report.own_cpu = statistics.median(own_work_fresh(ref_root) for _ in range(repeat))  # warm: the builds filled it
    log(f"timing lawguide commands on {report.builds[report.reference].pages} pages")
    report.commands = time_commands(ref_root, repeat)
    log(f"timing lawguide check with {BROKEN_LINKS} broken links")
    report.broken = time_broken_links(ref_root, work / "broken", repeat)
    report.weight = page_weight(ref_root, work / f"site-hooks-{report.reference}", project_config)
    for measure in EXTRA_MEASURES:
        measure(ref_root, work / f"site-hooks-{report.reference}", report, log)
    return report


_FRONT_MATTER = re.compile(r"\A---\n.*?\n---\n", re.S)


def write_hooks_markdown(hooks_root: Path, dest: Path) -> Path:
    """A hooks-free copy of a project for stock Material: every guide page as the Markdown the hooks
    hand to the engine (front matter kept), every generated page and file written out as source,
    and the same mkdocs.yml without the hooks. Generated pages stay out of a menu built from the
    files (not_in_nav), as they do when the hooks add them, so both builds render the same menu."""
    from lawguide.guide import load_guide
    from lawguide.render.generate import generated_files, generated_pages
    from lawguide.render.page import transform_page

    site = load_guide(Settings.from_mkdocs_yml(hooks_root / "mkdocs.yml"))
    if site.problems:
        raise BenchError(f"{hooks_root}: {len(site.problems)} problem(s) in the copy to benchmark:\n"
                         + "\n".join(p.format() for p in site.problems[:20]))
    shutil.rmtree(dest, ignore_errors=True)
    shutil.copytree(site.settings.docs_dir, dest / "docs")
    if (hooks_root / "theme").is_dir():  # the real guide's theme overrides (custom_dir)
        shutil.copytree(hooks_root / "theme", dest / "theme")
    for page in site.pages.values():
        text = (site.settings.docs_dir / page.path).read_text(encoding="utf-8")
        front = _FRONT_MATTER.match(text)
        body = text[front.end():] if front else text
        (dest / "docs" / page.path).write_text((front.group(0) if front else "") + transform_page(site, page, body),
                                               encoding="utf-8")
    pages = generated_pages(site)
    for path, content in {**pages, **generated_files(site)}.items():
        target = dest / "docs" / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(content, encoding="utf-8")
    config = yaml.safe_load((hooks_root / "mkdocs.yml").read_text(encoding="utf-8")) or {}
    config.pop("hooks", None)
    # Pages the hooks generate are not in a menu MkDocs builds itself from the files: same here.
    config["not_in_nav"] = (config.get("not_in_nav") or "") + "".join(f"/{path}\n" for path in sorted(pages))
    (dest / "mkdocs.yml").write_text(yaml.safe_dump(config, sort_keys=False), encoding="utf-8")
    return dest


def own_work_fresh(root: Path, cached: bool = True) -> float:
    """own_work in a new Python process, as in a build: nothing in memory from an earlier run (the
    page cache on disk is used when cached, as the adapter uses it)."""
    code = ("import sys; from pathlib import Path; from lawguide.tools.bench import own_work; "
            "print(own_work(Path(sys.argv[1]), cached=sys.argv[2] == '1'))")
    result = subprocess.run([sys.executable, "-c", code, str(root), "1" if cached else "0"], capture_output=True,
                            text=True, env=quiet_env())
    if result.returncode != 0:
        raise BenchError(f"timing lawguide's own work failed:\n{result.stderr[-2000:]}")
    return float(result.stdout.strip().splitlines()[-1])


def own_work(root: Path, cached: bool = True) -> float:
    """CPU seconds lawguide's own code spends in a build of root, doing what the MkDocs adapter
    asks of it: load and check the sources (through the page cache, as the adapter does, unless
    cached is False), generate the extra pages and files, transform every page and finish its HTML.
    Markdown conversion is done here too but not counted: the rest of the hooks build is MkDocs and
    Material processing what this produces."""
    import markdown

    from lawguide.content.cache import PageCache
    from lawguide.guide import load_guide
    from lawguide.lawchange.impact import keep_dated_claims
    from lawguide.render.generate import finish_generated_html, generated_files, generated_pages
    from lawguide.render.page import (
        finish_html_and_search_view,
        insert_tail,
        page_tail,
        tail_apart_safe,
        transform_page,
    )

    extensions = ["admonition", "attr_list", "md_in_html", "tables", "toc"]
    tails: dict[str, str] = {}  # converted once a build, as the adapter does (uncounted, like all conversion)
    start = time.process_time()
    settings = Settings.from_mkdocs_yml(root / "mkdocs.yml")
    if cached:
        cache = PageCache(settings)
        site = load_guide(settings, cache.load_page)
        cache.save()
        keep_dated_claims(site)  # as the adapter does in a build
    else:
        site = load_guide(settings)
    gc.freeze()  # as the adapter does once the guide is loaded (undone at the end, as in on_post_build)
    pages = generated_pages(site)
    generated_files(site)
    spent = time.process_time() - start
    for path, text in pages.items():
        html = markdown.markdown(_FRONT_MATTER.sub("", text, count=1), extensions=extensions)
        start = time.process_time()
        finish_generated_html(site, path, html)
        spent += time.process_time() - start
    for page in site.pages.values():
        text = (site.settings.docs_dir / page.path).read_text(encoding="utf-8")
        start = time.process_time()
        body = _FRONT_MATTER.sub("", text, count=1)  # MkDocs strips it before the hook
        apart = tail_apart_safe(extensions, "[TOC]", body)
        md = transform_page(site, page, body, tail_apart=apart)
        tail = page_tail(site, page) if apart else ""
        spent += time.process_time() - start
        html = markdown.markdown(md, extensions=extensions)
        if tail and tail not in tails:
            tails[tail] = markdown.markdown(tail, extensions=extensions)
        start = time.process_time()
        html = insert_tail(site, page, html, tails[tail])[0] if tail else html
        finish_html_and_search_view(site, page, html)  # the page and what search reads, as the adapter asks
        spent += time.process_time() - start
    gc.unfreeze()
    return spent


# --- lawguide commands ---------------------------------------------------------------------------

def time_commands(root: Path, repeat: int) -> list[CommandResult]:
    from lawguide.content.site import load_site

    site = load_site(Settings.from_mkdocs_yml(root / "mkdocs.yml"))
    most_cited = max(site.citations_by_ref, key=lambda ref_id: len(site.citations_by_ref[ref_id]))
    return [time_command(root, ["impact", most_cited], repeat), time_command(root, ["review"], repeat)]


BROKEN_LINKS = 1000
BROKEN_EXTRA_TARGET = 1.0  # seconds more than a clean check


def time_broken_links(root: Path, dest: Path, repeat: int) -> BrokenLinks:
    """`lawguide check` on a copy of root, clean and with BROKEN_LINKS broken links, as a folder moved
    or renamed by hand leaves them: half to pages that moved (same file name, folder misspelt), half to
    sections and pages that do not exist. Every one must be reported; the extra time is the cost."""
    shutil.rmtree(dest, ignore_errors=True)
    shutil.copytree(root, dest, ignore=shutil.ignore_patterns("site", ".cache"))
    check = [sys.executable, "-m", "lawguide.cli", "--config", str(dest / "mkdocs.yml"), "check"]
    runs = max(repeat, 3)
    clean = statistics.median(timed_run(check, cwd=dest)[0].cpu for _ in range(runs))
    docs = dest / "docs"
    pages = sorted(docs.rglob("*.md"))
    for n in range(BROKEN_LINKS):
        page = pages[n % len(pages)]
        up = "../" * (len(page.relative_to(docs).parts) - 1)
        link = f"[moved]({up}folder-{n % 7}x/{pages[(n * 7) % len(pages)].name})" if n % 2 else f"[gone]({up}page-{n}.md#part-{n})"
        with page.open("a", encoding="utf-8") as out:
            out.write(f"\n\nSee {link}.\n")
    samples = [timed_run(check, cwd=dest) for _ in range(runs)]
    reported = (samples[-1][1].stdout + samples[-1][1].stderr).count("is not a page or file in docs/")
    return BrokenLinks(BROKEN_LINKS, reported, clean, statistics.median(t.cpu for t, _ in samples))


COMMAND_RUNS = 5  # the commands' targets are medians of five runs, whatever --repeat says


def time_command(root: Path, argv: list[str], repeat: int) -> CommandResult:
    """In-process: load the sources through the page cache and compute the answer, as the command
    does (nothing printed); subprocess: the real command, including Python start-up and imports.
    The command line itself is never imported here: it is measured from the outside."""
    result = CommandResult(" ".join(argv), available=argv[0] in _ANSWERS)
    if not result.available:
        return result
    config = root / "mkdocs.yml"
    runs = max(repeat, COMMAND_RUNS)
    _ANSWERS[argv[0]](config, argv[1:])  # warm-up: fills the OS page cache and the page cache
    in_process = []
    for _ in range(runs):
        start = time.perf_counter()
        _ANSWERS[argv[0]](config, argv[1:])
        in_process.append(time.perf_counter() - start)
    result.in_process = statistics.median(in_process)
    full = [sys.executable, "-m", "lawguide.cli", "--config", str(config), *argv]
    samples = [timed_run(full, cwd=root) for _ in range(runs)]
    result.subprocess = statistics.median(timing.wall for timing, _ in samples)
    result.subprocess_cpu = statistics.median(timing.cpu for timing, _ in samples)
    result.exit_status = samples[-1][1].returncode
    return result


def _answer_impact(config: Path, ids: list[str]) -> object:
    from lawguide.content.cache import load_site_cached
    from lawguide.lawchange.impact import impact_text

    return impact_text(load_site_cached(Settings.from_mkdocs_yml(config)), ids)


def _answer_review(config: Path, args: list[str]) -> object:
    from lawguide.content.cache import load_site_cached
    from lawguide.core import clock
    from lawguide.lawchange.review import review_items

    return review_items(load_site_cached(Settings.from_mkdocs_yml(config)), clock.today())


_ANSWERS: dict[str, Callable[[Path, list[str]], object]] = {"impact": _answer_impact, "review": _answer_review}


# --- the live preview ------------------------------------------------------------------------------

PREVIEW_SIZES = (120, 1000)
PREVIEW_TARGET = 3.0  # seconds from save to the page served with the edit, at 1,000 pages
PREVIEW_PAGE = "short-breaks.md"  # a long guide page with translations: an edit feeds them too


@dataclass
class PreviewResult:
    pages: int
    mode: str  # "dirty" (what `lawguide serve` does) or "clean" (`lawguide serve --clean`)
    first_build: float  # seconds from start to the first page served
    reloads: list[float] = field(default_factory=list)  # seconds from each save to the edit served
    cpu: list[float] = field(default_factory=list)  # CPU seconds the preview's processes spent on each (Linux)

    @property
    def median(self) -> float:
        return statistics.median(self.reloads) if self.reloads else float("nan")


def _free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _fetch(url: str) -> str:
    import urllib.error
    import urllib.request

    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.read().decode("utf-8")
    except (urllib.error.URLError, ConnectionError, TimeoutError):
        return ""


def _group_cpu(group: int) -> float | None:
    """CPU seconds (user + system) of the live processes in a process group, from /proc (Linux); None elsewhere."""
    proc = Path("/proc")
    if not (proc / "self" / "stat").exists():
        return None
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0
    for stat in proc.glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue  # the process ended
        if int(fields[2]) == group:  # pgrp
            total += int(fields[11]) + int(fields[12])  # utime, stime
    return total / ticks


def _poll(url: str, text: str, seconds: float) -> float | None:
    """Seconds until the page at url holds text (polled every 50 ms), or None after `seconds`."""
    start = time.perf_counter()
    while time.perf_counter() - start < seconds:
        if text in _fetch(url):
            return time.perf_counter() - start
        time.sleep(0.05)
    return None


def time_preview(root: Path, pages: int, edits: int, clean: bool = False, page: str = PREVIEW_PAGE,
                 timeout: float = 600) -> PreviewResult:
    """`lawguide serve` on root (127.0.0.1, a free port): time the first build, then `edits` times
    write a new sentence into `page` and poll the served page until the sentence shows. The page is
    restored afterwards."""
    import signal

    source = root / "docs" / page
    original = source.read_text(encoding="utf-8")
    port = _free_port()
    url = f"http://127.0.0.1:{port}{page_url(page)}"
    command = [sys.executable, "-m", "lawguide.cli", "--config", str(root / "mkdocs.yml"), "serve",
               "-a", f"127.0.0.1:{port}", *(["--clean"] if clean else [])]
    result = PreviewResult(pages, "clean" if clean else "dirty", 0.0)
    with open(root / "serve.log", "w", encoding="utf-8") as log:
        process = subprocess.Popen(command, cwd=root, stdout=log, stderr=subprocess.STDOUT, env=quiet_env(),
                                   start_new_session=True)
        try:
            first = _poll(url, "</html>", timeout)
            if first is None:
                raise BenchError(f"the preview of {root} served nothing within {timeout:.0f} s (see {root / 'serve.log'})")
            result.first_build = first
            time.sleep(1.5)  # past the file system's timestamp granularity and the server's settling
            for n in range(edits):
                sentence = f"Preview check {os.getpid()}x{n}."
                head, sep, tail = original.partition("\n## ")
                cpu_before = _group_cpu(process.pid)
                source.write_text(f"{head}\n{sentence}\n{sep}{tail}" if sep else f"{original}\n\n{sentence}\n",
                                  encoding="utf-8")
                seconds = _poll(url, sentence, timeout)
                cpu_after = _group_cpu(process.pid)
                if cpu_before is not None and cpu_after is not None:
                    result.cpu.append(cpu_after - cpu_before)
                if seconds is None:
                    raise BenchError(f"the preview did not show an edit to {page} within {timeout:.0f} s "
                                     f"(see {root / 'serve.log'})")
                result.reloads.append(seconds)
                time.sleep(1.5)
        finally:
            source.write_text(original, encoding="utf-8")
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGINT)
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()
    return result


def run_preview_bench(sizes: list[int], repeat: int, work: Path, project_config: Path | None,
                      log: Callable[[str], None]) -> list[PreviewResult]:
    """Save-to-reload of `lawguide serve` on the real guide scaled to each size, dirty (the default)
    and clean (every page rendered again, as before), each with `repeat` edits."""
    compile_own_code()
    if project_config is None:
        raise BenchError("no mkdocs.yml or properdocs.yml found to scale up; pass --config")
    results = []
    for n in sizes:
        try:
            copy = make_real_copy(project_config, work / f"preview-{n}", n, hooks=True)
        except CopyError as exc:
            raise BenchError(str(exc)) from None
        for clean in (False, True):
            result = time_preview(copy.root, copy.pages, repeat, clean=clean)
            log(f"{copy.pages} pages, preview {result.mode}: first build {result.first_build:.1f} s, save to reload "
                + ", ".join(f"{s:.1f}" for s in result.reloads) + " s, CPU " + ", ".join(f"{s:.1f}" for s in result.cpu) + " s")
            results.append(result)
    return results


def format_preview(results: list[PreviewResult]) -> str:
    lines = ["lawguide serve: seconds from saving a page to the served page showing the edit (median of the edits),",
             f"{os.cpu_count()} CPU core(s); dirty is what `lawguide serve` does, clean is `lawguide serve --clean`", "",
             f"{'pages':>6}  {'mode':<6}  {'first build (s)':>15}  {'save to reload (s)':>18}  {'CPU (s)':>7}  each edit (s)"]
    for r in results:
        cpu = f"{statistics.median(r.cpu):>7.1f}" if r.cpu else f"{'n/a':>7}"
        lines.append(f"{r.pages:>6}  {r.mode:<6}  {r.first_build:>15.1f}  {r.median:>18.1f}  {cpu}  "
                     + ", ".join(f"{s:.1f}" for s in r.reloads))
    dirty = [r for r in results if r.mode == "dirty"]
    if dirty:
        ref = min(dirty, key=lambda r: abs(r.pages - REFERENCE_SIZE))
        verdict = "PASS" if ref.median <= PREVIEW_TARGET else "MISS"
        lines += ["", f"{verdict}  preview save to reload at {ref.pages} pages: {ref.median:.1f} s (at most {PREVIEW_TARGET:.0f} s)"]
    return "\n".join(lines) + "\n"


# --- page weight -------------------------------------------------------------------------------

class _Assets(HTMLParser):
    """Stylesheets and scripts a page makes the browser fetch before it is usable."""

    def __init__(self) -> None:
        super().__init__()
        self.css: list[str] = []
        self.js: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag == "link" and "stylesheet" in (values.get("rel") or "").split() and values.get("href"):
            self.css.append(values["href"] or "")
        elif tag == "script" and values.get("src"):
            self.js.append(values["src"] or "")


def gzip_size(data: bytes) -> int:
    return len(gzip.compress(data, compresslevel=9, mtime=0))


def page_assets(page_file: Path) -> list[tuple[str, int]]:
    """Each stylesheet and script a built page loads from its own site (href as written, gzip bytes), in
    page order: what a first visit to it costs beyond its HTML."""
    assets = _Assets()
    assets.feed(page_file.read_text(encoding="utf-8"))
    out = []
    for href in [*assets.css, *assets.js]:
        if "://" in href:
            continue
        file = (page_file.parent / href.split("?")[0]).resolve()
        out.append((href, gzip_size(file.read_bytes()) if file.is_file() else 0))
    return out


def page_weight(root: Path, site_dir: Path, project_config: Path | None) -> PageWeight:
    from lawguide.content.site import load_site

    site = load_site(Settings.from_mkdocs_yml(root / "mkdocs.yml"))
    built = {page_url(path): site_dir / page_url(path).lstrip("/") / "index.html" for path in site.pages}
    by_size = sorted((file.stat().st_size, url) for url, file in built.items() if url != "/")
    url = by_size[len(by_size) // 2][1]  # the median guide page: a typical one
    page_file = built[url]
    html = page_file.read_bytes()
    assets = _Assets()
    assets.feed(html.decode("utf-8"))

    def total(hrefs: list[str]) -> int:
        files = [(page_file.parent / href.split("?")[0]).resolve() for href in hrefs if "://" not in href]
        return sum(gzip_size(f.read_bytes()) for f in files if f.is_file())

    root_dir = site_dir.resolve()
    files = [(page_file.parent / href.split("?")[0]).resolve() for href in [*assets.css, *assets.js] if "://" not in href]
    loaded = {f.relative_to(root_dir).as_posix() for f in files if f.is_relative_to(root_dir)}
    own, own_from = project_assets(project_config, loaded)
    workers = list((site_dir / "assets" / "javascripts" / "workers").glob("search*.js"))
    index = site_dir / "search" / "search_index.json"
    index_bytes = index.read_bytes() if index.exists() else b""
    on_demand = any(src.split("?")[0].endswith(ON_DEMAND_SCRIPT) for src in assets.js)
    return PageWeight(url, gzip_size(html), total(assets.css), total(assets.js), own, own_from,
                      sum(gzip_size(w.read_bytes()) for w in workers), len(index_bytes), gzip_size(index_bytes),
                      on_demand)


def project_assets(config: Path | None, loaded: Collection[str] = ()) -> tuple[int, str]:
    """The real guide's own CSS and JavaScript (extra_css, extra_javascript), gzip bytes, for a site whose
    pages do not load them (the synthetic site has the theme but not these). Those the measured page
    already loads (`loaded`, site-relative paths: a copy of the real guide) are counted once, with
    the page's CSS and JavaScript, not again here."""
    if config is None or not config.exists():
        return 0, ""
    data = yaml.load(config.read_text(encoding="utf-8"), Loader=_TolerantLoader) or {}
    docs = config.parent / str(data.get("docs_dir") or "docs")
    paths = [*(data.get("extra_css") or []), *(data.get("extra_javascript") or [])]
    names = [p if isinstance(p, str) else (p or {}).get("path", "") for p in paths]
    files = [docs / name for name in names if name and "://" not in name and name.lstrip("/") not in loaded]
    return sum(gzip_size(f.read_bytes()) for f in files if f.is_file()), str(config)


def format_weights(site_dir: Path, config: Path) -> str:
    """`lawguide bench --weights SITE_DIR`: the first load of the typical page of a built site, file by file."""
    w = page_weight(config.parent, site_dir, config)
    page_file = site_dir / w.page.lstrip("/") / "index.html"
    lines = [f"typical page ({w.page}, median HTML size of the guide's pages), gzip -9:",
             f"  {kb(w.html):>9}  HTML"]
    lines += [f"  {kb(size):>9}  {href}" for href, size in page_assets(page_file)]
    lines.append(f"  {kb(w.first_load):>9}  first load"
                 + (f" (with {kb(w.project_assets)} of extra_css/extra_javascript the page does not load)"
                    if w.project_assets else ""))
    verdict = "PASS" if w.first_load <= FIRST_LOAD_TARGET_KB * 1024 else "MISS"
    lines.append(f"{verdict}  first page load (HTML + CSS + JavaScript): {kb(w.first_load)} gzip "
                 f"(at most {FIRST_LOAD_TARGET_KB:.0f} KB)")
    return "\n".join(lines) + "\n"


# --- the table ---------------------------------------------------------------------------------

def growth_pair(sizes: list[int]) -> tuple[int, int] | None:
    """1,000 -> 2,000 when both were built; otherwise the two largest sizes."""
    if REFERENCE_SIZE in sizes and 2 * REFERENCE_SIZE in sizes:
        return REFERENCE_SIZE, 2 * REFERENCE_SIZE
    if len(sizes) >= 2:
        return sizes[-2], sizes[-1]
    return None


def kb(n: int) -> str:
    return f"{n / 1024:.1f} KB"


def format_report(report: Report) -> str:
    pages = "synthetic guides" if report.synthetic else "the real guide's pages copied whole, folder by folder"
    lines = [f"lawguide build benchmark: {pages}, strict clean builds (mkdocs as a subprocess), "
             f"median of {report.repeat} run(s) each, {os.cpu_count()} CPU core(s)",
             "Targets are judged on CPU time (user + system of the build), which other work on the machine barely moves.",
             "hooks on: the lawguide hooks; hooks off: the same pages, citations as plain text, no hooks;",
             "stock: stock Material, no hooks, building the exact Markdown the hooks produce (generated pages included).",
             "",
             f"{'pages':>6}  {'hooks on: wall / CPU (s)':>24}  {'hooks off: wall / CPU (s)':>25}  "
             f"{'stock: wall / CPU (s)':>21}  {'on/off (CPU)':>12}  {'stock/off (CPU)':>15}"]
    for n in report.sizes:
        r = report.builds[n]
        stock = (f"{r.stock.wall:>9.1f} / {r.stock.cpu:>9.1f}" if r.stock else f"{'n/a':>21}")
        stock_ratio = f"{r.stock_ratio:>14.2f}x" if r.stock_ratio is not None else f"{'n/a':>15}"
        lines.append(f"{r.pages:>6}  {r.hooks.wall:>12.1f} / {r.hooks.cpu:>8.1f}  {r.plain.wall:>13.1f} / {r.plain.cpu:>8.1f}  "
                     f"{stock}  {r.ratio:>11.2f}x  {stock_ratio}")
    ref = report.builds[report.reference]
    if len(ref.pair_ratios) > 1:
        lines.append(f"on/off of each pair of builds run side by side at {ref.pages} pages: "
                     + ", ".join(f"{r:.2f}x" for r in ref.pair_ratios) + " (the spread is the machine's drift)")
    if report.own_cpu:
        share = report.own_cpu / ref.hooks.cpu
        per_100 = report.own_cpu / ref.pages * 100
        lines += [f"lawguide's own code at {ref.pages} pages (load, generate, transform, finish; timed in a fresh process): "
                  f"{report.own_cpu:.1f} s CPU, {per_100:.2f} s per 100 pages, {share:.0%} of the hooks build;",
                  f"  with no page cache (a first build, or CI): {report.own_cpu_cold:.1f} s CPU, "
                  f"{report.own_cpu_cold / ref.pages * 100:.2f} s per 100 pages;",
                  "  the rest is MkDocs and Material processing the pages, links and sections the hooks add"]
    pair = growth_pair(report.sizes)
    targets: list[tuple[str, str, str]] = []  # (PASS/MISS/SKIP, what, figure vs target)
    targets.append(_verdict(ref.ratio <= HOOKS_RATIO_TARGET, f"hooks on / hooks off at {ref.pages} pages",
                            f"{ref.ratio:.2f}x CPU (at most {HOOKS_RATIO_TARGET:.1f}x)"))
    if report.own_cpu:
        targets.append(_verdict(per_100 <= OWN_PER_100_TARGET, f"lawguide's own code at {ref.pages} pages",
                                f"{per_100:.2f} s CPU per 100 pages (at most {OWN_PER_100_TARGET} s)"))
    lines.append("")
    if pair:
        small, large = report.builds[pair[0]], report.builds[pair[1]]
        growth, plain_growth = large.hooks.cpu / small.hooks.cpu, large.plain.cpu / small.plain.cpu
        limit = GROWTH_TARGET_PER_DOUBLING / 2 * large.pages / small.pages
        lines.append(f"growth {small.pages} -> {large.pages} pages: {growth:.2f}x CPU with hooks "
                     f"({large.hooks.wall / small.hooks.wall:.2f}x wall), {plain_growth:.2f}x CPU without")
        targets.append(_verdict(growth <= limit, f"growth {small.pages} -> {large.pages} pages", f"{growth:.2f}x (at most {limit:.2f}x)"))
    else:
        lines.append("growth: n/a (needs two sizes)")
        targets.append(("SKIP", "growth between sizes", "needs two sizes"))
    title = f"command on {ref.pages} pages"
    lines += ["", f"{title:<32}  {'in-process (s)':>14}  {'command: wall / CPU (s)':>23}  exit"]
    for c in report.commands:
        name = f"lawguide {c.command}"
        if c.available:
            lines.append(f"{name:<32}  {c.in_process:>14.2f}  {c.subprocess:>13.2f} / {c.subprocess_cpu:>7.2f}  {c.exit_status:>4}")
            targets.append(_verdict(c.subprocess_cpu <= COMMAND_TARGET, f"{name} as a command",
                                    f"{c.subprocess_cpu:.2f} s CPU ({c.subprocess:.2f} s wall), median of {COMMAND_RUNS} "
                                    f"(at most {COMMAND_TARGET} s)"))
        else:
            lines.append(f"{name:<32}  {'n/a: command not installed':>34}")
            targets.append(("SKIP", f"{name} as a command", "not installed"))
    b = report.broken
    if b:
        lines += ["", f"lawguide check on {ref.pages} pages: {b.clean:.2f} s CPU clean, {b.broken:.2f} s with "
                      f"{b.links} broken links ({b.reported} reported)"]
        targets.append(_verdict(b.extra <= BROKEN_EXTRA_TARGET and b.reported == b.links,
                                f"{b.links} broken links reported",
                                f"{b.reported} of {b.links}, {b.extra:+.2f} s CPU more than a clean check "
                                f"(at most {BROKEN_EXTRA_TARGET:.0f} s)"))
    w = report.weight
    if w:
        lines += ["", f"typical page ({w.page}, median HTML size of {ref.pages} pages), gzip -9:",
                  f"  HTML {kb(w.html)} + theme CSS {kb(w.css)} + theme JavaScript {kb(w.js)}"
                  # a copy of the real guide loads them itself (counted above); a synthetic site does not
                  + (f" + project CSS/JavaScript {kb(w.project_assets)}" if w.project_assets else "")
                  + f" = {kb(w.first_load)} first load",
                  (f"  then, only when the reader starts a search, Material's search fetches its worker "
                   f"({kb(w.search_worker)}) and the search index ({kb(w.search_index_gzip)})" if w.search_on_demand else
                   f"  then Material's search fetches its worker ({kb(w.search_worker)}) and the search index "
                   f"({kb(w.search_index_gzip)}) in the background"),
                  f"search index: {kb(w.search_index_raw)} raw, {kb(w.search_index_gzip)} gzip"]
        targets.append(_verdict(w.first_load <= FIRST_LOAD_TARGET_KB * 1024, "first page load (HTML + CSS + JavaScript)",
                                f"{kb(w.first_load)} gzip (at most {FIRST_LOAD_TARGET_KB:.0f} KB)"))
        everything = w.first_load + (0 if w.search_on_demand else w.search_worker + w.search_index_gzip)
        targets.append(_verdict(everything <= FIRST_VISIT_TARGET_KB * 1024, "first visit with search's background fetches",
                                f"{kb(everything)} gzip (at most {FIRST_VISIT_TARGET_KB:.0f} KB; "
                                + ("search fetches nothing until used)" if w.search_on_demand else
                                   "Material fetches the index on every first visit)")))
    if report.extra_lines:
        lines += ["", *report.extra_lines]
    targets += report.extra_targets
    lines += ["", "targets:"] + [f"  {mark:<4}  {what}: {figure}" for mark, what, figure in targets]
    return "\n".join(lines) + "\n"


def _verdict(ok: bool, what: str, figure: str) -> tuple[str, str, str]:
    return ("PASS" if ok else "MISS", what, figure)


# --- command line ------------------------------------------------------------------------------

def parse_sizes(text: str) -> list[int]:
    try:
        sizes = [int(part) for part in text.split(",") if part.strip()]
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a comma-separated list of page counts, e.g. 100,200") from None
    if not sizes or min(sizes) < 2:
        raise argparse.ArgumentTypeError("each size must be at least 2 pages")
    return sizes


def positive(text: str) -> int:
    if not text.isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError(f"'{text}' is not a whole number of at least 1")
    return int(text)


def cmd_bench(args: argparse.Namespace, out: TextIO = sys.stdout) -> int:
    config = Path(args.config) if args.config else _find_project_config()

    def log(message: str) -> None:
        print(f"[bench {time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)

    if getattr(args, "weights", None):  # the first page load of a built site, file by file
        site_dir = Path(args.weights)
        if config is None or not (site_dir / "index.html").is_file():
            print(f"lawguide bench: {site_dir}: not a built site with an mkdocs.yml above it "
                  "(build it first: lawguide build -d SITE_DIR)", file=sys.stderr)
            return 1
        out.write(format_weights(site_dir, config.resolve()))
        return 0
    if getattr(args, "search", None):  # the first search in a built site (tools/searchbench.py)
        from lawguide.tools.searchbench import bench_search

        return bench_search(Path(args.search), out)
    with contextlib.ExitStack() as stack:
        if args.workdir:
            work = Path(args.workdir)
            work.mkdir(parents=True, exist_ok=True)
        else:
            work = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="lawguide-bench-")))
        try:
            if getattr(args, "engines", None):
                if config is None:
                    raise BenchError("no mkdocs.yml or properdocs.yml found; pass --config")
                timings = bench_engines(config.resolve(), args.engines, args.repeat, work, log)
                out.write(format_engines(config, timings, args.repeat))
                return 0
            if getattr(args, "preview", False):
                out.write(format_preview(run_preview_bench(args.sizes or list(PREVIEW_SIZES), max(args.repeat, 3),
                                                           work, config and config.resolve(), log)))
                return 0
            report = run_bench(args.sizes or list(DEFAULT_SIZES), args.repeat, work, config, log,
                               synthetic=getattr(args, "synthetic", False))
        except (BenchError, EngineError) as exc:
            print(f"lawguide bench: {exc}", file=sys.stderr)
            return 1
    out.write(format_report(report))
    return 0


def parse_engines(text: str) -> list[str]:
    from lawguide.tools.engine import ENGINES

    names = [part.strip().lower() for part in text.split(",") if part.strip()]
    unknown = [name for name in names if name not in ENGINES]
    if not names or unknown:
        raise argparse.ArgumentTypeError(f"'{text}' is not a comma-separated list of engines from: {', '.join(ENGINES)}")
    return list(dict.fromkeys(names))


def _find_project_config() -> Path | None:
    try:
        return find_config(Path.cwd())
    except FileNotFoundError:
        return None


