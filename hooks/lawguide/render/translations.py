"""What readers see of translations and Easy Read versions (content.translations reads them):

- under the title of an English page that has versions, and of each version: a small switcher
  (English / Easy Read / each language with a version of this page);
- on a version: a notice in its language when the English page changed since it was made (stale),
  linking to the current English page, and a notice when nobody has checked it yet;
- on the built page: `<html lang dir>` and `<body dir>`; in sitemap.xml, each page's hreflang alternates;
- on a page in another language: the crisis link, quick exit, help box, date line, Material's labels, the page-end
  lists' headings, the footer and the copy-link words in its words (ui-strings), where it has them.

Every string comes from glossary/ui-strings.yml; one missing for a language is shown in English,
wrapped in lang="en" dir="ltr" so a right-to-left page still reads it the right way round. All of it
is plain HTML from escaped data, with no script (the Content-Security-Policy allows none inline).
"""

from __future__ import annotations

import gzip
import html
import json
import posixpath
import re
from collections.abc import Callable
from pathlib import Path

from lawguide.content.pages import Page
from lawguide.content.site import Site
from lawguide.content.translations import (
    ENGLISH_DEFAULTS,
    MATERIAL_KEYS,
    Language,
    Version,
    Versions,
    site_versions,
)
from lawguide.content.urls import href, page_url

_HTML_TAG = re.compile(r"<html\b[^>]*>", re.IGNORECASE)
_BODY_TAG = re.compile(r"<body\b[^>]*>", re.IGNORECASE)
_ATTR = r'\s{name}="[^"]*"'
_SITEMAP_LOC = re.compile(r"<loc>([^<]*)</loc>")
_SITEMAP_URLSET = re.compile(r"<urlset\b[^>]*>")
_XHTML = "http://www.w3.org/1999/xhtml"
# what lawguide-exit.js says to a screen reader, read from data-lg-exit-* attributes (English where absent)
_EXIT_SPOKEN = ("exit_loading", "exit_press_2", "exit_press_1", "exit_expired")
CRISIS_PAGE = "help-now.md"  # the page theme/main.html's crisis link on every page points at
# theme/main.html's crisis link and quick-exit button, exactly as it writes them (in English)
_CRISIS_LINK = re.compile(r'<p class="lg-crisis" lang="en" dir="ltr"><a class="lg-crisis__link" href="[^"]*">[^<]*</a></p>')
_EXIT_BUTTON = re.compile(r'<section class="lg-exit" data-lg-exit aria-label="[^"]*">(\s*)<a class="lg-exit__button" ([^>]*)>'
                          r'<span class="lg-sr">[^<]*</span>[^<]*</a>')
# Parts of a built page that stay in English on a translated page: the engine's own blocks (review
# date, law-change notice, words used, legal basis, page history) and Material's
# menu and footer (translations stay out of the menu, so it lists English pages). Marked lang="en"
# dir="ltr" so screen readers speak them as English and a right-to-left page keeps their punctuation
# where English puts it (a heading's "?" at its end). Opening tags exactly as render.page, main.html
# and Material 9.8 write them. _local_labels then puts the language's words in those it has words for
# (headings, summaries, the footer's sentences), leaving the rest marked English.
# The header's site name (always English), as Material 9.8 and Zensical both write it: marked here rather than in
# a copy of the engine's header partial, which differ (a copy of Material's dropped Zensical's search box). On an
# Arabic or Urdu page it was laid out right to left, so the ellipsis cut its start ("...'s social care in England").
_SITE_NAME = re.compile(r'(<div class="md-header__topic">\s*<span class="md-ellipsis")>')
_ENGLISH_PARTS = re.compile(
    r'<(?:p class="lg-reviewed"|div class="lg-law-change"|details class="lg-fold"|h2 (?:data-search-exclude )?id="legal-basis"'
    r'|h2 id="words-on-this-page"|h2 id="page-history"'
    r'|div class="md-sidebar md-sidebar--primary"|footer class="md-footer")')


