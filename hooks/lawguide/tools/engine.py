"""The one seam between lawguide and the engine that turns the guide into HTML.

Every build goes through `build()` here: `lawguide build`, `lawguide publish`, `lawguide bench`,
`lawguide serve`, bin/site, bin/test and the tests' fixture builder. The engine is chosen, in this
order, by the caller (`--engine`), the LAWGUIDE_ENGINE environment variable, `extra.lawguide.engine`
in the config, and the config's name (properdocs.yml means ProperDocs); MkDocs is the default.

- mkdocs:     MkDocs 1.6.1 with hooks/lawguide_hooks.py (the default).
- properdocs: ProperDocs, the maintained fork of MkDocs 1.6; the same hooks, the same output.
- zensical:   Zensical, through hooks/lawguide_zensical.py (an optional extra: pip install -e '.[zensical]').

Engines always run as a subprocess, never with -q (it would disarm --strict), and with the
engine's end-of-life banners silenced (QUIET_ENV), so editors see only what matters to them.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Mapping
from pathlib import Path

import yaml

from lawguide.core.settings import _TolerantLoader

ENGINES = ("mkdocs", "properdocs", "zensical")
DEFAULT_ENGINE = "mkdocs"
ENGINE_VARIABLE = "LAWGUIDE_ENGINE"
# Material 9.7+ prints an end-of-life banner, and mkdocs-redirects a ProperDocs banner, on every run.
QUIET_ENV = {"NO_MKDOCS_2_WARNING": "1", "DISABLE_MKDOCS_2_WARNING": "true"}
ZENSICAL_ADAPTER = Path(__file__).resolve().parents[2] / "lawguide_zensical.py"


class EngineError(Exception):
    """An engine name that is not known, or an engine that is not installed."""


def quiet_env(env: Mapping[str, str] | None = None) -> dict[str, str]:
    """The environment for an engine subprocess: the caller's, with the banners silenced."""
    return {**(os.environ if env is None else env), **QUIET_ENV}


def silence_banners() -> None:
    """For entry points that run an engine in their own process (e.g. the tests)."""
    os.environ.update(QUIET_ENV)


def _config(config_file: Path) -> dict:
    """mkdocs.yml as plain data ({} when it cannot be read: the build itself says why)."""
    try:
        data = yaml.load(config_file.read_text(encoding="utf-8"), Loader=_TolerantLoader) or {}
    except (OSError, yaml.YAMLError):
        return {}
    return data if isinstance(data, dict) else {}


def _configured(config: dict) -> str:
    extra = config.get("extra")
    lawguide = extra.get("lawguide") if isinstance(extra, dict) else None
    return str((lawguide or {}).get("engine") or "") if isinstance(lawguide, dict) else ""


def engine_for(config_file: Path, requested: str | None = None, env: Mapping[str, str] | None = None,
               config: dict | None = None) -> str:
    """Which engine builds this project (see the module docstring for the order); `config`: mkdocs.yml
    already read by the caller (else it is read here only if the flag and the environment do not say)."""
    env = os.environ if env is None else env
    name = requested or env.get(ENGINE_VARIABLE) or _configured(_config(config_file) if config is None else config)
    if not name:
        name = "properdocs" if config_file.name == "properdocs.yml" else DEFAULT_ENGINE
    name = name.strip().lower()
    if name not in ENGINES:
        raise EngineError(f"unknown engine '{name}' (choose one of: {', '.join(ENGINES)})")
    return name


def build_command(engine: str, config_file: Path, site_dir: Path | None = None, strict: bool = True) -> list[str]:
    """The command line of one clean build of config_file with the engine."""
    if engine == "zensical":
        args = [sys.executable, str(ZENSICAL_ADAPTER), "build", "-f", str(config_file)]
        args.append("--strict" if strict else "--no-strict")
    else:
        args = [sys.executable, "-m", engine, "build", "--strict" if strict else "--no-strict", "-f", str(config_file)]
    if site_dir is not None:
        args += ["-d", str(site_dir)]
    return args


def serve_command(engine: str, config_file: Path, address: str, dirty: bool = True) -> list[str]:
    """The engine's live preview. Not strict: a problem is shown in the browser instead of
    stopping the preview (lawguide_hooks turns it into a banner on every page). Dirty (MkDocs and
    ProperDocs): after the first build only what an edit affects is rendered again; the hooks mark
    the pages an edit feeds (lawguide_hooks._render_again). `lawguide serve --clean` renders all."""
    if engine == "zensical":
        return [sys.executable, str(ZENSICAL_ADAPTER), "serve", "-f", str(config_file), "-a", address]
    return [sys.executable, "-m", engine, "serve", "--no-strict", "--livereload", *(["--dirty"] if dirty else []),
            "-f", str(config_file), "-a", address]


def check_installed(engine: str) -> None:
    module = {"mkdocs": "mkdocs", "properdocs": "properdocs", "zensical": "zensical"}[engine]
    import importlib.util

    if importlib.util.find_spec(module) is None:
        extra = " (pip install -e '.[zensical]')" if engine == "zensical" else ""
        raise EngineError(f"the {engine} engine is not installed in {sys.prefix}{extra}")


def build(config_file: Path, site_dir: Path | None = None, strict: bool = True, engine: str | None = None,
          env: Mapping[str, str] | None = None) -> subprocess.CompletedProcess:
    """One clean build of the project, as a subprocess; the engine's output is captured."""
    config_file = Path(config_file).resolve()
    config = _config(config_file)  # read once: the engine, the hooks and site_dir all come from it
    name = engine_for(config_file, engine, env, config)
    check_installed(name)
    result = subprocess.run(build_command(name, config_file, site_dir, strict), capture_output=True, text=True,
                            cwd=config_file.parent, env=quiet_env(env))
    if not _runs_lawguide(name, config):
        return result  # a plain MkDocs site (the benchmark's baseline): nothing of lawguide's to check
    return _safety_checked(result, Path(site_dir) if site_dir else _site_dir(config_file, config), name)


def _site_dir(config_file: Path, config: dict) -> Path:
    return config_file.parent / str(config.get("site_dir") or "site")


def _runs_lawguide(engine: str, config: dict) -> bool:
    """MkDocs and ProperDocs run lawguide only through the config's hooks; every other engine runs
    through an adapter of lawguide's own (hooks/lawguide_<engine>.py), always."""
    if engine not in ("mkdocs", "properdocs"):
        return True
    hooks = config.get("hooks") or []
    return any("lawguide" in Path(str(hook)).name for hook in (hooks if isinstance(hooks, list) else [hooks]))


def _safety_checked(result: subprocess.CompletedProcess, site_dir: Path, engine: str) -> subprocess.CompletedProcess:
    """A build whose pages lack the security policy failed, whatever the engine said: its adapter
    skipped lawguide.render.safety (a new engine's adapter must call it too)."""
    from lawguide.render.safety import unsafe_pages

    if result.returncode != 0 or not site_dir.is_dir():
        return result
    unsafe = unsafe_pages(site_dir)
    if not unsafe:
        return result
    message = (f"ERROR   -  lawguide: {len(unsafe)} built page(s) lack the Content-Security-Policy "
               f"({', '.join(unsafe[:5])}{', ...' if len(unsafe) > 5 else ''}): the {engine} adapter skipped "
               "the safety pass (lawguide.render.safety); do not publish this build.\n")
    return subprocess.CompletedProcess(result.args, 1, result.stdout, result.stderr + message)
