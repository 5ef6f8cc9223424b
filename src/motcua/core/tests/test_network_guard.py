"""The root conftest keeps tests on this machine: loopback only."""

from __future__ import annotations

import socket
import urllib.request

import pytest


def test_connecting_to_another_host_is_refused() -> None:
    """An outbound connection fails loudly, before any packet leaves."""
    with socket.socket() as sock, pytest.raises(RuntimeError, match="may not connect"):
        sock.connect(("192.0.2.10", 80))  # TEST-NET-1: never a real host


def test_resolving_a_public_name_is_refused() -> None:
    """DNS look-ups of other hosts fail too, as do libraries built on them."""
    with pytest.raises(RuntimeError, match="may not resolve"):
        socket.getaddrinfo("example.org", 443)
    with pytest.raises(RuntimeError, match="may not resolve"):
        urllib.request.urlopen("https://example.org/", timeout=1)


def test_loopback_stays_reachable() -> None:
    """Local services (PostgreSQL, Redis, a test SMTP server) can still be reached."""
    with socket.socket() as server:
        server.bind(("127.0.0.1", 0))
        server.listen(2)
        port = server.getsockname()[1]
        with socket.create_connection(("localhost", port), timeout=2):
            pass
        with socket.socket() as client:
            client.connect(("127.0.0.1", port))
