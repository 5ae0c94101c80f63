"""`lawguide sources`: every kind of source, every way it can fail, the lock, re-verifying, and the
editors' view. All against recorded responses on 127.0.0.1 (tests/sources_server.py)."""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys

import pytest
from lawguide.content.site import load_site
from lawguide.core.settings import Settings
from lawguide.lawchange.http import Client, retry_after_seconds, user_agent
from lawguide.lawchange.sources import (
    CHANGED,
    ERROR,
    UNCHANGED,
    Bases,
    check_sources,
    main_text_hash,
    select,
    updated_lock,
)
from lawguide.lawchange.sources_lock import (
    LockEntry,
    clean_text,
    clean_url,
    lock_text,
    read_lock,
    stale_sources,
    write_lock,
)

from tests.fixtures import DEFAULT_REFS, REPO, make_site
from tests.sources_server import closed_port, serve_sources

D = dt.date.fromisoformat
TODAY = D("2027-01-15")
WT = "https://www.gov.uk/government/publications/working-together-to-safeguard-children--2"
WT_API = "/govuk/api/content/government/publications/working-together-to-safeguard-children--2"
LGO = "https://www.lgo.org.uk/information-centre/news/2021/mar/guide"
REGS = "https://www.legislation.gov.uk/uksi/2011/707/regulation/4"


def ref(ref_id: str, url: str, ref_type: str = "guidance", **extra) -> dict:
    return {"id": ref_id, "title": f"Title of {ref_id}", "cite": f"Cite {ref_id}", "url": url, "type": ref_type,
            "status": "in-force", "summary": "Summary.", "verified": "2026-11-22", **extra}


REFS = [*DEFAULT_REFS[:2],
        ref("wt2023", WT, "statutory-guidance"),
        ref("gone-guide", "https://www.gov.uk/government/publications/gone-guide"),
        ref("pig-guide", "https://www.gov.uk/government/publications/a-guide-for-pig-keepers"),
        ref("lgo-guide", LGO),
        ref("example-regs", REGS, "regulations")]
PAGES = {"index.md": "---\ntitle: Home\nsummary: Home.\nreviewed: 2026-11-22\n---\n# Home\n\n"
                     "Help [[ca1989-s17]].\n\n## Parent carers {#parent-carers}\n\nAsk [[ca1989-s17zd]].\n\n"
                     "## Safeguarding {#safeguarding}\n\nSee [[wt2023]] and [[gone-guide]], [[pig-guide]], [[lgo-guide]], "
                     "[[example-regs]].\n"}


@pytest.fixture()
def site_root(tmp_path):
    return make_site(tmp_path, pages=PAGES, refs=REFS)


def site_of(root):
    return load_site(Settings.from_mkdocs_yml(root / "mkdocs.yml"))


def bases_for(server) -> Bases:
    return Bases.from_env(server.env())


def run(root, server, only=None, lock=None, today=TODAY, **client_args):
    site = site_of(root)
    client_args.setdefault("sleep", lambda s: None)
    with Client(**client_args) as client:
        report = check_sources(site, client, bases_for(server), lock or {}, today, select(site, only))
    return {r.ref.id: r for r in report.results}, report


def lawguide(root, *args, env=None):
    return subprocess.run([sys.executable, "-m", "lawguide.cli", "--config", str(root / "mkdocs.yml"), *args],
                          capture_output=True, text=True, cwd=root, env={**os.environ, **(env or {})})


# --- legislation.gov.uk --------------------------------------------------------------------------

