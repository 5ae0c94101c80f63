"""Reform rehearsal: copy the REAL guide, change a much-cited provision, and check that exactly the
pages citing it are flagged (notice in the HTML, `lawguide review`, review.json), and that
re-reviewing them clears it.

The content is written by other people while this test exists, so nothing here names a page:
expectations are derived from the sources with a plain grep, independent of the engine's parser.
"""

from __future__ import annotations

import collections
import datetime as dt
import json
import re
import shutil
from pathlib import Path

import pytest
import yaml
from lawguide.content.register import load_register
from lawguide.lawchange.changes_import import add_changes_to_text
from lawguide.render.whatschanged import page_url

from tests.fixtures import REPO, build, lawguide

PREFERRED = "ca1989-s17zd"
SKIP = {".git", ".venv", "site", "tests", ".cache", ".pytest_cache", ".ruff_cache", "__pycache__", "build"}
CITE = re.compile(r"\[\[\s*([A-Za-z0-9-]+)\s*(?:\||\]\])")
FENCE = re.compile(r"^[ \t]*(```|~~~).*?^[ \t]*\1[^\n]*$", re.M | re.S)
INLINE_CODE = re.compile(r"(`+).+?\1")
REVIEWED = re.compile(r"^reviewed:[ \t]*['\"]?(\d{4}-\d{2}-\d{2})['\"]?[ \t]*$", re.M)
NOTICE = re.compile(r'<div[^>]*\bid="law-change-notice"[^>]*>', re.S)

pytestmark = pytest.mark.slow


