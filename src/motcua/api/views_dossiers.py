"""The dossier API. Thin: parse, authorize, call one service or selector, render.

Officers use their session (and its CSRF token for writes). Every read goes
through the officer's scope in :mod:`motcua.dossiers.selectors`, so a
dossier that does not exist and one that is not yours give the same 404;
every action calls one service of :mod:`motcua.dossiers.services` with
``actor=request.user``, which checks the transition and the permission, and
answers with the dossier as it now stands. The online submission is open to
anyone, throttled, for the portal. Every error leaves in the one shape of
:mod:`motcua.api.errors`.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, ClassVar, cast

from django.db.models import Q, QuerySet
from django.utils.functional import Promise
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_view,
)
from rest_framework import generics, status
from rest_framework.exceptions import ValidationError
from rest_framework.parsers import JSONParser
from rest_framework.permissions import AllowAny, BasePermission, IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.serializers import Serializer
from rest_framework.throttling import BaseThrottle, SimpleRateThrottle
from rest_framework.views import APIView

from motcua.accounts.models import Officer, User
from motcua.api import representations
from motcua.api import serializers_dossiers as s
from motcua.api.idempotency import HEADER, KEY_PATTERN, idempotency_key
from motcua.api.inputs import validated_input
from motcua.api.serializers import ErrorSerializer
from motcua.api.views import CatalogPagination
from motcua.catalog.models import Procedure
from motcua.core.exceptions import NotFound, PermissionDenied, ValidationFailed
from motcua.core.formatting import number_vi
from motcua.core.pagination import BoundedCountPaginator
from motcua.dossiers.constants import Status as DossierStatus
from motcua.dossiers.models import (
    Dossier,
    DossierStep,
)
from motcua.dossiers.selectors import (
    dossier_control_slip,
    dossier_get_for_officer,
    dossier_inbox_pages,
    dossier_load_details,
    dossier_search,
    dossier_timeline,
    dossier_unit_work,
)
from motcua.dossiers.services import (
    ResultDocument,
    dossier_accept_online,
    dossier_ask_to_complete,
    dossier_assign,
    dossier_handover,
    dossier_note,
    dossier_receive_back,
    dossier_receive_named,
    dossier_receive_supplement,
    dossier_refuse,
    dossier_refuse_intake,
    dossier_request_supplement,
    dossier_result_ready,
    dossier_return_result,
    dossier_send_back,
    dossier_stop,
    dossier_submit_online,
    dossier_transfer,
    intake_procedure,
    intake_unit,
)
from motcua.dossiers.workflow import NEW, target_status
from motcua.workcalendar.engine import TZ

READ_TAG = "Hồ sơ: tra cứu và việc cần làm (cán bộ)"
INTAKE_TAG = "Hồ sơ: tiếp nhận"
PROCESS_TAG = "Hồ sơ: xử lý, trả kết quả"
ONLINE_TAG = "Hồ sơ: nộp trực tuyến (Cổng dịch vụ công)"
# Longer than any code or reference: a longer path segment is not looked up.
MAX_KEY = 60


# --- access, throttling, paging ----------------------------------------------------


class IsOfficer(BasePermission):
    """Officers and superusers; a citizen's account gets 403 in the error shape."""

    def has_permission(self, request: Request, view: APIView) -> bool:
        user = request.user
        if getattr(user, "is_superuser", False) or getattr(user, "is_officer", False):
            return True
        raise PermissionDenied(gettext("Chức năng này chỉ dành cho cán bộ, công chức."))


class OnlineSubmissionThrottle(SimpleRateThrottle):
    """Online submissions: 10 a minute per signed-in user, else per address.

    Counted in the default cache, like the catalog's public throttle.
    """

    scope = "online_submission"
    rate = "10/min"

    def get_cache_key(self, request: Request, view: APIView) -> str:
        user = request.user
        ident = f"u{user.pk}" if user.is_authenticated else self.get_ident(request)
        return self.cache_format % {"scope": self.scope, "ident": ident}


class DossierPagination(CatalogPagination):
    page_size_query_description = _("Số dòng mỗi trang (mặc định 20, tối đa 100).")

    def get_page_size(self, request: Request) -> int:
        """As the catalog's, with a message about rows rather than procedures."""
        raw = request.query_params.get(self.page_size_query_param)
        if raw is None:
            return self.page_size
        size = int(raw) if raw.isascii() and raw.isdigit() and len(raw) < 6 else 0
        if not 1 <= size <= self.max_page_size:
            raise ValidationError(
                {
                    self.page_size_query_param: [
                        gettext("Số dòng mỗi trang phải từ 1 đến %(max)s.")
                        % {"max": self.max_page_size}
                    ]
                }
            )
        return size


