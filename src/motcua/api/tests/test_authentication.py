"""The API's session authentication: the user itself, CSRF still checked on writes."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser
from django.test import RequestFactory
from django.utils.functional import SimpleLazyObject
from rest_framework.exceptions import PermissionDenied
from rest_framework.request import Request

from motcua.accounts.models import User
from motcua.accounts.tests.factories import OfficerFactory
from motcua.api.authentication import SessionAuthentication

pytestmark = pytest.mark.django_db


def _request(method: str, user: object) -> Request:
    django_request = getattr(RequestFactory(), method)("/api/dossiers/")
    django_request.user = user
    django_request._dont_enforce_csrf_checks = False
    return Request(django_request)


def test_views_get_the_user_not_the_lazy_stand_in() -> None:
    officer = OfficerFactory()
    lazy = SimpleLazyObject(lambda: User.objects.get(pk=officer.user_id))

    user, _auth = SessionAuthentication().authenticate(_request("get", lazy)) or (None, None)

    assert type(user) is User
    assert user.pk == officer.user_id


def test_nobody_signed_in_is_not_authenticated() -> None:
    assert SessionAuthentication().authenticate(_request("get", AnonymousUser())) is None


def test_a_write_without_the_csrf_token_is_refused() -> None:
    officer = OfficerFactory()
    with pytest.raises(PermissionDenied, match="CSRF"):
        SessionAuthentication().authenticate(_request("post", officer.user))
