"""YAML that remembers where each value came from, read safely from files anyone can edit.

Scalars stay strings: YAML's implicit typing turns `no` into False and `2026-13-01` into a
crash, so every value is read as text and parsed by the validator that knows what it means.

Every source file comes through `read_text`: only a regular file is read (never a symlink, a named
pipe or a device, which could point outside the project or never end), of bounded size, with a
byte-order mark and CR/CRLF line endings read as the plain text they stand for. YAML is built from
the parser's event stream, not its recursive composer: nesting deeper than MAX_DEPTH stops at the
line where it goes too deep (500 levels were a RecursionError, 50,000 a segfault), and an anchor or
alias is refused where it appears (a 415-byte "billion laughs" file expanded to gigabytes).
"""

from __future__ import annotations

import contextlib
import os
import stat
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from lawguide.core.problems import Problem

# `from typing import TYPE_CHECKING` would import typing (about 10 ms) into every command.
TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any



class _LazyYaml:
    """PyYAML, imported where it is first used: the editors' warm commands parse no YAML (content.cache keeps
    what was read), and importing it costs them a twentieth of their time. The first attribute asked for
    puts the module itself in this one's place."""

    def __getattr__(self, name: str) -> Any:
        import yaml as module

        globals()["yaml"] = module
        return getattr(module, name)


yaml: Any = _LazyYaml()


def _loader() -> Any:
    """libyaml's parser when present: same events and marks, several times faster on 1,000 pages."""
    return getattr(yaml, "CSafeLoader", None) or yaml.SafeLoader

# The deepest source today nests 6 levels (a register entry's change); mkdocs.yml's nav a few more.
MAX_DEPTH = 50
# The largest source today is 27 kB; a page or YAML file a hundred times that is a mistake or an attack.
MAX_SOURCE_BYTES = 2_000_000
BOM = "\ufeff"
_NULLS = ("", "~", "null", "Null", "NULL")
_NULL_TAG = "tag:yaml.org,2002:null"


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


class _Refused(Exception):
    """A YAML construct lawguide does not read (an alias, anchor, deep nesting, a second document)."""

    def __init__(self, line: int, message: str, hint: str):
        super().__init__(message)
        self.line, self.message, self.hint = line, message, hint


@dataclass
class _Open:
    """A mapping or sequence being built, with the key waiting for its value (mappings)."""

    node: Node
    flow: bool
    key: str | None = None
    key_line: int = 0


class _Builder:
    """Nodes from parser events, with an explicit stack (no recursion, whatever the nesting)."""

    def __init__(self, path: str, offset: int, problems: list[Problem]):
        self.path, self.offset, self.problems = path, offset, problems
        self.stack: list[_Open] = []
        self.root: Node | None = None
        self.documents = 0
        self.last_quoted: tuple[int, int] | None = None  # (first, last line) of the last quoted text read

    def line(self, event: yaml.Event) -> int:
        return event.start_mark.line + 1 + self.offset

    def feed(self, event: yaml.Event) -> None:
        kind = type(event)
        if kind is yaml.ScalarEvent:
            self._refuse_anchor(event)
            value = event.value
            if event.tag == _NULL_TAG or (event.style in (None, "") and event.implicit[0] and value in _NULLS):
                value = None
            if event.style in ("'", '"'):
                self.last_quoted = (self.line(event), event.end_mark.line + 1 + self.offset)
            self._add(Node(value, self.line(event)))
        elif kind is yaml.MappingStartEvent or kind is yaml.SequenceStartEvent:
            self._refuse_anchor(event)
            line = self.line(event)
            if len(self.stack) >= MAX_DEPTH:
                raise _Refused(line, f"YAML nested more than {MAX_DEPTH} levels deep",
                               "a source needs a few levels; look for a runaway bracket or indentation here")
            self.stack.append(_Open(Node({} if kind is yaml.MappingStartEvent else [], line),
                                    bool(event.flow_style)))
        elif kind is yaml.MappingEndEvent or kind is yaml.SequenceEndEvent:
            self._add(self.stack.pop().node)
        elif kind is yaml.AliasEvent:
            raise _Refused(self.line(event), f"YAML alias '*{event.anchor}' is not allowed here",
                           "write the value out in full: lawguide's sources do not use anchors and aliases")
        elif kind is yaml.DocumentStartEvent:
            self.documents += 1
            if self.documents > 1:
                raise _Refused(self.line(event), "a second YAML document starts here ('---')",
                               "one file holds one document: remove the '---' line or move what follows "
                               "into its own file")

    def _refuse_anchor(self, event: yaml.NodeEvent) -> None:
        if event.anchor is not None:
            raise _Refused(self.line(event), f"YAML anchor '&{event.anchor}' is not allowed here",
                           "write each value out in full: lawguide's sources do not use anchors and aliases")

    def _add(self, node: Node) -> None:
        if not self.stack:
            self.root = node
            return
        top = self.stack[-1]
        if isinstance(top.node.value, list):
            top.node.value.append(node)
        elif top.key is None:
            top.key = node.value if isinstance(node.value, str) else str(node.plain())
            top.key_line = node.line
        else:
            key, top.key = top.key, None
            if key in top.node.value:
                self.problems.append(Problem(self.path, top.key_line, f"duplicate key '{key}'",
                                             f"first given on line {top.node.key_lines[key]}; keep one"))
                return
            top.node.value[key] = node
            top.node.key_lines[key] = top.key_line

    def open_flow(self) -> tuple[int, str]:
        """The line and kind of the innermost [ list or { mapping still open, or (0, '')."""
        for o in reversed(self.stack):
            if o.flow:
                return o.node.line, "a { mapping" if isinstance(o.node.value, dict) else "a [ list"
        return 0, ""


