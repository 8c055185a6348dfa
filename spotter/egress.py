"""Outbound HTTP to addresses the site does not control: the shared SSRF defences.

Used by the signed webhooks (``reports.forwarding.webhooks``) and the independent takedown
checks (``rechecks.fetch``). The rules:

- every address a host name resolves to must be public (no private, loopback, link-local,
  multicast or reserved range; ``::ffff:10.0.0.1`` counts as ``10.0.0.1``); loopback only when
  a test setting allows it;
- the connection goes to an address that passed the check (:func:`pinned_connection`), so a DNS
  answer that changes between the check and the connect cannot smuggle in a private address;
  the Host header and TLS (SNI, certificate check) still use the host name;
- through a forward proxy (:func:`proxied_connection`) the same holds: the proxy is asked to
  ``CONNECT`` to the vetted *address*, never to the name, so it does no resolving of its own.
"""

from __future__ import annotations

import base64
import http.client
import ipaddress
import socket
import ssl
from collections.abc import Sequence
from urllib.parse import unquote, urlsplit

MAX_PROXY_REPLY_BYTES = 8 * 1024


class EgressRefused(Exception):
    """A target the site must not connect to (the message says why, in English, for logs)."""


def address_allowed(address: str, *, allow_loopback: bool) -> bool:
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if ip.version == 6 and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped  # ::ffff:10.0.0.1 is 10.0.0.1
    if allow_loopback and ip.is_loopback:
        return True
    return ip.is_global and not (ip.is_multicast or ip.is_link_local or ip.is_reserved)


def resolve_public(host: str, port: int, *, allow_loopback: bool) -> tuple[str, ...]:
    """Every address ``host`` resolves to; :class:`EgressRefused` if any is not allowed."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as exc:
        raise EgressRefused(f"{host} does not resolve") from exc
    addresses = tuple(dict.fromkeys(info[4][0] for info in infos))
    for address in addresses:
        if not address_allowed(address, allow_loopback=allow_loopback):
            raise EgressRefused(f"{host} resolves to a private or reserved address ({address})")
    return addresses


def _connect_first(addresses: Sequence[str], port: int, timeout, source_address=None):
    error: OSError | None = None
    for address in addresses:
        try:
            return socket.create_connection((address, port), timeout, source_address)
        except OSError as exc:
            error = exc
    raise error or OSError("no address to connect to")


def _new_connection(scheme: str, host: str, port: int, timeout: float):
    if scheme == "https":
        return http.client.HTTPSConnection(
            host, port, timeout=timeout, context=ssl.create_default_context()
        )
    return http.client.HTTPConnection(host, port, timeout=timeout)


def pinned_connection(
    *, scheme: str, host: str, port: int, addresses: Sequence[str], timeout: float
) -> http.client.HTTPConnection:
    """A connection to ``host`` that can only reach one of the vetted ``addresses``."""
    conn = _new_connection(scheme, host, port, timeout)

    def create_connection(addr, timeout=timeout, source_address=None):
        return _connect_first(addresses, addr[1], timeout, source_address)

    conn._create_connection = create_connection
    return conn


def _tunnel(proxy_url: str, address: str, port: int, timeout: float) -> socket.socket:
    """A socket to the proxy that has been asked to CONNECT to ``address``:``port``."""
    proxy = urlsplit(proxy_url)
    if proxy.scheme != "http" or not proxy.hostname:
        raise EgressRefused("the proxy URL must be http://host:port")
    sock = socket.create_connection((proxy.hostname, proxy.port or 3128), timeout)
    try:
        authority = f"[{address}]:{port}" if ":" in address else f"{address}:{port}"
        lines = [f"CONNECT {authority} HTTP/1.1", f"Host: {authority}"]
        if proxy.username:
            user_pass = f"{unquote(proxy.username)}:{unquote(proxy.password or '')}"
            lines.append(
                "Proxy-Authorization: Basic " + base64.b64encode(user_pass.encode()).decode()
            )
        sock.sendall(("\r\n".join(lines) + "\r\n\r\n").encode())
        reply = b""
        while b"\r\n\r\n" not in reply:
            chunk = sock.recv(1024)
            if not chunk:
                raise OSError("the proxy closed the connection")
            reply += chunk
            if len(reply) > MAX_PROXY_REPLY_BYTES:
                raise OSError("the proxy's reply is too long")
        status_line = reply.split(b"\r\n", 1)[0].decode("latin-1")
        parts = status_line.split()
        if len(parts) < 2 or parts[1] != "200":
            raise OSError(f"the proxy refused the tunnel: {status_line[:80]}")
        return sock
    except BaseException:
        sock.close()
        raise


def proxied_connection(
    *,
    proxy_url: str,
    scheme: str,
    host: str,
    port: int,
    addresses: Sequence[str],
    timeout: float,
) -> http.client.HTTPConnection:
    """Like :func:`pinned_connection`, through an HTTP forward proxy: one ``CONNECT`` tunnel to a
    vetted address, then HTTP (or TLS to ``host``) inside it, end to end."""
    conn = _new_connection(scheme, host, port, timeout)

    def create_connection(addr, timeout=timeout, source_address=None):
        error: OSError | None = None
        for address in addresses:
            try:
                return _tunnel(proxy_url, address, addr[1], timeout)
            except OSError as exc:
                error = exc
        raise error or OSError("no address to connect to")

    conn._create_connection = create_connection
    return conn
