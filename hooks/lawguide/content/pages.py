"""Guide pages as the engine sees them: front matter, headings and citations, validated."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, replace
from functools import cached_property
from pathlib import Path

from lawguide.content.markdown_scan import (
    SITE_PREFIX,
    Citation,
    FrontMatter,
    Heading,
    MdLink,
    read_front_matter,
    scan_page,
)
from lawguide.core import clock
from lawguide.core.fields import ID_RE, id_hint, parse_date
from lawguide.core.problems import Problem
from lawguide.core.yamlsrc import BOM, Node, read_text

# Section ids the engine adds to every page; authors must not use them.
RESERVED_IDS = ("legal-basis", "words-on-this-page", "law-change-notice", "page-history")
KNOWN_META = ("title", "summary", "reviewed", "review_interval_months", "changes", "anchor_aliases",
              "citations_audited", "description", "hide", "search", "template", "status", "tags", "icon",
              "exit_this_page", "translation", "processes", "reviewed_for")
AUDIT_KEYS = ("date", "by")
AUDIT_EXAMPLE = 'citations_audited: {date: 2026-12-07, by: "name or role"}'
PROCESSES_EXAMPLE = "processes: {section-47-enquiry: [s47-steps]}"
REVIEWED_FOR_EXAMPLE = "reviewed_for: [{id: wt2026, change: 2026-12-01}]"


@dataclass(frozen=True)
class ChangeNote:
    date: dt.date
    summary: str
    line: int


@dataclass(frozen=True)
class CitationAudit:
    """When the page's citations were last checked against the provisions they cite, and by whom
    (issue 28: every `[[id]]` sentence must be said by the provision it cites)."""

    date: dt.date
    by: str
    line: int


@dataclass(frozen=True)
class ReviewedFor:
    """The page was re-read for one recorded change of a register entry it names or describes without
    citing it (lawchange.checks checks the id and the change against the register)."""

    id: str
    change: dt.date
    line: int


@dataclass
class Page:
    path: str  # relative to docs/, posix
    display: str  # as shown in messages, e.g. docs/assessments/index.md
    title: str
    summary: str
    reviewed: dt.date | None
    review_interval_months: int | None
    change_notes: list[ChangeNote]
    anchor_aliases: dict[str, str]
    headings: list[Heading]
    citations: list[Citation]
    meta_lines: dict[str, int]
    problems: list[Problem] = field(default_factory=list)
    # For the link check (links.markdown_links), found in the same pass as the citations.
    links: list[MdLink] = field(default_factory=list)
    html_ids: frozenset[str] = frozenset()  # ids written in the page's own HTML or attribute lists
    readable: bool = True  # False: the file could not be read, so nothing above was found in it
    citations_audited: CitationAudit | None = None  # None: never audited, or the record is invalid
    # `translation:` as written (with its lines): content.translations validates it against the other pages.
    translation: Node | None = None

    @property
    def last_changed(self) -> dt.date | None:
        """The newer of the page's `reviewed` date and its newest change note: an audit older than this
        no longer covers what the page says now."""
        dates = [d for d in (self.reviewed, *(n.date for n in self.change_notes)) if d is not None]
        return max(dates) if dates else None
    exit_this_page: bool = False  # front matter `exit_this_page: true`: the theme draws the quick exit
    # `processes: {process-id: [anchor, ...]}`: the sections describing each process (lawchange.processes)
    processes: dict[str, tuple[str, ...]] = field(default_factory=dict)
    process_lines: dict[str, int] = field(default_factory=dict)
    process_anchor_lines: dict[tuple[str, str], int] = field(default_factory=dict)  # each tagged id's own line
    reviewed_for: list[ReviewedFor] = field(default_factory=list)

    @cached_property
    def law_citations(self) -> list[Citation]:
        return [c for c in self.citations if not c.is_glossary and not c.target.startswith(SITE_PREFIX)]

    @cached_property
    def glossary_links(self) -> list[Citation]:
        return [c for c in self.citations if c.is_glossary]

    @cached_property
    def distinct_citations(self) -> list[tuple[str, str, bool]]:
        """Each distinct citation on the page as (target, text, is_glossary), in order of first use:
        the page's placeholders number them (render.page), so Markdown reads a short number, not the text."""
        return list(dict.fromkeys((c.target, c.text, c.is_glossary) for c in self.citations))

    @cached_property
    def citation_numbers(self) -> dict[tuple[str, str, bool], int]:
        return {key: number for number, key in enumerate(self.distinct_citations)}

    def heading(self, anchor: str) -> Heading | None:
        return self._headings_by_id.get(anchor)

    @cached_property
    def _headings_by_id(self) -> dict[str, Heading]:
        """The first heading with each id (law pages look up every section that cites them)."""
        by_id: dict[str, Heading] = {}
        for h in self.headings:
            by_id.setdefault(h.id, h)
        return by_id

    @property
    def anchors(self) -> list[str]:
        return [h.id for h in self.headings if h.level in (2, 3)]


