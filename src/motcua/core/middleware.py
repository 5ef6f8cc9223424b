"""Request middleware shared by every interface."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse


class VietnameseFirstMiddleware:
    """Serve Vietnamese unless the visitor chose another language with the switcher.

    Many Vietnamese phones and computers are set to English; following the
    browser's Accept-Language would show them the English site. The choice is
    the language cookie set by ``/i18n/setlang/`` only.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request.META.pop("HTTP_ACCEPT_LANGUAGE", None)
        return self.get_response(request)
