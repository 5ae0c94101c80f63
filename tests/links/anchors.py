"""Our own anchor check over a served site: every page fetched once, every #fragment checked against it.

linkchecker's anchor plugin treats each `page#anchor` as its own URL, so it fetched and parsed a page once
for every anchor linked to it (3,718 fetches, 120 MB, for about 400 pages). Here each HTML page is fetched
once over the loopback server and parsed once; its ids are collected and every link with a fragment
(same page, other pages, relative or with the site's full address) is checked against the target's ids.
linkchecker still checks every page and file (tests/links/test_linkcheck.py), without the anchor plugin.

What counts as a target, as in linkchecker's plugin (linkcheck/plugins/anchorcheck.py): any element's
`id` and an `<a name>`; the fragment matches as written or percent-decoded. A fragment into a file that
is not HTML (a PDF's #page=2) is not checked, as there.
"""

from __future__ import annotations

import urllib.error
import urllib.request
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urldefrag, urljoin, urlsplit

# Every attribute linkchecker follows that can carry a link to an anchor (linkcheck/htmlutil/linkparse.py).
LINK_ATTRIBUTES = frozenset({"href", "src", "action", "formaction", "usemap", "cite", "longdesc", "data"})


class _PageParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.ids: set[str] = set()
        self.links: list[str] = []
        self.base: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if value is None:
                continue
            if name == "id" or (tag == "a" and name == "name"):
                self.ids.add(value)
            elif name in LINK_ATTRIBUTES and "#" in value:
                self.links.append(value)
            elif tag == "base" and name == "href" and self.base is None:
                self.base = value

    handle_startendtag = handle_starttag


@dataclass(frozen=True)
class Page:
    url: str  # the address it was fetched at, without fragment
    status: int  # HTTP status; 0 if the server could not be reached
    is_html: bool
    ids: frozenset[str] = frozenset()
    links: tuple[tuple[str, str], ...] = ()  # links with a '#': (as written, resolved to an absolute address)
    final_url: str = ""  # after redirects (/folder -> /folder/)


def fetch(url: str) -> Page:
    try:
        with urllib.request.urlopen(url, timeout=60) as response:  # noqa: S310 - loopback test server only
            body = response.read()
            final = response.geturl()
            is_html = response.headers.get_content_type() == "text/html"
            status = response.status
    except urllib.error.HTTPError as error:
        return Page(url=url, status=error.code, is_html=False, final_url=url)
    except urllib.error.URLError:
        return Page(url=url, status=0, is_html=False, final_url=url)
    if not is_html:
        return Page(url=url, status=status, is_html=False, final_url=final)
    parser = _PageParser()
    parser.feed(body.decode("utf-8", errors="replace"))
    parser.close()
    base = urljoin(final, parser.base) if parser.base else final
    return Page(url=url, status=status, is_html=True, ids=frozenset(parser.ids),
                links=tuple((link, urljoin(base, link)) for link in parser.links), final_url=final)


def page_urls(site_dir: Path, base: str) -> list[str]:
    """Every HTML file of a built site as the address a reader uses (folder/index.html -> folder/)."""
    urls = []
    for path in sorted(site_dir.rglob("*.html")):
        rel = path.relative_to(site_dir).as_posix()
        urls.append(base + (rel[: -len("index.html")] if rel.endswith("index.html") else rel))
    return urls


def _key(url: str) -> str:
    """The page an address means: no fragment, no query, folder/index.html == folder/."""
    parts = urlsplit(urldefrag(url).url)
    path = parts.path[: -len("index.html")] if parts.path.endswith("/index.html") else parts.path
    return f"{parts.scheme}://{parts.netloc}{path or '/'}"


def link_form(written: str) -> str:
    if written.startswith("#"):
        return "same page"
    return "full address" if urlsplit(written).scheme or written.startswith("//") else "relative"


@dataclass
class AnchorReport:
    problems: list[str] = field(default_factory=list)  # "page: link -> missing #id" (or -> missing page)
    pages: int = 0  # pages fetched and parsed
    links_checked: int = 0  # links with a fragment into the site
    forms: Counter[str] = field(default_factory=Counter)  # how those links were written: same page, relative, full
    fetches: Counter[str] = field(default_factory=Counter)  # address -> times fetched (each should be 1)


def check_anchors(site_dir: Path, base: str, threads: int = 4) -> AnchorReport:
    """Fetch every HTML page of site_dir from base (http://127.0.0.1:PORT/, the server serving site_dir)
    once, then check every link with a fragment into the site against the ids of the page it names.
    A link to a page not among the files (a typo, a moved page) is fetched once too, and reported as a
    missing page unless the server answers it with 200 (after redirects: /folder -> /folder/)."""
    base = base if base.endswith("/") else base + "/"
    report = AnchorReport()
    with ThreadPoolExecutor(max_workers=threads) as pool:
        fetched = list(pool.map(fetch, page_urls(site_dir, base)))
    pages: dict[str, Page] = {}

    def remember(page: Page) -> None:
        report.fetches[page.url] += 1
        pages.setdefault(_key(page.url), page)
        pages.setdefault(_key(page.final_url), page)

    for page in fetched:
        remember(page)
    for source in fetched:
        for written, link in source.links:
            if not _key(link).startswith(base):
                continue  # another host: not ours to check here (test_linkcheck checks their form)
            fragment = urldefrag(link).fragment
            if not fragment:
                continue  # "page#" is the top of the page
            report.links_checked += 1
            report.forms[link_form(written)] += 1
            key = _key(link)
            if key not in pages:
                remember(fetch(key))
            target = pages[key]
            where = source.url[len(base) - 1:]
            shown = written[len(base) - 1:] if written.startswith(base) else written  # as the editor wrote it
            if target.status != 200:
                report.problems.append(f"{where}: {shown} -> missing page (HTTP {target.status or 'no answer'})")
            elif target.is_html and fragment not in target.ids and unquote(fragment) not in target.ids:
                report.problems.append(f"{where}: {shown} -> missing #{unquote(fragment)}")
    report.pages = sum(1 for page in fetched if page.is_html)
    return report
