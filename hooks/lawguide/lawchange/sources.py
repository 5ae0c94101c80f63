"""`lawguide sources`: ask every register entry's own source whether it changed since the entry was verified.

Three kinds of source, each through its official machine interface:

- legislation: legislation.gov.uk's changes feed of the affected instrument,
  /changes/affected/{type}/{year}/{number}/data.feed (Atom, paged by <link rel="next">), matched to
  entries with the changes importer's own provision matching. Where the feed is silent (no effects at
  all), the provision's own /data.xml and its ukm:UnappliedEffects.
- govuk: the GOV.UK Content API, /api/content/<path>: change_history notes, withdrawn_notice,
  public_updated_at.
- web: anything else, by conditional GET (ETag / Last-Modified seen last time), else a hash of the
  page's main text.

Each entry ends as `changed` (changed since verified: what changed and when, in the source's words),
`unchanged` (the source was read and says nothing changed after `verified`) or `error` (could not
check: never reported as unchanged). Text from a source is data: one plain line, bounded, escaped where
it lands; URLs must be well formed (sources_lock.clean_url).

Base URLs can be pointed elsewhere for tests only (LAWGUIDE_SOURCES_BASE_LEGISLATION, _GOVUK, _WEB);
the lock and the report always name the real https addresses.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import html
import json
import os
import re
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import parse_qs, urljoin, urlparse

from lawguide.content.register import LawRef
from lawguide.content.site import Site
from lawguide.lawchange.changes_import import (
    ATOM,
    UKM,
    Effect,
    Provision,
    match_effects,
    normalise_uri,
    parse_xml,
    read_effect,
    read_feed_bytes,
)
from lawguide.lawchange.http import Client, Fetched, FetchError
from lawguide.lawchange.impact import impact
from lawguide.lawchange.sources_lock import LockEntry, clean_text, clean_url

LEGISLATION = "https://www.legislation.gov.uk"
GOVUK = "https://www.gov.uk"
KINDS = ("legislation", "govuk", "web")
CHANGED, UNCHANGED, ERROR = "changed", "unchanged", "error"
MAX_WORKERS = 4
MAX_FEED_PAGES = 20
RESULTS_PER_PAGE = 100
ENV_BASES = {"legislation": "LAWGUIDE_SOURCES_BASE_LEGISLATION", "govuk": "LAWGUIDE_SOURCES_BASE_GOVUK",
             "web": "LAWGUIDE_SOURCES_BASE_WEB"}
DC = "http://purl.org/dc/elements/1.1/"


# --- where each kind of source is asked --------------------------------------------------------

@dataclass(frozen=True)
class Bases:
    """Where requests go. Real addresses unless a test sets LAWGUIDE_SOURCES_BASE_*."""

    legislation: str = LEGISLATION
    govuk: str = GOVUK
    web: str = ""  # "" = ask each page's own host

    @classmethod
    def from_env(cls, environ: dict[str, str] | None = None) -> Bases:
        environ = os.environ if environ is None else environ
        return cls(environ.get(ENV_BASES["legislation"], "").rstrip("/") or LEGISLATION,
                   environ.get(ENV_BASES["govuk"], "").rstrip("/") or GOVUK,
                   environ.get(ENV_BASES["web"], "").rstrip("/"))

    @property
    def overridden(self) -> list[str]:
        out = []
        if self.legislation != LEGISLATION:
            out.append(f"legislation={self.legislation}")
        if self.govuk != GOVUK:
            out.append(f"govuk={self.govuk}")
        if self.web:
            out.append(f"web={self.web}")
        return out

    def to_fetch(self, canonical: str) -> str:
        """The address to request for a canonical https URL."""
        parsed = urlparse(canonical)
        rest = canonical[len(f"{parsed.scheme}://{parsed.netloc}"):]
        host = parsed.netloc.lower()
        if host in ("www.legislation.gov.uk", "legislation.gov.uk"):
            return self.legislation + rest
        if host == "www.gov.uk":
            return self.govuk + rest
        return f"{self.web}/{host}{rest}" if self.web else canonical

    def to_canonical(self, fetched: str) -> str:
        """The real address for a fetched one (redirects are reported as the real site would have them)."""
        for base, real in ((self.legislation, LEGISLATION), (self.govuk, GOVUK)):
            if base != real and fetched.startswith(base + "/"):
                return real + fetched[len(base):]
        if self.web and fetched.startswith(self.web + "/"):
            return "https://" + fetched[len(self.web) + 1:]
        return fetched


def kind_of(ref: LawRef) -> str:
    host = urlparse(ref.url).netloc.lower()
    if host in ("www.legislation.gov.uk", "legislation.gov.uk"):
        return "legislation"
    if host == "www.gov.uk":
        return "govuk"
    return "web"


# --- results -------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Finding:
    """One change after `verified`, in the source's own words."""

    date: dt.date
    summary: str
    source: str = ""

    def as_dict(self) -> dict:
        return {"date": self.date.isoformat(), "summary": self.summary, "source": self.source}


