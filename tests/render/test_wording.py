"""Reader wording for register data (render/wording.py): the one date format and the citation tags."""

from __future__ import annotations

import datetime as dt

from lawguide.render.wording import long_date


def test_a_date_reads_day_month_year_without_a_leading_zero():
    assert long_date(dt.date(2027, 4, 1)) == "1 April 2027"
    assert long_date(dt.date(2026, 12, 17)) == "17 December 2026"
