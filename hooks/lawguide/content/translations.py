"""Translations and Easy Read versions: pages made from an English page as it was at one version.

A version is an ordinary guide page with a `translation:` key in its front matter (the format is in
README.md, "Translations and Easy Read"): which English page it was made from (`of`), that page's
content hash then (`source_hash`, as MDN records `l10n.sourceCommit`), its `language`, an optional
`variant` (only `easy-read`) and who checked it (`checked_by`, or null). The languages the guide
knows, with their names, direction and reader notices, are data: glossary/ui-strings.yml.

Here: reading and validating versions, the English page's current hash (a version is *stale* when it
differs), and the citation rule (a translation cites exactly its English page's ids; Easy Read only
ids its English page cites). Showing them is render.translations; listing stale ones, lawchange.review.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path

from lawguide.content.glossary import UI_STRINGS_FILE
from lawguide.content.pages import Page
from lawguide.core.problems import Problem, display_path, suggest
from lawguide.core.yamlsrc import Node, load_yaml_file, read_text

EASY_READ = "easy-read"  # the only variant, and the folder its pages live in (docs/easy-read/)
VARIANTS = (EASY_READ,)
KEYS = ("of", "source_hash", "language", "variant", "checked_by")
HASH_LENGTH = 12
DIRECTIONS = ("ltr", "rtl")
# Scripts written right to left: the default `dir` of a language the strings file gives none for.
RTL_LANGUAGES = frozenset({"ar", "ur", "fa", "he", "ps", "sd", "ckb", "yi", "dv", "ug"})
# The strings every language may give; a missing one falls back to English (wrapped lang="en").
STRING_KEYS = ("name", "dir", "switcher", "english", "easy_read", "stale", "stale_link", "unchecked",
               "search_english", "search_try", "search_finder", "search_talk", "crisis_link", "exit_button",
               "exit_hidden", "exit_loading", "exit_press_2",
               "exit_press_1", "exit_expired", "help_danger", "help_danger_link", "help_talk", "help_more",
               "help_more_link", "not_advice", "editions_note", "reviewed", "months",
               *("on_this_page", "permalink", "words_heading", "words_show", "legal_basis", "legal_basis_show",
                 "legal_basis_intro", "page_history", "copy_link", "copy_link_to", "link_copied", "copy_by_hand",
                 "copy_failed", "law_change", "published_by", "mistake", "mistake_link"),
               *("action.skip", "top", "toc", "search", "search.placeholder", "search.reset", "header",
                 "search.result.initializer", "search.result.placeholder", "search.result.none", "search.result.one",
                 "search.result.other", "search.result.more.one", "search.result.more.other",
                 "search.result.term.missing", "clipboard.copy", "clipboard.copied"))
# Material's own labels, named as Material names them (partials/languages/CODE.html): render.translations writes them
# where the page has Material's English, and the search ones into the page's __config for Material's script.
MATERIAL_KEYS = STRING_KEYS[STRING_KEYS.index("action.skip"):]
# Where a string takes a link or the helpline number (render.translations puts them in): each such key must
# hold its placeholder exactly once, and no other, or the box at the foot of the page loses its link.
PLACEHOLDERS = {"help_danger": "{link}", "help_more": "{link}", "help_talk": "{phone}", "reviewed": "{date}",
                "words_show": "{count}", "legal_basis_show": "{count}", "published_by": "{publisher}", "mistake": "{link}"}
_GOES = {"{link}": "the link", "{phone}": "the helpline number", "{date}": "the date", "{count}": "the number",
         "{publisher}": "the publisher's name"}
_PLACEHOLDER_RE = re.compile(r"\{[^{}]*\}")
# English, used where glossary/ui-strings.yml gives no English string (or there is no such file).
ENGLISH_DEFAULTS = {
    "name": "English", "switcher": "This page in:", "english": "English", "easy_read": "Easy Read",
    "stale": "The full English page has changed since this page was made. This page may now be out of date.",
    "stale_link": "Read the full English page",
    "unchecked": "This version has not been checked yet. Check anything important on the full English page.",
    "search_english": "Results in English",  # over English search results on a translated page (render.search)
    # the routes offered under "No matching documents" (render.search carries them to lawguide-search-engine.js,
    # which writes the same English where a language lacks them): a hint, then two links to English pages
    "search_try": "Try one or two everyday words, such as \u201crespite\u201d or \u201ccomplain\u201d. Or:",
    "search_finder": "Answer a few questions to find the right page",
    "search_talk": "Talk to someone: free helplines for parents",
    # The crisis link on every page and the quick-exit button (theme/main.html writes the English; on a page in a
    # language with its own crisis page, render.translations puts these words and that page in its place)
    "crisis_link": "In danger or need help now?", "exit_button": "Exit this page", "exit_hidden": "Emergency:",
    # what the exit script tells a screen reader (theme/assets/javascripts/lawguide-exit.js): whole sentences for
    # each count, so no language needs plural rules
    "exit_loading": "Loading.", "exit_press_2": "Shift, press 2 more times to exit.",
    "exit_press_1": "Shift, press 1 more time to exit.", "exit_expired": "Exit this page expired.",
    # The help box at the foot of every page and the editions link above it (theme/partials/lg-help.html and
    # theme/main.html write the English; on a page in another language render.translations writes these)
    "help_danger": "In danger now? {link}.", "help_danger_link": "Who to call tonight",
    "help_talk": "Need to talk to someone? Contact's free helpline for families with disabled children is {phone}.",
    "help_more": "{link}.", "help_more_link": "More places to get help",
    "not_advice": "This guide is not legal advice and covers England only.",
    "editions_note": "See this page as it was on an earlier date",
    # the line under a page's title (render.page writes the English); the date is written day, month, year, the
    # month from `months`: the twelve names as they read after a day, one word each, space-separated
    "reviewed": "Checked against the law as it stood on {date}",
    "months": "January February March April May June July August September October November December",
    # the page's own lists and links (render.page writes the English), and the copy-link button's words
    # (lawguide.js reads them from <body data-lg-copy-*>; English where absent)
    "on_this_page": "On this page", "permalink": "Link to this section",
    "words_heading": "Words used on this page", "words_show": "Show the words explained ({count})",
    "legal_basis": "Legal basis", "legal_basis_show": "Show the law this page relies on ({count})",
    "legal_basis_intro": "Each link opens our page on that law, with a link to the official text.",
    "page_history": "Page history", "copy_link": "Copy link to this section", "copy_link_to": "Copy link to section:",
    "link_copied": "Link copied", "copy_by_hand": "Copy this link:",
    "copy_failed": "Could not copy automatically. The link is shown and selected so you can copy it.",
    # a line in the language opening the law-change notice, whose details (law names, dates) stay English: true of
    # every kind of notice render.page writes (a change, a court decision, a correction, news of a proposal)
    "law_change": "There is news that may affect this page. The details are below, in English. We are checking the page now.",
    # the footer's publisher line (theme/partials/copyright.html writes the English), when it links the About page
    "published_by": "Published by {publisher}.", "mistake": "{link}.", "mistake_link": "How to tell us about a mistake",
    # Material's own labels, as Material 9.8.1 writes them in English (partials/languages/en.html)
    "action.skip": "Skip to content", "top": "Back to top", "toc": "Table of contents", "search": "Search",
    "search.placeholder": "Search", "search.reset": "Clear", "header": "Header",
    "search.result.initializer": "Initializing search", "search.result.placeholder": "Type to start searching",
    "search.result.none": "No matching documents", "search.result.one": "1 matching document",
    "search.result.other": "# matching documents", "search.result.more.one": "1 more on this page",
    "search.result.more.other": "# more on this page", "search.result.term.missing": "Missing",
    "clipboard.copy": "Copy to clipboard", "clipboard.copied": "Copied to clipboard",
}
_HASH_RE = re.compile(r"[0-9a-f]{12}")
# BCP 47 as the guide uses it: a language, then optional script/region subtags (pa-Guru, pt-BR).
_LANG_RE = re.compile(r"[a-z]{2,3}(-[A-Za-z0-9]{2,8})*")
FORMAT_EXAMPLE = ("translation: {of: short-breaks.md, source_hash: 3f2a9c1b7e4d, language: pl, checked_by: null}")


@dataclass(frozen=True)
class Language:
    code: str
    direction: str  # "ltr" | "rtl"
    strings: dict[str, str] = field(default_factory=dict, compare=False)


@dataclass(frozen=True)
class Version:
    """One translated or Easy Read page, as its front matter says it was made."""

    path: str  # the version's own page, relative to docs/
    display: str
    of: str  # the English page it was made from, relative to docs/
    source_hash: str
    language: str
    variant: str | None
    checked_by: str | None
    line: int  # the line of `translation:`

    @property
    def easy_read(self) -> bool:
        return self.variant == EASY_READ


@dataclass
class Versions:
    """Every valid version in the guide, with each English page's current hash."""

    by_path: dict[str, Version] = field(default_factory=dict)
    of_page: dict[str, list[Version]] = field(default_factory=dict)  # English page -> its versions
    languages: dict[str, Language] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    docs_dir: Path | None = None
    # English page -> its hash now, worked out when first asked (rendering, review): `impact` and
    # `check` never hash a page, so they do not pay for importing hashlib.
    hashes: dict[str, str] = field(default_factory=dict)

    def current_hash(self, of: str) -> str:
        if of not in self.hashes:
            try:
                self.hashes[of] = page_hash(self.docs_dir, of) if self.docs_dir else ""
            except UnreadablePage:  # reported by the page loader, at its line; not a crash here
                self.hashes[of] = "unreadable"
        return self.hashes[of]

    def is_stale(self, version: Version) -> bool:
        return self.current_hash(version.of) != version.source_hash

    def stale(self) -> list[Version]:
        return [v for v in sorted(self.by_path.values(), key=lambda v: v.path) if self.is_stale(v)]


