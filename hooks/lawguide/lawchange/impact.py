"""`lawguide impact`: for a register id, every page and section citing it, with source lines.
Reads the same index as the build, so the answer matches the built site's law pages. Beyond
citations: lines naming the entry in words (its short name, a document's title, a case's name), and,
for a case that interprets other entries (`interprets:`, or a case-law change naming it), the
sections citing those entries, where the new authority may belong."""

from __future__ import annotations

import re
from dataclasses import dataclass

from lawguide.content.site import Site
from lawguide.core.problems import suggest


@dataclass(frozen=True)
class PageImpact:
    page: str  # path relative to docs/
    display: str  # docs/... as editors see it
    anchors: tuple[str, ...]  # ids of the H2/H3 sections citing it, in page order; top of page omitted
    lines: tuple[int, ...]
    cited_at_top: bool  # cited above the first H2/H3

    def as_dict(self) -> dict:
        return {"page": self.page, "anchors": list(self.anchors), "lines": list(self.lines)}


def unknown_ids(site: Site, ids: list[str]) -> list[str]:
    """A message for each id that is not in the register, with a suggestion when one is close."""
    out = []
    for ref_id in ids:
        if ref_id not in site.register:
            hint = suggest(ref_id, site.register.refs)
            out.append(f"unknown law reference '{ref_id}'" + (f" ({hint})" if hint else " (see law_refs/*.yml)"))
    return out


def impact(site: Site, ref_id: str) -> list[PageImpact]:
    out = []
    for page_path, cites in site.pages_citing(ref_id).items():
        anchors: list[str] = []
        for cite in cites:
            if cite.anchor and cite.anchor not in anchors:
                anchors.append(cite.anchor)
        lines = tuple(sorted({c.line for c in cites}))
        out.append(PageImpact(page_path, site.pages[page_path].display, tuple(anchors), lines,
                              any(not c.anchor for c in cites)))
    return sorted(out, key=lambda p: p.page)


def impact_json(site: Site, ids: list[str]) -> dict[str, list[dict]]:
    return {ref_id: [p.as_dict() for p in impact(site, ref_id)] for ref_id in ids}


def impact_text(site: Site, ids: list[str]) -> str:
    out = []
    for ref_id in ids:
        ref = site.register[ref_id]
        pages = impact(site, ref_id)
        citing = site.pages_citing(ref_id)  # once: it walks every citation of ref_id
        count = sum(len(p.lines) for p in pages)
        out.append(f"{ref_id} ({ref.cite}): cited on {len(pages)} page{'s' if len(pages) != 1 else ''}, "
                   f"{count} line{'s' if count != 1 else ''}")
        for item in pages:
            page = site.pages[item.page]
            out.append(f"  {item.display}  ({page.title})")
            by_anchor: dict[str, list[int]] = {}
            for cite in citing[item.page]:
                by_anchor.setdefault(cite.anchor, [])
                if cite.line not in by_anchor[cite.anchor]:
                    by_anchor[cite.anchor].append(cite.line)
            for anchor, lines in by_anchor.items():
                heading = page.heading(anchor) if anchor else None
                where = f"#{anchor} ({heading.text})" if heading else (f"#{anchor}" if anchor else "top of page")
                out.append(f"    {where}: line{'s' if len(lines) != 1 else ''} {', '.join(map(str, lines))}")
        if not pages:
            out.append("  no page cites it")
        out += more_text(site, ref_id)
    return "\n".join(out)


# --- beyond citations: prose naming an instrument, and where a new authority belongs ----------

_CITATION = re.compile(r"\[\[[^\]]*\]\]")
_PROVISION_LIKE = re.compile(r"^(?:s|ss|reg|regs|r|rr|art|arts|sch|para|paras)\.?\s?\d", re.IGNORECASE)


@dataclass(frozen=True)
class Mention:
    page: str
    display: str
    line: int
    anchor: str  # the H2/H3 section it sits under, '' above the first
    name: str  # the words that matched

    def as_dict(self) -> dict:
        return {"page": self.page, "line": self.line, "anchor": self.anchor, "name": self.name}


