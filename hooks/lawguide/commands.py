"""Registry of extra `lawguide` sub-commands. Each entry takes argparse's sub-parsers object
and adds one command whose handler returns an exit status."""

from __future__ import annotations

from collections.abc import Callable

REGISTRARS: list[Callable] = []
# Sub-command modules register themselves on import; keep this one sorted line (ruff I001).
from . import bench_cmds, links_cmds, publish, readability_cmds, review_cmds  # noqa: E402,F401
