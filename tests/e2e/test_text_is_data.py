"""Text is data on every path into the HTML: a guide with a script payload in every YAML field and
front matter value builds strictly, and no payload becomes markup in any built page; every page
carries a Content-Security-Policy that allows only the theme's own inline scripts. On every engine
(MkDocs, ProperDocs, Zensical): all go through the one safety pass, lawguide.render.safety."""

from __future__ import annotations

import re
from html import unescape

import pytest
import yaml
from lawguide.render.page import html_link, md_text
from lawguide.render.safety import escape_front_matter, inline_script_hashes

from tests.e2e.payloads import PAYLOADS, live_markup, payload
from tests.fixtures import ENGINES, build, make_site


@pytest.fixture(scope="module")
def payload_site(payload_builds):
    return payload_builds(None)  # the default engine; built once a session (tests/conftest.py)


@pytest.fixture(scope="module", params=ENGINES)
def engine_payload_site(request, payload_builds):
    """The payload guide built by each engine (MkDocs' build is the module's own payload_site)."""
    if request.param == "mkdocs":
        return request.getfixturevalue("payload_site")
    return payload_builds(request.param)


def pages(site) -> dict[str, str]:
    return {p.relative_to(site).as_posix(): p.read_text(encoding="utf-8") for p in sorted(site.rglob("*.html"))}


def test_no_payload_becomes_markup_on_any_page(payload_site):
    built = pages(payload_site)
    assert {"index.html", "law/ca1989-s17/index.html", "glossary/index.html", "changes/index.html",
            "law/index.html", "editors/index.html", "404.html"} <= set(built)
    live = {path: found for path, html in built.items() if (found := live_markup(html))}
    assert live == {}


def test_no_payload_becomes_markup_and_every_page_carries_the_policy_on_every_engine(engine_payload_site):
    built = pages(engine_payload_site)
    assert {"index.html", "law/ca1989-s17/index.html", "glossary/index.html", "404.html"} <= set(built)
    assert {path: found for path, html in built.items() if (found := live_markup(html))} == {}
    for path, html in built.items():
        head = html.split("</head>", 1)[0]
        assert '<meta http-equiv="Content-Security-Policy"' in head, f"{path} has no policy"
        assert head.index("Content-Security-Policy") < head.find("<script") or "<script" not in head, path
    home = built["index.html"]
    # The front matter title and description (payloads 9 and 10) and the register cite on its law
    # page (payload 2) are text: escaped once, never twice.
    assert unescape(re.search(r"<title>(.*?)</title>", home, re.S).group(1)).startswith(
        'Home </title></a>"><script>window.__pwned=9</script>')
    assert unescape(re.search(r'<meta name="description" content="([^"]*)"', home).group(1)).startswith(
        'Start </title></a>"><script>window.__pwned=10')
    law = built["law/ca1989-s17/index.html"]
    assert unescape(re.search(r"<title>(.*?)</title>", law, re.S).group(1)).startswith(
        'Children Act 1989, s.17 </title></a>"><script>window.__pwned=2')
    assert "&amp;lt;" not in home and "&amp;lt;" not in law


def test_a_build_whose_adapter_skips_the_safety_pass_fails(tmp_path):
    """What a third engine's adapter that forgot lawguide.render.safety would give: pages without the
    policy. tools/engine.build refuses it, naming the pages."""
    root = make_site(tmp_path)
    forgetful = root / "lawguide_forgetful.py"  # an adapter that renders pages but skips the safety pass
    forgetful.write_text("def on_page_markdown(markdown, **kwargs):\n    return markdown\n", encoding="utf-8")
    config = yaml.safe_load((root / "mkdocs.yml").read_text(encoding="utf-8"))
    config["hooks"] = [str(forgetful)]
    (root / "mkdocs.yml").write_text(yaml.safe_dump(config), encoding="utf-8")
    result = build(root, strict=False, engine="mkdocs")
    assert result.returncode == 1
    assert "built page(s) lack the Content-Security-Policy (404.html, index.html" in result.stderr
    assert "the mkdocs adapter skipped the safety pass (lawguide.render.safety)" in result.stderr


@pytest.mark.parametrize(("source", "title"), [
    ('---\ntitle: "A \\"quote\\" <b>"\nreviewed: 2026-01-01\n---\n# A\n', 'A &#34;quote&#34; &lt;b&gt;'),
    ("---\r\ntitle: Tom & Jerry's\r\n---\r\n# A\r\n", "Tom &amp; Jerry's"),
])
def test_front_matter_read_by_the_engine_itself_is_escaped_once(source, title):
    out = escape_front_matter(source)
    meta = yaml.safe_load(out.split("---\n")[1])
    assert meta["title"] == title
    assert out.endswith("# A\n") or out.endswith("# A\r\n")


