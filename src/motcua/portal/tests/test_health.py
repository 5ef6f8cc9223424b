"""The health endpoint used by load balancers."""

from __future__ import annotations

from unittest import mock

import pytest
from django.db import OperationalError
from django.test import Client

pytestmark = pytest.mark.django_db


def test_health_is_ok_when_the_database_answers(client: Client) -> None:
    response = client.get("/suc-khoe/")

    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok"}
    assert "no-cache" in response["Cache-Control"]


def test_health_is_503_when_the_database_is_unreachable(client: Client) -> None:
    broken = mock.Mock()
    broken.cursor.side_effect = OperationalError("connection refused")

    with mock.patch("motcua.core.views.connection", broken):
        response = client.get("/suc-khoe/")

    assert response.status_code == 503
    assert response.json() == {"status": "error", "database": "error"}
