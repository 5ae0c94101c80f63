"""Answer first and text glitches: `lawguide answers` and the glitch checks in `lawguide check`."""

from __future__ import annotations

import json
import pickle
import random
import re
from collections import Counter

import pytest
from lawguide.content.cache import write_keyed
from lawguide.content.markdown_scan import CITATION_RE, GLOSSARY_PREFIX
from lawguide.content.site import load_site
from lawguide.core.settings import Settings
from lawguide.tools import textcheck
from lawguide.tools.readability import (
    ALWAYS_ABBREVIATIONS,
    NUMBER_RE,
    NUMBERED_ABBREVIATIONS,
    SENTENCE_END_RE,
    Unit,
    clean_markdown,
    split_sentences,
)
from lawguide.tools.textcheck import (
    EXTRA_ABBREVIATIONS,
    GLITCH_CACHE,
    MAX_REPEAT_GAP,
    MD_LINK_RE,
    MIN_REPEAT_CONTENT,
    MIN_REPEAT_WORDS,
    SMALL_WORDS,
    as_rendered,
    glitches,
    judge_answer,
    lower_case_starts,
    question_answers,
    repeated_phrase,
    text_problems,
    twice_linked,
)

from tests.fixtures import lawguide, make_site

TERMS = {"ehc-plan": "education, health and care plan", "early-help": "early help",
         "reasonable-adjustments": "reasonable adjustments", "family-help": "Family Help"}
FRONT = "---\ntitle: T\nsummary: S.\nreviewed: 2026-11-01\n---\n# T\n\n"  # the body starts on line 8


def found(body: str) -> list[str]:
    return [p.format() for p in glitches(FRONT + body, "docs/t.md", TERMS)]


# --- the three glitches seen on the guide on 22 November 2026 (issue 12, item 5) ------------------

def test_phrase_said_twice_is_caught_as_it_was_on_get_help():
    body = ("IPSEA is a charity. It is most useful if your question is about an education, health and care "
            "plan, called an [[glossary:ehc-plan]]. It has model letters.\n")
    assert found(body) == ["docs/t.md:8: 'an education health and care plan' is said twice in one sentence "
                           "(say it once, or split the sentence)"]


def test_lower_case_sentence_start_from_a_glossary_link_is_caught_as_it_was_on_refused_or_delayed():
    body = "Intro.\n\n[[glossary:early-help]] can be useful. Ask for an assessment too.\n"
    assert found(body) == ["docs/t.md:10: sentence starts with a lower-case letter: 'early help can be useful. "
                           "Ask ...' (start it with a capital letter, or join it to the sentence before)"]


def test_lower_case_start_after_a_full_stop_mid_paragraph():
    assert found("You can ask. the council must reply.\n") == [
        "docs/t.md:8: sentence starts with a lower-case letter: 'the council must reply. ...' "
        "(start it with a capital letter, or join it to the sentence before)"]


def test_term_linked_twice_in_one_sentence_is_caught_as_it_was_on_get_help():
    body = ("Read more about [[glossary:reasonable-adjustments]] on our page about "
            "[reasonable adjustments for your family](more-questions/reasonable-adjustments.md).\n")
    assert found(body) == ["docs/t.md:8: glossary term 'reasonable-adjustments' is linked 2 times in one paragraph "
                           "(link it once)"]


def test_same_glossary_link_twice_in_one_paragraph():
    body = "Ask for [[glossary:early-help]].\nThen [[glossary:early-help|help early]] again.\n"
    assert found(body) == ["docs/t.md:8: glossary term 'early-help' is linked 2 times in one paragraph (link it once)"]


# --- what is not a glitch ---------------------------------------------------------------------------

