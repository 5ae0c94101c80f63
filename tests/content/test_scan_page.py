"""One pass over a page body finds headings, citations, malformed citations, links and HTML ids,
each with its file line, and skips code; the link check uses what that pass found."""

from __future__ import annotations

import random
import re
from pathlib import Path

from lawguide.content.markdown_scan import CITATION_RE, code_mask, parse_heading, scan_page
from lawguide.content.site import load_site
from lawguide.core.settings import Settings
from lawguide.links.lock import config_file_for
from lawguide.links.markdown_links import link_problems

from tests.fixtures import make_site

BODY = """\
# Title

See [one](one.md) and ![a picture](img/p.png "Title") [[ca1989-s17]].

[ref]: two.md#part
    [too-deep]: not-a-ref.md

Code `[not](a-link.md)` and [joined]`x`(three.md) and <a id="raw"></a> <span name='named'></span>.
Attributes {: #attr-id .wide } and [[glossary:short-breaks|breaks]].

```
[fenced](fenced.md) <a id="fenced-id"></a> [[fenced-ref]]
## Not a heading {#not}
```

## Last {#last}
"""


def test_one_pass_finds_links_and_ids_with_lines_and_skips_code():
    scan = scan_page(BODY.split("\n"), "page.md", first_line=10)
    assert [(link.target, link.line) for link in scan.links] == [
        ("one.md", 12), ("img/p.png", 12), ("two.md#part", 14), ("three.md", 17)]
    assert scan.html_ids == {"raw", "named", "attr-id", "last"}  # the heading's {#last} is an attribute list too
    assert [(c.target, c.line) for c in scan.citations] == [("ca1989-s17", 12), ("short-breaks", 18)]
    assert [(h.id, h.line) for h in scan.headings] == [("title", 10), ("last", 25)]
    assert scan.bad == []


def test_every_double_bracket_that_is_not_a_citation_is_reported_once_per_line():
    scan = scan_page(["[[a]] `[[in code]]` [[b]]", "[[a]] and [[ unclosed", "[[[a]]", "`[[` [["], "p.md", first_line=1)
    assert [(c.target, c.line) for c in scan.citations] == [("a", 1), ("b", 1), ("a", 2), ("a", 3)]
    assert [(b.line, b.message) for b in scan.bad] == [(2, "unclosed citation '[[ unclosed'"),
                                                      (4, "unclosed citation '[['")]


def test_empty_citation_is_bad_and_not_a_citation():
    scan = scan_page(["Read [[ ]] and [[glossary: ]]."], "p.md", first_line=3)
    assert scan.citations == []
    assert [(b.line, b.message) for b in scan.bad] == [(3, "empty citation '[[ ]]'"),
                                                      (3, "empty citation '[[glossary: ]]'")]


def test_code_mask_is_all_prose_without_a_fence_and_follows_fences_with_one():
    assert code_mask(["a", "`b`", "~~ c"]) == [False, False, False]
    assert code_mask(["a", "````", "```", "````", "b", "~~~", "x", "~~~"]) == [False, True, True, True, False, True,
                                                                              True, True]


def test_headings_with_closing_hashes_or_attributes_anywhere_keep_their_ids():
    assert parse_heading("## Title ##", 1).id == "title"
    assert parse_heading("## C# and F#", 1).id == "c-and-f"
    assert parse_heading("## Title {#tid}  ", 1).id == "tid"
    assert parse_heading("## A {#not-last} b", 1).id == "a-not-last-b"
    assert parse_heading("## {#only-id}", 1).id == "only-id"


def test_link_check_uses_the_page_as_loaded_and_never_reads_it_again(tmp_path: Path):
    pages = {"index.md": "---\nreviewed: 2026-11-01\n---\n# Home\n\n[gone](gone.md)\n"}
    root = make_site(tmp_path, pages=pages)
    site = load_site(Settings.from_mkdocs_yml(root / "mkdocs.yml"))
    (root / "docs" / "index.md").write_text("# Home\n\n[fine](index.md)\n", encoding="utf-8")
    problems = link_problems(site, config_file_for(site))
    assert [(p.path, p.line, p.message) for p in problems] == [
        ("docs/index.md", 6, "link 'gone.md': 'gone.md' is not a page or file in docs/")]


def test_citation_pattern_matches_exactly_what_the_lazy_original_matched():
    lazy = re.compile(r"\[\[([^\[\]|\n]+?)(?:\|([^\[\]\n]+?))?\]\]")
    rnd = random.Random(20261129)
    texts = ["[[a|b|c]]", "[[a|]]", "[[|a]]", "[[a]b]]", "[[[a]]]", "[[a||b]]", "[[ glossary: x | y ]]"]
    texts += ["".join(rnd.choice("[]|\n :ag") for _ in range(rnd.randint(0, 16))) for _ in range(20000)]
    for text in texts:
        assert [(m.span(), m.groups()) for m in CITATION_RE.finditer(text)] == \
            [(m.span(), m.groups()) for m in lazy.finditer(text)], text
