"""The feed importer is bounded: hostile or huge XML is refused quickly with one clear problem,
and a crafted AffectingURI never becomes a source link."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from lawguide.lawchange.changes_import import MAX_FEED_BYTES, parse_xml, read_feed

from tests.fixtures import lawguide
from tests.lawchange.test_changes_import import MAIN_FEED, project  # noqa: F401 - fixture

ATOM = '<feed xmlns="http://www.w3.org/2005/Atom">'


# The bounds below prove that work stops early (an unbounded parse of these inputs takes minutes or
# gigabytes), not how fast the parser is: CPU time, with room for a busy shared machine.
GUARD_SECONDS = 3.0


def timed(data: bytes) -> tuple[float, object, list]:
    started = time.process_time()
    root, problems = parse_xml(data, "feed.xml")
    return time.process_time() - started, root, problems


def test_a_doctype_is_refused_before_any_entity_expands() -> None:
    laughs = ['<!DOCTYPE feed [', '<!ENTITY a0 "lol">']
    laughs += [f'<!ENTITY a{i} "{("&a" + str(i - 1) + ";") * 10}">' for i in range(1, 10)]
    data = ("\n".join(laughs) + "\n]>\n" + ATOM + "<title>&a9;</title></feed>").encode()
    seconds, root, problems = timed(data)
    assert root is None
    assert [(p.path, p.line, p.message) for p in problems] == [
        ("feed.xml", 1, "the document has a DOCTYPE; a changes feed never has one")]
    assert seconds < GUARD_SECONDS


def test_an_entity_declaration_without_a_doctype_is_not_well_formed() -> None:
    seconds, root, problems = timed(b'<?xml version="1.0"?>\n<!ENTITY a "b">\n<feed/>')
    assert root is None and problems[0].line == 2 and "not well-formed XML" in problems[0].message
    assert seconds < GUARD_SECONDS


def test_many_short_text_pieces_are_collected_in_linear_time() -> None:
    # Character data arrives line by line; joining by repeated concatenation took minutes here.
    data = (ATOM + "<title>" + "x\n" * 400_000 + "</title></feed>").encode()
    seconds, root, problems = timed(data)
    assert problems == [] and root.children[0].text.count("x") == 400_000
    assert seconds < GUARD_SECONDS


def test_deep_nesting_is_refused_without_a_recursion_error() -> None:
    data = (ATOM + "<a>" * 100_000 + "</a>" * 100_000 + "</feed>").encode()
    seconds, root, problems = timed(data)
    assert root is None
    assert [(p.line, p.message) for p in problems] == [
        (1, "the document has elements nested more than 200 deep; a changes feed has far fewer")]
    assert seconds < GUARD_SECONDS


def test_walking_a_deep_but_allowed_tree_does_not_recurse() -> None:
    data = (ATOM + "<a>" * 150 + "<b/>" + "</a>" * 150 + "</feed>").encode()
    root, problems = parse_xml(data, "feed.xml")
    assert problems == [] and len(list(root.iter("{http://www.w3.org/2005/Atom}b"))) == 1


def test_too_many_elements_are_refused() -> None:
    data = (ATOM + "<a/>\n" * 60_000 + "</feed>").encode()
    seconds, root, problems = timed(data)
    assert root is None and problems[0].message.startswith("the document has more than 50,000 elements")
    assert problems[0].line == 50_000  # the feed element and the first <a/> share line 1
    assert seconds < GUARD_SECONDS


def test_a_huge_file_is_refused_by_its_size_before_it_is_read(tmp_path: Path) -> None:
    big = tmp_path / "big.feed"
    with big.open("wb") as handle:
        handle.truncate(MAX_FEED_BYTES + 1)  # sparse: no disk used, and never read
    started = time.perf_counter()
    effects, problems = read_feed(big, "big.feed")
    assert effects == []
    assert [(p.path, p.line, p.message) for p in problems] == [
        ("big.feed", 1, "the file is 16.0 MB, more than the 16.0 MB a feed can be")]
    assert time.perf_counter() - started < 0.5


def test_parse_xml_refuses_oversized_bytes_too() -> None:
    root, problems = parse_xml(b"<feed/>" + b" " * 100, "x.xml", max_bytes=50)
    assert root is None and problems[0].message == "the file is 107 bytes, more than the 50 bytes a feed can be"


@pytest.mark.parametrize("uri", [
    "http://www.legislation.gov.uk/id/ukpga/2002/38/)<svg onload=alert(1)>",
    'http://www.legislation.gov.uk/id/ukpga/2002/38/"onmouseover="alert(1)',
    "javascript:alert(1)//www.legislation.gov.uk/ukpga/2002/38",
    "https://evil.example/ukpga/2002/38",
])
def test_a_crafted_affecting_uri_is_refused_and_nothing_is_written(project: Path, tmp_path: Path, uri: str) -> None:  # noqa: F811
    text = MAIN_FEED.read_text(encoding="utf-8").replace(
        'AffectingURI="http://www.legislation.gov.uk/id/ukpga/2002/38"',
        f'AffectingURI="{uri.replace("&", "&amp;").replace(chr(34), "&quot;").replace("<", "&lt;")}"', 1)
    feed = tmp_path / "crafted.feed"
    feed.write_text(text, encoding="utf-8")
    before = {p: p.read_text(encoding="utf-8") for p in (project / "law_refs").glob("*.yml")}
    result = lawguide(project, "changes", "import", str(feed), "--apply")
    assert result.returncode == 1
    line = next(n for n, t in enumerate(text.split("\n"), start=1) if "<ukm:Effect " in t)
    assert f"crafted.feed:{line}: effect effect-placeholder-0001: AffectingURI " in result.stderr
    assert "is not a legislation.gov.uk legislation URI" in result.stderr
    assert "Traceback" not in result.stderr
    assert {p: p.read_text(encoding="utf-8") for p in (project / "law_refs").glob("*.yml")} == before
