"""`lawguide readability`: words, sentences and reading grade for every guide page in docs/."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from .commands import REGISTRARS
from .readability import MAX_AVERAGE_SENTENCE, MAX_MEDIAN_GRADE, build_report, failures, format_table, to_json
from .settings import Settings, find_config


def cmd_readability(args: argparse.Namespace) -> int:
    config = Path(args.config) if args.config else find_config(Path.cwd())
    settings = Settings.from_mkdocs_yml(config)
    try:
        prefix = settings.docs_dir.relative_to(settings.root).as_posix()
    except ValueError:
        prefix = settings.docs_dir.as_posix()
    # Only docs/ is read: generated pages (law/, glossary) never reach it.
    report = build_report(settings.docs_dir, prefix, args.max_average, args.max_median_grade)
    if args.json:
        print(json.dumps(to_json(report), indent=2))
    else:
        print(format_table(report))
    if args.check and not report.passed:
        for message in failures(report):
            print(message, file=sys.stderr)
        return 1
    return 0


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser("readability", help="words, sentence length and reading grade for every guide page")
    parser.add_argument("--json", action="store_true", help="print the report as JSON")
    parser.add_argument("--check", action="store_true",
                        help="exit 1 if a page averages too many words a sentence or the median grade is too high")
    parser.add_argument("--max-average", type=float, default=MAX_AVERAGE_SENTENCE, metavar="WORDS",
                        help=f"target for every page's average sentence length (default {MAX_AVERAGE_SENTENCE:g})")
    parser.add_argument("--max-median-grade", type=float, default=MAX_MEDIAN_GRADE, metavar="GRADE",
                        help=f"target for the median reading grade across pages (default {MAX_MEDIAN_GRADE:g})")
    parser.set_defaults(handler=cmd_readability)


REGISTRARS.append(register)
