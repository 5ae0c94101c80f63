"""A fixture guide with a script payload in every text field that reaches the HTML: register cite,
title, summary, notes, instrument and change summaries; glossary terms, definitions and everyday
words; page titles, descriptions, summaries and change notes; a citation's own link text.

Every payload, if it ever became markup, would set window.__pwned, add an element of class
`pwned`, or both. Shared by the built-HTML test (tests/e2e) and the Chromium test (tests/browser).
"""

from __future__ import annotations

import json
from html.parser import HTMLParser
from pathlib import Path

from tests.fixtures import make_site


def payload(n: int) -> str:
    """Text that breaks out of an element, an attribute, a <title>, a Markdown link, a raw HTML block
    and an attr_list, in turn."""
    return (f'</title></a>"><script>window.__pwned={n}</script><img class="pwned" src="x" onerror="window.__pwned={n}">'
            f"<svg class=pwned onload=window.__pwned={n}> [click](javascript:window.__pwned={n}) "
            f"*x*{{: onclick=\"window.__pwned={n}\" class=\"pwned\"}}\n\n"
            f'<b class="pwned" onmouseover="window.__pwned={n}">after a blank line</b> A <b> stays text')


REFS = [
    {"id": "ca1989-s17", "title": "Support " + payload(1), "cite": "Children Act 1989, s.17 " + payload(2),
     "url": "https://www.legislation.gov.uk/ukpga/1989/41/section/17", "type": "act", "status": "in-force",
     "summary": "The council must help. " + payload(3), "verified": "2026-11-22", "notes": "Checked. " + payload(4),
     "changes": [{"date": "2026-01-01", "summary": "Amended. " + payload(5),
                  "source": "https://www.legislation.gov.uk/ukpga/2014/6/section/97"}]},
    {"id": "ca1989-s17zd", "title": "Parent carer needs assessments", "cite": "Children Act 1989, s.17ZD",
     "url": "https://www.legislation.gov.uk/ukpga/1989/41/section/17ZD", "type": "act", "status": "repealed",
     "summary": "The council must assess a parent carer who asks.", "verified": "2026-11-22",
     "replaced_by": "ca1989-s17"},
]
TERMS = [{"id": "short-breaks", "term": "Short breaks " + payload(6), "definition": "Time away. " + payload(7),
          "also_called": ["respite " + payload(8)], "refs": ["ca1989-s17"]}]


def _front(**fields: object) -> str:
    return "---\n" + "".join(f"{k}: {json.dumps(v)}\n" for k, v in fields.items()) + "---\n"


PAGES = {
    "index.md": _front(title="Home " + payload(9), description="Start " + payload(10), summary="A guide. " + payload(11),
                       reviewed="2026-01-01",
                       changes=[{"date": "2026-11-01", "summary": "Rewritten. " + payload(12)}])
    + "# Home\n\nThe council must help [[ca1989-s17]] and [[ca1989-s17zd]].\n\n"
      "## Asking for help {#asking}\n\nAsk for [[glossary:short-breaks]] under [[ca1989-s17|the <i class=pwned>law</i>]].\n",
    "second.md": _front(title="Second", reviewed="2026-11-01")
    + "# Second\n\nParents can ask for an assessment [[ca1989-s17zd]].\n",
}
PAYLOADS = range(1, 14)


def make_payload_site(root: Path) -> Path:
    make_site(root, pages=PAGES, refs=REFS, terms=TERMS)
    (root / "law_refs" / "refs.yml").write_text(
        (root / "law_refs" / "refs.yml").read_text(encoding="utf-8").replace(
            "instrument: Fixture Act", f"instrument: {json.dumps('Fixture Act ' + payload(13))}"), encoding="utf-8")
    return root


class LiveMarkup(HTMLParser):
    """What in a built page would run or show as markup: inline scripts that mention the payload,
    event handlers, javascript: links and elements of class pwned."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[str] = []
        self._script = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if "pwned" in (values.get("class") or "").split():
            self.found.append(f"<{tag} class=pwned>")
        for name, value in attrs:
            if name.startswith("on") and "__pwned" in (value or ""):
                self.found.append(f"<{tag} {name}=...>")
            if name in ("href", "src") and (value or "").strip().lower().startswith("javascript:"):
                self.found.append(f"<{tag} {name}={value}>")
        self._script = tag == "script" and "src" not in values

    def handle_endtag(self, tag: str) -> None:
        if tag == "script":
            self._script = False

    def handle_data(self, data: str) -> None:
        if self._script and "__pwned" in data:
            self.found.append(f"<script>{data[:40]}")


def live_markup(html: str) -> list[str]:
    parser = LiveMarkup()
    parser.feed(html)
    return parser.found
