"""`lawguide impact`: for a register id, every page and section citing it, with source lines.
Reads the same index as the build, so the answer matches the built site's law pages."""

from __future__ import annotations

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
    return "\n".join(out)