class DossierSearchPagination(DossierPagination):
    """Dossier lists: counted only up to 1,000 rows within 300 ms (``core.pagination``)."""

    django_paginator_class = BoundedCountPaginator

    def get_paginated_response(self, data: Any) -> Response:
        response = super().get_paginated_response(data)
        response.data["count_exact"] = self.page.paginator.count_exact
        return response

    def get_paginated_response_schema(self, schema: dict[str, Any]) -> dict[str, Any]:
        paginated = super().get_paginated_response_schema(schema)
        limit = {"limit": number_vi(BoundedCountPaginator.count_limit)}
        paginated["required"] = [*paginated["required"], "count_exact"]
        paginated["properties"]["count"]["description"] = (
            gettext(
                "Số hồ sơ phù hợp khi count_exact là true; nếu không, số hồ sơ được đưa ra "
                "theo trang (%(limit)s)."
            )
            % limit
        )
        paginated["properties"]["count_exact"] = {
            "type": "boolean",
            "description": gettext(
                "false: có hơn %(limit)s hồ sơ phù hợp, hoặc không đếm kịp; hãy thu hẹp "
                "tìm kiếm (trạng thái, đơn vị, ngày tiếp nhận)."
            )
            % limit,
        }
        return paginated


class OfficerView(APIView):
    permission_classes = [IsAuthenticated, IsOfficer]
    throttle_classes: list[type[BaseThrottle]] = []
    parser_classes = [JSONParser]


class OfficerListView(generics.ListAPIView):
    permission_classes = [IsAuthenticated, IsOfficer]
    throttle_classes: list[type[BaseThrottle]] = []
    pagination_class = DossierPagination

    def get_serializer_context(self) -> dict[str, Any]:
        return {**super().get_serializer_context(), "clock": s.Clock()}

    # The serializer_class documents the lines; ``represent`` builds them (perf,
    # see api.representations, whose tests keep the two the same).
    fast_rows: ClassVar[bool] = False

    def represent(self, row: Any, clock: s.Clock) -> dict[str, Any]:
        raise NotImplementedError

    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        if not self.fast_rows:
            return super().list(request, *args, **kwargs)
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        clock = s.Clock()
        return self.get_paginated_response([self.represent(row, clock) for row in page or ()])


# --- schema pieces -------------------------------------------------------------------


def _error(description: str) -> OpenApiResponse:
    return OpenApiResponse(ErrorSerializer, description=description)


FORBIDDEN_READ = _error(
    "not_authenticated: chưa đăng nhập; permission_denied: tài khoản không phải của cán bộ."
)
NOT_FOUND = _error(
    "not_found: không có hồ sơ với mã (hoặc mã tra cứu) này, hoặc hồ sơ ngoài phạm vi của bạn "
    "— hai trường hợp được trả lời như nhau."
)
BAD_QUERY = _error("invalid: tham số không hợp lệ (params.fields nêu từng tham số).")
BAD_PAGE = _error("not_found: số trang không có.")
INVALID_BODY = (
    "invalid: dữ liệu sai kiểu, quá dài hoặc ngoài danh mục (params.fields nêu từng trường); "
    "parse_error: không phải JSON; validation_failed: trái quy định, params.field nêu trường"
)
FORBIDDEN_WRITE = (
    "not_authenticated: chưa đăng nhập; csrf_failed: thiếu mã CSRF của phiên; "
    "permission_denied: tài khoản không phải của cán bộ, hoặc bạn không được thực hiện "
    "thao tác này"
)
APPLICANT_FIELDS = "applicant_name, applicant_id_number, applicant_phone, applicant_email"
UNSUPPORTED = _error("unsupported_media_type: hãy gửi JSON.")
CODE_PARAMETER = OpenApiParameter(
    name="code",
    location=OpenApiParameter.PATH,
    description=_(
        "Mã hồ sơ (ví dụ 000.01.45.H26-261117-0001) hoặc, khi chưa tiếp nhận, mã tra cứu "
        "(ví dụ HS7K2M9QXA4B)."
    ),
)
IDEMPOTENCY_PARAMETER = OpenApiParameter(
    name=HEADER,
    location=OpenApiParameter.HEADER,
    required=False,
    pattern=KEY_PATTERN,
    description=_(
        "Khóa chống gửi trùng do máy khách tạo (ví dụ một UUID), 16–64 ký tự. Gửi lại cùng "
        "khóa không bao giờ tạo hồ sơ thứ hai: trả về hồ sơ đã tạo với cùng mã trạng thái. "
        "Cùng khóa với nội dung khác bị từ chối (409 idempotency_key_reused)."
    ),
)


INTAKE_ACTIONS = frozenset({"accept_online", "ask_to_complete", "refuse_intake"})


def _action_schema(
    *,
    action: str,
    summary: str | Promise,
    description: str | Promise,
    request: type[Serializer] | None,
    bad_request: str = "",
    forbidden: str = "",
    conflict: str = "",
) -> dict[str, Any]:
    """The schema of ``POST /api/dossiers/{code}/<action>/``: the dossier, or the error codes."""
    conflicts = (
        "transition_not_allowed: trạng thái hiện tại của hồ sơ không cho phép thao tác này "
        "(params.action, params.status)"
    )
    return {
        "post": extend_schema(
            operation_id=f"dossiers_{action}",
            tags=[PROCESS_TAG if action not in INTAKE_ACTIONS else INTAKE_TAG],
            summary=summary,
            description=description,
            parameters=[CODE_PARAMETER],
            request=request,
            responses={
                200: s.DossierDetailSerializer,
                400: _error("; ".join(part for part in (INVALID_BODY, bad_request) if part) + "."),
                403: _error(
                    "; ".join(part for part in (FORBIDDEN_WRITE, forbidden) if part) + "."
                ),
                404: NOT_FOUND,
                409: _error("; ".join(part for part in (conflicts, conflict) if part) + "."),
                415: UNSUPPORTED,
            },
        )
    }


