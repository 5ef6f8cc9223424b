"""URLs for ``bench/dossiers_http.py``: the project's own, plus two reference views.

The goals of issue 4 were set against this machine's speed on one day ("bare
Django answers ~1,600 req/s here and an ORM lookup ~880 req/s"); machines of
the same kind have since run from half to twice that. The two references are
measured in the same run as the scenarios, so a figure can be read against
the machine it was taken on:

* ``/bench/bare/`` — an anonymous ``ok`` through the project's whole
  middleware stack (no session, no database);
* ``/bench/orm/<code>/`` — one dossier read by its code through the ORM and a
  few of its fields as JSON (one query, no session).

Not a benchmark: ``make bench`` runs this file and it only says so.
"""

if __name__ == "__main__":
    print("bench/urls_bench.py: URLs for bench/dossiers_http.py, nothing to run.")
    raise SystemExit(0)

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.urls import path

from motcua.conf.urls import urlpatterns as project_urlpatterns
from motcua.dossiers.models import Dossier


def bare(request: HttpRequest) -> HttpResponse:
    return HttpResponse(b"ok", content_type="text/plain")


def orm(request: HttpRequest, code: str) -> JsonResponse:
    dossier = Dossier.objects.only("code", "status", "received_at", "appointment").get(code=code)
    return JsonResponse(
        {
            "code": dossier.code,
            "status": dossier.status,
            "received_at": dossier.received_at,
            "appointment": dossier.appointment,
        }
    )


urlpatterns = [
    path("bench/bare/", bare),
    path("bench/orm/<str:code>/", orm),
    *project_urlpatterns,
]
