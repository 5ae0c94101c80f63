"""Editions in a real browser: a copy of the real project published twice (22 and 29 November),
served through DEST's link. An old edition's pages carry the banner, pass axe, fit 320 px and load
nothing from other hosts; the banner and the editions page lead to the right pages."""

from __future__ import annotations

import datetime as dt
import functools
import http.server
import io
import shutil
import threading
from collections.abc import Iterator

import pytest
from axe_playwright_python.sync_playwright import Axe

from .conftest import REPO
from .test_every_page import AXE_OPTIONS, MEASURE_WIDTH_JS, _describe

pytestmark = pytest.mark.browser

OLD, NEW = "2026-11-22", "2026-11-29"
PAGE = "short-breaks/"


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:  # noqa: A002
        pass


@pytest.fixture(scope="module")
def published(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    from lawguide.tools.publish import publish

    work = tmp_path_factory.mktemp("editions")
    project = work / "project"
    project.mkdir()
    for name in ("mkdocs.yml", "links.lock"):
        shutil.copy2(REPO / name, project / name)
    for name in ("docs", "law_refs", "glossary", "hooks", "theme", "finder"):
        shutil.copytree(REPO / name, project / name, ignore=shutil.ignore_patterns("__pycache__"))
    dest = work / "www" / "guide"
    dest.parent.mkdir()
    publish(project / "mkdocs.yml", dest, out=io.StringIO(), today=dt.date(2026, 11, 22))
    page = project / "docs" / "short-breaks.md"
    page.write_text(page.read_text(encoding="utf-8").replace("Many families call this respite.",
                                                             "Many families call this respite (edited)."),
                    encoding="utf-8")
    publish(project / "mkdocs.yml", dest, out=io.StringIO(), today=dt.date(2026, 11, 29))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(dest)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        server.server_close()


@pytest.mark.parametrize("path", [f"/editions/{OLD}/{PAGE}", f"/editions/{OLD}/", "/editions/",
                                  f"/editions/{OLD}/law/ca1989-s17/"])
def test_edition_pages_pass_axe_fit_320px_and_stay_on_the_site(page, published: str, path: str) -> None:
    requests: list[str] = []
    page.on("request", lambda req: requests.append(req.url))
    page.goto(published + path)
    page.wait_for_load_state("networkidle")
    violations = Axe().run(page, options=AXE_OPTIONS).response["violations"]
    assert not violations, f"{path}: axe-core violations:\n" + "\n".join(_describe(v) for v in violations)
    page.set_viewport_size({"width": 320, "height": 640})
    width = page.evaluate(MEASURE_WIDTH_JS)
    assert width["scrollWidth"] <= width["clientWidth"], f"{path} scrolls sideways at 320px: {width}"
    elsewhere = [u for u in requests if not u.startswith((published + "/", "data:", "blob:"))]
    assert not elsewhere, f"{path} requested other hosts: {elsewhere}"


def test_old_edition_shows_old_text_and_its_banner_leads_to_the_current_page(page, published: str) -> None:
    page.goto(f"{published}/editions/{OLD}/{PAGE}")
    banner = page.locator(".lg-edition-banner")
    assert banner.is_visible()
    assert "This is the guide as it stood on 22 November 2026. The law may have changed since." in banner.inner_text()
    assert "respite (edited)" not in page.inner_text("article")
    with page.expect_navigation():
        banner.get_by_role("link", name="See the current version of this page").click()
    assert page.url == f"{published}/{PAGE}"
    assert "respite (edited)" in page.inner_text("article")
    assert page.locator(".lg-edition-banner").count() == 0


def test_earlier_date_link_opens_the_same_page_in_each_edition(page, published: str) -> None:
    page.goto(f"{published}/{PAGE}")
    with page.expect_navigation():
        page.get_by_role("link", name="See this page as it was on an earlier date").click()
    assert page.url == f"{published}/editions/?page={PAGE}"
    links = page.locator("a.lg-edition")
    assert [links.nth(i).get_attribute("href") for i in range(links.count())] == [f"{NEW}/{PAGE}", f"{OLD}/{PAGE}"]
    with page.expect_navigation():
        links.nth(1).click()
    assert page.url == f"{published}/editions/{OLD}/{PAGE}"
    assert page.locator(".lg-edition-banner").is_visible()


def test_a_citation_of_an_unchanged_page_in_the_newer_edition_opens_the_page_where_it_is_kept(page, published: str) -> None:
    requests: list[str] = []
    page.on("request", lambda req: requests.append(req.url))
    page.goto(f"{published}/editions/{NEW}/about/privacy/")
    page.wait_for_url(f"{published}/editions/{OLD}/about/privacy/")
    assert page.locator(".lg-edition-banner").is_visible()
    assert "22 November 2026" in page.locator(".lg-edition-banner").inner_text()
    assert not [u for u in requests if not u.startswith((published + "/", "data:", "blob:"))]
    page.goto(f"{published}/editions/{NEW}/{PAGE}")  # the edited page is kept in full, its assets shared
    assert "respite (edited)" in page.inner_text("article")
    assert page.url == f"{published}/editions/{NEW}/{PAGE}"
    sheets = page.evaluate("[...document.styleSheets].map(s => s.href).filter(Boolean)")
    assert any(f"/editions/{OLD}/assets/stylesheets/main." in s for s in sheets), sheets
