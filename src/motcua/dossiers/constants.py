"""Choices for dossiers (hồ sơ), their steps and events."""

from __future__ import annotations

import datetime as dt

from django.db import models
from django.utils.translation import gettext_lazy as _


class RuleSet(models.TextChoices):
    """The legal texts a dossier is handled under, fixed at receipt (domain.md section 0)."""

    DECREE_61_2018 = "2018", _("Nghị định 61/2018, Thông tư 01/2018 (6 biểu mẫu)")
    DECREE_118_2025 = "2025", _("Nghị định 118/2025, Thông tư 03/2025 (7 biểu mẫu)")


RULE_SET_STARTS = ((dt.date(2025, 7, 1), RuleSet.DECREE_118_2025),)


# The decree an event of a dossier records as its legal basis, by rule set (R39).
_LEGAL_BASIS: dict[str, str] = {
    RuleSet.DECREE_61_2018: "Nghị định 61/2018/NĐ-CP",
    RuleSet.DECREE_118_2025: "Nghị định 118/2025/NĐ-CP",
}


def legal_basis_of(rule_set: str) -> str:
    """The decree of ``rule_set`` (Decree 61/2018 for a dossier without one)."""
    return _LEGAL_BASIS.get(rule_set, _LEGAL_BASIS[RuleSet.DECREE_61_2018])


def rule_set_for(day: dt.date) -> RuleSet:
    """The rule set in force on ``day`` (Decree 118/2025 from 1 July 2025)."""
    for start, rule_set in RULE_SET_STARTS:
        if day >= start:
            return rule_set
    return RuleSet.DECREE_61_2018


class Status(models.TextChoices):
    """Where a dossier is in its lifecycle; the transitions are in ``workflow.py``."""

    SUBMITTED = "submitted", _("Chờ tiếp nhận")
    AWAITING_COMPLETION = "awaiting_completion", _("Chưa tiếp nhận, chờ hoàn thiện")
    INTAKE_REFUSED = "intake_refused", _("Từ chối tiếp nhận")
    IN_PROGRESS = "in_progress", _("Đang giải quyết")
    SUPPLEMENT_REQUESTED = "supplement_requested", _("Chờ bổ sung hồ sơ")
    AT_OTHER_AGENCY = "at_other_agency", _("Đang liên thông")
    RESULT_READY = "result_ready", _("Chờ trả kết quả")
    RETURNED = "returned", _("Đã trả kết quả")
    REFUSED = "refused", _("Từ chối giải quyết")
    STOPPED = "stopped", _("Dừng giải quyết")


class Channel(models.TextChoices):
    """Submission channel, with the national sync codes 1/2/3 (R24)."""

    IN_PERSON = "in_person", _("Trực tiếp")
    ONLINE = "online", _("Trực tuyến")
    POSTAL = "postal", _("Bưu chính công ích")

    @property
    def sync_code(self) -> int:
        return {"in_person": 1, "online": 2, "postal": 3}[self.value]


class ReturnChannel(models.TextChoices):
    COUNTER = "counter", _("Tại Bộ phận Một cửa")
    POSTAL = "postal", _("Qua bưu chính công ích")
    ONLINE = "online", _("Trực tuyến")


class ApplicantKind(models.TextChoices):
    PERSON = "person", _("Cá nhân")
    ORGANISATION = "organisation", _("Tổ chức, doanh nghiệp")


class Outcome(models.TextChoices):
    """A step's or a dossier's timeliness (Form 05/06: trước hạn / đúng hạn / quá hạn)."""

    EARLY = "early", _("Trước hạn")
    ON_TIME = "on_time", _("Đúng hạn")
    LATE = "late", _("Quá hạn")


class PaymentChannel(models.TextChoices):
    """How a fee was paid (R25: 0 cash, 1 national portal, 2 local gateway)."""

    CASH = "cash", _("Tiền mặt tại quầy")
    NATIONAL_PORTAL = "national_portal", _("Cổng Dịch vụ công quốc gia")
    LOCAL_GATEWAY = "local_gateway", _("Cổng thanh toán của địa phương")


class StopCause(models.TextChoices):
    APPLICANT_REQUEST = "applicant_request", _("Theo đề nghị của người nộp hồ sơ")
    LEGAL_CAUSE = "legal_cause", _("Theo quy định của pháp luật")


class Action(models.TextChoices):
    """What an event records; one per service."""

    SUBMIT_ONLINE = "submit_online", _("Nộp hồ sơ trực tuyến")
    RECEIVE = "receive", _("Tiếp nhận hồ sơ")
    ACCEPT_ONLINE = "accept_online", _("Tiếp nhận hồ sơ trực tuyến")
    ASK_TO_COMPLETE = "ask_to_complete", _("Hướng dẫn hoàn thiện hồ sơ")
    RESUBMIT = "resubmit", _("Nộp lại hồ sơ đã hoàn thiện")
    REFUSE_INTAKE = "refuse_intake", _("Từ chối tiếp nhận")
    HANDOVER = "handover", _("Chuyển bước xử lý")
    ASSIGN = "assign", _("Phân công lại người xử lý")
    SEND_BACK = "send_back", _("Trả lại bước trước")
    REQUEST_SUPPLEMENT = "request_supplement", _("Yêu cầu bổ sung hồ sơ")
    RECEIVE_SUPPLEMENT = "receive_supplement", _("Nhận hồ sơ bổ sung")
    TRANSFER = "transfer", _("Chuyển liên thông")
    RECEIVE_BACK = "receive_back", _("Nhận lại hồ sơ liên thông")
    REFUSE = "refuse", _("Từ chối giải quyết")
    STOP = "stop", _("Dừng giải quyết")
    RESULT_READY = "result_ready", _("Có kết quả")
    RETURN_RESULT = "return_result", _("Trả kết quả")
    REMIND = "remind", _("Nhắc nhận kết quả")
    NOTE = "note", _("Ghi chú")
    # Accountability for delay (issue 5): recorded by the sweep and by the
    # explanation and apology services; none of them changes the status.
    STEP_DUE_SOON = "step_due_soon", _("Bước xử lý sắp đến hạn")
    STEP_LATE = "step_late", _("Bước xử lý quá hạn")
    DUE_SOON = "due_soon", _("Hồ sơ sắp đến hạn trả kết quả")
    LATE = "late", _("Hồ sơ quá hạn trả kết quả")
    EXPLAIN = "explain", _("Giải trình chậm muộn")
    APOLOGISE = "apologise", _("Xin lỗi và hẹn lại ngày trả kết quả")
    REAPPOINTMENT_REFUSED = "reappointment_refused", _("Từ chối hẹn lại lần thứ hai")


class DeadlineState(models.TextChoices):
    """Where an open step or dossier stands against its deadline (issue 5)."""

    ON_TIME = "on_time", _("Trong hạn")
    DUE_SOON = "due_soon", _("Sắp đến hạn")
    LATE = "late", _("Quá hạn")


class GateMode(models.TextChoices):
    """What the accountability gate does (domain.md product decision 4)."""

    BLOCK = "block", _("Chặn chuyển tiếp đến khi giải trình, xin lỗi")
    WARN = "warn", _("Chỉ cảnh báo")
