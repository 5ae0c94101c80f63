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


def law_change_problems(site: Site, today: dt.date) -> list[Problem]:
    """Everything `check` refuses about how pages follow the law's changes: future dates, process tags
    (lawchange.processes) and `reviewed_for:` records."""
    from lawguide.lawchange.processes import tag_problems

    return date_problems(site, today) + tag_problems(site) + reviewed_for_problems(site, today)


def reviewed_for_problems(site: Site, today: dt.date | None = None) -> list[Problem]:
    """A `reviewed_for:` item must name a register entry the page does not cite, one of its recorded
    changes, and a change the page's `reviewed:` date is on or after: anything else is a half-done
    record, refused at its line. A page citing the entry is signed off by `reviewed:` alone."""
    from lawguide.core.problems import suggest
    from lawguide.lawchange.review import cited_refs

    out = []
    for page in site.pages.values():
        cited = {ref.id for ref in cited_refs(site, page)} if page.reviewed_for else set()
        for item in page.reviewed_for:
            ref = site.register.refs.get(item.id)
            if ref is None:
                out.append(Problem(page.display, item.line, f"'reviewed_for' names unknown law reference '{item.id}'",
                                   suggest(item.id, site.register.refs) or "see law_refs/*.yml"))
            elif item.id in cited:
                out.append(Problem(page.display, item.line, f"'reviewed_for' names {item.id}, which this page cites",
                                   "remove the item: for a cited entry, the page's 'reviewed:' date signs it off"))
            elif today is not None and item.change > today:
                out.append(Problem(page.display, item.line, f"'reviewed_for' names a change of {item.id} dated "
                                   f"{item.change}, in the future (today is {today})",
                                   "give the date of the change as the register records it"))
            elif not any(c.date == item.change and c.kind != "link-moved" for c in ref.changes):
                dates = ", ".join(c.date.isoformat() for c in ref.changes if c.kind != "link-moved")
                out.append(Problem(page.display, item.line, f"'reviewed_for' names a change of {item.id} dated "
                                   f"{item.change} that the register does not record",
                                   f"use the date of one of its changes ({dates})" if dates else
                                   f"{item.id} records no change to re-read for: remove the item"))
            elif page.reviewed is not None and item.change > page.reviewed:
                out.append(Problem(page.display, item.line, f"'reviewed_for' says the page was re-read for the change "
                                   f"of {item.id} on {item.change}, after its 'reviewed' date {page.reviewed}",
                                   "set 'reviewed:' to the day you re-read the page"))
    return out
