"""URL map: the citizen portal at ``/``, the staff area at ``/can-bo/``, the API at ``/api/``."""

from django.contrib import admin
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

admin.site.site_header = _("Quản trị hệ thống một cửa điện tử")
admin.site.site_title = _("Quản trị motcua")
admin.site.index_title = _("Danh mục quản trị")

urlpatterns = [
    path("can-bo/quan-tri/", admin.site.urls),
    path("can-bo/", include("motcua.backoffice.urls")),
    path("api/", include("motcua.api.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("", include("motcua.portal.urls")),
]
