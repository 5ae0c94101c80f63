"""not_in_nav patterns (links.markdown_links._matches) compiled once read every path as fnmatch did at each call."""

from __future__ import annotations

import fnmatch
import itertools
import posixpath

from lawguide.links.markdown_links import _matches


def _matches_with_fnmatch(path: str, pattern: str) -> bool:
    """_matches as it was: fnmatch.fnmatch for each way of reading the pattern."""
    if pattern.startswith("/"):
        return fnmatch.fnmatch(path, pattern.lstrip("/")) or fnmatch.fnmatch(path, pattern.lstrip("/").rstrip("/") + "/*")
    return fnmatch.fnmatch(path, pattern) or fnmatch.fnmatch(posixpath.basename(path), pattern) \
        or fnmatch.fnmatch(path, f"*/{pattern}") or fnmatch.fnmatch(path, pattern.rstrip("/") + "/*")


PATHS = ["index.md", "pl/index.md", "pl/short-breaks.md", "ur/a/b.md", "drafts.md", "a/drafts.md", "a/drafts/x.md",
         "Pl/index.md", "p[l]/x.md", "pl", "plx/index.md", "a/b/c/d.md", "x?.md", "notes/2026-12.md"]
PATTERNS = ["/pl/", "/pl", "pl/", "pl", "/ur/", "drafts.md", "drafts/", "*.md", "/a/*", "a/*/c", "p[l]/*",
            "p[!x]/index.md", "x?.md", "/notes/*-12.md", "//pl//", "*", "/", "[", "**/d.md"]


def test_every_pattern_reads_every_path_as_fnmatch_reads_it():
    answers = {(path, pattern): _matches(path, pattern) for path, pattern in itertools.product(PATHS, PATTERNS)}
    assert answers == {key: _matches_with_fnmatch(*key) for key in answers}
    assert answers["pl/index.md", "/pl/"] and not answers["plx/index.md", "/pl/"]  # a folder, not a prefix
    assert answers["a/drafts.md", "drafts.md"] and not answers["Pl/index.md", "/pl/"]  # file name; case kept
    assert sum(answers.values()) > 40 and sum(not a for a in answers.values()) > 100
