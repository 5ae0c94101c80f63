"""The register of statutory references: law_refs/*.yml -> validated LawRef records."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field, replace
from pathlib import Path

from lawguide.core import clock
from lawguide.core.fields import ID_RE, Reader
from lawguide.core.problems import Problem, display_path, suggest
from lawguide.core.weburl import WELL_FORMED, url_problem
from lawguide.core.yamlsrc import Node, load_yaml_file, read_bytes

TYPES = ("act", "regulations", "statutory-guidance", "guidance", "case", "proposal", "bill", "consultation", "response",
         "parliament")
# Never law, whatever their status says: a report's recommendations, a Bill before Parliament, a
# consultation, a government response, a parliamentary record (a minister's answer, a committee's
# evidence or report: what was said in Parliament, never what Parliament enacted). One rule, from the
# type, decides every reader's label.
PROPOSAL_TYPES = ("proposal", "bill", "consultation", "response", "parliament")
# What a proposal can be: still proposed, dropped (a Bill that fell, a consultation withdrawn), or
# replaced (a Bill that became an Act: replaced_by the Act's entry). Never in force.
PROPOSAL_STATUSES = ("proposed", "withdrawn", "superseded")
STATUSES = ("in-force", "partly-in-force", "not-yet-in-force", "repealed", "superseded", "withdrawn", "proposed")
# How an entry was last checked: against its own official source, or only through secondary sources.
VERIFIED_FROM = ("official", "secondary")
REQUIRED = ("id", "title", "cite", "url", "type", "status", "summary", "verified")
OPTIONAL = ("changes", "replaced_by", "notes", "verified_from", "short", "scope", "interprets")
CHANGE_FIELDS = ("date", "summary", "source")
CHANGE_OPTIONAL = ("kind", "commences", "case")
NATIONAL = "national"
# Kinds of change, each with its own reader message (render.page) and review behaviour (lawchange.review).
AMENDED, COMMENCED, REPEALED, NEW_EDITION = "amended", "commenced", "repealed", "new-edition"
CASE_LAW, APPEAL, LINK_MOVED, CORRECTION, REFORM = "case-law", "appeal", "link-moved", "correction", "reform-update"
KINDS = (AMENDED, COMMENCED, REPEALED, NEW_EDITION, CASE_LAW, APPEAL, LINK_MOVED, CORRECTION, REFORM)
PROPOSAL_KINDS = (REFORM, CORRECTION, LINK_MOVED)  # what can happen to a proposal: never a change in the law
DATED_KINDS = (AMENDED, COMMENCED, REPEALED)  # kinds that may take effect later (`commences:`)

# Judgments are read on the courts' and Parliament's own sites, and the Ombudsman's decisions on the
# Ombudsman's own site (it publishes them; nobody else is the official source); anything else (a press
# release, a law firm's note) is a secondary source and the entry must say so (verified_from: secondary).
JUDGMENT_HOSTS = ("caselaw.nationalarchives.gov.uk", "www.bailii.org", "bailii.org", "www.supremecourt.uk",
                  "supremecourt.uk", "www.judiciary.uk", "judiciary.uk", "publications.parliament.uk",
                  "www.parliament.uk", "hansard.parliament.uk", "www.lgo.org.uk", "lgo.org.uk")
# legislation.gov.uk's URI scheme: /TYPE/YEAR/NUMBER, then optionally /contents or a provision path
# (/section/17, /schedule/2/paragraph/21, /regulation/9, /part/3 ...), optionally a version (/made,
# /enacted, /2026-06-01). A year listing filtered by title (/uksi/2011?title=...) finds an instrument
# whose number is not yet verified without claiming one.
LEGISLATION_TYPES = "ukpga|uksi|ukla|ukdsi|asp|ssi|asc|anaw|wsi|nia|nisr|nisi|eur|eudr|eudn|ukci|ukmo"
_PROVISION = r"(?:section|schedule|regulation|part|chapter|article|rule|paragraph|crossheading)/[A-Za-z0-9-]+"
LEGISLATION_PATH = re.compile(
    rf"^https://www\.legislation\.gov\.uk(?:/id)?/(?:{LEGISLATION_TYPES})/\d{{4}}"
    rf"(?:/\d+(?:/contents|(?:/{_PROVISION})+)?(?:/(?:made|enacted|\d{{4}}-\d{{2}}-\d{{2}}))?(?:/contents)?"
    rf"|\?title=[A-Za-z0-9%+-]+)$")

# legislation.gov.uk document URIs by register type. A year listing filtered by title
# (/uksi/2011?title=...) is allowed for an instrument whose number is not yet verified:
# it finds the instrument without claiming a number. Primary law of the other UK nations counts
# as an act (Senedd and Assembly Acts: anaw, asc; Scottish Parliament: asp; Northern Ireland
# Assembly: nia; Northern Ireland Orders in Council: nisi), so the guide can cite what applies
# there instead; their secondary legislation (wsi, ssi, nisr) counts as regulations.
_ACT_KINDS = "ukpga|eur|anaw|asc|asp|nia|nisi"
_REGULATION_KINDS = "uksi|eur|wsi|ssi|nisr"
LEGISLATION_URL = {
    "act": re.compile(rf"^https://www\.legislation\.gov\.uk/({_ACT_KINDS})/\d{{4}}(/\d+(/[A-Za-z0-9/+=-]*)?|\?title=[A-Za-z0-9%+-]+)$"),
    "regulations": re.compile(rf"^https://www\.legislation\.gov\.uk/({_REGULATION_KINDS})/\d{{4}}(/\d+(/[A-Za-z0-9/+=-]*)?|\?title=[A-Za-z0-9%+-]+)$"),
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
PROPOSAL_LABELS = {
    "proposal": "Proposal only: not law",
    "bill": "A Bill before Parliament: not law",
    "consultation": "Consultation: not law",
    "response": "Government response: not law",
    "parliament": "Parliamentary record: not law",
}
TYPE_LABELS = {
    "act": "Act of Parliament",
    "regulations": "Regulations",
    "statutory-guidance": "Statutory guidance",
    "guidance": "Guidance",
    "case": "Court case",
    "proposal": "Proposal",
    "bill": "Bill before Parliament",
    "consultation": "Consultation",
    "response": "Government response",
    "parliament": "Parliamentary record",
}


@dataclass(frozen=True)
class Change:
    date: dt.date  # when it happened or was made: never in the future
    summary: str
    source: str
    line: int
    kind: str = AMENDED
    commences: dt.date | None = None  # when it takes effect, when that is not `date` (may be in the future)
    case: str = ""  # case-law: the register id of the judgment

    @property
    def effective(self) -> dt.date:
        return self.commences or self.date


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
    scope: str = NATIONAL  # "national", or the name of the one council whose policy this is
    interprets: tuple[str, ...] = ()  # a case: the register ids it interprets (impact proposes sections)

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
        """Never law: the type decides (a Bill, a consultation ...), or an old entry's `proposed`."""
        return self.type in PROPOSAL_TYPES or self.status == "proposed"

    @property
    def is_local(self) -> bool:
        return self.scope != NATIONAL

    @property
    def status_label(self) -> str:
        if self.is_proposal:
            if self.status == "withdrawn":
                return "Dropped: it never became law"
            if self.status == "superseded":
                return "No longer current: it was never law in this form"
            return PROPOSAL_LABELS.get(self.type, STATUS_LABELS["proposed"])
        if self.status == "in-force" and self.type in ("case", "guidance", "statutory-guidance"):
            return "Current"
        return STATUS_LABELS.get(self.status, self.status)

    def pending(self, today: dt.date) -> Change | None:
        """The soonest change that has a known date still to come (commencement, amendment, repeal)."""
        future = [c for c in self.changes if c.kind in DATED_KINDS and c.commences and c.commences > today]
        return min(future, key=lambda c: c.commences) if future else None

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
    """An official URL must pass the one URL check (core.weburl); a legislation.gov.uk address must
    follow its URI scheme, and an Act's or regulations' must be one."""
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
    if url.startswith("https://www.legislation.gov.uk/") and not LEGISLATION_PATH.match(url):
        near = re.sub(r"/content(?=/|$)", "/contents", url)
        hint = (f"did you mean '{near}'?" if near != url and LEGISLATION_PATH.match(near)
                else "TYPE/YEAR/NUMBER, then /contents or a provision such as /section/17 or /schedule/2/paragraph/21")
        return [Problem(path, line, f"url '{url}' does not follow legislation.gov.uk's URI scheme", hint)]
    return []


