"""Downloading a remote picture without letting an import reach inside the network.

Every address is checked after DNS: the host must resolve only to public
addresses (so 127.1, 2130706433, 0x7f.1, [::ffff:a9fe:a9fe] or a name that
resolves to 169.254.169.254 are refused), and the connection then goes to the
address that was checked, not to whatever a second lookup returns. Redirects
are followed by hand and checked the same way. Size, time and type are capped,
the time for all of a download together: connecting, headers, body and redirects.
"""

from __future__ import annotations

import contextlib
import ipaddress
import socket
import threading
import time
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

import urllib3
from django.conf import settings

USER_AGENT = "Newsroom-importer/1.0"


class FetchError(Exception):
    pass


@dataclass(frozen=True)
class Fetched:
    url: str
    data: bytes
    content_type: str


def _public(address: ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
    if isinstance(address, ipaddress.IPv6Address):
        mapped = address.ipv4_mapped or address.sixtofour or (address.teredo[1] if address.teredo else None)
        if mapped is not None:
            return _public(mapped)
    return address.is_global and not address.is_multicast and not address.is_reserved


def resolve(host: str, port: int, *, allow_private: bool | None = None) -> str:
    """The one address to connect to, or FetchError when any answer is not public.

    allow_private: private and loopback answers are accepted (tests); NEWSROOM_FETCH_ALLOW_PRIVATE by default.
    """
    try:
        answers = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as error:
        raise FetchError(f"cannot resolve {host}: {error}") from error
    addresses = [ipaddress.ip_address(answer[4][0].split("%", 1)[0]) for answer in answers]
    if not addresses:
        raise FetchError(f"cannot resolve {host}")
    if allow_private is None:
        allow_private = settings.NEWSROOM_FETCH_ALLOW_PRIVATE
    if not allow_private and not all(_public(a) for a in addresses):
        raise FetchError(f"{host} resolves to a non-public address ({addresses[0]})")
    return str(addresses[0])


def check_url(url: str, *, allowed_ports=None) -> tuple[str, str, int]:
    """(scheme, host, port) of an acceptable URL, or FetchError saying why not.

    allowed_ports: NEWSROOM_FETCH_ALLOWED_PORTS by default.
    """
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError as error:
        raise FetchError(f"malformed URL: {error}") from error
    if parts.scheme not in {"http", "https"}:
        raise FetchError(f"only http and https are fetched, not {parts.scheme or 'a relative address'}")
    if parts.username is not None or parts.password is not None:
        raise FetchError("URLs with a user name or password are not fetched")
    if not parts.hostname:
        raise FetchError("URL has no host")
    port = port or (443 if parts.scheme == "https" else 80)
    if port not in (settings.NEWSROOM_FETCH_ALLOWED_PORTS if allowed_ports is None else allowed_ports):
        raise FetchError(f"port {port} is not allowed")
    return parts.scheme, parts.hostname, port


class _Deadline:
    """The whole download's time limit, redirects included. Socket timeouts bound each read,
    not their sum: a server sending a header byte every few seconds never trips them. At the
    deadline a timer shuts down the connections' sockets, so a read waiting on one returns at once.

    The timer holds duplicates of the sockets: shutdown() acts on the connection behind both,
    and a duplicate is never closed under it and reused for another file meanwhile."""

    def __init__(self, seconds: float):
        self.seconds = seconds
        self.at = time.monotonic() + seconds
        self.passed = False
        self._watched: list[socket.socket] = []
        self._lock = threading.Lock()
        self._timer = threading.Timer(seconds, self._expire)
        self._timer.daemon = True
        self._timer.start()

    @property
    def error(self) -> FetchError:
        return FetchError(f"timed out: the download took longer than its {self.seconds:g} s deadline")

    def remaining(self) -> float:
        """Seconds left; FetchError when none are."""
        left = self.at - time.monotonic()
        if self.passed or left <= 0:
            raise self.error
        return left

    def watch(self, sock: socket.socket) -> None:
        with self._lock:
            self._watched.append(duplicate := sock.dup())
            if self.passed:
                _shut(duplicate)

    def _expire(self) -> None:
        with self._lock:
            self.passed = True
            for sock in self._watched:
                _shut(sock)

    def close(self) -> None:
        self._timer.cancel()
        with self._lock:
            for sock in self._watched:
                sock.close()
            self._watched.clear()


def _shut(sock: socket.socket) -> None:
    with contextlib.suppress(OSError):  # already closed by the other side
        sock.shutdown(socket.SHUT_RDWR)


def _watched(connection_class: type, deadline: _Deadline) -> type:
    """connection_class, its socket handed to deadline as soon as it is connected (before TLS)."""

    class Watched(connection_class):
        def _new_conn(self) -> socket.socket:
            sock = super()._new_conn()
            deadline.watch(sock)
            return sock

    return Watched


def checked_pool(url: str, timeout: urllib3.Timeout, *, allowed_ports=None, allow_private=None):
    """A connection pool to the checked address of url (check_url(), resolve()), and the path to
    request on it. Used for every request Newsroom makes to an address someone typed: remote
    pictures here, webhooks (delivery/webhooks.py)."""
    scheme, host, port = check_url(url, allowed_ports=allowed_ports)
    address = resolve(host, port, allow_private=allow_private)
    if scheme == "https":
        # Connect to the checked address; certificate and SNI still use the host name.
        pool = urllib3.HTTPSConnectionPool(
            address, port, timeout=timeout, server_hostname=host, assert_hostname=host, retries=False
        )
    else:
        pool = urllib3.HTTPConnectionPool(address, port, timeout=timeout, retries=False)
    parts = urlsplit(url)
    return pool, (parts.path or "/") + (f"?{parts.query}" if parts.query else "")


def _open(url: str, deadline: _Deadline):
    left = deadline.remaining()
    pool, path = checked_pool(url, urllib3.Timeout(connect=min(5.0, left), read=left))
    pool.ConnectionCls = _watched(pool.ConnectionCls, deadline)
    parts = urlsplit(url)
    return pool.urlopen(
        "GET",
        path,
        headers={"Host": parts.netloc, "User-Agent": USER_AGENT, "Accept": "image/*"},
        redirect=False,
        preload_content=False,
        retries=False,
    )


def fetch_image(url: str) -> Fetched:
    """The bytes of a remote picture, within the configured limits: NEWSROOM_FETCH_TIMEOUT
    is the deadline for all of it, connecting, headers, body and redirects."""
    deadline = _Deadline(settings.NEWSROOM_FETCH_TIMEOUT)
    try:
        return _fetch(url, deadline)
    except urllib3.exceptions.HTTPError as error:
        # A read cut short at the deadline surfaces as whatever the connection made of it.
        if deadline.passed:
            raise deadline.error from error
        raise FetchError(f"download failed: {error.__class__.__name__}") from error
    finally:
        deadline.close()


def _fetch(url: str, deadline: _Deadline) -> Fetched:
    max_bytes = settings.NEWSROOM_IMAGE_MAX_BYTES
    for _hop in range(settings.NEWSROOM_FETCH_MAX_REDIRECTS + 1):
        response = _open(url, deadline)
        try:
            if response.status in {301, 302, 303, 307, 308} and response.headers.get("Location"):
                url = urljoin(url, response.headers["Location"])
                continue
            if response.status != 200:
                raise FetchError(f"HTTP {response.status}")
            content_type = response.headers.get("Content-Type", "").split(";", 1)[0].strip().lower()
            if not content_type.startswith("image/"):
                raise FetchError(f"not an image (Content-Type {content_type or 'missing'})")
            declared = response.headers.get("Content-Length")
            if declared and declared.isdigit() and int(declared) > max_bytes:
                raise FetchError(f"larger than {max_bytes:,} bytes")
            chunks, size = [], 0
            while chunk := response.read1(64 * 1024):
                size += len(chunk)
                if size > max_bytes:
                    raise FetchError(f"larger than {max_bytes:,} bytes")
                chunks.append(chunk)
            deadline.remaining()  # a body cut short at the deadline ends like a whole one
            return Fetched(url=url, data=b"".join(chunks), content_type=content_type)
        finally:
            response.release_conn()
            response.close()
    raise FetchError("too many redirects")
