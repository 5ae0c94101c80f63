"""End to end: build a tiny fixture site with each engine's adapter and read the HTML.

Every test runs once per engine (MkDocs, ProperDocs, and Zensical when its extra is installed):
the guide must read the same whichever engine builds it."""

from __future__ import annotations

import json
import re

import pytest

from tests.fixtures import DEFAULT_PAGES, ENGINES, REPO, build, lawguide, make_site


@pytest.fixture(scope="module", params=ENGINES)
def engine(request) -> str:
    return request.param


@pytest.fixture(scope="module")
def built(tmp_path_factory, engine):
    root = make_site(tmp_path_factory.mktemp(f"site-{engine}"))
    result = build(root, engine=engine)
    assert result.returncode == 0, result.stderr
    return root / "site"


def read(site, path: str) -> str:
    return (site / path).read_text(encoding="utf-8")


def test_citation_links_to_law_page_with_short_cite_or_own_text(built):
    html = read(built, "index.html")
    # A bare [[id]] shows the short cite; the instrument is read out and shown on hover.
    assert ('(<a class="lg-cite" href="law/ca1989-s17/" title="Children Act 1989, s.17">'
            '<span class="lg-sr">Children Act 1989, </span>s.17</a>)') in html
    assert '<a class="lg-cite" href="law/ca1989-s17/">section 17</a>' in html


def test_citations_in_code_are_left_alone(built):
    html = read(built, "index.html")
    assert "<code>[[not-a-ref]]</code>" in html and "[[also-not-a-ref]]" in html


def test_law_page_lists_exactly_the_citing_pages_and_sections(built):
    html = read(built, "law/ca1989-s17/index.html")
    guides = html.split('id="guides"', 1)[1].split('id="changes"', 1)[0]
    assert content_links(guides) == ["../../", "../../#asking"]
    zd = read(built, "law/ca1989-s17zd/index.html").split('id="guides"', 1)[1].split('id="changes"', 1)[0]
    assert content_links(zd) == ["../../", "../../#parent-carers"]


def content_links(html: str) -> list[str]:
    """Links in a page section, without the heading permalinks."""
    return [h for h in re.findall(r'href="([^"]+)"', html) if not h.startswith("#")]


def test_law_page_shows_citation_status_summary_and_official_text(built):
    html = read(built, "law/ca1989-s17/index.html")
    for text in ("Children Act 1989, s.17", "In force", "The council must help children in need and their families.",
                 'href="https://www.legislation.gov.uk/ukpga/1989/41/section/17"', "Change history"):
        assert text in html


def test_uncited_reference_still_gets_a_page_saying_so(built):
    assert "No guide page cites this yet." in read(built, "law/lawcom-dcsc-report/index.html")


def test_law_index_groups_entries_by_instrument(built):
    html = read(built, "law/index.html").split('class="md-content"', 1)[1]
    assert 'id="fixture-act"' in html
    assert html.count('href="ca1989-s17/"') == 1 and 'href="lawcom-dcsc-report/"' in html


def test_page_ends_with_legal_basis_in_order_of_first_citation(built):
    html = read(built, "index.html")
    basis = html.split('id="legal-basis"', 1)[1]
    assert re.findall(r'href="(law/[^"]+)"', basis) == ["law/ca1989-s17/", "law/ca1989-s17zd/"]
    assert 'class="lg-official" href="https://www.legislation.gov.uk/ukpga/1989/41/section/17zd"' not in basis
    assert 'href="https://www.legislation.gov.uk/ukpga/1989/41/section/17ZD"' in basis


def test_summary_and_review_date_show_under_the_title(built):
    html = read(built, "index.html")
    assert '<p class="lg-summary">A tiny guide.</p>' in html
    assert 'Checked against the law as it stood on <time datetime="2026-11-01">1 November 2026</time>' in html


def test_glossary_page_has_stable_anchor_and_everyday_words_feed_search(built):
    assert 'id="short-breaks"' in read(built, "glossary/index.html")
    assert 'href="glossary/#short-breaks">respite</a>' not in read(built, "index.html")
    assert 'href="glossary/#short-breaks">short breaks</a>' in read(built, "index.html")
    page_entries = search_entries(built)
    assert any("respite" in text for location, text in page_entries if not location.startswith("glossary"))


def search_entries(site) -> list[tuple[str, str]]:
    """(location, text) of each search index entry: Material's search/search_index.json, Zensical's search.json."""
    name = "search/search_index.json" if (site / "search" / "search_index.json").exists() else "search.json"
    index = json.loads(read(site, name))
    return [(entry["location"], entry["text"]) for entry in index.get("docs") or index.get("items") or []]


def test_unknown_citation_fails_strict_build_with_path_line_and_suggestion(tmp_path, engine):
    pages = {"index.md": DEFAULT_PAGES["index.md"].replace("under [[ca1989-s17|section 17]]", "under [[ca1989-s71]]")}
    result = build(make_site(tmp_path, pages=pages), engine=engine)
    assert result.returncode != 0
    assert "docs/index.md:12: unknown law reference 'ca1989-s71' (did you mean 'ca1989-s17'?)" in result.stderr
    assert "1 problem(s) in the guide's sources; nothing was built." in result.stdout + result.stderr
    assert not (tmp_path / "site").exists()


