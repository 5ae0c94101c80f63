"""`lawguide sources check` over the REAL register against recorded fixtures, offline, and the Working
Together rehearsal: March 2026 replayed on a copy of the real guide.

The register changes while this test exists, so nothing here hard-codes an entry list: expectations
come from the register's URLs and a plain grep of the pages, independent of the engine's matching.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import time
from pathlib import Path

from tests.fixtures import REPO
from tests.lawchange.test_reform_rehearsal import copy_project, grep_citations
from tests.sources_server import closed_port, serve_sources

WT = "https://www.gov.uk/government/publications/working-together-to-safeguard-children--2"
# The fixtures that changed after every `verified` date (tests/data/sources/README.md).
CHANGED_URL = [
    re.compile(r"^https://www\.legislation\.gov\.uk/ukpga/1989/41/section/17ZD(/|$)", re.I),  # feed: s. 17ZD(3)
    re.compile(r"^https://www\.gov\.uk/government/publications/send-code-of-practice-0-to-25/?$"),  # change note
]


def register_urls(root: Path) -> dict[str, str]:
    """Register id -> url, read from law_refs/*.yml as text."""
    out = {}
    for file in sorted((root / "law_refs").glob("*.yml")):
        for block in re.split(r"(?m)^  - id:", file.read_text(encoding="utf-8"))[1:]:
            url = re.search(r"(?m)^\s+url:\s*(\S+)\s*$", block)
            out[block.split()[0]] = url.group(1) if url else ""
    return out


def lawguide(root: Path, *args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "lawguide.cli", "--config", str(root / "mkdocs.yml"), *args],
                          capture_output=True, text=True, cwd=root, env={**os.environ, **(env or {})})


def test_whole_real_register_names_exactly_the_entries_whose_source_changed():
    urls = register_urls(REPO)
    expected = {i for i, url in urls.items() if any(p.match(url) for p in CHANGED_URL)}
    assert expected, "the register no longer cites s. 17ZD or the SEND code: update CHANGED_URL"
    with serve_sources() as server:
        started = time.perf_counter()
        result = lawguide(REPO, "sources", "check", "--json", "--no-write", "--no-cache", "--today", "2027-01-15",
                          env=server.env())
        elapsed = time.perf_counter() - started
    assert result.returncode == 1, result.stderr
    report = json.loads(result.stdout)
    by_status: dict[str, set[str]] = {}
    for entry in report["entries"]:
        by_status.setdefault(entry["status"], set()).add(entry["id"])
    assert by_status["changed"] == expected
    assert set(urls) == {e["id"] for e in report["entries"]}  # every entry was asked about
    # Only entries that cannot be asked (a title search instead of a number) are not checked.
    for entry in report["entries"]:
        if entry["status"] == "could-not-check":
            assert "?title=" in entry["url"], entry
    print(f"\nfull check of {len(urls)} entries against local fixtures: {elapsed:.2f} s")


def test_whole_real_register_offline_exits_2_and_reports_nothing_unchanged():
    port = closed_port()
    env = {f"LAWGUIDE_SOURCES_BASE_{k}": f"http://127.0.0.1:{port}" for k in ("LEGISLATION", "GOVUK", "WEB")}
    result = lawguide(REPO, "sources", "check", "--json", "--no-write", "--no-cache", env=env)
    assert result.returncode == 2
    report = json.loads(result.stdout)
    assert report["offline"] is True and report["counts"]["unchanged"] == 0 and report["counts"]["changed"] == 0
    assert len(result.stderr.strip().splitlines()) == 1 and "offline" in result.stderr


def replay_march_2026(root: Path) -> None:
    """The guide as it stood before Working Together 2026: pages cite wt2023, which is current and was
    last verified on 1 March 2026; the 2026 entry does not exist yet."""
    for folder in ("docs", "glossary"):
        for file in (root / folder).rglob("*"):
            if file.suffix in (".md", ".yml"):
                text = file.read_text(encoding="utf-8")
                if "wt2026" in text:
                    file.write_text(text.replace("wt2026", "wt2023"), encoding="utf-8")
    (root / "law_refs" / "working-together-2026.yml").unlink()
    old = root / "law_refs" / "working-together-2023.yml"
    text = old.read_text(encoding="utf-8")
    text = re.sub(r"(?m)^    status: superseded\n", "    status: in-force\n", text)
    text = re.sub(r"(?m)^    replaced_by: wt2026\n", "", text)
    text = re.sub(r"(?m)^    verified: \S+\n", "    verified: 2026-03-01\n", text)
    old.write_text(text, encoding="utf-8")


def test_working_together_rehearsal(tmp_path):
    root = copy_project(tmp_path)
    replay_march_2026(root)
    citing = grep_citations(root / "docs")["wt2023"]
    assert citing, "no page cites Working Together: the rehearsal needs one"
    with serve_sources() as server:
        # GOV.UK's page for Working Together gains the note "2026 edition published" on 18 March 2026.
        check = lawguide(root, "sources", "check", "--only", "wt2023", "--json", "--today", "2026-03-20", env=server.env())
        assert check.returncode == 1, check.stderr
        entry = json.loads(check.stdout)["entries"][0]
        assert entry["id"] == "wt2023" and entry["status"] == "changed"
        assert entry["changes"][0] == {"date": "2026-03-18", "summary": "GOV.UK change note: 2026 edition published",
                                       "source": WT}
        assert {p["page"] for p in entry["pages"]} == citing  # exactly the pages that cite it
        text = lawguide(root, "sources", "check", "--only", "wt2023", "--today", "2026-03-20", env=server.env())
        for page in citing:
            assert f"page: docs/{page}" in text.stdout
        # Editors see it; readers do not (no register change has been confirmed).
        review = lawguide(root, "review", "--json", "--today", "2026-03-20", "--no-cache")
        data = json.loads(review.stdout)
        assert [s["ref"] for s in data["sources_changed"]] == ["wt2023"]
        assert not any(c["ref"] == "wt2023" for p in data["pages"] for c in p["law_changes"])
        # The editor reads the new edition and confirms: verified moves forward, the lock clears.
        server.override("/govuk/government/publications/working-together-to-safeguard-children--2", body=b"<html></html>")
        done = lawguide(root, "sources", "reverify", "wt2023", "--yes", "--today", "2026-03-20", env=server.env())
        assert done.returncode == 0, done.stderr
        assert "    verified: 2026-03-20\n" in (root / "law_refs" / "working-together-2023.yml").read_text()
        again = lawguide(root, "sources", "check", "--only", "wt2023", "--json", "--today", "2026-03-21", env=server.env())
    assert again.returncode == 0, again.stderr
    assert json.loads(again.stdout)["entries"][0]["status"] == "unchanged"
    review = json.loads(lawguide(root, "review", "--json", "--today", "2026-03-21", "--no-cache").stdout)
    assert review["sources_changed"] == []
