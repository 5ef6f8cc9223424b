"""The public status lookup: one narrow, masked view of a dossier for the citizen who holds it.

A dossier is shown only to someone who knows its code (or reference) *and* a
second factor printed on or known from the receipt: the last four digits of
the applicant's phone, or the lookup secret. A wrong code and a wrong factor
give the same answer (``None``) after the same work, so the page cannot be
used to find out which codes exist. What is shown never includes officers'
names, internal notes or officer-internal events, and personal data is masked.

perf: one statement per lookup on PostgreSQL (the dossier with its events,
see ``_LOOKUP_SQL``); elsewhere two queries per successful lookup (the
dossier, then its events), one for a failed one. The public page is the
busiest read of the portal (issue 6: ≥ 800 lookups/s on two cores).
"""

from __future__ import annotations

import datetime as dt
import hmac
import json
import re
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from django.db import connection
from django.db.models import Q
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from motcua.dossiers.constants import Action, Status
from motcua.dossiers.models import Dossier, DossierEvent

_NOT_DIGITS = re.compile(r"\D")
# What a typed code or secret may contain; anything else cannot match.
_KEY = re.compile(r"^[0-9A-Z.\-]{1,60}$")
PHONE_FACTOR_LENGTH = 4
# Compared against when there is no dossier, so that a wrong code costs the
# same as a wrong factor.
_DUMMY = b"\x00" * 16

# Plain Vietnamese for each state, as a citizen would want it explained.
STATUS_EXPLANATIONS: dict[str, Promise] = {
    Status.SUBMITTED: gettext_lazy(
        "Hồ sơ đã được gửi trực tuyến, đang chờ Bộ phận Một cửa kiểm tra và tiếp nhận."
    ),
    Status.AWAITING_COMPLETION: gettext_lazy(
        "Hồ sơ chưa đầy đủ. Vui lòng bổ sung các giấy tờ được nêu dưới đây rồi nộp lại."
    ),
    Status.INTAKE_REFUSED: gettext_lazy(
        "Hồ sơ không được tiếp nhận. Lý do được ghi trong quá trình xử lý bên dưới."
    ),
    Status.IN_PROGRESS: gettext_lazy("Hồ sơ đang được giải quyết."),
    Status.SUPPLEMENT_REQUESTED: gettext_lazy(
        "Cơ quan giải quyết đề nghị bổ sung giấy tờ. Thời hạn giải "
        "quyết tạm dừng cho đến khi nhận đủ giấy tờ bổ sung."
    ),
    Status.AT_OTHER_AGENCY: gettext_lazy(
        "Hồ sơ đang được cơ quan phối hợp giải quyết (liên thông)."
    ),
    Status.RESULT_READY: gettext_lazy(
        "Đã có kết quả giải quyết. Mời ông/bà nhận kết quả theo hình thức đã đăng ký."
    ),
    Status.RETURNED: gettext_lazy("Đã trả kết quả cho người nộp hồ sơ."),
    Status.REFUSED: gettext_lazy(
        "Hồ sơ bị từ chối giải quyết. Lý do được ghi trong quá trình xử lý bên dưới."
    ),
    Status.STOPPED: gettext_lazy("Hồ sơ đã dừng giải quyết."),
}

