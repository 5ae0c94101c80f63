"""Reader wording for register data (render/wording.py): the one date format and the citation tags."""

from __future__ import annotations

import datetime as dt

from lawguide.content.register import KINDS
from lawguide.render.wording import CHANGE_LABELS, history_label, long_date, news_label, plain_words


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


def test_plain_words_keep_a_citations_own_words_and_drop_a_bare_one_with_its_space():
    assert plain_words("Help under [[ca-1989-s17|section 17]] for **your** child") == "Help under section 17 for your child"
    assert plain_words("You can ask for an assessment [[ca-1989-s17]].") == "You can ask for an assessment."
    assert plain_words("Ask first [[ca-1989-s17]], then write") == "Ask first, then write"


def test_plain_words_drop_emphasis_and_code_marks_and_join_lines():
    assert plain_words("What *you* can\n do with `the _plan_`") == "What you can do with the plan"
