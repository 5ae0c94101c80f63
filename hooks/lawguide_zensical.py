"""Zensical adapter: translates a Zensical build into lawguide calls. No logic lives here.

Zensical reads mkdocs.yml but runs no `hooks:`, so the adapter does what the MkDocs hooks do in
two places Zensical does run:

1. Before the build (`prepare`): load and check the guide exactly as the MkDocs hooks' on_config
   does (a strict build with problems stops here, before anything is written), then lay out a build
   folder, .cache/lawguide/zensical/, holding a copy of docs/ plus the generated pages and files
   (law pages, law index, glossary, editors' page, What's changed, feed, review.json) and a derived
   config: the project's own, with that docs_dir, no hooks, and this module as a Markdown extension.
2. While rendering each page (`LawguideExtension`): the same two steps the MkDocs hooks apply,
   lawguide.render.page.transform_page on the Markdown and finish_html (finish_generated_html for
   generated pages) on the HTML.

The safety pass (lawguide.render.safety), as the MkDocs hooks apply it: the front matter's titles and
descriptions in the build folder are escaped before Zensical reads them (Zensical prints them as
they are), and every built page gets the Content-Security-Policy.

After a successful build the site is moved into the real site_dir (or -d), and pages whose front
matter sets `robots` get their meta tag (lawguide.render.editors.add_robots_meta), as the MkDocs hooks'
on_post_page does. A failed build leaves site_dir as it was.

Run by tools/engine.py: python hooks/lawguide_zensical.py build -f mkdocs.yml [-d DIR] [--strict|--no-strict]
                      python hooks/lawguide_zensical.py serve -f mkdocs.yml [-a 127.0.0.1:8000]
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import sys
from dataclasses import dataclass, replace
from pathlib import Path

import yaml
from lawguide.content.site import Site
from lawguide.content.urls import page_url
from lawguide.core.settings import Settings
from lawguide.guide import load_guide
from lawguide.render.editors import add_robots_meta
from lawguide.render.generate import finish_generated_html, generated_files, generated_pages
from lawguide.render.page import finish_html, transform_page
from lawguide.render.preview import problems_banner
from lawguide.render.safety import escape_front_matter, secure_site
from lawguide.render.search import ON_DEMAND_SCRIPT
from lawguide.render.translations import finish_output, finish_sitemap
from markdown import Extension
from markdown.postprocessors import Postprocessor
from markdown.preprocessors import Preprocessor

BUILD_FOLDER = Path(".cache") / "lawguide" / "zensical"
_sites: dict[str, Site] = {}  # config file -> the guide, loaded once per process
_banners: dict[str, str] = {}  # config file -> the preview's problem banner (serve only)


# --- the Markdown extension Zensical runs on every page --------------------------------------

def settings_for(config_file: Path) -> Settings:
    # Zensical rewrites relative links in a page's HTML as if written from its source file.
    return replace(Settings.from_mkdocs_yml(config_file), link_base="source")


def _site(config_file: str) -> Site:
    if config_file not in _sites:  # a worker that did not run prepare() loads it once
        _sites[config_file] = load_guide(settings_for(Path(config_file)))
    return _sites[config_file]


def _page_path(md) -> str:
    from zensical.extensions.context import ContextPreprocessor

    context = ContextPreprocessor.from_markdown(md)
    return context.page.path if context else ""


class _Transform(Preprocessor):
    """The Markdown Zensical converts, as on_page_markdown gives MkDocs (lawguide.render.page)."""

    def __init__(self, md, config_file: str) -> None:
        super().__init__(md)
        self.config_file = config_file

    def run(self, lines: list[str]) -> list[str]:
        site = _site(self.config_file)
        page = site.pages.get(_page_path(self.md))
        if page is None:  # a generated page: its Markdown is already what the engine converts
            return lines
        text = transform_page(site, page, "\n".join(lines))
        banner = _banners.get(self.config_file, "")
        return (f"{banner}\n\n{text}" if banner else text).split("\n")


class _Finish(Postprocessor):
    """The reader's page from the converted HTML, as on_page_content and on_page_context give MkDocs."""

    def __init__(self, md, config_file: str) -> None:
        super().__init__(md)
        self.config_file = config_file

    def run(self, text: str) -> str:
        site = _site(self.config_file)
        path = _page_path(self.md)
        page = site.pages.get(path)
        return finish_generated_html(site, path, text) if page is None else finish_html(site, page, text)


