"""Project settings, read from the engine's config file (mkdocs.yml or properdocs.yml) as plain
data (the core never imports mkdocs)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from lawguide.core.problems import Problem, ProblemError, display_path
from lawguide.core.yamlsrc import load_yaml_file, parse_yaml, read_text, syntax_problem

# extra.lawguide.search_piece_kb: a language's whole search index larger than this (kilobytes of JSON) is
# also written in pieces that search fetches one at a time (render.search.in_pieces). The real guide's
# English index is about 780 KB (7 Dec 2026), so it stays one piece with room to grow 2.5 times; the
# 1,000-page copy's 12 MB becomes 6 pieces, each built by a worker in about a sixth of the time.
SEARCH_PIECE_KB = 2048

# `from typing import TYPE_CHECKING` would import typing (about 10 ms) into every command.
TYPE_CHECKING = False
if TYPE_CHECKING:
    import yaml


def _make_loaders() -> None:
    """_TolerantLoader and FastTolerantLoader, made when first asked for (module __getattr__ below): PyYAML
    is imported then, not with this module, which every command imports (the editors' warm commands keep
    the settings read and parse no YAML)."""
    import yaml

    class _TolerantLoader(yaml.SafeLoader):
        """mkdocs.yml may hold !ENV and !!python/name tags; the core only needs plain keys."""

    class FastTolerantLoader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):
        """_TolerantLoader on libyaml's parser when present: the same data, several times faster, for
        re-reading a config file that Settings has already read. Settings keeps the pure-Python
        loader, whose syntax error messages `lawguide check` prints."""

    for loader in (_TolerantLoader, FastTolerantLoader):
        loader.__module__, loader.__qualname__ = __name__, loader.__name__
        loader.add_multi_constructor("!", _ignore_tag)
        loader.add_multi_constructor("tag:yaml.org,2002:python/", _ignore_tag)
    globals().update(_TolerantLoader=_TolerantLoader, FastTolerantLoader=FastTolerantLoader)


def _ignore_tag(loader: yaml.SafeLoader, tag_suffix: str, node: yaml.Node) -> None:
    return None


def __getattr__(name: str) -> object:
    if name in ("_TolerantLoader", "FastTolerantLoader"):
        _make_loaders()
        return globals()[name]
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


@dataclass(frozen=True)
class Settings:
    """The project's settings, from the engine's config file."""

    root: Path
    docs_dir: Path
    register_dir: Path
    glossary_dir: Path
    review_interval_months: int = 6
    site_url: str = ""
    site_name: str = ""
    use_directory_urls: bool = True
    contact: str = ""  # how a source's owner can reach the editors (User-Agent of `lawguide sources`)
    engine: str = ""  # extra.lawguide.engine: mkdocs (default), properdocs or zensical
    # What a relative link in generated HTML is relative to: "url", the page's published URL (MkDocs
    # and ProperDocs leave such links alone), or "source", the page's source folder (Zensical rewrites
    # relative links in a page as if they were written from its source file). Set by the adapter.
    link_base: str = "url"
    text_glitches: str = "fail"  # `lawguide check`: text glitches fail it ("fail") or are only listed ("report")
    config_file: Path | None = None  # the config file, for problems about its own keys (publisher, feedback)
    repo_url: str = ""  # the engine's repo_url: the guide's source repository (its issues are a feedback route)
    finder_dir: Path | None = None  # extra.lawguide.finder_dir: the route finder's flows (root/finder when unset)
    search_piece_kb: int = SEARCH_PIECE_KB  # extra.lawguide.search_piece_kb (search_piece_problems checks it)

    @property
    def flows_dir(self) -> Path:
        return self.finder_dir or self.root / "finder"

    @property
    def config_path(self) -> Path:
        return self.config_file or config_in(self.root) or self.root / "mkdocs.yml"

    @classmethod
    def from_config(cls, root: Path, config: dict) -> Settings:
        extra = (config.get("extra") or {}).get("lawguide") or {}
        return cls(
            root=root,
            docs_dir=root / str(config.get("docs_dir") or "docs"),
            register_dir=root / str(extra.get("register_dir") or "law_refs"),
            glossary_dir=root / str(extra.get("glossary_dir") or "glossary"),
            finder_dir=root / str(extra.get("finder_dir") or "finder"),
            review_interval_months=int(extra.get("review_interval_months") or 6),
            site_url=str(config.get("site_url") or ""),
            site_name=str(config.get("site_name") or ""),
            use_directory_urls=config.get("use_directory_urls", True) is not False,
            contact=str(extra.get("contact") or ""),
            engine=str(extra.get("engine") or ""),
            text_glitches="report" if str(extra.get("text_glitches") or "fail") == "report" else "fail",
            config_file=Path(config["config_file_path"]) if config.get("config_file_path") else None,
            repo_url=str(config.get("repo_url") or ""),
            search_piece_kb=_piece_kb(extra.get("search_piece_kb")),
        )

    @classmethod
    def from_mkdocs_yml(cls, config_file: Path) -> Settings:
        """Raises ProblemError (path:line: message) for a config file that cannot be read or parsed."""
        display = config_file.name
        text, problem = read_text(config_file, display)
        if problem:
            raise ProblemError([problem])
        # The bounded reader first (no recursion, no anchors, nesting refused at its line): PyYAML's own
        # loader recurses, and 500 levels of brackets were a RecursionError traceback.
        refused = [p for p in parse_yaml(text, display)[1] if p.root]
        if refused:
            raise ProblemError(refused)
        import yaml

        try:
            config = yaml.load(text, Loader=__getattr__("_TolerantLoader")) or {}
        except yaml.YAMLError as exc:
            raise ProblemError([syntax_problem(exc, display)]) from None
        if not isinstance(config, dict):
            raise ProblemError([Problem(display, 1, f"{display} must be a mapping of settings", "start with 'site_name: ...'")])
        return cls.from_config(config_file.resolve().parent, {**config, "config_file_path": str(config_file)})


def _piece_kb(value: object) -> int:
    """The setting as given, or the default where it is not a whole number of 1 or more (a problem then:
    search_piece_problems)."""
    if isinstance(value, str) and value.strip().isascii() and value.strip().isdigit():
        value = int(value)  # as the line-keeping reader gives every scalar
    return value if isinstance(value, int) and not isinstance(value, bool) and value >= 1 else SEARCH_PIECE_KB


def search_piece_problems(config_file: Path, root: Path) -> list[Problem]:
    """extra.lawguide.search_piece_kb, where given, must be a whole number of kilobytes, 1 or more."""
    if not config_file.is_file():
        return []
    node, _ = load_yaml_file(config_file, display_path(config_file.resolve(), root.resolve()))  # syntax: reported elsewhere
    extra = node.get("extra") if node and isinstance(node.value, dict) else None
    lawguide = extra.get("lawguide") if extra and isinstance(extra.value, dict) else None
    setting = lawguide.get("search_piece_kb") if lawguide and isinstance(lawguide.value, dict) else None
    if setting is None or setting.value is None or str(_piece_kb(setting.value)) == str(setting.value).strip():
        return []
    return [Problem(display_path(config_file.resolve(), root.resolve()), setting.line,
                    f"extra.lawguide.search_piece_kb must be a whole number of kilobytes, 1 or more "
                    f"(not {_described(setting.value)})",
                    f"e.g. search_piece_kb: {SEARCH_PIECE_KB}, or leave it out for that default")]


def _described(value: object) -> str:
    """A setting's value as an editor wrote it: a scalar quoted, a list or mapping named (the reader's nodes
    would show as Python's own words)."""
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    return repr(str(value))


# The names a project's config file may have, in the order ProperDocs reads them.
CONFIG_NAMES = ("properdocs.yml", "mkdocs.yml", "mkdocs.yaml")


def config_in(folder: Path) -> Path | None:
    """The config file in folder (properdocs.yml, mkdocs.yml or mkdocs.yaml), if there is one."""
    for name in CONFIG_NAMES:
        if (folder / name).is_file():
            return folder / name
    return None


def find_config(start: Path) -> Path:
    """The nearest properdocs.yml or mkdocs.yml at or above start."""
    for folder in [start.resolve(), *start.resolve().parents]:
        candidate = config_in(folder)
        if candidate is not None:
            return candidate
    raise FileNotFoundError(f"no mkdocs.yml or properdocs.yml found in {start} or above; "
                            "run from the project folder or pass --config")
