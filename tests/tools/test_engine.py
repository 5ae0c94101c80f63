"""The engine seam: one place chooses and runs the engine; ProperDocs builds the same site as MkDocs."""

from __future__ import annotations

import shutil
import subprocess
import sys

import pytest
from lawguide.cli import main
from lawguide.core.settings import find_config
from lawguide.tools.engine import QUIET_ENV, EngineError, build_command, engine_for, quiet_env

from tests.fixtures import build, make_site, site_differences


def config_with_engine(tmp_path, engine: str | None, name: str = "mkdocs.yml"):
    path = tmp_path / name
    extra = f"extra:\n  lawguide:\n    engine: {engine}\n" if engine else ""
    path.write_text(f"site_name: x\nsite_url: !ENV LAWGUIDE_SITE_URL\n{extra}", encoding="utf-8")
    return path


def test_mkdocs_is_the_default_engine(tmp_path):
    assert engine_for(config_with_engine(tmp_path, None), env={}) == "mkdocs"


def test_a_properdocs_yml_means_properdocs_unless_told_otherwise(tmp_path):
    config = config_with_engine(tmp_path, None, "properdocs.yml")
    assert engine_for(config, env={}) == "properdocs"
    assert engine_for(config, "mkdocs", env={}) == "mkdocs"


def test_engine_is_chosen_by_flag_then_environment_then_config(tmp_path):
    config = config_with_engine(tmp_path, "zensical")
    assert engine_for(config, env={}) == "zensical"
    assert engine_for(config, env={"LAWGUIDE_ENGINE": "properdocs"}) == "properdocs"
    assert engine_for(config, "MkDocs", env={"LAWGUIDE_ENGINE": "properdocs"}) == "mkdocs"


def test_unknown_engine_is_refused_with_the_choices(tmp_path):
    with pytest.raises(EngineError, match=r"unknown engine 'hugo' \(choose one of: mkdocs, properdocs, zensical\)"):
        engine_for(config_with_engine(tmp_path, "hugo"), env={})


def test_builds_are_strict_and_never_quiet(tmp_path):
    config = tmp_path / "mkdocs.yml"
    for engine in ("mkdocs", "properdocs", "zensical"):
        args = build_command(engine, config, tmp_path / "out")
        assert "--strict" in args and "-q" not in args and args[0] == sys.executable
        assert args[-2:] == ["-d", str(tmp_path / "out")]
    assert "--no-strict" in build_command("mkdocs", config, strict=False)


def test_banners_are_silenced_in_every_engine_subprocess():
    env = quiet_env({"PATH": "/bin"})
    assert env["PATH"] == "/bin" and all(env[k] == v for k, v in QUIET_ENV.items())


def test_lawguide_finds_properdocs_yml_as_well_as_mkdocs_yml(tmp_path):
    config_with_engine(tmp_path, None, "properdocs.yml")
    (tmp_path / "sub").mkdir()
    assert find_config(tmp_path / "sub") == tmp_path / "properdocs.yml"


def test_unknown_engine_from_the_command_line_is_a_message_not_a_traceback(tmp_path, capsys):
    root = make_site(tmp_path)
    assert main(["--config", str(root / "mkdocs.yml"), "build", "--engine", "hugo"]) == 2
    assert "lawguide build: unknown engine 'hugo'" in capsys.readouterr().err


@pytest.mark.slow
def test_properdocs_builds_the_same_site_as_mkdocs_generator_tag_excepted(tmp_path):
    root = make_site(tmp_path / "project")
    for engine in ("mkdocs", "properdocs"):
        result = build(root, site_dir=tmp_path / engine, engine=engine)
        assert result.returncode == 0, result.stderr
        assert "DISABLE_MKDOCS_2_WARNING" not in result.stderr and "end of life" not in result.stderr.lower()
    assert site_differences(tmp_path / "mkdocs", tmp_path / "properdocs") == []
    assert "ProperDocs" in (tmp_path / "properdocs" / "index.html").read_text(encoding="utf-8")


@pytest.mark.slow
def test_a_project_renamed_to_properdocs_yml_checks_and_builds(tmp_path):
    root = make_site(tmp_path)
    shutil.move(root / "mkdocs.yml", root / "properdocs.yml")
    check = subprocess.run([sys.executable, "-m", "lawguide.cli", "check"], capture_output=True, text=True, cwd=root)
    assert check.returncode == 0, check.stderr
    result = build(root)
    assert result.returncode == 0, result.stderr
    assert 'content="mkdocs-ProperDocs' in (root / "site" / "index.html").read_text(encoding="utf-8")


def test_zensical_leaves_out_the_script_written_for_materials_search(tmp_path) -> None:
    """lawguide-search.js holds Material 9's search worker and reads its messages; Zensical's differ."""
    from pathlib import Path

    import yaml
    from lawguide.render.search import ON_DEMAND_SCRIPT

    sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "hooks"))
    import lawguide_zensical

    repo = Path(__file__).resolve().parents[2]
    project = tmp_path / "project"
    shutil.copytree(repo, project, ignore=shutil.ignore_patterns(".venv", ".git", "site", ".cache", "tests"))
    assert ON_DEMAND_SCRIPT in yaml.safe_load((project / "mkdocs.yml").read_text(encoding="utf-8")
                                              .replace("!ENV", ""))["extra"]["polyfills"]
    prepared = lawguide_zensical.prepare(project / "mkdocs.yml", strict=True)
    derived = yaml.safe_load(prepared.config.read_text(encoding="utf-8"))
    assert ON_DEMAND_SCRIPT not in derived["extra"].get("polyfills", [])


def test_a_build_reads_mkdocs_yml_once_for_the_engine_the_hooks_and_site_dir(tmp_path, monkeypatch):
    from lawguide.tools import engine

    config = tmp_path / "mkdocs.yml"
    config.write_text("site_name: x\nsite_dir: out\nhooks:\n  - hooks/lawguide_hooks.py\n"
                      "extra:\n  lawguide:\n    engine: mkdocs\n", encoding="utf-8")
    (tmp_path / "out").mkdir()
    (tmp_path / "out" / "index.html").write_text("<html><head></head><body>x</body></html>", encoding="utf-8")
    reads = []
    real_config = engine._config
    monkeypatch.setattr(engine, "_config", lambda path: reads.append(path) or real_config(path))
    ran = []
    monkeypatch.setattr(engine.subprocess, "run", lambda args, **kw: ran.append(args) or
                        subprocess.CompletedProcess(args, 0, "", ""))
    result = engine.build(config, env={})
    assert reads == [config.resolve()]
    assert ran[0][1:3] == ["-m", "mkdocs"]
    # The hooks and site_dir came from that one reading: out/ was checked, and its page lacks the policy.
    assert result.returncode == 1 and "lack the Content-Security-Policy" in result.stderr
