"""Benchmark the editors' commands on a synthetic guide; prints figures, asserts nothing.

    .venv/bin/python -m lawguide.bench_commands [--pages 1000] [--runs 5] [--keep DIR]

Times whole `lawguide` processes (what an editor waits for: interpreter start, imports, reading
the sources, the answer) with the page cache warm (the usual case) and with --no-cache (a first
run, or after the code changed), and reports the median wall and CPU time of each.
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from .synthetic import make_synthetic_site


def _run(args: list[str]) -> tuple[float, float, int]:
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    result = subprocess.run(args, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    if result.returncode not in (0, 1):
        raise SystemExit(f"{' '.join(args)} failed:\n{result.stderr}")
    return wall, cpu, result.returncode


def bench(root: Path, pages: int, runs: int) -> list[str]:
    start = time.perf_counter()
    make_synthetic_site(root, pages)
    made = time.perf_counter() - start
    # Age the files so the page cache may keep them (it re-reads files modified in the last 2 s).
    old = time.time() - 60
    for file in root.rglob("*"):
        os.utime(file, (old, old))
    base = [sys.executable, "-m", "lawguide.cli", "--config", str(root / "mkdocs.yml")]
    commands = {"impact": [*base, "impact", "sca-sec1"], "review": [*base, "review", "--today", "2026-11-22"]}
    lines = [f"synthetic site: {pages} pages written in {made:.1f} s ({root})",
             f"python {sys.version.split()[0]}, {os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f}",
             f"{'command':28s} {'median wall':>12s} {'median CPU':>11s} {'min wall':>9s}"]
    _run(commands["review"])  # fills the cache
    for name, args in commands.items():
        for label, extra in (("warm cache", []), ("no cache", ["--no-cache"])):
            samples = [_run(args + extra) for _ in range(runs)]
            walls, cpus = [s[0] for s in samples], [s[1] for s in samples]
            lines.append(f"{f'lawguide {name} ({label})':28s} "
                         f"{statistics.median(walls):11.3f}s {statistics.median(cpus):10.3f}s {min(walls):8.3f}s")
    floor = [*base, "--help"]  # start Python, import every command module, build the parser; read nothing
    samples = [_run(floor) for _ in range(runs)]
    lines.append(f"{'lawguide --help (the floor)':28s} {statistics.median(s[0] for s in samples):11.3f}s "
                 f"{statistics.median(s[1] for s in samples):10.3f}s {min(s[0] for s in samples):8.3f}s")
    return lines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m lawguide.bench_commands", description=__doc__.split("\n")[0])
    parser.add_argument("--pages", type=int, default=1000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--keep", type=Path, help="write the synthetic site here and keep it")
    args = parser.parse_args(argv)
    if args.keep:
        print("\n".join(bench(args.keep, args.pages, args.runs)))
        return 0
    with tempfile.TemporaryDirectory(prefix="lawguide-bench-") as tmp:
        print("\n".join(bench(Path(tmp), args.pages, args.runs)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
