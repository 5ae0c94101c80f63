"""Translations and Easy Read end to end: a fixture guide with an Easy Read version, a Polish and an
Arabic translation, built by each engine: lang/dir/hreflang, the switcher, notices; a translation
whose citations differ from its English page stops the build at its line, and an English edit marks
its versions stale on the built pages."""

from __future__ import annotations

import re
import textwrap
from pathlib import Path

import pytest
from lawguide.content.translations import body_hash

from tests.fixtures import DEFAULT_PAGES, DEFAULT_REFS, ENGINES, REPO, build, lawguide, make_site

STRINGS = """\
languages:
  en:
    name: English
  pl:
    name: Polski
    stale: Strona angielska zmieniła się od czasu powstania tej strony.
    stale_link: Przeczytaj aktualną stronę angielską
    help_danger: "Niebezpieczeństwo? {link}."
    help_danger_link: Do kogo zadzwonić dziś w nocy
    help_talk: "Infolinia Contact: {phone}."
    help_more: "{link} (EN)."
    help_more_link: Gdzie szukać pomocy
    not_advice: Ten przewodnik nie jest poradą prawną i dotyczy tylko Anglii.
    editions_note: Ta strona w wersji z wcześniejszej daty
    reviewed: "Stan prawny na {date}"
    months: stycznia lutego marca kwietnia maja czerwca lipca sierpnia września października listopada grudnia
    on_this_page: Na tej stronie
    permalink: Link do tej sekcji
    words_heading: Słowa użyte na tej stronie
    words_show: "Pokaż objaśnienia słów ({count}, po angielsku)"
    legal_basis: Podstawa prawna
    legal_basis_show: "Pokaż przepisy ({count}, po angielsku)"
    legal_basis_intro: Każdy link otwiera naszą stronę o danym przepisie (EN).
    copy_link: Kopiuj link do tej sekcji
    action.skip: Przejdź do treści
    top: Powrót do góry
    toc: Spis treści
    search: Szukaj
    search.placeholder: Szukaj
    search.result.placeholder: Zacznij pisać, aby szukać
    law_change: "Pojawiły się informacje, które mogą dotyczyć tej strony <b>."
  ar:
    reviewed: "رُوجعت في {date}"
    name: العربية
"""
# The guide's own theme (theme/: the crisis link, the help box at the foot of every page, the editions link)
NAV = {"nav": [{"Home": "index.md"}, {"Help now": "help-now.md"}, {"Easy Read": ["easy-read/index.md"]}],
       "not_in_nav": "/pl/\n/ar/\n", "site_url": "https://guide.example/",
       "theme": {"name": "material", "font": False, "custom_dir": str(REPO / "theme")}}
CRISIS = "---\ntitle: Help now\nreviewed: 2026-11-01\nexit_this_page: true\n---\n# Help now\n\nCall 999.\n"
SITE = "https://guide.example/"


def version(language: str, variant: str = "", body: str = "[[ca1989-s17]] [[ca1989-s17zd]]") -> str:
    variant_line = f"  variant: {variant}\n" if variant else ""
    current = body_hash(textwrap.dedent(DEFAULT_PAGES["index.md"]))
    return (f"---\ntitle: V {language}\nreviewed: 2026-11-01\ntranslation:\n  of: index.md\n  source_hash: {current}\n"
            f"  language: {language}\n{variant_line}  checked_by: null\n---\n# V {language}\n\n{body}\n")


def guide(root: Path, refs: list[dict] | None = None, **changes: str) -> Path:
    polish_crisis = (f"---\ntitle: Pomoc\nreviewed: 2026-11-01\nexit_this_page: true\ntranslation:\n  of: help-now.md\n"
                     f"  source_hash: {body_hash(CRISIS.split('---', 2)[2].lstrip(chr(10)))}\n  language: pl\n"
                     "  checked_by: null\n---\n# Pomoc\n\nZadzwoń pod 999.\n")
    pages = {**DEFAULT_PAGES, "easy-read/index.md": version("en", "easy-read", "Help [[ca1989-s17]]."),
             "pl/index.md": version("pl"), "ar/index.md": version("ar"), "help-now.md": CRISIS,
             "pl/help-now.md": polish_crisis, **changes}
    make_site(root, pages, refs=refs, extra_config=NAV)
    (root / "glossary" / "ui-strings.yml").write_text(STRINGS, encoding="utf-8")
    return root


