"""What readers and editors see of translations and Easy Read versions: the switcher, the stale and
unchecked notices in the version's language (English fallback marked as English), the page's
lang/dir/hreflang, and the stale list in `lawguide review`, review.json and the editors' page."""

from __future__ import annotations

import datetime as dt
import json
import re
import textwrap
from pathlib import Path

import markdown
import pytest
from lawguide.content.site import load_site
from lawguide.content.translations import body_hash
from lawguide.core.settings import Settings
from lawguide.render.editors import editors_page, review_json
from lawguide.render.page import finish_html, transform_page
from lawguide.render.translations import alternates, finish_output, language_of, sitemap_alternates

from tests.fixtures import DEFAULT_PAGES, REPO, lawguide, make_site

STRINGS = """\
languages:
  en:
    name: English
    switcher: "This page in:"
    english: English
    easy_read: Easy Read
    stale: The English page has changed.
    stale_link: Read the English page
    unchecked: Not checked yet.
  pl:
    name: Polski
    switcher: "Ta strona w:"
    stale: Strona angielska zmieniła się.
    stale_link: Przeczytaj stronę angielską
  ar:
    name: "العربية <b>"
"""
CITES = "[[ca1989-s17]] [[ca1989-s17zd]]"


def version(language: str, source_hash: str, variant: str = "", checked: str = "null", body: str = CITES) -> str:
    variant_line = f"  variant: {variant}\n" if variant else ""
    return (f"---\ntitle: V {language}\nreviewed: 2026-11-01\ntranslation:\n  of: index.md\n  source_hash: {source_hash}\n"
            f"  language: {language}\n{variant_line}  checked_by: {checked}\n---\n# V\n\n{body}\n")


def with_strings(tmp_path: Path, pages: dict[str, str], strings: str):
    """The fixture guide with these pages and this glossary/ui-strings.yml, loaded (problems left for the test)."""
    root = make_site(tmp_path, pages)
    (root / "glossary" / "ui-strings.yml").write_text(strings, encoding="utf-8")
    return load_site(Settings.from_mkdocs_yml(root / "mkdocs.yml"))


CRISIS = "---\ntitle: Help now\nreviewed: 2026-11-01\nexit_this_page: true\n---\n# Help now\n\nCall 999.\n"


def crisis_version(language: str, title: str, heading: str, body: str) -> str:
    """A version of CRISIS in `language`, made from its current English text, with the quick exit."""
    return (f"---\ntitle: {title}\nreviewed: 2026-11-01\nexit_this_page: true\ntranslation:\n  of: help-now.md\n"
            f"  source_hash: {body_hash(CRISIS.split('---', 2)[2].lstrip(chr(10)))}\n  language: {language}\n"
            f"  checked_by: null\n---\n# {heading}\n\n{body}\n")

@pytest.fixture()
def site(tmp_path: Path):
    current = body_hash(textwrap.dedent(DEFAULT_PAGES["index.md"]))
    pages = {**DEFAULT_PAGES,
             "pl/index.md": version("pl", "0123456789ab"),  # made from an older English text: stale
             "ar/index.md": version("ar", current, checked='"A fluent speaker"'),
             "easy-read/index.md": version("en", current, variant="easy-read", body="[[ca1989-s17]]"),
             "other.md": "---\ntitle: Other\nreviewed: 2026-11-01\n---\n# Other\n\nNo versions.\n"}
    loaded = with_strings(tmp_path, pages, STRINGS)
    assert [p.format() for p in loaded.problems] == []
    return loaded


def finished(site, path: str) -> str:
    text = transform_page(site, site.pages[path], (site.settings.docs_dir / path).read_text(encoding="utf-8")
                          .split("---\n", 2)[2])
    return finish_html(site, site.pages[path], markdown.markdown(text, extensions=["attr_list", "toc"]),
                       today=dt.date(2026, 12, 7))


