"""Public, anonymous API endpoints: the dossier status lookup.

``GET /api/public/dossiers/lookup/?code=…&factor=…`` answers what the page
``/tra-cuu/`` shows, as JSON: the masked view of
:func:`~motcua.dossiers.selectors_public.dossier_lookup_public`. A wrong
code and a wrong factor are the same 404; the rate limits are those of the
page (per client address, and per code for failed factors), answered with
429 in the API's one error shape.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.urls import path
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.views import APIView

from motcua.api.errors import MESSAGES, error_body
from motcua.api.representations import _instant
from motcua.api.serializers import ErrorSerializer
from motcua.core.exceptions import DomainError, NotFound, ValidationFailed
from motcua.dossiers.selectors_public import (
    PublicDossier,
    RequestedDocument,
    dossier_lookup_public,
)
from motcua.portal.views_lookup import lookup_failed, lookup_limited

PUBLIC_LOOKUP_TAG = "Tra cứu hồ sơ (công khai)"


class RequestedDocumentSerializer(serializers.Serializer[Any]):
    name = serializers.CharField(help_text=_("Tên giấy tờ cần bổ sung."))
    reason = serializers.CharField(help_text=_("Lý do."))


class CitizenEventSerializer(serializers.Serializer[Any]):
    at = serializers.DateTimeField()
    title = serializers.CharField(help_text=_("Việc đã làm, bằng lời cho người dân."))
    detail = serializers.CharField(help_text=_("Lý do hoặc nội dung gửi người nộp hồ sơ."))
    documents = RequestedDocumentSerializer(many=True)


class PublicDossierSerializer(serializers.Serializer[Any]):
    """The masked view of a dossier: no officer names, no internal notes."""

    code = serializers.CharField(help_text=_("Mã hồ sơ (hoặc mã tra cứu khi chưa tiếp nhận)."))
    procedure_name = serializers.CharField()
    status = serializers.CharField(help_text=_("Mã trạng thái ổn định, ví dụ in_progress."))
    status_label = serializers.CharField()
    status_explanation = serializers.CharField()
    receiving_unit_name = serializers.CharField()
    applicant_name = serializers.CharField(help_text=_("Đã che: «Nguyễn V** B***»."))
    applicant_phone = serializers.CharField(help_text=_("Đã che: «09******78»."))
    applicant_id_number = serializers.CharField(help_text=_("Đã che: «001*******45»."))
    submitted_at = serializers.DateTimeField(allow_null=True)
    received_at = serializers.DateTimeField(allow_null=True)
    appointment_original = serializers.DateTimeField(allow_null=True)
    appointment = serializers.DateTimeField(allow_null=True)
    reappointed = serializers.BooleanField()
    overdue = serializers.BooleanField()
    finished = serializers.BooleanField()
    returned_at = serializers.DateTimeField(allow_null=True)
    timeline = CitizenEventSerializer(many=True)
    requested_documents = RequestedDocumentSerializer(many=True)
    supplement_reason = serializers.CharField()


def _documents(documents: Iterable[RequestedDocument]) -> list[dict[str, str]]:
    return [{"name": document.name, "reason": document.reason} for document in documents]


def public_dossier_data(found: PublicDossier) -> dict[str, Any]:
    """What :class:`PublicDossierSerializer` says, built by hand.

    perf: the serializer walked ~25 fields and a nested list per lookup
    (≈ 1 ms of a ~3 ms request in ``bench/public_lookup.py --profile``); the
    serializer stays the documented shape and
    ``portal/tests/test_feedback_portal.py`` checks both agree.
    """
    return {
        "code": found.code,
        "procedure_name": found.procedure_name,
        "status": found.status,
        "status_label": found.status_label,
        "status_explanation": found.status_explanation,
        "receiving_unit_name": found.receiving_unit_name,
        "applicant_name": found.applicant_name,
        "applicant_phone": found.applicant_phone,
        "applicant_id_number": found.applicant_id_number,
        "submitted_at": _instant(found.submitted_at),
        "received_at": _instant(found.received_at),
        "appointment_original": _instant(found.appointment_original),
        "appointment": _instant(found.appointment),
        "reappointed": found.reappointed,
        "overdue": found.overdue,
        "finished": found.finished,
        "returned_at": _instant(found.returned_at),
        "timeline": [
            {
                "at": _instant(event.at),
                "title": event.title,
                "detail": event.detail,
                "documents": _documents(event.documents),
            }
            for event in found.timeline
        ],
        "requested_documents": _documents(found.requested_documents),
        "supplement_reason": found.supplement_reason,
    }


class PublicLookupView(APIView):
    """The status of one dossier for the citizen who holds its code and a second factor."""

    permission_classes = [AllowAny]
    authentication_classes: list[Any] = []
    throttle_classes: list[Any] = []

    @extend_schema(
        operation_id="public_dossier_lookup",
        tags=[PUBLIC_LOOKUP_TAG],
        summary="Tra cứu tình trạng hồ sơ (công khai)",
        description=(
            "Tra cứu bằng mã hồ sơ và một yếu tố xác nhận: bốn số cuối số điện thoại của "
            "người nộp hoặc mã bí mật tra cứu in trên giấy tiếp nhận. Họ tên, số điện thoại, "
            "số định danh được che; không có tên cán bộ, ghi chú nội bộ hay bước nội bộ. "
            "Sai mã hồ sơ và sai yếu tố xác nhận trả cùng một lỗi 404. Giới hạn số lần tra "
            "cứu theo địa chỉ máy khách và theo mã hồ sơ (429)."
        ),
        parameters=[
            OpenApiParameter(
                "code",
                OpenApiTypes.STR,
                OpenApiParameter.QUERY,
                required=True,
                description="Mã hồ sơ, ví dụ 000.00.01.H26-260105-0012.",
            ),
            OpenApiParameter(
                "factor",
                OpenApiTypes.STR,
                OpenApiParameter.QUERY,
                required=True,
                description="Bốn số cuối số điện thoại, hoặc mã bí mật tra cứu (6 ký tự).",
            ),
        ],
        responses={
            200: PublicDossierSerializer,
            400: OpenApiResponse(ErrorSerializer, description="Thiếu mã hồ sơ hoặc yếu tố."),
            404: OpenApiResponse(ErrorSerializer, description="Không tìm thấy hồ sơ khớp."),
            429: OpenApiResponse(ErrorSerializer, description="Tra cứu quá nhiều lần."),
        },
    )
    def get(self, request: Request) -> HttpResponse:
        # HEAD comes here through DRF; GET is answered in dispatch, the same way.
        return public_lookup_answer(request._request)

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        # perf: a GET skips DRF's request wrapping, negotiation and rendering
        # (≈ 0.4 ms of a ≈ 1 ms request, bench/public_lookup.py --profile):
        # the answer is JSON whatever the client accepts, in the API's one
        # error shape. Other methods get DRF's 405.
        if request.method == "GET":
            return public_lookup_answer(request)
        return super().dispatch(request, *args, **kwargs)


def _json(body: dict[str, Any], status: int = 200) -> HttpResponse:
    """As DRF's JSONRenderer writes it: compact, UTF-8, never cached by a proxy."""
    response = HttpResponse(
        json.dumps(body, ensure_ascii=False, separators=(",", ":")),
        content_type="application/json",
        status=status,
    )
    response["Cache-Control"] = "private, no-store"
    return response


