from django.urls import path, register_converter

from motcua.core.views import health
from motcua.portal import views, views_lookup, views_survey


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
    path("", views.home, name="home"),
    path("suc-khoe/", health, name="health"),
    path("thu-tuc/", views.procedure_list, name="procedures"),
    # Before the detail page: "in" is not a procedure code.
    path("thu-tuc/in/", views.procedure_sheet, name="procedure_sheet"),
    path("thu-tuc/<procedure_code:code>/", views.procedure_detail, name="procedure_detail"),
    # Printed on receipts (dossiers.forms_pdf.LOOKUP_PATH) and in QR codes: never move it.
    path("tra-cuu/", views_lookup.lookup, name="lookup"),
    path("danh-gia/", views_survey.survey_home, name="survey"),
    path("danh-gia/<str:token>/", views_survey.survey, name="survey_answer"),
]