def load_page(file: Path, docs_dir: Path, display_prefix: str = "docs") -> Page:
    rel = file.relative_to(docs_dir).as_posix()
    display = f"{display_prefix}/{rel}" if display_prefix else rel
    text, unreadable = read_text(file, display)
    if unreadable:  # a page MkDocs could not read either: the build stops, even when not strict
        return Page(rel, display, rel, "", None, None, [], {}, [], [], {}, [replace(unreadable, fatal=True)],
                    readable=False)
    lines = text.split("\n")  # split once: the front matter and the body are read from the same lines
    front = read_front_matter(lines, display)
    scan = scan_page(lines[front.body_start - 1:], rel, front.body_start)
    headings = scan.headings
    problems = list(front.problems) + [Problem(display, b.line, b.message, b.hint) for b in scan.bad]
    if BOM in text:  # the engine keeps one that is not the file's first character: an invisible mark in the page
        problems.append(Problem(display, text.count("\n", 0, text.index(BOM)) + 1,
                                "an invisible byte-order mark (U+FEFF) is on this line, inside the text",
                                "delete it (often left where two files were joined): retype the start of the line"))
    meta = front.plain()
    page = Page(
        path=rel,
        display=display,
        title=str(meta.get("title") or _h1(headings) or rel),
        summary=str(meta.get("summary") or ""),
        reviewed=None,
        review_interval_months=None,
        change_notes=[],
        anchor_aliases={},
        headings=headings,
        citations=scan.citations,
        meta_lines=dict(front.node.key_lines) if front.node else {},
        problems=problems,
        links=scan.links,
        html_ids=frozenset(scan.html_ids),
    )
    cause = next((p for p in front.problems if p.root), None)
    if cause is None:
        _check_meta(page, front, meta)
    else:  # an unreadable front matter: its fields are unknown, not missing; say so once
        page.problems.append(Problem(display, cause.line, "not checked: this page's front matter (title, summary, "
                                     "'reviewed' date and the rest) until it can be read",
                                     "fix the problem above first; it is checked again then", root=True))
    _check_headings(page)
    if "translation" in meta and front.node is not None:
        page.translation = front.node.get("translation")
    return page


def _h1(headings: list[Heading]) -> str:
    return next((h.text for h in headings if h.level == 1), "")


def _check_meta(page: Page, front: FrontMatter, meta: dict) -> None:
    p = page.problems
    for key in meta:
        if key not in KNOWN_META:
            import difflib  # only for an unknown key: not at every command's start

            close = difflib.get_close_matches(key, KNOWN_META, n=1, cutoff=0.75)
            if close:
                p.append(Problem(page.display, front.line(key), f"unknown front matter key '{key}'",
                                 f"did you mean '{close[0]}'?"))
    reviewed = meta.get("reviewed")
    if reviewed in (None, ""):
        p.append(Problem(page.display, front.line("reviewed") if "reviewed" in meta else 1,
                         "missing 'reviewed' date in front matter", "add 'reviewed: YYYY-MM-DD' between the --- lines"))
    else:
        page.reviewed = parse_date(str(reviewed), page.display, front.line("reviewed"), "reviewed", p)
    interval = meta.get("review_interval_months")
    if interval is not None:
        if str(interval).isdigit() and int(interval) > 0:
            page.review_interval_months = int(interval)
        else:
            p.append(Problem(page.display, front.line("review_interval_months"),
                             f"'review_interval_months' is '{interval}', not a whole number of months", "for example 6"))
    _read_change_notes(page, front, meta.get("changes"))
    _read_exit(page, front, meta)
    _read_aliases(page, front, meta.get("anchor_aliases"))
    if "citations_audited" in meta:
        _read_audit(page, front, meta["citations_audited"])
    if "processes" in meta:
        _read_processes(page, front, meta["processes"])
    if "reviewed_for" in meta:
        _read_reviewed_for(page, front)