def test_the_english_page_links_each_version_in_its_own_language(site) -> None:
    html = finished(site, "index.md")
    assert '<nav class="lg-versions" aria-label="This page in" data-search-exclude>' in html
    assert '<span aria-current="page" lang="en" dir="ltr">English</span>' in html
    assert '<a href="easy-read/" lang="en" dir="ltr">Easy Read</a>' in html
    assert '<a href="pl/" hreflang="pl" lang="pl" dir="ltr">Polski</a>' in html
    assert '<a href="ar/" hreflang="ar" lang="ar" dir="rtl">العربية &lt;b&gt;</a>' in html  # escaped
    assert html.index("Easy Read") < html.index("العربية") < html.index("Polski") and "lg-version-notice" not in html


def test_a_stale_version_says_so_in_its_language_and_links_the_english_page(site) -> None:
    html = finished(site, "pl/index.md")
    assert ('<div class="lg-version-notice lg-version-stale" role="note" data-source-hash="0123456789ab"><p>'
            'Strona angielska zmieniła się. <a href="../" hreflang="en" lang="en" dir="ltr">'
            'Przeczytaj stronę angielską</a></p></div>') in html
    assert '<span class="lg-versions-label">Ta strona w:</span>' in html
    # checked_by: null, and Polish has no "unchecked" string: English, marked as English
    assert ('<div class="lg-version-notice lg-version-unchecked" role="note"><p><span lang="en" dir="ltr">'
            'Not checked yet.</span></p></div>') in html


def test_a_current_checked_version_has_no_notice(site) -> None:
    html = finished(site, "ar/index.md")
    assert "lg-version-notice" not in html
    assert '<span class="lg-versions-label"><span lang="en" dir="ltr">This page in:</span></span>' in html


def test_an_unchecked_easy_read_version_says_so(site) -> None:
    html = finished(site, "easy-read/index.md")
    assert '<p>Not checked yet.</p>' in html and "lg-version-stale" not in html
    assert '<span aria-current="page" lang="en" dir="ltr">Easy Read</span>' in html


def test_a_page_without_versions_is_unchanged(site) -> None:
    html = finished(site, "other.md")
    assert "lg-versions" not in html and "lg-version-notice" not in html
    page = '<html lang="en" class="no-js"><head><title>x</title></head><body dir="ltr"></body></html>'
    assert finish_output(site, "other.md", page) == page


def test_built_pages_get_lang_dir_and_reciprocal_hreflang(site) -> None:
    page = '<html lang="en" class="no-js"><head><title>x</title></head><body dir="ltr" data-x="1"></body></html>'
    arabic = finish_output(site, "ar/index.md", page)
    assert arabic.startswith('<html lang="ar" class="no-js" dir="rtl">')
    assert '<body dir="rtl" data-x="1">' in arabic
    assert "<link" not in arabic  # alternates are in the sitemap (sitemap_alternates)
    assert language_of(site, "easy-read/index.md") == ("en", "ltr")
    # Every member of the cluster lists the same alternates; Easy Read is English, not a language alternate.
    assert {code for code, _ in alternates(site, "index.md")} == {"x-default", "en", "ar", "pl"}
    assert alternates(site, "index.md") == alternates(site, "pl/index.md") == alternates(site, "easy-read/index.md")


def test_review_and_the_editors_page_list_stale_versions_with_the_reason(site) -> None:
    report = json.loads(review_json(site, dt.date(2026, 12, 7)))
    assert [(s["page"], s["of"], s["source_hash"]) for s in report["stale_versions"]] == [
        ("pl/index.md", "index.md", "0123456789ab")]
    current = body_hash(textwrap.dedent(DEFAULT_PAGES["index.md"]))
    assert report["stale_versions"][0]["reason"] == (
        f"docs/index.md changed since this version was made (source_hash 0123456789ab, now {current}): "
        f"update the version, then set source_hash: {current}")
    editors = editors_page(site, dt.date(2026, 12, 7))
    assert "## Translations to update {#stale-versions}" in editors
    assert "- [V pl](../pl/index.md) (`docs/pl/index.md`, pl), made from an older text of [Home](../index.md)" in editors
    done = lawguide(site.settings.root, "review", "--today", "2026-12-07")
    assert "STALE     docs/pl/index.md  (pl): docs/index.md changed since this version was made" in done.stdout
    assert "STALE     docs/easy-read/" not in done.stdout and "STALE     docs/ar/" not in done.stdout


