"""The authentication backend: Django's, reading the officer and unit with the user.

perf: every signed-in request loads its user; the permission checks that
follow need the officer and the officer's unit, which Django's backend would
fetch in two more queries per request.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.backends import ModelBackend

from motcua.accounts.models import User


class ModelBackendWithOfficer(ModelBackend):
    """:class:`ModelBackend` whose ``get_user`` joins the officer, its unit and the citizen."""

    def get_user(self, user_id: Any) -> User | None:
        user = (
            User._default_manager.select_related("officer__unit", "citizen")
            .filter(pk=user_id)
            .first()
        )
        return user if user is not None and self.user_can_authenticate(user) else None
