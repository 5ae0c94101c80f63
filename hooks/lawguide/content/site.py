"""The index: who cites what, where. Built once from the sources; the build and every
`lawguide` command use the same index, so they can never disagree."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property

from lawguide.content.glossary import Glossary, load_glossary
from lawguide.content.markdown_scan import Citation, iter_markdown_files
from lawguide.content.pages import Page, load_page
from lawguide.content.register import Register, load_register
from lawguide.core.problems import Problem, suggest
from lawguide.core.settings import Settings


@dataclass
class Site:
    settings: Settings
    register: Register
    glossary: Glossary
    pages: dict[str, Page]
    problems: list[Problem] = field(default_factory=list)

    @cached_property
    def citations_by_ref(self) -> dict[str, list[Citation]]:
        """Register id -> every citation of it, in page then line order."""
        by_ref: dict[str, list[Citation]] = {ref_id: [] for ref_id in self.register.refs}
        for page in self.pages.values():
            for cite in page.law_citations:
                if cite.target in by_ref:
                    by_ref[cite.target].append(cite)
        return by_ref

    def pages_citing(self, ref_id: str) -> dict[str, list[Citation]]:
        out: dict[str, list[Citation]] = {}
        for cite in self.citations_by_ref.get(ref_id, []):
            out.setdefault(cite.page, []).append(cite)
        return out


def load_site(settings: Settings, page_loader: Callable[..., Page] = load_page) -> Site:
    """The sources and their own problems (lawguide.guide.load_guide adds the published-links check).
    page_loader(file, docs_dir, display_prefix) -> Page; editors' commands pass a cached one."""
    register = load_register(settings.register_dir, settings.root)
    glossary = load_glossary(settings.glossary_dir, register.refs, settings.root)
    docs_prefix = _display_prefix(settings)
    pages = {}
    for file in iter_markdown_files(settings.docs_dir):
        page = page_loader(file, settings.docs_dir, docs_prefix)
        pages[page.path] = page
    site = Site(settings, register, glossary, pages)
    site.problems = [*register.problems, *glossary.problems, *_page_problems(site)]
    return site


def _display_prefix(settings: Settings) -> str:
    try:
        return settings.docs_dir.relative_to(settings.root).as_posix()
    except ValueError:
        return settings.docs_dir.as_posix()


def _page_problems(site: Site) -> list[Problem]:
    problems: list[Problem] = []
    for page in site.pages.values():
        problems.extend(page.problems)
        for cite in page.citations:
            problems.extend(check_citation(site, page, cite))
    return problems


def check_citation(site: Site, page: Page, cite: Citation) -> list[Problem]:
    if cite.is_glossary:
        if cite.target not in site.glossary:
            return [Problem(page.display, cite.line, f"unknown glossary term '{cite.target}'",
                            suggest(cite.target, site.glossary.terms) or "add it to glossary/*.yml")]
        return []
    if cite.target not in site.register:
        return [Problem(page.display, cite.line, f"unknown law reference '{cite.target}'",
                        suggest(cite.target, site.register.refs) or "add it to law_refs/*.yml")]
    return []
