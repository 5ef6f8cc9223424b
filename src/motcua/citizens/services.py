"""Writes of citizens' accounts: register, verify, drafts, and the portal's online submission.

Each function is one transaction and leaves an audit event (R39). Codes are
sent through the notifications outbox (``notify`` inside the transaction,
delivery after commit), so a rolled-back registration sends nothing.
"""

from __future__ import annotations

import datetime as dt
import re
import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.base import File
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.translation import gettext as _

from motcua.accounts.constants import UserKind
from motcua.accounts.models import Citizen, Unit, User
from motcua.accounts.services import audit_record
from motcua.catalog.models import Procedure, RequiredDocument
from motcua.citizens.constants import (
    CODE_LENGTH,
    CODE_MAX_ATTEMPTS,
    CODE_TTL_MINUTES,
    CODES_PER_HOUR,
    VERIFICATION_EVENT,
    VerificationChannel,
    VerificationPurpose,
)
from motcua.citizens.models import SubmissionDraft, SubmissionDraftFile, VerificationCode
from motcua.core.exceptions import ValidationFailed
from motcua.core.text import nfc
from motcua.core.uploads import stored_name
from motcua.dossiers.constants import ReturnChannel
from motcua.dossiers.models import Dossier
from motcua.dossiers.services import Applicant, ReceivedDocument, dossier_submit_online
from motcua.notifications.channels import channel_enabled
from motcua.notifications.services import Recipient, notify

_NOT_DIGITS = re.compile(r"\D")
_HASH_SALT = "motcua.citizens.verification"


# --- contact details --------------------------------------------------------------


def normalise_phone(phone: str) -> str:
    """ "0912 345 678", "+84912345678" → "0912345678"; "" when it is not a Vietnamese number.

    The rule of ``dossiers.services`` for applicants: 10 or 11 digits from 0.
    """
    digits = _NOT_DIGITS.sub("", phone or "")
    if digits.startswith("84") and len(digits) in (11, 12):
        digits = "0" + digits[2:]
    return digits if len(digits) in (10, 11) and digits.startswith("0") else ""


def normalise_email(email: str) -> str:
    """Trimmed and lower-cased, or "" when it is not an address."""
    text = (email or "").strip().lower()
    try:
        validate_email(text)
    except ValidationError:
        return ""
    return text


# --- verification codes --------------------------------------------------------------


def _hash(row_user_id: int, purpose: str, address: str, code: str) -> str:
    # Keyed with SECRET_KEY: a copy of the table alone does not give the
    # codes away, even though a million codes would be quick to try.
    return salted_hmac(
        _HASH_SALT, f"{row_user_id}:{purpose}:{address}:{code}", algorithm="sha256"
    ).hexdigest()


def _new_code() -> str:
    return f"{secrets.randbelow(10**CODE_LENGTH):0{CODE_LENGTH}d}"


def _send_code(*, user: User, purpose: str, channel: str, address: str) -> VerificationCode:
    """Write a new code and its message; earlier unused codes of the same purpose lapse."""
    now = timezone.now()
    if not channel_enabled(channel):
        raise ValidationFailed(
            _(
                "Hiện hệ thống chưa gửi được tin nhắn SMS. Vui lòng đăng ký bằng địa chỉ thư "
                "điện tử hoặc liên hệ đường dây nóng."
            ),
            code="verification_channel_off",
            field="phone",
        )
    recent = VerificationCode.objects.filter(
        address=address, created_at__gte=now - dt.timedelta(hours=1)
    ).count()
    if recent >= CODES_PER_HOUR:
        raise ValidationFailed(
            _("Đã gửi quá nhiều mã xác thực tới %(address)s. Vui lòng thử lại sau một giờ.")
            % {"address": address},
            code="verification_too_many",
        )
    VerificationCode.objects.filter(user=user, purpose=purpose, used_at__isnull=True).update(
        expires_at=now
    )
    code = _new_code()
    row = VerificationCode.objects.create(
        user=user,
        purpose=purpose,
        channel=channel,
        address=address,
        code_hash=_hash(user.pk, purpose, address, code),
        expires_at=now + dt.timedelta(minutes=CODE_TTL_MINUTES),
    )
    by_email = channel == VerificationChannel.EMAIL
    notify(
        VERIFICATION_EVENT,
        source=f"verification-code:{row.pk}",
        context={"code": code, "minutes": CODE_TTL_MINUTES},
        recipients=[
            Recipient(
                user=user,
                email=address if by_email else "",
                phone="" if by_email else address,
                channels=[channel],
            )
        ],
        webhooks=False,
    )
    return row