def test_changed_and_unchanged_provisions_of_one_paged_feed(site_root):
    with serve_sources() as server:
        results, _ = run(site_root, server, ["ca1989-s17", "ca1989-s17zd"])
        paths = server.paths()
    changed, unchanged = results["ca1989-s17zd"], results["ca1989-s17"]
    assert changed.status == CHANGED and unchanged.status == UNCHANGED
    newest = changed.findings[0]
    assert newest.date == D("2027-01-10")
    assert newest.summary.startswith("s. 17ZD(3) words substituted by Example Families Act 2026 s. 12(4)")
    assert "in force 2027-04-01" in newest.summary and newest.source == "https://www.legislation.gov.uk/ukpga/2026/99"
    # One feed for the instrument, both pages, asked once for both entries.
    assert [p for p in paths if "/changes/" in p] == [
        "/legislation/changes/affected/ukpga/1989/41/data.feed?results-count=100",
        "/legislation/changes/affected/ukpga/1989/41/data.feed?results-count=100&page=2"]
    # The effect on s. 17(6) is on page 2: it was read, and is older than verified.
    assert unchanged.marker == "effect key-placeholder-aca2002 modified 2020-01-01"
    assert unchanged.reason == "1 effect on it in the feed, none after verified"
    assert changed.checked_url == "https://www.legislation.gov.uk/changes/affected/ukpga/1989/41/data.feed"


def test_paging_stops_at_a_page_older_than_every_verified_date(tmp_path):
    refs = [{**DEFAULT_REFS[0], "verified": "2026-12-05"}]
    root = make_site(tmp_path, pages={"index.md": "---\ntitle: H\nsummary: H.\nreviewed: 2026-11-22\n---\n# H\n\n"
                                                  "X [[ca1989-s17]].\n"}, refs=refs)
    with serve_sources() as server:
        results, _ = run(root, server)
        # Page 1 is newest first and ends on 1 December 2026, before verified: page 2 is not needed.
        assert not any("page=2" in p for p in server.paths())
    assert results["ca1989-s17"].status == UNCHANGED


def test_a_next_link_back_to_a_page_already_read_is_not_followed_forever(site_root):
    with serve_sources() as server:
        server.override("/legislation/changes/affected/ukpga/1989/41/data.feed", file="legislation/ukpga-1989-41.feed.xml")
        results, _ = run(site_root, server, ["ca1989-s17", "ca1989-s17zd"])
        assert len(server.paths()) == 2
    assert results["ca1989-s17zd"].status == CHANGED  # what was read still counts
    assert results["ca1989-s17"].status == ERROR and "check by hand" in results["ca1989-s17"].reason


def test_silent_feed_falls_back_to_the_provisions_unapplied_effects(site_root):
    with serve_sources() as server:
        server.override("/legislation/changes/affected/uksi/2011/707/data.feed", file="legislation/empty.feed.xml")
        server.override("/legislation/uksi/2011/707/regulation/4/data.xml", file="legislation/unapplied.data.xml")
        results, _ = run(site_root, server, ["example-regs"])
    result = results["example-regs"]
    assert result.status == CHANGED and result.checked_url == REGS + "/data.xml"
    assert result.findings[0].date == D("2026-12-18")
    assert "reg. 4 substituted by Example Amendment Regulations 2026 reg. 2" in result.findings[0].summary
    assert result.marker.startswith("data.xml modified 2026-12-20")


@pytest.mark.parametrize(("fixture", "reason"), [
    ("legislation/malformed.feed.xml", "unreadable changes feed: not well-formed XML"),
    ("legislation/entities.feed.xml", "unreadable changes feed: the document has a DOCTYPE; a changes feed never has one"),
    ("legislation/unapplied.data.xml", "unreadable changes feed: not an Atom feed"),
])
def test_unreadable_or_hostile_feed_could_not_be_checked(site_root, fixture, reason):
    with serve_sources() as server:
        server.override("/legislation/changes/affected/ukpga/1989/41/data.feed", file=fixture)
        results, _ = run(site_root, server, ["ca1989-s17", "ca1989-s17zd"])
    for result in results.values():
        assert result.status == ERROR and result.reason.startswith(reason), result.reason


def test_a_data_xml_declaring_entities_is_refused_by_the_parser(site_root):
    with serve_sources() as server:
        server.override("/legislation/changes/affected/uksi/2011/707/data.feed", file="legislation/empty.feed.xml")
        server.override("/legislation/uksi/2011/707/regulation/4/data.xml", file="legislation/entities.feed.xml")
        results, _ = run(site_root, server, ["example-regs"])
    assert results["example-regs"].status == ERROR
    assert results["example-regs"].reason.startswith("unreadable data.xml: the document has a DOCTYPE")


