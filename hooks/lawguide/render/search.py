"""Search that finds parents' pages: a post-processing step for the built search index.

Engine neutral: it reads and writes the index as data (Material's search/search_index.json: a
`docs` list of {location, title, text, boost?}), so any adapter can call it after the build.

- Guide pages rank before the law pages and the glossary: guide pages are boosted, law pages and
  glossary entries lowered.
- Everyday words reach the right pages: glossary/search-synonyms.yml lists, for a guide page, the
  words parents type for what it covers ("respite" for short breaks, "PA" for direct payments).
  They are added to the page's own entry, shown in the result as "Also searched as: ...".
- One index per language: after the build the index is split by the language of each page
  (search_index.json keeps English and Easy Read; search_index.pl.json each translated language), so
  a reader on a Polish page fetches and builds only the Polish pages (lawguide-search.js), with
  English results below when Polish finds few.
- A result shows the words that answer, not page furniture: the page-end sections' fold summaries
  ("Show the words explained (11)", "Page history", in any language) are left out of an entry's text,
  each word explained is a block of its own (a result shows the one that matches), and a table's
  cells are kept apart (" · ", a row a block) in the text search reads.
"""

from __future__ import annotations

import json
import math
import os
import re
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from html import escape
from pathlib import Path

from lawguide.content.glossary import SYNONYMS_FILE  # noqa: F401 (in the glossary folder; imported from here)
from lawguide.content.urls import CHANGES_PAGE, GLOSSARY_PAGE, LAW_DIR, page_url
from lawguide.core.problems import Problem
from lawguide.core.yamlsrc import load_yaml_file
from lawguide.render.page import LEGAL_BASIS_ID, WORDS_ID

# The theme's script that holds Material's search worker and index until the reader starts a search,
# retries a search that finds nothing and puts headings that match first (mkdocs.yml extra.polyfills).
ON_DEMAND_SCRIPT = "assets/javascripts/lawguide-search.js"
GUIDE_BOOST, GUIDE_SECTION_BOOST, LAW_BOOST, GLOSSARY_BOOST = 5.0, 3.0, 0.1, 0.1
# One index serves every language: a translated or Easy Read page shares the English page's names of
# Acts, bodies and ideas ("Family Help"), so for English words it ranks below the full English page; in
# its own language only it has the words, and it is found.
VERSION_BOOST = 1.0
# Material weighs a word in a title 1,000 times a word in the text, so a law page whose title holds
# one word of the query beats the guide page about it. A title still counts, but less.
TITLE_BOOST = 20.0


@dataclass(frozen=True)
class Synonyms:
    page: str  # docs-relative Markdown path
    words: tuple[str, ...]


def load_synonyms(path: Path, known_pages: set[str]) -> tuple[list[Synonyms], list[Problem]]:
    """Read glossary/search-synonyms.yml: `synonyms:` a list of {page: short-breaks.md, words: [...]}.
    Read as every source is (core.yamlsrc): a regular file only, syntax errors where the quote or bracket opens."""
    if not os.path.lexists(path):
        return [], []
    display = path.name
    root, problems = load_yaml_file(path, display)
    if root is None and problems:
        return [], problems
    entries = root.get("synonyms") if root else None
    if entries is None or not isinstance(entries.value, list):
        return [], problems + [Problem(display, entries.line if entries else 1,
                                       "expected `synonyms:` with a list of {page, words}", "see the file's header")]
    found = []
    for number, item in enumerate(entries.value, 1):
        entry = item.plain()
        page = entry.get("page") if isinstance(entry, dict) else None
        words = entry.get("words") if isinstance(entry, dict) else None
        if not isinstance(page, str) or not isinstance(words, list) or not all(isinstance(w, str) for w in words):
            problems.append(Problem(display, item.line, f"entry {number}: needs `page:` and a list of `words:`",
                                    "e.g. {page: short-breaks.md, words: [respite]}"))
        elif page not in known_pages:
            problems.append(Problem(display, item.line, f"entry {number}: no guide page {page!r}",
                                    "use a path relative to docs/"))
        else:
            found.append(Synonyms(page, tuple(w.strip() for w in words if w.strip())))
    return found, problems