@transaction.atomic
def citizen_register(
    *,
    full_name: str,
    password: str,
    phone: str = "",
    email: str = "",
    citizen_id: str = "",
) -> Citizen:
    """A new citizen account, inactive until the code sent to the e-mail (else phone) is entered.

    The e-mail address, or else the phone number, is the login name.
    """
    name = nfc(full_name)
    phone_n = normalise_phone(phone)
    email_n = normalise_email(email)
    if not name:
        raise ValidationFailed(_("Vui lòng nhập họ và tên."), field="full_name")
    if phone.strip() and not phone_n:
        raise ValidationFailed(_("Số điện thoại không hợp lệ (ví dụ 0912345678)."), field="phone")
    if email.strip() and not email_n:
        raise ValidationFailed(_("Địa chỉ thư điện tử không hợp lệ."), field="email")
    if not phone_n and not email_n:
        raise ValidationFailed(
            _("Vui lòng nhập số điện thoại hoặc địa chỉ thư điện tử để nhận mã xác thực."),
            field="email",
        )
    id_digits = _NOT_DIGITS.sub("", citizen_id or "")
    if citizen_id.strip() and len(id_digits) != 12:
        raise ValidationFailed(
            _("Số định danh cá nhân (CCCD) phải có 12 chữ số."), field="citizen_id"
        )
    username = email_n or phone_n
    taken = User.objects.filter(username=username).first()
    if taken is not None:
        if taken.is_active or taken.kind != UserKind.CITIZEN:
            raise ValidationFailed(
                _(
                    "%(login)s đã được dùng cho một tài khoản. Vui lòng đăng nhập, hoặc dùng "
                    "số điện thoại, thư điện tử khác."
                )
                % {"login": username},
                field="email" if email_n else "phone",
                code="citizen_exists",
            )
        # Registered before but never verified: start again with the new details.
        user = taken
        user.full_name, user.email, user.phone = name, email_n, phone_n
        user.set_password(password)
        user.save()
        citizen = Citizen.objects.get(user=user)
        citizen.citizen_id = id_digits
        citizen.save()
    else:
        user = User(
            username=username,
            full_name=name,
            email=email_n,
            phone=phone_n,
            kind=UserKind.CITIZEN,
            is_active=False,
        )
        user.set_password(password)
        user.save()
        citizen = Citizen.objects.create(user=user, citizen_id=id_digits)
    channel = VerificationChannel.EMAIL if email_n else VerificationChannel.SMS
    _send_code(user=user, purpose=VerificationPurpose.REGISTER, channel=channel, address=username)
    audit_record(
        actor=user,
        action="citizen.register",
        obj=citizen,
        summary=name,
        data={"channel": str(channel)},
    )
    return citizen


@transaction.atomic
def citizen_verification_resend(*, user: User) -> VerificationCode:
    """Send a fresh registration code to the account's login address (rate-limited)."""
    if user.is_active or user.kind != UserKind.CITIZEN:
        raise ValidationFailed(_("Tài khoản này đã được xác thực."), code="already_verified")
    channel = VerificationChannel.EMAIL if "@" in user.username else VerificationChannel.SMS
    return _send_code(
        user=user, purpose=VerificationPurpose.REGISTER, channel=channel, address=user.username
    )


@dataclass(frozen=True)
class _Verdict:
    ok: bool
    message: str = ""
    code: str = ""


def citizen_verify(*, user: User, code: str) -> Citizen:
    """Enter the registration code: the account becomes active and its address verified.

    A wrong code counts against the code even though the call fails.
    """
    with transaction.atomic():
        verdict = _check_code(user=user, code=code)
        if verdict.ok:
            now = timezone.now()
            User.objects.filter(pk=user.pk).update(is_active=True)
            user.is_active = True
            citizen = Citizen.objects.select_for_update().get(user=user)
            if "@" in user.username:
                citizen.email_verified_at = now
            else:
                citizen.phone_verified_at = now
            citizen.save()
            audit_record(actor=user, action="citizen.verify", obj=citizen, summary=user.username)
            return citizen
    # Raised after the commit, so the counted attempt stays counted.
    raise ValidationFailed(verdict.message, code=verdict.code, field="code")


def _check_code(*, user: User, code: str) -> _Verdict:
    row = (
        VerificationCode.objects.select_for_update()
        .filter(user=user, purpose=VerificationPurpose.REGISTER, used_at__isnull=True)
        .order_by("-created_at", "-id")
        .first()
    )
    now = timezone.now()
    if row is None or row.expires_at <= now:
        return _Verdict(
            False,
            _("Mã xác thực đã hết hạn. Vui lòng bấm “Gửi lại mã” để nhận mã mới."),
            "verification_expired",
        )
    if row.attempts >= CODE_MAX_ATTEMPTS:
        return _Verdict(
            False,
            _("Đã nhập sai quá %(count)s lần. Vui lòng bấm “Gửi lại mã” để nhận mã mới.")
            % {"count": CODE_MAX_ATTEMPTS},
            "verification_locked",
        )
    given = _NOT_DIGITS.sub("", code or "")[:CODE_LENGTH]
    if not constant_time_compare(_hash(user.pk, row.purpose, row.address, given), row.code_hash):
        row.attempts += 1
        row.save(update_fields=["attempts", "updated_at"])
        left = CODE_MAX_ATTEMPTS - row.attempts
        return _Verdict(
            False,
            _("Mã xác thực không đúng. Còn %(left)s lần thử.") % {"left": left}
            if left
            else _("Mã xác thực không đúng. Vui lòng bấm “Gửi lại mã” để nhận mã mới."),
            "verification_wrong",
        )
    row.used_at = now
    row.save(update_fields=["used_at", "updated_at"])
    return _Verdict(True)


