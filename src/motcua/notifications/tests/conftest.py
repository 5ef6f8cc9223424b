"""Real local providers for the delivery tests, bound to 127.0.0.1 on free ports.

``providers`` is one HTTP server standing in for the SMS gateway (``/sms``),
Zalo's ZNS endpoint (``/zalo``) and a webhook receiver (``/hook``). It checks
every request against the format documented in
``motcua.notifications.channels`` and answers 400 to anything else, recording
the reason in ``errors``. ``smtp`` starts an aiosmtpd server that keeps the
messages it receives.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import re
import socket
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from email import message_from_bytes, policy
from email.message import EmailMessage
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from pytest_django import Settings

from motcua.notifications.models import WebhookSubscription

SMS_KEY = "sms-khoa-thu-nghiem"
ZALO_TOKEN = "zalo-access-token-thu-nghiem"
WEBHOOK_SECRET = "bi-mat-dung-chung"
ZNS_TEMPLATE = "248001"
PHONE = re.compile(r"^84[1-9]\d{8}$")


def free_port() -> int:
    """A TCP port nothing listens on right now (127.0.0.1)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class Received:
    path: str
    headers: dict[str, str]
    raw: bytes
    body: dict[str, Any]
    # Travelled time when a test uses time-machine (it patches every thread).
    received_at: float = field(default_factory=time.time)


@dataclass
class Providers:
    """What the fake providers received, and what they answer next."""

    base_url: str
    requests: list[Received] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    # path → function of the request giving (status, JSON answer).
    answers: dict[str, Callable[[Received], tuple[int, dict[str, Any]]]] = field(
        default_factory=dict
    )
    lock: threading.Lock = field(default_factory=threading.Lock)

    def url(self, path: str) -> str:
        return f"{self.base_url}{path}"

    def on(self, path: str) -> list[Received]:
        return [request for request in self.requests if request.path == path]


def _problems(path: str, headers: dict[str, str], raw: bytes) -> list[str]:
    """Where a request departs from the documented format (empty: it is right)."""
    problems = []
    if not headers.get("content-type", "").startswith("application/json"):
        problems.append("content type is not JSON")
    try:
        body = json.loads(raw.decode("utf-8"))
    except ValueError:
        return [*problems, "body is not UTF-8 JSON"]
    if path == "/sms":
        if headers.get("x-api-key") != SMS_KEY:
            problems.append("wrong X-API-Key")
        if set(body) != {"to", "text", "sender", "reference"}:
            problems.append(f"SMS keys {sorted(body)}")
        if not PHONE.match(str(body.get("to", ""))):
            problems.append(f"SMS to {body.get('to')!r}")
        if not body.get("text") or not isinstance(body.get("text"), str):
            problems.append("SMS text empty")
        if body.get("reference") != headers.get("idempotency-key"):
            problems.append("reference differs from Idempotency-Key")
        uuid.UUID(headers.get("idempotency-key", "0" * 32))
    elif path == "/zalo":
        if headers.get("access_token") != ZALO_TOKEN:
            problems.append("wrong access_token header")
        if set(body) != {"phone", "template_id", "template_data", "tracking_id"}:
            problems.append(f"ZNS keys {sorted(body)}")
        if not PHONE.match(str(body.get("phone", ""))):
            problems.append(f"ZNS phone {body.get('phone')!r}")
        data = body.get("template_data")
        if not isinstance(data, dict) or not all(
            isinstance(value, str) for value in data.values()
        ):
            problems.append("template_data is not an object of strings")
        if not body.get("tracking_id"):
            problems.append("no tracking_id")
    elif path == "/hook":
        timestamp = headers.get("x-motcua-timestamp", "")
        if not timestamp.isdigit() or abs(int(timestamp) - time.time()) > 300:
            problems.append(f"timestamp {timestamp!r} not within 5 minutes")
        expected = hmac.new(
            WEBHOOK_SECRET.encode(), timestamp.encode() + b"." + raw, hashlib.sha256
        ).hexdigest()
        if not hmac.compare_digest(headers.get("x-motcua-signature", ""), f"sha256={expected}"):
            problems.append("bad signature")
        if set(body) != {"id", "event", "source", "created_at", "data"}:
            problems.append(f"webhook keys {sorted(body)}")
        if body.get("id") != headers.get("x-motcua-delivery"):
            problems.append("id differs from X-Motcua-Delivery")
        if body.get("event") != headers.get("x-motcua-event"):
            problems.append("event differs from X-Motcua-Event")
    else:
        problems.append(f"unknown path {path}")
    return problems