def body_hash(text: str) -> str:
    """The first 12 hex digits of SHA-256 of the page's text after its front matter (UTF-8, LF line
    ends): what `lawguide translations hash PAGE` prints and `source_hash` records. The front matter is
    left out so a new `reviewed:` date alone does not make every translation stale."""
    import hashlib  # only when the guide has versions: hashlib's import costs more than a warm `impact`

    from lawguide.content.markdown_scan import split_front_matter

    text = text.replace("\r\n", "\n")
    _, body = split_front_matter(text, "")
    return hashlib.sha256(body.encode("utf-8")).hexdigest()[:HASH_LENGTH]


class UnreadablePage(Exception):
    """An English page that cannot be hashed; `problem` says why, as core.yamlsrc reads every source."""

    def __init__(self, problem: Problem) -> None:
        super().__init__(problem.message)
        self.problem = problem


def page_hash(docs_dir: Path, path: str) -> str:
    """body_hash of the page as the loader reads it (core.yamlsrc.read_text: regular files only, so a
    named pipe cannot hang review or the build); raises UnreadablePage."""
    text, problem = read_text(docs_dir / path, f"{docs_dir.name}/{path}")
    if problem:
        raise UnreadablePage(problem)
    return body_hash(text)


def load_languages(glossary_dir: Path, root: Path) -> tuple[dict[str, Language], list[Problem]]:
    """glossary/ui-strings.yml: `languages: {code: {name, dir, switcher, ...}}`. English must be there:
    it is every other language's fallback."""
    file = glossary_dir / UI_STRINGS_FILE
    display = display_path(file, root)
    if not file.exists() or os.path.islink(glossary_dir):  # a symlinked glossary/ is reported (content.site), not read
        return {"en": Language("en", "ltr", dict(ENGLISH_DEFAULTS))}, []
    node, problems = load_yaml_file(file, display)
    languages: dict[str, Language] = {}
    top = node.get("languages") if node else None
    if top is None or not isinstance(top.value, dict):
        return {"en": Language("en", "ltr", dict(ENGLISH_DEFAULTS))}, problems + [
            Problem(display, node.line if node else 1, "no 'languages:' mapping",
                    "languages:\n  en:\n    name: English")]
    for code, entry in top.value.items():
        line = top.key_lines.get(code, top.line)
        language, entry_problems = _read_language(code, entry, display, line)
        problems += entry_problems
        if language:
            languages[code] = language
    if "en" not in languages:
        problems.append(Problem(display, node.key_lines.get("languages", top.line), "no 'en' entry",
                                "English is every language's fallback: add en:"))
        languages["en"] = Language("en", "ltr", {})
    languages["en"] = Language("en", "ltr", {**ENGLISH_DEFAULTS, **languages["en"].strings})
    return languages, problems


