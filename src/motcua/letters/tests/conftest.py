"""Procedures, templates and people for the letters tests."""

from __future__ import annotations

from typing import Any

import pytest

from motcua.accounts.models import Officer
from motcua.accounts.tests.factories import OfficerFactory, UnitFactory
from motcua.catalog.models import Procedure
from motcua.letters.models import LetterTemplate


@pytest.fixture
def birth(db: None) -> Procedure:
    return Procedure.objects.create(code="1.001193", name="Thủ tục đăng ký khai sinh")


@pytest.fixture
def admin(db: None) -> Officer:
    unit = UnitFactory(name="Phường Long Biên")
    return OfficerFactory(unit=unit, administrator=True, user__full_name="Hoàng Văn Quản")


@pytest.fixture
def make_template(db: None) -> Any:
    def make(**fields: Any) -> LetterTemplate:
        fields.setdefault("name", "Thư cảm ơn thử nghiệm")
        fields.setdefault("kind", "thanks")
        fields.setdefault("moment", "returned")
        fields.setdefault("title", "THƯ CẢM ƠN")
        fields.setdefault("greeting", "Kính gửi: Ông (bà) {ho_ten},")
        fields.setdefault(
            "body", "{don_vi} cảm ơn ông (bà) đã thực hiện thủ tục {thu_tuc} ngày {ngay}."
        )
        fields.setdefault("signer_title", "TM. ỦY BAN NHÂN DÂN\nCHỦ TỊCH")
        procedures = fields.pop("procedures", [])
        template = LetterTemplate.objects.create(**fields)
        template.procedures.set(procedures)
        return template

    return make
