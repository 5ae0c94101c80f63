"""A synthetic project shaped like the real guide, for benchmarks and scale tests.

`make_synthetic_site(root, pages)` writes mkdocs.yml, docs/, law_refs/ and glossary/ the way the
real project lays them out: front matter with reviewed dates, H2/H3 headings with explicit ids,
citations of about 60 register ids, glossary links, tables and lists, 600-900 words a page.
The output depends only on (pages, seed, hooks), so timings are comparable between runs.
With hooks=False the same pages are written with citations as plain text and no hooks, so
a build benchmark can compare MkDocs alone against MkDocs plus lawguide.
"""

from __future__ import annotations

import datetime as dt
import random
import re
from dataclasses import dataclass
from pathlib import Path

import yaml

HOOK = Path(__file__).resolve().parents[2] / "lawguide_hooks.py"

# (instrument file, instrument name, id prefix, url base, type, section word)
INSTRUMENTS = [
    ("synthetic-children-act.yml", "Synthetic Children Act 1989", "sca", "https://www.legislation.gov.uk/ukpga/1989/41",
     "act", "section"),
    ("synthetic-families-act.yml", "Synthetic Families Act 2014", "sfa", "https://www.legislation.gov.uk/ukpga/2014/6",
     "act", "section"),
    ("synthetic-care-regs.yml", "Synthetic Care Regulations 2010", "scr", "https://www.legislation.gov.uk/uksi/2010/959",
     "regulations", "regulation"),
    ("synthetic-guidance.yml", "Synthetic statutory guidance", "sgd", "https://www.gov.uk/government/publications/synthetic",
     "statutory-guidance", "chapter"),
    ("synthetic-proposals.yml", "Synthetic reform proposals", "spr", "https://lawcom.gov.uk/project/synthetic",
     "proposal", "recommendation"),
]
REFS_PER_INSTRUMENT = 12  # 5 x 12 = 60 register ids
BASE_DATE = dt.date(2026, 11, 22)

WORDS = (
    "the council must assess your child and family when you ask for help with care at home or at school "
    "a social worker will talk to you about what support you need and how often you need it "
    "you can ask for short breaks direct payments equipment or adaptations to your home "
    "if the council refuses you can complain and ask for the decision in writing with reasons "
    "keep a copy of every letter and write down the date of every phone call and meeting "
    "your child has a right to be heard and the council should ask what they want "
    "a plan should say who will do what and by when and how it will be reviewed "
    "the law sets out duties and powers and guidance explains how councils should use them"
).split()
HEADINGS = [
    "What the council must do", "How to ask", "What happens next", "If the council says no", "Time limits",
    "Who can help", "Your child's views", "Getting it in writing", "Paying for support", "Reviews",
    "Moving to another area", "Complaints", "Evidence to collect", "Meetings", "Emergencies",
]


@dataclass(frozen=True)
class SyntheticRef:
    id: str
    cite: str


def make_synthetic_site(root: Path, pages: int, seed: int = 0, hooks: bool = True) -> Path:
    """Write a synthetic project of `pages` guide pages into root and return root."""
    rng = random.Random(seed)
    root.mkdir(parents=True, exist_ok=True)
    refs = _write_register(root / "law_refs")
    terms = _write_glossary(root / "glossary", refs)
    paths = [_page_path(i) for i in range(pages)]
    for i, path in enumerate(paths):
        target = root / "docs" / path
        target.parent.mkdir(parents=True, exist_ok=True)
        text = _page(rng, i, path, paths, refs, terms)
        target.write_text(text if hooks else _plain(text, refs, terms), encoding="utf-8")
    _write_config(root, hooks)
    return root


def _page_path(i: int) -> str:
    # Topics are grouped in sections of 10, as the real menu groups its pages, so the menu Material
    # renders on every page stays a realistic size as the guide grows.
    return "index.md" if i == 0 else f"section-{i // 250:02d}/topic-{i // 25:02d}/page-{i:04d}.md"


def _write_register(folder: Path) -> list[SyntheticRef]:
    folder.mkdir(parents=True, exist_ok=True)
    refs: list[SyntheticRef] = []
    for n, (file, instrument, prefix, base, ref_type, word) in enumerate(INSTRUMENTS):
        entries = []
        for k in range(1, REFS_PER_INSTRUMENT + 1):
            ref_id = f"{prefix}-{word[:3]}{k}"
            cite = f"{instrument}, {word} {k}"
            url = f"{base}/{word}/{k}" if ref_type in ("act", "regulations") else f"{base}#{word}-{k}"
            entry = {
                "id": ref_id, "title": f"Duty number {k} of the {instrument}", "cite": cite, "url": url,
                "type": ref_type, "status": "proposed" if ref_type == "proposal" else "in-force",
                "summary": f"What {word} {k} of the {instrument} means for families, in plain English.",
                "verified": BASE_DATE.isoformat(),
            }
            # A few entries carry recent changes, so `lawguide review` has affected pages to find.
            if (n * REFS_PER_INSTRUMENT + k) % 15 == 0:
                entry["changes"] = [{"date": (BASE_DATE - dt.timedelta(days=20 * k)).isoformat(),
                                     "summary": f"{word.capitalize()} {k} amended.", "source": f"{base}/{word}/{k}"
                                     if ref_type in ("act", "regulations") else "https://www.gov.uk/synthetic"}]
            entries.append(entry)
            refs.append(SyntheticRef(ref_id, cite))
        text = f"# Synthetic register file: {instrument}\n" + yaml.safe_dump(
            {"instrument": instrument, "refs": entries}, sort_keys=False, width=100)
        (folder / file).write_text(text, encoding="utf-8")
    return refs