# theme/partials/lg-help.html's help box and main.html's editions link, exactly as they write them (in English);
# on a page in another language _local_help writes both in its words (the template's own lang="en" dir="ltr"
# marks them English where they stay English, as on an Easy Read page)
_HELP_BOX = re.compile(r'<div class="lg-help" lang="en" dir="ltr">.*?</div>', re.DOTALL)
_EDITIONS_NOTE = re.compile(r'<p class="lg-editions-note" lang="en" dir="ltr">(<a class="lg-editions-link" href="[^"]*">)'
                            r'[^<]*</a></p>')
HELP_PAGE = "get-help.md"  # "More places to get help" in the help box (English only so far)
HELPLINE = ("tel:+448088083555", "0808 808 3555")  # Contact's helpline, as lg-help.html writes it
_H1 = re.compile(r'<h1 id="([^"]*)"')
# render.page's line under the title, exactly as it writes it (in English)
_REVIEWED = re.compile(r'<p (?:lang="en" dir="ltr" )?class="lg-reviewed">Checked against the law as it stood on '
                       r'(<time datetime="(\d{4})-(\d\d)-(\d\d)">)[^<]*</time></p>')
# An English phrase in brackets or quotes in a right-to-left sentence ("(safeguarding and child protection)",
# "\"emergency duty team\""): Latin letters first and last, no right-to-left letter inside. Its brackets and quotes
# go in with it, so a phrase broken across lines keeps them the right way round.
_LATIN = r"[A-Za-z][^<>()\"“”\u0590-\u08ff]*?[A-Za-z0-9.]|[A-Za-z]"
_ENGLISH_PHRASE = re.compile(rf'\((?:{_LATIN})\)|"(?:{_LATIN})"|“(?:{_LATIN})”')
_ARTICLE = re.compile(r"(<article\b[^>]*>)(.*?)(</article>)", re.DOTALL)
_TAG_OR_TEXT = re.compile(r"(<[^>]*>)")
_TAG_NAME = re.compile(r"</?([a-zA-Z0-9]+)")
_SKIP = ("code", "pre", "script", "style", "bdi", "kbd", "samp", "textarea")


def english_of(site: Site, path: str) -> str | None:
    """The English page a page belongs with: itself, or the page it is a version of; None when the
    page has no versions at all (nothing to switch to)."""
    versions = site_versions(site)
    version = versions.by_path.get(path)
    english = version.of if version else path
    return english if english in versions.of_page else None


def language_of(site: Site, path: str) -> tuple[str, str]:
    """(lang, dir) of a page: a version's language, English otherwise."""
    versions = site_versions(site)
    version = versions.by_path.get(path)
    if version is None:
        return "en", "ltr"
    language = versions.languages.get(version.language)
    return version.language, language.direction if language else "ltr"


def ui_text(versions: Versions, code: str, key: str) -> str:
    """A string in the language `code`, as HTML; English (marked as English) when the language lacks it."""
    language = versions.languages.get(code)
    if language and key in language.strings:
        return html.escape(language.strings[key])
    english = versions.languages.get("en")
    text = html.escape(english.strings.get(key, "") if english else "")
    return text if code == "en" else f'<span lang="en" dir="ltr">{text}</span>'


def _name(versions: Versions, version: Version | None) -> tuple[str, str, str]:
    """(lang, dir, name as HTML) of one entry in the switcher, in its own language."""
    if version is None:
        return "en", "ltr", ui_text(versions, "en", "english")
    if version.easy_read:
        return "en", "ltr", ui_text(versions, "en", "easy_read")
    language = versions.languages.get(version.language) or Language(version.language, "ltr")
    return version.language, language.direction, html.escape(language.strings.get("name", version.language))


def _ordered(versions: Versions, english: str) -> list[Version | None]:
    """The English page, its Easy Read version, then the languages by code (a stable order)."""
    own = sorted(versions.of_page.get(english, []), key=lambda v: (not v.easy_read, v.language))
    return [None, *own]


