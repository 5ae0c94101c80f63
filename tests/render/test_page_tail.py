"""A page's tail converted apart: the MkDocs adapter converts each distinct tail ("Words used",
"Legal basis", page history) once a build and puts its HTML where transform_page(tail_apart=True)
left a placeholder, and its headings in the page's table of contents. These tests prove the result is
what converting the whole page gives: the HTML on awkward page endings and on every real guide page,
and the table of contents for any order of heading levels, as Python-Markdown nests it."""

from __future__ import annotations

import functools
import importlib.util
import itertools
import random
import re

import markdown
import pytest
from lawguide.content.site import load_site
from lawguide.core.settings import Settings
from lawguide.guide import load_guide
from lawguide.render.page import finish_html, insert_tail, page_tail, tail_apart_safe, transform_page
from mkdocs.config import load_config
from mkdocs.structure.toc import get_toc

from tests.fixtures import REPO, make_site

TAIL = ("\n## Words used on this page {#words-on-this-page}\n\nlgqwordsq\n"
        "\n## Legal basis {#legal-basis data-search-exclude}\n\nlgqlegalq\n\nlgqhistoryq\n")
ENDINGS = {
    "a paragraph": "Text.\n",
    "a list": "- a\n- b\n",
    "a list with a continued item": "1. a\n\n    more\n",
    "a table": "| a | b |\n|---|---|\n| 1 | 2 |\n",
    "a raw HTML block": '<div class="x">\n<p>raw</p>\n</div>\n',
    "inline HTML": "Text <b>x</b>\n",
    "an admonition": "!!! note\n    body\n",
    "a folded box": '??? adviser "For advisers"\n    body\n',
    "an md_in_html block": "<div markdown>\n\n**x**\n\n</div>\n",
    "an unclosed md_in_html block": "<div markdown>\n\ntext\n",
    "an unclosed HTML block": "<div>\ntext\n",
    "an unclosed comment": "<!-- open\n",
    "indented code": "    code\n",
    "fenced code": "```\ncode\n```\n",
    "an unclosed fence": "```\ncode\n",
    "a quote": "> quoted\n",
    "a rule": "text\n\n---\n",
    "a comment": "text\n\n<!-- c -->\n",
    "nothing": "",
    "a setext heading like a closing one": "Legal basis\n-----------\n",
    "typed placeholders": "lgqtailq\n\nlgqz0q `lgqz0q`\n",
    "trailing blank lines": "Text.\n\n\n\n",
}
# Which closing parts a page has: both headings and the history, the legal basis only, the history only.
TAILS = {"all": ("Help [[ca1989-s17]] and [[glossary:short-breaks]].\n\n", True),
         "law": ("Help [[ca1989-s17]].\n\n", False),
         "history": ("", True)}


@functools.cache
def _config():
    return load_config(str(REPO / "mkdocs.yml"))


def converter() -> markdown.Markdown:
    """Python-Markdown as MkDocs sets it up for this project, new for each document."""
    config = _config()
    return markdown.Markdown(extensions=config["markdown_extensions"], extension_configs=config["mdx_configs"])


def body_of(site, path: str) -> str:
    text = (site.settings.docs_dir / path).read_text(encoding="utf-8")
    return re.sub(r"\A---\n.*?\n---\n", "", text, count=1, flags=re.S)


def whole_and_apart(site, path: str) -> tuple[str, str, bool]:
    page, body = site.pages[path], body_of(site, path)
    whole = converter().convert(transform_page(site, page, body))
    tail = page_tail(site, page)
    apart, inserted = insert_tail(site, page, converter().convert(transform_page(site, page, body, tail_apart=True)),
                                  converter().convert(tail))
    return whole, apart, inserted


