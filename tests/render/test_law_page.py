"""The generated law page says honestly how its entry was checked."""

from __future__ import annotations

from lawguide.content.site import load_site
from lawguide.core.settings import Settings
from lawguide.render.generate import law_page

from tests.fixtures import DEFAULT_REFS, make_site


def _page_for(tmp_path, **fields) -> str:
    refs = [dict(DEFAULT_REFS[0], **fields), *DEFAULT_REFS[1:]]
    site = load_site(Settings.from_mkdocs_yml(make_site(tmp_path, refs=refs) / "mkdocs.yml"))
    return law_page(site, site.register["ca1989-s17"])


def test_an_entry_checked_on_the_official_text_says_so(tmp_path):
    page = _page_for(tmp_path)
    assert "| Last checked against the source | 22 November 2026 |" in page


def test_an_entry_checked_only_through_secondary_sources_does_not_claim_the_source(tmp_path):
    page = _page_for(tmp_path, verified_from="secondary")
    assert "Last checked against the source" not in page
    assert "| Last checked | 22 November 2026, using other reliable sources only." in page
    assert "We could not read the official text itself." in page


def test_an_entry_with_no_check_date_says_not_recorded(tmp_path):
    refs = [{k: v for k, v in DEFAULT_REFS[0].items() if k != "verified"}, *DEFAULT_REFS[1:]]
    site = load_site(Settings.from_mkdocs_yml(make_site(tmp_path, refs=refs) / "mkdocs.yml"))
    page = law_page(site, site.register["ca1989-s17"])
    assert "| Last checked against the source | not recorded |" in page
