"""The API under ``/api/``: the procedure catalog, dossiers, the OpenAPI schema and its doc."""

from django.urls import include, path, re_path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

from motcua.api import views, views_accountability, views_dossiers
from motcua.api.serializers_dossiers import ACTION_ENDPOINTS

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
    # Dossiers: the fixed addresses before ``dossiers/<code>/``.
    path("dossiers/", views_dossiers.DossierListView.as_view(), name="dossiers"),
    path(
        "dossiers/online/", views_dossiers.OnlineSubmitView.as_view(), name="dossier_submit_online"
    ),
    path(
        "dossiers/ask-to-complete/",
        views_dossiers.CounterAskToCompleteView.as_view(),
        name="dossier_counter_ask_to_complete",
    ),
    path(
        "dossiers/refuse-intake/",
        views_dossiers.CounterRefuseIntakeView.as_view(),
        name="dossier_counter_refuse_intake",
    ),
    path("dossiers/<str:code>/", views_dossiers.DossierDetailView.as_view(), name="dossier"),
    path(
        "dossiers/<str:code>/events/",
        views_dossiers.DossierEventsView.as_view(),
        name="dossier_events",
    ),
    path(
        "dossiers/<str:code>/control-slip/",
        views_dossiers.DossierControlSlipView.as_view(),
        name="dossier_control_slip",
    ),
    *(
        path(
            f"dossiers/<str:code>/{segment}/",
            views_dossiers.ACTION_VIEWS[action].as_view(),
            name=f"dossier_{action}",
        )
        for action, segment in ACTION_ENDPOINTS.items()
    ),
    # Accountability for delay (issue 5).
    path(
        "dossiers/<str:code>/accountability/",
        views_accountability.DossierAccountabilityView.as_view(),
        name="dossier_accountability",
    ),
    path(
        "dossiers/<str:code>/explanation/",
        views_accountability.ExplanationView.as_view(),
        name="dossier_explanation",
    ),
    path(
        "dossiers/<str:code>/apology/",
        views_accountability.ApologyView.as_view(),
        name="dossier_apology",
    ),
    path("me/inbox/", views_dossiers.InboxView.as_view(), name="me_inbox"),
    path("me/unit-work/", views_dossiers.UnitWorkView.as_view(), name="me_unit_work"),
    path("public/", include("motcua.api.views_public")),
    # Last: every other address under /api/ answers in the error shape.
    re_path(r"^.*$", views.not_found, name="not_found"),
]
