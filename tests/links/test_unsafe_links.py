"""One URL check for every address (issue 29 item 8): authors' own Markdown links and the publisher and
feedback addresses in mkdocs.yml go through core/weburl.py, and a bad one is refused by `lawguide check`
and the strict build at its path and line.

The hostile links are the classic ones (OWASP's XSS filter evasion cheat sheet: javascript:, data:,
vbscript:, character references and tabs inside the scheme, protocol-relative //host) and a look-alike
host (a Cyrillic 'а' in legislation.gov.uk, an IDN homograph); nothing here is a recorded response.
"""

from __future__ import annotations

import pytest
import yaml
from lawguide.core.settings import Settings
from lawguide.core.weburl import lookalike_of, url_problem
from lawguide.guide import load_guide
from lawguide.links.markdown_links import unsafe_link

from tests.fixtures import build, lawguide, make_site

LOOK_ALIKE = "https://www.legisl\u0430tion.gov.uk/ukpga/1989/41"  # Cyrillic a


def page_with(link_line: str) -> dict[str, str]:
    return {"index.md": "---\ntitle: Home\nsummary: Home.\nreviewed: 2026-11-22\n---\n# Home\n\n"
                        "The council must help [[ca1989-s17]].\n\n" + link_line + "\n"}


LINE = 10  # the line link_line lands on in page_with


def problems_of(root) -> list[str]:
    site = load_guide(Settings.from_mkdocs_yml(root / "mkdocs.yml"))
    return [p.format() for p in site.problems]


@pytest.mark.parametrize(("link", "message"), [
    ("[Help](javascript:alert(1))", "link 'javascript:alert(1' is a javascript: link, which the guide never publishes"),
    ("[Help](JaVaScRiPt:alert(1))", "is a javascript: link"),
    ("[Help](jav&#x61;script:alert(1))", "is a javascript: link"),
    ("[Help](java&#9;script:alert(1))", "is a javascript: link"),
    ("[Help](data:text/html;base64,PHNjcmlwdD4=)", "is a data: link"),
    ("[Help](vbscript:msgbox)", "is a vbscript: link"),
    ("[Help](file:///etc/passwd)", "is a file: link"),
    ("[Help](//evil.example/x)", "link '//evil.example/x' is protocol-relative (//host)"),
    ("[Help](http://www.legislation.gov.uk/ukpga/1989/41)", "link 'http://www.legislation.gov.uk/ukpga/1989/41' is plain http://"),
    (f"[Help]({LOOK_ALIKE})", "a look-alike of legislation.gov.uk"),
    ("[Help](https://www.xn--legisltion-4qi.gov.uk/x)", "a look-alike of legislation.gov.uk"),
    ("[help]: javascript:alert(1)", "is a javascript: link"),
])
def test_an_unsafe_link_is_refused_at_its_line(tmp_path, link, message):
    root = make_site(tmp_path, pages=page_with(link))
    problems = problems_of(root)
    assert any(p.startswith(f"docs/index.md:{LINE}: ") and message in p for p in problems), problems


@pytest.mark.parametrize("link", [
    "[Write to us](mailto:guide@example.org)", "[Ring](tel:+441234567890)", "[Top](#top)",
    "[Home](index.md)", "[Act](https://www.legislation.gov.uk/ukpga/1989/41/section/17)",
    "[Search](https://www.gov.uk/search?q=short+breaks&order=relevance)",
])
def test_mailto_tel_relative_fragment_and_https_links_are_allowed(tmp_path, link):
    root = make_site(tmp_path, pages=page_with(link.replace("(#top)", "(#home)")))
    assert problems_of(root) == []


# --- autolinks and raw HTML: published as written, so checked here or nowhere ----------------------

