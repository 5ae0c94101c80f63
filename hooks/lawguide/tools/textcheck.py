"""Answer first, and text glitches: checks of the prose a parent reads, on the Markdown sources.

`lawguide answers` reports question headings that do not open with a short, direct answer (issue 12,
item 1). `lawguide check` reports three kinds of text glitch (issue 12, item 5):

- a phrase repeated within one sentence ("an education, health and care plan, called an education,
  health and care plan");
- a sentence that starts with a lower-case letter ("... are delayed. early help is ...");
- the same glossary term linked twice in one paragraph or list item.

Both read the prose units of tools/readability (headings, paragraphs, list items, table rows; code,
quotations and the model letters left out), so they see the same sentences the readability figures do.

The answer rule (documented in STYLE.md):
- a question heading is a `##` or `###` heading whose text ends with "?";
- its first sentence is the first sentence of the first paragraph or list item under it;
- it passes when it is at most 25 words long and either opens with an answer word (ANSWER_OPENERS:
  "Yes", "No", "Not", "Usually", "Only", "You can", "You can't", "It depends", ...) or is a statement
  of at most SHORT_STATEMENT words that does not put off the answer (DEFERRING_OPENERS: "This section",
  "Here", "In this", "Read our", "See below", ...) and is not itself a question.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import asdict, dataclass
from pathlib import Path

from lawguide.content.markdown_scan import CITATION_RE, GLOSSARY_PREFIX, iter_markdown_files
from lawguide.content.site import Site
from lawguide.core.problems import Problem
from lawguide.core.yamlsrc import read_text
from lawguide.tools.readability import (
    ALWAYS_ABBREVIATIONS,
    NUMBER_RE,
    NUMBERED_ABBREVIATIONS,
    Unit,
    clean_markdown,
    count_words,
    split_sentences,
)

MAX_FIRST_SENTENCE = 25  # STYLE.md: never more than 25 words
SHORT_STATEMENT = 20  # a plain statement this short counts as an answer
ANSWER_OPENERS = (
    "yes", "no", "not", "usually", "only", "you can", "you can't", "you cannot", "you do not", "you don't",
    "you must", "you should", "you will", "you may", "it depends", "sometimes", "often", "normally", "always",
    "never", "probably", "in most cases", "almost always", "rarely", "most", "mostly", "generally", "partly",
    "in some cases", "maybe", "possibly", "they can", "they can't", "they cannot", "they must", "the council must",
    "the council can", "the council should", "the council cannot",
)
DEFERRING_OPENERS = (
    "this section", "this page", "here", "in this", "below", "the following", "there are several",
    "there are many", "let's", "we explain", "we look at", "we set out", "find out", "it is important to",
    "first,", "to answer", "this is", "these are", "read our", "read the", "read more", "read for", "see the",
    "see our", "see below", "see also",
)
MIN_REPEAT_WORDS = 4  # a repeated run of at least this many words ...
MIN_REPEAT_CONTENT = 2  # ... with at least this many words that are not small words ...
MAX_REPEAT_GAP = 3  # ... said again within this many words ("X, called an X"); further apart it is emphasis
SMALL_WORDS = {
    "a", "an", "the", "and", "or", "but", "of", "to", "in", "on", "for", "by", "with", "at", "from", "as", "is",
    "are", "be", "it", "this", "that", "you", "your", "they", "their", "them", "we", "our", "can", "do", "does",
    "not", "if", "when", "what", "who", "how", "has", "have", "had", "will", "may", "must", "should", "about",
}
EXTRA_ABBREVIATIONS = {"etc.", "approx.", "al.", "ltd.", "inc.", "co.", "cc."}
QUESTION_HEADING_LEVELS = ("## ", "### ")
HEADING_LINE_RE = re.compile(r"^(#{2,3})[ \t]+")


# --- answer first ---------------------------------------------------------------------------------

@dataclass(frozen=True)
class QuestionAnswer:
    path: str
    line: int  # the heading's line
    heading: str
    first_sentence: str
    words: int
    passed: bool
    reason: str  # why it failed, '' when it passed


def _heading_levels(markdown: str) -> dict[int, int]:
    """Source line -> heading level, for ## and ### headings (clean_markdown keeps only their text)."""
    from lawguide.content.markdown_scan import code_mask, split_front_matter

    front, body = split_front_matter(markdown, "")
    lines = body.split("\n")
    out = {}
    for offset, (line, is_code) in enumerate(zip(lines, code_mask(lines), strict=True)):
        match = None if is_code else HEADING_LINE_RE.match(line)
        if match:
            out[front.body_start + offset] = len(match.group(1))
    return out