def test_register_typo_fails_strict_build_and_every_problem_is_reported(tmp_path, engine):
    root = make_site(tmp_path)
    text = (root / "law_refs" / "refs.yml").read_text().replace("cite: Children Act 1989, s.17\n", "cit: x\n", 1)
    (root / "law_refs" / "refs.yml").write_text(text.replace("status: proposed", "status: propsed"))
    result = build(root, engine=engine)
    assert result.returncode != 0
    assert "law_refs/refs.yml:5: unknown field 'cit' in a law reference (did you mean 'cite'?)" in result.stderr
    assert "'status' is 'propsed', not a known value (did you mean 'proposed'?)" in result.stderr


def test_proposal_citation_is_labelled_not_law(tmp_path, engine):
    pages = {"index.md": DEFAULT_PAGES["index.md"].replace("The council must help [[ca1989-s17]].",
                                                          "Reform is proposed [[lawcom-dcsc-report]].")}
    root = make_site(tmp_path, pages=pages)
    assert build(root, engine=engine).returncode == 0
    assert '<span class="lg-proposal-tag">: a proposal, not law</span>)' in (root / "site" / "index.html").read_text()


def test_check_command_matches_build_messages_without_building(tmp_path):
    pages = {"index.md": DEFAULT_PAGES["index.md"].replace("[[glossary:short-breaks]]", "[[glossary:short-break]]")}
    root = make_site(tmp_path, pages=pages)
    result = lawguide(root, "check")
    assert result.returncode == 1
    assert "docs/index.md:12: unknown glossary term 'short-break' (did you mean 'short-breaks'?)" in result.stderr
    assert not (root / "site").exists()
    assert lawguide(make_site(tmp_path / "ok"), "check").returncode == 0


def themed_site(root, **kw):
    """A fixture site with the guide's own theme overrides (theme/, custom_dir)."""
    theme = {"name": "material", "font": False, "custom_dir": str(REPO / "theme")}
    site = make_site(root, extra_config={"theme": theme}, **kw)
    result = build(site)
    assert result.returncode == 0, result.stderr
    return site / "site"


def test_footer_names_the_publisher_and_links_feedback(tmp_path):
    html = read(themed_site(tmp_path), "index.html")
    footer = html.split('class="md-copyright"', 1)[1].split("</footer>", 1)[0]
    assert re.search(r'Published by\s*<a href="https://example.org/">Fixture publisher</a>\.', footer)
    assert 'Feedback: <a href="mailto:feedback@example.org">feedback@example.org</a>.' in footer


def test_footer_escapes_publisher_values(tmp_path):
    built = themed_site(tmp_path, publisher={"publisher": {"name": "<b>A & B</b>"}, "feedback": None})
    footer = read(built, "index.html").split('class="md-copyright"', 1)[1]
    assert "&lt;b&gt;A &amp; B&lt;/b&gt;" in footer and "<b>A" not in footer
    assert "How to tell us about a mistake" in footer  # no feedback address yet: point at the About page


def test_folded_lists_and_page_history_reach_the_html(built):
    html = read(built, "index.html")
    basis = html.split('id="legal-basis"', 1)[1]
    assert '<details class="lg-fold">\n<summary>Show the law this page relies on (2)</summary>' in basis


def test_an_in_process_build_leaves_nothing_frozen_for_the_collector(tmp_path, monkeypatch):
    """The adapter freezes the loaded guide for the build (gc.freeze) and must undo it: a process that
    builds again, such as a test run, would otherwise keep every earlier guide out of collection."""
    import gc

    from mkdocs.commands.build import build as mkdocs_build
    from mkdocs.config import load_config

    root = make_site(tmp_path)
    monkeypatch.chdir(root)
    frozen_during = []
    real_freeze = gc.freeze
    monkeypatch.setattr(gc, "freeze", lambda: (real_freeze(), frozen_during.append(gc.get_freeze_count())))
    mkdocs_build(load_config(str(root / "mkdocs.yml"), site_dir=str(tmp_path / "out")))
    assert frozen_during and frozen_during[0] > 1000
    assert gc.get_freeze_count() == 0
    assert (tmp_path / "out" / "index.html").exists()


def test_a_build_that_fails_after_loading_leaves_nothing_frozen_either(tmp_path, monkeypatch):
    import gc

    from mkdocs.commands import build as mkdocs_build_module
    from mkdocs.config import load_config

    root = make_site(tmp_path)
    monkeypatch.chdir(root)
    frozen_during = []
    real_freeze = gc.freeze
    monkeypatch.setattr(gc, "freeze", lambda: (real_freeze(), frozen_during.append(gc.get_freeze_count())))

    def broken_page(*args, **kwargs):
        raise RuntimeError("a page failed to build")

    monkeypatch.setattr(mkdocs_build_module, "_build_page", broken_page)
    with pytest.raises(RuntimeError, match="a page failed"):
        mkdocs_build_module.build(load_config(str(root / "mkdocs.yml"), site_dir=str(tmp_path / "out")))
    assert frozen_during  # the guide was loaded and frozen before the failure
    assert gc.get_freeze_count() == 0
