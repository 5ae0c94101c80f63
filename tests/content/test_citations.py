"""Citations and headings are read from Markdown sources, skipping code."""

from __future__ import annotations

from lawguide.content.markdown_scan import parse_heading, scan_body, split_front_matter, transform_citations

BODY = """\
# Title

Intro [[ca1989-s17]].

## Asking for help {#asking}

Use [[ca1989-s17|section 17]] and [[glossary:short-breaks|respite]].
Inline `[[in-code]]` is left alone.

```markdown
[[in-fence]]
```

### Parent carers {#parent-carers}

~~~
[[in-tilde-fence]]
~~~
Two on a line: [[a-one]] and [[b-two]].
"""


def test_citations_carry_line_and_section_anchor_and_skip_code():
    _, cites = scan_body(BODY, "page.md", first_line=5)
    found = [(c.target, c.text, c.line, c.anchor, c.is_glossary) for c in cites]
    assert found == [
        ("ca1989-s17", "", 7, "", False),
        ("ca1989-s17", "section 17", 11, "asking", False),
        ("short-breaks", "respite", 11, "asking", True),
        ("a-one", "", 23, "parent-carers", False),
        ("b-two", "", 23, "parent-carers", False),
    ]


def test_headings_keep_explicit_ids_and_slug_the_rest():
    headings, _ = scan_body(BODY, "page.md", first_line=1)
    assert [(h.level, h.id, h.explicit) for h in headings] == [(1, "title", False), (2, "asking", True),
                                                               (3, "parent-carers", True)]
    assert parse_heading("## What is it? {: #what .big }", 1).id == "what"
    assert parse_heading("## Can the council refuse? ##", 1).id == "can-the-council-refuse"


def test_transform_replaces_only_outside_code():
    out = transform_citations(BODY, lambda target, text, glossary: f"<{target}|{text}|{glossary}>")
    assert "<ca1989-s17||False>" in out and "<short-breaks|respite|True>" in out
    assert "`[[in-code]]`" in out and "[[in-fence]]" in out and "[[in-tilde-fence]]" in out


def test_front_matter_lines_map_to_the_file():
    front, body = split_front_matter("---\ntitle: T\nreviewed: 2026-01-01\n---\n# T\n", "docs/x.md")
    assert front.line("reviewed") == 3 and front.body_start == 5 and body.startswith("# T")
