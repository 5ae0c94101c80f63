"""What the editors' page takes from pages and law_refs/processes.yml (a dated sentence, a name found in
prose, a process id, a page title) reaches its HTML as text: nothing in them becomes markup."""

from __future__ import annotations

import datetime as dt

import markdown
from lawguide.content.site import load_site
from lawguide.core.settings import Settings
from lawguide.render.editors import editors_page

from tests.fixtures import DEFAULT_REFS, make_site

WT = {"id": "wt2026", "title": "Working Together to Safeguard Children 2026", "cite": "Working Together 2026, ch. 3",
      "short": "Working <b>Together</b> 2026", "url": "https://www.gov.uk/government/publications/working-together",
      "type": "statutory-guidance", "status": "in-force", "summary": "Guidance.", "verified": "2026-11-22",
      "changes": [{"date": "2026-11-20", "kind": "amended", "summary": "Chapter 3 revised.",
                   "source": "https://www.gov.uk/government/publications/working-together"}]}
PAYLOAD = "<img src=x onerror=alert(1)> [x](https://evil.example) *em* <script>alert(2)</script> {: onclick=alert(3) }"


def test_the_editors_page_lists_dated_sentences_and_names_found_in_prose_as_text_never_markup(tmp_path):
    pages = {"index.md": f"---\ntitle: 'Home <i>x</i>'\nreviewed: 2026-12-01\n---\n# Home <i>x</i>\n\n"
                         f"As of May 2026 {PAYLOAD} Working <b>Together</b> 2026.\n"}
    root = make_site(tmp_path, pages=pages, refs=[*DEFAULT_REFS, WT])
    text = editors_page(load_site(Settings.from_mkdocs_yml(root / "mkdocs.yml")), dt.date(2026, 12, 7))
    html = markdown.markdown(text.split("---", 2)[2], extensions=["attr_list", "md_in_html", "tables", "toc"])
    reread = html[html.index('id="reread"'):html.index('id="dated-claims"')]
    dated = html[html.index('id="dated-claims"'):html.index('id="sources-changed"')]
    assert "('Working &lt;b&gt;Together&lt;/b&gt; 2026')" in reread  # the name as found, shown as typed
    assert "Home &lt;i&gt;x&lt;/i&gt;</a>" in dated
    assert ("As of May 2026 &lt;img src=x onerror=alert(1)&gt; [x](https://evil.example) *em* "
            "&lt;script&gt;alert(2)&lt;/script&gt; {: onclick=alert(3) }") in dated
    for markup in ("<img", "<script", "<b>", "<i>", "<em>", 'href="https://evil', "onclick=\""):
        assert markup not in reread + dated, markup
