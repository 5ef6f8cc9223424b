"""Reads of the procedure catalog: the version in force, time limits, search, listing."""

from __future__ import annotations

import datetime as dt
import re
import threading
from collections import OrderedDict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import (
    Case,
    Count,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Length
from django.utils import timezone
from django.utils.translation import gettext as _

from motcua.accounts.models import Unit
from motcua.catalog import semantic
from motcua.catalog.constants import Channel, TimeUnit, VersionStatus
from motcua.catalog.models import (
    Procedure,
    ProcedureFee,
    ProcedureMethod,
    ProcedureUnit,
    ProcedureVersion,
    ProcessStep,
    RequiredDocument,
)
from motcua.catalog.process import HOURS_PER_DAY, StepSpec, legal_hours
from motcua.core.compiled import CompiledQuery, KeptRows, keep_related, related_rows, run_together
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
    # perf: the published versions (a handful) in one compiled statement, the
    # date compared here: asked on every intake (core/compiled.py).
    published = procedure.__dict__.get(_KEPT_VERSIONS)
    if published is None:
        published = _PUBLISHED_VERSIONS.run(procedure.pk)
    version = next(
        (
            candidate
            for candidate in published
            if candidate.effective_from is not None and candidate.effective_from <= on
        ),
        None,
    )
    if version is None:
        return None
    if version.status == VersionStatus.WITHDRAWN and version.withdrawn_on <= on:  # type: ignore[operator]
        return None
    # As procedure.versions would have it: the version knows its procedure.
    ProcedureVersion._meta.get_field("procedure").set_cached_value(version, procedure)  # type: ignore[union-attr]
    return version


_PUBLISHED_VERSIONS = CompiledQuery(
    lambda procedure_id: (
        ProcedureVersion.objects.filter(procedure_id=procedure_id)
        .exclude(status=VersionStatus.DRAFT)
        .order_by("-effective_from", "-number")
    ),
    int,
)


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
    methods = {method.channel: method for method in related_rows(version, "methods", _METHODS_OF)}
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


# perf: read on every intake; compiled once (core/compiled.py).
_PROCEDURE_BY_CODE = CompiledQuery(lambda code: Procedure.objects.filter(code=code), str)
_METHODS_OF = CompiledQuery(
    lambda version_id: ProcedureMethod.objects.filter(version_id=version_id), int
)


def procedure_get(*, code: str) -> Procedure:
    """Any procedure by code (staff); NotFound otherwise."""
    procedure: Procedure | None = _PROCEDURE_BY_CODE.first(code.strip())
    if procedure is None:
        raise NotFound(_("Không tìm thấy thủ tục hành chính có mã %(code)s.") % {"code": code})
    return procedure


# An intake's reads of its procedure by code: the procedure and its published
# versions (as _PUBLISHED_VERSIONS), sent with the intake's other reads in one
# round trip (core.compiled.run_together). Their components, methods and
# process steps (what the version in force, its time limit, the checklist and
# the first step are read from) are read once per process: see below.
_KEPT_VERSIONS = "_published_versions"
_PUBLISHED_BY_CODE = {
    "documents": CompiledQuery(
        lambda code: RequiredDocument.objects.filter(version__procedure__code=code).exclude(
            version__status=VersionStatus.DRAFT
        ),
        str,
    ),
    "methods": CompiledQuery(
        lambda code: ProcedureMethod.objects.filter(version__procedure__code=code).exclude(
            version__status=VersionStatus.DRAFT
        ),
        str,
    ),
    "process_steps": CompiledQuery(
        lambda code: (
            ProcessStep.objects.filter(version__procedure__code=code)
            .exclude(version__status=VersionStatus.DRAFT)
            .order_by("version", "position")
        ),
        str,
    ),
}
_CHILD_MODELS: dict[str, type[Any]] = {
    "documents": RequiredDocument,
    "methods": ProcedureMethod,
    "process_steps": ProcessStep,
}
# With their procedure, without what an intake never reads: the imported source
# record (a JSON document of several kB, decoded per row) and the search data.
_VERSIONS_BY_CODE = CompiledQuery(
    lambda code: (
        ProcedureVersion.objects.filter(procedure__code=code)
        .exclude(status=VersionStatus.DRAFT)
        .select_related("procedure")
        .defer("original", "procedure__embedding", "procedure__search_text")
        .order_by("-effective_from", "-number")
    ),
    str,
)

# perf: a published version's components, methods and process steps never
# change (only drafts are edited, services._ensure_draft; the admin shows them
# read-only; a new import is a new version), so each process keeps them by
# version once read: three statements less on every intake. Which versions are
# published, withdrawn or in force is read every time. forget_kept_versions()
# empties the store (tests; a database restored under running processes).
_KEPT_CHILDREN_MAX = 1024
_kept_children: OrderedDict[int, dict[str, KeptRows]] = OrderedDict()
_kept_lock = threading.Lock()


def forget_kept_versions() -> None:
    """Drop this process's kept components, methods and steps of published versions."""
    with _kept_lock:
        _kept_children.clear()


def procedure_intake_reads(code: str) -> list[tuple[CompiledQuery, tuple[str]]]:
    """The statements of an intake's procedure (``code``), for ``run_together``;
    :func:`procedure_from_intake_reads` makes the procedure of their rows."""
    return [(_VERSIONS_BY_CODE, (code.strip(),))]


def procedure_from_intake_reads(found: Sequence[list[Any]]) -> Procedure | None:
    """The procedure read by :func:`procedure_intake_reads`; None when there is none or
    it has no published version (then the usual path says which).

    Its published versions are kept on it and their components, methods and
    process steps on each version (as ``prefetch_related`` would), so that
    :func:`procedure_version_in_force`, :func:`version_period` and the intake
    read nothing more.
    """
    (versions,) = found
    if not versions:
        return None
    procedure: Procedure = versions[0].procedure
    children = _children_of(procedure.code, versions)
    for version in versions:
        version.procedure = procedure  # one instance, as procedure.versions would have it
        for name, rows in children[version.pk].items():
            keep_related(version, name, rows.instances())
    procedure.__dict__[_KEPT_VERSIONS] = versions
    return procedure


def _children_of(
    code: str, versions: Sequence[ProcedureVersion]
) -> dict[int, dict[str, KeptRows]]:
    """The kept rows of each published version; those not kept yet are read (by code)."""
    kept: dict[int, dict[str, KeptRows]] = {}
    with _kept_lock:
        for version in versions:
            found = _kept_children.get(version.pk)
            if found is not None:
                _kept_children.move_to_end(version.pk)
                kept[version.pk] = found
    missing = {version.pk for version in versions} - kept.keys()
    if not missing:
        return kept
    read = run_together([(query, (code,)) for query in _PUBLISHED_BY_CODE.values()])
    by_version: dict[int, dict[str, list[Any]]] = {
        pk: {name: [] for name in _PUBLISHED_BY_CODE} for pk in missing
    }
    for name, found_rows in zip(_PUBLISHED_BY_CODE, read, strict=True):
        for row in found_rows:
            # Only the versions read as published: rows of a version published
            # since (or still a draft then) are not theirs.
            if row.version_id in by_version:
                by_version[row.version_id][name].append(row)
    with _kept_lock:
        for pk, rows_by_name in by_version.items():
            kept[pk] = _kept_children[pk] = {
                name: KeptRows(_CHILD_MODELS[name], rows) for name, rows in rows_by_name.items()
            }
        while len(_kept_children) > _KEPT_CHILDREN_MAX:
            _kept_children.popitem(last=False)
    return kept


def procedure_version_get(
    *, procedure: Procedure, number: int, with_children: bool = False
) -> ProcedureVersion:
    """One version of ``procedure`` by number (staff); NotFound otherwise.

    ``with_children`` prefetches methods and fees, documents, results, legal
    basis and process steps, for pages that show the whole version.
    """
    versions = procedure.versions.select_related("published_by", "created_by")
    if with_children:
        versions = versions.prefetch_related(
            "methods__fees", "documents", "results", "legal_basis", "process_steps"
        )
    version = versions.filter(number=number).first()
    if version is None:
        raise NotFound(
            _("Thủ tục %(code)s không có phiên bản %(n)s.") % {"code": procedure.code, "n": number}
        )
    return version


def procedure_counts() -> dict[str, int]:
    """How many procedures there are: all, listed, not listed and needing review (one query)."""
    counts = Procedure.objects.aggregate(
        total=Count("pk"),
        listed=Count("pk", filter=Q(is_listed=True)),
        needs_review=Count("pk", filter=Q(needs_review=True)),
    )
    counts["not_listed"] = counts["total"] - counts["listed"]
    return counts


def procedure_page_versions(
    *, procedures: Iterable[Procedure]
) -> dict[int, list[ProcedureVersion]]:
    """The versions of ``procedures`` (status and review fields only), newest first, by id.

    One query for a page of the staff list, whatever its length.
    """
    found: dict[int, list[ProcedureVersion]] = {}
    ids = [procedure.pk for procedure in procedures]
    if not ids:
        return found
    versions = (
        ProcedureVersion.objects.filter(procedure_id__in=ids)
        .only(
            "id",
            "procedure_id",
            "number",
            "status",
            "needs_review",
            "review_reasons",
            "effective_from",
            "withdrawn_on",
        )
        .order_by("procedure_id", "-number")
    )
    for version in versions:
        found.setdefault(version.procedure_id, []).append(version)
    return found


@dataclass(frozen=True)
class ProcessBudget:
    """How much of the legal time the steps of an internal process allocate, in working hours.

    ``legal_hours`` is ``None`` when the time limit is unknown or in calendar
    days or months, which do not convert to working time exactly.
    """

    allocated_hours: Decimal
    legal_hours: Decimal | None
    in_hours: bool

    @property
    def difference(self) -> Decimal | None:
        """Legal minus allocated: positive when time is left, negative when over."""
        if self.legal_hours is None:
            return None
        return self.legal_hours - self.allocated_hours

    def as_text(self, hours: Decimal) -> str:
        """``hours`` in the unit of the legal time: "6,5 ngày làm việc", "3 giờ làm việc"."""
        if self.in_hours:
            return _("%(n)s giờ làm việc") % {"n": number_vi(hours)}
        return _("%(n)s ngày làm việc") % {"n": number_vi(hours / HOURS_PER_DAY)}


def process_budget(*, steps: Sequence[StepSpec], period: Period | None) -> ProcessBudget:
    """The running total of ``steps`` against the legal time ``period`` (for the editor)."""
    legal = legal_hours(period) if period is not None else None
    # A same-day procedure has one working day, shared out in hours.
    in_hours = period is not None and period.unit in (
        PeriodUnit.WORKING_HOURS,
        PeriodUnit.SAME_DAY,
    )
    return ProcessBudget(
        allocated_hours=sum((step.hours for step in steps), Decimal(0)),
        legal_hours=legal,
        in_hours=in_hours,
    )


# --- public listing -----------------------------------------------------------


def procedure_versions_in_force(
    *, procedures: Iterable[Procedure], on: dt.date | None = None
) -> dict[int, ProcedureVersion]:
    """The version in force of each of ``procedures`` by procedure id, with methods and fees.

    Same rule as :func:`procedure_version_in_force`, in three queries for a
    page of the public list or a printed sheet whatever its length;
    procedures without a version in force are left out.
    """
    on = on or timezone.localdate()
    ids = [procedure.pk for procedure in procedures]
    if not ids:
        return {}
    latest = (
        ProcedureVersion.objects.filter(procedure=OuterRef("procedure"), effective_from__lte=on)
        .exclude(status=VersionStatus.DRAFT)
        .order_by("-effective_from", "-number")
        .values("pk")[:1]
    )
    # perf: explicit orderings keep the models' default ones (by procedure
    # code, version number) from joining two more tables into each query.
    versions = (
        ProcedureVersion.objects.filter(procedure_id__in=ids, pk=Subquery(latest))
        .defer("original")
        .order_by()
        .prefetch_related(
            Prefetch("methods", queryset=ProcedureMethod.objects.order_by("id")),
            Prefetch("methods__fees", queryset=ProcedureFee.objects.order_by("id")),
        )
    )
    return {
        version.procedure_id: version
        for version in versions
        if not (
            version.status == VersionStatus.WITHDRAWN
            and version.withdrawn_on is not None
            and version.withdrawn_on <= on
        )
    }


def fee_amount_label(fee: ProcedureFee) -> str:
    """One fee for people: "20.000 đồng", "Miễn phí", or words when no amount is sure.

    Never "0" or "Miễn phí" unless the fee is marked free: an amount the
    import could not read, or one the provincial People's Council sets, is
    said in words (the description next to it says more).
    """
    if fee.free:
        return _("Miễn phí")
    if fee.set_by_council:
        return _("Theo mức do Hội đồng nhân dân cấp tỉnh quy định")
    if not fee.amount:
        return _("Chưa có mức thu cụ thể")
    return _("%(amount)s đồng") % {"amount": number_vi(fee.amount)}


def version_fee_summary(*, version: ProcedureVersion) -> str:
    """The fees of all methods in one line: "10.000 – 20.000 đồng", "Miễn phí"…

    Uses the prefetched methods and fees (see :func:`procedure_versions_in_force`).
    """
    amounts: set[int] = set()
    free = council = unknown = False
    for method in version.methods.all():
        for fee in method.fees.all():
            if fee.free:
                free = True
            elif fee.set_by_council:
                council = True
            elif fee.amount:
                amounts.add(fee.amount)
            else:
                unknown = True
    parts = []
    if amounts:
        low, high = min(amounts), max(amounts)
        if low == high:
            parts.append(_("%(amount)s đồng") % {"amount": number_vi(low)})
        else:
            parts.append(
                _("%(low)s – %(high)s đồng") % {"low": number_vi(low), "high": number_vi(high)}
            )
    if free:
        parts.append(_("Miễn phí"))
    if council:
        parts.append(_("Theo mức do HĐND cấp tỉnh quy định"))
    if unknown:
        parts.append(_("Chưa có mức thu cụ thể"))
    return "; ".join(parts) if parts else _("Chưa có thông tin")


def procedure_levels(*, listed_only: bool = True) -> list[str]:
    """The levels (cấp thực hiện) that have procedures, for the filter list."""
    procedures = Procedure.objects.exclude(levels_text="")
    if listed_only:
        procedures = procedures.filter(is_listed=True)
    texts = procedures.order_by().values_list("levels_text", flat=True).distinct()
    levels = {level for text in texts for level in text.strip("|").split("|") if level}
    return sorted(levels, key=fold)


def procedure_listing_units(*, on: dt.date | None = None) -> list[Unit]:
    """The units in force that list at least one listed procedure (filters, printed sheets)."""
    unit_ids = ProcedureUnit.objects.filter(procedure__is_listed=True).values("unit_id")
    return list(Unit.objects.in_force(on).filter(pk__in=unit_ids).order_by("name"))


def procedure_listing_unit_get(*, key: str, on: dt.date | None = None) -> Unit:
    """A unit that lists procedures, by official code or by id; NotFound otherwise.

    The code wins: official codes such as 00145 are digits too.
    """
    key = key.strip()
    units = procedure_listing_units(on=on)
    unit = next((unit for unit in units if unit.code == key), None)
    if unit is None and key.isdigit() and len(key) < 19:
        unit = next((unit for unit in units if unit.pk == int(key)), None)
    if unit is None:
        raise NotFound(_("Không có đơn vị %(key)s công khai thủ tục hành chính.") % {"key": key})
    return unit


def procedure_units(*, procedure: Procedure, on: dt.date | None = None) -> list[Unit]:
    """The units in force that carry out and list ``procedure``, with address and phone."""
    return list(procedure.units.in_force(on).order_by("name"))  # type: ignore[attr-defined]


# --- everyday-language search, drafts and history (API) ---------------------------

# Fewer plain matches than this, and suggestions by meaning are added.
FEW_RESULTS = 5


class ProcedureFindResults:
    """Plain matches first, then suggestions by meaning; countable and sliceable.

    Paginators (Django's and DRF's) call ``count()`` once, then slice a page:
    the plain part stays a lazy QuerySet, however many it matches.
    """

    def __init__(
        self,
        plain: QuerySet[Procedure],
        suggested: list[Procedure],
        plain_count: int | None = None,
    ) -> None:
        self.plain = plain
        self.suggested = suggested
        self._plain_count = plain_count

    @property
    def plain_count(self) -> int:
        if self._plain_count is None:
            self._plain_count = self.plain.count()
        return self._plain_count

    def count(self) -> int:
        return self.plain_count + len(self.suggested)

    def __len__(self) -> int:
        return self.count()

    def __iter__(self) -> Iterator[Procedure]:
        yield from self.plain
        yield from self.suggested

    def __getitem__(self, index: int | slice) -> Any:
        total = self.count()
        if isinstance(index, slice):
            start, stop, step = index.indices(total)
            if step != 1:
                return list(self)[index]
            plain = list(self.plain[start : min(stop, self.plain_count)])
            if start >= self.plain_count:
                plain = []
            first = max(0, start - self.plain_count)
            return plain + self.suggested[first : max(0, stop - self.plain_count)]
        position = index + total if index < 0 else index
        if not 0 <= position < total:
            raise IndexError(index)
        if position < self.plain_count:
            return self.plain[position]
        return self.suggested[position - self.plain_count]


def procedure_find(
    *,
    query: str = "",
    field: str = "",
    level: str = "",
    unit: Unit | None = None,
    online_level: str = "",
) -> ProcedureFindResults:
    """The public search: plain matches first, then everyday-language suggestions.

    Takes the arguments of :func:`procedure_search` (listed procedures only).
    A query with a word people use for an official one ("sổ đỏ", "cưới") is
    searched by the official words ("giấy chứng nhận quyền sử dụng đất",
    "đăng ký kết hôn"): the letters of "so do" are in too many names.
    Suggestions come from :mod:`motcua.catalog.semantic` when the plain
    search finds fewer than :data:`FEW_RESULTS` or the query reads like plain
    words ("cưới vợ cần giấy tờ gì"); the filters apply to them too, each is
    marked ``search_match = "semantic"`` with its ``similarity``, and none
    repeats a plain match. When the query reads like plain words *and* the
    plain search finds fewer than :data:`FEW_RESULTS`, the order is by
    meaning instead: those few are then mostly syllables found inside other
    words ("khai sinh cho con" matched "con" in "công trình"), and the ones
    that are not come back near the top by meaning anyway (still marked
    ``"text"``). Without the optional model: the plain part only.
    """
    filters: dict[str, Any] = {
        "field": field,
        "level": level,
        "unit": unit,
        "online_level": online_level,
    }
    text = query.strip()
    if not text or CODE_QUERY.match(text):
        return ProcedureFindResults(procedure_search(query=text, **filters), [])
    official = semantic.official_terms(text)
    plain = procedure_search(query=official[0] if official else text, **filters)
    plain_count = plain.count()
    everyday = semantic.looks_everyday(text)
    if plain_count >= FEW_RESULTS and not everyday:
        return ProcedureFindResults(plain, [], plain_count)
    matches = semantic.semantic_search(query=text)
    if not matches:
        return ProcedureFindResults(plain, [], plain_count)
    by_meaning = everyday and plain_count < FEW_RESULTS
    literal = list(plain) if by_meaning else []
    candidates = procedure_search(**filters).filter(pk__in=[m.procedure_id for m in matches])
    if plain_count and not by_meaning:
        candidates = candidates.exclude(pk__in=plain.order_by().values("pk"))
    found = {procedure.pk: procedure for procedure in candidates}
    literal_ids = {procedure.pk for procedure in literal}
    suggested = []
    for match in matches:
        procedure = found.get(match.procedure_id)
        if procedure is not None:
            kind = "text" if procedure.pk in literal_ids else "semantic"
            setattr(procedure, "search_match", kind)  # noqa: B010
            setattr(procedure, "similarity", match.similarity)  # noqa: B010
            suggested.append(procedure)
    if not by_meaning:
        return ProcedureFindResults(plain, suggested, plain_count)
    shown = {procedure.pk for procedure in suggested}
    rest = [procedure for procedure in literal if procedure.pk not in shown]
    for procedure in rest:
        setattr(procedure, "search_match", "text")  # noqa: B010
    return ProcedureFindResults(Procedure.objects.none(), suggested + rest, 0)


def procedure_versions_published(*, procedure: Procedure) -> QuerySet[ProcedureVersion]:
    """The published history: every version but the draft (withdrawn ones too), newest first."""
    return procedure.versions.exclude(status=VersionStatus.DRAFT).order_by("-number")


def procedure_draft_get(*, procedure: Procedure, with_children: bool = False) -> ProcedureVersion:
    """The version being prepared (staff); NotFound when there is none."""
    number = (
        procedure.versions.filter(status=VersionStatus.DRAFT)
        .values_list("number", flat=True)
        .first()
    )
    if number is None:
        raise NotFound(
            _("Thủ tục %(code)s chưa có phiên bản đang soạn; hãy soạn phiên bản mới trước.")
            % {"code": procedure.code}
        )
    return procedure_version_get(procedure=procedure, number=number, with_children=with_children)
