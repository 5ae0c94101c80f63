"""Import legislation.gov.uk "changes to legislation" (effects) Atom feeds into the register.

Feed shape: legislation/data-documentation formats/atom.md and the CLML schema's EffectType.
Each <entry> holds one <ukm:Effect>. An effect is *outstanding* unless Applied="true" (the text
on legislation.gov.uk already includes it) or RequiresApplied="false" (it will never apply).

Matching: AffectedURI and every ukm:AffectedProvisions Section/@URI (and SectionRange) are
normalised (http/https, www, /id/ vs document URIs, extent and version suffixes, /contents) to
(instrument, provision path). An effect matches a register entry of the same instrument when one
provision contains the other: an effect on s. 17(6) matches an entry for s. 17, an effect on the
whole Act matches every entry of the Act, and an effect on s. 17 matches an entry for s. 17(10).
Register URLs that name only a section (the usual case) therefore also match effects on any of
its subsections: more pages to check, never fewer.

Nothing is written unless the whole feed is valid; `--apply` edits law_refs/*.yml with
ruamel.yaml round-trip so comments, key order and folding stay as they were, writes each file back
in its own line endings and byte-order mark (core.yamlsrc.write_text, as `sources reverify` does),
and never adds a change that is already recorded (same date and summary).
"""

from __future__ import annotations

import datetime as dt
import io
import re
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlparse
from xml.parsers import expat

from lawguide.content.register import LawRef
from lawguide.content.site import Site
from lawguide.core.problems import Problem
from lawguide.core.weburl import url_problem

ATOM = "http://www.w3.org/2005/Atom"
UKM = "http://www.legislation.gov.uk/namespaces/metadata"
REQUIRED_ATTRIBUTES = ("EffectId", "Type", "AffectedURI", "AffectingURI")
HOSTS = ("legislation.gov.uk", "www.legislation.gov.uk")
VERSIONS = {"enacted", "made", "created", "adopted", "prospective", "contents", "notes"}
EXTENT_RE = re.compile(r"^=?(england|wales|scotland|ni|northern-ireland|uk)(\+(england|wales|scotland|ni))*$")
DATE_SEGMENT_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
# The source link a change gets: a plain legislation.gov.uk document path, nothing else.
SOURCE_RE = re.compile(r"^https://www\.legislation\.gov\.uk(/[A-Za-z0-9._-]+)+$")
FEED_HINT = "download it from https://www.legislation.gov.uk/changes/affected/TYPE/YEAR/NUMBER/data.feed"


# --- a tiny XML tree that remembers source lines (ElementTree does not) ---

# A page of a legislation.gov.uk changes feed is tens of kilobytes; a whole Act's effects a few
# megabytes. Anything far bigger is not a feed, and reading it would only use up memory.
MAX_FEED_BYTES = 16 * 1024 * 1024
MAX_ELEMENTS = 50_000  # a feed page holds 20-100 entries of about 15 elements each
MAX_DEPTH = 200


@dataclass
class XNode:
    tag: str  # "{namespace}local", as in ElementTree
    attrib: dict[str, str]
    line: int
    children: list[XNode] = field(default_factory=list)
    text: str = ""

    def find(self, tag: str) -> XNode | None:
        return next((c for c in self.children if c.tag == tag), None)

    def findall(self, tag: str) -> list[XNode]:
        return [c for c in self.children if c.tag == tag]

    def iter(self, tag: str):
        """Descendants with this tag, in document order; iterative, so depth costs no stack."""
        stack = list(reversed(self.children))
        while stack:
            node = stack.pop()
            if node.tag == tag:
                yield node
            stack.extend(reversed(node.children))


class _Refused(Exception):
    def __init__(self, line: int, message: str, hint: str):
        super().__init__(message)
        self.line, self.message, self.hint = line, message, hint