@pytest.fixture(scope="module", params=ENGINES)
def built(tmp_path_factory, request) -> Path:
    root = guide(tmp_path_factory.mktemp("versions"))
    result = build(root, engine=request.param)
    assert result.returncode == 0, result.stderr
    return root / "site"


def alternates_in_sitemap(built: Path) -> dict[str, list[tuple[str, str]]]:
    """<loc> -> its (hreflang, href) alternates, from sitemap.xml parsed as XML, and the same from the gzip copy."""
    import gzip
    import xml.etree.ElementTree as ET

    text = (built / "sitemap.xml").read_bytes()
    gz = built / "sitemap.xml.gz"  # MkDocs writes one; Zensical 0.0.73 does not
    assert not gz.exists() or gzip.decompress(gz.read_bytes()) == text
    ns = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9", "x": "http://www.w3.org/1999/xhtml"}
    return {url.findtext("s:loc", namespaces=ns): [(link.get("hreflang"), link.get("href"))
                                                  for link in url.findall("x:link", ns)]
            for url in ET.fromstring(text).findall("s:url", ns)}


def tag(html: str, name: str) -> str:
    return re.search(rf"<{name}\b[^>]*>", html).group(0)


def test_easy_read_page_is_english_left_to_right_with_the_language_alternates(built: Path) -> None:
    html = (built / "easy-read" / "index.html").read_text(encoding="utf-8")
    assert 'lang="en"' in tag(html, "html") and 'dir="ltr"' in tag(html, "html")
    assert 'dir="ltr"' in tag(html, "body")
    assert 'rel="alternate" hreflang' not in html  # in the sitemap instead (Material fetched beside each)
    assert alternates_in_sitemap(built)[SITE + "easy-read/"] == [
        ("x-default", SITE), ("en", SITE), ("ar", SITE + "ar/"), ("pl", SITE + "pl/")]
    assert '<span aria-current="page" lang="en" dir="ltr">Easy Read</span>' in html
    assert '<a href="../" hreflang="en" lang="en" dir="ltr">English</a>' in html  # back to the full page


def test_arabic_page_is_right_to_left_and_every_page_lists_the_same_alternates(built: Path) -> None:
    arabic = (built / "ar" / "index.html").read_text(encoding="utf-8")
    assert 'lang="ar"' in tag(arabic, "html") and 'dir="rtl"' in tag(arabic, "html") and 'dir="rtl"' in tag(arabic, "body")
    polish = (built / "pl" / "index.html").read_text(encoding="utf-8")
    assert 'lang="pl"' in tag(polish, "html") and 'dir="ltr"' in tag(polish, "html")
    english = (built / "index.html").read_text(encoding="utf-8")
    listed = alternates_in_sitemap(built)
    assert listed[SITE] == listed[SITE + "ar/"] == listed[SITE + "pl/"] == listed[SITE + "easy-read/"]
    assert {code for code, _ in listed[SITE]} == {"x-default", "en", "ar", "pl"}
    assert not any('rel="alternate" hreflang' in html for html in (arabic, polish, english))
    assert '<a href="easy-read/" lang="en" dir="ltr">Easy Read</a>' in english
    assert 'lg-version-unchecked' in polish and "lg-version-stale" not in polish


def test_a_translation_citing_other_law_stops_the_build_at_its_line(tmp_path: Path) -> None:
    root = guide(tmp_path, **{"pl/index.md": version("pl", body="Tylko [[ca1989-s17]].")})
    result = build(root)
    assert result.returncode != 0 and not (root / "site").exists()
    assert "docs/pl/index.md:4: does not cite 'ca1989-s17zd', which docs/index.md cites" in result.stderr
    check = lawguide(root, "check")
    assert check.returncode == 1 and "docs/pl/index.md:4: does not cite 'ca1989-s17zd'" in check.stdout + check.stderr


