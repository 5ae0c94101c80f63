"""Review dates, affected pages, the readers' notice, `lawguide review` and the editors' page."""

from __future__ import annotations

import copy
import datetime as dt
import json
import re

import pytest
from lawguide.content.site import load_site
from lawguide.core.settings import Settings
from lawguide.lawchange.review import add_months, is_overdue, law_changes, review_items, review_report

from tests.fixtures import DEFAULT_PAGES, DEFAULT_REFS, build, lawguide, make_site

D = dt.date.fromisoformat


def page(title: str, reviewed: str = "2026-11-01", body: str = "", extra: str = "") -> str:
    return f"---\ntitle: {title}\nsummary: About {title.lower()}.\nreviewed: {reviewed}\n{extra}---\n# {title}\n\n{body}\n"


def refs_with(**changes_by_id) -> list[dict]:
    """The default register with extra fields on some entries, e.g. refs_with(**{"ca1989-s17zd": {...}})."""
    refs = copy.deepcopy(DEFAULT_REFS)
    for ref in refs:
        ref.update(changes_by_id.get(ref["id"], {}))
    return refs


def change(date: str, summary: str = "Words inserted by the Example Act 2027, s. 3.") -> dict:
    return {"changes": [{"date": date, "summary": summary, "source": "https://www.legislation.gov.uk/ukpga/2027/3"}]}


def site_of(root):
    return load_site(Settings.from_mkdocs_yml(root / "mkdocs.yml"))


# --- review dates ---------------------------------------------------------------------------

def test_page_without_reviewed_date_fails_the_strict_build_with_path_and_line(tmp_path):
    root = make_site(tmp_path, pages={"index.md": "---\ntitle: Home\n---\n# Home\n\nText.\n"})
    result = build(root)
    assert result.returncode != 0
    assert ("docs/index.md:1: missing 'reviewed' date in front matter "
            "(add 'reviewed: YYYY-MM-DD' between the --- lines)") in result.stderr


def test_reviewed_date_in_another_format_is_a_problem_at_its_line(tmp_path):
    root = make_site(tmp_path, pages={"a.md": page("A", reviewed="22/11/2026")})
    messages = [p.format() for p in site_of(root).problems]
    assert messages == ["docs/a.md:4: 'reviewed' is '22/11/2026', not a date in the form YYYY-MM-DD "
                        "(for example 2026-11-22)"]


def test_review_interval_that_is_not_a_whole_number_is_a_problem(tmp_path):
    root = make_site(tmp_path, pages={"a.md": page("A", extra="review_interval_months: six\n")})
    messages = [p.format() for p in site_of(root).problems]
    assert messages == ["docs/a.md:5: 'review_interval_months' is 'six', not a whole number of months (for example 6)"]


@pytest.mark.parametrize(("start", "months", "expected"), [
    ("2026-11-22", 6, "2027-05-22"),
    ("2026-08-31", 6, "2027-02-28"),  # no 31 February: the month's last day
    ("2027-08-31", 6, "2028-02-29"),  # leap year
    ("2026-12-15", 1, "2027-01-15"),  # across a year end
    ("2026-05-10", 24, "2028-05-10"),
])
def test_add_months_keeps_the_day_or_clamps_to_the_month_end(start, months, expected):
    assert add_months(D(start), months) == D(expected)


def test_page_is_overdue_only_after_the_site_wide_interval(tmp_path):
    root = make_site(tmp_path, pages={"a.md": page("A", reviewed="2026-01-15")})
    site = site_of(root)
    a = site.pages["a.md"]
    assert not is_overdue(site, a, D("2026-07-15"))  # due that day: not yet overdue
    assert is_overdue(site, a, D("2026-07-16"))


def test_interval_comes_from_mkdocs_yml_and_a_page_can_override_it(tmp_path):
    pages = {"a.md": page("A", reviewed="2026-01-15"),
             "b.md": page("B", reviewed="2026-01-15", extra="review_interval_months: 12\n")}
    root = make_site(tmp_path, pages=pages, extra_config={"extra": {"lawguide": {"review_interval_months": 3}}})
    site = site_of(root)
    today = D("2026-05-01")
    assert is_overdue(site, site.pages["a.md"], today)  # 3 months from mkdocs.yml
    assert not is_overdue(site, site.pages["b.md"], today)  # 12 months from its front matter
    assert is_overdue(site, site.pages["b.md"], D("2027-01-16"))


