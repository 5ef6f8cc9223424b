"""Who may do what, where: the one place every app asks "may this user do this action here".

An officer holds roles (:class:`motcua.accounts.constants.Role`) within their
unit. An action is allowed when one of the officer's roles may do it
(:data:`ACTION_ROLES`) and the target lies within that role's scope
(:data:`ROLE_SCOPE`), and the optional object rule passes (:data:`ASSIGNEE_BOUND`).

Roles and actions (✓ = allowed; "a" = only on objects assigned to the officer,
see below)::

    action                    counter specialist head leader inspector evaluator admin
    unit.view                    ✓        ✓       ✓     ✓       ✓         ✓        ✓
    unit.manage                  ·        ·       ·     ·       ·         ·        ✓
    officer.view                 ·        ·       ✓     ✓       ✓         ✓        ✓
    officer.manage               ·        ·       ·     ·       ·         ·        ✓
    calendar.manage              ·        ·       ·     ·       ·         ·        ✓
    catalog.view                 ✓        ✓       ✓     ✓       ✓         ✓        ✓
    catalog.manage               ·        ·       ·     ·       ·         ·        ✓
    dossier.view                 ✓        ✓       ✓     ✓       ✓         ·        ·
    dossier.receive              ✓        ·       ·     ·       ·         ·        ·
    dossier.process              ·        a       ✓     ·       ·         ·        ·
    dossier.assign               ·        ·       ✓     ·       ·         ·        ·
    dossier.sign_result          ·        ·       ·     ✓       ·         ·        ·
    dossier.return_result        ✓        ·       ·     ·       ·         ·        ·
    apology.sign                 ·        ·       ✓     ✓       ·         ·        ·
    explanation.record           a        a       a     a       ·         ·        ·
    report.view                  ·        ·       ✓     ✓       ✓         ✓        ·
    inspection.manage            ·        ·       ·     ·       ✓         ·        ·
    evaluation.self_assess       a        a       a     a       a         a        a
    evaluation.review            ·        ·       ✓     ✓       ·         ·        ·
    evaluation.decide            ·        ·       ✓     ✓       ·         ·        ·
    evaluation.manage_scheme     ·        ·       ·     ·       ·         ✓        ·
    evaluation.view_all          ·        ·       ·     ✓       ·         ✓        ·
    announcement.publish         ·        ·       ·     ✓       ·         ✓        ·
    audit.view                   ·        ·       ·     ·       ✓         ·        ✓
    letter.manage                ·        ·       ·     ·       ·         ·        ✓
    feedback.view                ✓        ✓       ✓     ✓       ✓         ·        ·
    feedback.handle              ✓        ✓       ✓     ✓       ·         ·        ·
    feedback.publish             ·        ·       ✓     ✓       ·         ·        ·
    portal.publish               ·        ·       ✓     ✓       ·         ·        ✓

Why: the counter officer receives, returns and sees the dossiers of their
counter; the specialist processes the steps assigned to them and explains
their own delays; the head assigns work, approves (processes) and signs the
apology slips of the office; the leader (Chủ tịch/Phó Chủ tịch UBND) signs
results, may sign an apology as head of the agency, decides evaluations and
publishes announcements (directives to the one-stop staff); the inspector
inspects and reads dossiers, reports and the audit log without changing
them; the evaluator (Nội vụ) runs the evaluation schemes, sees all
evaluations and, as the home-affairs office, publishes announcements too;
the administrator manages units, officers, calendar, catalog and the
citizen-care letter templates and reads the audit log, but does not
read dossiers (a superuser can, for support). Feedback and petitions (PAKN)
are received and handled by the one-stop staff and the offices (classify,
route, ask for more, reject, answer); the head or leader approves the
answer for publication; the inspector reads them. The portal's news and
duty roster are published by the head or leader, or the administrator.

Scopes (:class:`Scope`):

* ``own_unit`` — counter officer, specialist: the officer's own unit only.
* ``subtree`` — head, leader: the own unit and every unit below it.
* ``administrative_subtree`` — inspector, evaluator, administrator: the
  administrative unit (province, district or commune) the officer's unit
  belongs to, and everything below. An inspector in the city's Đoàn kiểm tra
  công vụ or an evaluator in Sở Nội vụ works for the whole city; an officer
  placed directly at a commune covers that commune.

Object rule (``a`` above): when the target has ``get_assignee_user_id()``
(a dossier step, an explanation, an evaluation sheet — its assignee or its
subject), the roles listed in :data:`ASSIGNEE_BOUND` for the action must be
that user. Targets without the method are judged by scope only.

Always: superusers (active) may do everything; anonymous, inactive users and
citizens nothing here (citizens' own dossiers are checked by the portal's
selectors); an officer without roles, or whose own unit is not in force
today, nothing.

Targets: a :class:`~motcua.accounts.models.Unit`, an object with
``get_permission_unit()``, or an object with a ``unit`` attribute.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Any

from django.db.models import Q, QuerySet
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from motcua.accounts.constants import ADMINISTRATIVE_KINDS, Role
from motcua.accounts.models import Officer, Unit
from motcua.core.exceptions import PermissionDenied


class Action(StrEnum):
    """Everything motcua checks permission for; values are stable strings."""

    UNIT_VIEW = "unit.view"
    UNIT_MANAGE = "unit.manage"
    OFFICER_VIEW = "officer.view"
    OFFICER_MANAGE = "officer.manage"
    CALENDAR_MANAGE = "calendar.manage"
    CATALOG_VIEW = "catalog.view"
    CATALOG_MANAGE = "catalog.manage"
    DOSSIER_VIEW = "dossier.view"
    DOSSIER_RECEIVE = "dossier.receive"
    DOSSIER_PROCESS = "dossier.process"
    DOSSIER_ASSIGN = "dossier.assign"
    DOSSIER_SIGN_RESULT = "dossier.sign_result"
    DOSSIER_RETURN_RESULT = "dossier.return_result"
    APOLOGY_SIGN = "apology.sign"
    EXPLANATION_RECORD = "explanation.record"
    REPORT_VIEW = "report.view"
    INSPECTION_MANAGE = "inspection.manage"
    EVALUATION_SELF_ASSESS = "evaluation.self_assess"
    EVALUATION_REVIEW = "evaluation.review"
    EVALUATION_DECIDE = "evaluation.decide"
    EVALUATION_MANAGE_SCHEME = "evaluation.manage_scheme"
    EVALUATION_VIEW_ALL = "evaluation.view_all"
    ANNOUNCEMENT_PUBLISH = "announcement.publish"
    AUDIT_VIEW = "audit.view"
    LETTER_MANAGE = "letter.manage"
    FEEDBACK_VIEW = "feedback.view"
    FEEDBACK_HANDLE = "feedback.handle"
    FEEDBACK_PUBLISH = "feedback.publish"
    PORTAL_PUBLISH = "portal.publish"

    @property
    def label(self) -> str:
        """What the action is, in Vietnamese, for messages."""
        return str(ACTION_LABELS[self])


ACTION_LABELS: dict[Action, Promise] = {
    Action.UNIT_VIEW: gettext_lazy("xem thông tin đơn vị"),
    Action.UNIT_MANAGE: gettext_lazy("quản lý đơn vị"),
    Action.OFFICER_VIEW: gettext_lazy("xem danh sách cán bộ"),
    Action.OFFICER_MANAGE: gettext_lazy("quản lý cán bộ và vai trò"),
    Action.CALENDAR_MANAGE: gettext_lazy("quản lý lịch làm việc"),
    Action.CATALOG_VIEW: gettext_lazy("xem danh mục thủ tục"),
    Action.CATALOG_MANAGE: gettext_lazy("quản lý danh mục thủ tục"),
    Action.DOSSIER_VIEW: gettext_lazy("xem hồ sơ"),
    Action.DOSSIER_RECEIVE: gettext_lazy("tiếp nhận hồ sơ"),
    Action.DOSSIER_PROCESS: gettext_lazy("xử lý hồ sơ"),
    Action.DOSSIER_ASSIGN: gettext_lazy("phân công xử lý hồ sơ"),
    Action.DOSSIER_SIGN_RESULT: gettext_lazy("ký kết quả giải quyết"),
    Action.DOSSIER_RETURN_RESULT: gettext_lazy("trả kết quả"),
    Action.APOLOGY_SIGN: gettext_lazy("ký phiếu xin lỗi và hẹn lại ngày trả kết quả"),
    Action.EXPLANATION_RECORD: gettext_lazy("ghi giải trình chậm muộn"),
    Action.REPORT_VIEW: gettext_lazy("xem báo cáo, thống kê"),
    Action.INSPECTION_MANAGE: gettext_lazy("quản lý kiểm tra công vụ"),
    Action.EVALUATION_SELF_ASSESS: gettext_lazy("tự đánh giá"),
    Action.EVALUATION_REVIEW: gettext_lazy("nhận xét đánh giá"),
    Action.EVALUATION_DECIDE: gettext_lazy("quyết định xếp loại"),
    Action.EVALUATION_MANAGE_SCHEME: gettext_lazy("quản lý tiêu chí đánh giá"),
    Action.EVALUATION_VIEW_ALL: gettext_lazy("xem mọi kết quả đánh giá"),
    Action.ANNOUNCEMENT_PUBLISH: gettext_lazy("đăng thông báo nội bộ"),
    Action.AUDIT_VIEW: gettext_lazy("xem nhật ký thao tác"),
    Action.LETTER_MANAGE: gettext_lazy("quản lý mẫu thư chăm sóc công dân"),
    Action.FEEDBACK_VIEW: gettext_lazy("xem phản ánh, kiến nghị"),
    Action.FEEDBACK_HANDLE: gettext_lazy("xử lý phản ánh, kiến nghị"),
    Action.FEEDBACK_PUBLISH: gettext_lazy("công khai trả lời phản ánh, kiến nghị"),
    Action.PORTAL_PUBLISH: gettext_lazy("đăng tin, lịch trực trên cổng thông tin"),
}


class Scope(StrEnum):
    """Which units a role reaches from the officer's own unit."""

    OWN_UNIT = "own_unit"
    SUBTREE = "subtree"
    ADMINISTRATIVE_SUBTREE = "administrative_subtree"


