"""Section anchors: every H2/H3 has an explicit id (or the strict build fails), retired ids keep
working through anchor aliases, and every section offers a working "Copy link" button."""

from __future__ import annotations

import os
import subprocess
import textwrap

import pytest
from lawguide.content.site import load_site
from lawguide.core.settings import Settings

from tests.fixtures import DEFAULT_PAGES, MKDOCS, REPO, build, make_site
from tests.linkcheck_server import serve

PAGE = textwrap.dedent(DEFAULT_PAGES["index.md"])
NO_IDS = """\
---
title: Help
summary: Where to get help.
reviewed: 2026-11-01
---
# Help

## What can I do if the council refuses?

Text.

### Who can help me {#who-can-help}

#### Small print without an id

### Getting advice

Text.
"""


def problems_of(root) -> list[str]:
    return [p.format() for p in load_site(Settings.from_mkdocs_yml(root / "mkdocs.yml")).problems]


def test_heading_without_explicit_id_is_a_problem_with_path_line_and_suggested_id(tmp_path):
    root = make_site(tmp_path, pages={"index.md": PAGE, "help.md": NO_IDS})
    assert problems_of(root) == [
        "docs/help.md:8: heading 'What can I do if the council refuses?' has no explicit id "
        "(add {#council-refuses} at the end of the heading; ids keep links working)",
        "docs/help.md:16: heading 'Getting advice' has no explicit id "
        "(add {#getting-advice} at the end of the heading; ids keep links working)",
    ]


@pytest.mark.slow
def test_strict_build_fails_on_headings_without_explicit_ids_naming_path_line_and_suggestion(tmp_path):
    root = make_site(tmp_path, pages={"index.md": PAGE, "help.md": NO_IDS})
    result = build(root)
    assert result.returncode == 1
    assert ("docs/help.md:8: heading 'What can I do if the council refuses?' has no explicit id "
            "(add {#council-refuses} at the end of the heading; ids keep links working)") in result.stderr
    assert "docs/help.md:16: heading 'Getting advice' has no explicit id (add {#getting-advice}" in result.stderr
    assert "Small print" not in result.stderr  # H4 and below may keep automatic ids
    fixed = NO_IDS.replace("refuses?\n", "refuses? {#council-refuses}\n").replace("advice\n", "advice {#getting-advice}\n")
    (root / "docs" / "help.md").write_text(fixed, encoding="utf-8")
    result = build(root)
    assert result.returncode == 0, result.stderr
    assert '<h2 id="council-refuses">' in (root / "site" / "help" / "index.html").read_text(encoding="utf-8")


@pytest.mark.slow
def test_redirects_plugin_banner_does_not_break_a_strict_build(tmp_path):
    """mkdocs-redirects prints a ProperDocs banner to stderr; it is not a log warning, so it must not count."""
    root = make_site(tmp_path, extra_config={"plugins": ["search", {"redirects": {"redirect_maps": {}}}]})
    env = {k: v for k, v in os.environ.items() if k not in ("DISABLE_MKDOCS_2_WARNING", "NO_MKDOCS_2_WARNING")}
    result = subprocess.run([*MKDOCS, "build", "--strict", "-f", str(root / "mkdocs.yml")],
                            capture_output=True, text=True, env=env, cwd=root)
    assert result.returncode == 0, result.stderr
    assert "DISABLE_MKDOCS_2_WARNING" in result.stderr  # the banner really was printed
    quiet = build(root)
    assert quiet.returncode == 0 and "DISABLE_MKDOCS_2_WARNING" not in quiet.stderr


# --- in the browser ------------------------------------------------------------------------

ALIASED = PAGE.replace("{#asking}", "{#asking-for-help}").replace(
    "reviewed: 2026-11-01\n", "reviewed: 2026-11-01\nanchor_aliases:\n  asking: asking-for-help\n")


@pytest.fixture(scope="module")
def browser_site(tmp_path_factory):
    root = make_site(tmp_path_factory.mktemp("anchors"), pages={"index.md": ALIASED},
                     extra_config={"extra_javascript": ["assets/javascripts/lawguide.js"],
                                   "extra_css": ["assets/stylesheets/lawguide.css"]})
    assets = root / "docs" / "assets"
    repo_assets = REPO / "docs" / "assets"
    for sub, name in (("javascripts", "lawguide.js"), ("stylesheets", "lawguide.css")):
        (assets / sub).mkdir(parents=True, exist_ok=True)
        (assets / sub / name).write_text((repo_assets / sub / name).read_text(encoding="utf-8"), encoding="utf-8")
    result = build(root)
    assert result.returncode == 0, result.stderr
    with serve(root / "site") as base:
        yield base