_READS_BACK_THE_SAME = frozenset({str, int, float, bool})


def index_as_read(config: dict, entries: list[dict]) -> dict:
    """The index Material's search writes, as json.loads reads it back: {"config", "docs"}, without the 10 MB
    of JSON written and parsed (issue 31). Material dumps it with `default=str`; a value JSON has no type for
    (a date a page's front matter gave as its search boost) becomes its text, as it would read back. Only
    those entries are copied; the rest are handed on as they are (the build owns them by then)."""
    docs = [entry if all(type(value) in _READS_BACK_THE_SAME for value in entry.values())
            else json.loads(json.dumps(entry, default=str)) for entry in entries]
    return {"config": json.loads(json.dumps(config, default=str)), "docs": docs}


def improve_index(index_text: str, synonyms: list[Synonyms], directory_urls: bool = True,
                  versions: Collection[str] = ()) -> str:
    """The search index with guide pages first and parents' words added. versions: the docs paths of
    translated and Easy Read pages (content.translations), ranked after the English pages."""
    return _dump(improve_index_data(json.loads(index_text), synonyms, directory_urls, versions))


def improve_index_data(index: dict, synonyms: list[Synonyms], directory_urls: bool = True,
                       versions: Collection[str] = ()) -> dict:
    """improve_index on the parsed index, changed in place and returned: the build hands it on to
    write_language_indexes without writing the 10 MB of JSON out and reading it back."""
    title = index.get("config", {}).get("fields", {}).get("title")
    if isinstance(title, dict):
        title["boost"] = TITLE_BOOST
    words: dict[str, list[str]] = {}
    for entry in synonyms:
        words.setdefault(page_url(entry.page, directory_urls).lstrip("/"), []).extend(entry.words)
    law_prefix = f"{LAW_DIR}/"
    reference = {page_url(p, directory_urls).lstrip("/") for p in (GLOSSARY_PAGE, CHANGES_PAGE)}
    version_pages = {page_url(p, directory_urls).lstrip("/") for p in versions}
    _set_cell_separator(index.get("config"))
    docs = [doc for doc in index.get("docs", []) if str(doc.get("location", "")).partition("#")[2] != LEGAL_BASIS_ID]
    index["docs"] = docs
    for doc in docs:
        location = str(doc.get("location", ""))
        page, _, anchor = location.partition("#")
        if anchor in FURNITURE_SECTIONS:
            doc["text"] = without_loose_text(str(doc.get("text", "")))
        if page.startswith(law_prefix):
            doc["boost"] = min(float(doc.get("boost", 1)), LAW_BOOST)
        elif page in reference:  # the glossary and What's changed: reference, not answers
            doc["boost"] = min(float(doc.get("boost", 1)), GLOSSARY_BOOST)
        elif page in version_pages:
            doc["boost"] = min(float(doc.get("boost", 1)), VERSION_BOOST)
        elif "boost" not in doc:
            doc["boost"] = GUIDE_SECTION_BOOST if anchor else GUIDE_BOOST
        if not anchor and page in words:
            extra = ", ".join(dict.fromkeys(words[page]))
            doc["text"] = f"{doc.get('text', '')} <p>Also searched as: {escape(extra)}.</p>"
    return index


# Page furniture in the index. The words explained sit under their heading in a fold whose summary
# ("Show the words explained (11)"; translated by glossary/ui-strings.yml on a translated page) has no
# tag Material's parser keeps, so it lands as loose text at the start of the entry, and a result whose
# match is in the list showed that summary instead of the words (look-shots FINDINGS item 12). The
# list itself stays: "respite" finds pages through the words' "Also called". Matched by section id,
# not by words, so every language is covered. The legal basis is meant to stay out (its heading
# carries data-search-exclude); an entry for it that slips in (a translation without the attribute)
# is dropped.
FURNITURE_SECTIONS = frozenset({WORDS_ID})
_TAG_OR_TEXT = re.compile(r"<(/?)([a-zA-Z0-9]+)[^>]*>|[^<]+|<")


