"""The theme's templates are drawn by Jinja2 (MkDocs, ProperDocs) and by Zensical's MiniJinja. MiniJinja
has no Python string methods, so `page.url.startswith("law/")` broke the Zensical build of the real guide
while every MkDocs test passed: templates use slices and comparisons that both understand."""

from __future__ import annotations

import re
from pathlib import Path

THEME = Path(__file__).resolve().parents[2] / "theme"
PYTHON_ONLY = re.compile(r"\.(startswith|endswith|split|strip|lstrip|rstrip|lower|upper|replace|format)\(")


def test_theme_templates_call_no_python_string_method_that_minijinja_lacks() -> None:
    found = []
    for template in sorted(THEME.rglob("*.html")):
        for number, line in enumerate(template.read_text(encoding="utf-8").splitlines(), start=1):
            if "{{" in line or "{%" in line:
                found += [f"{template.relative_to(THEME)}:{number}: {m.group(0)}" for m in PYTHON_ONLY.finditer(line)]
    assert found == []
