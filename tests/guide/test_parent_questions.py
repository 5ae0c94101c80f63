"""Parents' questions: for each question in tests/data/parent_questions.yml, the guide must have a
page that cites every law reference a correct answer relies on. A failure means the content does not
answer the question yet; fix the content, not the question."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from lawguide.content.site import Site, load_site
from lawguide.core.settings import Settings

from tests.fixtures import REPO

QUESTIONS_FILE = Path(__file__).resolve().parent.parent / "data" / "parent_questions.yml"
QUESTIONS: list[dict] = yaml.safe_load(QUESTIONS_FILE.read_text(encoding="utf-8"))["questions"]


@pytest.fixture(scope="module")
def site() -> Site:
    return load_site(Settings.from_mkdocs_yml(REPO / "mkdocs.yml"))


def question_id(question: dict) -> str:
    return " ".join(question["question"].split()[:8])


def test_there_are_at_least_30_well_formed_questions():
    assert len(QUESTIONS) >= 30
    for q in QUESTIONS:
        assert set(q) <= {"question", "refs", "expect_page"}, q
        assert isinstance(q["question"], str) and q["question"].strip(), q
        assert isinstance(q["refs"], list) and q["refs"], q
        assert not q.get("expect_page", "").startswith("docs/"), f"{q['question']}: expect_page is relative to docs/"


def coverage_problems(site: Site, question: dict) -> list[str]:
    refs: list[str] = question["refs"]
    unknown = [ref for ref in refs if ref not in site.register]
    if unknown:
        return [f"refs not in the register: {', '.join(unknown)}"]
    citing = {ref: set(site.pages_citing(ref)) for ref in refs}
    problems = []
    if not set.intersection(*citing.values()):
        closest = max(site.pages, key=lambda page: (sum(page in pages for pages in citing.values()), page))
        missing = [ref for ref in refs if closest not in citing[ref]]
        problems.append(f"no guide page cites all of {', '.join(refs)} "
                        f"(closest: docs/{closest}, missing {', '.join(missing)})")
    expected = question.get("expect_page")
    if expected:
        if expected not in site.pages:
            problems.append(f"expect_page docs/{expected} does not exist")
        else:
            missing = [ref for ref in refs if expected not in citing[ref]]
            if missing:
                problems.append(f"docs/{expected} does not cite {', '.join(missing)}")
    return problems


@pytest.mark.parametrize("question", QUESTIONS, ids=question_id)
def test_guide_answers_parent_question(site, question):
    problems = coverage_problems(site, question)
    assert not problems, f"Question: {question['question']!r}\n  " + "\n  ".join(problems)
