"""Readability of guide pages: words, sentences and a reading grade for the prose a parent reads.

The cleaning is a pure function of the Markdown source so it can be tested on tiny inputs. It
keeps what the reader reads as prose (headings, paragraphs, list items, table rows, link text)
and drops what is not the page's own prose: front matter, code, quotations, the model letter,
HTML tags, URLs and citation syntax."""

from __future__ import annotations

import html
import re
import statistics
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path

from lawguide.content.markdown_scan import (
    ATTR_RE,
    CITATION_RE,
    GLOSSARY_PREFIX,
    HEADING_RE,
    INLINE_CODE_RE,
    code_mask,
    iter_markdown_files,
    split_front_matter,
)
from lawguide.core.yamlsrc import read_text

GRADE_FORMULA = "textstat.flesch_kincaid_grade"
MAX_AVERAGE_SENTENCE = 20.0  # STYLE.md: aim for 15 words, never more than 25
MAX_MEDIAN_GRADE = 9.0

LETTER_OPEN_RE = re.compile(r"<div\b[^>]*\bclass=\"[^\"]*\blg-letter\b")
DIV_OPEN_RE = re.compile(r"<div\b", re.I)
DIV_CLOSE_RE = re.compile(r"</div\s*>", re.I)
ADMONITION_RE = re.compile(r"^(?:!!!|\?\?\?\+?)\s*[\w-]+(?:\s+\"([^\"]*)\")?\s*$")
LIST_ITEM_RE = re.compile(r"^(?:[-*+]|\d+[.)])\s+(.*)$")
TABLE_SEPARATOR_RE = re.compile(r"^\|?\s*:?-+:?\s*(?:\|\s*:?-+:?\s*)*\|?\s*$")
RULE_RE = re.compile(r"^(?:[-*_=]\s*){3,}$")
LINK_DEFINITION_RE = re.compile(r"^\[[^\]]+\]:\s*\S+")
ABBREVIATION_DEFINITION_RE = re.compile(r"^\*\[[^\]]+\]:")
IMAGE_RE = re.compile(r"!\[[^\]]*\]\([^)]*\)")
LINK_RE = re.compile(r"\[([^\[\]]*)\](?:\([^)]*\)|\[[^\]]*\])")
ATTR_LIST_RE = re.compile(r"\{:?\s*[#.][^{}]*\}")
TAG_RE = re.compile(r"<[^>\n]+>")
_HEADING_CLOSE_RE = re.compile(r"[ \t]+#+$")
EMPHASIS_RE = re.compile(r"\*+|(?<!\w)_+|_+(?!\w)")

# A token ending a sentence: ., ? or ! then any closing quotes or brackets.
SENTENCE_END_RE = re.compile(r"[.!?][\"'”’)\]]*$")
# Never sentence ends, whatever follows.
ALWAYS_ABBREVIATIONS = {"e.g.", "i.e.", "eg.", "ie.", "cf.", "v.", "vs.", "viz.", "mr.", "mrs.", "ms.", "dr."}
# Not sentence ends when a number (or roman numeral) follows: "s. 17", "reg. 11", "Sch. 2", "No. 3".
NUMBERED_ABBREVIATIONS = {"s.", "ss.", "reg.", "regs.", "para.", "paras.", "sch.", "no.", "nos.", "art.", "arts.",
                          "pt.", "ch.", "r.", "rr.", "c.", "sec.", "sect.", "cl.", "p.", "pp.", "vol."}
NUMBER_RE = re.compile(r"^[(\[]?(?:\d|[IVXLC]+\b)")


@dataclass(frozen=True)
class Unit:
    """A piece of text that never joins its neighbours: a heading, a paragraph, a list item, a table row."""

    text: str
    line: int  # 1-based line in the source file
    # text (a paragraph), heading, item, row or title (an admonition's title); not part of equality
    kind: str = field(default="text", compare=False)


@dataclass(frozen=True)
class Sentence:
    text: str
    line: int
    words: int


@dataclass
class PageReadability:
    path: str  # as shown to editors, e.g. docs/short-breaks.md
    words: int
    sentences: int
    average_sentence_length: float
    longest_sentence: int
    longest_sentence_line: int
    grade: float
    over_target: bool = False


