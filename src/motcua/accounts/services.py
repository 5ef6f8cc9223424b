"""Writes to the organisation and people. Each function is one transaction."""

from __future__ import annotations

import time
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from motcua.accounts.constants import Role, StaffCategory, UserKind
from motcua.accounts.models import AuditEvent, Officer, OfficerRole, Unit, User
from motcua.accounts.unit_import import ProgressCallback, UnitImportReport, apply_official_units
from motcua.accounts.unit_sources import read_official_units
from motcua.accounts.working_settings import SETTING_FIELDS, format_time, parse_setting
from motcua.core.exceptions import ValidationFailed


def audit_record(
    *,
    actor: User | None,
    action: str,
    obj: Any = None,
    unit: Unit | None = None,
    summary: str = "",
    data: dict[str, Any] | None = None,
    legal_basis: str = "",
    object_type: str | None = None,
    object_id: str | None = None,
) -> AuditEvent:
    """Append one audit event for ``obj`` (R39); call it inside the service's transaction.

    ``object_type``/``object_id`` name the object when there is no single
    model instance (e.g. a bulk import).
    """
    if object_type is None:
        object_type = obj._meta.label_lower if hasattr(obj, "_meta") else type(obj).__name__
    if object_id is None:
        object_id = "" if obj is None else str(getattr(obj, "pk", obj))
    return AuditEvent.objects.create(
        actor=actor if actor is not None and actor.pk else None,
        unit=unit,
        action=action,
        object_type=object_type,
        object_id=object_id[:64],
        summary=summary[:500],
        data=data or {},
        legal_basis=legal_basis,
    )


# --- units ----------------------------------------------------------------------


def _path_for(unit: Unit) -> tuple[str, int]:
    parent_path = unit.parent.path if unit.parent_id and unit.parent else "/"
    return f"{parent_path}{unit.pk}/", parent_path.count("/") - 1


def unit_refresh_path(*, unit: Unit) -> None:
    """Recompute ``path``/``depth`` of ``unit`` and of everything below it."""
    old_path = unit.path
    unit.path, unit.depth = _path_for(unit)
    Unit.objects.filter(pk=unit.pk).update(path=unit.path, depth=unit.depth)
    if old_path and old_path != unit.path:
        below = list(
            Unit.objects.filter(path__startswith=old_path).exclude(pk=unit.pk).only("path")
        )
        for child in below:
            child.path = unit.path + child.path[len(old_path) :]
            child.depth = child.path.strip("/").count("/")
        Unit.objects.bulk_update(below, ["path", "depth"], batch_size=1000)


def unit_validate(*, unit: Unit) -> None:
    """Check a unit before saving: no cycle in the tree, ordered period, valid settings.

    Normalises the working settings in place (sorted weekdays, "HH:MM" times).
    """
    parent = unit.parent if unit.parent_id else None
    if (
        parent is not None
        and unit.pk is not None
        and (parent.pk == unit.pk or (unit.path and parent.path.startswith(unit.path)))
    ):
        raise ValidationFailed(
            _("Đơn vị cấp trên không thể là chính đơn vị này hoặc đơn vị cấp dưới của nó."),
            field="parent",
        )
    if unit.valid_from and unit.valid_to and unit.valid_to < unit.valid_from:
        raise ValidationFailed(
            _("Ngày hết hiệu lực phải từ ngày bắt đầu hiệu lực trở về sau."), field="valid_to"
        )
    for name in SETTING_FIELDS:
        setattr(unit, name, parse_setting(name, getattr(unit, name)))


@transaction.atomic
def unit_create(*, actor: User | None = None, **fields: Any) -> Unit:
    """Create a unit under ``parent`` (if given) and record it in the audit log."""
    unit = Unit(**fields)
    unit_validate(unit=unit)
    unit.save()
    unit_refresh_path(unit=unit)
    audit_record(actor=actor, action="unit.create", obj=unit, unit=unit, summary=unit.name)
    return unit


@transaction.atomic
def unit_save(*, unit: Unit, actor: User | None, changed: Iterable[str] = ()) -> Unit:
    """Create or change a unit as edited (e.g. in the admin), keeping the tree paths right."""
    creating = unit.pk is None
    unit_validate(unit=unit)
    old_parent_id = (
        None
        if creating
        else Unit.objects.filter(pk=unit.pk).values_list("parent_id", flat=True).first()
    )
    unit.save()
    if creating or old_parent_id != unit.parent_id or not unit.path:
        unit_refresh_path(unit=unit)
    audit_record(
        actor=actor,
        action="unit.create" if creating else "unit.update",
        obj=unit,
        unit=unit,
        summary=unit.name,
        data={"changed": sorted(changed)},
    )
    return unit


