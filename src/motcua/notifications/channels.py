"""Channel adapters: each sends one outbox row and returns the provider's message id.

Wire formats (also in ``docs/adr/0013-notifications-outbox.md``):

E-mail
    Django's configured e-mail backend (SMTP in production), plain text UTF-8,
    ``Message-ID: <KEY@motcua.notifications>`` and ``X-Motcua-Notification: KEY``
    so a receiver can drop a copy re-sent after a crash.

SMS (generic HTTP gateway, the format motcua assumes)
    ``POST NOTIFY_SMS_URL`` with ``Content-Type: application/json; charset=utf-8``,
    ``X-API-Key: NOTIFY_SMS_API_KEY`` and ``Idempotency-Key: KEY``; body
    ``{"to": "84912345678", "text": "...", "sender": "BRANDNAME", "reference": "KEY"}``.
    A 2xx answer is success; its JSON ``id`` (or ``message_id``) is kept. 408,
    429 and 5xx are retried; other 4xx are permanent failures.

Zalo ZNS
    ``POST ZALO_ZNS_URL`` (``https://business.openapi.zalo.me/message/template``)
    with header ``access_token`` and body
    ``{"phone": "84912345678", "template_id": "...", "template_data": {...},
    "tracking_id": "KEY"}``. Zalo answers HTTP 200 with ``{"error": 0,
    "message": "Success", "data": {"msg_id": ...}}``; a non-zero ``error`` is
    a failure and is retried (expired tokens and quota limits are transient).

Signed webhook
    ``POST subscription.url`` with ``Content-Type: application/json``,
    ``X-Motcua-Event``, ``X-Motcua-Delivery: KEY``, ``X-Motcua-Timestamp: UNIX``
    and ``X-Motcua-Signature: sha256=HEX`` where HEX is
    ``HMAC-SHA256(secret, TIMESTAMP + "." + RAW_BODY)``. The body is
    ``{"id": KEY, "event": ..., "source": ..., "created_at": ISO8601,
    "data": {...}}``. Any 2xx is success; the rest is retried.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.mail import EmailMessage, get_connection

from motcua.notifications.constants import Channel
from motcua.notifications.exceptions import DeliveryError
from motcua.notifications.models import Notification

MESSAGE_ID_DOMAIN = "motcua.notifications"
USER_AGENT = "motcua-notifications/1"


def channel_enabled(channel: Channel | str) -> bool:
    """True when ``channel`` is configured on this deployment."""
    if channel == Channel.SMS:
        return bool(settings.NOTIFY_SMS_URL)
    if channel == Channel.ZALO:
        return bool(settings.ZALO_ZNS_ACCESS_TOKEN)
    return channel in Channel.values


def send(notification: Notification) -> str:
    """Deliver ``notification`` on its channel; the provider's message id, or ``""``."""
    sender = _SENDERS.get(notification.channel)
    if sender is None:
        raise DeliveryError(f"no sender for channel {notification.channel!r}", permanent=True)
    return sender(notification)


# --- e-mail ---------------------------------------------------------------------------


def send_email(notification: Notification) -> str:
    """One plain-text message through Django's e-mail backend."""
    message_id = f"<{notification.key}@{MESSAGE_ID_DOMAIN}>"
    message = EmailMessage(
        subject=notification.subject,
        body=notification.body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[notification.address],
        headers={"Message-ID": message_id, "X-Motcua-Notification": str(notification.key)},
        connection=get_connection(fail_silently=False),
    )
    try:
        message.send(fail_silently=False)
    except OSError as error:  # smtplib errors are OSErrors too
        raise DeliveryError(f"SMTP: {error!r}") from error
    return message_id


# --- SMS ------------------------------------------------------------------------------


def send_sms(notification: Notification) -> str:
    """One text through the configured HTTP gateway."""
    body = {
        "to": notification.address,
        "text": notification.body.strip(),
        "sender": settings.NOTIFY_SMS_SENDER,
        "reference": str(notification.key),
    }
    status, answer = post_json(
        settings.NOTIFY_SMS_URL,
        body,
        headers={
            "X-API-Key": settings.NOTIFY_SMS_API_KEY,
            "Idempotency-Key": str(notification.key),
        },
    )
    _raise_for_status("SMS", status, answer)
    data = _json(answer)
    return str(data.get("id") or data.get("message_id") or "")


# --- Zalo ZNS -------------------------------------------------------------------------


