"""`lawguide sources` against hostile or broken websites: each one costs its own entry ("could not
check"), never the run, and no request outlives its deadline.

The responses are the recorded shapes of tests/data/sources (see its README: legislation.gov.uk's
Atom changes feed after legislation/data-documentation `formats/atom.md` and `api/search.md`; the GOV.UK
Content API after alphagov/publishing-api's content-schemas examples; an ordinary HTML page), served on
127.0.0.1 by tests/sources_server.py. The hostile parts (a Location header, a gzip Content-Encoding, a
Retry-After, a body sent one byte at a time) are HTTP as RFC 9110 defines it, changed as an attacker
would; no recorded response from a real site.
"""

from __future__ import annotations

import gzip
import json
import threading
import time

import pytest
from lawguide.lawchange.http import Client, FetchError, redirect_target, retry_after_seconds
from lawguide.lawchange.sources import CHANGED, ERROR, MAX_FEED_PAGES, UNCHANGED

from tests.fixtures import REPO
from tests.lawchange.test_sources import LGO, WT_API, lawguide, run, site_root  # noqa: F401 (fixture)
from tests.sources_server import serve_sources

LGO_PATH = "/web/www.lgo.org.uk/information-centre/news/2021/mar/guide"
FEED = "/legislation/changes/affected/ukpga/1989/41/data.feed"
PAGE_1 = (REPO / "tests" / "data" / "sources" / "legislation" / "ukpga-1989-41.feed.xml").read_text(encoding="utf-8")
NEXT = "http://www.legislation.gov.uk/changes/affected/ukpga/1989/41/data.feed?results-count=100&amp;page=2"


# --- redirects -------------------------------------------------------------------------------------

@pytest.mark.parametrize(("location", "reason"), [
    ("javascript:alert(1)", "redirected to a non-https address (javascript:...)"),
    ("mailto:someone@example.org", "redirected to a non-https address (mailto:...)"),
    ("data:text/html,<script>alert(1)</script>", "redirected to a malformed address"),
    ("data:text/html;base64,PHNjcmlwdD4=", "redirected to a non-https address (data:...)"),
    ("http://[::1", "redirected to a malformed address"),
    ("https://exa mple.org/x", "redirected to a malformed address"),
    ("ftp://www.lgo.org.uk/file", "redirected to a non-https address (ftp:...)"),
    ("https://evil.example/page", "redirected to another host (https://evil.example)"),
])
def test_a_hostile_redirect_costs_one_entry_never_the_run(site_root, location, reason):  # noqa: F811
    with serve_sources() as server:
        server.override(LGO_PATH, status=302, headers={"Location": location})
        results, report = run(site_root, server, ["lgo-guide", "wt2023"])
    assert results["lgo-guide"].status == ERROR and results["lgo-guide"].reason.startswith(reason), results["lgo-guide"].reason
    assert results["wt2023"].status == UNCHANGED  # the other entry was still checked
    assert report.exit_code == 0  # nothing changed: the one failure is listed, the run is not "changed"


def test_the_command_reports_a_javascript_redirect_writes_the_lock_and_exits_as_documented(site_root):  # noqa: F811
    with serve_sources() as server:
        server.override(LGO_PATH, status=301, headers={"Location": "javascript:alert(document.domain)"})
        result = lawguide(site_root, "sources", "check", "--today", "2027-01-15", env=server.env())
    assert "Traceback" not in result.stderr and "InvalidURL" not in result.stderr
    assert "COULD NOT CHECK  lgo-guide  [web]: redirected to a non-https address (javascript:...)" in result.stdout
    assert "could not be checked" in result.stdout
    lock = (site_root / "sources.lock").read_text(encoding="utf-8")
    assert "wt2023" in lock  # what was read is recorded
    assert result.returncode == 1  # 1: a source changed (ca1989-s17zd in the recorded feed); not a crash


def test_a_redirect_loop_is_named_and_asked_once_per_hop(site_root):  # noqa: F811
    with serve_sources() as server:
        server.override(LGO_PATH, status=302, headers={"Location": LGO_PATH + "/b"})
        server.override(LGO_PATH + "/b", status=302, headers={"Location": LGO_PATH})
        results, _ = run(site_root, server, ["lgo-guide"])
        assert server.paths() == [LGO_PATH, LGO_PATH + "/b"]
    assert results["lgo-guide"].status == ERROR and results["lgo-guide"].reason.startswith("redirect loop")


def test_www_and_https_upgrades_are_followed_but_other_hosts_and_downgrades_are_not():
    assert redirect_target("https://lgo.org.uk/a", "https://www.lgo.org.uk/a") == "https://www.lgo.org.uk/a"
    assert redirect_target("http://127.0.0.1:9/a", "/b") == "http://127.0.0.1:9/b"
    with pytest.raises(FetchError, match=r"non-https address \(http://www.lgo.org.uk\)"):
        redirect_target("https://www.lgo.org.uk/a", "http://www.lgo.org.uk/a")
    look_alike = "www.leg\u012fslation.gov.uk"  # i with ogonek
    with pytest.raises(FetchError, match=rf"another host \(https://{look_alike.encode('idna').decode()}\)"):
        redirect_target("https://www.legislation.gov.uk/a", f"https://{look_alike}/a")


