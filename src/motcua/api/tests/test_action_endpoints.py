"""The addresses of a dossier's actions: the kept templates say what ``reverse`` says."""

from __future__ import annotations

import pytest
from django.urls import reverse

from motcua.api.representations import _endpoint
from motcua.api.serializers_dossiers import ACTION_ENDPOINTS


@pytest.mark.parametrize(
    "label", ["000.20.42.H24-241209-0001", "H26-260105-0012", "ab cd?#", "Mã-hồ-sơ"]
)
def test_every_action_address_is_the_one_django_reverses(label: str) -> None:
    for action in ACTION_ENDPOINTS:
        assert _endpoint(action, label) == reverse(f"api:dossier_{action}", kwargs={"code": label})
