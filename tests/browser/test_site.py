"""The site as a whole, in a real browser: keyboard use, search, letter builders and print."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlsplit

import pytest
from axe_playwright_python.sync_playwright import Axe

from .conftest import REPO, RequestLog, ServedSite, url_for_source
from .test_every_page import AXE_OPTIONS, _describe

pytestmark = pytest.mark.browser

PHONE = {"width": 375, "height": 800}
GUIDE_PAGE = "/short-breaks/"

# What the element with focus is, where it is, and how its focus shows.
FOCUSED_JS = """() => {
  const el = document.activeElement;
  if (!el || el === document.body) return null;
  const s = getComputedStyle(el);
  const r = el.getBoundingClientRect();
  const name = el.tagName.toLowerCase() + (el.id ? '#' + el.id : '')
    + Array.from(el.classList).filter(c => c !== 'focus-visible').map(c => '.' + c).join('');
  return {name, text: (el.innerText || el.value || el.getAttribute('aria-label') || '').trim().slice(0, 40),
          tag: el.tagName.toLowerCase(), href: el.getAttribute('href'),
          outline: s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) > 0, shadow: s.boxShadow !== 'none',
          visible: s.visibility === 'visible' && r.width > 0 && r.height > 0 && r.right > 0 && r.bottom > 0
                   && r.left < innerWidth && r.top < innerHeight,
          box: [Math.round(r.left), Math.round(r.top), Math.round(r.width), Math.round(r.height)]};
}"""


def focused(page) -> dict | None:
    return page.evaluate(FOCUSED_JS)


def tab_until(page, predicate, limit: int, where: str) -> tuple[dict, list[dict]]:
    """Press Tab until predicate(focused element) holds; return it and every element passed on the way."""
    seen: list[dict] = []
    for _ in range(limit):
        page.keyboard.press("Tab")
        now = focused(page)
        if now is None:
            continue
        seen.append(now)
        if predicate(now):
            return now, seen
    pytest.fail(f"{where}: not reached after {limit} presses of Tab; focus went to: "
                f"{[f['name'] + ' ' + repr(f['text']) for f in seen]}", pytrace=False)


# ---------------------------------------------------------------- keyboard


@pytest.mark.parametrize("path", ["/", GUIDE_PAGE, "/law/", "/404.html"])
def test_first_tab_shows_a_skip_link_that_moves_to_the_content(page, site: ServedSite, path: str) -> None:
    page.goto(site.url(path))
    page.keyboard.press("Tab")
    first = focused(page)
    assert first and first["tag"] == "a" and first["text"].lower().startswith("skip"), (
        f"{path}: the first Tab should land on a 'Skip to content' link, not {first}")
    page.wait_for_function("() => getComputedStyle(document.activeElement).opacity === '1'", timeout=3000)
    first = focused(page)
    assert first["visible"], f"{path}: the skip link has focus but cannot be seen (box {first['box']})"
    target = first["href"].split("#", 1)[1]
    assert page.locator(f"[id='{target}']").count() == 1, f"{path}: the skip link points at #{target}, which is missing"
    page.keyboard.press("Enter")
    page.wait_for_function(f"() => location.hash === '#{target}'", timeout=3000)
    page.keyboard.press("Tab")
    after = focused(page)
    assert after and not page.evaluate(
        "() => !!document.activeElement.closest('.md-header, .md-sidebar--primary')"), (
        f"{path}: after the skip link, Tab should go on into the content, not back to {after}")


@pytest.mark.parametrize("width", [1280, 375])
def test_focus_is_visible_on_every_control_reached_by_tab(page, site: ServedSite, width: int) -> None:
    page.set_viewport_size({"width": width, "height": 800})
    page.goto(site.url("/letters/complaint/"))
    page.wait_for_selector("form.lg-letter-form")
    problems = []
    for _ in range(45):
        page.keyboard.press("Tab")
        now = focused(page)
        if now is None:
            continue
        if not (now["outline"] or now["shadow"]):
            problems.append(f"{now['name']} {now['text']!r}: no outline or box-shadow when focused")
        if not now["visible"]:
            problems.append(f"{now['name']} {now['text']!r}: has focus but is not visible (box {now['box']})")
    assert not problems, f"/letters/complaint/ at {width}px: focus cannot be seen:\n  " + "\n  ".join(problems)


def test_menu_opens_and_is_used_with_the_keyboard_on_a_phone(page, site: ServedSite) -> None:
    page.set_viewport_size(PHONE)
    page.goto(site.url(GUIDE_PAGE))
    button, passed = tab_until(page, lambda f: f["text"] == "Menu", 6, f"{GUIDE_PAGE} at 375px: the Menu button")
    assert button["tag"] == "button" and button["visible"], f"the Menu button should be a visible button: {button}"
    assert all(f["visible"] for f in passed), f"focus went to hidden things before the Menu button: {passed}"
    page.keyboard.press("Enter")
    assert page.evaluate("document.getElementById('__drawer').checked"), "Enter on Menu did not open the drawer"
    assert page.get_attribute("button[aria-label='Menu']", "aria-expanded") == "true"
    page.wait_for_function("() => !!document.activeElement.closest('.md-sidebar--primary')", timeout=3000)
    link, passed = tab_until(page, lambda f: f["text"] == "Direct payments", 30, "the drawer link 'Direct payments'")
    hidden = [f for f in passed if not f["visible"]]
    assert not hidden, f"in the open drawer, focus went to things that cannot be seen: {hidden}"
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.url == site.url("/direct-payments/"), f"Enter on 'Direct payments' led to {page.url}"


def test_escape_closes_the_menu_and_returns_focus_to_the_button(page, site: ServedSite) -> None:
    page.set_viewport_size(PHONE)
    page.goto(site.url(GUIDE_PAGE))
    tab_until(page, lambda f: f["text"] == "Menu", 6, f"{GUIDE_PAGE} at 375px: the Menu button")
    page.keyboard.press("Enter")
    page.wait_for_function("() => !!document.activeElement.closest('.md-sidebar--primary')", timeout=3000)
    page.keyboard.press("Escape")
    assert not page.evaluate("document.getElementById('__drawer').checked"), "Escape did not close the drawer"
    assert (focused(page) or {}).get("text") == "Menu", f"after Escape focus is on {focused(page)}, not the Menu button"
    # Closed again: its links must not take focus while off screen.
    _, passed = tab_until(page, lambda f: f["tag"] == "input", 4, "the search box after the Menu button")
    assert all(f["visible"] for f in passed), f"focus went to hidden things: {passed}"


def _search_results(page) -> list[dict]:
    page.wait_for_function(
        "() => document.querySelectorAll('.md-search-result__item').length > 0"
        " || /no matching/i.test(document.querySelector('.md-search-result__meta').textContent)", timeout=15000)
    return page.evaluate("""() => Array.from(document.querySelectorAll('.md-search-result__item')).slice(0, 5)
        .map(li => { const a = li.querySelector('a.md-search-result__link');
                     const h = li.querySelector('h1, h2');
                     return {path: new URL(a.href).pathname, title: h ? h.textContent.trim() : ''}; })""")


def test_search_opens_with_slash_and_a_result_is_chosen_with_the_keyboard(page, site: ServedSite) -> None:
    page.goto(site.url("/"))
    page.keyboard.press("/")
    page.wait_for_function("() => document.activeElement.classList.contains('md-search__input')", timeout=3000)
    page.keyboard.type("complain")
    results = _search_results(page)
    assert results, "'/' then typing 'complain' showed no results"
    page.keyboard.press("ArrowDown")
    chosen = page.evaluate("() => document.activeElement.closest('.md-search-result__item') ? "
                           "new URL(document.activeElement.href).pathname : null")
    assert chosen, f"ArrowDown from the search box did not move focus to a result (focus: {focused(page)})"
    assert focused(page)["outline"] or focused(page)["shadow"], "the chosen search result shows no focus"
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert urlsplit(page.url).path == chosen, f"Enter on the result {chosen} led to {page.url}"


def test_search_button_on_a_phone_opens_search_from_the_keyboard(page, site: ServedSite) -> None:
    page.set_viewport_size(PHONE)
    page.goto(site.url(GUIDE_PAGE))
    tab_until(page, lambda f: f["text"] == "Search" and f["tag"] == "button", 8, "the Search button at 375px")
    page.keyboard.press("Enter")
    page.wait_for_function("() => document.activeElement.classList.contains('md-search__input')", timeout=3000)
    assert page.evaluate("document.getElementById('__search').checked"), "the search panel did not open"
    page.keyboard.type("respite")
    assert _search_results(page), "typing 'respite' in the phone search showed no results"
    page.keyboard.press("Escape")
    assert not page.evaluate("document.getElementById('__search').checked"), "Escape did not close search"


# ---------------------------------------------------------------- search quality

PARENT_QUERIES = [
    ("respite", ["/short-breaks/"]),
    ("refused assessment", ["/assessments/refused-or-delayed/", "/letters/refusal-to-assess/"]),
    ("pay my mum as a carer", ["/direct-payments/"]),
    ("child protection", ["/safeguarding/"]),
    ("complain", ["/challenging-decisions/complaints/"]),
]


@pytest.mark.parametrize(("query", "wanted"), PARENT_QUERIES, ids=[q for q, _ in PARENT_QUERIES])
def test_parents_queries_find_the_right_page_in_the_first_five(page, site: ServedSite, query: str,
                                                               wanted: list[str]) -> None:
    page.goto(site.url("/"))
    page.fill(".md-search__input", "")
    page.focus(".md-search__input")
    page.keyboard.type(query)
    results = _search_results(page)
    paths = [r["path"] for r in results]
    assert any(p in wanted for p in paths), (
        f"search for {query!r}: none of {wanted} is in the first five results: "
        + "; ".join(f"{r['path']} ({r['title']})" for r in results))


# ---------------------------------------------------------------- letter builders


def letter_pages() -> list[str]:
    letters = sorted((REPO / "docs" / "letters").glob("*.md"))
    return [url_for_source(p.relative_to(REPO / "docs").as_posix())
            for p in letters if 'class="lg-letter"' in p.read_text(encoding="utf-8")]


LETTER_PAGES = letter_pages()
PRINT_STUB = """
window.__lgPrint = [];
window.print = function () {
  window.__lgPrint.push(document.body.classList.contains('lg-printing'));
};
"""


def test_there_are_letter_pages_to_check() -> None:
    assert len(LETTER_PAGES) >= 5, f"expected the model letters in docs/letters/, found {LETTER_PAGES}"


@pytest.mark.parametrize("path", LETTER_PAGES, ids=LETTER_PAGES)
def test_letter_builder_fills_copies_prints_and_downloads_without_the_network(
        page, site: ServedSite, request_log: RequestLog, path: str, tmp_path: Path) -> None:
    page.add_init_script(PRINT_STUB)
    page.goto(site.url(path))
    page.wait_for_selector("div.lg-letter[data-lg-ready='true']")
    page.wait_for_load_state("networkidle")
    mark = request_log.mark()

    fields = page.locator("form.lg-letter-form .lg-field [data-ph]")
    slugs = [fields.nth(i).get_attribute("data-ph") for i in range(fields.count())]
    assert slugs, f"{path}: the letter form has no fields (no [placeholders] found in div.lg-letter?)"
    values = {slug: f"Test {slug} value" for slug in slugs}
    for slug, value in values.items():
        page.fill(f"form.lg-letter-form [data-ph='{slug}']", value)
    shown = page.evaluate("""() => Array.from(document.querySelectorAll('.lg-letter span.lg-ph'))
        .map(s => [s.dataset.ph, s.textContent])""")
    wrong = [(slug, text) for slug, text in shown if text != values.get(slug)]
    assert shown and not wrong, f"{path}: after filling the form these placeholders show the wrong text: {wrong}"

    page.get_by_role("button", name="Copy letter").click()
    page.wait_for_function("() => /copied/i.test(document.querySelector('.lg-letter-status').textContent)",
                           timeout=5000)
    copied = page.evaluate("() => navigator.clipboard.readText()")
    missing = [v for v in values.values() if v not in copied]
    assert not missing, f"{path}: the copied letter lacks the filled-in values {missing}:\n{copied[:400]}"
    assert "[" not in copied, f"{path}: the copied letter still has [placeholders]:\n{copied[:400]}"

    page.get_by_role("button", name="Print letter").click()
    calls = page.evaluate("window.__lgPrint")
    assert calls == [True], f"{path}: Print letter should call window.print() once in print mode, got {calls}"
    page.emulate_media(media="print")
    for selector in (".md-header", ".md-sidebar--primary", ".md-footer", "form.lg-letter-form", "h1"):
        assert not page.locator(selector).first.is_visible(), f"{path}: printing the letter also prints {selector}"
    assert page.locator("div.lg-letter").first.is_visible(), f"{path}: printing the letter hides the letter"
    page.evaluate("() => window.dispatchEvent(new Event('afterprint'))")
    page.emulate_media(media="screen")
    assert page.locator("h1").first.is_visible(), f"{path}: after printing, the page did not come back"

    with page.expect_download() as download_info:
        page.get_by_role("button", name="Download as text file").click()
    download = download_info.value
    assert download.suggested_filename.endswith(".txt"), f"{path}: downloaded {download.suggested_filename}"
    saved = tmp_path / download.suggested_filename
    download.save_as(saved)
    text = saved.read_text(encoding="utf-8")
    missing = [v for v in values.values() if v not in text]
    assert not missing, f"{path}: the downloaded letter lacks the filled-in values {missing}"

    network = [u for u in request_log.since(mark) if not u.startswith(("data:", "blob:"))]
    assert not network, f"{path}: the letter builder made network requests: {network}"


# ---------------------------------------------------------------- print


@pytest.mark.parametrize("path", [GUIDE_PAGE, "/assessments/refused-or-delayed/"])
def test_printed_guide_page_has_no_navigation_but_keeps_the_legal_basis(page, site: ServedSite, path: str) -> None:
    page.goto(site.url(path))
    page.emulate_media(media="print")
    shown = [s for s in (".md-header", ".md-sidebar--primary", ".md-sidebar--secondary", ".md-footer", ".md-top")
             if page.locator(s).first.is_visible()]
    assert not shown, f"{path}: printing shows navigation: {shown}"
    assert page.locator("#legal-basis").is_visible(), f"{path}: the printed page lacks the Legal basis section"
    assert page.locator("h1").first.is_visible(), f"{path}: the printed page lacks its title"


ADVISER_PAGE = "/challenging-decisions/judicial-review/"  # has a "For advisers" box, links out and in

# What print would show of a link: its ::after text (lawguide.css @media print).
AFTER_JS = "el => getComputedStyle(el, '::after').content"


def test_printed_links_show_where_they_go_and_controls_are_hidden(page, site: ServedSite) -> None:
    page.goto(site.url(ADVISER_PAGE))
    page.wait_for_selector("button.lg-copy-link")
    page.emulate_media(media="print")
    # Links to other sites: their own address.
    official = page.locator("a.lg-official").first
    href = official.get_attribute("href")
    assert href.startswith("https://") and href in official.evaluate(AFTER_JS), \
        f"{ADVISER_PAGE}: a printed official link lacks its address"
    # Links within the guide: the published address (the test build sets site_url to the test server).
    law_link = page.locator("ul.lg-legal-basis li a:not(.lg-official)").first
    published = law_link.get_attribute("data-lg-print-href")
    assert published and published.startswith(site.base + "/law/"), f"{ADVISER_PAGE}: {published!r}"
    assert published in law_link.evaluate(AFTER_JS)
    in_text = page.locator(".md-content a[href^='../../letters/']").first
    assert in_text.get_attribute("data-lg-print-href").startswith(site.base + "/letters/")
    # Citations in the running text and links to the same page print without an address.
    for selector in ("p a.lg-cite", "p a.lg-term", "a.headerlink"):
        link = page.locator(f".md-content {selector}").first
        if link.count():
            assert link.evaluate(AFTER_JS) in ("none", "normal", ""), f"{selector} prints an address"
    # Buttons do nothing on paper; folded boxes print open, without their "Show ..." summaries.
    assert not page.locator("button.lg-copy-link").first.is_visible()
    assert not page.locator("details.lg-fold > summary").first.is_visible()
    assert page.locator("ul.lg-legal-basis").is_visible() and page.locator("ul.lg-words").is_visible()
    adviser = page.locator("details.adviser").first
    assert adviser.evaluate("el => el.open") and adviser.locator("p").first.is_visible()
    page.emulate_media(media="screen")  # Material closes them again after printing
    # ...in a media-change handler: under load it can run after emulate_media returns, so wait for it (5 s at most)
    page.wait_for_function("() => !document.querySelector('details.adviser').open", timeout=5000)
    assert not adviser.evaluate("el => el.open")


def test_page_links_print_without_addresses_when_site_url_is_not_set(page, site: ServedSite) -> None:
    page.goto(site.url(ADVISER_PAGE))
    page.evaluate("""() => { document.querySelector('link[rel=canonical]').remove();
        document.querySelectorAll('[data-lg-print-href]').forEach(a => a.removeAttribute('data-lg-print-href'));
        window.document$.next(document); }""")
    assert page.locator("ul.lg-legal-basis li a:not(.lg-official)").first.get_attribute("data-lg-print-href") is None
    assert page.locator("a.lg-official").first.get_attribute("data-lg-print-href").startswith("https://")


@pytest.mark.parametrize("path", LETTER_PAGES, ids=LETTER_PAGES)
def test_letter_page_prints_the_advice_then_the_letter_on_its_own_page(page, site: ServedSite, path: str) -> None:
    page.add_init_script(PRINT_STUB)
    page.goto(site.url(path))
    page.wait_for_selector("div.lg-letter[data-lg-ready='true']")
    page.get_by_role("button", name="Print this page with its letter").click()
    assert page.evaluate("window.__lgPrint") == [False], f"{path}: the pack should print once, as the whole page"
    page.emulate_media(media="print")
    letter = page.locator("div.lg-letter").first
    assert letter.is_visible() and page.locator("h1").first.is_visible()
    assert letter.evaluate("el => getComputedStyle(el).breakBefore") == "page", f"{path}: letter not on a new page"
    hidden = [s for s in ("form.lg-letter-form", "#letter-builder", "#the-letter", "#legal-basis", ".lg-help",
                          "button") if page.locator(s).first.is_visible()]
    assert not hidden, f"{path}: the printed pack shows {hidden}"
    page.evaluate("() => window.dispatchEvent(new Event('afterprint'))")
    page.emulate_media(media="screen")
    assert page.locator("#legal-basis").is_visible(), f"{path}: after printing, the page did not come back"


def test_letter_pack_as_pdf_has_the_letter_alone_on_its_last_pages(page, site: ServedSite, tmp_path: Path) -> None:
    path = "/letters/ask-for-assessment/"
    page.add_init_script(PRINT_STUB)
    page.goto(site.url(path))
    page.wait_for_selector("div.lg-letter[data-lg-ready='true']")
    page.get_by_role("button", name="Print this page with its letter").click()
    pdf = tmp_path / "pack.pdf"
    page.pdf(path=str(pdf), format="A4")
    pages = pdf_pages_text(pdf)
    if pages is None:
        pytest.skip("pdftotext (poppler-utils) is not installed")
    first_letter_page = next(i for i, text in enumerate(pages) if "[Your address]" in text)
    assert first_letter_page >= 1, "the letter shares a page with the advice"
    assert "When to use this letter" in "".join(pages[:first_letter_page])
    letter_text = "".join(pages[first_letter_page:])
    for advice in ("When to use this letter", "Fill in your letter", "Legal basis", "Copy link"):
        assert advice not in letter_text, f"the letter's pages also print {advice!r}"


def pdf_page_count(pdf: Path) -> int:
    """Pages in a PDF Chromium wrote: its page objects (/Type /Page, not the /Pages tree), no poppler needed."""
    import re

    return len(re.findall(rb"/Type\s*/Page(?![A-Za-z])", pdf.read_bytes()))


@pytest.mark.parametrize("path", LETTER_PAGES, ids=LETTER_PAGES)
def test_print_letter_fits_one_a4_sheet_with_25mm_margins(page, site: ServedSite, path: str, tmp_path: Path) -> None:
    """ "Print letter" printed "Copy to: ..." alone on a second sheet (refusal-to-assess: 965 px of letter on
    934 px of page): the letter prints in 11pt (letters.css), and every model letter fits one sheet."""
    page.add_init_script(PRINT_STUB)
    page.goto(site.url(path))
    page.wait_for_selector("div.lg-letter[data-lg-ready='true']")
    page.get_by_role("button", name="Print letter").click()
    pdf = tmp_path / "letter.pdf"
    page.pdf(path=str(pdf), format="A4", margin={side: "25mm" for side in ("top", "right", "bottom", "left")})
    assert pdf_page_count(pdf) == 1, f"{path}: the printed letter takes {pdf_page_count(pdf)} sheets of A4"
    whole = tmp_path / "whole.pdf"
    page.evaluate("() => window.dispatchEvent(new Event('afterprint'))")
    page.pdf(path=str(whole), format="A4")
    assert pdf_page_count(whole) > 1, f"{path}: after printing, the whole page should print again"  # counter is real


@pytest.mark.parametrize("path", [GUIDE_PAGE, "/ar/safeguarding/"])
def test_the_language_switcher_is_on_screen_but_not_on_paper(page, site: ServedSite, path: str) -> None:
    page.goto(site.url(path))
    switcher = page.locator("nav.lg-versions")
    assert switcher.count() == 1 and switcher.is_visible(), f"{path}: no language switcher on screen"
    page.emulate_media(media="print")
    assert not switcher.is_visible(), f"{path}: the printed page shows 'This page in: ...'"
    assert page.locator("h1").first.is_visible()


def pdf_pages_text(pdf: Path) -> list[str] | None:
    """The text of each page of a PDF (poppler's pdftotext), or None where it is not installed."""
    import shutil
    import subprocess

    if not shutil.which("pdftotext"):
        return None
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    return text.split("\f")[:-1] if text.endswith("\f") else text.split("\f")


# ---------------------------------------------------------------- phones: axe on states only reached there


@pytest.mark.parametrize("path", ["/", GUIDE_PAGE, "/letters/complaint/", "/glossary/"])
def test_phone_layout_with_menu_and_search_open_passes_axe(page, site: ServedSite, path: str) -> None:
    page.set_viewport_size(PHONE)
    page.goto(site.url(path))
    axe = Axe()
    reports = []
    for state in ("closed", "menu open", "search open"):
        if state == "menu open":
            page.click("button[aria-label='Menu']")
            page.wait_for_timeout(300)
        if state == "search open":
            page.keyboard.press("Escape")
            page.click("button[aria-label='Search']")
            page.keyboard.type("short breaks")
            _search_results(page)
        violations = axe.run(page, options=AXE_OPTIONS).response["violations"]
        reports += [f"[{state}]\n{_describe(v)}" for v in violations]
    assert not reports, f"{path} at 375px: axe-core violations:\n" + "\n".join(reports)


def test_desktop_search_results_pass_axe(page, site: ServedSite) -> None:
    page.goto(site.url(GUIDE_PAGE))
    page.focus(".md-search__input")
    page.keyboard.type("direct payments")
    _search_results(page)
    violations = Axe().run(page, options=AXE_OPTIONS).response["violations"]
    assert not violations, f"{GUIDE_PAGE} with search results open: axe-core violations:\n" + "\n".join(
        _describe(v) for v in violations)


def test_a_long_page_opens_with_what_to_do_next_on_a_phone_only(page, site: ServedSite) -> None:
    """Issue 23: "What to do next" sat 5 to 13 phone screens down; on a phone it is now in the first screen."""
    page.set_viewport_size(PHONE)
    page.goto(site.url("/direct-payments/"))
    jump = page.locator(".lg-on-this-page__next a")
    box = jump.bounding_box()
    assert box and box["y"] + box["height"] < PHONE["height"], f"'What to do next' is not in the first screen: {box}"
    jump.click()
    page.wait_for_function("() => location.hash === '#next-steps'", timeout=3000)
    heading = page.locator("#next-steps").bounding_box()
    assert heading and 0 <= heading["y"] < PHONE["height"], f"the section is not in view after the jump: {heading}"
    page.set_viewport_size({"width": 1280, "height": 800})  # the table of contents shows beside the page
    assert not page.locator(".lg-on-this-page").is_visible()


@pytest.mark.parametrize("path", ["/", "/short-breaks/", "/pl/short-breaks/", "/ar/", "/law/ca1989-s17/"])
def test_a_page_view_asks_for_nothing_the_site_does_not_have(page, site: ServedSite, path: str) -> None:
    """Every request a page makes while it loads and settles is answered (no 404). A parent on a metered phone
    paid for each miss: Material's script fetched a sitemap.xml beside every <link rel="alternate"> (the
    hreflang links of a translated page, the feed link), and a host answers each with its whole 404 page."""
    missed: list[str] = []
    page.on("response", lambda response: missed.append(f"{response.status} {response.url}") if response.status >= 400 else None)
    page.goto(site.url(path), wait_until="networkidle")
    page.wait_for_timeout(300)
    assert not missed, f"{path}: requests the site could not answer: {missed}"


@pytest.mark.parametrize("path", ["/ar/safeguarding/", "/ur/help-now/", GUIDE_PAGE])
def test_the_english_site_name_in_the_header_is_cut_at_its_end_on_a_360px_phone(
        page, site: ServedSite, path: str) -> None:
    """On an Arabic page the header showed "...'s social care in England": laid out right to left, the English
    name lost its start. It is marked English and left to right (render/translations.py _SITE_NAME; an English
    page's <html lang="en"> says it already)."""
    page.set_viewport_size({"width": 360, "height": 740})
    page.goto(site.url(path))
    got = page.locator(".md-header__topic:not([data-md-component]) .md-ellipsis").evaluate("""el => {
      const text = [...el.childNodes].find(n => n.nodeType === 3 && n.data.trim());
      const start = text.data.search(/\\S/);
      const range = document.createRange(); range.setStart(text, start); range.setEnd(text, start + 1);
      const first = range.getBoundingClientRect(), box = el.getBoundingClientRect();
      return {lang: el.closest("[lang]").lang, dir: getComputedStyle(el).direction, cut: el.scrollWidth > el.clientWidth,
              firstLetterIn: first.left >= box.left - 1 && first.right <= box.right + 1};
    }""")
    assert got == {"lang": "en", "dir": "ltr", "cut": True, "firstLetterIn": True}, (path, got)
