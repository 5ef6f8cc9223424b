from django.urls import path

from motcua.core.views import health
from motcua.portal import views

app_name = "portal"

urlpatterns = [
    path("", views.home, name="home"),
    path("suc-khoe/", health, name="health"),
]
