"""The session store: Django's database sessions, read with a statement compiled once.

perf: every signed-in request reads its session first; Django's store
builds and compiles the same one-table query each time (``SESSION_ENGINE``).
"""

from __future__ import annotations

from django.contrib.sessions.backends.db import SessionStore as DatabaseSessionStore
from django.contrib.sessions.models import Session
from django.db import router
from django.db.models import QuerySet
from django.utils import timezone

from motcua.core.compiled import CompiledQuery


def _by_key(key: str) -> QuerySet[Session]:
    return Session.objects.filter(session_key=key)


_SESSION_BY_KEY = CompiledQuery(_by_key, str)


class SessionStore(DatabaseSessionStore):
    def _get_session_from_db(self) -> Session | None:
        key = self.session_key
        alias = router.db_for_read(Session) or "default"
        session: Session | None = _SESSION_BY_KEY.first(key, using=alias) if key else None
        # The expiry is judged here rather than in the SQL, so that the
        # statement never changes (Django's store compares in the query).
        if session is None or session.expire_date <= timezone.now():
            self._session_key = None
            return None
        return session
