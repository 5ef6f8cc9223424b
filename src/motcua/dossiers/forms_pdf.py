"""The official one-stop forms (biểu mẫu), printed as PDF from the dossier's data.

Circular 01/2018/TT-VPCP has six forms and Circular 03/2025/TT-VPCP seven
(domain.md 1.4); the layout is chosen by ``dossier.rule_set``, fixed at
receipt, so a dossier received on 30 June 2025 is still printed on the 2018
forms. Everything printed comes from the database, never retyped.

Paper: the slips (01 receipt, 02 supplement request, 03 refusal, and the
control slip that travels with the dossier) are A5, as Circular 01/2018 says
for every form but the book; the notice of stopping is an A4 administrative
letter; the tracking book (``tracking_book.py``) is A4 landscape. Circular
03/2025's gazette layouts were not available when this was written: its forms
keep the 2018 layouts with the 2025 numbers and titles (confirm against the
gazette PDF, domain.md 1.4).
"""

from __future__ import annotations

import datetime as dt
import itertools
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.db import models
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from motcua.accounts.constants import ADMINISTRATIVE_KINDS
from motcua.accounts.models import Unit
from motcua.catalog.qr import qr_png_data_uri
from motcua.catalog.selectors import period_label, version_period
from motcua.core.exceptions import Conflict, NotFound
from motcua.core.formatting import ADMIN_PREFIXES, date_words, place_of, vnd
from motcua.core.pdf import css_string, render_pdf
from motcua.dossiers.constants import Action, ReturnChannel, RuleSet, Status, StopCause
from motcua.dossiers.models import (
    ApologySlip,
    Dossier,
    DossierEvent,
    StopNotice,
    SupplementRequest,
)
from motcua.dossiers.selectors import ControlSlipRow, dossier_control_slip
from motcua.workcalendar.engine import TZ

# The public status page; its query carries the code and the lookup secret
# printed on the receipt (issue 6).
LOOKUP_PATH = "/tra-cuu/"
# One dossier record is one set of papers (số lượng hồ sơ: 01 bộ); a bundle of
# procedures is still received as one set.
SETS_PER_DOSSIER = 1
CIRCULARS = {
    RuleSet.DECREE_61_2018: "Thông tư số 01/2018/TT-VPCP",
    RuleSet.DECREE_118_2025: "Thông tư số 03/2025/TT-VPCP",
}


class Form(models.TextChoices):
    """The forms motcua prints for one dossier (the URL names them)."""

    RECEIPT = "receipt", gettext_lazy("Giấy tiếp nhận hồ sơ và hẹn trả kết quả")
    SUPPLEMENT_REQUEST = (
        "supplement_request",
        gettext_lazy("Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ"),
    )
    INTAKE_REFUSAL = "intake_refusal", gettext_lazy("Phiếu từ chối tiếp nhận giải quyết hồ sơ")
    STOP_NOTICE = "stop_notice", gettext_lazy("Thông báo dừng giải quyết hồ sơ")
    CONTROL_SLIP = "control_slip", gettext_lazy("Phiếu kiểm soát quá trình giải quyết hồ sơ")
    APOLOGY = "apology", gettext_lazy("Phiếu xin lỗi và hẹn lại ngày trả kết quả")


# The form number of each form under each circular; None: the circular has no
# such form (Circular 01/2018 has no notice of stopping).
FORM_NUMBERS: dict[str, dict[str, str | None]] = {
    RuleSet.DECREE_61_2018: {
        Form.RECEIPT: "01",
        Form.SUPPLEMENT_REQUEST: "02",
        Form.INTAKE_REFUSAL: "03",
        Form.STOP_NOTICE: None,
        Form.CONTROL_SLIP: "05",
        Form.APOLOGY: "04",
        "tracking_book": "06",
    },
    RuleSet.DECREE_118_2025: {
        Form.RECEIPT: "01",
        Form.SUPPLEMENT_REQUEST: "02",
        Form.INTAKE_REFUSAL: "03",
        Form.STOP_NOTICE: "05",
        Form.CONTROL_SLIP: "06",
        Form.APOLOGY: "04",
        "tracking_book": "07",
    },
}


class FormNotApplicable(Conflict):
    """The form does not fit the dossier's state (e.g. a receipt before receipt)."""

    code = "form_not_applicable"


# --- words for people ------------------------------------------------------------


