"""The words readers see for register data: dates, the tag after a citation, the label of a kind of change;
and text made plain (a heading's words without citations or Markdown marks).

One place, so a date or a tag reads the same on every page, law page, notice and feed; the register
(content/) holds the facts only."""

from __future__ import annotations

import datetime as dt
import functools
import re

from lawguide.content.markdown_scan import CITATION_RE
from lawguide.content.register import AMENDED, COMMENCED, REPEALED, LawRef
from lawguide.core import clock

PROPOSAL_TAGS = {
    "proposal": "a proposal, not law",
    "bill": "a Bill, not law",
    "consultation": "a consultation, not law",
    "response": "a government response, not law",
    "parliament": "a parliamentary record, not law",
}
PENDING_TAGS = {COMMENCED: "in force from {date}", AMENDED: "changes from {date}", REPEALED: "repealed from {date}"}
# Guidance that no longer applies says so wherever it is cited, so a page may still cite it on purpose.
OLD_EDITION = {"superseded": "replaced by a newer edition", "withdrawn": "withdrawn"}

# Each kind of change in the register, as a law page's change history names it and as What's changed
# and its feed label the entry (None: never shown there; a link that moved is not news to a reader).
# The two columns differ on purpose: the history sits under one law, What's changed mixes every law
# with guide updates, so its labels say what kind of news it is.
CHANGE_LABELS: dict[str, tuple[str, str | None]] = {
    "amended": ("Amended", "Law change"),
    "commenced": ("Commencement", "Commencement"),
    "repealed": ("Repeal", "Repeal"),
    "new-edition": ("New edition", "New edition"),
    "case-law": ("New court decision", "New court decision"),
    "appeal": ("Under appeal", "Case under appeal"),
    "link-moved": ("Official text moved", None),
    "correction": ("Our correction", "Our correction"),
    "reform-update": ("Reform update (not law)", "Reform update (a proposal, not law)"),
}


def history_label(kind: str) -> str:
    """A kind of change as a law page's change history names it."""
    return CHANGE_LABELS[kind][0]


def news_label(kind: str) -> str:
    """A kind of change as What's changed and its feed label it ('Law change' for any other)."""
    return CHANGE_LABELS.get(kind, ("", None))[1] or "Law change"


@functools.lru_cache(maxsize=4096)  # a build writes a few dates thousands of times
def long_date(date: dt.date) -> str:
    """A date as readers see it everywhere (7 December 2026)."""
    return f"{date.day} {date.strftime('%B %Y')}"


def proposal_tag(ref: LawRef) -> str:
    """How a citation of a proposal reads in parents' text."""
    return PROPOSAL_TAGS.get(ref.type, PROPOSAL_TAGS["proposal"])


def reader_tag(ref: LawRef, today: dt.date | None = None) -> str:
    """The words after a citation of this entry in parents' text ('' for current national law):
    a proposal is never law; a provision not yet in force says from when, and stops saying it on
    the day it commences; an old edition says so; one council's policy is an example."""
    today = today or clock.today()
    if ref.is_proposal:
        return proposal_tag(ref)
    pending = ref.pending(today)
    if pending is not None:
        return PENDING_TAGS[pending.kind].format(date=long_date(pending.commences))
    if ref.status == "not-yet-in-force" and not any(c.kind == COMMENCED and c.commences for c in ref.changes):
        return "not yet in force"
    if ref.status in OLD_EDITION:
        return OLD_EDITION[ref.status]
    if ref.is_local:
        return "one council's policy: an example only"
    return ""


def plain_words(text: str) -> str:
    """Words as the reader sees them, on one line, for a heading's link, a link's words or a description:
    citations as their own words (or left out, with the space before the full stop or comma that
    followed), no emphasis or code marks."""
    # Each step only where it has something to do (a long page's "On this page" list asks for every heading).
    if "[[" in text:  # no citation without its opening brackets
        text = CITATION_RE.sub(lambda m: (m.group(2) or "").strip(), text)
    if "*" in text or "_" in text or "`" in text:
        text = _MARKS.sub("", text)
    return " ".join(text.split()).replace(" .", ".").replace(" ,", ",")


_MARKS = re.compile(r"[*_`]")  # emphasis and code marks