def test_the_sitemap_lists_each_page_s_alternates_with_absolute_addresses(site) -> None:
    from dataclasses import replace

    sitemap = ('<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n'
               + "".join(f"    <url>\n         <loc>https://guide.example/sub/{u}</loc>\n    </url>\n"
                         for u in ("", "pl/", "other/")) + "</urlset>")
    assert sitemap_alternates(site, sitemap) == sitemap  # no site_url: no absolute addresses to give
    site.settings = replace(site.settings, site_url="https://guide.example/sub/")
    out = sitemap_alternates(site, sitemap)
    assert out.startswith('<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" '
                          'xmlns:xhtml="http://www.w3.org/1999/xhtml">')
    polish = out.split("<loc>https://guide.example/sub/pl/</loc>", 1)[1].split("</url>", 1)[0]
    assert '<xhtml:link rel="alternate" hreflang="pl" href="https://guide.example/sub/pl/"/>' in polish
    assert '<xhtml:link rel="alternate" hreflang="x-default" href="https://guide.example/sub/"/>' in polish
    other = out.split("<loc>https://guide.example/sub/other/</loc>", 1)[1].split("</url>", 1)[0]
    assert "xhtml:link" not in other  # a page with no versions has no alternates


def test_no_hreflang_while_a_page_has_only_an_easy_read_version(tmp_path: Path) -> None:
    current = body_hash(textwrap.dedent(DEFAULT_PAGES["index.md"]))
    root = make_site(tmp_path, {**DEFAULT_PAGES, "easy-read/index.md": version("en", current, variant="easy-read",
                                                                                 body="[[ca1989-s17]]")})
    site = load_site(Settings.from_mkdocs_yml(root / "mkdocs.yml"))
    assert alternates(site, "index.md") == alternates(site, "easy-read/index.md") == []
    assert "Easy Read" in finished(site, "index.md")  # the default strings: no ui-strings.yml in this guide


def test_strings_from_the_data_file_are_text_in_attributes_and_content(tmp_path: Path) -> None:
    current = body_hash(textwrap.dedent(DEFAULT_PAGES["index.md"]))
    site = with_strings(tmp_path, {**DEFAULT_PAGES, "pl/index.md": version("pl", "0123456789ab")},
        'languages:\n  en:\n    name: English\n  pl:\n    name: Pol"ski\n    switcher: \'x" onmouseover="alert(1)\'\n'
        '    stale: <script>alert(1)</script>\n')
    html = finished(site, "pl/index.md")
    assert 'aria-label="x&quot; onmouseover=&quot;alert(1)"' in html and "<script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html and 'Pol&quot;ski' in html
    assert current != "0123456789ab"


def test_a_bare_citation_on_a_right_to_left_page_is_isolated_left_to_right_with_its_brackets(site) -> None:
    # CITES is two bare citations side by side: one pair of brackets, one isolate around both and the "; "
    arabic, polish = finished(site, "ar/index.md"), finished(site, "pl/index.md")
    group = re.findall(r'<bdi class="lg-citation" dir="ltr" lang="en">\((.*?)\)</bdi>', arabic)
    assert len(group) == 1 and arabic.count("<bdi") == 1
    assert re.fullmatch(r'<a class="lg-cite" href="\.\./law/ca1989-s17/"[^>]*>.*?</a>; '
                        r'<a class="lg-cite" href="\.\./law/ca1989-s17zd/"[^>]*>.*?</a>', group[0])
    assert "<bdi" not in polish and '(<a class="lg-cite" href="../law/ca1989-s17/"' in polish and "</a>; <a" in polish


# theme/main.html's crisis link and quick-exit button, as it writes them on every page (English)
THEME_SAFETY = ('<html lang="en"><head></head><body>\n'
                '    <section class="lg-exit" data-lg-exit aria-label="Exit this page">\n'
                '      <a class="lg-exit__button" href="https://www.bbc.co.uk/weather" rel="nofollow noreferrer">'
                '<span class="lg-sr">Emergency: </span>Exit this page</a>\n    </section>\n'
                '<p class="lg-crisis" lang="en" dir="ltr"><a class="lg-crisis__link" href="{up}help-now/">'
                'In danger or need help now?</a></p>\n</body></html>')


