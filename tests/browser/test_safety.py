"""Safety first (issue 30), in a real browser: the crisis link on every page, "Exit this page" on the
pages that opt in (first by keyboard, in view and uncovered on a 320 px phone, Back does not return),
the notes on letter and law pages, and the footer's helpline as a link to call."""

from __future__ import annotations

import html
import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pytest
from axe_playwright_python.sync_playwright import Axe

from .conftest import REPO, ServedSite, built_page_urls
from .test_every_page import AXE_OPTIONS, _describe

pytestmark = pytest.mark.browser

CRISIS = "/help-now/"
EXIT_URL = "https://www.bbc.co.uk/weather"
SMALL_PHONE = {"width": 320, "height": 640}
LETTER = "/letters/complaint/"


def exit_pages() -> list[str]:
    """Guide pages whose front matter opts into the quick exit (read from the sources, not the build)."""
    out = []
    for path in sorted((REPO / "docs").rglob("*.md")):
        text = path.read_text(encoding="utf-8")
        front = text.split("\n---", 1)[0] if text.startswith("---") else ""
        if re.search(r"^exit_this_page:\s*true\s*$", front, re.MULTILINE):
            rel = path.relative_to(REPO / "docs").as_posix()
            out.append("/" + (rel[: -len("index.md")] if rel.endswith("index.md") else rel[:-3] + "/"))
    return out


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.classes: dict[str, list[str]] = {}  # class -> hrefs of <a> with that class

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag != "a":
            return
        values = dict(attrs)
        for cls in (values.get("class") or "").split():
            self.classes.setdefault(cls, []).append(values.get("href") or "")


def _links(site: ServedSite, url: str) -> _Links:
    rel = url.lstrip("/")
    file = site.root / (rel + "index.html" if rel.endswith("/") or not rel else rel)
    parser = _Links()
    parser.feed(file.read_text(encoding="utf-8"))
    return parser


def test_the_crisis_page_and_the_exit_pages_exist() -> None:
    assert CRISIS in exit_pages() and "/safeguarding/" in exit_pages()


def crisis_page_for(url: str) -> str:
    """The crisis page a built page's link leads to: its language's own, once there is one (docs/<lang>/help-now.md)."""
    first = url.strip("/").split("/", 1)[0]
    return f"/{first}/help-now/" if first and (REPO / "docs" / first / "help-now.md").is_file() else CRISIS


def test_every_built_page_links_to_the_crisis_page(site: ServedSite) -> None:
    """Drawn by the theme, so every page has it, generated law pages and the 404 page included; a page in a
    language the crisis page is translated into links that translation."""
    missing, wrong = [], []
    for url in built_page_urls(site.root):
        if url.startswith("/editions/"):
            continue
        hrefs = _links(site, url).classes.get("lg-crisis__link", [])
        if url == crisis_page_for(url):
            assert not hrefs, f"{url} links to itself as the crisis page"
        elif not hrefs:
            missing.append(url)
        elif urlsplit(urljoin(site.base + url, hrefs[0])).path != crisis_page_for(url):
            wrong.append((url, hrefs[0]))
    assert not missing, f"{len(missing)} page(s) without the crisis link, e.g. {missing[:5]}"
    assert not wrong, f"crisis links that do not lead to {CRISIS}: {wrong[:5]}"


def test_the_exit_button_and_crisis_link_are_in_the_pages_language_where_it_has_the_words(site: ServedSite) -> None:
    """glossary/ui-strings.yml gives each language its words for the button and the link (render.translations)."""
    import yaml

    strings = yaml.safe_load((REPO / "glossary" / "ui-strings.yml").read_text(encoding="utf-8"))["languages"]
    checked = 0
    for url in exit_pages():
        words = strings.get(url.strip("/").split("/", 1)[0], {})
        if "exit_button" not in words:
            continue
        text = (site.root / url.lstrip("/") / "index.html").read_text(encoding="utf-8")
        assert f"{html.escape(words['exit_button'])}</a>" in text and "Exit this page</a>" not in text, url
        checked += 1
    for code, words in strings.items():
        if code != "en" and "crisis_link" in words and (REPO / "docs" / code / "help-now.md").is_file():
            text = (site.root / code / "index.html").read_text(encoding="utf-8")
            assert f'>{html.escape(words["crisis_link"])}</a></p>' in text, code
            checked += 1
    assert checked or not any("exit_button" in w for c, w in strings.items() if c != "en")


