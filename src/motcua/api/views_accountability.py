"""Accountability for delay in the API (issue 5): the state, the explanation, the apology slip.

Thin like ``views_dossiers``: find the dossier through the officer's scope,
parse, call one service of :mod:`motcua.dossiers.services_accountability`,
answer with the dossier. A blocked action elsewhere answers 409 with the
gate's code (``explanation_required``, ``apology_required``); the second
re-appointment answers 409 ``reappointment_refused`` after the leader has
been told.
"""

from __future__ import annotations

from typing import Any

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, extend_schema_view, inline_serializer
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response

from motcua.accounts.models import User
from motcua.api.views_dossiers import (
    CODE_PARAMETER,
    FORBIDDEN_READ,
    NOT_FOUND,
    READ_TAG,
    DossierActionView,
    OfficerView,
    _action_schema,
    _actor,
    _dossier,
)
from motcua.dossiers.accountability import dossier_accountability
from motcua.dossiers.models import Dossier
from motcua.dossiers.services_accountability import (
    MAX_EXTENSION_WORKING_DAYS,
    dossier_apologise,
    step_explain,
)


class ExplanationInputSerializer(serializers.Serializer):
    reason = serializers.CharField(
        max_length=4000, help_text=_("Nội dung giải trình vì sao bước xử lý quá hạn.")
    )


class ApologyInputSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=4000, help_text=_("Lý do quá hạn (R12)."))
    extension_days = serializers.IntegerField(
        min_value=1,
        max_value=MAX_EXTENSION_WORKING_DAYS,
        help_text=_(
            "Số ngày làm việc hẹn lại, tính từ ngày hẹn hiện tại (hoặc từ hôm nay nếu đã quá "
            "hạn) theo lịch làm việc của đơn vị."
        ),
    )


FINDING_FIELDS = {
    "code": serializers.CharField(help_text="explanation_required | apology_required"),
    "message": serializers.CharField(),
    "unit": serializers.IntegerField(allow_null=True),
    "step": serializers.IntegerField(allow_null=True),
    "officers": serializers.ListField(child=serializers.IntegerField()),
}
AccountabilitySerializer = inline_serializer(
    name="DossierAccountability",
    fields={
        "state": serializers.ChoiceField(choices=["on_time", "due_soon", "late"]),
        "state_label": serializers.CharField(),
        "blocks": serializers.BooleanField(
            help_text="true: chặn chuyển tiếp; false: đơn vị chỉ cảnh báo"
        ),
        "findings": inline_serializer(
            name="AccountabilityFinding", fields=FINDING_FIELDS, many=True
        ),
        "may_explain": serializers.BooleanField(),
        "may_apologise": serializers.BooleanField(),
        "apology": inline_serializer(
            name="ApologySlipSummary",
            fields={
                "number": serializers.CharField(),
                "unit": serializers.CharField(),
                "signed_by": serializers.CharField(),
                "reason": serializers.CharField(),
                "original_appointment": serializers.DateTimeField(),
                "new_appointment": serializers.DateTimeField(),
            },
            allow_null=True,
        ),
    },
)


def _iso(value: Any) -> str:
    return str(timezone.localtime(value).isoformat())


class DossierAccountabilityView(OfficerView):
    @extend_schema(
        operation_id="dossiers_accountability",
        tags=[READ_TAG],
        summary=_("Tình trạng hạn, giải trình và xin lỗi của hồ sơ"),
        description=_(
            "Trong hạn, sắp đến hạn hoặc quá hạn; điều gì đang chặn chuyển tiếp và ai phải "
            "làm (giải trình của người xử lý, phiếu xin lỗi của trưởng đơn vị làm quá hạn)."
        ),
        parameters=[CODE_PARAMETER],
        responses={200: AccountabilitySerializer, 403: FORBIDDEN_READ, 404: NOT_FOUND},
    )
    def get(self, request: Request, code: str) -> Response:
        dossier = _dossier(request, code)
        view = dossier_accountability(user=_actor(request), dossier=dossier)
        apology = view.apology
        return Response(
            {
                "state": view.state,
                "state_label": view.state_label,
                "blocks": view.blocks,
                "findings": [
                    {
                        "code": finding.code,
                        "message": finding.message,
                        "unit": finding.unit_id,
                        "step": finding.step_id,
                        "officers": list(finding.officer_ids),
                    }
                    for finding in view.findings
                ],
                "may_explain": view.may_explain,
                "may_apologise": view.may_apologise,
                "apology": None
                if apology is None
                else {
                    "number": apology.number,
                    "unit": apology.unit.name,
                    "signed_by": apology.signed_by.full_name,
                    "reason": apology.reason,
                    "original_appointment": _iso(apology.original_appointment),
                    "new_appointment": _iso(apology.new_appointment),
                },
            }
        )


@extend_schema_view(
    **_action_schema(
        action="explanation",
        summary=_("Ghi giải trình bước xử lý quá hạn"),
        description=_(
            "Người được giao bước đang xử lý ghi giải trình khi bước đã quá hạn; sau đó mới "
            "chuyển được bước (explanation_required)."
        ),
        request=ExplanationInputSerializer,
        bad_request="reason; explanation_not_needed: bước chưa quá hạn",
        forbidden="chỉ người được giao bước mới ghi giải trình",
        conflict="explanation_exists: bước đã có giải trình; conflict: không có bước đang xử lý",
    )
)
class ExplanationView(DossierActionView):
    input_class = ExplanationInputSerializer
    action_name = "note"  # any open state: the service checks the rest

    def perform(self, *, dossier: Dossier, data: dict[str, Any], actor: User) -> Dossier:
        step_explain(dossier=dossier, actor=actor, reason=data["reason"])
        return dossier


@extend_schema_view(
    **_action_schema(
        action="apology",
        summary=_("Lập phiếu xin lỗi và hẹn lại ngày trả kết quả (Mẫu 04)"),
        description=_(
            "Trưởng đơn vị làm quá hạn ký (R12); ngày hẹn mới tính theo lịch làm việc; chỉ "
            "hẹn lại một lần (R13): lần thứ hai bị từ chối (reappointment_refused) và được "
            "chuyển lãnh đạo. Hồ sơ vẫn tính là quá hạn trong thống kê (R14)."
        ),
        request=ApologyInputSerializer,
        bad_request="reason, extension_days; apology_not_needed: chưa đến lúc phải xin lỗi",
        forbidden="chỉ trưởng đơn vị làm quá hạn (hoặc lãnh đạo) ký phiếu",
        conflict="reappointment_refused: đã hẹn lại một lần; apology_not_applicable: hồ sơ "
        "không còn đang giải quyết",
    )
)
class ApologyView(DossierActionView):
    input_class = ApologyInputSerializer
    action_name = "note"

    def perform(self, *, dossier: Dossier, data: dict[str, Any], actor: User) -> Dossier:
        dossier_apologise(
            dossier=dossier,
            actor=actor,
            reason=data["reason"],
            extension_days=data["extension_days"],
        )
        return dossier
