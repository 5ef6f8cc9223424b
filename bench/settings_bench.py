"""Settings for ``bench/dossiers_http.py``: the production settings, plus a query counter.

Not a benchmark: ``make bench`` runs every script in ``bench/`` and this one
only says so. The HTTP driver starts gunicorn with
``DJANGO_SETTINGS_MODULE=settings_bench`` and ``bench/`` on the Python path;
``BENCH_QUERY_COUNT=true`` puts :class:`querycount.QueryCountMiddleware` first,
so every response says how many SQL queries it took (``X-Query-Count``) and
how long they took in the database (``X-Query-Ms``).
"""

if __name__ == "__main__":
    print("bench/settings_bench.py: settings for bench/dossiers_http.py, nothing to run.")
    raise SystemExit(0)

from motcua.conf import env
from motcua.conf.production import *  # noqa: F403
from motcua.conf.production import MIDDLEWARE

if env.get_bool("BENCH_QUERY_COUNT", False):
    MIDDLEWARE = ["querycount.QueryCountMiddleware", *MIDDLEWARE]

# The two reference views (bare Django, one ORM read) beside the project's URLs.
ROOT_URLCONF = "urls_bench"
