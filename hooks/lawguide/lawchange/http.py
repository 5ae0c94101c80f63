"""A polite HTTP client for checking sources: it names the project, waits its turn and never hides a failure.

- A User-Agent naming lawguide and how to reach its editors (mkdocs.yml `extra.lawguide.contact`).
- Timeouts on every read and connect (`timeout`), a total deadline on every request, redirects
  included (`deadline`: a server trickling one byte a second is cut off when it passes), and a budget
  for the whole run (`budget`: once spent, every request left is "could not check"). Callers keep
  concurrency small (see sources.MAX_WORKERS).
- Name lookups (DNS) are bounded too: the system resolver (getaddrinfo) takes no timeout and a socket
  timer cannot cut it, so each lookup runs in a worker thread that is waited for only as long as the
  connect timeout or what is left of the deadline; a lookup still hanging then is abandoned to finish
  on its own (a daemon thread) and the request fails as a timeout naming the host.
- 429 and 5xx are retried with backoff, honouring Retry-After (seconds or an HTTP date) up to a cap:
  a server asking for a longer wait (even years) gets it by our giving up, not by our asking again.
- Conditional requests (If-None-Match / If-Modified-Since); 304 comes back as a response, not an error.
- Redirects are followed by this module, not by httpx, at most MAX_REDIRECTS, only to https (or to the
  same scheme as the request, for the tests' http://127.0.0.1), only on the same site (the host with or
  without "www."), never in a loop. Any other redirect (javascript:, mailto:, data:, a malformed
  address, another host) is a FetchError naming where it pointed: one entry could not be checked.
- A response larger than max_bytes is refused while it streams, before it is all read, and so is a
  compressed one whose *decompressed* size passes max_bytes (gzip and deflate only; decompressed here,
  a bounded piece at a time, so a decompression bomb never expands in memory).
- Proxy variables (HTTP_PROXY, HTTPS_PROXY, ALL_PROXY, NO_PROXY) and certificate variables in the
  environment are ignored (trust_env=False): requests go straight to the source, verified against the
  system's certificates, whatever the shell was set up for.

Every failure is a FetchError with a one-line reason; `offline` tells "no network at all" apart.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import email.utils
import ipaddress
import re
import socket
import threading
import time
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from urllib.parse import urljoin, urlsplit

import httpcore
import httpx

RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})
REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})
MAX_REDIRECTS = 5
_DIGITS = re.compile(r"[0-9]{1,12}")  # ASCII digits only: str.isdigit() also accepts '²', which float() refuses
_DEFLATED = ("gzip", "x-gzip", "deflate")


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
    """Retry-After as seconds to wait: delta-seconds or an HTTP date; None when absent or unreadable.
    A number too long to be a sensible wait (more than 12 digits) counts as unreadable."""
    value = (value or "").strip()
    if not value:
        return None
    if value.isascii() and value.isdigit():
        return float(value) if _DIGITS.fullmatch(value) else None
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError, OverflowError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=dt.UTC)
    now = now or dt.datetime.now(dt.UTC)
    return max(0.0, (when - now).total_seconds())


def _shown(url: str) -> str:
    """Where a redirect pointed, safe to print: scheme and host only (a hostile address stays short)."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return "?"
    if parts.scheme.lower() in ("http", "https") and parts.hostname:
        return f"{parts.scheme.lower()}://{_ascii_host(parts.hostname)}"
    scheme = re.sub(r"[^a-z0-9+.-]", "", parts.scheme.lower())[:20]
    return f"{scheme}:..." if scheme else "?"


def _ascii_host(host: str) -> str:
    """A host as it goes on the wire (punycode), so a look-alike letter shows as what it is."""
    try:
        return host.encode("idna").decode("ascii")
    except UnicodeError:
        return re.sub(r"[^a-z0-9.-]", "?", host.lower())[:80]


def _site(host: str) -> str:
    return host.lower().rstrip(".").removeprefix("www.")


