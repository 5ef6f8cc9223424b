"""The authentication backend: Django's, reading the officer and unit with the user.

perf: every signed-in request loads its user; the permission checks that
follow need the officer, the officer's unit and (on PostgreSQL) the
officer's roles, which would otherwise cost three more queries per request.
"""

from __future__ import annotations

from contextvars import ContextVar
from typing import Any, TypeVar

from django.contrib.auth.backends import ModelBackend
from django.contrib.postgres.expressions import ArraySubquery
from django.core.signals import request_finished
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.models import OuterRef, QuerySet

from motcua.accounts.models import OfficerRole, User
from motcua.core.compiled import CompiledQuery

_Rows = TypeVar("_Rows", bound=QuerySet[Any])


def with_officer_roles(queryset: _Rows, officer_id: str) -> _Rows:
    """``queryset`` with ``officer_roles``, the roles of the officer at ``officer_id`` (a path
    such as ``"officer__id"``), on PostgreSQL; elsewhere ``Officer.role_set`` reads them."""
    if connections[DEFAULT_DB_ALIAS].vendor != "postgresql":
        return queryset
    roles = OfficerRole.objects.filter(officer_id=OuterRef(officer_id)).values("role")
    return queryset.annotate(officer_roles=ArraySubquery(roles))  # type: ignore[return-value]


def _user_by_id(user_id: int) -> QuerySet[User]:
    users = User._default_manager.select_related("officer__unit", "citizen").filter(pk=user_id)
    return with_officer_roles(users, "officer__id")


# perf: compiled once (core/compiled.py); the join over four wide tables took
# longer to compile than to run.
_USER_BY_ID = CompiledQuery(_user_by_id, int)


# The user the request's session was read with (accounts.sessions), until the
# backend takes it; cleared when a request ends, so it never outlives one.
_read_with_session: ContextVar[User | None] = ContextVar("user_read_with_session", default=None)


def keep_user_read_with_session(user: User | None, roles: list[str] | None = None) -> None:
    """Hand ``user`` (read with the session, with its officer's ``roles``) to ``get_user``."""
    if user is not None:
        _keep_roles(user, roles)
    _read_with_session.set(user)


def _keep_roles(user: User, roles: list[str] | None) -> None:
    officer = getattr(user, "officer", None)
    if roles is not None and officer is not None:
        officer._role_cache = frozenset(roles)  # what Officer.role_set would read


def _forget_user_read_with_session(**kwargs: Any) -> None:
    _read_with_session.set(None)


request_finished.connect(_forget_user_read_with_session, dispatch_uid="user_read_with_session")


class ModelBackendWithOfficer(ModelBackend):
    """:class:`ModelBackend` whose ``get_user`` joins the officer, its unit and the citizen."""

    def get_user(self, user_id: Any) -> User | None:
        try:
            key = int(user_id)
        except (TypeError, ValueError):
            return None
        user = _read_with_session.get()
        if user is not None and user.pk == key:
            _read_with_session.set(None)
        else:
            user = _USER_BY_ID.first(key)
            if user is not None:
                _keep_roles(user, getattr(user, "officer_roles", None))
        return user if user is not None and self.user_can_authenticate(user) else None