def parse_xml(data: bytes, path: str, max_bytes: int = MAX_FEED_BYTES) -> tuple[XNode | None, list[Problem]]:
    """A well-formed XML document as XNodes, or one problem saying why not. Bounded: no DTD or
    entity declarations, at most max_bytes, MAX_ELEMENTS elements nested MAX_DEPTH deep; text is
    collected in linear time and nothing recurses."""
    if len(data) > max_bytes:
        return None, [Problem(path, 1, f"the file is {_size(len(data))}, more than the {_size(max_bytes)} a feed can be",
                              f"is this the feed file? {FEED_HINT}")]
    parser = expat.ParserCreate(namespace_separator="}")
    parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
    stack: list[XNode] = []
    texts: list[list[str]] = []  # text pieces of each open element, joined once at its end
    root: list[XNode] = []
    count = 0

    def qualify(name: str) -> str:
        return "{" + name if "}" in name else name

    def start(name: str, attrs: dict[str, str]) -> None:
        nonlocal count
        count += 1
        if count > MAX_ELEMENTS or len(stack) >= MAX_DEPTH:
            what = f"more than {MAX_ELEMENTS:,} elements" if count > MAX_ELEMENTS else f"elements nested more than {MAX_DEPTH} deep"
            raise _Refused(parser.CurrentLineNumber, f"the document has {what}; a changes feed has far fewer",
                           f"is this the feed file? {FEED_HINT}")
        node = XNode(qualify(name), {qualify(k): v for k, v in attrs.items()}, parser.CurrentLineNumber)
        (stack[-1].children if stack else root).append(node)
        stack.append(node)
        texts.append([])

    def end(name: str) -> None:
        stack.pop().text = "".join(texts.pop())

    def chars(text: str) -> None:
        if texts:
            texts[-1].append(text)

    def doctype(*args: object) -> None:
        raise _Refused(parser.CurrentLineNumber, "the document has a DOCTYPE; a changes feed never has one",
                       "feeds from legislation.gov.uk have none; DOCTYPEs can declare entities that expand without end")

    def entity(*args: object) -> None:
        raise _Refused(parser.CurrentLineNumber, "the document declares an entity; a changes feed never does",
                       f"is this the feed file? {FEED_HINT}")

    parser.StartElementHandler, parser.EndElementHandler, parser.CharacterDataHandler = start, end, chars
    parser.StartDoctypeDeclHandler = doctype
    parser.EntityDeclHandler = entity
    parser.ExternalEntityRefHandler = lambda *args: 0  # never fetch anything (there is no DTD to name one)
    try:
        parser.Parse(data, True)
    except _Refused as refused:
        return None, [Problem(path, refused.line, refused.message, refused.hint)]
    except expat.ExpatError as exc:
        return None, [Problem(path, exc.lineno or 1, f"not well-formed XML: {expat.ErrorString(exc.code)}",
                              f"is this the feed file? {FEED_HINT}")]
    return root[0], []


def _size(size: int) -> str:
    return f"{size / 1024 / 1024:.1f} MB" if size >= 1024 * 1024 else f"{size:,} bytes"


# --- legislation.gov.uk URIs ---

@dataclass(frozen=True)
class Provision:
    instrument: tuple[str, ...]  # e.g. ("ukpga", "1989", "41")
    path: tuple[str, ...]  # e.g. ("section", "17", "6"); () for the whole instrument

    def contains(self, other: Provision) -> bool:
        return self.instrument == other.instrument and other.path[:len(self.path)] == self.path

    def related(self, other: Provision) -> bool:
        return self.contains(other) or other.contains(self)

    @property
    def key(self) -> str:
        return "/".join(self.instrument + self.path)