def test_a_feed_that_only_mentions_an_entity_in_a_comment_is_read(site_root):
    """Refusing on the bytes "<!ENTITY" anywhere (as a prefilter once did) would refuse this one."""
    empty = (REPO / "tests" / "data" / "sources" / "legislation" / "empty.feed.xml").read_text(encoding="utf-8")
    mentioned = empty.replace("<feed", "<!-- no <!ENTITY here, only words -->\n<feed", 1)
    assert mentioned != empty
    with serve_sources() as server:
        server.override("/legislation/changes/affected/uksi/2011/707/data.feed", body=mentioned.encode())
        server.override("/legislation/uksi/2011/707/regulation/4/data.xml", file="legislation/unapplied.data.xml")
        results, _ = run(site_root, server, ["example-regs"])
    assert results["example-regs"].status == CHANGED  # read, found silent, and the provision checked


def test_title_search_url_is_not_checked_and_not_called_unchanged(tmp_path):
    refs = [ref("sb-regs", "https://www.legislation.gov.uk/uksi/2011?title=Breaks%20for%20Carers", "regulations")]
    root = make_site(tmp_path, pages={"index.md": "---\ntitle: H\nsummary: H.\nreviewed: 2026-11-22\n---\n# H\n\nX [[sb-regs]].\n"},
                     refs=refs)
    with serve_sources() as server:
        results, report = run(root, server)
        assert server.requests == []
    assert results["sb-regs"].status == ERROR and "no instrument number" in results["sb-regs"].reason
    assert report.exit_code == 2 and not report.offline


# --- GOV.UK Content API --------------------------------------------------------------------------

def test_govuk_change_note_after_verified_is_named_in_its_own_words(site_root):
    with serve_sources() as server:
        results, _ = run(site_root, server, ["wt2023"], lock=None)
    # verified 2026-11-22: the 2026 edition's note (18 March 2026) came before it.
    assert results["wt2023"].status == UNCHANGED
    assert results["wt2023"].marker == "public_updated_at 2026-03-18T09:30:00.000+00:00; 3 change notes"
    text = (site_root / "law_refs" / "refs.yml").read_text().replace("verified: '2026-11-22'\n  notes", "x")
    assert text  # (the register is untouched by a check)


def test_withdrawn_govuk_item_is_a_change_until_the_register_records_it(site_root):
    with serve_sources() as server:
        server.override("/govuk/api/content/government/publications/a-guide-for-pig-keepers", file="govuk/withdrawn.json")
        results, _ = run(site_root, server, ["pig-guide"])
    result = results["pig-guide"]
    assert result.status == CHANGED
    assert result.findings[0].summary.startswith("Withdrawn on GOV.UK on 2015-01-13: This information is now out of date.")
    assert "<" not in result.findings[0].summary  # markup from the API is stripped
    assert result.findings[0].date == TODAY  # news today: it predates verification but was never recorded


def test_404_and_moved_and_malformed_json_could_not_be_checked(site_root):
    with serve_sources() as server:
        server.override("/govuk/api/content/government/publications/gone-guide", status=404)
        server.override("/govuk/api/content/government/publications/a-guide-for-pig-keepers", status=301,
                        headers={"Location": server.base + "/govuk/api/content/government/publications/new-guide"})
        server.override(WT_API, file="govuk/malformed.json")
        results, _ = run(site_root, server, ["gone-guide", "pig-guide", "wt2023"])
    assert results["gone-guide"].status == ERROR and results["gone-guide"].reason == "HTTP 404 (not found)"
    moved = results["pig-guide"]
    assert moved.status == ERROR and moved.moved_to == "https://www.gov.uk/government/publications/new-guide"
    assert moved.reason.startswith("moved to https://www.gov.uk/government/publications/new-guide")
    assert results["wt2023"].status == ERROR and results["wt2023"].reason.startswith("unreadable Content API JSON")


