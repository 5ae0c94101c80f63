"""The reader's page: short citations, folded lists, page history, adviser boxes, publisher and feedback."""

from __future__ import annotations

import copy
import re

import markdown
import pytest
from lawguide.content.register import LawRef
from lawguide.content.site import load_site
from lawguide.core.settings import Settings
from lawguide.render.page import finish_html, fold_adviser_boxes, transform_page

from tests.fixtures import DEFAULT_REFS, FIXTURE_PUBLISHER, build, lawguide, make_site


def page(body: str, extra: str = "") -> str:
    return f"---\ntitle: Home\nsummary: A page.\nreviewed: 2026-11-01\n{extra}---\n# Home\n\n{body}\n"


def site_of(root):
    return load_site(Settings.from_mkdocs_yml(root / "mkdocs.yml"))


EXTENSIONS = ["admonition", "attr_list", "md_in_html", "tables", "toc"]


def rendered(tmp_path, body: str, extra: str = "", refs: list[dict] | None = None, **kw) -> tuple[str, object]:
    """(the finished HTML of the page, the site): transform_page, Python-Markdown, finish_html."""
    root = make_site(tmp_path, pages={"index.md": page(body, extra)}, refs=refs, **kw)
    site = site_of(root)
    source = site.pages["index.md"]
    text = (root / "docs" / "index.md").read_text(encoding="utf-8").split("---\n", 2)[2]
    converted = markdown.markdown(transform_page(site, source, text), extensions=EXTENSIONS)
    return finish_html(site, source, converted), site


def ref(cite: str, short: str = "") -> LawRef:
    return LawRef("x", "T", cite, "https://example.org/", "act", "in-force", "S", None, "I", "p", 1, short=short)


# --- short citations ---------------------------------------------------------------------------

@pytest.mark.parametrize(("cite", "short"), [
    ("Children Act 1989, s.17", "s.17"),
    ("Care Act 2014, ss.63-64", "ss.63-64"),
    ("Children Act 1989, Sch.2 para.6", "Sch.2 para.6"),
    ("Housing Grants, Construction and Regeneration Act 1996, ss.23-24", "ss.23-24"),
    ("Civil Procedure Rules 1998 (SI 1998/3132), r.54.5", "r.54.5"),
    ("SI 2009/1887, reg.11", "SI 2009/1887, reg.11"),  # no instrument name to leave out: the whole cite
    ("Local Government Act 1974, Part III", "Local Government Act 1974, Part III"),
    ("R (JL) v Islington LBC [2009] EWHC 458 (Admin)", "R (JL) v Islington LBC [2009] EWHC 458 (Admin)"),
])
def test_short_cite_is_the_provision_after_the_instrument_or_else_the_whole_cite(cite, short):
    assert ref(cite).short_cite == short


def test_register_short_wins_over_the_derived_one():
    assert ref("R (JL) v Islington LBC [2009] EWHC 458 (Admin)", short="JL v Islington [2009]").short_cite == \
        "JL v Islington [2009]"


def test_bare_citation_shows_short_cite_with_instrument_for_screen_readers(tmp_path):
    html, _ = rendered(tmp_path, "Help [[ca1989-s17]]. Own words [[ca1989-s17|section 17]].")
    assert ('(<a class="lg-cite" href="law/ca1989-s17/" title="Children Act 1989, s.17">'
            '<span class="lg-sr">Children Act 1989, </span>s.17</a>)') in html
    assert '<a class="lg-cite" href="law/ca1989-s17/">section 17</a>' in html


def test_register_short_name_stands_alone_and_is_escaped(tmp_path):
    refs = copy.deepcopy(DEFAULT_REFS)
    refs[0]["short"] = "<b>Short</b> *17*"
    html, _ = rendered(tmp_path, "Help [[ca1989-s17]].", refs=refs)
    link = re.search(r'<a class="lg-cite"[^>]*>.*?</a>', html).group(0)
    assert "<b>" not in link and "&lt;b&gt;Short&lt;/b&gt; *17*</a>" in link  # text, never markup
    assert "lg-sr" not in link and 'title="Children Act 1989, s.17"' in link