def test_footer_helpline_is_a_link_to_call_on_every_page(site: ServedSite) -> None:
    pages = [u for u in built_page_urls(site.root) if not u.startswith("/editions/")]
    without = [u for u in pages if 'href="tel:+448088083555"' not in
               (site.root / (u.lstrip("/") + "index.html" if u.endswith("/") else u.lstrip("/"))).read_text(encoding="utf-8")]
    assert not without, f"{len(without)} page(s) whose footer helpline number is not a tel: link, e.g. {without[:5]}"


@pytest.mark.parametrize("path", ["/", "/short-breaks/", "/law/ca1989-s17/", LETTER])
def test_crisis_link_is_in_the_first_screen_of_a_320px_phone(page, site: ServedSite, path: str) -> None:
    page.set_viewport_size(SMALL_PHONE)
    page.goto(site.url(path))
    link = page.locator("a.lg-crisis__link")
    assert link.is_visible()
    box = link.bounding_box()
    assert box and box["y"] >= 0 and box["y"] + box["height"] <= 200, f"{path}: crisis link at {box}"
    link.click()
    assert urlsplit(page.url).path == CRISIS


def test_crisis_page_does_not_link_to_itself_but_has_the_exit(page, site: ServedSite) -> None:
    page.goto(site.url(CRISIS))
    assert page.locator("a.lg-crisis__link").count() == 0
    assert page.locator("a.lg-exit__button").count() == 1


@pytest.mark.parametrize("path", exit_pages())
def test_exit_is_first_by_keyboard_and_stays_in_view_uncovered_at_320px(page, site: ServedSite, path: str) -> None:
    page.set_viewport_size(SMALL_PHONE)
    page.goto(site.url(path))
    page.keyboard.press("Tab")
    first = page.evaluate("() => document.activeElement && document.activeElement.className")
    assert "lg-exit__button" in first.split(), f"{path}: the first Tab reached {first!r}, not the exit button"
    page.keyboard.press("Tab")
    second = page.evaluate("() => document.activeElement && document.activeElement.className")
    assert "md-skip" in second.split(), f"{path}: the second Tab reached {second!r}, not the skip link"
    uncovered = """() => {
      const b = document.querySelector('.lg-exit__button'); const r = b.getBoundingClientRect();
      const hit = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);
      return {top: r.top, bottom: r.bottom, left: r.left, right: r.right, width: innerWidth,
              hit: !!hit && (hit === b || b.contains(hit))};
    }"""
    for where in ("top", "bottom"):
        if where == "bottom":
            page.evaluate("() => window.scrollTo(0, document.body.scrollHeight)")
            page.wait_for_timeout(100)
        state = page.evaluate(uncovered)
        assert state["hit"], f"{path} ({where} of the page): something covers the exit button: {state}"
        assert state["top"] >= 0 and state["bottom"] <= 640 and state["left"] >= 0 and state["right"] <= state["width"], \
            f"{path} ({where} of the page): the exit button is not fully on screen: {state}"
    # The header is not hidden under the exit bar.
    header_top = page.evaluate("() => document.querySelector('.md-header').getBoundingClientRect().top")
    exit_bottom = page.evaluate("() => document.querySelector('.lg-exit').getBoundingClientRect().bottom")
    assert header_top >= exit_bottom - 1


def _stub_exit(page) -> None:
    page.route(EXIT_URL + "*", lambda route: route.fulfill(body="<title>Weather</title><p>Weather</p>",
                                                          content_type="text/html"))


@pytest.mark.parametrize("how", ["click", "shift three times"])
def test_exit_leaves_and_back_does_not_return_to_the_page(page, site: ServedSite, how: str) -> None:
    _stub_exit(page)
    page.goto(site.url("/"))
    page.goto(site.url(CRISIS))
    with page.expect_navigation(url=EXIT_URL):
        if how == "click":
            page.locator("a.lg-exit__button").click()
        else:
            for _ in range(3):
                page.keyboard.press("Shift")
    page.go_back()
    assert urlsplit(page.url).path == "/", f"Back went to {page.url}, not the page before the crisis page"


def test_shift_counts_are_announced_and_shift_as_a_modifier_does_not_count(page, site: ServedSite) -> None:
    _stub_exit(page)
    page.goto(site.url(CRISIS))
    status = page.locator(".lg-exit__status")
    page.keyboard.press("Shift")
    assert status.text_content() == "Shift, press 2 more times to exit."
    page.keyboard.press("Shift+KeyA")  # typing a capital letter resets the count
    page.keyboard.press("Shift")
    page.keyboard.press("Shift")
    assert status.text_content() == "Shift, press 1 more time to exit."
    assert urlsplit(page.url).path == CRISIS


