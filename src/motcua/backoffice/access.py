"""Who may enter the staff area: signed-in officers, never citizens."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _

View = Callable[..., HttpResponse]


def officer_required(view: View) -> View:
    """Send anonymous users to the staff login and citizens to the portal."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        user = request.user
        if not user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not getattr(user, "is_officer", False):
            messages.info(
                request,
                _(
                    "Khu vực cán bộ chỉ dành cho cán bộ, công chức. "
                    "Mời bạn sử dụng Cổng dịch vụ công."
                ),
            )
            return redirect("portal:home")
        return view(request, *args, **kwargs)

    return wrapper


class OfficerRequiredMixin:
    """Class-based-view form of :func:`officer_required`."""

    @classmethod
    def as_view(cls, **initkwargs: Any) -> View:
        return officer_required(super().as_view(**initkwargs))  # type: ignore[misc]
