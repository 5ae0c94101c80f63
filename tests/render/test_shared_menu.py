"""The theme's menu is rendered once per folder for generated pages the menu does not hold (issue 31:
speed). A page must get the menu HTML it would get rendered alone, byte for byte."""

from __future__ import annotations

import importlib.util

import pytest
from lawguide.render.generate import shared_menu_folder
from mkdocs.commands.build import get_context
from mkdocs.config import load_config
from mkdocs.structure.files import File, InclusionLevel, get_files
from mkdocs.structure.nav import get_navigation

from tests.fixtures import REPO

MENU = {"", "help-now/", "law/", "finder/", "short-breaks/", "a/b/"}


def test_pages_of_one_folder_outside_the_menu_share_it():
    assert shared_menu_folder("law/ca1989-s17/", MENU) == shared_menu_folder("law/csdpa1970-s2/", MENU) == "law"
    assert shared_menu_folder("finder/flow/q1/", MENU) == "finder/flow"
    assert shared_menu_folder("law/x.html", MENU) == shared_menu_folder("law/y.html", MENU) == "law"


def test_pages_of_different_folders_do_not_share_it():
    assert shared_menu_folder("finder/one/q/", MENU) != shared_menu_folder("finder/two/q/", MENU)
    assert shared_menu_folder("law/x/", MENU) != shared_menu_folder("editors/", MENU)


def test_a_page_in_the_menu_or_above_a_menu_entry_gets_its_own():
    assert shared_menu_folder("help-now/", MENU) is None  # the menu marks it active
    assert shared_menu_folder("a/", MENU) is None  # a link from a/ to a/b/ is "b/", from c/ it is "../a/b/"
    assert shared_menu_folder("", MENU) is None


def _adapter():
    spec = importlib.util.spec_from_file_location("lawguide_hooks_menu_test", REPO / "hooks" / "lawguide_hooks.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


TITLES = {"law/a-1.md": "Children Act 1989, s.17", "law/b-2.md": "A &lt;b&gt; &amp; title", "finder/x/q1.md": "Q1",
          "finder/x/q2/index.md": "Q2"}  # law/index.md keeps the title MkDocs reads from its heading
GENERATED = ["law/a-1.md", "law/b-2.md", "law/index.md", "finder/x/q1.md", "finder/x/q2/index.md", "finder/y/q1.md",
             "editors.md", "short-breaks/more.md", "glossary.md"]


@pytest.fixture(scope="module")
def real_menu():
    """The real guide's config, files and menu, with generated pages beside its own."""
    config = load_config(str(REPO / "mkdocs.yml"))
    config.plugins.on_startup(command="build", dirty=False)  # as MkDocs starts a build
    files = get_files(config)
    for path in GENERATED:
        if files.get_file_from_path(path) is None:
            inclusion = InclusionLevel.INCLUDED if path in ("law/index.md", "glossary.md") else InclusionLevel.NOT_IN_NAV
            files.append(File.generated(config, path, content="# x\n", inclusion=inclusion))
    return config, files, get_navigation(files, config)


def _menus(config, files, nav, share: bool, partial: str = "partials/nav.html") -> tuple[dict[str, str], list[str]]:
    """Each page's menu (or header) HTML, rendered as Material's base.html includes it; and each time it
    was rendered."""
    env = config.theme.get_env()
    rendered: list[str] = []
    template = env.get_template(partial)
    plain = template.root_render_func

    def counting(context):
        page = context["page"]
        rendered.append(vars(page).get("_page", page).file.src_uri)  # the page, or the one a title hole stands for
        yield from plain(context)

    template.root_render_func = counting
    if share:
        adapter = _adapter()
        adapter._state["generated"] = set(GENERATED)
        adapter._share_menu(env)
    wrap = env.from_string('{% import "partials/language.html" as lang with context %}'
                           '{% set features = config.theme.features %}{% include "' + partial + '" %}')
    out = {}
    for f in files.documentation_pages():
        if f.src_uri in TITLES:
            f.page.meta["title"] = TITLES[f.src_uri]
        f.page.active = True  # as MkDocs marks the page it renders
        out[f.src_uri] = wrap.render(get_context(nav, files, config, f.page))
        f.page.active = False
    return out, rendered


def test_every_page_gets_the_menu_it_gets_alone(real_menu):
    shared, rendered = _menus(*real_menu, share=True)
    alone, _ = _menus(*real_menu, share=False)
    assert shared == alone
    assert shared["law/a-1.md"] == shared["law/b-2.md"]
    assert shared["law/index.md"] != shared["law/a-1.md"]  # the law index is in the menu: marked active
    # rendered once for law/, once for finder/x and once for finder/y, once for editors/ (top folder);
    # the law index, the glossary and every page written by hand each time
    generated_renders = [path for path in rendered if path in GENERATED]
    assert sorted(generated_renders) == ["editors.md", "finder/x/q1.md", "finder/y/q1.md", "glossary.md",
                                         "law/a-1.md", "law/index.md", "short-breaks/more.md"]
    assert len(rendered) - len(generated_renders) == len(alone) - len(GENERATED)


def test_every_page_gets_the_header_it_gets_alone_with_its_own_title(real_menu):
    shared, rendered = _menus(*real_menu, share=True, partial="partials/header.html")
    alone, _ = _menus(*real_menu, share=False, partial="partials/header.html")
    assert shared == alone
    assert "A &lt;b&gt; &amp; title" in shared["law/b-2.md"] and "Children Act 1989, s.17" in shared["law/a-1.md"]
    # once per folder, and once more with the title left as a hole; pages in the menu (the law index,
    # the glossary) and every page written by hand each time
    generated_renders = [path for path in rendered if path in GENERATED]
    assert sorted(generated_renders) == sorted(["editors.md", "finder/x/q1.md", "finder/y/q1.md", "law/a-1.md",
                                                "short-breaks/more.md"] * 2 + ["glossary.md", "law/index.md"])
    assert len(rendered) - len(generated_renders) == len(alone) - len(GENERATED)


class _File:
    def __init__(self, src_uri: str) -> None:
        self.src_uri = src_uri


class _FakePage:
    def __init__(self, src_uri: str, url: str, title: str) -> None:
        self.file, self.url, self.title, self.meta = _File(src_uri), url, title, {}


HEADERS = {
    "asks for more than the title": "<h>{{ page.title }} {{ page.file.src_uri }}</h>",
    "shows the title twice": "<h>{{ page.title }}|{{ page.title | upper }}</h>",
    "shows it through a filter": "<h>{{ page.title | striptags }}</h>",
}


@pytest.mark.parametrize("header", HEADERS.values(), ids=HEADERS.keys())
def test_a_header_that_is_not_its_title_in_one_place_is_rendered_each_time(header):
    import jinja2

    env = jinja2.Environment(loader=jinja2.DictLoader({"partials/nav.html": "<nav></nav>", "partials/header.html": header}))
    adapter = _adapter()
    adapter._state["generated"] = {"law/a.md", "law/b.md"}
    adapter._share_menu(env)
    nav = type("Nav", (), {"items": [], "homepage": None})()
    page = env.from_string('{% include "partials/header.html" %}')
    plain = jinja2.Environment(loader=env.loader).from_string('{% include "partials/header.html" %}')
    for src, title in (("law/a.md", "A &lt;i&gt;"), ("law/b.md", "B")):
        context = {"page": _FakePage(src, src[:-3] + "/", title), "nav": nav}
        assert page.render(context) == plain.render(context)
