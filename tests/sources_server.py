"""A loopback server that plays legislation.gov.uk, GOV.UK and other web sites from recorded responses
in tests/data/sources/ (see the README there), for `lawguide sources` tests. No internet needed.

    with serve_sources() as server:
        env = server.env()        # LAWGUIDE_SOURCES_BASE_* pointing here
        server.override("/govuk/api/content/x", status=404)
        server.requests           # every path asked, in order, with its User-Agent

Routes (bases: /legislation, /govuk, /web):
- /legislation/changes/affected/TYPE/YEAR/NUMBER/data.feed?page=N -> legislation/TYPE-YEAR-NUMBER[.pN].feed.xml,
  else the template default.feed.xml (page 1) filled with the instrument.
- /govuk/api/content/PATH -> govuk/LAST-SEGMENT.json, else the template default.json.
- /web/HOST/PATH -> web/default.html with Last-Modified 1 January 2020 and an ETag; If-None-Match -> 304.
An override answers a path (with or without its query) instead: status, headers, a fixture file, a body,
a delay, a trickle (one byte at a time) and for how many requests (then the normal route answers).
"""

from __future__ import annotations

import contextlib
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

DATA = Path(__file__).resolve().parent / "data" / "sources"
WEB_LAST_MODIFIED = "Wed, 01 Jan 2020 00:00:00 GMT"
TYPES = {".xml": "application/xml", ".json": "application/json", ".html": "text/html; charset=utf-8"}


@dataclass
class Override:
    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)
    file: str = ""  # relative to tests/data/sources
    body: bytes = b""
    delay: float = 0.0
    count: int = 0  # answer this many requests, then fall through; 0 = always
    trickle: float = 0.0  # send the body one byte at a time, this many seconds apart (a slow-drip server)
    used: int = 0


class SourcesServer:
    def __init__(self, data: Path = DATA) -> None:
        self.data = data
        self.overrides: dict[str, Override] = {}
        self.requests: list[tuple[str, str]] = []  # (path with query, User-Agent)
        self.lock = threading.Lock()
        self.base = ""

    def override(self, path: str, **kwargs) -> None:
        self.overrides[path] = Override(**kwargs)

    def env(self) -> dict[str, str]:
        return {"LAWGUIDE_SOURCES_BASE_LEGISLATION": self.base + "/legislation",
                "LAWGUIDE_SOURCES_BASE_GOVUK": self.base + "/govuk", "LAWGUIDE_SOURCES_BASE_WEB": self.base + "/web"}

    def paths(self) -> list[str]:
        return [path for path, _ in self.requests]


class _Handler(BaseHTTPRequestHandler):
    server_state: SourcesServer

    def log_message(self, format: str, *args: object) -> None:
        pass

    def do_GET(self) -> None:  # noqa: N802 (http.server's name)
        state = self.server.state  # type: ignore[attr-defined]
        with state.lock:
            state.requests.append((self.path, self.headers.get("User-Agent", "")))
            spec = state.overrides.get(self.path) or state.overrides.get(urlsplit(self.path).path)
            if spec and spec.count and spec.used >= spec.count:
                spec = None
            if spec:
                spec.used += 1
        try:
            if spec:
                self._override(state, spec)
            else:
                self._route(state)
        except (BrokenPipeError, ConnectionResetError):
            pass

    def _send(self, status: int, body: bytes, content_type: str = "", headers: dict[str, str] | None = None) -> None:
        self.send_response(status)
        if content_type:
            self.send_header("Content-Type", content_type)
        for key, value in (headers or {}).items():
            self.send_header(key, value)
        if "Content-Length" not in (headers or {}):
            self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def _override(self, state: SourcesServer, spec: Override) -> None:
        if spec.delay:
            time.sleep(spec.delay)
        body = spec.body or ((state.data / spec.file).read_bytes() if spec.file else b"")
        content_type = TYPES.get(Path(spec.file).suffix, "") if spec.file else ""
        if spec.trickle:
            return self._trickle(spec, body, content_type)
        self._send(spec.status, body, content_type, spec.headers)

    def _trickle(self, spec: Override, body: bytes, content_type: str) -> None:
        self.send_response(spec.status)
        self.send_header("Content-Type", content_type or "application/octet-stream")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.flush()
        for byte in body:
            self.wfile.write(bytes([byte]))
            self.wfile.flush()
            time.sleep(spec.trickle)

    def _route(self, state: SourcesServer) -> None:
        split = urlsplit(self.path)
        parts = [p for p in split.path.split("/") if p]
        if parts[:3] == ["legislation", "changes", "affected"] and parts[-1] == "data.feed":
            instrument = parts[3:-1]
            page = int(parse_qs(split.query).get("page", ["1"])[0])
            name = "-".join(instrument) + (f".p{page}" if page > 1 else "") + ".feed.xml"
            file = state.data / "legislation" / name
            if file.exists():
                return self._send(200, file.read_bytes(), "application/atom+xml")
            if page > 1 or len(instrument) != 3:
                return self._send(404, b"Not found", "text/plain")
            text = (state.data / "legislation" / "default.feed.xml").read_text(encoding="utf-8")
            for key, value in zip(("type", "year", "number"), instrument, strict=True):
                text = text.replace("{" + key + "}", value)
            return self._send(200, text.encode("utf-8"), "application/atom+xml")
        if parts[:3] == ["govuk", "api", "content"] and len(parts) > 3:
            file = state.data / "govuk" / f"{parts[-1]}.json"
            if file.exists():
                return self._send(200, file.read_bytes(), "application/json")
            text = (state.data / "govuk" / "default.json").read_text(encoding="utf-8")
            return self._send(200, text.replace("{base_path}", "/" + "/".join(parts[3:])).encode("utf-8"),
                              "application/json")
        if parts[:1] == ["web"] and len(parts) > 1:
            etag = '"default-2020"'
            if self.headers.get("If-None-Match") == etag:
                return self._send(304, b"", headers={"ETag": etag})
            return self._send(200, (state.data / "web" / "default.html").read_bytes(), "text/html; charset=utf-8",
                              {"Last-Modified": WEB_LAST_MODIFIED, "ETag": etag})
        return self._send(404, b"Not found", "text/plain")


@contextlib.contextmanager
def serve_sources(data: Path = DATA) -> Iterator[SourcesServer]:
    state = SourcesServer(data)
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    server.daemon_threads = True
    server.state = state  # type: ignore[attr-defined]
    state.base = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield state
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


def closed_port() -> int:
    """A loopback port nothing listens on (bound, then closed)."""
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]