def test_every_guide_page_shows_last_reviewed_date_under_the_title(tmp_path):
    pages = {"index.md": page("Home", "2026-11-01", "Hello [[ca1989-s17]]."),
             "topic/deep.md": page("Deep page", "2026-03-09", "Text.")}
    root = make_site(tmp_path, pages=pages)
    assert build(root).returncode == 0
    for path, iso, long in (("index.html", "2026-11-01", "1 November 2026"),
                            ("topic/deep/index.html", "2026-03-09", "9 March 2026")):
        html = (root / "site" / path).read_text()
        title_end = html.index("</h1>")
        reviewed = html.index(f'Checked against the law as it stood on <time datetime="{iso}">{long}</time>')
        assert title_end < reviewed < title_end + 300, path


# --- affected pages -------------------------------------------------------------------------

def test_change_dated_after_reviewed_date_makes_the_page_affected(tmp_path):
    root = make_site(tmp_path, refs=refs_with(**{"ca1989-s17zd": change("2026-11-02")}))
    site = site_of(root)
    found = law_changes(site, site.pages["index.md"])
    assert [(c.ref.id, c.kind, c.date) for c in found] == [("ca1989-s17zd", "changed", D("2026-11-02"))]


@pytest.mark.parametrize("date", ["2026-11-01", "2025-06-30"])
def test_change_on_or_before_reviewed_date_does_not(tmp_path, date):
    root = make_site(tmp_path, refs=refs_with(**{"ca1989-s17zd": change(date)}))
    site = site_of(root)
    assert law_changes(site, site.pages["index.md"]) == []


def test_repealed_or_replaced_law_affects_the_page_until_it_stops_citing_it(tmp_path):
    refs = refs_with(**{"ca1989-s17": {"status": "repealed"}, "ca1989-s17zd": {"replaced_by": "ca1989-s17"}})
    pages = {"index.md": page("Home", "2030-01-01", "Old [[ca1989-s17]] and [[ca1989-s17zd]].")}
    site = site_of(make_site(tmp_path, pages=pages, refs=refs))
    found = law_changes(site, site.pages["index.md"])
    assert [(c.ref.id, c.kind) for c in found] == [("ca1989-s17", "repealed"), ("ca1989-s17zd", "replaced")]
    assert found[1].replaced_by.id == "ca1989-s17"


def test_pages_not_citing_the_changed_law_are_not_affected(tmp_path):
    pages = {"a.md": page("A", body="Help [[ca1989-s17]]."), "b.md": page("B", body="Parents [[ca1989-s17zd]].")}
    site = site_of(make_site(tmp_path, pages=pages, refs=refs_with(**{"ca1989-s17zd": change("2026-12-01")})))
    assert [i.page.path for i in review_items(site, D("2026-11-22")) if i.affected] == ["b.md"]


def test_review_lists_affected_before_overdue_and_older_first(tmp_path):
    pages = {
        "recent-change.md": page("Recent change", "2026-11-01", "[[ca1989-s17zd]]"),
        "older-change.md": page("Older change", "2026-11-01", "[[ca1989-s17]]"),
        "long-overdue.md": page("Long overdue", "2025-01-01", "Text."),
        "just-overdue.md": page("Just overdue", "2026-04-01", "Text."),
        "fine.md": page("Fine", "2026-11-01", "Text."),
    }
    refs = refs_with(**{"ca1989-s17zd": change("2026-11-20"), "ca1989-s17": change("2026-11-05")})
    site = site_of(make_site(tmp_path, pages=pages, refs=refs))
    items = review_items(site, D("2026-11-22"))
    assert [(i.page.path, i.status) for i in items] == [
        ("older-change.md", "affected"), ("recent-change.md", "affected"),
        ("long-overdue.md", "overdue"), ("just-overdue.md", "overdue")]