@pytest.fixture(scope="module")
def endings_site(tmp_path_factory):
    pages = {}
    for (ending, text), (kind, (opening, history)) in itertools.product(ENDINGS.items(), TAILS.items()):
        changes = "changes:\n  - date: 2026-11-01\n    summary: Written.\n" if history else ""
        name = re.sub(r"\W+", "-", f"{kind} {ending}") + ".md"
        pages[name] = f"---\ntitle: T\n{changes}---\n# T\n\n{opening}{text}"
    root = make_site(tmp_path_factory.mktemp("endings"), pages=pages)
    return load_site(Settings.from_mkdocs_yml(root / "mkdocs.yml"))


@pytest.mark.parametrize("kind", TAILS)
@pytest.mark.parametrize("ending", ENDINGS)
def test_a_tail_converted_apart_gives_the_html_of_the_whole_page(endings_site, ending, kind):
    path = re.sub(r"\W+", "-", f"{kind} {ending}") + ".md"
    whole, apart, inserted = whole_and_apart(endings_site, path)
    assert apart == whole
    assert inserted == (ending != "an unclosed HTML block")  # that one took the tail in as raw text


@pytest.fixture(scope="module")
def real_guide():
    return load_guide(Settings.from_mkdocs_yml(REPO / "mkdocs.yml"))


def test_every_real_guide_page_converts_the_same_with_its_tail_apart(real_guide):
    differing = []
    tails = set()
    config = _config()
    for path, page in sorted(real_guide.pages.items()):
        assert tail_apart_safe(config["markdown_extensions"], "[TOC]", body_of(real_guide, path))
        tails.add(page_tail(real_guide, page))
        whole, apart, inserted = whole_and_apart(real_guide, path)
        if apart != whole or not inserted:
            differing.append(path)
    assert len(real_guide.pages) > 30 and differing == []
    assert 1 < len(tails) <= 8  # a handful of distinct tails: each is converted once a build


def test_a_page_with_nothing_to_add_keeps_its_markdown_whole(tmp_path):
    root = make_site(tmp_path, pages={"index.md": "# Home\n\nNo citations, no history.\n"})
    site = load_site(Settings.from_mkdocs_yml(root / "mkdocs.yml"))
    page = site.pages["index.md"]
    assert page_tail(site, page) == ""
    assert transform_page(site, page, "# Home\n", tail_apart=True) == transform_page(site, page, "# Home\n")


def test_the_tail_is_converted_apart_only_with_extensions_that_keep_nothing_across_a_page():
    safe = ["toc", "tables", "fenced_code", "admonition", "pymdownx.details", "attr_list", "md_in_html"]
    assert tail_apart_safe(safe, "[TOC]", "# Page\n")
    assert tail_apart_safe(["markdown.extensions.toc", "attr_list"], "[TOC]", "# Page\n")
    assert not tail_apart_safe([*safe, "abbr"], "[TOC]", "# Page\n")  # page-wide abbreviations
    assert not tail_apart_safe([*safe, "footnotes"], "[TOC]", "# Page\n")
    assert not tail_apart_safe([*safe, "pymdownx.snippets"], "[TOC]", "# Page\n")  # auto_append
    assert not tail_apart_safe([*safe, object()], "[TOC]", "# Page\n")  # an extension object: unknown
    assert not tail_apart_safe(["toc", "tables"], "[TOC]", "# Page\n")  # the ids need attr_list
    assert not tail_apart_safe(safe, "[TOC]", "# Page\n\n[TOC]\n")  # the contents list the tail too
    assert tail_apart_safe(safe, "", "# Page\n\n[TOC]\n")  # no marker configured


def test_text_a_page_types_like_a_placeholder_stays_text(endings_site):
    page = endings_site.pages[re.sub(r"\W+", "-", "all typed placeholders") + ".md"]
    text = transform_page(endings_site, page, body_of(endings_site, page.path))
    html = finish_html(endings_site, page, converter().convert(text))
    assert "lgqz0q <code>lgqz0q</code>" in html and "<p>lgqtailq</p>" in html


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
