"""A law page's "Guides that rely on this" (render.generate.guides_list): English pages and Easy Read
first, then each other language's pages under the language's own name, each link in its language."""

from __future__ import annotations

import re
import textwrap
from pathlib import Path

from lawguide.content.site import load_site
from lawguide.content.translations import body_hash
from lawguide.core.settings import Settings
from lawguide.render.generate import guides_list

from tests.fixtures import DEFAULT_PAGES, make_site
from tests.render.test_translations import STRINGS, version, with_strings


def site_with_versions(tmp_path: Path, strings: str = STRINGS):
    current = body_hash(textwrap.dedent(DEFAULT_PAGES["index.md"]))
    pages = {**DEFAULT_PAGES,
             "pl/index.md": version("pl", current), "ar/index.md": version("ar", current),
             "easy-read/index.md": version("en", current, variant="easy-read", body="[[ca1989-s17]]"),
             "zebra.md": "---\ntitle: Zebra crossings\nreviewed: 2026-11-01\n---\n# Zebra\n\nSee [[ca1989-s17]].\n",
             "apple.md": "---\ntitle: apples\nreviewed: 2026-11-01\n---\n# Apples\n\nSee [[ca1989-s17]].\n"}
    site = with_strings(tmp_path, pages, strings)
    assert [p.format() for p in site.problems] == []
    return site


def test_english_and_easy_read_come_first_then_each_language_under_its_own_name(tmp_path):
    site = site_with_versions(tmp_path)
    html = guides_list(site, site.register["ca1989-s17"])
    titles = re.findall(r'^<li><a href="[^"]*"[^>]*>([^<]*)</a>', html, re.MULTILINE)  # pages, not sections
    assert titles == ["apples", "Home", "V en", "Zebra crossings", "V ar", "V pl"]  # English by title, then ar, pl
    labels = re.findall(r'<p class="lg-guides__lang">(.*?)</p>', html)
    assert labels == ['<span lang="ar" dir="rtl">العربية &lt;b&gt;</span>', '<span lang="pl" dir="ltr">Polski</span>']
    assert html.index("V en") < html.index("lg-guides__lang") < html.index("V ar") < html.index("Polski") < html.index("V pl")
    assert html.startswith('<div class="lg-guides" data-search-exclude>\n<ul>\n<li>') and html.endswith("</ul>\n</div>")


def test_each_link_to_a_page_in_another_language_says_its_language_and_direction(tmp_path):
    site = site_with_versions(tmp_path)
    html = guides_list(site, site.register["ca1989-s17"])
    links = re.findall(r"<a [^>]*>", html)
    arabic = [link for link in links if "/ar/" in link]
    polish = [link for link in links if "/pl/" in link]
    english = [link for link in links if "/ar/" not in link and "/pl/" not in link]
    assert arabic and all(link.endswith(' hreflang="ar" lang="ar" dir="rtl">') for link in arabic)
    assert polish and all(link.endswith(' hreflang="pl" lang="pl" dir="ltr">') for link in polish)
    assert english and not any("lang=" in link or "dir=" in link for link in english)  # the law page's own language


def test_a_language_name_from_ui_strings_is_text(tmp_path):
    hostile = STRINGS.replace("name: Polski", "name: '</span><script>alert(1)</script>'")
    site = site_with_versions(tmp_path, hostile)
    html = guides_list(site, site.register["ca1989-s17"])
    assert "<script>" not in html
    assert '<span lang="pl" dir="ltr">&lt;/span&gt;&lt;script&gt;alert(1)&lt;/script&gt;</span>' in html


def test_a_reference_cited_only_in_english_has_one_plain_list(tmp_path):
    root = make_site(tmp_path, DEFAULT_PAGES)
    site = load_site(Settings.from_mkdocs_yml(root / "mkdocs.yml"))
    html = guides_list(site, site.register["ca1989-s17zd"])
    assert html == ('<div class="lg-guides" data-search-exclude>\n<ul>\n<li><a href="../../">Home</a><ul>'
                    '<li><a href="../../#parent-carers">Parent carers</a></li></ul></li>\n</ul>\n</div>')
