"""The authentication backend: Django's, reading the officer and unit with the user.

perf: every signed-in request loads its user; the permission checks that
follow need the officer and the officer's unit, which Django's backend would
fetch in two more queries per request.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.backends import ModelBackend
from django.db.models import QuerySet

from motcua.accounts.models import User
from motcua.core.compiled import CompiledQuery


def _user_by_id(user_id: int) -> QuerySet[User]:
    return User._default_manager.select_related("officer__unit", "citizen").filter(pk=user_id)


# perf: compiled once (core/compiled.py); the join over four wide tables took
# longer to compile than to run.
_USER_BY_ID = CompiledQuery(_user_by_id, int)


class ModelBackendWithOfficer(ModelBackend):
    """:class:`ModelBackend` whose ``get_user`` joins the officer, its unit and the citizen."""

    def get_user(self, user_id: Any) -> User | None:
        try:
            key = int(user_id)
        except (TypeError, ValueError):
            return None
        found = _USER_BY_ID.run(key)
        user = found[0] if found else None
        return user if user is not None and self.user_can_authenticate(user) else None