# --- helpers -----------------------------------------------------------------------


def _actor(request: Request) -> User:
    return cast(User, request.user)


def _key(code: str) -> str:
    """The code or reference from the path; one no dossier can have is simply not found."""
    if len(code) > MAX_KEY or not code.isprintable():
        raise NotFound(gettext("Không tìm thấy hồ sơ %(code)s.") % {"code": code[:MAX_KEY]})
    return code


def _dossier(request: Request, code: str) -> Dossier:
    """The dossier named in the path, if the officer may see it; else 404."""
    return dossier_get_for_officer(user=_actor(request), code=_key(code))


def _render(dossier: Dossier, *, code: int = status.HTTP_200_OK) -> Response:
    """The whole dossier, as read through the officer's scope.

    perf: its rows in 7 queries after the dossier itself, whatever its size;
    3 for a dossier just received (half an intake's queries).
    """
    just_received = dossier.event_count == 1 and dossier.status == DossierStatus.IN_PROGRESS
    dossier_load_details(dossier, just_received=just_received)
    return Response(representations.dossier_detail(dossier, s.Clock()), code)


def _detail(request: Request, dossier: Dossier, *, code: int = status.HTTP_200_OK) -> Response:
    """The dossier as an action left it, read again through the officer's scope."""
    return _render(
        dossier_get_for_officer(user=_actor(request), code=dossier.reference), code=code
    )


def _officer(pk: int | None, *, field: str) -> Officer | None:
    if pk is None:
        return None
    officer = Officer.objects.select_related("user", "unit").filter(pk=pk).first()
    if officer is None:
        raise ValidationFailed(gettext("Không có cán bộ với mã %(id)s.") % {"id": pk}, field=field)
    return officer


def _assignee(pk: int) -> Officer:
    return cast(Officer, _officer(pk, field="assignee"))


def _results(rows: list[dict[str, Any]]) -> list[ResultDocument]:
    """The results named by procedure code; an unknown code is a 400 on ``results``."""
    codes = {row["procedure"] for row in rows}
    ids = dict(Procedure.objects.filter(code__in=codes).values_list("code", "pk"))
    unknown = sorted(codes - set(ids))
    if unknown:
        raise ValidationFailed(
            gettext("Không có thủ tục với mã %(codes)s.") % {"codes": ", ".join(unknown)},
            field="results",
        )
    return [
        ResultDocument(
            procedure_id=ids[row["procedure"]],
            name=row["name"],
            document_number=row["document_number"],
            result_code=row["result_code"],
        )
        for row in rows
    ]


# Days a date filter is held within: far beyond any dossier, and far enough
# from year 1 and year 9999 that the instant never overflows (SQLite converts
# it to UTC; the end of a day adds one).
FIRST_DAY = dt.date(1900, 1, 1)
LAST_DAY = dt.date(2999, 12, 31)


def _day_start(day: dt.date) -> dt.datetime:
    """The first instant of ``day`` in Việt Nam (within FIRST_DAY … LAST_DAY)."""
    return dt.datetime.combine(min(max(day, FIRST_DAY), LAST_DAY), dt.time.min, tzinfo=TZ)


# --- reads -------------------------------------------------------------------------


