"""Test helpers: a local webhook receiver, a Standard Webhooks verifier written from the spec,
and email backends that fail on demand."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from itertools import count

from django.core.mail.backends.locmem import EmailBackend as LocmemBackend

from reports.models import Delivery
from tests import factories

_items = count(1)


class InvalidSignature(Exception):
    pass


def verify_standard_webhook(
    secret: str, headers: dict[str, str], body: bytes, *, tolerance: int = 300, now=None
) -> dict:
    """Verify per https://github.com/standard-webhooks/standard-webhooks/blob/main/spec:

    signed content = "{webhook-id}.{webhook-timestamp}.{body}"; key = base64-decode(secret
    without its "whsec_" prefix); HMAC-SHA256; header = space-separated "v1,<base64 sig>";
    compare in constant time; reject timestamps outside the tolerance (replay protection).
    """
    headers = {k.lower(): v for k, v in headers.items()}
    try:
        msg_id = headers["webhook-id"]
        timestamp = headers["webhook-timestamp"]
        signatures = headers["webhook-signature"]
    except KeyError as exc:
        raise InvalidSignature(f"missing header {exc}") from exc
    now = time.time() if now is None else now
    if not timestamp.isdigit() or abs(now - int(timestamp)) > tolerance:
        raise InvalidSignature("timestamp outside tolerance")
    key = base64.b64decode(secret.removeprefix("whsec_"))
    signed = f"{msg_id}.{timestamp}.".encode() + body
    expected = hmac.new(key, signed, hashlib.sha256).digest()
    for item in signatures.split(" "):
        version, _, encoded = item.partition(",")
        if version != "v1":
            continue
        try:
            candidate = base64.b64decode(encoded, validate=True)
        except ValueError:
            continue
        if hmac.compare_digest(candidate, expected):
            return json.loads(body)
    raise InvalidSignature("no matching v1 signature")


@dataclass
class Received:
    path: str
    headers: dict[str, str]
    body: bytes
    status: int = 0
    slept: float = 0.0
    peer: tuple = ()  # the client's (address, port): one per connection

    @property
    def webhook_id(self) -> str:
        return self.headers.get("webhook-id", "")

    def json(self) -> dict:
        return json.loads(self.body)


@dataclass
class Reply:
    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)
    sleep: float = 0.0
    close: bool = False  # close the connection after answering, without saying so


class Receiver:
    """An HTTP server on 127.0.0.1 (free port) in a thread, recording every POST.

    ``respond`` decides each answer: a Reply, or a callable(Received) -> Reply."""

    def __init__(self, respond=None):
        self.respond = respond or Reply()
        self.requests: list[Received] = []
        self.in_flight = 0
        self.lock = threading.Lock()
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_POST(self):  # noqa: N802
                length = int(self.headers.get("Content-Length") or 0)
                item = Received(
                    path=self.path,
                    headers={k.lower(): v for k, v in self.headers.items()},
                    body=self.rfile.read(length),
                    peer=tuple(self.client_address),
                )
                respond = receiver.respond
                reply = respond(item) if callable(respond) else respond
                item.status, item.slept = reply.status, reply.sleep
                with receiver.lock:
                    receiver.requests.append(item)
                    receiver.in_flight += 1
                try:
                    if reply.sleep:
                        time.sleep(reply.sleep)
                    self.send_response(reply.status)
                    for name, value in reply.headers.items():
                        self.send_header(name, value)
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                    if reply.close:
                        self.close_connection = True
                except OSError:
                    pass  # the client gave up (timeout): that is the point of sleeping
                finally:
                    with receiver.lock:
                        receiver.in_flight -= 1

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def port(self) -> int:
        return self.server.server_address[1]

    def url(self, path: str = "/hook") -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()

    def in_flight_now(self) -> int:
        with self.lock:
            return self.in_flight

    def snapshot(self) -> list[Received]:
        with self.lock:
            return list(self.requests)


class FailingEmailBackend(LocmemBackend):
    """Raises like an SMTP server that is down while ``failing`` is true."""

    failing = True

    def send_messages(self, messages):
        if FailingEmailBackend.failing:
            raise ConnectionRefusedError("SMTP server down (test)")
        return super().send_messages(messages)


def confirmed(domain: str = "hook-market.com", **kwargs):
    """A report confirmed (and so forwarded) through the services, on ``domain``."""
    return factories.make_confirmed_report(
        url=f"https://www.{domain}/item/{next(_items)}", **kwargs
    )


def delivery_of(report, channel: str) -> Delivery:
    return Delivery.objects.select_related("report", "company").get(report=report, channel=channel)
