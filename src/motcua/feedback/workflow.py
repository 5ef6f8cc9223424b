"""The PAKN lifecycle as one table: which action moves which state to which (R30).

Only ``feedback.services`` assigns ``Feedback.status``, and only through
:func:`target_status`.
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from motcua.core.exceptions import Conflict
from motcua.feedback.constants import FeedbackAction as A
from motcua.feedback.constants import FeedbackStatus as S

NEW = ""

TRANSITIONS: dict[str, dict[str, str]] = {
    A.SUBMIT: {NEW: S.RECEIVED},
    A.CLASSIFY: {S.RECEIVED: S.IN_PROGRESS, S.IN_PROGRESS: S.IN_PROGRESS},
    # A transfer hands the PAKN to a new unit, which receives it afresh.
    A.ROUTE: {S.RECEIVED: S.RECEIVED, S.IN_PROGRESS: S.RECEIVED},
    A.ASK_INFO: {S.RECEIVED: S.NEEDS_INFO, S.IN_PROGRESS: S.NEEDS_INFO},
    A.SUPPLEMENT: {S.NEEDS_INFO: S.RECEIVED},
    A.REJECT: {S.RECEIVED: S.REJECTED, S.NEEDS_INFO: S.REJECTED, S.IN_PROGRESS: S.REJECTED},
    A.ANSWER: {S.IN_PROGRESS: S.ANSWERED},
    A.PUBLISH: {S.ANSWERED: S.PUBLISHED},
    A.THANK: {S.ANSWERED: S.ANSWERED, S.PUBLISHED: S.PUBLISHED},
}


def allowed_actions(status: str) -> list[str]:
    """The actions that apply to a PAKN in ``status``, in the table's order."""
    return [action for action, moves in TRANSITIONS.items() if status in moves]


def target_status(action: str, current: str) -> str:
    """The state ``action`` leads to from ``current``; Conflict when it does not apply."""
    moves = TRANSITIONS.get(action, {})
    if current not in moves:
        raise Conflict(
            _("Không thể thực hiện thao tác này với phản ánh ở trạng thái hiện tại."),
            code="feedback_transition_invalid",
        )
    return moves[current]
