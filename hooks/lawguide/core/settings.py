"""Project settings, read from the engine's config file (mkdocs.yml or properdocs.yml) as plain
data (the core never imports mkdocs)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import yaml

from lawguide.core.problems import Problem, ProblemError
from lawguide.core.yamlsrc import parse_yaml, read_text, syntax_problem


class _TolerantLoader(yaml.SafeLoader):
    """mkdocs.yml may hold !ENV and !!python/name tags; the core only needs plain keys."""


def _ignore_tag(loader: yaml.SafeLoader, tag_suffix: str, node: yaml.Node) -> None:
    return None


class FastTolerantLoader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):
    """_TolerantLoader on libyaml's parser when present: the same data, several times faster, for
    re-reading a config file that Settings has already read. Settings keeps the pure-Python
    loader, whose syntax error messages `lawguide check` prints."""


for _loader in (_TolerantLoader, FastTolerantLoader):
    _loader.add_multi_constructor("!", _ignore_tag)
    _loader.add_multi_constructor("tag:yaml.org,2002:python/", _ignore_tag)


@dataclass(frozen=True)
class Settings:
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
        try:
            config = yaml.load(text, Loader=_TolerantLoader) or {}
        except yaml.YAMLError as exc:
            raise ProblemError([syntax_problem(exc, display)]) from None
        if not isinstance(config, dict):
            raise ProblemError([Problem(display, 1, f"{display} must be a mapping of settings", "start with 'site_name: ...'")])
        return cls.from_config(config_file.resolve().parent, {**config, "config_file_path": str(config_file)})


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