@dataclass
class Result:
    ref: LawRef
    kind: str
    status: str  # changed | unchanged | error
    checked_url: str = ""
    marker: str = ""
    findings: list[Finding] = field(default_factory=list)
    reason: str = ""  # why it could not be checked, or how "unchanged" was known
    moved_to: str = ""
    offline: bool = False
    etag: str = ""
    last_modified: str = ""
    new_since_last_check: bool = False

    @property
    def newest(self) -> Finding | None:
        return max(self.findings, key=lambda f: f.date) if self.findings else None


@dataclass
class Context:
    site: Site
    client: Client
    bases: Bases
    lock: dict[str, LockEntry]
    today: dt.date


def _error(ref: LawRef, kind: str, reason: str, url: str = "", offline: bool = False) -> Result:
    return Result(ref, kind, ERROR, checked_url=url, reason=clean_text(reason, 200), offline=offline)


def _fetch(ctx: Context, canonical: str, **kwargs) -> Fetched:
    return ctx.client.get(ctx.bases.to_fetch(canonical), **kwargs)


def _moved(ctx: Context, fetched: Fetched, canonical: str) -> str:
    """The real new address when a request was redirected somewhere other than a trivial variant."""
    if not fetched.redirected:
        return ""
    final = ctx.bases.to_canonical(fetched.final_url)
    if final.startswith(GOVUK + "/api/content/"):  # report the page, not its API address
        final = GOVUK + final[len(GOVUK + "/api/content"):]
        canonical = GOVUK + canonical[len(GOVUK + "/api/content"):] if canonical.startswith(GOVUK + "/api/content/") else canonical
    def key(url: str) -> str:
        p = urlparse(url)
        return p.netloc.lower().removeprefix("www.") + p.path.rstrip("/") + ("?" + p.query if p.query else "")
    if key(final) == key(canonical):
        return ""
    return clean_url(final) or "an address that is not a well-formed web address"


# --- legislation.gov.uk --------------------------------------------------------------------------

def _after_verified(effect: Effect, verified: dt.date, today: dt.date) -> bool:
    """New since the editor checked: recorded after `verified`, or in force after it (up to today)."""
    recorded = effect.modified is not None and effect.modified > verified
    in_force = verified < effect.date <= today
    return recorded or in_force


def _effect_finding(effect: Effect, verified: dt.date) -> Finding:
    """Dated when the news happened: when legislation.gov.uk recorded it if that was after `verified`,
    else when it came into force."""
    when = f"in force {effect.date.isoformat()}"
    if effect.modified and effect.modified != effect.date:
        when += f", recorded on legislation.gov.uk {effect.modified.isoformat()}"
    state = "" if effect.outstanding else (" (already applied to the text)" if effect.applied else "")
    news = effect.modified if effect.modified and effect.modified > verified else effect.date
    return Finding(news,
                   clean_text(f"{effect.summary} ({when}){state}"), clean_url(effect.source))