def test_429_is_retried_after_the_wait_the_server_asks_for(site_root):
    waits: list[float] = []
    with serve_sources() as server:
        server.override(WT_API, status=429, headers={"Retry-After": "3"}, count=1)
        results, _ = run(site_root, server, ["wt2023"], sleep=waits.append)
        assert server.paths().count(WT_API) == 2
    assert waits == [3.0] and results["wt2023"].status == UNCHANGED


def test_a_wait_longer_than_the_cap_is_not_hammered(site_root):
    with serve_sources() as server:
        server.override(WT_API, status=503, headers={"Retry-After": "3600"})
        results, _ = run(site_root, server, ["wt2023"], max_wait=5)
        assert server.paths().count(WT_API) == 1
    assert results["wt2023"].status == ERROR and "asked us to wait 3600 s" in results["wt2023"].reason


def test_5xx_without_retry_after_backs_off_then_gives_up(site_root):
    waits: list[float] = []
    with serve_sources() as server:
        server.override(WT_API, status=502)
        results, _ = run(site_root, server, ["wt2023"], sleep=waits.append, backoff=0.5, attempts=3)
    assert waits == [0.5, 1.0] and results["wt2023"].reason == "HTTP 502 after 3 tries"


def test_timeout_could_not_be_checked(site_root):
    with serve_sources() as server:
        server.override(WT_API, file="govuk/default.json", delay=1.0)
        results, _ = run(site_root, server, ["wt2023"], timeout=0.2, attempts=2)
    assert results["wt2023"].status == ERROR and results["wt2023"].reason.startswith("timed out after 0.2 s")


def test_response_far_too_large_is_refused(site_root):
    with serve_sources() as server:
        server.override(WT_API, body=b"{" + b" " * 200_000 + b"}")
        results, _ = run(site_root, server, ["wt2023"], max_bytes=50_000)
    assert results["wt2023"].status == ERROR and results["wt2023"].reason.startswith("response too large")


def test_retry_after_as_http_date():
    now = dt.datetime(2026, 11, 29, 10, 0, 0, tzinfo=dt.UTC)
    assert retry_after_seconds("Sun, 29 Nov 2026 10:00:30 GMT", now) == 30.0
    assert retry_after_seconds("120") == 120.0
    assert retry_after_seconds("soon") is None and retry_after_seconds("") is None


# --- other web pages -----------------------------------------------------------------------------

LGO_PATH = "/web/www.lgo.org.uk/information-centre/news/2021/mar/guide"


def test_web_page_last_modified_before_verified_is_unchanged_and_then_asked_conditionally(site_root):
    with serve_sources() as server:
        results, report = run(site_root, server, ["lgo-guide"])
        assert results["lgo-guide"].status == UNCHANGED
        lock = updated_lock(report, {})
        assert lock["lgo-guide"].etag == '"default-2020"'
        again, _ = run(site_root, server, ["lgo-guide"], lock=lock)
    assert again["lgo-guide"].status == UNCHANGED and "HTTP 304" in again["lgo-guide"].reason


def test_not_modified_keeps_a_change_that_is_not_yet_reverified(site_root):
    previous = {"lgo-guide": LockEntry("lgo-guide", "web", LGO, "sha256:x", D("2026-12-01"), D("2026-11-30"),
                                       "the page's main text changed", LGO, '"default-2020"')}
    with serve_sources() as server:
        results, _ = run(site_root, server, ["lgo-guide"], lock=previous)
        assert server.paths() == [LGO_PATH]
    assert results["lgo-guide"].status == CHANGED  # a 304 is not a re-verification
    assert results["lgo-guide"].findings[0].summary == "the page's main text changed"


def test_web_page_main_text_change_since_last_check_is_a_change(site_root):
    previous = {"lgo-guide": LockEntry("lgo-guide", "web", LGO, "sha256:old", D("2026-12-01"))}
    with serve_sources() as server:
        server.override(LGO_PATH, file="web/changed.html")  # no Last-Modified, no ETag
        results, _ = run(site_root, server, ["lgo-guide"], lock=previous)
    result = results["lgo-guide"]
    assert result.status == CHANGED and result.new_since_last_check
    assert result.findings[0].summary == "the page's main text changed since the check of 2026-12-01"


