"""The `lawguide` command line for editors: one explicit table of sub-commands.

Each handler is a few lines that call the room holding the logic. Rooms are imported inside the
handler that needs them, so `lawguide impact` does not pay for the benchmark, the feed importer or
the renderer at start-up.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from lawguide.core import clock

# `from typing import TYPE_CHECKING` would import typing (about 10 ms) into every command.
TYPE_CHECKING = False

if TYPE_CHECKING:
    from lawguide.content.site import Site
    from lawguide.core.problems import Problem

Handler = Callable[[argparse.Namespace], int]


# --- shared helpers ------------------------------------------------------------------------------

def load(args: argparse.Namespace) -> Site:
    """The whole guide with every problem the build would report (sources and published links)."""
    from lawguide.guide import load_project

    return load_project(args.config)


def load_for_questions(args: argparse.Namespace) -> Site:
    """The sources alone, through the page cache: editors' questions answer fast, even mid-edit."""
    import gc

    from lawguide.content.cache import load_questions_site
    from lawguide.lawchange.review import prepare_for_editors

    # Every object read here lives until the command ends: the collector's passes over them (mid-unpickling,
    # then again later) find no garbage and cost more than the rest of a warm `lawguide impact`. So none run
    # while loading, and what was loaded is set aside (gc.freeze) so later passes skip it.
    gc.disable()
    try:
        site = load_questions_site(_config(args), use_cache=not getattr(args, "no_cache", False),
                                   prepare=prepare_for_editors)
    finally:
        gc.freeze()
        gc.enable()
    if site.problems:
        # Answer anyway: editors often ask "what cites this?" while fixing a problem.
        print(f"note: {len(site.problems)} problem(s) in the sources; run `lawguide check` for details.", file=sys.stderr)
    return site


def _config(args: argparse.Namespace) -> Path:
    from lawguide.core.settings import find_config

    return Path(args.config) if args.config else find_config(Path.cwd())


def print_problems(problems: list[Problem], stream=None) -> None:
    from lawguide.core.problems import ordered

    stream = stream or sys.stderr
    for problem in ordered(problems):
        print(problem.format(), file=stream)


