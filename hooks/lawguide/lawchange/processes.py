"""Processes a guide section can describe (law_refs/processes.yml), and the pages' `processes:` tags.

A section about the steps of a process (a section 47 enquiry; the three complaint stages) may cite only
some of the law that governs it, or cite it in another section. An editor tags the section with the
process in the page's front matter, `processes: {section-47-enquiry: [s47-steps]}`, and the data file
says which register entries govern each process: `lawguide impact ID` then lists every tagged section
for an entry that governs the process, whatever the section cites. Front matter rather than a heading
attribute: the tag is editors' data (like `anchor_aliases`), so it reaches no reader's HTML and leaves
the page's text, and so its translations' `source_hash`, unchanged.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from lawguide.content.site import Site
from lawguide.core.fields import ID_RE, id_hint
from lawguide.core.problems import Problem, suggest
from lawguide.core.yamlsrc import Node, load_yaml_file

PROCESSES_FILE = "processes.yml"  # in the register's folder (content.register does not read it as entries)
EXAMPLE = "for example section-47-enquiry: {name: Child protection enquiry, governed_by: [ca1989-s47]}"


@dataclass(frozen=True)
class Process:
    """A process (processes file) and the register entries that govern it."""

    id: str
    name: str
    governed_by: tuple[str, ...]  # register ids
    line: int


@dataclass
class _Loaded:
    """What the data file gave: the valid processes, its problems, and whether a page's tag can be judged
    against it at all (not when the file could not be read); `broken` are the ids the file lists with a
    problem of their own, reported there, not again at every page tagging them."""

    found: dict[str, Process] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    readable: bool = True
    broken: set[str] = field(default_factory=set)


def processes(site: Site) -> tuple[dict[str, Process], list[Problem]]:
    """The known processes and the data file's problems; none when there is no file. Once a load."""
    loaded = _loaded(site)
    return loaded.found, loaded.problems


def _loaded(site: Site) -> _Loaded:
    return site.remember("processes", lambda: _load(site))


def _load(site: Site) -> _Loaded:
    path = site.settings.register_dir / PROCESSES_FILE
    if not path.exists():
        return _Loaded()
    display = path.relative_to(site.settings.root).as_posix() if path.is_relative_to(site.settings.root) else str(path)
    node, problems = load_yaml_file(path, display)
    if problems and node is None:  # too big, not UTF-8, a syntax error, an alias: reported at its line
        return _Loaded(problems=problems, readable=False)
    if node is None or node.value is None:  # an empty file lists no process
        return _Loaded(problems=problems)
    if not isinstance(node.value, dict):
        return _Loaded(problems=[*problems, Problem(display, node.line, "processes must be a mapping of process ids",
                                                    EXAMPLE)], readable=False)
    loaded = _Loaded(problems=problems)
    for pid, item in node.value.items():
        process = _process(site, display, str(pid), item, node.key_lines.get(pid, item.line), loaded.problems)
        if process is None:
            loaded.broken.add(str(pid))
        else:
            loaded.found[process.id] = process
    return loaded


def _process(site: Site, display: str, pid: str, item: Node, line: int, problems: list[Problem]) -> Process | None:
    """One process, or None after reporting what is wrong with it at its line."""
    if not ID_RE.match(pid):
        problems.append(Problem(display, line, f"process id '{pid}' is not lower-case words joined by hyphens",
                                id_hint(pid)))
        return None
    value = item.plain()
    if not isinstance(value, dict) or not isinstance(value.get("name"), str) or not value["name"].strip():
        problems.append(Problem(display, line, f"process '{pid}' needs a 'name' and 'governed_by'", EXAMPLE))
        return None
    for key in value:
        if key not in ("name", "governed_by"):
            problems.append(Problem(display, item.key_lines.get(key, line), f"unknown key '{key}' in process "
                                    f"'{pid}'", "only 'name' and 'governed_by'"))
    governed = item.get("governed_by")
    at = item.key_lines.get("governed_by", line)
    ids = governed.plain() if governed else None
    if not isinstance(ids, list) or not ids:
        problems.append(Problem(display, at, f"process '{pid}' has no 'governed_by' list of register ids",
                                "governed_by: [ca1989-s47, wt2026]"))
        return None
    for ref_id in ids:
        problems += _governor_problems(site, display, pid, ref_id, at)
    return Process(pid, value["name"].strip(), tuple(str(i) for i in ids), line)


def _governor_problems(site: Site, display: str, pid: str, ref_id: object, line: int) -> list[Problem]:
    """A process is governed by law in force or guidance: a register id, and never a proposal (a Law
    Commission report or a Bill governs nothing; its news is a reform update, not a change in the law)."""
    if not isinstance(ref_id, str):
        return [Problem(display, line, f"process '{pid}' lists {ref_id!r} in 'governed_by', not a register id",
                        "one id per item: governed_by: [ca1989-s47, wt2026]")]
    ref = site.register.refs.get(ref_id)
    if ref is None:
        return [Problem(display, line, f"process '{pid}' is governed by unknown law reference '{ref_id}'",
                        suggest(ref_id, site.register.refs) or "see law_refs/*.yml")]
    if ref.is_proposal:
        return [Problem(display, line, f"process '{pid}' is governed by {ref_id}, a proposal: it is not law and "
                        "governs nothing", "list the law or guidance in force; a page naming the proposal is "
                        "found by `lawguide impact` anyway")]
    return []


def tag_problems(site: Site) -> list[Problem]:
    """The data file's problems, then each page's tag naming a process the file does not list."""
    loaded = _loaded(site)
    known, out = loaded.found, list(loaded.problems)
    if not loaded.readable:
        return out  # root cause first: one problem in the file, not a misleading one at every tag
    for page in site.pages.values():
        for pid, line in page.process_lines.items():
            if pid not in known and pid not in loaded.broken:
                hint = suggest(pid, known) or f"add it to law_refs/{PROCESSES_FILE}"
                out.append(Problem(page.display, line, f"unknown process '{pid}'", hint))
    return out


def process_sections(site: Site, ref_id: str) -> list[tuple[str, str, str]]:
    """(page, anchor, process id) for every section tagged with a process the entry governs."""
    known, _ = processes(site)
    governed = {pid for pid, p in known.items() if ref_id in p.governed_by}
    if not governed:
        return []
    return [(path, anchor, pid) for path, pid, anchors in process_tags(site) if pid in governed for anchor in anchors]


def process_tags(site: Site) -> list[tuple[str, str, tuple[str, ...]]]:
    """(page, process id, anchors) for every page's process tags, in page order. Once a load: `lawguide
    review` asks for each register entry, and sorting 1,000 pages each time cost more than the answer."""
    return site.remember("process_tags", lambda: [(path, pid, anchors) for path, page in sorted(site.pages.items())
                                                   for pid, anchors in page.processes.items()])
