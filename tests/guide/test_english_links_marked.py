"""A family reading the guide in Polish, Romanian, Urdu or Arabic must know before they follow a link that it
opens a page in English. So every link from a translated page to a page with no version in that language says
so straight after the link (outside it, before any punctuation), the way that language's pages say it (README,
"Translations and Easy Read"); a link to a page that has a version in the language goes to that version. Which
pages exist in which language comes from the pages' own `translation:` front matter, as the build reads it.
Links to other websites (http, https) carry the same mark, unless the site offers the page's language and
`OFFERS_THE_LANGUAGE` says so with a reason; phone (`tel:`) and e-mail (`mailto:`) links need none.
A failure means the content broke the rule: fix the page (or glossary/ui-strings.yml), not the test."""

from __future__ import annotations

import posixpath
import re
from collections.abc import Iterator
from dataclasses import dataclass
from urllib.parse import urlsplit

import pytest
from lawguide.content.markdown_scan import code_mask, front_matter_close
from lawguide.content.site import Site, load_site
from lawguide.content.translations import Language, Version, Versions, site_versions
from lawguide.core.settings import Settings

from tests.fixtures import REPO

# What each language writes in the brackets after a link to an English page: Polish and Romanian "(EN)" (or "po
# angielsku", "în engleză" where a sentence says more); Urdu "(انگریزی میں)", or "(یہ خط انگریزی میں ہے)" for a
# letter and "(یہ صفحہ انگریزی میں ہے)" for the helplines page; Arabic "(بالإنجليزية)", or "(الصفحة بالإنجليزية)".
MARKS = {
    "pl": re.compile(r"\bEN\b|po angielsku"),
    "ro": re.compile(r"\bEN\b|în engleză"),
    "ur": re.compile(r"انگریزی میں"),
    "ar": re.compile(r"بالإنجليزية"),
}
# An inline link (not an image), with its optional attribute list ({: dir="ltr"}), which the mark follows.
LINK = re.compile(r"(?<!!)\[(?:[^\[\]\n]|\[[^\[\]\n]*\])*\]\(\s*<?([^)\s>]*)>?(?:\s+\"[^\"]*\")?\s*\)"
                  r"(?:\{[^}\n]*\})?")
BRACKETS_NEXT = re.compile(r"[ \u00a0]*\(([^()\n]*)\)")
# A link that opens a bracket may carry the mark in the rest of it: "([frg.org.uk](https://frg.org.uk), po
# angielsku)"; Urdu and Arabic write the comma "،" (semicolon "؛").
BRACKET_OPEN_BEFORE = re.compile(r"\([ \u00a0]*$")
BRACKET_REST = re.compile(r"[ \u00a0]*[,;،؛][ \u00a0]*([^()\n]*)\)")
# A bare web address in angle brackets, also a link.
AUTOLINK = re.compile(r"<(https?://[^>\s]+)>", re.IGNORECASE)
WEB = re.compile(r"^https?://", re.IGNORECASE)
INLINE_CODE = re.compile(r"(`+).+?\1")
SCHEME = re.compile(r"^(?:[a-z][a-z0-9+.-]*:|//)", re.IGNORECASE)
# The strings in glossary/ui-strings.yml whose {link} always opens an English page (render.translations).
ENGLISH_LINK_STRINGS = {"help_more": "get-help.md", "mistake": "about/index.md"}
# Websites a link from a page in that language may leave unmarked, because the site offers the language:
# host (without "www.") -> {language: why}. Empty: every site the pl, ro, ur and ar pages link to (helplines,
# frg.org.uk, contact.org.uk, lukeclements.co.uk, legislation.gov.uk) is in English, and none of their links
# relied on one (7 December 2026). Add an entry only with the page on that site in the language as the reason.
OFFERS_THE_LANGUAGE: dict[str, dict[str, str]] = {}


@dataclass(frozen=True)
class PageLink:
    line: int
    target: str  # as written
    page: str  # the page it opens, relative to docs/
    mark: str | None  # the words in brackets straight after the link, if any


@dataclass(frozen=True)
class WebLink:
    line: int
    target: str  # as written
    host: str  # without "www."
    mark: str | None  # the words in brackets straight after the link, or in the rest of the bracket it opens