def test_two_references_with_the_same_short_cite_on_one_page_show_their_full_cites(tmp_path):
    refs = copy.deepcopy(DEFAULT_REFS)
    refs.append({**refs[0], "id": "ea2010-s17", "cite": "Example Act 2010, s.17",
                 "url": "https://www.legislation.gov.uk/ukpga/2010/15/section/17"})
    html, _ = rendered(tmp_path, "One [[ca1989-s17]]. Two [[ea2010-s17]]. Three [[ca1989-s17zd]].", refs=refs)
    assert '>Children Act 1989, s.17</a>)' in html and '>Example Act 2010, s.17</a>)' in html
    assert '<span class="lg-sr">Children Act 1989, </span>s.17ZD</a>)' in html  # not ambiguous: stays short


def test_proposal_citation_keeps_its_label_inside_its_one_pair_of_brackets(tmp_path):
    html, _ = rendered(tmp_path, "Reform [[lawcom-dcsc-report]].")
    assert '</a><span class="lg-proposal-tag">: a proposal, not law</span>).' in html
    assert "(a proposal, not law))" not in html  # never nested: "(Law Commission project (a proposal, not law))"


# --- folded lists and page history --------------------------------------------------------------

def test_words_used_and_legal_basis_are_folded_under_their_headings_with_counts(tmp_path):
    html, _ = rendered(tmp_path, "Ask for [[glossary:short-breaks]] [[ca1989-s17]] [[ca1989-s17zd]] [[ca1989-s17]].")
    words = html.split('id="words-on-this-page">Words used on this page</h2>\n', 1)[1]
    assert words.startswith('<details class="lg-fold">\n<summary>Show the words explained (1)</summary>\n'
                            '<ul class="lg-words">')
    basis = html.split('id="legal-basis">Legal basis</h2>\n', 1)[1]
    assert basis.startswith('<details class="lg-fold">\n<summary>Show the law this page relies on (2)</summary>\n'
                            "<p>Each link opens our page on that law")
    assert basis.count("<details") == basis.count("</details>") == 1


def test_page_history_lists_change_notes_newest_first_and_escapes_them(tmp_path):
    extra = ("changes:\n  - date: 2026-01-05\n    summary: First published.\n"
             "  - date: 2026-11-29\n    summary: Added <script>alert(1)</script> & more.\n")
    html, _ = rendered(tmp_path, "Text.", extra=extra)
    history = html.split('<details class="lg-fold lg-history" id="page-history">', 1)[1]
    assert history.startswith("\n<summary>Page history</summary>")
    newest = '<time datetime="2026-11-29">29 November 2026</time>: Added &lt;script&gt;alert(1)&lt;/script&gt; &amp; more.'
    oldest = '<time datetime="2026-01-05">5 January 2026</time>: First published.'
    assert newest in history and oldest in history and history.index(newest) < history.index(oldest)
    assert "<script>" not in html


def test_no_page_history_without_change_notes(tmp_path):
    html, _ = rendered(tmp_path, "Text.")
    assert "page-history" not in html


def test_page_history_id_is_reserved_for_the_engine(tmp_path):
    root = make_site(tmp_path, pages={"index.md": page("## Old {#page-history}\n\nText.")})
    assert any("heading id 'page-history' is reserved" in p.message for p in site_of(root).problems)


# --- adviser boxes --------------------------------------------------------------------------------

def test_adviser_boxes_fold_but_code_and_other_admonitions_do_not():
    source = ('!!! adviser "For advisers"\n    Detail.\n\n  !!! adviser\n\n!!! note "Note"\n\n'
              '```\n!!! adviser "In code"\n```\n!!! advisers "Not the adviser type"\n')
    out = fold_adviser_boxes(source)
    assert out.splitlines() == ['??? adviser "For advisers"', "    Detail.", "", "  ??? adviser", "",
                                '!!! note "Note"', "", "```", '!!! adviser "In code"', "```",
                                '!!! advisers "Not the adviser type"']


# --- publisher and feedback ---------------------------------------------------------------------

def test_site_placeholders_show_publisher_and_feedback_email(tmp_path):
    html, site = rendered(tmp_path, "By [[site:publisher]]. [[site:feedback]]")
    assert 'By <a href="https://example.org/">Fixture publisher</a>.' in html
    assert 'Email us at <a href="mailto:feedback@example.org">feedback@example.org</a>.' in html
    assert not site.problems
    assert all(not c.target.startswith("site:") for c in site.pages["index.md"].law_citations)


