"""Pieces of HTML the build makes once and shares between pages (issue 31: lawguide's own code at 1,000
pages) are the pieces each page would make alone: a page's HTML is the same whether it is rendered on a
site that has already rendered every other page (on two days) or on a freshly loaded one. The fixture
holds what a shared piece may depend on: pages at three depths and in one folder, a right-to-left
version, two references with the same short cite on one page only, and a reference whose tag changes
on the day it comes into force."""

from __future__ import annotations

import copy
import datetime as dt
import json
import re
import textwrap

import markdown
import pytest
from lawguide.content.site import load_site
from lawguide.content.translations import body_hash
from lawguide.core.settings import Settings
from lawguide.render import editors
from lawguide.render.editors import editors_page, review_json
from lawguide.render.generate import _guide_item, guides_list
from lawguide.render.page import (
    finish_html_and_search_view,
    legal_basis,
    page_tail,
    transform_page,
    words_list,
)
from lawguide.render.wording import plain_words

from tests.fixtures import DEFAULT_PAGES, DEFAULT_REFS, make_site
from tests.render.test_translations import STRINGS, version

BEFORE, AFTER = dt.date(2026, 12, 8), dt.date(2027, 2, 1)  # ca1989-s17zd comes into force between them
EXTENSIONS = ["admonition", "attr_list", "md_in_html", "tables", "toc"]
CLASH = "See [[ca1989-s17]] and [[csa2014-s17]], then [[glossary:short-breaks]] and [[ca1989-s17zd]]."
# Bare citations alone and side by side (one pair of brackets for both: another route to the same links).
PLAIN = ("See [[ca1989-s17]] [[ca1989-s17zd]] and [[glossary:short-breaks]]; [[ca1989-s17|the section]].\n\n"
         "Alone: [[ca1989-s17]], and [[ca1989-s17zd]].")


def _page(title: str, body: str) -> str:
    return f"---\ntitle: {title}\nreviewed: 2026-11-01\n---\n# {title}\n\n## Part {{#part}}\n\n{body}\n"


def _refs() -> list[dict]:
    refs = copy.deepcopy(DEFAULT_REFS)
    refs[1]["status"] = "not-yet-in-force"
    refs[1]["changes"] = [{"date": "2026-11-01", "commences": "2027-01-01", "kind": "commenced",
                           "summary": "Comes into force.", "source": "https://www.legislation.gov.uk/uksi/2026/1"}]
    refs.append({"id": "csa2014-s17", "title": "Another section 17", "cite": "Care and Support Act 2014, s.17",
                 "url": "https://www.legislation.gov.uk/ukpga/2014/23/section/17", "type": "act",
                 "status": "in-force", "summary": "Another s.17.", "verified": "2026-11-22"})
    return refs


def _load(tmp_path):
    current = body_hash(textwrap.dedent(DEFAULT_PAGES["index.md"]))
    pages = {**DEFAULT_PAGES, "ar/index.md": version("ar", current, body=PLAIN),
             "pl/index.md": version("pl", current, body=PLAIN),
             "deep/one.md": _page("One", CLASH), "deep/two.md": _page("Two", PLAIN),
             "deep/er/three.md": _page("Three", PLAIN), "top.md": _page("Top", PLAIN)}
    root = make_site(tmp_path, pages, refs=_refs())
    (root / "glossary" / "ui-strings.yml").write_text(STRINGS, encoding="utf-8")
    settings = Settings.from_mkdocs_yml(root / "mkdocs.yml")
    assert [p.format() for p in load_site(settings).problems] == []
    return lambda: load_site(settings)


def _finished(site, path: str, today: dt.date) -> tuple[str, str]:
    page = site.pages[path]
    body = (site.settings.docs_dir / path).read_text(encoding="utf-8").split("---\n", 2)[2]
    html = markdown.markdown(transform_page(site, page, body), extensions=EXTENSIONS)
    return finish_html_and_search_view(site, page, html, today)


@pytest.fixture
def load(tmp_path):
    return _load(tmp_path)


