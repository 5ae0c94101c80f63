"""Problems are values: every validator returns them, one formatter prints them."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path


@dataclass(frozen=True, order=True)
class Problem:
    """One problem in the sources, at its file and line, with a likely fix."""

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


# A "did you mean" hint compares the near miss with every candidate (about 10 ms against 1,100 page
# paths), and a moved folder can break a thousand links at once: every one must still be reported fast.
# So the same near miss in the same collection is looked up once, a path is matched by its file name
# first (a moved page keeps its name), and a load spends at most HINT_COMPARISONS comparisons on
# hints: past that, problems carry their plain hint. load_site starts each load with new_hint_run().
HINT_COMPARISONS = 20_000
_hints: dict[tuple[str, int], tuple[object, str]] = {}  # (word, id(candidates)) -> (candidates, hint)
_spent = [0]  # comparisons made since new_hint_run


def new_hint_run() -> None:
    """A new load: forget earlier answers (their collections may be gone) and reset the budget."""
    _hints.clear()
    _spent[0] = 0


def suggest(word: str, candidates: Iterable[str], label: str = "did you mean") -> str:
    """A 'did you mean' hint for a near miss, or '' when nothing is close (or the budget is spent)."""
    key = (word, id(candidates))
    known = _hints.get(key)
    if known is not None and known[0] is candidates:  # the same collection, not one that reused its id
        return known[1]
    close = _closest(word, list(candidates))
    hint = f"{label} '{close}'?" if close else ""
    _hints[key] = (candidates, hint)  # holding the collection keeps its id from being reused
    return hint


def _closest(word: str, names: list[str]) -> str | None:
    if "/" in word or word.endswith(".md"):
        base = word.rpartition("/")[2]
        same_name = [name for name in names if name.rpartition("/")[2] == base]
        if len(same_name) == 1:
            return same_name[0]
        names = same_name or names
    if _spent[0] + len(names) > HINT_COMPARISONS:
        return None
    _spent[0] += len(names)
    import difflib  # only when there is a near miss to explain: not at every command's start

    close = difflib.get_close_matches(word, names, n=1, cutoff=0.6)
    return close[0] if close else None


def display_path(path: Path, root: Path) -> str:
    """A file as problems and reports name it: relative to the project folder when inside it."""
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return path.as_posix()


SHOWN_MAX = 80  # characters of an editor's value quoted in a message: enough to find it, short enough to read


def shorten(text: str, limit: int = SHOWN_MAX) -> str:
    """A value quoted in a message: as it is up to `limit` characters, else its start and '...' in `limit`."""
    return text if len(text) <= limit else text[: limit - 3] + "..."
