"""Editors' commands for when the law changes: `lawguide impact`, `lawguide review` and
`lawguide changes import`. Each reads the sources directly (no build)."""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
from pathlib import Path

from . import commands
from .impact import impact_json, impact_text, unknown_ids
from .index_cache import load_site_cached
from .problems import Problem
from .review import review_items, review_report
from .settings import Settings, find_config
from .site import Site


def load(args: argparse.Namespace) -> Site:
    config = Path(args.config) if args.config else find_config(Path.cwd())
    site = load_site_cached(Settings.from_mkdocs_yml(config), use_cache=not getattr(args, "no_cache", False))
    if site.problems:
        # Answer anyway: editors often ask "what cites this?" while fixing a problem.
        print(f"note: {len(site.problems)} problem(s) in the sources; run `lawguide check` for details.", file=sys.stderr)
    return site


def _date(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{value}' is not a date in the form YYYY-MM-DD") from None


def cmd_impact(args: argparse.Namespace) -> int:
    site = load(args)
    unknown = unknown_ids(site, args.ids)
    if unknown:
        for message in unknown:
            print(f"lawguide impact: {message}", file=sys.stderr)
        return 1
    if args.json:
        print(json.dumps(impact_json(site, args.ids), indent=2))
    else:
        print(impact_text(site, args.ids))
    return 0


def cmd_review(args: argparse.Namespace) -> int:
    site = load(args)
    today = args.today or dt.date.today()
    if args.json:
        report = review_report(site, today)
        print(json.dumps(report, indent=2, ensure_ascii=False))
        return 1 if report["counts"]["affected"] else 0
    items = review_items(site, today)
    affected = sum(i.affected for i in items)
    print(f"{affected} page{'s' if affected != 1 else ''} affected by a change in the law, "
          f"{len(items) - affected} more overdue for review (today is {today.isoformat()}).")
    for item in items:
        page = item.page
        reviewed = page.reviewed.isoformat() if page.reviewed else "never"
        due = f", due {item.due.isoformat()}" if item.due else ""
        print(f"\n{item.status.upper():8s}  {page.display}  ({page.title}); reviewed {reviewed}{due}")
        for reason in item.reasons():
            print(f"  - {reason}")
    if affected:
        print("\nAfter checking a page against the change, set its 'reviewed' date to the day you checked it.")
    return 1 if affected else 0


def cmd_changes_import(args: argparse.Namespace) -> int:
    # Imported here so `impact` and `review` do not pay for the XML and YAML-writing code.
    from .changes_import import apply_report, match_effects, read_feed, report_text

    site = load(args)
    feed = Path(args.file)
    effects, problems = read_feed(feed, args.file)
    if problems:
        _print_problems(problems, "the feed was not imported; no file was changed")
        return 1
    report = match_effects(site, effects, include_applied=args.include_applied)
    if args.apply:
        problems = apply_report(site, report)
        if problems:
            _print_problems(problems, "nothing was written")
            return 1
    if args.json:
        print(json.dumps(report.as_dict(), indent=2, ensure_ascii=False))
    else:
        print(report_text(report, site, applied=args.apply))
    return 0


def _print_problems(problems: list[Problem], outcome: str) -> None:
    for problem in sorted(problems):
        print(problem.format(), file=sys.stderr)
    print(f"{len(problems)} problem(s): {outcome}.", file=sys.stderr)


def register(sub: argparse._SubParsersAction) -> None:
    impact = sub.add_parser("impact", help="list every page and section citing the given law reference ids")
    impact.add_argument("ids", nargs="+", metavar="ID", help="register id, e.g. ca1989-s17zd")
    impact.add_argument("--json", action="store_true", help="print JSON: id -> [{page, anchors, lines}]")
    impact.set_defaults(handler=cmd_impact)

    review = sub.add_parser("review", help="list pages affected by a change in the law, then pages overdue for review; "
                                           "exit 1 when any page is affected")
    review.add_argument("--json", action="store_true", help="print the report as JSON (same as site/editors/review.json)")
    review.add_argument("--today", type=_date, help="judge overdue pages as on this date (YYYY-MM-DD); default today")
    review.set_defaults(handler=cmd_review)

    changes = sub.add_parser("changes", help="record changes to the law in the register")
    changes_sub = changes.add_subparsers(dest="changes_command", required=True, metavar="ACTION")
    importer = changes_sub.add_parser("import", help="match a legislation.gov.uk changes (effects) Atom feed against "
                                                     "the register and report affected entries and pages")
    importer.add_argument("file", metavar="FILE", help="a saved .../changes/affected/.../data.feed file")
    importer.add_argument("--apply", action="store_true", help="record each match as a 'changes' entry in law_refs/*.yml")
    importer.add_argument("--include-applied", action="store_true",
                          help="also match effects legislation.gov.uk has already applied to its text")
    importer.add_argument("--json", action="store_true", help="print the report as JSON")
    importer.set_defaults(handler=cmd_changes_import)

    for parser in (impact, review, importer):
        parser.add_argument("--no-cache", action="store_true", help="re-read every page instead of using .cache/lawguide")


commands.REGISTRARS.append(register)
