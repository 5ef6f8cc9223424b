"""Shapes of the API: input parsing and output rendering only, no business rules.

Input serializers check types, lengths and choices and hand plain values to
one service; the rules (a draft only, shares that add up, non-negative
fees…) stay in :mod:`motcua.catalog.services` and come back as domain errors.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from motcua.accounts.constants import Role, UnitKind
from motcua.catalog.constants import (
    CareLetter,
    Channel,
    FeeKind,
    OnlineLevel,
    ShareUnit,
    TimeUnit,
)
from motcua.catalog.models import (
    LegalBasis,
    Procedure,
    ProcedureFee,
    ProcedureMethod,
    ProcedureResult,
    ProcedureVersion,
    ProcessStep,
    RequiredDocument,
)
from motcua.catalog.process import StepSpec
from motcua.catalog.selectors import (
    method_period,
    period_label,
    version_period,
)
from motcua.catalog.services import MethodSpec

# Largest amount accepted for a fee: far above any real fee, far below the
# 64-bit column limit, so that no input overflows the database.
MAX_FEE_VND = 10**15
SEARCH_MATCHES = (
    ("text", _("Khớp theo tên, lĩnh vực hoặc mã")),
    ("semantic", _("Gợi ý theo nghĩa (ngôn ngữ đời thường)")),
)


def _levels(levels_text: str) -> list[str]:
    return [level for level in levels_text.split("|") if level]


# --- errors -------------------------------------------------------------------


class ErrorBodySerializer(serializers.Serializer):
    code = serializers.CharField(help_text=_("Mã lỗi ổn định, ví dụ not_found, conflict."))
    message = serializers.CharField(help_text=_("Thông báo cho người dùng, bằng tiếng Việt."))
    params = serializers.DictField(
        help_text=_("Chi tiết: trường lỗi (field), bước quy trình (step), lỗi từng trường…")
    )


class ErrorSerializer(serializers.Serializer):
    """The one error shape of the API."""

    error = ErrorBodySerializer()


# --- public reads -----------------------------------------------------------------


class FieldSerializer(serializers.Serializer):
    name = serializers.CharField(help_text=_("Tên lĩnh vực, ví dụ Hộ tịch."))


class SearchTextField(serializers.CharField):
    """Text of the query string; NUL characters, which no name contains, are dropped."""

    def run_validation(self, data: Any = serializers.empty) -> Any:
        if isinstance(data, str):
            data = data.replace("\x00", "")
        return super().run_validation(data)


class ProcedureSearchParamsSerializer(serializers.Serializer):
    """Query string of the procedure list."""

    q = SearchTextField(
        required=False,
        allow_blank=True,
        max_length=200,
        help_text=_(
            "Từ khóa, không cần dấu (dang ky khai sinh), mã thủ tục (1.001193) hoặc câu hỏi "
            "đời thường (cưới vợ cần giấy tờ gì)."
        ),
    )
    field = SearchTextField(
        required=False, allow_blank=True, max_length=255, help_text=_("Lĩnh vực, đúng tên.")
    )
    level = SearchTextField(
        required=False,
        allow_blank=True,
        max_length=50,
        help_text=_("Cấp thực hiện, ví dụ Cấp xã, Cấp tỉnh."),
    )
    unit = SearchTextField(
        required=False,
        allow_blank=True,
        max_length=40,
        help_text=_(
            "Mã đơn vị công khai thủ tục (đang có hiệu lực), ví dụ 00145; mã không có thì "
            "danh sách rỗng."
        ),
    )
    online_level = serializers.ChoiceField(
        choices=OnlineLevel.choices,
        required=False,
        allow_blank=True,
        help_text=_("Mức độ dịch vụ công trực tuyến; bỏ trống là mọi mức."),
    )


class ProcedureListItemSerializer(serializers.ModelSerializer):
    levels = serializers.SerializerMethodField(help_text=_("Cấp thực hiện."))
    online_level_label = serializers.CharField(source="get_online_level_display")
    match = serializers.SerializerMethodField(
        help_text=_(
            "text: khớp từ khóa; semantic: gợi ý theo nghĩa khi người dùng hỏi bằng "
            "ngôn ngữ đời thường."
        )
    )

    class Meta:
        model = Procedure
        fields = ["code", "name", "field", "levels", "online_level", "online_level_label", "match"]

    def get_levels(self, procedure: Procedure) -> list[str]:
        return _levels(procedure.levels_text)

    @extend_schema_field(serializers.ChoiceField(choices=SEARCH_MATCHES))
    def get_match(self, procedure: Procedure) -> str:
        return str(getattr(procedure, "search_match", "text"))


class FeeSerializer(serializers.ModelSerializer):
    kind_label = serializers.CharField(source="get_kind_display")
    amount = serializers.IntegerField(
        allow_null=True, help_text=_("Mức thu, đồng (số nguyên); null khi chưa rõ.")
    )

    class Meta:
        model = ProcedureFee
        fields = ["kind", "kind_label", "amount", "free", "set_by_council", "description"]


class MethodSerializer(serializers.ModelSerializer):
    channel_label = serializers.CharField(source="get_channel_display")
    time_value = serializers.DecimalField(
        max_digits=7,
        decimal_places=2,
        coerce_to_string=False,
        normalize_output=True,
        allow_null=True,
        help_text=_("Thời hạn giải quyết (số)."),
    )
    time_unit_label = serializers.CharField(source="get_time_unit_display")
    time_label = serializers.SerializerMethodField(
        help_text=_("Thời hạn cho người đọc, ví dụ 7 ngày làm việc.")
    )
    fees = FeeSerializer(many=True)

    class Meta:
        model = ProcedureMethod
        fields = [
            "channel",
            "channel_label",
            "time_value",
            "time_unit",
            "time_unit_label",
            "time_label",
            "time_text",
            "description",
            "fees",
        ]

    def get_time_label(self, method: ProcedureMethod) -> str:
        return period_label(method_period(method))


class DocumentSerializer(serializers.ModelSerializer):
    class Meta:
        model = RequiredDocument
        fields = [
            "position",
            "case",
            "name",
            "originals",
            "copies",
            "certified_copies",
            "template",
            "required",
            "reusable_from_data",
        ]


class ResultSerializer(serializers.ModelSerializer):
    class Meta:
        model = ProcedureResult
        fields = ["position", "name", "code"]


class LegalBasisSerializer(serializers.ModelSerializer):
    class Meta:
        model = LegalBasis
        fields = ["position", "code", "title"]


class ProcessStepSerializer(serializers.ModelSerializer):
    share_value = serializers.DecimalField(
        max_digits=6, decimal_places=2, coerce_to_string=False, normalize_output=True
    )
    share_unit_label = serializers.CharField(source="get_share_unit_display")
    responsible_unit_kind_label = serializers.CharField(source="get_responsible_unit_kind_display")
    responsible_role_label = serializers.CharField(source="get_responsible_role_display")

    class Meta:
        model = ProcessStep
        fields = [
            "position",
            "name",
            "responsible_unit_kind",
            "responsible_unit_kind_label",
            "responsible_role",
            "responsible_role_label",
            "share_value",
            "share_unit",
            "share_unit_label",
            "runs_in_other_agency",
            "agency_name",
            "is_signing",
        ]


class ProcedureDetailSerializer(serializers.ModelSerializer):
    """A procedure as its version in force says (public)."""

    code = serializers.CharField(source="procedure.code")
    version = serializers.IntegerField(source="number", help_text=_("Số phiên bản."))
    online_level_label = serializers.CharField(source="get_online_level_display")
    time_limit_label = serializers.SerializerMethodField(
        help_text=_("Thời hạn giải quyết theo hình thức nộp trực tiếp (hoặc hình thức đầu tiên).")
    )
    methods = MethodSerializer(many=True)
    documents = DocumentSerializer(many=True)
    results = ResultSerializer(many=True)
    legal_basis = LegalBasisSerializer(many=True)
    process_steps = ProcessStepSerializer(many=True)

    class Meta:
        model = ProcedureVersion
        fields = [
            "code",
            "version",
            "name",
            "field",
            "levels",
            "procedure_type",
            "effective_from",
            "decision_number",
            "decision_date",
            "applicants",
            "competent_authority",
            "implementing_agency",
            "authorized_agency",
            "coordinating_agency",
            "submission_address",
            "related_procedures",
            "steps_text",
            "conditions",
            "result_document_required",
            "online_level",
            "online_level_label",
            "is_inter_agency",
            "time_limit_label",
            "methods",
            "documents",
            "results",
            "legal_basis",
            "process_steps",
        ]

    def get_time_limit_label(self, version: ProcedureVersion) -> str:
        return period_label(version_period(version=version))

    def build_field(self, field_name: str, info: Any, model_class: Any, nested_depth: int) -> Any:
        if field_name == "levels":
            return serializers.ListField, {
                "child": serializers.CharField(),
                "help_text": _("Cấp thực hiện."),
            }
        return super().build_field(field_name, info, model_class, nested_depth)


class VersionSummarySerializer(serializers.ModelSerializer):
    """One entry of a procedure's published history."""

    version = serializers.IntegerField(source="number")
    status_label = serializers.CharField(source="get_status_display")

    class Meta:
        model = ProcedureVersion
        fields = [
            "version",
            "status",
            "status_label",
            "name",
            "effective_from",
            "withdrawn_on",
            "withdrawn_reason",
            "published_at",
            "decision_number",
            "decision_date",
            "change_note",
        ]