def switcher(site: Site, page: Page) -> str:
    english = english_of(site, page.path)
    if english is None:
        return ""
    versions = site_versions(site)
    here_lang, _ = language_of(site, page.path)
    items = []
    for version in _ordered(versions, english):
        target = version.path if version else english
        lang, direction, name = _name(versions, version)
        attrs = f' lang="{html.escape(lang)}" dir="{direction}"'
        if target == page.path:
            items.append(f'<li><span aria-current="page"{attrs}>{name}</span></li>')
        else:
            hreflang = "" if version and version.easy_read else f' hreflang="{html.escape(lang)}"'
            link = html.escape(href(site, page.path, target), quote=True)
            items.append(f'<li><a href="{link}"{hreflang}{attrs}>{name}</a></li>')
    label = ui_text(versions, here_lang, "switcher")
    return (f'<nav class="lg-versions" aria-label="{_attr_text(versions, here_lang, "switcher")}" data-search-exclude>'
            f'<span class="lg-versions-label">{label}</span> <ul>{"".join(items)}</ul></nav>')


def _attr_text(versions: Versions, code: str, key: str) -> str:
    """A string for an attribute value (no markup possible there: the language's own or English)."""
    language = versions.languages.get(code)
    english = versions.languages.get("en")
    text = (language.strings.get(key) if language else None) or (english.strings.get(key, "") if english else "")
    return html.escape(text.rstrip(":"), quote=True)


def version_notices(site: Site, page: Page) -> str:
    """The stale and unchecked notices of a version, in its language ('' on an English page)."""
    versions = site_versions(site)
    version = versions.by_path.get(page.path)
    if version is None:
        return ""
    code = version.language
    out = []
    if versions.is_stale(version):
        link = html.escape(href(site, page.path, version.of), quote=True)
        out.append(f'<div class="lg-version-notice lg-version-stale" role="note" data-source-hash="'
                   f'{html.escape(version.source_hash)}"><p>{ui_text(versions, code, "stale")} '
                   f'<a href="{link}" hreflang="en" lang="en" dir="ltr">{ui_text(versions, code, "stale_link")}</a>'
                   '</p></div>')
    if version.checked_by is None:
        out.append(f'<div class="lg-version-notice lg-version-unchecked" role="note"><p>'
                   f'{ui_text(versions, code, "unchecked")}</p></div>')
    return "\n".join(out)


def version_block(site: Site, page: Page) -> str:
    """Everything this module adds under a page's title: the switcher, then the notices."""
    versions = site_versions(site)
    if not versions.by_path and not versions.of_page:
        return ""
    return "\n".join(b for b in (switcher(site, page), version_notices(site, page)) if b)


def alternates(site: Site, path: str) -> list[tuple[str, str]]:
    """(hreflang, URL) of the English page and each translation: reciprocal, the page itself included,
    with x-default the English page, once there is a translation. Easy Read is English too, so it is not a language alternate;
    its page still lists the cluster it belongs to (search engines find the translations from it)."""
    english = english_of(site, path)
    if english is None:
        return []
    versions = site_versions(site)
    languages = [(v.language, v.path) for v in _ordered(versions, english)[1:] if v and not v.easy_read]
    return [("x-default", english), ("en", english), *languages] if languages else []  # English alone: none


def _absolute(site: Site, from_path: str, to_path: str) -> str:
    base = site.settings.site_url
    if base:
        return base.rstrip("/") + page_url(to_path, site.settings.use_directory_urls)
    return href(site, from_path, to_path)


def finish_output(site: Site, path: str, output: str) -> str:
    """The built page with its language and direction on <html> and <body> (its hreflang alternates are in the
    sitemap: finish_sitemap)."""
    lang, direction = language_of(site, path)
    links = alternates(site, path)
    if not links and path not in site_versions(site).by_path:
        return output  # an English page with no translation: Material already wrote lang="en"
    output = _HTML_TAG.sub(lambda m: _set_attrs(m.group(0), lang=lang, dir=direction), output, count=1)
    output = _BODY_TAG.sub(lambda m: _set_attrs(m.group(0), dir=direction), output, count=1)
    if lang != "en":
        output = _ENGLISH_PARTS.sub(lambda m: m.group(0).replace(" ", ' lang="en" dir="ltr" ', 1), output)
        output = _SITE_NAME.sub(r'\1 lang="en" dir="ltr">', output, count=1)
        # then the parts in the page's language (first marked English above, where they are English)
        output = _local_safety(site, path, lang, output)
        output = _local_help(site, path, lang, output)
        output = _local_labels(site, lang, direction, output)
        output = _title_id(site, path, output)
        if direction == "rtl":
            output = _ARTICLE.sub(lambda m: m.group(1) + _isolate_english(m.group(2)) + m.group(3), output, count=1)
    return output


