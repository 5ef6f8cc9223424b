"""Template helpers of the staff area's layout."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django import template

from motcua.backoffice.navigation import NavLink, nav_links

register = template.Library()


@dataclass(frozen=True)
class OfficerSummary:
    """What the top bar shows about the signed-in person."""

    name: str
    unit: str = ""
    roles: list[str] = field(default_factory=list)


@register.simple_tag(takes_context=True)
def backoffice_nav(context: template.Context) -> list[NavLink]:
    """The side navigation for the current request."""
    request = context.get("request")
    if request is None:
        return []
    # The layout and the dashboard both ask; compute once per request.
    if not hasattr(request, "_motcua_nav_links"):
        request._motcua_nav_links = nav_links(request)
    return request._motcua_nav_links


@register.simple_tag(takes_context=True)
def officer_summary(context: template.Context) -> OfficerSummary | None:
    """Name, unit and roles of the signed-in user, or ``None`` when anonymous."""
    request = context.get("request")
    user = getattr(request, "user", None)
    if request is None or user is None or not user.is_authenticated:
        return None
    if not hasattr(request, "_motcua_officer_summary"):
        request._motcua_officer_summary = _summarise(user)
    return request._motcua_officer_summary


def _summarise(user: Any) -> OfficerSummary:
    officer = getattr(user, "officer", None)
    if officer is None:
        return OfficerSummary(name=str(user))
    roles = [role.get_role_display() for role in officer.roles.all()]
    return OfficerSummary(name=str(user), unit=officer.unit.name, roles=roles)


@register.filter
def minutes(value: Any) -> int:
    """Whole minutes in a timedelta, rounded up: 29 min 10 s → 30."""
    if not isinstance(value, dt.timedelta):
        return 0
    seconds = int(value.total_seconds())
    return max(0, -(-seconds // 60))