class StaffVersionSerializer(ProcedureDetailSerializer):
    """A version as the catalog managers see it: status, review points, history fields."""

    status_label = serializers.CharField(source="get_status_display")

    class Meta(ProcedureDetailSerializer.Meta):
        fields = [
            *ProcedureDetailSerializer.Meta.fields,
            "status",
            "status_label",
            "needs_review",
            "review_reasons",
            "change_note",
            "care_letter",
            "withdrawn_on",
            "withdrawn_reason",
            "published_at",
            "source",
        ]

    def build_field(self, field_name: str, info: Any, model_class: Any, nested_depth: int) -> Any:
        if field_name == "review_reasons":
            return serializers.ListField, {
                "child": serializers.CharField(),
                "help_text": _("Những điểm cần cán bộ rà soát."),
            }
        return super().build_field(field_name, info, model_class, nested_depth)


# --- writes -------------------------------------------------------------------------


class VersionFieldsSerializer(serializers.Serializer):
    """The editable fields of a draft; every one optional (send only what changes)."""

    name = serializers.CharField(required=False, max_length=1000)
    field = serializers.CharField(required=False, allow_blank=True, max_length=255)
    levels = serializers.ListField(
        child=serializers.CharField(max_length=50),
        required=False,
        max_length=10,
        help_text=_('Cấp thực hiện, ví dụ ["Cấp xã"].'),
    )
    procedure_type = serializers.CharField(required=False, allow_blank=True, max_length=255)
    decision_number = serializers.CharField(required=False, allow_blank=True, max_length=255)
    decision_date = serializers.DateField(required=False, allow_null=True)
    applicants = serializers.CharField(required=False, allow_blank=True, max_length=5000)
    competent_authority = serializers.CharField(required=False, allow_blank=True, max_length=5000)
    implementing_agency = serializers.CharField(required=False, allow_blank=True, max_length=5000)
    authorized_agency = serializers.CharField(required=False, allow_blank=True, max_length=5000)
    coordinating_agency = serializers.CharField(required=False, allow_blank=True, max_length=5000)
    submission_address = serializers.CharField(required=False, allow_blank=True, max_length=5000)
    related_procedures = serializers.CharField(required=False, allow_blank=True, max_length=5000)
    steps_text = serializers.CharField(required=False, allow_blank=True, max_length=50000)
    conditions = serializers.CharField(required=False, allow_blank=True, max_length=50000)
    result_document_required = serializers.BooleanField(required=False)
    online_level = serializers.ChoiceField(choices=OnlineLevel.choices, required=False)
    is_inter_agency = serializers.BooleanField(required=False)
    care_letter = serializers.ChoiceField(choices=CareLetter.choices, required=False)
    change_note = serializers.CharField(required=False, allow_blank=True, max_length=5000)


