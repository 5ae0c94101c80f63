"""`lawguide impact`: for a register id, every page and section citing it, with source lines.
Reads the same index as the build, so the answer matches the built site's law pages. Beyond
citations: lines naming the entry in words (its short name, a document's title, a case's name), and,
for a case that interprets other entries (`interprets:`, or a case-law change naming it), the
sections citing those entries, where the new authority may belong."""

from __future__ import annotations

import calendar
import datetime as dt
import os
import re
import time
from bisect import bisect_right
from dataclasses import dataclass
from itertools import accumulate
from pathlib import Path

from lawguide.content.markdown_scan import front_matter_close
from lawguide.content.site import Site
from lawguide.core.problems import suggest
from lawguide.lawchange.processes import process_sections, process_tags, processes


@dataclass(frozen=True)
class PageImpact:
    """One page citing a register id: the sections and lines citing it."""

    page: str  # path relative to docs/
    display: str  # docs/... as editors see it
    anchors: tuple[str, ...]  # ids of the H2/H3 sections citing it, in page order; top of page omitted
    lines: tuple[int, ...]
    cited_at_top: bool  # cited above the first H2/H3

    def as_dict(self) -> dict:
        return {"page": self.page, "anchors": list(self.anchors), "lines": list(self.lines)}


def unknown_ids(site: Site, ids: list[str]) -> list[str]:
    """A message for each id that is not in the register, with a suggestion when one is close."""
    out = []
    for ref_id in ids:
        if ref_id not in site.register:
            hint = suggest(ref_id, site.register.refs)
            out.append(f"unknown law reference '{ref_id}'" + (f" ({hint})" if hint else " (see law_refs/*.yml)"))
    return out


def impact(site: Site, ref_id: str) -> list[PageImpact]:
    out = []
    for page_path, cites in site.pages_citing(ref_id).items():
        anchors: list[str] = []
        for cite in cites:
            if cite.anchor and cite.anchor not in anchors:
                anchors.append(cite.anchor)
        lines = tuple(sorted({c.line for c in cites}))
        out.append(PageImpact(page_path, site.citing_pages[page_path].display, tuple(anchors), lines,
                              any(not c.anchor for c in cites)))
    return sorted(out, key=lambda p: p.page)


def impact_json(site: Site, ids: list[str]) -> dict[str, list[dict]]:
    return {ref_id: [p.as_dict() for p in impact(site, ref_id)] for ref_id in ids}


def impact_text(site: Site, ids: list[str]) -> str:
    out = []
    for ref_id in ids:
        ref = site.register[ref_id]
        pages = impact(site, ref_id)
        citing = site.pages_citing(ref_id)  # once: it walks every citation of ref_id
        count = sum(len(p.lines) for p in pages)
        out.append(f"{ref_id} ({ref.cite}): cited on {len(pages)} page{'s' if len(pages) != 1 else ''}, "
                   f"{count} line{'s' if count != 1 else ''}")
        for item in pages:
            page = site.citing_pages[item.page]
            out.append(f"  {item.display}  ({page.title})")
            by_anchor: dict[str, list[int]] = {}
            for cite in citing[item.page]:
                by_anchor.setdefault(cite.anchor, [])
                if cite.line not in by_anchor[cite.anchor]:
                    by_anchor[cite.anchor].append(cite.line)
            for anchor, lines in by_anchor.items():
                heading = page.heading(anchor) if anchor else None
                top = "top of page" if item.page in site.pages else f"route-finder outcome '{page.path}'"
                where = f"#{anchor} ({heading.text})" if heading else (f"#{anchor}" if anchor else top)
                out.append(f"    {where}: line{'s' if len(lines) != 1 else ''} {', '.join(map(str, lines))}")
        if not pages:
            out.append("  no page cites it")
        out += more_text(site, ref_id)
        out += dated_claims_text(site, ref_id)
    return "\n".join(out)


# --- `lawguide impact ID --sentences`: each claim beside the provision, for a citation audit ---------------

# A sentence ends at . ? or ! followed by a space (or the line's end); "e.g. x" is rare in the guide's
# plain English and costs only a shorter claim, never a wrong one.
_SENTENCE_END = (". ", "? ", "! ", "\u06d4 ", "\u061f ")  # and Urdu's full stop, Arabic's question mark
_LIST_ITEM_PREFIXES = ("- ", "* ", "+ ")
# A sentence opening with one of these leans on the one before; the audit shows both.
_REFERS_BACK = frozenset({"It", "This", "That", "These", "Those", "They", "So", "But", "Also", "Then"})
_MAX_LIST_LINES = 8  # "... apply [[id]]:" is followed by the list it introduces; show that much of it