def parse_yaml(text: str, path: str, line_offset: int = 0,
               engine_reads: bool = False) -> tuple[Node | None, list[Problem]]:
    """Parse text; on a syntax error, an alias or anchor, or nesting too deep, return a problem at its line.
    engine_reads: the engine parses this text too (a page's front matter), with a loader that recurses
    (50,000 levels crash MkDocs), so what is refused here stops every build, the preview included."""
    if BOM in text:  # a byte-order mark anywhere (one left by joining two files): invisible, and never meant
        text = text.replace(BOM, "")
    if not text.isascii():  # the same accented word typed on two systems is the same word
        text = unicodedata.normalize("NFC", text)
    problems: list[Problem] = []
    builder = _Builder(path, line_offset, problems)
    loader = _loader()(text)  # its events one by one (yaml.parse's generator costs a step per event)
    feed, next_event = builder.feed, loader.get_event
    try:
        event = next_event()
        while type(event) is not yaml.StreamEndEvent:
            feed(event)
            event = next_event()
    except _Refused as refused:
        return None, [Problem(path, refused.line, refused.message, refused.hint, root=True, fatal=engine_reads)]
    except yaml.YAMLError as exc:
        return None, [syntax_problem(exc, path, line_offset, builder, text)]
    finally:
        loader.dispose()
    return builder.root, problems


_YAML_WORDS = {"a quoted scalar": "quoted text", "a flow sequence": "a [ list", "a flow mapping": "a { mapping",
               "a block collection": "the list", "a block mapping": "the mapping", "a block scalar": "a block of text",
               "a simple key": "a key", "a block node": "a value", "a flow node": "a value"}
_QUOTE_HINT = "close the quote on this line; inside the text write ' as '' (single quotes) or \" as \\\" (double)"


def _plain(context: str) -> str:
    what = context.removeprefix("while scanning ").removeprefix("while parsing ")
    return _YAML_WORDS.get(what, what)


def _looks_like_keys(text: str, first: int, last: int, offset: int) -> bool:
    """Whether lines first+1..last (file lines) of text hold what look like `key:` lines."""
    lines = text.split("\n")[first - offset:last - offset]
    return any(":" in line and line.lstrip(" -").split(":", 1)[0].replace("_", "").isalnum() for line in lines)


def _bracket_hint(text: str, line: int) -> str:
    """The fix for a bracket left open on line (1-based in text): a quote opened on the same line and
    never closed runs on past the bracket, so say so."""
    lines = text.split("\n") if text else []
    opener = lines[line - 1] if 0 < line <= len(lines) else ""
    odd = opener.count("'") % 2 or opener.count('"') % 2
    return "close the quote and the bracket on this line" if odd else "close the bracket on this line"


def syntax_problem(exc: yaml.YAMLError, path: str, line_offset: int = 0, builder: _Builder | None = None,
                   text: str = "") -> Problem:
    """PyYAML gives up where it noticed the problem (often the end of the file); its context mark, or
    what was being read when it stopped, says where the unclosed quote or bracket starts. Lead with
    whichever line the editor must change, and name the other."""
    problem = getattr(exc, "problem", None) or str(exc).split("\n")[0]
    context = getattr(exc, "context", None) or ""
    problem_mark, context_mark = getattr(exc, "problem_mark", None), getattr(exc, "context_mark", None)
    p_line = (problem_mark.line + 1 if problem_mark else 1) + line_offset
    c_line = (context_mark.line + 1 if context_mark else 0) + line_offset if context_mark else 0
    opened = context.startswith(("while scanning a quoted", "while scanning a block scalar", "while scanning a simple key",
                                 "while parsing a flow", "while scanning an alias", "while scanning an anchor"))
    if c_line and opened and c_line != p_line:
        what = _plain(context)
        hint = (_QUOTE_HINT if "quoted" in context else _bracket_hint(text, c_line - line_offset) if "flow" in context
                else "check this line")
        return Problem(path, c_line, f"YAML syntax error: {what} starts here and is not closed "
                                     f"(line {p_line}: {problem})", hint, root=True)
    quoted = builder.last_quoted if builder else None
    if quoted and quoted[0] < quoted[1] <= p_line and _looks_like_keys(text, quoted[0], quoted[1], line_offset):
        # Quoted text ran on over lines that look like keys: its quote was not closed where it started.
        return Problem(path, quoted[0], f"YAML syntax error: quoted text starts here and is not closed (it runs on "
                                        f"to line {quoted[1]}; line {p_line}: {problem})", _QUOTE_HINT, root=True)
    flow_line, flow = builder.open_flow() if builder else (0, "")
    if flow_line and flow_line < p_line:
        return Problem(path, flow_line, f"YAML syntax error: {flow} starts here and is not closed "
                                        f"(line {p_line}: {problem})", _bracket_hint(text, flow_line - line_offset),
                       root=True)
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