class DossierListView(OfficerListView):
    """``GET`` the dossiers the officer may see; ``POST`` one received at the counter."""

    serializer_class = s.DossierSummarySerializer
    pagination_class = DossierSearchPagination
    fast_rows = True

    def represent(self, row: Any, clock: s.Clock) -> dict[str, Any]:
        return representations.dossier_summary(row, clock)

    parser_classes = [JSONParser]

    def get_queryset(self) -> QuerySet[Dossier]:
        params = validated_input(s.DossierSearchParamsSerializer, self.request.query_params)
        dossiers = dossier_search(user=_actor(self.request), query=params.get("q", ""))
        if params.get("status"):
            dossiers = dossiers.filter(status=params["status"])
        if "unit" in params:
            dossiers = dossiers.filter(
                Q(receiving_unit_id=params["unit"]) | Q(processing_unit_id=params["unit"])
            )
        if "received_from" in params:
            dossiers = dossiers.filter(received_at__gte=_day_start(params["received_from"]))
        if "received_to" in params:
            end = _day_start(params["received_to"]) + dt.timedelta(days=1)
            dossiers = dossiers.filter(received_at__lt=end)
        return dossiers

    @extend_schema(
        operation_id="dossiers_list",
        tags=[READ_TAG],
        summary=_("Tìm hồ sơ"),
        description=_(
            "Các hồ sơ trong phạm vi của cán bộ (đơn vị mình, các bước được giao), mới tiếp "
            "nhận trước, 20 hồ sơ một trang. Tìm theo mã hồ sơ, mã tra cứu, tên người nộp "
            "không cần dấu, số định danh hoặc số điện thoại; lọc theo trạng thái, đơn vị và "
            "ngày tiếp nhận."
        ),
        parameters=[s.DossierSearchParamsSerializer],
        responses={
            200: s.DossierSummarySerializer(many=True),
            400: BAD_QUERY,
            403: FORBIDDEN_READ,
            404: BAD_PAGE,
        },
    )
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)

    @extend_schema(
        operation_id="dossiers_receive",
        tags=[INTAKE_TAG],
        summary=_("Tiếp nhận hồ sơ tại Bộ phận Một cửa"),
        description=_(
            "Hồ sơ đủ thành phần được cấp mã, ngày hẹn trả và mở bước đầu tiên (R1–R5). "
            "Thành phần hồ sơ chỉ gồm các thành phần đã công bố của phiên bản thủ tục đang có "
            "hiệu lực; thiếu thành phần bắt buộc thì trả về validation_failed với "
            "params.missing (id các thành phần còn thiếu). Chỉ cán bộ tiếp nhận của đơn vị."
        ),
        parameters=[IDEMPOTENCY_PARAMETER],
        request=s.ReceiveInputSerializer,
        responses={
            201: s.DossierDetailSerializer,
            400: _error(
                INVALID_BODY + " (unit, procedure, applicant_name, applicant_id_number, "
                "applicant_phone, applicant_email, documents, fees, agency_code)."
            ),
            403: _error(FORBIDDEN_WRITE + " (tiếp nhận hồ sơ tại đơn vị này)."),
            409: _error("idempotency_key_reused: khóa chống gửi trùng đã dùng với nội dung khác."),
            415: UNSUPPORTED,
        },
    )
    def post(self, request: Request) -> Response:
        data = validated_input(s.ReceiveInputSerializer, request.data)
        with idempotency_key(request, endpoint="receive") as key:
            dossier = dossier_receive_named(
                actor=_actor(request),
                unit_id=data["unit"],
                procedure_code=data["procedure"],
                applicant=s.NewDossierInputSerializer.to_applicant(data),
                documents=s.ReceivedDocumentInputSerializer.to_documents(data["documents"]),
                fees=s.FeeTakenInputSerializer.to_fees(data["fees"]),
                channel=data["channel"],
                return_channel=data["return_channel"],
                idempotency_key=key,
            )
        # The dossier as the service left it: this officer just received it, so it
        # is in their scope (perf: no second read).
        return _render(dossier, code=status.HTTP_201_CREATED)


class DossierDetailView(OfficerView):
    @extend_schema(
        operation_id="dossiers_retrieve",
        tags=[READ_TAG],
        summary=_("Chi tiết hồ sơ"),
        description=_(
            "Người nộp, ngày hẹn trả và thời gian còn lại, bước đang xử lý, các bước đã qua, "
            "giấy tờ, phí, lệ phí, yêu cầu bổ sung, kết quả, biên nhận trả kết quả và các "
            "thao tác trạng thái hiện tại cho phép. Tìm theo mã hồ sơ hoặc mã tra cứu."
        ),
        parameters=[CODE_PARAMETER],
        responses={200: s.DossierDetailSerializer, 403: FORBIDDEN_READ, 404: NOT_FOUND},
    )
    def get(self, request: Request, code: str) -> Response:
        return _render(
            dossier_get_for_officer(user=_actor(request), code=_key(code), with_details=True)
        )


class DossierEventsView(OfficerView):
    @extend_schema(
        operation_id="dossiers_events_list",
        tags=[READ_TAG],
        summary=_("Lịch sử xử lý hồ sơ"),
        description=_(
            "Mọi thao tác trên hồ sơ theo thứ tự: ai, lúc nào, từ trạng thái nào sang trạng "
            "thái nào, vì sao; gồm cả ghi chú nội bộ (internal = true)."
        ),
        parameters=[CODE_PARAMETER],
        responses={200: s.EventSerializer(many=True), 403: FORBIDDEN_READ, 404: NOT_FOUND},
    )
    def get(self, request: Request, code: str) -> Response:
        events = dossier_timeline(dossier=_dossier(request, code), include_internal=True)
        return Response(s.EventSerializer(events, many=True).data)


class DossierControlSlipView(OfficerView):
    @extend_schema(
        operation_id="dossiers_control_slip",
        tags=[READ_TAG],
        summary=_("Phiếu kiểm soát quá trình giải quyết hồ sơ"),
        description=_(
            "Các lần giao, nhận hồ sơ giữa các bước với hạn xử lý và kết quả (trước hạn, đúng "
            "hạn, quá hạn), lấy thẳng từ các bước xử lý."
        ),
        parameters=[CODE_PARAMETER],
        responses={
            200: s.ControlSlipRowSerializer(many=True),
            403: FORBIDDEN_READ,
            404: NOT_FOUND,
        },
    )
    def get(self, request: Request, code: str) -> Response:
        rows = dossier_control_slip(dossier=_dossier(request, code))
        return Response(s.ControlSlipRowSerializer(rows, many=True).data)


class InboxView(OfficerListView):
    serializer_class = s.WorkItemSerializer
    fast_rows = True

    def represent(self, row: Any, clock: s.Clock) -> dict[str, Any]:
        return representations.work_item(row, clock)

    def get_queryset(self) -> Any:
        pages = dossier_inbox_pages(user=_actor(self.request))
        return pages if pages is not None else DossierStep.objects.none()

    @extend_schema(
        operation_id="me_inbox",
        tags=[READ_TAG],
        summary=_("Việc của tôi"),
        description=_(
            "Các bước đang giao cho cán bộ, hạn gần nhất trước, với thời gian còn lại (hoặc "
            "đã quá) tính theo giờ làm việc."
        ),
        responses={
            200: s.WorkItemSerializer(many=True),
            400: BAD_QUERY,
            403: FORBIDDEN_READ,
            404: BAD_PAGE,
        },
    )
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)