def redirect_target(current: str, location: str) -> str:
    """The absolute address a redirect from `current` to `location` asks for, if it may be followed;
    FetchError otherwise (never an httpx.InvalidURL traceback)."""
    location = location.strip()
    if not location or any(ord(c) < 0x21 or c in '<>"\\^`{|}' or ord(c) == 0x7F for c in location):
        raise FetchError("redirected to a malformed address; check the source by hand")
    try:
        target = urljoin(current, location)
        parts, here = urlsplit(target), urlsplit(current)
        host = parts.hostname or ""
        _ = parts.port  # a port that is not a number raises ValueError
    except ValueError:
        raise FetchError("redirected to a malformed address; check the source by hand") from None
    if parts.scheme != "https" and not (parts.scheme == "http" and here.scheme == "http"):
        raise FetchError(f"redirected to a non-https address ({_shown(target)}); check the source by hand")
    if not host:
        raise FetchError("redirected to a malformed address (no host); check the source by hand")
    if _site(host) != _site(here.hostname or ""):
        raise FetchError(f"redirected to another host ({_shown(target)}); if the source moved there, "
                         "check it by hand and update the entry's url")
    try:
        httpx.URL(target)
    except (httpx.InvalidURL, ValueError):
        raise FetchError("redirected to a malformed address; check the source by hand") from None
    return target


def _lookup(host: str, port: int, timeout: float | None) -> list[str]:
    """The addresses of host, waiting at most timeout seconds for the system resolver."""
    with contextlib.suppress(ValueError):
        return [str(ipaddress.ip_address(host.strip("[]")))]  # already an address: nothing to look up
    done, answer = threading.Event(), []

    def ask() -> None:
        try:
            answer.append(socket.getaddrinfo(host, port, type=socket.SOCK_STREAM))
        except (OSError, UnicodeError) as exc:
            answer.append(exc)
        finally:
            done.set()

    threading.Thread(target=ask, name=f"lookup {host[:60]}", daemon=True).start()
    if not done.wait(timeout):
        raise httpcore.ConnectTimeout(f"looking up {_ascii_host(host)} took longer than {timeout:g} s")
    if isinstance(answer[0], BaseException):
        raise httpcore.ConnectError(f"could not look up {_ascii_host(host)}: {answer[0]}")
    addresses = list(dict.fromkeys(info[4][0] for info in answer[0]))
    if not addresses:
        raise httpcore.ConnectError(f"could not look up {_ascii_host(host)}: no address")
    return addresses


class _BoundedLookups(httpcore.SyncBackend):
    """httpcore's network backend, with the name looked up under a timeout (see _lookup) before each
    connection; the connection itself, and TLS (whose certificate check uses the host name, not the
    address), are httpcore's own."""

    def connect_tcp(self, host: str, port: int, timeout: float | None = None, local_address: str | None = None,
                    socket_options=None) -> httpcore.NetworkStream:
        ends = time.monotonic() + timeout if timeout is not None else None
        failure: Exception | None = None
        for address in _lookup(host, port, timeout):
            left = None if ends is None else max(0.001, ends - time.monotonic())
            try:
                return super().connect_tcp(address, port, left, local_address, socket_options)
            except (httpcore.ConnectError, httpcore.ConnectTimeout) as exc:
                failure = exc  # the next address, as socket.create_connection would
        raise failure


class _Watchdog:
    """Cuts a request off at its deadline, wherever it is (waiting for headers or trickling a body):
    at the deadline every socket the request opened is shut down, which wakes a blocked read."""

    def __init__(self, seconds: float) -> None:
        self.hit = False
        self.ends = time.monotonic() + max(0.0, seconds)
        self._sockets: list[socket.socket] = []
        self._lock = threading.Lock()
        self._timer = threading.Timer(max(0.0, seconds), self._cut)
        self._timer.daemon = True

    def __enter__(self) -> _Watchdog:
        self._timer.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._timer.cancel()

    def passed(self) -> bool:
        """Whether the deadline has come: cut by the timer, or a wait bounded by it (a name lookup) ended
        with it, a moment before the timer fired."""
        return self.hit or time.monotonic() >= self.ends - 0.05

    def trace(self, name: str, info: dict) -> None:
        """httpcore's trace extension: called with each new connection's stream."""
        if name != "connection.connect_tcp.complete":
            return
        sock = info.get("return_value").get_extra_info("socket") if info.get("return_value") else None
        if sock is None:
            return
        with self._lock:
            self._sockets.append(sock)
            if self.hit:
                self._shut(sock)

    def _cut(self) -> None:
        with self._lock:
            self.hit = True
            for sock in self._sockets:
                self._shut(sock)

    @staticmethod
    def _shut(sock: socket.socket) -> None:
        try:
            sock.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass  # already closed