def _error(error: DomainError) -> HttpResponse:
    return _json(error_body(error.code, error.message, error.params), error.http_status)


def public_lookup_answer(request: HttpRequest) -> HttpResponse:
    """The lookup's answer: 200 with the masked dossier, else 400, 404 or 429."""
    code = request.GET.get("code", "").strip()
    factor = request.GET.get("factor", "").strip()
    wait = lookup_limited(request, code[:60])
    if wait is not None:
        response = _json(
            error_body("throttled", str(MESSAGES["throttled"]) % {"wait": wait}, {"wait": wait}),
            429,
        )
        response["Retry-After"] = str(wait)
        return response
    if not code or not factor or len(code) > 60 or len(factor) > 32:
        return _error(
            ValidationFailed(
                _("Vui lòng nhập mã hồ sơ và bốn số cuối số điện thoại hoặc mã bí mật tra cứu."),
                field="code" if not code or len(code) > 60 else "factor",
            )
        )
    found = dossier_lookup_public(code=code, factor=factor)
    if found is None:
        lookup_failed(code)
        return _error(
            NotFound(
                _("Không tìm thấy hồ sơ khớp với mã hồ sơ và thông tin xác nhận đã nhập."),
                code="dossier_lookup_not_found",
            )
        )
    return _json(public_dossier_data(found))


urlpatterns = [
    path("dossiers/lookup/", PublicLookupView.as_view(), name="public_dossier_lookup"),
]