def _local(value: dt.datetime) -> dt.datetime:
    return timezone.localtime(value, TZ)


def time_words(value: dt.datetime | None) -> str:
    """ "09 giờ 10 phút, ngày 17/11/2026" (local time); "" for None."""
    if value is None:
        return ""
    local = _local(value)
    return _("%(hour)s giờ %(minute)s phút, ngày %(date)s") % {
        "hour": f"{local:%H}",
        "minute": f"{local:%M}",
        "date": f"{local:%d/%m/%Y}",
    }


def place_name(unit: Unit) -> str:
    """The place line of a form: the administrative unit without its kind ("Long Biên")."""
    return place_of(unit.name, kind=unit.admin_type)


@dataclass(frozen=True)
class Issuer:
    """The issuing body in the top-left corner, and the place of the date line."""

    parent: str
    name: str
    place: str


def _lower_kind(unit: Unit) -> str:
    """ "Phường Long Biên" → "phường Long Biên", to follow "Ủy ban nhân dân"."""
    name = unit.name.strip()
    for prefix in (unit.admin_type, *ADMIN_PREFIXES):
        if prefix and name.startswith(prefix + " "):
            return prefix.lower() + name[len(prefix) :]
    return name


def authority_name(unit: Unit) -> str:
    """The competent authority in words: "Ủy ban nhân dân phường Long Biên" for a commune,
    district or province (their People's Committee decides); a body's own name otherwise."""
    if unit.kind in ADMINISTRATIVE_KINDS:
        return _("Ủy ban nhân dân %(unit)s") % {"unit": _lower_kind(unit)}
    return unit.name


def _parent_line(unit: Unit) -> str:
    """The line above a subordinate body: "UBND phường Long Biên" (Decree 30/2020 allows the
    abbreviation in the name of the governing body)."""
    if unit.kind in ADMINISTRATIVE_KINDS:
        return _("UBND %(unit)s") % {"unit": _lower_kind(unit)}
    return unit.name


def unit_issuer(unit: Unit) -> Issuer:
    """The issuer block of a one-stop ``unit`` (the tracking book): its administrative unit."""
    if unit.kind in ADMINISTRATIVE_KINDS:
        administrative: Unit = unit
    else:
        ancestors = {
            ancestor.pk: ancestor
            for ancestor in Unit.objects.filter(
                pk__in=unit.ancestor_ids, kind__in=ADMINISTRATIVE_KINDS
            )
        }
        administrative = next(
            (ancestors[pk] for pk in reversed(unit.ancestor_ids) if pk in ancestors), unit
        )
    if administrative.pk != unit.pk:
        parent = _parent_line(administrative)
    elif unit.parent_id and unit.parent is not None:
        parent = _parent_line(unit.parent)
    else:
        parent = ""
    return Issuer(parent=parent, name=unit.name, place=place_name(administrative))


def one_stop_issuer(dossier: Dossier) -> Issuer:
    """The one-stop unit that received the dossier, under its People's Committee."""
    receiving = dossier.receiving_unit
    administrative = dossier.processing_unit
    if administrative.pk != receiving.pk:
        parent = _parent_line(administrative)
    elif receiving.parent_id and receiving.parent is not None:
        parent = _parent_line(receiving.parent)
    else:
        parent = ""
    return Issuer(parent=parent, name=receiving.name, place=place_name(administrative))


def agency_issuer(dossier: Dossier) -> Issuer:
    """The competent agency (the notice of stopping is its decision, not the counter's)."""
    agency = dossier.processing_unit
    if agency.kind in ADMINISTRATIVE_KINDS:
        return Issuer(parent=_("Ủy ban nhân dân"), name=agency.name, place=place_name(agency))
    # A department: under the unit above it.
    parent = agency.parent.name if agency.parent_id and agency.parent is not None else ""
    return Issuer(parent=parent, name=agency.name, place=place_name(agency))


def lookup_url(*, dossier: Dossier, base_url: str) -> str:
    """The public status page of ``dossier`` with its secret: what the receipt's QR code opens."""
    query = urlencode({"ma": dossier.code or dossier.reference, "k": dossier.lookup_secret})
    return base_url.rstrip("/") + LOOKUP_PATH + "?" + query


