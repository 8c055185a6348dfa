"""A fake platform (http.server on 127.0.0.1) and a tiny HTTP forward proxy (CONNECT only),
each in a thread, for the takedown-check tests.

The proxy is a test double of the production egress proxy (e.g. Squid with CONNECT allowed to
ports 80 and 443): it opens the tunnel the checker asks for and copies bytes both ways, and it
records every CONNECT target so tests can prove that nothing bypassed it.
"""

from __future__ import annotations

import select
import socket
import socketserver
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

PAGES = Path(__file__).resolve().parent / "pages"


def page(name: str) -> bytes:
    return (PAGES / name).read_bytes()


class Platform:
    """Routes: path -> (status, headers, body) or a callable(handler) that writes the answer."""

    def __init__(self) -> None:
        self.routes: dict[str, object] = {}
        self.requests: list[tuple[str, dict[str, str]]] = []
        platform = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):  # noqa: N802
                platform.requests.append((self.path, dict(self.headers)))
                route = platform.routes.get(self.path)
                if route is None:
                    route = (404, {}, b"<html><body><h1>Not found</h1></body></html>")
                if callable(route):
                    route(self)
                    return
                status, headers, body = route
                self.send_response(status)
                for name, value in headers.items():
                    self.send_header(name, value)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.port = self.server.server_address[1]

    def url(self, path: str = "/", host: str = "127.0.0.1") -> str:
        return f"http://{host}:{self.port}{path}"

    def html(self, path: str, body: bytes, status: int = 200, charset: str = "utf-8") -> None:
        self.routes[path] = (status, {"Content-Type": f"text/html; charset={charset}"}, body)

    def redirect(self, path: str, location: str, status: int = 302) -> None:
        self.routes[path] = (status, {"Location": location}, b"")

    def __enter__(self):
        threading.Thread(target=self.server.serve_forever, args=(0.05,), daemon=True).start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()


def slow(seconds: float):
    def answer(handler):
        time.sleep(seconds)
        with _quiet():
            handler.send_response(200)
            handler.end_headers()
            handler.wfile.write(b"<html><body>late</body></html>")

    return answer


def huge(size: int, declare_length: bool):
    def answer(handler):
        with _quiet():
            handler.send_response(200)
            handler.send_header("Content-Type", "text/html")
            if declare_length:
                handler.send_header("Content-Length", str(size))
            handler.end_headers()
            chunk = b"<p>" + b"x" * 65530 + b"</p>"
            sent = 0
            while sent < size:
                handler.wfile.write(chunk)
                sent += len(chunk)

    return answer


class _quiet:
    """The checker hangs up on slow or huge answers: the server's broken pipe is expected."""

    def __enter__(self):
        return self

    def __exit__(self, exc_type, exc, tb):
        return exc_type is not None and issubclass(exc_type, OSError)


class ForwardProxy:
    """CONNECT host:port → a tunnel; anything else → 405. ``targets`` lists every CONNECT."""

    def __init__(self) -> None:
        self.targets: list[str] = []
        proxy = self

        class Handler(socketserver.BaseRequestHandler):
            def handle(self):
                data = b""
                while b"\r\n\r\n" not in data:
                    chunk = self.request.recv(1024)
                    if not chunk:
                        return
                    data += chunk
                head, _, rest = data.partition(b"\r\n\r\n")
                method, target, _version = head.split(b"\r\n", 1)[0].decode().split(" ", 2)
                if method != "CONNECT":
                    self.request.sendall(b"HTTP/1.1 405 Method Not Allowed\r\n\r\n")
                    return
                proxy.targets.append(target)
                host, _, port = target.rpartition(":")
                try:
                    upstream = socket.create_connection((host.strip("[]"), int(port)), 5)
                except OSError:
                    self.request.sendall(b"HTTP/1.1 502 Bad Gateway\r\n\r\n")
                    return
                self.request.sendall(b"HTTP/1.1 200 Connection established\r\n\r\n")
                if rest:
                    upstream.sendall(rest)
                _pipe(self.request, upstream)

        class Server(socketserver.ThreadingTCPServer):
            daemon_threads = True
            allow_reuse_address = True

        self.server = Server(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"

    def __enter__(self):
        threading.Thread(target=self.server.serve_forever, args=(0.05,), daemon=True).start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()


def _pipe(a: socket.socket, b: socket.socket) -> None:
    sockets = [a, b]
    try:
        while True:
            readable, _, _ = select.select(sockets, [], [], 5)
            if not readable:
                return
            for sock in readable:
                data = sock.recv(65536)
                if not data:
                    return
                (b if sock is a else a).sendall(data)
    except OSError:
        return
    finally:
        b.close()
