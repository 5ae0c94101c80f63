"""The real site, built strictly and served on 127.0.0.1, has no broken internal link (linkchecker, the
independent tool) and no broken anchor (our own check, tests/links/anchors.py, which fetches each page once);
every external URL is https and well formed; official URLs in the register follow legislation.gov.uk's URI
patterns. No network: external links are only checked for form, never fetched."""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from collections import Counter
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlparse

import pytest
from lawguide.content.register import check_url, load_register
from lawguide.core.settings import Settings

from tests.conftest import SERVED
from tests.fixtures import REPO, build, make_site
from tests.linkcheck_server import serve
from tests.links.anchors import check_anchors, page_urls

pytestmark = pytest.mark.slow

LINKCHECKER = Path(sys.executable).parent / "linkchecker"
# Pages and files only: with its anchor plugin ([AnchorCheck]) linkchecker treats each page#anchor as a URL
# of its own and fetched a page once for every anchor linked to it (3,718 fetches for about 400 pages);
# without it, it fetches each URL once. Anchors are checked by tests/links/anchors.py over the same server.
# External links are not fetched (no network). Warnings fail too.
LINKCHECKER_RC = """\
[checking]
threads=20
# Our loopback server sends a LinkChecker header, which lifts the per-host limit to this rate.
maxrequestspersecond=1000
[filtering]
checkextern=0
[text]
# one line per message, so a failure names the problem in full
wraplength=1000
"""


@pytest.fixture(scope="module")
def readable_tmp() -> Iterator[Path]:
    """linkchecker, run as root, drops to 'nobody': its config and the site must be world-readable,
    which pytest's private tmp folders are not."""
    folder = Path(tempfile.mkdtemp(prefix="lawguide-linkcheck-"))
    folder.chmod(0o755)
    yield folder
    shutil.rmtree(folder, ignore_errors=True)


def make_readable(tree: Path) -> None:
    for path in [tree, *tree.rglob("*")]:
        path.chmod(0o755 if path.is_dir() else 0o644)


def write_rc(work: Path) -> Path:
    rc = work / "linkcheckerrc"
    rc.write_text(LINKCHECKER_RC, encoding="utf-8")
    rc.chmod(0o644)
    return rc


def run_linkchecker(rc: Path, base: str, work: Path, site_dir: Path | None = None) -> subprocess.CompletedProcess:
    """Start from base and, given the site folder, from every page in it too: pages no link reaches
    (editors/, each finder flow's first question, 404.html) are checked as well."""
    starts = page_urls(site_dir, base) if site_dir else [base]
    return subprocess.run([str(LINKCHECKER), "-f", str(rc), "--no-status", "-o", "text", "--stdin"],
                          input="\n".join(starts) + "\n", capture_output=True, text=True, timeout=1800, cwd=work)


def linkcheck(site_dir: Path, work: Path) -> subprocess.CompletedProcess:
    """linkchecker and then the anchor check over site_dir served on 127.0.0.1, as one result (the
    publish and edition tests use it): exit 1 and each broken anchor listed at the end of stdout if any."""
    rc = write_rc(work)
    make_readable(site_dir)
    with serve(site_dir) as base:
        result = run_linkchecker(rc, base, work, site_dir)
        anchors = check_anchors(site_dir, base)
    if not anchors.problems:
        return result
    listed = "\n".join(anchors.problems)
    return subprocess.CompletedProcess(result.args, 1, f"{result.stdout}\nBroken anchors:\n{listed}\n", result.stderr)


def test_linkchecker_finds_no_broken_internal_link_in_the_real_site_fetching_each_url_once(
        served_real_guide, readable_tmp):
    # The session's build of the real guide (tests/conftest.py), read over HTTP from the server that already
    # serves it, so nothing is built again or changed. That build's site_url is this server, so the links
    # written with the full address (the canonical links) are checked as internal links too.
    mark = len(SERVED)
    result = run_linkchecker(write_rc(readable_tmp), served_real_guide.base + "/", readable_tmp, served_real_guide.root)
    print(result.stdout[-20000:], result.stderr[-4000:])
    assert result.returncode == 0, f"linkchecker found problems:\n{result.stdout[-20000:]}\n{result.stderr[-4000:]}"
    assert " 0 warnings found. 0 errors found." in result.stdout
    requests = Counter(SERVED[mark:])
    # It read every page (given them all: a link from the menu does not reach them all)...
    pages = {url[len(served_real_guide.base):] for url in page_urls(served_real_guide.root, served_real_guide.base + "/")}
    assert sorted(pages - set(requests)) == []
    # ...and asked for nothing twice (with the anchor plugin it asked for some pages over a hundred times).
    assert [(path, n) for path, n in requests.items() if n > 1] == []