def test_a_page_in_a_language_with_its_own_crisis_page_links_it_and_names_the_exit_in_its_words(tmp_path: Path) -> None:
    current = body_hash(textwrap.dedent(DEFAULT_PAGES["index.md"]))
    site = with_strings(tmp_path, {**DEFAULT_PAGES, "help-now.md": CRISIS,
                                   "pl/help-now.md": crisis_version("pl", "Pomoc", "Pomoc", "Zadzwoń pod 999."),
                                   "pl/index.md": version("pl", current), "ar/index.md": version("ar", current)},
        'languages:\n  en:\n    name: English\n  pl:\n    name: Polski\n    crisis_link: "W niebezpieczeństwie? <b>"\n'
        '    exit_button: Wyjdź "szybko"\n    exit_hidden: "Nagły wypadek:"\n    exit_press_2: "Shift <2>"\n'
        '  ar:\n    name: العربية\n'
        '    exit_button: اخرج\n')
    assert [p.format() for p in site.problems] == []
    polish = finish_output(site, "pl/index.md", THEME_SAFETY.format(up="../"))
    assert '<p class="lg-crisis"><a class="lg-crisis__link" href="help-now/">W niebezpieczeństwie? &lt;b&gt;</a></p>' in polish
    assert 'aria-label="Wyjdź &quot;szybko&quot;" data-lg-exit-press-2="Shift &lt;2&gt;">' in polish
    assert '<span class="lg-sr">Nagły wypadek: </span>Wyjdź &quot;szybko&quot;</a>' in polish
    # The Polish crisis page does not link to itself; the English crisis page and its link stay English.
    on_crisis = finish_output(site, "pl/help-now.md", THEME_SAFETY.format(up="../../"))
    assert "lg-crisis" not in on_crisis and "Wyjdź" in on_crisis
    assert finish_output(site, "help-now.md", THEME_SAFETY.format(up="../")).count("In danger or need help now?") == 1
    # Arabic has no crisis page yet: its link stays the English one, to the English page; the button is in
    # Arabic, and the words it lacks ("Emergency:") are marked as English.
    arabic = finish_output(site, "ar/index.md", THEME_SAFETY.format(up="../"))
    assert 'lang="en" dir="ltr"><a class="lg-crisis__link" href="../help-now/">In danger or need help now?' in arabic
    assert '<span class="lg-sr"><span lang="en" dir="ltr">Emergency:</span> </span>اخرج</a>' in arabic


def test_a_version_of_a_page_with_the_quick_exit_must_have_it_too(tmp_path: Path) -> None:
    without = ("---\ntitle: Pomoc\nreviewed: 2026-11-01\ntranslation:\n  of: help-now.md\n  source_hash: 0123456789ab\n"
               "  language: pl\n  checked_by: null\n---\n# Pomoc\n\nZadzwoń pod 999.\n")
    site = with_strings(tmp_path, {**DEFAULT_PAGES, "help-now.md": CRISIS, "pl/help-now.md": without}, STRINGS)
    assert [p.format() for p in site.problems] == [
        "docs/pl/help-now.md:4: help-now.md has the quick exit button (exit_this_page: true) but this version has not "
        "(add exit_this_page: true to this page's front matter)"]


def theme_foot(up: str, page_url: str) -> str:
    """The foot of a page as theme/main.html and theme/partials/lg-help.html write it (rendered from the real files,
    so a change to their English that the hooks would no longer find fails here)."""
    import re

    import jinja2

    main = (REPO / "theme" / "main.html").read_text(encoding="utf-8")
    note = re.search(r'<p class="lg-editions-note".*?</p>', main).group(0)
    env = jinja2.Environment()
    env.filters["url"] = lambda path: up + path
    env.filters["urlencode"] = lambda value: value
    help_box = env.from_string((REPO / "theme" / "partials" / "lg-help.html").read_text(encoding="utf-8")).render()
    page = {"url": page_url}
    return f'<html lang="en"><head></head><body><article>{env.from_string(note).render(page=page)}\n{help_box}</article></body></html>'


