"""The catalog API. Thin: parse, authorize, call one service or selector, render.

Public reads are anonymous and throttled; writes need ``catalog.manage``
(administrators), a session and its CSRF token. Every error, domain or
HTTP, leaves in the one shape of :mod:`motcua.api.errors`.
"""

from __future__ import annotations

from typing import Any, cast

from django.http import HttpRequest, JsonResponse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import generics, status
from rest_framework.exceptions import ValidationError
from rest_framework.pagination import PageNumberPagination
from rest_framework.parsers import JSONParser
from rest_framework.permissions import SAFE_METHODS, AllowAny, BasePermission, IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.serializers import Serializer
from rest_framework.throttling import AnonRateThrottle, BaseThrottle
from rest_framework.views import APIView

from motcua.accounts.models import User
from motcua.api.permissions import ManagesCatalog
from motcua.api.serializers import (
    DocumentsInputSerializer,
    ErrorSerializer,
    FieldSerializer,
    MethodsInputSerializer,
    ProcedureCreateSerializer,
    ProcedureDetailSerializer,
    ProcedureListItemSerializer,
    ProcedureSearchParamsSerializer,
    ProcessInputSerializer,
    PublishInputSerializer,
    StaffVersionSerializer,
    VersionFieldsSerializer,
    VersionSummarySerializer,
    WithdrawInputSerializer,
)
from motcua.catalog.models import Procedure, ProcedureVersion
from motcua.catalog.parsing import is_valid_code
from motcua.catalog.selectors import (
    ProcedureFindResults,
    procedure_draft_get,
    procedure_fields,
    procedure_find,
    procedure_get,
    procedure_get_public,
    procedure_listing_unit_get,
    procedure_version_get,
    procedure_versions_published,
)
from motcua.catalog.services import (
    procedure_create,
    procedure_mark_reviewed,
    procedure_version_prepare,
    procedure_version_publish,
    procedure_version_set_documents,
    procedure_version_set_methods,
    procedure_version_set_process,
    procedure_version_update,
    procedure_version_withdraw,
)
from motcua.core.exceptions import NotFound

PUBLIC_TAG = "Thủ tục hành chính (công khai)"
MANAGE_TAG = "Quản lý danh mục thủ tục"


class PublicReadThrottle(AnonRateThrottle):
    """Anonymous reads: 120 a minute per address.

    Counted in the default cache: per process with the local-memory cache,
    shared by every process when REDIS_URL is set.
    """

    scope = "anon_catalog"
    rate = "120/min"


class CatalogPagination(PageNumberPagination):
    page_size = 20
    page_size_query_param = "page_size"
    max_page_size = 100
    page_query_description = _("Số trang, bắt đầu từ 1.")
    page_size_query_description = _("Số thủ tục mỗi trang (mặc định 20, tối đa 100).")
    # DRF fills this in with str.format.
    invalid_page_message = _("Không có trang {page_number}.")

    def get_page_size(self, request: Request) -> int:
        """The page size asked for; out of range or not a number is a 400, not ignored."""
        raw = request.query_params.get(self.page_size_query_param)
        if raw is None:
            return self.page_size
        size = int(raw) if raw.isascii() and raw.isdigit() and len(raw) < 6 else 0
        if not 1 <= size <= self.max_page_size:
            raise ValidationError(
                {
                    self.page_size_query_param: [
                        gettext("Số thủ tục mỗi trang phải từ 1 đến %(max)s.")
                        % {"max": self.max_page_size}
                    ]
                }
            )
        return size

    def get_page_number(self, request: Request, paginator: Any) -> Any:
        """The page asked for; an empty or malformed one is a 404, not the first page."""
        return request.query_params.get(self.page_query_param, 1)

    def get_schema_operation_parameters(self, view: APIView) -> list[dict[str, Any]]:
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            if parameter["name"] == self.page_query_param:
                parameter["schema"]["minimum"] = 1
            elif parameter["name"] == self.page_size_query_param:
                parameter["schema"].update({"minimum": 1, "maximum": self.max_page_size})
        return parameters


def _error(description: str) -> OpenApiResponse:
    return OpenApiResponse(ErrorSerializer, description=description)


