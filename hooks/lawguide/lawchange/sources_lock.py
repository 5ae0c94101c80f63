"""sources.lock: what `lawguide sources check` last saw at each register entry's source.

Committed at the project root, one YAML mapping per register id, sorted by id, so a change of a
source shows up as a small diff in review. Read without the network by `lawguide review` and the
editors' page: an entry whose `changed` date is after the register's `verified` date is listed as
"source changed: re-verify". Readers never see it.

    ca1989-s17zd:
      kind: legislation
      checked_url: https://www.legislation.gov.uk/changes/affected/ukpga/1989/41/data.feed
      marker: effect key-abc modified 2027-01-10
      checked: 2027-01-15
      changed: 2027-01-10            # newest change seen after `verified`; absent when none
      summary: s. 17ZD substituted by Example Families Act 2027 s. 4(2)
      source: https://www.legislation.gov.uk/ukpga/2027/99
      etag: '"abc"'                  # web and GOV.UK sources: for the next conditional request
      last_modified: Tue, 01 Dec 2026 10:00:00 GMT
      moved_to: https://...          # when the source redirected elsewhere

Every value is re-validated on reading (the file may be edited by hand or by a bad merge):
dates must be dates, URLs well formed, text one plain line of bounded length.
"""

from __future__ import annotations

import datetime as dt
import os
import re
from dataclasses import dataclass, fields, replace
from pathlib import Path

from lawguide.core.problems import Problem
from lawguide.core.weburl import url_problem
from lawguide.core.yamlsrc import parse_yaml, read_bytes, read_text, write_text

LOCK_FILE = "sources.lock"
# The lock as read when the editors' commands' guide was kept (lawchange.impact.prepare_for_questions); that
# guide is kept only while sources.lock is unchanged (content.cache.ALSO_READ). The build reads it afresh.
LOCK_MEMO = "sources_lock"
KINDS = ("legislation", "govuk", "web")
MAX_TEXT = 300
HEADER = (
    "# sources.lock: what `lawguide sources check` last saw at each register entry's source.\n"
    "# Written by `lawguide sources check` and `lawguide sources reverify ID`; commit it. See README (Editors' guide).\n"
)
_URL_BAD = re.compile(r"[\s)<>\"'\\]")
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


