"""`lawguide publish DEST`: build, check, keep a dated edition, then switch the live folder in one
atomic step. A crash at any moment leaves DEST serving a complete site.

Layout next to DEST (all on one filesystem, so every rename is atomic and hard links work):

    DEST                -> DEST.releases/20261122T101500Z-1   (a symlink: what the host serves)
    DEST.previous       -> DEST.releases/20261121T090000Z-1   (the version before: for --rollback)
    DEST.releases/      every kept release; a build in progress is DEST.releases/new-XXXX
    DEST.editions/      every dated edition, never rewritten (tools/editions.py); one being made is .new-NAME

A publish builds strictly into DEST.releases/new-XXXX, makes today's edition, serves every edition
under /editions/ of the new release (hard links), runs every check that needs no browser (`lawguide
check`, the strict build itself, internal links and anchors of the built HTML, editions included) and
only then switches. The steps, in order (STEPS; LAWGUIDE_PUBLISH_CRASH_AT=STEP makes the process
exit at once after that step, for the crash tests):

    built        the release is built and checked in new-XXXX; today's edition sits in .new-NAME
    named        new-XXXX is renamed to its release name (nothing refers to it yet)
    recorded     DEST.previous -> the release DEST serves now (both links name it: it is safe)
    (moved)      only where no atomic exchange exists: the plain folder is renamed aside
    switched     DEST -> the new release: one os.replace() of a fresh symlink. Over a plain
                 folder, one renameat2(RENAME_EXCHANGE) swaps the folder out for the link.
    kept         today's edition is committed (.new-NAME renamed to NAME)
    pruned       releases that are neither DEST nor DEST.previous are deleted

Every run first cleans what a crash left: stale new-XXXX folders, .switch-* links, placeholder
links, and a .new-NAME edition (committed if DEST already serves it, deleted otherwise). A release
is never deleted while DEST or DEST.previous names it. A failed publish leaves DEST, DEST.previous
and every edition as they were.

Publish deletes only what it made. Every folder it makes in DEST.releases (a build in progress, a
release) is recorded in DEST.releases/.made-by-lawguide-publish *before* it is made or named, and only
a recorded folder is ever deleted; anything else there (a plain DEST folder adopted as the previous
version, a folder someone put there) is kept and named in the output, for a person to delete. A
non-empty DEST folder that publish did not make is refused unless the editor passes --adopt.

MkDocs runs as a subprocess, so this package still never imports it.
"""

from __future__ import annotations

import argparse
import contextlib
import ctypes
import datetime as dt
import errno
import fcntl
import os
import re
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TextIO

from lawguide.content.site import Site
from lawguide.content.urls import page_url
from lawguide.core import clock
from lawguide.core.problems import Problem
from lawguide.core.settings import Settings, find_config
from lawguide.guide import load_guide
from lawguide.links.htmlcheck import check_built_site
from lawguide.links.lock import config_file_for, read_link_config
from lawguide.render.editions import ENV_VAR as EDITIONS_ENV
from lawguide.render.editions import Edition
from lawguide.tools.editions import (
    NEW_PREFIX,
    editions,
    link_editions,
    make_edition,
    next_edition,
    tree_bytes,
    write_versions,
)

STEPS = ("built", "named", "recorded", "switched", "kept", "pruned")
MADE = ".made-by-lawguide-publish"  # in DEST.releases: the folders publish made, one name a line
_RELEASE_NAME = re.compile(r"\d{8}T\d{6}Z-\d+")  # a release of a version from before MADE existed
CRASH_ENV = "LAWGUIDE_PUBLISH_CRASH_AT"  # tests only: exit the process right after this step
NO_EXCHANGE_ENV = "LAWGUIDE_PUBLISH_NO_EXCHANGE"  # tests only: take the two-rename fallback path


class PublishError(Exception):
    """A check failed or DEST cannot be published to; DEST is as it was."""


@dataclass(frozen=True)
class Layout:
    dest: Path  # absolute, but symlinks NOT resolved: DEST itself is the link we switch

    @classmethod
    def for_dest(cls, dest: Path | str) -> Layout:
        return cls(Path(os.path.abspath(dest)))

    @property
    def releases(self) -> Path:
        return self.dest.parent / f"{self.dest.name}.releases"

    @property
    def previous(self) -> Path:
        return self.dest.parent / f"{self.dest.name}.previous"

    @property
    def editions(self) -> Path:
        return self.dest.parent / f"{self.dest.name}.editions"

    def target(self, link: Path) -> Path | None:
        """Where a symlink points (absolute), or None when it is not a symlink."""
        if not link.is_symlink():
            return None
        return Path(os.path.normpath(link.parent / os.readlink(link)))


