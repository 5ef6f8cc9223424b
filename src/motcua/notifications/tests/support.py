"""Shared inputs of the notifications tests."""

from __future__ import annotations

import datetime as dt
from typing import Any

from motcua.workcalendar.engine import TZ

RECEIVED_CONTEXT: dict[str, Any] = {
    "code": "000.01.45.H26-260105-0001",
    "procedure_name": "Đăng ký thường trú",
    "applicant_name": "Nguyễn Văn Bình",
    "appointment": dt.datetime(2026, 1, 14, 16, 0, tzinfo=TZ),
    "unit_name": "Trung tâm Phục vụ hành chính công phường Long Biên",
}


def at(text: str) -> dt.datetime:
    """A Vietnam-time instant from ISO text."""
    return dt.datetime.fromisoformat(text).replace(tzinfo=TZ)