def judge_answer(first: str) -> str:
    """'' when the first sentence answers, else why not."""
    words = count_words(first)
    if not words:
        return "no text under the question: start with the answer"
    if words > MAX_FIRST_SENTENCE:
        return f"first sentence is {words} words (at most {MAX_FIRST_SENTENCE}): answer in a short sentence first"
    lowered = first.lower().lstrip("\"'“‘(")
    if _opens_with(lowered, ANSWER_OPENERS):
        return ""
    if first.rstrip().endswith("?"):
        return "first sentence is a question: answer it instead"
    if _opens_with(lowered, DEFERRING_OPENERS):
        return "first sentence puts off the answer: start with the answer itself"
    if words > SHORT_STATEMENT:
        return (f"first sentence does not open with an answer (Yes, No, Not, Usually, It depends ...) "
                f"and is {words} words: answer in {SHORT_STATEMENT} words or fewer")
    return ""


def _opens_with(lowered: str, openers: tuple[str, ...]) -> bool:
    return any(lowered == o or lowered.startswith(o) and not lowered[len(o):len(o) + 1].isalnum() for o in openers)


def question_answers(markdown: str, path: str) -> list[QuestionAnswer]:
    levels = _heading_levels(markdown)
    units = clean_markdown(markdown)
    out = []
    for i, unit in enumerate(units):
        if unit.line not in levels or not unit.text.rstrip().endswith("?"):
            continue
        following = units[i + 1] if i + 1 < len(units) else None
        first = ""
        if following is not None and following.line not in levels:
            sentences = split_sentences(following)
            first = sentences[0].text if sentences else ""
        reason = judge_answer(first)
        out.append(QuestionAnswer(path, unit.line, unit.text, first, count_words(first), not reason, reason))
    return out


@dataclass
class AnswersReport:
    questions: list[QuestionAnswer]

    @property
    def passed(self) -> int:
        return sum(q.passed for q in self.questions)

    @property
    def share(self) -> float:
        return self.passed / len(self.questions) if self.questions else 1.0

    def failures(self) -> list[QuestionAnswer]:
        return [q for q in self.questions if not q.passed]


def answers_report(docs_dir: Path, display_prefix: str = "docs") -> AnswersReport:
    questions = []
    for file in iter_markdown_files(docs_dir):
        rel = file.relative_to(docs_dir).as_posix()
        display = f"{display_prefix}/{rel}" if display_prefix else rel
        text, unreadable = read_text(file, display)  # a regular file only: a named pipe would never end
        if unreadable:
            continue  # `lawguide check` reports the page
        questions += question_answers(text, display)
    return AnswersReport(questions)


def format_answers(report: AnswersReport) -> str:
    out = [f"{q.path}:{q.line}: question '{q.heading}': {q.reason}" for q in report.failures()]
    out.append(f"{report.passed} of {len(report.questions)} question headings ({report.share:.0%}) open with a "
               f"direct answer of at most {MAX_FIRST_SENTENCE} words.")
    return "\n".join(out)


def answers_json(report: AnswersReport) -> dict:
    return {"questions": [asdict(q) for q in report.questions],
            "summary": {"questions": len(report.questions), "passed": report.passed, "share": round(report.share, 3)}}


# --- text glitches --------------------------------------------------------------------------------
# `lawguide check` runs these on every page (issue 31: 9.6 s at 1,010 pages before, nearly all here). Each
# unit's words are read once; a sentence is looked at closely only when a cheap test says it might hold a
# glitch (a 4-word run said twice in the unit, a glossary link beside another link), so most units are never
# split into sentences at all. The findings are those of the plain rules, checked by tests/tools/test_textcheck.py
# against the plain versions kept there.

