"""When the law changes: which pages are affected, which are overdue for review.

A page is *affected* when a law it cites changed after the page was last reviewed (a `changes`
entry dated after `reviewed`), was repealed, or was replaced. A page is *overdue* when its review
interval has passed. Affected is a fact about the sources only, so every build shows the same
notice; overdue depends on today's date, so only reports (never reader pages) use it.
"""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass, field

from lawguide.content.pages import Page
from lawguide.content.register import LawRef
from lawguide.content.site import Site
from lawguide.lawchange.sources_lock import stale_sources

AFFECTED = "affected"
OVERDUE = "overdue"


@dataclass(frozen=True)
class LawChange:
    """One reason a page is affected: a cited law changed, was repealed or was replaced."""

    ref: LawRef
    kind: str  # "changed" | "repealed" | "withdrawn" | "replaced"
    date: dt.date | None  # the change's date; None when the register gives no date
    summary: str
    source: str = ""
    replaced_by: LawRef | None = None

    def as_dict(self) -> dict:
        out = {"kind": self.kind, "ref": self.ref.id, "cite": self.ref.cite,
               "date": self.date.isoformat() if self.date else None, "summary": self.summary}
        if self.source:
            out["source"] = self.source
        if self.replaced_by:
            out["replaced_by"] = self.replaced_by.id
        return out


@dataclass
class ReviewItem:
    page: Page
    due: dt.date | None  # the date by which the page should be reviewed again
    overdue: bool
    law_changes: list[LawChange] = field(default_factory=list)

    @property
    def affected(self) -> bool:
        return bool(self.law_changes)

    @property
    def status(self) -> str:
        return AFFECTED if self.affected else OVERDUE

    @property
    def since(self) -> dt.date:
        """When the page went out of date: its oldest triggering change, or its review due date."""
        if self.affected:
            dates = [c.date for c in self.law_changes if c.date] or [self.page.reviewed or dt.date.min]
            return min(dates)
        return self.due or dt.date.min

    def reasons(self) -> list[str]:
        out = [describe(change) for change in self.law_changes]
        if self.overdue:
            if self.page.reviewed is None:
                out.append("no valid 'reviewed' date in front matter")
            else:
                out.append(f"review was due on {self.due.isoformat()} (last reviewed {self.page.reviewed.isoformat()})")
        return out

    def as_dict(self) -> dict:
        return {
            "page": self.page.path,
            "title": self.page.title,
            "status": self.status,
            "affected": self.affected,
            "overdue": self.overdue,
            "reviewed": self.page.reviewed.isoformat() if self.page.reviewed else None,
            "review_due": self.due.isoformat() if self.due else None,
            "law_changes": [c.as_dict() for c in self.law_changes],
            "reasons": self.reasons(),
        }


def add_months(date: dt.date, months: int) -> dt.date:
    """The same day `months` later, clamped to the month's end (31 Aug + 6 months = 28/29 Feb)."""
    index = date.month - 1 + months
    year, month = date.year + index // 12, index % 12 + 1
    return date.replace(year=year, month=month, day=min(date.day, calendar.monthrange(year, month)[1]))


def interval_months(site: Site, page: Page) -> int:
    return page.review_interval_months or site.settings.review_interval_months


def review_due(site: Site, page: Page) -> dt.date | None:
    return add_months(page.reviewed, interval_months(site, page)) if page.reviewed else None


def is_overdue(site: Site, page: Page, today: dt.date) -> bool:
    due = review_due(site, page)
    return due is None or today > due


def cited_refs(site: Site, page: Page) -> list[LawRef]:
    """The register entries a page cites, each once, in first-cited order."""
    seen: dict[str, LawRef] = {}
    for cite in page.law_citations:
        ref = site.register.refs.get(cite.target)
        if ref is not None and ref.id not in seen:
            seen[ref.id] = ref
    return list(seen.values())


def law_changes(site: Site, page: Page) -> list[LawChange]:
    """Why the law behind this page has moved since it was reviewed; empty when it has not.
    Once a build for each of the site's own pages (a build asks five times a page)."""
    if site.citing_pages.get(page.path) is not page:
        return _law_changes(site, page)
    return list(site.remember(("law_changes", page.path), lambda: _law_changes(site, page)))


def _law_changes(site: Site, page: Page) -> list[LawChange]:
    out: list[LawChange] = []
    for ref in cited_refs(site, page):
        out.extend(ref_changes_since(site, ref, page.reviewed))
    return out