class UnitWorkView(OfficerListView):
    serializer_class = s.WorkItemSerializer
    fast_rows = True

    def represent(self, row: Any, clock: s.Clock) -> dict[str, Any]:
        return representations.work_item(row, clock)

    def get_queryset(self) -> QuerySet[DossierStep]:
        params = validated_input(s.UnitWorkParamsSerializer, self.request.query_params)
        steps = dossier_unit_work(user=_actor(self.request)).select_related(
            "dossier__procedure_version__procedure"
        )
        return steps.filter(unit_id=params["unit"]) if "unit" in params else steps

    @extend_schema(
        operation_id="me_unit_work",
        tags=[READ_TAG],
        summary=_("Việc của đơn vị (trưởng, phó phòng)"),
        description=_(
            "Các bước đang mở tại các đơn vị mà cán bộ được phân công xử lý (trưởng, phó "
            "phòng), hạn gần nhất trước, với người đang xử lý; danh sách rỗng với cán bộ "
            "không có quyền phân công."
        ),
        parameters=[s.UnitWorkParamsSerializer],
        responses={
            200: s.WorkItemSerializer(many=True),
            400: BAD_QUERY,
            403: FORBIDDEN_READ,
            404: BAD_PAGE,
        },
    )
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)


# --- intake without a dossier yet, and online ----------------------------------------


class OnlineSubmitView(APIView):
    permission_classes = [AllowAny]
    throttle_classes = [OnlineSubmissionThrottle]
    parser_classes = [JSONParser]

    @extend_schema(
        operation_id="dossiers_submit_online",
        tags=[ONLINE_TAG],
        summary=_("Nộp hồ sơ trực tuyến"),
        description=_(
            "Hồ sơ chờ Bộ phận Một cửa tiếp nhận; chưa có mã hồ sơ (R2). Trả về mã tra cứu "
            "để theo dõi. Không cần đăng nhập; người dân đã đăng nhập thì hồ sơ gắn với tài "
            "khoản. Giới hạn 10 lần một phút."
        ),
        parameters=[IDEMPOTENCY_PARAMETER],
        request=s.SubmitOnlineInputSerializer,
        responses={
            201: s.OnlineReceiptSerializer,
            400: _error(
                INVALID_BODY + " (unit, procedure, applicant_name, applicant_id_number, "
                "applicant_phone, applicant_email, documents)."
            ),
            403: _error("csrf_failed: đã đăng nhập nhưng thiếu mã CSRF của phiên."),
            409: _error("idempotency_key_reused: khóa chống gửi trùng đã dùng với nội dung khác."),
            415: UNSUPPORTED,
            429: _error("throttled: gửi quá nhiều lần; params.wait là số giây cần chờ."),
        },
    )
    def post(self, request: Request) -> Response:
        data = validated_input(s.SubmitOnlineInputSerializer, request.data)
        user = request.user
        citizen = getattr(user, "citizen", None) if getattr(user, "is_citizen", False) else None
        with idempotency_key(request, endpoint="online") as key:
            dossier = dossier_submit_online(
                unit=intake_unit(data["unit"]),
                procedure=intake_procedure(data["procedure"]),
                applicant=s.NewDossierInputSerializer.to_applicant(data),
                documents=s.ReceivedDocumentInputSerializer.to_documents(data["documents"]),
                return_channel=data["return_channel"],
                idempotency_key=key,
                citizen=citizen,
            )
        return Response(s.OnlineReceiptSerializer(dossier).data, status=status.HTTP_201_CREATED)


class CounterAskToCompleteView(OfficerView):
    @extend_schema(
        operation_id="dossiers_counter_ask_to_complete",
        tags=[INTAKE_TAG],
        summary=_("Hướng dẫn hoàn thiện hồ sơ tại quầy (Mẫu 02)"),
        description=_(
            "Người nộp trực tiếp mang hồ sơ chưa đủ: ghi nhận yêu cầu hoàn thiện, hồ sơ không "
            "được tiếp nhận và không có mã hồ sơ (R2, R3); theo dõi bằng mã tra cứu."
        ),
        request=s.CounterAskToCompleteInputSerializer,
        responses={
            201: s.DossierDetailSerializer,
            400: _error(
                INVALID_BODY + " (unit, procedure, " + APPLICANT_FIELDS + ", items, reason)."
            ),
            403: _error(FORBIDDEN_WRITE + "."),
            415: UNSUPPORTED,
        },
    )
    def post(self, request: Request) -> Response:
        data = validated_input(s.CounterAskToCompleteInputSerializer, request.data)
        dossier = dossier_ask_to_complete(
            actor=_actor(request),
            unit=intake_unit(data["unit"]),
            procedure=intake_procedure(data["procedure"]),
            applicant=s.NewDossierInputSerializer.to_applicant(data),
            items=s.SupplementItemInputSerializer.to_items(data["items"]),
            reason=data["reason"],
        )
        return _detail(request, dossier, code=status.HTTP_201_CREATED)