def test_every_page_is_the_same_after_the_other_pages_as_when_rendered_alone(load):
    shared = load()
    paths = sorted(shared.pages)
    together = {(path, day): _finished(shared, path, day) for day in (BEFORE, AFTER) for path in paths}
    for (path, day), html in together.items():
        assert html == _finished(load(), path, day), (path, day)
    # the pieces that differ between pages did differ: a shared piece keyed too loosely would show here
    one, two = together["deep/one.md", BEFORE][0], together["deep/two.md", BEFORE][0]
    full = 'class="lg-cite" href="../../law/ca1989-s17/">Children Act 1989, s.17</a>'  # the clash: cited in full
    assert full in one and full not in two
    assert 'href="../../law/ca1989-s17/"' in one and 'href="../../../law/ca1989-s17/"' in together[
        "deep/er/three.md", BEFORE][0]
    assert "in force from 1 January 2027" in two and "in force from" not in together["deep/two.md", AFTER][0]
    assert '<bdi class="lg-citation" dir="ltr" lang="en">' in together["ar/index.md", BEFORE][0]
    assert "<bdi" not in together["pl/index.md", BEFORE][0]
    assert together["ar/index.md", BEFORE][0].count("<bdi") == 3  # the pair and each one alone


def test_legal_basis_and_words_are_the_same_from_the_shared_items_as_made_afresh(load):
    shared = load()
    for day in (BEFORE, AFTER):
        for path, page in sorted(shared.pages.items()):
            fresh = load()
            assert legal_basis(shared, page, day) == legal_basis(fresh, fresh.pages[path], day)
            assert words_list(shared, page) == words_list(fresh, fresh.pages[path])
    top, deep = legal_basis(shared, shared.pages["top.md"], BEFORE), legal_basis(shared, shared.pages["deep/two.md"], BEFORE)
    assert 'href="../law/ca1989-s17zd/"' in top and 'href="../../law/ca1989-s17zd/"' in deep
    assert "(in force from 1 January 2027)" in top
    assert "in force from" not in legal_basis(shared, shared.pages["top.md"], AFTER)


def test_legal_basis_without_a_day_reads_today_once_for_every_item(load, monkeypatch):
    monkeypatch.setenv("LAWGUIDE_TODAY", AFTER.isoformat())
    site = load()
    assert legal_basis(site, site.pages["top.md"]) == legal_basis(load(), load().pages["top.md"], AFTER)


def test_a_law_pages_list_of_guides_is_the_same_from_the_shared_items_as_made_afresh(load):
    shared = load()
    lists = {ref_id: guides_list(shared, ref) for ref_id, ref in shared.register.refs.items()}
    for ref_id, html in lists.items():
        fresh = load()
        assert html == guides_list(fresh, fresh.register[ref_id]), ref_id
    # one page, two lists: different sections of it, each linked to its own section
    assert re.search(r'<li><a href="../../deep/one/">One</a><ul><li><a href="../../deep/one/#part">Part</a>',
                     lists["csa2014-s17"])
    assert 'lang="ar" dir="rtl"' in lists["ca1989-s17"]


def test_a_guide_item_is_the_same_from_the_shared_items_for_each_law_page_and_link(load):
    site = load()
    shared: dict = {}
    for law_page in ("law/ca1989-s17.md", "law/deeper/page.md", "index.md"):
        for attrs in (("", ""), (' hreflang="ar"', ' lang="ar" dir="rtl"')):
            for anchors in (("asking",), ("asking", "parent-carers"), ()):
                alone = _guide_item(site, law_page, "index.md", anchors, attrs)
                assert _guide_item(site, law_page, "index.md", anchors, attrs, shared) == alone
    assert len({key for key in shared if len(key) == 4}) == 3 * 2 * 3  # each list item kept apart


def test_the_review_report_is_worked_out_once_a_build_for_the_page_and_review_json(load, monkeypatch):
    site, real = load(), editors.review_report
    expected_page, expected_data = editors_page(load(), BEFORE), json.dumps(real(load(), BEFORE), indent=2,
                                                                            ensure_ascii=False) + "\n"
    calls = []
    monkeypatch.setattr(editors, "review_report", lambda s, today: calls.append(today) or real(s, today))
    assert (editors_page(site, BEFORE), review_json(site, BEFORE)) == (expected_page, expected_data)
    assert calls == [BEFORE]
    review_json(site, AFTER)
    assert calls == [BEFORE, AFTER]  # another day is worked out for that day


