"""When the law changes: which pages are affected, which are overdue for review.

A page is *affected* when a law it cites changed after the page was last reviewed (a `changes`
entry dated after `reviewed`, of any kind but link-moved), was repealed, or was replaced. A page is
*overdue* when its review interval has passed. Affected is a fact about the sources only, so every
build shows the same notice; overdue depends on today's date, so only reports (never reader pages)
use it. A page reviewed on or after a change's date is signed off against it, even when the change
takes effect later (`commences:`): on that day the page says so by itself (commenced_since_review).
A page is *unfinished* when an edit was left half done (a re-dated page still citing a replaced
edition and never its replacement): editors see it in the review list, readers see nothing.
"""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass, field

from lawguide.content.pages import Page
from lawguide.content.register import LINK_MOVED, NEW_EDITION, Change, LawRef
from lawguide.content.site import Site
from lawguide.content.translations import site_versions
from lawguide.lawchange.sources_lock import stale_sources

AFFECTED = "affected"
OVERDUE = "overdue"
UNFINISHED = "unfinished"
CHANGED = "changed"  # an amendment (the register's default kind, `amended`), as review.json has always named it


@dataclass(frozen=True)
class LawChange:
    """One reason a page is affected: a cited law changed (in one of the register's kinds), was
    repealed or was replaced."""

    ref: LawRef
    # "changed" (amended) | "commenced" | "repealed" | "new-edition" | "case-law" | "appeal" |
    # "correction" | "reform-update" (a change recorded on a proposal) | "withdrawn" | "replaced"
    kind: str
    date: dt.date | None  # the change's date; None when the register gives no date
    summary: str
    source: str = ""
    replaced_by: LawRef | None = None
    commences: dt.date | None = None  # when it takes effect, when later than `date`
    case: LawRef | None = None  # case-law: the judgment

    @property
    def is_reform(self) -> bool:
        return self.kind == "reform-update"

    def as_dict(self) -> dict:
        out = {"kind": self.kind, "ref": self.ref.id, "cite": self.ref.cite,
               "date": self.date.isoformat() if self.date else None, "summary": self.summary}
        if self.source:
            out["source"] = self.source
        if self.replaced_by:
            out["replaced_by"] = self.replaced_by.id
        if self.commences:
            out["commences"] = self.commences.isoformat()
        if self.case:
            out["case"] = self.case.id
        return out


@dataclass
class ReviewItem:
    """A page on the review list, and why it is there."""

    page: Page
    due: dt.date | None  # the date by which the page should be reviewed again
    overdue: bool
    law_changes: list[LawChange] = field(default_factory=list)
    unfinished: list[str] = field(default_factory=list)  # half-done edits, for editors only

    @property
    def affected(self) -> bool:
        return bool(self.law_changes)

    @property
    def status(self) -> str:
        return AFFECTED if self.affected else OVERDUE if self.overdue else UNFINISHED

    @property
    def since(self) -> dt.date:
        """When the page went out of date: its oldest triggering change, or its review due date."""
        if self.affected:
            dates = [c.date for c in self.law_changes if c.date] or [self.page.reviewed or dt.date.min]
            return min(dates)
        return self.due or dt.date.min

    def reasons(self) -> list[str]:
        out = [describe(change) for change in self.law_changes] + self.unfinished
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
            "unfinished": self.unfinished,
            "reviewed": self.page.reviewed.isoformat() if self.page.reviewed else None,
            "review_due": self.due.isoformat() if self.due else None,
            "law_changes": [c.as_dict() for c in self.law_changes],
            "reasons": self.reasons(),
        }


def add_months(date: dt.date, months: int) -> dt.date:
    """The same day `months` later, clamped to the month's end (31 Aug + 6 months = 28/29 Feb)."""
    index = date.month - 1 + months
    year, month = date.year + index // 12, index % 12 + 1
    days = 29 if month == 2 and calendar.isleap(year) else _DAYS_IN_MONTH[month - 1]  # monthrange, without its weekday
    return date.replace(year=year, month=month, day=min(date.day, days))


_DAYS_IN_MONTH = (31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)


def interval_months(site: Site, page: Page) -> int:
    return page.review_interval_months or site.settings.review_interval_months


def review_due(site: Site, page: Page) -> dt.date | None:
    return add_months(page.reviewed, interval_months(site, page)) if page.reviewed else None


