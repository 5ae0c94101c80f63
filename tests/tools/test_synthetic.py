"""The synthetic site generator used by the benchmarks builds cleanly, with and without the hooks."""

from __future__ import annotations

import re

from lawguide.content.site import load_site
from lawguide.core.settings import Settings
from lawguide.lawchange.review import review_items
from lawguide.tools.synthetic import BASE_DATE, make_synthetic_site

from tests.fixtures import build


def test_synthetic_site_is_valid_and_shaped_like_the_guide(tmp_path):
    root = make_synthetic_site(tmp_path / "a", pages=40, seed=3)
    site = load_site(Settings.from_mkdocs_yml(root / "mkdocs.yml"))
    assert site.problems == []
    assert len(site.pages) == 40 and len(site.register.refs) == 60
    assert all(p.reviewed and len(p.anchors) >= 4 and p.law_citations and p.glossary_links for p in site.pages.values())
    words = [len(re.findall(r"[A-Za-z']+", (root / "docs" / p).read_text().split("---", 2)[2])) for p in site.pages]
    assert 500 < min(words) and max(words) < 1100
    assert any(i.affected for i in review_items(site, BASE_DATE))
    again = make_synthetic_site(tmp_path / "b", pages=40, seed=3)  # same seed, same site: timings are comparable
    sample = "docs/section-00/topic-01/page-0030.md"
    assert (again / sample).read_text() == (root / sample).read_text()


def test_synthetic_site_builds_strictly_with_and_without_hooks(tmp_path):
    with_hooks = make_synthetic_site(tmp_path / "hooks", pages=12)
    result = build(with_hooks)
    assert result.returncode == 0, result.stderr
    assert (with_hooks / "site" / "law" / "sca-sec1" / "index.html").exists()
    plain = make_synthetic_site(tmp_path / "plain", pages=12, hooks=False)
    assert not any("[[" in p.read_text() for p in (plain / "docs").rglob("*.md"))
    assert "hooks" not in (plain / "mkdocs.yml").read_text()
    result = build(plain)
    assert result.returncode == 0, result.stderr
    assert not (plain / "site" / "law").exists()
