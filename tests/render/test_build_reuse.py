"""Work the build now does once and reuses (issue 31: speed), answering as the work done afresh would:
a link checked once for a folder's pages, What's changed's entries worked out once a build, and the
editors' page's dated claims kept between builds."""

from __future__ import annotations

import copy
import datetime as dt
import os

from lawguide.content.site import load_site
from lawguide.core.settings import Settings
from lawguide.guide import load_guide
from lawguide.lawchange.impact import KEPT_FILE
from lawguide.render import page as page_module
from lawguide.render.page import citation_placeholder, finish_html, html_text, render_citation
from lawguide.render.whatschanged import change_entries

from tests.fixtures import DEFAULT_REFS, REPO, build, make_site

HEAD = "---\ntitle: {title}\nreviewed: 2026-11-01\n---\n# {title}\n\n## Here {{#here}}\n\n"


def _page(title: str, body: str) -> str:
    return HEAD.format(title=title) + body + "\n"


def _problems(tmp_path, pages: dict[str, str]) -> list[str]:
    site = load_guide(Settings.from_mkdocs_yml(make_site(tmp_path, pages=pages) / "mkdocs.yml"))
    return sorted(f"{p.path}:{p.line}: {p.message}" for p in site.problems)


def test_a_link_within_the_page_is_checked_against_each_page_of_the_same_folder(tmp_path):
    # Both pages in one folder link "#only-a"; only a.md has that section.
    pages = {"a.md": _page("A", "## Only A {#only-a}\n\n[in page](#only-a)"),
             "b.md": _page("B", "[in page](#only-a)"),
             "index.md": _page("Home", "[a](a.md) [b](b.md)")}
    found = _problems(tmp_path, pages)
    assert [p for p in found if "only-a" in p] == [
        "docs/b.md:9: link '#only-a' points to '#only-a', which is not a section of this page"]


def test_a_link_starting_with_a_query_is_still_checked_page_by_page(tmp_path):
    pages = {"a.md": _page("A", "## Only A {#only-a}\n\n[q](?x#only-a)"),
             "b.md": _page("B", "[q](?x#only-a)"),
             "index.md": _page("Home", "[a](a.md) [b](b.md)")}
    found = _problems(tmp_path, pages)
    assert [p.split(":")[0] for p in found if "only-a" in p] == ["docs/b.md"]


def test_the_same_relative_link_in_two_folders_gets_each_folders_answer(tmp_path):
    pages = {"index.md": _page("Home", "[x](x.md)"),
             "x.md": _page("X", "[home](index.md)"),
             "sub/index.md": _page("Sub", "[x](x.md)"),  # there is no sub/x.md
             "sub/y.md": _page("Y", "[x](x.md) [home](../index.md)")}
    found = _problems(tmp_path, pages)
    assert [p for p in found if "'x.md'" in p] == [
        "docs/sub/index.md:9: link 'x.md': 'sub/x.md' is not a page or file in docs/",
        "docs/sub/y.md:9: link 'x.md': 'sub/x.md' is not a page or file in docs/"]


def test_change_entries_are_worked_out_once_a_day_and_each_caller_gets_its_own_list(tmp_path):
    refs = copy.deepcopy(DEFAULT_REFS)
    refs[1]["changes"] = [{"date": "2026-11-01", "commences": "2027-01-01", "summary": "Words inserted.",
                           "kind": "changed", "source": "https://www.legislation.gov.uk/ukpga/2026/3"}]
    settings = Settings.from_mkdocs_yml(make_site(tmp_path, refs=refs) / "mkdocs.yml")
    site = load_site(settings)
    before, after = dt.date(2026, 12, 7), dt.date(2027, 2, 1)  # the change takes effect between them
    first = change_entries(site, before)
    expected = list(first)
    first.clear()  # a caller changing what it was given
    assert change_entries(site, before) == expected
    later = change_entries(site, after)
    assert len(later) == len(expected) + 1  # listed again on the day it takes effect: that day's own answer
    fresh = load_site(settings)
    assert later == change_entries(fresh, after) and expected == change_entries(load_site(settings), before)


