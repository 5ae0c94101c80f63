"""The index: who cites what, where. Built once from the sources; the build and every
`lawguide` command use the same index, so they can never disagree."""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

from lawguide.content.flows import FINDER_DIR, Flow, load_flows, outcome_pages
from lawguide.content.glossary import Glossary, load_glossary
from lawguide.content.markdown_scan import SITE_PREFIX, Citation, docs_symlinks, iter_markdown_files
from lawguide.content.pages import Page, load_page
from lawguide.content.publisher import PLACEHOLDERS, Publisher, load_publisher
from lawguide.content.register import Register, load_register
from lawguide.content.translations import site_versions
from lawguide.core.problems import Problem, display_path, new_hint_run, suggest
from lawguide.core.settings import Settings, search_piece_problems

# `from typing import TypeVar` would import typing (about 10 ms) into every command.
TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import TypeVar

    T = TypeVar("T")


_UNKNOWN = object()  # what Site.remember has not worked out yet (None may be an answer)


@dataclass
class Site:
    settings: Settings
    register: Register
    glossary: Glossary
    pages: dict[str, Page]
    problems: list[Problem] = field(default_factory=list)
    publisher: Publisher = field(default_factory=Publisher)  # extra.lawguide.publisher / feedback
    # Answers other rooms derive from the loaded sources and ask for many times a build (a page's law
    # changes, the review list): computed once. A Site is never changed after loading, so they stay true.
    memo: dict = field(default_factory=dict, compare=False, repr=False)
    flows: dict[str, Flow] = field(default_factory=dict)  # the route finder's flows (finder/*.yml), by id

    @cached_property
    def citing_pages(self) -> dict[str, Page]:
        """Every page that cites law, by published path: the guide's pages and the route finder's
        outcomes (content.flows). Impact, review and the law-change notice read these, so an outcome
        is flagged exactly as a guide page is."""
        return {**self.pages, **outcome_pages(self.flows)} if self.flows else self.pages

    def remember(self, key: object, compute: Callable[[], T]) -> T:
        """compute()'s answer for key, worked out the first time it is asked for in this build (memo)."""
        value = self.memo.get(key, _UNKNOWN)  # one look-up when it is known (a build asks tens of thousands of times)
        if value is _UNKNOWN:
            value = self.memo[key] = compute()
        return value

    @cached_property
    def citations_by_ref(self) -> dict[str, list[Citation]]:
        """Register id -> every citation of it, in page then line order."""
        by_ref: dict[str, list[Citation]] = {ref_id: [] for ref_id in self.register.refs}
        for page in self.citing_pages.values():
            for cite in page.law_citations:
                if cite.target in by_ref:
                    by_ref[cite.target].append(cite)
        return by_ref

    @cached_property
    def short_cite_clashes(self) -> dict[str, frozenset[str]]:
        """Page path -> ids of the references it cites whose short cite ("s.17") another reference
        it cites shares: those are shown in full on that page. Computed once per build."""
        return {path: short_cite_clashes(self, page) for path, page in self.citing_pages.items()}

    @cached_property
    def _pages_citing(self) -> dict[str, dict[str, list[Citation]]]:
        """Register id -> page -> its citations of it: grouped once per build, not at every call (law
        pages, the law index and the impact report each ask for every entry)."""
        by_ref: dict[str, dict[str, list[Citation]]] = {}
        for ref_id, cites in self.citations_by_ref.items():
            pages: dict[str, list[Citation]] = {}
            for cite in cites:
                pages.setdefault(cite.page, []).append(cite)
            by_ref[ref_id] = pages
        return by_ref

    def citing_page_count(self, ref_id: str) -> int:
        """How many pages cite ref_id: len(pages_citing(ref_id)) without copying their citations."""
        return len(self._pages_citing.get(ref_id, ()))

    def cited_sections(self, ref_id: str) -> list[tuple[str, tuple[str, ...]]]:
        """(page, the ids of the sections citing ref_id, each once) for every page citing it, in
        pages_citing's order; a citation outside any section adds none."""
        return [(page, tuple(dict.fromkeys([c.anchor for c in cites if c.anchor])))
                for page, cites in self._pages_citing.get(ref_id, {}).items()]

    def pages_citing(self, ref_id: str) -> dict[str, list[Citation]]:
        """Page -> its citations of ref_id, in page then line order. A new dict and lists each call, so a
        caller may change them."""
        return {page: list(cites) for page, cites in self._pages_citing.get(ref_id, {}).items()}


