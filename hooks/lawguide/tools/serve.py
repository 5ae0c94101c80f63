"""`lawguide serve`: the engine's live preview, restarted whenever lawguide's own code changes.

An engine imports the hooks once per process, so an edit to hooks/lawguide/ would otherwise be
served with the old code until someone restarts it. Here the engine's preview runs in a child
process (tools/engine.py serve_command) and watchfiles restarts it when a Python file of the
lawguide package or of the config's `hooks:` changes. Problems in the sources do not stop the
preview: the hooks show them at the top of every page (render/preview.py).

Zensical's preview serves a generated copy of the guide (hooks/lawguide_zensical.py), so with
Zensical a change to the sources restarts it too, which regenerates the copy.
"""

from __future__ import annotations

import shlex
import signal
import sys
from pathlib import Path

import yaml

from lawguide.core.settings import Settings, _TolerantLoader
from lawguide.tools.engine import ZENSICAL_ADAPTER, check_installed, engine_for, serve_command, silence_banners

PACKAGE = Path(__file__).resolve().parents[1]  # hooks/lawguide


def code_paths(config_file: Path) -> list[Path]:
    """The lawguide package and the folders of the config's hook files."""
    paths = {PACKAGE}
    try:
        data = yaml.load(config_file.read_text(encoding="utf-8"), Loader=_TolerantLoader) or {}
    except (OSError, yaml.YAMLError):
        data = {}
    hooks = data.get("hooks") if isinstance(data, dict) else None
    for hook in hooks if isinstance(hooks, list) else []:
        path = (config_file.parent / str(hook)).resolve()
        if path.exists():
            paths.add(path.parent)
    return sorted(paths)


def source_paths(config_file: Path) -> list[Path]:
    """What Zensical's generated copy is made from: the config, pages, register and glossary."""
    settings = Settings.from_mkdocs_yml(config_file)
    return [p for p in (config_file, settings.docs_dir, settings.register_dir, settings.glossary_dir) if p.exists()]


def serve(config_file: Path, address: str, engine: str | None = None, clean: bool = False) -> int:
    import watchfiles

    config_file = config_file.resolve()
    name = engine_for(config_file, engine)
    check_installed(name)
    silence_banners()  # the child inherits the environment
    # Started in the background, a process may inherit SIGINT ignored; the restart stops the
    # preview with SIGINT, so let the child (which gets the default on exec) honour it.
    signal.signal(signal.SIGINT, signal.default_int_handler)
    paths = code_paths(config_file)
    watch_filter: watchfiles.BaseFilter = watchfiles.PythonFilter()
    if name == "zensical":
        paths += [ZENSICAL_ADAPTER, *source_paths(config_file)]
        watch_filter = watchfiles.DefaultFilter()
    command = shlex.join(serve_command(name, config_file, address, dirty=not clean))
    print(f"lawguide serve: {name} preview on http://{address}/ (Ctrl+C to stop); restarts when code changes in "
          + ", ".join(str(p) for p in paths), file=sys.stderr, flush=True)

    def restarting(changes: set[tuple[watchfiles.Change, str]]) -> None:
        names = sorted({Path(path).name for _, path in changes})
        print(f"lawguide serve: {', '.join(names)} changed; restarting the preview", file=sys.stderr, flush=True)

    watchfiles.run_process(*paths, target=command, target_type="command", callback=restarting,
                           watch_filter=watch_filter, debounce=400, sigint_timeout=5)
    return 0