def spoken_exit_pages() -> list[tuple[str, str, str]]:
    """(exit page, its language's "press 2 more" and "press 1 more" sentences) for each language whose
    ui-strings give them, on the first exit page in that language."""
    import yaml

    strings = yaml.safe_load((REPO / "glossary" / "ui-strings.yml").read_text(encoding="utf-8"))["languages"]
    out, seen = [], set()
    for path in exit_pages():
        code = path.strip("/").split("/", 1)[0]
        words = strings.get(code, {}) if code != "easy-read" else {}
        if code not in seen and "exit_press_2" in words and "exit_press_1" in words:
            seen.add(code)
            out.append((path, words["exit_press_2"], words["exit_press_1"]))
    return out or [pytest.param("", "", "", marks=pytest.mark.skip(reason="no language gives the exit's spoken words yet"))]


@pytest.mark.parametrize(("path", "two", "one"), spoken_exit_pages())
def test_shift_counts_are_announced_in_the_page_s_language(page, site: ServedSite, path: str, two: str, one: str) -> None:
    _stub_exit(page)
    page.goto(site.url(path))
    status = page.locator(".lg-exit__status")
    page.keyboard.press("Shift")
    assert status.text_content() == two
    page.keyboard.press("Shift")
    assert status.text_content() == one
    assert urlsplit(page.url).path == path


def test_exit_blanks_the_page_before_it_leaves(page, site: ServedSite) -> None:
    """Read in the same task as the click, after the exit's own handler ran and before the browser
    leaves: nothing of the page may be visible but 'Loading.' (the exit page never answers here)."""
    page.route(EXIT_URL + "*", lambda route: None)
    page.goto(site.url(CRISIS))
    state = page.evaluate("""() => {
        document.querySelector('a.lg-exit__button').click();
        return {title: document.title, visible: Array.from(document.body.children)
          .filter(el => getComputedStyle(el).display !== 'none')
          .map(el => el.className + ':' + el.textContent.trim())};
    }""")
    assert state == {"title": "Loading.", "visible": ["lg-exit-overlay:Loading."]}


def test_without_javascript_exit_is_a_plain_link_to_a_neutral_page(browser, site: ServedSite) -> None:
    ctx = browser.new_context(java_script_enabled=False)
    try:
        tab = ctx.new_page()
        tab.goto(site.url(CRISIS))
        link = tab.locator("a.lg-exit__button")
        assert link.get_attribute("href") == EXIT_URL
        assert "noreferrer" in (link.get_attribute("rel") or "")
        assert link.is_visible()
    finally:
        ctx.close()


@pytest.mark.parametrize("path", [CRISIS, "/safeguarding/", LETTER])
def test_safety_pages_break_no_policy_and_pass_axe_on_a_phone(page, site: ServedSite, path: str) -> None:
    messages: list[str] = []
    page.on("console", lambda msg: messages.append(msg.text))
    page.set_viewport_size(SMALL_PHONE)
    page.goto(site.url(path))
    page.wait_for_load_state("load")
    assert page.locator('meta[http-equiv="Content-Security-Policy"]').count() == 1
    violations = Axe().run(page, options=AXE_OPTIONS).response["violations"]
    assert not violations, f"{path} at 320px: " + "\n".join(_describe(v) for v in violations)
    policy = [m for m in messages if "Content Security Policy" in m or "Content-Security-Policy" in m]
    assert not policy, f"{path}: the policy blocked something: {policy}"


def test_letter_pages_warn_about_checked_phones_and_say_not_in_england(site: ServedSite) -> None:
    letters = sorted(p.stem for p in (REPO / "docs" / "letters").glob("*.md") if p.stem != "index")
    assert letters
    for name in letters:
        classes = _links(site, f"/letters/{name}/")
        html = (site.root / "letters" / name / "index.html").read_text(encoding="utf-8")
        assert "lg-page-note--safety" in html and "If someone checks your phone" in html, name
        assert "lg-page-note--england" in html, name
        assert any(urlsplit(urljoin(site.base + f"/letters/{name}/", h)).path == "/outside-england/"
                   for h in sum(classes.classes.values(), []) + re.findall(r'href="([^"]*outside-england[^"]*)"', html)), name
    index = (site.root / "letters" / "index.html").read_text(encoding="utf-8")
    assert "lg-page-note--safety" not in index  # the list of letters is not a letter