def sitemap_alternates(site: Site, xml: str) -> str:
    """The engine's sitemap.xml with each page's hreflang alternates (`<xhtml:link>`, the sitemap form search
    engines read as they read `<link rel="alternate" hreflang>` in a page's head). They live here, not in the
    pages: Material's script fetches a sitemap.xml beside every `<link rel="alternate">` of a page, which cost a
    reader one 404 page per language on every visit. Search engines need absolute addresses: no site_url, no
    alternates."""
    if not site.settings.site_url:
        return xml
    by_url: dict[str, str] = {}
    for path in site.pages:
        links = alternates(site, path)
        if links:
            by_url[_absolute(site, path, path)] = "".join(
                f'\n         <xhtml:link rel="alternate" hreflang="{html.escape(code, quote=True)}" '
                f'href="{html.escape(_absolute(site, path, target), quote=True)}"/>' for code, target in links)
    if not by_url:
        return xml
    out = _SITEMAP_LOC.sub(lambda m: m.group(0) + by_url.get(html.unescape(m.group(1)), ""), xml)
    return _SITEMAP_URLSET.sub(lambda m: m.group(0)[:-1] + f' xmlns:xhtml="{_XHTML}">', out, count=1)


def finish_sitemap(site: Site, site_dir: Path) -> None:
    """sitemap.xml and its gzip copy, with the alternates; the gzip header keeps the engine's timestamp, so a
    build stays byte-for-byte reproducible."""
    xml_file = site_dir / "sitemap.xml"
    if not xml_file.is_file():
        return
    text = xml_file.read_text(encoding="utf-8")
    finished = sitemap_alternates(site, text)
    if finished == text:
        return
    xml_file.write_text(finished, encoding="utf-8")
    gz_file = site_dir / "sitemap.xml.gz"
    if gz_file.is_file():
        mtime = int.from_bytes(gz_file.read_bytes()[4:8], "little")
        with gz_file.open("wb") as raw, gzip.GzipFile(fileobj=raw, filename=str(gz_file), mode="wb", mtime=mtime) as gz:
            gz.write(finished.encode("utf-8"))


def _local_safety(site: Site, path: str, lang: str, output: str) -> str:
    """A page in another language: the quick-exit button in its words, and the crisis link in its words and to
    its own crisis page, once the crisis page is translated into it (none on that page itself). A parent in
    danger who reads little English should not have to read English to leave or to find help."""
    versions = site_versions(site)
    language = versions.languages.get(lang)
    strings = language.strings if language else {}
    if any(key in strings for key in ("exit_button", *_EXIT_SPOKEN)):
        label = html.escape(strings.get("exit_button", ENGLISH_DEFAULTS["exit_button"]), quote=True)
        spoken = "".join(f' data-lg-{key.replace("_", "-")}="{html.escape(strings[key], quote=True)}"'
                         for key in _EXIT_SPOKEN if key in strings)
        output = _EXIT_BUTTON.sub(
            lambda m: f'<section class="lg-exit" data-lg-exit aria-label="{label}"{spoken}>{m.group(1)}'
                      f'<a class="lg-exit__button" {m.group(2)}><span class="lg-sr">{ui_text(versions, lang, "exit_hidden")} '
                      f'</span>{ui_text(versions, lang, "exit_button")}</a>', output, count=1)
    crisis = _crisis_page(versions, lang)
    if crisis is None:
        return output
    link = "" if crisis == path else (
        f'<p class="lg-crisis"><a class="lg-crisis__link" href="{html.escape(_built_href(site, path, crisis), quote=True)}">'
        f'{ui_text(versions, lang, "crisis_link")}</a></p>')
    return _CRISIS_LINK.sub(lambda m: link, output, count=1)


def _crisis_page(versions: Versions, lang: str) -> str | None:
    """The language's own crisis page (docs/CODE/help-now.md), if it has one."""
    return next((v.path for v in versions.of_page.get(CRISIS_PAGE, []) if v.language == lang and not v.easy_read), None)


