"""The read-receipt list of one announcement as an Excel workbook (openpyxl)."""

from __future__ import annotations

import io

from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from motcua.announcements.models import Announcement
from motcua.announcements.selectors import ReadStatus


def read_status_xlsx(*, announcement: Announcement, status: ReadStatus) -> bytes:
    """A workbook: a heading, one row per recipient (unit, name, status, time), then per unit."""
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None  # a new workbook always has one sheet
    sheet.title = _("Danh sách đọc")[:31]
    bold = Font(bold=True)
    sheet.append([_("Thông báo: %(title)s") % {"title": announcement.title}])
    sheet["A1"].font = Font(bold=True, size=13)
    sheet.append(
        [
            _("Gửi lúc %(at)s, đơn vị gửi: %(unit)s")
            % {
                "at": timezone.localtime(announcement.effective_from).strftime("%H:%M %d/%m/%Y"),
                "unit": announcement.sender_unit.name,
            }
        ]
    )
    sheet.append(
        [
            _("Đã đọc %(read)d/%(total)d cán bộ, chưa đọc %(unread)d.")
            % {"read": status.read_count, "total": status.total, "unread": status.unread_count}
        ]
    )
    sheet.append([])
    header = [_("STT"), _("Đơn vị"), _("Họ và tên"), _("Chức vụ"), _("Tình trạng"), _("Đọc lúc")]
    sheet.append(header)
    header_row = sheet.max_row
    for cell in sheet[header_row]:
        cell.font = bold
    for number, (unit, row) in enumerate(status.rows(), start=1):
        sheet.append(
            [
                number,
                unit.name,
                row.name,
                row.position,
                _("Đã đọc") if row.read_at else _("Chưa đọc"),
                timezone.localtime(row.read_at).strftime("%H:%M %d/%m/%Y") if row.read_at else "",
            ]
        )
    sheet.freeze_panes = sheet.cell(row=header_row + 1, column=1)
    for column, width in enumerate((6, 40, 28, 22, 12, 18), start=1):
        sheet.column_dimensions[get_column_letter(column)].width = width

    summary = workbook.create_sheet(_("Theo đơn vị")[:31])
    summary.append([_("Đơn vị"), _("Số cán bộ nhận"), _("Đã đọc"), _("Chưa đọc")])
    for cell in summary[1]:
        cell.font = bold
    for group in status.units:
        summary.append([group.unit.name, group.total, len(group.read), len(group.unread)])
    summary.append([_("Tổng cộng"), status.total, status.read_count, status.unread_count])
    for cell in summary[summary.max_row]:
        cell.font = bold
    summary.column_dimensions["A"].width = 40
    for letter in "BCD":
        summary.column_dimensions[letter].width = 14
        for cell in summary[letter]:
            cell.alignment = Alignment(horizontal="right")

    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
