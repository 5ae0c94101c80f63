"""The register of statutory references: law_refs/*.yml -> validated LawRef records."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field, replace
from pathlib import Path

from lawguide.core.fields import ID_RE, Reader
from lawguide.core.problems import Problem, display_path, suggest
from lawguide.core.weburl import WELL_FORMED, url_problem
from lawguide.core.yamlsrc import Node, load_yaml_file, read_bytes

TYPES = ("act", "regulations", "statutory-guidance", "guidance", "case", "proposal")
STATUSES = ("in-force", "partly-in-force", "not-yet-in-force", "repealed", "superseded", "withdrawn", "proposed")
# How an entry was last checked: against its own official source, or only through secondary sources.
VERIFIED_FROM = ("official", "secondary")
REQUIRED = ("id", "title", "cite", "url", "type", "status", "summary", "verified")
OPTIONAL = ("changes", "replaced_by", "notes", "verified_from", "short")
CHANGE_FIELDS = ("date", "summary", "source")

# legislation.gov.uk document URIs by register type. A year listing filtered by title
# (/uksi/2011?title=...) is allowed for an instrument whose number is not yet verified:
# it finds the instrument without claiming a number.
LEGISLATION_URL = {
    "act": re.compile(r"^https://www\.legislation\.gov\.uk/(ukpga|eur)/\d{4}(/\d+(/[A-Za-z0-9/+=-]*)?|\?title=[A-Za-z0-9%+-]+)$"),
    "regulations": re.compile(r"^https://www\.legislation\.gov\.uk/(uksi|eur)/\d{4}(/\d+(/[A-Za-z0-9/+=-]*)?|\?title=[A-Za-z0-9%+-]+)$"),
}

# "<Act or Regulations YEAR ...>, <provision>": the provision alone reads well in a sentence.
SHORT_CITE_RE = re.compile(r"^.*?\b(?:Act|Regulations|Rules) \d{4}[^,]*, ((?:s|ss|reg|regs|r|rr|art|arts|Sch)\.\s?\S.*)$")

STATUS_LABELS = {
    "in-force": "In force",
    "partly-in-force": "Partly in force",
    "not-yet-in-force": "Not yet in force",
    "repealed": "Repealed",
    "superseded": "Replaced by a newer edition",
    "withdrawn": "Withdrawn",
    "proposed": "Proposal only: not law",
}
TYPE_LABELS = {
    "act": "Act of Parliament",
    "regulations": "Regulations",
    "statutory-guidance": "Statutory guidance",
    "guidance": "Guidance",
    "case": "Court case",
    "proposal": "Proposal",
}


@dataclass(frozen=True)
class Change:
    date: dt.date
    summary: str
    source: str
    line: int


@dataclass(frozen=True)
class LawRef:
    id: str
    title: str
    cite: str
    url: str
    type: str
    status: str
    summary: str
    verified: dt.date | None
    instrument: str
    path: str
    line: int
    changes: tuple[Change, ...] = ()
    replaced_by: str = ""
    notes: str = ""
    verified_from: str = "official"
    field_lines: tuple[tuple[str, int], ...] = ()  # (field, line) for messages about one field

    def line_of(self, key: str) -> int:
        return dict(self.field_lines).get(key, self.line)
    short: str = ""  # optional short cite for parents' text, e.g. "s.17"; see short_cite()

    @property
    def short_cite(self) -> str:
        """The cite as it sits in parents' text: the register's `short`, else the provision after the
        instrument ("Children Act 1989, s.17" -> "s.17"), else the whole cite."""
        if self.short:
            return self.short
        match = SHORT_CITE_RE.match(self.cite)
        return match.group(1) if match else self.cite

    @property
    def is_proposal(self) -> bool:
        return self.status == "proposed"

    @property
    def status_label(self) -> str:
        if self.status == "in-force" and self.type in ("case", "guidance", "statutory-guidance"):
            return "Current"
        return STATUS_LABELS.get(self.status, self.status)

    @property
    def type_label(self) -> str:
        return TYPE_LABELS.get(self.type, self.type)


@dataclass(frozen=True)
class Register:
    refs: dict[str, LawRef]
    instruments: dict[str, tuple[str, ...]]  # instrument name -> ids, in file order
    problems: tuple[Problem, ...]
    # Files that could not be read as a whole -> the root-cause problem and the ids they seem to
    # define. Errors that only follow from such a file (unknown ids it may define) are held back.
    unreadable: dict[str, tuple[Problem, frozenset[str]]] = field(default_factory=dict)

    def held_back(self, ref_id: str) -> str:
        """The unreadable file that may define ref_id, or ''."""
        return next((path for path, (_, ids) in self.unreadable.items() if ref_id in ids), "")

    def __contains__(self, ref_id: str) -> bool:
        return ref_id in self.refs

    def __getitem__(self, ref_id: str) -> LawRef:
        return self.refs[ref_id]


def check_url(url: str, path: str, line: int, ref_type: str = "") -> list[Problem]:
    """An official URL must pass the one URL check (core.weburl) and, for legislation, be a
    legislation.gov.uk URI."""
    why = url_problem(url)
    if why:
        hint = ("use the https:// address of the official source" if "https" in why or "address, not" in why
                else "" if why == WELL_FORMED else "copy the address from the browser's address bar; %-encode spaces and brackets")
        return [Problem(path, line, f"url '{url}' {why}", hint)]
    pattern = LEGISLATION_URL.get(ref_type)
    if pattern and not pattern.match(url):
        kind = "ukpga" if ref_type == "act" else "uksi"
        return [Problem(path, line, f"url '{url}' is not a legislation.gov.uk URI for {ref_type}",
                        f"use https://www.legislation.gov.uk/{kind}/YEAR/NUMBER/...")]
    return []


def _read_change(node: Node, path: str) -> tuple[Change | None, list[Problem]]:
    reader = Reader(node, path, "a change")
    if not reader.check_fields(CHANGE_FIELDS, ()):
        return None, reader.problems
    date = reader.date("date")
    source = reader.text("source")
    if source:
        reader.problems.extend(check_url(source, path, reader.line("source")))
    if date is None:
        return None, reader.problems
    return Change(date, reader.text("summary"), source, node.line), reader.problems


def _read_ref(node: Node, path: str, instrument: str) -> tuple[LawRef | None, list[Problem]]:
    reader = Reader(node, path, "a law reference")
    if not reader.check_fields(REQUIRED, OPTIONAL):
        return None, reader.problems
    ref_id = reader.ident()
    ref_type = reader.choice("type", TYPES)
    url = reader.text("url")
    if url:
        reader.problems.extend(check_url(url, path, reader.line("url"), ref_type))
    changes = []
    for change_node in reader.records("changes"):
        change, problems = _read_change(change_node, path)
        reader.problems.extend(problems)
        if change:
            changes.append(change)
    ref = LawRef(
        id=ref_id,
        title=reader.text("title"),
        cite=reader.text("cite"),
        url=url,
        type=ref_type,
        status=reader.choice("status", STATUSES),
        summary=reader.text("summary"),
        verified=reader.date("verified"),
        instrument=instrument,
        path=path,
        line=node.line,
        changes=tuple(sorted(changes, key=lambda c: c.date, reverse=True)),
        replaced_by=reader.text("replaced_by"),
        notes=reader.text("notes"),
        verified_from=reader.choice("verified_from", VERIFIED_FROM) or "official",
        field_lines=tuple(node.key_lines.items()),
        short=reader.text("short"),
    )
    # An id that is not lower-case words and hyphens never becomes a file name, URL or anchor.
    return (ref if ref_id and ID_RE.match(ref_id) else None), reader.problems


_ID_LINE = re.compile(r"^[ \t-]*id[ \t]*:[ \t]*['\"]?([A-Za-z0-9][A-Za-z0-9-]*)", re.MULTILINE)


def ids_in_text(path: Path) -> frozenset[str]:
    """Every `id: ...` a file that could not be parsed seems to define, read line by line."""
    data, _ = read_bytes(path, "")  # never through a symlink, never a pipe that could block
    return frozenset(_ID_LINE.findall(data.decode("utf-8", errors="replace"))) if data else frozenset()


def _read_file(path: Path, display: str) -> tuple[str, list[LawRef], list[Problem]]:
    root, problems = load_yaml_file(path, display)
    if root is None:
        if not problems:
            problems.append(Problem(display, 1, "file is empty", "add 'instrument:' and 'refs:'", root=True))
        return "", [], problems
    reader = Reader(root, display, "the file")
    mapping = reader.check_fields(("instrument", "refs"), ())
    # The file's own shape (not a mapping, a misspelt 'refs:'): the cause of every unknown id that follows.
    reader.problems[:] = [replace(p, root=True) for p in reader.problems]
    if not mapping:
        return "", [], problems + reader.problems
    instrument = reader.text("instrument")
    refs = []
    for node in reader.records("refs"):
        ref, ref_problems = _read_ref(node, display, instrument)
        problems.extend(ref_problems)
        if ref:
            refs.append(ref)
    return instrument, refs, problems + reader.problems


def load_register(directory: Path, root: Path | None = None) -> Register:
    """Load every law_refs/*.yml file; report all problems, never stop at the first."""
    root = root or directory.parent
    refs: dict[str, LawRef] = {}
    instruments: dict[str, list[str]] = {}
    problems: list[Problem] = []
    files = sorted(directory.glob("*.yml")) + sorted(directory.glob("*.yaml"))
    if not files:
        problems.append(Problem(display_path(directory, root), 1, "no register files found", "add law_refs/NAME.yml"))
    unreadable: dict[str, tuple[Problem, frozenset[str]]] = {}
    for path in files:
        display = display_path(path, root)
        instrument, file_refs, file_problems = _read_file(path, display)
        problems.extend(file_problems)
        cause = next((p for p in file_problems if p.root), None)
        if cause:
            unreadable[display] = (cause, ids_in_text(path))
        for ref in file_refs:
            if ref.id in refs:
                first = refs[ref.id]
                problems.append(Problem(ref.path, ref.line_of("id"), f"duplicate law reference id '{ref.id}'",
                                        f"already defined at {first.path}:{first.line}; ids must be unique",
                                        root=True))  # listed before the unknown-id errors it causes
                continue
            refs[ref.id] = ref
            instruments.setdefault(instrument or ref.path, []).append(ref.id)
    register = Register(refs, {k: tuple(v) for k, v in instruments.items()}, (), unreadable)
    for ref in refs.values():
        if ref.replaced_by and ref.replaced_by not in refs and not register.held_back(ref.replaced_by):
            hint = suggest(ref.replaced_by, refs) or "point it at an id in law_refs/"
            problems.append(Problem(ref.path, ref.line_of("replaced_by"),
                                    f"'{ref.id}' is replaced_by unknown id '{ref.replaced_by}'", hint))
    return replace(register, problems=tuple(problems))
