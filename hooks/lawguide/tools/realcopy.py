"""The real guide scaled up, for `lawguide bench`: what users build, in a copy that builds strictly.

The guide's own pages are copied whole, folder by folder (docs/copy01/, docs/copy02/, ...), until the
copy holds about the number of pages asked for. Whole folders only: a partial folder would leave
relative links to pages that were not copied, and a broken copy measures error reporting, not
building. A link from a copied page to a page that exists only at the top (the generated law index,
glossary and What's changed, or a file in docs/assets/) gets one more `../`, so it still resolves.
The copies are listed in `not_in_nav`, so the menu is the real guide's: a guide grows by languages
and Easy Read versions, each with a menu of its own, not by one menu of a thousand pages.

Three copies of one size are made for the side-by-side builds:
- hooks on: the project's config with the hooks, as the guide is published;
- hooks off: the same pages with every `[[...]]` turned into the plain text a reader would see without
  links, links to generated pages turned into their text, and no hooks;
- stock Material on the hooks' Markdown: bench.write_hooks_markdown of the hooks-on copy.
Every copy is checked before it is timed: a copy with a problem stops the benchmark with the problems.
"""

from __future__ import annotations

import posixpath
import re
import shutil
from dataclasses import dataclass
from pathlib import Path

import yaml

from lawguide.core.settings import Settings, _TolerantLoader

HOOK = Path(__file__).resolve().parents[2] / "lawguide_hooks.py"
COPY_PREFIX = "copy"

# A Markdown inline link or image target: ](target) or ](target "title").
_LINK = re.compile(r"(\]\()([^)\s]+)")
_CITATION = re.compile(r"\[\[([^\[\]|]+)(?:\|([^\[\]]+))?\]\]")
_SCHEME = re.compile(r"[a-zA-Z][a-zA-Z0-9+.-]*:")


class CopyError(Exception):
    """The scaled copy could not be made, or does not check clean."""


@dataclass(frozen=True)
class RealCopy:
    root: Path
    pages: int  # guide pages in docs/ (originals plus copies)
    copies: int  # folders of copies


def copies_for(real_pages: int, target: int) -> int:
    """How many whole copies of the guide bring it nearest to `target` pages (at least none)."""
    return max(0, round(target / real_pages) - 1) if real_pages else 0


def make_real_copy(config: Path, dest: Path, target: int, hooks: bool = True) -> RealCopy:
    """The project's guide at about `target` pages in dest (replaced), hooks on or off."""
    settings = Settings.from_mkdocs_yml(config)
    docs = settings.docs_dir
    pages = sorted(p.relative_to(docs).as_posix() for p in docs.rglob("*.md"))
    if not pages:
        raise CopyError(f"{docs}: no Markdown pages to copy")
    shutil.rmtree(dest, ignore_errors=True)
    shutil.copytree(docs, dest / "docs")
    for folder in (settings.register_dir, settings.glossary_dir):
        shutil.copytree(folder, dest / folder.relative_to(config.parent))
    if settings.flows_dir.is_dir():  # the route finder's flows (optional): the hooks publish /finder/ from them
        shutil.copytree(settings.flows_dir, dest / settings.flows_dir.relative_to(config.parent))
    for extra in ("theme", "links.lock", "sources.lock"):
        source = config.parent / extra
        if source.is_dir():
            shutil.copytree(source, dest / extra)
        elif source.is_file():
            shutil.copy2(source, dest / extra)
    page_set = set(pages)
    n = copies_for(len(pages), target)
    for i in range(1, n + 1):
        for page in pages:
            text = (docs / page).read_text(encoding="utf-8")
            out = dest / "docs" / f"{COPY_PREFIX}{i:02d}" / page
            out.parent.mkdir(parents=True, exist_ok=True)
            out.write_text(deepen_links(_TRANSLATION.sub("", text, count=1), page, page_set), encoding="utf-8")
    _write_config(config, dest, hooks, n)
    if not hooks:
        _strip_hooks_markup(dest / "docs", settings)
    return RealCopy(dest, len(pages) * (n + 1), n)


