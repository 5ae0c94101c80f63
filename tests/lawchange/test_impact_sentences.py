"""`lawguide impact ID --sentences`: each sentence citing an entry, beside the entry's cite and summary,
so a reviewer can check the claim against the provision (issue 28, the citation audit)."""

from __future__ import annotations

import json

from lawguide.content.site import load_site
from lawguide.core.settings import Settings
from lawguide.lawchange.impact import citing_sentences, plain_citations, sentences_citing

from tests.fixtures import home_page, lawguide, make_site

PAGES = {
    "index.md": home_page("""\
        Parents can ask. The council must assess a parent carer [[ca1989-s17zd]]. Other words follow.

        ## Who {#who}

        The people who can ask are [[ca1989-s17zd]]:

        - a [[glossary:parent-carer|parent]] who cares
        - anyone with parental responsibility

        After the list.

        ### Again {#again}

        1. Write to the council [[ca1989-s17|under section 17]]. It must decide [[ca1989-s17zd|section 17ZD]]. Next.
        """),
}


def site_of(root):
    return load_site(Settings.from_mkdocs_yml(root / "mkdocs.yml"))


def test_each_citing_line_gives_only_the_sentence_that_cites_the_entry(tmp_path):
    found = citing_sentences(site_of(make_site(tmp_path, pages=PAGES)), "ca1989-s17zd")["index.md"]
    assert found[0].line == 7 and found[0].anchor == ""
    assert found[0].sentence == "The council must assess a parent carer [[ca1989-s17zd]]."


def test_a_sentence_ending_in_a_colon_brings_the_list_it_introduces(tmp_path):
    found = citing_sentences(site_of(make_site(tmp_path, pages=PAGES)), "ca1989-s17zd")["index.md"]
    assert found[1].anchor == "who"
    assert found[1].sentence == ("The people who can ask are [[ca1989-s17zd]]: / a parent who cares"
                                 " / anyone with parental responsibility")


def test_a_sentence_that_refers_back_is_shown_with_the_sentence_before_it(tmp_path):
    found = citing_sentences(site_of(make_site(tmp_path, pages=PAGES)), "ca1989-s17zd")["index.md"]
    assert found[2].line == 20 and found[2].anchor == "again"
    # the list number goes; "It" leans on the sentence before, whose other citation shows as [id]
    assert found[2].sentence == ("(Write to the council under section 17 [ca1989-s17].) "
                                 "It must decide section 17ZD [[ca1989-s17zd]].")


def test_two_citations_of_one_entry_on_a_line_give_two_sentences():
    lines = ["A is so [[x-1]]. B is not [[y-2]]. C is so too [[x-1]]."]
    assert sentences_citing(lines, 1, "x-1") == ["A is so [[x-1]].", "C is so too [[x-1]]."]


def test_a_line_no_longer_in_the_file_is_reported_not_a_crash():
    assert sentences_citing(["one line"], 5, "x-1") == ["(the line is no longer in the file: run `lawguide impact` again)"]


def test_plain_citations_keep_own_words_and_mark_only_the_audited_entry():
    text = "See [[glossary:short-breaks]] and [[a-1|the Act]] and [[b-2]]."
    assert plain_citations(text, "a-1") == "See short breaks and the Act [[a-1]] and [b-2]."


def test_the_command_prints_cite_and_summary_then_each_claim_with_path_and_line(tmp_path):
    result = lawguide(make_site(tmp_path, pages=PAGES), "impact", "--sentences", "ca1989-s17zd")
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == "ca1989-s17zd: Children Act 1989, s.17ZD"
    assert lines[1].startswith("  provision says: ")
    assert "  3 citing sentences on 1 page; for each, does the provision itself say it?" in lines
    assert "  docs/index.md:11 (#who)" in lines


def test_the_command_as_json_gives_cite_summary_and_sentences(tmp_path):
    root = make_site(tmp_path, pages=PAGES)
    data = json.loads(lawguide(root, "impact", "--sentences", "--json", "ca1989-s17zd").stdout)["ca1989-s17zd"]
    assert data["cite"] == "Children Act 1989, s.17ZD"
    assert [s["line"] for s in data["pages"]["index.md"]] == [7, 11, 20]


def test_an_unknown_id_is_refused_with_a_suggestion_and_nothing_printed(tmp_path):
    result = lawguide(make_site(tmp_path, pages=PAGES), "impact", "--sentences", "ca1989-s17d")
    assert result.returncode == 1 and result.stdout == ""
    assert "did you mean 'ca1989-s17zd'?" in result.stderr