def test_review_report_json_shape(tmp_path):
    pages = {"a.md": page("A", "2026-01-01", "[[ca1989-s17zd]]")}
    site = site_of(make_site(tmp_path, pages=pages, refs=refs_with(**{"ca1989-s17zd": change("2026-02-01")})))
    report = review_report(site, D("2026-11-22"))
    assert report["counts"] == {"pages": 1, "affected": 1, "overdue": 1, "unfinished": 0}
    (item,) = report["pages"]
    assert item["page"] == "a.md" and item["status"] == "affected" and item["overdue"] is True
    assert item["review_due"] == "2026-07-01"
    assert item["law_changes"] == [{"kind": "changed", "ref": "ca1989-s17zd", "cite": "Children Act 1989, s.17ZD",
                                    "date": "2026-02-01", "summary": "Words inserted by the Example Act 2027, s. 3.",
                                    "source": "https://www.legislation.gov.uk/ukpga/2027/3"}]
    assert item["reasons"] == ["ca1989-s17zd changed on 2026-02-01: Words inserted by the Example Act 2027, s. 3.",
                               "review was due on 2026-07-01 (last reviewed 2026-01-01)"]


# --- `lawguide review` ----------------------------------------------------------------------

def test_review_command_exits_1_and_names_page_and_change_when_a_page_is_affected(tmp_path):
    root = make_site(tmp_path, refs=refs_with(**{"ca1989-s17zd": change("2026-11-10")}))
    result = lawguide(root, "review", "--today", "2026-11-22")
    assert result.returncode == 1, result.stderr
    assert ("1 page affected by a change in the law, 0 more overdue for review, 0 with an edit left half done "
            "(today is 2026-11-22).") in result.stdout
    assert "AFFECTED  docs/index.md  (Home); reviewed 2026-11-01, due 2027-05-01" in result.stdout
    assert "  - ca1989-s17zd changed on 2026-11-10: Words inserted by the Example Act 2027, s. 3." in result.stdout


def test_review_command_exits_0_when_pages_are_only_overdue(tmp_path):
    root = make_site(tmp_path)
    result = lawguide(root, "review", "--today", "2027-05-02")
    assert result.returncode == 0, result.stderr
    assert "OVERDUE   docs/index.md  (Home); reviewed 2026-11-01, due 2027-05-01" in result.stdout
    assert lawguide(root, "review", "--today", "2027-05-01").stdout.startswith("0 pages affected by a change in the law, 0 more")


def test_review_command_json_matches_the_report(tmp_path):
    root = make_site(tmp_path, refs=refs_with(**{"ca1989-s17zd": change("2026-11-10")}))
    result = lawguide(root, "review", "--json", "--today", "2026-11-22")
    assert result.returncode == 1
    assert json.loads(result.stdout) == review_report(site_of(root), D("2026-11-22"))


def test_review_command_rejects_a_bad_today(tmp_path):
    result = lawguide(make_site(tmp_path), "review", "--today", "22/11/2026")
    assert result.returncode == 2
    assert "'22/11/2026' is not a date in the form YYYY-MM-DD" in result.stderr


# --- what readers and editors see in the built site -----------------------------------------

@pytest.fixture(scope="module")
def affected_site(tmp_path_factory):
    root = tmp_path_factory.mktemp("affected")
    pages = {
        "index.md": DEFAULT_PAGES["index.md"],
        "calm.md": page("Calm page", "2026-11-01", "Help is there [[ca1989-s17]]. Reform [[lawcom-dcsc-report]]."),
        "gone.md": page("Gone page", "2026-11-01", "Old law [[ca1989-s17zd]]."),
    }
    refs = refs_with(**{"ca1989-s17zd": {**change("2026-11-10", "Section 17ZD amended: words inserted"),
                                         "replaced_by": "ca1989-s17"}})
    root = make_site(root, pages=pages, refs=refs,
                     extra_config={"nav": ["index.md", "calm.md", "gone.md"],
                                   "validation": {"omitted_files": "warn", "anchors": "warn",
                                                  "unrecognized_links": "warn"}})
    result = build(root)
    assert result.returncode == 0, result.stderr
    assert "not included in the \"nav\"" not in result.stderr  # generated pages are not menu pages
    return root