def _step(name: str) -> None:
    if os.environ.get(CRASH_ENV) == name:
        os._exit(86)  # a crash: no clean-up, no finally blocks


# --- what publish made ----------------------------------------------------------------------

def made(layout: Layout) -> set[str]:
    """Names of the folders in DEST.releases that publish made. Before the record existed (a DEST
    published by an older version), releases named as publish names them count."""
    record = layout.releases / MADE
    if record.is_file():
        return {line.strip() for line in record.read_text(encoding="utf-8").splitlines() if line.strip()}
    if not layout.releases.is_dir():
        return set()
    return {p.name for p in layout.releases.iterdir()
            if p.is_dir() and not p.is_symlink() and _RELEASE_NAME.fullmatch(p.name)}


def _record(layout: Layout, add: set[str] = frozenset(), drop: set[str] = frozenset()) -> None:
    """Rewrite the record in one atomic step (written, synced, renamed over the old one)."""
    names = (made(layout) | set(add)) - set(drop)
    temp = layout.releases / f"{MADE}.{os.getpid()}"
    with open(temp, "w", encoding="utf-8") as handle:
        handle.write("".join(f"{name}\n" for name in sorted(names)))
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(temp, layout.releases / MADE)


def _delete_made(layout: Layout, entry: Path) -> bool:
    """Delete a folder of DEST.releases if publish made it (or it is empty); True if it is gone."""
    if entry.name in made(layout):
        shutil.rmtree(entry)
        _record(layout, drop={entry.name})
        return True
    with contextlib.suppress(OSError):
        entry.rmdir()  # only ever succeeds on an empty folder: nothing is lost
        return True
    return False


# --- the switch -------------------------------------------------------------------------------

def point(link: Path, target: Path) -> None:
    """Make `link` a symlink to `target` in one atomic step, replacing the link that was there.
    The link is relative, so the whole folder can be moved or mounted elsewhere."""
    temp = link.parent / f".{link.name}.switch-{os.getpid()}"
    with contextlib.suppress(FileNotFoundError):
        temp.unlink()
    os.symlink(os.path.relpath(target, link.parent), temp)
    os.replace(temp, link)