@pytest.mark.parametrize("text, plain", [
    ("Ask for help", "Ask for help"),
    ("Ask *now*, for `help` __today__", "Ask now, for help today"),
    ("Help [[ca1989-s17]] .", "Help."),
    ("Help [[ca1989-s17| section 17 ]] , then", "Help section 17, then"),
    ("  Two\tlines\n here ", "Two lines here"),
    ("Only [ brackets ] and a_b", "Only [ brackets ] and ab"),
])
def test_plain_words_are_the_same_with_or_without_marks_to_take_out(text, plain):
    assert plain_words(text) == plain


def test_the_tail_is_the_same_for_a_page_rendered_after_others(load):
    shared = load()
    for path in sorted(shared.pages):
        fresh = load()
        assert page_tail(shared, shared.pages[path]) == page_tail(fresh, fresh.pages[path])


def _links_in_headings_line_by_line(site, page, body: str) -> str:
    """_links_in_headings as it was: every line of the body read in turn."""
    from lawguide.content.markdown_scan import HEADING_RE
    from lawguide.render.page import _citation_link, _patterns, ambiguous_short_cites, md_text

    lines = body.split("\n")
    full = ambiguous_short_cites(site, page)
    for i, line in enumerate(lines):
        if line.startswith("#") and "lgq" in line and HEADING_RE.match(line):
            lines[i] = _patterns(site)[1].sub(lambda m: _citation_link(site, page, m, md_text, full), line)
    return "\n".join(lines)


def test_citations_in_headings_become_links_on_exactly_the_lines_read_one_by_one(load):
    import random

    from lawguide.render.page import _links_in_headings, citation_placeholder

    site = load()
    page = site.pages["deep/one.md"]
    cite = citation_placeholder(site, "ca1989-s17", "", False, page)
    other = citation_placeholder(site, "csa2014-s17", "", False, page)
    pieces = [f"# Title {cite}", f"## Part {cite} and {other} {{#part}}", f"#No space {cite}", f"###### Six {cite}",
              f"####### Seven {cite}", f"Text {cite}", f" # Indented {cite}", "## Plain heading", "", "\r",
              f"#\t{other}\r", "#", f"## {cite}"]
    rng = random.Random(31)
    bodies = ["", "\n", f"# {cite}", f"{cite}\n# {cite}", f"# {cite}\n\n# {cite}\n"]
    bodies += ["\n".join(rng.choice(pieces) for _ in range(rng.randint(1, 12))) + rng.choice(["", "\n"])
               for _ in range(400)]
    changed = 0
    for body in bodies:
        expected = _links_in_headings_line_by_line(site, page, body)
        assert _links_in_headings(site, page, body) == expected, body
        changed += expected != body
    assert changed > 300  # most bodies had a heading with a citation to link


def test_site_remembers_every_answer_once_none_and_empty_ones_too(load):
    site, calls = load(), []
    for _ in range(3):
        assert site.remember("nothing", lambda: calls.append("nothing")) is None
        assert site.remember(("empty", 1), lambda: calls.append("empty") or []) == []
    assert calls == ["nothing", "empty"]


@pytest.mark.parametrize("permalink", [True, False])
def test_the_search_view_leaves_out_permalinks_exactly_as_the_heading_pattern_does(load, permalink):
    from lawguide.render.page import _PERMALINK, _without_permalinks

    site = load()
    page = site.pages["deep/one.md"]
    body = (site.settings.docs_dir / page.path).read_text(encoding="utf-8").split("---\n", 2)[2]
    toc = {"toc": {"permalink": permalink}}
    html = markdown.markdown(transform_page(site, page, body), extensions=[*EXTENSIONS[:-1], "toc"],
                             extension_configs=toc)
    _, view = finish_html_and_search_view(site, page, html, BEFORE)
    assert ('class="headerlink"' in html) is permalink
    assert 'class="headerlink"' not in view  # every one sat last in a heading with an id
    for text in (html, view, '<h2 id="a">A<a class="headerlink" href="#a">¶</a></h2>',
                 '<p>class="headerlink"</p>', '<a class="headerlink" href="#a">¶</a>', ""):
        assert _without_permalinks(text) == _PERMALINK.sub(r"\1\3", text)