def load_site(settings: Settings, page_loader: Callable[..., Page] = load_page) -> Site:
    """The sources and their own problems (lawguide.guide.load_guide adds the published-links check).
    page_loader(file, docs_dir, display_prefix) -> Page; editors' commands pass a cached one."""
    new_hint_run()  # each load has its own budget for "did you mean" hints
    refused = _symlinked_folders(settings)
    # A refused folder is not read at all (its files would come from wherever it points); what it may
    # define is held back, so the one problem above is not followed by an "unknown id" on every page.
    if settings.register_dir in refused:
        cause = refused[settings.register_dir]
        register = Register({}, {}, (), {cause.path: (cause, _EVERY_ID)})
    else:
        register = load_register(settings.register_dir, settings.root)
    if settings.glossary_dir in refused:
        cause = refused[settings.glossary_dir]
        glossary = Glossary({}, (), {cause.path: (cause, _EVERY_ID)})
    else:
        glossary = load_glossary(settings.glossary_dir, register.refs, settings.root, register.held_back)
    docs_prefix = display_path(settings.docs_dir, settings.root)
    pages = {}
    for file in () if settings.docs_dir in refused else iter_markdown_files(settings.docs_dir):
        page = page_loader(file, settings.docs_dir, docs_prefix)
        pages[page.path] = page
    publisher, publisher_problems = load_publisher(settings.config_path, settings.root)
    flows = load_flows(settings.flows_dir, settings.root, pages)
    site = Site(settings, register, glossary, pages, publisher=publisher, flows=flows.flows)
    site.problems = [*refused.values(), *_docs_symlinks(settings, docs_prefix, refused), *register.problems,
                     *glossary.problems,
                     *publisher_problems, *search_piece_problems(settings.config_path, settings.root),
                     *flows.problems, *_flow_page_clashes(site), *_page_problems(site),
                     *site_versions(site).problems]
    return site


class _EveryId(frozenset):
    """Every id: what a folder that was not read may define."""

    def __contains__(self, item: object) -> bool:
        return True


_EVERY_ID = _EveryId()


def symlinked_folder(folder: Path) -> bool:
    """Whether a source folder is itself a symlink: reported (load_site), and nothing in it is read."""
    return os.path.islink(folder)


def _symlinked_folders(settings: Settings) -> dict[Path, Problem]:
    problems = {}
    for folder in (settings.docs_dir, settings.register_dir, settings.glossary_dir, settings.flows_dir):
        if symlinked_folder(folder):  # the sources must be the project's own files, not somewhere else's
            display = display_path(folder, settings.root)
            problems[folder] = Problem(display, 1, f"{display}/ is a symlink (to '{os.readlink(folder)}'): lawguide "
                                       "reads only the project's own files", "move the folder into the project instead",
                                       root=True, fatal=True)
    return problems


def _docs_symlinks(settings: Settings, docs_prefix: str, refused: dict[Path, Problem]) -> list[Problem]:
    problems = []
    for link in () if settings.docs_dir in refused else docs_symlinks(settings.docs_dir):
        display = f"{docs_prefix}/{link.relative_to(settings.docs_dir).as_posix()}"
        try:
            target = os.readlink(link)
        except OSError:
            target = "?"
        problems.append(Problem(display, 1, f"symlink in {docs_prefix}/ (to '{target}'): the build would publish what "
                                "it points at without checking it", "copy the file or folder in instead",
                                root=True, fatal=True))
    return problems