class CounterRefuseIntakeView(OfficerView):
    @extend_schema(
        operation_id="dossiers_counter_refuse_intake",
        tags=[INTAKE_TAG],
        summary=_("Từ chối tiếp nhận hồ sơ tại quầy (Mẫu 03)"),
        description=_(
            "Ví dụ không thuộc thẩm quyền: ghi nhận việc từ chối với lý do, không cấp mã hồ sơ."
        ),
        request=s.CounterRefuseIntakeInputSerializer,
        responses={
            201: s.DossierDetailSerializer,
            400: _error(INVALID_BODY + " (unit, procedure, " + APPLICANT_FIELDS + ", reason)."),
            403: _error(FORBIDDEN_WRITE + "."),
            415: UNSUPPORTED,
        },
    )
    def post(self, request: Request) -> Response:
        data = validated_input(s.CounterRefuseIntakeInputSerializer, request.data)
        dossier = dossier_refuse_intake(
            actor=_actor(request),
            unit=intake_unit(data["unit"]),
            procedure=intake_procedure(data["procedure"]),
            applicant=s.NewDossierInputSerializer.to_applicant(data),
            reason=data["reason"],
        )
        return _detail(request, dossier, code=status.HTTP_201_CREATED)


# --- actions on a dossier ----------------------------------------------------------


class DossierActionView(OfficerView):
    """``POST /api/dossiers/{code}/<action>/``: find, parse, one service, the dossier back."""

    input_class: ClassVar[type[Serializer]] = s.EmptyInputSerializer
    # Set from ACTION_VIEWS below: the workflow action this endpoint performs.
    action_name: ClassVar[str] = ""

    def post(self, request: Request, code: str) -> Response:
        dossier = _dossier(request, code)
        data = validated_input(self.input_class, request.data)
        # The state first: an action the state does not allow is 409 whatever the
        # body names (an officer id, a document), as the service would say.
        target_status(self.action_name, dossier.status or NEW)
        return _detail(request, self.perform(dossier=dossier, data=data, actor=_actor(request)))

    def perform(self, *, dossier: Dossier, data: dict[str, Any], actor: User) -> Dossier:
        raise NotImplementedError


@extend_schema_view(
    **_action_schema(
        action="accept_online",
        summary=_("Tiếp nhận hồ sơ nộp trực tuyến"),
        description=_(
            "Hồ sơ đủ thành phần được cấp mã và ngày hẹn; thời điểm tiếp nhận là phiên làm "
            "việc kế tiếp sau khi nộp (ADR 0007). Không gửi nội dung."
        ),
        request=None,
        bad_request="documents (thiếu thành phần bắt buộc, params.missing)",
    )
)
class AcceptOnlineView(DossierActionView):
    def perform(self, *, dossier: Dossier, data: dict[str, Any], actor: User) -> Dossier:
        return dossier_accept_online(dossier=dossier, actor=actor)


@extend_schema_view(
    **_action_schema(
        action="ask_to_complete",
        summary=_("Yêu cầu hoàn thiện hồ sơ nộp trực tuyến (Mẫu 02)"),
        description=_(
            "Chỉ các thành phần đã công bố, không yêu cầu giấy tờ khai thác được từ dữ liệu "
            "số (R3, R4); hồ sơ chưa được tiếp nhận."
        ),
        request=s.AskToCompleteInputSerializer,
        bad_request="items, reason",
    )
)
class AskToCompleteView(DossierActionView):
    input_class = s.AskToCompleteInputSerializer

    def perform(self, *, dossier: Dossier, data: dict[str, Any], actor: User) -> Dossier:
        return dossier_ask_to_complete(
            dossier=dossier,
            actor=actor,
            items=s.SupplementItemInputSerializer.to_items(data["items"]),
            reason=data["reason"],
        )


@extend_schema_view(
    **_action_schema(
        action="refuse_intake",
        summary=_("Từ chối tiếp nhận hồ sơ nộp trực tuyến (Mẫu 03)"),
        description=_("Với lý do (bắt buộc); hồ sơ không được cấp mã."),
        request=s.ReasonInputSerializer,
        bad_request="reason",
    )
)
class RefuseIntakeView(DossierActionView):
    input_class = s.ReasonInputSerializer

    def perform(self, *, dossier: Dossier, data: dict[str, Any], actor: User) -> Dossier:
        return dossier_refuse_intake(dossier=dossier, actor=actor, reason=data["reason"])


@extend_schema_view(
    **_action_schema(
        action="handover",
        summary=_("Chuyển bước xử lý"),
        description=_(
            "Đóng bước đang xử lý (trước hạn, đúng hạn hoặc quá hạn) và mở bước tiếp theo của "
            "quy trình cho một cán bộ có vai trò phù hợp thuộc cơ quan giải quyết. Người được "
            "giao bước, hoặc trưởng phòng, lãnh đạo phụ trách."
        ),
        request=s.AssigneeInputSerializer,
        bad_request="assignee",
        conflict="conflict: không có bước đang xử lý, bước cuối của quy trình, hoặc bước sau "
        "thực hiện tại cơ quan khác (hãy chuyển liên thông)",
    )
)
class HandoverView(DossierActionView):
    input_class = s.AssigneeInputSerializer

    def perform(self, *, dossier: Dossier, data: dict[str, Any], actor: User) -> Dossier:
        return dossier_handover(
            dossier=dossier,
            actor=actor,
            to_assignee=_assignee(data["assignee"]),
            note=data["note"],
        )


