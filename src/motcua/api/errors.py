"""One JSON error shape for the whole API: ``{"error": {"code", "message", "params"}}``.

Domain errors keep their stable code, message and params. DRF's own errors
(not signed in, throttled, malformed JSON…) keep DRF's code and get a
Vietnamese message here, since DRF's Vietnamese catalogue lacks most of them;
field errors of a 400 go to ``params.fields``.
"""

from __future__ import annotations

from typing import Any

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from motcua.core.exceptions import DomainError

MESSAGES: dict[str, Promise] = {
    "invalid": _("Dữ liệu gửi lên không hợp lệ."),
    "parse_error": _("Dữ liệu gửi lên không đúng định dạng JSON."),
    "not_authenticated": _("Vui lòng đăng nhập để thực hiện thao tác này."),
    "authentication_failed": _("Đăng nhập không thành công."),
    "permission_denied": _("Bạn không có quyền thực hiện thao tác này."),
    "csrf_failed": _("Thiếu hoặc sai mã chống giả mạo (CSRF); hãy tải lại trang rồi gửi lại."),
    "not_found": _("Không tìm thấy."),
    "method_not_allowed": _("Phương thức %(method)s không được hỗ trợ ở địa chỉ này."),
    "not_acceptable": _("Không trả được dữ liệu theo định dạng yêu cầu; hãy nhận JSON."),
    "unsupported_media_type": _("Kiểu dữ liệu gửi lên không được hỗ trợ; hãy gửi JSON."),
    "throttled": _("Bạn gửi quá nhiều yêu cầu; vui lòng thử lại sau %(wait)s giây."),
}
# How DRF's session authentication says that the CSRF check failed.
CSRF_FAILED_PREFIX = "CSRF Failed"


def error_body(code: str, message: str, params: dict[str, Any]) -> dict[str, Any]:
    """The API's one error shape."""
    return {"error": {"code": code, "message": message, "params": params}}


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    if isinstance(exc, DomainError):
        return Response(error_body(exc.code, exc.message, exc.params), status=exc.http_status)
    response = drf_exception_handler(exc, context)
    if response is None or not isinstance(exc, exceptions.APIException):
        return response
    code = str(exc.default_code)
    params: dict[str, Any] = {}
    if isinstance(exc, exceptions.ValidationError):
        params["fields"] = response.data
    elif isinstance(exc, exceptions.PermissionDenied) and str(exc.detail).startswith(
        CSRF_FAILED_PREFIX
    ):
        code = "csrf_failed"
    elif isinstance(exc, exceptions.MethodNotAllowed):
        params["method"] = context["request"].method
    elif isinstance(exc, exceptions.Throttled):
        params["wait"] = int(exc.wait or 1)
    template = MESSAGES.get(code)
    if code == "not_found" and str(exc.detail) != str(exc.default_detail):
        template = None  # a message of ours, e.g. the paginator's
    if template is not None:
        message = str(template) % params if "%(" in str(template) else str(template)
    else:
        message = str(exc.detail) if isinstance(exc.detail, str) else str(MESSAGES["invalid"])
    if response.status_code == status.HTTP_400_BAD_REQUEST and code not in MESSAGES:
        message = str(MESSAGES["invalid"])
    response.data = error_body(code, message, params)
    return response