@dataclass(frozen=True)
class CitingSentence:
    """One place a register id is cited, with the sentence that cites it (in plain words)."""

    display: str  # docs/... as editors see it
    line: int
    anchor: str  # '' at the top of the page
    sentence: str

    def as_dict(self) -> dict:
        return {"line": self.line, "anchor": self.anchor, "sentence": self.sentence}


def citing_sentences(site: Site, ref_id: str) -> dict[str, list[CitingSentence]]:
    """For each page citing ref_id (path relative to docs/), each citing line's sentence, in line order.
    The page files are read again here: the index keeps lines, not text, and only this question needs it."""
    out: dict[str, list[CitingSentence]] = {}
    for page_path, cites in sorted(site.pages_citing(ref_id).items()):
        page = site.citing_pages[page_path]
        lines = (_page_lines(site.settings.docs_dir / page_path) if page_path in site.pages
                 else _outcome_lines(site, page))
        found: list[CitingSentence] = []
        seen: set[tuple[int, str]] = set()
        for cite in sorted(cites, key=lambda c: c.line):
            for sentence in sentences_citing(lines, cite.line, ref_id):
                if (cite.line, sentence) not in seen:
                    seen.add((cite.line, sentence))
                    found.append(CitingSentence(page.display, cite.line, cite.anchor, sentence))
        out[page_path] = found
    return out


def _outcome_lines(site: Site, page) -> list[str]:
    """A route-finder outcome's flow file, with each citing line standing for the whole body: a folded
    YAML body splits its sentences across lines, and the claim is the sentence."""
    lines = _page_lines(site.settings.root / page.display)
    body = next((" ".join(o.body.split()) for flow in site.flows.values() for o in flow.outcomes.values()
                 if o.page.path == page.path), "")
    for cite in page.citations:
        if body and 0 < cite.line <= len(lines):
            lines[cite.line - 1] = body
    return lines


def _page_lines(path) -> list[str]:
    """A source file's lines as the loader read them (core.yamlsrc: regular files only, so a named pipe
    cannot hang the command); none when it cannot be read (deleted since the index was made, say):
    each citation then says so rather than crash."""
    from lawguide.core.yamlsrc import read_text

    text, _ = read_text(path, str(path))
    return text.split("\n") if text is not None else []


def sentences_citing(lines: list[str], line: int, ref_id: str) -> list[str]:
    """Every sentence on source line `line` (1-based) that cites ref_id, with its citations in plain words.
    A sentence ending in ':' brings the list it introduces, so "The people who can ... are [[id]]:" is read
    with its list, as the reader reads it."""
    if not 1 <= line <= len(lines):
        return ["(the line is no longer in the file: run `lawguide impact` again)"]
    text = _strip_block_marker(lines[line - 1])
    out = []
    for start, end in _citation_spans(text, ref_id):
        begin, sentence = _sentence_around(text, start, end)
        if sentence.split(" ", 1)[0].strip(",") in _REFERS_BACK and begin > 0:
            # "It does not mention a diagnosis [[id]]." means nothing alone: show what "It" is
            _, before = _sentence_around(text, begin - 2, begin - 2)
            sentence = f"({before}) {sentence}"
        if sentence.endswith(":"):
            sentence += _following_list(lines, line)
        out.append(plain_citations(sentence, ref_id))
    return out or [plain_citations(text.strip(), ref_id)]


def _strip_block_marker(text: str) -> str:
    """The line without its indentation, list number or bullet, or quote marker: those are not the claim."""
    stripped = text.strip()
    for prefix in _LIST_ITEM_PREFIXES + ("> ",):
        if stripped.startswith(prefix):
            return stripped[len(prefix):]
    number, dot, rest = stripped.partition(". ")
    return rest if dot and number.isdigit() else stripped


def _citation_spans(text: str, ref_id: str) -> list[tuple[int, int]]:
    from lawguide.content.markdown_scan import CITATION_RE

    return [m.span() for m in CITATION_RE.finditer(text) if m.group(1).strip() == ref_id]


def _sentence_around(text: str, start: int, end: int) -> tuple[int, str]:
    """Where the sentence holding text[start:end] begins, and the sentence. A citation sits just before
    its full stop ("... [[id]]."), so the sentence runs to the first sentence end at or after the citation."""
    begin = max((text.rfind(mark, 0, start) for mark in _SENTENCE_END), default=-1)
    begin = 0 if begin < 0 else begin + 2
    ends = [i for i in (text.find(mark, end) for mark in _SENTENCE_END) if i >= 0]
    stop = min(ends) + 1 if ends else len(text)
    return begin, text[begin:stop].strip()