def _read_processes(page: Page, front: FrontMatter, value: object) -> None:
    """`processes: {process-id: [anchor, ...]}`: the shape here; the anchors in _check_headings, the
    process ids against law_refs/processes.yml in lawchange.processes."""
    line = front.line("processes")
    node = front.node.get("processes") if front.node else None
    if not isinstance(value, dict) or node is None:
        page.problems.append(Problem(page.display, line, "'processes' must map a process id to a list of "
                                     "section ids on this page", PROCESSES_EXAMPLE))
        return
    for pid, item in node.value.items():
        at = node.key_lines.get(pid, item.line)
        anchors = item.plain()
        if isinstance(anchors, str):
            anchors = [anchors]
        if not isinstance(anchors, list) or not anchors or not all(isinstance(a, str) and a for a in anchors):
            page.problems.append(Problem(page.display, at, f"process '{pid}' must list the ids of the sections "
                                         "that describe it", PROCESSES_EXAMPLE))
            continue
        lines = [n.line for n in item.value] if isinstance(item.value, list) else [item.line]
        for anchor, anchor_line in zip(anchors, lines, strict=True):
            if (str(pid), anchor) in page.process_anchor_lines:
                page.problems.append(Problem(page.display, anchor_line, f"process '{pid}' tags section '{anchor}' "
                                             "twice", f"keep the one on line {page.process_anchor_lines[str(pid), anchor]}"))
            page.process_anchor_lines.setdefault((str(pid), anchor), anchor_line)
        page.processes[str(pid)] = tuple(dict.fromkeys(anchors))
        page.process_lines[str(pid)] = at


def _read_reviewed_for(page: Page, front: FrontMatter) -> None:
    """`reviewed_for: [{id, change}]`: the shape and the date here; the id, the change and the page's
    `reviewed:` date against the register in lawchange.checks."""
    node = front.node.get("reviewed_for") if front.node else None
    if node is None or not isinstance(node.value, list):
        page.problems.append(Problem(page.display, front.line("reviewed_for"), "'reviewed_for' must be a list of "
                                     "{id, change}", REVIEWED_FOR_EXAMPLE))
        return
    seen: dict[tuple[str, dt.date], int] = {}
    for item in node.value:
        value = item.plain()
        if not isinstance(value, dict) or not value.get("id") or not value.get("change") or set(value) - {"id", "change"}:
            page.problems.append(Problem(page.display, item.line, "each 'reviewed_for' item needs 'id' (a register "
                                         "id) and 'change' (the date of that change), nothing else",
                                         REVIEWED_FOR_EXAMPLE))
            continue
        if not isinstance(value["id"], str):  # `id: [wt2026]` would be looked up as "['wt2026']"
            page.problems.append(Problem(page.display, item.key_lines.get("id", item.line), "'reviewed_for' id must be "
                                         "one register id", "one item for each entry: " + REVIEWED_FOR_EXAMPLE))
            continue
        date = parse_date(str(value["change"]), page.display, item.key_lines.get("change", item.line),
                          "reviewed_for change", page.problems)
        key = (value["id"].strip(), date)
        if date and key in seen:
            page.problems.append(Problem(page.display, item.line, f"'reviewed_for' lists {key[0]}'s change of {date} "
                                         "twice", f"keep the item on line {seen[key]}"))
        elif date:
            seen[key] = item.line
            page.reviewed_for.append(ReviewedFor(key[0], date, item.line))


def _read_change_notes(page: Page, front: FrontMatter, changes: object) -> None:
    if changes is None:
        return
    node = front.node.get("changes") if front.node else None
    if not isinstance(changes, list) or node is None:
        page.problems.append(Problem(page.display, front.line("changes"), "'changes' must be a list of {date, summary}"))
        return
    for item in node.value:
        value = item.plain()
        if not isinstance(value, dict) or "date" not in value or not value.get("summary"):
            page.problems.append(Problem(page.display, item.line, "each change needs 'date' and 'summary'",
                                         "- date: 2026-11-22\n    summary: What changed"))
            continue
        date = parse_date(str(value["date"]), page.display, item.key_lines.get("date", item.line), "date", page.problems)
        if date:
            page.change_notes.append(ChangeNote(date, str(value["summary"]).strip(), item.line))


