"""The session store (a compiled read) and choice labels (a table per field and language)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.sessions.models import Session
from django.test import Client
from django.utils import timezone, translation

from motcua.accounts.tests.factories import OfficerFactory
from motcua.core.formatting import choice_label
from motcua.core.sessions import SessionStore
from motcua.dossiers.constants import Status
from motcua.dossiers.models import Dossier

pytestmark = pytest.mark.django_db


def test_a_stored_session_is_read_back() -> None:
    store = SessionStore()
    store["officer"] = 42
    store.save()

    again = SessionStore(session_key=store.session_key)

    assert again["officer"] == 42


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


def test_choice_labels_match_django_in_each_language() -> None:
    dossier = Dossier(status=Status.IN_PROGRESS, channel="online")
    assert choice_label(dossier, "status") == str(dossier.get_status_display())
    assert choice_label(dossier, "channel") == str(dossier.get_channel_display())
    with translation.override("en"):
        english = choice_label(dossier, "status")
        assert english == str(dossier.get_status_display())
    with translation.override("vi"):
        assert choice_label(dossier, "status") == str(dossier.get_status_display())


def test_a_value_outside_the_choices_is_shown_as_stored() -> None:
    dossier = Dossier(status="not_a_state")
    assert choice_label(dossier, "status") == "not_a_state" == dossier.get_status_display()


def test_signed_in_requests_use_this_store(client: Client) -> None:
    officer = OfficerFactory()
    client.force_login(officer.user)

    assert isinstance(client.session, SessionStore)
    assert client.get("/api/me/inbox/").status_code == 200  # read back through it


def test_the_users_roles_come_with_the_user_on_postgresql() -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from motcua.accounts.backends import ModelBackendWithOfficer

    officer = OfficerFactory(roles=["counter_officer", "head"])
    with CaptureQueriesContext(connection) as queries:
        user = ModelBackendWithOfficer().get_user(officer.user_id)
        assert user is not None
        roles = user.officer.role_set()
    assert roles == {"counter_officer", "head"}
    # One statement on PostgreSQL (the roles as an ARRAY subquery), two elsewhere.
    assert len(queries) == (1 if connection.vendor == "postgresql" else 2)
