"""A corpus of bad inputs: each one gets `path:line: message (likely fix)` from `lawguide check`, the
root cause first, and a strict build that stops before writing anything (no site/ folder).

Each case writes a small fixture project into tmp_path, breaks one thing, and names the file, the
line (found by searching the file, so the cases stay readable) and the start of the message.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from lawguide.core.problems import ordered
from lawguide.guide import load_project

from tests.fixtures import lawguide, make_site

os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
os.environ.setdefault("DISABLE_MKDOCS_2_WARNING", "true")

PAGES = {
    "index.md": """\
        ---
        title: Home
        summary: A tiny guide.
        reviewed: 2026-11-01
        ---
        # Home

        The council must help [[ca1989-s17]].

        ## Asking for help {#asking}

        Ask for [[glossary:short-breaks]] under [[ca1989-s17|section 17]]. See [parents](parents.md).
        """,
    "parents.md": """\
        ---
        title: Parents
        reviewed: 2026-11-01
        ---
        # Parents

        ## Your own assessment {#own}

        You can ask [[ca1989-s17zd]]. Go [home](index.md#asking).
        """,
}
NAV = {"nav": [{"Home": "index.md"}, {"Parents": "parents.md"}],
       "validation": {"omitted_files": "warn", "anchors": "warn", "unrecognized_links": "warn", "absolute_links": "warn"}}


def project(tmp_path: Path) -> Path:
    return make_site(tmp_path, pages=PAGES, extra_config=NAV)


def line_of(path: Path, needle: str) -> int:
    for number, line in enumerate(path.read_bytes().decode("utf-8", "replace").split("\n"), start=1):
        if needle in line:
            return number
    raise AssertionError(f"{needle!r} not in {path}")


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def strict_build(root: Path) -> str:
    """Build in this process (faster than a new one per case); '' on success, else MkDocs' abort message."""
    from mkdocs.commands.build import build
    from mkdocs.config import load_config
    from mkdocs.exceptions import Abort

    config = load_config(config_file=str(root / "mkdocs.yml"), strict=True, site_dir=str(root / "site"))
    try:
        build(config)
    except Abort as exc:
        return str(exc)
    return ""


@dataclass(frozen=True)
class Case:
    name: str
    # -> (file relative to the project, text on the problem's line, or the line number itself)
    breaks: Callable[[Path], tuple[str, str | int]]
    message: str  # the start of the problem's message


# --- register -------------------------------------------------------------------------------

def _unclosed_quote(root: Path) -> tuple[str, str]:
    edit(root / "law_refs/refs.yml", "  title: Parent carer needs assessments", '  title: "Parent carer needs assessments')
    return "law_refs/refs.yml", '"Parent carer'


def _bad_indent(root: Path) -> tuple[str, str]:
    edit(root / "law_refs/refs.yml", "  type: act\n  status: in-force\n  summary: The council must assess",
         "  type: act\n   status: in-force\n  summary: The council must assess")
    return "law_refs/refs.yml", "   status: in-force"


def _replaced_by(root: Path) -> tuple[str, str]:
    edit(root / "law_refs/refs.yml", "  verified: '2026-11-22'\n- id: ca1989-s17zd",
         "  verified: '2026-11-22'\n  replaced_by: ca1989-s71\n- id: ca1989-s17zd")
    return "law_refs/refs.yml", "replaced_by: ca1989-s71"


def _duplicate_id(root: Path) -> tuple[str, str]:
    edit(root / "law_refs/refs.yml", "- id: ca1989-s17zd", "- id: ca1989-s17")
    return "law_refs/refs.yml", line_of(root / "law_refs/refs.yml", "title: Parent carer needs") - 1


def _url(bad: str) -> Callable[[Path], tuple[str, str]]:
    def breaks(root: Path) -> tuple[str, str]:
        edit(root / "law_refs/refs.yml", "url: https://lawcom.gov.uk/project/disabled-childrens-social-care/",
             f"url: '{bad}'")
        return "law_refs/refs.yml", "url: '"
    return breaks


def _change_source(root: Path) -> tuple[str, str]:
    edit(root / "law_refs/refs.yml", "  verified: '2026-11-22'\n- id: ca1989-s17zd",
         "  verified: '2026-11-22'\n  changes:\n  - date: 2026-01-01\n    summary: Amended.\n"
         "    source: javascript:alert(1)\n- id: ca1989-s17zd")
    return "law_refs/refs.yml", "source: javascript:"


def _unknown_field(root: Path) -> tuple[str, str]:
    edit(root / "law_refs/refs.yml", "  type: act\n  status: in-force\n  summary: The council must help",
         "  type: act\n  stauts: in-force\n  status: in-force\n  summary: The council must help")
    return "law_refs/refs.yml", "stauts:"


def _bad_choice(root: Path) -> tuple[str, str]:
    edit(root / "law_refs/refs.yml", "  type: act\n  status: in-force\n  summary: The council must help",
         "  type: acts\n  status: in-force\n  summary: The council must help")
    return "law_refs/refs.yml", "type: acts"


def _bad_date(root: Path) -> tuple[str, str]:
    edit(root / "law_refs/refs.yml", "  verified: '2026-11-22'\n- id: ca1989-s17zd", "  verified: 2026-13-01\n- id: ca1989-s17zd")
    return "law_refs/refs.yml", "verified: 2026-13-01"


def _bad_id(root: Path) -> tuple[str, str]:
    edit(root / "law_refs/refs.yml", "- id: lawcom-dcsc-report", "- id: LawCom Report")
    edit(root / "docs/index.md", "The council must help", "The council must help")  # (not cited)
    return "law_refs/refs.yml", "- id: LawCom Report"


def _duplicate_key(root: Path) -> tuple[str, str]:
    edit(root / "law_refs/refs.yml", "  type: proposal\n", "  type: proposal\n  type: proposal\n")
    return "law_refs/refs.yml", line_of(root / "law_refs/refs.yml", "  type: proposal") + 1


def _missing_field(root: Path) -> tuple[str, str]:
    edit(root / "law_refs/refs.yml", "  summary: Recommendations for new law. Not law.\n", "")
    return "law_refs/refs.yml", "- id: lawcom-dcsc-report"


def _register_not_utf8(root: Path) -> tuple[str, str]:
    path = root / "law_refs/refs.yml"
    path.write_bytes(path.read_bytes().replace(b"Parent carer needs", b"Parent carer\xe9needs"))
    return "law_refs/refs.yml", "Parent carer"


# --- glossary -------------------------------------------------------------------------------

def _glossary_syntax(root: Path) -> tuple[str, str]:
    edit(root / "glossary/terms.yml", "  definition: Time away from caring.", "  definition: 'Time away from caring.")
    return "glossary/terms.yml", "definition: 'Time"


def _glossary_unknown_ref(root: Path) -> tuple[str, str]:
    edit(root / "glossary/terms.yml", "  - ca1989-s17\n", "  - ca1989-s71\n")
    return "glossary/terms.yml", "  refs:"


# --- pages ----------------------------------------------------------------------------------

def _front_matter_syntax(root: Path) -> tuple[str, str]:
    edit(root / "docs/parents.md", "title: Parents", 'title: "Parents')
    return "docs/parents.md", 'title: "Parents'


def _page_line(text: str, message_line: str) -> Callable[[Path], tuple[str, str]]:
    def breaks(root: Path) -> tuple[str, str]:
        edit(root / "docs/parents.md", "You can ask [[ca1989-s17zd]].", f"You can ask [[ca1989-s17zd]].\n\n{text}")
        return "docs/parents.md", message_line
    return breaks


def _page_not_utf8(root: Path) -> tuple[str, str]:
    path = root / "docs/parents.md"
    path.write_bytes(path.read_bytes().replace(b"You can ask", b"You can\xff ask"))
    return "docs/parents.md", "You can"


def _not_in_nav(root: Path) -> tuple[str, str]:
    (root / "docs/extra.md").write_text("---\ntitle: Extra\nreviewed: 2026-11-01\n---\n# Extra\n", encoding="utf-8")
    return "docs/extra.md", "---"


def _nav_missing(root: Path) -> tuple[str, str]:
    edit(root / "mkdocs.yml", "Parents: parents.md", "Parents: parent.md")
    return "mkdocs.yml", "Parents: parent.md"


def _unknown_citation(root: Path) -> tuple[str, str]:
    edit(root / "docs/parents.md", "[[ca1989-s17zd]]", "[[ca1989-s71]]")
    return "docs/parents.md", "[[ca1989-s71]]"


def _heading_without_id(root: Path) -> tuple[str, str]:
    edit(root / "docs/parents.md", "## Your own assessment {#own}", "## Your own assessment")
    edit(root / "docs/index.md", "(parents.md)", "(parents.md)")
    return "docs/parents.md", "## Your own assessment"


# --- docs/ folder ---------------------------------------------------------------------------

def _symlink(kind: str) -> Callable[[Path], tuple[str, str]]:
    def breaks(root: Path) -> tuple[str, str]:
        docs = root / "docs"
        if kind == "folder":
            (root / "elsewhere").mkdir()
            (root / "elsewhere" / "raw.md").write_text("# Raw\n\n[[not-checked]]\n", encoding="utf-8")
            (docs / "more").symlink_to(root / "elsewhere", target_is_directory=True)
        elif kind == "outside":
            (docs / "secret.txt").symlink_to("/etc/hostname")
        elif kind == "dangling":
            (docs / "gone.md").symlink_to(docs / "missing.md")
        else:
            (docs / "loop").symlink_to(docs / "loop")
        (root / "found.txt").write_text("1", encoding="utf-8")
        return f"docs/{ {'folder': 'more', 'outside': 'secret.txt', 'dangling': 'gone.md', 'loop': 'loop'}[kind]}", ""
    return breaks


CASES = [
    Case("yaml-unclosed-quote", _unclosed_quote, "YAML syntax error: quoted text starts here and is not closed"),
    Case("yaml-bad-indent", _bad_indent, "YAML syntax error:"),
    Case("register-not-utf8", _register_not_utf8, "file is not UTF-8 text (byte 0xe9 on this line)"),
    Case("replaced-by-unknown", _replaced_by, "'ca1989-s17' is replaced_by unknown id 'ca1989-s71'"),
    Case("duplicate-id", _duplicate_id, "duplicate law reference id 'ca1989-s17'"),
    Case("url-breaks-out-of-a-link", _url("https://x.example/)<svg/onload=alert(1)>"),
         "url 'https://x.example/)<svg/onload=alert(1)>' contains"),
    Case("url-with-quote", _url('https://x.example/"onmouseover="alert(1)'), "url 'https://x.example/\"onmouseover=\"alert(1)' contains"),
    Case("url-javascript", _url("javascript:alert(1)//x.example"), "url 'javascript:alert(1)//x.example' is a javascript: address"),
    Case("url-no-real-host", _url("https://localhost/x"), "url 'https://localhost/x' is not a well-formed web address"),
    Case("url-not-https", _url("http://x.example/"), "url 'http://x.example/' is not https"),
    Case("change-source-javascript", _change_source, "url 'javascript:alert(1)' is a javascript: address"),
    Case("unknown-field", _unknown_field, "unknown field 'stauts' in a law reference"),
    Case("bad-choice", _bad_choice, "'type' is 'acts', not a known value"),
    Case("impossible-date", _bad_date, "'verified' is '2026-13-01', which is not a real date"),
    Case("bad-id", _bad_id, "id 'LawCom Report' is not lower-case words joined by hyphens"),
    Case("duplicate-key", _duplicate_key, "duplicate key 'type'"),
    Case("missing-field", _missing_field, "missing required field 'summary' in a law reference"),
    Case("glossary-syntax", _glossary_syntax, "YAML syntax error: quoted text starts here and is not closed"),
    Case("glossary-unknown-ref", _glossary_unknown_ref, "unknown law reference 'ca1989-s71' in refs"),
    Case("front-matter-syntax", _front_matter_syntax, "YAML syntax error: quoted text starts here and is not closed"),
    Case("citation-without-id", _page_line("Read [[|the law]].", "[[|the law]]"), "citation without an id: '[[|the law]]."),
    Case("empty-citation", _page_line("Read [[ ]].", "[[ ]]"), "empty citation '[[ ]]'"),
    Case("unclosed-citation", _page_line("Read [[ca1989-s17 now.", "[[ca1989-s17 now"), "unclosed citation '[[ca1989-s17 now."),
    Case("thousands-of-unclosed-citations", _page_line("x " + "[[" * 5000, "[[[["), "5000 unclosed '[[' on this line"),
    Case("malformed-citation", _page_line("Read [[ca1989-s17|the [law]]].", "the [law]"), "malformed citation"),
    Case("unknown-citation", _unknown_citation, "unknown law reference 'ca1989-s71'"),
    Case("heading-without-id", _heading_without_id, "heading 'Your own assessment' has no explicit id"),
    Case("link-to-missing-page", _page_line("See [gone](gone.md).", "[gone](gone.md)"), "link 'gone.md': 'gone.md' is not a page"),
    Case("link-to-missing-anchor", _page_line("See [home](index.md#nope).", "index.md#nope"),
         "link 'index.md#nope': 'index.md' has no section '#nope'"),
    Case("link-to-missing-own-anchor", _page_line("See [below](#nope).", "(#nope)"), "link '#nope' points to '#nope'"),
    Case("unrecognized-link", _page_line("See [home](index).", "(index)"), "link 'index' is not a page or file in docs/"),
    Case("absolute-link", _page_line("See [home](/index/).", "(/index/)"), "absolute link '/index/'"),
    Case("page-not-in-nav", _not_in_nav, "page is not in the nav of mkdocs.yml"),
    Case("nav-entry-missing", _nav_missing, "nav entry 'parent.md' is not a page in docs/"),
    Case("page-not-utf8", _page_not_utf8, "file is not UTF-8 text (byte 0xff on this line)"),
    Case("symlinked-folder", _symlink("folder"), "symlink in docs/ (to "),
    Case("symlink-outside", _symlink("outside"), "symlink in docs/ (to '/etc/hostname')"),
    Case("dangling-symlink", _symlink("dangling"), "symlink in docs/ (to "),
    Case("symlink-loop", _symlink("loop"), "symlink in docs/ (to "),
]


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_bad_input_is_reported_at_its_line_and_nothing_is_built(tmp_path: Path, case: Case) -> None:
    root = project(tmp_path)
    file, needle = case.breaks(root)
    line = needle if isinstance(needle, int) else line_of(root / file, needle) if needle else 1
    problems = ordered(load_project(root / "mkdocs.yml").problems)
    found = [(p.path, p.line, p.message) for p in problems]
    assert any((f, n) == (file, line) and m.startswith(case.message) for f, n, m in found), \
        f"expected {file}:{line}: {case.message}...; got:\n" + "\n".join(map(str, found))
    assert strict_build(root).endswith("nothing was built.")
    assert not (root / "site").exists()


def test_check_prints_path_line_message_and_hint_without_a_traceback(tmp_path: Path) -> None:
    root = project(tmp_path)
    _unclosed_quote(root)
    result = lawguide(root, "check")
    line = line_of(root / "law_refs/refs.yml", '"Parent carer')
    assert result.returncode == 1 and "Traceback" not in result.stderr
    first = result.stderr.splitlines()[0]
    assert first.startswith(f"law_refs/refs.yml:{line}: YAML syntax error: quoted text starts here and is not closed (line ")
    assert first.endswith(")")  # the likely fix, in brackets


def test_a_broken_register_file_leads_with_the_cause_and_holds_back_what_follows(tmp_path: Path) -> None:
    root = project(tmp_path)
    (root / "links.lock").write_text("/\n/law/ca1989-s17/\n/law/ca1989-s17zd/\n/parents/\n/parents/#own\n", encoding="utf-8")
    _unclosed_quote(root)
    problems = ordered(load_project(root / "mkdocs.yml").problems)
    line = line_of(root / "law_refs/refs.yml", '"Parent carer')
    assert [(p.path, p.line, p.message.split(":")[0]) for p in problems] == [
        ("law_refs/refs.yml", line, "YAML syntax error"),
        ("law_refs/refs.yml", line, "not checked"),
    ]
    assert problems[1].message == "not checked: 3 citations on 2 pages of ids this file seems to define"


def test_a_broken_glossary_file_holds_back_unknown_term_errors(tmp_path: Path) -> None:
    root = project(tmp_path)
    _glossary_syntax(root)
    messages = [p.message for p in ordered(load_project(root / "mkdocs.yml").problems)]
    assert messages[0].startswith("YAML syntax error")
    assert not any(m.startswith("unknown glossary term") for m in messages)
    assert messages[1] == "not checked: 1 citation on 1 page of ids this file seems to define"


def test_mkdocs_yml_syntax_error_is_a_line_not_a_traceback(tmp_path: Path) -> None:
    root = project(tmp_path)
    edit(root / "mkdocs.yml", "site_name: Fixture guide", 'site_name: "Fixture guide')
    result = lawguide(root, "check")
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert result.stderr.startswith("mkdocs.yml:1: YAML syntax error: quoted text starts here and is not closed")


@pytest.mark.parametrize("command", [["check"], ["impact", "ca1989-s17"], ["impact", "ca1989-s17", "--json"],
                                     ["review"], ["links"], ["readability"]])
def test_piping_into_a_reader_that_stops_early_prints_no_traceback(tmp_path: Path, command: list[str]) -> None:
    root = project(tmp_path)
    child = subprocess.Popen([sys.executable, "-m", "lawguide.cli", "--config", str(root / "mkdocs.yml"), *command],
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=root)
    child.stdout.close()  # like `| head` that has already exited
    stderr = child.stderr.read().decode()
    child.wait(timeout=60)
    assert "Traceback" not in stderr and "BrokenPipeError" not in stderr, stderr


def test_thousands_of_unclosed_brackets_do_not_stall_a_non_strict_build(tmp_path: Path) -> None:
    import time

    root = project(tmp_path)
    _page_line("x " + "[[" * 5000, "[[")(root)
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    started = time.perf_counter()
    build(load_config(config_file=str(root / "mkdocs.yml"), strict=False, site_dir=str(root / "site")))
    assert time.perf_counter() - started < 10  # minutes before the brackets were escaped
    html = (root / "site" / "parents" / "index.html").read_text(encoding="utf-8")
    assert "x [[[[" in html  # shown as typed


def test_an_id_that_is_not_words_and_hyphens_never_becomes_a_page_or_anchor(tmp_path: Path) -> None:
    root = project(tmp_path)
    edit(root / "law_refs/refs.yml", "- id: lawcom-dcsc-report", "- id: ../../evil\" onclick=\"x")
    edit(root / "glossary/terms.yml", "- id: short-breaks", "- id: short} <b>breaks")
    site = load_project(root / "mkdocs.yml")
    assert not any("evil" in ref_id for ref_id in site.register.refs)
    assert site.glossary.terms == {}
    assert any(p.message.startswith("id '../../evil") for p in site.problems)


@pytest.mark.parametrize("breaks", [_page_not_utf8, _register_not_utf8, _symlink("loop"), _symlink("dangling"),
                                    _unclosed_quote, _front_matter_syntax],
                         ids=["page-not-utf8", "register-not-utf8", "symlink-loop", "dangling-symlink",
                              "yaml-unclosed-quote", "front-matter-syntax"])
def test_no_command_prints_a_traceback_on_bad_input(tmp_path: Path, breaks) -> None:
    root = project(tmp_path)
    breaks(root)
    (root / "links.lock").write_bytes(b"/\n/parents/\xff\n")  # and a lock file that is not UTF-8 either
    for command in (["check"], ["impact", "ca1989-s17"], ["review"], ["links"], ["readability"]):
        result = lawguide(root, *command)
        assert "Traceback" not in result.stderr, f"lawguide {' '.join(command)}:\n{result.stderr}"
        assert result.returncode in (0, 1, 2)


def test_a_non_strict_build_never_publishes_a_symlinked_folder_or_an_unreadable_page(tmp_path: Path) -> None:
    from mkdocs.commands.build import build
    from mkdocs.config import load_config
    from mkdocs.exceptions import Abort

    root = project(tmp_path)
    _symlink("folder")(root)
    _page_not_utf8(root)
    with pytest.raises(Abort, match="nothing was built"):
        build(load_config(config_file=str(root / "mkdocs.yml"), strict=False, site_dir=str(root / "site")))
    assert not (root / "site").exists()
