from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LettersConfig(AppConfig):
    name = "motcua.letters"
    label = "letters"
    verbose_name = _("Thư chăm sóc công dân")
