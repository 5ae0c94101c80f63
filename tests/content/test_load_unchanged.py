"""Loading the guide gives exactly what it gave before it was made faster.

`load_guide` runs at the start of every build, so its scanning is tuned for speed (one pass over each
page for headings, citations and links; cheap tests before regexes). These tests pin its whole
result on awkward input: every problem as `path:line: message (hint)` and every page's headings,
citations, links, front matter lines and change notes, against a record made with the plain code
before the tuning (tests/data/load_unchanged/*.json). If a change to the scanning alters any of it, the
diff shows what. To re-record after an intended change: LAWGUIDE_RECORD=1 pytest this file.
One intended change since the record: a duplicate front matter key's hint names the first key's line
in the file (it used to count from inside the front matter).
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from lawguide.core.problems import ordered
from lawguide.core.settings import Settings
from lawguide.guide import load_guide
from lawguide.tools.synthetic import make_synthetic_site

from tests.fixtures import make_site

RECORDS = Path(__file__).resolve().parent.parent / "data" / "load_unchanged"

AWKWARD = {
    "index.md": """\
        ---
        title: Home
        summary: A guide with every kind of awkward input.
        reviewed: 2026-11-01
        review_interval_months: 6
        changes:
          - date: 2026-11-01
            summary: First version
          - date: 2026-13-01
            summary: Impossible date
          - summary: No date
        anchor_aliases:
          old-asking: asking
          gone: nowhere
          asking: asking
        titel: Typo
        ---
        # Home

        The council must help [[ca1989-s17]] and [[ca1989-s71]] and [[ ca1989-s17zd | your words ]].

        ## Asking for help {#asking}

        Ask for [[glossary:short-breaks]], [[glossary: respite]], [[glossary:]] and [[site:publisher]], [[site:nope]].
        Empty [[ ]] and [[|no id]] and [[glossary:|x]] here.
        Unclosed [[ca1989-s17 and [[[ca1989-s17]] here.
        Malformed [[ca1989-s17|the [law]]] and [[a]b]].
        Three open [[ [[ [[ and none closed.
        Unclosed [[ca1989-s17 alone.
        Code `[[not-a-ref]]` and ``[[also `not` one]]`` and `unclosed [[ inline` then [[ca1989-s17zd]].

        ## Asking for help {#asking}

        ## Reserved {#legal-basis}

        ## Bad id {#Bad_ID}

        ### No explicit id

        ## Closing hashes {#closing} ##

        ## Attribute list { #attrs .wide }

        #### Level four without id

        #NotAHeading

        Links: [other](other.md), [there](other.md#there), [nope](other.md#nope), [gone](gone.md),
        [dir](sub/), [plain](other), [abs](/other/), [self](#asking), [self-missing](#nowhere),
        [raw](#raw-id), [attr](#attr-id), [named](#named), [ext](https://example.org/x), [mail](mailto:a@b.c),
        ![image](img/missing.png), [file](files/real.pdf), [titled](other.md "Title"), [angle](<other.md>),
        [nested [brackets]](other.md#nope2), [encoded](other%20page.md), [up](../outside.md),
        [glossary](glossary.md#short-breaks), [glossary-letter](glossary.md#letter-s), [law](law/ca1989-s17.md).
        Joined by code: [text]`code`(other.md#joined) and `[in](code.md)` is code.
        Only joined by code: [text]`code`(other.md#joined-only).

        [ref]: other.md#ref-anchor
        [ref2]: <missing-ref.md> "title"
            [ref3]: indented-too-far.md

        <a id="raw-id"></a> <span name='named'></span> and id = "spaced-id" here.

        Text with an attribute list {#attr-id}

        ```
        [[in-fence]] [in fence](fence.md)
        ## Not a heading {#in-fence}
        ````
        still in the fence [[x]]
        ```

        ~~~~python
        [[tilde-fence]]
        ~~~
        still in tildes
        ~~~~

        After the fences [[ca1989-s17]].

            ```
            indented fence [[indented-fence]]
            ```
        """,
    "other.md": """\
        ---
        title: Other
        reviewed: 2026-11-01
        ...
        # Other

        ## There {#there}

        Back [home](index.md#old-asking) and [again](index.md#asking) and [bad alias](index.md#gone).
        """,
    "no-front-matter.md": """\
        # Just a heading

        ## Section {#section}

        A [[ca1989-s17]] citation.
        """,
    "bad-yaml.md": """\
        ---
        title: "Unclosed
        reviewed: 2026-11-01
        ---
        # Bad yaml

        ## Still scanned {#still}

        A [[ca1989-s99]] citation on line 8 and a [link](nowhere.md).
        """,
    "bad-meta.md": """\
        ---
        title: Bad meta
        reviewed: 2026-02-30
        review_interval_months: six
        changes: not a list
        anchor_aliases: [a, b]
        title: Duplicate
        ---
        # Bad meta
        """,
    "missing-reviewed.md": """\
        ---
        title: No date
        reviewed:
        ---
        # No date
        """,
    "sub/index.md": """\
        ---
        title: Sub
        reviewed: 2026-11-01
        ---
        # Sub

        [up](../index.md#asking) [up-missing](../index.md#missing) [sideways](../other.md#there)
        [not-utf8](../broken.md) [not-utf8-anchor](../broken.md#x)
        """,
    "windows.md": "---\r\ntitle: CRLF\r\nreviewed: 2026-11-01\r\n---\r\n# CRLF\r\n\r\n## Id {#crlf}\r\n\r\n"
                  "A [[ca1989-s17]] and [[nope]] and [link](gone.md).\r\n",
}
NAV = {"nav": [{"Home": "index.md"}, {"Other": "other.md"}, {"Missing": "missing.md"}, {"Abs": "/abs.md"},
               {"Sub": [{"Sub": "sub/index.md"}, "https://example.org/"]}],
       "not_in_nav": "bad-*.md\n# a comment\n/windows.md\n",
       "validation": {"omitted_files": "warn", "anchors": "warn", "unrecognized_links": "warn", "absolute_links": "warn",
                      "nav": {"absolute_links": "warn"}}}


def awkward_site(root: Path) -> Path:
    """A fixture project whose pages break almost every rule the loader checks."""
    make_site(root, pages=AWKWARD, extra_config=NAV)
    (root / "docs" / "broken.md").write_bytes(b"---\ntitle: Broken\n---\n# Broken \xff\n")
    (root / "docs" / "files").mkdir()
    (root / "docs" / "files" / "real.pdf").write_bytes(b"%PDF")
    return root


def summary(root: Path) -> dict:
    """Everything load_guide found, as plain data: problems in order, then each page's parts."""
    site = load_guide(Settings.from_mkdocs_yml(root / "mkdocs.yml"))
    pages = {}
    for path, page in sorted(site.pages.items()):
        pages[path] = {
            "display": page.display, "title": page.title, "summary": page.summary,
            "reviewed": str(page.reviewed), "review_interval_months": page.review_interval_months,
            "changes": [[str(c.date), c.summary, c.line] for c in page.change_notes],
            "anchor_aliases": page.anchor_aliases, "meta_lines": page.meta_lines,
            "headings": [[h.level, h.text, h.id, h.explicit, h.line] for h in page.headings],
            "citations": [[c.target, c.text, c.page, c.line, c.anchor, c.is_glossary] for c in page.citations],
            # Found by links.markdown_links' own scan before the tuning; recorded after checking both agree.
            "links": [[link.target, link.line] for link in page.links], "html_ids": sorted(page.html_ids),
            "readable": page.readable,
        }
    problems = [[p.format(), p.root, p.fatal] for p in site.problems]
    return {"problems": problems, "ordered": [p.format() for p in ordered(site.problems)], "pages": pages}


def check_against_record(name: str, found: dict) -> None:
    record = RECORDS / f"{name}.json"
    text = json.dumps(found, indent=1, ensure_ascii=False, sort_keys=True) + "\n"
    if os.environ.get("LAWGUIDE_RECORD"):
        record.parent.mkdir(parents=True, exist_ok=True)
        record.write_text(text, encoding="utf-8")
        pytest.skip(f"recorded {record}")
    expected = json.loads(record.read_text(encoding="utf-8"))
    assert found["problems"] == expected["problems"]
    assert found["ordered"] == expected["ordered"]
    for path in sorted(set(found["pages"]) | set(expected["pages"])):
        assert found["pages"].get(path) == expected["pages"].get(path), path


def test_awkward_pages_give_the_same_problems_and_pages_as_before(tmp_path: Path) -> None:
    root = awkward_site(tmp_path)
    # Paths in messages are relative to the project, so the record does not depend on tmp_path.
    check_against_record("awkward", summary(root))


def test_synthetic_guide_gives_the_same_problems_and_pages_as_before(tmp_path: Path) -> None:
    root = make_synthetic_site(tmp_path / "synthetic", 40, hooks=True)
    check_against_record("synthetic-40", summary(root))


def test_the_awkward_fixture_really_exercises_the_loader(tmp_path: Path) -> None:
    """Guards the record itself: an awkward site that reported nothing would prove nothing."""
    messages = "\n".join(summary(awkward_site(tmp_path))["ordered"])
    for expected in ("unknown law reference 'ca1989-s71'", "empty citation", "citation without an id",
                     "unclosed '[[' on this line", "malformed citation", "unclosed citation", "duplicate heading id",
                     "reserved for the engine", "has no explicit id", "is not lower-case words", "YAML syntax error",
                     "has no section '#nope'", "'gone.md' is not a page", "absolute link", "not a section of this page",
                     "is not a page or file in docs/", "nav entry 'missing.md'", "page is not in the nav",
                     "file is not UTF-8", "anchor alias 'gone' points to unknown id", "unknown front matter key 'titel'",
                     "not a real date", "not a whole number", "duplicate key 'title'", "missing 'reviewed' date",
                     "unknown glossary term", "unknown site value", "has no section '#joined-only'",
                     "docs/windows.md:9: unknown law reference 'nope'"):
        assert expected in messages, expected


def test_loading_leaves_the_garbage_collector_as_it_found_it_even_when_loading_fails(tmp_path, monkeypatch):
    import gc

    import lawguide.guide as guide

    root = make_site(tmp_path, {"index.md": "---\ntitle: Home\nsummary: A page.\nreviewed: 2026-11-01\n---\n\n# Home\n"})
    settings = Settings.from_mkdocs_yml(root / "mkdocs.yml")
    seen = []
    real = guide._load_guide

    def watched(*args):
        seen.append(gc.isenabled())  # paused while the guide loads
        return real(*args)

    monkeypatch.setattr(guide, "_load_guide", watched)
    assert gc.isenabled()
    load_guide(settings)
    assert seen == [False] and gc.isenabled()
    gc.disable()
    try:
        load_guide(settings)
        assert not gc.isenabled()  # a caller that paused it keeps it paused
    finally:
        gc.enable()

    def broken(*args):
        raise OSError("disk gone")

    monkeypatch.setattr(guide, "_load_guide", broken)
    with pytest.raises(OSError):
        load_guide(settings)
    assert gc.isenabled()
