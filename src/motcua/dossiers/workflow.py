"""The dossier lifecycle as one table (pure Python). Only services change ``Dossier.status``.

``TRANSITIONS`` says which states may follow which; ``ACTIONS`` says, for
each action, the states it may start from and the state it leads to (``None``:
the state does not change, e.g. a handover between two steps). ``docs/workflow.md``
draws the same table.
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from motcua.core.exceptions import Conflict
from motcua.dossiers.constants import Action, Status

# The state of a dossier that does not exist yet.
NEW = ""

TERMINAL: frozenset[str] = frozenset(
    {Status.INTAKE_REFUSED, Status.RETURNED, Status.REFUSED, Status.STOPPED}
)

TRANSITIONS: dict[str, frozenset[str]] = {
    NEW: frozenset(
        {Status.SUBMITTED, Status.IN_PROGRESS, Status.AWAITING_COMPLETION, Status.INTAKE_REFUSED}
    ),
    Status.SUBMITTED: frozenset(
        {Status.IN_PROGRESS, Status.AWAITING_COMPLETION, Status.INTAKE_REFUSED}
    ),
    Status.AWAITING_COMPLETION: frozenset(
        {Status.SUBMITTED, Status.IN_PROGRESS, Status.INTAKE_REFUSED}
    ),
    Status.IN_PROGRESS: frozenset(
        {
            Status.IN_PROGRESS,
            Status.SUPPLEMENT_REQUESTED,
            Status.AT_OTHER_AGENCY,
            Status.RESULT_READY,
            Status.REFUSED,
            Status.STOPPED,
        }
    ),
    Status.SUPPLEMENT_REQUESTED: frozenset(
        {Status.SUPPLEMENT_REQUESTED, Status.IN_PROGRESS, Status.STOPPED}
    ),
    Status.AT_OTHER_AGENCY: frozenset(
        {Status.AT_OTHER_AGENCY, Status.IN_PROGRESS, Status.STOPPED}
    ),
    Status.RESULT_READY: frozenset({Status.RESULT_READY, Status.RETURNED}),
    Status.INTAKE_REFUSED: frozenset(),
    Status.RETURNED: frozenset(),
    Status.REFUSED: frozenset(),
    Status.STOPPED: frozenset(),
}

_OPEN = frozenset(TRANSITIONS) - TERMINAL - {NEW}

# action: (states it may start from, the state it leads to or None for "unchanged")
ACTIONS: dict[str, tuple[frozenset[str], str | None]] = {
    Action.SUBMIT_ONLINE: (frozenset({NEW}), Status.SUBMITTED),
    Action.RECEIVE: (frozenset({NEW, Status.AWAITING_COMPLETION}), Status.IN_PROGRESS),
    Action.ACCEPT_ONLINE: (frozenset({Status.SUBMITTED}), Status.IN_PROGRESS),
    Action.ASK_TO_COMPLETE: (frozenset({NEW, Status.SUBMITTED}), Status.AWAITING_COMPLETION),
    Action.RESUBMIT: (frozenset({Status.AWAITING_COMPLETION}), Status.SUBMITTED),
    Action.REFUSE_INTAKE: (
        frozenset({NEW, Status.SUBMITTED, Status.AWAITING_COMPLETION}),
        Status.INTAKE_REFUSED,
    ),
    Action.HANDOVER: (frozenset({Status.IN_PROGRESS}), None),
    Action.ASSIGN: (frozenset({Status.IN_PROGRESS, Status.RESULT_READY}), None),
    Action.SEND_BACK: (frozenset({Status.IN_PROGRESS}), None),
    Action.REQUEST_SUPPLEMENT: (frozenset({Status.IN_PROGRESS}), Status.SUPPLEMENT_REQUESTED),
    Action.RECEIVE_SUPPLEMENT: (frozenset({Status.SUPPLEMENT_REQUESTED}), Status.IN_PROGRESS),
    Action.TRANSFER: (frozenset({Status.IN_PROGRESS}), Status.AT_OTHER_AGENCY),
    Action.RECEIVE_BACK: (frozenset({Status.AT_OTHER_AGENCY}), Status.IN_PROGRESS),
    Action.REFUSE: (frozenset({Status.IN_PROGRESS}), Status.REFUSED),
    Action.STOP: (
        frozenset({Status.IN_PROGRESS, Status.SUPPLEMENT_REQUESTED, Status.AT_OTHER_AGENCY}),
        Status.STOPPED,
    ),
    Action.RESULT_READY: (frozenset({Status.IN_PROGRESS}), Status.RESULT_READY),
    Action.RETURN_RESULT: (frozenset({Status.RESULT_READY}), Status.RETURNED),
    Action.REMIND: (frozenset({Status.RESULT_READY}), None),
    Action.NOTE: (_OPEN, None),
}


class TransitionNotAllowed(Conflict):
    """The action does not apply to the dossier in its current state."""

    code = "transition_not_allowed"


def target_status(action: str, current: str) -> str:
    """The state ``action`` leads to from ``current``; raise when it is not allowed."""
    starts, target = ACTIONS[action]
    result = current if target is None else target
    if current not in starts or result not in TRANSITIONS[current]:
        raise TransitionNotAllowed(
            _("Không thể %(action)s khi hồ sơ đang ở trạng thái «%(status)s».")
            % {
                "action": str(Action(action).label).lower(),
                "status": Status(current).label if current else _("chưa tạo"),
            },
            action=str(action),
            status=current,
        )
    return result


def allowed_actions(current: str) -> list[str]:
    """The actions that may be taken from ``current`` (for screens and the API)."""
    return [action for action, (starts, _target) in ACTIONS.items() if current in starts]
