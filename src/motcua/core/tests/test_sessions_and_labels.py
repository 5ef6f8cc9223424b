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


def test_signing_in_uses_the_store(client: Client) -> None:
    officer = OfficerFactory()
    client.force_login(officer.user)

    response = client.get("/api/me/inbox/")

    assert response.status_code == 200
    assert Session.objects.filter(session_key=client.session.session_key).exists()


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
