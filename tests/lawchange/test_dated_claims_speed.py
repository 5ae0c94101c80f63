"""Dated claims found cheaply (issue 31): a line is read with the costly patterns only when it holds a
word every claim needs, and a page's claims are kept between commands; the findings are the same as a
scan of every line with nothing kept."""

from __future__ import annotations

import gc
import os
import pickle
import re
import sys
from pathlib import Path

from lawguide.content.site import load_site
from lawguide.core.settings import Settings
from lawguide.lawchange import impact
from lawguide.lawchange.impact import _CLAIM_WORDS, _FOLD_ODD, KEPT_FILE, dated_claims, page_dated_claims

from tests.fixtures import home_page, lawguide, make_site

ROOT = Path(__file__).resolve().parents[2]
LONG_AGO = 1_700_000_000  # a modification time well before now: the file is not "racy", so it may be kept


def site_of(root: Path):
    return load_site(Settings.from_mkdocs_yml(root / "mkdocs.yml"))


def every_line(words, lines, summary):
    return list(range(1, len(lines) + 1))


def claims_of(site) -> list[tuple]:
    return [c.as_dict() | {"display": c.display} for path in sorted(site.pages) for c in page_dated_claims(site, path)]


def test_a_claim_that_only_appears_once_code_spans_are_taken_out_is_still_found(tmp_path):
    # With its code span the line has no claim ("`changed`" is not a word); without it, "not yet" and
    # "from December 2026" appear. The words a claim needs ("yet", a month and a year) are in the line.
    root = make_site(tmp_path, pages={"index.md": home_page("""\
        It has not `changed` yet [[ca1989-s17]].

        > - From`the`December 2026 list the rule applies.

        | At the time of wrıting | it is so |
        """)})
    found = [(c.line, c.phrase) for c in dated_claims(site_of(root), "ca1989-s17")]
    assert found == [(7, "not   yet"), (9, "From December 2026"), (11, "At the time of wrıting")]


def test_the_cheap_scan_finds_exactly_what_reading_every_line_finds_on_the_real_guide(monkeypatch):
    fast = claims_of(site_of(ROOT))
    monkeypatch.setattr(impact, "_candidate_lines", every_line)
    slow = claims_of(site_of(ROOT))
    assert fast == slow and len(fast) > 10  # the guide has dated claims in several languages: a real test


def test_the_cheap_scan_finds_exactly_what_reading_every_line_finds_on_tricky_lines(tmp_path, monkeypatch):
    lines = ["It has NOT yet started.", "If you have not asked yet, ask.", "Use this letter if:",
             "- the council has not replied yet", "As of `x` May 2026 it applies.", "it may be 2026",
             "CURRENTLY the rule is so.", "As at 31 December 2026 the status is this.", "Nothing changed, yet.",
             "```", "currently in code", "```", "# Currently a heading", "| no | yet |", "Obecnie nic."]
    root = make_site(tmp_path, pages={"index.md": home_page("\n".join(lines) + "\n")})
    fast = claims_of(site_of(root))
    monkeypatch.setattr(impact, "_candidate_lines", every_line)
    assert claims_of(site_of(root)) == fast
    assert [c["line"] for c in fast] == [7, 13, 14]  # not: conditional (8, 10), code span (11), comma, pipe


def test_every_letter_a_case_blind_claim_matches_without_lower_case_sends_its_page_line_by_line():
    # A case-blind pattern matches "ſ" for "s" and "ı" for "i", which lower() leaves as they are: a page
    # holding one cannot be searched lower-cased, so _FOLD_ODD must name every such letter.
    letters = {ch for words in _CLAIM_WORDS.values() if words.folds for ch in "".join(words.words + words.months)}
    everything = "".join(chr(c) for c in range(0x110000) if not 0xD800 <= c < 0xE000)
    pattern = re.compile("[" + re.escape("".join(sorted(letters))) + "]", re.IGNORECASE)
    odd = {m.group(0) for m in pattern.finditer(everything) if m.group(0).lower() not in letters}
    assert odd and odd <= set(_FOLD_ODD)