class LawguideExtension(Extension):
    def __init__(self, **kwargs) -> None:
        self.config = {"config_file": ["", "the project's mkdocs.yml"]}
        super().__init__(**kwargs)

    def extendMarkdown(self, md) -> None:
        config_file = self.getConfig("config_file")
        # Before every other preprocessor, like on_page_markdown (front matter is already gone);
        # after raw HTML is restored, like on_page_content.
        md.preprocessors.register(_Transform(md, config_file), "lawguide", 1000)
        md.postprocessors.register(_Finish(md, config_file), "lawguide", 5)


def makeExtension(**kwargs) -> LawguideExtension:
    return LawguideExtension(**kwargs)


# --- the build folder ----------------------------------------------------------------------

class _EnvLoader(yaml.SafeLoader):
    """mkdocs.yml as MkDocs reads it: !ENV VAR or !ENV [VAR, ..., default] is resolved."""


def _env(loader: yaml.SafeLoader, node: yaml.Node):
    names = [loader.construct_scalar(node)] if isinstance(node, yaml.ScalarNode) else loader.construct_sequence(node)
    *variables, default = names if len(names) > 1 else [*names, None]
    return next((os.environ[v] for v in variables if os.environ.get(v)), default)


_EnvLoader.add_constructor("!ENV", _env)


@dataclass(frozen=True)
class Prepared:
    site: Site
    folder: Path  # the build folder, holding docs/ and mkdocs.yml
    config: Path  # the derived config Zensical builds


def prepare(config_file: Path, strict: bool, serving: bool = False) -> Prepared | None:
    """Check the guide and lay out the build folder; None (nothing written) when a strict build
    would fail. Problems are printed as the MkDocs adapter logs them."""
    config_file = config_file.resolve()
    settings = settings_for(config_file)
    site = load_guide(settings)
    for problem in sorted(site.problems):
        print(f"WARNING -  {problem.format()}", file=sys.stderr)
    # As the MkDocs adapter: a strict build stops at any problem, and no build (the preview included) goes
    # on past a fatal one (a page the engine cannot read, a symlink it would follow, a front matter refused).
    if site.problems and ((strict and not serving) or any(p.fatal for p in site.problems)):
        print(f"ERROR   -  {len(site.problems)} problem(s) in the guide's sources; nothing was built.", file=sys.stderr)
        return None
    _sites[str(config_file)] = site
    if serving:
        _banners[str(config_file)] = problems_banner([p.format() for p in sorted(site.problems)])
    try:
        data = yaml.load(config_file.read_text(encoding="utf-8"), Loader=_EnvLoader) or {}
    except yaml.YAMLError as exc:
        print(f"ERROR   -  {config_file.name}: {exc}", file=sys.stderr)
        return None
    folder = settings.root / BUILD_FOLDER
    shutil.rmtree(folder, ignore_errors=True)
    docs = folder / "docs"
    shutil.copytree(settings.docs_dir, docs)
    for path, content in {**generated_pages(site), **generated_files(site)}.items():
        target = docs / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(content, encoding="utf-8")
    for page in docs.rglob("*.md"):  # the safety pass: Zensical prints front matter titles unescaped
        text = page.read_text(encoding="utf-8")
        escaped = escape_front_matter(text)
        if escaped != text:
            page.write_text(escaped, encoding="utf-8")
    data.update(docs_dir="docs", site_dir="site", strict=bool(strict and not serving))
    for key in ("hooks", "watch"):  # Zensical runs no hooks; the preview is restarted by lawguide serve
        data.pop(key, None)
    extra = data.get("extra")
    if isinstance(extra, dict) and isinstance(extra.get("polyfills"), list):
        # The search script holds Material 9's worker and index request and reads its messages; Zensical's
        # search has its own (search.json, other messages), so it is left out there.
        extra["polyfills"] = [s for s in extra["polyfills"] if s != ON_DEMAND_SCRIPT]
    theme = data.get("theme")
    if isinstance(theme, dict) and theme.get("custom_dir"):
        theme["custom_dir"] = str((settings.root / str(theme["custom_dir"])).resolve())
    extensions = list(data.get("markdown_extensions") or [])
    extensions.append({"lawguide_zensical": {"config_file": str(config_file)}})
    data["markdown_extensions"] = extensions
    config = folder / "mkdocs.yml"
    config.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")
    return Prepared(site, folder, config)


