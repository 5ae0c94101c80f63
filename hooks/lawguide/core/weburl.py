"""The one test every web address passes before the guide writes it anywhere.

Register URLs, change sources and addresses built from a legislation.gov.uk feed all end up in
href attributes, the Atom feed and the YAML files. A URL that is not plainly an https address on
a real host, or that holds a character that can end a Markdown link or an HTML attribute
(`( ) < > " '`, whitespace), is refused where it is read, with the reason.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

# A host name: dot-separated labels of letters, digits and hyphens, ending in a letter-only top level.
_HOST_RE = re.compile(r"^(?=.{4,253}$)(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$")
# RFC 3986 characters, less the ones that end a Markdown link or an attribute: ( ) ' and [ ] (IPv6 only).
_ALLOWED_RE = re.compile(r"^[A-Za-z0-9\-._~:/?#@!$&*+,;=%]*$")
_PERCENT_RE = re.compile(r"%(?![0-9A-Fa-f]{2})")
_FORBIDDEN = "()<>\"'`\\{}|^[]"
WELL_FORMED = "is not a well-formed web address"


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
