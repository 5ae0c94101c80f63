"""Dates that cannot lie: a page's `reviewed:` date and its change notes are never after today.

The register's own dates are checked where it is read (content.register); a page's are checked here,
where today's date is known (core.clock), so `lawguide check` and every build refuse them alike.
"""

from __future__ import annotations

import datetime as dt

from lawguide.content.site import Site
from lawguide.core.problems import Problem


def date_problems(site: Site, today: dt.date) -> list[Problem]:
    out = []
    for page in site.pages.values():
        if page.reviewed and page.reviewed > today:
            out.append(Problem(page.display, page.meta_lines.get("reviewed", 1),
                               f"'reviewed' {page.reviewed} is in the future (today is {today})",
                               "set it to the day you checked the page; to check a page against a change that "
                               "takes effect later, review it now: the register's 'commences:' does the rest"))
        for note in page.change_notes:
            if note.date > today:
                out.append(Problem(page.display, note.line, f"change note dated {note.date} is in the future "
                                   f"(today is {today})", "date the note the day you made the change"))
    return out