def _read_audit(page: Page, front: FrontMatter, value: object, today: dt.date | None = None) -> None:
    """`citations_audited: {date, by}`: a real date, not in the future, and who checked. A bad record is
    an error at its line and counts as never audited, so `lawguide review` keeps listing the page."""
    line = front.line("citations_audited")
    node = front.node.get("citations_audited") if front.node else None
    if not isinstance(value, dict) or node is None:
        page.problems.append(Problem(page.display, line, "'citations_audited' must be a mapping with 'date' and 'by'",
                                     AUDIT_EXAMPLE))
        return
    key_lines = getattr(node, "key_lines", {}) or {}
    problems_before = len(page.problems)
    for key in value:
        if key not in AUDIT_KEYS:
            page.problems.append(Problem(page.display, key_lines.get(key, line),
                                         f"unknown key '{key}' in 'citations_audited'", "only 'date' and 'by'"))
    by = str(value.get("by") or "").strip()
    if not by:
        page.problems.append(Problem(page.display, key_lines.get("by", line),
                                     "'citations_audited' does not say who audited the citations",
                                     'add by: "name or role" (the reviewer, who should not be the page\'s writer)'))
    date = None
    if value.get("date") in (None, ""):
        page.problems.append(Problem(page.display, line, "'citations_audited' has no 'date'",
                                     "add date: YYYY-MM-DD, the day the citations were checked"))
    else:
        date_line = key_lines.get("date", line)
        date = parse_date(str(value["date"]), page.display, date_line, "citations_audited date", page.problems)
        today = today or clock.today()
        if date and date > today:
            page.problems.append(Problem(page.display, date_line,
                                         f"'citations_audited' date {date.isoformat()} is in the future",
                                         f"use the day the citations were checked, on or before {today.isoformat()}"))
    if date and len(page.problems) == problems_before:
        page.citations_audited = CitationAudit(date, by, line)
def _read_exit(page: Page, front: FrontMatter, meta: dict) -> None:
    """`exit_this_page`: true or false (a page about abuse or danger gets the quick exit button)."""
    if "exit_this_page" not in meta:
        return
    value = meta["exit_this_page"]
    if isinstance(value, bool):  # front matter is YAML: true/false arrive as booleans
        page.exit_this_page = value
    elif str(value).strip().lower() in ("true", "false"):
        page.exit_this_page = str(value).strip().lower() == "true"
    else:
        page.problems.append(Problem(page.display, front.line("exit_this_page"),
                                     f"'exit_this_page' is '{value}', not true or false",
                                     "write exit_this_page: true (or leave the line out)"))


def _read_aliases(page: Page, front: FrontMatter, aliases: object) -> None:
    if aliases is None:
        return
    if not isinstance(aliases, dict):
        page.problems.append(Problem(page.display, front.line("anchor_aliases"),
                                     "'anchor_aliases' must map old ids to new ids", "old-id: new-id"))
        return
    for old, new in aliases.items():
        page.anchor_aliases[str(old)] = str(new)


def _check_headings(page: Page) -> None:
    seen: dict[str, int] = {}
    for h in page.headings:
        if h.level in (2, 3) and not h.explicit:
            page.problems.append(Problem(page.display, h.line, f"heading '{h.text}' has no explicit id",
                                         f"add {{#{_suggest_id(h.text)}}} at the end of the heading; ids keep links working"))
        if h.explicit and not ID_RE.match(h.id):
            page.problems.append(Problem(page.display, h.line, f"heading id '{h.id}' is not lower-case words joined by hyphens",
                                         id_hint(h.id)))
        if h.id in RESERVED_IDS:
            page.problems.append(Problem(page.display, h.line, f"heading id '{h.id}' is reserved for the engine",
                                         "choose another id"))
        if h.id in seen and h.level > 1:
            page.problems.append(Problem(page.display, h.line, f"duplicate heading id '{h.id}'",
                                         f"already used on line {seen[h.id]}"))
        seen.setdefault(h.id, h.line)
    sections = {h.id for h in page.headings if h.level in (2, 3)}
    for pid, anchors in page.processes.items():
        for anchor in anchors:
            if anchor not in sections:
                from lawguide.core.problems import suggest

                page.problems.append(Problem(page.display, page.process_anchor_lines.get((pid, anchor),
                                                                                         page.process_lines[pid]),
                                             f"process '{pid}' tags unknown section '{anchor}'",
                                             suggest(anchor, sorted(sections)) or "use the {#id} of an H2 or H3 "
                                             "heading on this page"))
    for old, new in page.anchor_aliases.items():
        line = page.meta_lines.get("anchor_aliases", 1)
        if new not in seen:
            page.problems.append(Problem(page.display, line, f"anchor alias '{old}' points to unknown id '{new}'",
                                         "point it at an id of a heading on this page"))
        if old in seen:
            page.problems.append(Problem(page.display, line, f"anchor alias '{old}' is still a heading id on this page",
                                         "remove the alias"))


def _suggest_id(text: str) -> str:
    from lawguide.content.markdown_scan import slugify

    words = slugify(text).split("-")
    stop = {"a", "an", "the", "my", "your", "i", "do", "does", "can", "is", "to", "of", "for", "what", "how", "if"}
    kept = [w for w in words if w not in stop] or words
    return "-".join(kept[:5])
