"""`lawguide deploy OUT`: publish for a host that keeps nothing between runs (GitHub Pages, Netlify,
Cloudflare Pages, an object store behind a CDN), built by CI on a fresh machine each time.

`lawguide publish` keeps dated editions in DEST.editions/ beside the live folder, which works on a
server that keeps its disk. A CI runner keeps nothing, so here the editions live in a git branch
(`editions` by default, on the project's own repository) that each deploy adds to and never rewrites,
the way `mike` keeps versions on a branch, but with one edition per commit and only new files:

1. restore  the branch is cloned into a work folder; every edition in it is checked against its
            manifest (SHA-256 of every file). A changed, missing or extra byte fails the deploy.
2. publish  `lawguide publish` into the work folder with the restored editions as DEST.editions:
            a strict build, every check, today's edition, every edition served under /editions/.
3. save     today's edition and its manifest go into the branch in one commit that only adds files
            (checked before committing), and the branch is pushed. A build, check or push that fails
            leaves the branch as it was, and OUT is not written.
4. out      the release is copied into OUT as plain files (Pages artifacts refuse symlinks and hard
            links), with `_headers` and `_redirects` for Netlify and Cloudflare Pages (GitHub Pages
            ignores both), and OUT must stay under the size budget (GitHub Pages publishes at most 1 GB).

Git is run as a command, so the branch can live on any remote git can reach (a path, in the tests).
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import hashlib
import os
import re
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO

from lawguide.content.urls import EDITIONS_DIR, page_url
from lawguide.core.problems import Problem, shorten
from lawguide.core.weburl import url_problem
from lawguide.core.yamlsrc import load_yaml_file

BRANCH = "editions"
EDITIONS_IN_BRANCH = "editions"  # editions/<NAME>/... in the branch
MANIFESTS_IN_BRANCH = "manifests"  # manifests/<NAME>.sha256: "<sha256>  <path>" per file, sorted
DEFAULT_BUDGET_MB = 800  # fail well before GitHub Pages' 1 GB
HASHED_ASSET = re.compile(r"\.[0-9a-f]{8,}(\.min)?\.(js|css)$")  # Material's bundle.<hash>.min.js etc.
COMMITTER = ("lawguide deploy", "lawguide-deploy@localhost")


class DeployError(Exception):
    """The deploy stopped; the edition branch and OUT are as they were."""


@dataclass
class DeployResult:
    edition: str
    out: Path
    bytes: int
    files: int


# --- git ------------------------------------------------------------------------------------

def git(args: list[str], cwd: Path | None = None, check: bool = True) -> subprocess.CompletedProcess:
    env = {**os.environ, "GIT_TERMINAL_PROMPT": "0", "LC_ALL": "C"}
    try:
        result = subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True, env=env, timeout=600)
    except FileNotFoundError:
        raise DeployError("git is not installed; deploy keeps editions in a git branch") from None
    except subprocess.TimeoutExpired:
        raise DeployError(f"git {' '.join(args[:2])} took more than 10 minutes; is the remote reachable?") from None
    if check and result.returncode != 0:
        raise DeployError(f"git {' '.join(args)} failed: {(result.stderr or result.stdout).strip()[-500:]}")
    return result


def default_remote(project: Path) -> str:
    """The project's own repository: where its `origin` points."""
    result = git(["remote", "get-url", "origin"], cwd=project, check=False)
    if result.returncode != 0 or not result.stdout.strip():
        raise DeployError(f"{project} has no git remote 'origin' to keep editions on; pass --store URL_OR_PATH")
    return result.stdout.strip()


def restore_branch(remote: str, branch: str, into: Path) -> bool:
    """Clone the edition branch into `into`; a new, empty branch when the remote has none yet.
    Returns whether the branch existed."""
    probe = git(["ls-remote", "--heads", remote, branch], check=False)
    if probe.returncode != 0:
        raise DeployError(f"cannot read the edition store {remote}: {probe.stderr.strip()[-300:]}")
    if probe.stdout.strip():
        git(["clone", "--quiet", "--branch", branch, "--single-branch", "--no-tags", remote, str(into)])
        return True
    git(["init", "--quiet", str(into)])
    git(["checkout", "--quiet", "--orphan", branch], cwd=into)
    git(["remote", "add", "origin", remote], cwd=into)
    return False


# --- manifests ------------------------------------------------------------------------------

def manifest_of(folder: Path) -> str:
    lines = []
    for file in sorted(p for p in folder.rglob("*") if p.is_file()):
        digest = hashlib.sha256(file.read_bytes()).hexdigest()
        lines.append(f"{digest}  {file.relative_to(folder).as_posix()}")
    return "\n".join(lines) + "\n"