def test_a_build_keeps_the_dated_claims_and_the_next_build_lists_the_same_stale_claims(tmp_path, monkeypatch):
    # Both builds on one day, even when the run crosses midnight ("On 7 December" / "On 8 December").
    monkeypatch.setenv("LAWGUIDE_TODAY", dt.date.today().isoformat())
    old = "---\ntitle: Home\nreviewed: 2026-11-01\n---\n# Home\n\nAs of March 2020, councils must help [[ca1989-s17]].\n"
    root = make_site(tmp_path, pages={"index.md": old})
    page = root / "docs" / "index.md"
    os.utime(page, (page.stat().st_atime - 3600, page.stat().st_mtime - 3600))  # not one just saved (kept only then)
    first = build(root, site_dir=tmp_path / "one")
    assert first.returncode == 0, first.stderr
    assert (root / KEPT_FILE).is_file()  # written by the build, as by lawguide impact and review
    second = build(root, site_dir=tmp_path / "two")
    assert second.returncode == 0, second.stderr
    page = (tmp_path / "two" / "editors" / "index.html").read_text(encoding="utf-8")
    assert "As of March 2020" in page
    assert page == (tmp_path / "one" / "editors" / "index.html").read_text(encoding="utf-8")


def _every_citation(site, page) -> str:
    """A piece of HTML holding each distinct citation of the page once, as placeholders."""
    return "\n".join(f"<p>{citation_placeholder(site, t, x, g, page)}</p>" for t, x, g in page.distinct_citations)


def test_citation_links_shared_between_pages_are_each_pages_own_links(monkeypatch):
    """The real guide (pages at the top and in folders, Urdu pages written right to left, pages showing
    some cites in full): every page's citations, rendered once for pages that share them, are what
    rendering them for that page alone gives."""
    settings = Settings.from_mkdocs_yml(REPO / "mkdocs.yml")
    shared_site = load_site(settings)
    shared = {path: finish_html(shared_site, page, _every_citation(shared_site, page))
              for path, page in shared_site.pages.items() if page.distinct_citations}
    assert len(shared_site.memo["citation_links"]) < sum(len(p.distinct_citations) for p in shared_site.pages.values())

    def alone(self, target, text, is_glossary):
        return render_citation(self.site, self.source.path, target, text, is_glossary, escape=html_text,
                               full_cite=self.full_cite, today=self.today)

    monkeypatch.setattr(page_module._Finisher, "_citation", alone)
    site = load_site(settings)
    for path, html in shared.items():
        page = site.pages[path]
        # the placeholders hold this build's salt: compare the links, not the placeholders
        assert html == finish_html(site, page, _every_citation(site, page)), path
    assert any('dir="ltr"' in html for html in shared.values())  # a right-to-left page was among them
    assert len({html for path, html in shared.items() if "/" not in path}) > 1


def test_cited_sections_are_each_citing_pages_sections_once_in_order():
    site = load_site(Settings.from_mkdocs_yml(REPO / "mkdocs.yml"))
    for ref_id in site.register.refs:
        expected = [(path, tuple(dict.fromkeys(c.anchor for c in cites if c.anchor)))
                    for path, cites in site.pages_citing(ref_id).items()]
        assert site.cited_sections(ref_id) == expected
    assert any(len(anchors) > 1 for ref_id in site.register.refs for _, anchors in site.cited_sections(ref_id))
    assert site.cited_sections("no-such-entry") == []


def test_citing_page_count_is_the_number_of_pages_citing_the_entry():
    site = load_site(Settings.from_mkdocs_yml(REPO / "mkdocs.yml"))
    assert [site.citing_page_count(r) for r in site.register.refs] == [len(site.pages_citing(r)) for r in site.register.refs]
    assert site.citing_page_count("no-such-entry") == 0 and max(map(site.citing_page_count, site.register.refs)) > 1
