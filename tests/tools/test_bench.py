"""`lawguide bench`: the table's structure and its verdicts. Timing itself is never asserted."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

from lawguide.tools.bench import CommandResult, PageWeight, Report, SizeResult, Timing, format_report, growth_pair


def run_bench(tmp_path: Path, *args: str) -> subprocess.CompletedProcess:
    # Run outside the project so the table does not depend on the real guide's assets.
    return subprocess.run([sys.executable, "-m", "lawguide.cli", "bench", *args],
                          capture_output=True, text=True, cwd=tmp_path, timeout=600)


def test_quick_run_prints_every_row_of_the_table(tmp_path: Path):
    result = run_bench(tmp_path, "--synthetic", "--sizes", "20", "--repeat", "1", "--workdir", str(tmp_path / "work"))
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "median of 1 run(s) each" in out
    assert re.search(r"^ +pages +hooks on: wall / CPU \(s\) +hooks off: wall / CPU \(s\) +stock: wall / CPU \(s\)"
                     r" +on/off \(CPU\) +stock/off \(CPU\)$", out, re.M)
    assert re.search(r"^ +20 +\d+\.\d / +\d+\.\d +\d+\.\d / +\d+\.\d +\d+\.\d / +\d+\.\d +\d+\.\d\dx +\d+\.\d\dx$", out, re.M)
    assert re.search(r"^lawguide's own code at 20 pages \(load, generate, transform, finish; timed in a fresh process\): "
                     r"\d+\.\d s CPU, \d+\.\d\d s per 100 pages, \d+% of the hooks build", out, re.M)
    assert "growth: n/a (needs two sizes)" in out
    assert re.search(r"^command on 20 pages +in-process \(s\) +command: wall / CPU \(s\) +exit$", out, re.M)
    assert re.search(r"^lawguide impact [\w-]+ +\d+\.\d\d +\d+\.\d\d / +\d+\.\d\d +\d+$", out, re.M)
    assert re.search(r"^lawguide review +\d+\.\d\d +\d+\.\d\d / +\d+\.\d\d +\d+$", out, re.M)
    assert re.search(r"^typical page \(/section-00/topic-00/page-\d{4}/, median HTML size of 20 pages\), gzip -9:$", out, re.M)
    assert re.search(r"^  HTML [\d.]+ KB \+ theme CSS [\d.]+ KB \+ theme JavaScript [\d.]+ KB = [\d.]+ KB first load$", out, re.M)
    assert re.search(r"^search index: [\d.]+ KB raw, [\d.]+ KB gzip$", out, re.M)
    verdicts = re.findall(r"^  (PASS|MISS|SKIP)  (.+?):", out, re.M)
    assert [what for _, what in verdicts][:3] == ["hooks on / hooks off at 20 pages", "lawguide's own code at 20 pages",
                                                  "growth between sizes"]
    assert re.fullmatch(r"lawguide impact [\w-]+ as a command", verdicts[3][1])
    assert [what for _, what in verdicts][4:] == ["lawguide review as a command", "1000 broken links reported",
                                                  "first page load (HTML + CSS + JavaScript)",
                                                  "first visit with search's background fetches"]
    assert re.search(r"^lawguide check on 20 pages: \d+\.\d\d s CPU clean, \d+\.\d\d s with 1000 broken links "
                     r"\(1000 reported\)$", out, re.M)
    assert verdicts[2][0] == "SKIP"
    assert "[bench" in result.stderr  # progress goes to stderr, the table alone to stdout
    assert "stock Material on the hooks' Markdown" in result.stderr
    work = tmp_path / "work"
    assert not (work / "site-plain-20").exists() and not (work / "site-stock-20").exists()  # only the reference build is kept


def test_stock_copy_is_the_hooks_markdown_without_the_hooks(tmp_path: Path):
    from lawguide.tools.bench import write_hooks_markdown
    from lawguide.tools.synthetic import make_synthetic_site

    stock = write_hooks_markdown(make_synthetic_site(tmp_path / "hooks", 12), tmp_path / "stock")
    config = (stock / "mkdocs.yml").read_text()
    assert "hooks" not in config and "/law/sca-sec1.md" in config  # generated pages stay out of the menu
    page = (stock / "docs" / "section-00" / "topic-00" / "page-0005.md").read_text()
    assert page.startswith("---\ntitle: Synthetic guide page 5\n") and "[[" not in page and "lgq" in page
    assert "## Legal basis {#legal-basis data-search-exclude}" in page
    assert (stock / "docs" / "law" / "sca-sec1.md").exists() and (stock / "docs" / "changes" / "feed.xml").exists()


def test_bad_sizes_are_refused_before_anything_is_built(tmp_path: Path):
    result = run_bench(tmp_path, "--sizes", "20,lots")
    assert result.returncode == 2
    assert "'20,lots' is not a comma-separated list of page counts" in result.stderr
    assert run_bench(tmp_path, "--repeat", "0").returncode == 2


def report(ratio_cpu: tuple[float, float], growth_cpu: float, first_load_kb: float, command_s: float = 0.25) -> Report:
    hooks, plain = ratio_cpu
    r = Report([1000, 2000], repeat=1, reference=1000)
    r.builds = {1000: SizeResult(1000, Timing(hooks, hooks), Timing(plain, plain), Timing(plain, plain)),
                2000: SizeResult(2000, Timing(hooks * growth_cpu, hooks * growth_cpu), Timing(plain * 2, plain * 2))}
    r.commands = [CommandResult("impact x", True, 0.2, command_s * 3, 0, command_s), CommandResult("review", False)]
    html = int(first_load_kb * 1024) - 3000
    r.weight = PageWeight("/a/", html, 1000, 2000, 0, "", search_worker=100, search_index_raw=5000, search_index_gzip=1000)
    return r


def verdicts(text: str) -> list[str]:
    return re.findall(r"^  (PASS|MISS|SKIP)  ", text, re.M)


def test_verdicts_follow_the_targets():
    assert verdicts(format_report(report((11.9, 10.0), 2.1, 98))) == ["PASS", "PASS", "PASS", "SKIP", "PASS", "PASS"]
    assert verdicts(format_report(report((12.0, 10.0), 2.1, 100, 0.3))) == ["PASS", "PASS", "PASS", "SKIP", "PASS", "PASS"]
    assert verdicts(format_report(report((12.1, 10.0), 2.2, 100.5, 0.31))) == ["MISS", "MISS", "MISS", "SKIP", "MISS", "PASS"]


def test_broken_links_must_all_be_reported_within_a_second_more_than_a_clean_check():
    from lawguide.tools.bench import BrokenLinks

    r = report((11.0, 10.0), 2.0, 50)
    r.broken = BrokenLinks(1000, 1000, 3.0, 3.9)
    assert "PASS  1000 broken links reported: 1000 of 1000, +0.90 s CPU more than a clean check (at most 1 s)" in format_report(r)
    r.broken = BrokenLinks(1000, 1000, 3.0, 4.2)
    assert "MISS  1000 broken links reported: 1000 of 1000, +1.20 s" in format_report(r)
    r.broken = BrokenLinks(1000, 990, 3.0, 3.1)  # fast but some went unreported
    assert "MISS  1000 broken links reported: 990 of 1000" in format_report(r)


def test_own_code_is_judged_per_100_pages_of_the_reference_build():
    r = report((11.0, 10.0), 2.0, 50)
    r.own_cpu = 1.0  # 1,000 pages: 0.10 s per 100
    assert "PASS  lawguide's own code at 1000 pages: 0.10 s CPU per 100 pages (at most 0.1 s)" in format_report(r)
    r.own_cpu = 1.1
    assert "MISS  lawguide's own code at 1000 pages: 0.11 s CPU per 100 pages (at most 0.1 s)" in format_report(r)


def test_first_visit_with_search_is_judged_against_150_kb():
    r = report((11.0, 10.0), 2.0, 90)
    r.weight.search_index_gzip = 60 * 1024  # 90 + 60 KB and a worker of 100 bytes: just over
    assert re.search(r"MISS  first visit with search's background fetches: 150\.\d KB gzip \(at most 150 KB", format_report(r))
    r.weight.search_index_gzip = 59 * 1024
    assert re.search(r"PASS  first visit with search's background fetches: 149\.\d KB gzip", format_report(r))


def test_search_that_waits_to_be_used_is_not_counted_in_the_first_visit():
    r = report((11.0, 10.0), 2.0, 90)
    r.weight.search_index_gzip = 2000 * 1024
    r.weight.search_on_demand = True
    text = format_report(r)
    assert re.search(r"PASS  first visit with search's background fetches: 90\.\d KB gzip .*nothing until used", text)
    assert "only when the reader starts a search" in text
    r.weight.search_on_demand = False
    assert "MISS  first visit with search's background fetches" in format_report(r)


def test_command_target_is_judged_on_cpu_and_shows_wall_too():
    text = format_report(report((12.0, 10.0), 2.0, 50, command_s=0.25))
    assert "PASS  lawguide impact x as a command: 0.25 s CPU (0.75 s wall), median of 5 (at most 0.3 s)" in text
    assert re.search(r"^lawguide impact x +0\.20 +0\.75 / +0\.25 +0$", text, re.M)


def test_stock_column_shows_its_ratio_to_hooks_off_or_na():
    text = format_report(report((13.0, 10.0), 2.0, 50))
    assert re.search(r"^  1000 .* 1\.30x +1\.00x$", text, re.M)
    assert re.search(r"^  2000 .* n/a +\d+\.\d\dx +n/a$", text, re.M)


def test_each_side_by_side_pair_is_shown_when_there_are_several():
    one = report((13.0, 10.0), 2.0, 50)
    assert "each pair" not in format_report(one)
    one.builds[1000].pair_ratios = [1.25, 1.31, 1.2]
    assert "on/off of each pair of builds run side by side at 1000 pages: 1.25x, 1.31x, 1.20x" in format_report(one)


def test_missing_command_is_shown_not_timed():
    text = format_report(report((10, 10), 2, 50))
    assert re.search(r"^lawguide review +n/a: command not installed$", text, re.M)
    assert "growth 1000 -> 2000 pages: 2.00x CPU with hooks" in text


def test_growth_uses_1000_to_2000_or_the_two_largest_sizes():
    assert growth_pair([250, 500, 1000, 2000]) == (1000, 2000)
    assert growth_pair([100, 200, 300]) == (200, 300)
    assert growth_pair([20]) is None


def test_engines_are_timed_side_by_side_on_the_given_guide(tmp_path: Path):
    from tests.fixtures import make_site

    root = make_site(tmp_path / "guide")
    result = subprocess.run([sys.executable, "-m", "lawguide.cli", "--config", str(root / "mkdocs.yml"), "bench",
                             "--engines", "mkdocs,properdocs", "--workdir", str(tmp_path / "work")],
                            capture_output=True, text=True, cwd=tmp_path, timeout=600)
    assert result.returncode == 0, result.stderr
    assert re.search(r"^engine +wall \(s\) +CPU \(s\) +CPU vs mkdocs$", result.stdout, re.M)
    assert re.search(r"^mkdocs +\d+\.\d +\d+\.\d +1\.00x$", result.stdout, re.M)
    assert re.search(r"^properdocs +\d+\.\d +\d+\.\d +\d+\.\d\dx$", result.stdout, re.M)


def test_unknown_engine_is_refused_before_anything_is_built(tmp_path: Path):
    result = run_bench(tmp_path, "--engines", "mkdocs,hugo")
    assert result.returncode == 2
    assert "'mkdocs,hugo' is not a comma-separated list of engines from: mkdocs, properdocs, zensical" in result.stderr


def test_own_work_runs_what_the_adapter_runs_on_a_small_guide(tmp_path: Path):
    """The own-code figure times render.page as the MkDocs adapter calls it (tail apart included)."""
    from lawguide.tools.bench import own_work
    from lawguide.tools.synthetic import make_synthetic_site

    root = make_synthetic_site(tmp_path / "site", 12, hooks=True)
    assert 0 < own_work(root) < 30


def test_preview_is_judged_at_the_size_nearest_1000_pages_on_the_dirty_preview():
    from lawguide.tools.bench import PreviewResult, format_preview

    results = [PreviewResult(158, "dirty", 20.0, [1.0, 1.2, 1.1], [0.5]), PreviewResult(1027, "dirty", 90.0, [2.0, 3.5, 2.9]),
               PreviewResult(1027, "clean", 90.0, [30.0, 31.0, 29.0])]
    text = format_preview(results)
    assert "PASS  preview save to reload at 1027 pages: 2.9 s (at most 3 s)" in text
    assert re.search(r"^ +1027 +clean +90\.0 +30\.0 +n/a +30\.0, 31\.0, 29\.0$", text, re.M)
    results[1].reloads = [3.2, 3.1, 2.0]
    assert "MISS  preview save to reload at 1027 pages: 3.1 s (at most 3 s)" in format_preview(results)


def test_preview_timing_serves_the_edit_and_restores_the_page(tmp_path: Path):
    from lawguide.tools.bench import time_preview

    from tests.fixtures import DEFAULT_PAGES, make_site

    root = make_site(tmp_path / "project", pages={"index.md": DEFAULT_PAGES["index.md"]})
    before = (root / "docs" / "index.md").read_text(encoding="utf-8")
    result = time_preview(root, 1, 1, page="index.md", timeout=300)
    assert result.mode == "dirty" and len(result.reloads) == 1 and 0 < result.reloads[0] < 300 and result.first_build > 0
    assert (root / "docs" / "index.md").read_text(encoding="utf-8") == before
    assert "Preview check" not in before


def test_a_further_measurement_adds_its_lines_and_verdicts_before_the_targets():
    r = report((11.0, 10.0), 2.0, 50)
    r.extra_lines = ["search: 42 questions, right page in the top three for 40"]
    r.extra_targets = [("PASS", "parents' searches", "95.2% (at least 90%)")]
    text = format_report(r)
    assert text.index("search: 42 questions") < text.index("targets:")
    assert text.rstrip().endswith("PASS  parents' searches: 95.2% (at least 90%)")


def _project_with_assets(tmp_path: Path) -> Path:
    docs = tmp_path / "docs" / "assets"
    docs.mkdir(parents=True)
    (docs / "every.css").write_text("body { color: black; }\n" * 40, encoding="utf-8")
    (docs / "every.js").write_text("console.log('every page');\n" * 40, encoding="utf-8")
    config = tmp_path / "mkdocs.yml"
    config.write_text("site_name: t\nextra_css:\n  - assets/every.css\nextra_javascript:\n  - assets/every.js\n",
                      encoding="utf-8")
    return config


def test_project_assets_a_page_already_loads_are_not_counted_twice(tmp_path: Path):
    from lawguide.tools.bench import gzip_size, project_assets

    config = _project_with_assets(tmp_path)
    css = gzip_size((tmp_path / "docs/assets/every.css").read_bytes())
    js = gzip_size((tmp_path / "docs/assets/every.js").read_bytes())
    assert project_assets(config) == (css + js, str(config))  # a synthetic site: its pages load neither
    assert project_assets(config, {"assets/every.css"}) == (js, str(config))
    assert project_assets(config, {"assets/every.css", "assets/every.js"})[0] == 0  # a copy of the real guide


def test_page_assets_lists_what_a_built_page_loads_from_its_own_site(tmp_path: Path):
    from lawguide.tools.bench import gzip_size, page_assets

    site = tmp_path / "site"
    (site / "assets").mkdir(parents=True)
    (site / "assets" / "a.css").write_text("p { margin: 0 }\n", encoding="utf-8")
    (site / "assets" / "b.js").write_text("var b = 1;\n", encoding="utf-8")
    page = site / "guide" / "index.html"
    page.parent.mkdir()
    page.write_text('<html><head><link rel="stylesheet" href="../assets/a.css?v=1">'
                    '<link rel="alternate" href="../feed.xml"><script src="https://elsewhere.example/x.js"></script>'
                    '</head><body><script src="../assets/b.js"></script><script src="../assets/gone.js"></script>'
                    '<script>inline()</script></body></html>', encoding="utf-8")
    assert page_assets(page) == [("../assets/a.css?v=1", gzip_size(b"p { margin: 0 }\n")),
                                 ("../assets/b.js", gzip_size(b"var b = 1;\n")),
                                 ("../assets/gone.js", 0)]


def test_weights_of_a_folder_that_is_not_a_built_site_is_an_error_not_a_traceback(tmp_path: Path):
    _project_with_assets(tmp_path)
    result = run_bench(tmp_path, "--weights", str(tmp_path / "nosite"))
    assert result.returncode == 1
    assert "nosite: not a built site" in result.stderr and "Traceback" not in result.stderr


def test_first_load_line_adds_project_assets_only_when_the_page_did_not_load_them():
    def line(project_assets: int) -> str:
        r = Report([10], 1, reference=10)
        r.builds[10] = SizeResult(10, Timing(1.0, 1.0), Timing(1.0, 1.0))
        r.weight = PageWeight("/a/", 1024, 2048, 4096, project_assets, "mkdocs.yml", 100, 5000, 1000)
        return next(x for x in format_report(r).splitlines() if "first load" in x and "HTML" in x)

    assert line(0) == "  HTML 1.0 KB + theme CSS 2.0 KB + theme JavaScript 4.0 KB = 7.0 KB first load"
    assert line(1024) == ("  HTML 1.0 KB + theme CSS 2.0 KB + theme JavaScript 4.0 KB + project CSS/JavaScript 1.0 KB"
                          " = 8.0 KB first load")


def test_compile_own_code_replaces_a_stale_pyc_so_timed_processes_do_not_compile_again() -> None:
    # With PYTHONDONTWRITEBYTECODE set, a stale .pyc is recompiled in memory by every process and never
    # rewritten: the bench would time compiling. A .pyc whose header names another source mtime is stale.
    import importlib.util
    import struct

    from lawguide.tools import bench, realcopy

    source = Path(realcopy.__file__)
    cached = Path(importlib.util.cache_from_source(str(source)))
    cached.parent.mkdir(exist_ok=True)
    magic = importlib.util.MAGIC_NUMBER
    cached.write_bytes(magic + struct.pack("<III", 0, 1, 0) + b"not code")  # unchecked-flags 0, mtime 1
    bench.compile_own_code()
    header = cached.read_bytes()[:16]
    assert header[:4] == magic
    assert struct.unpack("<I", header[8:12])[0] == int(source.stat().st_mtime)
