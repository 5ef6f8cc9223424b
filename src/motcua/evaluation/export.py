"""The paper ballots this replaces: the individual form and the unit summary, PDF and Excel."""

from __future__ import annotations

from decimal import Decimal
from io import BytesIO
from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

from motcua.core.pdf import render_pdf
from motcua.evaluation import selectors
from motcua.evaluation.constants import GRADE_ORDER
from motcua.evaluation.models import Cycle, Sheet


def _criteria_rows(sheet: Sheet) -> list[dict[str, Any]]:
    rows = []
    for item in sheet.cycle.scheme.criteria.all():
        rows.append(
            {
                "code": item.code,
                "name": item.name,
                "group": item.get_group_display(),
                "max": item.max_points,
                "self": (sheet.self_scores or {}).get(item.code, ""),
                "proposed": (sheet.proposed_scores or {}).get(item.code, ""),
                "final": (sheet.final_scores or {}).get(item.code, ""),
            }
        )
    return rows


def sheet_context(sheet: Sheet) -> dict[str, Any]:
    """What the individual form shows, for the screen, the PDF and the workbook."""
    scheme = sheet.cycle.scheme
    disqualifiers = {item["code"]: item["name"] for item in scheme.disqualifiers or []}
    return {
        "sheet": sheet,
        "cycle": sheet.cycle,
        "scheme": scheme,
        "criteria": _criteria_rows(sheet),
        "figures": selectors.figure_lines(sheet=sheet),
        "self_grade": scheme.grade_label(sheet.self_grade) if sheet.self_grade else "",
        "proposed_grade": scheme.grade_label(sheet.proposed_grade) if sheet.proposed_grade else "",
        "final_grade": scheme.grade_label(sheet.final_grade) if sheet.final_grade else "",
        "disqualifier_names": [
            disqualifiers.get(code, code) for code in sheet.disqualifiers or []
        ],
    }


def sheet_pdf(*, sheet: Sheet, request: HttpRequest | None) -> bytes:
    """The individual evaluation form (phiếu đánh giá, xếp loại hằng tháng)."""
    return render_pdf(
        template="pdf/evaluation/sheet.html", context=sheet_context(sheet), request=request
    )


def cycle_context(cycle: Cycle) -> dict[str, Any]:
    """The unit summary: every sheet with its points and level, counts and quota use."""
    sheets = list(
        cycle.sheets.select_related("officer__user").order_by("officer__user__full_name", "pk")
    )
    counts = {grade.value: 0 for grade in GRADE_ORDER}
    for sheet in sheets:
        if sheet.final_grade:
            counts[sheet.final_grade] += 1
    scheme = cycle.scheme
    return {
        "cycle": cycle,
        "scheme": scheme,
        "rows": [
            {
                "sheet": sheet,
                "self_total": sheet.self_total,
                "proposed_total": sheet.proposed_total,
                "final_total": sheet.final_total,
                "grade": scheme.grade_label(sheet.final_grade) if sheet.final_grade else "",
            }
            for sheet in sheets
        ],
        "counts": [(scheme.grade_label(grade), counts[grade.value]) for grade in GRADE_ORDER],
        "quota": selectors.cycle_quota(cycle=cycle),
        "quota_percent": selectors.quota_percent(cycle),
        "generated_at": timezone.localtime(),
    }


def cycle_pdf(*, cycle: Cycle, request: HttpRequest | None) -> bytes:
    """The unit's monthly summary (bảng tổng hợp kết quả đánh giá, xếp loại)."""
    return render_pdf(
        template="pdf/evaluation/summary.html", context=cycle_context(cycle), request=request
    )


def _number(value: Decimal | str | None) -> float | str:
    if value in (None, ""):
        return ""
    return float(Decimal(str(value)))