def _page_problems(site: Site) -> list[Problem]:
    problems: list[Problem] = []
    held: dict[str, list[Citation]] = {}  # unreadable source file -> citations not checked because of it
    glossary, register = site.glossary.terms, site.register.refs
    for page in site.citing_pages.values():  # outcomes' citations are checked as pages' are
        problems.extend(page.problems)
        for cite in page.citations:
            # Nearly every citation names a known term or reference: nothing to check (as check_citation finds).
            known = (cite.target in glossary if cite.is_glossary
                     else cite.target in register and not cite.target.startswith(SITE_PREFIX))
            if known:
                continue
            source = held_back(site, cite)
            if source:
                held.setdefault(source, []).append(cite)
            else:
                problems.extend(check_citation(site, page, cite))
    return problems + held_back_notes(site, held)


def _flow_page_clashes(site: Site) -> list[Problem]:
    """A hand-written page where the finder publishes (docs/finder/...) would be replaced unseen."""
    if not site.flows:
        return []
    docs = display_path(site.settings.docs_dir, site.settings.root)
    return [Problem(f"{docs}/{path}", 1, f"docs/{FINDER_DIR}/ is where the route finder's pages are published",
                    f"move this page out of {FINDER_DIR}/") for path in site.pages if path.startswith(f"{FINDER_DIR}/")]


def held_back(site: Site, cite: Citation) -> str:
    """The unreadable register or glossary file that may define what cite names, or ''."""
    if cite.is_glossary:
        return "" if cite.target in site.glossary else site.glossary.held_back(cite.target)
    return "" if cite.target in site.register else site.register.held_back(cite.target)


def held_back_notes(site: Site, held: dict[str, list[Citation]]) -> list[Problem]:
    """One line per unreadable file instead of an error on every page that cites what it defines."""
    notes = []
    causes = {**site.register.unreadable, **site.glossary.unreadable}
    for source, cites in sorted(held.items()):
        cause = causes[source][0]
        pages = len({c.page for c in cites})
        what = "this folder may" if isinstance(causes[source][1], _EveryId) else "this file seems to"
        notes.append(Problem(source, cause.line,
                             f"not checked: {len(cites)} citation{'s' if len(cites) != 1 else ''} on {pages} "
                             f"page{'s' if pages != 1 else ''} of ids {what} define",
                             "fix the problem above first; they are checked again then", root=True))
    return notes


def check_citation(site: Site, page: Page, cite: Citation) -> list[Problem]:
    if cite.is_glossary:
        if cite.target not in site.glossary:
            return [Problem(page.display, cite.line, f"unknown glossary term '{cite.target}'",
                            suggest(cite.target, site.glossary.terms) or "add it to glossary/*.yml")]
        return []
    if cite.target.startswith(SITE_PREFIX):
        key = cite.target[len(SITE_PREFIX):]
        if key not in PLACEHOLDERS:
            return [Problem(page.display, cite.line, f"unknown site value '{cite.target}'",
                            suggest(cite.target, [SITE_PREFIX + name for name in PLACEHOLDERS])
                            or "use [[site:publisher]] or [[site:feedback]]")]
        return []
    if cite.target not in site.register:
        return [Problem(page.display, cite.line, f"unknown law reference '{cite.target}'",
                        suggest(cite.target, site.register.refs) or "add it to law_refs/*.yml")]
    return []


def short_cite_clashes(site: Site, page: Page) -> frozenset[str]:
    """Ids of references this page cites whose short cite another cited reference shares."""
    by_short: dict[str, set[str]] = {}
    refs = site.register.refs
    # Each cited id once (a page cites a few references many times): the page's distinct citations,
    # worked out when it was loaded; glossary links and [[site:...]] values are no register entries.
    for target in {target for target, _, is_glossary in page.distinct_citations
                   if not is_glossary and not target.startswith(SITE_PREFIX)}:
        ref = refs.get(target)
        if ref is not None:
            by_short.setdefault(ref.short_cite, set()).add(ref.id)
    return frozenset(ref_id for ids in by_short.values() if len(ids) > 1 for ref_id in ids)