PUBLIC_ERRORS = {
    429: _error("Gửi quá nhiều yêu cầu; thử lại sau ít phút."),
}
MANAGE_ERRORS = {
    400: _error("Dữ liệu không hợp lệ hoặc trái quy định (params nêu trường, bước)."),
    403: _error("Chưa đăng nhập, thiếu mã CSRF, hoặc không có quyền quản lý danh mục thủ tục."),
    404: _error("Không có thủ tục, phiên bản hoặc bản đang soạn như đã nêu."),
    409: _error("Trạng thái đã thay đổi: ví dụ phiên bản đã công bố thì không sửa được."),
}


def _validated(serializer_class: type[Serializer], request: Request) -> Any:
    serializer = serializer_class(data=request.data)
    serializer.is_valid(raise_exception=True)
    return serializer


def _actor(request: Request) -> User:
    return cast(User, request.user)


def _code(code: str) -> str:
    """The code from the path; one no procedure can have (say with NUL) is simply not found."""
    if not is_valid_code(code):
        raise NotFound(
            gettext("Không tìm thấy thủ tục hành chính có mã %(code)s.") % {"code": code}
        )
    return code


def _staff_view(version: ProcedureVersion) -> dict[str, Any]:
    """A version with everything it holds, as the managers see it."""
    full = procedure_version_get(
        procedure=version.procedure, number=version.number, with_children=True
    )
    return cast(dict[str, Any], StaffVersionSerializer(full).data)


class PublicView(APIView):
    permission_classes = [AllowAny]
    throttle_classes = [PublicReadThrottle]


class ManageView(APIView):
    permission_classes = [IsAuthenticated, ManagesCatalog]
    throttle_classes: list[type[BaseThrottle]] = []
    parser_classes = [JSONParser]


# --- public reads -------------------------------------------------------------------


class ProcedureListView(generics.ListAPIView):
    """``GET`` the public list and search; ``POST`` a new procedure (managers)."""

    serializer_class = ProcedureListItemSerializer
    pagination_class = CatalogPagination
    parser_classes = [JSONParser]

    def get_permissions(self) -> list[BasePermission]:
        if self.request.method in SAFE_METHODS:
            return [AllowAny()]
        return [IsAuthenticated(), ManagesCatalog()]

    def get_throttles(self) -> list[BaseThrottle]:
        return [PublicReadThrottle()] if self.request.method in SAFE_METHODS else []

    def get_queryset(self) -> ProcedureFindResults:  # type: ignore[override]
        params = ProcedureSearchParamsSerializer(data=self.request.query_params)
        params.is_valid(raise_exception=True)
        data = params.validated_data
        unit = None
        if data.get("unit"):
            try:
                unit = procedure_listing_unit_get(key=data["unit"])
            except NotFound:
                return ProcedureFindResults(Procedure.objects.none(), [])
        return procedure_find(
            query=data.get("q", ""),
            field=data.get("field", ""),
            level=data.get("level", ""),
            unit=unit,
            online_level=data.get("online_level", ""),
        )

    @extend_schema(
        operation_id="procedures_list",
        tags=[PUBLIC_TAG],
        summary=_("Tìm thủ tục hành chính"),
        description=_(
            "Danh sách thủ tục đang công khai, 20 thủ tục một trang. Tìm không cần dấu "
            "(dang ky khai sinh), theo mã (1.001193) hoặc bằng lời thường (sổ đỏ, cưới vợ "
            "cần giấy tờ gì): kết quả khớp từ khóa đứng trước (match = text), sau đó là các "
            "gợi ý theo nghĩa (match = semantic) khi khớp từ khóa ít hoặc câu hỏi là lời thường."
        ),
        parameters=[ProcedureSearchParamsSerializer],
        responses={
            200: ProcedureListItemSerializer(many=True),
            400: _error("Tham số tìm kiếm không hợp lệ (ví dụ quá dài, mức độ không có)."),
            404: _error("Số trang không hợp lệ."),
            **PUBLIC_ERRORS,
        },
    )
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)

    @extend_schema(
        operation_id="procedures_create",
        tags=[MANAGE_TAG],
        summary=_("Tạo thủ tục mới"),
        description=_(
            "Tạo thủ tục với phiên bản 1 ở trạng thái đang soạn. Chỉ quản trị danh mục "
            "(catalog.manage)."
        ),
        request=ProcedureCreateSerializer,
        responses={201: StaffVersionSerializer, **MANAGE_ERRORS},
    )
    def post(self, request: Request) -> Response:
        data = dict(_validated(ProcedureCreateSerializer, request).validated_data)
        procedure = procedure_create(
            actor=_actor(request), code=data.pop("code"), name=data.pop("name"), **data
        )
        draft = procedure_draft_get(procedure=procedure)
        return Response(_staff_view(draft), status=status.HTTP_201_CREATED)