def notice(html: str) -> str:
    match = re.search(r'<div class="lg-law-change"[^>]*>.*?</div>', html, re.S)
    return match.group(0) if match else ""


def test_affected_page_shows_the_notice_just_under_the_title_block(affected_site):
    html = (affected_site / "site" / "index.html").read_text()
    box = notice(html)
    assert 'id="law-change-notice"' in box and 'data-law-change="ca1989-s17zd"' in box
    assert html.index('class="lg-reviewed"') < html.index(box) < html.index("The council must help")
    assert "We are checking the page now." in box
    assert ('<a href="law/ca1989-s17zd/">Children Act 1989, s.17ZD</a> changed on 10 November 2026: '
            "Section 17ZD amended: words inserted.") in box
    assert ('<a href="law/ca1989-s17zd/">Children Act 1989, s.17ZD</a> has been replaced by '
            '<a href="law/ca1989-s17/">Children Act 1989, s.17</a>.') in box


def test_unaffected_page_has_no_notice_and_proposal_is_labelled_where_cited(affected_site):
    html = (affected_site / "site" / "calm" / "index.html").read_text()
    assert "data-law-change" not in html and "law-change-notice" not in html
    assert ('Reform (<a class="lg-cite" href="../law/lawcom-dcsc-report/">Law Commission, Disabled Children\'s Social '
            'Care (2025)</a><span class="lg-proposal-tag">: a proposal, not law</span>).') in html


def test_notice_links_work_from_pages_in_subfolders(affected_site):
    html = (affected_site / "site" / "gone" / "index.html").read_text()
    assert '<a href="../law/ca1989-s17zd/">' in notice(html)


def test_reserved_notice_id_cannot_be_used_by_authors(tmp_path):
    pages = {"a.md": page("A", body="## Mine {#law-change-notice}\n\nText.")}
    messages = [p.format() for p in site_of(make_site(tmp_path, pages=pages)).problems]
    assert messages == ["docs/a.md:8: heading id 'law-change-notice' is reserved for the engine (choose another id)"]


def test_editors_page_lists_affected_pages_and_is_hidden_from_search_engines(affected_site):
    html = (affected_site / "site" / "editors" / "index.html").read_text()
    assert '<meta name="robots" content="noindex">' in html
    affected = html[html.index('id="affected"'):html.index('id="overdue"')]
    assert '<a href="../">Home</a>' in affected and '<a href="../gone/">Gone page</a>' in affected
    assert ('<a href="../law/ca1989-s17zd/">Children Act 1989, s.17ZD</a> changed on 10 November 2026: '
            "Section 17ZD amended: words inserted") in affected
    assert "Calm page" not in html[html.index("<article"):]
    assert '<a href="review.json">review.json</a>' in html
    assert "noindex" not in (affected_site / "site" / "index.html").read_text()
    search = (affected_site / "site" / "search" / "search_index.json").read_text()
    assert '"location":"editors/' not in search


def test_review_json_is_published_with_the_build(affected_site):
    report = json.loads((affected_site / "site" / "editors" / "review.json").read_text())
    assert [p["page"] for p in report["pages"] if p["affected"]] == ["gone.md", "index.md"]
    assert report["counts"]["affected"] == 2


def test_notice_for_a_change_not_yet_in_force_says_it_is_about_to_change(tmp_path):
    from lawguide.render.page import law_change_notice

    later = change("2026-11-20")
    later["changes"][0]["commences"] = "2027-04-01"
    site = site_of(make_site(tmp_path, refs=refs_with(**{"ca1989-s17zd": later})))
    upcoming = law_change_notice(site, site.pages["index.md"], today=D("2027-03-01"))
    assert "The law this page relies on is about to change." in upcoming
    assert '<a href="law/ca1989-s17zd/">Children Act 1989, s.17ZD</a> will change on 1 April 2027: ' in upcoming
    past = law_change_notice(site, site.pages["index.md"], today=D("2027-04-01"))
    assert "has changed since we last reviewed the page" in past and " changed on 1 April 2027: " in past