def without_loose_text(text: str) -> str:
    """A furniture section's entry text with only its items: text outside any tag is left out (the
    folds' summaries, "Show the words explained (3)", "Page history"), and each list item becomes a
    paragraph. Material's result shows the blocks that match, and a whole list is one block: a result
    for "respite" showed every word the page explains, the one that answers below the cut. The words
    and the tokens search ranks by are the same."""
    out: list[str] = []
    depth = 0
    for part in _TAG_OR_TEXT.finditer(text):
        closing, tag = part.group(1), (part.group(2) or "").lower()
        if tag:
            depth = max(depth + (-1 if closing else 1), 0)
            if tag in ("ul", "ol"):
                out.append(" ")
            else:
                out.append(f"<{closing}p>" if tag == "li" else part.group(0))
        else:
            out.append(part.group(0) if depth else " ")
    return re.sub(r"\s{2,}", " ", "".join(out)).strip()


# Tables in the text search reads. Material's parser keeps no table tag, so a table's cells ran together
# in a result ("Who Number For Police, ambulance, fire 999 Someone is..."). In the page's search view
# (the HTML search parses; the published page is untouched) each cell is followed by CELL_SEPARATOR and
# each row becomes a paragraph, a block of its own: a result shows the row that matches ("Samaritans ·
# 116 123 · Anyone who is struggling to cope"). The separator's character is a word separator in the
# index's config, so it adds no word and changes no score.
CELL_SEPARATOR = " \u00b7 "
MATERIAL_SEPARATOR = r"[\s\-]+"
_ROW = re.compile(r"(<tr\b[^>]*>)(.*?)(</tr>)", re.DOTALL)
_BLOCK_TAG = re.compile(r"<(?:p|ul|ol|li|pre|table|tr|h[1-6])\b")
_CELL_END = re.compile(r"(</t[hd]>)(\s*)(?=<t[hd][\s>])")


def separate_table_cells(view_html: str) -> str:
    """A page's search view with each table row a paragraph and its cells separated by CELL_SEPARATOR.
    A row holding blocks of its own (a raw HTML table with paragraphs in a cell) is left as it is."""
    if "<tr" not in view_html:
        return view_html

    def row(match: re.Match[str]) -> str:
        cells = match.group(2)
        if _BLOCK_TAG.search(cells):
            return match.group(0)
        return f"{match.group(1)}<p>{_CELL_END.sub(lambda m: m.group(1) + CELL_SEPARATOR, cells)}</p>{match.group(3)}"

    return _ROW.sub(row, view_html)


# The summaries of the guide's own folds (render.page.fold_open, class "lg-fold": the words explained,
# the page history) in the search view: "Page history" is not a word that answers anything, and on a
# page with no words section it landed in the last section's text. Matched by class, in any language.
_FOLD_SUMMARY = re.compile(r'(<details class="lg-fold(?: [^"<>]*)?"[^<>]*>\s*)<summary>[^<]*</summary>')


def readable_search_view(view_html: str) -> str:
    """The search view (what search indexes; the published page is untouched) with the guide's fold
    summaries left out and a table's cells apart (separate_table_cells)."""
    return separate_table_cells(_FOLD_SUMMARY.sub(r"\1", view_html) if "lg-fold" in view_html else view_html)


def _set_cell_separator(config: object) -> None:
    """Material's default word separator with CELL_SEPARATOR's character added; another separator (a
    site's own) is left alone."""
    if isinstance(config, dict) and config.get("separator", MATERIAL_SEPARATOR) == MATERIAL_SEPARATOR:
        config["separator"] = MATERIAL_SEPARATOR[:-2] + CELL_SEPARATOR.strip() + "]+"


def _dump(index: dict) -> str:
    return json.dumps(index, ensure_ascii=False, separators=(",", ":"))