def _sentence(versions: Versions, lang: str, key: str, link_key: str, link_attrs: str) -> str:
    """A sentence holding a link ({link} in its text): the link's words in the same language as the sentence, so a
    sentence the language lacks is English throughout (marked as English) and never half one, half the other."""
    language = versions.languages.get(lang)
    own = language is not None and key in language.strings
    anchor = f'<a {link_attrs}>{ui_text(versions, lang if own else "en", link_key)}</a>'
    return ui_text(versions, lang, key).replace("{link}", anchor, 1)


def _reviewed(versions: Versions, lang: str, match: re.Match) -> str:
    """"Checked against the law as it stood on 7 December 2026" in the page's language, once it has both the sentence
    and the month names (a sentence in one language with a date in another would read as neither); else as it was."""
    language = versions.languages.get(lang)
    strings = language.strings if language else {}
    if "reviewed" not in strings or "months" not in strings:
        return match.group(0)
    year, month, day = (int(match.group(i)) for i in (2, 3, 4))
    date = f"{match.group(1)}{day} {html.escape(strings['months'].split()[month - 1])} {year}</time>"
    return f'<p class="lg-reviewed">{html.escape(strings["reviewed"]).replace("{date}", date, 1)}</p>'


def _built_href(site: Site, path: str, target: str) -> str:
    """A link from the built page at `path` to `target`, relative to its URL. Not content.urls.href: these links are
    put in after the engine has written the page, so Zensical (which rewrites content links as if written from the
    source file: link_base "source") never resolves them, and from docs/pl/short-breaks.md its "help-now/" would
    reach /pl/short-breaks/help-now/."""
    directory_urls = site.settings.use_directory_urls
    to, here = page_url(target, directory_urls), posixpath.dirname(page_url(path, directory_urls)) or "/"
    link = posixpath.relpath(to, here)
    return "./" if link == "." else link + ("/" if to.endswith("/") else "")


def _link_attrs(site: Site, path: str, target: str) -> str:
    """href (and hreflang="en" when the target is an English page) of a link in the help box."""
    link = f'href="{html.escape(_built_href(site, path, target), quote=True)}"'
    return link if site_versions(site).by_path.get(target) else link + ' hreflang="en"'


def _local_help(site: Site, path: str, lang: str, output: str) -> str:
    """A page in another language: the help box at its foot, the link to earlier editions and the date line under
    the title in its words, the box's "Who to call tonight" to the language's own crisis page where there is one.
    Rebuilt from ui-strings (escaped); a string the language lacks is English, marked lang="en" dir="ltr". They take
    the page's own lang and dir from <html> and <body>, so they read right to left on an Arabic page."""
    versions = site_versions(site)
    crisis = _crisis_page(versions, lang) or CRISIS_PAGE
    tel, number = HELPLINE
    phone = f'<a href="{tel}" dir="ltr">{number}</a>'  # digits in their order on a right-to-left page
    box = ('<div class="lg-help">\n  <p>'
           + _sentence(versions, lang, "help_danger", "help_danger_link", _link_attrs(site, path, crisis)) + "\n    "
           + ui_text(versions, lang, "help_talk").replace("{phone}", phone, 1) + "\n    "
           + _sentence(versions, lang, "help_more", "help_more_link", _link_attrs(site, path, HELP_PAGE)) + "\n    "
           + ui_text(versions, lang, "not_advice") + "</p>\n</div>")
    output = _HELP_BOX.sub(lambda m: box, output, count=1)
    output = _REVIEWED.sub(lambda m: _reviewed(versions, lang, m), output, count=1)
    note = ui_text(versions, lang, "editions_note")
    return _EDITIONS_NOTE.sub(lambda m: f'<p class="lg-editions-note">{m.group(1)}{note}</a></p>', output, count=1)


