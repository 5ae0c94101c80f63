"""Who publishes the guide and where readers send feedback: `extra.lawguide.publisher` and
`extra.lawguide.feedback` in mkdocs.yml, set once and shown in the footer and on the About page.

Both keys must be present. `feedback` may be left empty (`feedback: null`) while the publisher decides
on an address; pages then keep the general wording and `lawguide check` says a decision is pending.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from lawguide.core.problems import Problem, display_path, shorten
from lawguide.core.weburl import host_problem, url_problem
from lawguide.core.yamlsrc import Node, load_yaml_file

# An address as people have them: no quotes, brackets, spaces, tabs or other characters that could end
# an attribute or a mailto: link; the domain in plain a-z (core/weburl.host_problem says why not).
EMAIL_RE = re.compile(r"^[A-Za-z0-9.!#$%&*+/=?^_{|}~-]+@(?:[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?\.)+[A-Za-z]{2,63}$")
PUBLISHER_KEYS = ("name", "url")
FEEDBACK_KEYS = ("email", "url")
PLACEHOLDERS = ("publisher", "feedback")  # [[site:publisher]], [[site:feedback]] in pages
NO_FEEDBACK_ROUTE = "the feedback route given by the organisation that shared this guide with you"


@dataclass(frozen=True)
class Publisher:
    name: str = ""
    url: str = ""
    feedback_email: str = ""
    feedback_url: str = ""

    @property
    def has_feedback(self) -> bool:
        return bool(self.feedback_email or self.feedback_url)


def load_publisher(config_file: Path, root: Path) -> tuple[Publisher, list[Problem]]:
    display = display_path(config_file.resolve(), root.resolve())
    if not config_file.exists():
        return Publisher(), []  # no mkdocs.yml to read (library use); the build always has one
    node, problems = load_yaml_file(config_file, display)
    if node is None:
        return Publisher(), problems
    extra = node.get("extra")
    lawguide = extra.get("lawguide") if extra else None
    anchor = (extra.key_lines.get("lawguide", extra.line) if lawguide and extra else
              node.key_lines.get("extra", 1))
    where = "extra.lawguide" if lawguide else "extra: lawguide:"
    publisher, feedback = Publisher(), Publisher()
    keys = lawguide.key_lines if lawguide and isinstance(lawguide.value, dict) else {}
    if "publisher" not in keys:
        problems.append(Problem(display, anchor, "extra.lawguide.publisher is missing: who publishes the guide",
                                f"add under {where}  publisher: {{name: Your organisation, url: https://...}}"))
    else:
        publisher = _read_publisher(lawguide.get("publisher"), display, problems)
    if "feedback" not in keys:
        problems.append(Problem(display, anchor, "extra.lawguide.feedback is missing: how readers send feedback",
                                f"add under {where}  feedback: {{email: name@example.org}} or "
                                "{url: https://...}; leave it empty (feedback: null) only while undecided"))
    else:
        feedback = _read_feedback(lawguide.get("feedback"), display, problems)
    return Publisher(publisher.name, publisher.url, feedback.feedback_email, feedback.feedback_url), problems


def _mapping(node: Node, key: str, allowed: tuple[str, ...], display: str, problems: list[Problem]) -> dict[str, str]:
    if not isinstance(node.value, dict):
        problems.append(Problem(display, node.line, f"extra.lawguide.{key} must be a mapping",
                                f"for example {key}: {{{allowed[0]}: ...}}"))
        return {}
    out = {}
    for name, child in node.value.items():
        if name not in allowed:
            problems.append(Problem(display, node.key_lines.get(name, node.line),
                                    f"unknown key '{name}' in extra.lawguide.{key}", "use one of: " + ", ".join(allowed)))
        elif not isinstance(child.value, str) or not child.value.strip():
            problems.append(Problem(display, child.line, f"extra.lawguide.{key}.{name} must be text"))
        else:
            out[name] = child.value.strip()
    return out


def _shown(text: str) -> str:
    """A value as typed, on one line: a tab or line break shows as \\t or \\n."""
    shown = text.encode("unicode_escape").decode("ascii") if not text.isprintable() else text
    return shorten(shown)


def _check_url(url: str, display: str, line: int, what: str, problems: list[Problem]) -> bool:
    """The one URL check every address passes (core/weburl.py)."""
    problem = url_problem(url)
    if problem:
        problems.append(Problem(display, line, f"{what} '{_shown(url)}' is not an https:// web address",
                                f"it {problem}; write the full https:// address, e.g. https://your.org/contact"))
        return False
    return True


def _read_publisher(node: Node | None, display: str, problems: list[Problem]) -> Publisher:
    if node is None or node.value is None:
        line = node.line if node else 1
        problems.append(Problem(display, line, "extra.lawguide.publisher is empty", "give at least its name"))
        return Publisher()
    value = _mapping(node, "publisher", PUBLISHER_KEYS, display, problems)
    if not isinstance(node.value, dict):
        return Publisher()
    if not value.get("name"):
        problems.append(Problem(display, node.line, "extra.lawguide.publisher has no name",
                                "name: the organisation that publishes the guide"))
    url = value.get("url", "")
    if url and not _check_url(url, display, node.value["url"].line, "extra.lawguide.publisher.url", problems):
        url = ""
    return Publisher(name=value.get("name", ""), url=url)


def _read_feedback(node: Node | None, display: str, problems: list[Problem]) -> Publisher:
    if node is None or node.value is None:
        return Publisher()  # present but undecided: allowed, and reported by `lawguide check` as a note
    value = _mapping(node, "feedback", FEEDBACK_KEYS, display, problems)
    if isinstance(node.value, dict) and len(value) != 1 and not any(k not in FEEDBACK_KEYS for k in node.value):
        problems.append(Problem(display, node.line, "extra.lawguide.feedback needs exactly one of 'email' or 'url'"))
        return Publisher()
    email, url = value.get("email", ""), value.get("url", "")
    if email and not EMAIL_RE.match(email):
        domain = email.rpartition("@")[2]
        why = host_problem(domain) if domain and not domain.isascii() else ""
        problems.append(Problem(display, node.value["email"].line,
                                f"extra.lawguide.feedback.email '{_shown(email)}' is not an email address"
                                + (f": its domain {why}" if why else ""),
                                "letters, digits and . _ + - before the @, e.g. guide@your.org"))
        email = ""
    if url and not _check_url(url, display, node.value["url"].line, "extra.lawguide.feedback.url", problems):
        url = ""
    return Publisher(feedback_email=email, feedback_url=url)