def normalise_uri(uri: str) -> Provision | None:
    """A legislation.gov.uk identifier or document URI as (instrument, provision), or None for
    anything else. http/https, www, /id/, extent (/england), version (/enacted, /2020-01-01),
    /contents and /data.* suffixes are all ignored; case is ignored."""
    parsed = urlparse(uri.strip())
    if parsed.scheme not in ("http", "https") or parsed.netloc.lower() not in HOSTS:
        return None
    parts = [p for p in parsed.path.lower().split("/") if p]
    if parts and parts[0] == "id":
        parts = parts[1:]
    while parts and (parts[-1].startswith("data.") or parts[-1] in VERSIONS or DATE_SEGMENT_RE.match(parts[-1])
                     or EXTENT_RE.match(parts[-1])):
        parts.pop()
    if len(parts) < 3:
        return None
    # Calendar years: type/year/number. Regnal years (pre-1963 Acts): type/reign/session/number.
    size = 3 if parts[1].isdigit() else 4
    if len(parts) < size:
        return None
    return Provision(tuple(parts[:size]), tuple(parts[size:]))


def document_url(uri: str) -> str:
    """The https document URL for an identifier URI: http://www.legislation.gov.uk/id/x -> https://www.legislation.gov.uk/x."""
    parsed = urlparse(uri.strip())
    path = parsed.path
    if path.startswith("/id/"):
        path = path[3:]
    return f"https://www.legislation.gov.uk{path}"


def _number_key(number: str) -> tuple:
    """Order provision numbers as printed: 17 < 17ZA < 17ZB < 17A < 17B < 18 (Z-prefixed inserts come first)."""
    match = re.match(r"^(\d+)([a-z]*)$", number)
    if not match:
        return (float("inf"), number)
    suffix = match.group(2)
    return (int(match.group(1)), 0 if not suffix else (1 if suffix.startswith("z") and len(suffix) > 1 else 2), suffix)


@dataclass(frozen=True)
class ProvisionRange:
    """An inclusive range such as ss. 17ZA-17ZI: same parent, same kind of division."""

    start: Provision
    end: Provision

    def related(self, other: Provision) -> bool:
        if self.start.related(other) or self.end.related(other):
            return True
        s, e = self.start.path, self.end.path
        if not s or len(s) != len(e) or s[:-1] != e[:-1] or self.start.instrument != other.instrument:
            return False
        depth = len(s)
        if len(other.path) < depth or other.path[:depth - 1] != s[:-1]:
            return other.path == s[:len(other.path)]  # a parent of the whole range
        return _number_key(s[-1]) <= _number_key(other.path[depth - 1]) <= _number_key(e[-1])


# --- effects ---

@dataclass(frozen=True)
class Effect:
    id: str
    type: str
    line: int
    affected: Provision | None
    targets: tuple[Provision | ProvisionRange, ...]  # the affected provisions; the instrument if none listed
    affected_title: str
    affected_provisions: str
    affecting_uri: str
    affecting_title: str
    affecting_provisions: str
    date: dt.date
    applied: bool
    requires_applied: bool
    modified: dt.date | None = None  # when legislation.gov.uk last recorded or edited the effect

    @property
    def outstanding(self) -> bool:
        return not self.applied and self.requires_applied

    @property
    def summary(self) -> str:
        what = self.affected_provisions or self.affected_title or "Whole instrument"
        by = " ".join(p for p in (self.affecting_title, self.affecting_provisions) if p)
        return f"{what} {self.type} by {by}".strip()

    @property
    def source(self) -> str:
        return document_url(self.affecting_uri)


def read_feed(path: Path, display: str | None = None) -> tuple[list[Effect], list[Problem]]:
    """Every effect in a changes feed, or the problems that make the feed unusable."""
    display = display or path.as_posix()
    try:
        if path.stat().st_size > MAX_FEED_BYTES:  # refused before reading it into memory
            return [], [Problem(display, 1, f"the file is {_size(path.stat().st_size)}, more than the "
                                f"{_size(MAX_FEED_BYTES)} a feed can be", f"is this the feed file? {FEED_HINT}")]
        data = path.read_bytes()
    except OSError as exc:
        return [], [Problem(display, 1, f"cannot read the feed: {exc.strerror}")]
    effects, problems, _ = read_feed_bytes(data, display)
    return effects, problems


