"""Caches for the editors' commands, so `lawguide impact` and `lawguide review` answer in well under half
a second on a 1,000-page guide.

Two levels. The whole loaded guide (SITE_FILE) is kept while nothing load_site reads has changed: every
file under docs/, the register, the glossary and the route finder's folders (name, size, modification
time), the settings from mkdocs.yml and the config file itself, today's date and the code. One unpickling
then replaces parsing the register, checking every cross-reference and building the indexes (issue 31:
about half of a warm command). When anything changed, load_site runs again, re-reading through the page
cache (CACHE_FILE) only the pages whose size or modification time changed; the register, the glossary and
every cross-check then run fresh, so the answer is always the one `load_site` would give. Both are dropped
when the code or Python changes. The caches live in .cache/lawguide/ next to mkdocs.yml (keep .cache/ out
of git); they are only ever read by this code, from the project's own folder.
"""

from __future__ import annotations

import os
import pickle
import sys
import time
from collections.abc import Callable
from contextlib import suppress
from pathlib import Path

from lawguide.content.pages import Page, load_page
from lawguide.content.site import Site, load_site
from lawguide.core import clock
from lawguide.core.settings import Settings

CACHE_FILE = Path(".cache") / "lawguide" / "pages.pickle"
SITE_FILE = Path(".cache") / "lawguide" / "site.pickle"
# A file modified this recently might be modified again within the file system's timestamp
# granularity without its size changing; such files are re-read next time (git's "racy clean").
RACY_NS = 2_000_000_000


def code_version() -> tuple:
    """Any change to the package's code drops the cache. File stats, not hashes: importing
    hashlib alone costs more than the rest of a warm `lawguide impact`."""
    package = Path(__file__).resolve().parent.parent
    modules = sorted(package.rglob("*.py"))
    stats = ((m.relative_to(package).as_posix(), m.stat()) for m in modules)
    return (sys.version, *((name, stat.st_mtime_ns, stat.st_size) for name, stat in stats))


class PageCache:
    def __init__(self, settings: Settings):
        self.path = settings.root / CACHE_FILE
        # Today's date (core.clock) too: a page's parse holds date checks (a citations audit dated in the
        # future is refused and not counted), so a page parsed yesterday may read differently today.
        self.key = (code_version(), str(settings.docs_dir.resolve()), clock.today().isoformat())
        self.entries: dict[str, tuple[int, int, bytes]] = {}
        self.fresh: dict[str, tuple[int, int, bytes]] = {}
        self.misses = 0
        self.entries = read_keyed(self.path, self.key)

    def load_page(self, file: Path, docs_dir: Path, display_prefix: str = "docs") -> Page:
        stat = file.stat()
        name = file.as_posix() + "\0" + display_prefix
        cached = self.entries.get(name)
        if cached and cached[0] == stat.st_mtime_ns and cached[1] == stat.st_size:
            self.fresh[name] = cached
            return pickle.loads(cached[2])
        self.misses += 1
        page = load_page(file, docs_dir, display_prefix)
        if time.time_ns() - stat.st_mtime_ns > RACY_NS:
            # Pickled now, before anyone else touches the Page, so the cache holds exactly what load_page gave.
            self.fresh[name] = (stat.st_mtime_ns, stat.st_size, pickle.dumps(page, protocol=pickle.HIGHEST_PROTOCOL))
        return page

    def save(self) -> None:
        if not self.misses and len(self.fresh) == len(self.entries):
            return  # nothing changed
        write_keyed(self.path, self.key, self.fresh)


def read_keyed(path: Path, key) -> dict:
    """The entries a cache file holds when it was written under `key` (this code, these settings); none
    when there is no file yet, or one from other code or settings: start afresh."""
    try:
        with path.open("rb") as handle:
            if pickle.load(handle) != key:
                return {}  # read no further: after an edit, unpickling what is stale would only cost time
            entries = pickle.load(handle)
        return entries if isinstance(entries, dict) else {}
    except FileNotFoundError:
        return {}
    except Exception as exc:
        # Cut short (a full disk, a killed process) or garbled, unpickling can fail in many ways: say so, then
        # start afresh. Never fatal: the cache only saves time.
        reason = f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__
        print(f"note: {path}: cache file could not be read ({reason}); it is rebuilt", file=sys.stderr)
        return {}