@dataclass
class Report:
    pages: list[PageReadability]
    max_average: float = MAX_AVERAGE_SENTENCE
    max_median_grade: float = MAX_MEDIAN_GRADE
    median_grade: float = 0.0
    max_average_sentence_length: float = 0.0
    pages_over_target: list[str] = field(default_factory=list)

    @property
    def median_over_target(self) -> bool:
        return bool(self.pages) and self.median_grade > self.max_median_grade

    @property
    def passed(self) -> bool:
        return not self.pages_over_target and not self.median_over_target


# --- cleaning -------------------------------------------------------------------------------------

def clean_markdown(text: str, clean: Callable[[str], str] | None = None) -> list[Unit]:
    """The prose units of a page's Markdown source, with all markup removed (by clean_inline, or the
    function given: tools/textcheck passes one that keeps the Markdown, to see glossary links)."""
    clean = clean or clean_inline
    front, body = split_front_matter(text, "")
    lines = body.split("\n")
    units: list[Unit] = []
    current: list[str] = []
    start = 0
    kind_now = "text"

    def flush() -> None:
        nonlocal current, kind_now
        joined = " ".join(part for part in current if part)
        if joined.strip():
            units.append(Unit(joined.strip(), start, kind_now))
        current = []
        kind_now = "text"

    for offset, line in _prose_lines(lines):
        line_no = front.body_start + offset
        stripped = line.strip()
        kind, content = _classify(stripped)
        if kind == "skip":
            flush()
            continue
        if kind == "blank":
            flush()
            continue
        cleaned = clean(content)
        if kind in ("heading", "item", "row", "title"):
            flush()
            start, current, kind_now = line_no, [cleaned], kind
            if kind in ("heading", "row", "title"):
                flush()
            continue
        if not current:
            start = line_no
        current.append(cleaned)  # a paragraph line, or a list item's continuation
    flush()
    return units


def _prose_lines(lines: list[str]):
    """(offset, line) for lines outside fenced code, blockquotes and letter divs."""
    depth = 0  # <div> nesting inside a letter; 0 when not in a letter
    for offset, (line, is_code) in enumerate(zip(lines, code_mask(lines), strict=True)):
        if depth:
            depth += len(DIV_OPEN_RE.findall(line)) - len(DIV_CLOSE_RE.findall(line))
            yield offset, ""  # the letter separates the text around it
            continue
        if "lg-letter" in line and LETTER_OPEN_RE.search(line):
            depth = len(DIV_OPEN_RE.findall(line)) - len(DIV_CLOSE_RE.findall(line))
            yield offset, ""
            continue
        if is_code or line.lstrip().startswith(">"):
            yield offset, ""
            continue
        yield offset, line


def _classify(stripped: str) -> tuple[str, str]:
    if not stripped:
        return "blank", ""
    if stripped[0].isalpha():
        # The common line, prose: every pattern below needs a first character that is not a letter
        # (- * _ = | : [ ! ? # + or a digit).
        return "text", stripped
    if RULE_RE.match(stripped) or (TABLE_SEPARATOR_RE.match(stripped) and "-" in stripped):
        return "skip", ""
    if LINK_DEFINITION_RE.match(stripped) or ABBREVIATION_DEFINITION_RE.match(stripped):
        return "skip", ""
    admonition = ADMONITION_RE.match(stripped)
    if admonition:
        return ("title", admonition.group(1)) if admonition.group(1) else ("skip", "")
    heading = HEADING_RE.match(stripped)
    if heading:
        text = _HEADING_CLOSE_RE.sub("", heading.group(2))
        attrs = ATTR_RE.search(text)
        return "heading", text[:attrs.start()] if attrs else text
    item = LIST_ITEM_RE.match(stripped)
    if item:
        return "item", item.group(1)
    if stripped.startswith("|"):
        cells = [cell.strip() for cell in stripped.strip("|").split("|")]
        return "row", " ".join(cell for cell in cells if cell)
    return "text", stripped