def test_main_text_hash_ignores_headers_and_scripts_outside_main(tmp_path):
    from tests.sources_server import DATA

    default = main_text_hash((DATA / "web" / "default.html").read_bytes())
    assert default == main_text_hash((DATA / "web" / "header-only-changed.html").read_bytes())
    assert default != main_text_hash((DATA / "web" / "changed.html").read_bytes())


def test_web_page_first_seen_without_last_modified_is_a_baseline_not_unchanged(site_root):
    with serve_sources() as server:
        server.override(LGO_PATH, file="web/default.html")
        results, _ = run(site_root, server, ["lgo-guide"])
    assert results["lgo-guide"].status == ERROR and "baseline recorded" in results["lgo-guide"].reason
    assert results["lgo-guide"].marker.startswith("sha256:")


# --- text from a source is data ------------------------------------------------------------------

@pytest.mark.parametrize("url", ["javascript:alert(1)", "https://x.org/a)b", "https://x.org/a b", 'https://x.org/"',
                                 "https://x.org/<script>", "ftp://x.org/", "https://x.org/'", ""])
def test_bad_urls_are_refused(url):
    assert clean_url(url) == ""


def test_text_is_one_bounded_line():
    assert clean_text("a\nb\x00\tc" + "x" * 400).startswith("a b c")
    assert len(clean_text("x" * 1000)) == 300


# --- the lock ------------------------------------------------------------------------------------

def test_lock_round_trips_sorted_and_rejects_bad_entries(tmp_path):
    entries = {"b-ref": LockEntry("b-ref", "web", LGO, "sha256:1", D("2026-11-29")),
               "a-ref": LockEntry("a-ref", "govuk", "https://www.gov.uk/api/content/x", "m", D("2026-11-29"),
                                  D("2026-11-25"), "GOV.UK change note: x", "https://www.gov.uk/x")}
    write_lock(tmp_path / "sources.lock", entries)
    text = (tmp_path / "sources.lock").read_text()
    assert text.index("a-ref:") < text.index("b-ref:") and text == lock_text(entries)
    assert read_lock(tmp_path).entries == entries
    (tmp_path / "sources.lock").write_text(text + "c-ref:\n  kind: ftp\n  checked: 2026-11-29\n"
                                           "d-ref:\n  kind: web\n  checked: someday\n")
    lock = read_lock(tmp_path)
    assert set(lock.entries) == {"a-ref", "b-ref"}
    assert [p.message for p in lock.problems] == ["entry 'c-ref': kind must be one of legislation, govuk, web",
                                                  "entry 'd-ref': 'checked' is not a date"]


def test_a_failure_never_erases_what_was_seen_last(site_root):
    previous = {"wt2023": LockEntry("wt2023", "govuk", "https://www.gov.uk/api/content/x", "seen", D("2026-11-01"))}
    with serve_sources() as server:
        server.override(WT_API, status=404)
        _, report = run(site_root, server, ["wt2023"], lock=previous)
    assert updated_lock(report, previous) == previous


# --- the command ---------------------------------------------------------------------------------

def test_offline_says_so_in_one_line_exits_2_and_calls_nothing_unchanged(site_root):
    port = closed_port()
    env = {f"LAWGUIDE_SOURCES_BASE_{k}": f"http://127.0.0.1:{port}" for k in ("LEGISLATION", "GOVUK", "WEB")}
    result = lawguide(site_root, "sources", "check", env=env)
    assert result.returncode == 2, result.stderr
    assert result.stdout == "" and len(result.stderr.strip().splitlines()) == 1
    assert result.stderr.startswith("lawguide sources: offline:")
    as_json = lawguide(site_root, "sources", "check", "--json", env=env)
    data = json.loads(as_json.stdout)
    assert as_json.returncode == 2 and data["offline"] is True and data["counts"]["unchanged"] == 0
    assert {e["status"] for e in data["entries"]} == {"could-not-check"}
    assert not (site_root / "sources.lock").exists()


