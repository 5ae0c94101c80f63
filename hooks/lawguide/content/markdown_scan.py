"""Reads Markdown sources: front matter, headings, citations, links. Shared by checks and rendering
so that what is validated and what is rendered can never disagree."""

from __future__ import annotations

import os
import re
import unicodedata
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from lawguide.core.problems import Problem
from lawguide.core.yamlsrc import Node, parse_yaml

FENCE_RE = re.compile(r"^[ \t]*(`{3,}|~{3,})")
HEADING_RE = re.compile(r"^(#{1,6})[ \t]+(.+?)[ \t]*$")
ATTR_RE = re.compile(r"[ \t]*\{:?([^{}]*)\}[ \t]*$")
# Greedy runs, about twice as fast as the lazy `+?` this was written with, match the same: each run
# stops at a character it may not hold (']' or '|' in the id, ']' in the text), just where the lazy
# form stopped (tests/content/test_scan_page.py checks both on thousands of strings).
CITATION_RE = re.compile(r"\[\[([^\[\]|\n]+)(?:\|([^\[\]\n]+))?\]\]")
INLINE_CODE_RE = re.compile(r"(`+)(?:.+?)\1")
OPEN_RE = re.compile(r"\[\[")
_HEADING_CLOSE_RE = re.compile(r"[ \t]+#+$")
_ATTR_HASH_ID_RE = re.compile(r"#([^\s#.}]+)")
_EMPTY_ID_RE = re.compile(r"\[\[\s*(glossary:\s*)?\|")
# Authors' links, as links.markdown_links checks them: [text](target "title") and ![alt](src);
# reference definitions [id]: target; ids written in raw HTML and in attribute lists.
INLINE_LINK_RE = re.compile(r"!?\[(?:[^\[\]\n]|\[[^\[\]\n]*\])*\]\(\s*<?([^)\s>]*)>?(?:\s+(?:\"[^\"]*\"|'[^']*'|\([^)]*\)))?\s*\)")
REF_DEF_RE = re.compile(r"^ {0,3}\[[^\]\n]+\]:\s*<?(\S+?)>?(?:\s+.*)?$")
RAW_ID_RE = re.compile(r"""\b(?:id|name)\s*=\s*["']([^"']+)["']""")
# Links Python-Markdown passes on without resolving, checked for safety only (MdLink.raw): autolinks
# <scheme:...> (CommonMark's form, which covers Python-Markdown's <http://...>), and addresses in raw
# HTML attributes, found by the attribute alone so a tag broken over two lines is still seen.
AUTOLINK_RE = re.compile(r"<([A-Za-z][A-Za-z0-9+.-]{1,31}:[^\s<>]*)>")
HTML_URL_RE = re.compile(r"""(?<![\w-])(?:href|src|action|formaction)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'<>`=]+))""",
                         re.IGNORECASE)
ATTR_ID_RE = re.compile(r"\{:?[^{}\n]*#([^\s#.}]+)[^{}\n]*\}")
GLOSSARY_PREFIX = "glossary:"
SITE_PREFIX = "site:"  # [[site:publisher]], [[site:feedback]]: values set once in mkdocs.yml


@dataclass(frozen=True)
class Heading:
    level: int
    text: str
    id: str  # the anchor the page will have
    explicit: bool
    line: int


@dataclass(frozen=True)
class Citation:
    target: str  # a register id, or a glossary id for glossary links
    text: str  # the author's own link text, or ''
    page: str  # path relative to docs/
    line: int
    anchor: str  # id of the H2/H3 the citation sits under, '' at the top of the page
    is_glossary: bool = False


@dataclass(frozen=True)
class BadCitation:
    """A '[[' that is not a citation: empty, without an id, or never closed."""

    line: int
    message: str
    hint: str


@dataclass(frozen=True)
class MdLink:
    """A link target as the author wrote it (relative, absolute or external), with its line. raw: an
    autolink or a raw HTML attribute, which Python-Markdown publishes as written (only its safety is
    checked: a relative one is not resolved to a page)."""

    target: str
    line: int
    raw: bool = False


