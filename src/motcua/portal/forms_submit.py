"""The online submission form, built from the procedure version's published components.

Files are checked by content (:mod:`motcua.core.uploads`); applicant
data by the rules of ``dossiers.services`` (the service checks again and its
message lands on the same field). Two modes: ``submit`` requires what the
dossier needs; ``draft`` (signed-in citizens, "Lưu nháp") keeps whatever is
there.
"""

from __future__ import annotations

import re
import secrets
from collections.abc import Sequence
from typing import Any

from django import forms
from django.core import signing
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from motcua.accounts.models import Unit
from motcua.catalog.models import RequiredDocument
from motcua.citizens.models import SubmissionDraftFile
from motcua.citizens.services import CheckedUpload, normalise_phone
from motcua.core.exceptions import ValidationFailed
from motcua.core.uploads import UploadLimits, total_check, upload_check, upload_limits
from motcua.dossiers.constants import ApplicantKind, ReturnChannel
from motcua.dossiers.services import Applicant
from motcua.portal.display import document_copies

_NOT_DIGITS = re.compile(r"\D")
_TOKEN_SALT = "motcua.portal.submit"  # noqa: S105 (a signing salt, not a secret)
# Fields a draft keeps (files are kept as rows of their own).
DRAFT_FIELDS = (
    "case",
    "applicant_kind",
    "applicant_name",
    "applicant_id_number",
    "applicant_phone",
    "applicant_email",
    "applicant_address",
    "return_channel",
)


def submission_token_new() -> str:
    """A signed random token for one form: its idempotency key when submitted."""
    return signing.Signer(salt=_TOKEN_SALT).sign(secrets.token_hex(16))


def submission_token_raw(token: str) -> str | None:
    """The random part of a token this site issued, or ``None``."""
    try:
        raw = signing.Signer(salt=_TOKEN_SALT).unsign(token or "")
    except signing.BadSignature:
        return None
    return raw if re.fullmatch(r"[0-9a-f]{32}", raw) else None


class ComponentField:
    """A component of the version with its form field name and what is already on file."""

    def __init__(self, form: OnlineSubmissionForm, document: RequiredDocument) -> None:
        self.document = document
        self.name = f"doc_{document.pk}"
        self.bound = form[self.name]
        self.on_file: SubmissionDraftFile | None = form.draft_files.get(document.pk)
        self.copies = document_copies(document)


