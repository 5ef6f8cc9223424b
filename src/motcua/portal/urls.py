from django.urls import include, path, register_converter

from motcua.core.views import health
from motcua.portal import (
    views,
    views_feedback,
    views_lookup,
    views_public_stats,
    views_submit,
    views_survey,
)


class ProcedureCodeConverter:
    """A national procedure code such as 1.004222 or 1.001193.H26 (nothing else reaches a view)."""

    regex = r"[0-9A-Za-z][0-9A-Za-z._-]{0,39}"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


register_converter(ProcedureCodeConverter, "procedure_code")

app_name = "portal"

urlpatterns = [
    path("", views_public_stats.home, name="home"),
    path("suc-khoe/", health, name="health"),
    path("thu-tuc/", views.procedure_list, name="procedures"),
    # Before the detail page: "in" is not a procedure code.
    path("thu-tuc/in/", views.procedure_sheet, name="procedure_sheet"),
    path("thu-tuc/<procedure_code:code>/", views.procedure_detail, name="procedure_detail"),
    path(
        "thu-tuc/<procedure_code:code>/nop-truc-tuyen/",
        views_submit.submit,
        name="procedure_submit",
    ),
    path("nop-ho-so/", views_submit.start, name="submit"),
    path("nop-ho-so/da-nop/<str:reference>/", views_submit.submitted, name="submit_done"),
    path("tai-khoan/", include("motcua.citizens.urls")),
    # Printed on receipts (dossiers.forms_pdf.LOOKUP_PATH) and in QR codes: never move it.
    path("tra-cuu/", views_lookup.lookup, name="lookup"),
    path("danh-gia/", views_survey.survey_home, name="survey"),
    path("danh-gia/<str:token>/", views_survey.survey, name="survey_answer"),
    path("phan-anh/", views_feedback.feedback_home, name="feedback"),
    path("phan-anh/da-gui/", views_feedback.feedback_sent, name="feedback_sent"),
    path("phan-anh/da-tra-loi/", views_feedback.published_list, name="feedback_published"),
    path(
        "phan-anh/da-tra-loi/<str:code>/",
        views_feedback.published_detail,
        name="feedback_published_detail",
    ),
    path(
        "phan-anh/da-tra-loi/<str:code>/danh-gia/",
        views_feedback.published_vote,
        name="feedback_vote",
    ),
    path("tin-tuc/<int:pk>/", views_public_stats.news_detail, name="news_detail"),
]
