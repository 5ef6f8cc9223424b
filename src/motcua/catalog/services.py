"""Writes to the procedure catalog. Each service is one transaction and is audited (R39).

Versioning: editing a procedure prepares a new *draft* version (a copy of the
latest one); the version in force stays in force until the draft is published
with an effective date. Published versions are never edited.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import itertools
import json
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.db import DatabaseError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from motcua.accounts.models import Unit, User
from motcua.accounts.services import audit_record
from motcua.catalog import semantic
from motcua.catalog.constants import (
    CareLetter,
    Channel,
    OnlineLevel,
    VersionSource,
    VersionStatus,
)
from motcua.catalog.models import (
    LegalBasis,
    Procedure,
    ProcedureFee,
    ProcedureMethod,
    ProcedureResult,
    ProcedureUnit,
    ProcedureVersion,
    ProcessStep,
    RequiredDocument,
)
from motcua.catalog.parsing import ParsedProcedure, ParseFailure, iter_source
from motcua.catalog.process import StepSpec, default_process, process_validate
from motcua.catalog.selectors import procedure_version_in_force, version_period
from motcua.core.exceptions import Conflict, ValidationFailed
from motcua.core.text import fold, nfc

# Fields of a version an officer may edit on a draft.
EDITABLE_FIELDS = frozenset(
    {
        "name",
        "field",
        "levels",
        "procedure_type",
        "decision_number",
        "decision_date",
        "applicants",
        "competent_authority",
        "implementing_agency",
        "authorized_agency",
        "coordinating_agency",
        "submission_address",
        "related_procedures",
        "steps_text",
        "conditions",
        "result_document_required",
        "online_level",
        "is_inter_agency",
        "care_letter",
        "change_note",
    }
)
IMPORT_BATCH = 200


# --- listing ----------------------------------------------------------------


def name_key(name: str) -> str:
    """The folded name without the "Thủ tục" many official names start with."""
    return fold(name).removeprefix("thu tuc ")


def procedure_refresh_listing(*, procedure: Procedure, on: dt.date | None = None) -> Procedure:
    """Copy name, field, levels and search text from the version in force (or the latest)."""
    version = procedure_version_in_force(procedure=procedure, on=on)
    shown = version or procedure.versions.order_by("-number").first()
    renamed = shown is not None and shown.name != procedure.name
    if renamed:
        # Its embedding is of the old name (catalog.semantic computes it again).
        procedure.embedding = None
    if shown is not None:
        procedure.name = shown.name
        procedure.field = shown.field
        procedure.levels_text = "|" + "|".join(shown.levels) + "|" if shown.levels else ""
        procedure.online_level = shown.online_level
        procedure.needs_review = shown.needs_review
    procedure.is_listed = version is not None
    # Name first, so "starts with the query" ranks a name match; " | " keeps
    # words of the name from running into the field.
    procedure.search_text = (
        f"{name_key(procedure.name)} | {fold(procedure.field)} | {procedure.code}"
    )
    procedure.save(
        update_fields=[
            "name",
            "field",
            "levels_text",
            "online_level",
            "needs_review",
            "is_listed",
            "search_text",
            "updated_at",
            *(["embedding"] if renamed else []),
        ]
    )
    return procedure


def catalog_refresh_listings(*, on: dt.date | None = None) -> int:
    """Re-derive every procedure's listing (a future-dated version comes into force at midnight).

    Returns how many procedures changed their listed state.
    """
    changed = 0
    for procedure in Procedure.objects.all().iterator(chunk_size=500):
        was_listed = procedure.is_listed
        with transaction.atomic():
            procedure_refresh_listing(procedure=procedure, on=on)
        changed += int(was_listed != procedure.is_listed)
    semantic.procedures_embed_safely()
    return changed


# --- creating and editing ---------------------------------------------------


def _lock_procedure(procedure: Procedure) -> Procedure:
    return Procedure.objects.select_for_update().get(pk=procedure.pk)


@transaction.atomic
def procedure_create(*, actor: User | None, code: str, name: str, **fields: Any) -> Procedure:
    """Create a procedure with a first draft version."""
    code = nfc(code)
    name = nfc(name)
    from motcua.catalog.parsing import is_valid_code

    if not is_valid_code(code):
        raise ValidationFailed(
            _("Mã thủ tục không hợp lệ: %(code)s (ví dụ 1.001193).") % {"code": code}, field="code"
        )
    if not name:
        raise ValidationFailed(_("Vui lòng nhập tên thủ tục."), field="name")
    if Procedure.objects.filter(code=code).exists():
        raise Conflict(_("Đã có thủ tục mã %(code)s.") % {"code": code}, field="code")
    procedure = Procedure.objects.create(code=code, name=name)
    version = ProcedureVersion.objects.create(
        procedure=procedure, number=1, name=name, created_by=actor
    )
    _apply_fields(version, fields)
    version.save()
    procedure_refresh_listing(procedure=procedure)
    audit_record(actor=actor, action="catalog.procedure_create", obj=procedure, summary=code)
    return procedure


def _apply_fields(version: ProcedureVersion, fields: dict[str, Any]) -> None:
    unknown = set(fields) - EDITABLE_FIELDS
    if unknown:
        raise ValidationFailed(
            _("Không sửa được các trường: %(fields)s.") % {"fields": ", ".join(sorted(unknown))}
        )
    for name, value in fields.items():
        setattr(version, name, nfc(value) if isinstance(value, str) else value)
    if "name" in fields and not version.name:
        raise ValidationFailed(_("Vui lòng nhập tên thủ tục."), field="name")


def _copy_children(source: ProcedureVersion, target: ProcedureVersion) -> None:
    for method in source.methods.all():
        fees = list(method.fees.all())
        method.pk = None
        method.version = target
        method.save()
        for fee in fees:
            fee.pk = None
            fee.method = method
            fee.save()
    for relation in ("documents", "results", "legal_basis", "process_steps"):
        rows = list(getattr(source, relation).all())
        for row in rows:
            row.pk = None
            row.version = target
        type(rows[0]).objects.bulk_create(rows) if rows else None


@transaction.atomic
def procedure_version_prepare(*, procedure: Procedure, actor: User | None) -> ProcedureVersion:
    """Prepare a new draft version as a copy of the latest one; the current stays in force.

    If a draft already exists it is returned, so two officers edit the same draft.
    """
    procedure = _lock_procedure(procedure)
    draft = procedure.versions.filter(status=VersionStatus.DRAFT).first()
    if draft is not None:
        return draft
    latest = procedure.versions.order_by("-number").first()
    if latest is None:  # pragma: no cover - procedure_create always makes one
        raise Conflict(_("Thủ tục chưa có phiên bản nào."))
    source_pk = latest.pk
    draft = ProcedureVersion.objects.get(pk=source_pk)
    draft.pk = None
    draft.number = latest.number + 1
    draft.status = VersionStatus.DRAFT
    draft.effective_from = None
    draft.withdrawn_on = None
    draft.withdrawn_reason = ""
    draft.published_at = None
    draft.published_by = None
    draft.created_by = actor
    draft.change_note = ""
    draft.source = VersionSource.MANUAL
    draft.source_hash = ""
    draft.save()
    _copy_children(ProcedureVersion.objects.get(pk=source_pk), draft)
    audit_record(
        actor=actor,
        action="catalog.version_prepare",
        obj=draft,
        summary=_("Soạn phiên bản %(n)s của thủ tục %(code)s")
        % {"n": draft.number, "code": procedure.code},
    )
    return draft


def _ensure_draft(version: ProcedureVersion) -> ProcedureVersion:
    locked = ProcedureVersion.objects.select_for_update().get(pk=version.pk)
    if locked.status != VersionStatus.DRAFT:
        raise Conflict(
            _("Phiên bản %(n)s đã công bố, không sửa được; hãy soạn phiên bản mới.")
            % {"n": locked.number}
        )
    return locked


@transaction.atomic
def procedure_version_update(
    *, version: ProcedureVersion, actor: User | None, **fields: Any
) -> ProcedureVersion:
    """Change fields of a draft version."""
    version = _ensure_draft(version)
    before = {name: str(getattr(version, name)) for name in fields if name in EDITABLE_FIELDS}
    _apply_fields(version, fields)
    version.save()
    procedure_refresh_listing(procedure=version.procedure)
    audit_record(
        actor=actor,
        action="catalog.version_update",
        obj=version,
        data={"before": before, "after": {name: str(value) for name, value in fields.items()}},
    )
    return version


@dataclass(frozen=True)
class MethodSpec:
    """A submission method with its time limit and fees, before it is stored."""

    channel: str
    time_value: Decimal | None
    time_unit: str
    time_text: str = ""
    description: str = ""
    fees: Sequence[dict[str, Any]] = ()


@transaction.atomic
def procedure_version_set_methods(
    *, version: ProcedureVersion, actor: User | None, methods: Sequence[MethodSpec]
) -> ProcedureVersion:
    """Replace the submission methods (time limits and fees) of a draft."""
    version = _ensure_draft(version)
    channels = [method.channel for method in methods]
    if len(set(channels)) != len(channels):
        raise ValidationFailed(_("Mỗi hình thức nộp chỉ được khai một lần."), field="methods")
    if any(channel not in Channel.values for channel in channels):
        raise ValidationFailed(_("Hình thức nộp không hợp lệ."), field="methods")
    version.methods.all().delete()
    for spec in methods:
        method = ProcedureMethod.objects.create(
            version=version,
            channel=spec.channel,
            time_value=spec.time_value,
            time_unit=spec.time_unit,
            time_text=nfc(spec.time_text),
            description=nfc(spec.description),
        )
        for fee in spec.fees:
            amount = fee.get("amount")
            if amount is not None and int(amount) < 0:
                raise ValidationFailed(_("Mức phí, lệ phí không được âm."), field="fees")
            ProcedureFee.objects.create(method=method, **fee)
    audit_record(actor=actor, action="catalog.version_set_methods", obj=version)
    return version


@transaction.atomic
def procedure_version_set_documents(
    *, version: ProcedureVersion, actor: User | None, documents: Sequence[dict[str, Any]]
) -> ProcedureVersion:
    """Replace the dossier components of a draft."""
    version = _ensure_draft(version)
    for document in documents:
        if not nfc(document.get("name", "")):
            raise ValidationFailed(_("Thành phần hồ sơ cần có tên."), field="documents")
    version.documents.all().delete()
    RequiredDocument.objects.bulk_create(
        [
            RequiredDocument(version=version, position=position, **document)
            for position, document in enumerate(documents, start=1)
        ]
    )
    audit_record(actor=actor, action="catalog.version_set_documents", obj=version)
    return version


def _store_steps(version: ProcedureVersion, steps: Sequence[StepSpec]) -> None:
    version.process_steps.all().delete()
    ProcessStep.objects.bulk_create(
        [
            ProcessStep(
                version=version,
                position=position,
                name=nfc(step.name),
                share_value=step.share_value,
                share_unit=step.share_unit,
                responsible_unit_kind=step.responsible_unit_kind,
                responsible_role=step.responsible_role,
                runs_in_other_agency=step.runs_in_other_agency,
                agency_name=nfc(step.agency_name),
                is_signing=step.is_signing,
            )
            for position, step in enumerate(steps, start=1)
        ]
    )


@transaction.atomic
def procedure_version_set_process(
    *, version: ProcedureVersion, actor: User | None, steps: Sequence[StepSpec]
) -> ProcedureVersion:
    """Replace the internal process of a draft; the shares must add up to the legal time."""
    version = _ensure_draft(version)
    process_validate(steps=steps, period=version_period(version=version))
    _store_steps(version, steps)
    audit_record(
        actor=actor,
        action="catalog.version_set_process",
        obj=version,
        data={"steps": [[step.name, str(step.share_value), step.share_unit] for step in steps]},
    )
    return version


def _steps_of(version: ProcedureVersion) -> list[StepSpec]:
    return [
        StepSpec(
            name=step.name,
            share_value=step.share_value,
            share_unit=step.share_unit,
            responsible_unit_kind=step.responsible_unit_kind,
            responsible_role=step.responsible_role,
            runs_in_other_agency=step.runs_in_other_agency,
            agency_name=step.agency_name,
            is_signing=step.is_signing,
        )
        for step in version.process_steps.all()
    ]


@transaction.atomic
def procedure_version_publish(
    *,
    version: ProcedureVersion,
    actor: User | None,
    effective_from: dt.date,
) -> ProcedureVersion:
    """Publish a draft with an effective date; until then the current version stays in force.

    The draft must have a name, at least one submission method with a known
    time limit, and an internal process whose shares add up to it.
    """
    version = _ensure_draft(version)
    if not version.name:
        raise ValidationFailed(_("Vui lòng nhập tên thủ tục."), field="name")
    if not version.methods.exists():
        raise ValidationFailed(
            _("Cần khai ít nhất một hình thức nộp với thời hạn giải quyết."), field="methods"
        )
    period = version_period(version=version)
    if period is None:
        raise ValidationFailed(
            _("Chưa xác định được thời hạn giải quyết; cần nhập số và đơn vị thời hạn."),
            field="methods",
        )
    steps = _steps_of(version)
    if not steps:
        steps = default_process(period)
        _store_steps(version, steps)
    process_validate(steps=steps, period=period)
    if (
        effective_from < timezone.localdate()
        and version.procedure.versions.exclude(status=VersionStatus.DRAFT)
        .filter(effective_from__gt=effective_from)
        .exists()
    ):
        raise ValidationFailed(
            _("Ngày hiệu lực phải sau ngày hiệu lực của phiên bản đã công bố trước đó."),
            field="effective_from",
        )
    version.status = VersionStatus.PUBLISHED
    version.effective_from = effective_from
    version.published_at = timezone.now()
    version.published_by = actor
    version.save()
    procedure_refresh_listing(procedure=version.procedure)
    code = version.procedure.code
    transaction.on_commit(lambda: semantic.procedures_embed_safely(codes=[code]))
    audit_record(
        actor=actor,
        action="catalog.version_publish",
        obj=version,
        summary=_("Công bố phiên bản %(n)s, hiệu lực từ %(date)s")
        % {"n": version.number, "date": effective_from.strftime("%d/%m/%Y")},
        legal_basis=version.decision_number,
    )
    return version


@transaction.atomic
def procedure_version_withdraw(
    *, version: ProcedureVersion, actor: User | None, withdrawn_on: dt.date, reason: str
) -> ProcedureVersion:
    """Stop listing a published version from ``withdrawn_on`` (e.g. the procedure is abolished)."""
    version = ProcedureVersion.objects.select_for_update().get(pk=version.pk)
    if version.status != VersionStatus.PUBLISHED:
        raise Conflict(_("Chỉ ngừng công khai được phiên bản đã công bố."))
    if not nfc(reason):
        raise ValidationFailed(_("Vui lòng ghi lý do ngừng công khai."), field="reason")
    if version.effective_from and withdrawn_on < version.effective_from:
        raise ValidationFailed(
            _("Ngày ngừng hiệu lực không được trước ngày có hiệu lực."), field="withdrawn_on"
        )
    version.status = VersionStatus.WITHDRAWN
    version.withdrawn_on = withdrawn_on
    version.withdrawn_reason = nfc(reason)
    version.save()
    procedure_refresh_listing(procedure=version.procedure)
    audit_record(
        actor=actor,
        action="catalog.version_withdraw",
        obj=version,
        summary=version.withdrawn_reason,
    )
    return version


@transaction.atomic
def procedure_version_discard(*, version: ProcedureVersion, actor: User | None) -> None:
    """Delete a draft that will not be published."""
    version = _ensure_draft(version)
    if version.number == 1:
        raise Conflict(_("Không xóa được phiên bản đầu tiên; hãy sửa nội dung."))
    procedure = version.procedure
    audit_record(actor=actor, action="catalog.version_discard", obj=version)
    version.delete()
    procedure_refresh_listing(procedure=procedure)


@transaction.atomic
def procedure_mark_reviewed(*, version: ProcedureVersion, actor: User | None) -> ProcedureVersion:
    """Record that an officer checked the points the import could not read with confidence."""
    version = ProcedureVersion.objects.select_for_update().get(pk=version.pk)
    reasons = list(version.review_reasons)
    version.needs_review = False
    version.save(update_fields=["needs_review", "updated_at"])
    # A draft prepared from this version inherited the same points; they were
    # just checked, so the draft is cleared too (its own new points stay).
    for draft in version.procedure.versions.filter(
        status=VersionStatus.DRAFT, needs_review=True
    ).exclude(pk=version.pk):
        if list(draft.review_reasons) == reasons:
            draft.needs_review = False
            draft.save(update_fields=["needs_review", "updated_at"])
    procedure_refresh_listing(procedure=version.procedure)
    audit_record(
        actor=actor, action="catalog.version_reviewed", obj=version, data={"reasons": reasons}
    )
    return version


@transaction.atomic
def procedure_set_units(
    *, procedure: Procedure, actor: User | None, units: Iterable[Unit]
) -> Procedure:
    """Set the units that carry out and list a procedure."""
    wanted = {unit.pk for unit in units}
    current = set(
        ProcedureUnit.objects.filter(procedure=procedure).values_list("unit_id", flat=True)
    )
    ProcedureUnit.objects.filter(procedure=procedure, unit_id__in=current - wanted).delete()
    ProcedureUnit.objects.bulk_create(
        [ProcedureUnit(procedure=procedure, unit_id=unit_id) for unit_id in wanted - current]
    )
    audit_record(
        actor=actor,
        action="catalog.procedure_units",
        obj=procedure,
        data={"added": sorted(wanted - current), "removed": sorted(current - wanted)},
    )
    return procedure


# --- import -----------------------------------------------------------------

CONGRATULATIONS_PREFIXES = (
    "dang ky khai sinh",
    "dang ky ket hon",
    "dang ky thanh lap ho kinh doanh",
    "dang ky ho kinh doanh",
    "dang ky thanh lap doanh nghiep",
)
CONDOLENCES_PREFIXES = ("dang ky khai tu",)


def suggest_care_letter(name: str) -> str:
    """Congratulations for births, marriages and new businesses; condolences for deaths."""
    folded = name_key(name)
    if folded.startswith(CONDOLENCES_PREFIXES):
        return CareLetter.CONDOLENCES
    if folded.startswith(CONGRATULATIONS_PREFIXES):
        return CareLetter.CONGRATULATIONS
    return CareLetter.NONE


@dataclass
class ImportReport:
    """What an import did; ``rejections`` are (row, code, reason)."""

    created: int = 0
    updated: int = 0
    unchanged: int = 0
    rejections: list[tuple[int, str, str]] = field(default_factory=list)

    @property
    def rejected(self) -> int:
        return len(self.rejections)

    def summary(self) -> str:
        return (
            f"created={self.created} updated={self.updated} "
            f"unchanged={self.unchanged} rejected={self.rejected}"
        )


def _source_hash(parsed: ParsedProcedure) -> str:
    payload = json.dumps(parsed.original, ensure_ascii=False, sort_keys=True, default=str)
    return hashlib.sha256(f"{parsed.source}:{payload}".encode()).hexdigest()


def _version_from_parsed(
    procedure: Procedure, parsed: ParsedProcedure, number: int
) -> ProcedureVersion:
    online = any(method.channel == "online" for method in parsed.methods)
    reasons = list(parsed.review_reasons)
    # A name from a ministry's list is not yet a listing a citizen can use
    # (no time limit, fees or documents): it waits as a draft for an officer.
    list_only = parsed.source == "xlsx"
    if list_only:
        reasons.append(
            _(
                "Chỉ có tên, lĩnh vực và cơ quan thực hiện từ danh sách của bộ, ngành; cần bổ "
                "sung thời hạn, phí, lệ phí và thành phần hồ sơ trước khi công bố."
            )
        )
    return ProcedureVersion.objects.create(
        procedure=procedure,
        number=number,
        status=VersionStatus.DRAFT if list_only else VersionStatus.PUBLISHED,
        effective_from=None if list_only else timezone.localdate(),
        published_at=None if list_only else timezone.now(),
        name=parsed.name,
        field=parsed.field,
        levels=list(parsed.levels),
        procedure_type=parsed.procedure_type,
        decision_number=parsed.decision_number,
        applicants=", ".join(parsed.applicants),
        competent_authority=parsed.competent_authority,
        implementing_agency=parsed.implementing_agency,
        authorized_agency=parsed.authorized_agency,
        coordinating_agency=parsed.coordinating_agency,
        submission_address=parsed.submission_address,
        related_procedures=parsed.related,
        steps_text=parsed.steps_text,
        conditions=parsed.conditions,
        result_document_required=True,
        # The national data does not say "full online"; partial is the safe
        # reading of an online method until an officer confirms more.
        online_level=OnlineLevel.PARTIAL if online else OnlineLevel.NONE,
        is_inter_agency=parsed.is_inter_agency,
        care_letter=suggest_care_letter(parsed.name),
        needs_review=bool(reasons),
        review_reasons=reasons,
        source=parsed.source,
        source_hash=_source_hash(parsed),
        original=dict(parsed.original),
    )


def _store_parsed_children(version: ProcedureVersion, parsed: ParsedProcedure) -> None:
    # The portal sometimes lists one channel twice (e.g. certification fees at
    # the commune and at an embassy): one method per channel, fees combined.
    methods: dict[str, ProcedureMethod] = {}
    for parsed_method in parsed.methods:
        time = parsed_method.time
        method = methods.get(parsed_method.channel)
        if method is None:
            method = methods[parsed_method.channel] = ProcedureMethod.objects.create(
                version=version,
                channel=parsed_method.channel,
                time_value=time.value,
                time_unit=str(time.unit) if time.unit else "",
                time_text=time.text,
                description=parsed_method.description,
            )
        else:
            if (time.value, time.unit) != (method.time_value, method.time_unit or None):
                reason = _("Hình thức %(channel)s có nhiều thời hạn khác nhau: %(a)s / %(b)s") % {
                    "channel": method.get_channel_display(),
                    "a": method.time_text,
                    "b": time.text,
                }
                version.review_reasons = [*version.review_reasons, reason]
                version.needs_review = True
                version.save(update_fields=["review_reasons", "needs_review"])
            if parsed_method.description:
                method.description = "\n".join(
                    part for part in (method.description, parsed_method.description) if part
                )
                method.save(update_fields=["description"])
        ProcedureFee.objects.bulk_create(
            [
                ProcedureFee(
                    method=method,
                    kind=fee.kind,
                    amount=fee.amount,
                    free=fee.free,
                    set_by_council=fee.set_by_council,
                    description=fee.description,
                )
                for fee in parsed_method.fees
            ]
        )
    RequiredDocument.objects.bulk_create(
        [
            RequiredDocument(
                version=version,
                position=position,
                case=document.case[:1000],
                name=document.name,
                originals=document.originals,
                copies=document.copies,
                certified_copies=document.certified_copies,
                template=document.template[:500],
                required=document.required,
            )
            for position, document in enumerate(parsed.documents, start=1)
        ]
    )
    ProcedureResult.objects.bulk_create(
        [
            ProcedureResult(
                version=version, position=position, name=result.name, code=result.code[:40]
            )
            for position, result in enumerate(parsed.results, start=1)
        ]
    )
    LegalBasis.objects.bulk_create(
        [
            LegalBasis(
                version=version, position=position, code=basis.code[:120], title=basis.title
            )
            for position, basis in enumerate(parsed.legal_basis, start=1)
        ]
    )
    period = version_period(version=version)
    if period is not None:
        _store_steps(version, default_process(period))


@transaction.atomic
def catalog_import_one(*, parsed: ParsedProcedure, actor: User | None = None) -> str:
    """Create or update one procedure from a parsed record; returns created/updated/unchanged.

    Idempotent by code: an unchanged source changes nothing; a changed one
    becomes a new published version (the old one stays readable).
    """
    source_hash = _source_hash(parsed)
    procedure = Procedure.objects.select_for_update().filter(code=parsed.code).first()
    if procedure is None:
        procedure = Procedure.objects.create(
            code=parsed.code, name=parsed.name, portal_id=parsed.portal_id
        )
        version = _version_from_parsed(procedure, parsed, 1)
        _store_parsed_children(version, parsed)
        procedure_refresh_listing(procedure=procedure)
        audit_record(
            actor=actor, action="catalog.import_create", obj=procedure, summary=parsed.code
        )
        return "created"
    if procedure.versions.filter(source_hash=source_hash).exists():
        return "unchanged"
    if parsed.source == "xlsx":
        # The ministries' lists carry only names: they add procedures that are
        # missing, never replace a detailed version.
        return "unchanged"
    number = (
        procedure.versions.order_by("-number").values_list("number", flat=True).first() or 0
    ) + 1
    draft = procedure.versions.filter(status=VersionStatus.DRAFT).first()
    if draft is not None:
        # Keep the officer's draft the newest: the import slots in before it.
        draft.number = number + 1
        draft.save(update_fields=["number"])
    version = _version_from_parsed(procedure, parsed, number)
    _store_parsed_children(version, parsed)
    if parsed.portal_id and not procedure.portal_id:
        procedure.portal_id = parsed.portal_id
        procedure.save(update_fields=["portal_id"])
    procedure_refresh_listing(procedure=procedure)
    audit_record(actor=actor, action="catalog.import_update", obj=version, summary=parsed.code)
    return "updated"


def catalog_import(
    *,
    path: Path,
    actor: User | None = None,
    codes: set[str] | None = None,
    on_row: Callable[[int], None] | None = None,
    on_embed: Callable[[int, int], None] | None = None,
) -> ImportReport:
    """Import a catalog file (.jsonl, .json or .xlsx); never stops on one bad row.

    ``codes`` limits the import to those procedure codes (the demo loads the
    commune procedures only). New and renamed procedures then get their
    embedding for everyday-language search, when the optional model is
    installed; ``on_embed(done, total)`` follows that.
    """
    report = ImportReport()
    rows = iter_source(path)
    while True:
        # perf: one commit per batch instead of per procedure (each row is its
        # own savepoint, so a bad row still rolls back alone); 2,400 new
        # procedures took 53 s on SQLite with a commit each.
        with transaction.atomic():
            batch = list(itertools.islice(rows, IMPORT_BATCH))
            for row, result in batch:
                _import_row(row, result, report=report, actor=actor, codes=codes)
                if on_row is not None:
                    on_row(row)
        if len(batch) < IMPORT_BATCH:
            break
    # After the rows' transactions, in batches: the model runs once per name.
    semantic.procedures_embed_safely(on_progress=on_embed)
    return report


def _import_row(
    row: int,
    result: ParsedProcedure | ParseFailure,
    *,
    report: ImportReport,
    actor: User | None,
    codes: set[str] | None,
) -> None:
    if isinstance(result, ParseFailure):
        report.rejections.append((row, "", result.reason))
        return
    if codes is not None and result.code not in codes:
        return
    try:
        outcome = catalog_import_one(parsed=result, actor=actor)
    except (ValidationFailed, DatabaseError, ValueError) as exc:
        # DatabaseError covers IntegrityError and DataError (e.g. a value too
        # long for a column on PostgreSQL): the row's savepoint rolls back.
        report.rejections.append((row, result.code, str(exc)))
        return
    setattr(report, outcome, getattr(report, outcome) + 1)
