"""Small typed readers for YAML records; each returns a value or records a problem."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from lawguide.core.problems import Problem, suggest
from lawguide.core.yamlsrc import Node

ID_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


@dataclass
class Reader:
    """Reads one YAML mapping, collecting problems with their source lines."""

    node: Node
    path: str
    what: str
    problems: list[Problem] = field(default_factory=list)

    def line(self, key: str) -> int:
        return self.node.key_lines.get(key, self.node.line)

    def check_fields(self, required: tuple[str, ...], optional: tuple[str, ...]) -> bool:
        if not isinstance(self.node.value, dict):
            self.problems.append(Problem(self.path, self.node.line, f"{self.what} must be a mapping of fields",
                                         "start each entry with '- id: ...'"))
            return False
        allowed = required + optional
        for key in self.node.value:
            if key not in allowed:
                hint = suggest(key, allowed) or "allowed: " + ", ".join(allowed)
                self.problems.append(Problem(self.path, self.line(key), f"unknown field '{key}' in {self.what}", hint))
        for key in required:
            if key not in self.node.value or self.node.value[key].value in (None, ""):
                self.problems.append(Problem(self.path, self.line(key) if key in self.node.value else self.node.line,
                                             f"missing required field '{key}' in {self.what}", f"add '{key}: ...'"))
        return True

    def text(self, key: str) -> str:
        child = self.node.get(key)
        if child is None or child.value is None:
            return ""
        if not isinstance(child.value, str):
            self.problems.append(Problem(self.path, child.line, f"'{key}' must be text, not a list or mapping"))
            return ""
        return child.value.strip()

    def choice(self, key: str, options: tuple[str, ...]) -> str:
        value = self.text(key)
        if value and value not in options:
            hint = suggest(value, options) or "one of: " + ", ".join(options)
            self.problems.append(Problem(self.path, self.line(key), f"'{key}' is '{value}', not a known value", hint))
        return value

    def ident(self, key: str = "id") -> str:
        value = self.text(key)
        if value and not ID_RE.match(value):
            self.problems.append(Problem(self.path, self.line(key), f"id '{value}' is not lower-case words joined by hyphens",
                                         id_hint(value)))
        return value

    def date(self, key: str) -> dt.date | None:
        value = self.text(key)
        return parse_date(value, self.path, self.line(key), key, self.problems) if value else None

    def str_list(self, key: str) -> tuple[str, ...]:
        child = self.node.get(key)
        if child is None or child.value is None:
            return ()
        if isinstance(child.value, str):
            self.problems.append(Problem(self.path, child.line, f"'{key}' must be a list",
                                         f"write '{key}: [{child.value}]'"))
            return ()
        items = []
        for item in child.value:
            if not isinstance(item.value, str):
                self.problems.append(Problem(self.path, item.line, f"each item of '{key}' must be text"))
            else:
                items.append(item.value.strip())
        return tuple(items)

    def records(self, key: str) -> list[Node]:
        child = self.node.get(key)
        if child is None or child.value is None:
            return []
        if not isinstance(child.value, list):
            self.problems.append(Problem(self.path, child.line, f"'{key}' must be a list of entries",
                                         "start each entry with '- '"))
            return []
        return child.value


def id_hint(value: str) -> str:
    """How to write value as an id. An accented letter, typed composed (NFC) or as a letter plus an
    accent (NFD), gets the same advice: ids are a-z, 0-9 and hyphens, so they look the same everywhere."""
    import unicodedata  # only for a bad id: not at every command's start

    plain = unicodedata.normalize("NFKD", value).encode("ascii", "ignore").decode("ascii")
    fixed = re.sub(r"[^a-z0-9]+", "-", plain.lower()).strip("-")
    accents = "" if value.isascii() else "no accents or other letters outside a-z: "
    return f"{accents}try '{fixed}'" if fixed else "use lower-case letters a-z, digits and hyphens"


def parse_date(value: str, path: str, line: int, key: str, problems: list[Problem]) -> dt.date | None:
    if not DATE_RE.match(value):
        problems.append(Problem(path, line, f"'{key}' is '{value}', not a date in the form YYYY-MM-DD",
                                "for example 2026-11-22"))
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        problems.append(Problem(path, line, f"'{key}' is '{value}', which is not a real date",
                                "check the month (01-12) and the day"))
        return None