@pytest.mark.parametrize("source", ["# No front matter\n", "---\n- a list\n---\n# A\n", "---\ntitle: [unclosed\n---\n"])
def test_front_matter_that_is_absent_or_not_a_mapping_is_left_as_it_is(source):
    assert escape_front_matter(source) == source


def test_titles_and_descriptions_are_escaped_where_material_prints_them(payload_site):
    home = (payload_site / "index.html").read_text(encoding="utf-8")
    title = re.search(r"<title>(.*?)</title>", home, re.S).group(1)
    assert unescape(title).startswith("Home </title></a>\"><script>window.__pwned=9</script>")
    description = re.search(r'<meta name="description" content="([^"]*)"', home).group(1)
    assert unescape(description).startswith('Start </title></a>"><script>')
    law = (payload_site / "law/ca1989-s17/index.html").read_text(encoding="utf-8")
    assert unescape(re.search(r"<title>(.*?)</title>", law, re.S).group(1)).startswith("Children Act 1989, s.17 </title>")
    header = re.search(r'<span class="md-ellipsis">\s*(Children Act 1989.*?)\s*</span>', law, re.S).group(1)
    assert "<script>" not in header and "&lt;script&gt;" in header


def test_every_payload_is_shown_as_text_somewhere(payload_site):
    text = unescape(re.sub(r"<[^>]+>", "", "".join(pages(payload_site).values())))
    for n in PAYLOADS:
        if n == 10:
            continue  # the description: only in a meta attribute (checked above)
        assert f"window.__pwned={n}</script>" in text, f"payload {n} is not shown as text"
    assert "A <b> stays text" in text and "A \\<b>" not in text


def test_official_text_and_source_links_are_html_with_the_checked_address(payload_site):
    law = (payload_site / "law/ca1989-s17/index.html").read_text(encoding="utf-8")
    assert '<a href="https://www.legislation.gov.uk/ukpga/1989/41/section/17">Read the official text</a>' in law
    assert '<a href="https://www.legislation.gov.uk/ukpga/2014/6/section/97">Source</a>' in law
    changes = (payload_site / "changes/index.html").read_text(encoding="utf-8")
    assert '<a href="https://www.legislation.gov.uk/ukpga/2014/6/section/97">Official source</a>' in changes
    glossary = (payload_site / "glossary/index.html").read_text(encoding="utf-8")
    assert re.search(r'The law: <a href="\.\./law/ca1989-s17/">Children Act 1989, s\.17 &lt;/title&gt;', glossary)


def test_every_page_has_a_csp_with_only_the_theme_scripts_and_a_referrer_policy(payload_site):
    for path, html in pages(payload_site).items():
        head = html.split("</head>", 1)[0]
        policy = re.search(r'<meta http-equiv="Content-Security-Policy" content="([^"]+)">', head)
        assert policy, f"{path} has no CSP"
        assert '<meta name="referrer" content="same-origin">' in head, path
        assert head.index("Content-Security-Policy") < head.find("<script") or "<script" not in head, path
        rules = dict(rule.strip().split(" ", 1) for rule in policy.group(1).split(";"))
        assert rules["default-src"] == "'self'" and rules["object-src"] == "'none'"
        assert "'unsafe-inline'" not in rules["script-src"] and "'unsafe-eval'" not in rules["script-src"]
        allowed = set(re.findall(r"'sha256-[^']+'", rules["script-src"]))
        assert allowed == set(inline_script_hashes(html)), path  # every inline script Material needs, no more


def test_a_script_in_the_page_body_is_never_allowed_by_the_policy():
    from lawguide.render.safety import secure_page

    body = "<p>x</p><script>window.__pwned=1</script>"
    html = f"<html><head><meta charset=\"utf-8\"><script>theme()</script></head><body>{body}</body></html>"
    out = secure_page(html, body)
    assert inline_script_hashes(html, body) == inline_script_hashes("<script>theme()</script>")
    assert len(re.findall(r"'sha256-", out)) == 1


@pytest.mark.parametrize("tag", ["<script>", "<SCRIPT>", "<Script type=module>", "<script\n>"])
def test_a_body_script_in_any_spelling_is_left_out_and_a_body_without_one_changes_nothing(tag):
    theme = "<script>theme()</script>"
    body = f"<p>x</p>{tag}window.__pwned=1</script>"
    html = f"<html><head>{theme}</head><body>{body}</body></html>"
    assert inline_script_hashes(html, body) == inline_script_hashes(theme)
    clean = "<p>no script here</p>"
    assert inline_script_hashes(f"<html><head>{theme}</head><body>{clean}</body></html>", clean) == \
        inline_script_hashes(theme)