def test_every_anchor_in_the_real_site_exists_each_page_fetched_once(served_real_guide):
    report = check_anchors(served_real_guide.root, served_real_guide.base + "/")
    assert report.problems == [], "broken anchors:\n" + "\n".join(report.problems)
    assert report.pages == len(list(served_real_guide.root.rglob("*.html")))
    assert [(url, n) for url, n in report.fetches.items() if n > 1] == []
    # It saw anchors on the same page and on others (a check that saw none proves nothing). The site writes
    # no anchor with its full address today; tests/links/test_anchors.py checks that form.
    assert report.forms["same page"] > 0 and report.forms["relative"] > 0, report.forms


def test_linkchecker_setup_does_catch_a_missing_page_and_the_anchor_check_a_broken_anchor(tmp_path, readable_tmp):
    """The harness must be able to fail: raw HTML links escape MkDocs' own validation, not linkchecker's."""
    page = """\
        ---
        title: Home
        summary: A tiny guide.
        reviewed: 2026-11-01
        ---
        # Home

        ## Asking {#asking}

        <p><a href="#no-such-section">Broken anchor</a> and <a href="missing-page/">a missing page</a>.</p>
        """
    root = make_site(tmp_path, pages={"index.md": page})
    site_dir = readable_tmp / "canary"
    result = build(root, site_dir=site_dir)
    assert result.returncode == 0, result.stderr
    checked = linkcheck(site_dir, readable_tmp)
    assert checked.returncode == 1
    assert "Real URL   http://127.0.0.1:" in checked.stdout and "/missing-page/\n" in checked.stdout
    assert "Error: 404 File not found" in checked.stdout
    assert "0 warnings found. 1 error found." in checked.stdout
    assert checked.stdout.endswith("\nBroken anchors:\n/: #no-such-section -> missing #no-such-section\n")


def test_the_combined_check_fails_on_a_broken_anchor_alone(tmp_path, readable_tmp):
    site_dir = readable_tmp / "anchor-only"
    site_dir.mkdir()
    (site_dir / "index.html").write_text('<a href="#here">ok</a> <a href="#gone">broken</a> <p id="here">', "utf-8")
    checked = linkcheck(site_dir, readable_tmp)
    assert "0 warnings found. 0 errors found." in checked.stdout  # linkchecker alone no longer checks anchors
    assert checked.returncode == 1
    assert checked.stdout.endswith("\nBroken anchors:\n/: #gone -> missing #gone\n")


# --- external URLs: form only --------------------------------------------------------------

class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.urls += [value for name, value in attrs if name in ("href", "src") and value]


def external_urls(site_dir: Path) -> dict[str, str]:
    """Every absolute URL in href/src attributes of the built pages -> the first page using it."""
    found: dict[str, str] = {}
    for page in sorted(site_dir.rglob("*.html")):
        parser = _Links()
        parser.feed(page.read_text(encoding="utf-8"))
        for url in parser.urls:
            if urlparse(url).scheme:
                found.setdefault(url, page.relative_to(site_dir).as_posix())
    return found


def url_problem(url: str) -> str:
    parsed = urlparse(url)
    if parsed.scheme in ("mailto", "tel"):
        return "" if parsed.path else "empty address"
    if parsed.scheme != "https":
        return "not https"
    if not parsed.netloc or "." not in parsed.netloc or any(c in url for c in ' "<>\\^`{|}'):
        return "not a well-formed web address"
    return ""