# Events a citizen sees, with the words they see. Anything else — re-assigning
# within the office, sending back to a previous step, internal notes — is the
# office's own business (issue 6: "without officers' internal notes").
CITIZEN_TITLES: dict[str, Promise] = {
    Action.SUBMIT_ONLINE: gettext_lazy("Nộp hồ sơ trực tuyến"),
    Action.RECEIVE: gettext_lazy("Tiếp nhận hồ sơ"),
    Action.ACCEPT_ONLINE: gettext_lazy("Tiếp nhận hồ sơ trực tuyến"),
    Action.ASK_TO_COMPLETE: gettext_lazy("Hướng dẫn bổ sung, hoàn thiện hồ sơ"),
    Action.RESUBMIT: gettext_lazy("Nộp lại hồ sơ đã hoàn thiện"),
    Action.REFUSE_INTAKE: gettext_lazy("Từ chối tiếp nhận hồ sơ"),
    Action.HANDOVER: gettext_lazy("Chuyển bước xử lý"),
    Action.REQUEST_SUPPLEMENT: gettext_lazy("Yêu cầu bổ sung hồ sơ"),
    Action.RECEIVE_SUPPLEMENT: gettext_lazy("Đã nhận giấy tờ bổ sung, tiếp tục giải quyết"),
    Action.TRANSFER: gettext_lazy("Chuyển cơ quan phối hợp giải quyết (liên thông)"),
    Action.RECEIVE_BACK: gettext_lazy("Nhận lại hồ sơ từ cơ quan phối hợp"),
    Action.REFUSE: gettext_lazy("Từ chối giải quyết hồ sơ"),
    Action.STOP: gettext_lazy("Dừng giải quyết hồ sơ"),
    Action.RESULT_READY: gettext_lazy("Đã có kết quả giải quyết"),
    Action.RETURN_RESULT: gettext_lazy("Đã trả kết quả"),
    Action.REMIND: gettext_lazy("Nhắc nhận kết quả"),
    Action.NOTE: gettext_lazy("Thông báo của cơ quan giải quyết"),
}
# Events whose reason is written for the applicant (a refusal must give its
# reason to them; a supplement request says what to bring). Handover notes
# are between officers and stay inside.
REASON_FOR_CITIZEN = frozenset(
    {
        Action.ASK_TO_COMPLETE,
        Action.REFUSE_INTAKE,
        Action.REQUEST_SUPPLEMENT,
        Action.REFUSE,
        Action.STOP,
        Action.NOTE,
    }
)
_SUPPLEMENT_ACTIONS = (Action.ASK_TO_COMPLETE, Action.REQUEST_SUPPLEMENT)
_PENDING_SUPPLEMENT = (Status.AWAITING_COMPLETION, Status.SUPPLEMENT_REQUESTED)
_FINISHED = (
    Status.RESULT_READY,
    Status.RETURNED,
    Status.REFUSED,
    Status.STOPPED,
    Status.INTAKE_REFUSED,
)


# --- masking -----------------------------------------------------------------------


def mask_name(name: str) -> str:
    """The family name in full, then initials: "Nguyễn Văn Bình" → "Nguyễn V** B***"."""
    words = name.split()
    if not words:
        return ""
    masked = [words[0]] + [word[0] + "*" * (len(word) - 1) for word in words[1:]]
    return " ".join(masked)


def mask_phone(phone: str) -> str:
    """The first two and last two digits: "0912345678" → "09******78"."""
    digits = _NOT_DIGITS.sub("", phone)
    if len(digits) < 6:
        return "*" * len(digits)
    return digits[:2] + "*" * (len(digits) - 4) + digits[-2:]


def mask_id_number(number: str) -> str:
    """The first three (the province of issue) and last two: "001090012345" → "001*******45"."""
    text = number.strip()
    if len(text) < 7:
        return "*" * len(text)
    return text[:3] + "*" * (len(text) - 5) + text[-2:]


# --- the view --------------------------------------------------------------------


@dataclass(frozen=True)
class RequestedDocument:
    """A component the applicant is asked to bring (Form 02), and why."""

    name: str
    reason: str


@dataclass(frozen=True)
class CitizenEvent:
    """One line of the timeline as a citizen reads it."""

    at: dt.datetime
    title: str
    detail: str = ""
    documents: tuple[RequestedDocument, ...] = ()


@dataclass(frozen=True)
class PublicDossier:
    """What the public lookup shows: nothing that identifies a person in clear."""

    id: int
    code: str
    procedure_name: str
    status: str
    status_label: str
    status_explanation: str
    receiving_unit_name: str
    applicant_name: str
    applicant_phone: str
    applicant_id_number: str
    submitted_at: dt.datetime | None
    received_at: dt.datetime | None
    appointment_original: dt.datetime | None
    appointment: dt.datetime | None
    reappointed: bool
    overdue: bool
    finished: bool
    returned_at: dt.datetime | None
    timeline: list[CitizenEvent] = field(default_factory=list)
    requested_documents: list[RequestedDocument] = field(default_factory=list)
    supplement_reason: str = ""

    @property
    def rateable(self) -> bool:
        """Received dossiers can be rated (the survey link on the status page)."""
        return self.received_at is not None and bool(self.code)


def _same(given: str, expected: str) -> bool:
    """Constant-time comparison of two texts (bytes: compare_digest refuses non-ASCII str)."""
    left = given.encode("utf-8")
    right = expected.encode("utf-8") if expected else _DUMMY
    return hmac.compare_digest(left, right) and bool(expected)


