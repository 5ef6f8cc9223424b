"""Template context available on every page."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest


def site(request: HttpRequest) -> dict[str, Any]:
    return {
        "SITE_NAME": settings.MOTCUA_SITE_NAME,
        "HOTLINE": settings.MOTCUA_HOTLINE,
    }
