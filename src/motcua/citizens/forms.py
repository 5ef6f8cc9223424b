"""Forms of the citizen account pages (``/tai-khoan/``)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.contrib.auth.password_validation import validate_password
from django.utils.translation import gettext_lazy as _

from motcua.notifications.constants import CITIZEN_CHANNELS


class CitizenAuthenticationForm(AuthenticationForm):
    """The citizens' sign-in: phone number or e-mail and password; officers are sent away."""

    error_messages = {
        "invalid_login": _(
            "Số điện thoại/thư điện tử hoặc mật khẩu không đúng, hoặc tài khoản chưa được "
            "xác thực. Lưu ý: mật khẩu phân biệt chữ hoa và chữ thường."
        ),
        "inactive": _("Tài khoản chưa được xác thực."),
        "officer": _(
            "Đây là tài khoản cán bộ. Vui lòng đăng nhập tại khu vực dành cho cán bộ (/can-bo/)."
        ),
    }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["username"].label = _("Số điện thoại hoặc thư điện tử")
        self.fields["username"].widget.attrs.update(
            {"autocapitalize": "none", "spellcheck": "false", "autocomplete": "username"}
        )
        self.fields["password"].label = _("Mật khẩu")

    def clean_username(self) -> str:
        # The login name is stored normalised (lower-case e-mail, 0xxxxxxxxx).
        from motcua.citizens.services import normalise_email, normalise_phone

        raw = str(self.cleaned_data.get("username", "")).strip()
        return normalise_email(raw) or normalise_phone(raw) or raw

    def confirm_login_allowed(self, user: Any) -> None:
        super().confirm_login_allowed(user)
        if not getattr(user, "is_citizen", False):
            raise forms.ValidationError(self.error_messages["officer"], code="officer")


class RegisterForm(forms.Form):
    full_name = forms.CharField(
        label=_("Họ và tên"),
        max_length=150,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    phone = forms.CharField(
        label=_("Số điện thoại"),
        max_length=20,
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}),
    )
    email = forms.CharField(
        label=_("Thư điện tử"),
        max_length=254,
        required=False,
        help_text=_(
            "Nhập ít nhất một trong hai: mã xác thực gửi tới thư điện tử (nếu có), "
            "nếu không thì tới số điện thoại."
        ),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    citizen_id = forms.CharField(
        label=_("Số định danh cá nhân (CCCD, không bắt buộc)"),
        max_length=12,
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    password = forms.CharField(
        label=_("Mật khẩu"),
        strip=False,
        help_text=_("Ít nhất 10 ký tự, không chỉ gồm chữ số."),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    password2 = forms.CharField(
        label=_("Nhập lại mật khẩu"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        password = data.get("password")
        if password and password != data.get("password2"):
            self.add_error("password2", _("Hai mật khẩu không khớp."))
        elif password:
            try:
                validate_password(password)
            except forms.ValidationError as error:
                self.add_error("password", error)
        return data


class VerifyForm(forms.Form):
    code = forms.CharField(
        label=_("Mã xác thực (6 chữ số)"),
        max_length=12,
        widget=forms.TextInput(
            attrs={"inputmode": "numeric", "autocomplete": "one-time-code", "spellcheck": "false"}
        ),
    )


class ChannelsForm(forms.Form):
    channels = forms.MultipleChoiceField(
        label=_("Nhận thông báo về hồ sơ qua"),
        choices=[(str(channel.value), channel.label) for channel in CITIZEN_CHANNELS],
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
