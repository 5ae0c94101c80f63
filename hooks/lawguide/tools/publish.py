"""`lawguide publish DEST`: build, check, then switch the live folder in one atomic step.

Layout next to DEST (all on one filesystem, so every rename is atomic):

    DEST                -> DEST.releases/20261122T101500-1   (a symlink: what the host serves)
    DEST.previous       -> DEST.releases/20261121T090000-1   (the version before: for --rollback)
    DEST.releases/      every kept release; a build in progress is DEST.releases/new-XXXX

A publish builds strictly into DEST.releases/new-XXXX, runs every check that needs no browser
(`lawguide check`, the strict build itself, internal links and anchors of the built HTML) and
only then points DEST at the new release with os.replace() of a fresh symlink: readers get the
whole old site or the whole new one, never a mix. Anything that fails leaves DEST and
DEST.previous untouched and deletes the temporary folder. Only the current and the previous
release are kept.

MkDocs runs as a subprocess, so this package still never imports it.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
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
from lawguide.core.problems import Problem
from lawguide.core.settings import Settings, find_config
from lawguide.guide import load_guide
from lawguide.links.htmlcheck import check_built_site
from lawguide.links.lock import config_file_for, read_link_config

MKDOCS_ENV = {"NO_MKDOCS_2_WARNING": "1", "DISABLE_MKDOCS_2_WARNING": "true"}


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

    def target(self, link: Path) -> Path | None:
        """Where a symlink points (absolute), or None when it is not a symlink."""
        if not link.is_symlink():
            return None
        return Path(os.path.normpath(link.parent / os.readlink(link)))


# --- the switch -------------------------------------------------------------------------------

def point(link: Path, target: Path) -> None:
    """Make `link` a symlink to `target` in one atomic step, replacing the link that was there.
    The link is relative, so the whole folder can be moved or mounted elsewhere."""
    temp = link.parent / f".{link.name}.switch-{os.getpid()}"
    with contextlib.suppress(FileNotFoundError):
        temp.unlink()
    os.symlink(os.path.relpath(target, link.parent), temp)
    os.replace(temp, link)


def switch_to(layout: Layout, release: Path, out: TextIO) -> Path | None:
    """Serve `release` at DEST; return the version it replaced (now DEST.previous), if any."""
    dest = layout.dest
    old = layout.target(dest)
    if old is None and dest.is_dir():
        # First publish over a plain folder: move it into the releases (kept as the previous
        # version), then put the link in its place. Between the two renames DEST is missing for
        # a few microseconds; every later publish is a single atomic os.replace().
        old = layout.releases / f"{_stamp(layout)}-was-{dest.name}"
        os.rename(dest, old)
        print(f"{dest} was a plain folder: moved to {old} (kept as the previous version).", file=out)
    point(dest, release)
    if old is not None:
        point(layout.previous, old)
    return old


def prune(layout: Layout) -> list[Path]:
    """Delete releases that are neither served nor the previous version (and stale builds)."""
    keep = {layout.target(layout.dest), layout.target(layout.previous)}
    removed = []
    for entry in sorted(layout.releases.iterdir()):
        if entry.is_dir() and not entry.is_symlink() and entry not in keep:
            shutil.rmtree(entry)
            removed.append(entry)
    return removed


def rollback(dest: Path | str, out: TextIO = sys.stdout) -> Path:
    """Serve DEST.previous again; the version it replaces becomes DEST.previous (so rolling
    back twice returns to where you started)."""
    layout = Layout.for_dest(dest)
    if layout.target(layout.dest) is None:
        raise PublishError(f"{layout.dest} is not a link made by `lawguide publish`: nothing to roll back")
    with _locked(layout):
        current, previous = layout.target(layout.dest), layout.target(layout.previous)
        if current is None or previous is None or not previous.is_dir():
            raise PublishError(f"no previous version to roll back to ({layout.previous} is missing)")
        point(layout.dest, previous)
        point(layout.previous, current)
    print(f"Rolled back: {layout.dest} -> {previous}; {layout.previous} -> {current}.", file=out)
    return previous


# --- publishing -------------------------------------------------------------------------------

def publish(config_file: Path, dest: Path | str, out: TextIO = sys.stdout) -> Path:
    """Build, check and switch; return the new release folder. Raises PublishError, with DEST
    untouched, when anything fails."""
    config_file = Path(config_file).resolve()
    layout = Layout.for_dest(dest)
    settings = Settings.from_mkdocs_yml(config_file)
    _check_dest(layout, settings)
    created_releases = not layout.releases.exists()
    with _locked(layout):
        staging = Path(tempfile.mkdtemp(prefix="new-", dir=layout.releases))
        try:
            staging.chmod(0o755)  # mkdtemp makes it private; the web server must read it
            _run_checks(config_file, settings, staging, out)
            release = layout.releases / _stamp(layout)
            os.rename(staging, release)
        except BaseException:
            shutil.rmtree(staging, ignore_errors=True)
            if created_releases:  # a failed first publish leaves nothing behind
                shutil.rmtree(layout.releases, ignore_errors=True)
            raise
        old = switch_to(layout, release, out)
        prune(layout)
    pages = sum(1 for _ in release.rglob("index.html"))
    print(f"Published {pages} pages: {layout.dest} -> {release}.", file=out)
    if old is not None:
        print(f"Previous version kept: {layout.previous} -> {old} "
              f"(undo with `lawguide publish --rollback {layout.dest}`).", file=out)
    return release


def _check_dest(layout: Layout, settings: Settings) -> None:
    dest = layout.dest
    if dest.exists() and not dest.is_dir():
        raise PublishError(f"{dest} exists and is not a folder")
    if dest.is_symlink() and not dest.exists():
        raise PublishError(f"{dest} is a broken link; remove it or roll back first")
    docs = settings.docs_dir.resolve()
    for folder in (layout.releases, dest):
        if folder.resolve() == docs or docs in folder.resolve().parents:
            raise PublishError(f"{dest} is inside the docs folder {docs}; publish somewhere else")


def _run_checks(config_file: Path, settings: Settings, staging: Path, out: TextIO) -> None:
    """Every check that needs no browser, cheapest first."""
    site = load_guide(settings)
    if site.problems:
        raise PublishError(_problems_text(site.problems, "in the sources (`lawguide check`)"))
    print(f"Checked sources: {len(site.pages)} pages, {len(site.register.refs)} law references.", file=out)
    build = build_site(config_file, staging)
    if build.returncode != 0:
        raise PublishError(_build_failure(build))
    print("Built strictly.", file=out)
    broken = check_built_site(staging, settings.site_url or canonical_root(staging))
    if broken:
        raise PublishError(_problems_text(_with_sources(broken, site), "in the built site (paths are built HTML files)"))
    print("Checked internal links and anchors of the built site.", file=out)


def canonical_root(site_dir: Path) -> str:
    """The site's own address, from the home page's canonical link (mkdocs.yml may take site_url
    from an environment variable, e.g. !ENV LAWGUIDE_SITE_URL, which the settings do not expand)."""
    index = site_dir / "index.html"
    if not index.exists():
        return ""
    match = re.search(r'<link rel="canonical" href="(https?://[^"]+)"', index.read_text(encoding="utf-8", errors="replace"))
    return match.group(1) if match else ""


def build_site(config_file: Path, site_dir: Path, strict: bool = True) -> subprocess.CompletedProcess:
    """The project's engine (tools/engine.py) builds into site_dir in a subprocess."""
    from lawguide.tools.engine import build

    return build(config_file, site_dir, strict)


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
            publish(Path(args.config) if args.config else find_config(Path.cwd()), args.dest)
    except PublishError as exc:
        print(f"lawguide publish: {exc}", file=sys.stderr)
        print(f"Nothing was changed: {Layout.for_dest(args.dest).dest} is as it was.", file=sys.stderr)
        return 1
    return 0
