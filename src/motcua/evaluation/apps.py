from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EvaluationConfig(AppConfig):
    name = "motcua.evaluation"
    label = "evaluation"
    verbose_name = _("Đánh giá, xếp loại cán bộ")

    def ready(self) -> None:
        from motcua.evaluation import events

        events.register()
