"""Dossiers in every state a form is printed in, under both rule sets, for the form tests.

The 2025 dossiers are received on Tue 17/11/2026 09:10 (appointment Fri
27/11/2026 17:00, as in the lifecycle tests). The 2018 ones are received on
Mon 30/06/2025 09:10, the last day of Decree 61/2018, and keep its forms
while they are processed in July.
"""

from __future__ import annotations

import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pytest
import time_machine

from motcua.dossiers.constants import ReturnChannel, RuleSet, StopCause
from motcua.dossiers.models import Dossier
from motcua.dossiers.services import (
    FeeTaken,
    ResultDocument,
    SupplementItem,
    dossier_ask_to_complete,
    dossier_handover,
    dossier_receive,
    dossier_refuse_intake,
    dossier_request_supplement,
    dossier_result_ready,
    dossier_return_result,
    dossier_stop,
)
from motcua.dossiers.tests.conftest import APPLICANT, Ward, at, complete_documents


@dataclass(frozen=True)
class Dates:
    """When each thing happens to a dossier of the scenario (local times)."""

    receipt: str
    to_specialist: str
    to_leader: str
    result: str
    returned: str
    # How the forms print the receipt and the appointment.
    receipt_words: str
    appointment_words: str


DATES = {
    RuleSet.DECREE_118_2025: Dates(
        receipt="2026-11-17T09:10",
        to_specialist="2026-11-18T09:00",  # the counter's 4-hour share is over: late
        to_leader="2026-11-18T15:00",
        result="2026-11-19T09:00",
        returned="2026-11-19T10:30",
        receipt_words="09 giờ 10 phút, ngày 17/11/2026",
        appointment_words="17 giờ 00 phút, ngày 27/11/2026",
    ),
    RuleSet.DECREE_61_2018: Dates(
        receipt="2025-06-30T09:10",
        to_specialist="2025-07-01T09:00",
        to_leader="2025-07-01T15:00",
        result="2025-07-02T09:00",
        returned="2025-07-02T10:30",
        receipt_words="09 giờ 10 phút, ngày 30/06/2025",
        # 7 working days from Tue 1/7/2025.
        appointment_words="17 giờ 00 phút, ngày 09/07/2025",
    ),
}
RULE_SETS = [RuleSet.DECREE_61_2018, RuleSet.DECREE_118_2025]
FEE = FeeTaken(name="Lệ phí đăng ký cư trú", amount=20000, receipt_number="0001234")


def received(ward: Ward, rule_set: str, *, when: str | None = None) -> Dossier:
    """Received at the counter of the ward's centre, with the fee taken."""
    with time_machine.travel(at(when or DATES[rule_set].receipt), tick=False):
        return dossier_receive(
            actor=ward.counter.user,
            unit=ward.centre,
            procedure=ward.procedure,
            applicant=APPLICANT,
            documents=complete_documents(ward.version),
            fees=[FEE],
        )


def returned(ward: Ward, rule_set: str) -> Dossier:
    """Through every step (the counter late, the specialist early) and handed back."""
    dates = DATES[rule_set]
    dossier = received(ward, rule_set)
    with time_machine.travel(at(dates.to_specialist), tick=False):
        dossier_handover(
            dossier=dossier,
            actor=ward.counter.user,
            to_assignee=ward.specialist,
            note="Chuyển thụ lý",
        )
    with time_machine.travel(at(dates.to_leader), tick=False):
        dossier_handover(dossier=dossier, actor=ward.specialist.user, to_assignee=ward.leader)
    with time_machine.travel(at(dates.result), tick=False):
        dossier_result_ready(
            dossier=dossier,
            actor=ward.leader.user,
            results=[
                ResultDocument(
                    procedure_id=ward.procedure.pk,
                    name="Xác nhận đăng ký thường trú",
                    document_number="123/GXN",
                )
            ],
        )
    with time_machine.travel(at(dates.returned), tick=False):
        dossier_return_result(
            dossier=dossier,
            actor=ward.counter.user,
            channel=ReturnChannel.COUNTER,
            recipient_name="Nguyễn Văn Bình",
            acknowledgement="Đã ký nhận vào sổ theo dõi",
        )
    dossier.refresh_from_db()
    return dossier


def asked_to_complete(ward: Ward, rule_set: str) -> Dossier:
    """Form 02 before receipt: the applicant at the counter, no code."""
    component = ward.version.documents.filter(required=True).order_by("position", "pk").first()
    assert component is not None
    with time_machine.travel(at(DATES[rule_set].receipt), tick=False):
        return dossier_ask_to_complete(
            actor=ward.counter.user,
            unit=ward.centre,
            procedure=ward.procedure,
            applicant=APPLICANT,
            items=[SupplementItem(component.pk, reason="Thiếu bản chính, chữ ký chưa đúng")],
            reason="Hồ sơ chưa đủ thành phần theo quy định",
        )


