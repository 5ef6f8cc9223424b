"""The session store: sessions keep their user, read with it in one statement."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.signals import request_finished
from django.db import close_old_connections, connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from motcua.accounts.backends import ModelBackendWithOfficer, keep_user_read_with_session
from motcua.accounts.models import Session
from motcua.accounts.sessions import SessionStore
from motcua.accounts.tests.factories import OfficerFactory

pytestmark = pytest.mark.django_db


def test_a_stored_session_is_read_back() -> None:
    store = SessionStore()
    store["officer"] = 42
    store.save()

    again = SessionStore(session_key=store.session_key)

    assert again["officer"] == 42
    assert Session.objects.get(session_key=store.session_key).user_id is None


def test_an_expired_session_is_not_read_and_its_key_is_dropped() -> None:
    store = SessionStore()
    store["officer"] = 42
    store.save()
    Session.objects.filter(session_key=store.session_key).update(
        expire_date=timezone.now() - dt.timedelta(seconds=1)
    )

    again = SessionStore(session_key=store.session_key)

    assert "officer" not in again
    assert again.session_key is None


def test_signing_in_keeps_the_user_on_the_session_and_out_ends_it(client: Client) -> None:
    officer = OfficerFactory()
    client.force_login(officer.user)

    assert isinstance(client.session, SessionStore)
    key = client.session.session_key
    assert Session.objects.get(session_key=key).user_id == officer.user_id

    client.logout()
    assert not Session.objects.filter(session_key=key).exists()


def test_a_signed_in_request_reads_its_session_and_user_in_one_statement(client: Client) -> None:
    officer = OfficerFactory(roles=["counter_officer", "head"])
    client.force_login(officer.user)

    with CaptureQueriesContext(connection) as queries:
        response = client.get("/api/me/inbox/")

    assert response.status_code == 200
    first = queries[0]["sql"]
    assert "accounts_session" in first and "accounts_user" in first
    assert not any(
        '"accounts_user"' in query["sql"] and "accounts_session" not in query["sql"]
        for query in queries
    ), [query["sql"][:120] for query in queries]


def test_the_user_read_with_the_session_is_taken_once_and_only_for_its_id() -> None:
    first, second = OfficerFactory(), OfficerFactory()
    backend = ModelBackendWithOfficer()
    kept = first.user
    keep_user_read_with_session(kept, ["head"])

    with CaptureQueriesContext(connection) as none_read:
        assert backend.get_user(first.user_id) is kept
    assert len(none_read) == 0
    assert kept.officer.role_set() == {"head"}

    with CaptureQueriesContext(connection) as read:
        assert backend.get_user(first.user_id) == first.user  # taken already: read again
    assert len(read) >= 1

    keep_user_read_with_session(first.user)
    assert backend.get_user(second.user_id) == second.user


def test_a_deactivated_users_session_signs_nobody_in(client: Client) -> None:
    officer = OfficerFactory()
    client.force_login(officer.user)
    officer.user.is_active = False
    officer.user.save(update_fields=["is_active"])

    assert client.get("/api/me/inbox/").status_code == 403


def test_the_user_read_with_a_session_does_not_outlive_the_request() -> None:
    officer = OfficerFactory()
    keep_user_read_with_session(officer.user)

    # Django also closes old connections when a request ends: not in a test.
    request_finished.disconnect(close_old_connections)
    try:
        request_finished.send(sender=Client)
    finally:
        request_finished.connect(close_old_connections)

    with CaptureQueriesContext(connection) as read:
        assert ModelBackendWithOfficer().get_user(officer.user_id) == officer.user
    assert len(read) >= 1


def test_the_users_roles_come_with_the_user_on_postgresql() -> None:
    officer = OfficerFactory(roles=["counter_officer", "head"])
    with CaptureQueriesContext(connection) as queries:
        user = ModelBackendWithOfficer().get_user(officer.user_id)
        assert user is not None
        roles = user.officer.role_set()
    assert roles == {"counter_officer", "head"}
    # One statement on PostgreSQL (the roles as an ARRAY subquery), two elsewhere.
    assert len(queries) == (1 if connection.vendor == "postgresql" else 2)