class ProcedureDetailView(PublicView):
    @extend_schema(
        operation_id="procedures_retrieve",
        tags=[PUBLIC_TAG],
        summary=_("Chi tiết thủ tục (phiên bản đang có hiệu lực)"),
        description=_(
            "Hình thức nộp với thời hạn và phí, lệ phí (đồng), thành phần hồ sơ, kết quả, "
            "căn cứ pháp lý và các bước của quy trình nội bộ."
        ),
        responses={
            200: ProcedureDetailSerializer,
            404: _error("Không có thủ tục đang công khai với mã này."),
            **PUBLIC_ERRORS,
        },
    )
    def get(self, request: Request, code: str) -> Response:
        procedure, version = procedure_get_public(code=_code(code))
        full = procedure_version_get(
            procedure=procedure, number=version.number, with_children=True
        )
        return Response(ProcedureDetailSerializer(full).data)


class ProcedureVersionsView(PublicView):
    @extend_schema(
        operation_id="procedures_versions_list",
        tags=[PUBLIC_TAG],
        summary=_("Lịch sử các phiên bản đã công bố"),
        description=_("Mới nhất trước; gồm cả phiên bản đã ngừng hiệu lực, không gồm bản soạn."),
        responses={
            200: VersionSummarySerializer(many=True),
            404: _error("Không có thủ tục đang công khai với mã này."),
            **PUBLIC_ERRORS,
        },
    )
    def get(self, request: Request, code: str) -> Response:
        procedure, _version = procedure_get_public(code=_code(code))
        versions = procedure_versions_published(procedure=procedure)
        return Response(VersionSummarySerializer(versions, many=True).data)


class FieldListView(PublicView):
    @extend_schema(
        operation_id="fields_list",
        tags=[PUBLIC_TAG],
        summary=_("Các lĩnh vực có thủ tục đang công khai"),
        responses={200: FieldSerializer(many=True), **PUBLIC_ERRORS},
    )
    def get(self, request: Request) -> Response:
        fields = [{"name": name} for name in procedure_fields()]
        return Response(FieldSerializer(fields, many=True).data)


# --- writes (catalog managers) -----------------------------------------------------


def _draft_of(code: str) -> ProcedureVersion:
    return procedure_draft_get(procedure=procedure_get(code=_code(code)))


def _version_of(code: str, number: int) -> ProcedureVersion:
    return procedure_version_get(procedure=procedure_get(code=_code(code)), number=number)


class DraftView(ManageView):
    @extend_schema(
        operation_id="procedures_draft_retrieve",
        tags=[MANAGE_TAG],
        summary=_("Xem bản đang soạn"),
        responses={200: StaffVersionSerializer, **MANAGE_ERRORS},
    )
    def get(self, request: Request, code: str) -> Response:
        return Response(_staff_view(_draft_of(code)))

    @extend_schema(
        operation_id="procedures_draft_prepare",
        tags=[MANAGE_TAG],
        summary=_("Soạn phiên bản mới"),
        description=_(
            "Sao chép phiên bản mới nhất thành bản đang soạn; phiên bản đang có hiệu lực vẫn "
            "giữ nguyên đến khi bản mới được công bố. Nếu đã có bản đang soạn thì trả về bản đó."
        ),
        request=None,
        responses={200: StaffVersionSerializer, **MANAGE_ERRORS},
    )
    def post(self, request: Request, code: str) -> Response:
        draft = procedure_version_prepare(
            procedure=procedure_get(code=_code(code)), actor=_actor(request)
        )
        return Response(_staff_view(draft))

    @extend_schema(
        operation_id="procedures_draft_update",
        tags=[MANAGE_TAG],
        summary=_("Sửa thông tin bản đang soạn"),
        description=_("Chỉ gửi các trường cần đổi."),
        request=VersionFieldsSerializer,
        responses={200: StaffVersionSerializer, **MANAGE_ERRORS},
    )
    def patch(self, request: Request, code: str) -> Response:
        data = _validated(VersionFieldsSerializer, request).validated_data
        draft = procedure_version_update(version=_draft_of(code), actor=_actor(request), **data)
        return Response(_staff_view(draft))