def public_base_url(request: HttpRequest | None) -> str:
    """``MOTCUA_PUBLIC_URL`` when set (the address citizens reach), else this request's site."""
    configured = str(getattr(settings, "MOTCUA_PUBLIC_URL", "") or "").strip()
    if configured:
        return configured
    if request is not None:
        return request.build_absolute_uri("/")
    return "http://localhost/"


def _applicant(dossier: Dossier) -> dict[str, str]:
    return {
        "name": dossier.applicant_name,
        "address": dossier.applicant_address,
        "phone": dossier.applicant_phone,
        "email": dossier.applicant_email,
        "id_number": dossier.applicant_id_number,
    }


def _matter(dossier: Dossier) -> str:
    """The requested matter: the procedure name of the pinned version (and its code)."""
    version = dossier.procedure_version
    return _("%(name)s (mã thủ tục %(code)s)") % {
        "name": version.name,
        "code": version.procedure.code,
    }


def _sentence(text: str) -> str:
    """``text`` ending with a full stop, as it closes a sentence of the form."""
    text = text.strip()
    return text if not text or text[-1] in ".!?;:" else text + "."


def _base_context(dossier: Dossier, form: Form, issuer: Issuer, day: dt.date) -> dict[str, Any]:
    rule_set = RuleSet(dossier.rule_set)
    return {
        "dossier": dossier,
        "form": form,
        "form_title": form.label,
        "form_number": FORM_NUMBERS[rule_set][form],
        "circular": CIRCULARS[rule_set],
        "rule_set": rule_set,
        "is_2025": rule_set == RuleSet.DECREE_118_2025,
        "issuer": issuer,
        "date_line": _("%(place)s, %(date)s") % {"place": issuer.place, "date": date_words(day)},
        "applicant": _applicant(dossier),
        "matter": _matter(dossier),
        "hotline": settings.MOTCUA_HOTLINE,
        # Every page of a slip says which dossier it belongs to.
        "footer_code": css_string(
            _("%(form)s — %(label)s") % {"form": form.label, "label": dossier.label}
        ),
    }


# --- the receipt (Form 01) ----------------------------------------------------------


@dataclass(frozen=True)
class ComponentLine:
    number: int
    name: str
    originals: int
    copies: int
    note: str


def _where_to_collect(dossier: Dossier) -> str:
    receiving = dossier.receiving_unit
    if dossier.return_channel == ReturnChannel.POSTAL:
        return _("Qua dịch vụ bưu chính công ích, tại địa chỉ: %(address)s") % {
            "address": dossier.applicant_address or _("(chưa ghi địa chỉ)")
        }
    if dossier.return_channel == ReturnChannel.ONLINE:
        return _(
            "Trực tuyến: bản điện tử gửi vào tài khoản trên Cổng Dịch vụ công quốc gia "
            "và Kho quản lý dữ liệu điện tử của người nộp"
        )
    where = receiving.name
    if receiving.address:
        where = "%s, %s" % (where, receiving.address)  # noqa: UP031
    return _("Tại Bộ phận Một cửa — %(where)s") % {"where": where}


def _fee_lines(dossier: Dossier) -> list[str]:
    lines = []
    for fee in dossier.fees.order_by("id"):
        if fee.exempt:
            text = _("%(name)s: miễn (%(basis)s)") % {
                "name": fee.name,
                "basis": fee.exemption_basis,
            }
        else:
            text = "%s: %s" % (fee.name, vnd(fee.amount))  # noqa: UP031
            if fee.receipt_number:
                text += " " + _("(biên lai số %(number)s)") % {"number": fee.receipt_number}
        lines.append(text)
    return lines