class OnlineSubmissionForm(forms.Form):
    token = forms.CharField(widget=forms.HiddenInput)
    unit = forms.ChoiceField(
        label=gettext_lazy("Nơi nộp hồ sơ"),
        help_text=gettext_lazy("Cơ quan, đơn vị tiếp nhận và trả kết quả thủ tục này."),
    )
    case = forms.ChoiceField(
        label=gettext_lazy("Trường hợp của ông/bà"),
        required=False,
        widget=forms.RadioSelect,
    )
    applicant_kind = forms.ChoiceField(
        label=gettext_lazy("Người nộp là"),
        choices=ApplicantKind.choices,
        initial=ApplicantKind.PERSON,
        widget=forms.RadioSelect,
    )
    applicant_name = forms.CharField(
        label=gettext_lazy("Họ và tên người nộp (hoặc tên tổ chức)"),
        max_length=255,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    applicant_id_number = forms.CharField(
        label=gettext_lazy("Số định danh cá nhân (CCCD) hoặc mã số thuế"),
        max_length=20,
        required=False,
        help_text=gettext_lazy(
            "CCCD gồm 12 chữ số; mã số thuế của tổ chức gồm 10 hoặc 13 chữ số."
        ),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    applicant_phone = forms.CharField(
        label=gettext_lazy("Số điện thoại"),
        max_length=20,
        required=False,
        help_text=gettext_lazy("Để nhận thông báo và tra cứu hồ sơ (bốn số cuối)."),
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}),
    )
    applicant_email = forms.CharField(
        label=gettext_lazy("Thư điện tử (không bắt buộc)"),
        max_length=254,
        required=False,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    applicant_address = forms.CharField(
        label=gettext_lazy("Địa chỉ liên hệ"),
        max_length=500,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "street-address"}),
    )
    return_channel = forms.ChoiceField(
        label=gettext_lazy("Nhận kết quả"),
        choices=[
            (ReturnChannel.ONLINE, gettext_lazy("Trực tuyến (bản điện tử)")),
            (ReturnChannel.COUNTER, gettext_lazy("Tại Bộ phận Một cửa")),
            (ReturnChannel.POSTAL, gettext_lazy("Qua bưu chính công ích")),
        ],
        initial=ReturnChannel.ONLINE,
        widget=forms.RadioSelect,
    )

    def __init__(
        self,
        *args: Any,
        components: Sequence[RequiredDocument],
        units: Sequence[Unit],
        draft_files: dict[int, SubmissionDraftFile] | None = None,
        mode: str = "submit",
        limits: UploadLimits | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.components = list(components)
        self.units = {str(unit.pk): unit for unit in units}
        self.draft_files = draft_files or {}
        self.mode = mode
        self.limits = limits or upload_limits()
        self.uploads: list[CheckedUpload] = []
        unit_choices = [(key, unit.name) for key, unit in self.units.items()]
        self.fields["unit"].choices = unit_choices  # type: ignore[attr-defined]
        if mode == "draft":
            # A draft keeps whatever is there; only files are still checked.
            for field in self.fields.values():
                field.required = False
        if len(self.units) == 1:
            self.fields["unit"].initial = next(iter(self.units))
        cases = list(dict.fromkeys(d.case.strip() for d in self.components if d.case.strip()))
        self.cases = cases
        if cases:
            self.fields["case"].choices = [  # type: ignore[attr-defined]
                (case, case) for case in cases
            ]
        else:
            del self.fields["case"]
        for document in self.components:
            self.fields[f"doc_{document.pk}"] = forms.FileField(
                label=document.name,
                required=False,
                widget=forms.ClearableFileInput(attrs={"accept": self.limits.accept}),
            )

    # --- what the template lays out ---------------------------------------------------

    def component_groups(self) -> list[tuple[str, list[ComponentField]]]:
        """Components grouped by case, common ones first, for the template."""
        groups: dict[str, list[ComponentField]] = {}
        for document in self.components:
            groups.setdefault(document.case.strip(), []).append(ComponentField(self, document))
        return sorted(groups.items(), key=lambda item: item[0] != "")

    # --- validation ---------------------------------------------------------------------

    def clean_token(self) -> str:
        token = str(self.cleaned_data.get("token", ""))
        if submission_token_raw(token) is None:
            raise forms.ValidationError(
                _("Biểu mẫu không hợp lệ hoặc đã cũ. Vui lòng tải lại trang và nhập lại.")
            )
        return token

    def clean_applicant_phone(self) -> str:
        raw = str(self.cleaned_data.get("applicant_phone", "")).strip()
        if raw and not normalise_phone(raw):
            raise forms.ValidationError(_("Số điện thoại không hợp lệ (ví dụ 0912345678)."))
        return raw

    def clean_applicant_email(self) -> str:
        raw = str(self.cleaned_data.get("applicant_email", "")).strip()
        if raw:
            forms.EmailField().clean(raw)  # Django's own rule, as the service's
        return raw

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        self._check_files()
        if self.mode == "submit":
            self._check_required(data)
        return data

    def _check_files(self) -> None:
        sizes: list[int] = []
        for document in self.components:
            name = f"doc_{document.pk}"
            upload = self.files.get(name)
            if upload is None:
                if document.pk in self.draft_files:
                    sizes.append(self.draft_files[document.pk].size)
                continue
            try:
                kind = upload_check(upload, limits=self.limits)
            except ValidationFailed as exc:
                self.add_error(name, exc.message)
                continue
            size = int(upload.size or 0)
            sizes.append(size)
            self.uploads.append(
                CheckedUpload(
                    required_document_id=document.pk,
                    file=upload,
                    name=str(upload.name),
                    size=size,
                    kind=kind,
                )
            )
        try:
            total_check(sizes, limits=self.limits)
        except ValidationFailed as exc:
            self.add_error(None, exc.message)

    def _check_required(self, data: dict[str, Any]) -> None:
        required_text = {
            "applicant_name": _("Vui lòng nhập họ tên người nộp hồ sơ."),
            "applicant_id_number": _("Vui lòng nhập số định danh cá nhân (CCCD) hoặc mã số thuế."),
            "applicant_phone": _("Vui lòng nhập số điện thoại để nhận thông báo."),
        }
        for field, message in required_text.items():
            if not str(data.get(field) or "").strip() and field not in self.errors:
                self.add_error(field, message)
        id_digits = _NOT_DIGITS.sub("", str(data.get("applicant_id_number") or ""))
        if id_digits and "applicant_id_number" not in self.errors:
            organisation = data.get("applicant_kind") == ApplicantKind.ORGANISATION
            if organisation and len(id_digits) not in (10, 13):
                self.add_error("applicant_id_number", _("Mã số thuế phải có 10 hoặc 13 chữ số."))
            elif not organisation and len(id_digits) != 12:
                self.add_error(
                    "applicant_id_number",
                    _("Số định danh cá nhân (CCCD) phải có 12 chữ số."),
                )
        if self.cases and not data.get("case"):
            self.add_error("case", _("Vui lòng chọn trường hợp của ông/bà."))
        case = str(data.get("case") or "")
        uploaded = {upload.required_document_id for upload in self.uploads}
        for document in self.components_needed(case):
            name = f"doc_{document.pk}"
            if (
                document.required
                and not document.reusable_from_data
                and document.pk not in uploaded
                and document.pk not in self.draft_files
                and name not in self.errors
            ):
                self.add_error(name, _("Vui lòng tải lên bản điện tử của giấy tờ này."))

    def components_needed(self, case: str) -> list[RequiredDocument]:
        """The components of the chosen case and those every case needs."""
        return [d for d in self.components if not d.case.strip() or d.case.strip() == case]

    # --- results ------------------------------------------------------------------------

    def chosen_unit(self) -> Unit | None:
        return self.units.get(str(self.cleaned_data.get("unit", "")))

    def applicant(self) -> Applicant:
        data = self.cleaned_data
        return Applicant(
            name=data["applicant_name"],
            kind=data["applicant_kind"],
            id_number=data["applicant_id_number"],
            phone=data["applicant_phone"],
            email=data["applicant_email"],
            address=data["applicant_address"],
        )

    def draft_data(self) -> dict[str, str]:
        """What a draft keeps of the typed fields (also from an invalid form)."""
        source = self.cleaned_data if hasattr(self, "cleaned_data") else {}
        return {
            field: str(source.get(field) or self.data.get(field, "") or "")
            for field in DRAFT_FIELDS
        }

    def add_service_error(self, exc: ValidationFailed) -> None:
        """Show a refusal of the service on the field it names, else above the form."""
        field = str(exc.params.get("field", ""))
        self.add_error(field if field in self.fields else None, exc.message)
