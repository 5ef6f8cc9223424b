"""The session store: Django's database sessions, read with the signed-in user in one statement.

perf: every signed-in request reads its session, then its user with the
officer, unit and roles the permission checks need: two statements one after
the other. The session row keeps the user's id (``accounts.models.Session``),
so one compiled statement reads both; the user is handed to the
authentication backend (``accounts.backends``), which would otherwise read it
again. Django's store also built and compiled its one-table query each time.
"""

from __future__ import annotations

from typing import Any, cast

from django.contrib.auth import SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore as DatabaseSessionStore
from django.db import router
from django.db.models import QuerySet
from django.utils import timezone

from motcua.accounts.backends import keep_user_read_with_session, with_officer_roles
from motcua.accounts.models import Session
from motcua.core.compiled import CompiledQuery


def _by_key(key: str) -> QuerySet[Session]:
    sessions = Session.objects.filter(session_key=key).select_related(
        "user__officer__unit", "user__citizen"
    )
    return with_officer_roles(sessions, "user__officer__id")


_SESSION_BY_KEY = CompiledQuery(_by_key, str)


def _user_id(data: dict[str, Any]) -> int | None:
    try:
        return int(data[SESSION_KEY])
    except (KeyError, TypeError, ValueError):
        return None


class SessionStore(DatabaseSessionStore):
    @classmethod
    def get_model_class(cls) -> type[Session]:
        return Session

    def create_model_instance(self, data: dict[str, Any]) -> Session:
        session = cast(Session, super().create_model_instance(data))
        session.user_id = _user_id(data)
        return session

    def _get_session_from_db(self) -> Session | None:
        keep_user_read_with_session(None)
        key = self.session_key
        alias = router.db_for_read(Session) or "default"
        session: Session | None = _SESSION_BY_KEY.first(key, using=alias) if key else None
        # The expiry is judged here rather than in the SQL, so that the
        # statement never changes (Django's store compares in the query).
        if session is None or session.expire_date <= timezone.now():
            self._session_key = None
            return None
        if session.user_id is not None:
            keep_user_read_with_session(session.user, getattr(session, "officer_roles", None))
        return session