def _read_language(code: str, entry: Node, display: str, line: int) -> tuple[Language | None, list[Problem]]:
    problems: list[Problem] = []
    if not _LANG_RE.fullmatch(code):
        return None, [Problem(display, line, f"'{code}' is not a BCP 47 language code", "for example pl, ar or pa-Guru")]
    if not isinstance(entry.value, dict):
        return None, [Problem(display, line, f"language '{code}' must be a mapping of strings", "name: Polski")]
    strings: dict[str, str] = {}
    for key, value in entry.value.items():
        key_line = entry.key_lines.get(key, line)
        if key not in STRING_KEYS:
            problems.append(Problem(display, key_line, f"unknown key '{key}' for language '{code}'",
                                    suggest(key, STRING_KEYS) or "keys: " + ", ".join(STRING_KEYS)))
        elif not isinstance(value.value, str) or not value.value.strip():
            problems.append(Problem(display, key_line, f"'{key}' of language '{code}' must be text"))
        elif key == "months" and len(value.value.split()) != 12:
            problems.append(Problem(display, key_line, f"'months' of language '{code}' has {len(value.value.split())} "
                                    "names, not 12", "the twelve month names as a date reads them, January first, "
                                    "one word each, separated by spaces"))
        elif (wrong := _placeholder_problem(key, value.value)) is not None:
            problems.append(Problem(display, key_line, f"'{key}' of language '{code}' {wrong[0]}", wrong[1]))
        else:
            strings[key] = value.value.strip()
    if "name" not in strings:
        problems.append(Problem(display, line, f"language '{code}' has no 'name'",
                                "its name in itself, as the switcher shows it (e.g. Polski)"))
    base = code.split("-")[0]
    direction = strings.pop("dir", "rtl" if base in RTL_LANGUAGES else "ltr")
    if direction not in DIRECTIONS:
        problems.append(Problem(display, entry.key_lines.get("dir", line),
                                f"'dir' of language '{code}' is '{direction}'", "ltr or rtl"))
        direction = "rtl" if base in RTL_LANGUAGES else "ltr"
    return Language(code, direction, strings), problems