def help_site(tmp_path: Path, strings: str):
    current = body_hash(textwrap.dedent(DEFAULT_PAGES["index.md"]))
    return with_strings(tmp_path, {**DEFAULT_PAGES, "help-now.md": CRISIS,
                                   "ar/help-now.md": crisis_version("ar", "مساعدة", "مساعدة الآن", "اتصل بالرقم 999."),
                                   "ar/index.md": version("ar", current).replace("# V\n", "# ابدأ من هنا\n"),
                                   "pl/index.md": version("pl", current)}, strings)


def test_the_help_box_strings_are_escaped_and_the_links_and_number_stay_links(tmp_path: Path) -> None:
    site = help_site(tmp_path, 'languages:\n  en:\n    name: English\n  pl:\n    name: Polski\n  ar:\n    name: العربية\n'
                     '    help_danger: "<script>alert(1)</script> {link}."\n    help_danger_link: \'x" onclick="y\'\n'
                     '    help_talk: "Contact\'s <b>helpline</b>: {phone}."\n    editions_note: "<img src=x>"\n')
    assert [p.format() for p in site.problems] == []
    out = finish_output(site, "ar/index.md", theme_foot("../", "ar/"))
    assert "<script>" not in out and "<b>" not in out and "<img" not in out and 'onclick="' not in out
    assert '&lt;script&gt;alert(1)&lt;/script&gt; <a href="help-now/">x&quot; onclick=&quot;y</a>.' in out
    assert 'Contact&#x27;s &lt;b&gt;helpline&lt;/b&gt;: <a href="tel:+448088083555" dir="ltr">0808 808 3555</a>.' in out
    assert '<a class="lg-editions-link" href="../editions/?page=ar/">&lt;img src=x&gt;</a>' in out
    # What Arabic lacks is English, marked as English, its link to the English page said to be English.
    assert ('<span lang="en" dir="ltr">More places to get help</span></a>' not in out
            and '<span lang="en" dir="ltr"><a href="../get-help/" hreflang="en">More places to get help</a>.</span>' in out)


def test_a_language_with_no_help_strings_and_no_crisis_page_keeps_english_words_and_the_english_crisis_page(
        tmp_path: Path) -> None:
    site = help_site(tmp_path, "languages:\n  en:\n    name: English\n  pl:\n    name: Polski\n  ar:\n    name: العربية\n")
    out = finish_output(site, "pl/index.md", theme_foot("../", "pl/"))
    assert '<span lang="en" dir="ltr">In danger now? <a href="../help-now/" hreflang="en">Who to call tonight</a>.</span>' in out
    assert out.count('<span lang="en" dir="ltr">') == 5  # four sentences and the editions link
    # an English page's foot is left exactly as the theme wrote it
    foot = theme_foot("", "")
    assert foot[foot.index("<article>"):] in finish_output(site, "index.md", foot)


def test_a_title_that_makes_no_slug_gets_its_english_page_s_title_id(tmp_path: Path) -> None:
    site = help_site(tmp_path, "languages:\n  en:\n    name: English\n  pl:\n    name: Polski\n  ar:\n    name: العربية\n")
    page = ('<html lang="en"><head></head><body><a href="#_1" class="md-skip">Skip</a><article>'
            '<h1 id="_1">ابدأ من هنا<a class="headerlink" href="#_1">&para;</a></h1>'
            '<h2 id="asking">س</h2></article></body></html>')
    out = finish_output(site, "ar/index.md", page)
    assert '<h1 id="home">' in out and out.count('href="#home"') == 2 and "_1" not in out
    assert '<h2 id="asking">' in out  # section ids are the page's own (links.lock)