_SPECIAL = ((stat.S_ISFIFO, "a named pipe"), (stat.S_ISCHR, "a device"), (stat.S_ISBLK, "a device"),
            (stat.S_ISSOCK, "a socket"), (stat.S_ISDIR, "a folder"))


def _refusal(path: Path, display: str, exc: OSError) -> Problem:
    """Why a file could not be opened: a symlink (O_NOFOLLOW refuses it) or an ordinary error."""
    if os.path.islink(path):
        try:
            target = os.readlink(path)
        except OSError:
            target = "?"
        return Problem(display, 1, f"symlink (to '{target}'): lawguide reads only regular files in the project",
                       "copy the file in instead", root=True)
    return Problem(display, 1, f"cannot read the file: {exc.strerror or exc}", "check it exists and is readable",
                   root=True)


def read_bytes(path: Path, display: str, limit: int = MAX_SOURCE_BYTES) -> tuple[bytes | None, Problem | None]:
    """A regular file's bytes (never through a symlink, never a pipe or device that could block or never
    end), at most limit of them, or a problem saying why not."""
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)
                     | getattr(os, "O_CLOEXEC", 0))
    except OSError as exc:
        return None, _refusal(path, display, exc)
    with open(fd, "rb", closefd=True) as handle:
        mode = os.fstat(fd).st_mode
        if not stat.S_ISREG(mode):
            kind = next((name for test, name in _SPECIAL if test(mode)), "a special file")
            return None, Problem(display, 1, f"not a regular file ({kind}): lawguide reads only regular files",
                                 "remove it, or put the text in an ordinary file", root=True)
        data = handle.read(limit + 1)
    if len(data) > limit:
        return None, Problem(display, 1, f"file is larger than {limit // 1_000_000} MB, the most a source file may be",
                             "split it into smaller files", root=True)
    return data, None


def read_text(path: Path, display: str) -> tuple[str | None, Problem | None]:
    """A source file's text as the engine reads it (a leading byte-order mark dropped, CRLF and CR line
    endings as LF), or a problem at the line of the first byte that is not UTF-8."""
    data, problem = read_bytes(path, display)
    return (None, problem) if problem else decode_text(data, display)


def decode_text(data: bytes, display: str) -> tuple[str | None, Problem | None]:
    """read_text's text from bytes already read."""
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        before = data[:exc.start]
        line = before.count(b"\n") + before.count(b"\r") - before.count(b"\r\n") + 1  # LF, CRLF or CR lines
        return None, Problem(display, line, f"file is not UTF-8 text (byte 0x{data[exc.start]:02x} on this line)",
                             "save it as UTF-8 (in most editors: Save with encoding, UTF-8)", root=True)
    if "\r" in text:  # Windows (CRLF) and old Mac (CR) line endings, or a mix: lines as every engine reads them
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    return text, None


def load_yaml_file(path: Path, display: str) -> tuple[Node | None, list[Problem]]:
    text, problem = read_text(path, display)
    if problem:
        return None, [problem]
    return parse_yaml(text, display)


def newline_of(data: bytes) -> str:
    """The line ending most of data's lines use (LF when it has none)."""
    crlf = data.count(b"\r\n")
    lf, cr = data.count(b"\n") - crlf, data.count(b"\r") - crlf
    return "\r\n" if crlf > max(lf, cr) else "\r" if cr > lf else "\n"


def write_text(path: Path, text: str, like: bytes = b"") -> None:
    """Write text (LF lines) to path as a new file put in place in one step, in the line endings and
    byte-order mark of `like` (the file's old bytes), so an editor's review shows only what changed.
    Never writes through a symlink: a symlink at path is replaced, not followed, and the temporary file
    is created afresh (O_EXCL), never opened through a link someone left in its place."""
    import tempfile  # only when writing: not at every command's start

    newline = newline_of(like)
    data = (b"\xef\xbb\xbf" if like.startswith(b"\xef\xbb\xbf") else b"") + (
        text.replace("\n", newline) if newline != "\n" else text).encode("utf-8")
    try:
        mode = stat.S_IMODE(os.lstat(path).st_mode) if os.path.isfile(path) and not os.path.islink(path) else 0o644
    except OSError:
        mode = 0o644
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with open(fd, "wb") as handle:
            handle.write(data)
        os.chmod(tmp, mode)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