@pytest.mark.parametrize("body", [
    # an echo further apart is emphasis, not a slip
    "Support for a child in need is not only for children at risk, and every disabled child is a child in need.\n",
    # small words repeated
    "You can ask them to do it and you can ask them to do it again.\n",
    # abbreviations, numbers, addresses and lists
    "Ask for help, e.g. the council. See s. 17 and reg. 11. Costs, approx. two pounds, etc. and more.\n",
    "Write to help@example.org. then wait.\n",
    "- a short list item in lower case\n- another one\n",
    "| table | row |\n|---|---|\n| lower case | cell |\n",
    # the same term in two paragraphs, or a term and a different page in one sentence
    "Ask for [[glossary:early-help]].\n\nThen ask for [[glossary:early-help]] again.\n",
    "Ask for [[glossary:family-help]]. Read [what it means](safeguarding.md#family-help).\n",
    "Ask for [[glossary:early-help]] and read [our page on assessments](assessments.md).\n",
    # code and letters are not prose
    "```\ncalled an education, health and care plan, called an education, health and care plan\n```\n",
    '<div class="lg-letter" markdown>\n\nsome text. the letter.\n\n</div>\n',
])
def test_not_a_glitch(body):
    assert found(body) == []


def test_repeated_phrase_needs_four_words_two_of_them_content_words():
    assert repeated_phrase("the care plan, the care plan") == ""  # three words only
    assert repeated_phrase("about your care plan review, called your care plan review") == "your care plan review"


# --- the fast checks find what the plain rules find (issue 31) ----------------------------------------
# The plain rules as first written (before issue 31): every run length, every sentence, every token.

