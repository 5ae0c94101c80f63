"""Problems as editors read them (core/problems.py)."""

from __future__ import annotations

from lawguide.core.problems import shorten


def test_a_value_of_80_characters_is_quoted_whole():
    assert shorten("x" * 80) == "x" * 80


def test_a_longer_value_is_cut_to_80_characters_ending_in_dots():
    shown = shorten("https://example.org/" + "a" * 100)
    assert len(shown) == 80 and shown.startswith("https://example.org/aaa") and shown.endswith("a...")


def test_a_shorter_limit_is_kept_too():
    assert shorten("abcdefghij", limit=8) == "abcde..."
