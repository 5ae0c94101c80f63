"""A family reading the guide in Polish, Romanian, Urdu or Arabic must know before they follow a link that it
opens a page in English. So every link from a translated page to a page with no version in that language says
so straight after the link (outside it, before any punctuation), the way that language's pages say it (README,
"Translations and Easy Read"); a link to a page that has a version in the language goes to that version. Which
pages exist in which language comes from the pages' own `translation:` front matter, as the build reads it.
A failure means the content broke the rule: fix the page (or glossary/ui-strings.yml), not the test."""

from __future__ import annotations

import posixpath
import re
from dataclasses import dataclass

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
INLINE_CODE = re.compile(r"(`+).+?\1")
SCHEME = re.compile(r"^(?:[a-z][a-z0-9+.-]*:|//)", re.IGNORECASE)
# The strings in glossary/ui-strings.yml whose {link} always opens an English page (render.translations).
ENGLISH_LINK_STRINGS = {"help_more": "get-help.md", "mistake": "about/index.md"}


@dataclass(frozen=True)
class PageLink:
    line: int
    target: str  # as written
    page: str  # the page it opens, relative to docs/
    mark: str | None  # the words in brackets straight after the link, if any


def page_links(path: str, text: str) -> list[PageLink]:
    """Links from the page at `path` (relative to docs/) to other guide pages, in its body, lists, tables and
    admonitions; not in code, not to a section of the same page, not out of the guide."""
    lines = text.split("\n")
    close = front_matter_close(lines)
    start = close + 1 if close is not None else 0
    body = lines[start:]
    found = []
    for index, (line, in_code) in enumerate(zip(body, code_mask(body), strict=True), start + 1):
        if in_code:
            continue
        line = INLINE_CODE.sub(lambda m: " " * len(m.group(0)), line)  # keep offsets: a link in code is text
        for match in LINK.finditer(line):
            target = match.group(1)
            address = target.split("#", 1)[0].split("?", 1)[0]
            if not address.endswith(".md") or SCHEME.match(address):
                continue
            page = posixpath.normpath(posixpath.join(posixpath.dirname(path), address))
            after = BRACKETS_NEXT.match(line, match.end())
            found.append(PageLink(index, target, page, after.group(1) if after else None))
    return found


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
