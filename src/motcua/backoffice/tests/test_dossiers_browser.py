"""The issue's acceptance, in Chromium: one dossier from the counter to the leader and back.

The counter officer receives a dossier for 1.004222 through the intake
screens (seeing the appointment before confirming) and hands it to the
specialist; the specialist finds it in the inbox and hands it to the leader;
the leader records the result; the counter officer returns it with the
delivery record. The control slip PDF then names every officer and says
early / on time / late for every row. Screenshots of each screen, at desktop
and phone widths, go to ``test-artifacts/``.

Playwright drives Debian's Chromium (``make deps-browser``) against the live
server; the test is skipped where ``/usr/bin/chromium`` is missing.
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
from motcua.dossiers.constants import Status
from motcua.dossiers.models import Dossier
from motcua.dossiers.tests.conftest import build_ward

pytestmark = [pytest.mark.browser, pytest.mark.slow, needs_chromium]

DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}
OUTCOME = re.compile(r"(Trước|Đúng|Quá)\s+hạn")


class Session:
    """One person's browser context, with the console errors it saw."""

    def __init__(self, browser: Browser, base_url: str, artifacts: Path) -> None:
        self.context = browser.new_context(viewport=DESKTOP, locale="vi-VN")
        self.page = self.context.new_page()
        self.base_url = base_url
        self.artifacts = artifacts
        self.problems: list[str] = []
        self.page.on(
            "console",
            lambda message: message.type == "error" and self.problems.append(message.text),
        )
        self.page.on("pageerror", lambda error: self.problems.append(str(error)))

    def sign_in(self, username: str) -> Page:
        page = self.page
        page.goto(self.base_url + "/can-bo/dang-nhap/")
        page.get_by_label("Tên đăng nhập").fill(username)
        page.get_by_label("Mật khẩu").fill(TEST_PASSWORD)
        page.get_by_role("button", name="Đăng nhập").click()
        expect(page).to_have_url(re.compile(r"/can-bo/$"))
        return page

    def sign_out(self) -> None:
        self.page.get_by_role("button", name="Đăng xuất").click()
        expect(self.page.get_by_role("status").first).to_contain_text("Bạn đã đăng xuất.")
        self.context.close()

    def shoot(self, name: str, *, phone: bool = True) -> None:
        """A full-page screenshot at desktop width, and one at phone width."""
        page = self.page
        page.screenshot(path=self.artifacts / f"dossiers-{name}.png", full_page=True)
        if phone:
            page.set_viewport_size(PHONE)
            page.screenshot(path=self.artifacts / f"dossiers-{name}-phone.png", full_page=True)
            page.set_viewport_size(DESKTOP)


def open_nav(page: Page, name: str) -> None:
    page.get_by_role("navigation", name="Chức năng").get_by_role("link", name=name).click()