def test_an_english_phrase_in_brackets_or_quotes_on_a_right_to_left_page_is_isolated_with_them(tmp_path: Path) -> None:
    site = help_site(tmp_path, "languages:\n  en:\n    name: English\n  pl:\n    name: Polski\n  ar:\n    name: العربية\n")
    body = ('<article class="md-content__inner"><h1 id="x">حماية (safeguarding and child protection)</h1>'
            '<p>ابحث عن "emergency duty team". اتصل (لا) <code>"x" (y)</code> <a href="#" title="(t)">(link)</a></p></article>')
    page = f'<html lang="en"><head><title>(safeguarding)</title></head><body>{body}<nav>(menu)</nav></body></html>'
    arabic = finish_output(site, "ar/index.md", page)
    assert '<bdi dir="ltr" lang="en">(safeguarding and child protection)</bdi></h1>' in arabic
    assert '<bdi dir="ltr" lang="en">"emergency duty team"</bdi>.' in arabic
    assert '<bdi dir="ltr" lang="en">(link)</bdi></a>' in arabic and 'title="(t)"' in arabic  # text, never an attribute
    assert '(لا)' in arabic and '<code>"x" (y)</code>' in arabic  # Arabic words, and code, left alone
    assert "<title>(safeguarding)</title>" in arabic and "<nav>(menu)</nav>" in arabic  # only the article
    polish = finish_output(site, "pl/index.md", page)
    assert "<bdi" not in polish  # a left-to-right page needs none


# Material's parts of a page, as Material 9.8.1 writes them in English (tests/e2e builds the real ones), and render.page's
# page-end lists once finish_output has marked them English.
MATERIAL_PAGE = """<html lang="en"><head></head><body dir="ltr" data-md-color-scheme="default">
<a href="#v" class="md-skip">
  Skip to content
</a>
<nav class="md-header__inner md-grid" aria-label="Header"></nav>
<div class="md-search" data-md-component="search" role="dialog" aria-label="Search">
<input type="text" class="md-search__input" name="query" aria-label="Search" placeholder="Search" autocapitalize="off">
<button type="reset" class="md-search__icon md-icon" title="Clear" aria-label="Clear" tabindex="-1"></button>
<div class="md-search-result__meta">
  Initializing search
</div></div>
<nav class="md-nav md-nav--secondary" aria-label="Table of contents">
<label class="md-nav__title" for="__toc">
  <span class="md-nav__icon md-icon"></span>
  Table of contents
</label></nav>
<article><h1 id="v">V<a class="headerlink" href="#v" title="Link to this section">&para;</a></h1>
<h2 id="words-on-this-page">Words used on this page<a class="headerlink" href="#words-on-this-page" \
title="Link to this section">&para;</a></h2>
<details class="lg-fold">
<summary>Show the words explained (3)</summary>
<ul class="lg-words"><li>x</li></ul></details>
<details class="lg-fold lg-history" id="page-history">
<summary>Page history</summary>
<ul class="lg-history__list"><li>y</li></ul></details></article>
<button type="button" class="md-top md-icon" data-md-component="top" hidden>
  <svg viewBox="0 0 24 24"><path d="M13 20h-2z"/></svg>
  Back to top
</button>
<footer class="md-footer"><div class="md-copyright__highlight">
  This guide is not legal advice. It covers England only.
</div>
<div class="lg-publisher">
  Published by
  <a href="https://example.org/?a=1&amp;b=2">A &amp; B</a>.
  <a href="../about/#feedback">How to tell us about a mistake</a>.
</div></footer>
<script id="__config" type="application/json">{"base": "..", \
"translations": {"search.result.none": "No matching documents", "clipboard.copy": "Copy to clipboard"}}</script>
</body></html>"""


