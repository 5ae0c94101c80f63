"""The glossary: glossary/*.yml -> validated Term records."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from pathlib import Path

from lawguide.content.register import _display
from lawguide.core.fields import Reader
from lawguide.core.problems import Problem, suggest
from lawguide.core.yamlsrc import load_yaml_file

REQUIRED = ("id", "term", "definition")
OPTIONAL = ("also_called", "refs")


@dataclass(frozen=True)
class Term:
    id: str
    term: str
    definition: str
    also_called: tuple[str, ...]
    refs: tuple[str, ...]
    path: str
    line: int


@dataclass(frozen=True)
class Glossary:
    terms: dict[str, Term]
    problems: tuple[Problem, ...]

    def __contains__(self, term_id: str) -> bool:
        return term_id in self.terms

    def __getitem__(self, term_id: str) -> Term:
        return self.terms[term_id]


def load_glossary(directory: Path, ref_ids: Collection[str], root: Path | None = None) -> Glossary:
    root = root or directory.parent
    terms: dict[str, Term] = {}
    problems: list[Problem] = []
    seen_words: dict[str, Term] = {}
    for path in sorted(directory.glob("*.yml")) + sorted(directory.glob("*.yaml")):
        display = _display(path, root)
        node, file_problems = load_yaml_file(path, display)
        problems.extend(file_problems)
        if node is None:
            continue
        top = Reader(node, display, "the file")
        if not top.check_fields(("terms",), ()):
            problems.extend(top.problems)
            continue
        for term_node in top.records("terms"):
            reader = Reader(term_node, display, "a glossary term")
            if not reader.check_fields(REQUIRED, OPTIONAL):
                problems.extend(reader.problems)
                continue
            term = Term(reader.ident(), reader.text("term"), reader.text("definition"),
                        reader.str_list("also_called"), reader.str_list("refs"), display, term_node.line)
            for ref in term.refs:
                if ref not in ref_ids:
                    reader.problems.append(Problem(display, reader.line("refs"), f"unknown law reference '{ref}' in refs",
                                                   suggest(ref, ref_ids)))
            for word in term.also_called:
                other = seen_words.get(word.lower())
                if other and other.id != term.id:
                    reader.problems.append(Problem(display, reader.line("also_called"),
                                                   f"'{word}' is also_called for both '{other.id}' and '{term.id}'",
                                                   "keep it under one term so search is not ambiguous"))
                seen_words[word.lower()] = term
            problems.extend(reader.problems)
            if not term.id:
                continue
            if term.id in terms:
                first = terms[term.id]
                problems.append(Problem(display, term.line, f"duplicate glossary id '{term.id}'",
                                        f"already defined at {first.path}:{first.line}"))
                continue
            terms[term.id] = term
    return Glossary(terms, tuple(problems))
