"""The ``Idempotency-Key`` header of the endpoints that create dossiers.

A client that may send the same submission twice (a double click, a retry
after a timeout) sends a key of its own with it. The key is scoped to the
endpoint and the user (``api:<endpoint>:u<user id>:<key>``, or ``anon`` for
the anonymous), so two users' keys never meet, and handed to the service,
whose unique ``Dossier.idempotency_key`` makes sure the key never creates a
second dossier, even from two processes at once. A replay gets the same
dossier back with the same status code.

The same key with a different body is refused (409 ``idempotency_key_reused``)
when it can be told cheaply: a hash of the first body is kept in the cache
for :data:`TTL`, claimed with ``cache.add`` *before* the service runs, so of
two different bodies sent at once only the first to claim the key goes on.
A request the service refuses releases its claim, so the corrected request
may reuse the key. Best effort by design: once the hash has left the cache
(after a day, or on another process with the per-process cache), a replay
with another body simply gets the first dossier back; the database rule
that one key makes one dossier never depends on the cache.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterator
from contextlib import contextmanager

from django.core.cache import cache
from django.utils.translation import gettext as _
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request

from motcua.core.exceptions import Conflict

HEADER = "Idempotency-Key"
# 16 to 64 characters: a UUID fits; short guessable keys would let anonymous
# clients meet each other's submissions.
KEY_PATTERN = r"^[A-Za-z0-9._:-]{16,64}$"
_KEY = re.compile(KEY_PATTERN)
# How long the hash of the first body is kept to recognise a reused key.
TTL = 24 * 60 * 60


class IdempotencyKeyReused(Conflict):
    """The key was already used for a different request body."""

    code = "idempotency_key_reused"


def _principal(request: Request) -> str:
    user = request.user
    return f"u{user.pk}" if user is not None and user.is_authenticated else "anon"


def _fingerprint(request: Request) -> str:
    body = json.dumps(
        request.data, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str
    )
    return hashlib.sha256(body.encode()).hexdigest()


def _header(request: Request) -> str | None:
    raw = request.headers.get(HEADER)
    if raw is None:
        return None
    # RFC 8941 string form ("…") as the IETF draft writes it, or the bare key.
    key = raw.strip()
    if len(key) >= 2 and key[0] == key[-1] == '"':
        key = key[1:-1]
    if not _KEY.match(key):
        raise ValidationError(
            {
                HEADER: [
                    _(
                        "Khóa chống gửi trùng phải gồm 16 đến 64 ký tự chữ không dấu, số "
                        "hoặc . _ : - (ví dụ một UUID)."
                    )
                ]
            }
        )
    return key


@contextmanager
def idempotency_key(request: Request, *, endpoint: str) -> Iterator[str | None]:
    """The scoped key for the service (None without the header); wrap only the service call."""
    key = _header(request)
    if key is None:
        yield None
        return
    scoped = f"api:{endpoint}:{_principal(request)}:{key}"
    cache_key = "idempotency:" + hashlib.sha256(scoped.encode()).hexdigest()
    fingerprint = _fingerprint(request)
    if not cache.add(cache_key, fingerprint, TTL):
        stored = cache.get(cache_key)
        if stored is not None and stored != fingerprint:
            raise IdempotencyKeyReused(
                _(
                    "Khóa chống gửi trùng này đã dùng cho một hồ sơ có nội dung khác; "
                    "hãy dùng khóa mới cho hồ sơ mới."
                ),
                header=HEADER,
            )
    try:
        yield scoped
    except BaseException:
        # Refused: no dossier was made with this key, so it stays free.
        if cache.get(cache_key) == fingerprint:
            cache.delete(cache_key)
        raise
