"""`lawguide links`: compare links.lock with what the sources publish; `--update` records new links."""

from __future__ import annotations

import argparse
import sys

from .commands import REGISTRARS
from .links import compare, implicit_headings, write_lock


def cmd_links(args: argparse.Namespace) -> int:
    from .cli import load, print_problems  # cli imports commands, which imports this module

    site = load(args)
    report = compare(site)
    lock = report.lock
    if report.lock.problems:
        print_problems(report.lock.problems)
        print(f"{lock.display} has lines that are not URL paths; fix them by hand first.", file=sys.stderr)
        return 1
    for url in report.added:
        print(f"{'added' if args.update else 'new'}: {url}")
    if args.update and (report.added or not lock.exists):
        write_lock(lock, lock.urls | set(report.added))
    skipped = implicit_headings(site)
    if skipped:
        print_problems(skipped)
        print(f"{len(skipped)} heading(s) not locked: give them an explicit {{#id}}.", file=sys.stderr)
    if report.missing:
        print_problems(report.missing)
        print(f"{len(report.missing)} published link(s) no longer exist.", file=sys.stderr)
    verb = "added to" if args.update else "would be added to (run `lawguide links --update`)"
    print(f"{len(report.added)} link(s) {verb} {lock.display}; {len(lock.urls)} locked before; "
          f"{len(report.missing)} missing.")
    return 1 if report.missing else 0


def register(sub) -> None:
    parser = sub.add_parser("links", help="list published links that are new or missing compared with links.lock")
    parser.add_argument("--update", action="store_true",
                        help="add new page URLs and section anchors to links.lock (nothing is ever removed)")
    parser.set_defaults(handler=cmd_links)


REGISTRARS.append(register)
