"""The one test every web address passes before the guide writes it anywhere.

Register URLs, change sources, addresses built from a legislation.gov.uk feed, the publisher and
feedback addresses in mkdocs.yml and authors' own Markdown links all end up in href attributes, the
Atom feed and the YAML files. A URL that is not plainly an https address on a real host, or that holds
a character that can end a Markdown link or an HTML attribute (`( ) < > " '`, whitespace), is refused
where it is read, with the reason. So is a host name that is not plain ASCII letters (a Cyrillic 'а'
in legislation.gov.uk) or is written in punycode (xn--): readers cannot tell it from the official
one, and the guide links only official and well-known sites; `lookalike_of` names the site it imitates.
"""

from __future__ import annotations

import re
import unicodedata
from urllib.parse import urlsplit

# A host name: dot-separated labels of letters, digits and hyphens, ending in a letter-only top level.
_HOST_RE = re.compile(r"^(?=.{4,253}$)(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$")
# RFC 3986 characters, less the ones that end a Markdown link or an attribute: ( ) ' and [ ] (IPv6 only).
_ALLOWED_RE = re.compile(r"^[A-Za-z0-9\-._~:/?#@!$&*+,;=%]*$")
_PERCENT_RE = re.compile(r"%(?![0-9A-Fa-f]{2})")
_FORBIDDEN = "()<>\"'`\\{}|^[]"
WELL_FORMED = "is not a well-formed web address"
# Sites the guide cites, whose look-alikes are named as such (any non-ASCII or punycode host is refused).
OFFICIAL_HOSTS = ("legislation.gov.uk", "gov.uk", "lgo.org.uk", "bailii.org", "nationalarchives.gov.uk",
                  "parliament.uk", "judiciary.uk", "lawcom.gov.uk", "nhs.uk", "ofsted.gov.uk")
# Letters from other scripts that look like Latin ones (Unicode's confusables, the ones that matter here).
_CONFUSABLES = str.maketrans("аеорсхуіјѕԁӏɡһԛԝοαντιкρυѵьмнвтзӡ", "aeopcxyijsdlghqwoavtikpuvbmhbt33")
_HOST_PART = re.compile(r"^[a-z][a-z0-9+.-]*://([^/?#]*)", re.IGNORECASE)


def _unicode_host(host: str) -> str:
    labels = []
    for label in host.lower().split("."):
        if label.startswith("xn--"):
            try:
                label = label[4:].encode("ascii").decode("punycode")
            except (UnicodeError, ValueError):
                pass
        labels.append(label)
    return ".".join(labels)


def lookalike_of(host: str) -> str:
    """The official site a host imitates (its letters, once look-alikes are read as Latin ones, spell
    that site or one of its sub-domains), or ''."""
    shown = unicodedata.normalize("NFKD", _unicode_host(host)).translate(_CONFUSABLES)
    skeleton = "".join(ch for ch in shown if not unicodedata.combining(ch)).removeprefix("www.")
    for official in OFFICIAL_HOSTS:
        if skeleton == official or skeleton.endswith("." + official):
            return official
    return ""


def host_problem(host: str) -> str:
    """Why a host name must not be linked ('' when it is plain ASCII, not punycode)."""
    if host.isascii() and not any(label.startswith("xn--") for label in host.lower().split(".")):
        return ""
    imitated = lookalike_of(host)
    try:
        ascii_host = host.lower().encode("idna").decode("ascii")
    except UnicodeError:
        ascii_host = host.encode("ascii", "backslashreplace").decode("ascii")
    what = f", a look-alike of {imitated}" if imitated else ""
    return f"has a host name in letters other than plain a-z ({ascii_host}{what}); link the official address"


def url_problem(url: str) -> str:
    """Why url is not a safe, absolute https address, or '' when it is."""
    scheme = url.split(":", 1)[0].strip().lower() if ":" in url else ""
    if scheme in ("javascript", "data", "vbscript", "file"):
        return f"is a {scheme}: address, not a web page"
    if url != url.strip() or any(ch.isspace() for ch in url):
        return "contains a space or line break"
    bad = sorted({ch for ch in url if ch in _FORBIDDEN or ord(ch) < 32 or ord(ch) == 127})
    if bad:
        shown = " ".join(repr(ch) for ch in bad)
        return f"contains {shown}, which cannot appear in a web address here"
    if not url.lower().startswith("https://"):
        return "is not https"
    if not url.startswith("https://"):
        return "must start with lower-case 'https://'"
    host_part = _HOST_PART.match(url)
    problem = host_problem(host_part.group(1).rpartition("@")[2].partition(":")[0]) if host_part else ""
    if problem:
        return problem
    if not _ALLOWED_RE.match(url):
        return "contains characters that are not allowed in a web address (write them %-encoded)"
    if _PERCENT_RE.search(url):
        return "has a '%' that is not followed by two hex digits"
    parts = urlsplit(url)
    host, _, port = parts.netloc.partition(":")
    if "@" in parts.netloc or (port and not port.isdigit()) or not _HOST_RE.match(host.lower()):
        return WELL_FORMED  # no real host name (or a user name before it)
    return ""


def is_safe_url(url: str) -> bool:
    return not url_problem(url)