@pytest.mark.parametrize(("link", "message"), [
    ("See <http://example.org>.", "link 'http://example.org' is plain http:// (use the https:// address"),
    ("See <HTTP://www.gov.uk/x>.", "link 'HTTP://www.gov.uk/x' is plain http://"),
    (f"See <{LOOK_ALIKE}>.", "a look-alike of legislation.gov.uk"),
    ("See <javascript:alert(1)>.", "link 'javascript:alert(1)' is a javascript: link, which the guide never publishes"),
    ('See <a href="javascript:alert(1)">help</a>.', "link 'javascript:alert(1)' is a javascript: link"),
    ("See <a href='http://example.org/'>help</a>.", "link 'http://example.org/' is plain http://"),
    ("See <a href=http://example.org/>help</a>.", "link 'http://example.org/' is plain http://"),
    ('See <a class="x" HREF = "jav&#x61;script:alert(1)">help</a>.', "is a javascript: link"),
    ('See <a href="//evil.example/x">help</a>.', "link '//evil.example/x' is protocol-relative (//host)"),
    (f'See <a href="{LOOK_ALIKE}">the Act</a>.', "a look-alike of legislation.gov.uk"),
    ('<div markdown>\n<img alt="" src="data:image/svg+xml;base64,PHN2Zz4=">\n</div>', "is a data: link"),
    ('<form action="http://example.org/post"></form>', "link 'http://example.org/post' is plain http://"),
], ids=["autolink-http", "autolink-upper-case", "autolink-look-alike", "autolink-javascript", "href-javascript",
        "href-single-quoted-http", "href-unquoted-http", "href-entity-in-scheme", "href-protocol-relative",
        "href-look-alike", "img-src-data", "form-action-http"])
def test_an_unsafe_autolink_or_raw_html_address_is_refused_at_its_line(tmp_path, link, message):
    root = make_site(tmp_path, pages=page_with(link))
    line = LINE + (1 if link.startswith("<div") else 0)  # the <img> inside the <div>
    problems = problems_of(root)
    assert [p for p in problems if p.startswith(f"docs/index.md:{line}: ") and message in p], problems
    assert not [p for p in problems if not p.startswith(f"docs/index.md:{line}: link ")], problems


def test_a_raw_html_link_broken_over_two_lines_is_refused_at_the_line_of_its_address(tmp_path):
    root = make_site(tmp_path, pages=page_with('See <a class="more"\n   href="javascript:alert(1)">help</a>.'))
    assert problems_of(root) == [f"docs/index.md:{LINE + 1}: link 'javascript:alert(1)' is a javascript: link, which "
                                 "the guide never publishes (link a page of the guide, an https:// address, mailto: or tel:)"]


@pytest.mark.parametrize("link", [
    "See <https://www.gov.uk/>.", "Write to <mailto:guide@example.org>.", "Ring <tel:+441234567890>.",
    '<a href="index.md">Home</a>', '<a href="#home">Top</a>', '<a href="../elsewhere/">Gone</a> (raw: not resolved)',
    "Code: `<http://example.org>` and `<a href=\"javascript:x\">`.",
    "```html\n<a href=\"javascript:alert(1)\">x</a> <http://example.org>\n```",
    "~~~\n<http://example.org>\n~~~",
    "x = 1 < 2 and y = 3 > 2; 2<3>1",
], ids=["https-autolink", "mailto", "tel", "relative-href", "fragment-href", "unresolved-href", "inline-code",
        "backtick-fence", "tilde-fence", "comparison-not-a-tag"])
def test_safe_autolinks_raw_html_and_code_are_not_reported(tmp_path, link):
    root = make_site(tmp_path, pages=page_with(link))
    assert problems_of(root) == []


@pytest.mark.parametrize("link", ["[Help](<http://example.org>)", "[help]: <http://example.org>"])
def test_a_markdown_link_in_angle_brackets_is_reported_once(tmp_path, link):
    root = make_site(tmp_path, pages=page_with(link))
    assert problems_of(root) == [f"docs/index.md:{LINE}: link 'http://example.org' is plain http:// "
                                 "(use the https:// address (official sites all have one))"]


