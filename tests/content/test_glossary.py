from __future__ import annotations

from pathlib import Path

from lawguide.content.glossary import load_glossary

TERMS = """\
terms:
  - id: short-breaks
    term: Short breaks
    definition: Time away from caring.
    also_called: [respite, respite care]
    refs: [ca1989-s17]
  - id: direct-payments
    term: Direct payments
    definition: Money instead of services.
"""


def load(tmp_path: Path, text: str):
    (tmp_path / "glossary").mkdir(exist_ok=True)
    (tmp_path / "glossary" / "terms.yml").write_text(text, encoding="utf-8")
    return load_glossary(tmp_path / "glossary", {"ca1989-s17"}, tmp_path)


def test_terms_load_with_everyday_words(tmp_path):
    glossary = load(tmp_path, TERMS)
    assert glossary.problems == ()
    assert glossary["short-breaks"].also_called == ("respite", "respite care")
    assert glossary["short-breaks"].line == 2


def test_unknown_ref_in_term_is_reported_with_suggestion(tmp_path):
    found = [p.format() for p in load(tmp_path, TERMS.replace("refs: [ca1989-s17]", "refs: [ca1989-s71]")).problems]
    assert found == ["glossary/terms.yml:6: unknown law reference 'ca1989-s71' in refs (did you mean 'ca1989-s17'?)"]


def test_duplicate_term_id_and_shared_also_called_word_are_reported(tmp_path):
    text = TERMS.replace("id: direct-payments", "id: short-breaks") + "    also_called: [respite]\n"
    found = [p.format() for p in load(tmp_path, text).problems]
    assert any("'respite' is also_called for both" in m for m in found) or any("duplicate glossary id" in m for m in found)
    assert any(m.startswith("glossary/terms.yml:7: duplicate glossary id 'short-breaks'") for m in found)


def test_also_called_written_as_text_not_list_is_reported(tmp_path):
    found = [p.format() for p in load(tmp_path, TERMS.replace("[respite, respite care]", "respite")).problems]
    assert found == ["glossary/terms.yml:5: 'also_called' must be a list (write 'also_called: [respite]')"]


def test_missing_definition_is_reported(tmp_path):
    found = [p.format() for p in load(tmp_path, TERMS.replace("    definition: Money instead of services.\n", "")).problems]
    assert found == ["glossary/terms.yml:7: missing required field 'definition' in a glossary term (add 'definition: ...')"]