class ProcedureCreateSerializer(VersionFieldsSerializer):
    code = serializers.CharField(max_length=40, help_text=_("Mã thủ tục, ví dụ 1.001193."))
    name = serializers.CharField(max_length=1000, help_text=_("Tên thủ tục."))


class FeeInputSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=FeeKind.choices, default=FeeKind.UNKNOWN)
    amount = serializers.IntegerField(
        allow_null=True,
        required=False,
        min_value=-MAX_FEE_VND,
        max_value=MAX_FEE_VND,
        help_text=_("Mức thu, đồng; bỏ trống khi chưa rõ."),
    )
    free = serializers.BooleanField(default=False)
    set_by_council = serializers.BooleanField(default=False)
    description = serializers.CharField(required=False, allow_blank=True, max_length=5000)


class MethodInputSerializer(serializers.Serializer):
    channel = serializers.ChoiceField(choices=Channel.choices)
    time_value = serializers.DecimalField(
        max_digits=7, decimal_places=2, allow_null=True, min_value=Decimal(0)
    )
    time_unit = serializers.ChoiceField(choices=TimeUnit.choices, allow_blank=True)
    time_text = serializers.CharField(required=False, allow_blank=True, max_length=2000)
    description = serializers.CharField(required=False, allow_blank=True, max_length=5000)
    fees = FeeInputSerializer(many=True, required=False, max_length=20)


