"""URLs under ``/can-bo/thong-bao-chi-dao/``, included into the ``backoffice`` namespace."""

from django.urls import path

from motcua.announcements import views

urlpatterns = [
    path("", views.inbox, name="announcements"),
    path("<int:pk>/", views.detail, name="announcement_detail"),
    path("<int:pk>/da-doc/", views.confirm, name="announcement_confirm"),
    path("<int:pk>/tep/<int:attachment_pk>/", views.attachment, name="announcement_attachment"),
    path("da-gui/", views.sent, name="announcements_sent"),
    path("soan-moi/", views.create, name="announcement_create"),
    path("da-gui/<int:pk>/", views.receipts, name="announcement_receipts"),
    path("da-gui/<int:pk>/danh-sach.xlsx", views.receipts_xlsx, name="announcement_receipts_xlsx"),
]
