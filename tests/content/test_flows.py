"""Route-finder flows (finder/*.yml): every rule of the format gives `path:line: message (fix)`, at the
line an editor must change; outcomes' citations join the index like a page's."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import pytest
from lawguide.content.site import load_site
from lawguide.core.settings import Settings
from lawguide.lawchange.impact import impact, impact_text
from lawguide.lawchange.review import law_changes, review_items

from tests.fixtures import DEFAULT_REFS, home_page, lawguide, make_site

FLOWS = Path(__file__).resolve().parents[1] / "data" / "flows"
GOOD = (FLOWS / "help-at-home.yml").read_text(encoding="utf-8")

PAGES = {
    "index.md": home_page("""\
        The council must help [[ca1989-s17]].

        ## Asking for help {#asking}

        Ask [[ca1989-s17]].
        """),
    "parents.md": """\
        ---
        title: Parents
        reviewed: 2026-11-01
        ---
        # Parents

        ## Your own assessment {#own}

        You can ask [[ca1989-s17zd]].
        """,
}


def project(tmp_path: Path, flows: dict[str, str] | None = None, refs: list[dict] | None = None) -> Path:
    root = make_site(tmp_path, pages=PAGES, refs=refs)
    for name, text in ({"help-at-home.yml": GOOD} if flows is None else flows).items():
        (root / "finder").mkdir(exist_ok=True)
        (root / "finder" / name).write_text(text, encoding="utf-8")
    return root


def load(root: Path):
    return load_site(Settings.from_mkdocs_yml(root / "mkdocs.yml"))


def line_of(text: str, needle: str, nth: int = 1) -> int:
    """The 1-based line of the nth line containing needle (so cases stay readable)."""
    hits = [i for i, line in enumerate(text.split("\n"), 1) if needle in line]
    assert len(hits) >= nth, f"{needle!r} not in the fixture"
    return hits[nth - 1]


def problems_for(tmp_path: Path, text: str) -> list[str]:
    site = load(project(tmp_path, {"help-at-home.yml": text}))
    return [p.format() for p in site.problems]


def assert_problem(tmp_path: Path, text: str, line_needle: str, message: str, nth: int = 1) -> None:
    found = problems_for(tmp_path, text)
    want = f"finder/help-at-home.yml:{line_of(text, line_needle, nth)}: {message}"
    assert any(p.startswith(want) for p in found), f"wanted {want!r}; got {found}"


# ---------------------------------------------------------------- good input


def test_a_good_flow_loads_with_no_problems_and_keeps_file_order(tmp_path):
    site = load(project(tmp_path))
    assert site.problems == []
    flow = site.flows["help-at-home"]
    assert list(flow.questions) == ["asked", "why-no"]
    assert list(flow.outcomes) == ["ask-now", "refused"]
    assert flow.reviewed == dt.date(2026, 11, 1) and flow.exit_this_page is False
    assert [a.next for a in flow.questions["asked"].answers] == ["ask-now", "why-no", "ask-now"]
    assert flow.outcomes["ask-now"].letter.path == "parents.md"
    assert [(r.path, r.anchor) for r in flow.outcomes["refused"].read] == [("parents.md", "own")]


def test_a_missing_finder_folder_means_no_flows_and_no_problems(tmp_path):
    site = load(make_site(tmp_path, pages=PAGES))
    assert site.flows == {} and site.problems == []


def test_the_finder_folder_comes_from_extra_lawguide_finder_dir(tmp_path):
    root = make_site(tmp_path, pages=PAGES, extra_config={"extra": {"lawguide": {"finder_dir": "routes"}}})
    (root / "routes").mkdir()
    (root / "routes" / "help-at-home.yml").write_text(GOOD.replace("next: why-no", "next: nowhere"), encoding="utf-8")
    found = [p.format() for p in load(root).problems]
    assert any(p.startswith(f"routes/help-at-home.yml:{line_of(GOOD, 'next: why-no')}: 'next: nowhere'") for p in found)


def test_outcome_citations_carry_the_line_they_are_written_on(tmp_path):
    site = load(project(tmp_path))
    page = site.flows["help-at-home"].outcomes["ask-now"].page
    assert [(c.target, c.line, c.is_glossary) for c in page.citations] == [
        ("ca1989-s17", line_of(GOOD, "[[ca1989-s17]]"), False),
        ("short-breaks", line_of(GOOD, "[[glossary:short-breaks]]"), True)]
    assert page.path == "finder/help-at-home/ask-now.md" and page.display == "finder/help-at-home.yml"


# ---------------------------------------------------------------- every rule, at its line


def test_unknown_law_reference_in_an_outcome(tmp_path):
    text = GOOD.replace("[[ca1989-s17zd]]", "[[ca1989-s17zz]]")
    assert_problem(tmp_path, text, "[[ca1989-s17zz]]", "unknown law reference 'ca1989-s17zz' (did you mean 'ca1989-s17zd'?)")


def test_unknown_glossary_term_in_an_outcome(tmp_path):
    text = GOOD.replace("glossary:short-breaks", "glossary:short-brakes")
    assert_problem(tmp_path, text, "short-brakes", "unknown glossary term 'short-brakes'")


def test_outcome_with_no_citation(tmp_path):
    text = GOOD.replace(" [[ca1989-s17zd]]", "")
    assert_problem(tmp_path, text, "body: >-", "outcome 'refused' cites no law", nth=2)
    assert_problem(tmp_path, text.replace(
        "You can ask for your own", "See [[glossary:short-breaks]]. You can ask for your own"),
        "body: >-", "outcome 'refused' cites no law", nth=2)


def test_outcome_with_no_read(tmp_path):
    text = GOOD.replace("    read:\n      - parents.md#own\n", "")
    assert_problem(tmp_path, text, "- id: refused", "missing required field 'read' in an outcome")


def test_read_link_to_a_missing_page_or_section_or_without_a_section(tmp_path):
    assert_problem(tmp_path, GOOD.replace("parents.md#own", "parent.md#own"), "parent.md#own",
                   "link to missing page 'parent.md' (did you mean 'parents.md'?)")
    assert_problem(tmp_path, GOOD.replace("parents.md#own", "parents.md#owner"), "parents.md#owner",
                   "link to missing section '#owner' in docs/parents.md (did you mean 'own'?)")
    assert_problem(tmp_path, GOOD.replace("parents.md#own", "parents.md"), "      - parents.md",
                   "'parents.md' names no section (add #section-id, one of: own)")


def test_letter_link_to_a_missing_page(tmp_path):
    text = GOOD.replace("letter: parents.md", "letter: letters/nope.md")
    assert_problem(tmp_path, text, "letter: letters/nope.md", "link to missing page 'letters/nope.md'")


def test_next_that_names_nothing(tmp_path):
    text = GOOD.replace("next: why-no", "next: why-not")
    assert_problem(tmp_path, text, "next: why-not", "'next: why-not' names no question or outcome in this flow "
                   "(did you mean 'why-no'?)")


def test_start_that_names_nothing_or_an_outcome(tmp_path):
    assert_problem(tmp_path, GOOD.replace("start: asked", "start: ask"), "start: ask", "'start: ask' names nothing")
    assert_problem(tmp_path, GOOD.replace("start: asked", "start: refused"), "start: refused",
                   "'start: refused' names an outcome")


def test_unreachable_question_and_outcome(tmp_path):
    text = GOOD.replace("next: why-no", "next: refused")
    assert_problem(tmp_path, text, "- id: why-no", "question 'why-no' cannot be reached from 'start: asked'")
    text = GOOD.replace("next: ask-now", "next: refused")
    assert_problem(tmp_path, text, "- id: ask-now", "outcome 'ask-now' cannot be reached from 'start: asked'")


def test_loop_back_to_an_earlier_question(tmp_path):
    text = GOOD.replace("      - text: No reason given\n        next: refused",
                        "      - text: No reason given\n        next: asked")
    assert_problem(tmp_path, text, "next: asked", "loop: question 'asked' leads back to itself (asked -> why-no -> asked)")


def test_question_that_leads_only_to_itself_is_a_loop_and_a_dead_end(tmp_path):
    text = GOOD.replace("        next: refused\n      - text: No reason given\n        next: refused",
                        "        next: why-no\n      - text: No reason given\n        next: why-no")
    found = problems_for(tmp_path, text)
    line = line_of(text, "next: why-no", 2)
    assert f"finder/help-at-home.yml:{line}: loop: question 'why-no' leads back to itself (why-no -> why-no) " \
           "(point this answer at a later question or an outcome)" in found
    assert any(p.startswith(f"finder/help-at-home.yml:{line_of(text, '- id: why-no')}: question 'why-no' leads to "
                            "no outcome (a dead end)") for p in found)
    # 'refused' is now unreachable too: every consequence is reported, not just the first
    assert any("outcome 'refused' cannot be reached" in p for p in found)


def test_too_few_and_too_many_answers(tmp_path):
    one = GOOD.replace("      - text: No reason given\n        next: refused\n", "")
    assert_problem(tmp_path, one, "    answers:", "question 'why-no' has 1 answer, not 2 to 5", nth=2)
    extra = "".join(f"      - text: Other {n}\n        next: ask-now\n" for n in range(3))
    six = GOOD.replace("      - text: Not sure\n        next: ask-now\n", "      - text: Not sure\n        next: ask-now\n" + extra)
    assert_problem(tmp_path, six, "    answers:", "question 'asked' has 6 answers, not 2 to 5 (split it into two questions)")


def test_answer_with_no_next(tmp_path):
    text = GOOD.replace("      - text: Not sure\n        next: ask-now\n", "      - text: Not sure\n")
    assert_problem(tmp_path, text, "- text: Not sure", "missing required field 'next' in an answer")


def test_duplicate_ids_across_questions_and_outcomes(tmp_path):
    text = GOOD.replace("  - id: refused", "  - id: why-no")
    assert_problem(tmp_path, text, "- id: why-no", "duplicate id 'why-no' in this flow (first used on line "
                   f"{line_of(text, '- id: why-no')}", nth=2)


def test_duplicate_flow_ids_across_files(tmp_path):
    site = load(project(tmp_path, {"a.yml": GOOD, "b.yml": GOOD}))
    assert [p.format() for p in site.problems] == [
        "finder/b.yml:1: duplicate flow id 'help-at-home' (already used by finder/a.yml:1; each flow needs its own id)"]


def test_reserved_id_index(tmp_path):
    text = GOOD.replace("id: why-no", "id: index").replace("next: why-no", "next: index")
    assert_problem(tmp_path, text, "- id: index", "id 'index' is reserved")


def test_unknown_keys_at_every_level(tmp_path):
    assert_problem(tmp_path, GOOD.replace("summary:", "sumary:"), "sumary:", "unknown field 'sumary' in a flow")
    assert_problem(tmp_path, GOOD.replace("    hint:", "    hnit:"), "hnit:", "unknown field 'hnit' in a question")
    assert_problem(tmp_path, GOOD.replace("    call:", "    phone:"), "phone:", "unknown field 'phone' in an outcome")
    assert_problem(tmp_path, GOOD.replace("        next: why-no", "        next: why-no\n        note: x"), "note: x",
                   "unknown field 'note' in an answer")


def test_bad_and_future_reviewed_dates(tmp_path):
    assert_problem(tmp_path, GOOD.replace("2026-11-01", "2026-13-01"), "reviewed:", "'reviewed' is '2026-13-01', "
                   "which is not a real date")
    assert_problem(tmp_path, GOOD.replace("2026-11-01", "1 Nov 2026"), "reviewed:", "'reviewed' is '1 Nov 2026', not a date")
    future = (dt.date.today() + dt.timedelta(days=3)).isoformat()
    assert_problem(tmp_path, GOOD.replace("2026-11-01", future), "reviewed:", f"'reviewed' date {future} is in the future")


def test_exit_this_page_must_be_true_or_false(tmp_path):
    text = GOOD.replace("start: asked", "exit_this_page: yes\nstart: asked")
    assert_problem(tmp_path, text, "exit_this_page:", "'exit_this_page' is 'yes', not a known value")


def test_link_in_an_outcome_body_is_refused(tmp_path):
    text = GOOD.replace("Ask for [[glossary", "See [this](index.md). Ask for [[glossary")
    found = problems_for(tmp_path, text)
    assert any(p.startswith(f"finder/help-at-home.yml:{line_of(text, 'body: >-')}: outcome 'ask-now' has a link in its "
                            "body") for p in found), found


def test_yaml_syntax_error_is_reported_at_its_line_and_the_rest_still_loads(tmp_path):
    broken = GOOD.replace("title: Getting help at home", 'title: "Getting help at home')
    site = load(project(tmp_path, {"help-at-home.yml": broken, "other.yml": GOOD.replace("id: help-at-home", "id: other")}))
    found = [p.format() for p in site.problems]
    line = line_of(broken, 'title: "Getting')
    assert found and found[0].startswith(f"finder/help-at-home.yml:{line}: YAML syntax error")
    assert "other" in site.flows


def test_wrong_shapes_give_problems_not_tracebacks(tmp_path):
    read_as_text = GOOD.replace("read:\n      - index.md#asking", "read: index.md#asking")
    for text in ("- just a list\n", "id: x\nquestions: nope\n", "", read_as_text):
        found = problems_for(tmp_path, text)
        assert found and all(p.startswith("finder/help-at-home.yml:") for p in found), (text, found)


@pytest.mark.skipif(not hasattr(os, "symlink"), reason="no symlinks here")
def test_a_symlinked_flow_file_is_refused_as_a_symlinked_register_file_is(tmp_path):
    root = project(tmp_path)
    (root / "finder" / "linked.yml").symlink_to(root / "finder" / "help-at-home.yml")
    (root / "law_refs" / "linked.yml").symlink_to(root / "law_refs" / "refs.yml")
    site = load(root)
    found = {p.path: p for p in site.problems}
    flow, ref = found["finder/linked.yml"], found["law_refs/linked.yml"]
    assert flow.format() == ("finder/linked.yml:1: symlink (to '" + str(root / "finder" / "help-at-home.yml")
                             + "'): lawguide reads only regular files in the project (copy the file in instead)")
    assert flow.format().split(": ", 1)[1].split(" (to ")[0] == ref.format().split(": ", 1)[1].split(" (to ")[0]
    assert (flow.root, flow.fatal) == (ref.root, ref.fatal) == (True, False)  # the preview goes on, showing it
    assert "help-at-home" in site.flows  # the real file is still read


@pytest.mark.skipif(not hasattr(os, "symlink"), reason="no symlinks here")
def test_a_symlinked_finder_folder_is_refused_as_a_symlinked_register_folder_is(tmp_path):
    root = project(tmp_path)
    (root / "finder").rename(root / "elsewhere")
    (root / "finder").symlink_to(root / "elsewhere", target_is_directory=True)
    (root / "law_refs").rename(root / "refs-elsewhere")
    (root / "law_refs").symlink_to(root / "refs-elsewhere", target_is_directory=True)
    site = load(root)
    found = {}
    for problem in site.problems:  # the first problem at each path: the root cause
        found.setdefault(problem.path, problem)
    assert found["finder"].format() == (f"finder:1: finder/ is a symlink (to '{root / 'elsewhere'}'): lawguide reads "
                                        "only the project's own files (move the folder into the project instead)")
    assert (found["finder"].fatal, found["law_refs"].fatal) == (True, True)
    assert site.flows == {}  # nothing behind the link is read


def test_a_file_where_the_finder_folder_goes_is_a_problem_not_a_traceback(tmp_path):
    root = project(tmp_path, flows={})
    (root / "finder").write_text("id: help\n", encoding="utf-8")
    found = [p.format() for p in load(root).problems]
    assert found == ["finder:1: is a file, not the route finder's folder "
                     "(move the file away and put the flows in a folder of that name)"]


def test_a_hand_written_page_under_docs_finder_is_refused(tmp_path):
    root = project(tmp_path)
    (root / "docs" / "finder").mkdir()
    (root / "docs" / "finder" / "index.md").write_text("---\nreviewed: 2026-11-01\n---\n# Mine\n", encoding="utf-8")
    assert any(p.format().startswith("docs/finder/index.md:1: docs/finder/ is where the route finder")
               for p in load(root).problems)


def test_lawguide_check_prints_flow_problems_and_fails(tmp_path):
    root = project(tmp_path, {"help-at-home.yml": GOOD.replace("next: why-no", "next: why-not")})
    result = lawguide(root, "check")
    assert result.returncode == 1
    assert f"finder/help-at-home.yml:{line_of(GOOD, 'next: why-no')}: 'next: why-not' names no question" in result.stdout + result.stderr


# ---------------------------------------------------------------- the law-change machinery


def test_impact_lists_outcomes_with_the_flow_file_and_line(tmp_path):
    site = load(project(tmp_path))
    found = {i.page: (i.display, i.lines) for i in impact(site, "ca1989-s17zd")}
    assert found["finder/help-at-home/refused.md"] == ("finder/help-at-home.yml", (line_of(GOOD, "[[ca1989-s17zd]]"),))
    assert "docs/parents.md" in impact_text(site, ["ca1989-s17zd"])
    assert f"route-finder outcome 'finder/help-at-home/refused.md': line {line_of(GOOD, '[[ca1989-s17zd]]')}" in \
        impact_text(site, ["ca1989-s17zd"])


def test_lawguide_impact_command_lists_the_outcome(tmp_path):
    result = lawguide(project(tmp_path), "impact", "ca1989-s17zd")
    assert result.returncode == 0 and "finder/help-at-home.yml" in result.stdout


def test_review_flags_an_outcome_whose_citation_changed_after_the_flows_reviewed_date(tmp_path):
    refs = [dict(r) for r in DEFAULT_REFS]
    refs[1]["changes"] = [{"date": "2026-11-15", "summary": "Amended.", "source":
                           "https://www.legislation.gov.uk/ukpga/1989/41/section/17ZD"}]
    site = load(project(tmp_path, refs=refs))
    outcome = site.flows["help-at-home"].outcomes["refused"].page
    assert [c.ref.id for c in law_changes(site, outcome)] == ["ca1989-s17zd"]
    assert law_changes(site, site.flows["help-at-home"].outcomes["ask-now"].page) == []
    flagged = {i.page.path for i in review_items(site, dt.date(2026, 11, 20)) if i.affected}
    assert "finder/help-at-home/refused.md" in flagged and "finder/help-at-home/ask-now.md" not in flagged
    # reviewed after the change: no longer flagged
    site = load(project(tmp_path, {"help-at-home.yml": GOOD.replace("2026-11-01", "2026-11-16")}, refs=refs))
    assert "finder/help-at-home/refused.md" not in {i.page.path for i in review_items(site, dt.date(2026, 11, 20)) if i.affected}


# ---------------------------------------------------------------- published addresses (content.urls)


def test_every_flow_question_and_outcome_has_its_own_address(tmp_path):
    from lawguide.content.urls import finder_paths, generated_page_anchors, page_url

    site = load(project(tmp_path))
    urls = [page_url(p) for p in finder_paths(site)]
    assert urls == ["/finder/", "/finder/help-at-home/", "/finder/help-at-home/asked/", "/finder/help-at-home/why-no/",
                    "/finder/help-at-home/ask-now/", "/finder/help-at-home/refused/"]
    assert set(finder_paths(site)) <= set(generated_page_anchors(site))
    assert site.flows["help-at-home"].outcomes["refused"].page.path == "finder/help-at-home/refused.md"


def test_no_flows_publish_no_finder_pages(tmp_path):
    from lawguide.content.urls import finder_paths, generated_page_anchors

    site = load(make_site(tmp_path, pages=PAGES))
    assert finder_paths(site) == [] and not any(p.startswith("finder/") for p in generated_page_anchors(site))


def test_outcome_addresses_go_into_the_published_links_lock(tmp_path):
    from lawguide.links.lock import published_links, published_pages, read_link_config

    root = project(tmp_path)
    site = load(root)
    links = published_links(published_pages(site, read_link_config(root / "mkdocs.yml")))
    assert {"/finder/", "/finder/help-at-home/", "/finder/help-at-home/refused/", "/finder/help-at-home/ask-now/"} <= set(links)


def test_impact_sentences_show_the_whole_claim_of_an_outcome(tmp_path):
    from lawguide.lawchange.impact import citing_sentences

    site = load(project(tmp_path))
    found = citing_sentences(site, "ca1989-s17")["finder/help-at-home/ask-now.md"]
    assert [(s.display, s.line, s.sentence) for s in found] == [
        ("finder/help-at-home.yml", line_of(GOOD, "[[ca1989-s17]]"),
         "The council must help children in need and their families [[ca1989-s17]].")]


def test_two_citations_of_one_id_on_different_lines_keep_their_own_lines(tmp_path):
    text = GOOD.replace("      Ask for [[glossary:short-breaks]] too.",
                        "      Ask for [[glossary:short-breaks]] too [[ca1989-s17]].\n      Again [[ca1989-s17]] and [[ca1989-s17]].")
    site = load(project(tmp_path, {"help-at-home.yml": text}))
    page = site.flows["help-at-home"].outcomes["ask-now"].page
    lines = [c.line for c in page.law_citations]
    first = line_of(text, "[[ca1989-s17]]")
    assert lines == [first, first + 1, first + 2, first + 2]
