"""A page's tail converted apart: the MkDocs adapter converts each distinct tail ("Words used",
"Legal basis", page history) once a build and puts its HTML where transform_page(tail_apart=True)
left a placeholder, and its headings in the page's table of contents. These tests prove the result is
what converting the whole page gives: the HTML on awkward page endings and on every real guide page,
and the table of contents for any order of heading levels, as Python-Markdown nests it."""

from __future__ import annotations

import functools
import importlib.util
import random
import re

import markdown
import pytest
from lawguide.content.site import load_site
from lawguide.core.settings import Settings
from lawguide.guide import load_guide
from lawguide.render.page import insert_tail, page_tail, transform_page
from mkdocs.config import load_config
from mkdocs.structure.toc import get_toc

from tests.fixtures import REPO, make_site

TAIL = ("\n## Words used on this page {#words-on-this-page}\n\nlgqwordsq\n"
        "\n## Legal basis {#legal-basis data-search-exclude}\n\nlgqlegalq\n\nlgqhistoryq\n")
ENDINGS = {
    "a paragraph": "# T\n\nText.\n",
    "a list": "# T\n\n- a\n- b\n",
    "a list with a continued item": "1. a\n\n    more\n",
    "a table": "| a | b |\n|---|---|\n| 1 | 2 |\n",
    "a raw HTML block": '<div class="x">\n<p>raw</p>\n</div>\n',
    "inline HTML": "Text <b>x</b>\n",
    "an admonition": "!!! note\n    body\n",
    "a folded box": '??? adviser "For advisers"\n    body\n',
    "an md_in_html block": "<div markdown>\n\n**x**\n\n</div>\n",
    "an unclosed md_in_html block": "<div markdown>\n\ntext\n",
    "indented code": "    code\n",
    "fenced code": "```\ncode\n```\n",
    "a quote": "> quoted\n",
    "a rule": "text\n\n---\n",
    "a comment": "text\n\n<!-- c -->\n",
    "nothing": "",
    "only a title": "# T\n",
    "trailing blank lines": "# T\n\nText.\n\n\n\n",
}


@functools.cache
def _config():
    return load_config(str(REPO / "mkdocs.yml"))


def converter() -> markdown.Markdown:
    """Python-Markdown as MkDocs sets it up for this project, new for each document."""
    config = _config()
    return markdown.Markdown(extensions=config["markdown_extensions"], extension_configs=config["mdx_configs"])


def apart(body_markdown: str, tail: str) -> str:
    return insert_tail(converter().convert(body_markdown), converter().convert(tail))


@pytest.mark.parametrize("ending", ENDINGS)
@pytest.mark.parametrize("tail", [TAIL, "\nlgqhistoryq\n", TAIL.split("\n## Legal")[0] + "\n"])
def test_a_tail_converted_apart_gives_the_html_of_the_whole_page(ending, tail):
    body = ENDINGS[ending].rstrip()
    assert apart(body + "\n\nlgqtailq\n", tail) == converter().convert(body + "\n" + tail)


@pytest.fixture(scope="module")
def real_guide():
    return load_guide(Settings.from_mkdocs_yml(REPO / "mkdocs.yml"))


def test_every_real_guide_page_converts_the_same_with_its_tail_apart(real_guide):
    differing = []
    tails = set()
    for path, page in sorted(real_guide.pages.items()):
        text = (real_guide.settings.docs_dir / path).read_text(encoding="utf-8")
        body = re.sub(r"\A---\n.*?\n---\n", "", text, count=1, flags=re.S)
        tail = page_tail(real_guide, page)
        tails.add(tail)
        whole = converter().convert(transform_page(real_guide, page, body))
        if tail and apart(transform_page(real_guide, page, body, tail_apart=True), tail) != whole:
            differing.append(path)
    assert len(real_guide.pages) > 30 and differing == []
    assert 1 < len(tails) <= 8  # a handful of distinct tails: each is converted once a build


def test_a_page_with_nothing_to_add_keeps_its_markdown_whole(tmp_path):
    root = make_site(tmp_path, pages={"index.md": "# Home\n\nNo citations, no history.\n"})
    site = load_site(Settings.from_mkdocs_yml(root / "mkdocs.yml"))
    page = site.pages["index.md"]
    assert page_tail(site, page) == ""
    assert transform_page(site, page, "# Home\n", tail_apart=True) == transform_page(site, page, "# Home\n")


def _adapter():
    spec = importlib.util.spec_from_file_location("lawguide_hooks_under_test", REPO / "hooks" / "lawguide_hooks.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


class _Page:
    def __init__(self, tokens):
        self.toc = get_toc(tokens)
        self.present_anchor_ids = set()


def _shape(items) -> list:
    return [(item.title, item.id, item.level, getattr(item, "active", False), _shape(item.children)) for item in items]


def test_tail_headings_join_the_table_of_contents_as_python_markdown_nests_them():
    add_to_toc = _adapter()._add_to_toc
    md = converter()
    md.convert(TAIL)
    tail_tokens = md.toc_tokens
    randomly = random.Random(9)
    for _ in range(400):
        levels = [randomly.randint(1, 6) for _ in range(randomly.randint(0, 7))]
        body = "".join(f"{'#' * level} H{n}\n\ntext\n\n" for n, level in enumerate(levels))
        whole = converter()
        whole.convert(body + TAIL)
        part = converter()
        part.convert(body)
        page = _Page(part.toc_tokens)
        add_to_toc(page, tail_tokens)
        assert _shape(page.toc) == _shape(get_toc(whole.toc_tokens)), levels
        assert page.present_anchor_ids == {"words-on-this-page", "legal-basis"}
