"""Reader wording for register data (render/wording.py): the one date format and the citation tags."""

from __future__ import annotations

import datetime as dt

from lawguide.content.register import KINDS
from lawguide.render.wording import CHANGE_LABELS, history_label, long_date, news_label


def test_a_date_reads_day_month_year_without_a_leading_zero():
    assert long_date(dt.date(2027, 4, 1)) == "1 April 2027"
    assert long_date(dt.date(2026, 12, 17)) == "17 December 2026"


def test_every_kind_of_change_the_register_accepts_has_its_history_label():
    assert set(CHANGE_LABELS) == set(KINDS)
    assert history_label("amended") == "Amended" and history_label("link-moved") == "Official text moved"


def test_whats_changed_names_each_kind_as_news_and_never_a_moved_link():
    assert news_label("amended") == "Law change"
    assert news_label("reform-update") == "Reform update (a proposal, not law)"
    assert news_label("link-moved") == "Law change"  # never listed (whatschanged skips it); not a blank label
    assert news_label("something-new") == "Law change"