@extend_schema_view(
    **_action_schema(
        action="assign",
        summary=_("Phân công lại người xử lý"),
        description=_(
            "Trưởng, phó phòng giao bước đang xử lý cho cán bộ khác của đơn vị; hạn của bước "
            "giữ nguyên."
        ),
        request=s.AssigneeInputSerializer,
        bad_request="assignee",
        conflict="conflict: không có bước đang xử lý",
    )
)
class AssignView(DossierActionView):
    input_class = s.AssigneeInputSerializer

    def perform(self, *, dossier: Dossier, data: dict[str, Any], actor: User) -> Dossier:
        return dossier_assign(
            dossier=dossier,
            actor=actor,
            to_assignee=_assignee(data["assignee"]),
            note=data["note"],
        )


@extend_schema_view(
    **_action_schema(
        action="send_back",
        summary=_("Trả lại bước trước"),
        description=_("Trả hồ sơ cho cán bộ của bước trước, với lý do (bắt buộc)."),
        request=s.ReasonInputSerializer,
        bad_request="reason",
        conflict="conflict: không có bước đang xử lý hoặc không có bước trước",
    )
)
class SendBackView(DossierActionView):
    input_class = s.ReasonInputSerializer

    def perform(self, *, dossier: Dossier, data: dict[str, Any], actor: User) -> Dossier:
        return dossier_send_back(dossier=dossier, actor=actor, reason=data["reason"])


@extend_schema_view(
    **_action_schema(
        action="request_supplement",
        summary=_("Yêu cầu bổ sung hồ sơ (Mẫu 02)"),
        description=_(
            "Một lần trong quá trình giải quyết, trong 3 ngày làm việc kể từ khi tiếp nhận "
            "trừ khi luật chuyên ngành quy định khác (R15, R16); thời hạn tạm dừng đến khi "
            "nhận bổ sung."
        ),
        request=s.RequestSupplementInputSerializer,
        bad_request="items, reason, sector_rule",
        conflict="supplement_already_requested: đã yêu cầu bổ sung một lần; conflict: không "
        "có bước đang xử lý",
    )
)
class RequestSupplementView(DossierActionView):
    input_class = s.RequestSupplementInputSerializer

    def perform(self, *, dossier: Dossier, data: dict[str, Any], actor: User) -> Dossier:
        return dossier_request_supplement(
            dossier=dossier,
            actor=actor,
            items=s.SupplementItemInputSerializer.to_items(data["items"]),
            reason=data["reason"],
            sector_rule=data["sector_rule"],
        )


@extend_schema_view(
    **_action_schema(
        action="receive_supplement",
        summary=_("Nhận hồ sơ bổ sung"),
        description=_(
            "Người nộp mang đủ giấy tờ đã được yêu cầu: thời hạn tính tiếp, ngày hẹn lùi "
            "đúng bằng thời gian tạm dừng."
        ),
        request=s.ReceiveSupplementInputSerializer,
        bad_request="documents (thiếu giấy tờ đã yêu cầu)",
        conflict="conflict: không có bước đang xử lý",
    )
)
class ReceiveSupplementView(DossierActionView):
    input_class = s.ReceiveSupplementInputSerializer

    def perform(self, *, dossier: Dossier, data: dict[str, Any], actor: User) -> Dossier:
        return dossier_receive_supplement(
            dossier=dossier,
            actor=actor,
            documents=s.ReceivedDocumentInputSerializer.to_documents(data["documents"]),
        )


@extend_schema_view(
    **_action_schema(
        action="transfer",
        summary=_("Chuyển liên thông"),
        description=_(
            "Chuyển hồ sơ sang cơ quan phối hợp cho phần việc của cơ quan đó, với thời gian "
            "dành cho cơ quan đó (theo quy trình, hoặc share_days)."
        ),
        request=s.TransferInputSerializer,
        bad_request="agency_name, share_days",
        conflict="conflict: không có bước đang xử lý",
    )
)
class TransferView(DossierActionView):
    input_class = s.TransferInputSerializer

    def perform(self, *, dossier: Dossier, data: dict[str, Any], actor: User) -> Dossier:
        return dossier_transfer(
            dossier=dossier,
            actor=actor,
            agency_name=data["agency_name"],
            share_days=data["share_days"],
            note=data["note"],
        )


@extend_schema_view(
    **_action_schema(
        action="receive_back",
        summary=_("Nhận lại hồ sơ liên thông"),
        description=_("Phần việc của cơ quan phối hợp đã xong; bước tiếp theo mở cho cán bộ."),
        request=s.AssigneeInputSerializer,
        bad_request="assignee",
        conflict="conflict: không có bước đang xử lý",
    )
)
class ReceiveBackView(DossierActionView):
    input_class = s.AssigneeInputSerializer

    def perform(self, *, dossier: Dossier, data: dict[str, Any], actor: User) -> Dossier:
        return dossier_receive_back(
            dossier=dossier,
            actor=actor,
            to_assignee=_assignee(data["assignee"]),
            note=data["note"],
        )