def is_overdue(site: Site, page: Page, today: dt.date) -> bool:
    due = review_due(site, page)
    return due is None or today > due


def cited_refs(site: Site, page: Page) -> list[LawRef]:
    """The register entries a page cites, each once, in first-cited order. Once a load for each of the
    site's own pages (`lawguide review` asks twice a page: 2,000 times at 1,000 pages)."""
    if site.citing_pages.get(page.path) is not page:
        return _cited_refs(site, page)
    return list(site.remember(("cited_refs", page.path), lambda: _cited_refs(site, page)))


def _cited_refs(site: Site, page: Page) -> list[LawRef]:
    refs = site.register.refs
    seen: dict[str, LawRef] = {}
    for target in dict.fromkeys(cite.target for cite in page.law_citations):  # a page cites a few ids many times
        ref = refs.get(target)
        if ref is not None and ref.id not in seen:
            seen[ref.id] = ref
    return list(seen.values())


def prepare_for_editors(site: Site) -> None:
    """What the editors' commands ask of every load, worked out before the loaded guide is kept
    (content.cache): impact's (lawchange.impact.prepare_for_questions), and each page's law changes since
    its review, which `review` asks of every page. None depends on the day."""
    from lawguide.lawchange.impact import prepare_for_questions

    prepare_for_questions(site)
    for page in site.citing_pages.values():
        law_changes(site, page)


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
    # A page without a valid reviewed date has never been checked against any change. A moved link
    # is the register's business, never the reader's.
    for change in ref.changes:
        if change.kind != LINK_MOVED and (reviewed is None or change.date > reviewed):
            out.append(_law_change(site, ref, change))
    latest = ref.changes[0].date if ref.changes else None  # changes are sorted newest first
    # Repeal stays until the page stops citing the old law: reviewing cannot fix it. A replaced or
    # withdrawn edition of guidance may still be cited on purpose, to say what it used to say: once the
    # page is reviewed on or after the replacement's date (the entry's newest change), the notice clears
    # and the citation itself says it was replaced (render.page). Without a dated change it stays.
    historical = ref.status != "repealed" and reviewed is not None and latest is not None and reviewed >= latest
    if historical or ref.is_proposal:  # a dropped proposal's news is its reform update, never a change in the law
        return out
    if ref.status == "repealed" and not any(c.kind == "repealed" for c in out):
        out.append(LawChange(ref, "repealed", latest, f"{ref.cite} has been repealed"))
    elif ref.status == "withdrawn" and not ref.replaced_by:
        out.append(LawChange(ref, "withdrawn", latest, f"{ref.cite} has been withdrawn"))
    if ref.replaced_by and not any(c.kind == NEW_EDITION for c in out):
        new = site.register.refs.get(ref.replaced_by)
        label = new.cite if new else ref.replaced_by
        out.append(LawChange(ref, "replaced", latest, f"{ref.cite} has been replaced by {label}", replaced_by=new))
    return out


def _law_change(site: Site, ref: LawRef, change: Change) -> LawChange:
    kind = CHANGED if change.kind == "amended" else change.kind
    new = site.register.refs.get(ref.replaced_by) if change.kind == NEW_EDITION and ref.replaced_by else None
    return LawChange(ref, kind, change.date, change.summary, change.source, replaced_by=new,
                     commences=change.commences if change.commences and change.commences > change.date else None,
                     case=site.register.refs.get(change.case) if change.case else None)


def commenced_since_review(site: Site, page: Page, today: dt.date) -> list[tuple[LawRef, Change]]:
    """Changes the page was signed off against in advance (reviewed on or after the change's date)
    that have taken effect since (reviewed < commences <= today): the page says so by itself."""
    if page.reviewed is None:
        return []
    out = []
    for ref in cited_refs(site, page):
        for change in ref.changes:
            if change.commences and change.date <= page.reviewed < change.commences <= today:
                out.append((ref, change))
    return out


def unfinished_edits(site: Site, page: Page) -> list[str]:
    """Half-done edits a reader would not notice: the page was re-dated after an edition it cites was
    replaced (so the notice cleared) but it never cites the replacement, so it may still treat the
    old edition as current."""
    refs = cited_refs(site, page)
    cited = {ref.id for ref in refs}
    out = [reason for ref in refs if (reason := stale_entry(ref))]
    for ref in refs:
        latest = ref.changes[0].date if ref.changes else None
        signed_off = page.reviewed is not None and latest is not None and page.reviewed >= latest
        if ref.status in ("superseded", "withdrawn") and ref.replaced_by and signed_off and ref.replaced_by not in cited:
            out.append(f"{ref.id} (replaced by {ref.replaced_by} on {latest}) is still cited and {ref.replaced_by} "
                       "never is: cite the new edition for current practice, or say 'used to' where the old one is "
                       "cited on purpose and cite the new one beside it")
    return out