_NOT_WORD_RE = re.compile(r"[^\w'\s]")
_END_CHARS = frozenset(".!?")
_CLOSERS = "\"'”’)]"
_LAST_CHARS = frozenset(".!?\"'”’)]")  # a token ends a sentence only if it ends in one of these
# A token that may end a sentence (readability.SENTENCE_END_RE), then the next token's first character.
_AFTER_END_RE = re.compile(r"[.!?][\"'”’)\]]*\s+(?=(\S))")


def _words(text: str) -> list[str]:
    """The words of a text, lower case, punctuation dropped ("don't" kept whole). Tokens are split on
    whitespace first, so removing punctuation never joins two tokens."""
    return _NOT_WORD_RE.sub("", text.lower()).split()


def _has_repeated_run(words: list[str]) -> bool:
    """False when no run of MIN_REPEAT_WORDS words occurs twice: then nothing longer does either."""
    n = MIN_REPEAT_WORDS
    count = len(words) - n + 1
    return count > 1 and len(set(zip(*(words[k:] for k in range(n)), strict=False))) < count


def _longest_run_said_twice(words: list[str]) -> int:
    """The length of the longest run of words that occurs at two places (they may overlap), if at least
    MIN_REPEAT_WORDS; else less than that."""
    n = MIN_REPEAT_WORDS
    at: dict[tuple[str, ...], list[int]] = {}
    for i, gram in enumerate(zip(*(words[k:] for k in range(n)), strict=False)):
        at.setdefault(gram, []).append(i)
    longest = 0
    for places in at.values():
        for a, p in enumerate(places):
            for q in places[a + 1:]:
                length = n
                while q + length < len(words) and words[p + length] == words[q + length]:
                    length += 1
                longest = max(longest, length)
    return longest