def ref_changes_since(site: Site, ref: LawRef, reviewed: dt.date | None) -> list[LawChange]:
    out: list[LawChange] = []
    # A page without a valid reviewed date has never been checked against any change.
    for change in ref.changes:
        if reviewed is None or change.date > reviewed:
            out.append(LawChange(ref, "changed", change.date, change.summary, change.source))
    latest = ref.changes[0].date if ref.changes else None  # changes are sorted newest first
    # Repeal stays until the page stops citing the old law: reviewing cannot fix it. A replaced or
    # withdrawn edition of guidance may still be cited on purpose, to say what it used to say: once the
    # page is reviewed on or after the replacement's date (the entry's newest change), the notice clears
    # and the citation itself says it was replaced (render.page). Without a dated change it stays.
    historical = ref.status != "repealed" and reviewed is not None and latest is not None and reviewed >= latest
    if historical:
        return out
    if ref.status == "repealed":
        out.append(LawChange(ref, "repealed", latest, f"{ref.cite} has been repealed"))
    elif ref.status == "withdrawn" and not ref.replaced_by:
        out.append(LawChange(ref, "withdrawn", latest, f"{ref.cite} has been withdrawn"))
    if ref.replaced_by:
        new = site.register.refs.get(ref.replaced_by)
        label = new.cite if new else ref.replaced_by
        out.append(LawChange(ref, "replaced", latest, f"{ref.cite} has been replaced by {label}", replaced_by=new))
    return out


def describe(change: LawChange) -> str:
    when = f" on {change.date.isoformat()}" if change.date else ""
    if change.kind == "changed":
        return f"{change.ref.id} changed{when}: {change.summary}"
    return f"{change.ref.id}: {change.summary}"


def review_items(site: Site, today: dt.date) -> list[ReviewItem]:
    """Every affected or overdue page, most urgent first: affected before overdue, then the page
    that went out of date longest ago first, then by path. Once a build for each day (the editors'
    page and review.json ask three times)."""
    return list(site.remember(("review_items", today), lambda: _review_items(site, today)))


def _review_items(site: Site, today: dt.date) -> list[ReviewItem]:
    items = []
    for page in site.citing_pages.values():  # the route finder's outcomes too (content.flows)
        item = ReviewItem(page, review_due(site, page), is_overdue(site, page, today), law_changes(site, page))
        if item.affected or item.overdue:
            items.append(item)
    return sorted(items, key=lambda i: (0 if i.affected else 1, i.since, i.page.path))


NEVER_AUDITED = "never-audited"
AUDIT_OUT_OF_DATE = "audit-out-of-date"


@dataclass(frozen=True)
class AuditItem:
    """A page whose citations have not been audited since it last changed (issue 28): every `[[id]]`
    sentence must be said by the provision it cites, and someone other than the writer checks."""

    page: Page
    status: str  # NEVER_AUDITED | AUDIT_OUT_OF_DATE

    def reason(self) -> str:
        audit = self.page.citations_audited
        if audit is None:
            return "citations never audited"
        return (f"citations audited on {audit.date.isoformat()} by {audit.by}, before the page last changed "
                f"on {self.page.last_changed.isoformat()}")

    def as_dict(self) -> dict:
        audit = self.page.citations_audited
        return {"page": self.page.path, "title": self.page.title, "status": self.status,
                "citations": len(self.page.law_citations),
                "audited": audit.date.isoformat() if audit else None, "by": audit.by if audit else None,
                "last_changed": self.page.last_changed.isoformat() if self.page.last_changed else None,
                "reason": self.reason()}


def audit_items(site: Site) -> list[AuditItem]:
    """Pages with law citations that were never audited, or audited before their last `reviewed` date
    or change note; out-of-date audits first (they were trusted once), then by path. Pages citing no law
    have nothing to audit."""
    items = []
    for page in site.pages.values():
        if not page.law_citations:
            continue
        audit, changed = page.citations_audited, page.last_changed
        if audit is None:
            items.append(AuditItem(page, NEVER_AUDITED))
        elif changed is not None and audit.date < changed:
            items.append(AuditItem(page, AUDIT_OUT_OF_DATE))
    return sorted(items, key=lambda i: (i.status != AUDIT_OUT_OF_DATE, i.page.path))


def review_report(site: Site, today: dt.date) -> dict:
    """The data behind `lawguide review --json`, site/editors/review.json and the editors' page."""
    items = review_items(site, today)
    return {
        "today": today.isoformat(),
        "review_interval_months": site.settings.review_interval_months,
        "counts": {"pages": len(site.pages), AFFECTED: sum(i.affected for i in items),
                   OVERDUE: sum(i.overdue for i in items)},
        "pages": [i.as_dict() for i in items],
        # From sources.lock (no network): sources that changed after their entry was verified.
        # Editors only: readers see a notice once the change is confirmed in the register.
        "sources_changed": [s.as_dict() for s in stale_sources(site)],
        # Pages whose citations no reviewer has checked against the provisions since the page changed.
        "citations_not_audited": [a.as_dict() for a in audit_items(site)],
    }
