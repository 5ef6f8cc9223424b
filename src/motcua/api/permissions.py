"""DRF permission classes: each asks :mod:`motcua.accounts.permissions`, never decides itself."""

from __future__ import annotations

from typing import Any

from rest_framework.permissions import BasePermission
from rest_framework.request import Request
from rest_framework.views import APIView

from motcua.accounts.permissions import Action, ensure_can


def _own_unit(user: Any) -> Any:
    """The officer's own unit: the target of catalog-wide actions (as in the staff area)."""
    officer = getattr(user, "officer", None) if user.is_authenticated else None
    return officer.unit if officer is not None else None


class ManagesCatalog(BasePermission):
    """``catalog.manage`` (administrators); otherwise 403 with the Vietnamese message."""

    def has_permission(self, request: Request, view: APIView) -> bool:
        ensure_can(request.user, Action.CATALOG_MANAGE, _own_unit(request.user))
        return True
