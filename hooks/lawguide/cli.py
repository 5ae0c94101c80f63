"""The `lawguide` command line for editors."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path

from .problems import Problem
from .settings import Settings, find_config
from .site import Site, load_site

Handler = Callable[[argparse.Namespace], int]


def load(args: argparse.Namespace) -> Site:
    config = Path(args.config) if args.config else find_config(Path.cwd())
    return load_site(Settings.from_mkdocs_yml(config))


def print_problems(problems: list[Problem], stream=sys.stderr) -> None:
    for problem in sorted(problems):
        print(problem.format(), file=stream)


def cmd_check(args: argparse.Namespace) -> int:
    site = load(args)
    if site.problems:
        print_problems(site.problems)
        print(f"{len(site.problems)} problem(s) found.", file=sys.stderr)
        return 1
    print(f"OK: {len(site.register.refs)} law references, {len(site.glossary.terms)} glossary terms, "
          f"{len(site.pages)} pages, {sum(len(p.law_citations) for p in site.pages.values())} citations.")
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="lawguide", description="Check and maintain the disabled children's social care guide.")
    parser.add_argument("--config", help="path to mkdocs.yml (default: the nearest one at or above this folder)")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    check = sub.add_parser("check", help="validate the register, the glossary and every page's citations without building")
    check.set_defaults(handler=cmd_check)
    for register in _extensions():
        register(sub)
    return parser


def _extensions() -> list[Callable]:
    """Sub-commands defined next to the logic they expose."""
    from . import commands

    return commands.REGISTRARS


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return args.handler(args)
    except FileNotFoundError as exc:
        print(f"lawguide: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