def _robots(markdown: str) -> str:
    """The `robots` value of a page's front matter, or ''."""
    match = re.match(r"---\n(.*?)\n---\n", markdown, re.S)
    try:
        meta = yaml.safe_load(match.group(1)) if match else None
    except yaml.YAMLError:
        return ""
    return str(meta.get("robots") or "") if isinstance(meta, dict) else ""


def _built_file(built: Path, path: str, directory_urls: bool) -> Path:
    """The HTML file Zensical wrote for the page at path (relative to docs/)."""
    url = page_url(path, directory_urls).lstrip("/")
    return built / (url + "index.html" if url.endswith("/") or not url else url)


def robots_meta(docs: Path, built: Path, directory_urls: bool) -> None:
    """<meta name="robots"> on pages whose front matter asks for it (the editors' page: noindex)."""
    for source in docs.rglob("*.md"):
        robots = _robots(source.read_text(encoding="utf-8"))
        if not robots:
            continue
        html_file = _built_file(built, source.relative_to(docs).as_posix(), directory_urls)
        if html_file.is_file():
            html_file.write_text(add_robots_meta(html_file.read_text(encoding="utf-8"), robots), encoding="utf-8")


def version_languages(site: Site, built: Path, directory_urls: bool) -> None:
    """<html lang dir> and hreflang links on translated and Easy Read pages and their English pages,
    as the MkDocs hooks' on_post_page does (lawguide.render.translations.finish_output)."""
    for path in site.pages:
        html_file = _built_file(built, path, directory_urls)
        if html_file.is_file():
            text = html_file.read_text(encoding="utf-8")
            finished = finish_output(site, path, text)
            if finished != text:
                html_file.write_text(finished, encoding="utf-8")


# --- command line ---------------------------------------------------------------------------

def build(config_file: Path, site_dir: Path | None, strict: bool | None) -> int:
    import zensical

    config_file = config_file.resolve()
    settings = Settings.from_mkdocs_yml(config_file)
    data = yaml.load(config_file.read_text(encoding="utf-8"), Loader=_EnvLoader) or {}
    strict = bool(data.get("strict")) if strict is None else strict
    prepared = prepare(config_file, strict)
    if prepared is None:
        return 1
    try:
        zensical.build(str(prepared.config), {"clean": True, "strict": strict})
    except Exception as exc:  # Zensical reports a failed build as an exception
        print(f"ERROR   -  Zensical: {exc}; {settings.root / str(data.get('site_dir') or 'site')} was left as it was.",
              file=sys.stderr)
        return 1
    built = prepared.folder / "site"
    robots_meta(prepared.folder / "docs", built, settings.use_directory_urls)
    version_languages(prepared.site, built, settings.use_directory_urls)
    finish_sitemap(prepared.site, built)
    secure_site(built)  # the safety pass, last: the policy on every page (none while serving: live reload is inline)
    target = (site_dir or settings.root / str(data.get("site_dir") or "site")).resolve()
    shutil.rmtree(target, ignore_errors=True)
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.move(str(built), target)
    print(f"INFO    -  Documentation built with Zensical {zensical.version()} into {target}", file=sys.stderr)
    return 0


def serve(config_file: Path, address: str) -> int:
    import zensical

    prepared = prepare(config_file.resolve(), strict=False, serving=True)
    if prepared is None:
        return 1
    zensical.serve(str(prepared.config), {"dev_addr": address, "open": False, "strict": False})
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="lawguide_zensical", description=__doc__.split("\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    b = sub.add_parser("build")
    b.add_argument("-f", "--config-file", required=True)
    b.add_argument("-d", "--site-dir")
    b.add_argument("--strict", dest="strict", action="store_true", default=None)
    b.add_argument("--no-strict", dest="strict", action="store_false")
    s = sub.add_parser("serve")
    s.add_argument("-f", "--config-file", required=True)
    s.add_argument("-a", "--dev-addr", default="127.0.0.1:8000")
    args = parser.parse_args(argv)
    if args.command == "build":
        return build(Path(args.config_file), Path(args.site_dir) if args.site_dir else None, args.strict)
    return serve(Path(args.config_file), args.dev_addr)


if __name__ == "__main__":
    import lawguide_zensical  # one module: the Markdown extension Zensical imports by name shares its state

    sys.exit(lawguide_zensical.main())
