"""The route finder's generated pages (render/finder.py): one question per page with answers as links,
outcomes cited and dated like guide pages, everything from YAML escaped."""

from __future__ import annotations

import json
import re
from pathlib import Path

from lawguide.content.site import load_site
from lawguide.core.settings import Settings
from lawguide.render.finder import PRIVACY_NOTE, call_html, finder_pages, render_body
from lawguide.render.generate import generated_pages

from tests.content.test_flows import FLOWS, GOOD, PAGES
from tests.fixtures import DEFAULT_REFS, make_site

EXIT = (FLOWS / "exit-flow.yml").read_text(encoding="utf-8")


def site_with(tmp_path: Path, flows: dict[str, str] | None = None, refs: list[dict] | None = None):
    root = make_site(tmp_path, pages=PAGES, refs=refs)
    (root / "finder").mkdir()
    for name, text in (flows or {"help-at-home.yml": GOOD, "exit-flow.yml": EXIT}).items():
        (root / "finder" / name).write_text(text, encoding="utf-8")
    site = load_site(Settings.from_mkdocs_yml(root / "mkdocs.yml"))
    assert site.problems == [], [p.format() for p in site.problems]
    return site


def hrefs(markdown: str) -> list[str]:
    return re.findall(r'href="([^"]*)"', markdown)


def test_every_finder_page_is_a_generated_page(tmp_path):
    site = site_with(tmp_path)
    pages = finder_pages(site)
    assert set(pages) == {"finder/index.md", "finder/help-at-home/index.md", "finder/help-at-home/asked.md",
                          "finder/help-at-home/why-no.md", "finder/help-at-home/ask-now.md",
                          "finder/help-at-home/refused.md", "finder/worried/index.md", "finder/worried/contacted.md",
                          "finder/worried/help.md"}
    assert set(pages) <= set(generated_pages(site))
    for text in pages.values():
        body = text.split("---", 2)[2]
        assert "data-lawguide-finder" in body
        assert "\n\n" not in body.strip(), "a blank line would end the raw HTML block and hand the rest to Markdown"


def test_no_flows_no_finder_pages(tmp_path):
    root = make_site(tmp_path, pages=PAGES)
    site = load_site(Settings.from_mkdocs_yml(root / "mkdocs.yml"))
    assert finder_pages(site) == {} and not any(p.startswith("finder/") for p in generated_pages(site))


def test_start_page_lists_every_flow_and_says_answers_stay_in_the_address(tmp_path):
    page = finder_pages(site_with(tmp_path))["finder/index.md"]
    assert 'href="help-at-home/">Getting help at home</a>' in page
    assert 'href="worried/">' in page
    assert "after the # sign" in page and PRIVACY_NOTE.split(".")[0] in page


def test_question_page_has_one_h1_its_answers_as_links_a_hint_back_and_start_again(tmp_path):
    page = finder_pages(site_with(tmp_path))["finder/help-at-home/why-no.md"]
    assert page.count("<h1") == 1 and ">Did they say why?</h1>" in page
    assert hrefs(page) == ["../", "../refused/", "../refused/", "../", "../../"]  # back, 2 answers, start again, others
    assert 'data-finder-back>Back</a>' in page and "data-finder-restart>Start again</a>" in page
    assert "search:\n  exclude: true" in page  # questions alone answer nothing: search finds the guide


def test_first_question_links_to_the_flow_page_and_has_no_back_link(tmp_path):
    pages = finder_pages(site_with(tmp_path))
    assert "data-finder-back" not in pages["finder/help-at-home/asked.md"]
    assert ('<p class="lg-finder__hint" id="lg-q-asked-hint">The council\'s children\'s services team'
            in pages["finder/help-at-home/asked.md"])
    assert 'aria-describedby="lg-q-asked-hint"' in pages["finder/help-at-home/asked.md"]


def test_back_goes_to_the_first_question_when_several_lead_here(tmp_path):
    page = finder_pages(site_with(tmp_path))["finder/help-at-home/ask-now.md"]
    # ask-now is reached from 'asked' only (twice): Back to it; refused from why-no only
    assert 'href="../" data-finder-back>Back</a>' in page
    text = GOOD.replace("      - text: Not sure\n        next: ask-now", "      - text: Not sure\n        next: why-no") \
               .replace("        next: refused\n      - text: No reason given", "        next: ask-now\n      - text: No reason given")
    page = finder_pages(site_with(tmp_path / "b", {"help-at-home.yml": text}))["finder/help-at-home/ask-now.md"]
    assert 'data-finder-back>Back to the first question</a>' in page