def _following_list(lines: list[str], line: int) -> str:
    items = []
    for text in lines[line:]:
        stripped = text.strip()
        if not stripped and not items:
            continue  # the blank line between a sentence and its list
        number, dot, _ = stripped.partition(". ")
        if not (stripped.startswith(_LIST_ITEM_PREFIXES) or (dot and number.isdigit())):
            break
        items.append(_strip_block_marker(stripped))
        if len(items) == _MAX_LIST_LINES:
            items.append("...")
            break
    return "".join(f" / {item}" for item in items)


def plain_citations(text: str, ref_id: str) -> str:
    """Citations as a reader sees them: glossary links and own-words links become their words; the audited
    citation is marked [[ref_id]] where it stands; any other citation becomes [other-id], so the reviewer can
    see which words rest on which reference."""
    from lawguide.content.markdown_scan import CITATION_RE

    def one(m) -> str:
        target, words = m.group(1).strip(), (m.group(2) or "").strip()
        if target.startswith("glossary:"):
            return words or target.removeprefix("glossary:").replace("-", " ")
        if target == ref_id:
            return f"{words} [[{ref_id}]]" if words else f"[[{ref_id}]]"
        return f"{words} [{target}]" if words else f"[{target}]"

    return CITATION_RE.sub(one, text)


def sentences_json(site: Site, ids: list[str]) -> dict[str, dict]:
    return {ref_id: {"cite": site.register[ref_id].cite, "summary": site.register[ref_id].summary,
                     "pages": {path: [s.as_dict() for s in found]
                               for path, found in citing_sentences(site, ref_id).items()},
                     "dated_claims": [c.as_dict() for c in dated_claims(site, ref_id)]}
            for ref_id in ids}


def sentences_text(site: Site, ids: list[str]) -> str:
    """Claim beside provision: the entry's cite and summary once, then every sentence that cites it, each
    with its `path:line` so the reviewer can fix it where it stands."""
    out = []
    for ref_id in ids:
        ref = site.register[ref_id]
        found = citing_sentences(site, ref_id)
        count = sum(len(v) for v in found.values())
        out.append(f"{ref_id}: {ref.cite}")
        out.append(f"  provision says: {' '.join(ref.summary.split())}")
        out.append(f"  {count} citing sentence{'s' if count != 1 else ''} on {len(found)} "
                   f"page{'s' if len(found) != 1 else ''}; for each, does the provision itself say it?")
        for sentences in found.values():
            for s in sentences:
                where = f"#{s.anchor}" if s.anchor else "top of page"
                out.append(f"  {s.display}:{s.line} ({where})")
                out.append(f"    claim: {s.sentence}")
        if not found:
            out.append("  no page cites it")
        out += dated_claims_text(site, ref_id)
        out.append("")
    return "\n".join(out).rstrip("\n")
# --- beyond citations: prose naming an instrument, and where a new authority belongs ----------

_CITATION = re.compile(r"\[\[[^\]]*\]\]")
_PROVISION_LIKE = re.compile(r"^(?:s|ss|reg|regs|r|rr|art|arts|sch|para|paras)\.?\s?\d", re.IGNORECASE)


@dataclass(frozen=True)
class Mention:
    """A line naming a register entry in words, without citing it."""

    page: str
    display: str
    line: int
    anchor: str  # the H2/H3 section it sits under, '' above the first
    name: str  # the words that matched

    def as_dict(self) -> dict:
        return {"page": self.page, "line": self.line, "anchor": self.anchor, "name": self.name}


def names_for(site: Site, ref_id: str) -> list[str]:
    """Words that name the entry itself in prose: its own short name ("Working Together 2026"), a
    document's title or instrument ("Working Together to Safeguard Children 2026"), a case's name
    (its cite before the neutral citation). An Act's or regulations' instrument is left out: "the
    Children Act 1989" names every section of it, so it would flag every page."""
    ref = site.register[ref_id]
    names = []
    if ref.short and not _PROVISION_LIKE.match(ref.short):
        names.append(ref.short)
    if ref.type not in ("act", "regulations"):
        names += [ref.title, ref.instrument]
    if ref.type == "case":
        names.append(re.split(r"\s[\[(]\d{4}", ref.cite)[0])
    return [n for n in dict.fromkeys(n.strip() for n in names) if len(n) >= 8]