def supplement_requested(ward: Ward, rule_set: str) -> Dossier:
    """Form 02 during processing: the specialist asks, the day after receipt."""
    dates = DATES[rule_set]
    component = ward.version.documents.filter(required=True).order_by("position", "pk").first()
    assert component is not None
    dossier = received(ward, rule_set)
    with time_machine.travel(at(dates.to_specialist), tick=False):
        dossier_handover(dossier=dossier, actor=ward.counter.user, to_assignee=ward.specialist)
    with time_machine.travel(at(dates.to_leader), tick=False):
        dossier_request_supplement(
            dossier=dossier,
            actor=ward.specialist.user,
            items=[SupplementItem(component.pk, reason="Bản sao không rõ, cần bản chính")],
            reason="Cần bổ sung để đối chiếu thông tin cư trú",
        )
    dossier.refresh_from_db()
    return dossier


def refused_intake(ward: Ward, rule_set: str) -> Dossier:
    """Form 03: refused at the counter (no code)."""
    with time_machine.travel(at(DATES[rule_set].receipt), tick=False):
        return dossier_refuse_intake(
            actor=ward.counter.user,
            reason="Không thuộc thẩm quyền giải quyết của phường Long Biên",
            unit=ward.centre,
            procedure=ward.procedure,
            applicant=APPLICANT,
        )


def stopped(ward: Ward, rule_set: str) -> Dossier:
    """The applicant withdrew: the leader stops processing (R20)."""
    dates = DATES[rule_set]
    ward.leader.position = "Phó Chủ tịch UBND phường"
    ward.leader.save(update_fields=["position"])
    dossier = received(ward, rule_set)
    with time_machine.travel(at(dates.to_specialist), tick=False):
        dossier_handover(dossier=dossier, actor=ward.counter.user, to_assignee=ward.specialist)
    with time_machine.travel(at(dates.result), tick=False):
        dossier_stop(
            dossier=dossier,
            actor=ward.leader.user,
            cause=StopCause.APPLICANT_REQUEST,
            requested_at=at(dates.to_leader),
            decision="Dừng giải quyết theo đơn đề nghị rút hồ sơ của công dân",
            fee_handling="Không hoàn lại lệ phí đã nộp",
        )
    dossier.refresh_from_db()
    return dossier


# --- reading PDFs back -----------------------------------------------------------------


def needs(tool: str, package: str) -> str:
    path = shutil.which(tool)
    if path is None:
        pytest.skip(f"{tool} not installed: run `make deps-pdf` (Debian {package})")
    return path


def run(tool: str, package: str, *args: str) -> str:
    """The output of a poppler or zbar tool, skipping the test when it is not installed."""
    command = [needs(tool, package), *args]
    return subprocess.run(command, check=False, capture_output=True, text=True).stdout  # noqa: S603


def pdf_text(pdf: bytes, tmp_path: Path, name: str = "form.pdf") -> str:
    """The text in drawing order, one space between words."""
    path = tmp_path / name
    path.write_bytes(pdf)
    return " ".join(run("pdftotext", "poppler-utils", "-raw", str(path), "-").split())


def pdf_pages(pdf: bytes, tmp_path: Path) -> int:
    path = tmp_path / "pages.pdf"
    path.write_bytes(pdf)
    info = run("pdfinfo", "poppler-utils", str(path))
    for line in info.splitlines():
        if line.startswith("Pages:"):
            return int(line.split()[1])
    return 0


def pdf_page_size_mm(pdf: bytes, tmp_path: Path) -> tuple[int, int]:
    """Width and height of the first page, in whole millimetres."""
    path = tmp_path / "size.pdf"
    path.write_bytes(pdf)
    info = run("pdfinfo", "poppler-utils", str(path))
    for line in info.splitlines():
        if line.startswith("Page size:"):
            parts = line.split()
            width, height = float(parts[2]), float(parts[4])
            return round(width / 72 * 25.4), round(height / 72 * 25.4)
    return 0, 0


def qr_payloads(pdf: bytes, tmp_path: Path) -> list[str]:
    """What the QR codes on the first page say (rendered at 200 dpi, read by zbarimg)."""
    needs("zbarimg", "zbar-tools")
    path = tmp_path / "qr.pdf"
    path.write_bytes(pdf)
    run(
        "pdftoppm",
        "poppler-utils",
        "-png",
        "-r",
        "200",
        "-f",
        "1",
        "-l",
        "1",
        str(path),
        str(tmp_path / "qr"),
    )
    images = sorted(tmp_path.glob("qr*.png"))
    assert images, "pdftoppm rendered no page"
    output = run("zbarimg", "zbar-tools", "--quiet", "--raw", str(images[0]))
    return [line for line in output.splitlines() if line.strip()]
