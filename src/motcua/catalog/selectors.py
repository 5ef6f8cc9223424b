"""Reads of the procedure catalog: the version in force, time limits, search, listing."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

from django.db.models import Case, IntegerField, QuerySet, Value, When
from django.db.models.functions import Length
from django.utils import timezone
from django.utils.translation import gettext as _

from motcua.accounts.models import Unit
from motcua.catalog.constants import Channel, TimeUnit, VersionStatus
from motcua.catalog.models import (
    Procedure,
    ProcedureMethod,
    ProcedureVersion,
)
from motcua.core.exceptions import NotFound
from motcua.core.formatting import number_vi
from motcua.core.text import fold
from motcua.workcalendar.engine import Period, PeriodUnit

# The channel whose time limit the internal process is checked against, in order.
PROCESS_BASIS_CHANNELS = (Channel.IN_PERSON, Channel.ONLINE, Channel.POSTAL)
CODE_QUERY = re.compile(r"^\d\.\d{0,6}(\.[0-9A-Za-z.]*)?$")


def procedure_version_in_force(
    *, procedure: Procedure, on: dt.date | None = None
) -> ProcedureVersion | None:
    """The version in force on ``on`` (today): the latest published by effective date (R38).

    A withdrawn version ends on its ``withdrawn_on`` date; drafts are never in
    force. Dossiers keep the version they were received under, whatever
    happens later.
    """
    on = on or timezone.localdate()
    version = (
        procedure.versions.exclude(status=VersionStatus.DRAFT)
        .filter(effective_from__lte=on)
        .order_by("-effective_from", "-number")
        .first()
    )
    if version is None:
        return None
    if version.status == VersionStatus.WITHDRAWN and version.withdrawn_on <= on:  # type: ignore[operator]
        return None
    return version


def procedure_version_latest(*, procedure: Procedure) -> ProcedureVersion | None:
    """The newest version whatever its status (the draft, if one is being prepared)."""
    return procedure.versions.order_by("-number").first()


def procedure_versions(*, procedure: Procedure) -> QuerySet[ProcedureVersion]:
    """Every version, newest first, for the history view."""
    return procedure.versions.select_related("published_by", "created_by").order_by("-number")


def method_period(method: ProcedureMethod) -> Period | None:
    """The method's time limit as a calendar period, or ``None`` when it needs review."""
    if method.time_unit == TimeUnit.SAME_DAY:
        return Period(Decimal(0), PeriodUnit.SAME_DAY)
    if not method.time_unit or method.time_value is None or method.time_value <= 0:
        return None
    value = Decimal(method.time_value)
    if value != value.to_integral_value() and method.time_unit not in (
        TimeUnit.WORKING_DAYS,
        TimeUnit.WORKING_HOURS,
    ):
        return None
    return Period(value.normalize(), PeriodUnit(method.time_unit))


def version_period(*, version: ProcedureVersion, channel: str | None = None) -> Period | None:
    """The statutory time limit of ``version`` for ``channel`` (else the process basis)."""
    methods = {method.channel: method for method in version.methods.all()}
    channels = (channel,) if channel else PROCESS_BASIS_CHANNELS
    for candidate in channels:
        method = methods.get(candidate)
        if method is not None and (period := method_period(method)) is not None:
            return period
    return None


def period_label(period: Period | None) -> str:
    """ "7 ngày làm việc", "4 giờ làm việc", "Trong ngày" — for people."""
    if period is None:
        return _("Chưa xác định")
    if period.unit == PeriodUnit.SAME_DAY:
        return _("Trong ngày")
    units = {
        PeriodUnit.WORKING_DAYS: _("ngày làm việc"),
        PeriodUnit.CALENDAR_DAYS: _("ngày"),
        PeriodUnit.WORKING_HOURS: _("giờ làm việc"),
        PeriodUnit.MONTHS: _("tháng"),
    }
    return "%s %s" % (number_vi(period.value), units[period.unit])  # noqa: UP031


def procedure_get_public(
    *, code: str, on: dt.date | None = None
) -> tuple[Procedure, ProcedureVersion]:
    """A listed procedure and its version in force, by code; NotFound otherwise."""
    procedure = Procedure.objects.filter(code=code.strip(), is_listed=True).first()
    version = procedure_version_in_force(procedure=procedure, on=on) if procedure else None
    if procedure is None or version is None:
        raise NotFound(_("Không tìm thấy thủ tục hành chính có mã %(code)s.") % {"code": code})
    return procedure, version


def procedure_search(
    *,
    query: str = "",
    field: str = "",
    level: str = "",
    unit: Unit | None = None,
    online_level: str = "",
    listed_only: bool = True,
) -> QuerySet[Procedure]:
    """Procedures matching ``query`` regardless of case and diacritics, or by code.

    "dang ky thuong tru" finds "Đăng ký thường trú"; "1.004222" (or a prefix)
    finds the procedure by code. Every word must match; procedures whose name
    starts with the query come first. On PostgreSQL the ``search_text`` column
    has a trigram index, so the LIKE filters use it.
    """
    procedures = Procedure.objects.all()
    if listed_only:
        procedures = procedures.filter(is_listed=True)
    if field:
        procedures = procedures.filter(field=field)
    if level:
        procedures = procedures.filter(levels_text__contains=f"|{level}|")
    if unit is not None:
        procedures = procedures.filter(procedureunit__unit=unit)
    if online_level:
        procedures = procedures.filter(online_level=online_level)
    text = query.strip()
    if not text:
        return procedures.order_by("field", "name")
    if CODE_QUERY.match(text):
        return procedures.filter(code__startswith=text).order_by("code")
    folded = fold(text)
    words = [word for word in folded.split() if word]
    for word in words:
        procedures = procedures.filter(search_text__contains=word)
    return procedures.annotate(
        rank=Case(
            When(search_text__startswith=f"{folded} |", then=Value(0)),
            When(search_text__startswith=folded, then=Value(1)),
            When(search_text__contains=folded, then=Value(2)),
            default=Value(3),
            output_field=IntegerField(),
        ),
        name_length=Length("name"),
    ).order_by("rank", "name_length", "name")


def procedure_fields(*, listed_only: bool = True) -> list[str]:
    """The fields (lĩnh vực) that have procedures, for the filter list."""
    procedures = Procedure.objects.exclude(field="")
    if listed_only:
        procedures = procedures.filter(is_listed=True)
    return list(procedures.order_by("field").values_list("field", flat=True).distinct())


def procedure_list_for_staff(
    *,
    query: str = "",
    field: str = "",
    needs_review: bool | None = None,
    listed: bool | None = None,
    unit: Unit | None = None,
) -> QuerySet[Procedure]:
    """Every procedure (listed or not) for the management screens, with filters."""
    procedures = procedure_search(query=query, field=field, unit=unit, listed_only=False)
    if needs_review is not None:
        procedures = procedures.filter(needs_review=needs_review)
    if listed is not None:
        procedures = procedures.filter(is_listed=listed)
    return procedures


def procedure_get(*, code: str) -> Procedure:
    """Any procedure by code (staff); NotFound otherwise."""
    procedure = Procedure.objects.filter(code=code.strip()).first()
    if procedure is None:
        raise NotFound(_("Không tìm thấy thủ tục hành chính có mã %(code)s.") % {"code": code})
    return procedure