def test_outcome_page_cites_like_a_guide_page_and_says_when_the_law_was_checked(tmp_path):
    page = finder_pages(site_with(tmp_path))["finder/help-at-home/ask-now.md"]
    assert page.count("<h1") == 1 and ">Ask the council for help</h1>" in page
    assert '<a class="lg-cite" href="../../../law/ca1989-s17/"' in page
    assert '<a class="lg-term" href="../../../glossary/#short-breaks">short breaks</a>' in page
    assert 'Based on the law as checked on <time datetime="2026-11-01">1 November 2026</time>' in page
    assert '<a href="../../../#asking">Asking for help</a>' in page  # Read more: the section's heading
    assert '<a href="../../../parents/">Parents</a>' in page  # the letter
    assert "Fixture helpline, 0000 000 0000." in page and "<strong>Deadline:</strong> Fixture deadline text." in page
    assert "This answer is for you if you said:" in page and "Have you asked the council for help? No, not yet" in page
    assert "law-change-notice" not in page


def test_outcome_whose_law_changed_shows_the_guide_pages_notice(tmp_path):
    refs = [dict(r) for r in DEFAULT_REFS]
    refs[1]["changes"] = [{"date": "2026-11-15", "summary": "Amended",
                           "source": "https://www.legislation.gov.uk/ukpga/1989/41/section/17ZD"}]
    pages = finder_pages(site_with(tmp_path, refs=refs))
    assert 'id="law-change-notice"' in pages["finder/help-at-home/refused.md"]
    assert 'data-law-change="ca1989-s17zd"' in pages["finder/help-at-home/refused.md"]
    assert 'href="../../../law/ca1989-s17zd/">Children Act 1989, s.17ZD</a> changed on 15 November 2026' in \
        pages["finder/help-at-home/refused.md"]
    assert "law-change-notice" not in pages["finder/help-at-home/ask-now.md"]
    # in the flow page the notice's links start from the flow page
    assert 'href="../../law/ca1989-s17zd/">Children Act 1989, s.17ZD</a> changed' in pages["finder/help-at-home/index.md"]


def test_flow_page_shows_the_first_question_and_hides_every_other_node(tmp_path):
    page = finder_pages(site_with(tmp_path))["finder/help-at-home/index.md"]
    sections = re.findall(r"<section [^>]*>", page)
    assert len(sections) == 4
    shown = [s for s in sections if " hidden" not in s]
    assert shown == ['<section class="lg-finder__node lg-finder__question" data-node="asked" data-kind="question">']
    assert 'data-flow="help-at-home" data-start="asked"' in page
    assert 'href="why-no/" data-next="why-no" data-answer="1"' in page  # without JavaScript: the question's page
    assert "after the # sign" in page
    assert 'href="ask-now/">Ask the council for help</a>' in page  # the outcome's stable address


def test_text_from_yaml_is_escaped_everywhere(tmp_path):
    pages = finder_pages(site_with(tmp_path))
    flow = "".join(pages[f"finder/worried/{name}.md"].split("---", 2)[2] for name in ("index", "help", "contacted"))
    assert "<script>" not in flow and "<b>" not in flow
    assert "Yes &lt;b&gt;really&lt;/b&gt; &amp; truly" in flow
    assert "What the council must do &lt;script&gt;alert(1)&lt;/script&gt;" in flow
    front = pages["finder/worried/help.md"].split("---")[1]
    # MkDocs escapes titles (render.htmlsafe); Zensical does not, so no tag's brackets reach the front matter
    assert '"What the council must do \u2039script\u203aalert(1)\u2039/script\u203a"' in front


def test_exit_this_page_flows_ask_the_theme_for_the_control(tmp_path):
    pages = finder_pages(site_with(tmp_path))
    assert all("exit_this_page: true" in text.split("---")[1] for path, text in pages.items() if path.startswith("finder/worried/"))
    assert not any("exit_this_page" in text for path, text in pages.items() if not path.startswith("finder/worried/"))