def test_law_pages_say_not_in_england_and_guide_pages_do_not(site: ServedSite) -> None:
    law = (site.root / "law" / "ca1989-s17" / "index.html").read_text(encoding="utf-8")
    assert "lg-page-note--england" in law and "lg-page-note--safety" not in law
    guide = (site.root / "short-breaks" / "index.html").read_text(encoding="utf-8")
    assert "lg-page-note" not in guide


def test_screenshots_of_the_crisis_page_and_a_letter_page_at_360px(page, site: ServedSite, tmp_path: Path) -> None:
    """Kept for a person to look at (LAWGUIDE_SCREENSHOTS=folder); always checks the pages draw."""
    import os

    folder = Path(os.environ.get("LAWGUIDE_SCREENSHOTS") or tmp_path)
    page.set_viewport_size({"width": 360, "height": 740})
    for path, name in ((CRISIS, "help-now"), (LETTER, "letter")):
        page.goto(site.url(path))
        page.screenshot(path=str(folder / f"{name}-360.png"))
        assert (folder / f"{name}-360.png").stat().st_size > 1000


def test_the_help_box_is_in_the_page_s_language_and_links_its_own_crisis_page(site: ServedSite) -> None:
    """The help box at the foot of every translated page of the real guide, in its words (render.translations)."""
    import yaml

    strings = yaml.safe_load((REPO / "glossary" / "ui-strings.yml").read_text(encoding="utf-8"))["languages"]
    checked = 0
    for code, words in strings.items():
        if code == "en" or "not_advice" not in words or not (REPO / "docs" / code / "short-breaks.md").is_file():
            continue
        text = (site.root / code / "short-breaks" / "index.html").read_text(encoding="utf-8")
        box = re.search(r'<div class="lg-help">.*?</div>', text, re.S)
        assert box, f"/{code}/short-breaks/: no help box in its language"
        assert html.escape(words["not_advice"]) in box.group(0) and "not legal advice" not in box.group(0), code
        own = (REPO / "docs" / code / "help-now.md").is_file()
        assert ('href="../help-now/"' if own else 'href="../../help-now/" hreflang="en"') in box.group(0), code
        assert 'href="tel:+448088083555" dir="ltr"' in box.group(0), code
        checked += 1
    assert checked >= 4, checked  # pl, ro, ur, ar


@pytest.mark.parametrize("path", ["/ar/help-now/", "/ur/safeguarding/"])
def test_a_right_to_left_page_prints_each_address_whole_and_left_to_right(page, site: ServedSite, path: str) -> None:
    """Broken across lines in a right-to-left paragraph, a printed address's last letters and bracket began the
    next line ("k)"): each prints as one left-to-right box (lawguide.css @media print)."""
    page.set_viewport_size({"width": 360, "height": 800})
    page.goto(site.url(path))
    page.emulate_media(media="print")
    links = page.locator(".md-content a[href^='http']")
    assert links.count(), path
    for i in range(links.count()):
        style = links.nth(i).evaluate("el => { const s = getComputedStyle(el, '::after'); "
                                      "return [s.content, s.display, s.direction, s.unicodeBidi]; }")
        if style[0] in ("none", "normal", ""):
            continue  # a link that prints no address
        assert style[1:] == ["inline-block", "ltr", "isolate"], (path, i, style)
    # and an English phrase in brackets keeps its brackets the right way round (render.translations)
    assert page.locator("article bdi[dir='ltr'][lang='en']").count() > 0


CRISIS_PAGES = [CRISIS] + sorted(f"/{p.parent.name}/help-now/" for p in (REPO / "docs").glob("*/help-now.md"))


