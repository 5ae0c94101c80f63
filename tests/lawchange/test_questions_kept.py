"""What `lawguide review` reads besides the guide, kept with it for the editors' questions (issue 31):
sources.lock and the English pages' hashes. Kept only while they are as they were."""

from __future__ import annotations

import os
import subprocess
import sys
import time

import pytest

from tests.fixtures import home_page, lawguide, make_site

LOCK = ("ca1989-s17:\n  kind: legislation\n  checked: 2026-12-01\n  changed: 2026-11-30\n"
        "  summary: Words inserted by the Example Act 2026\n")


def age(root, seconds: int = 60) -> None:
    then = time.time() - seconds
    for path in [root, *root.rglob("*")]:
        if ".cache" not in path.parts:
            os.utime(path, (then, then))


def test_a_sources_lock_written_after_the_guide_was_kept_is_listed_by_the_next_review(tmp_path):
    root = make_site(tmp_path, pages={"index.md": home_page("Ask [[ca1989-s17]].\n")})
    age(root)
    lawguide(root, "review", "--today", "2026-12-08")
    assert "SOURCE CHANGED" not in lawguide(root, "review", "--today", "2026-12-08").stdout  # kept, no lock
    (root / "sources.lock").write_text(LOCK, encoding="utf-8")
    age(root, 30)
    review = lawguide(root, "review", "--today", "2026-12-08")
    assert "SOURCE CHANGED: RE-VERIFY  ca1989-s17" in review.stdout
    assert review.stdout == lawguide(root, "review", "--today", "2026-12-08").stdout  # and kept with it
    assert review.stdout == lawguide(root, "review", "--today", "2026-12-08", "--no-cache").stdout
    (root / "sources.lock").unlink()
    assert "SOURCE CHANGED" not in lawguide(root, "review", "--today", "2026-12-08").stdout


def test_an_english_page_edited_after_the_guide_was_kept_makes_its_translation_stale_in_review(tmp_path):
    from lawguide.content.translations import body_hash

    english = home_page("Ask [[ca1989-s17]].\n")
    version = ("---\ntitle: Strona\nreviewed: 2026-11-01\ntranslation:\n  of: index.md\n"
               f"  source_hash: {body_hash(english)}\n  language: pl\n  checked_by: null\n---\n# Strona\n\n"
               "Zapytaj [[ca1989-s17]].\n")
    root = make_site(tmp_path, pages={"index.md": english, "pl/index.md": version})
    (root / "glossary" / "ui-strings.yml").write_text("languages:\n  en:\n    name: English\n  pl:\n    name: Polski\n",
                                                      encoding="utf-8")
    age(root)
    lawguide(root, "review", "--today", "2026-12-08")
    assert "STALE" not in lawguide(root, "review", "--today", "2026-12-08").stdout
    probe = ("import sys\nfrom lawguide.cli import main\nmain(sys.argv[1:])\nprint('hashlib' in sys.modules)\n")
    warm = subprocess.run([sys.executable, "-c", probe, "--config", str(root / "mkdocs.yml"), "review"],
                          capture_output=True, text=True, cwd=root)
    assert warm.stdout.endswith("False\n")  # the English page's hash was kept with the guide, not worked out
    (root / "docs" / "index.md").write_text(english + "\nMore.\n", encoding="utf-8")
    age(root, 30)
    review = lawguide(root, "review", "--today", "2026-12-08")
    assert "STALE     docs/pl/index.md" in review.stdout
    assert review.stdout == lawguide(root, "review", "--today", "2026-12-08").stdout
    assert review.stdout == lawguide(root, "review", "--today", "2026-12-08", "--no-cache").stdout


def test_dated_claims_worked_out_from_a_kept_guide_are_reused_with_it_unchecked_and_checked_with_another(
        tmp_path, monkeypatch):
    from lawguide.content.cache import KEPT_TOKEN, load_questions_site
    from lawguide.lawchange import impact

    root = make_site(tmp_path, pages={"index.md": home_page("The council currently pays [[ca1989-s17]].\n")})
    age(root)
    config = root / "mkdocs.yml"

    def kept_site():
        site = load_questions_site(config, prepare=impact.prepare_for_questions)
        impact.keep_dated_claims(site)
        return site

    kept_site()  # loads and keeps the guide
    first = kept_site()
    assert [c.phrase for c in impact.dated_claims(first, "ca1989-s17")] == ["currently"]  # scanned, then kept
    again, other = kept_site(), kept_site()
    other.memo[KEPT_TOKEN] = ("another keeping",)
    stats: list[str] = []
    real_stat = os.stat
    monkeypatch.setattr(os, "stat", lambda path, *a, **k: stats.append(str(path)) or real_stat(path, *a, **k))
    monkeypatch.setattr(impact, "_page_dated_claims", lambda *a: pytest.fail("scanned again"))
    assert [c.phrase for c in impact.dated_claims(again, "ca1989-s17")] == ["currently"]
    assert not [path for path in stats if path.endswith("index.md")]  # not even a stat: the guide says unchanged
    assert [c.phrase for c in impact.dated_claims(other, "ca1989-s17")] == ["currently"]
    assert [path for path in stats if path.endswith("index.md")]  # another keeping: its stamp is checked
