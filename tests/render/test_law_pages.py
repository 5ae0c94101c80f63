"""Law pages and citations: research notes stay with editors; replaced and withdrawn guidance is said
truthfully and once; a page reviewed after a replacement may cite the old edition on purpose."""

from __future__ import annotations

import datetime as dt

from lawguide.content.site import load_site
from lawguide.core.settings import Settings
from lawguide.lawchange.review import law_changes
from lawguide.render.editors import editors_page
from lawguide.render.generate import law_page
from lawguide.render.page import legal_basis, render_citation

from tests.fixtures import make_site

OLD = {"id": "wt2023", "title": "Working Together 2023", "cite": "Working Together 2023", "type": "statutory-guidance",
       "url": "https://www.gov.uk/government/publications/working-together-to-safeguard-children--2",
       "status": "superseded", "replaced_by": "wt2026", "summary": "The 2023 edition.", "verified": "2026-11-22",
       "notes": "Fact sheet V: <b>read</b> on GOV.UK. Left out as B.",
       "changes": [{"date": "2026-03-18", "summary": "Replaced by the 2026 edition.",
                    "source": "https://www.gov.uk/government/publications/working-together-to-safeguard-children--2"}]}
NEW = {**OLD, "id": "wt2026", "title": "Working Together 2026", "cite": "Working Together 2026", "status": "in-force",
       "replaced_by": "", "verified_from": "secondary", "verified": "2026-11-29", "changes": [], "notes": "Leeds SCP."}
GONE = {**OLD, "id": "old-guide", "title": "Old guide", "cite": "Old guide", "status": "withdrawn", "replaced_by": "", "notes": "",
        "verified_from": "official"}
del NEW["replaced_by"], NEW["changes"], GONE["replaced_by"]


def site_with(tmp_path, reviewed: str = "2026-11-01"):
    page = (f"---\ntitle: Home\nsummary: Home.\nreviewed: {reviewed}\n---\n# Home\n\n"
            "In 2023 the guidance said this [[wt2023]]. Now [[wt2026]]. Gone [[old-guide]].\n")
    root = make_site(tmp_path, pages={"index.md": page}, refs=[OLD, NEW, GONE], terms=[])
    site = load_site(Settings.from_mkdocs_yml(root / "mkdocs.yml"))
    assert not site.problems, site.problems
    return site


def test_law_page_shows_a_plain_checked_line_not_research_notes(tmp_path):
    site = site_with(tmp_path)
    old, new = law_page(site, site.register["wt2023"]), law_page(site, site.register["wt2026"])
    assert "Fact sheet" not in old and "Left out as" not in old and "Leeds" not in new
    assert "## Sources and checks {#sources}\n\nWe checked this against the official text on 22 November 2026." in old
    assert ("We could not read the official text. We checked this against other reliable sources on "
            "29 November 2026.") in new


def test_notes_are_on_the_editors_page_escaped(tmp_path):
    site = site_with(tmp_path)
    page = editors_page(site, dt.date(2026, 11, 29))
    assert "## Register notes {#register-notes}" in page
    assert "Fact sheet V: &lt;b&gt;read&lt;/b&gt; on GOV.UK. Left out as B." in page  # shown as typed, never markup
    assert "verified 29 November 2026; secondary sources only: Leeds SCP." in page


def test_replaced_guidance_is_said_once_with_a_link_to_the_new_edition(tmp_path):
    site = site_with(tmp_path)
    page = law_page(site, site.register["wt2023"])
    assert page.count("Working Together 2026") == 1
    assert '!!! warning "Replaced by a newer edition"\n    Use <a href="../wt2026/">Working Together 2026</a> instead.' in page
    assert "| Status | No longer current |" in page
    assert "This has been replaced by" not in page and "Status: " not in page
    gone = law_page(site, site.register["old-guide"])
    assert '!!! warning "Withdrawn"\n    It no longer applies. We keep this page so that old links still work.' in gone
    assert "| Status | Withdrawn |" in gone


def test_citations_and_legal_basis_say_an_edition_was_replaced(tmp_path):
    site = site_with(tmp_path)
    cite = render_citation(site, "index.md", "wt2023", "", False)
    assert cite.endswith('<span class="lg-replaced-tag">: replaced by a newer edition</span>)')
    assert '<span class="lg-replaced-tag">: withdrawn</span>)' in render_citation(site, "index.md", "old-guide", "", False)
    assert "lg-replaced-tag" not in render_citation(site, "index.md", "wt2026", "", False)
    basis = legal_basis(site, site.pages["index.md"])
    assert "Working Together 2023 (replaced by a newer edition)." in basis and "Old guide (withdrawn)." in basis


def test_replacement_notice_shows_until_the_page_is_reviewed_after_the_replacement(tmp_path):
    before = site_with(tmp_path / "a", "2026-03-17")
    kinds = [(c.ref.id, c.kind) for c in law_changes(before, before.pages["index.md"])]
    assert ("wt2023", "replaced") in kinds and ("old-guide", "withdrawn") in kinds
    after = site_with(tmp_path / "b", "2026-03-18")  # reviewed on the replacement's date: a deliberate citation
    assert law_changes(after, after.pages["index.md"]) == []