def test_a_dossier_goes_from_the_counter_to_the_leader_and_back_with_its_control_slip(
    browser: Browser, live_server: Any, artifacts: Path
) -> None:
    ward = build_ward()
    base = live_server.url
    problems: list[str] = []

    # --- the counter officer receives at the counter --------------------------------
    counter = Session(browser, base, artifacts)
    page = counter.sign_in(ward.counter.user.username)
    open_nav(page, "Tiếp nhận hồ sơ")
    search = page.get_by_label("Tên thủ tục (gõ có dấu hoặc không dấu) hoặc mã thủ tục")
    expect(search).to_be_focused()
    search.press_sequentially("thuong tru", delay=20)
    results = page.locator("#intake-results")
    expect(results).to_contain_text("1 thủ tục phù hợp")
    expect(results).to_contain_text("1.004222")
    counter.shoot("01-intake-search")
    results.get_by_role("link", name=re.compile("Đăng ký thường trú")).click()

    # The checklist: the published components of the version, none ticked yet.
    first_box = page.locator("#checklist input[type=checkbox]").first
    expect(first_box).to_be_focused()
    page.get_by_role("button", name="Đánh dấu đã nhận đủ thành phần bắt buộc").click()
    required = ward.version.documents.filter(required=True).values_list("pk", flat=True)
    for pk in required:
        expect(page.locator(f"#id_doc_{pk}_received")).to_be_checked()
    page.get_by_label("Họ và tên người nộp / tên tổ chức").fill("Nguyễn Văn Bình")
    page.get_by_label("Số định danh cá nhân (CCCD) / mã số thuế").fill("001090012345")
    phone_box = page.get_by_label("Số điện thoại")
    phone_box.fill("0912345678")
    # The fee comes from the version (20.000 đồng in person).
    expect(page.locator("#id_fee_0_amount")).to_have_value("20.000")
    counter.shoot("02-intake-form")
    # Enter anywhere in the form shows the appointment first; nothing is received yet.
    phone_box.press("Enter")
    expect(page.get_by_role("heading", name="Ngày hẹn trả kết quả")).to_be_visible()
    expect(page.locator(".ds-appointment__when")).to_contain_text(re.compile(r"\d\d/\d\d/20\d\d"))
    assert not Dossier.objects.exists()
    receive = page.get_by_role("button", name="Tiếp nhận hồ sơ")
    expect(receive).to_be_focused()
    counter.shoot("03-intake-confirm")
    receive.click()

    expect(page.get_by_role("heading", name="Đã tiếp nhận hồ sơ")).to_be_visible()
    dossier = Dossier.objects.get()
    code = dossier.code
    assert code and dossier.status == Status.IN_PROGRESS
    expect(page.locator(".ds-done__code")).to_contain_text(code)
    expect(page.get_by_role("link", name=re.compile("In giấy tiếp nhận"))).to_be_focused()
    counter.shoot("04-intake-done")
    # Straight on to the office: the specialist who appraises it.
    page.get_by_label("Chuyển cho cán bộ").select_option(str(ward.specialist.pk))
    page.get_by_role("button", name="Chuyển hồ sơ").click()
    expect(page.get_by_role("status").first).to_contain_text(
        f"Đã chuyển hồ sơ {code} cho Lê Minh Tuấn."
    )
    problems += counter.problems
    counter.sign_out()

    # --- the specialist finds it in the inbox and hands it to the leader ------------------
    specialist = Session(browser, base, artifacts)
    page = specialist.sign_in(ward.specialist.user.username)
    open_nav(page, "Hồ sơ của tôi")
    row = page.get_by_role("row", name=re.compile(re.escape(code)))
    expect(row).to_contain_text("Thẩm định, xử lý hồ sơ")
    expect(row).to_contain_text(re.compile(r"còn \d+ ngày"))
    expect(row.locator(".badge")).to_have_text("Còn hạn")
    specialist.shoot("05-inbox-specialist")
    row.get_by_role("link", name=code).click()
    expect(page.get_by_role("heading", name=code)).to_be_visible()
    specialist.shoot("06-detail-specialist")
    page.get_by_label("Chuyển cho cán bộ").select_option(str(ward.leader.pk))
    page.get_by_role("button", name="Chuyển hồ sơ").click()
    expect(page.get_by_role("status").first).to_contain_text("cho Vũ Quốc Khánh.")
    problems += specialist.problems
    specialist.sign_out()

    # --- the leader records the result -------------------------------------------------
    leader = Session(browser, base, artifacts)
    page = leader.sign_in(ward.leader.user.username)
    open_nav(page, "Hồ sơ của tôi")
    page.get_by_role("link", name=code).click()
    expect(page.get_by_role("group").filter(has_text="Ký duyệt, có kết quả")).to_have_attribute(
        "open", ""
    )
    page.get_by_label("Số, ký hiệu văn bản").fill("125/TB-UBND")
    leader.shoot("07-detail-leader")
    page.get_by_role("button", name="Ghi nhận kết quả").click()
    expect(page.get_by_role("status").first).to_contain_text("đã có kết quả")
    problems += leader.problems
    leader.sign_out()

    # --- the counter officer returns it with the delivery record ----------------------------
    counter = Session(browser, base, artifacts)
    page = counter.sign_in(ward.counter.user.username)
    open_nav(page, "Hồ sơ của tôi")
    row = page.get_by_role("row", name=re.compile(re.escape(code)))
    expect(row).to_contain_text("Vào sổ, trả kết quả")
    counter.shoot("08-inbox-counter")
    row.get_by_role("link", name=code).click()
    expect(page.get_by_label("Người nhận kết quả")).to_have_value("Nguyễn Văn Bình")
    page.get_by_label("Xác nhận đã nhận").fill(
        "Đã ký nhận trên Sổ theo dõi hồ sơ, quyển 01 số 125"
    )
    page.get_by_role("button", name="Trả kết quả").click()
    expect(page.get_by_role("status").first).to_contain_text(f"Đã trả kết quả hồ sơ {code}.")
    expect(page.locator(".ds-head")).to_contain_text("Đã trả kết quả")
    counter.shoot("09-detail-returned")
    dossier.refresh_from_db()
    assert dossier.status == Status.RETURNED

    # --- the control slip, as printed ----------------------------------------------------------
    link = page.get_by_role("link", name=re.compile("Phiếu kiểm soát quá trình giải quyết hồ sơ"))
    response = page.request.get(base + str(link.get_attribute("href")))
    assert response.ok, response.status
    assert response.headers["content-type"].startswith("application/pdf")
    pdf = artifacts / "dossiers-control-slip.pdf"
    pdf.write_bytes(response.body())
    pdftotext = shutil.which("pdftotext")
    if pdftotext is None:  # pragma: no cover - poppler-utils is in make deps-pdf
        pytest.fail("pdftotext not found: install poppler-utils (make deps-pdf)")
    text = subprocess.run(  # noqa: S603 - a fixed tool on a file this test wrote
        [pdftotext, "-layout", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    flat = " ".join(text.split())
    assert code in flat
    for name in ("Nguyễn Thị Lan", "Lê Minh Tuấn", "Vũ Quốc Khánh"):
        assert name in flat, name
    # One row per handover, each starting "1. Giao: <unit>", each with its outcome.
    rows = flat.split("1. Giao:")[1:]
    assert len(rows) == dossier.steps.count() == 4, flat
    for row in rows:
        assert OUTCOME.search(row), row
    problems += counter.problems
    counter.context.close()
    assert problems == []