def _read_change(node: Node, path: str, proposal: bool, today: dt.date) -> tuple[Change | None, list[Problem]]:
    reader = Reader(node, path, "a change")
    if not reader.check_fields(CHANGE_FIELDS, CHANGE_OPTIONAL):
        return None, reader.problems
    date = reader.date("date")
    source = reader.text("source")
    if source:
        reader.problems.extend(check_url(source, path, reader.line("source")))
    kind = reader.choice("kind", KINDS) or (REFORM if proposal else AMENDED)
    commences = reader.date("commences")
    problems = reader.problems
    if date is not None and date > today:
        problems.append(Problem(path, reader.line("date"), f"change date {date} is in the future (today is {today})",
                                "date a change when it happened or was made; put a later start in 'commences:'"))
    if kind in KINDS:
        problems.extend(_kind_problems(reader, kind, proposal, source, commences))
    if date is None:
        return None, problems
    change = Change(date, reader.text("summary"), source, node.line, kind if kind in KINDS else AMENDED,
                    commences, reader.text("case"))
    return change, problems


def _kind_problems(reader: Reader, kind: str, proposal: bool, source: str, commences: dt.date | None) -> list[Problem]:
    path, line = reader.path, reader.line("kind")
    if proposal and kind not in PROPOSAL_KINDS:
        return [Problem(path, line, f"a proposal cannot have a change of kind '{kind}': it is not law",
                        "use 'kind: reform-update' (the default); record the law itself on the Act's entry")]
    if not proposal and kind == REFORM:
        return [Problem(path, line, "'kind: reform-update' is only for proposals, Bills, consultations and responses",
                        "use amended, commenced, repealed, new-edition, case-law, appeal, link-moved or correction")]
    if commences and kind not in DATED_KINDS:
        return [Problem(path, reader.line("commences"), f"'commences' has no meaning for a change of kind '{kind}'",
                        "only amended, commenced and repealed changes take effect on a later date")]
    if kind == LINK_MOVED and not source:
        return [Problem(path, line, "a link-moved change needs 'source:' (the new address)", "and set 'url:' to it")]
    if reader.text("case") and kind != CASE_LAW:
        return [Problem(path, reader.line("case"), "'case' is only for a change of kind 'case-law'")]
    return []