def prose_mentions(site: Site, ref_id: str) -> list[Mention]:
    """Lines that name the entry in words without citing it there (outside code and citations)."""
    from lawguide.content.markdown_scan import code_mask

    names = names_for(site, ref_id)
    if not names:
        return []
    pattern = re.compile("|".join(re.escape(n) for n in sorted(names, key=len, reverse=True)), re.IGNORECASE)
    cited_lines = {(c.page, c.line) for c in site.citations_by_ref.get(ref_id, [])}
    out = []
    for page in site.pages.values():
        lines = _page_lines(site.settings.docs_dir / page.path) if page.readable else []
        sections = [(h.line, h.id) for h in page.headings if h.level in (2, 3)]
        start = _body_start(lines)  # front matter: its change notes are history, its summary is the page's own
        for number, (line, is_code) in enumerate(zip(lines, code_mask(lines), strict=True), start=1):
            if number <= start or is_code or (page.path, number) in cited_lines:
                continue
            match = pattern.search(_CITATION.sub(" ", re.sub(r"`[^`]*`", " ", line)))
            if match:
                anchor = next((i for at, i in reversed(sections) if at <= number), "")
                out.append(Mention(page.path, page.display, number, anchor, match.group(0)))
    return out


def proposed_sections(site: Site, ref_id: str) -> list[tuple[str, str, tuple[str, ...]]]:
    """For an authority (a case) that interprets other entries: the sections citing what it
    interprets that do not cite it yet, as (page, anchor, the interpreted ids cited there)."""
    ref = site.register[ref_id]
    interprets = list(ref.interprets)
    interprets += [other.id for other in site.register.refs.values()
                   if any(c.case == ref_id for c in other.changes) and other.id not in interprets]
    already = {(c.page, c.anchor) for c in site.citations_by_ref.get(ref_id, [])}
    found: dict[tuple[str, str], list[str]] = {}
    for other in interprets:
        for cite in site.citations_by_ref.get(other, []):
            key = (cite.page, cite.anchor)
            if key not in already and other not in found.setdefault(key, []):
                found[key].append(other)
    return [(page, anchor, tuple(ids)) for (page, anchor), ids in sorted(found.items())]


def reread_for(site: Site, page_path: str, ref_id: str) -> dt.date | None:
    """The entry's newest change, when the page records (`reviewed_for:`) that it was re-read for it."""
    ref, page = site.register.refs.get(ref_id), site.pages.get(page_path)
    newest = next((c.date for c in ref.changes if c.kind != "link-moved"), None) if ref else None
    if page is None or newest is None:
        return None
    return newest if any(r.id == ref_id and r.change == newest for r in page.reviewed_for) else None


def more_text(site: Site, ref_id: str) -> list[str]:
    """impact_text's lines about prose, tagged and proposed sections for one id. A page recorded as re-read
    for the entry's newest change (`reviewed_for:`) is named once instead, as done."""
    out = []
    done = {p: d for p in related_pages(site, ref_id) if (d := reread_for(site, p, ref_id))}
    if done:
        out.append("  re-read for its newest change (reviewed_for), so left out below:")
        out += [f"    {site.pages[p].display}  (change of {d.isoformat()})" for p, d in sorted(done.items())]
    mentions = [m for m in prose_mentions(site, ref_id) if m.page not in done]
    if mentions:
        out.append(f"  named in prose without a citation ({len(mentions)} line{'s' if len(mentions) != 1 else ''}):")
        out += [f"    {m.display}:{m.line}" + (f"  #{m.anchor}" if m.anchor else "") + f"  \"{m.name}\"" for m in mentions]
    tagged = [t for t in process_sections(site, ref_id) if t[0] not in done]
    if tagged:
        out.append("  sections describing a process it governs (law_refs/processes.yml), whatever they cite:")
        for page, anchor, pid in tagged:
            heading = site.pages[page].heading(anchor)
            out.append(f"    {site.pages[page].display}  #{anchor}" + (f" ({heading.text})" if heading else "")
                       + f"  [{pid}]")
    proposals = proposed_sections(site, ref_id)
    if proposals:
        out.append("  may belong in these sections (they cite what it interprets):")
        for page, anchor, ids in proposals:
            out.append(f"    {site.pages[page].display}  {'#' + anchor if anchor else 'top of page'}  (cites {', '.join(ids)})")
    return out


# --- dated claims: sentences about the state of things that go stale when the law moves --------------

_MONTHS = "January|February|March|April|May|June|July|August|September|October|November|December"
_DATE = rf"(?:(\d{{1,2}})\s+)?({_MONTHS})\s+(\d{{4}})"
# "as of December 2026", "at the time of writing", "since 1 September 2026", "from April 2027", "currently":
# each is true on the day it was written, and only then.
_DATED_CLAIM = rf"\bas (?:of|at) {_DATE}\b|\bat the time of writing\b|\bsince {_DATE}\b|\bfrom {_DATE}\b|\bcurrently\b"
# "has not yet", "has not started yet", "we do not know yet", "nothing has changed yet", "no government
# response to the Law Commission yet": a negative and, within a few words, "yet". Not after "if" or "when":
# "If you have not asked yet" is about the reader, not the law (_conditional).
_NOT_YET = r"\b(?:not|no|nothing|cannot|none)(?:\s+[\w'’-]+){0,6}?\s+yet\b"
_CONDITIONAL = r"\b(?:if|unless|when|whether)\b"
_DIGIT = r"[0-9\u0660-\u0669\u06f0-\u06f9]"  # Western, Arabic-Indic and Urdu (extended) digits


