"""Reads of the letter templates."""

from __future__ import annotations

from django.db.models import Count, QuerySet
from django.utils.translation import gettext as _

from motcua.core.compiled import CompiledQuery
from motcua.core.exceptions import NotFound
from motcua.letters.constants import Moment
from motcua.letters.models import LetterTemplate


def letter_template_list() -> QuerySet[LetterTemplate]:
    """Every template with how many procedures it is attached to."""
    return LetterTemplate.objects.annotate(procedure_count=Count("procedures")).order_by(
        "kind", "name"
    )


def letter_template_get(*, pk: int) -> LetterTemplate:
    """One template, or :class:`NotFound`."""
    template = LetterTemplate.objects.filter(pk=pk).first()
    if template is None:
        raise NotFound(_("Không tìm thấy mẫu thư."))
    return template


def letters_for(procedure_code: str, moment: str) -> list[LetterTemplate]:
    """The templates in use for ``moment`` attached to the procedure ``procedure_code``."""
    Moment(moment)
    return _LETTERS_FOR.run(procedure_code, str(moment))


def letters_for_read(procedure_code: str, moment: str) -> tuple[CompiledQuery, tuple[str, str]]:
    """:func:`letters_for` as a statement for ``core.compiled.run_together``."""
    Moment(moment)
    return _LETTERS_FOR, (procedure_code, str(moment))


# perf: asked on every event that may send a letter; compiled once (core/compiled.py).
_LETTERS_FOR = CompiledQuery(
    lambda procedure_code, moment: (
        LetterTemplate.objects.filter(
            procedures__code=procedure_code, moment=moment, is_active=True
        )
        .distinct()
        .order_by("kind", "name")
    ),
    str,
    str,
)
