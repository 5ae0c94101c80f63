"""What a save in the live preview renders again, worked out from the site model, for any engine.

The engine says which guide pages an editor saved (their source is newer than their output); this
module says what else those edits feed, and which generated pages may keep their last output. The
engine adapter only applies the answer (MkDocs: page.file.is_modified). A build is never
incremental: only the preview asks.

Between saves the preview also keeps what one page's file alone decides (its parse, and its dated
claims, which the editors' page lists): a page whose file did not change is not parsed or scanned again.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from lawguide.content.cache import RACY_NS
from lawguide.content.pages import Page
from lawguide.content.site import Site
from lawguide.content.translations import site_versions
from lawguide.content.urls import CHANGES_PAGE, EDITORS_PAGE, changes_year_of, law_page_path
from lawguide.lawchange.impact import DATED_CLAIMS_MEMO


@dataclass
class Memory:
    """What the preview remembers of its last build (one per preview process)."""

    sources_key: tuple | None = None  # sources_key() of the last build
    cited: dict[str, frozenset[str]] = field(default_factory=dict)  # page -> law ids it cited
    generated: dict[str, str] | None = None  # generated page -> its Markdown
    # Per-page facts of the last build, valid while the page's file and the sources_key are unchanged:
    # (sources_key, today) they were worked out under, and page -> ((mtime_ns, size), memo entry).
    facts_under: tuple | None = None
    facts: dict[str, tuple[tuple[int, int], object]] = field(default_factory=dict)


@dataclass(frozen=True)
class Plan:
    everything: bool  # render every page again
    also: frozenset[str]  # guide pages to render again although their source did not change
    keep: frozenset[str]  # generated pages whose last output stands


def sources_key(roots: Iterable[Path], site: Site, problem_lines: tuple[str, ...]) -> tuple:
    """What every page is built from besides its own source: size and time of each file under the
    roots (the register, glossary, flows, config, theme, watched folders: the engine says which),
    the set of pages, and the problems the banner on every page shows."""
    stats = []
    for root in roots:
        found = [root] if root.is_file() else sorted(p for p in root.rglob("*") if p.is_file()) if root.is_dir() else []
        for path in found:
            stat = path.stat()
            stats.append((str(path), stat.st_mtime_ns, stat.st_size))
    return tuple(stats), tuple(sorted(site.pages)), tuple(problem_lines)


def plan(site: Site, edited: set[str], generated: dict[str, str], key: tuple, memory: Memory) -> Plan:
    """What to render again after the guide pages `edited` changed (and remember this build in memory):
    - everything, when anything the pages are built from outside docs/ changed, when a page was added
      or removed, or when the list of problems changed (the banner on every page must tell the truth);
    - an edited English page's translations and Easy Read versions (their out-of-date flag);
    - the law pages whose list of guides an edited page is on, before or after the edit;
    - What's changed and the editors' page (their lists come from every page);
    - any other generated page whose Markdown changed.
    A generated page not listed keeps the output of the last build: its content did not change."""
    everything = memory.sources_key not in (None, key)  # None: the first build renders all anyway
    memory.sources_key = key
    versions = site_versions(site).of_page
    fed = frozenset(version.path for path in edited for version in versions.get(path, []))
    touched: set[str] = set()
    for path, page in site.pages.items():
        now = frozenset(c.target for c in page.law_citations)
        if path in edited or memory.cited.get(path) != now:
            touched |= now | memory.cited.get(path, frozenset())
        memory.cited[path] = now
    before, memory.generated = memory.generated, dict(generated)
    if everything or before is None:
        return Plan(everything, fed, frozenset())
    again = {law_page_path(ref_id) for ref_id in touched} | {CHANGES_PAGE, EDITORS_PAGE}
    keep = frozenset(path for path, text in generated.items()
                     if path not in again and before.get(path) == text and changes_year_of(path) is None)
    return Plan(False, fed, keep)


def _stat(site: Site, path: str) -> tuple[int, int] | None:
    try:
        stat = (site.settings.docs_dir / path).stat()
    except OSError:
        return None
    return stat.st_mtime_ns, stat.st_size


def reuse_facts(site: Site, memory: Memory, key: tuple, today: dt.date) -> int:
    """Give the freshly loaded site the per-page facts of the last build for every page whose file
    did not change (same size and modification time) under the same sources and day; the number reused.
    Call before anything asks the site for them."""
    if memory.facts_under != (key, today):
        memory.facts.clear()
        return 0
    reused = 0
    for path in site.pages:
        kept = memory.facts.get(path)
        if kept is not None and kept[0] == _stat(site, path):
            site.memo.setdefault((DATED_CLAIMS_MEMO, path), kept[1])
            reused += 1
    return reused


def remember_facts(site: Site, memory: Memory, key: tuple, today: dt.date) -> None:
    """Keep the site's per-page facts for the next save. A file modified within the last two seconds
    may change again without its time or size changing (git's "racy clean"): its facts are not kept."""
    memory.facts_under = (key, today)
    memory.facts = {}
    now = time.time_ns()
    for path in site.pages:
        entry = site.memo.get((DATED_CLAIMS_MEMO, path))
        stat = _stat(site, path)
        if entry is not None and stat is not None and now - stat[0] > RACY_NS:
            memory.facts[path] = (stat, entry)


class KeptPages:
    """The preview's parsed pages, kept as objects from save to save while their file is unchanged (same
    size and modification time, and the same day: a page's parse holds date checks), so a save parses
    (or unpickles from the page cache) only the pages that changed. Nothing changes a Page once loaded."""

    def __init__(self) -> None:
        self.kept: dict[str, tuple[tuple[int, int], dt.date, Page]] = {}
        self.reused = 0  # pages the last loader() handed back from memory

    def loader(self, fallback: Callable[..., Page], today: dt.date) -> Callable[..., Page]:
        """A page loader for load_site: a kept page if its file is unchanged, else fallback's (kept for next time)."""
        self.reused = 0

        def load(file: Path, docs_dir: Path, display_prefix: str = "docs") -> Page:
            stat = file.stat()
            name, now = file.as_posix() + "\0" + display_prefix, (stat.st_mtime_ns, stat.st_size)
            kept = self.kept.get(name)
            if kept is not None and kept[0] == now and kept[1] == today:
                self.reused += 1
                return kept[2]
            page = fallback(file, docs_dir, display_prefix)
            if time.time_ns() - stat.st_mtime_ns > RACY_NS:  # else it may change again unseen: not kept
                self.kept[name] = (now, today, page)
            else:
                self.kept.pop(name, None)
            return page

        return load