ROLE_SCOPE: dict[Role, Scope] = {
    Role.COUNTER_OFFICER: Scope.OWN_UNIT,
    Role.SPECIALIST: Scope.OWN_UNIT,
    Role.HEAD: Scope.SUBTREE,
    Role.LEADER: Scope.SUBTREE,
    Role.INSPECTOR: Scope.ADMINISTRATIVE_SUBTREE,
    Role.EVALUATOR: Scope.ADMINISTRATIVE_SUBTREE,
    Role.ADMINISTRATOR: Scope.ADMINISTRATIVE_SUBTREE,
}

_C, _S, _H, _L = Role.COUNTER_OFFICER, Role.SPECIALIST, Role.HEAD, Role.LEADER
_I, _E, _A = Role.INSPECTOR, Role.EVALUATOR, Role.ADMINISTRATOR
_ALL = frozenset(Role)

# The table in the module docstring; keep the two in step.
ACTION_ROLES: dict[Action, frozenset[Role]] = {
    Action.UNIT_VIEW: _ALL,
    Action.UNIT_MANAGE: frozenset({_A}),
    Action.OFFICER_VIEW: frozenset({_H, _L, _I, _E, _A}),
    Action.OFFICER_MANAGE: frozenset({_A}),
    Action.CALENDAR_MANAGE: frozenset({_A}),
    Action.CATALOG_VIEW: _ALL,
    Action.CATALOG_MANAGE: frozenset({_A}),
    Action.DOSSIER_VIEW: frozenset({_C, _S, _H, _L, _I}),
    Action.DOSSIER_RECEIVE: frozenset({_C}),
    Action.DOSSIER_PROCESS: frozenset({_S, _H}),
    Action.DOSSIER_ASSIGN: frozenset({_H}),
    Action.DOSSIER_SIGN_RESULT: frozenset({_L}),
    Action.DOSSIER_RETURN_RESULT: frozenset({_C}),
    Action.APOLOGY_SIGN: frozenset({_H, _L}),
    Action.EXPLANATION_RECORD: frozenset({_C, _S, _H, _L}),
    Action.REPORT_VIEW: frozenset({_H, _L, _I, _E}),
    Action.INSPECTION_MANAGE: frozenset({_I}),
    Action.EVALUATION_SELF_ASSESS: _ALL,
    Action.EVALUATION_REVIEW: frozenset({_H, _L}),
    # The head of a unit decides its officers' monthly levels; the leader
    # decides those of the heads (3814, domain.md 5.1).
    Action.EVALUATION_DECIDE: frozenset({_H, _L}),
    Action.EVALUATION_MANAGE_SCHEME: frozenset({_E}),
    Action.EVALUATION_VIEW_ALL: frozenset({_L, _E}),
    Action.ANNOUNCEMENT_PUBLISH: frozenset({_L, _E}),
    Action.AUDIT_VIEW: frozenset({_I, _A}),
    Action.LETTER_MANAGE: frozenset({_A}),
    Action.FEEDBACK_VIEW: frozenset({_C, _S, _H, _L, _I}),
    Action.FEEDBACK_HANDLE: frozenset({_C, _S, _H, _L}),
    Action.FEEDBACK_PUBLISH: frozenset({_H, _L}),
    Action.PORTAL_PUBLISH: frozenset({_H, _L, _A}),
}