def names_for(site: Site, ref_id: str) -> list[str]:
    """Words that name the entry itself in prose: its own short name ("Working Together 2026"), a
    document's title or instrument ("Working Together to Safeguard Children 2026"), a case's name
    (its cite before the neutral citation). An Act's or regulations' instrument is left out: "the
    Children Act 1989" names every section of it, so it would flag every page."""
    ref = site.register[ref_id]
    names = []
    if ref.short and not _PROVISION_LIKE.match(ref.short):
        names.append(ref.short)
    if ref.type not in ("act", "regulations"):
        names += [ref.title, ref.instrument]
    if ref.type == "case":
        names.append(re.split(r"\s[\[(]\d{4}", ref.cite)[0])
    return [n for n in dict.fromkeys(n.strip() for n in names) if len(n) >= 8]


def prose_mentions(site: Site, ref_id: str) -> list[Mention]:
    """Lines that name the entry in words without citing it there (outside code and citations)."""
    from lawguide.content.markdown_scan import code_mask

    names = names_for(site, ref_id)
    if not names:
        return []
    pattern = re.compile("|".join(re.escape(n) for n in sorted(names, key=len, reverse=True)), re.IGNORECASE)
    cited_lines = {(c.page, c.line) for c in site.citations_by_ref.get(ref_id, [])}
    out = []
    for page in site.pages.values():
        try:
            lines = (site.settings.docs_dir / page.path).read_text(encoding="utf-8").split("\n")
        except (OSError, UnicodeDecodeError):
            continue
        sections = [(h.line, h.id) for h in page.headings if h.level in (2, 3)]
        for number, (line, is_code) in enumerate(zip(lines, code_mask(lines), strict=True), start=1):
            if is_code or (page.path, number) in cited_lines:
                continue
            match = pattern.search(_CITATION.sub(" ", re.sub(r"`[^`]*`", " ", line)))
            if match:
                anchor = next((i for at, i in reversed(sections) if at <= number), "")
                out.append(Mention(page.path, page.display, number, anchor, match.group(0)))
    return out


def proposed_sections(site: Site, ref_id: str) -> list[tuple[str, str, tuple[str, ...]]]:
    """For an authority (a case) that interprets other entries: the sections citing what it
    interprets that do not cite it yet, as (page, anchor, the interpreted ids cited there)."""
    ref = site.register[ref_id]
    interprets = list(ref.interprets)
    interprets += [other.id for other in site.register.refs.values()
                   if any(c.case == ref_id for c in other.changes) and other.id not in interprets]
    already = {(c.page, c.anchor) for c in site.citations_by_ref.get(ref_id, [])}
    found: dict[tuple[str, str], list[str]] = {}
    for other in interprets:
        for cite in site.citations_by_ref.get(other, []):
            key = (cite.page, cite.anchor)
            if key not in already and other not in found.setdefault(key, []):
                found[key].append(other)
    return [(page, anchor, tuple(ids)) for (page, anchor), ids in sorted(found.items())]


def more_text(site: Site, ref_id: str) -> list[str]:
    """impact_text's lines about prose and proposed sections for one id."""
    out = []
    mentions = prose_mentions(site, ref_id)
    if mentions:
        out.append(f"  named in prose without a citation ({len(mentions)} line{'s' if len(mentions) != 1 else ''}):")
        out += [f"    {m.display}:{m.line}" + (f"  #{m.anchor}" if m.anchor else "") + f"  \"{m.name}\"" for m in mentions]
    proposals = proposed_sections(site, ref_id)
    if proposals:
        out.append("  may belong in these sections (they cite what it interprets):")
        for page, anchor, ids in proposals:
            out.append(f"    {site.pages[page].display}  {'#' + anchor if anchor else 'top of page'}  (cites {', '.join(ids)})")
    return out