@pytest.mark.parametrize(("text", "shown"), [("A <b>", "A &lt;b&gt;"), ("a & b", "a &amp; b"),
                                              ("[x](javascript:y)", "\\[x\\](javascript:y)"), ("{: onclick=y}", "\\{: onclick=y\\}"),
                                              ("a\n\n- b", "a - b")])
def test_md_text_shows_text_as_typed(text, shown):
    assert md_text(text) == shown


def test_html_link_escapes_its_text_and_attribute():
    assert html_link('https://x.example/?a=1&b="2"', "A <b> [x](y) | z\n\nw") == (
        '<a href="https://x.example/?a=1&amp;b=&quot;2&quot;">A &lt;b&gt; &#91;x&#93;(y) &#124; z  w</a>')


def test_payload_strings_are_what_the_tests_say():
    assert "<script>window.__pwned=1</script>" in payload(1) and "\n\n" in payload(1)


def _hashes_as_before(html: str, content: str = "") -> list[str]:
    """inline_script_hashes as first written (one regex over the whole page): the faster scan must
    allow exactly these scripts, or fewer where no browser would run the tag anyway."""
    import base64
    import hashlib

    from lawguide.render.safety import _DATA_TYPES

    whole_page = re.compile(r"<script(?P<attrs>(?:\s[^>]*)?)>(?P<body>.*?)</script\s*>", re.IGNORECASE | re.DOTALL)
    start = html.find(content) if content else -1
    body_span = range(start, start + len(content)) if start >= 0 else range(0)
    hashes = []
    for match in whole_page.finditer(html):
        attrs = match.group("attrs").lower()
        kind = re.search(r"\btype\s*=\s*[\"']?([^\"'\s>]+)", attrs)
        if match.start() in body_span or re.search(r"\bsrc\s*=", attrs) or (kind and kind.group(1) in _DATA_TYPES):
            continue
        hashes.append(f"'sha256-{base64.b64encode(hashlib.sha256(match.group('body').encode()).digest()).decode()}'")
    return list(dict.fromkeys(hashes))


def test_the_script_scan_allows_what_the_whole_page_regex_allowed_on_every_built_page(payload_site):
    for path, html in pages(payload_site).items():
        body = re.search(r'<article class="md-content__inner md-typeset">(.*)</article>', html, re.S)
        content = body.group(1) if body else ""
        assert inline_script_hashes(html, content) == _hashes_as_before(html, content), path


def test_the_script_scan_agrees_on_odd_spellings_and_stray_tags():
    import random

    rng = random.Random(7)
    pieces = ["<script>a()</script>", "<SCRIPT>b()</SCRIPT>", "<ScRiPt type=module>c()</sCrIpT >", "<script",
              "</script>", "<script src=x.js></script>", '<script type="application/json">{}</script>',
              "<scripty>", "<p>text</p>", "İ", "ß", "<script\n>d()</script\n>", "<<script>e()</script>", "<script>x",
              "a<b", "</scriptx>", "</script", "</SCRIPT\t>", "<\n", "<script >f</script >"]
    for _ in range(3000):
        html = "".join(rng.choice(pieces) for _ in range(rng.randint(0, 8)))
        content = rng.choice(["", "<p>text</p>", "<script>a()</script>"])
        assert inline_script_hashes(html, content) == _hashes_as_before(html, content), (html, content)


def test_a_tag_no_browser_reads_as_a_script_is_not_allowed():
    """Python's case-insensitive match reads "<ſcript>" (long s) as a script tag; a browser does not
    (HTML names are ASCII), so the policy need not allow it, and now does not."""
    assert inline_script_hashes("<head><ſcript>x()</script></head>") == []


def test_redirect_stubs_written_by_another_plugin_carry_the_policy_too(tmp_path):
    """mkdocs-redirects writes its stubs (an inline script and a meta refresh) after every page hook;
    the safety pass secures them after the build, allowing only the stub's own script."""
    root = make_site(tmp_path, extra_config={"plugins": ["search", {"redirects": {"redirect_maps": {"old.md": "index.md"}}}]})
    result = build(root)
    assert result.returncode == 0, result.stderr
    stub = (root / "site" / "old" / "index.html").read_text(encoding="utf-8")
    policy = re.search(r'<meta http-equiv="Content-Security-Policy" content="([^"]+)">', stub)
    assert policy, stub[:400]
    assert set(re.findall(r"'sha256-[^']+'", policy.group(1))) == set(inline_script_hashes(stub)) != set()
