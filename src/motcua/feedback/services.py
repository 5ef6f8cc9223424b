"""Writes of the satisfaction survey and of feedback and petitions (PAKN): one function,
one transaction each."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from motcua.accounts.models import Officer, Unit, User
from motcua.accounts.permissions import Action as Perm
from motcua.accounts.permissions import ensure_can
from motcua.accounts.services import audit_record
from motcua.catalog.models import Procedure
from motcua.core.exceptions import Conflict, NotFound, PermissionDenied, ValidationFailed
from motcua.core.text import nfc
from motcua.core.uploads import limits_of, upload_check
from motcua.dossiers.models import Dossier
from motcua.feedback.codes import feedback_code_next
from motcua.feedback.constants import (
    ANSWER_DAYS,
    ASK_INFO_DAYS,
    CRITERIA_FIELDS,
    PUBLISH_DAYS,
    REJECT_DAYS,
    DutySession,
    FeedbackAbout,
    FeedbackAction,
    FeedbackCategory,
    FeedbackChannel,
    FeedbackOutcome,
    FeedbackStatus,
    Rating,
    SurveySource,
    Vote,
)
from motcua.feedback.models import (
    DutyAssignment,
    Feedback,
    FeedbackAttachment,
    FeedbackEvent,
    FeedbackVote,
    News,
    SurveyResponse,
)
from motcua.feedback.selectors import survey_subject_get
from motcua.feedback.workflow import NEW, target_status
from motcua.notifications.services import Recipient, notify
from motcua.workcalendar.engine import WorkingCalendar
from motcua.workcalendar.selectors import calendar_for_unit

COMMENT_MAX_LENGTH = 1000


def survey_response_submit(
    *, token: str, overall: str, criteria: Mapping[str, str] | None = None, comment: str = ""
) -> SurveyResponse:
    """Record a citizen's answer to the survey behind ``token`` (a signed QR link).

    Anonymous for a counter QR; for a receipt QR, attributed to the dossier's
    unit and officer, and only once per dossier (the database enforces it,
    so two taps at the same moment still make one answer).
    """
    subject = survey_subject_get(token=token)
    if overall not in Rating.values:
        raise ValidationFailed(_("Vui lòng chọn mức độ hài lòng chung."), field="overall")
    answers = dict(criteria or {})
    unknown = set(answers) - set(CRITERIA_FIELDS)
    if unknown or any(value and value not in Rating.values for value in answers.values()):
        raise ValidationFailed(_("Câu trả lời không hợp lệ."), field="criteria")
    text = nfc(comment or "").strip()
    if len(text) > COMMENT_MAX_LENGTH:
        raise ValidationFailed(
            _("Góp ý tối đa %(max)s ký tự.") % {"max": COMMENT_MAX_LENGTH}, field="comment"
        )
    already = Conflict(
        _("Đánh giá của bạn cho hồ sơ này đã được ghi nhận. Cảm ơn bạn!"),
        code="survey_already_answered",
    )
    if subject.already_answered:
        raise already
    response = SurveyResponse(
        source=SurveySource.DOSSIER if subject.dossier is not None else SurveySource.COUNTER,
        unit=subject.unit,
        dossier=subject.dossier,
        officer_id=subject.officer_id,
        overall=overall,
        comment=text,
        answered_at=timezone.now(),
        **{name: answers.get(name, "") for name in CRITERIA_FIELDS},
    )
    try:
        with transaction.atomic():
            response.save()
    except IntegrityError as exc:
        # Another answer for the same dossier committed first.
        raise already from exc
    return response


# --- feedback and petitions (PAKN, R30) ---------------------------------------------

LEGAL_BASIS = "Nghị định 20/2008/NĐ-CP; Quyết định 766/QĐ-TTg"
TITLE_MAX = 200
CONTENT_MAX = 5000
ANSWER_MAX = 10000
NOTE_MAX = 4000
MAX_ATTACHMENTS = 3
# An attachment: at most 10 MB, PDF or an image, recognised by its content.
ATTACHMENTS = limits_of(max_mb=10, kinds=("pdf", "jpeg", "png"), max_files=MAX_ATTACHMENTS)


@dataclass(frozen=True)
class FeedbackAttachmentIn:
    """A file sent with a PAKN: its name as sent and its content."""

    name: str
    content: IO[bytes]
    size: int


@dataclass(frozen=True)
class FeedbackIn:
    """What a citizen (or an officer recording a phone call) submits."""

    title: str
    content: str
    sender_name: str
    sender_phone: str = ""
    sender_email: str = ""
    sender_address: str = ""
    about: str = FeedbackAbout.GENERAL
    dossier_code: str = ""
    procedure_code: str = ""
    officer_name: str = ""


def _text(value: str, *, field: str, limit: int, required: bool, label: str) -> str:
    text = nfc(value or "").strip()
    if required and not text:
        raise ValidationFailed(_("Vui lòng nhập %(label)s.") % {"label": label}, field=field)
    if len(text) > limit:
        raise ValidationFailed(
            _("%(label)s tối đa %(max)s ký tự.") % {"label": label.capitalize(), "max": limit},
            field=field,
        )
    return text


def feedback_attachment_check(*, name: str, body: bytes) -> None:
    """Refuse an attachment that is too large, or whose content is not an accepted format."""
    try:
        upload_check(SimpleUploadedFile(name, body), limits=ATTACHMENTS)
    except ValidationFailed as exc:
        raise ValidationFailed(exc.message, code=exc.code, field="attachments") from exc


def _clean_feedback(data: FeedbackIn) -> FeedbackIn:
    """Trimmed, NFC and checked: a name and a way to send the answer back (Decree 20/2008
    excludes anonymous submissions)."""
    phone = "".join(ch for ch in (data.sender_phone or "") if ch.isdigit() or ch == "+")
    if phone and not (9 <= len(phone.lstrip("+")) <= 12):
        raise ValidationFailed(_("Số điện thoại không hợp lệ."), field="sender_phone")
    email = (data.sender_email or "").strip()
    if email:
        try:
            validate_email(email)
        except Exception as exc:
            raise ValidationFailed(
                _("Địa chỉ thư điện tử không hợp lệ."), field="sender_email"
            ) from exc
    if not phone and not email:
        raise ValidationFailed(
            _("Vui lòng để lại số điện thoại hoặc thư điện tử để nhận trả lời."),
            field="sender_phone",
        )
    about = data.about if data.about in FeedbackAbout.values else FeedbackAbout.GENERAL
    return FeedbackIn(
        title=_text(data.title, field="title", limit=TITLE_MAX, required=True, label=_("tiêu đề")),
        content=_text(
            data.content, field="content", limit=CONTENT_MAX, required=True, label=_("nội dung")
        ),
        sender_name=_text(
            data.sender_name, field="sender_name", limit=150, required=True, label=_("họ và tên")
        ),
        sender_phone=phone,
        sender_email=email,
        sender_address=_text(
            data.sender_address,
            field="sender_address",
            limit=255,
            required=False,
            label=_("địa chỉ"),
        ),
        about=about,
        dossier_code="".join((data.dossier_code or "").split()).upper()[:60],
        procedure_code=(data.procedure_code or "").strip()[:40],
        officer_name=_text(
            data.officer_name,
            field="officer_name",
            limit=150,
            required=False,
            label=_("tên cán bộ"),
        ),
    )


def _deadlines(feedback: Feedback, calendar: WorkingCalendar, start: dt.datetime) -> None:
    """Start (or restart, after a transfer or a supplement) the R30 clocks at ``start``."""
    feedback.received_at = start
    feedback.reject_due = calendar.due_in_working_days(start, REJECT_DAYS)
    feedback.ask_info_due = calendar.due_in_working_days(start, ASK_INFO_DAYS)
    feedback.answer_due = calendar.due_in_working_days(start, ANSWER_DAYS)
    feedback.due_at = feedback.answer_due


def _append(
    feedback: Feedback,
    *,
    action: str,
    actor: User | None,
    at: dt.datetime,
    note: str = "",
    late: bool = False,
    data: dict[str, Any] | None = None,
    audit: bool = True,
) -> FeedbackEvent:
    """Move the state, save the PAKN and append its next event; the caller holds the lock."""
    from_status = feedback.status or NEW
    feedback.status = target_status(action, from_status)
    feedback.event_count += 1
    if late:
        feedback.late_steps += 1
    feedback.save()
    event = FeedbackEvent.objects.create(
        feedback=feedback,
        sequence=feedback.event_count,
        at=at,
        actor=actor if actor is not None and actor.pk else None,
        unit=feedback.unit,
        action=action,
        from_status=from_status,
        to_status=feedback.status,
        note=note,
        late=late,
        data=data or {},
    )
    if audit:
        audit_record(
            actor=actor,
            action="feedback." + action,
            obj=feedback,
            unit=feedback.unit,
            summary=f"{feedback.code}: {FeedbackAction(action).label}",
            legal_basis=LEGAL_BASIS,
        )
    return event


def _lock(feedback: Feedback, action: str) -> Feedback:
    """The PAKN row, locked for this transaction; Conflict at once when ``action`` does not
    apply to its state (before any other rule is looked at)."""
    locked = Feedback.objects.select_for_update().select_related("unit").get(pk=feedback.pk)
    target_status(action, locked.status)
    return locked


def _officer(actor: User) -> Officer | None:
    officer = getattr(actor, "officer", None)
    if officer is None and not getattr(actor, "is_superuser", False):
        raise PermissionDenied(_("Chỉ cán bộ mới thực hiện được thao tác này."))
    return officer


def _close(feedback: Feedback, at: dt.datetime, *, late: bool) -> None:
    """Closed: rejected or published. Late when any step of it was (indicator 5.2)."""
    feedback.closed_at = at
    feedback.due_at = None
    late = late or feedback.late_steps > 0
    feedback.outcome = FeedbackOutcome.LATE if late else FeedbackOutcome.ON_TIME


def feedback_submit(
    *,
    unit: Unit,
    data: FeedbackIn,
    attachments: Sequence[FeedbackAttachmentIn] = (),
    channel: str = FeedbackChannel.ONLINE,
    actor: User | None = None,
    submitted_at: dt.datetime | None = None,
) -> Feedback:
    """Record a PAKN addressed to ``unit``: code, received date, R30 deadlines, first event.

    Online after hours, it counts as received at the next working session
    (as an online dossier). A dossier code is linked only when the dossier
    exists; the answer says nothing either way (codes cannot be probed).
    """
    if not unit.is_in_force():
        raise ValidationFailed(_("Đơn vị đã chọn không còn hoạt động."), field="unit")
    if channel not in FeedbackChannel.values:
        raise ValidationFailed(_("Kênh tiếp nhận không hợp lệ."), field="channel")
    if channel != FeedbackChannel.ONLINE:
        if actor is None:
            raise PermissionDenied(_("Chỉ cán bộ mới ghi nhận được phản ánh tại quầy."))
        ensure_can(actor, Perm.FEEDBACK_HANDLE, unit)
    clean = _clean_feedback(data)
    if len(attachments) > MAX_ATTACHMENTS:
        raise ValidationFailed(
            _("Tối đa %(max)s tệp đính kèm.") % {"max": MAX_ATTACHMENTS}, field="attachments"
        )
    contents: list[tuple[str, bytes]] = []
    for attachment in attachments:
        body = attachment.content.read(ATTACHMENTS.max_file_bytes + 1)
        feedback_attachment_check(name=attachment.name, body=body)
        contents.append((Path(attachment.name).name[:200] or "tep", body))
    procedure = None
    if clean.procedure_code:
        procedure = Procedure.objects.filter(code=clean.procedure_code).first()
        if procedure is None:
            raise ValidationFailed(_("Không tìm thấy thủ tục đã chọn."), field="procedure_code")
    dossier = None
    if clean.dossier_code:
        dossier = Dossier.objects.filter(code=clean.dossier_code).only("pk").first()
    at = submitted_at or timezone.now()
    calendar = calendar_for_unit(unit=unit)
    start = calendar.received_online(at) if channel == FeedbackChannel.ONLINE else at
    with transaction.atomic():
        feedback = Feedback(
            code=feedback_code_next(unit_code=unit.code, at=at),
            status=NEW,
            channel=channel,
            about=clean.about,
            addressed_unit=unit,
            unit=unit,
            dossier=dossier,
            dossier_code=clean.dossier_code,
            procedure=procedure,
            officer_name=clean.officer_name,
            title=clean.title,
            content=clean.content,
            sender_name=clean.sender_name,
            sender_phone=clean.sender_phone,
            sender_email=clean.sender_email,
            sender_address=clean.sender_address,
            submitted_at=at,
        )
        _deadlines(feedback, calendar, start)
        _append(feedback, action=FeedbackAction.SUBMIT, actor=actor, at=at)
        for name, body in contents:
            stored = FeedbackAttachment(
                feedback=feedback, name=name, size=len(body), uploaded_at=at
            )
            stored.file.save(name, ContentFile(body), save=True)
    return feedback


@transaction.atomic
def feedback_classify(*, feedback: Feedback, actor: User, category: str) -> Feedback:
    """Classify a PAKN as rules/TTHC or staff conduct (indicator 5.1); it is now in progress."""
    if category not in FeedbackCategory.values:
        raise ValidationFailed(_("Vui lòng chọn phân loại."), field="category")
    feedback = _lock(feedback, FeedbackAction.CLASSIFY)
    ensure_can(actor, Perm.FEEDBACK_HANDLE, feedback)
    _officer(actor)
    feedback.category = category
    _append(
        feedback,
        action=FeedbackAction.CLASSIFY,
        actor=actor,
        at=timezone.now(),
        data={"category": category},
    )
    return feedback


@transaction.atomic
def feedback_route(*, feedback: Feedback, actor: User, to_unit: Unit, note: str = "") -> Feedback:
    """Transfer a PAKN to the responsible unit; its deadlines restart there (section 9)."""
    feedback = _lock(feedback, FeedbackAction.ROUTE)
    ensure_can(actor, Perm.FEEDBACK_HANDLE, feedback)
    _officer(actor)
    if to_unit.pk == feedback.unit_id:
        raise ValidationFailed(_("Phản ánh đang ở đơn vị này."), field="unit")
    if not to_unit.is_in_force():
        raise ValidationFailed(_("Đơn vị đã chọn không còn hoạt động."), field="unit")
    text = _text(note, field="note", limit=NOTE_MAX, required=False, label=_("ghi chú"))
    at = timezone.now()
    from_unit = feedback.unit
    feedback.unit = to_unit
    _deadlines(feedback, calendar_for_unit(unit=to_unit), at)
    _append(
        feedback,
        action=FeedbackAction.ROUTE,
        actor=actor,
        at=at,
        note=text,
        data={"from_unit": from_unit.name, "to_unit": to_unit.name},
    )
    return feedback


@transaction.atomic
def feedback_ask_info(*, feedback: Feedback, actor: User, request: str) -> Feedback:
    """Ask the sender for more information (≤ 5 working days after receipt, R30)."""
    feedback = _lock(feedback, FeedbackAction.ASK_INFO)
    ensure_can(actor, Perm.FEEDBACK_HANDLE, feedback)
    _officer(actor)
    text = _text(request, field="note", limit=NOTE_MAX, required=True, label=_("nội dung"))
    at = timezone.now()
    feedback.info_request = text
    feedback.due_at = None  # waiting for the sender: nobody's deadline
    _append(
        feedback,
        action=FeedbackAction.ASK_INFO,
        actor=actor,
        at=at,
        note=text,
        late=at > feedback.ask_info_due,
    )
    return feedback


@transaction.atomic
def feedback_supplement(*, feedback: Feedback, actor: User, text: str) -> Feedback:
    """Record the information the sender added; the PAKN is received afresh from now."""
    feedback = _lock(feedback, FeedbackAction.SUPPLEMENT)
    ensure_can(actor, Perm.FEEDBACK_HANDLE, feedback)
    added = _text(text, field="note", limit=CONTENT_MAX, required=True, label=_("nội dung"))
    at = timezone.now()
    _deadlines(feedback, calendar_for_unit(unit=feedback.unit), at)
    _append(feedback, action=FeedbackAction.SUPPLEMENT, actor=actor, at=at, note=added)
    return feedback


@transaction.atomic
def feedback_reject(*, feedback: Feedback, actor: User, reason: str) -> Feedback:
    """Refuse a PAKN outside Decree 20/2008 (complaints, denunciations…), ≤ 2 working days."""
    feedback = _lock(feedback, FeedbackAction.REJECT)
    ensure_can(actor, Perm.FEEDBACK_HANDLE, feedback)
    _officer(actor)
    text = _text(reason, field="reason", limit=NOTE_MAX, required=True, label=_("lý do"))
    at = timezone.now()
    feedback.reject_reason = text
    late = at > feedback.reject_due
    _close(feedback, at, late=late)
    _append(feedback, action=FeedbackAction.REJECT, actor=actor, at=at, note=text, late=late)
    return feedback


@transaction.atomic
def feedback_answer(
    *, feedback: Feedback, actor: User, answer: str, led_to_fix: bool = False
) -> Feedback:
    """Answer a classified PAKN (≤ 15 working days, R30); publication is due 2 days later."""
    feedback = _lock(feedback, FeedbackAction.ANSWER)
    ensure_can(actor, Perm.FEEDBACK_HANDLE, feedback)
    officer = _officer(actor)
    if not feedback.category:
        raise ValidationFailed(
            _("Vui lòng phân loại phản ánh trước khi trả lời."), field="category"
        )
    text = _text(
        answer, field="answer", limit=ANSWER_MAX, required=True, label=_("nội dung trả lời")
    )
    at = timezone.now()
    feedback.answer = text
    feedback.answered_by = officer
    feedback.answered_at = at
    feedback.led_to_fix = led_to_fix
    feedback.publish_due = calendar_for_unit(unit=feedback.unit).due_in_working_days(
        at, PUBLISH_DAYS
    )
    feedback.due_at = feedback.publish_due
    _append(
        feedback,
        action=FeedbackAction.ANSWER,
        actor=actor,
        at=at,
        note=text,
        late=at > feedback.answer_due,
        data={"led_to_fix": led_to_fix},
    )
    return feedback


def _thank(feedback: Feedback, actor: User, at: dt.datetime) -> None:
    """Thank the sender whose PAKN led to a fix: a notification by e-mail/SMS, after commit."""
    notify(
        "feedback.thanks",
        source=f"feedback-thanks:{feedback.pk}",
        context={
            "code": feedback.code,
            "title": feedback.title,
            "sender_name": feedback.sender_name,
            "unit_name": feedback.unit.name,
        },
        recipients=[Recipient(email=feedback.sender_email, phone=feedback.sender_phone)],
        webhooks=False,
    )
    feedback.thanked_at = at
    _append(feedback, action=FeedbackAction.THANK, actor=actor, at=at)


@transaction.atomic
def feedback_publish(*, feedback: Feedback, actor: User) -> Feedback:
    """Approve and publish the answer on the portal (≤ 2 working days after it, R30).

    A PAKN that led to a fix gets its thank-you letter at the same time.
    """
    feedback = _lock(feedback, FeedbackAction.PUBLISH)
    ensure_can(actor, Perm.FEEDBACK_PUBLISH, feedback)
    at = timezone.now()
    late = feedback.publish_due is not None and at > feedback.publish_due
    feedback.published_at = at
    _close(feedback, at, late=late)
    _append(feedback, action=FeedbackAction.PUBLISH, actor=actor, at=at, late=late)
    if feedback.led_to_fix and feedback.thanked_at is None:
        _thank(feedback, actor, at)
    return feedback


@transaction.atomic
def feedback_thank(*, feedback: Feedback, actor: User) -> Feedback:
    """Send the thank-you letter for a PAKN that led to a fix (once)."""
    feedback = _lock(feedback, FeedbackAction.THANK)
    ensure_can(actor, Perm.FEEDBACK_PUBLISH, feedback)
    if not feedback.led_to_fix:
        raise ValidationFailed(
            _("Chỉ gửi thư cảm ơn cho phản ánh đã dẫn đến sửa đổi, khắc phục."), field="led_to_fix"
        )
    if feedback.thanked_at is not None:
        raise Conflict(_("Đã gửi thư cảm ơn cho phản ánh này."), code="feedback_already_thanked")
    _thank(feedback, actor, timezone.now())
    return feedback


def feedback_vote(*, code: str, voter: str, value: int) -> Feedback:
    """A like or dislike of a published answer, once per ``voter`` (a hashed browser key).

    The counters move with F() in the same transaction as the vote row, so
    concurrent votes are never lost; a second vote of the same voter is a
    Conflict (the database enforces it).
    """
    if value not in Vote.values:
        raise ValidationFailed(_("Đánh giá không hợp lệ."), field="value")
    if not voter:
        raise ValidationFailed(_("Không xác định được trình duyệt."), field="voter")
    feedback = Feedback.objects.filter(code=code, status=FeedbackStatus.PUBLISHED).first()
    if feedback is None:
        raise NotFound(_("Không tìm thấy câu trả lời."), code="feedback_not_found")
    try:
        with transaction.atomic():
            FeedbackVote.objects.create(
                feedback=feedback, voter=voter[:64], value=value, at=timezone.now()
            )
            column = "likes" if value == Vote.LIKE else "dislikes"
            Feedback.objects.filter(pk=feedback.pk).update(**{column: F(column) + 1})
    except IntegrityError as exc:
        raise Conflict(
            _("Bạn đã đánh giá câu trả lời này. Cảm ơn bạn!"), code="feedback_already_voted"
        ) from exc
    feedback.refresh_from_db(fields=["likes", "dislikes"])
    return feedback


# --- the portal's news and duty roster ----------------------------------------------


@transaction.atomic
def news_save(
    *,
    actor: User,
    unit: Unit,
    title: str,
    body: str,
    summary: str = "",
    published_at: dt.datetime | None = None,
    news: News | None = None,
) -> News:
    """Create or change a news item of ``unit`` (published from ``published_at``; None: draft)."""
    ensure_can(actor, Perm.PORTAL_PUBLISH, unit)
    if news is not None:
        ensure_can(actor, Perm.PORTAL_PUBLISH, news)
    item = news or News(author=actor)
    item.unit = unit
    item.title = _text(title, field="title", limit=255, required=True, label=_("tiêu đề"))
    item.summary = _text(summary, field="summary", limit=500, required=False, label=_("tóm tắt"))
    item.body = _text(body, field="body", limit=20000, required=True, label=_("nội dung"))
    item.published_at = published_at
    item.save()
    audit_record(actor=actor, action="news.save", obj=item, unit=unit, summary=item.title[:200])
    return item


@transaction.atomic
def duty_assign(
    *,
    actor: User,
    unit: Unit,
    officer: Officer,
    day: dt.date,
    session: str = DutySession.ALL_DAY,
    desk: str = "",
) -> DutyAssignment:
    """Put ``officer`` on the published duty roster of ``unit`` for ``day``."""
    ensure_can(actor, Perm.PORTAL_PUBLISH, unit)
    if session not in DutySession.values:
        raise ValidationFailed(_("Buổi trực không hợp lệ."), field="session")
    if not officer.user.is_active:
        raise ValidationFailed(_("Cán bộ không còn hoạt động."), field="officer")
    assignment, _created = DutyAssignment.objects.get_or_create(
        unit=unit,
        day=day,
        session=session,
        officer=officer,
        defaults={"desk": _text(desk, field="desk", limit=120, required=False, label=_("quầy"))},
    )
    audit_record(
        actor=actor,
        action="duty.assign",
        obj=assignment,
        unit=unit,
        summary=f"{day:%d/%m/%Y} {officer.full_name}",
    )
    return assignment


@transaction.atomic
def duty_remove(*, actor: User, assignment: DutyAssignment) -> None:
    """Take an officer off the duty roster."""
    ensure_can(actor, Perm.PORTAL_PUBLISH, assignment)
    audit_record(
        actor=actor,
        action="duty.remove",
        obj=assignment,
        unit=assignment.unit,
        summary=f"{assignment.day:%d/%m/%Y} {assignment.officer.full_name}",
    )
    assignment.delete()