class _Found(NamedTuple):
    """The columns of one dossier that the masked view needs, read by code or reference.

    perf: a plain tuple, not a ``Dossier``: building a model instance (~40
    fields with their defaults, and two related ones) cost more than the rest
    of the view on the busiest public read (``bench/public_lookup.py --profile``).
    """

    id: int
    code: str | None
    reference: str
    lookup_secret: str
    status: str
    applicant_name: str
    applicant_phone: str
    applicant_id_number: str
    submitted_at: dt.datetime | None
    received_at: dt.datetime | None
    appointment_original: dt.datetime | None
    appointment: dt.datetime | None
    returned_at: dt.datetime | None
    procedure_name: str
    receiving_unit_name: str


def _factor_matches(dossier: _Found | None, factor: str) -> bool:
    """Both comparisons always run, whatever matches, so timing says nothing."""
    phone = _NOT_DIGITS.sub("", dossier.applicant_phone) if dossier is not None else ""
    phone_tail = phone[-PHONE_FACTOR_LENGTH:] if len(phone) >= PHONE_FACTOR_LENGTH else ""
    secret = dossier.lookup_secret.upper() if dossier is not None else ""
    by_phone = _same(factor, phone_tail) if len(factor) == PHONE_FACTOR_LENGTH else False
    by_secret = _same(factor.upper(), secret)
    return dossier is not None and (by_phone or by_secret)


def normalise_code(code: str) -> str:
    """A typed or scanned code as stored: trimmed, upper case (references are upper case)."""
    return "".join((code or "").split()).upper()[:60]


def normalise_factor(factor: str) -> str:
    return "".join((factor or "").split())[:32]


# perf: only the columns the masked view needs (a dossier row has ~40, a
# version row ~30 with long texts): fewer bytes to read, send and decode on
# the busiest public read.
_LOOKUP_FIELDS = (
    "code",
    "reference",
    "lookup_secret",
    "status",
    "applicant_name",
    "applicant_phone",
    "applicant_id_number",
    "submitted_at",
    "received_at",
    "appointment_original",
    "appointment",
    "returned_at",
    "procedure_version__name",
    "receiving_unit__name",
)


def dossier_lookup_public(*, code: str, factor: str) -> PublicDossier | None:
    """The masked view of the dossier with ``code`` (or reference) if ``factor`` matches it.

    ``None`` for a missing dossier and for a wrong factor alike: callers
    must answer both the same way.
    """
    key = normalise_code(code)
    given = normalise_factor(factor)
    if connection.vendor == "postgresql":
        return _lookup_postgresql(key, given)
    dossier: Dossier | None = None
    if _KEY.match(key):
        dossier = (
            Dossier.objects.select_related("procedure_version", "receiving_unit")
            .only(*_LOOKUP_FIELDS)
            .filter(Q(code=key) | Q(reference=key))
            .first()
        )
    found = None
    if dossier is not None:
        found = _Found(
            id=dossier.pk,
            code=dossier.code,
            reference=dossier.reference,
            lookup_secret=dossier.lookup_secret,
            status=dossier.status,
            applicant_name=dossier.applicant_name,
            applicant_phone=dossier.applicant_phone,
            applicant_id_number=dossier.applicant_id_number,
            submitted_at=dossier.submitted_at,
            received_at=dossier.received_at,
            appointment_original=dossier.appointment_original,
            appointment=dossier.appointment,
            returned_at=dossier.returned_at,
            procedure_name=dossier.procedure_version.name,
            receiving_unit_name=dossier.receiving_unit.name,
        )
    if not _factor_matches(found, given) or found is None or dossier is None:
        return None
    return _public_view(found, timeline_for_citizen(dossier=dossier))


# perf: on PostgreSQL the dossier and its citizen-visible events come in one
# statement (the events as one JSON array), sent as a fixed text so that
# psycopg prepares it once per connection and Django compiles nothing: one
# round trip instead of two and no ORM compilation, the two costs the
# profile showed on the busiest public read (bench/public_lookup.py). The
# events are fetched whatever the factor, so a wrong code and a wrong factor
# still cost the same.
_LOOKUP_SQL = """
SELECT d.id, d.code, d.reference, d.lookup_secret, d.status, d.applicant_name,
       d.applicant_phone, d.applicant_id_number, d.submitted_at, d.received_at,
       d.appointment_original, d.appointment, d.returned_at, v.name, u.name,
       (SELECT coalesce(json_agg(json_build_array(
                   e.at, e.action, e.reason, e.data, s.name) ORDER BY e.sequence), '[]')
          FROM dossiers_dossierevent e
          LEFT JOIN dossiers_dossierstep s ON s.id = e.step_id
         WHERE e.dossier_id = d.id AND NOT e.internal AND e.action = ANY(%s))
  FROM dossiers_dossier d
  JOIN catalog_procedureversion v ON v.id = d.procedure_version_id
  JOIN accounts_unit u ON u.id = d.receiving_unit_id
 WHERE d.code = %s OR d.reference = %s
 LIMIT 1
"""
_CITIZEN_ACTIONS = list(CITIZEN_TITLES)