@pytest.mark.parametrize("path", CRISIS_PAGES)
def test_crisis_numbers_on_a_360px_phone_are_stacked_rows_of_body_text_with_44px_calls(
        page, site: ServedSite, path: str) -> None:
    """At 360 px the table of numbers had 12.8 px text, 15 px tall calls, a "For" column of 16 lines and
    (Polish) 8 px of sideways scroll: below 480 px each row is a block (lawguide.css), who / number / for."""
    page.set_viewport_size({"width": 360, "height": 740})
    page.goto(site.url(path))
    got = page.evaluate("""() => {
      const t = document.querySelector('.md-typeset table');
      const text = parseFloat(getComputedStyle(t.closest('.md-typeset').querySelector('p:not([class])')).fontSize);
      const rows = [...t.tBodies[0].rows].map(r => [...r.cells].map(c => {
        const b = c.getBoundingClientRect();
        return {top: b.top, bottom: b.bottom, width: b.width, size: parseFloat(getComputedStyle(c).fontSize)}; }));
      const calls = [...t.querySelectorAll('a[href^="tel:"]')].map(a => a.getBoundingClientRect());
      const wrap = t.closest('.md-typeset__scrollwrap') || t;
      return {text, rows, calls: calls.map(b => [b.width, b.height]), rowWidth: t.getBoundingClientRect().width,
              sideways: Math.max(wrap.scrollWidth - wrap.clientWidth, document.documentElement.scrollWidth - 360)};
    }""")
    assert len(got["rows"]) >= 5 and len(got["calls"]) == len(got["rows"]), (path, got)
    for cells in got["rows"]:
        assert [c["size"] for c in cells] == [got["text"]] * 3, (path, cells)  # body-size text
        assert all(b["top"] >= a["bottom"] - 1 for a, b in zip(cells, cells[1:], strict=False)), cells  # stacked
        assert all(c["width"] >= got["rowWidth"] - 1 for c in cells), (path, cells)  # each the row's width
    assert all(w >= 44 and h >= 44 for w, h in got["calls"]), (path, got["calls"])
    assert got["sideways"] <= 0, (path, got["sideways"])
    # Still a table to a screen reader: each value keeps its column header (the header row is hidden from sight only).
    tree = page.locator(".md-typeset table").aria_snapshot()
    assert tree.startswith("- table:") and tree.count("- columnheader ") == 3, (path, tree[:400])
    assert tree.count("- cell ") == 3 * len(got["rows"]), (path, tree[:400])


@pytest.mark.parametrize(("path", "width"), [(CRISIS, 1280), ("/ehc-plans/", 360)])
def test_other_tables_and_wide_screens_keep_the_columns(page, site: ServedSite, path: str, width: int) -> None:
    """The stacked rows are for the numbers on a phone only: a wide screen, or a table with no number to call,
    keeps its columns side by side."""
    page.set_viewport_size({"width": width, "height": 800})
    page.goto(site.url(path))
    cells = page.locator(".md-typeset table tbody tr").first.locator("td")
    tops = [round(cells.nth(i).bounding_box()["y"]) for i in range(cells.count())]
    assert cells.count() >= 2 and len(set(tops)) == 1, (path, tops)


# The visible lines a right-to-left page's citation takes: its text outside the screen-reader-only part.
CITATION_LINES_JS = """() => [...document.querySelectorAll('article bdi.lg-citation')].map(bdi => {
  const walker = document.createTreeWalker(bdi, NodeFilter.SHOW_TEXT);
  const tops = new Set(); let text = '';
  for (let node; (node = walker.nextNode());) {
    if (node.parentElement.closest('.lg-sr')) continue;
    text += node.data;
    const range = document.createRange(); range.selectNodeContents(node);
    for (const r of range.getClientRects()) if (r.width > 0) tops.add(Math.round(r.top));
  }
  // Brackets and the smaller link text sit a few pixels apart on one line: a new line is 10 px lower or more.
  const lines = [...tops].sort((a, b) => a - b).filter((top, i, all) => i === 0 || top - all[i - 1] >= 10);
  return [text, lines.length];
})"""


@pytest.mark.parametrize("path", ["/ar/safeguarding/", "/ur/safeguarding/"])
def test_a_short_english_citation_in_a_right_to_left_page_is_never_split_at_360px(
        page, site: ServedSite, path: str) -> None:
    """ "(Working" ended one line and "Together 2026)" began the next: a citation is one box (lawguide.css) that
    moves to the next line whole, and only one longer than a line wraps, inside itself, with no sideways scroll."""
    page.set_viewport_size({"width": 360, "height": 740})
    page.goto(site.url(path))
    cites = page.evaluate(CITATION_LINES_JS)
    assert len(cites) >= 5, (path, cites)
    split = [text for text, lines in cites if lines > 1 and len(text) <= 30]
    assert not split, f"{path}: short citations split over lines: {split}"
    assert page.evaluate("document.documentElement.scrollWidth") <= 360, path