@dataclass(frozen=True)
class ClaimWords:
    """How one language says a dated claim (the guide's translations): the phrases that date a sentence,
    a negative with "yet", and the words that make a sentence conditional. Only English "as of" is given
    a date (review lists the stale ones); a translation's sentence is the English one's, which is."""

    dated: re.Pattern
    not_yet: re.Pattern
    conditional: re.Pattern
    # What every match of `dated` or `not_yet` holds: one of `words`, or one of `months` with a four-digit
    # year (`year`) on its line. A line with neither holds no claim, so the costly patterns skip it
    # (_candidate_lines). Each is one run of letters, kept whole when code spans, markers and table pipes
    # are taken out of the line, so it is found in the line as written.
    words: tuple[str, ...]
    months: tuple[str, ...]
    year: re.Pattern

    @property
    def folds(self) -> bool:
        """The patterns ignore case, so the words are looked for in the lower-cased line."""
        return bool(self.dated.flags & self.not_yet.flags & re.IGNORECASE)


_PL_MONTHS = "stycznia|lutego|marca|kwietnia|maja|czerwca|lipca|sierpnia|września|października|listopada|grudnia"
_AR_MONTHS = "يناير|فبراير|مارس|أبريل|إبريل|مايو|يونيو|يوليو|أغسطس|سبتمبر|أكتوبر|نوفمبر|ديسمبر"
_RO_MONTHS = "ianuarie|februarie|martie|aprilie|mai|iunie|iulie|august|septembrie|octombrie|noiembrie|decembrie"
_UR_MONTHS = "جنوری|فروری|مارچ|اپریل|مئی|جون|جولائی|اگست|ستمبر|اکتوبر|نومبر|دسمبر"


def _day_month_year(months: str) -> str:
    return rf"(?:{_DIGIT}{{1,2}}\s+)?(?:{months})\s+{_DIGIT}{{4}}"


def _names(words: str, folds: bool) -> tuple[str, ...]:
    return tuple(w.lower() if folds else w for w in words.split("|"))


# The languages with words for dated claims; the patterns themselves are compiled when a page is first
# scanned (_claim_words_table): a warm command reuses the claims kept and compiles none.
_LANGUAGES = ("en", "pl", "ar", "ro", "ur")
_TABLE: dict[str, ClaimWords] = {}


def _claim_words_table() -> dict[str, ClaimWords]:
    if not _TABLE:
        year = re.compile(rf"{_DIGIT}{{4}}")
        _TABLE.update({
            "en": ClaimWords(re.compile(_DATED_CLAIM, re.IGNORECASE), re.compile(_NOT_YET, re.IGNORECASE),
                             re.compile(_CONDITIONAL, re.IGNORECASE), _names("writing|currently|yet", True),
                             _names(_MONTHS, True), re.compile(r"\d{4}")),
            # "od 1 września 2026", "stan na 1 grudnia 2026", "obecnie"; "jeszcze nie weszła w życie"
            "pl": ClaimWords(re.compile(rf"\b(?:od|stan na|stanu na)\s+{_day_month_year(_PL_MONTHS)}|\b(?:obecnie|"
                                        r"aktualnie|w chwili pisania)\b", re.IGNORECASE),
                             re.compile(r"\bjeszcze\s+nie\b|\bnie(?:\s+\w+){0,4}?\s+jeszcze\b", re.IGNORECASE),
                             re.compile(r"\b(?:jeśli|jeżeli|gdy|kiedy|czy)\b", re.IGNORECASE),
                             _names("obecnie|aktualnie|pisania|jeszcze", True), _names(_PL_MONTHS, True), year),
            # "من 1 سبتمبر 2026", "منذ", "اعتبارًا من", "حاليًا", "وقت كتابة"; "لم يبدأ العمل به بعد"
            "ar": ClaimWords(re.compile(rf"(?:اعتبار[اًا]*\s+من|ابتداء[ًا]*\s+من|منذ|من)\s+{_day_month_year(_AR_MONTHS)}"
                                        r"|حالي[ًا]+|في الوقت الحالي|وقت كتابة"),
                             re.compile(r"(?<!\w)(?:لم|لا|لن)(?:\s+\S+){0,6}?\s+بعد(?=\s*(?:[.،؛!?؟]|\[\[|$))"),
                             re.compile(r"(?<!\w)(?:إذا|إن|عندما|لو)(?!\w)"),
                             _names("حالي|كتابة|بعد", False), _names(_AR_MONTHS, False), year),
            # "de la 1 septembrie 2026", "din 1 septembrie 2026", "începând cu", "în prezent"; "nu a intrat încă"
            "ro": ClaimWords(re.compile(rf"\b(?:de la|din|începând cu)\s+{_day_month_year(_RO_MONTHS)}|\b(?:în prezent|"
                                        r"momentan)\b", re.IGNORECASE),
                             re.compile(r"\bnu(?:\s+\w+){0,3}?\s+încă\b|\bîncă\s+nu\b", re.IGNORECASE),
                             re.compile(r"\b(?:dacă|când)\b", re.IGNORECASE),
                             _names("prezent|momentan|încă", True), _names(_RO_MONTHS, True), year),
            # "1 ستمبر 2026 سے" (from), "فی الحال" (currently); "ابھی شروع نہیں ہوا", "ابھی تک" (not yet)
            "ur": ClaimWords(re.compile(rf"{_day_month_year(_UR_MONTHS)}\s+سے|فی الحال"),
                             re.compile(r"ابھی(?:\s+\S+){0,3}?\s+نہیں|ابھی تک"),
                             re.compile(r"(?<!\w)(?:اگر|جب)(?!\w)"),
                             _names("الحال|ابھی", False), _names(_UR_MONTHS, False), year),
        })
    return _TABLE