class _Inflater:
    """The body as sent (identity) or gzip/deflate decompressed a bounded piece at a time."""

    def __init__(self, encoding: str) -> None:
        encoding = encoding.strip().lower()
        if encoding in ("", "identity"):
            self._z = None
        elif encoding in _DEFLATED:
            self._z = zlib.decompressobj(zlib.MAX_WBITS | 32)  # a gzip or zlib header, detected
        else:
            raise FetchError(f"response in an encoding this client did not ask for ({_one_line(encoding)[:30]})")

    def feed(self, data: bytes, room: int) -> bytes:
        """Decompressed bytes of `data`, at most room + 1 (one more than fits says 'too large')."""
        if self._z is None:
            return data
        try:
            return self._z.decompress(data, room + 1)
        except zlib.error:
            raise FetchError("unreadable compressed response") from None


@dataclass
class Client:
    contact: str = ""
    timeout: float = 20.0  # longest wait to connect or for the next bytes
    deadline: float = 60.0  # longest time one request may take, redirects and reading included
    budget: float = 1800.0  # longest time the whole run may spend asking
    max_bytes: int = 5_000_000  # after decompression
    attempts: int = 3  # tries per request for 429, 5xx and timeouts
    backoff: float = 2.0  # first wait when the server gives no Retry-After; doubles each time
    max_wait: float = 60.0  # longest single wait; a longer Retry-After means "could not check"
    sleep: object = time.sleep
    clock: object = time.monotonic
    _client: httpx.Client | None = field(default=None, repr=False)
    _transport: httpx.HTTPTransport | None = field(default=None, repr=False)
    _run_ends: float = field(default=0.0, repr=False)

    def __enter__(self) -> Client:
        # One connection per request: the deadline's watchdog knows every socket a request uses.
        # No proxy, certificate or .netrc settings from the environment (see the docstring).
        self._transport = httpx.HTTPTransport(limits=httpx.Limits(max_keepalive_connections=0), trust_env=False)
        # httpx has no option for httpcore's network backend; its pool takes one (tests prove it is used).
        self._transport._pool._network_backend = _BoundedLookups()
        self._client = httpx.Client(
            headers={"User-Agent": user_agent(self.contact), "Accept-Encoding": "gzip, deflate"},
            timeout=httpx.Timeout(self.timeout), transport=self._transport, trust_env=False)
        self._run_ends = self.clock() + self.budget
        return self

    def __exit__(self, *exc: object) -> None:
        if self._client is not None:
            self._client.close()
            self._client = None

    def _left(self) -> float:
        return self._run_ends - self.clock()

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
            if self._left() <= 0:
                raise FetchError(f"not asked: the run's time budget of {self.budget:g} s was spent")
            try:
                status, response_headers, body, final = self._once(url, headers)
            except httpx.TimeoutException as exc:
                if attempt < self.attempts:
                    self._wait(min(self.backoff * 2 ** (attempt - 1), self.max_wait))
                    continue
                lookup = str(exc) if str(exc).startswith("looking up ") else ""
                raise FetchError(f"{lookup or f'timed out after {self.timeout:g} s'} ({self.attempts} tries)") from None
            except (httpx.ConnectError, httpx.NetworkError) as exc:
                raise FetchError(f"could not connect: {_one_line(str(exc)) or type(exc).__name__}", offline=True) from None
            except (httpx.HTTPError, httpx.InvalidURL, httpx.StreamError) as exc:  # a broken response or address
                raise FetchError(f"request failed: {_one_line(str(exc)) or type(exc).__name__}") from None
            if status in RETRY_STATUSES:
                asked = retry_after_seconds(response_headers.get("retry-after", ""))
                wait = asked if asked is not None else self.backoff * 2 ** (attempt - 1)
                if attempt == self.attempts:
                    raise FetchError(f"HTTP {status} after {self.attempts} tries")
                if wait > self.max_wait:
                    raise FetchError(f"HTTP {status}: the server asked us to wait {_duration(wait)}, "
                                     f"longer than {self.max_wait:g} s")
                self._wait(wait)
                continue
            if status == 304:
                return Fetched(url, final, 304, b"", etag, last_modified)
            if status != 200:
                raise FetchError(f"HTTP {status}" + (" (not found)" if status == 404 else " (gone)" if status == 410 else ""))
            return Fetched(url, final, 200, body, response_headers.get("etag", ""),
                           response_headers.get("last-modified", ""), response_headers.get("content-type", ""))
        raise FetchError("no response")  # not reached: the loop returns or raises

    def _wait(self, seconds: float) -> None:
        if seconds >= self._left():
            raise FetchError(f"not asked again: waiting {seconds:g} s would pass the run's time budget of {self.budget:g} s")
        self.sleep(seconds)

    def _once(self, url: str, headers: dict[str, str]) -> tuple[int, dict[str, str], bytes, str]:
        """One request, its redirects followed, under one deadline (or what is left of the run's budget)."""
        limit = min(self.deadline, self._left())
        by_budget = limit < self.deadline
        with _Watchdog(limit) as watchdog:
            try:
                return self._follow(url, headers, watchdog)
            except (httpx.HTTPError, httpx.StreamError):
                if watchdog.passed():
                    raise self._late(limit, by_budget) from None
                raise

    def _late(self, limit: float, by_budget: bool) -> FetchError:
        if by_budget:
            return FetchError(f"stopped: the run's time budget of {self.budget:g} s ran out during this request")
        return FetchError(f"stopped after {limit:g} s: the source took longer than the deadline for one request")

    def _follow(self, url: str, headers: dict[str, str], watchdog: _Watchdog) -> tuple[int, dict[str, str], bytes, str]:
        current, seen = url, {url}
        for _ in range(MAX_REDIRECTS + 1):
            status, heads, body = self._one(current, headers, watchdog)
            if status not in REDIRECT_STATUSES or "location" not in heads:
                return status, heads, body, current
            target = redirect_target(current, heads["location"])
            if target in seen:
                raise FetchError(f"redirect loop (back to {_shown(target)}{urlsplit(target).path[:80]})")
            seen.add(target)
            current = target
        raise FetchError(f"more than {MAX_REDIRECTS} redirects")

    def _one(self, url: str, headers: dict[str, str], watchdog: _Watchdog) -> tuple[int, dict[str, str], bytes]:
        assert self._client is not None and self._transport is not None
        # Connecting (the name lookup included) may take the connect timeout or what is left of the deadline.
        connect = max(0.001, min(self.timeout, watchdog.ends - time.monotonic()))
        request = self._client.build_request("GET", url, headers=headers, extensions={"trace": watchdog.trace},
                                             timeout=httpx.Timeout(self.timeout, connect=connect))
        # Straight to the transport: httpx.Client parses every Location header, even one it is told not
        # to follow, and raises InvalidURL on a hostile one; _follow checks it instead.
        response = self._transport.handle_request(request)
        with contextlib.closing(response):
            heads = {k.lower(): v for k, v in response.headers.items()}
            if response.status_code != 200:
                return response.status_code, heads, b""
            declared = heads.get("content-length", "")
            if declared.isascii() and declared.isdigit() and int(declared) > self.max_bytes:
                raise FetchError(f"response too large: {int(declared):,} bytes (limit {self.max_bytes:,})")
            inflater = _Inflater(heads.get("content-encoding", ""))
            return 200, heads, b"".join(self._body(response.iter_raw(), inflater, watchdog))

    def _body(self, raw: Iterator[bytes], inflater: _Inflater, watchdog: _Watchdog) -> Iterator[bytes]:
        size = 0
        for chunk in raw:
            if watchdog.hit:
                raise httpx.ReadError("deadline")  # turned into the deadline's message by _once
            piece = inflater.feed(chunk, self.max_bytes - size)
            size += len(piece)
            if size > self.max_bytes:
                raise FetchError(f"response too large: more than {self.max_bytes:,} bytes"
                                 + (" once decompressed" if inflater._z is not None else ""))
            yield piece


def _duration(seconds: float) -> str:
    if seconds < 120:
        return f"{seconds:.0f} s"
    if seconds < 2 * 86400:
        return f"{seconds:.0f} s ({seconds / 3600:.1f} hours)"
    return f"{seconds:.0f} s ({seconds / 86400:,.0f} days)" if seconds < 1e12 else "longer than anyone should"


def _one_line(text: str) -> str:
    return " ".join(text.split())[:200]