# Material for MkDocs' search worker (9.x) adds a trailing wildcard to every word of the query, so
# "PA" finds "para", "parent" and "paper", and "a", "as", "my" in a sentence match almost every page
# (wildcard words skip the stop-word filter). Words of one or two letters are matched whole instead
# (and stop words among them are dropped again); longer words keep the wildcard, so search as you
# type still works. (Measured: a wildcard on the last word only lost more than it gained.)
WORKER_WILDCARD = "map(r=>/(^[+-]|[~^]\\d+$)/.test(r)?r:`${r}*`)"
WORKER_WILDCARD_NOT_SHORT = "map(r=>/(^[+-]|[~^]\\d+$)/.test(r)||r.length<3?r:`${r}*`)"


def no_wildcard_on_short_words(worker_js: str) -> str | None:
    """Material's search worker with no wildcard on words of one or two letters; None when the worker
    does not have the expected code (a Material upgrade: re-check this patch)."""
    if worker_js.count(WORKER_WILDCARD) != 1:
        return None if WORKER_WILDCARD_NOT_SHORT not in worker_js else worker_js
    return worker_js.replace(WORKER_WILDCARD, WORKER_WILDCARD_NOT_SHORT)


# Per-language indexes. Material's worker loads `assets/javascripts/lunr/min/lunr.<lang>.min.js` for
# each code in the index's `config.lang` and uses the functions named in `config.pipeline`. A language
# Material ships a stemmer for (ro, ar, ...) gets it; any other (pl, ur) gets the theme's `fold`: words
# cut at any non-letter in any script (English's trimmer is ASCII only and would strip Urdu words
# away), accents folded so "swiadczenie" finds "świadczenie", and a light stem (a long word loses its
# last two letters) so the search-as-you-type wildcard reaches every inflected form.
FALLBACK_LANG = "fold"
LANG_PIPELINE = ["trimmer", "stopWordFilter", "stemmer"]
# The heading over English results shown under too few results in the page's language
# (glossary/ui-strings.yml `search_english`); the index carries it, as the script cannot read YAML.
ENGLISH_HEADING_KEY = "search_english"
# The routes offered when nothing is found (a hint, the route finder, the helplines): ui-strings key -> the
# name the script reads under config.lawguide.routes. A language lacking one gets the script's English.
ROUTE_KEYS = {"search_try": "try", "search_finder": "finder", "search_talk": "talk"}


def index_file(language: str, titles: bool = False) -> str:
    """The index file of a language, under the site's search/ folder (English keeps Material's name);
    titles: its titles-only companion (titles_only)."""
    stem = "search_index" if language == "en" else f"search_index.{language}"
    return f"{stem}.titles.json" if titles else f"{stem}.json"


# The first search: Material's worker builds the whole lunr index in the browser before it answers,
# which at 1,000 pages is megabytes to fetch and seconds to build (README "Search"). So each index has a
# titles-only companion (every entry's title, and a page's "Also searched as" words, no text) that is
# fetched and built first and answers while the whole index is fetched and built in a second worker;
# lawguide-search.js then asks the whole index instead.
_ALSO_RE = re.compile(r"<p>Also searched as:[^<]*</p>")


def titles_only(index_text: str) -> str:
    """The index with each entry's text left out but for the words it is also searched as."""
    return _dump(_titles_only_data(json.loads(index_text)))


def _titles_only_data(index: dict) -> dict:
    docs = []
    for doc in index.get("docs", []):
        also = _ALSO_RE.search(str(doc.get("text", "")))
        docs.append({**doc, "text": also.group(0) if also else ""})
    return {**index, "docs": docs}