def receipt_context(*, dossier: Dossier, base_url: str) -> dict[str, Any]:
    """Form 01: what was received, when, the appointment, the book entry and the lookup QR."""
    if not dossier.code or dossier.received_at is None:
        raise FormNotApplicable(
            _(
                "Hồ sơ %(label)s chưa được tiếp nhận nên chưa có Giấy tiếp nhận hồ sơ và hẹn "
                "trả kết quả."
            )
            % {"label": dossier.label}
        )
    # Imported here: the book module uses this one's issuer and date helpers.
    from motcua.dossiers.tracking_book import book_entry

    url = lookup_url(dossier=dossier, base_url=base_url)
    period = version_period(
        version=dossier.procedure_version, channel=dossier.channel
    ) or version_period(version=dossier.procedure_version)
    components = [
        ComponentLine(
            number=index,
            name=document.name,
            originals=document.originals,
            copies=document.copies,
            note=_("Khai thác từ dữ liệu số") if document.reused_from_data else "",
        )
        for index, document in enumerate(dossier.documents.order_by("id"), start=1)
    ]
    entry = book_entry(dossier=dossier)
    context = _base_context(
        dossier, Form.RECEIPT, one_stop_issuer(dossier), _local(dossier.received_at).date()
    )
    context.update(
        {
            "components": components,
            "sets": f"{SETS_PER_DOSSIER:02d}",
            "time_limit": period_label(period),
            "received_words": time_words(dossier.received_at),
            "appointment_words": time_words(dossier.appointment) or _("Không hẹn"),
            "where_to_collect": _where_to_collect(dossier),
            "fees": _fee_lines(dossier),
            "book": entry.book if entry else "",
            "book_number": entry.number if entry else "",
            "lookup_url": url,
            "qr": qr_png_data_uri(url),
            "officer": dossier.received_by.full_name if dossier.received_by else "",
            "channel": dossier.get_channel_display(),
        }
    )
    return context


# --- the supplement request (Form 02) ------------------------------------------------


@dataclass(frozen=True)
class SupplementLine:
    number: int
    name: str
    originals: int
    copies: int
    reason: str


def _request_number(request: SupplementRequest) -> str:
    """The stored number, else its order among the unit's requests of that year: "12/HDHS".

    Computed like the book's Số thứ tự, so that a reprint shows the same number.
    """
    if request.number:
        return request.number
    year = _local(request.requested_at).year
    start = dt.datetime(year, 1, 1, tzinfo=TZ)
    earlier = SupplementRequest.objects.filter(
        dossier__receiving_unit_id=request.dossier.receiving_unit_id,
        requested_at__gte=start,
        requested_at__lte=request.requested_at,
    ).exclude(requested_at=request.requested_at, pk__gt=request.pk)
    return "%s/HDHS" % earlier.count()  # noqa: UP031


def supplement_request_context(*, dossier: Dossier) -> dict[str, Any]:
    """Form 02: the dossier's latest request, before receipt or during processing."""
    request = (
        dossier.supplement_request_rows.select_related("requested_by__user", "requested_by__unit")
        .order_by("-requested_at", "-pk")
        .first()
    )
    if request is None:
        raise FormNotApplicable(
            _("Hồ sơ %(label)s không có yêu cầu bổ sung, hoàn thiện nào.")
            % {"label": dossier.label}
        )
    request.dossier = dossier
    officer = request.requested_by
    phone = officer.user.phone or officer.unit.phone or dossier.receiving_unit.phone
    # During processing the agency's request goes to the applicant through the
    # one-stop unit (Decree 61 art. 19): the unit issues the form either way.
    context = _base_context(
        dossier,
        Form.SUPPLEMENT_REQUEST,
        one_stop_issuer(dossier),
        _local(request.requested_at).date(),
    )
    context.update(
        {
            "request": request,
            "number": _request_number(request),
            "lines": [
                SupplementLine(
                    number=index,
                    name=str(item.get("name", "")),
                    originals=int(item.get("originals") or 0),
                    copies=int(item.get("copies") or 0),
                    reason=str(item.get("reason", "")),
                )
                for index, item in enumerate(request.items or [], start=1)
            ],
            "reason": request.reason,
            "during_processing": request.during_processing,
            "requested_words": time_words(request.requested_at),
            "officer": officer.full_name,
            "officer_phone": phone or settings.MOTCUA_HOTLINE,
        }
    )
    return context


# --- the intake refusal (Form 03) ------------------------------------------------------


def intake_refusal_context(*, dossier: Dossier) -> dict[str, Any]:
    """Form 03: the reason is the one recorded with the refusal (REFUSE_INTAKE event)."""
    event: DossierEvent | None = (
        dossier.events.filter(action=Action.REFUSE_INTAKE)
        .select_related("actor")
        .order_by("-sequence")
        .first()
    )
    if dossier.status != Status.INTAKE_REFUSED or event is None:
        raise FormNotApplicable(
            _("Hồ sơ %(label)s không bị từ chối tiếp nhận nên không có phiếu từ chối.")
            % {"label": dossier.label}
        )
    context = _base_context(
        dossier, Form.INTAKE_REFUSAL, one_stop_issuer(dossier), _local(event.at).date()
    )
    context.update(
        {
            "reason": event.reason,
            "refused_words": time_words(event.at),
            "officer": event.actor.full_name if event.actor else "",
        }
    )
    return context