def _date(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{value}' is not a date in the form YYYY-MM-DD") from None


# --- handlers ------------------------------------------------------------------------------------

def cmd_check(args: argparse.Namespace) -> int:
    from lawguide.tools.textcheck import text_problems

    site = load(args)
    # phrase said twice, lower-case sentence start, term linked twice; each page's kept in .cache/lawguide/
    glitches = text_problems(site, use_cache=not args.no_cache)
    if glitches and site.settings.text_glitches == "report":
        print_problems(glitches)
        print(f"{len(glitches)} text glitch(es) listed, not failing (extra.lawguide.text_glitches: report).",
              file=sys.stderr)
        glitches = []
    problems = [*site.problems, *glitches]
    if problems:
        print_problems(problems)
        print(f"{len(problems)} problem(s) found.", file=sys.stderr)
        return 1
    print(f"OK: {len(site.register.refs)} law references, {len(site.glossary.terms)} glossary terms, "
          f"{len(site.pages)} pages, {sum(len(p.law_citations) for p in site.pages.values())} citations.")
    if not site.publisher.has_feedback:
        print("note: extra.lawguide.feedback in mkdocs.yml has no email or url yet (an editor's decision); "
              "pages say to use the route given by whoever shared the guide.", file=sys.stderr)
    return 0


def cmd_links(args: argparse.Namespace) -> int:
    from lawguide.content.site import load_site
    from lawguide.core.settings import Settings
    from lawguide.links.lock import compare, implicit_headings, write_lock

    site = load_site(Settings.from_mkdocs_yml(_config(args)))
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


def cmd_impact(args: argparse.Namespace) -> int:
    from lawguide.lawchange.impact import impact_json, impact_text, keep_dated_claims, unknown_ids

    site = load_for_questions(args)
    if not args.no_cache:
        keep_dated_claims(site)
    unknown = unknown_ids(site, args.ids)
    if unknown:
        for message in unknown:
            print(f"lawguide impact: {message}", file=sys.stderr)
        return 1
    if args.sentences:  # the citation audit: each claim beside what the provision says
        from lawguide.lawchange.impact import sentences_json, sentences_text

        if args.json:
            import json

            print(json.dumps(sentences_json(site, args.ids), indent=2))
        else:
            print(sentences_text(site, args.ids))
        return 0
    if args.json:
        import json

        print(json.dumps(impact_json(site, args.ids), indent=2))
    else:
        print(impact_text(site, args.ids))
    return 0


def cmd_review(args: argparse.Namespace) -> int:
    from lawguide.lawchange.impact import keep_dated_claims
    from lawguide.lawchange.review import review_items, review_report
    from lawguide.lawchange.sources_lock import stale_sources

    site = load_for_questions(args)
    if not args.no_cache:
        keep_dated_claims(site)
    today = args.today or clock.today()
    if args.json:
        import json

        report = review_report(site, today)
        print(json.dumps(report, indent=2, ensure_ascii=False))
        return 1 if report["counts"]["affected"] or report["counts"]["unfinished"] else 0
    items = review_items(site, today)
    affected = sum(i.affected for i in items)
    unfinished = sum(bool(i.unfinished) and not i.affected for i in items)
    print(f"{affected} page{'s' if affected != 1 else ''} affected by a change in the law, "
          f"{len(items) - affected - unfinished} more overdue for review, {unfinished} with an edit left half done "
          f"(today is {today.isoformat()}).")
    for item in items:
        page = item.page
        reviewed = page.reviewed.isoformat() if page.reviewed else "never"
        due = f", due {item.due.isoformat()}" if item.due else ""
        print(f"\n{item.status.upper():8s}  {page.display}  ({page.title}); reviewed {reviewed}{due}")
        for reason in item.reasons():
            print(f"  - {reason}")
    if affected:
        print("\nAfter checking a page against the change, set its 'reviewed' date to the day you checked it.")
    stale = stale_sources(site)
    for source in stale:
        verified = source.verified.isoformat() if source.verified else "never"
        print(f"\nSOURCE CHANGED: RE-VERIFY  {source.ref_id}  ({source.cite}); verified {verified}, "
              f"seen by the check of {source.entry.checked.isoformat()}")
        print(f"  - {source.entry.changed.isoformat()} {source.entry.summary}")
        pages = ", ".join(site.citing_pages[p].display for p in source.pages) or "none cite it"
        print(f"  - pages: {pages}")
    if stale:
        print("\nRead each source, update the entry, then run `lawguide sources reverify ID`.")
    _print_audit(site)
    _print_stale_versions(site)
    from lawguide.lawchange.review import dated_claims_text, reread_text  # listed, never a failure

    for line in reread_text(site, today) + dated_claims_text(site, today):
        print(line)
    return 1 if affected or unfinished else 0


def _print_stale_versions(site) -> None:
    """Translations and Easy Read versions made from an older English text: listed, never a failure
    (readers of each see a notice in their language until it is updated)."""
    from lawguide.lawchange.review import stale_versions

    stale = stale_versions(site)
    if stale:
        print(f"\n{len(stale)} translation{'s' if len(stale) != 1 else ''} or Easy Read version"
              f"{'s' if len(stale) != 1 else ''} made from an older English page:")
    for item in stale:
        print(f"STALE     {item['display']}  ({item['language']}{' easy-read' if item['variant'] else ''}): {item['reason']}")


def _print_audit(site) -> None:
    """Pages whose citations no one has checked since they changed: listed, never a failure (an audit
    takes a reviewer's time; the list says how much is left)."""
    from lawguide.lawchange.review import AUDIT_OUT_OF_DATE, audit_items

    items = audit_items(site)
    if not items:
        return
    stale = sum(i.status == AUDIT_OUT_OF_DATE for i in items)
    cited = [p for p in site.pages.values() if p.law_citations]
    print(f"\n{len(items)} of {len(cited)} page(s) citing the law need a citation audit: "
          f"{stale} audited before their last change, {len(items) - stale} never audited.")
    for item in items:
        print(f"AUDIT     {item.page.display}  ({len(item.page.law_citations)} citations): {item.reason()}")
    print("Audit a page with `lawguide impact ID --sentences` for each id it cites, then record "
          "citations_audited: {date, by} in its front matter.")


def cmd_changes_import(args: argparse.Namespace) -> int:
    from lawguide.lawchange.changes_import import apply_report, match_effects, read_feed, report_text

    site = load_for_questions(args)
    effects, problems = read_feed(Path(args.file), args.file)
    if problems:
        _fail(problems, "the feed was not imported; no file was changed")
        return 1
    report = match_effects(site, effects, include_applied=args.include_applied)
    if args.apply:
        problems = apply_report(site, report)
        if problems:
            _fail(problems, "nothing was written")
            return 1
    if args.json:
        import json

        print(json.dumps(report.as_dict(), indent=2, ensure_ascii=False))
    else:
        print(report_text(report, site, applied=args.apply))
    return 0


def cmd_sources_check(args: argparse.Namespace) -> int:
    from lawguide.core.problems import suggest
    from lawguide.lawchange.http import Client
    from lawguide.lawchange.sources import Bases, check_sources, report_dict, report_text, select, updated_lock
    from lawguide.lawchange.sources_lock import read_lock, write_lock

    site = load_for_questions(args)
    unknown = [i for i in args.only or [] if i not in site.register]
    for ref_id in unknown:
        hint = suggest(ref_id, site.register.refs)
        print(f"lawguide sources: unknown law reference '{ref_id}'" + (f" ({hint})" if hint else ""), file=sys.stderr)
    if unknown:
        return 2
    refs = select(site, args.only, args.kind)
    if not refs:
        print("lawguide sources: no register entry of that kind; nothing checked.", file=sys.stderr)
        return 2
    bases = Bases.from_env()
    lock = read_lock(site.settings.root)
    if lock.problems:
        print_problems(list(lock.problems))
    today = args.today or clock.today()
    with Client(contact=site.settings.contact or site.settings.site_url, timeout=args.timeout) as client:
        report = check_sources(site, client, bases, lock.entries, today, refs)
    if report.offline:  # one line, nothing else
        print(f"lawguide sources: offline: no source could be reached; {len(report.results)} entries not checked "
              "(none is reported unchanged).", file=sys.stderr)
    else:
        if bases.overridden:
            print(f"note: test base URLs in use ({', '.join(bases.overridden)}); never set them in normal use.",
                  file=sys.stderr)
        if not site.settings.contact:
            print("note: set extra.lawguide.contact in mkdocs.yml so that source owners can reach the editors.",
                  file=sys.stderr)
    if args.json:
        import json

        print(json.dumps(report_dict(site, report), indent=2, ensure_ascii=False))
    elif not report.offline:
        print(report_text(site, report))
    if not args.no_write and not report.offline:
        write_lock(lock.path, updated_lock(report, lock.entries))
    return report.exit_code


def cmd_sources_reverify(args: argparse.Namespace) -> int:
    from lawguide.lawchange.impact import unknown_ids
    from lawguide.lawchange.sources import reverify

    site = load_for_questions(args)
    unknown = unknown_ids(site, [args.id])
    if unknown:
        print(f"lawguide sources: {unknown[0]}", file=sys.stderr)
        return 1
    ref = site.register[args.id]
    today = args.today or clock.today()
    if not args.yes:
        if not sys.stdin.isatty():
            print("lawguide sources reverify: confirm with --yes (no terminal to ask on).", file=sys.stderr)
            return 1
        answer = input(f"Have you read the source of {args.id} ({ref.cite}) and updated the entry "
                       f"(summary, changes, status, replaced_by)? [y/N] ")
        if answer.strip().lower() not in ("y", "yes"):
            print("Nothing changed.")
            return 1
    from lawguide.lawchange.http import Client
    from lawguide.lawchange.sources import Bases

    with Client(contact=site.settings.contact or site.settings.site_url, timeout=args.timeout) as client:
        problems = reverify(site, args.id, today, client, Bases.from_env())
    if problems:
        _fail(problems, "nothing was written")
        return 1
    print(f"{args.id}: verified {ref.verified.isoformat() if ref.verified else 'never'} -> {today.isoformat()} "
          f"in {ref.path}; sources.lock updated.")
    return 0


def _fail(problems: list[Problem], outcome: str) -> None:
    print_problems(problems)
    print(f"{len(problems)} problem(s): {outcome}.", file=sys.stderr)


def cmd_readability(args: argparse.Namespace) -> int:
    from lawguide.core.problems import display_path
    from lawguide.core.settings import Settings
    from lawguide.tools.readability import MAX_AVERAGE_SENTENCE, MAX_MEDIAN_GRADE, build_report, failures, format_table, to_json

    settings = Settings.from_mkdocs_yml(_config(args))
    prefix = display_path(settings.docs_dir, settings.root)
    # Only docs/ is read: generated pages (law/, glossary) never reach it.
    max_average = MAX_AVERAGE_SENTENCE if args.max_average is None else args.max_average
    max_grade = MAX_MEDIAN_GRADE if args.max_median_grade is None else args.max_median_grade
    report = build_report(settings.docs_dir, prefix, max_average, max_grade)
    if args.json:
        import json

        print(json.dumps(to_json(report), indent=2))
    else:
        print(format_table(report))
    if args.check and not report.passed:
        for message in failures(report):
            print(message, file=sys.stderr)
        return 1
    return 0


def cmd_answers(args: argparse.Namespace) -> int:
    import json

    from lawguide.core.problems import display_path
    from lawguide.core.settings import Settings
    from lawguide.tools.textcheck import answers_json, answers_report, format_answers

    settings = Settings.from_mkdocs_yml(_config(args))
    prefix = display_path(settings.docs_dir, settings.root)
    report = answers_report(settings.docs_dir, prefix)
    print(json.dumps(answers_json(report), indent=2, ensure_ascii=False) if args.json else format_answers(report))
    return 1 if args.check and report.failures() else 0


def cmd_publish(args: argparse.Namespace) -> int:
    from lawguide.tools.publish import cmd_publish as run

    return run(args)


def cmd_deploy(args: argparse.Namespace) -> int:
    from lawguide.tools.deploy import cmd_deploy as run

    return run(args)


def cmd_bench(args: argparse.Namespace) -> int:
    from lawguide.tools.bench import cmd_bench as run

    return run(args)


def cmd_build(args: argparse.Namespace) -> int:
    from lawguide.tools.engine import EngineError, build

    config = _config(args)
    try:
        result = build(config, Path(args.site_dir) if args.site_dir else None, strict=not args.no_strict, engine=args.engine)
    except EngineError as exc:
        print(f"lawguide build: {exc}", file=sys.stderr)
        return 2
    sys.stdout.write(result.stdout)
    sys.stderr.write(result.stderr)
    return result.returncode


def cmd_serve(args: argparse.Namespace) -> int:
    from lawguide.tools.engine import EngineError
    from lawguide.tools.serve import serve

    try:
        return serve(_config(args), args.dev_addr, args.engine, clean=args.clean)
    except EngineError as exc:
        print(f"lawguide serve: {exc}", file=sys.stderr)
        return 2


# --- argument types that live with their logic (imported only when the argument is given) -------

def _sizes(text: str) -> list[int]:
    from lawguide.tools.bench import parse_sizes

    return parse_sizes(text)


def _positive(text: str) -> int:
    from lawguide.tools.bench import positive

    return positive(text)


def _engines(text: str) -> list[str]:
    from lawguide.tools.bench import parse_engines

    return parse_engines(text)


# --- the table -----------------------------------------------------------------------------------

@dataclass(frozen=True)
class Command:
    """One sub-command: its name, help line, handler and arguments."""

    name: str
    help: str
    handler: Handler
    arguments: Callable[[argparse.ArgumentParser], None] = lambda parser: None


def _no_cache(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--no-cache", action="store_true", help="re-read every page instead of using .cache/lawguide")


def _links_args(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--update", action="store_true",
                        help="add new page URLs and section anchors to links.lock (nothing is ever removed)")


def _impact_args(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("ids", nargs="+", metavar="ID", help="register id, e.g. ca1989-s17zd")
    parser.add_argument("--json", action="store_true", help="print JSON: id -> [{page, anchors, lines}]")
    parser.add_argument("--sentences", action="store_true",
                        help="for a citation audit: print the entry's cite and summary, then each sentence citing it "
                             "with its path:line (with --json: id -> {cite, summary, pages: {page: [{line, anchor, sentence}]}})")
    _no_cache(parser)


def _review_args(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--json", action="store_true", help="print the report as JSON (same as site/editors/review.json)")
    parser.add_argument("--today", type=_date, help="judge overdue pages as on this date (YYYY-MM-DD); default today")
    _no_cache(parser)


def _changes_args(parser: argparse.ArgumentParser) -> None:
    actions = parser.add_subparsers(dest="changes_command", required=True, metavar="ACTION")
    importer = actions.add_parser("import", help="match a legislation.gov.uk changes (effects) Atom feed against "
                                                 "the register and report affected entries and pages")
    importer.add_argument("file", metavar="FILE", help="a saved .../changes/affected/.../data.feed file")
    importer.add_argument("--apply", action="store_true", help="record each match as a 'changes' entry in law_refs/*.yml")
    importer.add_argument("--include-applied", action="store_true",
                          help="also match effects legislation.gov.uk has already applied to its text")
    importer.add_argument("--json", action="store_true", help="print the report as JSON")
    _no_cache(importer)
    importer.set_defaults(handler=cmd_changes_import)


def _sources_args(parser: argparse.ArgumentParser) -> None:
    actions = parser.add_subparsers(dest="sources_command", required=True, metavar="ACTION")
    check = actions.add_parser("check", help="ask each entry's source whether it changed since the entry was verified; "
                                             "exit 1 if any did, 2 if nothing could be checked")
    check.add_argument("--only", nargs="+", metavar="ID", help="check only these register ids")
    check.add_argument("--kind", action="append", choices=("legislation", "govuk", "web"),
                       help="check only this kind of source (repeatable)")
    check.add_argument("--json", action="store_true", help="print the report as JSON")
    check.add_argument("--today", type=_date, help="check as on this date (YYYY-MM-DD); default today")
    check.add_argument("--timeout", type=float, default=20.0, help="seconds to wait to connect or for more bytes (default 20)")
    check.add_argument("--no-write", action="store_true", help="do not update sources.lock")
    _no_cache(check)
    check.set_defaults(handler=cmd_sources_check)
    again = actions.add_parser("reverify", help="after reading the source and updating the entry: move its "
                                                "'verified' date to today and clear it in sources.lock")
    again.add_argument("id", metavar="ID", help="register id")
    again.add_argument("--yes", action="store_true", help="confirm without asking")
    again.add_argument("--today", type=_date, help="the date to record (YYYY-MM-DD); default today")
    again.add_argument("--timeout", type=float, default=20.0, help="seconds to wait for the source (default 20)")
    _no_cache(again)
    again.set_defaults(handler=cmd_sources_reverify)


def cmd_translations_hash(args: argparse.Namespace) -> int:
    """The hash a new or updated version records as `source_hash` (content.translations.body_hash)."""
    from lawguide.content.translations import UnreadablePage, page_hash
    from lawguide.core.settings import Settings

    settings = Settings.from_mkdocs_yml(_config(args))
    name = args.page.removeprefix("docs/") if not (settings.docs_dir / args.page).is_file() else args.page
    try:
        print(page_hash(settings.docs_dir, name))
    except UnreadablePage as exc:
        reason = exc.problem.message.removeprefix("cannot read the file: ")
        print(f"lawguide translations: cannot read {settings.docs_dir.name}/{name}: {reason} "
              "(give the English page's path under docs/, e.g. short-breaks.md)", file=sys.stderr)
        return 1
    return 0


def _translations_args(parser: argparse.ArgumentParser) -> None:
    actions = parser.add_subparsers(dest="translations_command", required=True, metavar="ACTION")
    hash_ = actions.add_parser("hash", help="print an English page's content hash, for a version's source_hash")
    hash_.add_argument("page", metavar="PAGE", help="the English page's path under docs/, e.g. short-breaks.md")
    hash_.set_defaults(handler=cmd_translations_hash)


def _readability_args(parser: argparse.ArgumentParser) -> None:
    # The targets are plain numbers here so that parsing arguments imports nothing.
    parser.add_argument("--json", action="store_true", help="print the report as JSON")
    parser.add_argument("--check", action="store_true",
                        help="exit 1 if a page averages too many words a sentence or the median grade is too high")
    parser.add_argument("--max-average", type=float, default=None, metavar="WORDS",
                        help="target for every page's average sentence length (default 20)")
    parser.add_argument("--max-median-grade", type=float, default=None, metavar="GRADE",
                        help="target for the median reading grade across pages (default 9)")


def _answers_args(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--json", action="store_true", help="print every question heading and its first sentence as JSON")
    parser.add_argument("--check", action="store_true", help="exit 1 if any question heading does not open with an answer")


def _publish_args(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("dest", metavar="DEST", help="the folder the web server serves (becomes a symlink)")
    parser.add_argument("--rollback", action="store_true", help="serve the previous version of DEST again")
    parser.add_argument("--adopt", action="store_true",
                        help="DEST is a non-empty folder publish did not make: keep it as the previous version "
                             "(it is never deleted) instead of refusing")


def _deploy_args(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("out", metavar="OUT", help="a new or empty folder to write the site to (what the host serves)")
    parser.add_argument("--store", default=None, metavar="URL_OR_PATH",
                        help="the git repository keeping the editions (default: this project's origin)")
    parser.add_argument("--branch", default="editions", help="the branch keeping the editions (default: editions)")
    parser.add_argument("--max-mb", type=_positive, default=800,
                        help="fail when the site is bigger than this (default 800; GitHub Pages allows 1,000)")


def _bench_args(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--sizes", type=_sizes, default=None,
                        help="page counts to build, comma-separated (default: 1000,2000)")
    parser.add_argument("--repeat", type=_positive, default=1,
                        help="builds per figure, the median is shown (default 1: a full run takes minutes on 2 cores)")
    parser.add_argument("--workdir", help="keep the copies built here instead of a temporary folder")
    parser.add_argument("--synthetic", action="store_true",
                        help="build generated pages instead of the real guide's pages scaled up")
    parser.add_argument("--engines", type=_engines, default=None, metavar="LIST",
                        help="instead: time the real guide built by each engine, e.g. mkdocs,properdocs,zensical")
    parser.add_argument("--weights", metavar="SITE_DIR", default=None,
                        help="instead: the first page load of the typical page of a built site, file by file")
    parser.add_argument("--search", metavar="SITE_DIR", default=None,
                        help="instead: the first search in a built site, locally and on emulated Slow 4G (tools/searchbench.py)")
    parser.add_argument("--preview", action="store_true",
                        help="instead: time `lawguide serve` from saving a page to the edit served (sizes default 120,1000)")


ENGINE_NAMES = "mkdocs, properdocs or zensical"  # tools/engine.py ENGINES, kept literal so parsing imports nothing


def _engine_arg(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--engine", default=None, help=f"{ENGINE_NAMES} (default: $LAWGUIDE_ENGINE, "
                                                        "extra.lawguide.engine in the config, else mkdocs)")


def _build_args(parser: argparse.ArgumentParser) -> None:
    _engine_arg(parser)
    parser.add_argument("-d", "--site-dir", default=None, help="build into this folder (default: the config's site_dir)")
    parser.add_argument("--no-strict", action="store_true", help="do not fail on warnings (the default is strict)")


def _serve_args(parser: argparse.ArgumentParser) -> None:
    _engine_arg(parser)
    parser.add_argument("-a", "--dev-addr", default="127.0.0.1:8000", metavar="IP:PORT",
                        help="address to serve on (default 127.0.0.1:8000)")
    parser.add_argument("--clean", action="store_true",
                        help="render every page again on each save (default: only what the edit affects)")


COMMANDS: tuple[Command, ...] = (
    Command("check", "validate the register, the glossary and every page's citations without building", cmd_check,
            _no_cache),
    Command("impact", "list every page and section citing the given law reference ids", cmd_impact, _impact_args),
    Command("review", "list pages affected by a change in the law, then pages overdue for review; "
                      "exit 1 when any page is affected", cmd_review, _review_args),
    Command("changes", "record changes to the law in the register", cmd_changes_import, _changes_args),
    Command("sources", "watch the sources the register cites: check them, re-verify an entry",
            cmd_sources_check, _sources_args),
    Command("translations", "translations and Easy Read: `hash PAGE` prints the source_hash a version of PAGE records",
            cmd_translations_hash, _translations_args),
    Command("links", "list published links that are new or missing compared with links.lock", cmd_links, _links_args),
    Command("readability", "words, sentence length and reading grade for every guide page", cmd_readability,
            _readability_args),
    Command("answers", "question headings whose first sentence is over 25 words or does not answer; "
                       "the share that pass", cmd_answers, _answers_args),
    Command("publish", "build and check the site, then switch DEST to it atomically "
                       "(keeps the previous version for --rollback)", cmd_publish, _publish_args),
    Command("deploy", "publish for a host that keeps nothing (GitHub Pages, Netlify, S3): editions kept in a "
                      "git branch, the site written to OUT", cmd_deploy, _deploy_args),
    Command("bench", "time builds of the real guide scaled to several sizes, with and without the hooks", cmd_bench, _bench_args),
    Command("build", "build the site strictly with the project's engine (MkDocs, ProperDocs or Zensical)", cmd_build,
            _build_args),
    Command("serve", "live preview that shows problems on every page and restarts when lawguide's code changes",
            cmd_serve, _serve_args),
)


def build_parser(only: str | None = None) -> argparse.ArgumentParser:
    """The whole command line; with only, the command named only (building all of them costs a warm `lawguide
    impact` a twentieth of its time). Given the command it runs, a parser built for it parses and answers
    exactly as the whole one: no message after the command is named lists the other commands (COMMAND, not
    their names, in the usage line); help and an unknown command get the whole parser (command_named)."""
    parser = argparse.ArgumentParser(prog="lawguide", description="Check and maintain the disabled children's social care guide.")
    parser.add_argument("--config", help="path to mkdocs.yml or properdocs.yml (default: the nearest one at or above this folder)")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for command in COMMANDS:
        if only is None or command.name == only:
            child = sub.add_parser(command.name, help=command.help)
            child.set_defaults(handler=command.handler)
            command.arguments(child)
    return parser


def command_named(argv: list[str]) -> str | None:
    """The command argv runs: its first word that is not --config or --config's value, when that word is a
    command's name; None otherwise (help, an unknown command, anything unusual: the whole parser decides)."""
    words = iter(argv)
    for word in words:
        if word == "--config":
            next(words, None)
        elif not word.startswith("--config="):
            return word if word in {c.name for c in COMMANDS} else None
    return None


def main(argv: list[str] | None = None) -> int:
    from lawguide.core.problems import ProblemError

    argv = sys.argv[1:] if argv is None else argv
    args = build_parser(command_named(argv)).parse_args(argv)
    try:
        code = args.handler(args)
        sys.stdout.flush()  # a closed pipe shows here, inside the try, not at interpreter exit
        return code
    except FileNotFoundError as exc:
        print(f"lawguide: {exc}", file=sys.stderr)
        return 2
    except ProblemError as exc:  # mkdocs.yml itself cannot be read
        print_problems(exc.problems)
        return 2
    except BrokenPipeError:
        # The reader went away (`lawguide check | head`): stop quietly, and keep Python from
        # complaining again when it flushes stdout on the way out.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 1


if __name__ == "__main__":
    sys.exit(main())