def body_links(text: str) -> Iterator[tuple[int, str, str | None]]:
    """(line, target, mark) of each inline link and bare <https://...> address in the page's body, lists,
    tables and admonitions, not in code; the mark is the words in brackets straight after the link, if any."""
    lines = text.split("\n")
    close = front_matter_close(lines)
    start = close + 1 if close is not None else 0
    body = lines[start:]
    for index, (line, in_code) in enumerate(zip(body, code_mask(body), strict=True), start + 1):
        if in_code:
            continue
        line = INLINE_CODE.sub(lambda m: " " * len(m.group(0)), line)  # keep offsets: a link in code is text
        matches = list(LINK.finditer(line))
        bare = line
        for match in matches:  # an address inside a link's (<...>) is not a second link
            bare = bare[:match.start()] + " " * (match.end() - match.start()) + bare[match.end():]
        for match in sorted([*matches, *AUTOLINK.finditer(bare)], key=lambda m: m.start()):
            after = BRACKETS_NEXT.match(line, match.end())
            if after is None and BRACKET_OPEN_BEFORE.search(line, 0, match.start()):
                after = BRACKET_REST.match(line, match.end())
            yield index, match.group(1), after.group(1) if after else None


def page_links(path: str, text: str) -> list[PageLink]:
    """Links from the page at `path` (relative to docs/) to other guide pages, in its body, lists, tables and
    admonitions; not in code, not to a section of the same page, not out of the guide."""
    found = []
    for line, target, mark in body_links(text):
        address = target.split("#", 1)[0].split("?", 1)[0]
        if not address.endswith(".md") or SCHEME.match(address):
            continue
        page = posixpath.normpath(posixpath.join(posixpath.dirname(path), address))
        found.append(PageLink(line, target, page, mark))
    return found


def web_links(text: str) -> list[WebLink]:
    """Links from a page to other websites (http, https); not phone or e-mail links, not in code."""
    found = []
    for line, target, mark in body_links(text):
        if WEB.match(target):
            host = (urlsplit(target).hostname or "").removeprefix("www.")
            found.append(WebLink(line, target, host, mark))
    return found


def web_link_problems(path: str, text: str, language: str,
                      offers: dict[str, dict[str, str]] = OFFERS_THE_LANGUAGE) -> list[str]:
    """Each link on a page in `language` to another website that does not say it opens English, unless the site
    offers the language (`offers`): `docs/path:line: what is wrong (fix)`."""
    mark = MARKS[language]
    problems = []
    for link in web_links(text):
        if link.mark is not None and mark.search(link.mark):
            continue
        if language in offers.get(link.host, {}):
            continue
        problems.append(f"docs/{path}:{link.line}: {link.target} opens another website, in English, with no mark "
                        "straight after the link (write the language's mark there, before any punctuation; if "
                        f"{link.host} offers the language, say so in OFFERS_THE_LANGUAGE with the reason)")
    return problems


def link_problems(path: str, text: str, language: str, versions: Versions) -> list[str]:
    """Each link on a page in `language` that does not say it opens English, says so wrongly, or opens the English
    page where the language has its own version: `docs/path:line: what is wrong (fix)`."""
    mark = MARKS[language]
    own = {v.of for v in versions.by_path.values() if v.language == language and not v.easy_read}
    problems = []
    for link in page_links(path, text):
        marked = link.mark is not None and mark.search(link.mark) is not None
        top = link.page.split("/", 1)[0]
        if top == language:
            if marked:
                problems.append(f"docs/{path}:{link.line}: {link.target} opens a page in this language but is "
                                f"marked English ({link.mark}) (take the mark out)")
        elif top in versions.languages and top != "en":
            continue  # another language's page: not this rule's business
        elif link.page in own:
            problems.append(f"docs/{path}:{link.line}: {link.target} opens the English page, but "
                            f"docs/{language}/{link.page} exists (link to it instead)")
        elif not marked:
            problems.append(f"docs/{path}:{link.line}: {link.target} opens a page only in English with no mark "
                            "straight after the link (write the language's mark there, before any punctuation)")
    return problems


# ---------------------------------------------------------------- the rule itself, on pages written for it

