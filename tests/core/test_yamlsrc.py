"""core/yamlsrc builds nodes from the parser's events (no recursion): the same values and lines as
PyYAML's composer gave, for every shape the sources use, and refusals where the composer recursed or
expanded without limit."""

from __future__ import annotations

import pytest
import yaml
from lawguide.core.yamlsrc import MAX_DEPTH, parse_yaml

DOCUMENTS = [
    "a: b\nc:\nd: ~\ne: null\nf: 'null'\ng: \"\"\nh: !!null x\ni: NULL\n",
    "- id: x\n  refs: [a, b]\n  changes:\n  - date: 2026-01-01\n    summary: >\n      folded\n      text\n",
    "{a: [1, {b: c}], d: e}\n",
    "key: |\n  kept\n  lines\nother: 'it''s'\n",
    "site_name: x\nmarkdown_extensions:\n- pymdownx.emoji:\n    emoji_index: !!python/name:material.extensions.emoji.twemoji\n",
    "",
    "# only a comment\n",
    "just text\n",
]


def _composed(text: str):
    """What the composer-based reader gave: plain values, None for nulls, every node's line."""
    def walk(node):
        if isinstance(node, yaml.MappingNode):
            return {str(k.value) if isinstance(k, yaml.ScalarNode) else str(walk(k)[0]): walk(v) for k, v in node.value}, \
                node.start_mark.line + 1
        if isinstance(node, yaml.SequenceNode):
            return [walk(n) for n in node.value], node.start_mark.line + 1
        null = node.tag == "tag:yaml.org,2002:null"
        return (None if null else node.value), node.start_mark.line + 1
    root = yaml.compose(text, Loader=yaml.SafeLoader)
    return None if root is None else walk(root)


def _ours(node):
    if node is None:
        return None
    if isinstance(node.value, dict):
        return {k: _ours(v) for k, v in node.value.items()}, node.line
    if isinstance(node.value, list):
        return [_ours(v) for v in node.value], node.line
    return node.value, node.line


@pytest.mark.parametrize("text", DOCUMENTS)
def test_values_and_lines_are_those_the_composer_gave(text: str) -> None:
    node, problems = parse_yaml(text, "x.yml")
    assert problems == []
    assert _ours(node) == _composed(text)


def test_a_complex_key_is_read_as_text_not_a_crash() -> None:
    node, problems = parse_yaml("? [complex, key]\n: value\nplain: 1\n", "x.yml")
    assert problems == [] and node.plain() == {"['complex', 'key']": "value", "plain": "1"}


def test_a_duplicate_key_is_a_problem_at_its_line_and_the_first_value_is_kept() -> None:
    node, problems = parse_yaml("a: 1\nb: 2\na: 3\n", "x.yml", line_offset=10)
    assert node.plain() == {"a": "1", "b": "2"} and node.key_lines == {"a": 11, "b": 12}
    assert [(p.line, p.message, p.hint) for p in problems] == [(13, "duplicate key 'a'", "first given on line 11; keep one")]


@pytest.mark.parametrize("text, line, message", [
    ("a: &x 1\nb: *x\n", 1, "YAML anchor '&x' is not allowed here"),
    ("a: 1\nb: *x\n", 2, "YAML alias '*x' is not allowed here"),
    ("a: 1\n---\nb: 2\n", 2, "a second YAML document starts here ('---')"),
    ("a: " + "[" * (MAX_DEPTH + 1) + "]" * (MAX_DEPTH + 1) + "\n", 1, f"YAML nested more than {MAX_DEPTH} levels deep"),
    ("a:\n" + "".join("  " * i + "- \n" for i in range(1, 3)) + "  " * 3 + "- " * MAX_DEPTH + "x\n", 4,
     f"YAML nested more than {MAX_DEPTH} levels deep"),
])
def test_refusals_are_root_causes_at_their_line(text: str, line: int, message: str) -> None:
    node, problems = parse_yaml(text, "x.yml", line_offset=3)
    assert node is None
    assert [(p.line, p.message, p.root) for p in problems] == [(line + 3, message, True)]
    assert problems[0].hint


def test_nesting_up_to_the_limit_is_read() -> None:
    depth = MAX_DEPTH - 1
    node, problems = parse_yaml("a: " + "[" * depth + "x" + "]" * depth + "\n", "x.yml")
    assert problems == []
    value = node.plain()["a"]
    for _ in range(depth - 1):
        value = value[0]
    assert value == ["x"]


def test_bom_anywhere_and_nfd_text_read_as_the_plain_nfc_text() -> None:
    clean, _ = parse_yaml("id: caf\u00e9\nterm: x\n", "x.yml")
    odd, _ = parse_yaml("\ufeffid: cafe\u0301\ufeff\nterm: x\n", "x.yml")
    assert odd.plain() == clean.plain() and odd.key_lines == clean.key_lines