def _placeholder_problem(key: str, text: str) -> tuple[str, str] | None:
    """(what is wrong, likely fix) when a string's {placeholders} are not exactly the one its key takes."""
    wanted = PLACEHOLDERS.get(key)
    found = _PLACEHOLDER_RE.findall(text)
    unknown = [p for p in found if p != wanted]
    if unknown:
        return (f"has the placeholder '{unknown[0]}', which it cannot fill",
                f"write {wanted} where {_GOES[wanted]} goes" if wanted
                else "write the words only: this string takes no placeholder")
    if wanted and found.count(wanted) != 1:
        what = _GOES[wanted]
        return (f"must hold {wanted} once (where {what} goes), not {found.count(wanted)} times",
                f"for example: {ENGLISH_DEFAULTS[key]}")
    return None


def load_versions(pages: dict[str, Page], docs_dir: Path, glossary_dir: Path, root: Path) -> Versions:
    """Read every page's `translation:`; every bad one is a problem at its line, and left out."""
    languages, problems = load_languages(glossary_dir, root)
    versions = Versions(languages=languages, problems=problems, docs_dir=docs_dir)
    for page in pages.values():
        if page.translation is None:
            problems += _missing_translation(page, languages)
            continue
        version = read_version(page, pages, languages, problems)
        if version is not None:
            versions.by_path[page.path] = version
            versions.of_page.setdefault(version.of, []).append(version)
    for version in versions.by_path.values():
        problems += citation_problems(pages[version.path], pages[version.of], version)
    return versions


def _missing_translation(page: Page, languages: dict[str, Language]) -> list[Problem]:
    """A page in docs/easy-read/ or a language's folder that does not say what it was made from."""
    top = page.path.split("/", 1)[0] if "/" in page.path else ""
    if top == EASY_READ or (top in languages and top != "en"):
        return [Problem(page.display, 1, f"page in docs/{top}/ has no 'translation:' in its front matter",
                        f"say which English page it was made from: {FORMAT_EXAMPLE}")]
    return []


