"""The live preview tells the truth: while serving, every problem in the sources is shown at the top
of every page, as `path:line: message (hint)`, instead of stopping the preview (which leaves the
browser waiting with no message). Strict builds outside the preview still fail as before."""

from __future__ import annotations

import re
from html import escape

_BODY = re.compile(r"<body(\s[^>]*)?>", re.IGNORECASE)
BANNER_ID = "lawguide-preview-problems"


def problems_banner(lines: list[str]) -> str:
    """A banner listing each problem; empty when there is none."""
    if not lines:
        return ""
    count = f"{len(lines)} problem{'s' if len(lines) != 1 else ''}"
    items = "\n".join(f"<li><code>{escape(line, quote=False)}</code></li>" for line in lines)
    return (f'<div id="{BANNER_ID}" role="alert" style="background:#fff3cd;color:#1d1d1d;border:4px solid #b00020;'
            f'padding:1em;margin:0;font:1rem/1.4 sans-serif;position:relative;z-index:10">'
            f"<p><strong>Preview only: {count} in the guide's sources.</strong> "
            f"A strict build (<code>lawguide build</code>, <code>lawguide publish</code>) would fail. "
            f"Fix these, save, and this page reloads.</p>\n<ul>\n{items}\n</ul></div>")


def add_banner(html: str, banner: str) -> str:
    """Put the banner first inside <body> (or first of all when the page has no <body>)."""
    if not banner or BANNER_ID in html:
        return html
    html, count = _BODY.subn(lambda m: m.group(0) + banner, html, count=1)
    return html if count else banner + html