def _marker(effects: list[Effect]) -> str:
    if not effects:
        return "no effects"
    newest = max(effects, key=lambda e: (e.modified or e.date, e.id))
    return clean_text(f"effect {newest.id} modified {(newest.modified or newest.date).isoformat()}", 200)


def check_legislation(ctx: Context, refs: list[LawRef]) -> list[Result]:
    """All entries of one instrument, from one (paged) changes feed."""
    provisions: dict[str, Provision] = {}
    out: list[Result] = []
    for ref in refs:
        provision = normalise_uri(ref.url)
        if provision is None:
            out.append(_error(ref, "legislation", "the register URL names no instrument number "
                                                  "(a title search); check it by hand"))
        else:
            provisions[ref.id] = provision
    if not provisions:
        return out
    group = [r for r in refs if r.id in provisions]
    instrument = next(iter(provisions.values())).instrument
    feed_url = f"{LEGISLATION}/changes/affected/{'/'.join(instrument)}/data.feed"
    cutoff = min(r.verified or dt.date.min for r in group)
    last = [ctx.lock[r.id].checked for r in group if r.id in ctx.lock]
    if last and len(last) == len(group):
        cutoff = min(cutoff, min(last))
    effects, pages, complete, problem = _read_feed(ctx, feed_url, cutoff)
    if problem:
        return out + [_error(r, "legislation", problem.reason, feed_url, problem.offline) for r in group]
    if not effects and pages == 1:
        return out + [_check_item_data(ctx, r) for r in group]
    report = match_effects(ctx.site, effects, include_applied=True)
    by_ref: dict[str, list[Effect]] = {r.id: [] for r in group}
    for match in report.matches:
        for ref in match.refs:
            if ref.id in by_ref:
                by_ref[ref.id].append(match.effect)
    for ref in group:
        matched = by_ref[ref.id]
        verified = ref.verified or dt.date.min
        found = [_effect_finding(e, verified) for e in matched if _after_verified(e, verified, ctx.today)]
        result = Result(ref, "legislation", CHANGED if found else UNCHANGED, feed_url, _marker(matched),
                        sorted(found, key=lambda f: f.date, reverse=True))
        if not found and not complete:
            result = _error(ref, "legislation", f"read {pages} pages of the changes feed without reaching "
                                                f"effects older than {cutoff.isoformat()}; check by hand", feed_url)
            result.marker = _marker(matched)
        elif not found:
            result.reason = f"{len(matched)} effect{'s' if len(matched) != 1 else ''} on it in the feed, none after verified"
        out.append(result)
    return out


def _read_feed(ctx: Context, feed_url: str, cutoff: dt.date) -> tuple[list[Effect], int, bool, FetchError | None]:
    """Effects from every page needed. Pages are followed by rel="next" until none is left, or until a
    whole page was recorded before `cutoff` (the feed is newest first), up to MAX_FEED_PAGES.
    Returns (effects, pages read, complete, error)."""
    effects: list[Effect] = []
    known: set[object] = set()  # the effects read so far (by id): each is counted once
    url = f"{feed_url}?results-count={RESULTS_PER_PAGE}"
    seen: set[str] = set()
    for page in range(1, MAX_FEED_PAGES + 1):
        seen.add(_page_key(url))
        try:
            fetched = _fetch(ctx, url, accept="application/atom+xml")
        except FetchError as exc:
            return [], page, False, exc
        page_effects, problems, root = read_feed_bytes(fetched.body, url)
        if root is None or problems:
            first = problems[0].message if problems else "unreadable feed"
            return [], page, False, FetchError(f"unreadable changes feed: {first}")
        new = [e for e in page_effects if (e.id or e) not in known]
        if page_effects and not new:
            return effects, page, False, None  # a page already read, under another address: the feed loops
        known.update(e.id or e for e in new)
        effects.extend(new)
        next_url = _next_link(root, ctx.bases.to_canonical(fetched.final_url))
        if not next_url:
            return effects, page, True, None
        if _page_key(next_url) in seen:
            return effects, page, False, None  # the feed pages in a circle: what was read stands, the rest is unknown
        dates = [e.modified or e.date for e in page_effects]
        if dates and all(a >= b for a, b in zip(dates, dates[1:], strict=False)) and dates[-1] < cutoff:
            return effects, page, True, None
        url = next_url
    return effects, MAX_FEED_PAGES, False, None