# Roles that may act on an object with ``get_assignee_user_id()`` only when
# it returns their own user id: a specialist processes the steps assigned to
# them; whoever was late explains their own step; everyone self-assesses
# their own evaluation sheet.
ASSIGNEE_BOUND: dict[Action, frozenset[Role]] = {
    Action.DOSSIER_PROCESS: frozenset({_S}),
    Action.EXPLANATION_RECORD: frozenset({_C, _S, _H, _L}),
    Action.EVALUATION_SELF_ASSESS: _ALL,
}


# --- resolving the user and the target -----------------------------------------


def target_unit(target: Any) -> Unit | None:
    """The unit a permission target belongs to (see the module docstring)."""
    if target is None:
        return None
    if isinstance(target, Unit):
        return target
    getter = getattr(target, "get_permission_unit", None)
    if callable(getter):
        return getter()
    if hasattr(target, "unit"):
        return target.unit
    raise TypeError(f"{type(target).__name__} is not a permission target (no unit).")


def _acting_officer(user: Any) -> Officer | None:
    """The user's officer record when they may act as an officer at all today."""
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return None
    if not getattr(user, "is_officer", False):
        return None
    officer: Officer | None = getattr(user, "officer", None)
    if officer is None or not officer.unit.is_in_force():
        return None
    return officer