def _exchange(a: Path, b: Path) -> bool:
    """Swap two paths in one atomic step (Linux renameat2 RENAME_EXCHANGE); False where the system
    or the filesystem cannot."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):
        return False
    renameat2.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
    at_fdcwd, rename_exchange = -100, 2
    if renameat2(at_fdcwd, os.fsencode(a), at_fdcwd, os.fsencode(b), rename_exchange) == 0:
        return True
    code = ctypes.get_errno()
    if code in (errno.EINVAL, errno.ENOSYS, errno.EOPNOTSUPP):
        return False
    raise OSError(code, os.strerror(code), str(a), None, str(b))


def switch_to(layout: Layout, release: Path, out: TextIO) -> Path | None:
    """Serve `release` at DEST; return the version it replaced (now DEST.previous), if any.
    DEST.previous is recorded first, so the version being replaced is never unreferenced."""
    dest = layout.dest
    old = layout.target(dest)
    if old is None and dest.is_dir():
        # First publish over a plain folder. A placeholder link takes the old folder's future name;
        # DEST.previous names it; then one exchange puts the link at DEST and the folder at that name.
        old = layout.releases / f"{release.name}-was-{dest.name}"
        os.symlink(os.path.relpath(release, dest.parent), old)  # relative to DEST's folder: right after the swap
        point(layout.previous, old)
        _step("recorded")
        if os.environ.get(NO_EXCHANGE_ENV) or not _exchange(old, dest):
            # No atomic exchange here: two renames, with DEST missing in between. A crash there is
            # repaired by the next run (_recover), which points DEST at DEST.previous again.
            old.unlink()
            os.rename(dest, old)
            _step("moved")
            point(dest, release)
        _step("switched")
        print(f"{dest} was a plain folder: moved to {old} (kept as the previous version).", file=out)
        return old
    if old is not None:
        point(layout.previous, old)
    _step("recorded")
    point(dest, release)
    _step("switched")
    return old


def prune(layout: Layout, out: TextIO | None = None) -> list[Path]:
    """Delete releases that are neither served nor the previous version (and stale builds), if
    publish made them; name the folders it did not make and keeps."""
    keep = {layout.target(layout.dest), layout.target(layout.previous)}
    removed = []
    for entry in sorted(layout.releases.iterdir()):
        if entry.is_dir() and not entry.is_symlink() and entry not in keep:
            if _delete_made(layout, entry):
                removed.append(entry)
            elif out is not None:
                print(f"Kept {entry}: `lawguide publish` did not make it (e.g. a folder adopted with --adopt), "
                      "so it never deletes it; delete it yourself once you no longer need it.", file=out)
    return removed


def _recover(layout: Layout, out: TextIO) -> None:
    """Repair what a crashed publish or rollback left, before anything else (under the lock)."""
    dest, previous = layout.dest, layout.target(layout.previous)
    for debris in layout.dest.parent.glob(f".{layout.dest.name}*.switch-*"):
        if debris.is_symlink():
            debris.unlink()
    for debris in layout.releases.glob(f"{MADE}.*") if layout.releases.is_dir() else []:
        debris.unlink()  # a record being rewritten when the process died
    if not dest.exists() and not dest.is_symlink() and previous is not None and previous.is_dir():
        point(dest, previous)  # a crash between the two renames of the no-exchange fallback
        print(f"{dest} was missing after an interrupted publish: it serves {previous} again.", file=out)
    keep = {layout.target(dest), previous}
    for entry in sorted(layout.releases.iterdir()) if layout.releases.is_dir() else []:
        if entry.is_symlink() and "-was-" in entry.name:
            entry.unlink()  # a placeholder that was never swapped in
        elif entry.name.startswith("new-") and entry.is_dir() and not entry.is_symlink() and entry not in keep:
            _delete_made(layout, entry)  # a build that never finished (kept if publish did not make it)
    served = layout.target(dest)
    for entry in sorted(layout.editions.glob(f"{NEW_PREFIX}*")) if layout.editions.is_dir() else []:
        name = entry.name.removeprefix(NEW_PREFIX)
        if served is not None and (served / "editions" / name).is_dir() and not (layout.editions / name).exists():
            os.rename(entry, layout.editions / name)  # DEST serves it: the crash came after the switch
        else:
            shutil.rmtree(entry)


def rollback(dest: Path | str, out: TextIO = sys.stdout) -> Path:
    """Serve DEST.previous again; the version it replaces becomes DEST.previous (so rolling
    back twice returns to where you started)."""
    layout = Layout.for_dest(dest)
    if layout.target(layout.dest) is None and layout.dest.exists():
        raise PublishError(f"{layout.dest} is not a link made by `lawguide publish`: nothing to roll back")
    if not layout.releases.is_dir():
        raise PublishError(f"{layout.dest} was not published by `lawguide publish`: nothing to roll back")
    with _locked(layout):
        _recover(layout, out)
        current, previous = layout.target(layout.dest), layout.target(layout.previous)
        if current is None or previous is None or not previous.is_dir() or previous == current:
            raise PublishError(f"no previous version to roll back to ({layout.previous} is missing)")
        point(layout.dest, previous)
        point(layout.previous, current)
    print(f"Rolled back: {layout.dest} -> {previous}; {layout.previous} -> {current}.", file=out)
    return previous


# --- publishing -------------------------------------------------------------------------------

def publish(config_file: Path, dest: Path | str, out: TextIO = sys.stdout, today: dt.date | None = None,
            adopt: bool = False) -> Path:
    """Build, check, keep today's edition and switch; return the new release folder. Raises
    PublishError, with DEST, DEST.previous and every edition untouched, when anything fails.
    adopt: a non-empty DEST folder publish did not make is kept as the previous version (else refused)."""
    config_file = Path(config_file).resolve()
    layout = Layout.for_dest(dest)
    settings = Settings.from_mkdocs_yml(config_file)
    _check_dest(layout, settings, config_file, adopt)
    created = [folder for folder in (layout.releases, layout.editions) if not folder.exists()]
    with _locked(layout):
        _recover(layout, out)
        layout.editions.mkdir(exist_ok=True)
        edition = next_edition(layout.editions, today or clock.today())  # LAWGUIDE_TODAY moves it, as the build
        kept = editions(layout.editions)
        new_edition = layout.editions / f"{NEW_PREFIX}{edition.name}"
        staging = Path(tempfile.mkdtemp(prefix="new-", dir=layout.releases))
        _record(layout, add={staging.name})  # before anything goes in it: a crash leaves it deletable
        try:
            staging.chmod(0o755)  # mkdtemp makes it private; the web server must read it
            site = _run_checks(config_file, settings, staging, [*kept, edition], out)
            size = make_edition(staging, new_edition, edition, layout.editions / kept[-1].name if kept else None)
            link_editions(staging, {**{e.name: layout.editions / e.name for e in kept}, edition.name: new_edition})
            write_versions(staging, [e.name for e in [*kept, edition]])
            _check_links(staging, settings, site, out)
            _step("built")
            release = layout.releases / _stamp(layout)
            _record(layout, add={release.name}, drop={staging.name})  # recorded before it exists
            os.rename(staging, release)
            _step("named")
        except BaseException:
            shutil.rmtree(staging, ignore_errors=True)  # made by this run (mkdtemp)
            with contextlib.suppress(OSError):
                _record(layout, drop={staging.name})
            shutil.rmtree(new_edition, ignore_errors=True)
            for folder in created:  # a failed first publish leaves nothing behind
                shutil.rmtree(folder, ignore_errors=True)
            raise
        old = switch_to(layout, release, out)
        os.rename(new_edition, layout.editions / edition.name)
        _step("kept")
        prune(layout, out)
        _step("pruned")
    pages = sum(1 for p in release.rglob("index.html") if "editions" not in p.relative_to(release).parts[:1])
    print(f"Published {pages} pages: {layout.dest} -> {release}.", file=out)
    print(f"Edition {edition.name} kept at /editions/{edition.name}/: {size.files} files, "
          f"{size.new_bytes:,} bytes added to the editions ({size.stubs} unchanged pages redirect to the edition holding "
          f"them; {size.shared_bytes:,} bytes held by earlier editions not stored again); "
          f"all {len(kept) + 1} edition(s) use {tree_bytes(layout.editions):,} bytes.", file=out)
    if old is not None:
        print(f"Previous version kept: {layout.previous} -> {old} "
              f"(undo with `lawguide publish --rollback {layout.dest}`).", file=out)
    return release


def _check_dest(layout: Layout, settings: Settings, config_file: Path, adopt: bool = False) -> None:
    """Refuse, before touching anything, a DEST that publishing would damage or cannot handle."""
    dest = layout.dest
    if dest.exists() and not dest.is_dir():
        raise PublishError(f"{dest} exists and is not a folder")
    if dest.is_symlink() and not dest.exists():
        raise PublishError(f"{dest} is a broken link; remove it or roll back first")
    for path, what, link in ((layout.previous, "link to the previous version", True),
                             (layout.releases, "folder of releases", False),
                             (layout.editions, "folder of editions", False)):
        is_link = path.is_symlink()
        if path.exists() or is_link:
            if link and not is_link:
                raise PublishError(f"{path} is a plain {'folder' if path.is_dir() else 'file'}, not the {what} "
                                   f"`lawguide publish` makes; move it away first")
            if not link and (is_link or not path.is_dir()):
                raise PublishError(f"{path} should be the {what} `lawguide publish` makes, "
                                   f"but it is a {'link' if is_link else 'file'}; move it away first")
    sources = {"the project": settings.root, "the docs folder": settings.docs_dir,
               "the config file": config_file, "the register": settings.register_dir,
               "the glossary": settings.glossary_dir}
    places = {dest, Path(os.path.realpath(dest)), layout.releases, layout.editions}
    for folder in places:
        for what, source in sources.items():
            source = source.resolve()
            if folder.resolve() == source or folder.resolve() in source.parents:
                raise PublishError(f"{dest} holds {what} ({source}): publishing there would move it aside "
                                   f"and later delete it; publish somewhere outside the project")
        docs = settings.docs_dir.resolve()
        if docs in folder.resolve().parents:
            raise PublishError(f"{dest} is inside the docs folder {docs}; publish somewhere else")
    if dest.is_dir() and not dest.is_symlink() and not adopt:
        held = next(iter(sorted(dest.iterdir())), None)
        if held is not None:
            raise PublishError(f"{dest} is a folder `lawguide publish` did not make, and it is not empty "
                               f"(it holds {held.name}); publishing would move it aside. Move it away, or run "
                               "again with --adopt to keep it as the previous version (publish never deletes it)")


def _run_checks(config_file: Path, settings: Settings, staging: Path, all_editions: list[Edition],
                out: TextIO) -> Site:
    """The source check and the strict build, cheapest first."""
    site = load_guide(settings)
    if site.problems:
        raise PublishError(_problems_text(site.problems, "in the sources (`lawguide check`)"))
    print(f"Checked sources: {len(site.pages)} pages, {len(site.register.refs)} law references.", file=out)
    build = build_site(config_file, staging, editions=all_editions)
    if build.returncode != 0:
        raise PublishError(_build_failure(build))
    print("Built strictly.", file=out)
    return site


def _check_links(staging: Path, settings: Settings, site: Site, out: TextIO) -> None:
    """Every internal link and anchor of the built site, its editions included."""
    broken = check_built_site(staging, settings.site_url or canonical_root(staging))
    if broken:
        raise PublishError(_problems_text(_with_sources(broken, site), "in the built site (paths are built HTML files)"))
    print("Checked internal links and anchors of the built site and its editions.", file=out)


def canonical_root(site_dir: Path) -> str:
    """The site's own address, from the home page's canonical link (mkdocs.yml may take site_url
    from an environment variable, e.g. !ENV LAWGUIDE_SITE_URL, which the settings do not expand)."""
    index = site_dir / "index.html"
    if not index.exists():
        return ""
    match = re.search(r'<link rel="canonical" href="(https?://[^"]+)"', index.read_text(encoding="utf-8", errors="replace"))
    return match.group(1) if match else ""


def build_site(config_file: Path, site_dir: Path, strict: bool = True,
               editions: list[Edition] | None = None) -> subprocess.CompletedProcess:
    """The project's engine (tools/engine.py) builds into site_dir in a subprocess. `editions`: the
    dated editions the build's /editions/ page lists (the hooks read them from LAWGUIDE_EDITIONS)."""
    from lawguide.tools.engine import build

    env = {**os.environ, EDITIONS_ENV: ",".join(e.name for e in editions or [])}
    return build(config_file, site_dir, strict, env=env)