@extend_schema_view(
    **_action_schema(
        action="refuse",
        summary=_("Từ chối giải quyết"),
        description=_(
            "Sau thẩm định, với lý do bằng văn bản và người ký (R17); kết thúc xử lý hồ sơ."
        ),
        request=s.RefuseInputSerializer,
        bad_request="reason",
        forbidden="chỉ lãnh đạo có thẩm quyền hoặc người được giao bước ký duyệt",
        conflict="conflict: không có bước đang xử lý",
    )
)
class RefuseView(DossierActionView):
    input_class = s.RefuseInputSerializer

    def perform(self, *, dossier: Dossier, data: dict[str, Any], actor: User) -> Dossier:
        return dossier_refuse(
            dossier=dossier, actor=actor, reason=data["reason"], legal_basis=data["legal_basis"]
        )


@extend_schema_view(
    **_action_schema(
        action="stop",
        summary=_("Dừng giải quyết hồ sơ"),
        description=_(
            "Theo đề nghị của người nộp hoặc theo quy định của pháp luật (R20), với nội dung "
            "quyết định và cách xử lý phí, lệ phí."
        ),
        request=s.StopInputSerializer,
        bad_request="cause, decision",
    )
)
class StopView(DossierActionView):
    input_class = s.StopInputSerializer

    def perform(self, *, dossier: Dossier, data: dict[str, Any], actor: User) -> Dossier:
        return dossier_stop(
            dossier=dossier,
            actor=actor,
            cause=data["cause"],
            decision=data["decision"],
            requested_at=data["requested_at"],
            fee_handling=data["fee_handling"],
        )


@extend_schema_view(
    **_action_schema(
        action="result_ready",
        summary=_("Ghi nhận kết quả đã ký"),
        description=_(
            "Hồ sơ chuyển sang chờ trả kết quả; mỗi thủ tục của hồ sơ một kết quả, có số, ký "
            "hiệu khi thủ tục yêu cầu văn bản (R22). Bước trả kết quả mở cho cán bộ đã tiếp "
            "nhận, hoặc cán bộ return_to."
        ),
        request=s.ResultReadyInputSerializer,
        bad_request="results, return_to",
        forbidden="chỉ lãnh đạo có thẩm quyền hoặc người được giao bước ký duyệt",
        conflict="conflict: không có bước đang xử lý",
    )
)
class ResultReadyView(DossierActionView):
    input_class = s.ResultReadyInputSerializer

    def perform(self, *, dossier: Dossier, data: dict[str, Any], actor: User) -> Dossier:
        return dossier_result_ready(
            dossier=dossier,
            actor=actor,
            results=_results(data["results"]),
            return_to=_officer(data["return_to"], field="return_to"),
            location=data["location"],
        )


@extend_schema_view(
    **_action_schema(
        action="return_result",
        summary=_("Trả kết quả"),
        description=_(
            "Chỉ khi có biên nhận (R21): trả tại quầy cần họ tên người nhận và ký nhận; qua "
            "bưu chính cần số vận đơn; trực tuyến cần xác nhận đã gửi."
        ),
        request=s.ReturnResultInputSerializer,
        bad_request="channel, recipient_name, postal_tracking_number, acknowledgement",
    )
)
class ReturnResultView(DossierActionView):
    input_class = s.ReturnResultInputSerializer

    def perform(self, *, dossier: Dossier, data: dict[str, Any], actor: User) -> Dossier:
        return dossier_return_result(
            dossier=dossier,
            actor=actor,
            channel=data["channel"],
            recipient_name=data["recipient_name"],
            recipient_id_number=data["recipient_id_number"],
            postal_tracking_number=data["postal_tracking_number"],
            acknowledgement=data["acknowledgement"],
        )


@extend_schema_view(
    **_action_schema(
        action="note",
        summary=_("Ghi chú vào hồ sơ"),
        description=_("Mặc định chỉ nội bộ: người dân không thấy."),
        request=s.NoteInputSerializer,
        bad_request="text",
    )
)
class NoteView(DossierActionView):
    input_class = s.NoteInputSerializer

    def perform(self, *, dossier: Dossier, data: dict[str, Any], actor: User) -> Dossier:
        return dossier_note(
            dossier=dossier, actor=actor, text=data["text"], internal=data["internal"]
        )


# Every action view by workflow action, for the URLs and the tests.
ACTION_VIEWS: dict[str, type[DossierActionView]] = {
    "accept_online": AcceptOnlineView,
    "ask_to_complete": AskToCompleteView,
    "refuse_intake": RefuseIntakeView,
    "handover": HandoverView,
    "assign": AssignView,
    "send_back": SendBackView,
    "request_supplement": RequestSupplementView,
    "receive_supplement": ReceiveSupplementView,
    "transfer": TransferView,
    "receive_back": ReceiveBackView,
    "refuse": RefuseView,
    "stop": StopView,
    "result_ready": ResultReadyView,
    "return_result": ReturnResultView,
    "note": NoteView,
}

for _action, _view in ACTION_VIEWS.items():
    _view.action_name = _action
