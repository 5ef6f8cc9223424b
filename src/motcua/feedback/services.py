"""Writes of the satisfaction survey: one function, one transaction."""

from __future__ import annotations

from collections.abc import Mapping

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from motcua.core.exceptions import Conflict, ValidationFailed
from motcua.core.text import nfc
from motcua.feedback.constants import CRITERIA_FIELDS, Rating, SurveySource
from motcua.feedback.models import SurveyResponse
from motcua.feedback.selectors import survey_subject_get

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