def read_feed_bytes(data: bytes, display: str) -> tuple[list[Effect], list[Problem], XNode | None]:
    """Every effect in a changes feed's bytes (saved or fetched), the problems, and the parsed root
    (for paging links); the root is None when the document is not an Atom feed."""
    root, problems = parse_xml(data, display)
    if root is None:
        return [], problems, None
    if root.tag != f"{{{ATOM}}}feed":
        local = root.tag.rsplit("}", 1)[-1]
        return [], [Problem(display, root.line, f"not an Atom feed: the document starts with <{local}>, not an Atom <feed>",
                            FEED_HINT)], None
    effects: list[Effect] = []
    for number, entry in enumerate(root.findall(f"{{{ATOM}}}entry"), start=1):
        effect, entry_problems = _read_entry(entry, number, display)
        problems.extend(entry_problems)
        if effect:
            effects.append(effect)
    return effects, problems, root


def _read_entry(entry: XNode, number: int, path: str) -> tuple[Effect | None, list[Problem]]:
    node = next(entry.iter(f"{{{UKM}}}Effect"), None)
    if node is None:
        return None, [Problem(path, entry.line, f"entry {number} has no ukm:Effect",
                              f"this is not a 'changes to legislation' feed; {FEED_HINT}")]
    return read_effect(node, number, path, entry)


def read_effect(node: XNode, number: int, path: str, entry: XNode | None = None) -> tuple[Effect | None, list[Problem]]:
    """One ukm:Effect (a feed entry's) or ukm:UnappliedEffect (an item's data.xml) as an Effect."""
    a = node.attrib
    label = f"effect {a.get('EffectId') or number}"
    missing = [name for name in REQUIRED_ATTRIBUTES if not a.get(name, "").strip()]
    if missing:
        return None, [Problem(path, node.line, f"{label} is missing required attribute{'s' if len(missing) > 1 else ''} "
                              + ", ".join(f"'{m}'" for m in missing), "the feed may be truncated or edited by hand")]
    affected = normalise_uri(a["AffectedURI"])
    if affected is None:
        return None, [Problem(path, node.line, f"{label}: AffectedURI '{a['AffectedURI']}' is not a legislation.gov.uk "
                              "legislation URI")]
    affecting = a["AffectingURI"].strip()
    if normalise_uri(affecting) is None or not SOURCE_RE.match(document_url(affecting)) \
            or url_problem(document_url(affecting)):
        return None, [Problem(path, node.line, f"{label}: AffectingURI {affecting!r} is not a legislation.gov.uk "
                              "legislation URI", "it becomes the change's source link; the feed may have been edited")]
    date, problems = _effect_date(node, entry, label, path)
    if date is None:
        return None, problems
    targets = _targets(node, affected)
    effect = Effect(
        id=a["EffectId"].strip(), type=" ".join(a["Type"].split()), line=node.line, affected=affected,
        targets=targets, affected_title=_text(node, "AffectedTitle"),
        affected_provisions=" ".join(a.get("AffectedProvisions", "").split()),
        affecting_uri=a["AffectingURI"].strip(), affecting_title=_text(node, "AffectingTitle"),
        affecting_provisions=" ".join(a.get("AffectingProvisions", "").split()), date=date,
        applied=a.get("Applied", "").strip().lower() == "true",
        requires_applied=a.get("RequiresApplied", "").strip().lower() != "false",
        modified=_modified(node, entry),
    )
    return effect, problems


def _modified(node: XNode, entry: XNode | None) -> dt.date | None:
    updated = entry.find(f"{{{ATOM}}}updated") if entry is not None else None
    for value in (node.attrib.get("Modified", ""), updated.text if updated is not None else ""):
        try:
            return dt.date.fromisoformat(value.strip()[:10])
        except ValueError:
            continue
    return None


def _text(node: XNode, local: str) -> str:
    child = node.find(f"{{{UKM}}}{local}")
    return " ".join(child.text.split()) if child is not None else ""