@dataclass
class BodyScan:
    """What one pass over a page body finds, with file line numbers; code is skipped."""

    headings: list[Heading] = field(default_factory=list)
    citations: list[Citation] = field(default_factory=list)
    bad: list[BadCitation] = field(default_factory=list)  # '[[' that are not citations
    links: list[MdLink] = field(default_factory=list)
    html_ids: set[str] = field(default_factory=set)  # ids in the page's own HTML or attribute lists


@dataclass
class FrontMatter:
    node: Node | None
    body_start: int  # 1-based line of the first body line in the file
    problems: list = field(default_factory=list)

    def plain(self) -> dict:
        value = self.node.plain() if self.node else {}
        return value if isinstance(value, dict) else {}

    def line(self, key: str) -> int:
        if self.node and key in self.node.key_lines:
            return self.node.key_lines[key]
        return 1


def slugify(text: str) -> str:
    """Python-Markdown's default toc slug, so implicit ids match the built page."""
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    text = re.sub(r"[^\w\s-]", "", text).strip().lower()
    return re.sub(r"[-\s]+", "-", text)


def split_front_matter(text: str, path: str) -> tuple[FrontMatter, str]:
    lines = text.split("\n")
    front = read_front_matter(lines, path)
    return front, "\n".join(lines[front.body_start - 1:])


def front_matter_close(lines: list[str]) -> int | None:
    """The index of the line closing the front matter at the top of a file's lines (--- or ...);
    None when the file has none or it is not closed."""
    if lines and lines[0].strip() == "---":
        return next((i for i in range(1, len(lines)) if lines[i].strip() in ("---", "...")), None)
    return None


def read_front_matter(lines: list[str], path: str) -> FrontMatter:
    """The front matter at the top of a file's lines; the body is lines[front.body_start - 1:]."""
    close = front_matter_close(lines)
    if close is not None:
        node, problems = parse_yaml("\n".join(lines[1:close]), path, line_offset=1, engine_reads=True)
        return FrontMatter(node, close + 2, problems)
    if lines and lines[0].strip() == "---":
        return FrontMatter(None, 1, [Problem(path, 1, "front matter starts here and is not closed",
                                             "end it with a line of three hyphens (---) before the page's text",
                                             root=True)])
    return FrontMatter(None, 1)


def code_mask(lines: list[str]) -> list[bool]:
    """True for lines inside fenced code blocks (fence lines included)."""
    joined = "\n".join(lines)
    if "```" not in joined and "~~~" not in joined:
        return [False] * len(lines)  # most pages have no fence: no regex on every line
    mask, fence = [], ""
    for line in lines:
        match = FENCE_RE.match(line)
        if fence:
            mask.append(True)
            if match and match.group(1)[0] == fence[0] and len(match.group(1)) >= len(fence):
                fence = ""
        elif match:
            fence = match.group(1)
            mask.append(True)
        else:
            mask.append(False)
    return mask


def replace_outside_inline_code(line: str, replace: Callable[[re.Match], str]) -> str:
    out, pos = [], 0
    for code in INLINE_CODE_RE.finditer(line):
        out.append(_neutralise(CITATION_RE.sub(replace, line[pos:code.start()])))
        out.append(code.group(0))
        pos = code.end()
    out.append(_neutralise(CITATION_RE.sub(replace, line[pos:])))
    return "".join(out)


def _neutralise(text: str) -> str:
    """A '[[' left after citations are replaced is a malformed one (reported by the check): escape it,
    so it shows as typed, and Python-Markdown does not spend minutes on thousands of open brackets."""
    return text.replace("[[", "\\[\\[") if "[[" in text else text


def iter_citation_matches(line: str) -> Iterator[re.Match]:
    """Citation matches outside inline code; the scanning twin of replace_outside_inline_code."""
    if "`" not in line:
        yield from CITATION_RE.finditer(line)
        return
    pos = 0
    for code in INLINE_CODE_RE.finditer(line):
        yield from CITATION_RE.finditer(line, pos, code.start())
        pos = code.end()
    yield from CITATION_RE.finditer(line, pos)


