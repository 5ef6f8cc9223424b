"""The events that may be notified, each with its Vietnamese name.

A caller names one of these keys in :func:`motcua.notifications.services.notify`;
its texts live in ``templates/notifications/<key>/`` (``subject.txt``, then
``<channel>.txt`` or ``body.txt``). Keeping the list here makes a typo in a
caller fail at once instead of producing a message with no text.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class EventType:
    """One kind of event that produces notifications."""

    key: str
    label: str | Promise
    # Context keys the templates need; notify() refuses a context without them.
    requires: tuple[str, ...] = ()


_DOSSIER = ("code", "procedure_name")

EVENT_TYPES: dict[str, EventType] = {
    event.key: event
    for event in (
        EventType(
            "dossier.received",
            _("Tiếp nhận hồ sơ"),
            (*_DOSSIER, "applicant_name", "appointment"),
        ),
        EventType(
            "dossier.supplement_requested",
            _("Yêu cầu bổ sung, hoàn thiện hồ sơ"),
            (*_DOSSIER, "applicant_name", "reason"),
        ),
        EventType("dossier.refused", _("Từ chối giải quyết hồ sơ"), (*_DOSSIER, "reason")),
        EventType(
            "dossier.result_ready", _("Có kết quả giải quyết hồ sơ"), (*_DOSSIER, "unit_name")
        ),
        EventType(
            "dossier.apology_issued",
            _("Xin lỗi và hẹn lại ngày trả kết quả"),
            (*_DOSSIER, "reason", "appointment", "new_appointment", "unit_name"),
        ),
        EventType(
            "dossier.due_soon",
            _("Hồ sơ sắp đến hạn trả kết quả"),
            (*_DOSSIER, "appointment"),
        ),
        EventType("dossier.late", _("Hồ sơ quá hạn trả kết quả"), (*_DOSSIER, "appointment")),
        EventType(
            "step.assigned",
            _("Được giao xử lý hồ sơ"),
            (*_DOSSIER, "step_name", "deadline"),
        ),
        EventType(
            "step.due_soon",
            _("Bước xử lý sắp đến hạn"),
            (*_DOSSIER, "step_name", "deadline"),
        ),
        EventType("step.late", _("Bước xử lý quá hạn"), (*_DOSSIER, "step_name", "deadline")),
        # A citizen-care letter (motcua.letters) attached to the procedure.
        EventType(
            "dossier.care_letter",
            _("Thư chăm sóc công dân"),
            (*_DOSSIER, "letter_title", "letter_text"),
        ),
        EventType(
            "dossier.reappointment_refused",
            _("Đề nghị hẹn lại lần thứ hai bị từ chối"),
            (*_DOSSIER, "unit_name", "new_appointment", "reason"),
        ),
        # A citizen account's verification code (motcua.citizens).
        EventType(
            "citizen.verification_code",
            _("Mã xác thực tài khoản"),
            ("code", "minutes"),
        ),
        # The thank-you letter for a PAKN that led to a fix (motcua.feedback).
        EventType(
            "feedback.thanks",
            _("Thư cảm ơn người gửi phản ánh, kiến nghị"),
            ("code", "title", "sender_name", "unit_name"),
        ),
    )
}


def event_type(key: str) -> EventType:
    """The registered event ``key``; ``KeyError`` for an unknown one."""
    return EVENT_TYPES[key]