_SPACE_BEFORE_STOP_RE = re.compile(r" (?=[.,;:!?])")


def clean_inline(text: str) -> str:
    """One line of Markdown to plain words: code, citations, URLs, tags and emphasis removed.

    Each pass runs only when the text holds a character its pattern needs (most lines of a page are
    plain prose: issue 31, `lawguide check` cleans every line twice). The text is tested again before
    each pass, as an earlier pass may have made that character (html.unescape turns "&#42;" into "*")."""
    if "`" in text:
        text = INLINE_CODE_RE.sub(" ", text)
    if "[" in text:
        text = CITATION_RE.sub(_citation_text, text) if "[[" in text else text
        text = IMAGE_RE.sub(" ", text) if "![" in text else text
        text = LINK_RE.sub(_link_text, text) if "]" in text else text
    if "{" in text:
        text = ATTR_LIST_RE.sub(" ", text)
    if "<" in text:
        text = TAG_RE.sub(" ", text)
    text = html.unescape(text)  # returns at once when there is no "&"
    if "*" in text or "_" in text:
        text = EMPHASIS_RE.sub("", text)
    # Whitespace runs as one space, none at the ends, then none before . , ; : ! ? ("care [[id]]." leaves
    # "care ."): str.split and the regular expression \s agree on what whitespace is (str.isspace).
    return _SPACE_BEFORE_STOP_RE.sub("", " ".join(text.replace("|", " ").split()))


def _link_text(match: re.Match) -> str:
    return match.group(1)


def _citation_text(match: re.Match) -> str:
    target, text = match.group(1).strip(), (match.group(2) or "").strip()
    if text:
        return text
    if target.startswith(GLOSSARY_PREFIX):
        return target[len(GLOSSARY_PREFIX):].strip().replace("-", " ")
    return ""  # a bare law citation renders as a link the reader skips over


# --- sentences ------------------------------------------------------------------------------------

def split_sentences(unit: Unit) -> list[Sentence]:
    """Split a unit on . ? ! without splitting abbreviations such as s. 17, reg. 11 or e.g."""
    tokens = unit.text.split()
    sentences: list[Sentence] = []
    current: list[str] = []
    for i, token in enumerate(tokens):
        current.append(token)
        following = tokens[i + 1] if i + 1 < len(tokens) else ""
        if following and _ends_sentence(token, following):
            sentences.append(_sentence(current, unit.line))
            current = []
    if current:
        sentences.append(_sentence(current, unit.line))
    return [s for s in sentences if s.words]


def _ends_sentence(token: str, following: str) -> bool:
    if not SENTENCE_END_RE.search(token):
        return False
    if following[0].islower():
        return False  # "etc. and", "approx. two": a real sentence starts with a capital
    word = token.lstrip("([\"'“‘").lower()
    if word in ALWAYS_ABBREVIATIONS:
        return False
    return not (word in NUMBERED_ABBREVIATIONS and NUMBER_RE.match(following))


def _sentence(tokens: list[str], line: int) -> Sentence:
    text = " ".join(tokens)
    return Sentence(text, line, count_words(text))


def count_words(text: str) -> int:
    return sum(1 for token in text.split() if any(ch.isalnum() for ch in token))


def sentences_of(markdown: str) -> list[Sentence]:
    return [s for unit in clean_markdown(markdown) for s in split_sentences(unit)]


def grade_text(sentences: list[Sentence]) -> str:
    """The cleaned text handed to textstat: one sentence a line, each ending in exactly one full stop,
    so textstat's own sentence splitter sees the same sentences we do (it would split "s.17")."""
    return "\n".join(re.sub(r"[.!?]+", "", s.text).strip() + "." for s in sentences)


# --- pages and the report -------------------------------------------------------------------------

def measure(markdown: str, path: str, max_average: float = MAX_AVERAGE_SENTENCE) -> PageReadability:
    import textstat  # imported here: the rest of the package must not pay for it

    sentences = sentences_of(markdown)
    words = sum(s.words for s in sentences)
    longest = max(sentences, key=lambda s: s.words, default=Sentence("", 1, 0))
    average = round(words / len(sentences), 1) if sentences else 0.0
    grade = round(float(textstat.flesch_kincaid_grade(grade_text(sentences))), 1) if sentences else 0.0
    return PageReadability(path, words, len(sentences), average, longest.words, longest.line, grade,
                           over_target=average > max_average)