def test_a_page_s_law_changes_and_the_review_list_are_worked_out_once_a_build(tmp_path, monkeypatch):
    from dataclasses import replace

    from lawguide.lawchange import review

    root = make_site(tmp_path, pages={"index.md": page("Home", body="[[ca1989-s17]]")},
                     refs=refs_with(**{"ca1989-s17": change("2026-11-10")}))
    site = site_of(root)
    calls = []
    real = review._law_changes
    monkeypatch.setattr(review, "_law_changes", lambda s, p: calls.append(p.path) or real(s, p))
    home = site.pages["index.md"]
    first = law_changes(site, home)
    assert [c.kind for c in first] == ["changed"] and law_changes(site, home) == first
    assert review_items(site, D("2026-11-29")) == review_items(site, D("2026-11-29"))
    assert calls == ["index.md"]  # every later question answered from the memo
    first.clear()  # a caller's list is its own
    assert law_changes(site, home)
    later = replace(home, reviewed=D("2026-11-20"))  # not the site's page: worked out afresh
    assert law_changes(site, later) == [] and calls == ["index.md", "index.md"]


# --- dates that cannot lie; half-done edits ----------------------------------------------------

def test_a_future_reviewed_date_or_change_note_fails_check_at_its_line(tmp_path, monkeypatch):
    monkeypatch.setenv("LAWGUIDE_TODAY", "2026-12-07")
    extra = "changes:\n  - date: 2026-12-08\n    summary: Tomorrow's note.\n"
    root = make_site(tmp_path, pages={"index.md": page("Home", reviewed="2027-04-01", body="[[ca1989-s17]]", extra=extra)})
    result = lawguide(root, "check")
    assert result.returncode == 1
    assert "docs/index.md:4: 'reviewed' 2027-04-01 is in the future (today is 2026-12-07) (set it to the day you " \
           "checked the page;" in result.stderr
    assert "docs/index.md:6: change note dated 2026-12-08 is in the future (today is 2026-12-07)" in result.stderr
    monkeypatch.setenv("LAWGUIDE_TODAY", "2027-04-01")
    assert lawguide(root, "check").returncode == 0


def test_a_re_dated_page_citing_a_replaced_edition_and_never_its_replacement_is_unfinished(tmp_path):
    old = {"type": "statutory-guidance", "status": "superseded", "replaced_by": "ca1989-s17zd",
           **change("2026-10-01", "Replaced by the 2026 edition.")}
    pages = {"a.md": page("A", "2026-11-01", "[[ca1989-s17]]"),
             "b.md": page("B", "2026-11-01", "It used to say [[ca1989-s17]]; now [[ca1989-s17zd]].")}
    site = site_of(make_site(tmp_path, pages=pages, refs=refs_with(**{"ca1989-s17": old})))
    items = review_items(site, D("2026-11-22"))
    assert [(i.page.path, i.status) for i in items] == [("a.md", "unfinished")]
    assert "ca1989-s17 (replaced by ca1989-s17zd on 2026-10-01) is still cited and ca1989-s17zd never is" in items[0].reasons()[0]
    assert law_changes(site, site.pages["a.md"]) == []  # readers see the citation's tag, not a notice
    result = lawguide(tmp_path, "review", "--today", "2026-11-22")
    assert result.returncode == 1 and "UNFINISHED  docs/a.md" in result.stdout


def test_an_entry_verified_before_its_newest_change_is_listed_until_reverified(tmp_path):
    site = site_of(make_site(tmp_path, refs=refs_with(**{"ca1989-s17zd": {"verified": "2026-11-01", **change("2026-11-10")}})))
    assert site.problems == []  # the readers' notice goes out at once
    (item,) = review_items(site, D("2026-11-22"))
    assert "ca1989-s17zd was verified on 2026-11-01, before its newest change (2026-11-10): read the source" in \
        " ".join(item.reasons())
