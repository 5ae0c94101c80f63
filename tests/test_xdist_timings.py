"""The browser tests' figures (tests/conftest.py TIMINGS) reach the end of the run both ways bin/test can run
pytest: serially, and on several pytest-xdist workers, where only the controller's summary is shown."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent

# A tiny suite using the real hooks of tests/conftest.py: two files, each recording one figure.
CONFTEST = "from tests.conftest import pytest_sessionfinish, pytest_terminal_summary, pytest_testnodedown  # noqa: F401\n"
TEST_A = "from tests.conftest import TIMINGS\n\n\ndef test_a():\n    TIMINGS['figure a (s)'] = 1.5\n"
TEST_B = "from tests.conftest import TIMINGS\n\n\ndef test_b():\n    TIMINGS['pages b'] = 7\n"


def run_tiny_suite(root: Path, *args: str) -> list[str]:
    (root / "conftest.py").write_text(CONFTEST, encoding="utf-8")
    (root / "test_a.py").write_text(TEST_A, encoding="utf-8")
    (root / "test_b.py").write_text(TEST_B, encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    env.pop("PYTEST_ADDOPTS", None)
    env.pop("PYTEST_XDIST_WORKER", None)  # when this test itself runs on a worker
    result = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", *args], cwd=root, env=env,
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr
    return [line for line in result.stdout.splitlines() if line.startswith("lawguide browser timings")]


def test_a_serial_run_prints_one_line_with_every_figure(tmp_path):
    assert run_tiny_suite(tmp_path, "-n", "0") == ["lawguide browser timings: figure a (s) 1.5, pages b 7"]


def test_an_xdist_run_prints_each_workers_figures_in_the_controllers_summary(tmp_path):
    pytest.importorskip("xdist")
    lines = run_tiny_suite(tmp_path, "-n", "2", "--dist", "loadfile")
    # Each file ran on one of the two workers; which one is the scheduler's choice.
    figures = sorted(line.split(": ", 1)[1] for line in lines)
    assert figures == ["figure a (s) 1.5", "pages b 7"] or figures == ["figure a (s) 1.5, pages b 7"], lines
    assert all(line.startswith("lawguide browser timings (gw") for line in lines), lines