# --- size, compression, waits, proxies -----------------------------------------------------------

def test_a_gzip_bomb_is_cut_off_while_it_is_decompressed(site_root):  # noqa: F811
    bomb = gzip.compress(b"\0" * 60_000_000, compresslevel=9)  # about 60 KB on the wire, 60 MB inflated
    assert len(bomb) < 100_000
    with serve_sources() as server:
        server.override(WT_API, body=bomb, headers={"Content-Encoding": "gzip"})
        started = time.monotonic()
        results, _ = run(site_root, server, ["wt2023"], max_bytes=1_000_000)
    assert results["wt2023"].status == ERROR
    assert results["wt2023"].reason == "response too large: more than 1,000,000 bytes once decompressed"
    assert time.monotonic() - started < 5


def test_a_gzip_response_within_the_limit_is_read(site_root):  # noqa: F811
    body = (REPO / "tests" / "data" / "sources" / "govuk" / "working-together-to-safeguard-children--2.json").read_bytes()
    with serve_sources() as server:
        server.override(WT_API, body=gzip.compress(body), headers={"Content-Encoding": "gzip"})
        results, _ = run(site_root, server, ["wt2023"])
    assert results["wt2023"].status == UNCHANGED and results["wt2023"].marker.endswith("3 change notes")


def test_an_encoding_the_client_did_not_ask_for_is_refused(site_root):  # noqa: F811
    with serve_sources() as server:
        server.override(WT_API, body=b"x", headers={"Content-Encoding": "br"})
        results, _ = run(site_root, server, ["wt2023"])
    assert results["wt2023"].reason.startswith("response in an encoding this client did not ask for (br)")


@pytest.mark.parametrize("value", ["31536000000", "Fri, 31 Dec 9999 23:59:59 GMT", "²", "9" * 400])
def test_retry_after_of_years_or_nonsense_is_capped_not_waited_for(site_root, value):  # noqa: F811
    waits: list[float] = []
    with serve_sources() as server:
        server.override(WT_API, status=503, headers={"Retry-After": value})
        results, report = run(site_root, server, ["wt2023"], sleep=waits.append, max_wait=5, attempts=2, backoff=0.1)
    assert all(w <= 5 for w in waits)
    assert results["wt2023"].status == ERROR
    assert "longer than 5 s" in results["wt2023"].reason or results["wt2023"].reason == "HTTP 503 after 2 tries"


def test_retry_after_reads_only_ascii_digits():
    assert retry_after_seconds("²") is None and retry_after_seconds("٣") is None
    assert retry_after_seconds("120") == 120.0


def test_proxy_variables_in_the_environment_are_ignored(site_root, monkeypatch):  # noqa: F811
    for name in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "http_proxy", "https_proxy", "all_proxy"):
        monkeypatch.setenv(name, "http://127.0.0.1:9")  # nothing listens there: used, it would fail
    monkeypatch.setenv("NO_PROXY", "")
    with serve_sources() as server:
        results, _ = run(site_root, server, ["wt2023"])
    assert results["wt2023"].status == UNCHANGED


# --- deadlines -----------------------------------------------------------------------------------

def test_a_server_sending_one_byte_a_second_is_cut_off_at_the_deadline(site_root):  # noqa: F811
    body = json.dumps({"base_path": "/x", "details": {"change_history": []}, "padding": "x" * 1000}).encode()
    with serve_sources() as server:
        server.override(WT_API, body=body, trickle=0.05)  # 20 bytes a second: never a read timeout
        started = time.monotonic()
        results, _ = run(site_root, server, ["wt2023", "lgo-guide"], timeout=1.0, deadline=0.6)
        took = time.monotonic() - started
    assert results["wt2023"].status == ERROR
    assert results["wt2023"].reason == ("stopped after 0.6 s: the source took longer than the deadline for one request")
    assert results["lgo-guide"].status != ERROR  # reported on that entry only
    assert took < 3


def test_the_run_budget_stops_asking_and_says_so_on_each_entry_left(site_root):  # noqa: F811
    with serve_sources() as server:
        server.override(WT_API, file="govuk/default.json", trickle=0.01)
        server.override(LGO_PATH, file="web/default.html", trickle=0.01)
        started = time.monotonic()
        results, report = run(site_root, server, ["wt2023", "lgo-guide", "gone-guide", "pig-guide"],
                              deadline=30, budget=0.5)
        took = time.monotonic() - started
    assert took < 3
    reasons = {r.ref.id: r.reason for r in report.results}
    assert any("the run's time budget of 0.5 s" in reason for reason in reasons.values()), reasons
    assert all(r.status == ERROR for r in (results["wt2023"], results["lgo-guide"]))


# --- paged feeds ---------------------------------------------------------------------------------

