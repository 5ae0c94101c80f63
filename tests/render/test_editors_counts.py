"""The editors' page counts and lists the same pages as review.json, list by list."""

from __future__ import annotations

import datetime as dt
import re

from lawguide.content.site import load_site
from lawguide.core.settings import Settings
from lawguide.lawchange.review import review_report
from lawguide.render.editors import editors_page, finish_editors_html

from tests.fixtures import make_site
from tests.lawchange.test_review import change, page, refs_with

TODAY = dt.date(2026, 12, 7)


def guide(tmp_path):
    """One page affected and overdue, one only overdue, one only unfinished, one fine."""
    old = {"type": "statutory-guidance", "status": "superseded", "replaced_by": "ca1989-s17zd",
           **change("2026-10-01", "Replaced by the 2026 edition.")}
    refs = refs_with(**{"ca1989-s17": old, "lawcom-dcsc-report": change("2026-11-10", "A response.")})
    pages = {"index.md": page("Home", "2026-11-20", "Fine [[ca1989-s17zd]]."),
             "both.md": page("Both", "2026-01-01", "Reform [[lawcom-dcsc-report]]."),
             "late.md": page("Late", "2026-02-01", "Nothing cited."),
             "half.md": page("Half", "2026-11-20", "Old edition [[ca1989-s17]].")}
    return load_site(Settings.from_mkdocs_yml(make_site(tmp_path, pages=pages, refs=refs) / "mkdocs.yml"))


def listed(site, name: str) -> list[str]:
    html = finish_editors_html(site, f"<p>lgq{name}q</p>", TODAY)
    return re.findall(r"<li><a href=\"[^\"]*\">([^<]+)</a> \(<code>", html)


def test_editors_page_counts_and_lists_agree_with_review_json(tmp_path):
    site = guide(tmp_path)
    counts = review_report(site, TODAY)["counts"]
    assert (counts["affected"], counts["overdue"], counts["unfinished"]) == (1, 2, 1)
    text = editors_page(site, TODAY)
    assert ("1 page affected by a change in the law, 2 pages overdue for review, 1 page with an edit left half done"
            in text)
    assert listed(site, "affected") == ["Both"]
    assert listed(site, "overdue") == ["Both", "Late"]  # the unfinished page is not called overdue
    assert listed(site, "unfinished") == ["Half"]
    assert len(listed(site, "overdue")) == counts["overdue"] and len(listed(site, "unfinished")) == counts["unfinished"]


def test_an_unfinished_page_is_listed_with_what_is_left_to_do_not_a_due_date(tmp_path):
    site = guide(tmp_path)
    html = finish_editors_html(site, "<p>lgqunfinishedq</p>", TODAY)
    assert "ca1989-s17 (replaced by ca1989-s17zd on 2026-10-01) is still cited" in html
    assert "was due on" not in html
    assert "## Edits left half done {#unfinished}" in editors_page(site, TODAY)


def test_the_editors_page_lists_the_same_pages_to_re_read_and_dated_claims_as_review_json(tmp_path):
    from tests.lawchange.test_impact_beyond_citations import CHANGED

    pages = {"index.md": page("Home", "2026-12-01", "Working Together 2026 is being revised."),
             "old.md": page("Old", "2026-11-20", "As of May 2026, nothing has changed [[ca1989-s17]].")}
    site = load_site(Settings.from_mkdocs_yml(make_site(tmp_path, pages=pages, refs=CHANGED) / "mkdocs.yml"))
    report = review_report(site, TODAY)
    text = editors_page(site, TODAY)
    reread = text[text.index("{#reread}"):text.index("{#dated-claims}")]
    dated = text[text.index("{#dated-claims}"):text.index("{#sources-changed}")]
    assert [r["page"] for r in report["reread"]] == ["index.md"] and reread.count("\n- ") == 1
    assert "(`docs/index.md`): line 8 names wt2026 ('Working Together 2026'); wt2026 amended on 2026-11-20" in reread
    assert [c["page"] for c in report["dated_claims"]] == ["old.md"] and dated.count("\n- ") == 1
    assert "(`docs/old.md:8`): As of May 2026, nothing has changed \\[ca1989-s17\\]." in dated  # escaped: shown as typed