def _workbook_bytes(workbook: Workbook) -> bytes:
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def sheet_xlsx(*, sheet: Sheet) -> bytes:
    """The individual form as a workbook: criteria with the three columns, then the figures."""
    context = sheet_context(sheet)
    workbook = Workbook()
    ws = workbook.active
    assert ws is not None
    ws.title = _("Phiếu đánh giá")[:31]
    ws.append([_("PHIẾU ĐÁNH GIÁ, XẾP LOẠI HẰNG THÁNG")])
    ws["A1"].font = Font(bold=True, size=13)
    ws.append([_("Họ và tên"), sheet.officer.full_name])
    ws.append([_("Đơn vị"), sheet.officer.unit.name])
    ws.append([_("Tháng"), f"{sheet.cycle.month:02d}/{sheet.cycle.year}"])
    ws.append([_("Bộ tiêu chí"), sheet.cycle.scheme.name])
    ws.append([])
    header = [
        _("Mã"),
        _("Tiêu chí"),
        _("Điểm tối đa"),
        _("Tự chấm"),
        _("Đề xuất"),
        _("Quyết định"),
    ]
    ws.append(header)
    for cell in ws[ws.max_row]:
        cell.font = Font(bold=True)
    for row in context["criteria"]:
        ws.append(
            [
                row["code"],
                row["name"],
                _number(row["max"]),
                _number(row["self"]),
                _number(row["proposed"]),
                _number(row["final"]),
            ]
        )
    ws.append(
        [
            "",
            _("Tổng điểm"),
            "",
            _number(sheet.self_total),
            _number(sheet.proposed_total),
            _number(sheet.final_total),
        ]
    )
    ws.append(
        [
            "",
            _("Xếp loại"),
            "",
            context["self_grade"],
            context["proposed_grade"],
            context["final_grade"],
        ]
    )
    ws.append([])
    ws.append([_("Số liệu từ công việc thực tế"), "", _("Số lượng")])
    ws.cell(row=ws.max_row, column=1).font = Font(bold=True)
    for line in context["figures"]:
        ws.append(["", line.label, line.value])
    ws.column_dimensions["B"].width = 70
    for column in "CDEF":
        ws.column_dimensions[column].width = 13
    for row_cells in ws.iter_rows(min_row=8):
        row_cells[1].alignment = Alignment(wrap_text=True, vertical="top")
    return _workbook_bytes(workbook)


def cycle_xlsx(*, cycle: Cycle) -> bytes:
    """The unit summary as a workbook."""
    context = cycle_context(cycle)
    workbook = Workbook()
    ws = workbook.active
    assert ws is not None
    ws.title = _("Tổng hợp")[:31]
    ws.append(
        [
            _("TỔNG HỢP KẾT QUẢ ĐÁNH GIÁ, XẾP LOẠI CÁN BỘ THÁNG %(period)s")
            % {"period": f"{cycle.month:02d}/{cycle.year}"}
        ]
    )
    ws["A1"].font = Font(bold=True, size=13)
    ws.append([cycle.unit.name])
    ws.append([])
    ws.append(
        [
            _("STT"),
            _("Họ và tên"),
            _("Chức vụ"),
            _("Tự chấm"),
            _("Đề xuất"),
            _("Điểm"),
            _("Xếp loại"),
        ]
    )
    for cell in ws[ws.max_row]:
        cell.font = Font(bold=True)
    for index, row in enumerate(context["rows"], start=1):
        sheet = row["sheet"]
        ws.append(
            [
                index,
                sheet.officer.full_name,
                sheet.officer.position,
                _number(row["self_total"]),
                _number(row["proposed_total"]),
                _number(row["final_total"]),
                row["grade"],
            ]
        )
    ws.append([])
    for label, count in context["counts"]:
        ws.append(["", label, count])
    quota = context["quota"]
    ws.append(
        [
            "",
            _("Tỷ lệ mức cao nhất: %(top)s/%(cap)s được phép")
            % {"top": quota.top, "cap": quota.cap},
        ]
    )
    ws.column_dimensions["B"].width = 40
    ws.column_dimensions["C"].width = 20
    ws.column_dimensions["G"].width = 36
    return _workbook_bytes(workbook)
