"""`citations_audited: {date, by}`: when a page's citations were last checked against the provisions
they cite, and by whom; bad input gives path:line messages, and `lawguide review` lists pages never
audited or audited before they last changed (issue 28, findings 8 and 9)."""

from __future__ import annotations

import json
from pathlib import Path

from lawguide.content.pages import load_page
from lawguide.content.site import load_site
from lawguide.core.settings import Settings
from lawguide.lawchange.review import AUDIT_OUT_OF_DATE, NEVER_AUDITED, audit_items

from tests.fixtures import lawguide, make_site

PAGE = """\
---
title: Assessments
reviewed: 2026-11-01
{audit}
---
# Assessments

Text [[ca1989-s17]].
"""


def load(tmp_path: Path, audit: str):
    docs = tmp_path / "docs"
    docs.mkdir(exist_ok=True)
    (docs / "a.md").write_text(PAGE.format(audit=audit), encoding="utf-8")
    return load_page(docs / "a.md", docs)


def messages(page) -> list[str]:
    return [p.format() for p in page.problems]


def test_a_flow_mapping_record_is_read_with_its_date_and_reviewer(tmp_path):
    page = load(tmp_path, 'citations_audited: {date: 2026-11-02, by: "Legal reviewer (not the writer)"}')
    assert messages(page) == []
    assert page.citations_audited.date.isoformat() == "2026-11-02"
    assert page.citations_audited.by == "Legal reviewer (not the writer)"
    assert page.citations_audited.line == 4


def test_a_block_mapping_record_is_read_too(tmp_path):
    page = load(tmp_path, "citations_audited:\n  date: 2026-11-02\n  by: A. Reviewer")
    assert messages(page) == [] and page.citations_audited.by == "A. Reviewer"


def test_a_date_that_is_not_real_is_an_error_at_its_line(tmp_path):
    page = load(tmp_path, "citations_audited:\n  date: 2026-02-30\n  by: A. Reviewer")
    assert messages(page) == ["docs/a.md:5: 'citations_audited date' is '2026-02-30', which is not a real date "
                              "(check the month (01-12) and the day)"]
    assert page.citations_audited is None


def test_a_future_date_is_refused(tmp_path):
    page = load(tmp_path, "citations_audited: {date: 2999-01-01, by: A. Reviewer}")
    [message] = messages(page)
    assert message.startswith("docs/a.md:4: 'citations_audited' date 2999-01-01 is in the future (use the day")
    assert page.citations_audited is None


def test_a_record_without_a_reviewer_is_refused(tmp_path):
    for audit in ("citations_audited: {date: 2026-11-02}", 'citations_audited: {date: 2026-11-02, by: "  "}'):
        page = load(tmp_path, audit)
        assert messages(page) == ["docs/a.md:4: 'citations_audited' does not say who audited the citations "
                                  "(add by: \"name or role\" (the reviewer, who should not be the page's writer))"]
        assert page.citations_audited is None


def test_a_record_without_a_date_and_one_that_is_not_a_mapping_are_refused(tmp_path):
    assert messages(load(tmp_path, "citations_audited: {by: A. Reviewer}")) == [
        "docs/a.md:4: 'citations_audited' has no 'date' (add date: YYYY-MM-DD, the day the citations were checked)"]
    assert messages(load(tmp_path, "citations_audited: 2026-11-02")) == [
        "docs/a.md:4: 'citations_audited' must be a mapping with 'date' and 'by' "
        "(citations_audited: {date: 2026-12-07, by: \"name or role\"})"]


def test_an_unknown_key_in_the_record_is_named(tmp_path):
    page = load(tmp_path, "citations_audited:\n  date: 2026-11-02\n  by: A. Reviewer\n  who: me")
    assert messages(page) == ["docs/a.md:7: unknown key 'who' in 'citations_audited' (only 'date' and 'by')"]


SITE_PAGES = {
    "index.md": "---\ntitle: Home\nreviewed: 2026-11-01\n"
                "citations_audited: {date: 2026-11-01, by: Reviewer}\n---\n# Home\n\nText [[ca1989-s17]].\n",
    "changed.md": "---\ntitle: Changed\nreviewed: 2026-11-01\n"
                  "citations_audited: {date: 2026-11-01, by: Reviewer}\n"
                  "changes:\n  - date: 2026-11-20\n    summary: A new answer.\n---\n# Changed\n\nText [[ca1989-s17]].\n",
    "never.md": "---\ntitle: Never\nreviewed: 2026-11-01\n---\n# Never\n\nText [[ca1989-s17zd]].\n",
    "plain.md": "---\ntitle: Plain\nreviewed: 2026-11-01\n---\n# Plain\n\nNo law here.\n",
}


def test_review_lists_pages_never_audited_and_audited_before_their_last_change(tmp_path):
    root = make_site(tmp_path, pages=SITE_PAGES)
    items = audit_items(load_site(Settings.from_mkdocs_yml(root / "mkdocs.yml")))
    # out-of-date audits first; a page audited on its last change is done; a page citing no law has nothing to audit
    assert [(i.page.path, i.status) for i in items] == [("changed.md", AUDIT_OUT_OF_DATE), ("never.md", NEVER_AUDITED)]
    assert items[0].reason() == ("citations audited on 2026-11-01 by Reviewer, before the page last changed "
                                 "on 2026-11-20")


def test_the_review_command_and_its_json_report_the_audit_list(tmp_path):
    root = make_site(tmp_path, pages=SITE_PAGES)
    text = lawguide(root, "review", "--today", "2026-11-25")
    assert "2 of 3 page(s) citing the law need a citation audit: 1 audited before their last change, " \
           "1 never audited." in text.stdout
    assert "AUDIT     docs/never.md  (1 citations): citations never audited" in text.stdout
    data = json.loads(lawguide(root, "review", "--json", "--today", "2026-11-25").stdout)
    assert [(a["page"], a["status"], a["audited"]) for a in data["citations_not_audited"]] == [
        ("changed.md", AUDIT_OUT_OF_DATE, "2026-11-01"), ("never.md", NEVER_AUDITED, None)]


def test_lawguide_check_reports_a_bad_record_at_its_line(tmp_path):
    pages = dict(SITE_PAGES)
    pages["never.md"] = pages["never.md"].replace("reviewed: 2026-11-01\n",
                                                  "reviewed: 2026-11-01\ncitations_audited: {date: 2026-13-01}\n")
    result = lawguide(make_site(tmp_path, pages=pages), "check")
    assert result.returncode == 1
    output = result.stderr + result.stdout
    assert "docs/never.md:4: 'citations_audited date' is '2026-13-01', which is not a real date" in output
    assert "docs/never.md:4: 'citations_audited' does not say who audited the citations" in output