def _build_failure(build: subprocess.CompletedProcess) -> str:
    lines = [line for line in (build.stderr + "\n" + build.stdout).splitlines() if line.strip()]
    # MkDocs' INFO lines are noise here; the warnings carry the path:line: message.
    warnings = [line for line in lines if line.startswith(("WARNING", "ERROR"))]
    others = [line for line in lines if not line.startswith(("INFO", "WARNING", "ERROR"))]
    return "the strict build failed:\n" + "\n".join(warnings + others or lines[-20:])


def _with_sources(problems: list[Problem], site: Site) -> list[Problem]:
    """Name the Markdown file each broken built page comes from, where there is one."""
    directory_urls = read_link_config(config_file_for(site)).directory_urls
    sources = {page_url(p.path, directory_urls): p.display for p in site.pages.values()}
    out = []
    for problem in problems:
        url = "/" + problem.path.removesuffix("index.html") if directory_urls else "/" + problem.path
        source = sources.get(url)
        out.append(replace(problem, hint=f"written in {source}; {problem.hint}") if source else problem)
    return out


def _problems_text(problems: list[Problem], where: str) -> str:
    lines = [p.format() for p in sorted(problems)]
    return "\n".join([*lines, f"{len(problems)} problem(s) {where}."])


def _stamp(layout: Layout) -> str:
    """A release name that sorts by time and is unique even within one second."""
    base = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%SZ")
    n = 1
    while any(layout.releases.glob(f"{base}-{n}*")):
        n += 1
    return f"{base}-{n}"


