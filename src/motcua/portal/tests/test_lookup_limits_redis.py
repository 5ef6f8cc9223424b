"""The lookup's rate limits counted in Redis in one round trip, as the cache API counts them."""

from __future__ import annotations

import socket
import uuid

import pytest
from django.core.cache import caches
from django.test import RequestFactory, override_settings

from motcua.portal.views_lookup import (
    _redis_counts,
    _window_key,
    lookup_failed,
    lookup_limited,
    parse_rate,
)


def _redis_up() -> bool:
    try:
        socket.create_connection(("127.0.0.1", 6379), timeout=0.5).close()
    except OSError:
        return False
    return True


pytestmark = pytest.mark.skipif(not _redis_up(), reason="no Redis at 127.0.0.1:6379")
REDIS = {
    "default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": "redis://127.0.0.1:6379/15",
        # A prefix of its own: parallel test processes never share counters.
        "KEY_PREFIX": f"test-{uuid.uuid4().hex}",
    }
}


@override_settings(
    CACHES=REDIS, MOTCUA_LOOKUP_RATE_PER_IP="3/min", MOTCUA_LOOKUP_RATE_PER_CODE="2/hour"
)
def test_the_address_limit_is_counted_in_redis() -> None:
    request = RequestFactory().get("/", REMOTE_ADDR="203.0.113.7")
    waits = [lookup_limited(request, "000.00.01.H26-260105-0012") for _ in range(4)]
    assert waits[:3] == [None, None, None]
    assert waits[3] is not None and waits[3] >= 1
    # Another address is not held back.
    other = RequestFactory().get("/", REMOTE_ADDR="203.0.113.8")
    assert lookup_limited(other, "000.00.01.H26-260105-0012") is None


@override_settings(
    CACHES=REDIS, MOTCUA_LOOKUP_RATE_PER_IP="", MOTCUA_LOOKUP_RATE_PER_CODE="2/hour"
)
def test_failures_counted_by_the_cache_api_hold_the_code_back() -> None:
    code = "000.00.01.H26-260105-0099"
    request = RequestFactory().get("/", REMOTE_ADDR="203.0.113.9")
    assert lookup_limited(request, code) is None
    lookup_failed(code)
    lookup_failed(code)

    assert lookup_limited(request, code) is not None
    assert lookup_limited(request, "000.00.01.H26-260105-0100") is None


@override_settings(CACHES=REDIS)
def test_one_pipeline_reads_and_writes_what_the_cache_api_does() -> None:
    per_ip, per_code = parse_rate("10/min"), parse_rate("5/hour")
    assert per_ip is not None and per_code is not None
    caches["default"].set(_window_key("code:abc", per_code), 4, 60)

    first = _redis_counts("ip:198.51.100.1", per_ip, "code:abc", per_code)
    second = _redis_counts("ip:198.51.100.1", per_ip, "code:abc", per_code)

    assert first == (1, 4) and second == (2, 4)
    assert caches["default"].get(_window_key("ip:198.51.100.1", per_ip)) == 2