def test_body_keeps_bold_and_emphasis_and_nothing_else_becomes_markup(tmp_path):
    site = site_with(tmp_path)
    page = site.flows["worried"].outcomes["help"].page
    assert render_body(site, page, "*Ask* for **help** <i>now</i> & [x] `y` _z_") == (
        "<em>Ask</em> for <strong>help</strong> &lt;i&gt;now&lt;/i&gt; &amp; &#91;x&#93; &#96;y&#96; &#95;z&#95;")


def test_editors_page_and_law_page_list_an_affected_outcome(tmp_path):
    import datetime as dt

    from lawguide.render.generate import generated_files, guides_list

    refs = [dict(r) for r in DEFAULT_REFS]
    refs[1]["changes"] = [{"date": "2026-11-15", "summary": "Amended",
                           "source": "https://www.legislation.gov.uk/ukpga/1989/41/section/17ZD"}]
    site = site_with(tmp_path, refs=refs)
    pages = generated_pages(site, today=dt.date(2026, 11, 20))
    import json

    report = json.loads(generated_files(site, dt.date(2026, 11, 20))["editors/review.json"])
    assert {p["page"] for p in report["pages"] if p["affected"]} == {"finder/help-at-home/refused.md", "parents.md"}
    assert "editors/index.md" in pages
    assert 'href="../../finder/help-at-home/refused/"' in guides_list(site, site.register["ca1989-s17zd"])


def test_a_uk_number_in_who_to_call_becomes_a_tel_link_showing_the_digits_as_written():
    assert call_html("Contact's free helpline, 0808 808 3555 (free).") == (
        "Contact's free helpline, <a href=\"tel:+448088083555\">0808 808 3555</a> (free).")
    two = call_html("Family Rights Group, 0808 801 0366, or Contact, 0808 808 3555.")
    assert re.findall(r'<a href="([^"]*)">([^<]*)</a>', two) == [
        ("tel:+448088010366", "0808 801 0366"), ("tel:+448088083555", "0808 808 3555")]
    assert call_html("London 020 7946 0000.") == 'London <a href="tel:+442079460000">020 7946 0000</a>.'


def test_who_to_call_without_a_uk_number_is_only_escaped_text():
    for text in ("999 if anyone is in danger now.", "Fixture helpline, 0000 000 0000.", "Ring 111.",
                 "Call 0808 808 35555 or 0808 808 35 or ref A08088083555 or +0808 808 3555", "Nobody & <no one>"):
        assert "<a" not in call_html(text), text
    assert call_html("Nobody & <no one>") == "Nobody &amp; &lt;no one&gt;"


def test_a_hostile_who_to_call_value_stays_text_around_its_tel_link(tmp_path):
    hostile = '<script>alert(1)</script> 0808 808 3555"><img src=x onerror=alert(1)> [x](javascript:alert(1))'
    html_out = call_html(hostile)
    assert "<script" not in html_out and "<img" not in html_out and "](javascript" not in html_out
    assert re.findall(r"<a\b[^>]*>", html_out) == ['<a href="tel:+448088083555">']
    flow = GOOD.replace("call: Fixture helpline, 0000 000 0000.", "call: " + json.dumps(hostile))
    page = finder_pages(site_with(tmp_path, {"help-at-home.yml": flow}))["finder/help-at-home/ask-now.md"]
    assert f'<p class="lg-finder__call">{html_out}</p>' in page


def test_bare_citations_side_by_side_in_an_outcome_share_one_pair_of_brackets(tmp_path):
    site = site_with(tmp_path)
    page = site.flows["worried"].outcomes["help"].page
    body = render_body(site, page, "Pair [[ca1989-s17]] [[ca1989-s17zd]]. Apart [[ca1989-s17]] and [[ca1989-s17zd]].")
    pair = re.search(r"Pair \((.*?)\)\. Apart", body).group(1)
    assert re.fullmatch(r'<a class="lg-cite" href="[./]*law/ca1989-s17/"[^>]*>.*?</a>; '
                        r'<a class="lg-cite" href="[./]*law/ca1989-s17zd/"[^>]*>.*?</a>', pair)
    assert re.search(r"Apart \(<a [^;]*?</a>\) and \(<a [^;]*?</a>\)\.$", body)