def split_by_language(index_text: str, page_language: Mapping[str, str], stemmers: Collection[str],
                      english_heading: Mapping[str, str],
                      routes: Mapping[str, Mapping[str, str]] | None = None) -> dict[str, str]:
    """The index split into one per language: {code: JSON text}. page_language maps a page's URL
    (site-relative, "pl/short-breaks/") to its language, for translated pages only; every other page
    (English, Easy Read, law pages, glossary) stays in "en". stemmers: the languages Material ships a
    lunr stemmer for; others use FALLBACK_LANG. english_heading: code -> "Results in English" words.
    routes: code -> the routes' words it has (route_words), carried as config.lawguide.routes."""
    return {code: _dump(index) for code, index in
            _split_data(json.loads(index_text), page_language, stemmers, english_heading, routes).items()}


def _split_data(index: dict, page_language: Mapping[str, str], stemmers: Collection[str],
                english_heading: Mapping[str, str],
                routes: Mapping[str, Mapping[str, str]] | None = None) -> dict[str, dict]:
    """split_by_language on the parsed index: {code: that language's index}."""
    docs_by_language: dict[str, list[dict]] = {"en": []}
    for code in sorted(set(page_language.values())):
        docs_by_language.setdefault(code, [])
    for doc in index.get("docs", []):
        page = str(doc.get("location", "")).partition("#")[0]
        docs_by_language[page_language.get(page, "en")].append(doc)
    split = {}
    for code, docs in docs_by_language.items():
        config = dict(index.get("config", {}))
        if code != "en":
            config["lang"] = [code if code in stemmers else FALLBACK_LANG]
            config["pipeline"] = LANG_PIPELINE
            config["lawguide"] = {"english": english_heading.get(code, "Results in English")}
            if routes and routes.get(code):
                config["lawguide"]["routes"] = dict(routes[code])
        split[code] = {**index, "config": config, "docs": docs}
    return split


def page_languages(versions, directory_urls: bool = True) -> dict[str, str]:
    """URL -> language of each translated page (content.translations.Versions); Easy Read is English."""
    return {page_url(v.path, directory_urls).lstrip("/"): v.language
            for v in versions.by_path.values() if not v.easy_read and v.language != "en"}


def english_headings(versions) -> dict[str, str]:
    """Language -> its words for "Results in English" (glossary/ui-strings.yml), where it has them."""
    return {code: lang.strings[ENGLISH_HEADING_KEY] for code, lang in versions.languages.items()
            if lang.strings.get(ENGLISH_HEADING_KEY)}


def route_words(versions) -> dict[str, dict[str, str]]:
    """Language -> its words for the routes offered when a search finds nothing (ROUTE_KEYS), where it has
    any; the script writes the English, marked English, for each one a language lacks."""
    words = {code: {name: lang.strings[key] for key, name in ROUTE_KEYS.items() if lang.strings.get(key)}
             for code, lang in versions.languages.items()}
    return {code: found for code, found in words.items() if found}


def write_language_indexes(site_dir: Path, index: str | dict, page_language: Mapping[str, str],
                           english_heading: Mapping[str, str],
                           routes: Mapping[str, Mapping[str, str]] | None = None,
                           piece_bytes: int | None = None, first_pages: Sequence[str] = ()) -> list[str]:
    """Write each language's index (English's is search_index.json itself) and its titles-only companion
    (see split_by_language); the file names. index: its JSON text, or the parsed index (improve_index_data),
    which saves reading 10 MB of JSON back at 1,000 pages; the files are the same bytes either way.
    piece_bytes: a whole index larger than this is also written as pieces (in_pieces), named in its titles
    index's config.lawguide.parts, with the deadline for each piece's download (piece_seconds) and the whole
    index's word rarity (word_rarity); first_pages: the menu's page URLs, in its order, which the pieces put first."""
    lunr_dir = site_dir / "assets" / "javascripts" / "lunr" / "min"
    stemmers = {code for code in set(page_language.values())
                if code != FALLBACK_LANG and (lunr_dir / f"lunr.{code}.min.js").is_file()}
    written = []
    parsed = json.loads(index) if isinstance(index, str) else index
    for code, data in _split_data(parsed, page_language, stemmers, english_heading, routes).items():
        whole = _dump(data)
        (site_dir / "search" / index_file(code)).write_text(whole, encoding="utf-8")
        titles = _titles_only_data(data)
        pieces = in_pieces(data, piece_bytes, first_pages) if piece_bytes and len(whole.encode()) > piece_bytes else []
        names = [piece_file(code, number) for number in range(1, len(pieces) + 1)]
        for name, piece in zip(names, pieces, strict=True):
            (site_dir / "search" / name).write_text(piece, encoding="utf-8")
        rarity_names = []  # the word rarity's file, where the pieces have one
        if names:
            config = dict(titles.get("config", {}))
            longest = piece_seconds(max(len(piece.encode()) for piece in pieces))
            config["lawguide"] = {**config.get("lawguide", {}), "parts": list(names), "piece_seconds": longest}
            rarity = word_rarity(data)
            if rarity is not None:
                (site_dir / "search" / rarity_file(code)).write_text(_dump(rarity), encoding="utf-8")
                config["lawguide"]["rarity"] = rarity_file(code)
                rarity_names.append(rarity_file(code))
            titles = {**titles, "config": config}
        (site_dir / "search" / index_file(code, titles=True)).write_text(_dump(titles), encoding="utf-8")
        written += [index_file(code), index_file(code, titles=True), *names, *rarity_names]
    return written


