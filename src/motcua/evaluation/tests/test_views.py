"""The staff screens: every page renders for the right people, 404 for the others."""

from __future__ import annotations

from io import BytesIO

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from motcua.accounts.models import Officer
from motcua.dossiers.tests.conftest import at
from motcua.evaluation import services
from motcua.evaluation.constants import Figure, SheetStatus
from motcua.evaluation.models import Cycle, Scheme
from motcua.evaluation.tests.conftest import Office, scores

pytestmark = pytest.mark.django_db


def client_for(officer: Officer) -> Client:
    client = Client()
    client.force_login(officer.user)
    return client


@pytest.fixture
def cycle(office: Office) -> Cycle:
    with time_machine.travel(at("2026-11-25T09:00"), tick=False):
        return services.cycle_open(unit=office.office, year=2026, month=11)


def test_the_month_through_the_screens(office: Office, cycle: Cycle) -> None:
    sheet = cycle.sheets.get(officer=office.specialist)
    me = client_for(office.specialist)
    assert me.get(reverse("backoffice:evaluation")).status_code == 200
    page = me.get(reverse("backoffice:evaluation_sheet", args=[sheet.pk]))
    assert page.status_code == 200 and "Gửi tự đánh giá" in page.content.decode()
    data = {f"self_{code}": value for code, value in scores(cycle.scheme, 86).items()}
    me.post(
        reverse("backoffice:evaluation_sheet_self", args=[sheet.pk]), {**data, "evidence": "x"}
    )
    sheet.refresh_from_db()
    assert sheet.status == SheetStatus.SELF_ASSESSED

    head = client_for(office.head)
    data = {f"proposed_{code}": value for code, value in scores(cycle.scheme, 86).items()}
    head.post(
        reverse("backoffice:evaluation_sheet_review", args=[sheet.pk]), {**data, "comment": "Tốt"}
    )
    data = {f"final_{code}": value for code, value in scores(cycle.scheme, 86).items()}
    head.post(reverse("backoffice:evaluation_sheet_decide", args=[sheet.pk]), data)
    sheet.refresh_from_db()
    assert sheet.status == SheetStatus.DECIDED

    response = head.post(
        reverse("backoffice:evaluation_cycle_close", args=[cycle.pk]), follow=True
    )
    assert "Còn 2 phiếu chưa có quyết định" in response.content.decode()

    for name in ("evaluation_cycle", "evaluation_cycle_pdf", "evaluation_cycle_xlsx"):
        assert head.get(reverse(f"backoffice:{name}", args=[cycle.pk])).status_code == 200
    pdf = me.get(reverse("backoffice:evaluation_sheet_pdf", args=[sheet.pk]))
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")
    workbook = load_workbook(
        BytesIO(me.get(reverse("backoffice:evaluation_sheet_xlsx", args=[sheet.pk])).content)
    )
    assert workbook.active["B2"].value == office.specialist.full_name
    figure = me.get(reverse("backoffice:evaluation_figure", args=[sheet.pk, Figure.STEPS_LATE]))
    assert figure.status_code == 200


def test_other_officers_get_404_and_the_evaluator_reads_only(office: Office, cycle: Cycle) -> None:
    sheet = cycle.sheets.get(officer=office.specialist)
    url = reverse("backoffice:evaluation_sheet", args=[sheet.pk])
    assert client_for(office.specialist2).get(url).status_code == 404
    assert client_for(office.other_counter).get(url).status_code == 404
    assert (
        client_for(office.other_counter)
        .get(reverse("backoffice:evaluation_cycle", args=[cycle.pk]))
        .status_code
        == 404
    )
    evaluator = client_for(office.evaluator)
    page = evaluator.get(url).content.decode()
    assert "Gửi tự đánh giá" not in page and "Quyết định</button>" not in page
    assert evaluator.get(reverse("backoffice:evaluation_summary")).status_code == 200
    scheme = Scheme.objects.get(code="ND-335-2026")
    response = client_for(office.head).post(
        reverse("backoffice:evaluation_scheme", args=[scheme.pk]),
        {"form": "scheme", "quota_percent": "50"},
    )
    assert response.status_code == 403
    evaluator.post(
        reverse("backoffice:evaluation_scheme", args=[scheme.pk]),
        {"form": "scheme", "quota_percent_exceptional": "25"},
    )
    scheme.refresh_from_db()
    assert scheme.quota_percent_exceptional == 25


def test_plans_screens(office: Office) -> None:
    head = client_for(office.head)
    response = head.post(
        reverse("backoffice:evaluation_plans"),
        {
            "title": "Kế hoạch tuần 48",
            "period": "week",
            "starts_on": "2026-11-23",
            "ends_on": "2026-11-27",
        },
    )
    assert response.status_code == 302
    plan_url = response["Location"]
    head.post(
        plan_url,
        {
            "title": "Trả lời PAKN",
            "owner": office.specialist.pk,
            "deadline_on": "2026-11-26",
            "weight": "2",
        },
    )
    page = client_for(office.specialist).get(plan_url)
    assert page.status_code == 200 and "Trả lời PAKN" in page.content.decode()
    assert (
        client_for(office.specialist).get(reverse("backoffice:evaluation_plans")).status_code
        == 200
    )


@pytest.mark.parametrize("year", ["999999", "1900"])
def test_opening_a_month_in_an_impossible_year_says_why(office: Office, year: str) -> None:
    client = Client()
    client.force_login(office.head.user)
    response = client.post(
        "/can-bo/danh-gia-can-bo/mo-ky/", {"year": year, "month": "11"}, follow=True
    )
    assert response.status_code == 200
    assert f"Năm {year} không hợp lệ" in response.content.decode()
