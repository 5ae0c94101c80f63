"""A polite HTTP client for checking sources: it names the project, waits its turn and never hides a failure.

- A User-Agent naming lawguide and how to reach its editors (mkdocs.yml `extra.lawguide.contact`).
- Timeouts on every request; callers keep concurrency small (see sources.MAX_WORKERS).
- 429 and 5xx are retried with backoff, honouring Retry-After (seconds or an HTTP date) up to a cap:
  a server asking for a longer wait gets it by our giving up, not by our asking again.
- Conditional requests (If-None-Match / If-Modified-Since); 304 comes back as a response, not an error.
- Redirects are followed (at most MAX_REDIRECTS, http and https only) and the final URL is reported.
- A response larger than max_bytes is refused while it streams, before it is all read.

Every failure is a FetchError with a one-line reason; `offline` tells "no network at all" apart.
"""

from __future__ import annotations

import datetime as dt
import email.utils
import time
from dataclasses import dataclass, field

import httpx

RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})
MAX_REDIRECTS = 5


class FetchError(Exception):
    """A source could not be read. `offline` is True when no connection could be made at all."""

    def __init__(self, reason: str, offline: bool = False) -> None:
        super().__init__(reason)
        self.reason = reason
        self.offline = offline


@dataclass(frozen=True)
class Fetched:
    url: str  # the URL asked for
    final_url: str  # after redirects
    status: int  # 200 or 304
    body: bytes
    etag: str = ""
    last_modified: str = ""
    content_type: str = ""

    @property
    def redirected(self) -> bool:
        return self.final_url != self.url


def user_agent(contact: str) -> str:
    from lawguide import __version__

    how = contact.strip() or "no contact configured: set extra.lawguide.contact in mkdocs.yml"
    return f"lawguide-sources/{__version__} (checks the sources of a guide to disabled children's social care; {how})"


def retry_after_seconds(value: str, now: dt.datetime | None = None) -> float | None:
    """Retry-After as seconds to wait: delta-seconds or an HTTP date; None when absent or unreadable."""
    value = (value or "").strip()
    if not value:
        return None
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=dt.UTC)
    now = now or dt.datetime.now(dt.UTC)
    return max(0.0, (when - now).total_seconds())


@dataclass
class Client:
    contact: str = ""
    timeout: float = 20.0
    max_bytes: int = 5_000_000
    attempts: int = 3  # tries per request for 429, 5xx and timeouts
    backoff: float = 2.0  # first wait when the server gives no Retry-After; doubles each time
    max_wait: float = 60.0  # longest single wait; a longer Retry-After means "could not check"
    sleep: object = time.sleep
    _client: httpx.Client | None = field(default=None, repr=False)

    def __enter__(self) -> Client:
        self._client = httpx.Client(
            headers={"User-Agent": user_agent(self.contact)},
            timeout=httpx.Timeout(self.timeout),
            follow_redirects=True,
            max_redirects=MAX_REDIRECTS,
            trust_env=False,  # the bases and proxies are ours to choose, not the environment's
        )
        return self

    def __exit__(self, *exc: object) -> None:
        if self._client is not None:
            self._client.close()
            self._client = None

    def get(self, url: str, etag: str = "", last_modified: str = "", accept: str = "") -> Fetched:
        assert self._client is not None, "use Client as a context manager"
        headers = {}
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        if accept:
            headers["Accept"] = accept
        for attempt in range(1, self.attempts + 1):
            try:
                status, response_headers, body, final = self._once(url, headers)
            except httpx.TimeoutException:
                if attempt < self.attempts:
                    self.sleep(min(self.backoff * 2 ** (attempt - 1), self.max_wait))
                    continue
                raise FetchError(f"timed out after {self.timeout:g} s ({self.attempts} tries)") from None
            except httpx.TooManyRedirects:
                raise FetchError(f"more than {MAX_REDIRECTS} redirects") from None
            except (httpx.ConnectError, httpx.NetworkError) as exc:
                raise FetchError(f"could not connect: {_one_line(str(exc)) or type(exc).__name__}", offline=True) from None
            except httpx.HTTPError as exc:  # invalid URL, unsupported protocol on a redirect, broken response
                raise FetchError(f"request failed: {_one_line(str(exc)) or type(exc).__name__}") from None
            if status in RETRY_STATUSES:
                asked = retry_after_seconds(response_headers.get("retry-after", ""))
                wait = asked if asked is not None else self.backoff * 2 ** (attempt - 1)
                if attempt == self.attempts:
                    raise FetchError(f"HTTP {status} after {self.attempts} tries")
                if wait > self.max_wait:
                    raise FetchError(f"HTTP {status}: the server asked us to wait {wait:.0f} s, longer than {self.max_wait:g} s")
                self.sleep(wait)
                continue
            if status == 304:
                return Fetched(url, final, 304, b"", etag, last_modified)
            if status != 200:
                raise FetchError(f"HTTP {status}" + (" (not found)" if status == 404 else " (gone)" if status == 410 else ""))
            return Fetched(url, final, 200, body, response_headers.get("etag", ""),
                           response_headers.get("last-modified", ""), response_headers.get("content-type", ""))
        raise FetchError("no response")  # not reached: the loop returns or raises

    def _once(self, url: str, headers: dict[str, str]) -> tuple[int, dict[str, str], bytes, str]:
        assert self._client is not None
        with self._client.stream("GET", url, headers=headers) as response:
            final = str(response.url)
            if not final.startswith(("http://", "https://")):
                raise FetchError(f"redirected to a non-web address: {final[:80]}")
            heads = {k.lower(): v for k, v in response.headers.items()}
            if response.status_code != 200:
                return response.status_code, heads, b"", final
            declared = heads.get("content-length", "")
            if declared.isdigit() and int(declared) > self.max_bytes:
                raise FetchError(f"response too large: {int(declared):,} bytes (limit {self.max_bytes:,})")
            chunks, size = [], 0
            for chunk in response.iter_bytes():
                size += len(chunk)
                if size > self.max_bytes:
                    raise FetchError(f"response too large: more than {self.max_bytes:,} bytes")
                chunks.append(chunk)
            return 200, heads, b"".join(chunks), final


def _one_line(text: str) -> str:
    return " ".join(text.split())[:200]
