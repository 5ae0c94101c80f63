"""Route-finder flows: finder/*.yml -> validated Flow records (issue 20).

A flow is a few plain questions, each answer leading to another question or to an outcome. Every
outcome is also a Page to the rest of the engine (its citations, the flow's `reviewed` date), so
`lawguide impact`, `review` and the law-change notice treat it exactly as a guide page.
Questions and outcomes share one namespace of ids per flow: each is published at /finder/FLOW/ID/.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path

from lawguide.content.markdown_scan import SITE_PREFIX, Citation, scan_page
from lawguide.content.pages import Page
from lawguide.core import clock
from lawguide.core.fields import ID_RE, Reader
from lawguide.core.problems import Problem, display_path, suggest
from lawguide.core.yamlsrc import Node, parse_yaml, read_text

FLOW_REQUIRED = ("id", "title", "summary", "reviewed", "start", "questions", "outcomes")
FLOW_OPTIONAL = ("exit_this_page",)
QUESTION_REQUIRED = ("id", "text", "answers")
QUESTION_OPTIONAL = ("hint",)
ANSWER_REQUIRED = ("text", "next")
OUTCOME_REQUIRED = ("id", "title", "body", "read")
OUTCOME_OPTIONAL = ("letter", "call", "deadline")
MIN_ANSWERS, MAX_ANSWERS = 2, 5
FINDER_DIR = "finder"  # where the finder is published: /finder/ (the map is content.urls)
# "index" would be the flow's own page (/finder/FLOW/), so no question or outcome may take it.
RESERVED_IDS = ("index",)
_MD_LINK = re.compile(r"\]\(|<https?:")


@dataclass(frozen=True)
class Answer:
    text: str
    next: str
    line: int  # the answer's first line
    next_line: int


@dataclass(frozen=True)
class Question:
    id: str
    text: str
    hint: str
    answers: tuple[Answer, ...]
    line: int


@dataclass(frozen=True)
class SectionLink:
    """A link to a guide page (docs/ path) and, for `read`, one of its sections."""

    target: str  # as written, e.g. assessments/index.md#how-to-ask
    path: str  # relative to docs/
    anchor: str
    line: int


@dataclass(frozen=True)
class Outcome:
    id: str
    title: str
    body: str
    read: tuple[SectionLink, ...]
    letter: SectionLink | None
    call: str
    deadline: str
    line: int
    page: Page  # the outcome as the law-change machinery sees it (citations, reviewed date)


@dataclass(frozen=True)
class Flow:
    id: str
    title: str
    summary: str
    reviewed: dt.date | None
    exit_this_page: bool
    start: str
    questions: dict[str, Question]  # in file order
    outcomes: dict[str, Outcome]  # in file order
    path: str  # finder/NAME.yml as shown in messages
    line: int

    def node(self, node_id: str) -> Question | Outcome | None:
        return self.questions.get(node_id) or self.outcomes.get(node_id)

    def parents(self, node_id: str) -> list[Question]:
        """The questions with an answer leading to node_id, in file order."""
        return [q for q in self.questions.values() if any(a.next == node_id for a in q.answers)]


@dataclass(frozen=True)
class Flows:
    flows: dict[str, Flow] = field(default_factory=dict)
    problems: tuple[Problem, ...] = ()


def finder_node_path(flow_id: str, node_id: str) -> str:
    """A question's or outcome's page, relative to docs/: /finder/FLOW/ID/ (ids share one namespace)."""
    return f"{FINDER_DIR}/{flow_id}/{node_id}.md"


# --- reading ---------------------------------------------------------------------------------

def load_flows(directory: Path, root: Path, pages: Mapping[str, Page]) -> Flows:
    """Every finder/*.yml file, validated; a missing folder means no flows. pages: the guide's pages
    (docs/ path -> Page), for `read` and `letter` links. Citations are checked with the guide's
    (content.site), because they are the same citations."""
    if directory.is_symlink() or not directory.exists():  # a symlinked folder: load_site reports it, as docs/'s
        return Flows()
    if not directory.is_dir():
        return Flows({}, (Problem(display_path(directory, root), 1, "is a file, not the route finder's folder",
                                  "move the file away and put the flows in a folder of that name", root=True),))
    problems: list[Problem] = []
    flows: dict[str, Flow] = {}
    for path in _flow_files(directory):
        display = display_path(path, root)
        flow, file_problems = _read_flow_file(path, display, pages)
        problems.extend(file_problems)
        if flow is None:
            continue
        if flow.id in flows:
            first = flows[flow.id]
            problems.append(Problem(display, flow.line, f"duplicate flow id '{flow.id}'",
                                    f"already used by {first.path}:{first.line}; each flow needs its own id"))
            continue
        flows[flow.id] = flow
    return Flows(flows, tuple(problems))


def _flow_files(directory: Path) -> list[Path]:
    # A symlink, named pipe, device or folder too: the safe reader refuses it with the problem every
    # other source file gets (core.yamlsrc.read_bytes), so nothing is skipped unsaid.
    return [path for path in sorted(directory.iterdir()) if path.suffix in (".yml", ".yaml")]


def _read_flow_file(path: Path, display: str, pages: Mapping[str, Page]) -> tuple[Flow | None, list[Problem]]:
    text, unreadable = read_text(path, display)  # read once: the YAML and the citations' lines come from it
    root, problems = (None, [unreadable]) if unreadable else parse_yaml(text, display)
    lines = text.split("\n") if root is not None else []
    if root is None:
        if not problems:
            problems.append(Problem(display, 1, "flow file is empty", "start with 'id:', 'title:' and 'start:'"))
        return None, problems
    reader = Reader(root, display, "a flow")
    if not reader.check_fields(FLOW_REQUIRED, FLOW_OPTIONAL):
        return None, problems + reader.problems
    flow_id = reader.ident()
    reviewed = _reviewed(reader)
    exit_text = reader.choice("exit_this_page", ("true", "false"))
    flow_title = reader.text("title")
    questions, outcomes, seen = {}, {}, {}
    for node in reader.records("questions"):
        question = _read_question(node, display, reader.problems)
        if question and _new_id(question.id, question.line, node, display, seen, reader.problems):
            questions[question.id] = question
    for node in reader.records("outcomes"):
        outcome = _read_outcome(node, display, (flow_id, flow_title), reviewed, reader.problems, pages, lines)
        if outcome and _new_id(outcome.id, outcome.line, node, display, seen, reader.problems):
            outcomes[outcome.id] = outcome
    flow = Flow(flow_id, flow_title, reader.text("summary"), reviewed, exit_text == "true",
                reader.text("start"), questions, outcomes, display, reader.line("id"))
    if not flow_id or not ID_RE.match(flow_id):  # never a URL
        return None, problems + reader.problems
    reader.problems.extend(check_graph(flow, reader.line("start")))
    return flow, problems + reader.problems


def _reviewed(reader: Reader, today: dt.date | None = None) -> dt.date | None:
    date = reader.date("reviewed")
    today = today or clock.today()
    if date and date > today:
        reader.problems.append(Problem(reader.path, reader.line("reviewed"), f"'reviewed' date {date.isoformat()} is in "
                                       "the future", f"use the day an editor last checked every outcome, on or before "
                                       f"{today.isoformat()}"))
    return date


def _new_id(node_id: str, line: int, node: Node, display: str, seen: dict[str, int], problems: list[Problem]) -> bool:
    """Questions and outcomes share one set of ids (each is a page at /finder/FLOW/ID/)."""
    if not node_id or not ID_RE.match(node_id):
        return False
    id_line = node.key_lines.get("id", line)
    if node_id in RESERVED_IDS:
        problems.append(Problem(display, id_line, f"id '{node_id}' is reserved (it is the flow's own page)",
                                "choose another id"))
        return False
    if node_id in seen:
        problems.append(Problem(display, id_line, f"duplicate id '{node_id}' in this flow",
                                f"first used on line {seen[node_id]}; questions and outcomes need different ids"))
        return False
    seen[node_id] = id_line
    return True


def _read_question(node: Node, display: str, problems: list[Problem]) -> Question | None:
    reader = Reader(node, display, "a question")
    if not reader.check_fields(QUESTION_REQUIRED, QUESTION_OPTIONAL):
        problems.extend(reader.problems)
        return None
    answers = []
    answer_nodes = reader.records("answers")
    for answer_node in answer_nodes:
        answer_reader = Reader(answer_node, display, "an answer")
        if answer_reader.check_fields(ANSWER_REQUIRED, ()):
            text, nxt = answer_reader.text("text"), answer_reader.text("next")
            if nxt:
                answers.append(Answer(text, nxt, answer_node.line, answer_reader.line("next")))
        reader.problems.extend(answer_reader.problems)
    question = Question(reader.ident(), reader.text("text"), reader.text("hint"), tuple(answers), node.line)
    count = len(answer_nodes)
    if "answers" in node.value and not MIN_ANSWERS <= count <= MAX_ANSWERS:
        reader.problems.append(Problem(display, reader.line("answers"),
                                       f"question '{question.id}' has {count} answer{'s' if count != 1 else ''}, "
                                       f"not {MIN_ANSWERS} to {MAX_ANSWERS}",
                                       "give 2 to 5 plain answers (add 'Not sure' if that helps)" if count < MIN_ANSWERS
                                       else "split it into two questions"))
    problems.extend(reader.problems)
    return question


def _read_outcome(node: Node, display: str, flow: tuple[str, str], reviewed: dt.date | None, problems: list[Problem],
                  pages: Mapping[str, Page], lines: list[str]) -> Outcome | None:
    reader = Reader(node, display, "an outcome")
    if not reader.check_fields(OUTCOME_REQUIRED, OUTCOME_OPTIONAL):
        problems.extend(reader.problems)
        return None
    outcome_id = reader.ident()
    title, body = reader.text("title"), reader.text("body")
    flow_id, flow_title = flow
    page_path = finder_node_path(flow_id, outcome_id)
    body_node = node.get("body")
    body_line = body_node.line if body_node else node.line
    citations = place_citations(_body_citations(body, page_path, display, body_line, reader.problems), lines, body_line)
    if body and not any(not c.is_glossary and not c.target.startswith(SITE_PREFIX) for c in citations):
        reader.problems.append(Problem(display, reader.line("body"), f"outcome '{outcome_id}' cites no law",
                                       "cite the provision that says it, e.g. [[ca1989-s17]], in the body"))
    if _MD_LINK.search(body):
        reader.problems.append(Problem(display, reader.line("body"), f"outcome '{outcome_id}' has a link in its body",
                                       "put guide sections under 'read:' and the letter under 'letter:'"))
    read = tuple(link for item in _read_list(reader)
                 if (link := _section_link(*item, display, pages, reader.problems, need_anchor=True)))
    letter_text = reader.text("letter")
    letter = (_section_link(letter_text, reader.line("letter"), display, pages, reader.problems, need_anchor=False)
              if letter_text else None)
    page = Page(path=page_path, display=display, title=f"{title or outcome_id} (route finder: {flow_title})", summary="", reviewed=reviewed,
                review_interval_months=None, change_notes=[], anchor_aliases={}, headings=[], citations=citations,
                meta_lines={})
    outcome = Outcome(outcome_id, title, body, read, letter, reader.text("call"), reader.text("deadline"),
                      node.line, page)
    problems.extend(reader.problems)
    return outcome


def _read_list(reader: Reader) -> list[tuple[str, int]]:
    """`read:` items with their lines; at least one."""
    child = reader.node.get("read")
    if child is None or child.value is None:
        return []
    if isinstance(child.value, str):
        reader.problems.append(Problem(reader.path, child.line, "'read' must be a list of guide sections",
                                       f"write 'read: [{child.value}]'"))
        return []
    items = []
    for item in child.value:
        if isinstance(item.value, str) and item.value.strip():
            items.append((item.value.strip(), item.line))
        else:
            reader.problems.append(Problem(reader.path, item.line, "each item of 'read' must be a guide section",
                                           "for example assessments/index.md#how-to-ask"))
    return items


def _body_citations(body: str, page_path: str, display: str, first_line: int, problems: list[Problem]) -> list[Citation]:
    """The body's citations, each at the file line where it is written (a folded body spans lines)."""
    scan = scan_page([" ".join(body.split("\n"))], page_path, first_line)
    problems.extend(Problem(display, first_line, bad.message, bad.hint) for bad in scan.bad)
    return scan.citations


def place_citations(citations: list[Citation], lines: list[str], first_line: int) -> list[Citation]:
    """The citations with the lines where each is written in the file, found in order from first_line
    (two citations of one id on one line are two finds)."""
    out, line, column = [], first_line, 0
    for cite in citations:
        needle = f"[[glossary:{cite.target}" if cite.is_glossary else f"[[{cite.target}"
        found = None
        for n in range(line, len(lines) + 1):
            at = lines[n - 1].find(needle, column if n == line else 0)
            if at >= 0:
                found, line, column = n, n, at + len(needle)
                break
        out.append(replace(cite, line=found or cite.line))
    return out


def _section_link(target: str, line: int, display: str, pages: Mapping[str, Page], problems: list[Problem],
                  need_anchor: bool) -> SectionLink | None:
    """A `read` or `letter` target: a docs/ page (and section) that exists."""
    path, _, anchor = target.partition("#")
    path = path.strip().lstrip("/").removeprefix("docs/")
    if not path.endswith(".md"):
        problems.append(Problem(display, line, f"'{target}' is not a guide page", "write the docs/ path of the page, "
                                "for example assessments/index.md#how-to-ask"))
        return None
    page = pages.get(path)
    if page is None:
        problems.append(Problem(display, line, f"link to missing page '{path}'",
                                suggest(path, pages) or "check the file name, relative to docs/"))
        return None
    if need_anchor and not anchor:
        ids = page.anchors
        problems.append(Problem(display, line, f"'{target}' names no section", f"add #section-id, one of: "
                                f"{', '.join(ids[:6])}{'...' if len(ids) > 6 else ''}" if ids else "link a page with sections"))
        return None
    if anchor and not _has_anchor(page, anchor):
        problems.append(Problem(display, line, f"link to missing section '#{anchor}' in {page.display}",
                                suggest(anchor, page.anchors) or "use the {#id} of one of its headings"))
        return None
    return SectionLink(target, path, anchor, line)


def _has_anchor(page: Page, anchor: str) -> bool:
    return page.heading(anchor) is not None or anchor in page.anchor_aliases or anchor in page.html_ids


# --- the graph -------------------------------------------------------------------------------

def check_graph(flow: Flow, start_line: int) -> list[Problem]:
    """Every `next` names a node, every node is reached from `start`, no question leads back to
    itself, and every question leads on to an outcome."""
    problems: list[Problem] = []
    names = [*flow.questions, *flow.outcomes]
    for question in flow.questions.values():
        for answer in question.answers:
            if flow.node(answer.next) is None:
                problems.append(Problem(flow.path, answer.next_line, f"'next: {answer.next}' names no question or "
                                        "outcome in this flow", suggest(answer.next, names) or "use the id of a "
                                        "question or outcome below"))
    if flow.start and flow.start not in flow.questions:
        where = "an outcome" if flow.start in flow.outcomes else "nothing in this flow"
        problems.append(Problem(flow.path, start_line, f"'start: {flow.start}' names {where}",
                                suggest(flow.start, list(flow.questions)) or "use the id of the first question"))
        return problems
    problems += _loops(flow)
    reached = _reachable(flow, flow.start)
    for node_id in names:
        if node_id not in reached:
            node = flow.node(node_id)
            kind = "question" if node_id in flow.questions else "outcome"
            problems.append(Problem(flow.path, node.line, f"{kind} '{node_id}' cannot be reached from "
                                    f"'start: {flow.start}'", "point an answer's 'next' at it, or remove it"))
    for question in flow.questions.values():
        if question.id in reached and not any(o in flow.outcomes for o in _reachable(flow, question.id)):
            problems.append(Problem(flow.path, question.line, f"question '{question.id}' leads to no outcome "
                                    "(a dead end)", "point at least one answer's 'next' at an outcome"))
    return problems


def _children(flow: Flow, node_id: str) -> list[str]:
    question = flow.questions.get(node_id)
    return [a.next for a in question.answers if flow.node(a.next) is not None] if question else []


def _reachable(flow: Flow, start: str) -> set[str]:
    seen, stack = {start}, [start]
    while stack:
        for child in _children(flow, stack.pop()):
            if child not in seen:
                seen.add(child)
                stack.append(child)
    return seen


def _loops(flow: Flow) -> list[Problem]:
    """One problem per answer that leads back to a question already on the way to it."""
    problems: list[Problem] = []
    state: dict[str, int] = {}  # 1: on the current path, 2: done
    reported: set[tuple[str, int]] = set()

    def visit(node_id: str, path: list[str]) -> None:
        state[node_id] = 1
        question = flow.questions.get(node_id)
        for answer in question.answers if question else ():
            if answer.next not in flow.questions:
                continue
            if state.get(answer.next) == 1 and (node_id, answer.line) not in reported:
                reported.add((node_id, answer.line))
                on_path = path + [node_id]
                cycle = " -> ".join(on_path[on_path.index(answer.next):] + [answer.next])
                problems.append(Problem(flow.path, answer.next_line, f"loop: question '{answer.next}' leads back to "
                                        f"itself ({cycle})", "point this answer at a later question or an outcome"))
            elif answer.next not in state:
                visit(answer.next, path + [node_id])
        state[node_id] = 2

    for node_id in flow.questions:
        if node_id not in state:
            visit(node_id, [])
    return problems


# --- the site's view ---------------------------------------------------------------------------

def outcome_pages(flows: Mapping[str, Flow]) -> dict[str, Page]:
    """Every outcome as a Page, by its published path: what impact, review and notices read."""
    return {o.page.path: o.page for flow in flows.values() for o in flow.outcomes.values()}
