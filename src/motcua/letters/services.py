"""Citizen-care letters: edit templates, find the letters for a dossier's moment, render them.

The dossier lifecycle calls :func:`letters_for` at a moment (received,
result ready, returned) with the dossier's procedure code, then
:func:`render_letter` (text for e-mail, SMS, Zalo) or
:func:`motcua.letters.pdf.letter_pdf` (the printed letter) with a context of
``applicant_name``, ``procedure_name``, ``date``, ``unit_name``,
``signer_name`` and optionally ``dossier_code``.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from motcua.accounts.models import Officer, User
from motcua.accounts.permissions import Action, ensure_can
from motcua.accounts.services import audit_record
from motcua.catalog.models import Procedure
from motcua.core.exceptions import NotFound, ValidationFailed
from motcua.letters.constants import LetterKind, Moment
from motcua.letters.defaults import attach_default_procedures, create_default_templates
from motcua.letters.exceptions import InvalidPlaceholder
from motcua.letters.models import LetterTemplate
from motcua.letters.placeholders import placeholder_errors, substitute
from motcua.letters.selectors import letters_for

__all__ = [
    "letter_template_create",
    "letter_template_install_defaults",
    "letter_template_update",
    "letter_template_validate",
    "letters_for",
    "render_letter",
]

# The fields whose text may carry placeholders.
TEXT_FIELDS = ("title", "greeting", "body", "signer_title")


def _ensure_may_manage(actor: User) -> Officer | None:
    officer: Officer | None = getattr(actor, "officer", None)
    if actor.is_superuser and actor.is_active:
        return officer
    if officer is None:
        raise NotFound(_("Không tìm thấy cán bộ."))
    ensure_can(actor, Action.LETTER_MANAGE, officer.unit)
    return officer


def letter_template_validate(*, fields: dict[str, Any]) -> None:
    """Refuse unknown placeholders and unpaired braces, naming the field at fault."""
    for name in TEXT_FIELDS:
        errors = placeholder_errors(str(fields.get(name) or ""))
        if errors:
            raise InvalidPlaceholder(" ".join(errors), field=name)
    if not str(fields.get("name") or "").strip():
        raise ValidationFailed(_("Vui lòng nhập tên mẫu."), field="name")
    if not str(fields.get("body") or "").strip():
        raise ValidationFailed(_("Vui lòng nhập nội dung thư."), field="body")
    LetterKind(fields["kind"])
    Moment(fields["moment"])


def _save(
    template: LetterTemplate,
    *,
    actor: User,
    fields: dict[str, Any],
    procedures: Iterable[Procedure],
    action: str,
) -> LetterTemplate:
    officer = _ensure_may_manage(actor)
    letter_template_validate(fields=fields)
    procedure_list = list(procedures)
    with transaction.atomic():
        for name, value in fields.items():
            setattr(template, name, value.strip() if isinstance(value, str) else value)
        template.save()
        template.procedures.set(procedure_list)
        audit_record(
            actor=actor,
            action=action,
            obj=template,
            unit=officer.unit if officer is not None else None,
            summary=_("Mẫu thư «%(name)s».") % {"name": template.name[:200]},
            data={
                "fields": sorted(fields),
                "procedures": sorted(p.code for p in procedure_list),
            },
        )
    return template


def letter_template_create(
    *, actor: User, fields: dict[str, Any], procedures: Iterable[Procedure] = ()
) -> LetterTemplate:
    """Create a template (administrators); placeholders are checked first."""
    return _save(
        LetterTemplate(),
        actor=actor,
        fields=fields,
        procedures=procedures,
        action="letter_template.create",
    )


def letter_template_update(
    *,
    template: LetterTemplate,
    actor: User,
    fields: dict[str, Any],
    procedures: Iterable[Procedure],
) -> LetterTemplate:
    """Change a template's text, moment, procedures or whether it is in use."""
    return _save(
        template,
        actor=actor,
        fields=fields,
        procedures=procedures,
        action="letter_template.update",
    )


def letter_template_install_defaults() -> tuple[int, int]:
    """Create the default templates and attach them to the procedures now in the catalog.

    For the demo loader, after it imported the catalog; returns (templates
    created, procedure links made).
    """
    with transaction.atomic():
        created = create_default_templates(LetterTemplate)
        linked = attach_default_procedures(LetterTemplate, Procedure)
    return created, linked


# --- producing letters -------------------------------------------------------------


def render_letter(template: LetterTemplate, context: dict[str, Any]) -> str:
    """The letter as plain text (greeting, then the body), placeholders filled from ``context``.

    ``context`` keys: ``applicant_name``, ``procedure_name``, ``date`` (a date
    or text), ``unit_name``, ``signer_name``, ``dossier_code``; a missing
    value prints as a gap to fill in by hand.
    """
    parts = [substitute(template.greeting, context), substitute(template.body, context)]
    return "\n\n".join(part.strip() for part in parts if part.strip())