def test_check_and_the_strict_build_refuse_a_javascript_link_with_path_and_line(tmp_path):
    root = make_site(tmp_path, pages=page_with("[Help](javascript:alert(document.cookie))"))
    checked = lawguide(root, "check")
    assert checked.returncode != 0
    assert f"docs/index.md:{LINE}: link 'javascript:alert(document.cookie' is a javascript: link" in checked.stdout + checked.stderr
    built = build(root)
    assert built.returncode != 0 and not (root / "site" / "index.html").exists()
    assert f"docs/index.md:{LINE}: link 'javascript:alert(document.cookie'" in built.stderr
    assert "Traceback" not in built.stderr + checked.stderr


def test_look_alikes_are_named_and_official_hosts_are_not():
    assert lookalike_of("www.legisl\u0430tion.gov.uk") == "legislation.gov.uk"
    assert lookalike_of("www.legislation.gov.uk") == "legislation.gov.uk"  # (only asked for non-ASCII hosts)
    assert lookalike_of("xn--80ak6aa92e.com") == ""
    assert url_problem("https://www.legislation.gov.uk/ukpga/1989/41") == ""
    assert url_problem("https://xn--80ak6aa92e.com/").startswith("has a host name in letters other than plain a-z")
    assert unsafe_link("https://www.bailii.org/ew/cases/EWHC/Admin/2019/1.html") is None


# --- the publisher and feedback addresses in mkdocs.yml -------------------------------------------------

@pytest.mark.parametrize(("publisher", "feedback", "key", "message"), [
    ({"name": "Org", "url": 'https://org.example/"><script>x</script>'}, {"email": "a@org.example"},
     "url", "extra.lawguide.publisher.url 'https://org.example/\"><script>x</script>' is not an https:// web address (it contains"),
    ({"name": "Org", "url": "https://org.example/a\tb"}, {"email": "a@org.example"},
     "url", "extra.lawguide.publisher.url 'https://org.example/a\\tb' is not an https:// web address (it contains a space or line break"),
    ({"name": "Org"}, {"url": "https://org.example/<feedback>"},
     "url", "'https://org.example/<feedback>' is not an https:// web address (it contains '<' '>'"),
    ({"name": "Org"}, {"url": "javascript:alert(1)"},
     "url", "extra.lawguide.feedback.url 'javascript:alert(1)' is not an https:// web address (it is a javascript: address"),
    ({"name": "Org"}, {"url": LOOK_ALIKE}, "url", "a look-alike of legislation.gov.uk"),
    ({"name": "Org"}, {"email": 'a"b@org.example'}, "email", "extra.lawguide.feedback.email 'a\"b@org.example' is not an email address"),
    ({"name": "Org"}, {"email": "a\tb@org.example"}, "email", "extra.lawguide.feedback.email 'a\\tb@org.example' is not"),
    ({"name": "Org"}, {"email": "a@org.example><script"}, "email", "is not an email address"),
])
def test_publisher_and_feedback_addresses_pass_the_one_url_check_with_their_mkdocs_yml_line(
        tmp_path, publisher, feedback, key, message):
    root = make_site(tmp_path, publisher={"publisher": publisher, "feedback": feedback})
    lines = (root / "mkdocs.yml").read_text(encoding="utf-8").splitlines()
    section = "publisher:" if message.startswith("extra.lawguide.publisher") else "feedback:"
    start = next(i for i, line in enumerate(lines) if line.strip() == section)
    line = next(i for i, text in enumerate(lines) if i > start and text.strip().startswith(f"{key}:")) + 1
    problems = problems_of(root)
    assert any(p.startswith(f"mkdocs.yml:{line}: ") and message in p for p in problems), (line, problems)
    assert yaml.safe_load((root / "mkdocs.yml").read_text(encoding="utf-8"))  # (the file itself is valid YAML)