# A copied translation or Easy Read page is a plain page: its `translation:` names pages by their
# place at the top of docs/ (content.translations), which a copy in docs/copy01/ is not.
_TRANSLATION = re.compile(r"^translation:[^\n]*\n(?:[ \t]+[^\n]*\n)*", re.MULTILINE)


def deepen_links(text: str, page: str, pages: set[str]) -> str:
    """Links from `page` (moved one folder down) to anything that is not a copied page go one `../` further."""

    def fix(match: re.Match[str]) -> str:
        target = match.group(2)
        if _SCHEME.match(target) or target.startswith(("#", "/")):
            return match.group(0)
        path = target.split("#", 1)[0]
        resolved = posixpath.normpath(posixpath.join(posixpath.dirname(page), path))
        if path and resolved not in pages:
            return match.group(1) + "../" + target
        return match.group(0)

    return _LINK.sub(fix, text)


def _write_config(config: Path, dest: Path, hooks: bool, copies: int) -> None:
    data = yaml.load(config.read_text(encoding="utf-8"), Loader=_TolerantLoader) or {}
    data.pop("site_url", None)  # an !ENV value: the copies are built without one, as bin/site does
    data.pop("watch", None)  # the preview's watched folders are not part of the copy
    if hooks:
        data["hooks"] = [str(HOOK)]
    else:
        data.pop("hooks", None)
        _drop_generated_from_nav(data)
    if copies:
        listed = data.get("not_in_nav") or ""
        data["not_in_nav"] = listed + "".join(f"/{COPY_PREFIX}{i:02d}/\n" for i in range(1, copies + 1))
    (dest / "mkdocs.yml").write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")


def _generated(path: str) -> bool:
    from lawguide.content.urls import CHANGES_PAGE, EDITORS_PAGE, FINDER_DIR, GLOSSARY_PAGE, LAW_DIR

    return path in (CHANGES_PAGE, GLOSSARY_PAGE, EDITORS_PAGE) or path.startswith((f"{LAW_DIR}/", f"{FINDER_DIR}/"))


def _drop_generated_from_nav(data: dict) -> None:
    """Without hooks there is no law index or glossary: take them out of the menu."""

    def keep(item: object) -> bool:
        value = next(iter(item.values())) if isinstance(item, dict) and len(item) == 1 else item
        return not (isinstance(value, str) and _generated(value))

    def walk(items: list) -> list:
        kept = []
        for item in items:
            if isinstance(item, dict) and len(item) == 1 and isinstance(next(iter(item.values())), list):
                (title, children), = item.items()
                kept.append({title: walk(children)})
            elif keep(item):
                kept.append(item)
        return kept

    if isinstance(data.get("nav"), list):
        data["nav"] = walk(data["nav"])


def _strip_hooks_markup(docs: Path, settings: Settings) -> None:
    """What a page says without the hooks: citations and glossary links as their plain text, links to
    pages only the hooks generate as their link text."""
    from lawguide.content.site import load_site

    site = load_site(settings)
    cites = {ref_id: ref.cite for ref_id, ref in site.register.refs.items()}
    terms = {term_id: term.term for term_id, term in site.glossary.terms.items()}

    def citation(match: re.Match[str]) -> str:
        target, label = match.group(1).strip(), match.group(2)
        if label:
            return label
        if target.startswith("glossary:"):
            return terms.get(target.removeprefix("glossary:"), target)
        if target.startswith("site:"):
            return "the publisher"
        return f"({cites.get(target, target)})"

    link = re.compile(r"\[([^\]]*)\]\(([^)\s]+)\)")
    for path in docs.rglob("*.md"):
        rel = path.relative_to(docs).as_posix()
        text = _CITATION.sub(citation, path.read_text(encoding="utf-8"))

        def unlink(match: re.Match[str], rel: str = rel) -> str:
            target = match.group(2).split("#", 1)[0]
            if not target or _SCHEME.match(target):
                return match.group(0)
            resolved = posixpath.normpath(posixpath.join(posixpath.dirname(rel), target))
            return match.group(1) if _generated(resolved) else match.group(0)

        path.write_text(link.sub(unlink, text), encoding="utf-8")