class MethodsInputSerializer(serializers.Serializer):
    methods = MethodInputSerializer(many=True, max_length=len(Channel.choices))

    def to_specs(self) -> list[MethodSpec]:
        return [
            MethodSpec(
                channel=method["channel"],
                time_value=method["time_value"],
                time_unit=method["time_unit"],
                time_text=method.get("time_text", ""),
                description=method.get("description", ""),
                fees=[dict(fee) for fee in method.get("fees", [])],
            )
            for method in self.validated_data["methods"]
        ]


class DocumentInputSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=5000, allow_blank=True)
    case = serializers.CharField(required=False, allow_blank=True, max_length=1000)
    originals = serializers.IntegerField(default=0, min_value=0, max_value=100)
    copies = serializers.IntegerField(default=0, min_value=0, max_value=100)
    certified_copies = serializers.IntegerField(default=0, min_value=0, max_value=100)
    template = serializers.CharField(required=False, allow_blank=True, max_length=500)
    required = serializers.BooleanField(default=True)
    reusable_from_data = serializers.BooleanField(default=False)


class DocumentsInputSerializer(serializers.Serializer):
    documents = DocumentInputSerializer(many=True, max_length=200)

    def to_rows(self) -> list[dict[str, Any]]:
        return [dict(document) for document in self.validated_data["documents"]]


class StepInputSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=255, allow_blank=True)
    share_value = serializers.DecimalField(max_digits=6, decimal_places=2)
    share_unit = serializers.ChoiceField(choices=ShareUnit.choices, default=ShareUnit.WORKING_DAYS)
    responsible_unit_kind = serializers.ChoiceField(
        choices=UnitKind.choices, allow_blank=True, default=""
    )
    responsible_role = serializers.ChoiceField(choices=Role.choices, allow_blank=True, default="")
    runs_in_other_agency = serializers.BooleanField(default=False)
    agency_name = serializers.CharField(required=False, allow_blank=True, max_length=255)
    is_signing = serializers.BooleanField(default=False)


class ProcessInputSerializer(serializers.Serializer):
    steps = StepInputSerializer(many=True, max_length=50)

    def to_specs(self) -> list[StepSpec]:
        return [
            StepSpec(
                name=step["name"],
                share_value=step["share_value"],
                share_unit=step["share_unit"],
                responsible_unit_kind=step["responsible_unit_kind"],
                responsible_role=step["responsible_role"],
                runs_in_other_agency=step["runs_in_other_agency"],
                agency_name=step.get("agency_name", ""),
                is_signing=step["is_signing"],
            )
            for step in self.validated_data["steps"]
        ]


class PublishInputSerializer(serializers.Serializer):
    effective_from = serializers.DateField(help_text=_("Ngày phiên bản bắt đầu có hiệu lực."))


class WithdrawInputSerializer(serializers.Serializer):
    withdrawn_on = serializers.DateField(help_text=_("Ngày ngừng hiệu lực."))
    reason = serializers.CharField(
        max_length=5000, allow_blank=True, help_text=_("Lý do ngừng công khai.")
    )
