"""The glossary: glossary/*.yml -> validated Term records."""

from __future__ import annotations

from collections.abc import Callable, Collection
from dataclasses import dataclass, field, replace
from pathlib import Path

from lawguide.content.register import ids_in_text
from lawguide.core.fields import ID_RE, Reader
from lawguide.core.problems import Problem, display_path, suggest
from lawguide.core.yamlsrc import load_yaml_file

SYNONYMS_FILE = "search-synonyms.yml"  # parents' search words (render.search reads it): not glossary terms
UI_STRINGS_FILE = "ui-strings.yml"  # the words lawguide writes per language (content.translations reads it)
NOT_TERMS = (SYNONYMS_FILE, UI_STRINGS_FILE)  # data files beside the glossary that hold no terms
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
    # Files that could not be read as a whole -> (root cause, term ids they seem to define).
    unreadable: dict[str, tuple[Problem, frozenset[str]]] = field(default_factory=dict)

    def held_back(self, term_id: str) -> str:
        """The unreadable file that may define term_id, or ''."""
        return next((path for path, (_, ids) in self.unreadable.items() if term_id in ids), "")

    def __contains__(self, term_id: str) -> bool:
        return term_id in self.terms

    def __getitem__(self, term_id: str) -> Term:
        return self.terms[term_id]


def load_glossary(directory: Path, ref_ids: Collection[str], root: Path | None = None,
                  ref_held_back: Callable[[str], str] = lambda ref_id: "") -> Glossary:
    """ref_held_back(id): the unreadable register file that may define id ('' if none); such ids
    are not reported as unknown, since the register's own error already covers them."""
    root = root or directory.parent
    terms: dict[str, Term] = {}
    problems: list[Problem] = []
    unreadable: dict[str, tuple[Problem, frozenset[str]]] = {}
    seen_words: dict[str, Term] = {}
    for path in sorted(directory.glob("*.yml")) + sorted(directory.glob("*.yaml")):
        if path.name in NOT_TERMS:
            continue
        display = display_path(path, root)
        node, file_problems = load_yaml_file(path, display)
        problems.extend(file_problems)
        cause = next((p for p in file_problems if p.root), None)
        if cause:
            unreadable[display] = (cause, ids_in_text(path))
        if node is None:
            continue
        top = Reader(node, display, "the file")
        mapping = top.check_fields(("terms",), ())
        terms_nodes = top.records("terms") if mapping else []
        # The file's own shape (a misspelt 'terms:' once left it silently unread): a cause, listed first.
        top_problems = [replace(p, root=True) for p in top.problems]
        problems.extend(top_problems)
        if top_problems and not cause:
            unreadable[display] = (top_problems[0], ids_in_text(path))
        for term_node in terms_nodes:
            reader = Reader(term_node, display, "a glossary term")
            if not reader.check_fields(REQUIRED, OPTIONAL):
                problems.extend(reader.problems)
                continue
            term = Term(reader.ident(), reader.text("term"), reader.text("definition"),
                        reader.str_list("also_called"), reader.str_list("refs"), display, term_node.line)
            for ref in term.refs:
                if ref not in ref_ids and not ref_held_back(ref):
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
            if not term.id or not ID_RE.match(term.id):  # never a file name, URL or anchor
                continue
            if term.id in terms:
                first = terms[term.id]
                problems.append(Problem(display, term.line, f"duplicate glossary id '{term.id}'",
                                        f"already defined at {first.path}:{first.line}", root=True))  # a cause: first
                continue
            terms[term.id] = term
    return Glossary(terms, tuple(problems), unreadable)
