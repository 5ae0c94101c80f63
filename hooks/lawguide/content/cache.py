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

The editors' questions (load_questions_site) keep the settings with the guide too, checked by the config
file's stat, so a warm command parses no YAML; and their kept guide leaves out what they never read (LEFT_OUT).
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
# Files beside the config file that the editors' commands read with every load (lawchange.sources_lock's
# sources.lock, read by `lawguide review`): a `prepare` may keep what it read of them, so they are inputs too.
ALSO_READ = ("sources.lock",)
# A file modified this recently might be modified again within the file system's timestamp
# granularity without its size changing; such files are re-read next time (git's "racy clean").
RACY_NS = 2_000_000_000


def code_version() -> tuple:
    """Any change to the package's code drops the cache. File stats, not hashes: importing
    hashlib alone costs more than the rest of a warm `lawguide impact`. Worked out once a process (a
    command asks for it for each of its caches): a process runs the code it imported, whatever
    happens to the files later, so later stats would describe code it is not running anyway."""
    global _CODE_VERSION
    if _CODE_VERSION is None:
        package = os.path.dirname(os.path.dirname(os.path.realpath(__file__)))
        found: list[tuple] = []
        _code_stats(package, "", found)
        _CODE_VERSION = (sys.version, *sorted(found))
    return _CODE_VERSION


_CODE_VERSION: tuple | None = None


def _code_stats(folder: str, prefix: str, found: list[tuple]) -> None:
    """(path relative to the package, modification time, size) of every .py file under folder: one scandir a
    folder, not a stat a file through pathlib (rglob and Path.stat cost more than the stats themselves)."""
    with os.scandir(folder) as listing:
        for entry in listing:
            if entry.is_dir(follow_symlinks=False):
                if entry.name != "__pycache__":
                    _code_stats(entry.path, f"{prefix}{entry.name}/", found)
            elif entry.name.endswith(".py") and entry.is_file():
                stat = entry.stat()
                found.append((prefix + entry.name, stat.st_mtime_ns, stat.st_size))


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
        _unreadable(path, exc)
        return {}


def write_keyed(path: Path, key, *records) -> bool:
    """Write a cache file whole: this process's own temporary name, then one rename, so a reader sees the
    old file or the new. (Not tempfile: importing it slows the first command after a change.) False when it
    cannot be written: a read-only checkout still works, just without the speed-up."""
    tmp = path.with_name(f"{path.name}.{os.getpid()}.tmp")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with tmp.open("wb") as handle:
            pickle.dump(key, handle, protocol=pickle.HIGHEST_PROTOCOL)  # first, alone: see read_keyed
            for record in records:
                pickle.dump(record, handle, protocol=pickle.HIGHEST_PROTOCOL)
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
    return _load_kept(settings.config_path, settings, prepare, lean=False)


def load_questions_site(config_file: Path, use_cache: bool = True,
                        prepare: Callable[[Site], None] | None = None) -> Site:
    """load_site_cached(Settings.from_mkdocs_yml(config_file)) for the editors' questions (impact, review, the
    changes feed, sources), with the settings kept too: while the config file is as it was, a warm command
    neither reads nor parses it (nor imports the YAML parser). The guide kept for them leaves out what they
    never read (LEFT_OUT): a third of the objects to unpickle."""
    if not use_cache:
        return load_site(Settings.from_mkdocs_yml(config_file))
    return _load_kept(config_file, None, prepare, lean=True)


def _load_kept(config_file: Path, settings: Settings | None, prepare: Callable[[Site], None] | None,
               lean: bool) -> Site:
    """The kept guide when the config file, the settings read from it, today, the code and every input are
    as they were; else the guide loaded afresh (through the page cache) and kept. The file holds four
    pickles, each read only if the one before matched: the key, the settings, the inputs, the guide."""
    head = (code_version(), _config_identity(config_file), clock.today().isoformat())
    path = config_file.resolve().parent / SITE_FILE
    kept_settings, inputs, kept = _read_site_file(path, head, settings)
    if kept is not None and (lean or not kept["lean"]):
        from lawguide.core.problems import new_hint_run

        new_hint_run()  # as load_site does: hints asked for after the load have their whole budget
        site = kept["site"]
        if prepare and kept["prepared"] != _name(prepare):  # kept by a caller that prepared nothing
            prepare(site)
            _write_site_file(path, head, kept_settings, inputs, site, prepare, lean)
        return site
    settings = settings or Settings.from_mkdocs_yml(config_file)
    inputs = site_inputs(settings)
    cache = PageCache(settings)
    site = load_site(settings, page_loader=cache.load_page)
    cache.save()
    if inputs is not None:  # kept as loaded and prepared, before any command adds to it
        if prepare:
            prepare(site)
        _write_site_file(path, head, settings, inputs, site, prepare, lean)
    return site