@contextlib.contextmanager
def _locked(layout: Layout) -> Iterator[None]:
    """One publish or rollback at a time per DEST."""
    layout.releases.mkdir(parents=True, exist_ok=True)
    with open(layout.releases / ".lock", "w") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise PublishError(f"another publish or rollback of {layout.dest} is running") from None
        yield


# --- command line -----------------------------------------------------------------------------

def cmd_publish(args: argparse.Namespace) -> int:
    try:
        if args.rollback:
            rollback(args.dest)
        else:
            publish(Path(args.config) if args.config else find_config(Path.cwd()), args.dest,
                    adopt=getattr(args, "adopt", False))
    except PublishError as exc:
        print(f"lawguide publish: {exc}", file=sys.stderr)
        print(f"Nothing was changed: {Layout.for_dest(args.dest).dest} is as it was.", file=sys.stderr)
        return 1
    except OSError as exc:
        print(f"lawguide publish: {os_error_text(exc)}", file=sys.stderr)
        print(f"{Layout.for_dest(args.dest).dest} still serves a complete site; "
              "run the command again once this is fixed (it cleans up what was left).", file=sys.stderr)
        return 1
    return 0


def os_error_text(exc: OSError) -> str:
    """One line for any OSError: what failed, where, and the likely fix."""
    where = f" -> {exc.filename2}" if exc.filename2 else ""
    where = f": {exc.filename}{where}" if exc.filename else ""
    text = f"{exc.strerror or exc}{where}"
    if isinstance(exc, PermissionError):
        text += " (the user publishing must be able to write to DEST's parent folder)"
    elif isinstance(exc, OSError) and exc.errno == errno.ENOSPC:
        text += " (free some space; the site is unchanged)"
    return text