def _write_glossary(folder: Path, refs: list[SyntheticRef]) -> list[str]:
    folder.mkdir(parents=True, exist_ok=True)
    words = ["assessment", "short-breaks", "direct-payments", "care-plan", "child-in-need", "parent-carer",
             "advocate", "complaint", "ombudsman", "judicial-review", "ehc-plan", "transition",
             "safeguarding", "social-worker", "local-offer", "personal-budget", "respite", "review-meeting",
             "eligibility", "independent-person"]
    terms = [{"id": w, "term": w.replace("-", " ").capitalize(), "definition": f"What '{w.replace('-', ' ')}' means.",
              "also_called": [f"{w.replace('-', ' ')} (informal)"], "refs": [refs[i % len(refs)].id]}
             for i, w in enumerate(words)]
    (folder / "terms.yml").write_text(yaml.safe_dump({"terms": terms}, sort_keys=False), encoding="utf-8")
    return words


def _sentence(rng: random.Random, n: int) -> str:
    words = [rng.choice(WORDS) for _ in range(n)]
    return " ".join(words).capitalize() + "."


def _paragraph(rng: random.Random, refs: list[SyntheticRef], terms: list[str], words: int) -> str:
    out, count = [], 0
    while count < words:
        n = rng.randint(8, 18)
        sentence = _sentence(rng, n)
        roll = rng.random()
        # Densities match the real guide: about 17 law citations and 7 glossary links per 1,000 words.
        if roll < 0.23:
            ref = rng.choice(refs)
            sentence = sentence[:-1] + (f" [[{ref.id}]]." if rng.random() < 0.7 else f" under [[{ref.id}|the law]].")
        elif roll < 0.32:
            sentence = f"Ask about [[glossary:{rng.choice(terms)}]]. " + sentence
        out.append(sentence)
        count += n
    return " ".join(out)


def _page(rng: random.Random, i: int, path: str, paths: list[str], refs: list[SyntheticRef], terms: list[str]) -> str:
    reviewed = BASE_DATE - dt.timedelta(days=rng.randint(0, 400))
    title = f"Synthetic guide page {i}"
    front = ["---", f"title: {title}", f"summary: What families need to know about topic {i}, in plain English.",
             f"reviewed: {reviewed.isoformat()}"]
    if i % 10 == 0:
        front.append("review_interval_months: 12")
    if i % 7 == 0:
        front += ["changes:", f"  - date: {reviewed.isoformat()}", "    summary: Checked against the law."]
    # Every real guide page explains at least one term, usually near the top.
    intro = f"This page explains [[glossary:{rng.choice(terms)}]]. " + _paragraph(rng, refs, terms, 60)
    body = front + ["---", "", f"# {title}", "", intro, ""]
    target = max(500, min(700, int(rng.gauss(600, 50))))  # prose; headings, tables, lists, links add ~150
    words, section = 60, 0
    headings = rng.sample(HEADINGS, k=len(HEADINGS))
    while words < target:
        heading = headings[section % len(headings)]
        anchor = re.sub(r"[^a-z0-9]+", "-", heading.lower()).strip("-") + (f"-{section}" if section >= len(headings) else "")
        level = "###" if section % 3 == 2 else "##"
        body += [f"{level} {heading} {{#{anchor}}}", ""]
        n = rng.randint(70, 130)
        body += [_paragraph(rng, refs, terms, n), ""]
        words += n
        if section == 1:
            body += _table(rng, refs)
            words += 30
        if section == 2:
            body += [f"- {_sentence(rng, 8)}" for _ in range(4)] + [""]
            words += 32
            other = paths[(i + 1) % len(paths)]
            if other != path:
                body += [f"See also [the next guide]({_rel(path, other)}).", ""]
        section += 1
    return "\n".join(body) + "\n"


def _table(rng: random.Random, refs: list[SyntheticRef]) -> list[str]:
    rows = ["| What you can ask for | Who decides | The law |", "|---|---|---|"]
    for _ in range(3):
        ref = rng.choice(refs)
        rows.append(f"| {_sentence(rng, 4)[:-1]} | The council | [[{ref.id}]] |")
    return rows + [""]


def _rel(from_path: str, to_path: str) -> str:
    import posixpath

    return posixpath.relpath(to_path, posixpath.dirname(from_path) or ".")


def _plain(text: str, refs: list[SyntheticRef], terms: list[str]) -> str:
    """The same page without lawguide: citations become plain text."""
    cites = {r.id: r.cite for r in refs}

    def sub(match: re.Match) -> str:
        target, label = match.group(1), match.group(2)
        if target.startswith("glossary:"):
            return label or target[len("glossary:"):].replace("-", " ")
        return label or f"({cites.get(target, target)})"

    return re.sub(r"\[\[([^\[\]|]+)(?:\|([^\[\]]+))?\]\]", sub, text)


def _write_config(root: Path, hooks: bool) -> None:
    config: dict = {
        "site_name": "Synthetic guide",
        "theme": {"name": "material", "font": False, "features": ["navigation.prune", "navigation.indexes"]},
        "markdown_extensions": ["admonition", "attr_list", "md_in_html", "tables",
                                {"toc": {"permalink": True}}],
        "validation": {"omitted_files": "warn", "absolute_links": "warn", "unrecognized_links": "warn",
                       "not_found": "warn", "anchors": "warn"},
        "extra": {"lawguide": {"register_dir": "law_refs", "glossary_dir": "glossary", "review_interval_months": 6,
                               "publisher": {"name": "Synthetic guide"},
                               "feedback": {"url": "https://example.org/feedback"}}},
    }
    if hooks:
        config["hooks"] = [str(HOOK)]
    (root / "mkdocs.yml").write_text(yaml.safe_dump(config, sort_keys=False), encoding="utf-8")