def stale_entry(ref: LawRef) -> str:
    """An entry whose newest change was recorded (by hand or `changes import`) after its source was
    last read: its summary and status may not say what the law now says. Not a build failure, so the
    readers' notice goes out at once; the review list keeps it until the entry is re-verified."""
    newest = ref.changes[0] if ref.changes else None
    if ref.verified and newest and ref.verified < newest.date:
        return (f"{ref.id} was verified on {ref.verified}, before its newest change ({newest.date}): read the "
                f"source, update its summary and status, then `lawguide sources reverify {ref.id}`")
    return ""


def describe(change: LawChange) -> str:
    when = f" on {change.date.isoformat()}" if change.date else ""
    later = f" (takes effect {change.commences.isoformat()})" if change.commences else ""
    if change.kind == CHANGED:
        return f"{change.ref.id} changed{when}{later}: {change.summary}"
    if change.kind in ("repealed", "withdrawn", "replaced"):
        return f"{change.ref.id}: {change.summary}"
    return f"{change.ref.id} {change.kind}{when}{later}: {change.summary}"


def review_items(site: Site, today: dt.date) -> list[ReviewItem]:
    """Every affected or overdue page, most urgent first: affected before overdue, then the page
    that went out of date longest ago first, then by path. Once a build for each day (the editors'
    page and review.json ask three times)."""
    return list(site.remember(("review_items", today), lambda: _review_items(site, today)))


def _review_items(site: Site, today: dt.date) -> list[ReviewItem]:
    items = []
    for page in site.citing_pages.values():  # the route finder's outcomes too (content.flows)
        item = ReviewItem(page, review_due(site, page), is_overdue(site, page, today), law_changes(site, page),
                          unfinished_edits(site, page))
        if item.affected or item.overdue or item.unfinished:
            items.append(item)
    return sorted(items, key=lambda i: (0 if i.affected else 1 if i.overdue else 2, i.since, i.page.path))


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
                   OVERDUE: sum(i.overdue for i in items), UNFINISHED: sum(bool(i.unfinished) for i in items)},
        "pages": [i.as_dict() for i in items],
        # From sources.lock (no network): sources that changed after their entry was verified.
        # Editors only: readers see a notice once the change is confirmed in the register.
        "sources_changed": [s.as_dict() for s in stale_sources(site)],
        # Pages whose citations no reviewer has checked against the provisions since the page changed.
        "citations_not_audited": [a.as_dict() for a in audit_items(site)],
        # Translations and Easy Read versions made from an older text of their English page.
        "stale_versions": stale_versions(site),
        # Pages naming or describing (not citing) an entry that changed within their review interval, and
        # not yet marked `reviewed_for:` that change: listed, never a failure (readers see no notice).
        "reread": [r.as_dict() for r in reread_items(site, today)],
        # "As of DATE" sentences older than their page's review interval: listed, never a failure.
        "dated_claims": [{**claim.as_dict(), "reason": dated_claim_reason(claim, months)}
                         for claim, months in stale_dated_claims(site, today)],
    }


def stale_dated_claims(site: Site, today: dt.date) -> list:
    """(DatedClaim, the page's review interval in months) for each "as of DATE" claim older than it."""
    return list(site.remember(("stale_dated_claims", today), lambda: _stale_dated_claims(site, today)))


def _stale_dated_claims(site: Site, today: dt.date) -> list:
    """The page says how things stood on a day long enough ago that they may have moved. An "as of"
    month means its last day (the claim may mean any day of it)."""
    from lawguide.lawchange.impact import page_dated_claims, save_kept_claims

    out = []
    for path, page in sorted(site.pages.items()):
        months = interval_months(site, page)
        out += [(c, months) for c in page_dated_claims(site, path) if c.as_of and add_months(c.as_of, months) < today]
    save_kept_claims(site)
    return out


def dated_claim_reason(claim, months: int) -> str:
    return (f"'{claim.phrase}' is more than this page's review interval ({months} months) ago: check the "
            "sentence still holds, then give today's month or say it without a date")