def test_material_s_labels_and_the_page_end_lists_take_the_language_s_words_escaped(tmp_path: Path) -> None:
    site = help_site(tmp_path, 'languages:\n  en:\n    name: English\n  pl:\n    name: Polski\n  ar:\n    name: العربية\n'
                     '    action.skip: "<b>skip</b>"\n    search.placeholder: \'x" onfocus="y\'\n    toc: "فهرس & <i>"\n'
                     '    top: عد إلى الأعلى\n    permalink: "\'><img src=x>"\n    words_heading: "<u>كلمات</u>"\n'
                     '    words_show: "<i>{count}</i> كلمات"\n    page_history: سجل الصفحة\n    not_advice: "<p>ليس</p>"\n'
                     '    search.result.none: "</script><script>alert(1)</script>"\n    copy_link: \'a" onclick="b\'\n'
                     '    link_copied: تم نسخ الرابط\n    published_by: "<i>الناشر</i> {publisher}"\n')
    assert [p.format() for p in site.problems] == []
    out = finish_output(site, "ar/index.md", MATERIAL_PAGE)
    for hostile in ("<b>", "<i>", "<u>", "<img", "<p>ليس", 'onfocus="', 'onclick="', "<script>alert"):
        assert hostile not in out
    assert '&lt;b&gt;skip&lt;/b&gt;' in out and 'placeholder="x&quot; onfocus=&quot;y"' in out
    assert 'aria-label="Search" placeholder' not in out  # the input's name is the placeholder's words too
    assert 'aria-label="فهرس &amp; &lt;i&gt;"' in out and "فهرس &amp; &lt;i&gt;\n</label>" in out
    assert re.search(r"عد إلى الأعلى\s*</button>", out) and 'title="&#x27;&gt;&lt;img src=x&gt;"' in out
    assert '<h2 id="words-on-this-page">&lt;u&gt;كلمات&lt;/u&gt;<a ' in out
    assert ('<details class="lg-fold">\n<summary>&lt;i&gt;3&lt;/i&gt; كلمات</summary>\n<ul lang="en" dir="ltr" '
            'class="lg-words">') in out  # the glossary's definitions stay English, and say so
    assert '<summary>سجل الصفحة</summary>\n<ul lang="en" dir="ltr" class="lg-history__list">' in out
    assert '<div class="md-copyright__highlight" lang="ar" dir="rtl">&lt;p&gt;ليس&lt;/p&gt;</div>' in out
    # the publisher's name as the template escaped it; what Arabic lacks of the line in English, marked English
    assert ('<div class="lg-publisher" lang="ar" dir="rtl">&lt;i&gt;الناشر&lt;/i&gt; <bdi><a href="https://example.org/'
            '?a=1&amp;b=2">A &amp; B</a></bdi> <span lang="en" dir="ltr"><a href="../about/#feedback" hreflang="en">How to tell us about '
            'a mistake</a>.</span></div>') in out
    config = json.loads(re.search(r'<script id="__config" type="application/json">(.*?)</script>', out, re.S).group(1))
    assert config["translations"] == {"search.result.none": "</script><script>alert(1)</script>",
                                      "clipboard.copy": "Copy to clipboard"} and config["base"] == ".."
    assert 'data-lg-copy-link="a&quot; onclick=&quot;b" data-lg-link-copied="تم نسخ الرابط">' in out
    # what Arabic lacks: text in English marked English, attributes (which cannot be marked) as Material wrote them
    assert '<span lang="en" dir="ltr">Initializing search</span>' in out and 'title="Clear" aria-label="Clear"' in out
    assert 'aria-label="Header"' in out and "data-lg-copy-by-hand" not in out


def test_a_language_with_none_of_the_labels_keeps_them_english_marked_and_an_english_page_is_untouched(
        tmp_path: Path) -> None:
    site = help_site(tmp_path, "languages:\n  en:\n    name: English\n  pl:\n    name: Polski\n  ar:\n    name: العربية\n")
    out = finish_output(site, "pl/index.md", MATERIAL_PAGE)
    assert re.search(r'class="md-skip">\s*<span lang="en" dir="ltr">Skip to content</span>\s*</a>', out)
    assert re.search(r'<span lang="en" dir="ltr">Back to top</span>\s*</button>', out)
    assert 'title="Link to this section"' in out and "data-lg-" not in out
    assert '"search.result.none": "No matching documents"' in out  # Material's settings as Material wrote them
    assert '<details lang="en" dir="ltr" class="lg-fold">\n<summary>Show the words explained (3)</summary>' in out
    assert re.search(r'<div class="lg-publisher">\s*Published by', out)  # left in the footer, marked English
    english = finish_output(site, "index.md", MATERIAL_PAGE)  # its <html> gains dir="ltr" as before, nothing else
    assert english.split("<body", 1)[1] == MATERIAL_PAGE.split("<body", 1)[1]