@pytest.fixture(scope="module")
def chromium(playwright_driver):
    if not os.path.exists("/usr/bin/chromium"):
        pytest.skip("no /usr/bin/chromium")
    browser = playwright_driver.chromium.launch(executable_path="/usr/bin/chromium",
                                                args=["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                                                      "--disable-component-update"])
    yield browser
    browser.close()


@pytest.fixture
def page(chromium, browser_site):
    """A phone-sized touch screen, 320 CSS pixels wide (WCAG 1.4.10 reflow)."""
    context = chromium.new_context(viewport={"width": 320, "height": 640}, has_touch=True)
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=browser_site.rstrip("/"))
    tab = context.new_page()
    tab.goto(browser_site)
    yield tab
    context.close()


@pytest.mark.browser
def test_every_section_heading_gets_one_named_copy_link_button(page):
    buttons = page.locator("button.lg-copy-link")
    headings = page.locator(".md-content h2[id], .md-content h3[id]")
    assert buttons.count() == headings.count() >= 2
    assert page.evaluate("document.querySelector('#asking-for-help').nextElementSibling.className") == "lg-copy-link"
    first = page.get_by_role("button", name="Copy link to section: Asking for help")
    assert first.count() == 1 and first.is_visible()
    # A compact icon button: the icon is hidden from screen readers, the name is spoken, not shown.
    assert first.locator("svg[aria-hidden='true']").count() == 1
    assert first.evaluate("el => Array.from(el.childNodes).every(n => n.nodeType !== 3 || !n.textContent.trim())")
    assert first.locator(".lg-copy-link__sr").evaluate("el => el.getBoundingClientRect().width") <= 1
    assert first.get_attribute("title") == "Copy link to this section"
    box = first.bounding_box()
    assert box["width"] >= 24 and box["height"] >= 24  # WCAG 2.5.8 target size
    # Beside the heading, on its first line, shown on a touch screen without any hover.
    heading = page.locator("#asking-for-help").bounding_box()
    assert heading["y"] <= box["y"] < heading["y"] + heading["height"]
    assert box["x"] >= heading["x"] + heading["width"] - 1
    assert first.evaluate("el => getComputedStyle(el).visibility === 'visible' && getComputedStyle(el).opacity === '1'")
    page.evaluate("window.document$ ? window.document$.next(document) : null")  # a second run adds nothing
    assert page.locator("button.lg-copy-link").count() == headings.count()


@pytest.mark.browser
def test_copy_link_by_keyboard_copies_full_url_and_announces_it(page, browser_site):
    button = page.get_by_role("button", name="Copy link to section: Parent carers")
    button.focus()
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    page.keyboard.press("Enter")
    page.wait_for_function("() => document.getElementById('lg-copy-link-status').textContent === 'Link copied'")
    assert page.evaluate("navigator.clipboard.readText()") == browser_site + "#parent-carers"
    assert page.get_by_role("status").inner_text() == "Link copied"
    assert outline not in ("none", "")


@pytest.mark.browser
def test_copy_link_by_touch(page, browser_site):
    page.get_by_role("button", name="Copy link to section: Asking for help").tap()
    page.wait_for_function("() => document.getElementById('lg-copy-link-status').textContent === 'Link copied'")
    assert page.evaluate("navigator.clipboard.readText()") == browser_site + "#asking-for-help"


@pytest.mark.browser
def test_copy_falls_back_to_exec_command_when_the_clipboard_api_refuses(page, browser_site):
    page.evaluate("() => { navigator.clipboard.writeText = () => Promise.reject(new Error('denied')); }")
    button = page.get_by_role("button", name="Copy link to section: Parent carers")
    button.click()
    page.wait_for_function("() => document.getElementById('lg-copy-link-status').textContent === 'Link copied'")
    assert page.evaluate("navigator.clipboard.readText()") == browser_site + "#parent-carers"
    assert page.evaluate("document.activeElement.dataset.lgAnchor") == "parent-carers"  # focus stays on the button


@pytest.mark.browser
def test_when_copying_fails_the_link_is_shown_selected(page, browser_site):
    page.evaluate("""() => {
        navigator.clipboard.writeText = () => Promise.reject(new Error('denied'));
        document.execCommand = () => false;
    }""")
    page.get_by_role("button", name="Copy link to section: Parent carers").click()
    box = page.get_by_role("textbox", name="Copy this link:")
    box.wait_for()
    assert box.input_value() == browser_site + "#parent-carers"
    assert box.evaluate("el => document.activeElement === el && el.readOnly "
                        "&& el.selectionStart === 0 && el.selectionEnd === el.value.length")


@pytest.mark.browser
def test_no_horizontal_scroll_at_320px_and_alias_anchor_is_invisible(page, browser_site):
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
    alias = page.locator("#asking")
    assert alias.evaluate("el => el.getBoundingClientRect().height") == 0
    assert alias.evaluate("el => el.textContent") == ""
    page.goto(browser_site + "#asking")
    top = page.evaluate("document.getElementById('asking-for-help').getBoundingClientRect().top")
    assert 0 <= top < 640, "an old link must land on the renamed section"


@pytest.fixture(scope="module")
def translated_site(tmp_path_factory):
    """The same page with a Polish and an Arabic version; Polish has the copy-link words, Arabic none."""
    from lawguide.content.translations import body_hash

    def version(code: str) -> str:
        return (f"---\ntitle: V\nreviewed: 2026-11-01\ntranslation:\n  of: index.md\n  source_hash: {body_hash(PAGE)}\n"
                f"  language: {code}\n  checked_by: null\n---\n# V {code}\n\n## Rodzice {{#parent-carers}}\n\n"
                "[[ca1989-s17]] [[ca1989-s17zd]]\n")

    root = make_site(tmp_path_factory.mktemp("anchors-pl"), pages={"index.md": PAGE, "pl/index.md": version("pl"),
                                                                   "ar/index.md": version("ar")},
                     extra_config={"extra_javascript": ["assets/javascripts/lawguide.js"], "not_in_nav": "/pl/\n/ar/\n"})
    (root / "glossary" / "ui-strings.yml").write_text(
        "languages:\n  en:\n    name: English\n  ar:\n    name: العربية\n  pl:\n    name: Polski\n"
        "    copy_link: Kopiuj link do tej sekcji\n    copy_link_to: \"Kopiuj link do sekcji:\"\n"
        "    link_copied: Link skopiowany\n", encoding="utf-8")
    (root / "docs" / "assets" / "javascripts").mkdir(parents=True, exist_ok=True)
    (root / "docs" / "assets" / "javascripts" / "lawguide.js").write_text(
        (REPO / "docs" / "assets" / "javascripts" / "lawguide.js").read_text(encoding="utf-8"), encoding="utf-8")
    result = build(root)
    assert result.returncode == 0, result.stderr
    with serve(root / "site") as base:
        yield base


@pytest.mark.browser
def test_the_copy_link_button_speaks_the_page_s_language_and_english_marked_english_where_it_has_none(
        chromium, translated_site):
    context = chromium.new_context(viewport={"width": 320, "height": 640})
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=translated_site.rstrip("/"))
    tab = context.new_page()
    tab.goto(translated_site + "pl/")
    button = tab.get_by_role("button", name="Kopiuj link do sekcji: Rodzice")
    assert button.get_attribute("title") == "Kopiuj link do tej sekcji"
    assert button.locator(".lg-copy-link__sr").get_attribute("lang") is None  # the page's own language
    button.click()
    tab.wait_for_function("() => document.getElementById('lg-copy-link-status').textContent === 'Link skopiowany'")
    assert tab.locator("#lg-copy-link-status").get_attribute("lang") is None
    tab.goto(translated_site + "ar/")
    button = tab.get_by_role("button", name="Copy link to section: Rodzice")
    assert button.get_attribute("title") == "Copy link to this section"
    assert button.locator(".lg-copy-link__sr").get_attribute("lang") == "en"  # English words on an Arabic page
    assert button.locator(".lg-copy-link__sr span").get_attribute("lang") == "ar"  # ... naming an Arabic heading
    button.click()
    tab.wait_for_function("() => document.getElementById('lg-copy-link-status').textContent === 'Link copied'")
    assert tab.locator("#lg-copy-link-status").get_attribute("lang") == "en"
    context.close()
