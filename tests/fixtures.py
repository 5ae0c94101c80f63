"""Tiny fixture sites for unit and end-to-end tests."""

from __future__ import annotations

import importlib.util
import re
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
import yaml

REPO = Path(__file__).resolve().parent.parent
HOOK = REPO / "hooks" / "lawguide_hooks.py"
MKDOCS = [sys.executable, "-m", "mkdocs"]
# Every engine the fixture tests run on; Zensical is an optional extra (bin/setup --test installs it).
ENGINES = [
    "mkdocs",
    "properdocs",
    pytest.param("zensical", marks=pytest.mark.skipif(importlib.util.find_spec("zensical") is None,
                                                       reason="zensical is not installed: pip install -e '.[zensical]'")),
]

DEFAULT_REFS = [
    {
        "id": "ca1989-s17",
        "title": "Support for children in need",
        "cite": "Children Act 1989, s.17",
        "url": "https://www.legislation.gov.uk/ukpga/1989/41/section/17",
        "type": "act",
        "status": "in-force",
        "summary": "The council must help children in need and their families.",
        "verified": "2026-11-22",
    },
    {
        "id": "ca1989-s17zd",
        "title": "Parent carer needs assessments",
        "cite": "Children Act 1989, s.17ZD",
        "url": "https://www.legislation.gov.uk/ukpga/1989/41/section/17ZD",
        "type": "act",
        "status": "in-force",
        "summary": "The council must assess a parent carer who asks.",
        "verified": "2026-11-22",
    },
    {
        "id": "lawcom-dcsc-report",
        "title": "Law Commission final report",
        "cite": "Law Commission, Disabled Children's Social Care (2025)",
        "url": "https://lawcom.gov.uk/project/disabled-childrens-social-care/",
        "type": "proposal",
        "status": "proposed",
        "summary": "Recommendations for new law. Not law.",
        "verified": "2026-11-22",
    },
]

DEFAULT_TERMS = [
    {"id": "short-breaks", "term": "Short breaks", "definition": "Time away from caring.",
     "also_called": ["respite"], "refs": ["ca1989-s17"]},
]

DEFAULT_PAGES = {
    "index.md": """\
        ---
        title: Home
        summary: A tiny guide.
        reviewed: 2026-11-01
        ---
        # Home

        The council must help [[ca1989-s17]].

        ## Asking for help {#asking}

        Ask for [[glossary:short-breaks]] under [[ca1989-s17|section 17]].

        ### Parent carers {#parent-carers}

        You can ask for your own assessment [[ca1989-s17zd]].

        Code stays as it is: `[[not-a-ref]]`.

        ```
        [[also-not-a-ref]]
        ```
        """,
}


# The tiny "Home" page several tests open their pages with: front matter, the title and a blank line,
# so the body starts at line 7 (tests that assert source lines count from there).
HOME_HEAD = """\
---
title: Home
reviewed: 2026-11-01
---
# Home

"""


def home_page(body: str) -> str:
    """The tiny Home page with body (indented as in a test; dedented here) from line 7."""
    return HOME_HEAD + textwrap.dedent(body)


# Who publishes the fixture guide (mkdocs.yml extra.lawguide.publisher / feedback are required).
FIXTURE_PUBLISHER = {"publisher": {"name": "Fixture publisher", "url": "https://example.org/"},
                     "feedback": {"email": "feedback@example.org"}}


class _PlainDumper(yaml.SafeDumper):
    """Writes a value shared by two entries out twice, as an editor would: lawguide refuses YAML anchors
    and aliases (core.yamlsrc), which safe_dump would otherwise write for a shared list."""

    def ignore_aliases(self, data: object) -> bool:
        return True


def write_yaml(path: Path, data: object) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(yaml.dump(data, Dumper=_PlainDumper, sort_keys=False, allow_unicode=True), encoding="utf-8")


def make_site(root: Path, pages: dict[str, str] | None = None, refs: list[dict] | None = None,
              terms: list[dict] | None = None, extra_config: dict | None = None,
              publisher: dict | None = FIXTURE_PUBLISHER) -> Path:
    """Write a fixture project (mkdocs.yml, docs/, law_refs/, glossary/) into root and return root.
    publisher: the extra.lawguide publisher/feedback keys to set (None: leave them out)."""
    pages = DEFAULT_PAGES if pages is None else pages
    config = {
        "site_name": "Fixture guide",
        "theme": {"name": "material", "font": False},
        "hooks": [str(HOOK)],
        "markdown_extensions": ["admonition", "attr_list", "md_in_html", "tables", {"toc": {"permalink": True}}],
        "validation": {"omitted_files": "info", "anchors": "warn", "unrecognized_links": "warn"},
        "extra": {"lawguide": {"review_interval_months": 6}},
    }
    config.update(extra_config or {})
    lawguide_extra = config.setdefault("extra", {}).setdefault("lawguide", {})
    for key, value in (publisher or {}).items():
        lawguide_extra.setdefault(key, value)
    write_yaml(root / "mkdocs.yml", config)
    write_yaml(root / "law_refs" / "refs.yml", {"instrument": "Fixture Act", "refs": DEFAULT_REFS if refs is None else refs})
    write_yaml(root / "glossary" / "terms.yml", {"terms": DEFAULT_TERMS if terms is None else terms})
    for name, text in pages.items():
        target = root / "docs" / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(textwrap.dedent(text), encoding="utf-8")
    return root


def build(root: Path, strict: bool = True, site_dir: Path | None = None, engine: str | None = None) -> subprocess.CompletedProcess:
    """Build the fixture project through the engine seam (MkDocs unless engine or LAWGUIDE_ENGINE says otherwise)."""
    from lawguide.core.settings import config_in
    from lawguide.tools.engine import build as engine_build

    return engine_build(config_in(root) or root / "mkdocs.yml", site_dir, strict, engine)


_GENERATOR = re.compile(rb'<meta name="generator" content="[^"]*">')


def site_differences(a: Path, b: Path) -> list[str]:
    """Files that differ between two built sites, the engine's generator tag excepted."""
    names_a = {p.relative_to(a) for p in a.rglob("*") if p.is_file()}
    names_b = {p.relative_to(b) for p in b.rglob("*") if p.is_file()}
    out = [f"only in {a}: {n}" for n in sorted(names_a - names_b)] + [f"only in {b}: {n}" for n in sorted(names_b - names_a)]
    for name in sorted(names_a & names_b):
        if _GENERATOR.sub(b"", (a / name).read_bytes()) != _GENERATOR.sub(b"", (b / name).read_bytes()):
            out.append(f"differs: {name}")
    return out


def lawguide(root: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "lawguide.cli", "--config", str(root / "mkdocs.yml"), *args],
                          capture_output=True, text=True, cwd=root)