def plain_repeated_phrase(sentence: str) -> str:
    words = [w for w in (re.sub(r"[^\w']", "", token.lower()) for token in sentence.split()) if w]
    for n in range(len(words) // 2, MIN_REPEAT_WORDS - 1, -1):
        first_at: dict[tuple[str, ...], int] = {}
        for i in range(len(words) - n + 1):
            gram = tuple(words[i:i + n])
            if gram in first_at and i - (first_at[gram] + n) <= MAX_REPEAT_GAP \
                    and sum(w not in SMALL_WORDS for w in gram) >= MIN_REPEAT_CONTENT:
                return " ".join(gram)
            first_at.setdefault(gram, i)
    return ""


def plain_lower_case_starts(unit: Unit, kind_is_paragraph: bool) -> list[str]:
    tokens = unit.text.split()
    found = []
    if kind_is_paragraph and tokens and tokens[0][:1].islower() and tokens[0][:1].isalpha():
        found.append(" ".join(tokens[:6]))
    for i, token in enumerate(tokens[:-1]):
        following = tokens[i + 1]
        if not (SENTENCE_END_RE.search(token) and following[:1].islower() and following[:1].isalpha()):
            continue
        word = token.lstrip("([\"'“‘").lower()
        if word in ALWAYS_ABBREVIATIONS or word in EXTRA_ABBREVIATIONS or word.endswith(".."):
            continue
        if word in NUMBERED_ABBREVIATIONS and NUMBER_RE.match(following):
            continue
        if re.search(r"\d|@|/", word) or len(word.rstrip(".!?\"'”’)]")) <= 1:
            continue
        found.append(" ".join(tokens[i + 1:i + 7]))
    return found


def plain_twice_linked(raw: Unit, terms: dict[str, str]) -> list[tuple[str, int]]:
    def glossary_ids(text: str) -> list[str]:
        return [m.group(1).strip()[len(GLOSSARY_PREFIX):].strip() for m in CITATION_RE.finditer(text)
                if m.group(1).strip().startswith(GLOSSARY_PREFIX)]

    counts = Counter(glossary_ids(raw.text))
    for sentence in split_sentences(raw):
        other_texts = [m.group(1).lower() for m in MD_LINK_RE.finditer(CITATION_RE.sub(" ", sentence.text))]
        for term in dict.fromkeys(glossary_ids(sentence.text)):
            words = terms.get(term, term.replace("-", " ")).lower()
            counts[term] += sum(1 for text in other_texts if re.search(rf"\b{re.escape(words)}\b", text))
    return [(term, times) for term, times in sorted(counts.items()) if times > 1]


def plain_glitches(markdown: str) -> list[tuple[int, str]]:
    out = []
    raw_by_line = {unit.line: unit for unit in clean_markdown(markdown, clean=lambda text: text)}
    for unit in clean_markdown(as_rendered(markdown, TERMS)):
        out += [(s.line, phrase) for s in split_sentences(unit) if (phrase := plain_repeated_phrase(s.text))]
        out += [(unit.line, start) for start in plain_lower_case_starts(unit, unit.kind == "text")]
        if unit.line in raw_by_line:
            out += [(unit.line, f"{term} {times}") for term, times in plain_twice_linked(raw_by_line[unit.line], TERMS)]
    return out


def fast_glitches(markdown: str) -> list[tuple[int, str]]:
    out = []
    for problem in glitches(markdown, "p", TERMS):
        message = problem.message
        if message.endswith("is said twice in one sentence"):
            out.append((problem.line, message.split("'")[1]))
        elif message.startswith("sentence starts with a lower-case letter"):
            out.append((problem.line, message.split(": '", 1)[1].removesuffix(" ...'")))
        else:
            term, times = re.fullmatch(r"glossary term '(.*)' is linked (\d+) times in one paragraph", message).groups()
            out.append((problem.line, f"{term} {times}"))
    return out


# Tokens that meet each rule's edge: abbreviations, numbers, initials, quotes and brackets round a full stop,
# small words, a token of punctuation alone, words said again near and far, glossary and other links.
TOKENS = ["the", "council", "must", "plan", "care", "a", "of", "you", "help", "early", "s.", "17", "e.g.", "etc.",
          "Yes.", "it.", "done!", "why?", "(see", "x)", "''", "_", "--", "Care.", "care.", "plan,", "and", "'it.'",
          "reg.", "No.", "J.", "www.x.org.", "1.", "...", "i.e.", "lower", "Upper", "”end.”", "[link](x)",
          "[[glossary:early-help]]", "[early help](/eh/)", "[[glossary:ehc-plan|plan]]", "(Care.)", "v.", "II"]


def random_text(rng: random.Random, words: int) -> str:
    return " ".join(rng.choice(TOKENS) for _ in range(rng.randint(0, words)))


def test_fast_rules_find_what_the_plain_rules_find_on_awkward_text():
    rng = random.Random(31)
    for _ in range(1500):
        text = random_text(rng, 40)
        assert repeated_phrase(text) == plain_repeated_phrase(text), text
        unit = Unit(text, 3)
        for paragraph in (True, False):
            assert lower_case_starts(unit, paragraph) == plain_lower_case_starts(unit, paragraph), text
        expected = [f"glossary term '{t}' is linked {n} times in one paragraph" for t, n in plain_twice_linked(unit, TERMS)]
        assert [p.message for p in twice_linked(unit, "p", TERMS)] == expected, text


def test_fast_glitches_are_the_plain_ones_on_whole_pages_with_lists_headings_and_tables():
    rng = random.Random(12)
    starts = ["", "", "", "- ", "## ", "1. ", "| ", "```\n"]
    findings = 0
    for _ in range(400):
        markdown = "\n".join(rng.choice(starts) + random_text(rng, 14) for _ in range(rng.randint(1, 8))) + "\n"
        expected = plain_glitches(markdown)
        assert fast_glitches(markdown) == expected, markdown
        findings += len(expected)
    assert findings > 100  # the comparison saw many findings, not only clean pages


def test_the_longest_phrase_said_twice_is_found_however_long():
    phrase = "the council must assess every disabled child who may need help at home"
    assert repeated_phrase(f"{phrase}, yes, {phrase}") == phrase
    # said three times, and one short phrase over and over: the runs found overlap (at most half the words)
    for text in (f"{phrase} {phrase} {phrase}", "care plan review care plan review care plan review"):
        assert len(repeated_phrase(text).split()) > len(text.split()) // 3
        assert repeated_phrase(text) == plain_repeated_phrase(text)


def test_a_phrase_said_twice_in_a_paragraph_but_in_two_sentences_is_not_a_glitch():
    assert found("Ask for a care plan review now. Ask for a care plan review now.\n") == []


def test_a_repeat_in_a_sentence_without_a_word_is_not_reported():
    assert found("'' '' '' '' '' '' '' '' '' ''\n") == []
    assert repeated_phrase("'' '' '' '' '' '' '' '' '' ''") == "'' '' '' '' ''"  # the rule alone would


# --- answer first (issue 12, item 1) ----------------------------------------------------------------

@pytest.mark.parametrize(("first", "passes"), [
    ("Yes.", True),
    ("No, but you can ask again.", True),
    ("Not on its own: the council must also assess.", True),
    ("It depends on what the council decided and when it decided it.", True),
    ("You can't be refused just because you work.", True),
    ("The council must assess any disabled child who may need services.", True),  # a short statement
    ("See a solicitor if the council is acting unlawfully.", True),  # "See" alone is an instruction
    ("This section explains what happens next.", False),
    ("Here is what you need to know.", False),
    ("Read our page on assessments.", False),
    ("What does the law say?", False),
    ("", False),
    (" ".join(["Yes"] + ["word"] * 25) + ".", False),  # 26 words: too long even when it opens with Yes
    ("The rules about assessments come from several Acts and guidance documents and they all changed in "
     "2014 when the new duties began.", False),  # 22 words, no answer word
])
def test_judge_answer(first, passes):
    assert (judge_answer(first) == "") is passes


def test_question_headings_are_only_h2_and_h3_ending_with_a_question_mark():
    body = ("## Can they refuse? {#refuse}\n\nNo, not for that reason.\n\n"
            "## Background {#background}\n\nThis section explains.\n\n"
            "### Who decides? {#who}\n\n- A list item first, not an answer word and rather long for a list item here ok.\n\n"
            "#### Deeper question? {#deeper}\n\nHere is more.\n\n"
            "## Empty question? {#empty}\n\n## Next {#next}\n\nText.\n")
    results = question_answers(FRONT + body, "docs/t.md")
    assert [(q.line, q.heading, q.passed) for q in results] == [
        (8, "Can they refuse?", True), (16, "Who decides?", True), (24, "Empty question?", False)]
    assert results[2].reason == "no text under the question: start with the answer"


def test_lawguide_answers_reports_failures_and_the_share(tmp_path):
    pages = {"index.md": FRONT + "## Can they refuse? {#refuse}\n\nNo.\n\n## Why not? {#why}\n\nThis section explains why.\n"}
    root = make_site(tmp_path, pages=pages)
    result = lawguide(root, "answers")
    assert result.returncode == 0
    assert result.stdout.splitlines() == [
        "docs/index.md:12: question 'Why not?': first sentence puts off the answer: start with the answer itself",
        "1 of 2 question headings (50%) open with a direct answer of at most 25 words."]
    assert lawguide(root, "answers", "--check").returncode == 1
    data = json.loads(lawguide(root, "answers", "--json").stdout)
    assert data["summary"] == {"questions": 2, "passed": 1, "share": 0.5}


def test_lawguide_check_fails_on_a_glitch_unless_set_to_report(tmp_path):
    pages = {"index.md": FRONT + "You can ask. the council must reply.\n"}
    root = make_site(tmp_path, pages=pages)
    result = lawguide(root, "check")
    assert result.returncode == 1
    assert "docs/index.md:8: sentence starts with a lower-case letter" in result.stderr
    reporting = make_site(tmp_path / "report", pages=pages,
                          extra_config={"extra": {"lawguide": {"text_glitches": "report"}}})
    result = lawguide(reporting, "check")
    assert result.returncode == 0, result.stderr
    assert "docs/index.md:8: sentence starts with a lower-case letter" in result.stderr
    assert "1 text glitch(es) listed, not failing" in result.stderr


# --- each page's glitches kept between checks (issue 31) ---------------------------------------------

def checked_pages(monkeypatch) -> list[str]:
    """The pages text_problems checks afresh (the others come from the cache), in order."""
    seen: list[str] = []
    plain = textcheck.glitches

    def counting(markdown: str, path: str, terms=None):
        seen.append(path)
        return plain(markdown, path, terms)

    monkeypatch.setattr(textcheck, "glitches", counting)
    return seen


def load(root):
    return load_site(Settings.from_mkdocs_yml(root / "mkdocs.yml"))


GLITCHY = {"index.md": FRONT + "You can ask. the council must reply.\n",
           "other.md": FRONT + "Ask for them. [[glossary:short-breaks]] help.\n"}  # reads "short breaks help."


def test_check_reuses_the_glitches_of_unchanged_pages_and_checks_changed_ones_afresh(tmp_path, monkeypatch):
    root = make_site(tmp_path, pages=GLITCHY)
    first = text_problems(load(root), use_cache=True)
    assert [p.path for p in first] == ["docs/index.md", "docs/other.md"]
    seen = checked_pages(monkeypatch)
    assert text_problems(load(root), use_cache=True) == first
    assert seen == []  # both from the cache
    (root / "docs" / "index.md").write_text(FRONT + "You can ask. The council must reply.\n", encoding="utf-8")
    assert text_problems(load(root), use_cache=True) == first[1:]  # the fixed page no longer reported
    assert seen == ["docs/index.md"]


def test_kept_glitches_are_the_ones_a_fresh_check_finds_with_line_message_and_hint(tmp_path):
    root = make_site(tmp_path, pages=GLITCHY)
    fresh = text_problems(load(root))
    text_problems(load(root), use_cache=True)
    kept = text_problems(load(root), use_cache=True)
    assert [(p.path, p.line, p.message, p.hint) for p in kept] == [(p.path, p.line, p.message, p.hint) for p in fresh]


def test_a_change_to_the_glossary_words_checks_every_page_again(tmp_path, monkeypatch):
    root = make_site(tmp_path, pages=GLITCHY)
    text_problems(load(root), use_cache=True)
    seen = checked_pages(monkeypatch)
    make_site(tmp_path, pages=GLITCHY, terms=[{"id": "short-breaks", "term": "Short Breaks",
                                               "definition": "Time away from caring.", "refs": ["ca1989-s17"]}])
    problems = text_problems(load(root), use_cache=True)
    assert sorted(seen) == ["docs/index.md", "docs/other.md"]
    assert [p.path for p in problems] == ["docs/index.md"]  # "Short Breaks help." starts with a capital


def test_glitches_kept_by_other_code_are_not_used(tmp_path, monkeypatch):
    root = make_site(tmp_path, pages=GLITCHY)
    text_problems(load(root), use_cache=True)
    with (root / GLITCH_CACHE).open("rb") as handle:  # content.cache.write_keyed: the key, then the entries
        key, entries = pickle.load(handle), pickle.load(handle)
    altered = {path: (digest, [(line, "kept by other code", hint) for line, _, hint in kept])
               for path, (digest, kept) in entries.items()}
    write_keyed(root / GLITCH_CACHE, key, altered)  # this code's key: the altered entries are used
    assert {p.message for p in text_problems(load(root), use_cache=True)} == {"kept by other code"}
    write_keyed(root / GLITCH_CACHE, (("other code", *key[0][1:]), key[1]), altered)  # another version's
    seen = checked_pages(monkeypatch)
    problems = text_problems(load(root), use_cache=True)
    assert "kept by other code" not in {p.message for p in problems}
    assert sorted(seen) == ["docs/index.md", "docs/other.md"]


@pytest.mark.parametrize("garbage", [b"", b"\x80\x05not a pickle", b"\x80\x05\x95\x10\x00\x00\x00\x00\x00\x00\x00(K"])
def test_a_corrupt_glitch_cache_is_rebuilt_with_a_note_not_a_traceback(tmp_path, garbage):
    root = make_site(tmp_path, pages=GLITCHY)
    assert lawguide(root, "check").returncode == 1
    cache_file = root / GLITCH_CACHE
    cache_file.write_bytes(garbage)
    result = lawguide(root, "check")
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert f"note: {cache_file}: cache file could not be read" in result.stderr
    assert "docs/index.md:8: sentence starts with a lower-case letter" in result.stderr
    again = lawguide(root, "check")  # rebuilt: read without a note
    assert "cache file could not be read" not in again.stderr
    assert again.stderr.count("docs/index.md:8: sentence starts with a lower-case letter") == 1


def test_check_no_cache_neither_reads_nor_writes_the_glitch_cache(tmp_path):
    root = make_site(tmp_path, pages=GLITCHY)
    result = lawguide(root, "check", "--no-cache")
    assert result.returncode == 1
    assert "docs/index.md:8: sentence starts with a lower-case letter" in result.stderr
    assert not (root / GLITCH_CACHE).exists()
