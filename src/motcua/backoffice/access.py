"""Who may enter the staff area: signed-in officers, never citizens."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from functools import wraps
from typing import Any

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from motcua.core.exceptions import NotFound, PermissionDenied

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


def domain_view(
    methods: Sequence[str] = ("GET",),
    *,
    allowed: Callable[[Any], bool] | None = None,
    action: Any = None,
) -> Callable[[View], View]:
    """A staff page: officers only, for ``methods``; the domain's errors as the error pages.

    ``allowed(user)`` false gives the 403 page naming ``action`` ("Bạn không có
    quyền …"); a domain ``NotFound`` (missing or not the officer's) the 404
    page, a domain ``PermissionDenied`` the 403 page with its own message.
    Each staff area wraps this with its own permission rule.
    """

    def decorator(view: View) -> View:
        @wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if allowed is not None and not allowed(request.user):
                raise DjangoPermissionDenied(
                    _("Bạn không có quyền %(action)s.") % {"action": action.label}
                )
            try:
                return view(request, *args, **kwargs)
            except NotFound as exc:
                raise Http404(exc.message) from exc
            except PermissionDenied as exc:
                raise DjangoPermissionDenied(exc.message) from exc

        return officer_required(require_http_methods(list(methods))(wrapper))

    return decorator