def _scope_root(officer: Officer, scope: Scope) -> Unit:
    """The unit whose subtree a role of ``officer`` reaches (cached on the officer)."""
    unit = officer.unit
    if scope != Scope.ADMINISTRATIVE_SUBTREE or unit.kind in ADMINISTRATIVE_KINDS:
        return unit
    cached = getattr(officer, "_administrative_root", None)
    if cached is None:
        ancestors = {
            ancestor.pk: ancestor
            for ancestor in Unit.objects.filter(
                pk__in=unit.ancestor_ids, kind__in=ADMINISTRATIVE_KINDS
            )
        }
        # The nearest administrative ancestor; the unit itself if there is none.
        cached = next(
            (ancestors[pk] for pk in reversed(unit.ancestor_ids) if pk in ancestors), unit
        )
        officer._administrative_root = cached  # type: ignore[attr-defined]
    return cached


def _in_scope(officer: Officer, role: Role, unit: Unit) -> bool:
    scope = ROLE_SCOPE[role]
    if scope == Scope.OWN_UNIT:
        return unit.pk == officer.unit_id
    root = _scope_root(officer, scope)
    if unit.pk == root.pk:
        return True
    return bool(root.path) and bool(unit.path) and unit.path.startswith(root.path)


def _granted_roles(officer: Officer, action: Action) -> list[Role]:
    allowed = ACTION_ROLES[action]
    return [Role(role) for role in sorted(officer.role_set()) if role in allowed]


# --- the API ----------------------------------------------------------------------


def can(user: Any, action: Action | str, target: Any) -> bool:
    """May ``user`` do ``action`` on ``target``? Never raises for an unknown user or unit."""
    action = Action(action)
    if user is not None and getattr(user, "is_superuser", False) and user.is_active:
        return True
    unit = target_unit(target)
    if unit is None:
        return False
    officer = _acting_officer(user)
    if officer is None:
        return False
    assignee_getter = getattr(target, "get_assignee_user_id", None)
    for role in _granted_roles(officer, action):
        if not _in_scope(officer, role, unit):
            continue
        bound = role in ASSIGNEE_BOUND.get(action, frozenset())
        if bound and callable(assignee_getter) and assignee_getter() != user.pk:
            continue
        return True
    return False


def ensure_can(user: Any, action: Action | str, target: Any) -> None:
    """Raise :class:`PermissionDenied` (Vietnamese message) unless :func:`can` allows it."""
    if can(user, action, target):
        return
    action = Action(action)
    unit = target_unit(target)
    if unit is None:
        message = _("Bạn không có quyền %(action)s.") % {"action": action.label}
    else:
        message = _("Bạn không có quyền %(action)s tại %(unit)s.") % {
            "action": action.label,
            "unit": unit.name,
        }
    raise PermissionDenied(message, action=str(action))


def units_in_scope(user: Any, action: Action | str) -> QuerySet[Unit]:
    """Every unit on which ``user`` may do ``action`` (before any object rule).

    Includes units no longer in force below the scope root (history); chain
    ``.in_force()`` for today's tree only.
    """
    action = Action(action)
    if user is not None and getattr(user, "is_superuser", False) and user.is_active:
        return Unit.objects.all()
    officer = _acting_officer(user)
    if officer is None:
        return Unit.objects.none()
    condition = Q()
    granted = False
    for role in _granted_roles(officer, action):
        scope = ROLE_SCOPE[role]
        if scope == Scope.OWN_UNIT:
            condition |= Q(pk=officer.unit_id)
        else:
            root = _scope_root(officer, scope)
            condition |= Q(pk=root.pk)
            if root.path:
                condition |= Q(path__startswith=root.path)
        granted = True
    if not granted:
        return Unit.objects.none()
    return Unit.objects.filter(condition)