def write_keyed(path: Path, key, entries: dict) -> bool:
    """Write a cache file whole: this process's own temporary name, then one rename, so a reader sees the
    old file or the new. (Not tempfile: importing it slows the first command after a change.) False when it
    cannot be written: a read-only checkout still works, just without the speed-up."""
    tmp = path.with_name(f"{path.name}.{os.getpid()}.tmp")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with tmp.open("wb") as handle:
            pickle.dump(key, handle, protocol=pickle.HIGHEST_PROTOCOL)  # first, alone: see read_keyed
            pickle.dump(entries, handle, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp, path)
        return True
    except (OSError, pickle.PicklingError, TypeError, AttributeError, RecursionError):  # cannot keep: no speed-up
        with suppress(OSError):
            tmp.unlink(missing_ok=True)
        return False


def load_site_cached(settings: Settings, use_cache: bool = True,
                     prepare: Callable[[Site], None] | None = None) -> Site:
    """The guide as load_site gives it. prepare(site): works out, before the guide is kept, what the
    commands ask of every load (indexes of citations, the processes file): kept with it, a warm command
    unpickles them instead of working them out. It must depend on the loaded guide alone."""
    if not use_cache:
        return load_site(settings)
    inputs = site_inputs(settings)
    key = (code_version(), settings, clock.today().isoformat(), inputs)
    path = settings.root / SITE_FILE
    kept = read_keyed(path, key).get("site")
    if isinstance(kept, Site):
        from lawguide.core.problems import new_hint_run

        new_hint_run()  # as load_site does: hints asked for after the load have their whole budget
        return kept
    cache = PageCache(settings)
    site = load_site(settings, page_loader=cache.load_page)
    cache.save()
    if inputs is not None:  # kept as loaded and prepared, before any command adds to it
        if prepare:
            prepare(site)
        write_keyed(path, key, {"site": site})
    return site


def site_inputs(settings: Settings) -> tuple | None:
    """What load_site reads, as (path, mode, modification time, size) of every entry under its folders and
    of the config file; None when one changed in the last RACY_NS (it may change again unseen: the loaded
    guide is then not kept). A symlink with its target's too: load_site reports symlinks, and must report
    them again when they change; a symlinked folder is refused by load_site, so nothing under it counts."""
    racy_after = time.time_ns() - RACY_NS
    found: list[tuple] = []
    for top in (settings.docs_dir, settings.register_dir, settings.glossary_dir, settings.flows_dir,
                settings.config_path):
        path = os.fspath(top)
        try:
            stat = os.lstat(path)
        except OSError:
            found.append((path, None))
            continue
        found.append(_entry(path, stat))
        if stat.st_mtime_ns > racy_after:
            return None
        if os.path.isdir(path) and not os.path.islink(path) and not _walk(path, found, racy_after):
            return None
    return tuple(found)


def _entry(path: str, stat: os.stat_result) -> tuple:
    entry = (path, stat.st_mode, stat.st_mtime_ns, stat.st_size)
    if os.path.islink(path):
        with suppress(OSError):
            target = os.stat(path)
            entry += (os.readlink(path), target.st_mode, target.st_mtime_ns, target.st_size)
    return entry


def _walk(folder: str, found: list[tuple], racy_after: int) -> bool:
    """Append every entry under folder, in name order; False as soon as one is too recent."""
    try:
        with os.scandir(folder) as listing:
            entries = sorted(listing, key=lambda e: e.name)
    except OSError:
        found.append((folder, "unreadable"))
        return True
    for item in entries:
        try:
            stat = item.stat(follow_symlinks=False)
        except OSError:
            found.append((item.path, None))
            continue
        found.append(_entry(item.path, stat) if item.is_symlink() else (item.path, stat.st_mode, stat.st_mtime_ns,
                                                                          stat.st_size))
        if stat.st_mtime_ns > racy_after:
            return False
        if item.is_dir(follow_symlinks=False) and not _walk(item.path, found, racy_after):
            return False
    return True
