"""tests/links/anchors.py on hand-written pages: every way a link names an anchor, good and broken."""

from __future__ import annotations

from pathlib import Path

from tests.linkcheck_server import serve
from tests.links.anchors import check_anchors, link_form


def write(root: Path, rel: str, body: str) -> None:
    path = root / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(f"<!doctype html><html><head><title>t</title></head><body>{body}</body></html>",
                    encoding="utf-8")


def test_anchors_that_exist_pass_in_every_form(tmp_path):
    with serve(tmp_path) as base:
        write(tmp_path, "index.html", '<h2 id="top-part">Top</h2><a href="#top-part">same</a>'
                                      '<a href="guide/#caf%C3%A9">encoded</a><a href="guide/index.html#old">index</a>'
                                      f'<a href="{base}guide/#x">full</a><a href="guide#x">no slash</a>'
                                      '<a href="#">top of page</a><a href="https://elsewhere.example/#nothing">out</a>')
        write(tmp_path, "guide/index.html", '<p id="café">c</p><a name="old">o</a><section id="x"></section>'
                                            '<a href="../#top-part">up</a><img src="pic.png" usemap="#x">')
        report = check_anchors(tmp_path, base)
    assert report.problems == []
    assert report.pages == 2
    assert report.links_checked == 7  # '#' alone and the other host are not links into an anchor of ours
    assert report.forms == {"same page": 2, "relative": 4, "full address": 1}


def test_each_broken_anchor_and_missing_page_is_reported_with_its_page_and_link(tmp_path):
    with serve(tmp_path) as base:
        write(tmp_path, "index.html", '<h2 id="here">H</h2><a href="#gone">same</a><a href="guide/#lost">other</a>'
                                      f'<a href="{base}guide/#away">full</a><a href="nowhere/#x">missing page</a>'
                                      '<a href="guide/#here">id of the wrong page</a>')
        write(tmp_path, "guide/index.html", '<h2 id="kept">K</h2><a href="../#Here">case matters</a>')
        report = check_anchors(tmp_path, base)
    assert report.problems == [
        "/guide/: ../#Here -> missing #Here",
        "/: #gone -> missing #gone",
        "/: guide/#lost -> missing #lost",
        "/: /guide/#away -> missing #away",
        "/: nowhere/#x -> missing page (HTTP 404)",
        "/: guide/#here -> missing #here",
    ]


def test_a_fragment_into_a_file_that_is_not_html_is_not_checked(tmp_path):
    (tmp_path / "leaflet.pdf").write_bytes(b"%PDF-1.4")
    with serve(tmp_path) as base:
        write(tmp_path, "index.html", '<a href="leaflet.pdf#page=2">leaflet</a>')
        report = check_anchors(tmp_path, base)
    assert (report.problems, report.links_checked) == ([], 1)


def test_each_page_is_fetched_once_however_many_links_name_its_anchors(tmp_path):
    links = "".join(f'<a href="guide/#s{n}">{n}</a><a href="guide/index.html#s{n}">{n}</a>' for n in range(50))
    with serve(tmp_path) as base:
        write(tmp_path, "index.html", links)
        write(tmp_path, "guide/index.html", "".join(f'<h2 id="s{n}">{n}</h2>' for n in range(50)))
        report = check_anchors(tmp_path, base)
    assert report.problems == []
    assert report.links_checked == 100
    assert sorted(report.fetches.values()) == [1, 1]


def test_link_forms():
    assert [link_form(x) for x in ("#a", "b/#a", "../#a", "http://h/#a", "//h/#a")] == [
        "same page", "relative", "relative", "full address", "full address"]
