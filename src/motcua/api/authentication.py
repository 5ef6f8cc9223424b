"""The API's session authentication: DRF's, handing views the signed-in user itself."""

from __future__ import annotations

from typing import Any

from django.utils.functional import empty
from drf_spectacular.authentication import SessionScheme as _DrfSessionScheme
from rest_framework import authentication
from rest_framework.request import Request


class SessionAuthentication(authentication.SessionAuthentication):
    """DRF's session authentication (CSRF enforced as before); ``request.user`` is the
    user itself rather than Django's lazy stand-in for it.

    perf: every attribute read through the stand-in is a call of its own; the
    services read the officer's attributes a few hundred times in an intake
    (1.9 % of its time in bench/dossiers_http.py).
    """

    def authenticate(self, request: Request) -> tuple[Any, Any] | None:
        found = super().authenticate(request)
        if found is None:
            return None
        user, auth = found
        wrapped = getattr(user, "_wrapped", empty)
        return (user if wrapped is empty else wrapped, auth)


class SessionScheme(_DrfSessionScheme):
    """The OpenAPI schema's ``cookieAuth`` for :class:`SessionAuthentication` (as for DRF's)."""

    target_class = "motcua.api.authentication.SessionAuthentication"
