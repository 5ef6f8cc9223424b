"""Letter templates: editing with permissions, choosing letters, rendering, defaults."""

from __future__ import annotations

from typing import Any

import pytest

from motcua.accounts.constants import Role
from motcua.accounts.models import AuditEvent, Officer
from motcua.accounts.tests.factories import OfficerFactory
from motcua.catalog.models import Procedure
from motcua.core.exceptions import PermissionDenied
from motcua.letters.defaults import DEFAULT_TEMPLATES
from motcua.letters.exceptions import InvalidPlaceholder
from motcua.letters.models import LetterTemplate
from motcua.letters.services import (
    letter_template_create,
    letter_template_install_defaults,
    letter_template_update,
    letters_for,
    render_letter,
)

pytestmark = pytest.mark.django_db

FIELDS = {
    "name": "Thư cảm ơn người dân",
    "kind": "thanks",
    "moment": "returned",
    "title": "THƯ CẢM ƠN",
    "greeting": "Kính gửi: Ông (bà) {ho_ten},",
    "body": "{don_vi} trân trọng cảm ơn.",
    "signer_title": "CHỦ TỊCH",
    "is_active": True,
}


def test_an_administrator_creates_a_template_and_it_is_audited(
    admin: Officer, birth: Procedure
) -> None:
    template = letter_template_create(actor=admin.user, fields=FIELDS, procedures=[birth])

    assert list(template.procedures.all()) == [birth]
    event = AuditEvent.objects.get(action="letter_template.create")
    assert event.data["procedures"] == ["1.001193"]


@pytest.mark.parametrize("role", [r for r in Role if r != Role.ADMINISTRATOR])
def test_other_roles_may_not_edit_templates(role: Role) -> None:
    officer = OfficerFactory(roles=[role])

    with pytest.raises(PermissionDenied):
        letter_template_create(actor=officer.user, fields=FIELDS)


def test_an_unknown_placeholder_is_refused_on_its_field(admin: Officer) -> None:
    with pytest.raises(InvalidPlaceholder) as caught:
        letter_template_create(actor=admin.user, fields={**FIELDS, "body": "Chào {ten}"})

    assert caught.value.params["field"] == "body"
    assert "{ten}" in caught.value.message
    assert not LetterTemplate.objects.filter(name=FIELDS["name"]).exists()


def test_update_changes_text_and_procedures(
    admin: Officer, birth: Procedure, make_template: Any
) -> None:
    template = make_template(procedures=[birth])

    letter_template_update(
        template=template,
        actor=admin.user,
        fields={**FIELDS, "name": template.name, "is_active": False},
        procedures=[],
    )

    template.refresh_from_db()
    assert template.is_active is False
    assert template.procedures.count() == 0


def test_letters_for_picks_active_templates_of_the_procedure_and_moment(
    birth: Procedure, make_template: Any
) -> None:
    other = Procedure.objects.create(code="1.000894", name="Thủ tục đăng ký kết hôn")
    wanted = make_template(name="A", procedures=[birth])
    make_template(name="B", procedures=[birth], moment="received")
    make_template(name="C", procedures=[birth], is_active=False)
    make_template(name="D", procedures=[other])

    assert letters_for("1.001193", "returned") == [wanted]
    assert letters_for("9.999999", "returned") == []


def test_letters_for_refuses_an_unknown_moment() -> None:
    with pytest.raises(ValueError):
        letters_for("1.001193", "whenever")


def test_render_letter_fills_the_placeholders(make_template: Any) -> None:
    template = make_template()

    text = render_letter(
        template,
        {
            "applicant_name": "Nguyễn Thị Mai",
            "procedure_name": "Đăng ký khai sinh",
            "date": "05/11/2026",
            "unit_name": "UBND phường Long Biên",
        },
    )

    assert text == (
        "Kính gửi: Ông (bà) Nguyễn Thị Mai,\n\n"
        "UBND phường Long Biên cảm ơn ông (bà) đã thực hiện thủ tục Đăng ký khai sinh "
        "ngày 05/11/2026."
    )


def test_the_migration_seeded_three_valid_defaults() -> None:
    names = set(LetterTemplate.objects.values_list("name", flat=True))

    assert {spec["name"] for spec in DEFAULT_TEMPLATES} <= names
    assert len(DEFAULT_TEMPLATES) == 3
    kinds = {spec["kind"] for spec in DEFAULT_TEMPLATES}
    assert kinds == {"congratulations", "condolences"}


def test_installing_defaults_attaches_procedures_imported_later(birth: Procedure) -> None:
    local = Procedure.objects.create(code="1.000656.H26", name="Thủ tục đăng ký khai tử")
    Procedure.objects.create(code="1.0006561", name="Not a match")

    created, linked = letter_template_install_defaults()
    again = letter_template_install_defaults()

    assert created == 0  # the migration made them already
    assert linked == 2
    assert again == (0, 0)
    assert [t.name for t in letters_for("1.001193", "returned")] == [
        "Thư chúc mừng đăng ký khai sinh"
    ]
    assert [t.kind for t in letters_for(local.code, "received")] == ["condolences"]
