"""Translations and Easy Read versions: their `translation:` front matter, staleness and the citation rule."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest
from lawguide.content.site import load_site
from lawguide.content.translations import body_hash, page_hash, site_versions
from lawguide.core.settings import Settings

from tests.fixtures import DEFAULT_PAGES, lawguide, make_site

STRINGS = """\
languages:
  en:
    name: English
    stale: The English page has changed since this version was made.
  pl:
    name: Polski
  ar:
    name: العربية
"""


def version(of: str = "index.md", source_hash: str | None = None, language: str = "pl", variant: str = "",
            checked_by: str = "null", body: str = "# Strona\n\nRada musi pomóc [[ca1989-s17]] [[ca1989-s17zd]].\n",
            extra: str = "") -> str:
    hash_line = f"  source_hash: {source_hash}\n" if source_hash is not None else ""
    variant_line = f"  variant: {variant}\n" if variant else ""
    return (f"---\ntitle: Strona\nreviewed: 2026-11-01\ntranslation:\n  of: {of}\n{hash_line}"
            f"  language: {language}\n{variant_line}  checked_by: {checked_by}\n{extra}---\n{body}")


def site_with(tmp_path: Path, pages: dict[str, str], strings: str = STRINGS):
    english = textwrap.dedent(DEFAULT_PAGES["index.md"])
    hashed = {name: text.replace("HASH", body_hash(english)) for name, text in pages.items()}
    root = make_site(tmp_path, {**DEFAULT_PAGES, **hashed})
    (root / "glossary" / "ui-strings.yml").write_text(strings, encoding="utf-8")
    return load_site(Settings.from_mkdocs_yml(root / "mkdocs.yml"))


def messages(site) -> list[str]:
    return [p.format() for p in site.problems]


def line_of(text: str, needle: str) -> int:
    return next(i for i, line in enumerate(text.split("\n"), 1) if needle in line)


def test_a_good_translation_is_read_with_its_language_and_is_current(tmp_path: Path) -> None:
    site = site_with(tmp_path, {"pl/index.md": version(source_hash="HASH")})
    assert messages(site) == []
    found = site_versions(site).by_path["pl/index.md"]
    assert (found.of, found.language, found.variant, found.checked_by) == ("index.md", "pl", None, None)
    assert not site_versions(site).is_stale(found)
    assert site_versions(site).of_page["index.md"] == [found]


def test_easy_read_may_cite_fewer_ids_than_its_english_page(tmp_path: Path) -> None:
    page = version(source_hash="HASH", language="en", variant="easy-read", checked_by='"Easy Read reviewer"',
                   body="# Home\n\nThe council must help [[ca1989-s17]].\n")
    site = site_with(tmp_path, {"easy-read/index.md": page})
    assert messages(site) == []
    found = site_versions(site).by_path["easy-read/index.md"]
    assert found.easy_read and found.checked_by == "Easy Read reviewer"


def test_changing_the_english_page_makes_its_version_stale(tmp_path: Path) -> None:
    site = site_with(tmp_path, {"pl/index.md": version(source_hash="HASH")})
    assert site_versions(site).stale() == []
    english = tmp_path / "docs" / "index.md"
    english.write_text(english.read_text(encoding="utf-8").replace("must help", "must support"), encoding="utf-8")
    again = load_site(Settings.from_mkdocs_yml(tmp_path / "mkdocs.yml"))
    assert [v.path for v in site_versions(again).stale()] == ["pl/index.md"]
    assert messages(again) == []  # stale is a list for editors, not an error


def test_a_new_reviewed_date_alone_does_not_make_versions_stale(tmp_path: Path) -> None:
    site_with(tmp_path, {"pl/index.md": version(source_hash="HASH")})
    english = tmp_path / "docs" / "index.md"
    english.write_text(english.read_text(encoding="utf-8").replace("2026-11-01", "2026-12-01"), encoding="utf-8")
    assert site_versions(load_site(Settings.from_mkdocs_yml(tmp_path / "mkdocs.yml"))).stale() == []


def test_the_hash_ignores_front_matter_and_windows_line_ends() -> None:
    a = body_hash("---\ntitle: A\n---\n# Home\n\nText.\n")
    assert a == body_hash("---\ntitle: B\nreviewed: 2026-01-01\n---\r\n# Home\r\n\r\nText.\r\n")
    assert a != body_hash("---\ntitle: A\n---\n# Home\n\nText!\n")
    assert len(a) == 12 and int(a, 16) >= 0


def test_lawguide_translations_hash_prints_the_pages_hash(tmp_path: Path) -> None:
    root = make_site(tmp_path)
    done = lawguide(root, "translations", "hash", "index.md")
    assert done.returncode == 0 and done.stdout.strip() == page_hash(root / "docs", "index.md")
    assert lawguide(root, "translations", "hash", "docs/index.md").stdout == done.stdout
    missing = lawguide(root, "translations", "hash", "nowhere.md")
    assert missing.returncode == 1 and "cannot read docs/nowhere.md" in missing.stderr
    assert "Traceback" not in missing.stderr


def test_lawguide_translations_hash_refuses_a_named_pipe_instead_of_waiting_on_it(tmp_path: Path) -> None:
    import os
    import subprocess
    import sys

    if not hasattr(os, "mkfifo"):
        pytest.skip("no named pipes here")
    root = make_site(tmp_path)
    os.mkfifo(root / "docs" / "pipe.md")
    done = subprocess.run([sys.executable, "-m", "lawguide.cli", "--config", str(root / "mkdocs.yml"), "translations",
                           "hash", "pipe.md"], capture_output=True, text=True, cwd=root, timeout=30)
    assert done.returncode == 1 and "cannot read docs/pipe.md: not a regular file (a named pipe)" in done.stderr
    assert "Traceback" not in done.stderr


BAD = [
    # (name, page path, page text, needle for the line, message start)
    ("unknown English page", "pl/index.md", version(of="indx.md", source_hash="HASH"), "of: indx.md",
     "unknown English page 'indx.md' (did you mean 'index.md'?)"),
    ("bad hash", "pl/index.md", version(source_hash="3F2A9C1B7E4"), "source_hash:",
     "source_hash '3F2A9C1B7E4' is not 12 lower-case hex digits (run `lawguide translations hash index.md`"),
    ("no hash", "pl/index.md", version(source_hash=None), "translation:", "'translation' has no 'source_hash'"),
    ("unknown language", "xx/index.md", version(source_hash="HASH", language="xx"), "language: xx",
     "unknown language code 'xx' (add xx to glossary/ui-strings.yml"),
    ("not a language code", "pl/index.md", version(source_hash="HASH", language="Polish!"), "language:",
     "unknown language code 'Polish!' ('Polish!' is not a BCP 47 code"),
    ("bad variant", "easy-read/index.md", version(source_hash="HASH", language="en", variant="easyread"),
     "variant:", "unknown variant 'easyread' (the only variant is easy-read"),
    ("easy read in another language", "easy-read/index.md", version(source_hash="HASH", variant="easy-read"),
     "language: pl", "Easy Read is English: language is 'pl'"),
    ("english translation of english", "en/index.md", version(source_hash="HASH", language="en"), "language: en",
     "a translation into English of an English page"),
    ("translation outside its folder", "ar/index.md", version(source_hash="HASH"), "translation:",
     "this version of index.md is in the wrong place (move it to docs/pl/index.md"),
    ("easy read outside its folder", "index-easy.md",
     version(source_hash="HASH", language="en", variant="easy-read"), "translation:",
     "this version of index.md is in the wrong place (move it to docs/easy-read/index.md"),
    ("checked_by missing", "pl/index.md", version(source_hash="HASH").replace("  checked_by: null\n", ""),
     "translation:", "'translation' does not say who checked it"),
    ("checked_by empty", "pl/index.md", version(source_hash="HASH", checked_by='""'), "checked_by:",
     "'checked_by' must be a name or role, or null"),
    ("unknown key", "pl/index.md", version(source_hash="HASH", extra="  sourcehash: x\n"), "sourcehash:",
     "unknown key 'sourcehash' in 'translation' (did you mean 'source_hash'?)"),
    ("not a mapping", "pl/index.md", "---\ntitle: T\nreviewed: 2026-11-01\ntranslation: index.md\n---\n# T\n",
     "translation:", "'translation' must be a mapping"),
    ("page in a language folder without translation", "pl/index.md",
     "---\ntitle: T\nreviewed: 2026-11-01\n---\n# T\n", "---", "page in docs/pl/ has no 'translation:'"),
    ("page in easy-read without translation", "easy-read/index.md",
     "---\ntitle: T\nreviewed: 2026-11-01\n---\n# T\n", "---", "page in docs/easy-read/ has no 'translation:'"),
    ("translation missing a cited id", "pl/index.md",
     version(source_hash="HASH", body="# Strona\n\nRada musi pomóc [[ca1989-s17]].\n"), "translation:",
     "does not cite 'ca1989-s17zd', which docs/index.md cites (a translation cites the same law"),
    ("translation citing an extra id", "pl/index.md",
     version(source_hash="HASH", body="# S\n\n[[ca1989-s17]] [[ca1989-s17zd]]\n\nPropozycja [[lawcom-dcsc-report]].\n"),
     "lawcom-dcsc-report", "cites 'lawcom-dcsc-report', which docs/index.md does not cite"),
    ("easy read citing an extra id", "easy-read/index.md",
     version(source_hash="HASH", language="en", variant="easy-read", body="# H\n\nA proposal [[lawcom-dcsc-report]].\n"),
     "lawcom-dcsc-report", "cites 'lawcom-dcsc-report', which docs/index.md does not cite"),
]


@pytest.mark.parametrize(("name", "path", "text", "needle", "message"), BAD, ids=[b[0] for b in BAD])
def test_a_bad_version_is_an_error_at_its_line(tmp_path: Path, name: str, path: str, text: str, needle: str,
                                               message: str) -> None:
    site = site_with(tmp_path, {path: text})
    expected = f"docs/{path}:{line_of(text, needle)}: {message}"
    found = messages(site)
    assert any(m.startswith(expected) for m in found), found


def test_a_version_of_a_version_is_refused(tmp_path: Path) -> None:
    site = site_with(tmp_path, {"pl/index.md": version(source_hash="HASH"),
                                "ar/index.md": version(of="pl/index.md", source_hash="HASH", language="ar")})
    assert any(m.startswith("docs/ar/index.md:5: 'pl/index.md' is itself a version of another page")
               for m in messages(site)), messages(site)


BAD_STRINGS = [
    ("languages:\n  en:\n    name: English\n  pl:\n    nme: Polski\n", 5, "unknown key 'nme' for language 'pl' (did you mean 'name'?)"),
    ("languages:\n  en:\n    name: English\n  pl:\n    name: Polski\n    dir: sideways\n", 6,
     "'dir' of language 'pl' is 'sideways' (ltr or rtl)"),
    ("languages:\n  en:\n    name: English\n  Polish:\n    name: Polski\n", 4, "'Polish' is not a BCP 47 language code"),
    ("languages:\n  pl:\n    name: Polski\n", 1, "no 'en' entry"),
    ("languages:\n  en:\n    name: English\n  pl: Polski\n", 4, "language 'pl' must be a mapping of strings"),
    # the help box's link and number go where a placeholder says: one missing, doubled or unknown loses them
    ("languages:\n  en:\n    name: English\n  pl:\n    name: Polski\n    help_talk: Infolinia Contact.\n", 6,
     "'help_talk' of language 'pl' must hold {phone} once (where the helpline number goes), not 0 times"),
    ("languages:\n  en:\n    name: English\n  pl:\n    name: Polski\n    help_danger: \"{link} {link}\"\n", 6,
     "'help_danger' of language 'pl' must hold {link} once (where the link goes), not 2 times"),
    ("languages:\n  en:\n    name: English\n  pl:\n    name: Polski\n    help_more: \"{phone}.\"\n", 6,
     "'help_more' of language 'pl' has the placeholder '{phone}', which it cannot fill (write {link} where the link goes)"),
    ("languages:\n  en:\n    name: English\n  pl:\n    name: Polski\n    reviewed: Stan prawny\n", 6,
     "'reviewed' of language 'pl' must hold {date} once (where the date goes), not 0 times"),
    ("languages:\n  en:\n    name: English\n  pl:\n    name: Polski\n    months: stycznia lutego marca\n", 6,
     "'months' of language 'pl' has 3 names, not 12 (the twelve month names as a date reads them"),
    ("languages:\n  en:\n    name: English\n  ar:\n    name: العربية\n    not_advice: \"{link}\"\n", 6,
     "'not_advice' of language 'ar' has the placeholder '{link}', which it cannot fill (write the words only"),
    # a folded list's summary says how many items it holds: {count} once
    ("languages:\n  en:\n    name: English\n  pl:\n    name: Polski\n    words_show: Pokaż słowa\n", 6,
     "'words_show' of language 'pl' must hold {count} once (where the number goes), not 0 times"),
    ("languages:\n  en:\n    name: English\n  ro:\n    name: Română\n    legal_basis: \"Temeiul ({count})\"\n", 6,
     "'legal_basis' of language 'ro' has the placeholder '{count}', which it cannot fill (write the words only"),
    ("languages:\n  en:\n    name: English\n  pl:\n    name: Polski\n    published_by: Wydawca.\n", 6,
     "'published_by' of language 'pl' must hold {publisher} once (where the publisher's name goes), not 0 times"),
    # Material's labels go under Material's own names
    ("languages:\n  en:\n    name: English\n  pl:\n    name: Polski\n    action_skip: Przejdź\n", 6,
     "unknown key 'action_skip' for language 'pl' (did you mean 'action.skip'?)"),
    ("languages:\n  en:\n    name: English\n  pl:\n    name: Polski\n    top: \"\"\n", 6,
     "'top' of language 'pl' must be text"),
    # the routes a search that finds nothing offers: checked like every other string
    ("languages:\n  en:\n    name: English\n  pl:\n    name: Polski\n    search_talks: Rozmowa\n", 6,
     "unknown key 'search_talks' for language 'pl' (did you mean 'search_talk'?)"),
    ("languages:\n  en:\n    name: English\n  pl:\n    name: Polski\n    search_finder: \"{link} (EN)\"\n", 6,
     "'search_finder' of language 'pl' has the placeholder '{link}', which it cannot fill (write the words only"),
    ("languages:\n  en:\n    name: English\n  ur:\n    name: اردو\n    search_try: \" \"\n", 6,
     "'search_try' of language 'ur' must be text"),
]


@pytest.mark.parametrize(("strings", "line", "message"), BAD_STRINGS)
def test_a_bad_strings_file_is_an_error_at_its_line(tmp_path: Path, strings: str, line: int, message: str) -> None:
    site = site_with(tmp_path, {}, strings=strings)
    assert any(m.startswith(f"glossary/ui-strings.yml:{line}: {message}") for m in messages(site)), messages(site)


def test_right_to_left_is_the_default_for_arabic_and_urdu(tmp_path: Path) -> None:
    site = site_with(tmp_path, {}, strings=STRINGS + "  ur:\n    name: اردو\n  pa-Guru:\n    name: ਪੰਜਾਬੀ\n")
    languages = site_versions(site).languages
    assert [languages[c].direction for c in ("en", "pl", "ar", "ur", "pa-Guru")] == ["ltr", "ltr", "rtl", "rtl", "ltr"]


def test_an_english_page_that_became_unreadable_makes_its_version_stale_not_a_crash(tmp_path: Path) -> None:
    site = site_with(tmp_path, {"pl/index.md": version(source_hash="HASH")})
    (tmp_path / "docs" / "index.md").write_bytes(b"---\ntitle: x\n---\n\xff\n")
    versions = site_versions(site)
    assert [v.path for v in versions.stale()] == ["pl/index.md"]


def test_lawguide_check_refuses_a_help_string_that_lost_its_number_at_its_line(tmp_path: Path) -> None:
    site_with(tmp_path, {}, strings=STRINGS + "    help_talk: Zadzwoń do Contact.\n")
    result = lawguide(tmp_path, "check")
    assert result.returncode == 1
    assert ("glossary/ui-strings.yml:9: 'help_talk' of language 'ar' must hold {phone} once (where the helpline "
            "number goes), not 0 times (for example: Need to talk to someone?") in result.stdout + result.stderr