def test_check_only_and_kind_select_entries_and_name_the_contact(tmp_path):
    root = make_site(tmp_path, pages=PAGES, refs=REFS, extra_config={"extra": {"lawguide": {"contact": "editors@example.org"}}})
    with serve_sources() as server:
        result = lawguide(root, "sources", "check", "--kind", "govuk", "--only", "wt2023", "ca1989-s17", "--json",
                          "--today", "2027-01-15", env=server.env())
        agents = {agent for _, agent in server.requests}
        assert server.paths() == [WT_API]
    assert result.returncode == 0, result.stderr
    assert [e["id"] for e in json.loads(result.stdout)["entries"]] == ["wt2023"]
    assert agents == {user_agent("editors@example.org")} and "editors@example.org" in agents.pop()
    assert "wt2023:" in (root / "sources.lock").read_text()
    unknown = lawguide(root, "sources", "check", "--only", "wt2032", env=server.env())
    assert unknown.returncode == 2 and "unknown law reference 'wt2032'" in unknown.stderr


def test_changed_source_is_listed_for_editors_until_reverified(site_root):
    with serve_sources() as server:
        server.override("/govuk/api/content/government/publications/gone-guide", file="govuk/send-code-of-practice-0-to-25.json")
        result = lawguide(site_root, "sources", "check", "--only", "gone-guide", "--today", "2027-01-15", env=server.env())
    assert result.returncode == 1, result.stderr
    assert "CHANGED SINCE VERIFIED  gone-guide" in result.stdout
    assert "page: docs/index.md  #safeguarding" in result.stdout
    stale = stale_sources(site_of(site_root))
    assert [(s.ref_id, s.entry.changed, s.pages) for s in stale] == [("gone-guide", D("2027-01-05"), ("index.md",))]
    review = lawguide(site_root, "review", "--today", "2027-01-15", "--no-cache")
    assert "SOURCE CHANGED: RE-VERIFY  gone-guide" in review.stdout
    assert "2027-01-05 GOV.UK change note: Fixture: chapter 9 updated <b>for the 2026 Act</b>." in review.stdout
    refused = lawguide(site_root, "sources", "reverify", "gone-guide")
    assert refused.returncode == 1 and "--yes" in refused.stderr
    before = (site_root / "law_refs" / "refs.yml").read_text()
    with serve_sources() as server:
        # The address cannot be read: never marked verified, nothing written.
        unread = lawguide(site_root, "sources", "reverify", "gone-guide", "--yes", "--today", "2027-01-16",
                          env=server.env())
        assert unread.returncode == 1
        assert ("law_refs/refs.yml:" in unread.stderr and "'gone-guide': could not read its url "
                "https://www.gov.uk/government/publications/gone-guide: HTTP 404 (not found)" in unread.stderr)
        assert (site_root / "law_refs" / "refs.yml").read_text() == before
        server.override("/govuk/government/publications/gone-guide", body=b"<html>The guide</html>")
        done = lawguide(site_root, "sources", "reverify", "gone-guide", "--yes", "--today", "2027-01-16", env=server.env())
        assert server.paths()[-1] == "/govuk/government/publications/gone-guide"
    assert done.returncode == 0, done.stderr
    after = (site_root / "law_refs" / "refs.yml").read_text()
    changed_lines = [(a, b) for a, b in zip(before.splitlines(), after.splitlines(), strict=True) if a != b]
    assert len(changed_lines) == 1 and changed_lines[0][1].strip() == "verified: 2027-01-16"
    assert stale_sources(site_of(site_root)) == []
    assert "SOURCE CHANGED" not in lawguide(site_root, "review", "--today", "2027-01-16", "--no-cache").stdout


def test_bases_rewrite_only_for_tests_and_report_real_addresses():
    real = Bases.from_env({})
    assert real.overridden == [] and real.to_fetch(WT) == WT
    test = Bases.from_env({"LAWGUIDE_SOURCES_BASE_WEB": "http://127.0.0.1:1/web/"})
    assert test.to_fetch(LGO) == "http://127.0.0.1:1/web/www.lgo.org.uk/information-centre/news/2021/mar/guide"
    assert test.to_canonical(test.to_fetch(LGO)) == LGO