def parse_heading(line: str, line_no: int) -> Heading | None:
    match = HEADING_RE.match(line)
    if not match:
        return None
    text = match.group(2)
    if text.endswith("#"):  # closing hashes: "## Title ##"
        text = _HEADING_CLOSE_RE.sub("", text)
    explicit = ""
    attrs = ATTR_RE.search(text) if text.rstrip(" \t").endswith("}") else None  # "{#id}" ends the heading
    if attrs:
        ids = _ATTR_HASH_ID_RE.findall(attrs.group(1))
        if ids:
            explicit = ids[-1]
        text = text[:attrs.start()]
    return Heading(len(match.group(1)), text.strip(), explicit or slugify(text), bool(explicit), line_no)


def scan_page(lines: list[str], page: str, first_line: int) -> BodyScan:
    """Headings, citations, malformed citations, links and HTML ids, in one pass over the body's
    lines outside code: the build reads each page once. Each test is cheap before any regex runs,
    because most lines are prose with none of these."""
    scan = BodyScan()
    anchor = ""  # id of the H2/H3 the line sits under
    for offset, (line, is_code) in enumerate(zip(lines, code_mask(lines), strict=True)):
        if is_code or not line:  # blank lines, a third of most pages, hold nothing to find
            continue
        line_no = first_line + offset
        if line[0] == "#":
            heading = parse_heading(line, line_no)
            if heading:
                scan.headings.append(heading)
                if heading.level in (2, 3):
                    anchor = heading.id
                elif heading.level == 1:
                    anchor = ""
        if "[[" in line:
            _scan_citations(line, line_no, page, anchor, scan)
        # Removing inline code can join "]" and "(", so a backtick alone is reason to look.
        if "](" in line or "]:" in line or "=" in line or "{" in line or "`" in line or "<" in line:
            _scan_links(line, line_no, scan)
    return scan


def _scan_citations(line: str, line_no: int, page: str, anchor: str, scan: BodyScan) -> None:
    matches = list(CITATION_RE.finditer(line) if "`" not in line else iter_citation_matches(line))
    for match in matches:
        target, text = match.groups()
        target, text = target.strip(), (text or "").strip()
        is_glossary = target.startswith(GLOSSARY_PREFIX)
        if is_glossary:
            target = target[len(GLOSSARY_PREFIX):].strip()
        if not target:
            scan.bad.append(BadCitation(line_no, f"empty citation '{match.group(0)}'",
                                        "write [[register-id]] or [[glossary:term-id]]"))
            continue
        scan.citations.append(Citation(target, text, page, line_no, anchor, is_glossary))
    # Each match accounts for one '[[' that count() counts (its own, or one just before it), so as many
    # '[[' as matches means none is left over: the full search below is for the rare line with a stray one.
    if line.count("[[") != len(matches):
        problem = _leftover_brackets(line, [match.span() for match in matches], line_no)
        if problem:
            scan.bad.append(problem)


def _scan_links(line: str, line_no: int, scan: BodyScan) -> None:
    if "`" in line:
        line = INLINE_CODE_RE.sub("", line)  # a link in inline code is text, not a link
    if "](" in line:
        scan.links += [MdLink(m.group(1), line_no) for m in INLINE_LINK_RE.finditer(line)]
    if "]:" in line:
        ref = REF_DEF_RE.match(line)
        if ref:
            scan.links.append(MdLink(ref.group(1), line_no))
    if "<" in line or "=" in line:
        _scan_raw_links(line, line_no, scan)
    if "=" in line:
        scan.html_ids.update(RAW_ID_RE.findall(line))
    if "{" in line:
        scan.html_ids.update(ATTR_ID_RE.findall(line))


def _scan_raw_links(line: str, line_no: int, scan: BodyScan) -> None:
    """Autolinks and raw HTML addresses on a line (inline code already removed); one already found as a
    Markdown link on the line (its <...> form: [text](<url>), [id]: <url>) is not listed twice."""
    found = {link.target for link in scan.links if link.line == line_no}
    targets = [m.group(1) for m in AUTOLINK_RE.finditer(line)] if "<" in line else []
    if "=" in line:
        targets += [next(g for g in m.groups() if g is not None) for m in HTML_URL_RE.finditer(line)]
    for target in targets:
        if target not in found:
            found.add(target)
            scan.links.append(MdLink(target, line_no, raw=True))


