"""Survey links signed with ``django.core.signing``: a QR cannot be guessed from its neighbour.

A token names its target ("d" + dossier id, or "u" + unit id) and is signed
with the project's secret under a salt of its own, so that neither a dossier
id nor another signed value of motcua can be swapped in. Tokens do not
expire: the counter QR is printed and posted for years, and the receipt is
kept until the result is collected.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core import signing
from django.utils.translation import gettext as _

from motcua.core.exceptions import NotFound

SALT = "motcua.feedback.survey"


@dataclass(frozen=True)
class SurveyTarget:
    """What a survey link rates: one dossier, or a unit's counter (anonymous)."""

    dossier_id: int | None = None
    unit_id: int | None = None


def survey_token_for_dossier(*, dossier_id: int) -> str:
    """The token of the survey on one dossier's receipt."""
    return signing.dumps("d%d" % dossier_id, salt=SALT)  # noqa: UP031


def survey_token_for_unit(*, unit_id: int) -> str:
    """The token of a unit's counter QR (anonymous answers)."""
    return signing.dumps("u%d" % unit_id, salt=SALT)  # noqa: UP031


def survey_target_read(*, token: str) -> SurveyTarget:
    """The target of a token; NotFound for a forged, altered or malformed one."""
    try:
        value = signing.loads(token[:200], salt=SALT)
    except signing.BadSignature as exc:
        raise NotFound(_("Liên kết đánh giá không hợp lệ."), code="survey_link_invalid") from exc
    if isinstance(value, str) and len(value) > 1 and value[1:].isdigit():
        number = int(value[1:])
        if value[0] == "d":
            return SurveyTarget(dossier_id=number)
        if value[0] == "u":
            return SurveyTarget(unit_id=number)
    raise NotFound(_("Liên kết đánh giá không hợp lệ."), code="survey_link_invalid")