def _page_key(url: str) -> str:
    """Which page of which feed an address asks for, however it is spelled (page 1 is the default;
    the order of the query and the results-count do not matter)."""
    parsed = urlparse(url)
    page = parse_qs(parsed.query).get("page", ["1"])[0].strip().lstrip("0") or "1"
    return f"{parsed.path.rstrip('/')}?page={page}"


def _next_link(root, current: str) -> str:
    for link in root.findall(f"{{{ATOM}}}link"):
        if link.attrib.get("rel") == "next":
            target = urljoin(current, link.attrib.get("href", "").strip())
            parsed = urlparse(target)
            # Only the same site's changes feed: a feed cannot send us elsewhere.
            if parsed.netloc.lower() in ("www.legislation.gov.uk", "legislation.gov.uk") and "/changes/" in parsed.path:
                return clean_url("https://www.legislation.gov.uk" + parsed.path + ("?" + parsed.query if parsed.query else ""))
    return ""


def _check_item_data(ctx: Context, ref: LawRef) -> Result:
    """The feed lists no effects at all: ask the provision's own data.xml for unapplied effects."""
    url = ref.url.split("?", 1)[0].rstrip("/") + "/data.xml"
    try:
        fetched = _fetch(ctx, url, accept="application/xml")
    except FetchError as exc:
        return _error(ref, "legislation", exc.reason, url, exc.offline)
    root, problems = parse_xml(fetched.body, url)
    if root is None:
        return _error(ref, "legislation", f"unreadable data.xml: {problems[0].message if problems else ''}", url)
    effects: list[Effect] = []
    for number, node in enumerate(root.iter(f"{{{UKM}}}UnappliedEffect"), start=1):
        effect, _ = read_effect(node, number, url)
        if effect is not None:
            effects.append(effect)
    modified = next((n.text.strip() for n in root.iter(f"{{{DC}}}modified")), "")
    verified = ref.verified or dt.date.min
    found = [_effect_finding(e, verified) for e in effects if _after_verified(e, verified, ctx.today)]
    marker = clean_text(f"data.xml modified {modified or 'unknown'}; {_marker(effects)}", 200)
    return Result(ref, "legislation", CHANGED if found else UNCHANGED, url, marker, found,
                  reason="" if found else "no changes feed entries; no unapplied effect after verified in data.xml")


# --- GOV.UK Content API --------------------------------------------------------------------------

def _timestamp_date(value: object) -> dt.date | None:
    try:
        return dt.date.fromisoformat(str(value).strip()[:10])
    except ValueError:
        return None


def _strip_tags(text: str) -> str:
    return html.unescape(re.sub(r"<[^>]*>", " ", text))


