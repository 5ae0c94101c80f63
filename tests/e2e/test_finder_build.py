"""End to end: a fixture guide with two route-finder flows, built by each engine's adapter with no
engine-specific code: every finder page published, every link in it resolving, text from YAML escaped,
and a bad flow stopping a strict build before anything is written."""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pytest

from tests.content.test_flows import FLOWS, GOOD, PAGES
from tests.fixtures import ENGINES, build, make_site

EXIT = (FLOWS / "exit-flow.yml").read_text(encoding="utf-8")


def finder_project(root: Path, flows: dict[str, str]) -> Path:
    make_site(root, pages=PAGES)
    (root / "finder").mkdir()
    for name, text in flows.items():
        (root / "finder" / name).write_text(text, encoding="utf-8")
    return root


@pytest.fixture(scope="module", params=ENGINES)
def built(tmp_path_factory, request) -> Path:
    root = finder_project(tmp_path_factory.mktemp(f"finder-{request.param}"),
                          {"help-at-home.yml": GOOD, "exit-flow.yml": EXIT})
    result = build(root, engine=request.param)
    assert result.returncode == 0, result.stdout + result.stderr
    return root / "site"


def page_html(site: Path, url: str) -> str:
    return (site / url.lstrip("/") / "index.html").read_text(encoding="utf-8")


FINDER_URLS = ["/finder/", "/finder/help-at-home/", "/finder/help-at-home/asked/", "/finder/help-at-home/why-no/",
               "/finder/help-at-home/ask-now/", "/finder/help-at-home/refused/", "/finder/worried/",
               "/finder/worried/contacted/", "/finder/worried/help/"]


def test_finder_builds_finder_pages_with_the_root_attribute(built):
    for url in FINDER_URLS:
        assert "data-lawguide-finder" in page_html(built, url), url


def test_every_link_in_the_finder_resolves(built):
    for url in FINDER_URLS:
        html = page_html(built, url)
        root = html.split("data-lawguide-finder", 1)[1].split("</article>", 1)[0]
        for link in re.findall(r'href="([^"]+)"', root):
            if link.startswith(("http", "mailto:", "#")):
                continue
            target = urlsplit(urljoin(url, link))
            path = built / target.path.lstrip("/")
            assert (path / "index.html").exists() or path.is_file(), f"{url}: {link} does not resolve"
            if target.fragment:
                assert f'id="{target.fragment}"' in (path / "index.html").read_text(encoding="utf-8"), f"{url}: {link}"


def test_outcome_page_in_the_built_site_cites_and_dates(built):
    html = page_html(built, "/finder/help-at-home/ask-now/")
    assert '<a class="lg-cite" href="../../../law/ca1989-s17/"' in html
    assert "Based on the law as checked on" in html
    assert html.count("<h1") == 1


def test_text_from_yaml_stays_text_in_the_built_pages(built):
    html = page_html(built, "/finder/worried/help/") + page_html(built, "/finder/worried/")
    assert "<script>alert(1)" not in html and "<b>really" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_outcomes_are_listed_on_the_law_page_they_cite(built):
    html = page_html(built, "/law/ca1989-s17zd/")
    assert 'href="../../finder/help-at-home/refused/"' in html


def test_a_bad_flow_stops_a_strict_build_before_anything_is_written(tmp_path):
    root = finder_project(tmp_path, {"help-at-home.yml": GOOD.replace("next: why-no", "next: why-not")})
    result = build(root)
    assert result.returncode != 0
    assert "finder/help-at-home.yml:" in result.stdout + result.stderr and "'next: why-not' names no question" in \
        result.stdout + result.stderr
    assert not (root / "site").exists()