def test_feedback_url_and_undecided_feedback(tmp_path):
    url = {"publisher": {"name": "A & B"}, "feedback": {"url": "https://example.org/issues"}}
    html, site = rendered(tmp_path / "url", "By [[site:publisher]]. [[site:feedback]]", publisher=url)
    assert "By A &amp; B." in html
    assert 'Use our feedback page: <a href="https://example.org/issues">https://example.org/issues</a>.' in html
    undecided = {"publisher": {"name": "P"}, "feedback": None}
    html, site = rendered(tmp_path / "none", "[[site:feedback]]", publisher=undecided)
    assert not site.problems and not site.publisher.has_feedback
    assert "Use the feedback route given by the organisation that shared this guide with you." in html


def test_unknown_site_placeholder_is_a_problem_with_a_suggestion(tmp_path):
    _, site = rendered(tmp_path, "[[site:feedbak]]")
    assert [p.format() for p in site.problems] == [
        "docs/index.md:8: unknown site value 'site:feedbak' (did you mean 'site:feedback'?)"]


def config_line(root, key: str) -> int:
    lines = (root / "mkdocs.yml").read_text(encoding="utf-8").splitlines()
    return next(i for i, line in enumerate(lines, 1) if line.strip().startswith(key))


def test_missing_publisher_and_feedback_are_problems_at_the_lawguide_key(tmp_path):
    root = make_site(tmp_path, publisher=None)
    line = config_line(root, "lawguide:")
    messages = sorted(p.format() for p in site_of(root).problems)
    assert len(messages) == 2
    assert messages[0].startswith(f"mkdocs.yml:{line}: extra.lawguide.feedback is missing")
    assert messages[1].startswith(f"mkdocs.yml:{line}: extra.lawguide.publisher is missing")


@pytest.mark.parametrize(("values", "message"), [
    ({"publisher": {"url": "https://example.org/"}}, "extra.lawguide.publisher has no name"),
    ({"publisher": {"name": "P", "url": "http://example.org/"}},
     "extra.lawguide.publisher.url 'http://example.org/' is not an https:// web address"),
    ({"publisher": {"name": "P", "email": "a@b.org"}}, "unknown key 'email' in extra.lawguide.publisher"),
    ({"publisher": "P"}, "extra.lawguide.publisher must be a mapping"),
    ({"publisher": None}, "extra.lawguide.publisher is empty"),
    ({"feedback": {"email": "not an address"}}, "extra.lawguide.feedback.email 'not an address' is not an email address"),
    ({"feedback": {"email": "a@b.org", "url": "https://b.org/"}},
     "extra.lawguide.feedback needs exactly one of 'email' or 'url'"),
    ({"feedback": {"url": "javascript:alert(1)"}},
     "extra.lawguide.feedback.url 'javascript:alert(1)' is not an https:// web address"),
])
def test_bad_publisher_or_feedback_values_are_problems_with_lines(tmp_path, values, message):
    root = make_site(tmp_path, publisher={**FIXTURE_PUBLISHER, **values})
    problems = site_of(root).problems
    assert [p.message for p in problems] == [message]
    assert problems[0].path == "mkdocs.yml" and problems[0].line > 1


def test_build_and_check_fail_when_publisher_is_missing(tmp_path):
    root = make_site(tmp_path, publisher={"feedback": None})
    line = config_line(root, "lawguide:")
    result = build(root)
    assert result.returncode != 0
    assert f"mkdocs.yml:{line}: extra.lawguide.publisher is missing" in result.stderr
    assert not (root / "site" / "index.html").exists()
    check = lawguide(root, "check")
    assert check.returncode == 1 and f"mkdocs.yml:{line}: extra.lawguide.publisher is missing" in check.stderr


def test_check_notes_undecided_feedback_without_failing(tmp_path):
    root = make_site(tmp_path, publisher={"publisher": {"name": "P"}, "feedback": None})
    check = lawguide(root, "check")
    assert check.returncode == 0, check.stderr
    assert "extra.lawguide.feedback in mkdocs.yml has no email or url yet" in check.stderr
