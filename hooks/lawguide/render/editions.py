"""The editions page (/editions/): every dated edition of the guide, newest first, with what changed
in the law and in the guide since the edition before. The editions themselves are made by
`lawguide publish` (tools/editions.py), which tells the build their names; a preview build has none.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from html import escape

from lawguide.content.site import Site
from lawguide.content.urls import EDITIONS_PAGE, href
from lawguide.render.whatschanged import ChangeEntry, change_entries
from lawguide.render.wording import long_date

NAME = re.compile(r"^(\d{4}-\d{2}-\d{2})(?:-(\d+))?$")
ENV_VAR = "LAWGUIDE_EDITIONS"  # set by `lawguide publish` for its build: edition names, comma separated


@dataclass(frozen=True)
class Edition:
    name: str  # 2026-11-29, or 2026-11-29-2 for a second publish that day

    @property
    def date(self) -> dt.date:
        match = NAME.match(self.name)
        if not match:
            raise ValueError(f"not an edition name: {self.name!r}")
        return dt.date.fromisoformat(match.group(1))

    @property
    def number(self) -> int:
        match = NAME.match(self.name)
        return int(match.group(2) or 1) if match else 1

    @property
    def title(self) -> str:
        return long_date(self.date) + (f" (edition {self.number} of the day)" if self.number > 1 else "")


def is_edition_name(name: str) -> bool:
    """2026-11-29 or 2026-11-29-2, with a real date (not 2026-13-01)."""
    try:
        Edition(name).date  # noqa: B018 - validates
    except ValueError:
        return False
    return True


def sort_editions(editions: list[Edition]) -> list[Edition]:
    """Oldest first, each edition once."""
    return sorted(set(editions), key=lambda e: (e.date, e.number))


def parse_names(text: str) -> list[Edition]:
    """Edition names from LAWGUIDE_EDITIONS, oldest first; anything that is not a valid name is ignored."""
    return sort_editions([Edition(n) for n in (n.strip() for n in (text or "").split(",")) if is_edition_name(n)])


def editions_page(site: Site, editions: list[Edition]) -> str:
    out = ["---", "title: The guide on an earlier date",
           "description: Every edition of this guide, newest first, with what changed since the one before.",
           "robots: noindex", "search:", "  exclude: true", "---", "",
           "# The guide on an earlier date", "",
           '<p class="lg-summary">Each time we publish the guide, we keep a copy of it as it stood that day. '
           "A copy never changes, so you can show what the guide said on the date of a decision.</p>", "",
           "An earlier edition may be out of date: the law may have changed since. "
           "Use the newest edition for advice about today.", "",
           "## Editions, newest first {#editions}", ""]
    if not editions:
        return "\n".join(out + ["No edition has been published yet. Editions are made by `lawguide publish`.", ""])
    entries = change_entries(site)
    out.append('<ul class="lg-editions">')
    for index in range(len(editions) - 1, -1, -1):
        edition = editions[index]
        before = editions[index - 1] if index else None
        current = " (the current guide)" if index == len(editions) - 1 else ""
        out.append(f'<li><p><a class="lg-edition" data-edition="{escape(edition.name)}" '
                   f'href="{escape(edition.name)}/">The guide as it stood on {escape(edition.title)}</a>{current}</p>')
        if before is None:
            out.append("<p>The first edition.</p></li>")
            continue
        changed = [e for e in entries if before.date < e.date <= edition.date]
        if not changed:
            out.append(f"<p>No change in the law or the guide was recorded since {escape(before.title)}.</p></li>")
            continue
        out.append(f"<p>What changed since {escape(before.title)}:</p><ul>")
        out += [f"<li>{_change(site, entry)}</li>" for entry in changed]
        out.append("</ul></li>")
    out.append("</ul>")
    return "\n".join(out) + "\n"


def _change(site: Site, entry: ChangeEntry) -> str:
    link = f'<a href="{escape(href(site, EDITIONS_PAGE, entry.target))}">{escape(entry.title)}</a>'
    return f"{escape(long_date(entry.date))}. {escape(entry.label)}: {link}. {escape(entry.summary.rstrip('.'))}."