def _read_ref(node: Node, path: str, instrument: str, today: dt.date) -> tuple[LawRef | None, list[Problem]]:
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
        change, problems = _read_change(change_node, path, ref_type in PROPOSAL_TYPES, today)
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
        scope=reader.text("scope") or NATIONAL,
        interprets=reader.str_list("interprets"),
    )
    reader.problems.extend(meaning_problems(ref, today))
    # An id that is not lower-case words and hyphens never becomes a file name, URL or anchor.
    return (ref if ref_id and ID_RE.match(ref_id) else None), reader.problems


def meaning_problems(ref: LawRef, today: dt.date) -> list[Problem]:
    """What an entry says that cannot be true, or is half done: each at the line to change."""
    out: list[Problem] = []
    at = ref.line_of
    if ref.type in PROPOSAL_TYPES and ref.status and ref.status not in PROPOSAL_STATUSES:
        what = TYPE_LABELS[ref.type].lower()
        out.append(Problem(ref.path, at("status"), f"'{ref.id}' is a {what} with 'status: {ref.status}': it is not law",
                           "use status: proposed (or withdrawn when it is dropped, superseded with replaced_by "
                           "when it becomes law); record the law itself as its own act or regulations entry"))
    # An unknown type is already reported at its own line: a second message would blame the status.
    if ref.status == "proposed" and ref.type in TYPES and ref.type not in PROPOSAL_TYPES:
        out.append(Problem(ref.path, at("status"), f"'{ref.id}' is of type '{ref.type}' with 'status: proposed'",
                           f"a proposal is type {', '.join(PROPOSAL_TYPES[:-1])} or {PROPOSAL_TYPES[-1]}; an Act "
                           "passed but not commenced is status: not-yet-in-force"))
    if ref.verified and ref.verified > today:
        out.append(Problem(ref.path, at("verified"), f"'verified' {ref.verified} is in the future (today is {today})",
                           "record the day you read the source"))
    newest = ref.changes[0] if ref.changes else None
    if ref.status == "superseded" and not ref.replaced_by and not ref.changes:
        out.append(Problem(ref.path, at("status"), f"'{ref.id}' is superseded but says neither by what nor when",
                           "add 'replaced_by: NEW-ID' and a dated 'changes:' entry (kind: new-edition)"))
    for change in ref.changes:
        if change.kind == NEW_EDITION and not ref.replaced_by:
            out.append(Problem(ref.path, change.line, "a new-edition change needs 'replaced_by:' on the entry",
                               "point replaced_by at the new edition's id"))
        if change.kind == APPEAL and ref.type != "case":
            out.append(Problem(ref.path, change.line, "an appeal change belongs on a case's entry",
                               "record it on the judgment under appeal; use kind: case-law for a new judgment "
                               "about this entry"))
        if change.kind == REPEALED and not change.commences and ref.status not in ("repealed", "partly-in-force"):
            out.append(Problem(ref.path, at("status"), f"'{ref.id}' has a repeal on {change.date} but 'status: "
                               f"{ref.status}'", "set status: repealed, or give the repeal's start in 'commences:'"))
        if change.kind == LINK_MOVED and change.source and change.source != ref.url and change is newest:
            out.append(Problem(ref.path, at("url"), f"'{ref.id}': the link moved to '{change.source}' but 'url' "
                               "still has the old address", "set url: to the new address"))
    if ref.type == "case" and ref.url and ref.verified_from != "secondary" and _host(ref.url) not in JUDGMENT_HOSTS:
        out.append(Problem(ref.path, at("url"), f"'{ref.id}': a case's url must be on an official judgment host, "
                           f"not '{_host(ref.url)}'", "use caselaw.nationalarchives.gov.uk, bailii.org, "
                           "supremecourt.uk, judiciary.uk or, for the Ombudsman's decisions, lgo.org.uk; "
                           "or set verified_from: secondary and say why in notes"))
    if ref.is_local and ref.type not in ("guidance", *PROPOSAL_TYPES):
        out.append(Problem(ref.path, at("scope"), f"'{ref.id}' is of type '{ref.type}', which applies nationally, "
                           f"but 'scope: {ref.scope}'", "only a council's own guidance or policy has a local scope"))
    return out