def dated_claims_text(site: Site, today: dt.date) -> list[str]:
    """`lawguide review`'s lines for stale "as of" claims: a list to work through, never a failure."""
    claims = stale_dated_claims(site, today)
    if not claims:
        return []
    out = [f"\n{len(claims)} \"as of\" claim{'s' if len(claims) != 1 else ''} older than its page's review interval:"]
    out += [f"DATED     {c.display}:{c.line}: {dated_claim_reason(c, months)}\n  - {c.sentence}" for c, months in claims]
    return out


def stale_versions(site: Site) -> list[dict]:
    """Each version whose English page changed since it was made, with the reason in words."""
    versions = site_versions(site)
    out = []
    for version in versions.stale():
        english = site.pages[version.of]
        now = versions.current_hash(version.of)
        out.append({
            "page": version.path, "display": version.display, "of": version.of, "language": version.language,
            "variant": version.variant, "source_hash": version.source_hash, "current_hash": now,
            "checked_by": version.checked_by,
            "reason": (f"{english.display} changed since this version was made (source_hash {version.source_hash}, "
                       f"now {now}): update the version, then set source_hash: {now}"),
        })
    return out


@dataclass(frozen=True)
class Reread:
    """A page to re-read for a change to an entry it names in prose or describes (a process tag) without
    citing it: `reviewed:` alone cannot say the page was re-read for it, so `reviewed_for:` does."""

    page: Page
    ref: LawRef
    change: Change
    how: str  # why the page is related, in words

    def reason(self) -> str:
        # A proposal's news (a reform update) is not a change in the law: say so, or an editor re-reading
        # the page may write that the law changed
        what = f"{self.ref.id} (a proposal, not law)" if self.ref.is_proposal else self.ref.id
        return (f"{self.how}; {what} {self.change.kind} on {self.change.date.isoformat()}: re-read the page, "
                f"then add {{id: {self.ref.id}, change: {self.change.date.isoformat()}}} to its reviewed_for")

    def as_dict(self) -> dict:
        return {"page": self.page.path, "ref": self.ref.id, "change": self.change.date.isoformat(),
                "kind": self.change.kind, "proposal": self.ref.is_proposal, "reason": self.reason()}


def reread_items(site: Site, today: dt.date) -> list[Reread]:
    """Every (page, change) to re-read: the entry changed within the page's review interval (older changes
    are covered by the page's own overdue review) and the page has no `reviewed_for` for it."""
    return list(site.remember(("reread", today), lambda: _reread_items(site, today)))


def _reread_items(site: Site, today: dt.date) -> list[Reread]:
    from lawguide.lawchange.impact import prose_mentions
    from lawguide.lawchange.processes import process_sections

    if not site.pages:
        return []
    earliest = min(add_months(today, -interval_months(site, p)) for p in site.pages.values())
    out = []
    for ref in sorted(site.register.refs.values(), key=lambda r: r.id):
        changes = [c for c in ref.changes if c.kind != LINK_MOVED and c.date > earliest]
        if not changes:
            continue
        related: dict[str, str] = {}
        for pid_page, anchor, pid in process_sections(site, ref.id):
            related.setdefault(pid_page, f"#{anchor} describes {pid}, which {ref.id} governs")
        for mention in prose_mentions(site, ref.id):
            related.setdefault(mention.page, f"line {mention.line} names {ref.id} ('{mention.name}')")
        for path, how in sorted(related.items()):
            page = site.pages[path]
            if ref in cited_refs(site, page):
                continue  # a citing page is affected, and its `reviewed:` date signs it off
            since = add_months(today, -interval_months(site, page))
            # re-read for a change is re-read against the entry as it then stood: every earlier change too
            done = max((r.change for r in page.reviewed_for if r.id == ref.id), default=dt.date.min)
            out += [Reread(page, ref, c, how) for c in changes if c.date > since and c.date > done]
    return sorted(out, key=lambda r: (r.page.path, r.change.date, r.ref.id))


def reread_text(site: Site, today: dt.date) -> list[str]:
    """`lawguide review`'s lines for pages to re-read: a list to work through, never a failure."""
    items = reread_items(site, today)
    if not items:
        return []
    out = [f"\n{len(items)} page{'s' if len(items) != 1 else ''} to re-read for a change to law (or news of a "
           "proposal) they name or describe without citing it:"]
    out += [f"REREAD    {r.page.display}: {r.reason()}" for r in items]
    return out