def _targets(node: XNode, affected: Provision) -> tuple[Provision | ProvisionRange, ...]:
    out: list[Provision | ProvisionRange] = []
    listed = node.find(f"{{{UKM}}}AffectedProvisions")
    for child in listed.children if listed is not None else []:
        if child.tag == f"{{{UKM}}}Section":
            provision = normalise_uri(child.attrib.get("URI", ""))
            if provision:
                out.append(provision)
        elif child.tag == f"{{{UKM}}}SectionRange":
            start = normalise_uri(child.attrib.get("URI", ""))
            end = normalise_uri(child.attrib.get("UpTo", ""))
            if start and end:
                out.append(ProvisionRange(start, end))
            elif start or end:
                out.append(start or end)
    # No listed provisions: the effect is on whatever AffectedURI names (often the whole instrument).
    return tuple(out) or (affected,)


def _effect_date(node: XNode, entry: XNode | None, label: str, path: str) -> tuple[dt.date | None, list[Problem]]:
    """The earliest in-force date when one is given, else when the effect was last modified."""
    dates = []
    for in_force in node.iter(f"{{{UKM}}}InForce"):
        value = in_force.attrib.get("Date", "").strip()
        if value:
            try:
                dates.append(dt.date.fromisoformat(value[:10]))
            except ValueError:
                return None, [Problem(path, in_force.line, f"{label}: in-force Date '{value}' is not a date")]
    if dates:
        return min(dates), []
    updated = entry.find(f"{{{ATOM}}}updated") if entry is not None else None
    for value in (node.attrib.get("Modified", ""), updated.text if updated is not None else ""):
        value = value.strip()
        if value:
            try:
                return dt.date.fromisoformat(value[:10]), []
            except ValueError:
                return None, [Problem(path, node.line, f"{label}: date '{value}' is not a date")]
    return None, [Problem(path, node.line, f"{label} has no date: no in-force Date, no Modified attribute, no <updated>")]


# --- matching and reporting ---

@dataclass
class Match:
    effect: Effect
    refs: list[LawRef]
    pages: list[str]


@dataclass
class ImportReport:
    effects: list[Effect]
    matches: list[Match]
    unmatched: list[tuple[Effect, str]]
    skipped: list[Effect]  # already applied on legislation.gov.uk, or never to be applied
    recorded: list[tuple[LawRef, Effect]] = field(default_factory=list)
    already: list[tuple[LawRef, Effect]] = field(default_factory=list)

    def as_dict(self) -> dict:
        return {
            "effects": len(self.effects),
            "skipped": [e.id for e in self.skipped],
            "matches": [{"effect": m.effect.id, "date": m.effect.date.isoformat(), "summary": m.effect.summary,
                         "source": m.effect.source, "refs": [r.id for r in m.refs], "pages": m.pages}
                        for m in self.matches],
            "unmatched": [{"effect": e.id, "summary": e.summary, "reason": reason} for e, reason in self.unmatched],
            "recorded": [{"ref": r.id, "effect": e.id} for r, e in self.recorded],
            "already_recorded": [{"ref": r.id, "effect": e.id} for r, e in self.already],
        }


def register_provisions(site: Site) -> list[tuple[LawRef, Provision]]:
    return [(ref, p) for ref in site.register.refs.values() if (p := normalise_uri(ref.url))]


def match_effects(site: Site, effects: list[Effect], include_applied: bool = False) -> ImportReport:
    provisions = register_provisions(site)
    instruments = {p.instrument for _, p in provisions}
    report = ImportReport(effects, [], [], [])
    for effect in effects:
        if not (effect.outstanding or include_applied):
            report.skipped.append(effect)
            continue
        refs = [ref for ref, p in provisions if any(t.related(p) for t in effect.targets)]
        if not refs:
            known = effect.affected.instrument in instruments
            reason = ("no register entry covers this provision" if known else
                      f"{effect.affected_title or '/'.join(effect.affected.instrument)} is not in the register")
            report.unmatched.append((effect, reason))
            continue
        pages = sorted({path for ref in refs for path in site.pages_citing(ref.id)})
        report.matches.append(Match(effect, refs, pages))
    return report