def verify_store(store: Path) -> list[str]:
    """Every edition in the branch, oldest first, each checked byte for byte against its manifest."""
    editions_dir, manifests = store / EDITIONS_IN_BRANCH, store / MANIFESTS_IN_BRANCH
    names = sorted(p.name for p in editions_dir.iterdir()) if editions_dir.is_dir() else []
    for name in names:
        manifest = manifests / f"{name}.sha256"
        if not manifest.is_file():
            raise DeployError(f"edition {name} in the store has no manifest ({MANIFESTS_IN_BRANCH}/{name}.sha256)")
        if manifest_of(editions_dir / name) != manifest.read_text(encoding="utf-8"):
            raise DeployError(f"edition {name} in the store no longer matches its manifest: an edition must "
                              "never change (restore it from the branch's history)")
    return names


def save_edition(store: Path, edition_dir: Path, name: str, branch: str) -> None:
    """Add one edition and its manifest to the branch in a commit that only adds files, and push."""
    target = store / EDITIONS_IN_BRANCH / name
    if target.exists():
        raise DeployError(f"edition {name} is already in the store; an edition is never rewritten")
    shutil.copytree(edition_dir, target)  # plain copies: git stores each distinct file once anyway
    for file in target.rglob("*"):
        if file.is_file():
            file.chmod(0o644)
    manifest = store / MANIFESTS_IN_BRANCH / f"{name}.sha256"
    manifest.parent.mkdir(exist_ok=True)
    manifest.write_text(manifest_of(target), encoding="utf-8")
    git(["add", "--", f"{EDITIONS_IN_BRANCH}/{name}", f"{MANIFESTS_IN_BRANCH}/{name}.sha256"], cwd=store)
    status = git(["diff", "--cached", "--name-status", "--no-renames"], cwd=store).stdout.splitlines()
    changed = [line for line in status if not line.startswith("A\t")]
    if changed:
        raise DeployError("the edition commit would change files already in the store: " + "; ".join(changed[:5]))
    identity = [] if git(["config", "user.email"], cwd=store, check=False).stdout.strip() else \
        ["-c", f"user.name={COMMITTER[0]}", "-c", f"user.email={COMMITTER[1]}"]
    git([*identity, "commit", "--quiet", "-m", f"Edition {name}"], cwd=store)
    git(["push", "--quiet", "origin", f"HEAD:refs/heads/{branch}"], cwd=store)


# --- the artifact ---------------------------------------------------------------------------

def write_out(release: Path, out: Path, config_file: Path, editions: list[str]) -> tuple[int, int]:
    """The release as plain files in OUT, with the host files; (bytes, files)."""
    shutil.copytree(release, out, symlinks=False, dirs_exist_ok=True)
    (out / "_headers").write_text(headers_file(out, editions), encoding="utf-8")
    (out / "_redirects").write_text(redirects_file(config_file), encoding="utf-8")
    files = [p for p in out.rglob("*") if p.is_file()]
    return sum(p.stat().st_size for p in files), len(files)


def headers_file(site: Path, editions: list[str]) -> str:
    """Netlify / Cloudflare Pages `_headers`. The Content-Security-Policy itself is a <meta> in every page
    (it carries each page's own script hashes); a header policy adds what a <meta> cannot: frame-ancestors.
    Long caching only for files that never change at their address: Material's hashed bundles and the
    dated editions. HTML and the project's own unhashed CSS/JS keep the host's short default."""
    lines = ["# Written by `lawguide deploy` for Netlify and Cloudflare Pages; GitHub Pages ignores it.",
             "/*",
             "  Content-Security-Policy: frame-ancestors 'none'",
             "  X-Frame-Options: DENY",
             "  X-Content-Type-Options: nosniff",
             "  Referrer-Policy: same-origin",
             "  Permissions-Policy: camera=(), microphone=(), geolocation=()"]
    hashed = sorted(p.relative_to(site).as_posix() for p in (site / "assets").rglob("*")
                    if p.is_file() and HASHED_ASSET.search(p.name)) if (site / "assets").is_dir() else []
    for path in [f"/{p}" for p in hashed] + [f"/{EDITIONS_DIR}/{name}/*" for name in editions]:
        lines += [path, "  Cache-Control: public, max-age=31536000, immutable"]
    return "\n".join(lines) + "\n"


# A redirect target that names another site: a scheme ('https:', 'javascript:') or, as browsers read it,
# a protocol-relative '//host' (also written with backslashes).
_OFFSITE = re.compile(r"^(?:[a-z][a-z0-9+.-]*:|[/\\]{2})", re.IGNORECASE)
# Stands for the guide's own address, so a target on the guide passes the same whole-URL check.
_OWN_SITE = "https://guide.invalid"


