"""An administrator edits an internal process in Chromium: htmx rows, the running total, errors.

Playwright drives Debian's Chromium (``make deps-browser``) against the live
server; the test is skipped where ``/usr/bin/chromium`` is missing.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, Page, expect

from motcua.accounts.tests.factories import TEST_PASSWORD
from motcua.catalog.models import ProcedureVersion
from motcua.core.testing.browser import needs_chromium

from .catalog_support import RESIDENCE, administrator, load_sample

pytestmark = [pytest.mark.browser, pytest.mark.slow, needs_chromium]


def sign_in(browser: Browser, base_url: str, username: str) -> tuple[Page, list[str]]:
    page = browser.new_context(viewport={"width": 1280, "height": 900}, locale="vi-VN").new_page()
    problems: list[str] = []
    page.on("console", lambda message: message.type == "error" and problems.append(message.text))
    page.on("pageerror", lambda error: problems.append(str(error)))
    page.goto(base_url + "/can-bo/dang-nhap/")
    page.get_by_label("Tên đăng nhập").fill(username)
    page.get_by_label("Mật khẩu").fill(TEST_PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    expect(page).to_have_url(re.compile(r"/can-bo/$"))
    return page, problems


def test_the_process_editor_works_with_htmx_and_names_the_step_that_is_off(
    browser: Browser, live_server: Any, artifacts: Path
) -> None:
    load_sample()
    officer = administrator()
    page, problems = sign_in(browser, live_server.url, officer.user.username)

    page.goto(f"{live_server.url}/can-bo/thu-tuc/{RESIDENCE}/")
    page.get_by_role("button", name="Sửa").click()
    page.get_by_role("link", name="Quy trình nội bộ").click()
    expect(page.locator("#process-total")).to_contain_text("Đã phân bổ đủ 7 ngày làm việc.")
    # A marker that a full page load would lose: the edits below are htmx swaps.
    page.evaluate("window.__notReloaded = true")

    page.locator("#id_steps-1-share_value").fill("6,5")
    page.keyboard.press("Tab")
    expect(page.locator("#process-total")).to_contain_text("vượt thời hạn 7 ngày làm việc")

    page.get_by_role("button", name="Xuống — bước 1").click()
    expect(page.locator("#steps-1 legend")).to_contain_text("Tiếp nhận, kiểm tra")
    expect(page.get_by_role("button", name="Xuống — bước 2")).to_be_focused()
    page.get_by_role("button", name="Thêm bước").click()
    expect(page.locator("#steps-4")).to_be_visible()
    expect(page.locator("#id_steps-4-name")).to_be_focused()
    page.get_by_role("button", name="Bỏ — bước 5").click()
    expect(page.locator("#steps-4")).to_have_count(0)
    assert page.evaluate("window.__notReloaded") is True

    page.get_by_role("button", name="Lưu quy trình").click()
    # 6,5 + 0,5 days reach the 7-day limit; the signing step is the one that goes over.
    step = page.locator("#steps-2")
    expect(step.locator(".row-card__error")).to_contain_text("Bước 3 «Lãnh đạo xem xét, ký duyệt»")
    expect(page.locator("#id_steps-2-name")).to_have_attribute(
        "aria-describedby", re.compile("steps-2-error")
    )
    expect(page.get_by_role("alert")).to_contain_text("làm vượt thời hạn")
    page.screenshot(path=artifacts / "catalog-process-error.png", full_page=True)

    page.locator("#id_steps-0-share_value").fill("5,5")
    page.get_by_role("button", name="Lưu quy trình").click()
    expect(page.get_by_role("status").first).to_contain_text("Đã lưu quy trình nội bộ gồm 4 bước.")
    draft = ProcedureVersion.objects.get(procedure__code=RESIDENCE, number=2)
    assert [step.name for step in draft.process_steps.all()][:2] == [
        "Thẩm định, xử lý hồ sơ",
        "Tiếp nhận, kiểm tra và chuyển hồ sơ",
    ]
    assert problems == []
