"""`lawguide deploy`: editions survive hosts that keep nothing, because they live in a git branch.

The remote is a bare repository on disk standing in for the project's GitHub repository; every deploy
runs from a fresh clone of the project, as CI does on a new runner."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import subprocess
from pathlib import Path

import pytest
from lawguide.tools.deploy import (
    DeployError,
    deploy,
    headers_file,
    redirects_file,
)

from tests.fixtures import make_site
from tests.links.test_linkcheck import linkcheck, readable_tmp  # noqa: F401 - a fixture
from tests.tools.test_publish import PAGE  # the same tiny guide page publish is tested with

pytestmark = pytest.mark.slow

DAYS = [dt.date(2026, 11, 22), dt.date(2026, 11, 29), dt.date(2026, 12, 6)]


def git(*args: str, cwd: Path) -> str:
    return subprocess.run(["git", "-c", "user.name=t", "-c", "user.email=t@localhost", *args], cwd=cwd,
                          check=True, capture_output=True, text=True).stdout


def tree(folder: Path) -> dict[str, str]:
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def deployed(tmp_path_factory) -> dict:
    """Three deploys from three fresh clones, the page changing in between, one bare remote."""
    root = tmp_path_factory.mktemp("deploy")
    project = make_site(root / "project", pages={"index.md": PAGE.format(body="Version 1.")})
    git("init", "--quiet", "-b", "main", cwd=project)
    git("add", "-A", cwd=project)
    git("commit", "--quiet", "-m", "guide", cwd=project)
    remote = root / "remote.git"
    git("init", "--quiet", "--bare", str(remote), cwd=root)
    outs = []
    for n, day in enumerate(DAYS, start=1):
        if n > 1:
            (project / "docs" / "index.md").write_text(PAGE.format(body=f"Version {n}."), encoding="utf-8")
            git("commit", "--quiet", "-am", f"version {n}", cwd=project)
        clone = root / f"clone{n}"
        git("clone", "--quiet", str(project), str(clone), cwd=root)
        out = root / f"out{n}"
        deploy(clone / "mkdocs.yml", out, remote=str(remote), today=day, log=io.StringIO())
        outs.append(out)
    return {"root": root, "project": project, "remote": remote, "outs": outs}


def test_every_earlier_edition_is_still_served_byte_for_byte(deployed):
    outs = deployed["outs"]
    names = [d.isoformat() for d in DAYS]
    for n, out in enumerate(outs):
        for earlier in names[: n + 1]:
            assert (out / "editions" / earlier / "index.html").is_file(), f"deploy {n + 1} lost edition {earlier}"
    for n, name in enumerate(names):
        first_served = tree(outs[n] / "editions" / name)
        assert tree(outs[-1] / "editions" / name) == first_served, f"edition {name} changed after it was published"
    assert "Version 1." in (outs[-1] / "editions" / names[0] / "index.html").read_text(encoding="utf-8")
    assert "Version 3." in (outs[-1] / "index.html").read_text(encoding="utf-8")


def test_the_branch_only_ever_adds_one_edition_per_commit(deployed):
    log = git("log", "--format=%s", "--name-status", "editions", cwd=deployed["remote"])
    assert [line for line in log.splitlines() if line.startswith("Edition ")] == \
        [f"Edition {d.isoformat()}" for d in reversed(DAYS)]
    statuses = {line.split("\t", 1)[0] for line in log.splitlines() if "\t" in line}
    assert statuses == {"A"}, f"a deploy changed or deleted a stored file: {statuses}"


def test_the_output_has_no_links_and_carries_the_host_files(deployed):
    out = deployed["outs"][-1]
    assert not [p for p in out.rglob("*") if p.is_symlink()]
    inodes = [p.stat().st_ino for p in out.rglob("*") if p.is_file()]
    assert len(inodes) == len(set(inodes)), "the output shares files by hard links, which Pages artifacts refuse"
    headers = (out / "_headers").read_text(encoding="utf-8")
    assert "frame-ancestors 'none'" in headers
    for day in DAYS:
        assert f"/editions/{day.isoformat()}/*\n  Cache-Control: public, max-age=31536000, immutable" in headers
    assert (out / "404.html").is_file()


def test_every_link_in_the_output_works(deployed, readable_tmp):  # noqa: F811 - the fixture
    result = linkcheck(deployed["outs"][-1], readable_tmp)
    assert result.returncode == 0, result.stdout[-4000:]


def test_a_failed_build_leaves_the_store_and_the_output_as_they_were(deployed):
    root, project, remote = deployed["root"], deployed["project"], deployed["remote"]
    head = git("rev-parse", "editions", cwd=remote)
    (project / "docs" / "index.md").write_text(PAGE.format(body="Broken [[no-such-ref]]."), encoding="utf-8")
    git("commit", "--quiet", "-am", "broken", cwd=project)
    clone = root / "clone-broken"
    git("clone", "--quiet", str(project), str(clone), cwd=root)
    out = root / "out-broken"
    with pytest.raises(DeployError, match="the build or a check failed"):
        deploy(clone / "mkdocs.yml", out, remote=str(remote), today=dt.date(2026, 12, 7), log=io.StringIO())
    assert git("rev-parse", "editions", cwd=remote) == head
    assert not out.exists()
    git("revert", "--no-edit", "HEAD", cwd=project)


def test_a_changed_edition_in_the_store_stops_the_deploy(deployed, tmp_path):
    remote = deployed["remote"]
    tamper = tmp_path / "tamper"
    git("clone", "--quiet", "--branch", "editions", str(remote), str(tamper), cwd=tmp_path)
    page = tamper / "editions" / DAYS[0].isoformat() / "index.html"
    page.write_text(page.read_text(encoding="utf-8").replace("Version 1.", "Version 1, rewritten."), encoding="utf-8")
    git("commit", "--quiet", "-am", "rewrite history", cwd=tamper)
    bare = tmp_path / "tampered.git"
    git("clone", "--quiet", "--bare", str(tamper), str(bare), cwd=tmp_path)
    with pytest.raises(DeployError, match=f"edition {DAYS[0].isoformat()} in the store no longer matches its manifest"):
        deploy(deployed["project"] / "mkdocs.yml", tmp_path / "out", remote=str(bare), today=dt.date(2026, 12, 7),
               log=io.StringIO())
    assert not (tmp_path / "out").exists()


def test_a_non_empty_output_folder_is_refused_before_anything_runs(tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    (out / "keep.txt").write_text("not ours", encoding="utf-8")
    with pytest.raises(DeployError, match="is not an empty folder"):
        deploy(tmp_path / "mkdocs.yml", out, remote=str(tmp_path / "none.git"), log=io.StringIO())
    assert (out / "keep.txt").read_text(encoding="utf-8") == "not ours"


def test_headers_give_long_caching_only_to_files_that_never_change(tmp_path):
    site = tmp_path / "site"
    (site / "assets" / "javascripts").mkdir(parents=True)
    (site / "assets" / "javascripts" / "bundle.5cfa9476.min.js").write_text("x", encoding="utf-8")
    (site / "assets" / "javascripts" / "lawguide.js").write_text("x", encoding="utf-8")
    text = headers_file(site, ["2026-11-22"])
    assert "/assets/javascripts/bundle.5cfa9476.min.js\n  Cache-Control: public, max-age=31536000, immutable" in text
    assert "lawguide.js" not in text  # not hashed: it changes at the same address
    assert "/editions/2026-11-22/*" in text and "/editions/*" not in text  # the editions index changes


def test_redirects_follow_redirect_maps(tmp_path):
    config = tmp_path / "mkdocs.yml"
    config.write_text("plugins:\n  - redirects:\n      redirect_maps:\n        old-page.md: new/page.md#part\n",
                      encoding="utf-8")
    assert redirects_file(config).splitlines()[1:] == ["/old-page/ /new/page/#part 301"]


REDIRECTS = """\
site_name: x
plugins:
  - search
  - redirects:
      redirect_maps:
        good.md: https://www.gov.uk/disabled-facilities-grants
        moved.md: new/page.md
        bad-script.md: javascript:alert(1)
        bad-host.md: //evil.example/page
