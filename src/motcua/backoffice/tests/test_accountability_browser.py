"""Issue 5 in Chromium: a late dossier is blocked, explained, apologised for, and moves on.

Frozen time across Tết 2026 (the real holidays of the shipped calendar): the
dossier received on Tue 10/2 was due Thu 26/2 17:00; on Fri 27/2 the
specialist finds it blocked, records the explanation, the head of the office
signs the apology slip (new appointment Tue 3/3), and the specialist hands
it on. Screenshots go to ``test-artifacts/``.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
import time_machine
from playwright.sync_api import Browser, expect

from motcua.backoffice.tests.test_dossiers_browser import Session
from motcua.core.testing.browser import needs_chromium
from motcua.dossiers.accountability import forget_cached_policies
from motcua.dossiers.models import ApologySlip
from motcua.dossiers.tests.conftest import build_ward
from motcua.dossiers.tests.test_accountability import received_before_tet

pytestmark = [pytest.mark.browser, pytest.mark.slow, needs_chromium]


def test_a_late_dossier_is_blocked_then_explained_apologised_for_and_unblocked(
    browser: Browser, live_server: Any, artifacts: Path, settings: Any
) -> None:
    settings.MOTCUA_ACCOUNTABILITY_GATE = "block"
    forget_cached_policies()
    ward = build_ward()
    dossier = received_before_tet(ward)
    code = str(dossier.code)
    base = live_server.url
    detail = f"{base}/can-bo/ho-so/{code}/"
    with time_machine.travel(dt_local("2026-02-27T08:30"), tick=True):
        # --- the specialist: blocked, explains ------------------------------------------
        specialist = Session(browser, base, artifacts)
        page = specialist.sign_in(ward.specialist.user.username)
        page.goto(base + "/can-bo/ho-so/?trang-thai=late")
        expect(page.get_by_role("row", name=re.compile(re.escape(code)))).to_be_visible()
        page.goto(detail)
        banner = page.get_by_test_id("accountability-banner")
        expect(banner).to_contain_text("Hồ sơ đang bị chặn chuyển tiếp")
        expect(banner).to_contain_text("Lê Minh Tuấn cần ghi giải trình")
        expect(banner).to_contain_text(
            "cần Phiếu xin lỗi và hẹn lại ngày trả kết quả do Đỗ Văn Nam"
        )
        # No apology form for the specialist: only the head of the late unit signs.
        expect(page.get_by_role("button", name="Ký và phát hành phiếu xin lỗi")).to_have_count(0)
        specialist.shoot("accountability-01-blocked", phone=True)
        page.get_by_label("Chuyển cho cán bộ").select_option(str(ward.leader.pk))
        page.get_by_role("button", name="Chuyển hồ sơ").click()
        expect(page.locator("body")).to_contain_text("cần ghi giải trình trước khi chuyển tiếp")
        page.get_by_label("Nội dung giải trình").fill("Chờ Công an phường xác minh nơi cư trú")
        page.get_by_role("button", name="Lưu giải trình").click()
        expect(page.get_by_role("status").first).to_contain_text("Đã ghi giải trình")
        expect(banner).not_to_contain_text("cần ghi giải trình")
        specialist.shoot("accountability-02-explained", phone=False)
        problems = list(specialist.problems)
        specialist.sign_out()

        # --- the head of the office signs the apology slip -----------------------------
        head = Session(browser, base, artifacts)
        page = head.sign_in(ward.head.user.username)
        page.goto(detail)
        banner = page.get_by_test_id("accountability-banner")
        expect(banner).to_contain_text("Hồ sơ " + code + " quá hạn")
        page.get_by_label("Lý do quá hạn").fill("Phải xác minh nơi cư trú với Công an phường")
        page.get_by_label("Hẹn lại sau (số ngày làm việc)").fill("2")
        head.shoot("accountability-03-apology-form", phone=False)
        page.get_by_role("button", name="Ký và phát hành phiếu xin lỗi").click()
        expect(page.get_by_role("status").first).to_contain_text(
            "hẹn trả kết quả mới: 17:00 03/03/2026"
        )
        expect(page.get_by_test_id("accountability-banner")).to_have_count(0)
        expect(page.get_by_test_id("apology-slip")).to_contain_text("01/PXL")
        head.shoot("accountability-04-apology-issued", phone=True)
        pdf = page.request.get(f"{base}/can-bo/ho-so/{code}/bieu-mau/apology.pdf")
        assert pdf.ok and pdf.headers["content-type"].startswith("application/pdf")
        (artifacts / "accountability-apology.pdf").write_bytes(pdf.body())
        problems += head.problems
        head.sign_out()

        # --- the specialist: unblocked ----------------------------------------------------
        specialist = Session(browser, base, artifacts)
        page = specialist.sign_in(ward.specialist.user.username)
        page.goto(detail)
        expect(page.get_by_test_id("accountability-banner")).to_have_count(0)
        page.get_by_label("Chuyển cho cán bộ").select_option(str(ward.leader.pk))
        page.get_by_role("button", name="Chuyển hồ sơ").click()
        expect(page.get_by_role("status").first).to_contain_text("cho Vũ Quốc Khánh.")
        specialist.shoot("accountability-05-unblocked", phone=False)
        problems += specialist.problems
        specialist.sign_out()
    assert ApologySlip.objects.get(dossier=dossier).new_appointment == dt_local("2026-03-03T17:00")
    assert problems == []


def dt_local(text: str) -> Any:
    from motcua.dossiers.tests.conftest import at

    return at(text)
