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

from dataclasses import dataclass

from lawguide.content.site import Site
from lawguide.core.fields import ID_RE, id_hint
from lawguide.core.problems import Problem, suggest
from lawguide.core.yamlsrc import load_yaml_file

PROCESSES_FILE = "processes.yml"  # in the register's folder (content.register does not read it as entries)
EXAMPLE = "for example section-47-enquiry: {name: Child protection enquiry, governed_by: [ca1989-s47]}"


@dataclass(frozen=True)
class Process:
    id: str
    name: str
    governed_by: tuple[str, ...]  # register ids
    line: int


def processes(site: Site) -> tuple[dict[str, Process], list[Problem]]:
    """The known processes and the data file's problems; none when there is no file. Once a load."""
    return site.remember("processes", lambda: _load(site))


def _load(site: Site) -> tuple[dict[str, Process], list[Problem]]:
    path = site.settings.register_dir / PROCESSES_FILE
    if not path.exists():
        return {}, []
    display = path.relative_to(site.settings.root).as_posix() if path.is_relative_to(site.settings.root) else str(path)
    node, problems = load_yaml_file(path, display)
    if node is None or node.value is None:
        return {}, problems
    if not isinstance(node.value, dict):
        return {}, [*problems, Problem(display, node.line, "processes must be a mapping of process ids", EXAMPLE)]
    found: dict[str, Process] = {}
    for pid, item in node.value.items():
        line = node.key_lines.get(pid, item.line)
        if not ID_RE.match(pid):
            problems.append(Problem(display, line, f"process id '{pid}' is not lower-case words joined by hyphens",
                                    id_hint(pid)))
            continue
        value = item.plain()
        if not isinstance(value, dict) or not str(value.get("name") or "").strip():
            problems.append(Problem(display, line, f"process '{pid}' needs a 'name' and 'governed_by'", EXAMPLE))
            continue
        for key in value:
            if key not in ("name", "governed_by"):
                problems.append(Problem(display, item.key_lines.get(key, line), f"unknown key '{key}' in process "
                                        f"'{pid}'", "only 'name' and 'governed_by'"))
        governed = item.get("governed_by")
        ids = governed.plain() if governed else None
        if not isinstance(ids, list) or not ids:
            problems.append(Problem(display, item.key_lines.get("governed_by", line),
                                    f"process '{pid}' has no 'governed_by' list of register ids",
                                    "governed_by: [ca1989-s47, wt2026]"))
            continue
        for ref_id in ids:
            if str(ref_id) not in site.register.refs:
                hint = suggest(str(ref_id), site.register.refs)
                problems.append(Problem(display, item.key_lines.get("governed_by", line),
                                        f"process '{pid}' is governed by unknown law reference '{ref_id}'",
                                        hint or "see law_refs/*.yml"))
        found[pid] = Process(pid, str(value["name"]).strip(), tuple(str(i) for i in ids), line)
    return found, problems


def tag_problems(site: Site) -> list[Problem]:
    """The data file's problems, then each page's tag naming a process the file does not list."""
    known, problems = processes(site)
    out = list(problems)
    for page in site.pages.values():
        for pid, line in page.process_lines.items():
            if pid not in known:
                hint = suggest(pid, known) or f"add it to law_refs/{PROCESSES_FILE}"
                out.append(Problem(page.display, line, f"unknown process '{pid}'", hint))
    return out


def process_sections(site: Site, ref_id: str) -> list[tuple[str, str, str]]:
    """(page, anchor, process id) for every section tagged with a process the entry governs."""
    known, _ = processes(site)
    governed = {pid for pid, p in known.items() if ref_id in p.governed_by}
    return [(path, anchor, pid) for path, page in sorted(site.pages.items())
            for pid, anchors in page.processes.items() if pid in governed for anchor in anchors]