def _longest_repeat(words: list[str]) -> str:
    # No run longer than the longest said twice can be found twice: start there, not at half the sentence.
    for n in range(min(len(words) // 2, _longest_run_said_twice(words)), MIN_REPEAT_WORDS - 1, -1):
        first_at: dict[tuple[str, ...], int] = {}
        for i in range(len(words) - n + 1):
            gram = tuple(words[i:i + n])
            if gram in first_at and i - (first_at[gram] + n) <= MAX_REPEAT_GAP \
                    and sum(w not in SMALL_WORDS for w in gram) >= MIN_REPEAT_CONTENT:
                return " ".join(gram)
            first_at.setdefault(gram, i)
    return ""


def repeated_phrase(sentence: str) -> str:
    """The longest run of words said twice in quick succession in one sentence ("X, called an X"), or ''.
    Small words alone do not count, nor a phrase repeated further apart (a deliberate echo)."""
    words = _words(sentence)
    return _longest_repeat(words) if _has_repeated_run(words) else ""


def _may_end_sentence(token: str) -> bool:
    """readability.SENTENCE_END_RE.search(token), without the regular expression (it runs on every token)."""
    return token[-1] in _LAST_CHARS and token.rstrip(_CLOSERS)[-1:] in _END_CHARS


def _sentence_texts(tokens: list[str]) -> list[str]:
    """The texts of readability.split_sentences for a unit split into these tokens (sentences without a
    word included: callers that care check count_words)."""
    texts, start = [], 0
    for i in range(len(tokens) - 1):
        token = tokens[i]
        if _may_end_sentence(token) and _ends_sentence(token, tokens[i + 1]):
            texts.append(" ".join(tokens[start:i + 1]))
            start = i + 1
    if start < len(tokens):
        texts.append(" ".join(tokens[start:]))
    return texts


def _ends_sentence(token: str, following: str) -> bool:
    """readability._ends_sentence for a token _may_end_sentence has passed."""
    if following[0].islower():
        return False
    word = token.lstrip("([\"'“‘").lower()
    if word in ALWAYS_ABBREVIATIONS:
        return False
    return not (word in NUMBERED_ABBREVIATIONS and NUMBER_RE.match(following))


def _repeated_phrases(tokens: list[str]) -> list[str]:
    """repeated_phrase of each sentence of the unit that has one, in order."""
    if not _has_repeated_run(_words(" ".join(tokens))):
        return []  # a sentence's words are a run of the unit's: no repeat in the unit, none in a sentence
    found = []
    for text in _sentence_texts(tokens):
        phrase = repeated_phrase(text)
        if phrase and count_words(text):  # split_sentences drops sentences without a word
            found.append(phrase)
    return found


def lower_case_starts(unit: Unit, kind_is_paragraph: bool) -> list[str]:
    """Sentences in the unit that start with a lower-case letter (the start of a paragraph too)."""
    return _lower_case_starts(unit.text.split(), kind_is_paragraph, unit.text)


def _lower_case_starts(tokens: list[str], kind_is_paragraph: bool, text: str) -> list[str]:
    """text: the unit's text, which `tokens` splits."""
    found = []
    if kind_is_paragraph and tokens and tokens[0][:1].islower() and tokens[0][:1].isalpha():
        found.append(" ".join(tokens[:6]))
    if not any(m.group(1).islower() for m in _AFTER_END_RE.finditer(text)):
        return found  # no sentence end followed by a lower-case letter: no need to look token by token
    for i in range(len(tokens) - 1):
        token = tokens[i]
        if not _may_end_sentence(token):
            continue
        following = tokens[i + 1]
        if not (following[:1].islower() and following[:1].isalpha()):
            continue
        word = token.lstrip("([\"'“‘").lower()
        if word in ALWAYS_ABBREVIATIONS or word in EXTRA_ABBREVIATIONS or word.endswith(".."):
            continue
        if word in NUMBERED_ABBREVIATIONS and NUMBER_RE.match(following):
            continue
        if re.search(r"\d|@|/", word) or len(word.rstrip(".!?\"'”’)]")) <= 1:
            continue  # "s.17.", "1.", web and email addresses, initials
        found.append(" ".join(tokens[i + 1:i + 7]))
    return found


def _raw_units(markdown: str) -> list[Unit]:
    """The same units as clean_markdown, with their Markdown kept (to see glossary links)."""
    return clean_markdown(markdown, clean=lambda text: text)


MD_LINK_RE = re.compile(r"(?<!!)\[([^\[\]]+)\]\([^)\s]+\)")


def _glossary_ids(text: str) -> list[str]:
    return [m.group(1).strip()[len(GLOSSARY_PREFIX):].strip() for m in CITATION_RE.finditer(text)
            if m.group(1).strip().startswith(GLOSSARY_PREFIX)]


def twice_linked(raw: Unit, path: str, terms: dict[str, str]) -> list[Problem]:
    """A glossary term linked twice: by two glossary links in one paragraph, or by a glossary link and
    another link whose text holds the same words in one sentence ("Read more about
    [[glossary:reasonable-adjustments]] on our page about [reasonable adjustments for your family](...)")."""
    if GLOSSARY_PREFIX not in raw.text:
        return []  # no glossary link: nothing to count
    counts = Counter(_glossary_ids(raw.text))
    if "](" in raw.text:  # another link: count the sentences it shares with a glossary link
        for sentence in _sentence_texts(raw.text.split()):
            if GLOSSARY_PREFIX not in sentence or "](" not in sentence:
                continue  # no glossary link, or no other link, in this sentence: it adds nothing
            other_texts = [m.group(1).lower() for m in MD_LINK_RE.finditer(CITATION_RE.sub(" ", sentence))]
            for term in dict.fromkeys(_glossary_ids(sentence)):
                words = terms.get(term, term.replace("-", " ")).lower()
                counts[term] += sum(1 for text in other_texts if re.search(rf"\b{re.escape(words)}\b", text))
    return [Problem(path, raw.line, f"glossary term '{term}' is linked {times} times in one paragraph", "link it once")
            for term, times in sorted(counts.items()) if times > 1]


def as_rendered(markdown: str, terms: dict[str, str]) -> str:
    """Glossary links without their own text read as the term does on the page ("early help")."""
    def sub(match: re.Match) -> str:
        target = match.group(1).strip()
        if match.group(2) or not target.startswith(GLOSSARY_PREFIX):
            return match.group(0)
        term = target[len(GLOSSARY_PREFIX):].strip()
        return terms.get(term, term.replace("-", " "))

    return CITATION_RE.sub(sub, markdown) if GLOSSARY_PREFIX in markdown else markdown


def glitches(markdown: str, path: str, terms: dict[str, str] | None = None) -> list[Problem]:
    """terms: glossary id -> the words a bare [[glossary:id]] shows (render.page.running_text)."""
    problems = []
    # Only a page with a glossary link can link a term twice: the others skip the second reading.
    raw_by_line = {unit.line: unit for unit in _raw_units(markdown)} if GLOSSARY_PREFIX in markdown else {}
    for unit in clean_markdown(as_rendered(markdown, terms or {})):
        raw = raw_by_line.get(unit.line)
        tokens = unit.text.split()
        for phrase in _repeated_phrases(tokens):
            problems.append(Problem(path, unit.line, f"'{phrase}' is said twice in one sentence",
                                    "say it once, or split the sentence"))
        for start in _lower_case_starts(tokens, unit.kind == "text", unit.text):
            problems.append(Problem(path, unit.line, f"sentence starts with a lower-case letter: '{start} ...'",
                                    "start it with a capital letter, or join it to the sentence before"))
        if raw is not None:
            problems += twice_linked(raw, path, terms or {})
    return problems


GLITCH_CACHE = Path(".cache") / "lawguide" / "glitches.pickle"


class GlitchCache:
    """Each page's glitches from earlier checks, reused while the page's text, the glossary's words and the
    package's code are unchanged (issue 31: an editor runs `lawguide check` before every commit, mostly with a
    page or two edited). Keyed on the text itself (a hash of it), not the file's time: the check reads every
    page anyway, and a page saved twice within a second is still seen."""

    def __init__(self, root: Path, terms: dict[str, str]):
        from lawguide.content.cache import code_version, read_keyed

        self.path = root / GLITCH_CACHE
        self.key = (code_version(), tuple(sorted(terms.items())))
        self.entries: dict[str, tuple[bytes, list[tuple[int, str, str]]]] = read_keyed(self.path, self.key)
        self.fresh: dict[str, tuple[bytes, list[tuple[int, str, str]]]] = {}
        self.misses = 0

    def glitches(self, markdown: str, path: str, terms: dict[str, str]) -> list[Problem]:
        import hashlib

        digest = hashlib.blake2b(markdown.encode("utf-8"), digest_size=16).digest()
        kept = self.entries.get(path)
        if kept is None or kept[0] != digest:
            self.misses += 1
            kept = (digest, [(p.line, p.message, p.hint) for p in glitches(markdown, path, terms)])
        self.fresh[path] = kept
        return [Problem(path, line, message, hint) for line, message, hint in kept[1]]

    def save(self) -> None:
        """Write the file when a page was checked afresh or is gone (nothing else can have changed)."""
        if self.misses or len(self.fresh) != len(self.entries):
            from lawguide.content.cache import write_keyed

            write_keyed(self.path, self.key, self.fresh)


def text_problems(site: Site, use_cache: bool = False) -> list[Problem]:
    """Text glitches on every guide page of the site. use_cache: reuse and keep each page's glitches in
    .cache/lawguide/ (`lawguide check`; never the build)."""
    from lawguide.render.page import running_text

    terms = {term.id: running_text(term.term) for term in site.glossary.terms.values()}
    cache = GlitchCache(site.settings.root, terms) if use_cache else None
    problems = []
    docs_dir = site.settings.docs_dir
    for page in site.pages.values():
        text, unreadable = read_text(docs_dir / page.path, page.display) if page.readable else (None, True)
        if unreadable:
            continue  # already a problem of the page itself (lawguide check reports it at its line)
        problems += cache.glitches(text, page.display, terms) if cache else glitches(text, page.display, terms)
    if cache:
        cache.save()
    return sorted(problems)