def test_a_feed_whose_next_page_is_its_first_page_is_read_once_and_reported_once(site_root):  # noqa: F811
    """Item 29.9: page 1 of the recorded Children Act feed, its rel="next" pointing back at page 1
    under another spelling of the same address."""
    looped = PAGE_1.replace(NEXT, NEXT.replace("results-count=100&amp;page=2", "page=1&amp;results-count=100"))
    assert looped != PAGE_1
    with serve_sources() as server:
        server.override(FEED, body=looped.encode("utf-8"))
        results, _ = run(site_root, server, ["ca1989-s17", "ca1989-s17zd"])
        assert [p for p in server.paths() if "/changes/" in p] == [FEED + "?results-count=100"]
    changed = results["ca1989-s17zd"]
    assert changed.status == CHANGED
    summaries = [f.summary for f in changed.findings]
    assert len(summaries) == len(set(summaries)) == 2  # the two effects of page 1, each once


def test_a_feed_that_pages_back_reports_each_effect_once(site_root):  # noqa: F811
    """Every page of the feed answers with page 1 (whose next link is page 2)."""
    with serve_sources() as server:
        server.override(FEED, file="legislation/ukpga-1989-41.feed.xml")
        results, _ = run(site_root, server, ["ca1989-s17zd"])
    summaries = [f.summary for f in results["ca1989-s17zd"].findings]
    assert len(summaries) == len(set(summaries)) == 2


def test_a_feed_that_never_ends_is_read_to_a_bound_and_said_to_be_incomplete(site_root):  # noqa: F811
    """Each page is page 1's shape with fresh effect ids and a next link to the page after it."""
    pages: list[str] = []
    with serve_sources() as server:
        for n in range(1, MAX_FEED_PAGES + 5):
            text = PAGE_1.replace("key-fixture", f"key-p{n}-fixture").replace(
                "page=2", f"page={n + 1}")
            server.override(f"{FEED}?results-count=100" + (f"&page={n}" if n > 1 else ""), body=text.encode("utf-8"))
        results, _ = run(site_root, server, ["ca1989-s17"])
        pages = [p for p in server.paths() if "/changes/" in p]
    assert len(pages) == MAX_FEED_PAGES
    assert results["ca1989-s17"].status == ERROR
    assert results["ca1989-s17"].reason.startswith(f"read {MAX_FEED_PAGES} pages of the changes feed")


def test_client_needs_no_network_to_refuse_a_spent_budget():
    with Client(budget=0) as client, pytest.raises(FetchError, match="time budget of 0 s was spent"):
        client.get("http://127.0.0.1:9/")


# --- name lookups (DNS) under the deadline: no network, a monkeypatched resolver -------------------

@pytest.fixture
def resolver(monkeypatch):
    """socket.getaddrinfo answering 'source.test' with 127.0.0.1 and hanging on 'hangs.test' (released, and
    so failing, when the test ends), as a resolver that never answers would."""
    import socket

    real, release, asked = socket.getaddrinfo, threading.Event(), []

    def getaddrinfo(host, port, *args, **kwargs):
        asked.append(host)
        if host == "hangs.test":
            release.wait(30)
            raise socket.gaierror(socket.EAI_AGAIN, "Temporary failure in name resolution")
        if host == "source.test":
            return real("127.0.0.1", port, *args, **kwargs)
        if host == "nowhere.test":
            raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")
        return real(host, port, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
    yield asked
    release.set()


def test_a_name_lookup_that_never_answers_is_cut_off_by_the_deadline(resolver):
    started = time.monotonic()
    with Client(timeout=5, deadline=0.5, attempts=1) as client, pytest.raises(FetchError) as raised:
        client.get("https://hangs.test/law")
    took = time.monotonic() - started
    assert took < 2, took  # the lookup once held the request as long as the resolver did (here 30 s)
    assert raised.value.reason == "stopped after 0.5 s: the source took longer than the deadline for one request"
    assert resolver == ["hangs.test"]


def test_a_name_lookup_is_bounded_by_the_connect_timeout_on_every_try(resolver):
    started = time.monotonic()
    with Client(timeout=0.3, deadline=30, attempts=2, backoff=0.01) as client, pytest.raises(FetchError) as raised:
        client.get("https://hangs.test/law")
    assert time.monotonic() - started < 2
    assert raised.value.reason == "looking up hangs.test took longer than 0.3 s (2 tries)"
    assert resolver == ["hangs.test", "hangs.test"]


def test_a_looked_up_address_is_connected_to_and_read_as_before(site_root, resolver):  # noqa: F811
    with serve_sources() as server, Client(timeout=5, deadline=5) as client:
        port = server.base.rsplit(":", 1)[1]
        fetched = client.get(f"http://source.test:{port}{LGO_PATH}")
    assert fetched.status == 200 and fetched.body
    assert [host for host in resolver if not host[0].isdigit()] == ["source.test"]  # then its address, connected to


def test_an_unknown_host_is_named_as_could_not_connect(resolver):
    with Client(timeout=5, deadline=5, attempts=1) as client, pytest.raises(FetchError) as raised:
        client.get("https://nowhere.test/law")
    assert raised.value.offline
    assert raised.value.reason == "could not connect: could not look up nowhere.test: [Errno -2] Name or service not known"
