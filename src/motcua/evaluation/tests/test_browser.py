"""The issue's acceptance, in Chromium: one month from self-assessment to the printed summary.

The head of the office opens November; the specialist self-assesses with
evidence (95 points); the head, as direct supervisor, comments, then decides
"excellent"; closing is refused because excellent may be at most 20 % of
"good" (Decree 335) and the message says one must move; the head lowers the
level, closes the month and prints the unit summary as a PDF. The other two
sheets of the office (a colleague and the head, decided by the leader) are
taken through the services to keep the test short.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, Page, expect

from motcua.accounts.tests.factories import TEST_PASSWORD
from motcua.core.testing.browser import needs_chromium
from motcua.evaluation import services
from motcua.evaluation.constants import CycleStatus, Grade
from motcua.evaluation.models import Cycle
from motcua.evaluation.tests.conftest import Office, build_office, scores

pytestmark = [pytest.mark.browser, pytest.mark.slow, needs_chromium]


def sign_in(browser: Browser, base: str, username: str, problems: list[str]) -> Page:
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="vi-VN")
    page = context.new_page()
    page.on("pageerror", lambda error: problems.append(str(error)))
    page.goto(base + "/can-bo/dang-nhap/")
    page.get_by_label("Tên đăng nhập").fill(username)
    page.get_by_label("Mật khẩu").fill(TEST_PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    expect(page).to_have_url(re.compile(r"/can-bo/$"))
    page.get_by_role("navigation", name="Chức năng").get_by_role(
        "link", name="Đánh giá cán bộ"
    ).click()
    return page


def decide_the_others(office: Office, cycle: Cycle) -> None:
    """The colleague and the head: both "good" (80 points)."""
    scheme = cycle.scheme
    colleague = cycle.sheets.get(officer=office.specialist2)
    services.sheet_self_assess(
        sheet=colleague, actor=office.specialist2.user, scores=scores(scheme, 80)
    )
    services.sheet_review(
        sheet=colleague, actor=office.head.user, comment="Tốt", scores=scores(scheme, 80)
    )
    services.sheet_decide(sheet=colleague, actor=office.head.user, scores=scores(scheme, 80))
    head = cycle.sheets.get(officer=office.head)
    services.sheet_self_assess(sheet=head, actor=office.head.user, scores=scores(scheme, 80))
    services.sheet_review(
        sheet=head, actor=office.leader.user, comment="Tốt", scores=scores(scheme, 80)
    )
    services.sheet_decide(sheet=head, actor=office.leader.user, scores=scores(scheme, 80))


def test_one_month_self_supervisor_head_quota_and_pdf(
    browser: Browser, live_server: Any, artifacts: Path
) -> None:
    office = build_office()
    base = live_server.url
    problems: list[str] = []

    # --- the head opens November for the office ---------------------------------------
    head = sign_in(browser, base, office.head.user.username, problems)
    head.get_by_label("Tháng").select_option("11")
    head.get_by_label("Năm").fill("2026")
    head.get_by_role("button", name="Mở đánh giá tháng").click()
    expect(head.get_by_role("status").first).to_contain_text("Đã mở đánh giá tháng 11/2026.")
    # One browser context at a time: the live server shares one SQLite connection.
    head.context.close()
    cycle = Cycle.objects.get(unit=office.office, year=2026, month=11)
    decide_the_others(office, cycle)
    sheet = cycle.sheets.get(officer=office.specialist)

    # --- the specialist self-assesses with evidence -----------------------------------------
    me = sign_in(browser, base, office.specialist.user.username, problems)
    me.locator("a[href*='/phieu/']", has_text="11/2026").click()
    expect(me.get_by_role("heading", name=re.compile("Phiếu đánh giá"))).to_be_visible()
    expect(me.get_by_role("rowheader", name="Bước xử lý hồ sơ đã hoàn thành")).to_be_visible()
    for code in ("1", "2", "3", "4", "5"):
        me.get_by_label(f"Tự chấm {code}", exact=True).fill("6")
    me.get_by_label("Tự chấm 6", exact=True).fill("65")
    me.get_by_label("Minh chứng (văn bản, sản phẩm, số liệu)").fill(
        "Giải quyết 100% hồ sơ đúng hạn; báo cáo CCHC quý IV"
    )
    me.get_by_role("button", name="Gửi tự đánh giá").click()
    expect(me.get_by_role("status").first).to_contain_text("Đã gửi phiếu tự đánh giá.")
    expect(me.locator("#sheet-status")).to_have_text("Đã tự đánh giá")
    me.screenshot(path=artifacts / "evaluation-01-self.png", full_page=True)
    me.context.close()

    # --- the head comments as direct supervisor, then decides -------------------------------
    head = sign_in(browser, base, office.head.user.username, problems)
    head.goto(f"{base}/can-bo/danh-gia-can-bo/phieu/{sheet.pk}/")
    expect(head.get_by_label("Đề xuất 6", exact=True)).to_have_value("65")
    head.get_by_label("Nhận xét", exact=True).fill("Hoàn thành xuất sắc nhiệm vụ được giao")
    head.get_by_role("button", name="Gửi nhận xét và đề xuất").click()
    expect(head.get_by_role("status").first).to_contain_text("Đã ghi nhận xét và đề xuất.")
    head.get_by_role("button", name="Quyết định", exact=True).click()
    expect(head.get_by_role("status").first).to_contain_text("Đã quyết định xếp loại.")

    # --- closing is refused over the quota, then accepted ----------------------------------
    head.get_by_role("button", name="Chốt kết quả tháng").click()
    alert = head.get_by_text(re.compile("Cần chuyển 1 người xuống mức thấp hơn trước khi chốt"))
    expect(alert).to_be_visible()
    head.screenshot(path=artifacts / "evaluation-02-quota.png", full_page=True)
    head.get_by_role("link", name="Lê Minh Tuấn").click()
    head.get_by_label("Quyết định 6", exact=True).fill("58")
    head.get_by_label("Ý kiến", exact=True).fill("Điều chỉnh theo tỷ lệ")
    head.get_by_role("button", name="Quyết định", exact=True).click()
    expect(head.locator("#quota")).not_to_contain_text("Cần chuyển")
    head.get_by_role("button", name="Chốt kết quả tháng").click()
    expect(head.get_by_role("status").first).to_contain_text("Đã chốt kết quả đánh giá tháng.")
    cycle.refresh_from_db()
    sheet.refresh_from_db()
    assert cycle.status == CycleStatus.CLOSED
    assert (str(sheet.final_total), sheet.final_grade) == ("88.00", Grade.GOOD)
    head.screenshot(path=artifacts / "evaluation-03-closed.png", full_page=True)

    # --- the unit summary, printed ----------------------------------------------------------
    response = head.request.get(f"{base}/can-bo/danh-gia-can-bo/ky/{cycle.pk}/tong-hop.pdf")
    assert response.ok and response.headers["content-type"] == "application/pdf"
    pdf = artifacts / "evaluation-summary.pdf"
    pdf.write_bytes(response.body())
    if shutil.which("pdftotext"):
        text = subprocess.run(  # noqa: S603 - a fixed tool on a file this test wrote
            ["pdftotext", "-layout", str(pdf), "-"],  # noqa: S607
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        assert "Lê Minh Tuấn" in text and "Hoàn thành tốt nhiệm vụ" in text
        assert "88.00" in text or "88,00" in text
    head.context.close()
    assert problems == []
