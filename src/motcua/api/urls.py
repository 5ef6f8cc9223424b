"""The API under ``/api/``: the procedure catalog, its OpenAPI schema and a browsable doc."""

from django.urls import path, re_path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

from motcua.api import views

app_name = "api"

urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", SpectacularSwaggerView.as_view(url_name="api:schema"), name="docs"),
    path("fields/", views.FieldListView.as_view(), name="fields"),
    path("procedures/", views.ProcedureListView.as_view(), name="procedures"),
    path("procedures/<str:code>/", views.ProcedureDetailView.as_view(), name="procedure"),
    path(
        "procedures/<str:code>/versions/",
        views.ProcedureVersionsView.as_view(),
        name="procedure_versions",
    ),
    path(
        "procedures/<str:code>/versions/<int:number>/withdraw/",
        views.VersionWithdrawView.as_view(),
        name="version_withdraw",
    ),
    path(
        "procedures/<str:code>/versions/<int:number>/reviewed/",
        views.VersionReviewedView.as_view(),
        name="version_reviewed",
    ),
    path("procedures/<str:code>/draft/", views.DraftView.as_view(), name="draft"),
    path(
        "procedures/<str:code>/draft/methods/",
        views.DraftMethodsView.as_view(),
        name="draft_methods",
    ),
    path(
        "procedures/<str:code>/draft/documents/",
        views.DraftDocumentsView.as_view(),
        name="draft_documents",
    ),
    path(
        "procedures/<str:code>/draft/process/",
        views.DraftProcessView.as_view(),
        name="draft_process",
    ),
    path(
        "procedures/<str:code>/draft/publish/",
        views.DraftPublishView.as_view(),
        name="draft_publish",
    ),
    # Last: every other address under /api/ answers in the error shape.
    re_path(r"^.*$", views.not_found, name="not_found"),
]