# Material's own labels and lawguide's page-end words, exactly as Material 9.8 / Zensical and render.page write them in
# English: (key, pattern); the English sits between the pattern's two groups. A text label the language lacks is
# marked English; an attribute cannot hold markup, so there it stays English (as Material wrote it).
_TEXT_LABELS = tuple((key, re.compile(pattern, re.DOTALL)) for key, pattern in (
    ("action.skip", r'(class="md-skip">\s*)Skip to content(\s*</a>)'),
    ("top", r'(data-md-component="top"[^>]*>\s*(?:<svg\b.*?</svg>)?\s*)Back to top(\s*</button>)'),
    ("toc", r'(<label class="md-nav__title" for="__toc">\s*<span class="md-nav__icon md-icon"></span>\s*)'
            r'(?:Table of contents|On this page)(\s*</label>)'),  # Material's words, then Zensical 0.0.73's
    ("search.result.initializer", r'(<div class="md-search-result__meta">\s*)Initializing search(\s*</div>)'),
    # the table of contents lists the page-end headings (Material's sidebar: in the page's language, unlike the menu)
    ("words_heading", r'(<a href="#words-on-this-page" class="md-nav__link">\s*<span class="md-ellipsis">\s*)'
                      r'Words used on this page(\s*</span>)'),
    ("legal_basis", r'(<a href="#legal-basis" class="md-nav__link">\s*<span class="md-ellipsis">\s*)Legal basis(\s*</span>)'),
))
_ATTR_LABELS = tuple((key, re.compile(pattern)) for key, pattern in (
    ("toc", r'(<nav class="md-nav md-nav--secondary" aria-label=")(?:Table of contents|On this page)(")'),
    ("search", r'(data-md-component="search" role="dialog" aria-label=")Search(")'),
    ("search", r'(<nav class="md-search__options" aria-label=")Search(")'),
    ("search.placeholder", r'(class="md-search__input" name="query" aria-label=")Search(")'),
    ("search.placeholder", r'(class="md-search__input" [^>]*placeholder=")Search(")'),
    ("search.reset", r'(<button type="reset" class="md-search__icon md-icon" title=")Clear(")'),
    ("search.reset", r'(<button type="reset" class="md-search__icon md-icon" title="[^"]*" aria-label=")Clear(")'),
    ("header", r'(<nav class="md-header__inner md-grid" aria-label=")Header(")'),
    # whatever mkdocs.yml's toc.permalink_title says (the guide's: "Link to this section"; Markdown's: "Permanent link")
    ("permalink", r'(<a class="headerlink" href="#[^"]*" title=")[^"]*(")'),
    ("on_this_page", r'(<nav class="lg-on-this-page" aria-label=")On this page(")'),
))
# render.page's page-end headings and folded lists, once finish_output has marked them English. Each becomes the
# language's words where it has them; the lists themselves (glossary definitions, law names, change notes) stay
# English and say so on their <ul>.
_HEADINGS = (("words_heading", re.compile(r'<h2 lang="en" dir="ltr" (id="words-on-this-page">)Words used on this page(<a )')),
             ("legal_basis", re.compile(r'<h2 lang="en" dir="ltr" ((?:data-search-exclude )?id="legal-basis">)Legal basis(<a )')))
_ON_THIS_PAGE = re.compile(r'<summary><span lang="en" dir="ltr">On this page</span></summary>')
_WORDS_FOLD = re.compile(r'<details lang="en" dir="ltr" (class="lg-fold">\s*<summary>)Show the words explained \((\d+)\)'
                         r'(</summary>\s*<ul )(class="lg-words">)')
_LAW_FOLD = re.compile(r'<details lang="en" dir="ltr" (class="lg-fold">\s*<summary>)Show the law this page relies on '
                       r'\((\d+)\)(</summary>\s*)<p>Each link opens our page on that law, with a link to the official '
                       r'text\.</p>(\s*<ul )(class="lg-legal-basis">)')
# (_ENGLISH_PARTS misses this one: its class is not "lg-fold" alone)
_HISTORY_FOLD = re.compile(r'<details (?:lang="en" dir="ltr" )?(class="lg-fold lg-history" id="page-history">\s*<summary>)'
                           r'Page history(</summary>\s*<ul )(class="lg-history__list">)')
# mkdocs.yml's `copyright:`, as the footer shows it: the same sentence as the help box's not_advice
_FOOTER_NOTE = re.compile(r'(<div class="md-copyright__highlight">)\s*This guide is not legal advice\. It covers England '
                          r'only\.\s*(</div>)')
