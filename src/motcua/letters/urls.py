"""URLs under ``/can-bo/mau-thu/``, included into the ``backoffice`` namespace."""

from django.urls import path

from motcua.letters import views

urlpatterns = [
    path("", views.template_list, name="letter_templates"),
    path("them-moi/", views.template_create, name="letter_template_create"),
    path("<int:pk>/sua/", views.template_edit, name="letter_template_edit"),
    path("<int:pk>/xem-truoc/", views.template_preview, name="letter_template_preview"),
    path("<int:pk>/xem-truoc.pdf", views.template_preview_pdf, name="letter_template_pdf"),
]