def redirects_file(config_file: Path) -> str:
    """Netlify / Cloudflare Pages `_redirects` for moved pages (mkdocs-redirects' redirect_maps). The
    built site also has an HTML redirect page at each old address, which is what GitHub Pages serves.
    Every target passes core/weburl.py; a bad one raises DeployError with its line in mkdocs.yml."""
    from lawguide.links.lock import read_link_config

    link_config = read_link_config(config_file)
    lines = ["# Written by `lawguide deploy`: moved pages (redirect_maps in mkdocs.yml)."]
    problems = []
    for old, new in sorted(link_config.redirects.items()):
        if _OFFSITE.match(new):
            target, problem = new, url_problem(new)
        else:
            path, _, anchor = new.partition("#")
            target = page_url(path, link_config.directory_urls) + (f"#{anchor}" if anchor else "")
            problem = url_problem(_OWN_SITE + target)
        if problem:
            problems.append((old, new, problem))
        lines.append(f"{page_url(old, link_config.directory_urls)} {target} 301")
    if problems:
        raise DeployError("\n".join(_redirect_problems(config_file, problems)))
    return "\n".join(lines) + "\n"


def _redirect_problems(config_file: Path, problems: list[tuple[str, str, str]]) -> list[str]:
    """Each refused target as `mkdocs.yml:LINE: ...`, at its line in redirect_maps."""
    display = config_file.name
    root, _ = load_yaml_file(config_file, display)
    plugins = root.get("plugins") if root else None
    items = plugins.value if plugins and isinstance(plugins.value, list) else [plugins] if plugins else []
    redirects = next((item.get("redirects") for item in items if item and item.get("redirects")), None)
    maps = redirects.get("redirect_maps") if redirects else None
    key_lines = {key.lstrip("/"): line for key, line in (maps.key_lines if maps else {}).items()}
    fallback = maps.line if maps else 1
    return [Problem(display, key_lines.get(old, fallback), f"redirect_maps: the target of '{shorten(old)}', "
                    f"'{shorten(new)}', {problem}",
                    "redirect to a page of the guide (new-page.md) or a full https:// address").format()
            for old, new, problem in problems]


# --- the whole deploy -----------------------------------------------------------------------

def deploy(config_file: Path, out: Path, remote: str | None = None, branch: str = BRANCH,
           budget_mb: int = DEFAULT_BUDGET_MB, today: dt.date | None = None, log: TextIO = sys.stdout,
           work: Path | None = None) -> DeployResult:
    from lawguide.tools.editions import editions
    from lawguide.tools.publish import Layout, PublishError, publish

    config_file = Path(config_file).resolve()
    out = Path(out).resolve()
    if out.exists() and (not out.is_dir() or any(out.iterdir())):
        raise DeployError(f"{out} exists and is not an empty folder; deploy writes a fresh folder (remove it first)")
    remote = remote or default_remote(config_file.parent)
    with contextlib.ExitStack() as stack:
        work = work or Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="lawguide-deploy-")))
        store = work / "store"
        existed = restore_branch(remote, branch, store)
        names = verify_store(store)
        print(f"Edition store {remote} ({branch}): {len(names)} edition(s), each checked against its manifest"
              if existed else f"Edition store {remote} ({branch}): new branch", file=log)
        layout = Layout.for_dest(work / "site")
        layout.editions.mkdir(parents=True)
        for name in names:
            shutil.copytree(store / EDITIONS_IN_BRANCH / name, layout.editions / name)
        try:
            publish(config_file, layout.dest, out=log, today=today)
        except PublishError as exc:
            raise DeployError(f"the build or a check failed, so nothing was deployed: {exc}") from None
        new = [e.name for e in editions(layout.editions) if e.name not in names]
        if len(new) != 1:
            raise DeployError(f"expected one new edition after publishing, found {new}")
        all_names = [*names, new[0]]
        release = layout.dest.resolve()
        # The artifact is checked before the edition is kept: a deploy that cannot be served keeps nothing.
        staged = work / "out"
        size, files = write_out(release, staged, config_file, all_names)
        if size > budget_mb * 1024 * 1024:
            raise DeployError(f"the site is {size / 1024 / 1024:.0f} MB, over the budget of {budget_mb} MB "
                              "(GitHub Pages publishes at most 1 GB); see 'Editions' in the README")
        save_edition(store, layout.editions / new[0], new[0], branch)
        print(f"Edition {new[0]} kept in {remote} ({branch})", file=log)
        out.mkdir(parents=True, exist_ok=True)
        for item in staged.iterdir():
            shutil.move(str(item), str(out / item.name))
    print(f"Wrote {out}: {files} files, {size / 1024 / 1024:.1f} MB, {len(all_names)} edition(s)", file=log)
    return DeployResult(new[0], out, size, files)


def cmd_deploy(args: argparse.Namespace) -> int:
    from lawguide.core.settings import find_config

    try:
        config = Path(args.config) if args.config else find_config(Path.cwd())
        deploy(config, Path(args.out), args.store, args.branch, args.max_mb)
    except DeployError as exc:
        print(f"lawguide deploy: {exc}", file=sys.stderr)
        print("The edition store and the output folder are as they were.", file=sys.stderr)
        return 1
    except OSError as exc:
        from lawguide.tools.publish import os_error_text

        print(f"lawguide deploy: {os_error_text(exc)}", file=sys.stderr)
        return 1
    return 0