# --- drafts and the online submission ----------------------------------------------------


@dataclass(frozen=True)
class CheckedUpload:
    """An uploaded file whose real format was read from its content (``uploads.upload_check``)."""

    required_document_id: int
    file: Any
    name: str
    size: int
    kind: str


def _delete_stored(files: list[SubmissionDraftFile]) -> None:
    """Delete the files of ``files`` from storage once the transaction commits."""
    stored = [(row.file.storage, row.file.name) for row in files if row.file.name]

    def delete() -> None:
        for storage, name in stored:
            storage.delete(name)

    if stored:
        transaction.on_commit(delete)


@transaction.atomic
def submission_draft_save(
    *,
    citizen: Citizen,
    procedure: Procedure,
    unit: Unit | None,
    data: Mapping[str, Any],
    uploads: list[CheckedUpload],
    token: str,
) -> SubmissionDraft:
    """Save what the citizen typed and uploaded; a new file replaces the component's old one."""
    draft, _created = SubmissionDraft.objects.select_for_update().get_or_create(
        citizen=citizen, procedure=procedure, defaults={"token": token}
    )
    draft.unit = unit
    draft.data = {key: str(value) for key, value in data.items()}
    draft.token = draft.token or token
    draft.save()
    components = {
        document.pk: document
        for document in RequiredDocument.objects.filter(
            pk__in=[upload.required_document_id for upload in uploads]
        )
    }
    replaced = list(
        draft.files.filter(required_document_id__in=[u.required_document_id for u in uploads])
    )
    _delete_stored(replaced)
    SubmissionDraftFile.objects.filter(pk__in=[row.pk for row in replaced]).delete()
    for upload in uploads:
        component = components[upload.required_document_id]
        row = SubmissionDraftFile(
            draft=draft,
            required_document=component,
            name=upload.name[:255],
            size=upload.size,
            kind=upload.kind,
        )
        row.file.save(
            stored_name(position=component.position, kind=upload.kind),
            File(upload.file),
            save=False,
        )
        row.save()
    audit_record(
        actor=citizen.user,
        action="citizen.draft_save",
        obj=draft,
        summary=procedure.code,
        data={"files": len(uploads)},
    )
    return draft


@transaction.atomic
def submission_draft_delete(*, draft: SubmissionDraft, actor: User) -> None:
    """Throw a draft and its files away."""
    _delete_stored(list(draft.files.all()))
    audit_record(
        actor=actor, action="citizen.draft_delete", obj=draft, summary=draft.procedure.code
    )
    draft.delete()


def citizen_submit_online(
    *,
    procedure: Procedure,
    unit: Unit,
    applicant: Applicant,
    uploads: list[CheckedUpload],
    components: list[RequiredDocument],
    return_channel: str = ReturnChannel.ONLINE,
    idempotency_key: str,
    citizen: Citizen | None = None,
    draft: SubmissionDraft | None = None,
) -> Dossier:
    """Send an online submission from the portal form into the unit's intake queue.

    Files come from this request's uploads, else from the draft; a component
    the office can take from digital data (``reusable_from_data``) and that
    has no file is marked as such. Idempotent on ``idempotency_key`` (see
    :func:`dossiers.services.dossier_submit_online`); the draft is removed
    once the dossier exists.
    """
    by_component = {upload.required_document_id: upload for upload in uploads}
    from_draft = {row.required_document_id: row for row in draft.files.all()} if draft else {}
    documents: list[ReceivedDocument] = []
    for component in components:
        upload = by_component.get(component.pk)
        if upload is not None:
            name = stored_name(position=component.position, kind=upload.kind)
            documents.append(
                ReceivedDocument(required_document_id=component.pk, file=File(upload.file, name))
            )
        elif component.pk in from_draft:
            row = from_draft[component.pk]
            name = stored_name(position=component.position, kind=row.kind)
            documents.append(
                ReceivedDocument(
                    required_document_id=component.pk, file=File(row.file.open("rb"), name)
                )
            )
        elif component.reusable_from_data:
            documents.append(
                ReceivedDocument(required_document_id=component.pk, reused_from_data=True)
            )
    dossier = dossier_submit_online(
        unit=unit,
        procedure=procedure,
        applicant=applicant,
        documents=documents,
        return_channel=return_channel,
        idempotency_key=idempotency_key,
        citizen=citizen,
    )
    if draft is not None and draft.pk:
        submission_draft_delete(draft=draft, actor=citizen.user if citizen else draft.citizen.user)
    return dossier


# --- housekeeping ------------------------------------------------------------------


@transaction.atomic
def verification_codes_purge(*, now: dt.datetime | None = None) -> int:
    """Delete codes expired more than a day ago (used or not); how many.

    Unverified accounts stay: their audit events keep them (R39), and
    registering again with the same phone or e-mail simply restarts them.
    """
    now = now or timezone.now()
    deleted, _detail = VerificationCode.objects.filter(
        expires_at__lt=now - dt.timedelta(days=1)
    ).delete()
    return deleted