def check_govuk(ctx: Context, ref: LawRef) -> Result:
    parsed = urlparse(ref.url)
    api_url = f"{GOVUK}/api/content{parsed.path.rstrip('/')}"
    previous = ctx.lock.get(ref.id)
    verified = ref.verified or dt.date.min
    conditional = previous is not None and previous.checked >= verified and previous.kind == "govuk"
    try:
        fetched = _fetch(ctx, api_url, accept="application/json", etag=previous.etag if conditional else "",
                         last_modified=previous.last_modified if conditional else "")
    except FetchError as exc:
        return _error(ref, "govuk", exc.reason, api_url, exc.offline)
    if fetched.status == 304 and previous is not None:
        return _not_modified(Result(ref, "govuk", UNCHANGED, api_url), previous, verified)
    try:
        data = json.loads(fetched.body.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        return _error(ref, "govuk", f"unreadable Content API JSON: {exc}", api_url)
    if not isinstance(data, dict) or not isinstance(data.get("details", {}), dict):
        return _error(ref, "govuk", "unexpected Content API JSON: not an object with details", api_url)
    findings: list[Finding] = []
    history = data.get("details", {}).get("change_history") or []
    if not isinstance(history, list):
        return _error(ref, "govuk", "unexpected Content API JSON: change_history is not a list", api_url)
    for item in history:
        if not isinstance(item, dict):
            continue
        date = _timestamp_date(item.get("public_timestamp"))
        if date and date > verified:
            findings.append(Finding(date, clean_text(f"GOV.UK change note: {item.get('note', '')}"), clean_url(ref.url)))
    withdrawn = data.get("withdrawn_notice")
    if isinstance(withdrawn, dict) and withdrawn:
        date = _timestamp_date(withdrawn.get("withdrawn_at"))
        recorded = ref.status in ("withdrawn", "superseded")
        if date is None or date > verified or not recorded:
            # A withdrawal the register does not record yet is news whenever it happened.
            explanation = clean_text(_strip_tags(str(withdrawn.get("explanation", ""))))
            on = f" on {date.isoformat()}" if date else ""
            news = date if date and date > verified else ctx.today
            findings.append(Finding(news, clean_text(f"Withdrawn on GOV.UK{on}: {explanation}"), clean_url(ref.url)))
    updated = _timestamp_date(data.get("public_updated_at"))
    if updated and updated > verified and not any(f.date >= updated for f in findings):
        findings.append(Finding(updated, "GOV.UK says it was updated (no change note)", clean_url(ref.url)))
    moved = _moved(ctx, fetched, api_url)
    marker = clean_text(f"public_updated_at {data.get('public_updated_at', 'none')}; "
                        f"{len(history)} change note{'s' if len(history) != 1 else ''}"
                        + ("; withdrawn" if withdrawn else ""), 200)
    result = Result(ref, "govuk", CHANGED if findings else UNCHANGED, api_url, marker,
                    sorted(findings, key=lambda f: f.date, reverse=True), moved_to=moved,
                    etag=clean_text(fetched.etag, 200), last_modified=clean_text(fetched.last_modified, 60))
    if moved and not findings:
        result.status = ERROR
        result.reason = f"moved to {moved}: check the new page, then update the entry's url"
    elif not findings:
        result.reason = f"no change note after {verified.isoformat()}"
    if previous and previous.marker and previous.marker != marker:
        result.new_since_last_check = True
    return result


# --- any other web page --------------------------------------------------------------------------

class _MainText(HTMLParser):
    """The visible text of <main> (or the whole body when there is none), without scripts and styles."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.all: list[str] = []
        self.main: list[str] = []
        self._skip = 0
        self._main = 0

    def handle_starttag(self, tag: str, attrs) -> None:
        if tag in ("script", "style", "noscript", "template"):
            self._skip += 1
        elif tag == "main":
            self._main += 1

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style", "noscript", "template") and self._skip:
            self._skip -= 1
        elif tag == "main" and self._main:
            self._main -= 1

    def handle_data(self, data: str) -> None:
        if not self._skip:
            self.all.append(data)
            if self._main:
                self.main.append(data)


def main_text_hash(body: bytes) -> str:
    parser = _MainText()
    parser.feed(body.decode("utf-8", errors="replace"))
    parser.close()
    text = " ".join(" ".join(parser.main or parser.all).split())
    return "sha256:" + hashlib.sha256(text.encode("utf-8")).hexdigest()[:32]


def _http_date(value: str) -> dt.date | None:
    import email.utils

    try:
        return email.utils.parsedate_to_datetime(value).date() if value else None
    except (TypeError, ValueError):
        return None


def check_web(ctx: Context, ref: LawRef) -> Result:
    previous = ctx.lock.get(ref.id)
    verified = ref.verified or dt.date.min
    conditional = previous is not None and previous.checked >= verified
    try:
        fetched = _fetch(ctx, ref.url, etag=previous.etag if conditional else "",
                         last_modified=previous.last_modified if conditional else "")
    except FetchError as exc:
        return _error(ref, "web", exc.reason, ref.url, exc.offline)
    moved = _moved(ctx, fetched, ref.url)
    base = Result(ref, "web", UNCHANGED, ref.url, moved_to=moved, etag=clean_text(fetched.etag, 200),
                  last_modified=clean_text(fetched.last_modified, 60))
    if fetched.status == 304 and previous is not None:
        return _moved_is_unknown(_not_modified(base, previous, verified))
    base.marker = main_text_hash(fetched.body)
    modified = _http_date(fetched.last_modified)
    if modified and modified > verified:
        base.status = CHANGED
        base.findings = [Finding(modified, clean_text(f"the page says it was last modified on {fetched.last_modified}"),
                                 clean_url(ref.url))]
    elif previous is not None and previous.marker and previous.marker != base.marker:
        base.new_since_last_check = True
        base.status = CHANGED
        base.findings = [Finding(ctx.today, clean_text(f"the page's main text changed since the check of "
                                                       f"{previous.checked.isoformat()}"), clean_url(ref.url))]
        if previous.checked < verified:
            base.findings[0] = Finding(ctx.today, clean_text(
                f"the page's main text changed between {previous.checked.isoformat()} and today; it may predate "
                f"verification on {verified.isoformat()}"), clean_url(ref.url))
    elif modified:
        base.reason = f"last modified {modified.isoformat()}, on or before verified"
    elif previous is not None and previous.marker == base.marker:
        base.reason = f"same main text as at the check of {previous.checked.isoformat()}"
        if previous.checked < verified:
            base.reason += f" (before verification on {verified.isoformat()})"
    else:
        base.status = ERROR
        base.reason = "no Last-Modified and no earlier check to compare with: baseline recorded, the next check compares"
    return _moved_is_unknown(base)


def _not_modified(result: Result, previous: LockEntry, verified: dt.date) -> Result:
    """HTTP 304: the source is as the last check saw it, including a change not yet re-verified."""
    result.marker, result.etag, result.last_modified = previous.marker, previous.etag, previous.last_modified
    if previous.changed and previous.changed > verified:
        result.status = CHANGED
        result.findings = [Finding(previous.changed, previous.summary, previous.source)]
    else:
        result.status = UNCHANGED
        result.reason = f"not modified since the check of {previous.checked.isoformat()} (HTTP 304)"
    return result


def _moved_is_unknown(result: Result) -> Result:
    if result.moved_to and result.status == UNCHANGED:
        result.status = ERROR
        result.reason = f"moved to {result.moved_to}: check the new page, then update the entry's url"
    return result


# --- the whole check -----------------------------------------------------------------------------

@dataclass
class SourcesReport:
    today: dt.date
    results: list[Result]

    @property
    def changed(self) -> list[Result]:
        return [r for r in self.results if r.status == CHANGED]

    @property
    def errors(self) -> list[Result]:
        return [r for r in self.results if r.status == ERROR]

    @property
    def offline(self) -> bool:
        """Nothing was read and every request made failed to connect (entries needing no request aside)."""
        asked = [r for r in self.results if r.checked_url]
        return bool(asked) and all(r.status == ERROR for r in self.results) and all(r.offline for r in asked)

    @property
    def exit_code(self) -> int:
        if not self.results or all(r.status == ERROR for r in self.results):
            return 2
        return 1 if self.changed else 0


def select(site: Site, only: list[str] | None = None, kinds: list[str] | None = None) -> list[LawRef]:
    refs = [site.register[i] for i in only] if only else list(site.register.refs.values())
    return [r for r in refs if not kinds or kind_of(r) in kinds]


def check_sources(site: Site, client: Client, bases: Bases, lock: dict[str, LockEntry], today: dt.date,
                  refs: list[LawRef]) -> SourcesReport:
    ctx = Context(site, client, bases, lock, today)
    jobs: list[tuple[Callable[[], list[Result]], list[LawRef]]] = []
    instruments: dict[tuple[str, ...], list[LawRef]] = {}
    for ref in refs:
        kind = kind_of(ref)
        if kind == "legislation":
            provision = normalise_uri(ref.url)
            key = provision.instrument if provision else ("?", ref.id)
            instruments.setdefault(key, []).append(ref)
        elif kind == "govuk":
            jobs.append((lambda ref=ref: [check_govuk(ctx, ref)], [ref]))
        else:
            jobs.append((lambda ref=ref: [check_web(ctx, ref)], [ref]))
    jobs = [(lambda group=group: check_legislation(ctx, group), group) for group in instruments.values()] + jobs
    with ThreadPoolExecutor(max_workers=MAX_WORKERS) as pool:
        results = [r for batch in pool.map(lambda job: _guarded(*job), jobs) for r in batch]
    for result in results:
        previous = lock.get(result.ref.id)
        if previous and previous.marker and result.marker and previous.marker != result.marker:
            result.new_since_last_check = True
    return SourcesReport(today, sorted(results, key=lambda r: r.ref.id))


def _guarded(job: Callable[[], list[Result]], refs: list[LawRef]) -> list[Result]:
    """One source, whatever it answers, costs at most its own entries, never the run (and sources.lock)."""
    try:
        return job()
    except Exception as exc:  # a bug met through a hostile answer: reported on the entries, for a fix
        reason = f"unexpected {type(exc).__name__} while checking ({' '.join(str(exc).split())[:120]}); please report it"
        return [_error(ref, kind_of(ref), reason) for ref in refs]


def updated_lock(report: SourcesReport, lock: dict[str, LockEntry]) -> dict[str, LockEntry]:
    """The lock after a check: entries that were read are replaced; entries that could not be read keep
    what was seen last (a failure never erases a marker)."""
    out = dict(lock)
    for r in report.results:
        if r.status == ERROR and not r.marker:
            continue
        newest = r.newest
        out[r.ref.id] = LockEntry(r.ref.id, r.kind, clean_url(r.checked_url), r.marker, report.today,
                                  newest.date if newest else None, newest.summary if newest else "",
                                  newest.source if newest else "", r.etag, r.last_modified, r.moved_to)
    return out


def report_dict(site: Site, report: SourcesReport) -> dict:
    return {
        "checked": report.today.isoformat(),
        "counts": {"entries": len(report.results), CHANGED: len(report.changed),
                   UNCHANGED: sum(r.status == UNCHANGED for r in report.results), "could_not_check": len(report.errors)},
        "offline": report.offline,
        "entries": [{
            "id": r.ref.id, "kind": r.kind, "status": "could-not-check" if r.status == ERROR else r.status,
            "verified": r.ref.verified.isoformat() if r.ref.verified else None, "url": r.ref.url,
            "checked_url": r.checked_url, "marker": r.marker, "reason": r.reason, "moved_to": r.moved_to,
            "new_since_last_check": r.new_since_last_check, "changes": [f.as_dict() for f in r.findings],
            "pages": [p.as_dict() for p in impact(site, r.ref.id)] if r.status == CHANGED else [],
        } for r in report.results],
    }


def report_text(site: Site, report: SourcesReport) -> str:
    out: list[str] = []
    for r in report.changed:
        verified = r.ref.verified.isoformat() if r.ref.verified else "never"
        new = " (new since the last check)" if r.new_since_last_check else ""
        out += [f"CHANGED SINCE VERIFIED  {r.ref.id}  ({r.ref.cite}) [{r.kind}]{new}",
                f"  verified {verified}; source {r.checked_url or r.ref.url}"]
        out += [f"  {f.date.isoformat()}  {f.summary}" + (f"  <{f.source}>" if f.source else "") for f in r.findings]
        if r.moved_to:
            out.append(f"  moved to {r.moved_to}")
        pages = impact(site, r.ref.id)
        if not pages:
            out.append("  pages: none cite it")
        for page in pages:
            where = ", ".join(f"#{a}" for a in page.anchors)
            if page.cited_at_top:
                where = ", ".join(x for x in ("top of page", where) if x)
            out.append(f"  page: {page.display}  {where}".rstrip())
        out.append(f"  After reading the source and updating the entry: lawguide sources reverify {r.ref.id}")
    for r in report.errors:
        out.append(f"COULD NOT CHECK  {r.ref.id}  [{r.kind}]: {r.reason}")
    unchanged = [r.ref.id for r in report.results if r.status == UNCHANGED]
    if unchanged:
        out.append(f"unchanged since verified: {', '.join(unchanged)}")
    out.append(f"{len(report.results)} entr{'ies' if len(report.results) != 1 else 'y'} checked on "
               f"{report.today.isoformat()}: {len(report.changed)} changed since verified, {len(unchanged)} unchanged, "
               f"{len(report.errors)} could not be checked.")
    return "\n".join(out)


# --- re-verifying --------------------------------------------------------------------------------

def reverify(site: Site, ref_id: str, today: dt.date, client: Client | None = None,
             bases: Bases | None = None) -> list:
    """Move the entry's `verified` to today in law_refs/*.yml (comments and order kept) and clear the
    outstanding change in sources.lock. The entry's address (its `url`, the one just edited when a
    link moved) is fetched first: an address that cannot be read is never marked verified. Returns
    problems; nothing is written when there are any."""
    from lawguide.core.problems import Problem
    from lawguide.core.yamlsrc import decode_text, read_bytes, write_text
    from lawguide.lawchange.changes_import import FormattingError, _dump, _round_trip
    from lawguide.lawchange.sources_lock import read_lock, reverified, write_lock

    ref = site.register[ref_id]
    if client is not None:
        try:
            client.get((bases or Bases.from_env()).to_fetch(ref.url))
        except FetchError as exc:
            return [Problem(ref.path, ref.line_of("url"), f"'{ref_id}': could not read its url {ref.url}: {exc.reason}",
                            "open the address in a browser; if the source moved, set url: to the new address "
                            "(and record kind: link-moved), then run reverify again")]
    file = site.settings.root / ref.path
    # Read as the register was (a regular file, never through a symlink), written back in its own line endings.
    raw, problem = read_bytes(file, ref.path)
    text, problem = decode_text(raw, ref.path) if raw is not None else (None, problem)
    if problem:
        return [problem]
    try:
        yaml, data = _round_trip(text, ref.path)
    except FormattingError as exc:
        return [Problem(ref.path, ref.line, str(exc).split(": ", 1)[-1])]
    entry = next((e for e in (data.get("refs") or []) if isinstance(e, dict) and str(e.get("id")) == ref_id), None)
    if entry is None:
        return [Problem(ref.path, ref.line, f"entry '{ref_id}' not found in the file")]
    entry["verified"] = today
    new_text = _dump(yaml, data)
    lock = read_lock(site.settings.root)
    if lock.problems:
        return list(lock.problems)
    write_text(file, new_text, like=raw)
    if ref_id in lock.entries:
        entries = dict(lock.entries)
        entries[ref_id] = reverified(entries[ref_id])
        write_lock(lock.path, entries)
    return []
