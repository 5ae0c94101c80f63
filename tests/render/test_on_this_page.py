"""Long pages open with a way in on phones: a link to "What to do next" and a folded list of sections."""

from __future__ import annotations

import re

from tests.render.test_reader_page import rendered

SECTIONS = "\n\n".join(f"## Question {n}? {{#q{n}}}\n\nAnswer {n}." for n in range(1, 5))


def nav(html: str) -> str:
    found = re.search(r'<nav class="lg-on-this-page".*?</nav>', html, re.S)
    return found.group(0) if found else ""


def test_a_long_page_lists_its_sections_and_links_what_to_do_next_first(tmp_path):
    html, _ = rendered(tmp_path, SECTIONS + "\n\n## What to do next {#next-steps}\n\n1. Ask.")
    box = nav(html)
    assert box.startswith('<nav class="lg-on-this-page" aria-label="On this page" data-search-exclude>'
                          '<p class="lg-on-this-page__next"><a href="#next-steps">What to do next</a></p>')
    assert re.findall(r'<li><a href="#([\w-]+)">', box) == ["q1", "q2", "q3", "q4", "next-steps"]
    assert html.index(box) < html.index('id="q1"')  # near the top, under the summary and date
    assert '<summary><span lang="en" dir="ltr">On this page</span></summary>' in box


def test_a_short_page_has_no_list(tmp_path):
    html, _ = rendered(tmp_path, SECTIONS)  # four sections: the page is short enough to scroll
    assert nav(html) == ""


def test_without_a_next_steps_section_only_the_list_is_shown(tmp_path):
    html, _ = rendered(tmp_path, SECTIONS + "\n\n## Question 5? {#q5}\n\nAnswer.")
    assert nav(html) and "lg-on-this-page__next" not in nav(html)


def test_heading_words_are_plain_and_escaped(tmp_path):
    body = SECTIONS + "\n\n## Ask about *<b>charges</b>* under [[ca1989-s17|section 17]] {#charges}\n\nText."
    html, _ = rendered(tmp_path, body)
    box = nav(html)
    assert '<a href="#charges">Ask about &lt;b&gt;charges&lt;/b&gt; under section 17</a>' in box
    assert "[[" not in box and "<b>" not in box
