"""Staff-area URLs of notifications, included by ``motcua.backoffice.urls``."""

from django.urls import path

from motcua.notifications import views

urlpatterns = [
    path("thong-bao/", views.notification_list, name="notifications"),
    path("thong-bao/<int:pk>/da-doc/", views.notification_read, name="notification_read"),
    path("thong-bao/da-doc-tat-ca/", views.notification_read_all, name="notifications_read_all"),
]
