"""The command line builds only the command it runs (issue 31: building every command cost a warm `lawguide
impact` a twentieth of its time); what it parses, and every message and help text, are the whole parser's."""

from __future__ import annotations

import contextlib
import io

import pytest
from lawguide import cli

ARGVS = [
    ["impact", "ca1989-s17"], ["impact", "--json", "--sentences", "a", "b"], ["--config", "x/mkdocs.yml", "review"],
    ["--config=x.yml", "review", "--json", "--today", "2027-01-01"], ["review", "--no-cache"],
    ["--config", "review", "impact", "x"],  # the value of --config is not the command
    ["changes", "import", "feed.xml", "--apply"], ["sources", "check", "--only", "a"], ["check"],
]


def parsed(argv: list[str], only: str | None) -> tuple[int, str, str, dict]:
    """Exit status (0 when parsed), stdout, stderr and the parsed values, as the parser built with only gives."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            values = vars(cli.build_parser(only).parse_args(argv))
        except SystemExit as exc:
            return int(exc.code or 0), out.getvalue(), err.getvalue(), {}
    return 0, out.getvalue(), err.getvalue(), values


@pytest.mark.parametrize("argv", [*ARGVS, ["impact"], ["review", "--bogus"], ["impact", "--help"], ["--help"],
                                  ["review", "-h"], [], ["--config"], ["nosuch"], ["-h", "review"],
                                  ["impact", "x", "--config", "y"], ["review", "extra"], ["review", "impact"],
                                  ["sources"], ["changes", "--help"], ["impact", "--json"]])
def test_the_parser_built_for_the_command_named_parses_and_helps_as_the_whole_one(argv):
    assert parsed(argv, cli.command_named(argv)) == parsed(argv, None)


def test_the_command_named_is_the_first_word_after_the_config_option():
    assert [cli.command_named(a) for a in ARGVS] == ["impact", "impact", "review", "review", "review", "impact",
                                                    "changes", "sources", "check"]
    assert [cli.command_named(a) for a in ([], ["--config"], ["-h", "review"], ["nosuch", "review"])] == [None] * 4


def test_only_the_named_command_is_built():
    subparsers = next(a for a in cli.build_parser("impact")._actions if a.dest == "command").choices
    assert list(subparsers) == ["impact"] and len(subparsers["impact"]._actions) > 1
    whole = next(a for a in cli.build_parser()._actions if a.dest == "command").choices
    assert list(whole) == [c.name for c in cli.COMMANDS]