def _settings_snapshot(unit: Unit) -> dict[str, Any]:
    snapshot: dict[str, Any] = {}
    for name in SETTING_FIELDS:
        value = getattr(unit, name)
        snapshot[name] = format_time(value) if hasattr(value, "strftime") else value
    return snapshot


@transaction.atomic
def unit_update_settings(*, unit: Unit, actor: User | None, **settings: Any) -> Unit:
    """Set a unit's working settings; ``None`` means "inherit from the unit above".

    Accepts ``working_weekdays`` (0 = Monday … 6 = Sunday), ``working_sessions``
    and ``saturday_sessions`` (``[["08:00", "12:00"], ...]``, ordered and not
    overlapping), ``saturday_reception`` (bool) and ``same_day_cutoff``
    ("HH:MM" or a time). Raises :class:`ValidationFailed` with a Vietnamese
    message naming the field; writes an audit event.
    """
    unknown = sorted(set(settings) - set(SETTING_FIELDS))
    if unknown:
        raise ValidationFailed(
            _("Không có thiết lập “%(name)s”.") % {"name": unknown[0]}, field=unknown[0]
        )
    parsed = {name: parse_setting(name, value) for name, value in settings.items()}
    before = _settings_snapshot(unit)
    for name, value in parsed.items():
        setattr(unit, name, value)
    unit.save(update_fields=[*parsed, "updated_at"])
    after = _settings_snapshot(unit)
    audit_record(
        actor=actor,
        action="unit.settings_update",
        obj=unit,
        unit=unit,
        summary=_("Cập nhật thời gian làm việc của %(unit)s") % {"unit": unit.name},
        data={"before": before, "after": after},
    )
    return unit


@transaction.atomic
def units_import(
    *,
    data_dir: Path | str,
    actor: User | None = None,
    on_progress: ProgressCallback | None = None,
) -> UnitImportReport:
    """Import the official administrative units and their 2025 successions from ``data_dir``.

    Idempotent; never stops on a bad row (see ``report.rejections``); raises
    :class:`motcua.accounts.unit_sources.SourceError` only when a whole file
    is missing or unreadable. Rules: :mod:`motcua.accounts.unit_import`.
    """
    started = time.perf_counter()
    official = read_official_units(Path(data_dir))
    report = apply_official_units(official, on_progress=on_progress)
    if report.changed:
        audit_record(
            actor=actor,
            action="unit.import",
            object_type="accounts.unit",
            object_id="",
            summary=report.summary(),
            data={
                "data_dir": str(data_dir),
                "rejected": [str(rejection) for rejection in report.rejections[:100]],
            },
        )
    report.seconds = time.perf_counter() - started
    return report


# --- people ---------------------------------------------------------------------


@transaction.atomic
def officer_create(
    *,
    actor: User | None,
    unit: Unit,
    username: str,
    full_name: str,
    roles: Iterable[Role | str] = (),
    password: str | None = None,
    email: str = "",
    phone: str = "",
    position: str = "",
    job_position: str = "",
    category: StaffCategory | str = StaffCategory.CIVIL_SERVANT,
) -> Officer:
    """Create an officer's login, their place in ``unit`` and their roles (audited).

    Without ``password`` the account cannot log in until one is set.
    """
    if User.objects.filter(username=username).exists():
        raise ValidationFailed(_("Tên đăng nhập này đã có người dùng."), field="username")
    user = User.objects.create_user(
        username,
        password,
        full_name=full_name,
        email=email,
        phone=phone,
        kind=UserKind.OFFICER,
    )
    officer = Officer.objects.create(
        user=user,
        unit=unit,
        position=position,
        job_position=job_position,
        category=category,
    )
    wanted = sorted({Role(role) for role in roles})
    OfficerRole.objects.bulk_create([OfficerRole(officer=officer, role=role) for role in wanted])
    audit_record(
        actor=actor,
        action="officer.create",
        obj=officer,
        unit=unit,
        summary=full_name,
        data={"username": username, "roles": [str(role) for role in wanted]},
    )
    return officer


@transaction.atomic
def officer_set_roles(
    *, officer: Officer, roles: Iterable[Role | str], actor: User | None
) -> Officer:
    """Make ``roles`` exactly the officer's roles; audited when something changes."""
    wanted = {str(Role(role)) for role in roles}
    current = set(officer.roles.values_list("role", flat=True))
    if wanted != current:
        officer.roles.filter(role__in=current - wanted).delete()
        OfficerRole.objects.bulk_create(
            [OfficerRole(officer=officer, role=role) for role in sorted(wanted - current)]
        )
        audit_record(
            actor=actor,
            action="officer.roles_update",
            obj=officer,
            unit=officer.unit,
            summary=officer.user.full_name,
            data={"before": sorted(current), "after": sorted(wanted)},
        )
    officer._role_cache = frozenset(wanted)
    return officer