def send_zalo(notification: Notification) -> str:
    """One approved ZNS template message."""
    template_id = settings.ZALO_ZNS_TEMPLATES.get(notification.event_key)
    if not template_id:
        raise DeliveryError(
            f"no ZNS template configured for {notification.event_key}", permanent=True
        )
    body = {
        "phone": notification.address,
        "template_id": str(template_id),
        "template_data": {
            key: str(value)
            for key, value in notification.payload.items()
            if isinstance(value, str | int | float)
        },
        "tracking_id": str(notification.key),
    }
    status, answer = post_json(
        settings.ZALO_ZNS_URL, body, headers={"access_token": settings.ZALO_ZNS_ACCESS_TOKEN}
    )
    _raise_for_status("Zalo", status, answer)
    data = _json(answer)
    error = data.get("error")
    if error != 0:
        raise DeliveryError(f"Zalo error {error}: {data.get('message', '')}"[:500])
    return str((data.get("data") or {}).get("msg_id") or "")


# --- webhook --------------------------------------------------------------------------


def webhook_signature(secret: str, timestamp: str, raw_body: bytes) -> str:
    """``sha256=HEX``: HMAC-SHA256 of ``TIMESTAMP.RAW_BODY`` with the shared secret."""
    digest = hmac.new(
        secret.encode(), timestamp.encode() + b"." + raw_body, hashlib.sha256
    ).hexdigest()
    return f"sha256={digest}"


def send_webhook(notification: Notification) -> str:
    """The event as signed JSON to the subscription's URL."""
    subscription = notification.webhook
    if subscription is None:
        raise DeliveryError("webhook subscription was deleted", permanent=True)
    raw = json.dumps(
        {
            "id": str(notification.key),
            "event": notification.event_key,
            "source": notification.source,
            "created_at": notification.created_at.isoformat(),
            "data": notification.payload,
        },
        ensure_ascii=False,
        sort_keys=True,
    ).encode()
    timestamp = str(int(time.time()))
    status, answer = post_raw(
        subscription.url,
        raw,
        headers={
            "X-Motcua-Event": notification.event_key,
            "X-Motcua-Delivery": str(notification.key),
            "X-Motcua-Timestamp": timestamp,
            "X-Motcua-Signature": webhook_signature(subscription.secret, timestamp, raw),
        },
    )
    if not 200 <= status < 300:
        raise DeliveryError(f"webhook HTTP {status}: {answer[:200]!r}")
    return ""


# --- HTTP -----------------------------------------------------------------------------


def post_json(url: str, body: dict[str, Any], *, headers: dict[str, str]) -> tuple[int, bytes]:
    """POST ``body`` as UTF-8 JSON; ``(status, raw answer)``."""
    raw = json.dumps(body, ensure_ascii=False).encode()
    return post_raw(url, raw, headers=headers)


def post_raw(url: str, raw: bytes, *, headers: dict[str, str]) -> tuple[int, bytes]:
    """POST JSON bytes; network failures become retryable :class:`DeliveryError`."""
    if not url.startswith(("https://", "http://")):
        raise DeliveryError(f"not an HTTP address: {url!r}", permanent=True)
    request = urllib.request.Request(  # noqa: S310 (scheme checked above)
        url,
        data=raw,
        method="POST",
        headers={
            "Content-Type": "application/json; charset=utf-8",
            "Accept": "application/json",
            "User-Agent": USER_AGENT,
            **headers,
        },
    )
    try:
        with urllib.request.urlopen(  # noqa: S310
            request, timeout=settings.NOTIFY_HTTP_TIMEOUT
        ) as response:
            return int(response.status), bytes(response.read(65536))
    except urllib.error.HTTPError as error:
        return int(error.code), bytes(error.read(65536))
    except (OSError, ValueError) as error:
        raise DeliveryError(f"{url}: {error!r}") from error


def _raise_for_status(provider: str, status: int, answer: bytes) -> None:
    if 200 <= status < 300:
        return
    permanent = 400 <= status < 500 and status not in (408, 425, 429)
    raise DeliveryError(f"{provider} HTTP {status}: {answer[:200]!r}", permanent=permanent)


def _json(answer: bytes) -> dict[str, Any]:
    try:
        data = json.loads(answer or b"{}")
    except ValueError as error:
        raise DeliveryError(f"answer is not JSON: {answer[:200]!r}") from error
    return data if isinstance(data, dict) else {}


_SENDERS: dict[str, Callable[[Notification], str]] = {
    Channel.EMAIL: send_email,
    Channel.SMS: send_sms,
    Channel.ZALO: send_zalo,
    Channel.WEBHOOK: send_webhook,
}