# --- the notice of stopping (Form 05 of 2025) -----------------------------------------------


def stop_notice_context(*, dossier: Dossier) -> dict[str, Any]:
    """Form 05 of Circular 03/2025; under the 2018 rules a plain notice with the same data."""
    notice: StopNotice | None = (
        StopNotice.objects.filter(dossier=dossier)
        .select_related("decided_by__user", "decided_by__unit")
        .first()
    )
    if dossier.status != Status.STOPPED or notice is None:
        raise FormNotApplicable(
            _("Hồ sơ %(label)s không bị dừng giải quyết nên không có thông báo dừng.")
            % {"label": dossier.label}
        )
    event = dossier.events.filter(action=Action.STOP).order_by("-sequence").first()
    stopped_at = event.at if event is not None else notice.created_at
    context = _base_context(
        dossier, Form.STOP_NOTICE, agency_issuer(dossier), _local(stopped_at).date()
    )
    signer = notice.decided_by
    context.update(
        {
            "notice": notice,
            "on_request": notice.cause == StopCause.APPLICANT_REQUEST,
            "cause": notice.get_cause_display(),
            "requested_words": time_words(notice.requested_at),
            "received_words": time_words(dossier.received_at),
            "stopped_words": time_words(stopped_at),
            "legal_basis": event.legal_basis if event is not None else "",
            "agency": authority_name(dossier.processing_unit),
            "decision": _sentence(notice.decision),
            "fee_handling": _sentence(notice.fee_handling) or _("không phát sinh."),
            "signer": signer.full_name,
            "signer_position": signer.position,
            "no_official_form": FORM_NUMBERS[dossier.rule_set][Form.STOP_NOTICE] is None,
        }
    )
    return context


# --- the control slip (Form 05 of 2018 / 06 of 2025) -----------------------------------------


@dataclass(frozen=True)
class HandoverLine:
    """One handover: who gave the dossier to whom, when, and how the giving step ended."""

    giver_unit: str
    receiver_unit: str
    at_words: str
    giver: str
    receiver: str
    outcome: str
    outcome_label: str
    note: str


def _handover_lines(dossier: Dossier, rows: list[ControlSlipRow]) -> list[HandoverLine]:
    """Consecutive steps make one handover each; the return to the applicant closes the list.

    The result printed on a line is the giving step's (trước hạn / đúng hạn /
    quá hạn): it is the handover that ends that step.
    """
    lines = []
    for before, after in itertools.pairwise(rows):
        lines.append(
            HandoverLine(
                giver_unit=before.unit_name,
                receiver_unit=after.unit_name,
                at_words=time_words(after.handed_at),
                giver=after.handed_by,
                receiver=after.received_by,
                outcome=before.outcome,
                outcome_label=before.outcome_label,
                note=before.note,
            )
        )
    delivery = getattr(dossier, "delivery", None) if dossier.status == Status.RETURNED else None
    if rows and delivery is not None:
        last = rows[-1]
        lines.append(
            HandoverLine(
                giver_unit=last.unit_name,
                receiver_unit=_("Tổ chức, cá nhân (%(name)s)") % {"name": dossier.applicant_name},
                at_words=time_words(delivery.delivered_at),
                giver=delivery.delivered_by.full_name if delivery.delivered_by else "",
                receiver=delivery.recipient_name,
                outcome=last.outcome,
                outcome_label=last.outcome_label,
                note=last.note,
            )
        )
    return lines


def control_slip_context(*, dossier: Dossier) -> dict[str, Any]:
    """Form 05 (2018) / 06 (2025): one line per handover, from the steps (R9)."""
    if not dossier.code or dossier.received_at is None:
        raise FormNotApplicable(
            _("Hồ sơ %(label)s chưa được tiếp nhận nên chưa có phiếu kiểm soát.")
            % {"label": dossier.label}
        )
    rows = dossier_control_slip(dossier=dossier)
    coordinating = sorted(
        {step.agency_name for step in dossier.steps.exclude(agency_name="").only("agency_name")}
    ) or (
        [dossier.procedure_version.coordinating_agency]
        if dossier.procedure_version.coordinating_agency
        else []
    )
    context = _base_context(
        dossier, Form.CONTROL_SLIP, one_stop_issuer(dossier), _local(dossier.received_at).date()
    )
    context.update(
        {
            "lead_agency": authority_name(dossier.processing_unit),
            "coordinating": coordinating,
            "lines": _handover_lines(dossier, rows),
            "current": rows[-1] if rows and rows[-1].finished_at is None else None,
        }
    )
    return context