def test_each_language_s_words_are_in_every_claim_its_patterns_find():
    samples = {"en": ["as of 1 May 2026", "not started yet", "currently", "at the time of writing"],
               "pl": ["od 1 września 2026", "jeszcze nie", "nie weszła jeszcze", "obecnie", "w chwili pisania"],
               "ar": ["من 1 سبتمبر 2026", "حاليًا", "لم يبدأ بعد.", "وقت كتابة"],
               "ro": ["din 1 septembrie 2026", "nu a intrat încă", "în prezent"],
               "ur": ["1 ستمبر 2026 سے", "فی الحال", "ابھی شروع نہیں", "ابھی تک"]}
    for language, texts in samples.items():
        words = _CLAIM_WORDS[language]
        for text in texts:
            assert words.dated.search(text) or words.not_yet.search(text), (language, text)
            low = text.lower() if words.folds else text
            assert any(w in low for w in words.words) or (any(m in low for m in words.months)
                                                          and words.year.search(text)), (language, text)


def aged(root: Path) -> None:
    for page in (root / "docs").rglob("*.md"):
        os.utime(page, (LONG_AGO, LONG_AGO))


def test_claims_kept_by_one_command_are_reused_and_a_changed_page_is_read_again(tmp_path):
    root = make_site(tmp_path, pages={"index.md": home_page("The council currently pays [[ca1989-s17]].\n")})
    aged(root)
    first = lawguide(root, "impact", "ca1989-s17").stdout
    assert '"currently": The council currently pays [ca1989-s17].' in first
    assert (root / KEPT_FILE).is_file()
    assert lawguide(root, "impact", "ca1989-s17").stdout == first
    page = root / "docs" / "index.md"
    page.write_text(page.read_text(encoding="utf-8").replace("currently pays", "has not paid yet"), encoding="utf-8")
    aged(root)  # the same modification time as before: the size still tells the change
    again = lawguide(root, "impact", "ca1989-s17").stdout
    assert '"not paid yet": The council has not paid yet [ca1989-s17].' in again and "currently" not in again


def kept_entries(path) -> dict:
    """A cache file's entries (content.cache.write_keyed: the key, then the entries)."""
    with path.open("rb") as handle:
        pickle.load(handle)
        return pickle.load(handle)


def test_a_deleted_page_s_kept_claims_are_dropped_when_the_file_is_next_written(tmp_path):
    page = "---\ntitle: {t}\nreviewed: 2026-11-01\n---\n# {t}\n\nThe council currently pays [[ca1989-s17]].\n"
    root = make_site(tmp_path, pages={"index.md": page.format(t="Home"), "gone.md": page.format(t="Gone"),
                                      "new.md": page.format(t="New")})
    (root / "docs" / "new.md").unlink()
    aged(root)
    lawguide(root, "review")
    assert set(kept_entries(root / KEPT_FILE)) == {"index.md", "gone.md"}
    (root / "docs" / "gone.md").unlink()
    (root / "docs" / "new.md").write_text(page.format(t="New"), encoding="utf-8")
    aged(root)
    lawguide(root, "review")
    assert set(kept_entries(root / KEPT_FILE)) == {"index.md", "new.md"}


def test_a_damaged_kept_claims_file_is_ignored_and_no_cache_keeps_nothing(tmp_path):
    root = make_site(tmp_path, pages={"index.md": home_page("The council currently pays [[ca1989-s17]].\n")})
    aged(root)
    assert lawguide(root, "impact", "ca1989-s17", "--no-cache").returncode == 0
    assert not (root / KEPT_FILE).exists()
    (root / KEPT_FILE).parent.mkdir(parents=True, exist_ok=True)
    (root / KEPT_FILE).write_bytes(b"not a pickle")
    result = lawguide(root, "impact", "ca1989-s17")
    assert result.returncode == 0 and '"currently"' in result.stdout and "Traceback" not in result.stderr


def test_a_page_written_just_now_is_not_kept(tmp_path):
    root = make_site(tmp_path, pages={"index.md": home_page("The council currently pays [[ca1989-s17]].\n")})
    site = site_of(root)
    impact.keep_dated_claims(site)
    assert [c.phrase for c in dated_claims(site, "ca1989-s17")] == ["currently"]
    assert not (root / KEPT_FILE).exists()  # it may change again within the clock's granularity


def test_the_questions_leave_the_collector_running(tmp_path, monkeypatch):
    from lawguide import cli

    root = make_site(tmp_path)
    monkeypatch.setattr(sys, "argv", ["lawguide"])
    cli.load_for_questions(cli.build_parser().parse_args(["--config", str(root / "mkdocs.yml"), "review"]))
    assert gc.isenabled()
    gc.unfreeze()