def build_report(docs_dir: Path, display_prefix: str = "docs", max_average: float = MAX_AVERAGE_SENTENCE,
                 max_median_grade: float = MAX_MEDIAN_GRADE) -> Report:
    pages = []
    for file in iter_markdown_files(docs_dir):
        rel = file.relative_to(docs_dir).as_posix()
        display = f"{display_prefix}/{rel}" if display_prefix else rel
        text, unreadable = read_text(file, display)
        if unreadable is None:  # a file that is not UTF-8 is `lawguide check`'s to report
            pages.append(measure(text, display, max_average))
    pages.sort(key=lambda p: p.path)
    report = Report(pages, max_average, max_median_grade)
    if pages:
        report.median_grade = round(statistics.median(p.grade for p in pages), 1)
        report.max_average_sentence_length = max(p.average_sentence_length for p in pages)
    report.pages_over_target = [p.path for p in pages if p.over_target]
    return report


COLUMNS = ("page", "words", "sentences", "avg words/sentence", "longest", "grade")


def format_table(report: Report) -> str:
    rows = [(p.path, str(p.words), str(p.sentences), f"{p.average_sentence_length:.1f}",
             str(p.longest_sentence), f"{p.grade:.1f}") for p in report.pages]
    widths = [max(len(c), *(len(r[i]) for r in rows)) if rows else len(c) for i, c in enumerate(COLUMNS)]

    def line(cells: tuple[str, ...]) -> str:
        first = cells[0].ljust(widths[0])
        rest = [cell.rjust(width) for cell, width in zip(cells[1:], widths[1:], strict=True)]
        return "  ".join([first, *rest]).rstrip()

    out = [f"Readability of guide pages (grade: {GRADE_FORMULA}, textstat 0.7.8, on the cleaned text; "
           f"targets: average <= {report.max_average:g} words a sentence on every page, "
           f"median grade <= {report.max_median_grade:g})",
           "", line(COLUMNS), line(tuple("-" * w for w in widths))]
    out += [line(r) + ("  * over target" if p.over_target else "") for r, p in zip(rows, report.pages, strict=True)]
    out += ["", summary_line(report)]
    return "\n".join(out)


def summary_line(report: Report) -> str:
    return (f"{len(report.pages)} pages; median grade {report.median_grade:.1f} (target <= {report.max_median_grade:g}); "
            f"max average sentence length {report.max_average_sentence_length:.1f} (target <= {report.max_average:g}); "
            f"{len(report.pages_over_target)} page(s) over target.")


def failures(report: Report) -> list[str]:
    """Why --check fails, one message a problem, in the project's path:line: message (hint) form."""
    out = []
    for page in report.pages:
        if page.over_target:
            out.append(f"{page.path}:{page.longest_sentence_line}: average sentence length "
                       f"{page.average_sentence_length:.1f} words is over the target of {report.max_average:g} "
                       f"(split long sentences; the longest, {page.longest_sentence} words, starts on this line)")
    if report.median_over_target:
        hardest = sorted(report.pages, key=lambda p: -p.grade)[:3]
        out.append(f"median reading grade {report.median_grade:.1f} is over the target of "
                   f"{report.max_median_grade:g} (hardest pages: {', '.join(p.path for p in hardest)})")
    return out


def to_json(report: Report) -> dict:
    return {
        "grade_formula": GRADE_FORMULA,
        "targets": {"max_average_sentence_length": report.max_average, "max_median_grade": report.max_median_grade},
        "pages": [asdict(p) for p in report.pages],
        "summary": {
            "pages": len(report.pages),
            "median_grade": report.median_grade,
            "max_average_sentence_length": report.max_average_sentence_length,
            "pages_over_target": report.pages_over_target,
            "median_grade_over_target": report.median_over_target,
            "passed": report.passed,
        },
    }