def versions_with(*translated: str, languages: tuple[str, ...] = ("en", "pl", "ur")) -> Versions:
    """Versions as the site reads them: `translated` are English pages with a Polish version."""
    versions = Versions(languages={code: Language(code, "ltr") for code in languages})
    for of in translated:
        versions.by_path[f"pl/{of}"] = Version(f"pl/{of}", f"docs/pl/{of}", of, "0" * 12, "pl", None, None, 2)
    return versions


def page(*body: str) -> str:
    return "\n".join(["---", "title: Strona", "---", *body]) + "\n"


def test_an_unmarked_link_to_an_english_only_page_is_reported_at_its_line():
    text = page("Tekst.", "", "Proszę przeczytać [reforma prawa](../law-reform.md).")
    assert link_problems("pl/direct-payments.md", text, "pl", versions_with()) == [
        "docs/pl/direct-payments.md:6: ../law-reform.md opens a page only in English with no mark straight after "
        "the link (write the language's mark there, before any punctuation)"]


def test_a_mark_straight_after_the_link_before_punctuation_passes():
    text = page("Proszę przeczytać [reforma prawa](../law-reform.md) (EN).",
                "Zadzwonić: [0808](tel:+448088083555){: dir=\"ltr\"}, [pomoc](../get-help.md#contact){: dir=\"ltr\"} (EN).",
                "Użyć [wzoru](../letters/complaint.md) (EN; list warto wysłać po angielsku).",
                "Strona [NSPCC](../get-help.md) (po angielsku).")
    assert link_problems("pl/direct-payments.md", text, "pl", versions_with()) == []


def test_a_mark_later_in_the_sentence_does_not_count():
    text = page("آپ ہمارا [شکایت کا خط](../letters/complaint.md) استعمال کر سکتے ہیں (یہ خط انگریزی میں ہے)۔",
                "آپ ہمارا [خط](../letters/complaint.md) استعمال کر سکتے ہیں۔ یہ خط انگریزی میں ہے۔")
    assert [p.split(": ")[0] for p in link_problems("ur/index.md", text, "ur", versions_with())] == [
        "docs/ur/index.md:4", "docs/ur/index.md:5"]


def test_brackets_that_do_not_say_english_are_not_a_mark():
    text = page("Zob. [opieka](../ehc-plans.md) (EHC plan).", "Zob. [wzór](../letters/complaint.md) (ENG).")
    assert len(link_problems("pl/index.md", text, "pl", versions_with())) == 2


def test_links_in_lists_tables_and_admonitions_are_checked_and_code_is_not():
    text = page("- szukać pomocy: [pomoc](../get-help.md)",
                "| Co | Gdzie |", "|---|---|", "| list | [wzór](../letters/complaint.md) |",
                '!!! adviser "Dla doradców"', "    Zob. [reforma](../law-reform.md).",
                "```", "[w kodzie](../law-reform.md)", "```", "Tekst `[w kodzie](../law-reform.md)` tu.")
    lines = [int(p.split(":")[1]) for p in link_problems("pl/index.md", text, "pl", versions_with())]
    assert lines == [4, 7, 9]


def test_links_within_the_language_to_sections_and_out_of_the_guide_need_no_mark():
    text = page("Zob. [ocena](assessments/index.md), [niżej](#rates), [Contact](https://contact.org.uk),",
                "[telefon](tel:+448088083555) i [ocena](../pl/assessments/index.md).")
    assert link_problems("pl/index.md", text, "pl", versions_with("assessments/index.md")) == []


def test_a_link_within_the_language_marked_english_is_reported():
    text = page("Zob. [ocena](assessments/index.md) (EN).")
    [problem] = link_problems("pl/index.md", text, "pl", versions_with("assessments/index.md"))
    assert problem.startswith("docs/pl/index.md:4: assessments/index.md opens a page in this language but is marked")


def test_a_link_to_the_english_page_of_a_translated_page_asks_for_the_translation_even_when_marked():
    text = page("Zob. [przerwy](../../short-breaks.md#charges) (EN).")
    [problem] = link_problems("pl/assessments/index.md", text, "pl", versions_with("short-breaks.md"))
    assert problem == ("docs/pl/assessments/index.md:4: ../../short-breaks.md#charges opens the English page, "
                       "but docs/pl/short-breaks.md exists (link to it instead)")


