"""One JSON error shape for the whole API: ``{"error": {"code", "message", "params"}}``."""

from __future__ import annotations

from typing import Any

from rest_framework import status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from motcua.core.exceptions import DomainError


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    if isinstance(exc, DomainError):
        return Response(
            {"error": {"code": exc.code, "message": exc.message, "params": exc.params}},
            status=exc.http_status,
        )
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    detail = response.data
    code = getattr(exc, "default_code", "error")
    message = detail.get("detail") if isinstance(detail, dict) and "detail" in detail else detail
    params = {} if isinstance(detail, dict) and "detail" in detail else {"fields": detail}
    response.data = {
        "error": {
            "code": str(code),
            "message": str(message) if not isinstance(message, (dict, list)) else "",
            "params": params,
        }
    }
    if (
        response.status_code == status.HTTP_400_BAD_REQUEST
        and not response.data["error"]["message"]
    ):
        response.data["error"]["message"] = "Dữ liệu gửi lên không hợp lệ."
    return response
