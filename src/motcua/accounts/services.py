"""Writes to the organisation and people. Each function is one transaction."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from motcua.accounts.models import AuditEvent, Unit, User


def audit_record(
    *,
    actor: User | None,
    action: str,
    obj: Any,
    unit: Unit | None = None,
    summary: str = "",
    data: dict[str, Any] | None = None,
    legal_basis: str = "",
) -> AuditEvent:
    """Append one audit event for ``obj`` (R39); call it inside the service's transaction."""
    return AuditEvent.objects.create(
        actor=actor if actor is not None and actor.pk else None,
        unit=unit,
        action=action,
        object_type=obj._meta.label_lower if hasattr(obj, "_meta") else type(obj).__name__,
        object_id=str(getattr(obj, "pk", obj)),
        summary=summary[:500],
        data=data or {},
        legal_basis=legal_basis,
    )


def _path_for(unit: Unit) -> tuple[str, int]:
    parent_path = unit.parent.path if unit.parent_id and unit.parent else "/"
    return f"{parent_path}{unit.pk}/", parent_path.count("/") - 1


def unit_refresh_path(*, unit: Unit) -> None:
    """Recompute ``path``/``depth`` of ``unit`` and of everything below it."""
    old_path = unit.path
    unit.path, unit.depth = _path_for(unit)
    Unit.objects.filter(pk=unit.pk).update(path=unit.path, depth=unit.depth)
    if old_path and old_path != unit.path:
        for child in Unit.objects.filter(path__startswith=old_path).exclude(pk=unit.pk):
            child.path = unit.path + child.path[len(old_path) :]
            child.depth = child.path.strip("/").count("/")
            Unit.objects.filter(pk=child.pk).update(path=child.path, depth=child.depth)


@transaction.atomic
def unit_create(*, actor: User | None = None, **fields: Any) -> Unit:
    """Create a unit under ``parent`` (if given) and record it in the audit log."""
    unit = Unit.objects.create(**fields)
    unit_refresh_path(unit=unit)
    audit_record(actor=actor, action="unit.create", obj=unit, unit=unit, summary=unit.name)
    return unit