def test_changing_the_english_page_marks_its_versions_stale_for_readers_and_editors(tmp_path: Path) -> None:
    root = guide(tmp_path)
    english = root / "docs" / "index.md"
    english.write_text(english.read_text(encoding="utf-8").replace("must help", "has a duty to help"), encoding="utf-8")
    result = build(root)
    assert result.returncode == 0, result.stderr
    polish = (root / "site" / "pl" / "index.html").read_text(encoding="utf-8")
    assert ("Strona angielska zmieniła się od czasu powstania tej strony. "
            '<a href="../" hreflang="en" lang="en" dir="ltr">Przeczytaj aktualną stronę angielską</a>') in polish
    arabic = (root / "site" / "ar" / "index.html").read_text(encoding="utf-8")
    assert '<span lang="en" dir="ltr">The full English page has changed since this page was made.' in arabic
    review = lawguide(root, "review")
    assert [line.split()[1] for line in review.stdout.splitlines() if line.startswith("STALE")] == [
        "docs/ar/index.md", "docs/easy-read/index.md", "docs/pl/index.md"]
    report = (root / "site" / "editors" / "review.json").read_text(encoding="utf-8")
    assert '"page": "pl/index.md"' in report and '"stale_versions"' in report


def test_the_switcher_and_notices_stay_out_of_search_but_the_versions_text_is_found(built: Path) -> None:
    found = built / "search" / "search_index.json"
    if not found.exists():
        pytest.skip("this engine writes no Material search index (Zensical's search is its own)")
    # One index per language (render/search.py): the Polish version is in search_index.pl.json.
    index = "".join(p.read_text(encoding="utf-8") for p in sorted(found.parent.glob("search_index*.json")))
    assert "This page in" not in index and "Polski" not in index
    assert "V pl" in index  # each version is a page search finds
    assert "V pl" not in found.read_text(encoding="utf-8")  # ... from a Polish page, not in the English index


def test_english_parts_of_a_translated_page_are_marked_english(built: Path) -> None:
    arabic = (built / "ar" / "index.html").read_text(encoding="utf-8")
    if '<div class="md-sidebar md-sidebar--primary"' not in arabic and "md-sidebar--primary" not in arabic:
        pytest.skip("this engine's theme has no Material menu")
    assert '<p lang="en" dir="ltr" class="lg-reviewed">' in arabic
    assert re.search(r'<h2 lang="en" dir="ltr" (data-search-exclude )?id="legal-basis">', arabic)
    english = (built / "index.html").read_text(encoding="utf-8")
    assert 'lang="en" dir="ltr" class="lg-reviewed"' not in english  # English pages are English throughout
    easy = (built / "easy-read" / "index.html").read_text(encoding="utf-8")
    assert 'lang="en" dir="ltr" class="lg-reviewed"' not in easy