def read_version(page: Page, pages: dict[str, Page], languages: dict[str, Language],
                 problems: list[Problem]) -> Version | None:
    node = page.translation
    at = page.meta_lines.get("translation", 1)
    if node is None or not isinstance(node.value, dict):
        problems.append(Problem(page.display, at, "'translation' must be a mapping", FORMAT_EXAMPLE))
        return None
    before = len(problems)

    def line(key: str) -> int:
        return node.key_lines.get(key, at)

    def bad(key: str, message: str, hint: str) -> None:
        problems.append(Problem(page.display, line(key), message, hint))

    for key in node.value:
        if key not in KEYS:
            bad(key, f"unknown key '{key}' in 'translation'", suggest(key, KEYS) or "keys: " + ", ".join(KEYS))
    value = {k: v.value for k, v in node.value.items()}
    for key in ("of", "source_hash", "language"):
        if not isinstance(value.get(key), str) or not value[key].strip():
            bad(key, f"'translation' has no '{key}'", FORMAT_EXAMPLE)
    if "checked_by" not in value:
        bad("checked_by", "'translation' does not say who checked it",
            'add checked_by: null until a fluent speaker (or an Easy Read reviewer) has, then checked_by: "name or role"')
    elif value["checked_by"] is not None and (not isinstance(value["checked_by"], str) or not value["checked_by"].strip()):
        bad("checked_by", "'checked_by' must be a name or role, or null", 'checked_by: "name or role"')
    if len(problems) > before:
        return None
    of, source_hash, language = value["of"].strip(), value["source_hash"].strip(), value["language"].strip()
    variant = value.get("variant")
    _check_of(page, of, pages, line("of"), problems)
    if not _HASH_RE.fullmatch(source_hash):
        bad("source_hash", f"source_hash '{source_hash}' is not 12 lower-case hex digits",
            f"run `lawguide translations hash {of}` and copy what it prints")
    if variant is not None and variant not in VARIANTS:
        bad("variant", f"unknown variant '{variant}'", "the only variant is easy-read; leave it out for a translation")
    elif language not in languages:
        hint = (f"'{language}' is not a BCP 47 code; use one such as pl, ar or pa-Guru" if not _LANG_RE.fullmatch(language)
                else suggest(language, list(languages))
                or f"add {language} to glossary/{UI_STRINGS_FILE} with its name (and notices), or use a listed code")
        bad("language", f"unknown language code '{language}'", hint)
    elif variant == EASY_READ and language != "en":
        bad("language", f"Easy Read is English: language is '{language}'", "language: en with variant: easy-read")
    elif variant is None and language == "en":
        bad("language", "a translation into English of an English page",
            "for an Easy Read version add variant: easy-read; otherwise set the language it is written in")
    if len(problems) > before:
        return None
    folder = EASY_READ if variant == EASY_READ else language
    expected = f"{folder}/{of}"
    if page.path != expected:
        problems.append(Problem(page.display, at, f"this version of {of} is in the wrong place",
                                f"move it to docs/{expected} (versions keep the English page's path under docs/{folder}/)"))
        return None
    english = pages.get(of)
    if english is not None and english.exit_this_page and not page.exit_this_page:
        # The English page has the quick exit because a reader may be in danger on it: so may its reader here.
        problems.append(Problem(page.display, page.meta_lines.get("exit_this_page", at),
                                f"{of} has the quick exit button (exit_this_page: true) but this version has not",
                                "add exit_this_page: true to this page's front matter"))
    checked = value.get("checked_by")
    return Version(page.path, page.display, of, source_hash, language, variant,
                   checked.strip() if isinstance(checked, str) else None, at)


def _check_of(page: Page, of: str, pages: dict[str, Page], line: int, problems: list[Problem]) -> None:
    source = pages.get(of)
    if source is None:
        english = [p for p, pg in pages.items() if pg.translation is None]
        problems.append(Problem(page.display, line, f"unknown English page '{of}'",
                                suggest(of, english) or "give the English page's path under docs/, e.g. short-breaks.md"))
    elif source.translation is not None:
        problems.append(Problem(page.display, line, f"'{of}' is itself a version of another page",
                            "point 'of' at the English page it was made from"))


def citation_problems(page: Page, english: Page, version: Version) -> list[Problem]:
    """A translation cites exactly its English page's register ids; Easy Read only ids it cites.
    The law is the same in every language, so a difference is an error in one of the two pages."""
    theirs = {c.target for c in english.law_citations}
    ours: dict[str, int] = {}
    for cite in page.law_citations:
        ours.setdefault(cite.target, cite.line)
    problems = []
    for ref_id, line in ours.items():
        if ref_id not in theirs:
            problems.append(Problem(page.display, line, f"cites '{ref_id}', which {english.display} does not cite",
                                    "cite only what the English page cites, or cite it there first"))
    if not version.easy_read:
        for ref_id in sorted(theirs - set(ours)):
            problems.append(Problem(page.display, version.line,
                                    f"does not cite '{ref_id}', which {english.display} cites",
                                    f"a translation cites the same law as its English page: add [[{ref_id}]] "
                                    "where the English cites it"))
    return problems


def site_versions(site) -> Versions:
    """The guide's versions, worked out once a build (Site.remember)."""
    settings = site.settings
    return site.remember("versions", lambda: load_versions(site.pages, settings.docs_dir, settings.glossary_dir,
                                                           settings.root))
