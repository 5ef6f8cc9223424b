"""Settings for the test suite: fast hashing, in-memory mail, no real network."""

from motcua.conf.base import *  # noqa: F403
from motcua.conf.base import DATABASES

DEBUG = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Each xdist worker gets its own in-memory database.
    DATABASES["default"]["NAME"] = ":memory:"
    DATABASES["default"]["OPTIONS"] = {"transaction_mode": "IMMEDIATE"}
    DATABASES["default"]["TEST"] = {"NAME": ":memory:"}
AXES_ENABLED = True
LOGGING = {"version": 1, "disable_existing_loggers": False, "root": {"level": "WARNING"}}
# Lifecycle tests travel across deadlines freely; the accountability gate's own
# tests (dossiers/tests/test_accountability.py and the browser test) switch it
# back to "block", the production default.
MOTCUA_ACCOUNTABILITY_GATE = "warn"
