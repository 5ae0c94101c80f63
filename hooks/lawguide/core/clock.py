"""Today's date, read in one place so a test (or a rehearsal) can fix it.

`LAWGUIDE_TODAY=2027-04-01` makes every check, page and feed of the process, and of the engine
subprocesses it starts, see that day. Without it: the machine's date. The build needs today for
dates that cannot lie (no `reviewed:` or change date in the future) and for commencements that
arrive by themselves on their day.
"""

from __future__ import annotations

import datetime as dt
import os

ENV = "LAWGUIDE_TODAY"


def today() -> dt.date:
    value = os.environ.get(ENV, "").strip()
    if value:
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            raise SystemExit(f"{ENV}='{value}' is not a date in the form YYYY-MM-DD") from None
    return dt.date.today()
