"""The Easy Read page in a real browser (axe-core and 320 px for it run in test_every_page.py, as for
every page): at 320 CSS px each picture stays beside its words, on the left, and the page does not
scroll sideways; the switcher's links are reachable and lead between the full page and Easy Read."""

from __future__ import annotations

import pytest

from tests.browser.conftest import ServedSite

PHONE = {"width": 320, "height": 640}


@pytest.mark.parametrize("width", [320, 1024])
def test_every_picture_sits_left_of_its_words_without_sideways_scrolling(page, site: ServedSite, width: int) -> None:
    page.set_viewport_size({"width": width, "height": 800})
    page.goto(site.url("/easy-read/"))
    points = page.evaluate("""() => [...document.querySelectorAll('.lg-easy__row')].map(point => {
        const img = point.querySelector('img').getBoundingClientRect();
        const text = point.querySelector('p:not(:first-child)').getBoundingClientRect();
        return {imgRight: img.right, imgTop: img.top, imgBottom: img.bottom, imgWidth: img.width,
                textLeft: text.left, textTop: text.top, textBottom: text.bottom,
                alt: point.querySelector('img').getAttribute('alt')};
    })""")
    assert len(points) >= 4
    for point in points:
        assert point["alt"], "every Easy Read picture needs alt text"
        assert point["imgWidth"] >= 60, f"picture too small at {width}px: {point}"
        assert point["imgRight"] <= point["textLeft"], f"picture not left of its words at {width}px: {point}"
        assert point["imgTop"] < point["textBottom"] and point["textTop"] < point["imgBottom"], (
            f"picture not beside its words at {width}px: {point}")
    scroll = page.evaluate("() => document.documentElement.scrollWidth")
    assert scroll <= width, f"/easy-read/ scrolls sideways at {width}px (scrollWidth {scroll})"


def test_the_switcher_links_the_full_page_and_easy_read_both_ways(page, site: ServedSite) -> None:
    page.set_viewport_size(PHONE)
    page.goto(site.url("/"))
    page.locator("nav.lg-versions a", has_text="Easy Read").click()
    page.wait_for_url(site.url("/easy-read/"))
    assert page.evaluate("() => [document.documentElement.lang, document.documentElement.dir]") == ["en", "ltr"]
    assert page.locator("nav.lg-versions [aria-current=page]").inner_text() == "Easy Read"
    assert page.locator(".lg-version-unchecked").count() == 1  # checked_by: null says so on the page
    page.locator("nav.lg-versions a", has_text="English").click()
    page.wait_for_url(site.url("/"))


def test_every_version_page_of_the_real_guide_declares_its_language_and_direction(site: ServedSite) -> None:
    """docs/easy-read/ and each language folder in glossary/ui-strings.yml: <html lang dir> and <body dir>."""
    import re

    from lawguide.content.site import load_site
    from lawguide.content.translations import site_versions
    from lawguide.core.settings import Settings

    from tests.fixtures import REPO

    guide = load_site(Settings.from_mkdocs_yml(REPO / "mkdocs.yml"))
    versions = site_versions(guide)
    assert "easy-read/index.md" in versions.by_path
    for path, version in versions.by_path.items():
        html = (site.root / path.removesuffix(".md").removesuffix("index") / "index.html").read_text(encoding="utf-8") \
            if path.endswith("index.md") else (site.root / path.removesuffix(".md") / "index.html").read_text(encoding="utf-8")
        direction = versions.languages[version.language].direction
        assert re.search(rf'<html lang="{re.escape(version.language)}"[^>]* dir="{direction}"', html), path
        assert re.search(rf'<body dir="{direction}"', html), path