def copy_project(dest: Path) -> Path:
    for item in REPO.iterdir():
        if item.name in SKIP or item.name.endswith(".egg-info"):
            continue
        if item.is_dir():
            shutil.copytree(item, dest / item.name, ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
        else:
            shutil.copy2(item, dest / item.name)
    return dest


def grep_citations(docs: Path) -> dict[str, set[str]]:
    """Register id -> pages citing it, by a plain text search outside code."""
    found: dict[str, set[str]] = collections.defaultdict(set)
    for file in docs.rglob("*.md"):
        text = INLINE_CODE.sub("", FENCE.sub("", file.read_text(encoding="utf-8")))
        for ref_id in CITE.findall(text):
            if not ref_id.startswith("glossary"):
                found[ref_id].add(file.relative_to(docs).as_posix())
    return found


def grep_outcome_citations(finder: Path) -> dict[str, set[str]]:
    """Register id -> route-finder outcomes citing it (finder/FLOW/ID.md, as review names them)."""
    found: dict[str, set[str]] = collections.defaultdict(set)
    for file in finder.glob("*.yml"):
        flow = yaml.safe_load(file.read_text(encoding="utf-8"))
        for outcome in flow.get("outcomes") or []:
            for ref_id in CITE.findall(str(outcome.get("body", ""))):
                found[ref_id].add(f"finder/{flow['id']}/{outcome['id']}.md")
    return found


def affected_by(report: dict, ref_id: str) -> set[str]:
    return {p["page"] for p in report["pages"] if any(c["ref"] == ref_id for c in p["law_changes"])}


def notices(site: Path, pages: list[str]) -> dict[str, str]:
    """Page -> the notice's data-law-change value ('' when the page has no notice)."""
    out = {}
    for page in pages:
        html = (site / page_url(page) / "index.html").read_text(encoding="utf-8")
        match = NOTICE.search(html)
        out[page] = ""
        if match:
            value = re.search(r'data-law-change="([^"]*)"', match.group(0))
            out[page] = value.group(1) if value else ""
            # Just under the title block: after the H1, before the page's first section.
            title_end, first_section = html.index("</h1>"), html.find("<h2", html.index("</h1>"))
            assert title_end < match.start() and (first_section == -1 or match.start() < first_section), page
    return out


def review(root: Path, today: dt.date) -> tuple[int, dict]:
    result = lawguide(root, "review", "--json", "--today", today.isoformat(), "--no-cache")
    assert result.returncode in (0, 1), result.stderr
    return result.returncode, json.loads(result.stdout)


def test_reform_rehearsal_flags_exactly_the_citing_pages_until_they_are_reviewed(tmp_path, monkeypatch):
    root = copy_project(tmp_path / "guide")
    docs = root / "docs"
    cited = grep_citations(docs)
    register = load_register(root / "law_refs")
    cited = {ref: pages for ref, pages in cited.items() if ref in register.refs}
    target = PREFERRED if cited.get(PREFERRED) else max(cited, key=lambda r: (len(cited[r]), r))
    outcomes = grep_outcome_citations(root / "finder").get(target, set())  # outcomes are pages to review too
    expected = cited[target] | outcomes
    assert expected, "the guide cites nothing from the register"
    all_pages = sorted(p.relative_to(docs).as_posix() for p in docs.rglob("*.md")) + sorted(outcomes)

    reviewed = [dt.date.fromisoformat(d) for f in docs.rglob("*.md") for d in REVIEWED.findall(f.read_text())]
    change_date = max(reviewed) + dt.timedelta(days=1)  # after every page's review
    today = change_date + dt.timedelta(days=1)
    monkeypatch.setenv("LAWGUIDE_TODAY", today.isoformat())  # the build's clock: no date may be after it
    _, before = review(root, today)
    already = {p["page"] for p in before["pages"] if p["affected"]}
    assert not affected_by(before, target)

    # The law changes: record it the way `lawguide changes import --apply` does.
    ref = register[target]
    file = root / ref.path
    summary = "Rehearsal: section substituted by the Example Reform Act"
    text, added, _ = add_changes_to_text(file.read_text(encoding="utf-8"), ref.path, {target: [
        {"date": change_date, "summary": summary, "source": "https://www.legislation.gov.uk/ukpga/2099/1"}]})
    assert added
    file.write_text(text, encoding="utf-8")

    code, after = review(root, today)
    assert code == 1
    assert affected_by(after, target) == expected
    assert {p["page"] for p in after["pages"] if p["affected"]} - already == expected - already

    result = build(root, strict=False, site_dir=tmp_path / "site1")
    assert result.returncode == 0, result.stderr
    shown = notices(tmp_path / "site1", all_pages)
    assert {page for page, ids in shown.items() if target in ids.split()} == expected
    published = json.loads((tmp_path / "site1" / "editors" / "review.json").read_text())
    assert affected_by(published, target) == expected
    law_page = (tmp_path / "site1" / "law" / target / "index.html").read_text()
    assert summary in law_page

    # The entry was verified before its newest change: listed until an editor reads the source again.
    assert any(target in reason and "before its newest change" in reason
               for p in after["pages"] for reason in p["reasons"])
    # Editors read the source (reverify moves the entry's verified date), check each page against the
    # change and record the review.
    from lawguide.content.site import load_site
    from lawguide.core.settings import Settings
    from lawguide.lawchange.sources import reverify

    assert reverify(load_site(Settings.from_mkdocs_yml(root / "mkdocs.yml")), target, today) == []
    flows = {root / "finder" / f"{page.split('/')[1]}.yml" for page in outcomes}  # a flow is reviewed as a whole
    for path in [docs / page for page in expected - outcomes] + sorted(flows):
        source = path.read_text(encoding="utf-8")
        path.write_text(REVIEWED.sub(f"reviewed: {change_date.isoformat()}", source, count=1), encoding="utf-8")

    code, cleared = review(root, today)
    assert not affected_by(cleared, target)
    assert {p["page"] for p in cleared["pages"] if p["affected"]} == already
    assert code == (1 if already else 0)
    result = build(root, strict=False, site_dir=tmp_path / "site2")
    assert result.returncode == 0, result.stderr
    assert not [page for page, ids in notices(tmp_path / "site2", all_pages).items() if target in ids.split()]