def test_every_external_url_in_the_built_site_is_https_and_well_formed(served_real_guide):
    # The session's build gives the test server as site_url: its own full addresses are the site's pages
    # (checked by linkchecker above), not links out.
    urls = {url: page for url, page in external_urls(served_real_guide.root).items()
            if url != served_real_guide.base and not url.startswith(served_real_guide.base + "/")}
    assert urls, "the site should link to official sources"
    bad = [f"{page}: {url} ({problem})" for url, page in sorted(urls.items()) if (problem := url_problem(url))]
    assert bad == []


def test_every_register_url_is_https_and_official_sources_match_their_type():
    settings = Settings.from_mkdocs_yml(REPO / "mkdocs.yml")
    register = load_register(settings.register_dir, settings.root)
    assert register.refs
    problems = []
    for ref in register.refs.values():
        problems += check_url(ref.url, ref.path, ref.line, ref.type)
        for change in ref.changes:
            if change.source:
                problems += check_url(change.source, ref.path, change.line)
    assert [p.format() for p in problems] == []


@pytest.mark.parametrize("url", ["http://example.org/", "ftp://example.org/x"])
def test_url_problem_rejects_non_https(url):
    assert url_problem(url) == "not https"


@pytest.mark.parametrize("url", ["https://localhost/", "https:///path", "https://www.gov.uk/a b", "https://x.org/{id}"])
def test_url_problem_rejects_malformed_addresses(url):
    assert url_problem(url) == "not a well-formed web address"


# --- check_url with bad input: legislation.gov.uk URI patterns by type ----------------------

@pytest.mark.parametrize(("url", "ref_type"), [
    ("https://www.legislation.gov.uk/ukpga/1989/41/section/17", "act"),
    ("https://www.legislation.gov.uk/ukpga/2014/6/part/1/crossheading/assessment", "act"),
    ("https://www.legislation.gov.uk/uksi/2011/707/regulation/3", "regulations"),
    ("https://www.legislation.gov.uk/uksi/2011?title=breaks%20for%20carers", "regulations"),
    ("https://www.gov.uk/government/publications/working-together-to-safeguard-children--2", "statutory-guidance"),
    ("https://www.bailii.org/ew/cases/EWHC/Admin/2011/1386.html", "case"),
])
def test_official_urls_of_the_right_form_pass(url, ref_type):
    assert check_url(url, "law_refs/x.yml", 7, ref_type) == []


@pytest.mark.parametrize(("url", "ref_type", "message", "hint"), [
    ("http://www.legislation.gov.uk/ukpga/1989/41/section/17", "act",
     "url 'http://www.legislation.gov.uk/ukpga/1989/41/section/17' is not https",
     "use the https:// address of the official source"),
    ("https://legislation", "guidance", "url 'https://legislation' is not a well-formed web address", ""),
    ("https://www.legislation.gov.uk/uksi/2011/707", "act",
     "url 'https://www.legislation.gov.uk/uksi/2011/707' is not a legislation.gov.uk URI for act",
     "use https://www.legislation.gov.uk/ukpga/YEAR/NUMBER/..."),
    ("https://www.legislation.gov.uk/ukpga/1989/41", "regulations",
     "url 'https://www.legislation.gov.uk/ukpga/1989/41' is not a legislation.gov.uk URI for regulations",
     "use https://www.legislation.gov.uk/uksi/YEAR/NUMBER/..."),
    ("https://www.gov.uk/children-act", "act",
     "url 'https://www.gov.uk/children-act' is not a legislation.gov.uk URI for act",
     "use https://www.legislation.gov.uk/ukpga/YEAR/NUMBER/..."),
    ("https://legislation.gov.uk/ukpga/1989/41/section/17", "act",
     "url 'https://legislation.gov.uk/ukpga/1989/41/section/17' is not a legislation.gov.uk URI for act",
     "use https://www.legislation.gov.uk/ukpga/YEAR/NUMBER/..."),
])
def test_official_url_of_the_wrong_form_is_reported_with_path_and_line(url, ref_type, message, hint):
    problems = check_url(url, "law_refs/x.yml", 7, ref_type)
    assert [(p.path, p.line, p.message, p.hint) for p in problems] == [("law_refs/x.yml", 7, message, hint)]
