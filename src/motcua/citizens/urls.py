"""URLs under ``/tai-khoan/``, included into the ``portal`` namespace."""

from django.urls import path

from motcua.citizens import views

urlpatterns = [
    path("", views.dossiers, name="account"),
    path("dang-nhap/", views.LoginView.as_view(), name="account_login"),
    path("dang-xuat/", views.LogoutView.as_view(), name="account_logout"),
    path("dang-ky/", views.register, name="account_register"),
    path("xac-thuc/", views.verify, name="account_verify"),
    path("ho-so/<str:key>/", views.dossier, name="account_dossier"),
    path("thong-bao/", views.channels, name="account_channels"),
    path("ho-so-nhap/", views.drafts, name="account_drafts"),
    path("ho-so-nhap/<int:pk>/xoa/", views.draft_delete, name="account_draft_delete"),
]