def _default_answer(request: Received) -> tuple[int, dict[str, Any]]:
    if request.path == "/zalo":
        return 200, {"error": 0, "message": "Success", "data": {"msg_id": "zalo-msg-1"}}
    if request.path == "/sms":
        return 200, {"id": f"sms-{request.body['reference'][:8]}"}
    return 204, {}


@pytest.fixture
def providers() -> Iterator[Providers]:
    """The SMS gateway, Zalo and a webhook receiver on one local HTTP server."""
    state: Providers

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            raw = self.rfile.read(int(self.headers.get("Content-Length", "0")))
            headers = {name.lower(): value for name, value in self.headers.items()}
            problems = _problems(self.path, headers, raw)
            try:
                body = json.loads(raw)
            except ValueError:
                body = {}
            request = Received(self.path, headers, raw, body)
            with state.lock:
                state.requests.append(request)
                state.errors.extend(f"{self.path}: {problem}" for problem in problems)
            if problems:
                status, answer = 400, {"error": "; ".join(problems)}
            else:
                status, answer = state.answers.get(self.path, _default_answer)(request)
            data = json.dumps(answer).encode() if status != 204 else b""
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, format: str, *args: Any) -> None:
            return

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    state = Providers(base_url=f"http://127.0.0.1:{server.server_address[1]}")
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield state
    server.shutdown()
    server.server_close()


@pytest.fixture
def channels_on(settings: Settings, providers: Providers) -> Providers:
    """Every channel configured against the local providers."""
    settings.NOTIFY_SMS_URL = providers.url("/sms")
    settings.NOTIFY_SMS_API_KEY = SMS_KEY
    settings.NOTIFY_SMS_SENDER = "UBND-LB"
    settings.ZALO_ZNS_URL = providers.url("/zalo")
    settings.ZALO_ZNS_ACCESS_TOKEN = ZALO_TOKEN
    settings.ZALO_ZNS_TEMPLATES = {"dossier.received": ZNS_TEMPLATE}
    settings.NOTIFY_HTTP_TIMEOUT = 5
    return providers


@pytest.fixture
def webhook(db: None, channels_on: Providers) -> WebhookSubscription:
    return WebhookSubscription.objects.create(
        name="Cổng dịch vụ công tỉnh",
        url=channels_on.url("/hook"),
        secret=WEBHOOK_SECRET,
        event_keys=["dossier.received"],
    )


class Mailbox:
    """Keeps what the SMTP server accepted, parsed."""

    def __init__(self) -> None:
        self.messages: list[EmailMessage] = []
        self.envelopes: list[tuple[str, list[str]]] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.envelopes.append((envelope.mail_from, list(envelope.rcpt_tos)))
        message = message_from_bytes(envelope.original_content, policy=policy.default)
        self.messages.append(message)  # type: ignore[arg-type]
        return "250 OK"


class SmtpServer:
    """An aiosmtpd server on a fixed local port that can be started and stopped."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.mailbox = Mailbox()
        self._controller: Controller | None = None

    def start(self) -> None:
        self._controller = Controller(self.mailbox, hostname="127.0.0.1", port=self.port)
        self._controller.start()

    def stop(self) -> None:
        if self._controller is not None:
            self._controller.stop()
            self._controller = None


@pytest.fixture
def smtp(settings: Settings) -> Iterator[SmtpServer]:
    """Django's SMTP backend pointed at a local port; the server is started by the test."""
    server = SmtpServer(free_port())
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = server.port
    settings.EMAIL_USE_TLS = False
    settings.EMAIL_USE_SSL = False
    settings.EMAIL_HOST_USER = ""
    settings.EMAIL_HOST_PASSWORD = ""
    settings.EMAIL_TIMEOUT = 5
    settings.DEFAULT_FROM_EMAIL = "Một cửa Long Biên <motcua@longbien.example.vn>"
    yield server
    server.stop()