# The whole index in pieces (issue 31): at 1,000 pages the English index is 12 MB of JSON and Material's
# worker takes tens of seconds to build it, with no body text searchable meanwhile, and a reader who
# searches once paid for all of it. So a large index is also written as pieces, each a whole index of its
# own (the same config) that a worker of its own builds: lawguide-search-engine.js fetches and builds them
# one at a time after the titles index answers, merging their results, and stops while search is closed.
# search_index.json stays whole: Material's own search (no script, no Worker) and the tools read it.
# Each page's entries (the page and its sections) stay in one piece: Material's worker groups a result's
# sections under their page from its own index. The cap is bytes of JSON (`extra.lawguide.search_piece_kb`).


# A piece's deadline (config.lawguide.piece_seconds of the titles index): a download still not whole after
# it counts as failed, so a piece that stalls (a phone on a bad network) does not stop the pieces after
# it, and the next search asks for it again. Twice the time the piece takes on Chrome DevTools' "Slow 4G"
# (1.6 Mbit/s x 0.9, as tools/searchbench.py) sent uncompressed, and never under PIECE_SECONDS_LEAST: the
# 1,000-page copy's pieces are about 2,070 KB (24 s), 480 KB gzip, which Slow 4G brings in about 3 s, so
# a host that compresses has eight times the time it needs, one that does not twice, and even DevTools'
# "3G" (400 kbit/s) brings the gzip in about 10 s.
SLOW_4G_BYTES_PER_S = 1.6 * 1000 * 1000 / 8 * 0.9
PIECE_SECONDS_LEAST = 20


def piece_seconds(piece_bytes: int) -> int:
    """The deadline for downloading a piece of piece_bytes (JSON, before any compression), in seconds."""
    return max(PIECE_SECONDS_LEAST, math.ceil(2 * piece_bytes / SLOW_4G_BYTES_PER_S))


def piece_file(language: str, number: int) -> str:
    """The file name of a piece of a language's whole index (under search/)."""
    stem = "search_index" if language == "en" else f"search_index.{language}"
    return f"{stem}.part-{number}.json"


# One word rarity for every piece (issue 31 item 2). lunr scores a page by each word's rarity in the index
# that holds it (lunr.idf: documents and documents holding the word), so each piece, a whole index of its own,
# had its own: the last piece holds the law pages and the glossary, where an everyday English word is rare,
# and on the 1,000-page copy its pages outranked the guide's ("child protection conference" found three
# Arabic copies of the safeguarding page; the whole index found it). So the rarity of each word in the whole
# index is written beside the pieces (search_index.rarity.json, named in the titles index's
# config.lawguide.rarity), and each piece is built with it (theme/assets/javascripts/workers/
# lawguide-search-worker.js): a page scores in its piece as in the whole index. Words are counted as
# Material's worker makes them: each field's text outside tags, cut at config.separator, lower case, and
# nothing else (English's pipeline keeps only the stop word filter). A language whose pipeline changes
# words (a stemmer, a trimmer) gets none: its words would not match, and its pieces keep their own rarity.
RARITY_PIPELINE_CHANGES = frozenset({"trimmer", "stemmer"})
_TAG = re.compile(r"<[^>]*>")