def report_text(report: ImportReport, site: Site, applied: bool) -> str:
    out = [f"{len(report.effects)} effect{'s' if len(report.effects) != 1 else ''} in the feed: "
           f"{len(report.matches)} matched, {len(report.unmatched)} unmatched, "
           f"{len(report.skipped)} already applied on legislation.gov.uk (skipped)."]
    for match in report.matches:
        out += ["", f"{match.effect.date.isoformat()}  {match.effect.summary}",
                f"  effect {match.effect.id}; source {match.effect.source}"]
        for ref in match.refs:
            out.append(f"  register: {ref.id} ({ref.cite}) at {ref.path}:{ref.line}")
        pages = [site.citing_pages[p].display for p in match.pages]
        out.append("  pages to check: " + (", ".join(pages) if pages else "none cite it"))
    if report.unmatched:
        out += ["", "Unmatched (no change recorded):"]
        out += [f"  {e.date.isoformat()}  {e.summary} - {reason}" for e, reason in report.unmatched]
    if applied:
        out += ["", f"Recorded {len(report.recorded)} change{'s' if len(report.recorded) != 1 else ''} in the register"
                f"; {len(report.already)} already recorded."]
        out += [f"  {ref.path}: {ref.id}: {effect.summary}" for ref, effect in report.recorded]
    elif report.matches:
        out += ["", "Nothing written. Run again with --apply to record these changes in law_refs/."]
    return "\n".join(out)


# --- writing the register (ruamel.yaml round-trip) ---

class FormattingError(Exception):
    """The file would be reformatted by a round-trip, so it is not safe to edit automatically."""


def _yaml():
    from ruamel.yaml import YAML  # imported here: only --apply needs it, and it is slow to import

    yaml = YAML(typ="rt")
    yaml.preserve_quotes = True
    yaml.width = 4096  # never re-wrap the editors' lines
    yaml.representer.ignore_aliases = lambda data: True  # one effect on three entries: three plain copies
    return yaml


ChangeList = list[tuple[str, dict]]  # (register id, {date, summary, source})


def add_changes_to_text(text: str, path: str, additions: dict[str, list[dict]]) -> tuple[str, ChangeList, ChangeList]:
    """Add {date, summary, source} changes to entries of one register file's text.
    Returns (new text, added [(id, change)], already present [(id, change)])."""
    from ruamel.yaml.comments import CommentedMap, CommentedSeq

    yaml, data = _round_trip(text, path)
    entries = {str(e.get("id")): e for e in (data.get("refs") or []) if isinstance(e, dict)}
    added, present = [], []
    for ref_id, changes in additions.items():
        entry = entries[ref_id]
        existing = entry.get("changes") or []
        new = []
        for change in changes:
            # The same effect, imported again on another day: its in-force date and summary match.
            effective = (change.get("commences") or change["date"]).isoformat()
            if any(str(c.get("commences") or c.get("date")) == effective and str(c.get("summary", "")).strip() == change["summary"]
                   for c in [*existing, *new]):
                present.append((ref_id, change))
                continue
            fields = [("date", change["date"]), ("summary", change["summary"]), ("source", change["source"])]
            if change.get("commences"):
                fields.append(("commences", change["commences"]))
            new.append(CommentedMap(fields))
            added.append((ref_id, change))
        if not new:
            continue
        # ruamel keeps a comment that follows an entry (e.g. one introducing the next entry) on
        # the entry's last value; move it so it still follows the entry once changes are added.
        comment = _take_trailing_comment(entry)
        if "changes" not in entry:
            entry["changes"] = CommentedSeq()
        entry["changes"].extend(new)
        if comment is not None:
            new[-1].ca.items["source"] = [None, None, comment, None]
    return (_dump(yaml, data) if added else text), added, present


