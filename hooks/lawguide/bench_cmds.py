"""`lawguide bench` on the command line. The benchmark module is imported only when the command
runs: every `lawguide` command pays for what is imported at start-up, and editors' commands such as
`impact` and `review` should start fast."""

from __future__ import annotations

import argparse

from .commands import REGISTRARS


def _sizes(text: str) -> list[int]:
    from .bench import parse_sizes

    return parse_sizes(text)


def _positive(text: str) -> int:
    from .bench import positive

    return positive(text)


def _run(args: argparse.Namespace) -> int:
    from .bench import cmd_bench

    return cmd_bench(args)


def register(sub) -> None:
    parser = sub.add_parser("bench", help="time builds of synthetic guides of several sizes, with and without the hooks")
    parser.add_argument("--sizes", type=_sizes, default=None,
                        help="page counts to build, comma-separated (default: 250,500,1000,2000)")
    parser.add_argument("--repeat", type=_positive, default=1,
                        help="builds per figure, the median is shown (default 1: a full run takes minutes on 2 cores)")
    parser.add_argument("--workdir", help="keep the synthetic sites here instead of a temporary folder")
    parser.set_defaults(handler=_run)


REGISTRARS.append(register)