# render.page's law-change notice, once marked English: its details stay English, a line in the language opens it
_LAW_CHANGE = re.compile(r'<div lang="en" dir="ltr" class="lg-law-change" [^>]*>')
# theme/partials/copyright.html's publisher line when it links the About page (the guide's case; a feedback address
# instead leaves it English): the publisher's name, already escaped by the template, stays as it is
_PUBLISHER = re.compile(r'<div class="lg-publisher">\s*Published by\s*((?:<a href="[^"]*">[^<]*</a>|[^<.]*))\.\s*'
                        r'<a (href="[^"]*")>How to tell us about a mistake</a>\.\s*</div>')
_CONFIG = re.compile(r'(<script id="__config" type="application/json">)(.*?)(</script>)', re.DOTALL)
# the copy-link button's words (lawguide.js reads <body data-lg-copy-link ...>, English where absent)
_COPY_KEYS = ("copy_link", "copy_link_to", "link_copied", "copy_by_hand", "copy_failed")
_ENGLISH_MARK = ' lang="en" dir="ltr" '


def _local_labels(site: Site, lang: str, direction: str, output: str) -> str:
    """A page in another language: Material's own labels (skip link, "Back to top", the table of contents, search,
    the header), the permalinks' titles, the page-end headings and folded lists, the footer's note and the copy-link
    button's words in its language, from ui-strings (Material's keys copied from its translations). A label the
    language lacks stays English, marked as English where it is text."""
    language = site_versions(site).languages.get(lang)
    strings = language.strings if language else {}

    def text(key: str) -> str:
        return html.escape(strings[key]) if key in strings else f'<span lang="en" dir="ltr">{html.escape(ENGLISH_DEFAULTS[key])}</span>'

    for key, pattern in _TEXT_LABELS:
        output = pattern.sub(lambda m, key=key: m.group(1) + text(key) + m.group(2), output)
    for key, pattern in _ATTR_LABELS:
        if key in strings:
            value = html.escape(strings[key], quote=True)
            output = pattern.sub(lambda m, value=value: m.group(1) + value + m.group(2), output)
    for key, pattern in _HEADINGS:
        if key in strings:
            output = pattern.sub(lambda m, key=key: f"<h2 {m.group(1)}{text(key)}{m.group(2)}", output, count=1)
    if "on_this_page" in strings:
        output = _ON_THIS_PAGE.sub(f"<summary>{text('on_this_page')}</summary>", output, count=1)
    output = _local_folds(strings, text, output)
    if "not_advice" in strings:
        output = _FOOTER_NOTE.sub(lambda m: f'{m.group(1)[:-1]} lang="{html.escape(lang, quote=True)}" dir="{direction}">'
                                            f'{text("not_advice")}{m.group(2)}', output, count=1)
    if "published_by" in strings or "mistake" in strings:
        output = _PUBLISHER.sub(lambda m: _publisher(site, lang, direction, m), output, count=1)
    if "law_change" in strings:
        line = f'\n<p lang="{html.escape(lang, quote=True)}" dir="{direction}">{text("law_change")}</p>'
        output = _LAW_CHANGE.sub(lambda m: m.group(0) + line, output, count=1)
    output = _CONFIG.sub(lambda m: m.group(1) + _config_translations(m.group(2), strings) + m.group(3), output, count=1)
    copy = "".join(f' data-lg-{key.replace("_", "-")}="{html.escape(strings[key], quote=True)}"'
                   for key in _COPY_KEYS if key in strings)
    return _BODY_TAG.sub(lambda m: m.group(0)[:-1] + copy + ">", output, count=1) if copy else output


def _publisher(site: Site, lang: str, direction: str, match: re.Match) -> str:
    """The footer's publisher line in the language (a sentence it lacks in English, marked English), in the page's
    lang and dir inside the footer, which is marked English for its other parts."""
    versions = site_versions(site)
    # isolated: a Latin name at the end of a right-to-left sentence would otherwise take its full stop to the wrong side
    name = ui_text(versions, lang, "published_by").replace("{publisher}", f"<bdi>{match.group(1)}</bdi>", 1)
    mistake = _sentence(versions, lang, "mistake", "mistake_link", match.group(2) + ' hreflang="en"')
    return f'<div class="lg-publisher" lang="{html.escape(lang, quote=True)}" dir="{direction}">{name} {mistake}</div>'


