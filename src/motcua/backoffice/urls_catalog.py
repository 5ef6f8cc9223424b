"""URLs of the procedure catalog under ``/can-bo/thu-tuc/`` (names in the ``backoffice`` space)."""

from django.urls import path

from motcua.backoffice import views_catalog as views

version = "<str:code>/phien-ban/<int:number>/"

urlpatterns = [
    path("", views.procedure_list, name="procedures"),
    path("can-ra-soat/", views.procedure_list, {"review": True}, name="procedures_review"),
    path("them-moi/", views.procedure_create_view, name="procedure_create"),
    path("<str:code>/", views.procedure_detail, name="procedure_detail"),
    path("<str:code>/soan-thao/", views.procedure_prepare, name="procedure_prepare"),
    path("<str:code>/don-vi/", views.procedure_units, name="procedure_units"),
    path(version, views.procedure_version, name="procedure_version"),
    path(version + "sua/", views.version_edit, name="version_edit"),
    path(version + "hinh-thuc-nop/", views.version_methods, name="version_methods"),
    path(version + "thanh-phan-ho-so/", views.version_documents, name="version_documents"),
    path(version + "quy-trinh/", views.version_process, name="version_process"),
    path(version + "cong-bo/", views.version_publish, name="version_publish"),
    path(version + "huy/", views.version_discard, name="version_discard"),
    path(version + "ngung-cong-khai/", views.version_withdraw, name="version_withdraw"),
    path(version + "da-ra-soat/", views.version_mark_reviewed, name="version_reviewed"),
]
