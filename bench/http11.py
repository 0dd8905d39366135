"""A lean asyncio HTTP/1.1 client for the load tests: one connection per request
(gunicorn's sync workers close every connection anyway), cookies per client as a
browser keeps them, form posts, no redirects followed.

Why not httpx: on a 2-core machine the load generator competes with the server for the
same cores. httpx spends about 4 ms of CPU per request here, twice what the server spends
on /healthz, so the baseline measured the client; this client spends a fraction of that.
"""

from __future__ import annotations

import asyncio
import contextlib
from urllib.parse import urlencode, urlsplit


class HTTPError(Exception):
    """The request could not be completed (connection refused or reset, bad reply)."""


class Timeout(HTTPError):
    """No complete reply within the client's timeout."""


class Response:
    __slots__ = ("status_code", "headers", "cookies", "body")

    def __init__(self, status_code: int, headers: dict[str, str], cookies: list[str], body: bytes):
        self.status_code = status_code
        self.headers = headers
        self.cookies = cookies
        self.body = body

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", "replace")


def _parse_head(head: bytes) -> tuple[int, dict[str, str], list[str]]:
    lines = head.decode("latin-1").split("\r\n")
    parts = lines[0].split(" ", 2)
    if len(parts) < 2 or not parts[0].startswith("HTTP/"):
        raise HTTPError(f"bad status line {lines[0]!r}")
    headers: dict[str, str] = {}
    cookies: list[str] = []
    for line in lines[1:]:
        if not line:
            continue
        name, _, value = line.partition(":")
        name, value = name.strip().lower(), value.strip()
        if name == "set-cookie":
            cookies.append(value)
        else:
            headers[name] = value
    return int(parts[1]), headers, cookies


async def _read_chunked(reader: asyncio.StreamReader) -> bytes:
    out = bytearray()
    while True:
        size = int((await reader.readuntil(b"\r\n")).split(b";")[0], 16)
        if size == 0:
            await reader.readuntil(b"\r\n")
            return bytes(out)
        out += await reader.readexactly(size)
        await reader.readexactly(2)


class Client:
    """One browser: its own cookies. `limit`, an asyncio.Semaphore shared by many
    clients, caps the requests on the wire at once (waiting for it counts in latency)."""

    def __init__(self, base_url: str, *, timeout: float = 60.0, limit=None):
        url = urlsplit(base_url)
        self.host = url.hostname or "127.0.0.1"
        self.port = url.port or 80
        self.timeout = timeout
        self.limit = limit
        self.cookies: dict[str, str] = {}

    async def get(self, path: str) -> Response:
        return await self.request("GET", path)

    async def post(self, path: str, data: dict | None = None) -> Response:
        return await self.request("POST", path, data or {})

    async def request(self, method: str, path: str, data: dict | None = None) -> Response:
        lines = [
            f"{method} {path} HTTP/1.1",
            f"Host: {self.host}:{self.port}",
            "User-Agent: selfassess-bench",
            "Accept: text/html",
            "Connection: close",
        ]
        if self.cookies:
            lines.append("Cookie: " + "; ".join(f"{k}={v}" for k, v in self.cookies.items()))
        body = b""
        if data is not None:
            body = urlencode(data, doseq=True).encode("utf-8")
            lines.append("Content-Type: application/x-www-form-urlencoded")
            lines.append(f"Content-Length: {len(body)}")
        raw = ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + body
        try:
            if self.limit is None:
                response = await asyncio.wait_for(self._exchange(raw), self.timeout)
            else:
                async with self.limit:
                    response = await asyncio.wait_for(self._exchange(raw), self.timeout)
        except TimeoutError as exc:
            raise Timeout(f"no reply in {self.timeout} s") from exc
        except (OSError, asyncio.IncompleteReadError, asyncio.LimitOverrunError, ValueError) as exc:
            raise HTTPError(f"{type(exc).__name__}: {exc}") from exc
        self._keep_cookies(response.cookies)
        return response

    async def _exchange(self, raw: bytes) -> Response:
        reader, writer = await asyncio.open_connection(self.host, self.port, limit=2**20)
        try:
            writer.write(raw)
            await writer.drain()
            status, headers, cookies = _parse_head(await reader.readuntil(b"\r\n\r\n"))
            if "content-length" in headers:
                body = await reader.readexactly(int(headers["content-length"]))
            elif "chunked" in headers.get("transfer-encoding", "").lower():
                body = await _read_chunked(reader)
            else:
                body = await reader.read()
            return Response(status, headers, cookies, body)
        finally:
            writer.close()
            with contextlib.suppress(OSError):
                await writer.wait_closed()

    def _keep_cookies(self, set_cookies: list[str]) -> None:
        for header in set_cookies:
            pair, _, attributes = header.partition(";")
            name, _, value = pair.strip().partition("=")
            attrs = attributes.lower().replace(" ", "")
            if "max-age=0" in attrs or "1970" in attrs:
                self.cookies.pop(name, None)
            else:
                self.cookies[name] = value

    async def aclose(self) -> None:  # for symmetry with httpx; nothing is kept open
        return None