def _lookup_postgresql(key: str, given: str) -> PublicDossier | None:
    row = None
    if _KEY.match(key):
        with connection.cursor() as cursor:
            cursor.execute(_LOOKUP_SQL, [_CITIZEN_ACTIONS, key, key])
            row = cursor.fetchone()
    found = _Found(*row[:15]) if row is not None else None
    if not _factor_matches(found, given) or found is None or row is None:
        return None
    events = row[15] if isinstance(row[15], list) else json.loads(row[15] or "[]")
    timeline = [
        _citizen_event_from(
            at=dt.datetime.fromisoformat(at),
            action=action,
            reason=reason or "",
            data=data if isinstance(data, dict) else {},
            step_name=step_name,
        )
        for at, action, reason, data, step_name in events
    ]
    return _public_view(found, timeline)


def timeline_for_citizen(*, dossier: Dossier) -> list[CitizenEvent]:
    """The dossier's history for the applicant: no internal notes, no officer-internal events,
    no officer names; reasons only where they are written for the applicant."""
    events = (
        DossierEvent.objects.filter(
            dossier=dossier, internal=False, action__in=list(CITIZEN_TITLES)
        )
        .select_related("step")
        .only("at", "action", "reason", "data", "step__name", "sequence")
        .order_by("sequence")
    )
    return [_citizen_event(event) for event in events]


def _documents(data: dict[str, Any]) -> tuple[RequestedDocument, ...]:
    items = data.get("items") if isinstance(data, dict) else None
    if not isinstance(items, list):
        return ()
    return tuple(
        RequestedDocument(name=str(item.get("name", "")), reason=str(item.get("reason", "")))
        for item in items
        if isinstance(item, dict) and item.get("name")
    )


def _citizen_event(event: DossierEvent) -> CitizenEvent:
    return _citizen_event_from(
        at=event.at,
        action=event.action,
        reason=event.reason,
        data=event.data if isinstance(event.data, dict) else {},
        step_name=event.step.name if event.step is not None else None,
    )


def _citizen_event_from(
    *, at: dt.datetime, action: str, reason: str, data: dict[str, Any], step_name: str | None
) -> CitizenEvent:
    title = str(CITIZEN_TITLES[action])
    detail = reason if action in REASON_FOR_CITIZEN else ""
    if action == Action.HANDOVER and step_name is not None:
        title = _("Chuyển bước xử lý: %(step)s") % {"step": step_name}
    elif action in (Action.TRANSFER, Action.RECEIVE_BACK) and data.get("agency"):
        detail = str(data["agency"])
    documents = _documents(data) if action in _SUPPLEMENT_ACTIONS else ()
    return CitizenEvent(at=at, title=title, detail=detail, documents=documents)


def _public_view(dossier: _Found, timeline: list[CitizenEvent]) -> PublicDossier:
    status = Status(dossier.status)
    finished = status in _FINISHED
    now = timezone.now()
    # KPI lateness is against the original appointment (R14); the citizen
    # is told about the appointment in force.
    overdue = bool(not finished and dossier.appointment is not None and dossier.appointment < now)
    requested: list[RequestedDocument] = []
    supplement_reason = ""
    if status in _PENDING_SUPPLEMENT:
        for event in reversed(timeline):
            if event.documents:
                requested = list(event.documents)
                supplement_reason = event.detail
                break
    return PublicDossier(
        id=dossier.id,
        code=dossier.code or dossier.reference,
        procedure_name=dossier.procedure_name,
        status=status.value,
        status_label=str(status.label),
        status_explanation=str(STATUS_EXPLANATIONS[status]),
        receiving_unit_name=dossier.receiving_unit_name,
        applicant_name=mask_name(dossier.applicant_name),
        applicant_phone=mask_phone(dossier.applicant_phone),
        applicant_id_number=mask_id_number(dossier.applicant_id_number),
        submitted_at=dossier.submitted_at,
        received_at=dossier.received_at if dossier.code else None,
        appointment_original=dossier.appointment_original,
        appointment=dossier.appointment,
        reappointed=bool(
            dossier.appointment_original
            and dossier.appointment
            and dossier.appointment != dossier.appointment_original
        ),
        overdue=overdue,
        finished=finished,
        returned_at=dossier.returned_at,
        timeline=timeline,
        requested_documents=requested,
        supplement_reason=supplement_reason,
    )