def _header_placeholder_line_by_line(body: str, marker: str) -> str:
    """Where the header placeholder went before: after the first line starting with "# ", found line by line."""
    lines = body.split("\n")
    for i, line in enumerate(lines):
        if line.startswith("# "):
            return "\n".join(lines[: i + 1] + ["", marker, ""] + lines[i + 1:])
    return marker + "\n\n" + body


def test_the_header_goes_under_the_first_title_line_as_found_line_by_line(load):
    import random

    from lawguide.render.page import _header_placeholder

    site = load()
    page = site.pages["top.md"]  # has a summary or review date: always gets a header
    pieces = ["# Title", "## Part", "#NoSpace", " # Indented", "Text # not", "", "\r", "# Title\r", "#", "# "]
    rng = random.Random(23)
    bodies = ["", "\n", "# Only", "# Only\n", "Text\n# Title", "Text\n\n# Title\n\n# Second\n"]
    bodies += ["\n".join(rng.choice(pieces) for _ in range(rng.randint(1, 8))) + rng.choice(["", "\n"])
               for _ in range(400)]
    for body in bodies:
        assert _header_placeholder(site, page, body) == _header_placeholder_line_by_line(body, "lgqheaderq"), body


def test_each_citation_gets_the_placeholder_citation_placeholder_gives(load):
    from lawguide.render.page import _placeholders, citation_placeholder

    site = load()
    for page in site.pages.values():
        placeholder = _placeholders(site, page)
        asked = [*page.distinct_citations, ("ca1989-s17", "unseen words", False), ("no-such-ref", "", False),
                 ("no-such-term", "words", True), ("site:publisher", "", False), ("site:nothing", "", False),
                 ("short-breaks", "", False), ("ca1989-s17", "", True)]
        for citation in asked:
            assert placeholder(*citation) == citation_placeholder(site, *citation, page), (page.path, citation)
    numbered = _placeholders(site, site.pages["top.md"])("ca1989-s17", "", False)
    assert re.fullmatch(r"lgq[g-y]{6}\d+q", numbered)


def test_an_unknown_citation_a_page_numbered_stays_plain_text_as_before(tmp_path):
    """The preview renders pages with problems (under a banner): their unknown citations stay text."""
    from lawguide.render.page import _placeholders, citation_placeholder

    body = ("See [[no-such-ref]], [[glossary:nope|words]], [[site:nothing]], [[ca1989-s17]] and [[site:publisher]]; "
            "[[glossary:ca1989-s17]] names a reference, not a term.\n")
    root = make_site(tmp_path, {**DEFAULT_PAGES, "bad.md": _page("Bad", body)})
    site = load_site(Settings.from_mkdocs_yml(root / "mkdocs.yml"))
    assert len(site.problems) == 4
    page = site.pages["bad.md"]
    placeholder = _placeholders(site, page)
    for citation in page.distinct_citations:
        assert placeholder(*citation) == citation_placeholder(site, *citation, page)
    assert placeholder("no-such-ref", "", False) == "no-such-ref"
    assert placeholder("nope", "words", True) == "words"
    assert placeholder("ca1989-s17", "", True) == "ca1989-s17"
    assert placeholder("ca1989-s17", "", False).startswith("lgq")


def test_a_pages_tail_is_worked_out_once_for_that_page_object_only(load):
    import dataclasses

    from lawguide.render.page import _tail_ids

    site = load()
    page = site.pages["deep/one.md"]
    tail, ids = page_tail(site, page), _tail_ids(site, page)
    assert "## Words used on this page" in tail and "## Legal basis" in tail
    assert ids == ["words-on-this-page", "legal-basis"]
    bare = dataclasses.replace(page, citations=[])  # same path, no citations: as a preview's edited page
    assert page_tail(site, bare) == "" and _tail_ids(site, bare) == []
    assert page_tail(site, page) == tail and _tail_ids(site, page) == ids