def words(html: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", html).replace("&#x27;", "'").split()).replace(" .", ".")


def help_box(html: str) -> str:
    return re.search(r'<div class="lg-help"[^>]*>.*?</div>', html, re.S).group(0)


def test_a_translated_page_has_the_help_box_in_its_language_linking_its_own_crisis_page(built: Path) -> None:
    polish = (built / "pl" / "index.html").read_text(encoding="utf-8")
    box = help_box(polish)
    assert box.startswith('<div class="lg-help">')  # the page's own lang and dir, from <html> and <body>
    assert '<p>Niebezpieczeństwo? <a href="help-now/">Do kogo zadzwonić dziś w nocy</a>.' in box
    assert 'Infolinia Contact: <a href="tel:+448088083555" dir="ltr">0808 808 3555</a>.' in box
    assert '<a href="../get-help/" hreflang="en">Gdzie szukać pomocy</a> (EN).' in box
    assert "Ten przewodnik nie jest poradą prawną i dotyczy tylko Anglii.</p>" in box
    assert "In danger now" not in polish and ' lang="en"' not in box
    assert ('<p class="lg-editions-note"><a class="lg-editions-link" href="../editions/?page=pl/">'
            'Ta strona w wersji z wcześniejszej daty</a></p>') in polish
    assert '<p class="lg-reviewed">Stan prawny na <time datetime="2026-11-01">1 listopada 2026</time></p>' in polish
    # On its own crisis page, the link points at the page itself, as the English box does on the English one.
    assert '<a href="./">Do kogo zadzwonić dziś w nocy</a>' in (built / "pl" / "help-now" / "index.html").read_text(encoding="utf-8")


def test_a_language_without_help_strings_shows_the_box_in_english_marked_english_on_its_right_to_left_page(
        built: Path) -> None:
    arabic = (built / "ar" / "index.html").read_text(encoding="utf-8")
    assert 'dir="rtl"' in tag(arabic, "body")
    box = help_box(arabic)
    assert box.startswith('<div class="lg-help">')
    # Arabic has no crisis page: the English one, said to be English
    assert ('<span lang="en" dir="ltr">In danger now? <a href="../help-now/" hreflang="en">Who to call tonight</a>.'
            '</span>') in box
    assert ('<span lang="en" dir="ltr">Need to talk to someone? Contact&#x27;s free helpline for families with disabled '
            'children is <a href="tel:+448088083555" dir="ltr">0808 808 3555</a>.</span>') in box
    assert '<span lang="en" dir="ltr">This guide is not legal advice and covers England only.</span>' in box
    assert '<span lang="en" dir="ltr">See this page as it was on an earlier date</span>' in arabic
    # a date line whose language has the sentence but not the month names stays English, marked as English
    assert '<p lang="en" dir="ltr" class="lg-reviewed">Checked against the law as it stood on <time' in arabic
    assert not re.search(r'<[^>]*\slang="[^"]*"[^>]*\slang=', arabic)  # no tag marked twice
    # The English words are the theme's own (theme/partials/lg-help.html), word for word.
    english = help_box((built / "index.html").read_text(encoding="utf-8"))
    assert words(box) == words(english) and "Who to call tonight" in words(box)


def test_english_and_easy_read_pages_keep_the_theme_s_english_help_box(built: Path) -> None:
    theme = (REPO / "theme" / "partials" / "lg-help.html").read_text(encoding="utf-8")
    for page in ("index.html", "easy-read/index.html", "help-now/index.html"):
        html = (built / page).read_text(encoding="utf-8")
        box = help_box(html)
        assert box.startswith('<div class="lg-help" lang="en" dir="ltr">') and "Who to call tonight" in box
        assert words(box) == words(re.sub(r"\{#.*?#\}|\{\{[^}]*\}\}", "", theme, flags=re.S))
        assert '<p class="lg-editions-note" lang="en" dir="ltr">' in html and "Polski" not in box


def test_a_translated_page_has_material_s_labels_and_its_page_end_lists_in_its_language(built: Path) -> None:
    polish = (built / "pl" / "index.html").read_text(encoding="utf-8")
    assert tag(polish, "html").count('lang="pl"') == 1
    assert re.search(r'class="md-skip">\s*Przejdź do treści\s*</a>', polish)
    assert re.search(r'aria-label="Szukaj" placeholder="Szukaj"', polish)
    assert '"search.result.placeholder": "Zacznij pisać, aby szukać"' in polish  # what Material's script shows
    assert 'title="Link do tej sekcji"' in polish and "Permanent link" not in polish
    assert re.search(r'<h2 (data-search-exclude )?id="legal-basis">Podstawa prawna<a ', polish)
    assert re.search(r'<details class="lg-fold">\s*<summary>Pokaż przepisy \(2, po angielsku\)</summary>\s*'
                     r'<p>Każdy link otwiera naszą stronę o danym przepisie \(EN\)\.</p>\s*'
                     r'<ul lang="en" dir="ltr" class="lg-legal-basis">', polish)  # the law's names stay English
    assert 'data-lg-copy-link="Kopiuj link do tej sekcji"' in tag(polish, "body")
    assert re.search(r'<label class="md-nav__title" for="__toc">\s*<span class="md-nav__icon md-icon"></span>\s*'
                     r'Spis treści\s*</label>', polish)  # Material's "Table of contents", Zensical's "On this page"
    assert 'aria-label="Spis treści"' in polish and "On this page" not in polish and "Table of contents" not in polish
    if "md-top" in polish:  # Material's "Back to top" and table of contents (the fixture's pages have headings)
        assert re.search(r"Powrót do góry\s*</button>", polish) and "Back to top" not in polish
    for english in ("Skip to content", "Legal basis<", "Show the law", "Type to start searching"):
        assert english not in polish


def test_a_language_lacking_the_labels_shows_them_in_english_marked_english(built: Path) -> None:
    arabic = (built / "ar" / "index.html").read_text(encoding="utf-8")
    assert re.search(r'class="md-skip">\s*<span lang="en" dir="ltr">Skip to content</span>\s*</a>', arabic)
    assert re.search(r'<h2 lang="en" dir="ltr" (data-search-exclude )?id="legal-basis">Legal basis<a ', arabic)
    assert 'placeholder="Search"' in arabic and "data-lg-copy" not in tag(arabic, "body")
    assert not re.search(r'<[^>]*\slang="[^"]*"[^>]*\slang=', arabic)  # no tag marked twice
    english = (built / "index.html").read_text(encoding="utf-8")
    assert re.search(r'class="md-skip">\s*Skip to content\s*</a>', english) and "data-lg-copy" not in english


@pytest.mark.parametrize("engine", ENGINES)
def test_the_law_change_notice_opens_with_a_line_in_the_page_s_language_its_details_english(
        tmp_path: Path, engine: str) -> None:
    refs = [dict(ref) for ref in DEFAULT_REFS]
    refs[1]["changes"] = [{"date": "2026-11-10", "summary": "Words inserted.",
                           "source": "https://www.legislation.gov.uk/ukpga/2027/3"}]
    result = build(guide(tmp_path, refs=refs), engine=engine)
    assert result.returncode == 0, result.stderr
    polish = (tmp_path / "site" / "pl" / "index.html").read_text(encoding="utf-8")
    assert re.search(r'<div lang="en" dir="ltr" class="lg-law-change" [^>]*>\n<p lang="pl" dir="ltr">Pojawiły się '
                     r'informacje, które mogą dotyczyć tej strony &lt;b&gt;\.</p>\n<p>The law this page relies on', polish)
    arabic = (tmp_path / "site" / "ar" / "index.html").read_text(encoding="utf-8")  # no line of its own: English only
    assert re.search(r'<div lang="en" dir="ltr" class="lg-law-change" [^>]*>\n<p>The law this page relies on', arabic)
    english = (tmp_path / "site" / "index.html").read_text(encoding="utf-8")
    assert re.search(r'<div class="lg-law-change" [^>]*>\n<p>The law this page relies on', english)


def test_the_header_keeps_the_engine_s_search_box_and_marks_the_english_site_name_on_a_translated_page(
        built: Path) -> None:
    """The site name is marked English at render time, not in a copy of the engine's header: a copy of Material's
    header once dropped Zensical's search box from every page (it asks for "material/search", Zensical's is "search")."""
    for code in ("pl", "ar"):
        page = (built / code / "index.html").read_text(encoding="utf-8")
        assert re.search(r'<div class="md-header__topic">\s*<span class="md-ellipsis" lang="en" dir="ltr">', page), code
        assert 'class="md-search__input"' in page, code
    english = (built / "index.html").read_text(encoding="utf-8")
    assert 'class="md-search__input"' in english
    assert not re.search(r'<span class="md-ellipsis" lang=', english)