def __getattr__(name: str) -> object:
    """The compiled tables under their old names (tests, other rooms), compiled on first use."""
    if name == "_CLAIM_WORDS":
        return _claim_words_table()
    if name in ("DATED_CLAIM_RE", "NOT_YET_RE", "_CONDITIONAL_RE"):
        english = _claim_words_table()["en"]
        return {"DATED_CLAIM_RE": english.dated, "NOT_YET_RE": english.not_yet, "_CONDITIONAL_RE": english.conditional}[name]
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


@dataclass(frozen=True)
class DatedClaim:
    """A sentence that says how things stand on a date (said or implied)."""

    page: str  # path relative to docs/
    display: str
    line: int
    anchor: str  # the H2/H3 section it sits under, '' above the first
    phrase: str  # the words that date it, as written
    sentence: str  # in plain words (citations as [id])
    as_of: dt.date | None  # for "as of MONTH YEAR" / "as of D MONTH YEAR": the last day it can mean

    def as_dict(self) -> dict:
        return {"page": self.page, "line": self.line, "anchor": self.anchor, "phrase": self.phrase,
                "sentence": self.sentence, "as_of": self.as_of.isoformat() if self.as_of else None}


def _as_of(match: re.Match) -> dt.date | None:
    """The date an "as of" claim speaks for: the day given, or the month's last day (the claim may
    mean any day of it). None for any other kind of dated claim, or a day the calendar lacks."""
    if match.re is not _claim_words_table()["en"].dated or not match.group(0).lower().startswith("as "):
        return None
    day, month, year = match.group(1), match.group(2), match.group(3)
    number = [m.lower() for m in _MONTHS.split("|")].index(month.lower()) + 1
    try:
        last = calendar.monthrange(int(year), number)[1]
        return dt.date(int(year), number, int(day) if day else last)
    except ValueError:
        return None


def _claim_words(site: Site, page_path: str) -> ClaimWords:
    """The page's language's words (a translation's `language:`); English for any other page, and for a
    language the guide has no words for (README lists those as not searched)."""
    return _claim_words_table()[_language(site, page_path)]


def _language(site: Site, page_path: str) -> str:
    from lawguide.content.translations import site_versions

    version = site_versions(site).by_path.get(page_path)
    language = version.language.split("-")[0] if version else "en"
    return language if language in _LANGUAGES else "en"


def _conditional(words: ClaimWords, lines: list[str], number: int, before: str) -> bool:
    """The sentence up to the claim says "if" or "when", or the line is an item of a list introduced by
    "... if:" ("Use this letter if: - the council has not yet replied"): the reader's case, not the law's."""
    if words.conditional.search(before):
        return True
    if not lines[number - 1].lstrip().startswith(_LIST_ITEM_PREFIXES):
        return False
    for text in reversed(lines[:number - 1]):
        stripped = text.strip()
        if stripped and not stripped.startswith(_LIST_ITEM_PREFIXES):
            return stripped.endswith(":") and bool(words.conditional.search(stripped.rsplit(" ", 1)[-1]))
    return False


def _body_start(lines: list[str]) -> int:
    """The index of the first line after the front matter (its change notes are history, not claims)."""
    close = front_matter_close(lines)
    return 0 if close is None else close + 1


