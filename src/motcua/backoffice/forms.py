"""Forms of the staff area."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth import get_user_model
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _


class StaffAuthenticationForm(AuthenticationForm):
    """The staff login: refuses citizen accounts and disabled accounts with a clear reason."""

    error_messages = {
        "invalid_login": _(
            "Tên đăng nhập hoặc mật khẩu không đúng. Lưu ý: mật khẩu phân biệt chữ hoa và "
            "chữ thường."
        ),
        "inactive": _(
            "Tài khoản này đã bị khoá. Vui lòng liên hệ quản trị hệ thống của đơn vị để được "
            "mở lại."
        ),
        "citizen": _(
            "Đây là tài khoản người dân, doanh nghiệp, không dùng để vào khu vực cán bộ. "
            "Vui lòng đăng nhập trên Cổng dịch vụ công."
        ),
    }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["username"].label = _("Tên đăng nhập")
        self.fields["username"].widget.attrs.update(
            {"autocapitalize": "none", "spellcheck": "false"}
        )
        self.fields["password"].label = _("Mật khẩu")

    def clean(self) -> dict[str, Any]:
        try:
            return super().clean()
        except forms.ValidationError as error:
            if error.code == "invalid_login" and self._is_inactive_with_right_password():
                raise self.get_inactive_error() from error
            raise

    def _is_inactive_with_right_password(self) -> bool:
        """True for a disabled account whose password is right.

        The authentication backend treats a disabled account like a wrong
        password; saying "disabled" only when the password is right tells
        nothing to someone who does not know it.
        """
        username = self.cleaned_data.get("username")
        password = self.cleaned_data.get("password")
        if not username or not password:
            return False
        user_model = get_user_model()
        user = user_model._default_manager.filter(
            **{user_model.USERNAME_FIELD: username}, is_active=False
        ).first()
        return user is not None and user.check_password(password)

    def get_inactive_error(self) -> forms.ValidationError:
        return forms.ValidationError(self.error_messages["inactive"], code="inactive")

    def confirm_login_allowed(self, user: Any) -> None:
        super().confirm_login_allowed(user)
        if not getattr(user, "is_officer", False):
            raise forms.ValidationError(self.error_messages["citizen"], code="citizen")
