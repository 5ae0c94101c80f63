"""The guide as every entry point loads it: the sources, checked, plus the published-links check.

The build adapters, `lawguide check` and `lawguide publish` all start here, so they report the
same problems. Editors' quick questions (`impact`, `review`) read the sources alone.
"""

from __future__ import annotations

import gc
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

from lawguide.content.pages import Page, load_page
from lawguide.content.site import Site, load_site, symlinked_folder
from lawguide.core import clock
from lawguide.core.problems import display_path
from lawguide.core.settings import Settings, find_config
from lawguide.lawchange.checks import law_change_problems
from lawguide.links.lock import config_file_for, lock_problems
from lawguide.links.markdown_links import link_problems
from lawguide.render.search import SYNONYMS_FILE, load_synonyms


def load_guide(settings: Settings, page_loader: Callable[..., Page] = load_page) -> Site:
    # Loading makes many objects that all live on (pages, tokens, references) and little garbage, so
    # Python's collector, run every few hundred allocations, would walk them again and again for nothing:
    # paused while the guide loads (about a quarter of loading at 1,000 pages), as it was before if paused.
    was_collecting = gc.isenabled()
    gc.disable()
    try:
        return _load_guide(settings, page_loader)
    finally:
        if was_collecting:
            gc.enable()


def _load_guide(settings: Settings, page_loader: Callable[..., Page]) -> Site:
    site = load_site(settings, page_loader)
    site.problems += lock_problems(site)  # published links that no longer work
    if not symlinked_folder(settings.glossary_dir):  # a symlinked glossary/ is reported, and not read
        _, problems = load_synonyms(settings.glossary_dir / SYNONYMS_FILE, set(site.pages))
        site.problems += [replace(p, path=display_path(settings.glossary_dir / SYNONYMS_FILE, settings.root))
                          for p in problems]
    site.problems += link_problems(site, config_file_for(site))  # authors' links and the nav, as the build checks them
    site.problems += law_change_problems(site, clock.today())  # no future dates; process tags; reviewed_for
    return site


def load_project(config: str | Path | None = None) -> Site:
    """The guide of the mkdocs.yml given, or of the nearest one at or above the current folder."""
    config_file = Path(config) if config else find_config(Path.cwd())
    return load_guide(Settings.from_mkdocs_yml(config_file))