# --- the apology slip (Form 04) -----------------------------------------------------------

# Circular 03/2025 renamed Form 04 (domain.md 1.3).
APOLOGY_TITLES = {
    RuleSet.DECREE_61_2018: gettext_lazy("Phiếu xin lỗi và hẹn lại ngày trả kết quả"),
    RuleSet.DECREE_118_2025: gettext_lazy(
        "Văn bản xin lỗi và đề nghị gia hạn thời gian giải quyết"
    ),
}


def apology_context(*, dossier: Dossier) -> dict[str, Any]:
    """Form 04 (R12): issued by the unit that caused the delay and signed by its head."""
    slip: ApologySlip | None = (
        ApologySlip.objects.filter(dossier=dossier)
        .select_related("unit__parent", "signed_by__user")
        .first()
    )
    if slip is None:
        raise FormNotApplicable(
            _("Hồ sơ %(label)s chưa có phiếu xin lỗi và hẹn lại ngày trả kết quả.")
            % {"label": dossier.label}
        )
    unit = slip.unit
    if unit.kind in ADMINISTRATIVE_KINDS:
        issuer = Issuer(parent=_("Ủy ban nhân dân"), name=unit.name, place=place_name(unit))
    else:
        parent = unit.parent
        issuer = Issuer(
            parent=_parent_line(parent) if parent is not None else "",
            name=unit.name,
            place=place_name(dossier.processing_unit),
        )
    context = _base_context(dossier, Form.APOLOGY, issuer, _local(slip.issued_at).date())
    title = APOLOGY_TITLES[RuleSet(dossier.rule_set)]
    context.update(
        {
            "slip": slip,
            "form_title": title,
            "footer_code": css_string(
                _("%(form)s — %(label)s") % {"form": title, "label": dossier.label}
            ),
            "received_words": time_words(dossier.received_at),
            "original_words": time_words(slip.original_appointment),
            "new_words": time_words(slip.new_appointment),
            "reason": _sentence(slip.reason),
            "signer": slip.signed_by.full_name,
            "signer_position": slip.signed_by.position,
        }
    )
    return context


# --- printing --------------------------------------------------------------------------


def dossier_form_pdf(*, dossier: Dossier, form: str, request: HttpRequest | None = None) -> bytes:
    """``form`` of ``dossier`` as PDF bytes; FormNotApplicable when the state does not fit."""
    try:
        kind = Form(form)
    except ValueError:
        raise NotFound(_("Không có biểu mẫu «%(form)s».") % {"form": form[:40]}) from None
    if kind == Form.RECEIPT:
        context = receipt_context(dossier=dossier, base_url=public_base_url(request))
    elif kind == Form.SUPPLEMENT_REQUEST:
        context = supplement_request_context(dossier=dossier)
    elif kind == Form.INTAKE_REFUSAL:
        context = intake_refusal_context(dossier=dossier)
    elif kind == Form.STOP_NOTICE:
        context = stop_notice_context(dossier=dossier)
    elif kind == Form.APOLOGY:
        context = apology_context(dossier=dossier)
    else:
        context = control_slip_context(dossier=dossier)
    return render_pdf(template=f"pdf/dossiers/{kind.value}.html", context=context, request=request)


def form_filename(*, dossier: Dossier, form: str) -> str:
    """A file name that says what it is: ``giay-tiep-nhan-000.01.45.H26-261117-0001.pdf``."""
    names = {
        Form.RECEIPT: "giay-tiep-nhan",
        Form.SUPPLEMENT_REQUEST: "phieu-yeu-cau-bo-sung",
        Form.INTAKE_REFUSAL: "phieu-tu-choi-tiep-nhan",
        Form.STOP_NOTICE: "thong-bao-dung-giai-quyet",
        Form.CONTROL_SLIP: "phieu-kiem-soat",
        Form.APOLOGY: "phieu-xin-loi",
    }
    label = "".join(char for char in dossier.label if char.isalnum() or char in ".-")
    return "%s-%s.pdf" % (names[Form(form)], label)  # noqa: UP031
