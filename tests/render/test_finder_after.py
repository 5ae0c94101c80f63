"""A build hands the engine the route finder's pages as placeholders and puts their HTML in after
conversion (generated_pages' finder_after, issue 31: speed). The page must be the HTML Python-Markdown
gives for the whole page, byte for byte, with the guide's own Markdown settings."""

from __future__ import annotations

import markdown
from lawguide.content.site import load_site
from lawguide.core.settings import Settings
from lawguide.render.generate import FINDER_PLACEHOLDER, finish_generated_html, finish_searched_html, generated_pages
from mkdocs.config import load_config
from mkdocs.utils import meta

from tests.fixtures import REPO
from tests.render.test_finder import site_with


def _converter(config_file):
    config = load_config(str(config_file))
    return lambda text: markdown.Markdown(extensions=config.markdown_extensions,
                                          extension_configs=config.mdx_configs).convert(text)


def _both_ways(site, convert) -> list[str]:
    """The finder paths; asserts each page converted whole equals its placeholder converted and finished."""
    whole, after = generated_pages(site), generated_pages(site, finder_after=True)
    paths = [path for path in whole if path.startswith("finder/")]
    assert paths
    for path in paths:
        body, front_whole = meta.get_data(whole[path])
        placeholder, front_after = meta.get_data(after[path])
        assert front_after == front_whole  # title, description, search and exit settings unchanged
        assert placeholder.strip() == FINDER_PLACEHOLDER
        expected = convert(body)
        assert finish_searched_html(site, path, convert(placeholder)) == expected, path
        assert finish_generated_html(site, path, convert(placeholder)) == expected, path
    # the law pages' tables go in after conversion too (tests/render/test_law_table_after.py); nothing else changes
    same = [p for p in whole if p not in paths and not (p.startswith("law/") and p != "law/index.md")]
    assert {p: whole[p] for p in same} == {p: after[p] for p in same}
    return paths


def test_every_finder_page_of_the_real_guide_is_the_same_html_put_in_after_conversion():
    site = load_site(Settings.from_mkdocs_yml(REPO / "mkdocs.yml"))
    assert len(_both_ways(site, _converter(REPO / "mkdocs.yml"))) > 100


def test_finder_pages_with_awkward_text_are_the_same_html_put_in_after_conversion(tmp_path):
    site = site_with(tmp_path)  # the flow fixtures: escaped markup, emphasis, citations, an exit button
    _both_ways(site, _converter(tmp_path / "mkdocs.yml"))


def test_the_placeholder_is_left_alone_anywhere_but_alone_on_a_finder_page(tmp_path):
    site = site_with(tmp_path)
    path = next(p for p in generated_pages(site) if p.startswith("finder/"))
    block = f"<p>{FINDER_PLACEHOLDER}</p>"
    assert finish_searched_html(site, path, f"<h1>x</h1>\n{block}") == f"<h1>x</h1>\n{block}"
    assert finish_searched_html(site, "index.md", block) == block
    assert finish_searched_html(site, "finder/no-such-flow/index.md", block) == block