def _name(prepare: Callable | None) -> str | None:
    return f"{prepare.__module__}.{prepare.__qualname__}" if prepare else None


def _config_identity(config_file: Path) -> tuple:
    """The config file as given, where it is, and its stat: the settings read from it are kept while these
    hold. Its modification time is also among the inputs, so one edited a moment ago keeps nothing."""
    try:
        stat = os.stat(config_file)
    except OSError:
        return (os.fspath(config_file), None)
    return (os.fspath(config_file), os.path.realpath(config_file), stat.st_dev, stat.st_ino, stat.st_mtime_ns,
            stat.st_size)


def _read_site_file(path: Path, head: tuple, settings: Settings | None) -> tuple:
    """(settings, inputs, {"site", "prepared", "lean"}) as kept; (None, None, None) when any differs from now."""
    missing = (None, None, None)
    try:
        with path.open("rb") as handle:
            if pickle.load(handle) != head:
                return missing  # read no further: after an edit, unpickling what is stale would only cost time
            kept_settings = pickle.load(handle)
            if not isinstance(kept_settings, Settings) or (settings is not None and kept_settings != settings):
                return missing
            inputs = site_inputs(kept_settings)
            if inputs is None or pickle.load(handle) != inputs:
                return missing
            kept = pickle.load(handle)
    except FileNotFoundError:
        return missing
    except Exception as exc:
        _unreadable(path, exc)
        return missing
    if not isinstance(kept, dict) or not isinstance(kept.get("site"), Site) or "lean" not in kept:
        return missing
    return kept_settings, inputs, kept


def _unreadable(path: Path, exc: Exception) -> None:
    # Cut short (a full disk, a killed process) or garbled, unpickling can fail in many ways: say so, then
    # start afresh. Never fatal: the cache only saves time.
    reason = f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__
    print(f"note: {path}: cache file could not be read ({reason}); it is rebuilt", file=sys.stderr)


def _write_site_file(path: Path, head: tuple, settings: Settings, inputs: tuple, site: Site,
                     prepare: Callable | None, lean: bool) -> bool:
    """Keep the guide; lean: without what LEFT_OUT names (this process's guide keeps it all)."""
    site.memo[KEPT_TOKEN] = (time.time_ns(), os.getpid())  # this keeping, and no other (see KEPT_TOKEN)
    pages = site.pages.values() if lean else ()
    for page in pages:
        page.law_citations  # noqa: B018 (kept, worked out from the citations LEFT_OUT: what the questions read)
    left_out = [(page, name, vars(page)[name]) for page in pages for name in LEFT_OUT]
    try:
        for page, name, _ in left_out:
            vars(page)[name] = NOT_KEPT
        return write_keyed(path, head, settings, inputs, {"site": site, "prepared": _name(prepare), "lean": lean})
    finally:
        for page, name, value in left_out:
            vars(page)[name] = value


# In a kept guide's memo: a mark of that one keeping. What a command works out from the guide and keeps in a
# file of its own (lawchange.impact's dated claims) may be reused without checking its sources again while the
# guide carrying the same mark is in use: the guide is only used while none of its sources changed.
KEPT_TOKEN = "kept_token"

# What the guide kept for the editors' questions leaves out of each guide page: nothing they do reads it. The
# links, and the citations as written (glossary links among them): the law citations (Page.law_citations)
# are kept. A third of the objects to unpickle at 1,000 pages.
LEFT_OUT = ("links", "citations")


class NotKept:
    """In the place of what a lean kept guide left out: any use of it fails, saying so, rather than answer as
    if a page had no links or citations."""

    def __reduce__(self) -> tuple:
        return (NotKept, ())

    def _refuse(self, *args: object, **kwargs: object) -> None:
        raise RuntimeError(f"not kept in {SITE_FILE} for the editors' questions (content.cache.LEFT_OUT): "
                           "load the guide with load_site or load_site_cached to read it")

    __iter__ = __len__ = __getitem__ = __contains__ = __bool__ = __eq__ = _refuse
    __hash__ = None


NOT_KEPT = NotKept()


def site_inputs(settings: Settings) -> tuple | None:
    """What load_site reads, as (path, mode, modification time, size) of every entry under its folders, of
    the config file and of ALSO_READ; None when one changed in the last RACY_NS (it may change again unseen:
    the loaded guide is then not kept). A symlink with its target's too: load_site reports symlinks, and must report
    them again when they change; a symlinked folder is refused by load_site, so nothing under it counts."""
    racy_after = time.time_ns() - RACY_NS
    found: list[tuple] = []
    for top in (settings.docs_dir, settings.register_dir, settings.glossary_dir, settings.flows_dir,
                settings.config_path, *(settings.root / name for name in ALSO_READ)):
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
