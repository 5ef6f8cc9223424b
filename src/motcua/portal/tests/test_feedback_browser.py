"""The issue's acceptance, in Chromium: a citizen sends feedback from a phone, an officer
classifies, answers and publishes it at a desktop, and the citizen reads the published
answer and likes it. Screenshots at both sizes go to ``test-artifacts/``."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, expect

from motcua.accounts.tests.factories import TEST_PASSWORD
from motcua.core.testing.browser import needs_chromium
from motcua.dossiers.tests.conftest import build_ward
from motcua.feedback.models import Feedback
from motcua.feedback.tests.support import _fresh_rate_limits

__all__ = ["_fresh_rate_limits"]

pytestmark = [pytest.mark.browser, pytest.mark.slow, needs_chromium]

DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}


def test_submit_feedback_then_see_the_published_answer(
    browser: Browser, live_server: Any, artifacts: Path, transactional_db: None
) -> None:
    ward = build_ward()
    base = live_server.url
    problems: list[str] = []

    # --- the citizen, on a phone ------------------------------------------------------
    citizen = browser.new_context(viewport=PHONE, locale="vi-VN", is_mobile=True, has_touch=True)
    phone = citizen.new_page()
    phone.on("pageerror", lambda error: problems.append(str(error)))
    phone.goto(base + "/phan-anh/")
    phone.get_by_label("Gửi đến cơ quan, đơn vị").select_option(label=ward.centre.name)
    phone.get_by_label("Tiêu đề").fill("Bảng niêm yết phí chưa ghi mức miễn giảm")
    phone.get_by_label("Nội dung phản ánh, kiến nghị").fill(
        "Tại quầy tiếp nhận, bảng niêm yết lệ phí không ghi đối tượng được miễn, giảm."
    )
    phone.get_by_label("Họ và tên").fill("Trần Thị Mai")
    phone.get_by_label("Số điện thoại").fill("0912345678")
    phone.screenshot(path=artifacts / "feedback-form-phone.png", full_page=True)
    phone.get_by_role("button", name="Gửi phản ánh").click()
    code_box = phone.get_by_test_id("feedback-code")
    expect(code_box).to_contain_text(re.compile(r"^PAKN-"))
    code = code_box.inner_text().strip()
    phone.screenshot(path=artifacts / "feedback-sent-phone.png", full_page=True)
    assert Feedback.objects.get().code == code

    # --- the leader, at a desktop: classify, answer, publish ------------------------------
    staff = browser.new_context(viewport=DESKTOP, locale="vi-VN")
    desk = staff.new_page()
    desk.on("pageerror", lambda error: problems.append(str(error)))
    desk.goto(base + "/can-bo/dang-nhap/")
    desk.get_by_label("Tên đăng nhập").fill(ward.leader.user.username)
    desk.get_by_label("Mật khẩu").fill(TEST_PASSWORD)
    desk.get_by_role("button", name="Đăng nhập").click()
    expect(desk).to_have_url(re.compile(r"/can-bo/$"))
    desk.goto(base + "/can-bo/phan-anh/")
    desk.get_by_role("link", name=code).click()
    desk.get_by_label("Phân loại").select_option("rules")
    desk.get_by_role("button", name="Phân loại").click()
    desk.get_by_label("Nội dung trả lời").fill(
        "Đơn vị đã bổ sung đối tượng miễn, giảm lệ phí vào bảng niêm yết tại quầy."
    )
    desk.get_by_label("Phản ánh đã dẫn đến sửa đổi").check()
    desk.get_by_role("button", name="Trả lời", exact=True).click()
    expect(desk.get_by_test_id("feedback-status")).to_have_text("Đã có trả lời, chờ công khai")
    desk.screenshot(path=artifacts / "feedback-staff-answered.png", full_page=True)
    desk.get_by_role("button", name="Công khai trả lời").click()
    expect(desk.get_by_test_id("feedback-status")).to_have_text("Đã công khai trả lời")
    desk.screenshot(path=artifacts / "feedback-staff-published.png", full_page=True)
    desk.set_viewport_size(PHONE)
    desk.screenshot(path=artifacts / "feedback-staff-published-phone.png", full_page=True)
    staff.close()

    # --- the citizen reads the answer and likes it -----------------------------------
    phone.goto(base + "/phan-anh/da-tra-loi/")
    phone.get_by_role("link", name="Bảng niêm yết phí chưa ghi mức miễn giảm").click()
    expect(phone.get_by_test_id("feedback-answer")).to_contain_text("đã bổ sung đối tượng")
    phone.get_by_role("button", name=re.compile("^👍 Hài lòng")).click()
    expect(phone.get_by_test_id("vote-thanks")).to_be_visible()
    expect(phone.get_by_test_id("likes")).to_have_text("1")
    phone.screenshot(path=artifacts / "feedback-published-phone.png", full_page=True)
    phone.set_viewport_size(DESKTOP)
    phone.screenshot(path=artifacts / "feedback-published.png", full_page=True)
    citizen.close()
    assert problems == []