def clean_text(value: object, limit: int = MAX_TEXT) -> str:
    """Text from a source as one plain line: control characters and markup-free whitespace collapsed,
    length bounded. Escaping for HTML or Markdown happens where it lands (render/)."""
    text = " ".join(_CONTROL.sub(" ", str(value or "")).split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def clean_url(value: object) -> str:
    """A well-formed http(s) URL with none of )<>"' or whitespace, or '' for anything else."""
    text = str(value or "").strip()
    if not re.match(r"^https?://[A-Za-z0-9.-]+(:\d+)?(/[^#]*)?$", text) or _URL_BAD.search(text) or len(text) > 500:
        return ""
    if text.startswith("https://") and url_problem(text):  # the one check every published address passes
        return ""
    return text


@dataclass(frozen=True)
class LockEntry:
    """What the last check saw at one register entry's source."""

    id: str
    kind: str
    checked_url: str
    marker: str
    checked: dt.date
    changed: dt.date | None = None
    summary: str = ""
    source: str = ""
    etag: str = ""
    last_modified: str = ""
    moved_to: str = ""

    def as_yaml(self) -> dict:
        out: dict[str, object] = {}
        for f in fields(self):
            value = getattr(self, f.name)
            if f.name == "id" or value in ("", None):
                continue
            out[f.name] = value.isoformat() if isinstance(value, dt.date) else value
        return out


@dataclass(frozen=True)
class SourcesLock:
    """sources.lock as read: its entries by register id, and any problems."""

    path: Path
    entries: dict[str, LockEntry]
    problems: tuple[Problem, ...] = ()


def _date(value: object) -> dt.date | None:
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        return None


def read_lock(root: Path) -> SourcesLock:
    """The lock at root/sources.lock; a missing file is an empty lock. Bad entries become problems
    and are left out, never half-read."""
    path = root / LOCK_FILE
    if not os.path.lexists(path):
        return SourcesLock(path, {})
    # Read as every source is: a regular file of bounded size, no anchors or aliases, bounded nesting.
    text, problem = read_text(path, LOCK_FILE)
    node, problems = parse_yaml(text, LOCK_FILE) if text is not None else (None, [problem])
    if any(p.root for p in problems):
        return SourcesLock(path, {}, tuple(replace(p, hint=p.hint + "; or delete the file and run "
                                                   "`lawguide sources check` again") for p in problems))
    if node is not None and not isinstance(node.value, dict):
        return SourcesLock(path, {}, (Problem(LOCK_FILE, node.line, "not a mapping of register ids"),))
    data = node.value if node is not None else {}
    entries: dict[str, LockEntry] = {}
    for ref_id, raw in data.items():
        entry = _entry(str(ref_id), raw.plain())
        if isinstance(entry, str):
            problems.append(Problem(LOCK_FILE, node.key_lines[ref_id], f"entry '{clean_text(ref_id, 60)}': {entry}",
                                    "run `lawguide sources check --only ID` to rewrite it"))
        else:
            entries[entry.id] = entry
    return SourcesLock(path, entries, tuple(problems))


def _entry(ref_id: str, raw: object) -> LockEntry | str:
    if not re.match(r"^[a-z0-9][a-z0-9-]*$", ref_id):
        return "not a register id"
    if not isinstance(raw, dict):
        return "not a mapping"
    kind = str(raw.get("kind", ""))
    if kind not in KINDS:
        return f"kind must be one of {', '.join(KINDS)}"
    checked = _date(raw.get("checked"))
    if checked is None:
        return "'checked' is not a date"
    changed = raw.get("changed")
    changed_date = _date(changed) if changed not in (None, "") else None
    if changed not in (None, "") and changed_date is None:
        return "'changed' is not a date"
    checked_url = clean_url(raw.get("checked_url"))
    if raw.get("checked_url") and not checked_url:
        return "'checked_url' is not a well-formed web address"
    return LockEntry(ref_id, kind, checked_url, clean_text(raw.get("marker"), 200), checked, changed_date,
                     clean_text(raw.get("summary")), clean_url(raw.get("source")), clean_text(raw.get("etag"), 200),
                     clean_text(raw.get("last_modified"), 60), clean_url(raw.get("moved_to")))


def lock_text(entries: dict[str, LockEntry]) -> str:
    import yaml  # here, not above: `lawguide review` reads the lock without it

    data = {ref_id: entries[ref_id].as_yaml() for ref_id in sorted(entries)}
    body = yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=4096, default_flow_style=False) if data else ""
    return HEADER + body


def write_lock(path: Path, entries: dict[str, LockEntry]) -> None:
    """In one step, never through a symlink, in the old file's line endings (core.yamlsrc.write_text)."""
    old, _ = read_bytes(path, LOCK_FILE) if os.path.lexists(path) else (b"", None)
    write_text(path, lock_text(entries), like=old or b"")


def reverified(entry: LockEntry) -> LockEntry:
    """The entry once an editor has re-verified the register entry: no change is outstanding."""
    return replace(entry, changed=None, summary="", source="")


@dataclass(frozen=True)
class StaleSource:
    """A register entry whose source changed after it was verified (from the lock; no network)."""

    ref_id: str
    cite: str
    verified: dt.date | None
    entry: LockEntry
    pages: tuple[str, ...]  # docs/ paths citing it

    def as_dict(self) -> dict:
        return {"ref": self.ref_id, "cite": self.cite, "verified": self.verified.isoformat() if self.verified else None,
                "changed": self.entry.changed.isoformat() if self.entry.changed else None,
                "summary": self.entry.summary, "source": self.entry.source, "checked": self.entry.checked.isoformat(),
                "pages": list(self.pages)}


def stale_sources(site) -> list[StaleSource]:
    """Entries the last check found changed after their `verified` date: "source changed: re-verify".
    Moving `verified` forward (by hand or `lawguide sources reverify ID`) clears it."""
    lock = site.memo.get(LOCK_MEMO) or read_lock(site.settings.root)
    out = []
    for ref_id, entry in lock.entries.items():
        ref = site.register.refs.get(ref_id)
        if ref is None or entry.changed is None:
            continue
        if ref.verified is None or entry.changed > ref.verified:
            out.append(StaleSource(ref_id, ref.cite, ref.verified, entry, tuple(sorted(site.pages_citing(ref_id)))))
    return sorted(out, key=lambda s: (s.entry.changed, s.ref_id))