# Site.memo key of a page's dated claims, with its path: they depend on that page's file alone (and its
# language), so the live preview hands them to the next save's site (render.rerender.reuse_facts).
DATED_CLAIMS_MEMO = "dated_claims"


def page_dated_claims(site: Site, page_path: str) -> list[DatedClaim]:
    """Every dated claim on a guide page, outside its front matter and code, in line order."""
    from lawguide.content.markdown_scan import code_mask

    page = site.pages.get(page_path)
    if page is None or not page.readable:
        return []
    store = site.memo.get(_KEPT)
    if store is None:
        return list(site.remember((DATED_CLAIMS_MEMO, page_path), lambda: _page_dated_claims(site, page, code_mask)))
    return list(site.remember((DATED_CLAIMS_MEMO, page_path),
                              lambda: store.claims(site, page, lambda: _page_dated_claims(site, page, code_mask))))


# --- dated claims kept between commands, as the page cache keeps parsed pages ---------------------------

_KEPT = "dated_claims_kept"
KEPT_FILE = Path(".cache") / "lawguide" / "dated_claims.pickle"


class KeptClaims:
    """Each page's dated claims from earlier commands (`lawguide impact`, `lawguide review`), reused while
    the page file's size and modification time, everything the scan reads from the parsed page, its
    language and the package's code are all unchanged; anything else is scanned afresh. Like
    content.cache, a file touched in the last two seconds is not kept (it may change again unseen)."""

    def __init__(self, root: Path):
        from lawguide.content.cache import code_version, read_keyed

        self.path = root / KEPT_FILE
        self.key = code_version()
        # page -> (stamp, its claims, the kept guide's mark they were worked out from, or None)
        self.entries: dict[str, tuple[tuple, list[DatedClaim], object]] = read_keyed(self.path, self.key)
        self.changed = False

    def claims(self, site: Site, page, scan) -> list[DatedClaim]:
        from lawguide.content.cache import KEPT_TOKEN, RACY_NS

        kept = self.entries.get(page.path)
        # Worked out from this very kept guide (content.cache marks each one it keeps): its page file has not
        # changed since (the guide would not have been used), nor has anything else the scan reads.
        token = site.memo.get(KEPT_TOKEN)
        if kept and token is not None and kept[2] == token:
            return kept[1]
        try:
            stat = os.stat(os.path.join(site.settings.docs_dir, page.path))
        except OSError:
            return scan()
        stamp = (stat.st_mtime_ns, stat.st_size, _language(site, page.path), page.display, page.summary,
                 page.meta_lines.get("summary"), tuple((h.line, h.id) for h in page.headings if h.level in (2, 3)))
        if kept and kept[0] == stamp:
            if token is not None:  # known good for this kept guide from now on: no stat next time
                self.entries[page.path] = (stamp, kept[1], token)
                self.changed = True
            return kept[1]
        found = scan()
        if time.time_ns() - stat.st_mtime_ns > RACY_NS:
            self.entries[page.path] = (stamp, found, token)
            self.changed = True
        return found

    def save(self, pages) -> None:
        """Write the kept claims when some were added, without those of pages the guide no longer has."""
        if not self.changed:
            return
        self.entries = {path: kept for path, kept in self.entries.items() if path in pages}
        from lawguide.content.cache import write_keyed

        if write_keyed(self.path, self.key, self.entries):
            self.changed = False


def prepare_for_questions(site: Site) -> None:
    """What every `lawguide impact` and `lawguide review` asks of a load, worked out before the loaded guide is
    kept (content.cache.load_site_cached): the citation indexes, the processes file, sources.lock and the hash
    of each English page a translation is made from (lawchange.review.prepare_for_editors adds its own). All
    depend on the guide's sources (and sources.lock, which content.cache watches) alone; nothing here depends
    on the day or the command."""
    for page in site.citing_pages.values():
        page.law_citations  # noqa: B018 (a cached property: worked out now, kept with the page)
    site.pages_citing("")  # the site's index of every id's citations by page (and citations_by_ref), once
    processes(site)  # reads the processes file (lawchange.processes)
    process_tags(site)
    from lawguide.content.translations import site_versions
    from lawguide.lawchange.sources_lock import LOCK_MEMO, read_lock

    site.memo[LOCK_MEMO] = read_lock(site.settings.root)  # `review` lists entries whose source changed
    versions = site_versions(site)
    for version in versions.by_path.values():  # each English page's hash: `review` lists stale translations
        versions.current_hash(version.of)


def keep_dated_claims(site: Site) -> None:
    """For the editors' commands (never the build): reuse and keep dated claims in .cache/lawguide/."""
    site.memo[_KEPT] = KeptClaims(site.settings.root)