def _take_trailing_comment(node):
    """Detach and return the comment token after the last value inside a mapping, if any."""
    from ruamel.yaml.comments import CommentedMap, CommentedSeq

    if isinstance(node, CommentedSeq) and len(node):
        return _take_trailing_comment(node[-1])
    if not isinstance(node, CommentedMap) or not node:
        return None
    last = list(node.keys())[-1]
    if isinstance(node[last], (CommentedMap, CommentedSeq)):
        inner = _take_trailing_comment(node[last])
        if inner is not None:
            return inner
    slot = node.ca.items.get(last)
    if slot and len(slot) > 2 and slot[2] is not None:
        token, slot[2] = slot[2], None
        return token
    return None


def _round_trip(text: str, path: str):
    """Load text with the indentation that reproduces it exactly, or refuse."""
    from ruamel.yaml.util import load_yaml_guess_indent

    _, indent, block_seq_indent = load_yaml_guess_indent(text)
    candidates = [(block_seq_indent or 2, indent or 2, block_seq_indent or 0), (2, 4, 2), (2, 2, 0), (4, 4, 2)]
    for mapping, sequence, offset in candidates:
        yaml = _yaml()
        yaml.indent(mapping=mapping, sequence=sequence, offset=offset)
        data = yaml.load(text)
        if _dump(yaml, data) == text:
            return yaml, data
    raise FormattingError(f"{path}: saving this file automatically would change its layout; add the changes by hand")


def _dump(yaml, data) -> str:
    out = io.StringIO()
    yaml.dump(data, out)
    return out.getvalue()


def apply_report(site: Site, report: ImportReport) -> list[Problem]:
    """Record every match as a `changes` entry. All files are prepared first and written only if
    every one can be edited safely, so a failure changes no file."""
    from lawguide.core.clock import today as clock_today

    today = clock_today()
    by_file: dict[str, dict[str, list[dict]]] = {}
    effects: dict[tuple[str, str], list[Effect]] = {}
    for match in report.matches:
        for ref in match.refs:
            change = {"date": match.effect.date, "summary": match.effect.summary, "source": match.effect.source}
            if match.effect.date > today:
                # A change dated in the future would be refused: record it as made now (or when
                # legislation.gov.uk recorded it), taking effect on its in-force date.
                recorded = match.effect.modified if match.effect.modified and match.effect.modified <= today else today
                change = {**change, "date": recorded, "commences": match.effect.date}
            by_file.setdefault(ref.path, {}).setdefault(ref.id, []).append(change)
            effects.setdefault((ref.id, change["summary"]), []).append(match.effect)
    from lawguide.core.yamlsrc import decode_text, read_bytes, write_text

    writes: dict[Path, tuple[str, bytes]] = {}  # file -> (new text, old bytes: its line endings and BOM)
    problems: list[Problem] = []
    for display, additions in sorted(by_file.items()):
        file = site.settings.root / display
        # Read as the register was (a regular file, never through a symlink), as the same text whatever
        # the line endings, and written back in its own (as `sources reverify` does).
        raw, problem = read_bytes(file, display)
        text, problem = decode_text(raw, display) if raw is not None else (None, problem)
        if problem:
            problems.append(problem)
            continue
        try:
            new_text, added, present = add_changes_to_text(text, display, additions)
        except FormattingError as exc:
            problems.append(Problem(display, 1, str(exc).split(": ", 1)[1]))
            continue
        for ref_id, change in added:
            report.recorded.append((site.register[ref_id], effects[(ref_id, change["summary"])][0]))
        for ref_id, change in present:
            report.already.append((site.register[ref_id], effects[(ref_id, change["summary"])][0]))
        if added:
            writes[file] = (new_text, raw)
    if problems:
        report.recorded.clear()
        return problems
    for file, (text, raw) in writes.items():
        write_text(file, text, like=raw)
    return []