def scan_body(body: str, page: str, first_line: int,
              bad: list[BadCitation] | None = None) -> tuple[list[Heading], list[Citation]]:
    """Headings and citations with file line numbers; code is skipped. Malformed citations are
    added to bad when it is given."""
    scan = scan_page(body.split("\n"), page, first_line)
    if bad is not None:
        bad.extend(scan.bad)
    return scan.headings, scan.citations


def _leftover_brackets(line: str, spans: list[tuple[int, int]], line_no: int) -> BadCitation | None:
    """The '[[' on a line that are neither a citation nor inside inline code, as one problem."""
    covered = spans + [code.span() for code in INLINE_CODE_RE.finditer(line)] if "`" in line else spans
    starts = [m.start() for m in OPEN_RE.finditer(line)
              if not any(a <= m.start() < b or a <= m.start() + 1 < b for a, b in covered)]
    if not starts:
        return None
    rest = line[starts[0]:]
    shown = rest[:40] + ("..." if len(rest) > 40 else "")
    if len(starts) > 1 and "]]" not in rest:
        return BadCitation(line_no, f"{len(starts)} unclosed '[[' on this line, the first at '{shown}'",
                           "close each citation with ']]'; for brackets that are not a citation write \\[\\[")
    if _EMPTY_ID_RE.match(rest):
        return BadCitation(line_no, f"citation without an id: '{shown}'", "write [[register-id|your words]]")
    if "]]" in rest:
        return BadCitation(line_no, f"malformed citation '{shown}'",
                           "write [[register-id]] or [[register-id|your words]], with no brackets or line break inside")
    return BadCitation(line_no, f"unclosed citation '{shown}'", "close it with ']]'; for brackets that are not a "
                       "citation write \\[\\[")


def transform_citations(body: str, render: Callable[[str, str, bool], str]) -> str:
    """Replace every citation outside code with render(target, text, is_glossary), which must depend on
    its arguments alone: a citation written the same way twice is rendered once (a page cites a few
    references many times)."""
    done: dict[str, str] = {}

    def sub(match: re.Match) -> str:
        written = match.group(0)
        if written in done:
            return done[written]
        target, text = match.group(1).strip(), (match.group(2) or "").strip()
        if target.startswith(GLOSSARY_PREFIX):
            out = render(target[len(GLOSSARY_PREFIX):].strip(), text, True)
        else:
            out = render(target, text, False)
        done[written] = out
        return out

    if "`" not in body and "~~~" not in body:  # no code anywhere: one pass (a citation never spans lines)
        return _neutralise(CITATION_RE.sub(sub, body))
    lines = body.split("\n")
    return "\n".join(line if is_code else replace_outside_inline_code(line, sub)
                     for line, is_code in zip(lines, code_mask(lines), strict=True))


def iter_markdown_files(docs_dir) -> Iterator:
    """The Markdown files under docs_dir, sorted; symlinks are never followed (see docs_symlinks)."""
    found = []
    for folder, dirs, files in os.walk(docs_dir, followlinks=False):
        dirs[:] = sorted(d for d in dirs if not os.path.islink(os.path.join(folder, d)))
        found += [Path(folder, f) for f in files if f.endswith(".md") and not os.path.islink(os.path.join(folder, f))]
    yield from sorted(found)


def docs_symlinks(docs_dir) -> list:
    """Every symlink under docs_dir (to a file or a folder, inside or outside the project, dangling or
    looping). MkDocs follows them and would publish what they point at unchecked, so none is allowed."""
    links = []
    for folder, dirs, files in os.walk(docs_dir, followlinks=False):
        for name in sorted(dirs + files):
            if os.path.islink(os.path.join(folder, name)):
                links.append(Path(folder, name))
        dirs[:] = [d for d in dirs if not os.path.islink(os.path.join(folder, d))]
    return sorted(links)