def test_only_the_language_of_the_page_counts():
    # A Polish mark on an Urdu page is not the Urdu mark; an Urdu translation does not make a Polish page exist.
    text = page("[شکایت](../letters/complaint.md) (EN)۔", "[وقفے](../short-breaks.md) (انگریزی میں)۔")
    assert len(link_problems("ur/index.md", text, "ur", versions_with("short-breaks.md"))) == 1


def test_an_unmarked_link_to_another_website_is_reported_at_its_line():
    text = page("- Childline کی ویب سائٹ [childline.org.uk](https://www.childline.org.uk/) پر آن لائن چیٹ ہے۔",
                "Family Rights Group ([frg.org.uk](https://frg.org.uk)) مشورہ دیتا ہے۔")
    assert web_link_problems("ur/help-now.md", text, "ur") == [
        "docs/ur/help-now.md:4: https://www.childline.org.uk/ opens another website, in English, with no mark "
        "straight after the link (write the language's mark there, before any punctuation; if childline.org.uk "
        "offers the language, say so in OFFERS_THE_LANGUAGE with the reason)",
        "docs/ur/help-now.md:5: https://frg.org.uk opens another website, in English, with no mark straight after "
        "the link (write the language's mark there, before any punctuation; if frg.org.uk offers the language, "
        "say so in OFFERS_THE_LANGUAGE with the reason)"]


def test_a_website_mark_straight_after_the_link_or_in_the_rest_of_the_bracket_it_opens_passes():
    polish = page("Strona [nspcc.org.uk](https://www.nspcc.org.uk/) (po angielsku).",
                  "Family Rights Group ([frg.org.uk](https://frg.org.uk), po angielsku) doradza.",
                  "[Explanatory Notes](https://www.legislation.gov.uk/ukpga/2014/23/notes) (EN; paras 358–361).",
                  "[Notes](http://example.org/a){: dir=\"ltr\"} (EN).")
    urdu = page("Family Rights Group ([frg.org.uk](https://frg.org.uk)، انگریزی میں) مشورہ دیتا ہے۔",
                "[nspcc.org.uk](https://www.nspcc.org.uk/) (انگریزی میں) پر ایک فارم ہے۔")
    arabic = page("منظمة Family Rights Group ([frg.org.uk](https://frg.org.uk)، بالإنجليزية) تقدّم النصيحة.",
                  "[Notes](https://www.legislation.gov.uk/) (بالإنجليزية؛ الفقرات 358 إلى 361).")
    assert web_link_problems("pl/safeguarding.md", polish, "pl") == []
    assert web_link_problems("ur/safeguarding.md", urdu, "ur") == []
    assert web_link_problems("ar/safeguarding.md", arabic, "ar") == []


def test_a_website_mark_later_elsewhere_or_in_another_language_does_not_count():
    text = page("Zob. [Contact](https://contact.org.uk). Strona jest po angielsku (po angielsku).",
                "(zob. [frg.org.uk](https://frg.org.uk), po angielsku)",
                "([frg.org.uk](https://frg.org.uk)) (po angielsku)",
                "Zob. [nspcc.org.uk](https://www.nspcc.org.uk/) (NSPCC).")
    assert [p.split(": ")[0] for p in web_link_problems("pl/index.md", text, "pl")] == [
        "docs/pl/index.md:4", "docs/pl/index.md:5", "docs/pl/index.md:6", "docs/pl/index.md:7"]
    urdu = page("[nspcc.org.uk](https://www.nspcc.org.uk/) (EN) پر ایک فارم ہے۔")
    assert len(web_link_problems("ur/help-now.md", urdu, "ur")) == 1


def test_phone_and_email_links_section_links_guide_pages_and_code_need_no_website_mark():
    text = page("Zadzwonić: [999](tel:999), [0808 808 3555](tel:+448088083555){: dir=\"ltr\"}.",
                "Napisać: [e-mail](mailto:help@example.org), [niżej](#rates), [pomoc](../get-help.md) (EN).",
                "```", "[w kodzie](https://frg.org.uk)", "```", "Tekst `[w kodzie](https://frg.org.uk)` tu.")
    assert web_links(text) == []
    assert web_link_problems("pl/help-now.md", text, "pl") == []


