"""Problems are values: every validator returns them, one formatter prints them."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True, order=True)
class Problem:
    path: str
    line: int
    message: str
    hint: str = ""

    def format(self) -> str:
        text = f"{self.path}:{self.line}: {self.message}"
        return f"{text} ({self.hint})" if self.hint else text

    def __str__(self) -> str:
        return self.format()


class ProblemError(Exception):
    """Raised where a caller needs everything valid before going on."""

    def __init__(self, problems: Iterable[Problem]):
        self.problems = sorted(problems)
        super().__init__("\n".join(p.format() for p in self.problems))


def suggest(word: str, candidates: Iterable[str], label: str = "did you mean") -> str:
    """A 'did you mean' hint for a near miss, or '' when nothing is close."""
    import difflib  # only when there is a near miss to explain: not at every command's start

    close = difflib.get_close_matches(word, list(candidates), n=1, cutoff=0.6)
    return f"{label} '{close[0]}'?" if close else ""