"""


def test_every_redirect_target_passes_the_url_check_and_a_bad_one_is_refused_at_its_line(tmp_path):
    config = tmp_path / "mkdocs.yml"
    config.write_text(REDIRECTS, encoding="utf-8")
    with pytest.raises(DeployError) as refused:
        redirects_file(config)
    lines = str(refused.value).splitlines()
    assert lines == [
        "mkdocs.yml:9: redirect_maps: the target of 'bad-host.md', '//evil.example/page', is not https "
        "(redirect to a page of the guide (new-page.md) or a full https:// address)",
        "mkdocs.yml:8: redirect_maps: the target of 'bad-script.md', 'javascript:alert(1)', is a javascript: "
        "address, not a web page (redirect to a page of the guide (new-page.md) or a full https:// address)"]


def test_good_redirect_targets_are_written_on_the_guide_and_off_it(tmp_path):
    config = tmp_path / "mkdocs.yml"
    config.write_text("\n".join(line for line in REDIRECTS.splitlines() if "bad-" not in line), encoding="utf-8")
    assert redirects_file(config).splitlines()[1:] == [
        "/good/ https://www.gov.uk/disabled-facilities-grants 301", "/moved/ /new/page/ 301"]


def test_a_target_that_would_break_the_redirects_line_is_refused(tmp_path):
    config = tmp_path / "mkdocs.yml"
    config.write_text("plugins:\n  - redirects:\n      redirect_maps:\n        old.md: 'new page.md'\n", encoding="utf-8")
    with pytest.raises(DeployError, match=r"^mkdocs.yml:4: .*'new page.md', contains a space"):
        redirects_file(config)