def save_kept_claims(site: Site) -> None:
    store = site.memo.get(_KEPT)
    if store is not None:
        store.save(site.pages)


def _page_dated_claims(site: Site, page, code_mask) -> list[DatedClaim]:
    lines = _page_lines(site.settings.docs_dir / page.path)
    start = _body_start(lines)
    sections = [(h.line, h.id) for h in page.headings if h.level in (2, 3)]
    words = _claim_words(site, page.path)
    mask = code_mask(lines)
    out = []
    for number in _candidate_lines(words, lines, page.meta_lines.get("summary")):
        line, is_code = lines[number - 1], mask[number - 1]
        if number == page.meta_lines.get("summary") and number <= start:
            line = " ".join(page.summary.split())  # shown to readers under the title: a claim like the body's
        elif number <= start or is_code or line.lstrip().startswith("#"):
            continue
        text = _claim_text(re.sub(r"`[^`]*`", " ", line))
        matches = [*words.dated.finditer(text)]
        for match in words.not_yet.finditer(text):
            begin, _ = _sentence_around(text, match.start(), match.end())
            if not _conditional(words, lines, number, text[begin:match.start()]):
                matches.append(match)
        for match in sorted(matches, key=lambda m: m.start()):
            _, sentence = _sentence_around(text, match.start(), match.end())
            anchor = next((i for at, i in reversed(sections) if at <= number), "")
            out.append(DatedClaim(page.path, page.display, number, anchor, match.group(0),
                                  plain_citations(sentence, ""), _as_of(match)))
    return out


# Letters a case-blind pattern matches that lower() does not turn into the letter the words hold
# ("ſ" is an "s", "ı" and "İ" an "i"): a page holding one is read line by line, as it always was.
_FOLD_ODD = ("\u0130", "\u0131", "\u017f")


def _candidate_lines(words: ClaimWords, lines: list[str], summary: int | None) -> list[int]:
    """The numbers (1-based, in order) of the lines that may hold a claim: those with one of the words,
    or a month and a four-digit year; and the summary's line (its claim is read from the front matter).
    The page is searched as one text, so a page with no such word costs a few scans, not a loop."""
    text = "\n".join(lines)
    low = text.lower() if words.folds else text
    if len(low) != len(text) or (words.folds and any(odd in text for odd in _FOLD_ODD)):
        return list(range(1, len(lines) + 1))
    ends = list(accumulate(len(line) + 1 for line in lines))  # each line's end, "\n" included
    found = set() if summary is None or not 1 <= summary <= len(lines) else {summary}
    for name in words.words + words.months:
        at = low.find(name)
        while at >= 0:
            number = bisect_right(ends, at) + 1
            if name in words.words or words.year.search(lines[number - 1]):
                found.add(number)
            at = low.find(name, ends[number - 1])  # on to the next line: this one is decided
    return sorted(found)


def _claim_text(line: str) -> str:
    """The line's words: without nested quote markers and bullets ("> > - ") or a table row's outer
    pipes, so the sentence an editor reads is the one a reader reads."""
    text = line.strip()
    while True:
        stripped = _strip_block_marker(text)
        if stripped == text:
            break
        text = stripped
    if text.startswith("|") and text.endswith("|"):
        text = " | ".join(cell.strip() for cell in text.strip("|").split("|"))
    return text


def related_pages(site: Site, ref_id: str) -> list[str]:
    """The guide pages that cite the entry, name it in prose, or hold a section tagged with a process it
    governs: where a change to it may leave a sentence out of date."""
    found = {p for p in site.pages_citing(ref_id) if p in site.pages}
    found |= {m.page for m in prose_mentions(site, ref_id)}
    found |= {page for page, _, _ in process_sections(site, ref_id)}
    return sorted(found)


def dated_claims(site: Site, ref_id: str) -> list[DatedClaim]:
    """Dated claims on every page citing, naming or describing the entry: re-read them when it changes
    (except on a page recorded as re-read for its newest change)."""
    found = [claim for page in related_pages(site, ref_id) if not reread_for(site, page, ref_id)
             for claim in page_dated_claims(site, page)]
    save_kept_claims(site)
    return found


def dated_claims_text(site: Site, ref_id: str) -> list[str]:
    claims = dated_claims(site, ref_id)
    if not claims:
        return []
    out = [f"  dated claims on those pages, to re-read ({len(claims)} sentence{'s' if len(claims) != 1 else ''}):"]
    for claim in claims:
        where = f"#{claim.anchor}" if claim.anchor else "top of page"
        out.append(f"    {claim.display}:{claim.line}  {where}  \"{claim.phrase}\": {claim.sentence}")
    return out