def rarity_file(language: str) -> str:
    """The file of a language's word rarity (under search/), beside its pieces."""
    stem = "search_index" if language == "en" else f"search_index.{language}"
    return f"{stem}.rarity.json"


def word_rarity(index: dict) -> dict | None:
    """{"count": documents, "df": {word: documents holding it, once a field}} as lunr.idf counts them in
    Material's worker, or None where the index's words are not the text's (word_rarity's note above)."""
    config = index.get("config", {})
    if config.get("lang") != ["en"] or RARITY_PIPELINE_CHANGES & set(config.get("pipeline", [])):
        return None
    try:
        separator = re.compile(str(config.get("separator", MATERIAL_SEPARATOR)))
    except re.error:
        return None
    fields = list(config.get("fields", {"title": {}, "text": {}}))
    counts: dict[str, int] = {}
    docs = index.get("docs", [])
    for doc in docs:
        for name in fields:
            value = doc.get(name)
            if value is None:
                continue
            words = {word.lower() for text in (value if isinstance(value, list) else [value])
                     for outside in _TAG.split(str(text)) for word in separator.split(outside) if word}
            for word in words:
                counts[word] = counts.get(word, 0) + 1
    return {"count": len(docs), "df": dict(sorted(counts.items()))}


def in_pieces(index: dict, piece_bytes: int, first_pages: Sequence[str] = ()) -> list[str]:
    """The index as pieces' JSON texts, each at most piece_bytes where one page's entries fit (a page larger
    than that is a piece of its own), about equal in size, in the order a reader most likely wants: the
    menu's pages (first_pages) first, then other guide pages, then translated and Easy Read versions, then
    reference pages (the law pages, the glossary: boosted least), each in the index's order."""
    pages: dict[str, list[dict]] = {}
    for doc in index.get("docs", []):
        pages.setdefault(str(doc.get("location", "")).partition("#")[0], []).append(doc)
    menu = {url.lstrip("/"): number for number, url in enumerate(first_pages)}

    def rank(item: tuple[int, str]) -> tuple[int, float, int]:
        order, page = item
        if page in menu:
            return (0, 0.0, menu[page])
        return (1, -float(pages[page][0].get("boost", 1)), order)

    ordered = [pages[page] for _, page in sorted(enumerate(pages), key=rank)]
    shell = len(_dump({**index, "docs": []}).encode())
    sizes = [sum(len(_dump(doc).encode()) + 1 for doc in group) for group in ordered]
    fewest = max(1, min(len(ordered), -(-sum(sizes) // max(piece_bytes - shell, 1))))
    for count in range(fewest, len(ordered) + 1):
        groups = _even_runs(sizes, count)
        if all(shell + sum(sizes[i] for i in run) <= piece_bytes or len(run) == 1 for run in groups):
            break
    else:  # no even cut fits: a page a piece
        groups = [[i] for i in range(len(ordered))]
    return [_dump({**index, "docs": [doc for i in run for doc in ordered[i]]}) for run in groups]


def _even_runs(sizes: list[int], count: int) -> list[list[int]]:
    """The indexes of sizes cut into `count` runs in order, each near an equal share of the total: an item
    goes to the run its middle falls in."""
    share = sum(sizes) / count
    runs: list[list[int]] = [[] for _ in range(count)]
    before = 0
    for i, size in enumerate(sizes):
        runs[min(int((before + size / 2) / share), count - 1)].append(i)
        before += size
    return [run for run in runs if run]