def _host(url: str) -> str:
    return url.split("://", 1)[-1].split("/", 1)[0].lower()


_ID_LINE = re.compile(r"^[ \t-]*id[ \t]*:[ \t]*['\"]?([A-Za-z0-9][A-Za-z0-9-]*)", re.MULTILINE)


def ids_in_text(path: Path) -> frozenset[str]:
    """Every `id: ...` a file that could not be parsed seems to define, read line by line."""
    data, _ = read_bytes(path, "")  # never through a symlink, never a pipe that could block
    return frozenset(_ID_LINE.findall(data.decode("utf-8", errors="replace"))) if data else frozenset()


def _read_file(path: Path, display: str, today: dt.date) -> tuple[str, list[LawRef], list[Problem]]:
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
        ref, ref_problems = _read_ref(node, display, instrument, today)
        problems.extend(ref_problems)
        if ref:
            refs.append(ref)
    return instrument, refs, problems + reader.problems


NOT_ENTRIES = ("processes.yml",)  # the processes guide sections describe (lawchange.processes): not entries


def load_register(directory: Path, root: Path | None = None, today: dt.date | None = None) -> Register:
    """Load every law_refs/*.yml file; report all problems, never stop at the first. `today`
    (default: core.clock) is the day no date may be after."""
    root = root or directory.parent
    today = today or clock.today()
    refs: dict[str, LawRef] = {}
    instruments: dict[str, list[str]] = {}
    problems: list[Problem] = []
    files = [f for f in sorted(directory.glob("*.yml")) + sorted(directory.glob("*.yaml")) if f.name not in NOT_ENTRIES]
    if not files:
        problems.append(Problem(display_path(directory, root), 1, "no register files found", "add law_refs/NAME.yml"))
    unreadable: dict[str, tuple[Problem, frozenset[str]]] = {}
    for path in files:
        display = display_path(path, root)
        instrument, file_refs, file_problems = _read_file(path, display, today)
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
        problems.extend(_link_problems(register, ref))
    return replace(register, problems=tuple(problems))


def _link_problems(register: Register, ref: LawRef) -> list[Problem]:
    """Ids an entry names besides replaced_by: the cases it is interpreted by, what a case interprets."""
    out = []
    named = [(c.case, c.line, "case") for c in ref.changes if c.case]
    named += [(other, ref.line_of("interprets"), "interprets") for other in ref.interprets]
    for other, line, what in named:
        if other in register.refs or register.held_back(other):
            if what == "case" and other in register.refs and register.refs[other].type != "case":
                out.append(Problem(ref.path, line, f"'case: {other}' is not a case's entry", "name the judgment's id"))
            continue
        hint = suggest(other, register.refs) or "add the entry to law_refs/ first"
        out.append(Problem(ref.path, line, f"'{ref.id}' names unknown id '{other}' in '{what}'", hint))
    return out
