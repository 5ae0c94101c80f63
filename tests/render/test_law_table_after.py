"""A build hands the engine each law page's "About this law" table as a placeholder and puts its HTML in
after conversion (law_page's table_after, issue 31: speed). The page must be the HTML Python-Markdown
gives for the whole page, byte for byte, with the guide's own Markdown settings; where a cell's HTML is
not certain, the page keeps its Markdown table."""

from __future__ import annotations

import dataclasses
import datetime as dt
import random

import markdown
import pytest
from lawguide.content.site import load_site
from lawguide.content.urls import law_page_path
from lawguide.core.settings import Settings
from lawguide.render.generate import (
    LAW_TABLE_PLACEHOLDER,
    finish_generated_html,
    finish_searched_html,
    generated_pages,
    law_page,
)
from mkdocs.config import load_config
from mkdocs.utils import meta

from tests.fixtures import REPO

TODAY = dt.date(2026, 12, 7)


@pytest.fixture(scope="module")
def real():
    config = load_config(str(REPO / "mkdocs.yml"))

    def convert(text: str) -> str:
        return markdown.Markdown(extensions=config.markdown_extensions, extension_configs=config.mdx_configs).convert(text)

    return load_site(Settings.from_mkdocs_yml(REPO / "mkdocs.yml")), convert


def _both_ways(site, ref, convert) -> bool:
    """Whether the page took the placeholder; asserts the HTML is the whole page's either way."""
    path = law_page_path(ref.id)
    whole_body, front_whole = meta.get_data(law_page(site, ref, TODAY))
    after_body, front_after = meta.get_data(law_page(site, ref, TODAY, table_after=True))
    assert front_after == front_whole
    expected = convert(whole_body)
    assert finish_searched_html(site, path, convert(after_body), TODAY) == expected, ref.id
    assert finish_generated_html(site, path, convert(after_body), TODAY) == finish_generated_html(
        site, path, expected, TODAY), ref.id
    return LAW_TABLE_PLACEHOLDER in after_body


def test_every_law_page_of_the_real_guide_is_the_same_html_with_its_table_put_in_after_conversion(real):
    site, convert = real
    refs = list(site.register.refs.values())
    assert len(refs) > 100
    assert all(_both_ways(site, ref, convert) for ref in refs)  # and every one of them took the placeholder


def test_a_build_hands_the_engine_placeholders_and_a_preview_the_tables(real):
    site, _ = real
    built, preview = generated_pages(site, TODAY, finder_after=True), generated_pages(site, TODAY)
    law = [path for path in built if path.startswith("law/") and path != "law/index.md"]
    assert all(LAW_TABLE_PLACEHOLDER in built[path] and "| About this law |" not in built[path] for path in law)
    assert not any(LAW_TABLE_PLACEHOLDER in text for text in preview.values())


AWKWARD = ["A | B", "a \\| b", "\\", "trailing \\", "*not bold*", "_x_", "`code`", "[link](x)", "<b>bold</b>",
           "A & B", "&amp; &lt;", "&#42;", "#1", "!", "{: .x}", "  spaced   out  ", "line\nbreak", "line \r\n  next",
           "tab\there", "Café, s. 2(1)(a)", "\u0627\u0644\u0642\u0627\u0646\u0648\u0646", "x\x02y", "1. listed",
           "> quoted", "- item", "http://example.org", "<http://example.org>", "a  \nb", "lgqlawtableq", "--", "'q'"]


@pytest.mark.parametrize("text", AWKWARD)
def test_awkward_citations_and_council_names_give_the_same_html(real, text):
    site, convert = real
    base = site.register["ca1989-s17"]
    _both_ways(site, dataclasses.replace(base, cite=text), convert)
    local = dataclasses.replace(base, scope=text)  # one council's policy: an "Applies to" row
    assert local.is_local
    _both_ways(site, local, convert)


def test_random_text_gives_the_same_html(real):
    site, convert = real
    base = site.register["ca1989-s17"]
    chars = "ab |\\*_`[](){}#!<>&;:.,-'\"\t\n é"
    randomly = random.Random(31)
    for _ in range(300):
        text = "".join(randomly.choice(chars) for _ in range(randomly.randint(1, 12)))
        _both_ways(site, dataclasses.replace(base, cite=text), convert)
        _both_ways(site, dataclasses.replace(base, scope=text or "x"), convert)


def test_an_unusual_id_or_status_keeps_the_markdown_table(real):
    site, convert = real
    base = site.register["ca1989-s17"]
    assert not _both_ways(site, dataclasses.replace(base, id="odd`id"), convert)
    assert not _both_ways(site, dataclasses.replace(base, cite="tab\there"), convert)
