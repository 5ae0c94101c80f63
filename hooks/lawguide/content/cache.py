"""A cache of parsed pages for the editors' commands, so `lawguide impact` and `lawguide review`
answer in well under half a second on a 1,000-page guide.

Only page parsing is cached (it is most of the work); the register, the glossary and every
cross-check run fresh each time, so the answer is always the one `load_site` would give. A page
is re-read when its size or modification time changes; the whole cache is dropped when the
parsing code or Python changes. The cache lives in .cache/lawguide/ next to mkdocs.yml (keep
.cache/ out of git); it is only ever read by this code, from the project's own folder.
"""

from __future__ import annotations

import os
import pickle
import sys
import time
from contextlib import suppress
from pathlib import Path

from lawguide.content.pages import Page, load_page
from lawguide.content.site import Site, load_site
from lawguide.core import clock
from lawguide.core.settings import Settings

CACHE_FILE = Path(".cache") / "lawguide" / "pages.pickle"
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
            found, entries = pickle.load(handle)
        if found == key and isinstance(entries, dict):
            return entries
        return {}
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
            pickle.dump((key, entries), handle, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp, path)
        return True
    except OSError:
        with suppress(OSError):
            tmp.unlink(missing_ok=True)
        return False


def load_site_cached(settings: Settings, use_cache: bool = True) -> Site:
    if not use_cache:
        return load_site(settings)
    cache = PageCache(settings)
    site = load_site(settings, page_loader=cache.load_page)
    cache.save()
    return site
