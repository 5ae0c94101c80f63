"""Problems are values: every validator returns them, one formatter prints them."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path


@dataclass(frozen=True, order=True)
class Problem:
    path: str
    line: int
    message: str
    hint: str = ""
    # A root cause (a file that could not be read at all): printed first, before what follows from it.
    root: bool = field(default=False, compare=False)
    # The build cannot go on safely even when not strict (an unreadable page, a symlink in docs/).
    fatal: bool = field(default=False, compare=False)

    def format(self) -> str:
        text = f"{self.path}:{self.line}: {self.message}"
        return f"{text} ({self.hint})" if self.hint else text

    def __str__(self) -> str:
        return self.format()


def ordered(problems: Iterable[Problem]) -> list[Problem]:
    """Root causes first, then everything else by file and line."""
    return sorted(problems, key=lambda p: (not p.root, p))


class ProblemError(Exception):
    """Raised where a caller needs everything valid before going on."""

    def __init__(self, problems: Iterable[Problem]):
        self.problems = ordered(problems)
        super().__init__("\n".join(p.format() for p in self.problems))


def suggest(word: str, candidates: Iterable[str], label: str = "did you mean") -> str:
    """A 'did you mean' hint for a near miss, or '' when nothing is close."""
    import difflib  # only when there is a near miss to explain: not at every command's start

    close = difflib.get_close_matches(word, list(candidates), n=1, cutoff=0.6)
    return f"{label} '{close[0]}'?" if close else ""


def display_path(path: Path, root: Path) -> str:
    """A file as problems and reports name it: relative to the project folder when inside it."""
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return path.as_posix()
