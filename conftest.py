"""Test-wide guards: no network beyond this machine's loopback; a known language.

The machines that run the suite have no outside network, and a test that
talks to a real server elsewhere would be slow, flaky and possibly harmful.
Any attempt to resolve or connect to another host fails loudly with
:class:`BlockedNetworkError`; mock the integration instead (SMTP can use
``aiosmtpd`` on 127.0.0.1).
"""

from __future__ import annotations

import ipaddress
import socket
from collections.abc import Iterator
from typing import Any

import pytest

pytest_plugins = ["motcua.core.testing.browser"]

_LOCAL_NAMES = {"localhost", "localhost.localdomain", "ip6-localhost", socket.gethostname()}


class BlockedNetworkError(RuntimeError):
    """A test tried to reach a host other than 127.0.0.1, ::1 or localhost.

    Deliberately not an ``OSError``: code under test must not mistake it for
    an ordinary network failure and carry on.
    """


def _is_local(host: Any) -> bool:
    if isinstance(host, bytes):
        host = host.decode()
    if host is None or not isinstance(host, str):
        return host is None  # getaddrinfo(None, port) means the local host
    name = host.strip("[]").split("%")[0].lower()
    if name in _LOCAL_NAMES or name == "":
        return True
    try:
        return ipaddress.ip_address(name).is_loopback
    except ValueError:
        return False


@pytest.fixture(autouse=True)
def _block_outbound_network(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Refuse DNS look-ups and connections to anything but the loopback interface."""
    real_connect = socket.socket.connect
    real_connect_ex = socket.socket.connect_ex
    real_getaddrinfo = socket.getaddrinfo

    def check(sock: socket.socket, address: Any) -> None:
        if sock.family in (socket.AF_INET, socket.AF_INET6) and not _is_local(address[0]):
            raise BlockedNetworkError(f"tests may not connect to {address!r}")

    def guarded_connect(self: socket.socket, address: Any) -> None:
        check(self, address)
        real_connect(self, address)

    def guarded_connect_ex(self: socket.socket, address: Any) -> int:
        check(self, address)
        return real_connect_ex(self, address)

    def guarded_getaddrinfo(host: Any, *args: Any, **kwargs: Any) -> Any:
        if not _is_local(host):
            raise BlockedNetworkError(f"tests may not resolve {host!r}")
        return real_getaddrinfo(host, *args, **kwargs)

    monkeypatch.setattr(socket.socket, "connect", guarded_connect)
    monkeypatch.setattr(socket.socket, "connect_ex", guarded_connect_ex)
    monkeypatch.setattr(socket, "getaddrinfo", guarded_getaddrinfo)
    yield


@pytest.fixture(autouse=True)
def _default_language() -> Iterator[None]:
    """Start every test in LANGUAGE_CODE (Vietnamese).

    A request through LocaleMiddleware leaves its language active on the
    thread; without this, a test that switched to English would change what
    later tests see.
    """
    from django.conf import settings
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.deactivate()


@pytest.fixture(autouse=True)
def _empty_cache() -> Iterator[None]:
    """Start every test with an empty cache: rate-limit counters, throttles and cached
    statistics live there, and a count left by one test must not refuse the next."""
    from django.core.cache import cache

    cache.clear()
    yield


@pytest.fixture(autouse=True)
def _forget_kept_rows() -> Iterator[None]:
    """Start every test without rows a process keeps across requests: a test's
    published versions may reuse an earlier test's ids (SQLite rolls its
    sequences back with the test's transaction)."""
    from motcua.catalog.selectors import forget_kept_versions

    forget_kept_versions()
    yield


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Skip tests marked ``postgres`` when the suite runs on SQLite."""
    from django.db import connection

    if connection.vendor == "postgresql":
        return
    skip = pytest.mark.skip(reason="needs PostgreSQL: set DATABASE_URL (make test does)")
    for item in items:
        if "postgres" in item.keywords:
            item.add_marker(skip)
