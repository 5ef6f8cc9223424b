"""URLs of the dossier screens: counter intake under ``/can-bo/tiep-nhan/``, dossiers under
``/can-bo/ho-so/`` (names in the ``backoffice`` space)."""

from django.urls import path

from motcua.backoffice import views_dossiers as views

urlpatterns = [
    path("tiep-nhan/", views.intake, name="intake"),
    path("tiep-nhan/truc-tuyen/", views.intake_queue, name="intake_queue"),
    path("tiep-nhan/thu-tuc/<str:code>/", views.intake_form, name="intake_form"),
    path(
        "tiep-nhan/nhom-thu-tuc/<str:code>/",
        views.intake_form,
        {"bundle": True},
        name="intake_bundle_form",
    ),
    path("tiep-nhan/xong/<str:key>/", views.intake_done, name="intake_done"),
    path("ho-so/", views.my_dossiers, name="my_dossiers"),
    path("ho-so/tim-kiem/", views.dossier_search_view, name="dossier_search"),
    path("ho-so/phan-cong/", views.unit_work, name="unit_work"),
    path("ho-so/<str:code>/", views.dossier_detail, name="dossier_detail"),
    path("ho-so/<str:code>/thao-tac/<slug:slug>/", views.dossier_action, name="dossier_action"),
]