class DraftMethodsView(ManageView):
    @extend_schema(
        operation_id="procedures_draft_methods_set",
        tags=[MANAGE_TAG],
        summary=_("Đặt hình thức nộp, thời hạn và phí, lệ phí"),
        request=MethodsInputSerializer,
        responses={200: StaffVersionSerializer, **MANAGE_ERRORS},
    )
    def put(self, request: Request, code: str) -> Response:
        methods = _validated(MethodsInputSerializer, request).to_specs()
        draft = procedure_version_set_methods(
            version=_draft_of(code), actor=_actor(request), methods=methods
        )
        return Response(_staff_view(draft))


class DraftDocumentsView(ManageView):
    @extend_schema(
        operation_id="procedures_draft_documents_set",
        tags=[MANAGE_TAG],
        summary=_("Đặt thành phần hồ sơ"),
        request=DocumentsInputSerializer,
        responses={200: StaffVersionSerializer, **MANAGE_ERRORS},
    )
    def put(self, request: Request, code: str) -> Response:
        documents = _validated(DocumentsInputSerializer, request).to_rows()
        draft = procedure_version_set_documents(
            version=_draft_of(code), actor=_actor(request), documents=documents
        )
        return Response(_staff_view(draft))


class DraftProcessView(ManageView):
    @extend_schema(
        operation_id="procedures_draft_process_set",
        tags=[MANAGE_TAG],
        summary=_("Đặt quy trình nội bộ"),
        description=_(
            "Các bước theo thứ tự với thời gian của từng bước; tổng phải đúng bằng thời hạn "
            "giải quyết. Lỗi nêu bước làm vượt hoặc còn thiếu (params.step)."
        ),
        request=ProcessInputSerializer,
        responses={200: StaffVersionSerializer, **MANAGE_ERRORS},
    )
    def put(self, request: Request, code: str) -> Response:
        steps = _validated(ProcessInputSerializer, request).to_specs()
        draft = procedure_version_set_process(
            version=_draft_of(code), actor=_actor(request), steps=steps
        )
        return Response(_staff_view(draft))


class DraftPublishView(ManageView):
    @extend_schema(
        operation_id="procedures_draft_publish",
        tags=[MANAGE_TAG],
        summary=_("Công bố bản đang soạn"),
        description=_(
            "Bản đang soạn có hiệu lực từ ngày đã nêu; đến ngày đó phiên bản hiện hành vẫn áp "
            "dụng. Hồ sơ đã tiếp nhận giữ phiên bản cũ."
        ),
        request=PublishInputSerializer,
        responses={200: StaffVersionSerializer, **MANAGE_ERRORS},
    )
    def post(self, request: Request, code: str) -> Response:
        data = _validated(PublishInputSerializer, request).validated_data
        version = procedure_version_publish(
            version=_draft_of(code),
            actor=_actor(request),
            effective_from=data["effective_from"],
        )
        return Response(_staff_view(version))


class VersionWithdrawView(ManageView):
    @extend_schema(
        operation_id="procedures_version_withdraw",
        tags=[MANAGE_TAG],
        summary=_("Ngừng công khai một phiên bản"),
        description=_("Ví dụ thủ tục bị bãi bỏ: phiên bản ngừng hiệu lực từ ngày đã nêu."),
        request=WithdrawInputSerializer,
        responses={200: StaffVersionSerializer, **MANAGE_ERRORS},
    )
    def post(self, request: Request, code: str, number: int) -> Response:
        data = _validated(WithdrawInputSerializer, request).validated_data
        version = procedure_version_withdraw(
            version=_version_of(code, number),
            actor=_actor(request),
            withdrawn_on=data["withdrawn_on"],
            reason=data["reason"],
        )
        return Response(_staff_view(version))


class VersionReviewedView(ManageView):
    @extend_schema(
        operation_id="procedures_version_mark_reviewed",
        tags=[MANAGE_TAG],
        summary=_("Xác nhận đã rà soát"),
        description=_("Cán bộ đã kiểm tra những điểm mà việc nhập dữ liệu chưa đọc chắc chắn."),
        request=None,
        responses={200: StaffVersionSerializer, **MANAGE_ERRORS},
    )
    def post(self, request: Request, code: str, number: int) -> Response:
        version = procedure_mark_reviewed(version=_version_of(code, number), actor=_actor(request))
        return Response(_staff_view(version))


def not_found(request: HttpRequest, *args: Any, **kwargs: Any) -> JsonResponse:
    """Any other address under /api/: 404 in the error shape rather than an HTML page."""
    message = gettext("Không có địa chỉ %(path)s trong API.") % {"path": request.path}
    return JsonResponse(
        {"error": {"code": "not_found", "message": message, "params": {}}}, status=404
    )