def test_a_bare_web_address_is_a_link_too_and_an_address_in_angle_brackets_counts_once():
    text = page("Strona <https://frg.org.uk> doradza.", "Strona <https://frg.org.uk> (po angielsku) doradza.",
                "Strona [frg](<https://frg.org.uk>) doradza.")
    assert [(link.line, link.target) for link in web_links(text)] == [
        (4, "https://frg.org.uk"), (5, "https://frg.org.uk"), (6, "https://frg.org.uk")]
    assert [p.split(": ")[0] for p in web_link_problems("pl/index.md", text, "pl")] == [
        "docs/pl/index.md:4", "docs/pl/index.md:6"]


def test_a_site_that_offers_the_language_may_stay_unmarked_in_that_language_only():
    offers = {"contact.org.uk": {"pl": "strona po polsku (example)"}}
    text = page("Zob. [Contact](https://www.contact.org.uk/pl/) i [frg.org.uk](https://frg.org.uk).")
    [problem] = web_link_problems("pl/index.md", text, "pl", offers)
    assert problem.startswith("docs/pl/index.md:4: https://frg.org.uk opens another website")
    assert len(web_link_problems("ro/index.md", text, "ro", offers)) == 2


# ---------------------------------------------------------------- the real guide


@pytest.fixture(scope="module")
def site() -> Site:
    return load_site(Settings.from_mkdocs_yml(REPO / "mkdocs.yml"))


def translations(site: Site) -> list:
    return sorted((v for v in site_versions(site).by_path.values() if not v.easy_read), key=lambda v: v.path)


def test_the_guide_has_translations_in_every_language_with_a_mark(site: Site):
    languages = {v.language for v in translations(site)}
    assert languages, "no translated pages found: the test reads nothing"
    assert not languages - set(MARKS), f"add the mark for {sorted(languages - set(MARKS))} to MARKS"


def test_every_link_from_a_translated_page_to_an_english_only_page_says_so(site: Site):
    versions = site_versions(site)
    checked, problems = 0, []
    for version in translations(site):
        text = (REPO / "docs" / version.path).read_text(encoding="utf-8")
        checked += len(page_links(version.path, text))
        problems += link_problems(version.path, text, version.language, versions)
    assert checked > 100, f"only {checked} links found on translated pages: the scan is broken"
    assert not problems, f"{len(problems)} links:\n" + "\n".join(problems)


def test_every_link_from_a_translated_page_to_another_website_says_so(site: Site):
    checked, problems, relied_on = 0, [], set()
    for version in translations(site):
        text = (REPO / "docs" / version.path).read_text(encoding="utf-8")
        links = web_links(text)
        checked += len(links)
        problems += web_link_problems(version.path, text, version.language)
        relied_on |= {(link.host, version.language) for link in links}
    assert checked > 20, f"only {checked} links to other websites found on translated pages: the scan is broken"
    for host, languages in OFFERS_THE_LANGUAGE.items():
        for language, reason in languages.items():
            if not reason.strip():
                problems.append(f"OFFERS_THE_LANGUAGE: {host} {language} has no reason (say which page of the site "
                                "is in the language)")
            if (host, language) not in relied_on:
                problems.append(f"OFFERS_THE_LANGUAGE: no {language} page links {host} (take the entry out)")
    assert not problems, f"{len(problems)} links:\n" + "\n".join(problems)


def test_the_help_box_and_footer_links_to_english_pages_say_so(site: Site):
    versions = site_versions(site)
    missing = []
    for language in sorted({v.language for v in translations(site)}):
        strings = versions.languages[language].strings
        for key, english in ENGLISH_LINK_STRINGS.items():
            if key not in strings:
                continue  # shown in English, marked English as a whole
            after = BRACKETS_NEXT.match(strings[key], strings[key].index("{link}") + len("{link}"))
            if not (after and MARKS[language].search(after.group(1))):
                missing.append(f"glossary/ui-strings.yml: {language}.{key} links {english} (English) with no "
                               f"mark after {{link}}: {strings[key]!r}")
    assert not missing, "\n".join(missing)