def _local_folds(strings: dict[str, str], text: Callable[[str], str], output: str) -> str:
    """The folded lists' summaries (and the legal basis's introduction) in the language, their lists marked English."""
    def count(key: str, number: str) -> str:
        return text(key).replace("{count}", number, 1)

    if "words_show" in strings:
        output = _WORDS_FOLD.sub(lambda m: f"<details {m.group(1)}{count('words_show', m.group(2))}{m.group(3)}"
                                           f"{_ENGLISH_MARK[1:]}{m.group(4)}", output, count=1)
    if "legal_basis_show" in strings:
        output = _LAW_FOLD.sub(lambda m: f"<details {m.group(1)}{count('legal_basis_show', m.group(2))}{m.group(3)}"
                                         f"<p>{text('legal_basis_intro')}</p>{m.group(4)}{_ENGLISH_MARK[1:]}{m.group(5)}",
                               output, count=1)
    # Page history always: its summary in the language's words or marked English, its notes (English) marked English
    return _HISTORY_FOLD.sub(lambda m: f"<details {m.group(1)}{text('page_history')}{m.group(2)}"
                                       f"{_ENGLISH_MARK[1:]}{m.group(3)}", output, count=1)


def _config_translations(raw: str, strings: dict[str, str]) -> str:
    """Material's page settings (JSON its script reads) with its search and clipboard words in the language. Written
    back with <, > and & as JSON escapes, so no value can end the <script> element it sits in."""
    try:
        config = json.loads(raw)
    except ValueError:
        return raw  # not Material's settings as we know them: leave them to Material
    words = config.get("translations") if isinstance(config, dict) else None
    if not isinstance(words, dict):
        return raw
    own = {key: strings[key] for key in words if key in MATERIAL_KEYS and key in strings}
    if not own:
        return raw
    config["translations"] = {**words, **own}
    out = json.dumps(config, ensure_ascii=False)
    return out.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def _isolate_english(article: str) -> str:
    """On a right-to-left page, each English phrase in brackets or quotes in the text (not in tags, code or an
    isolate already) becomes a left-to-right isolate, as citations are (render.page): broken across two lines in
    a right-to-left paragraph its closing bracket otherwise turned round and began the second line, reading
    "(and child protection". lang="en" so a screen reader speaks it as English."""
    out, skip = [], 0
    for part in _TAG_OR_TEXT.split(article):
        if part.startswith("<"):
            name = _TAG_NAME.match(part)
            if name and name.group(1).lower() in _SKIP and not part.endswith("/>"):
                skip += -1 if part.startswith("</") else 1
            out.append(part)
        elif skip > 0 or not part.strip() or not ("(" in part or '"' in part or "“" in part):
            out.append(part)  # (no bracket or quote mark: no phrase _ENGLISH_PHRASE could find)
        else:
            out.append(_ENGLISH_PHRASE.sub(lambda m: f'<bdi dir="ltr" lang="en">{m.group(0)}</bdi>', part))
    return "".join(out)


def _title_id(site: Site, path: str, output: str) -> str:
    """A version whose title makes no slug (Arabic, Urdu: Markdown falls back to "_1") gets its English page's title
    id, so "#_1" is never what an adviser copies. Only the title's: section ids are the page's own (links.lock)."""
    versions = site_versions(site)
    version, page = versions.by_path.get(path), site.pages.get(path)
    english = site.pages.get(version.of) if version else None
    if page is None or english is None:
        return output
    ours = next((h for h in page.headings if h.level == 1), None)
    theirs = next((h.id for h in english.headings if h.level == 1), "")
    match = _H1.search(output)
    if ours is None or ours.id or ours.explicit or not theirs or match is None:
        return output
    if theirs in {h.id for h in page.headings} or f'id="{theirs}"' in output:
        return output  # taken on this page: keep the engine's id rather than make two the same
    old = match.group(1)
    return output.replace(f'id="{old}"', f'id="{theirs}"', 1).replace(f'href="#{old}"', f'href="#{theirs}"')


def _set_attrs(tag: str, **attrs: str) -> str:
    for name, value in attrs.items():
        pattern = re.compile(_ATTR.format(name=name))
        new = f' {name}="{html.escape(value, quote=True)}"'
        tag = pattern.sub(new, tag, count=1) if pattern.search(tag) else tag[:-1] + new + ">"
    return tag

