"""Reads for a signed-in citizen: only their own dossiers and drafts, ever.

Every read is filtered by the citizen first; a dossier or draft of someone
else gives the same :class:`NotFound` as one that does not exist.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from motcua.accounts.constants import UnitKind
from motcua.accounts.models import Citizen, Unit
from motcua.catalog.models import Procedure
from motcua.citizens.models import SubmissionDraft
from motcua.core.exceptions import NotFound
from motcua.dossiers.models import Dossier
from motcua.dossiers.selectors_public import PublicDossier, dossier_lookup_public, normalise_code


def citizen_of(user: Any) -> Citizen | None:
    """The citizen account of a signed-in, active citizen user; ``None`` for anyone else."""
    if not getattr(user, "is_authenticated", False) or not getattr(user, "is_active", False):
        return None
    if not getattr(user, "is_citizen", False):
        return None
    try:
        citizen: Citizen = user.citizen
    except Citizen.DoesNotExist:
        return None
    return citizen


def citizen_dossiers(*, citizen: Citizen) -> QuerySet[Dossier]:
    """The citizen's own dossiers, newest submission first."""
    return (
        Dossier.objects.filter(citizen=citizen)
        .select_related("procedure_version", "receiving_unit")
        .only(
            "code",
            "reference",
            "status",
            "submitted_at",
            "received_at",
            "appointment",
            "procedure_version__name",
            "receiving_unit__name",
        )
        .order_by("-submitted_at", "-id")
    )


def citizen_dossier_get(*, citizen: Citizen, key: str) -> PublicDossier:
    """One of the citizen's own dossiers by code or reference, as the masked public view.

    The same NotFound for a dossier that does not exist and one of someone else.
    """
    normalised = normalise_code(key)
    dossier = (
        Dossier.objects.filter(citizen=citizen)
        .filter(Q(code=normalised) | Q(reference=normalised))
        .only("code", "reference", "lookup_secret")
        .first()
        if normalised
        else None
    )
    found = (
        dossier_lookup_public(code=dossier.reference, factor=dossier.lookup_secret)
        if dossier is not None and dossier.lookup_secret
        else None
    )
    if found is None:
        raise NotFound(
            _("Không tìm thấy hồ sơ %(code)s trong tài khoản của ông/bà.") % {"code": key[:60]}
        )
    return found


def citizen_drafts(*, citizen: Citizen) -> QuerySet[SubmissionDraft]:
    """The citizen's saved drafts, last changed first."""
    return (
        SubmissionDraft.objects.filter(citizen=citizen)
        .select_related("procedure", "unit")
        .prefetch_related("files")
        .order_by("-updated_at", "-id")
    )


def submission_draft_get(*, citizen: Citizen, pk: int) -> SubmissionDraft:
    """One of the citizen's own drafts; NotFound for another's."""
    draft = citizen_drafts(citizen=citizen).filter(pk=pk).first()
    if draft is None:
        raise NotFound(_("Không tìm thấy hồ sơ nháp."))
    return draft


def submission_draft_for(*, citizen: Citizen, procedure: Procedure) -> SubmissionDraft | None:
    """The citizen's draft for ``procedure``, if they saved one."""
    return citizen_drafts(citizen=citizen).filter(procedure=procedure).first()


def online_submission_get(
    *, reference: str, session_ids: list[int], citizen: Citizen | None
) -> Dossier:
    """The dossier just submitted online, for its confirmation page.

    Only for the browser session that submitted it, or for its signed-in
    owner: the page shows the lookup secret. NotFound otherwise.
    """
    allowed = Q(pk__in=[pk for pk in session_ids if isinstance(pk, int)])
    if citizen is not None:
        allowed |= Q(citizen=citizen)
    dossier = (
        Dossier.objects.filter(reference=normalise_code(reference))
        .filter(allowed)
        .select_related("procedure_version", "receiving_unit")
        .prefetch_related("procedure_version__methods__fees")
        .first()
    )
    if dossier is None:
        raise NotFound(_("Không tìm thấy hồ sơ."))
    return dossier


def intake_unit_for(*, unit: Unit) -> Unit:
    """Where an online submission to ``unit`` waits for intake: its one-stop unit.

    A procedure is listed at a commune or ward; its dossiers are received by
    the public administration service centre under it (Decree 118/2025),
    whose counter officers see the intake queue and whose agency code
    prefixes the dossier code. A unit without a centre receives itself.
    """
    if unit.kind in (UnitKind.SERVICE_CENTRE, UnitKind.BRANCH):
        return unit
    centre = (
        Unit.objects.in_force()
        .filter(parent=unit, kind=UnitKind.SERVICE_CENTRE)
        .order_by("pk")
        .first()
    )
    return centre or unit
