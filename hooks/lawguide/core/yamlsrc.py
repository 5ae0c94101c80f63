"""YAML that remembers where each value came from.

Scalars stay strings: YAML's implicit typing turns `no` into False and `2026-13-01` into a
crash, so every value is read as text and parsed by the validator that knows what it means.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import yaml

from lawguide.core.problems import Problem

# `from typing import TYPE_CHECKING` would import typing (about 10 ms) into every command.
TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

# libyaml's parser when present: same nodes and marks, several times faster on 1,000 pages.
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


@dataclass
class Node:
    """A YAML value with its source line (1-based)."""

    value: Any  # str | list[Node] | dict[str, Node] | None
    line: int
    key_lines: dict[str, int] = field(default_factory=dict)

    def get(self, key: str) -> Node | None:
        return self.value.get(key) if isinstance(self.value, dict) else None

    def plain(self) -> Any:
        """The value without line information."""
        if isinstance(self.value, dict):
            return {k: v.plain() for k, v in self.value.items()}
        if isinstance(self.value, list):
            return [v.plain() for v in self.value]
        return self.value


def _convert(node: yaml.Node, path: str, problems: list[Problem], offset: int = 0) -> Node:
    """node as a Node, its lines (and those of duplicate-key problems) moved down by offset."""
    line = node.start_mark.line + 1 + offset
    if isinstance(node, yaml.MappingNode):
        out: dict[str, Node] = {}
        key_lines: dict[str, int] = {}
        for key_node, value_node in node.value:
            key = str(key_node.value)
            key_line = key_node.start_mark.line + 1 + offset
            if key in out:
                problems.append(Problem(path, key_line, f"duplicate key '{key}'",
                                        f"first given on line {key_lines[key]}; keep one"))
                continue
            out[key] = _convert(value_node, path, problems, offset)
            key_lines[key] = key_line
        return Node(out, line, key_lines)
    if isinstance(node, yaml.SequenceNode):
        return Node([_convert(n, path, problems, offset) for n in node.value], line)
    value = node.value
    if node.tag == "tag:yaml.org,2002:null" or (node.style is None and value in ("", "~", "null")):
        value = None
    return Node(value, line)


def parse_yaml(text: str, path: str, line_offset: int = 0) -> tuple[Node | None, list[Problem]]:
    """Parse text; on a syntax error return a problem at the error's line."""
    problems: list[Problem] = []
    try:
        root = yaml.compose(text, Loader=_LOADER)
    except yaml.YAMLError as exc:
        return None, [syntax_problem(exc, path, line_offset)]
    if root is None:
        return None, problems
    return _convert(root, path, problems, line_offset), problems


_YAML_WORDS = {"a quoted scalar": "quoted text", "a flow sequence": "a [ list", "a flow mapping": "a { mapping",
               "a block collection": "the list", "a block mapping": "the mapping", "a block scalar": "a block of text",
               "a simple key": "a key", "a block node": "a value", "a flow node": "a value"}


def _plain(context: str) -> str:
    what = context.removeprefix("while scanning ").removeprefix("while parsing ")
    return _YAML_WORDS.get(what, what)


def syntax_problem(exc: yaml.YAMLError, path: str, line_offset: int = 0) -> Problem:
    """PyYAML gives up where it noticed the problem (often the end of the file); its context mark says
    where the unclosed quote or bracket starts. Lead with whichever line the editor must change,
    and name the other."""
    problem = getattr(exc, "problem", None) or str(exc).split("\n")[0]
    context = getattr(exc, "context", None) or ""
    problem_mark, context_mark = getattr(exc, "problem_mark", None), getattr(exc, "context_mark", None)
    p_line = (problem_mark.line + 1 if problem_mark else 1) + line_offset
    c_line = (context_mark.line + 1 if context_mark else 0) + line_offset if context_mark else 0
    opened = context.startswith(("while scanning a quoted", "while scanning a block scalar", "while scanning a simple key",
                                 "while parsing a flow", "while scanning an alias", "while scanning an anchor"))
    if c_line and opened and c_line != p_line:
        what = _plain(context)
        hint = ("close the quote on this line; inside the text write ' as '' (single quotes) or \" as \\\" (double)"
                if "quoted" in context else "close the bracket on this line" if "flow" in context
                else "check this line")
        return Problem(path, c_line, f"YAML syntax error: {what} starts here and is not closed "
                                     f"(line {p_line}: {problem})", hint, root=True)
    if "expected key" in problem:
        hint = "a quote inside quoted text ends it early (use other quotes or none), and keys must line up"
    elif "indent" in problem or "block" in context or "expected '-'" in problem or "<block end>" in problem:
        hint = "line this up with the lines above it: same number of spaces, no tabs"
    elif "\t" in problem or "cannot start any token" in problem:
        hint = "indent with spaces, not tabs, and quote text that starts with a symbol"
    else:
        hint = "quote text that contains ': ' or starts with a symbol"
    where = f" (in {_plain(context)} that starts on line {c_line})" if c_line and c_line != p_line and context else ""
    return Problem(path, p_line, f"YAML syntax error: {problem}{where}", hint, root=True)


def read_text(path: Path, display: str) -> tuple[str | None, Problem | None]:
    """A source file's text, or a problem at the line of the first byte that is not UTF-8."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        return None, Problem(display, 1, f"cannot read the file: {exc.strerror or exc}", "check it exists and is readable",
                             root=True)
    try:
        return data.decode("utf-8"), None
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        return None, Problem(display, line, f"file is not UTF-8 text (byte 0x{data[exc.start]:02x} on this line)",
                             "save it as UTF-8 (in most editors: Save with encoding, UTF-8)", root=True)


def load_yaml_file(path: Path, display: str) -> tuple[Node | None, list[Problem]]:
    text, problem = read_text(path, display)
    if problem:
        return None, [problem]
    return parse_yaml(text, display)
