"""Settings: production refuses unsafe configuration; every variable read is documented."""

from __future__ import annotations

import importlib
import re
import sys
from collections.abc import Iterator
from types import ModuleType

import pytest
from django.core.exceptions import ImproperlyConfigured

from motcua.conf import env

GOOD_KEY = "k3y-for-tests-only-" + "x7Qp9Lm2" * 6
PG_URL = "postgres://motcua@127.0.0.1:5432/motcua"
ENV_EXAMPLE = env.BASE_DIR / ".env.example"
CONF_DIR = env.PACKAGE_DIR / "conf"
SETTINGS_MODULES = ("base", "production")
# env.get_str("NAME", ...), os.environ.get("NAME"), even when split over lines.
READ_PATTERN = re.compile(
    r"""(?:env\.get_\w+|os\.environ\.get|os\.getenv)\(\s*["']([A-Z][A-Z0-9_]*)["']"""
)


@pytest.fixture(autouse=True)
def _restore_settings_modules() -> Iterator[None]:
    """Put back the settings modules the tests re-import, exactly as they were."""
    import motcua.conf

    saved = {name: sys.modules.get(f"motcua.conf.{name}") for name in SETTINGS_MODULES}
    yield
    for name, module in saved.items():
        if module is None:
            sys.modules.pop(f"motcua.conf.{name}", None)
            if hasattr(motcua.conf, name):
                delattr(motcua.conf, name)
        else:
            sys.modules[f"motcua.conf.{name}"] = module
            setattr(motcua.conf, name, module)


def import_production(monkeypatch: pytest.MonkeyPatch, **environ: str) -> ModuleType:
    """Import a fresh ``motcua.conf.production`` seeing exactly ``environ`` for settings."""
    for name in documented_variables() | read_variables():
        monkeypatch.delenv(name, raising=False)
    for name, value in environ.items():
        monkeypatch.setenv(name, value)
    # Fresh modules, so that base re-reads the environment.
    for name in SETTINGS_MODULES:
        sys.modules.pop(f"motcua.conf.{name}", None)
    return importlib.import_module("motcua.conf.production")


def documented_variables() -> set[str]:
    names = set()
    for line in ENV_EXAMPLE.read_text(encoding="utf-8").splitlines():
        match = re.match(r"^#?\s*([A-Z][A-Z0-9_]*)=", line)
        if match:
            names.add(match.group(1))
    return names


def read_variables() -> set[str]:
    return {
        name
        for path in sorted(CONF_DIR.glob("*.py"))
        for name in READ_PATTERN.findall(path.read_text(encoding="utf-8"))
    }


def test_production_refuses_to_start_without_secret_key(monkeypatch: pytest.MonkeyPatch) -> None:
    """No SECRET_KEY in the environment: the built-in development key is never used."""
    with pytest.raises(ImproperlyConfigured, match="SECRET_KEY"):
        import_production(monkeypatch, DATABASE_URL=PG_URL)


def test_production_refuses_a_short_secret_key(monkeypatch: pytest.MonkeyPatch) -> None:
    """A key under 50 characters is refused."""
    with pytest.raises(ImproperlyConfigured, match="SECRET_KEY"):
        import_production(monkeypatch, SECRET_KEY="too-short", DATABASE_URL=PG_URL)


def test_production_refuses_to_start_without_database_url(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Production does not fall back to the embedded SQLite file silently."""
    with pytest.raises(ImproperlyConfigured, match="DATABASE_URL"):
        import_production(monkeypatch, SECRET_KEY=GOOD_KEY)


def test_production_starts_with_key_and_database(monkeypatch: pytest.MonkeyPatch) -> None:
    """With both set, production is secure by default."""
    production = import_production(monkeypatch, SECRET_KEY=GOOD_KEY, DATABASE_URL=PG_URL)

    assert production.DEBUG is False
    assert production.SECRET_KEY == GOOD_KEY
    assert production.DATABASES["default"]["ENGINE"] == "motcua.core.postgresql"
    assert production.SESSION_COOKIE_SECURE is True
    assert production.CSRF_COOKIE_SECURE is True
    assert production.SECURE_SSL_REDIRECT is True
    assert production.EMAIL_BACKEND == "django.core.mail.backends.smtp.EmailBackend"


def test_unknown_tasks_backend_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    """A typo in TASKS_BACKEND fails loudly instead of silently using the database."""
    with pytest.raises(ImproperlyConfigured, match="TASKS_BACKEND"):
        import_production(
            monkeypatch, SECRET_KEY=GOOD_KEY, DATABASE_URL=PG_URL, TASKS_BACKEND="reddis"
        )


def test_redis_tasks_backend_configures_rq(monkeypatch: pytest.MonkeyPatch) -> None:
    """TASKS_BACKEND=redis selects RQ on REDIS_URL, with django-tasks' job class."""
    production = import_production(
        monkeypatch,
        SECRET_KEY=GOOD_KEY,
        DATABASE_URL=PG_URL,
        TASKS_BACKEND="redis",
        REDIS_URL="redis://cache.internal:6379/2",
    )

    assert production.TASKS["default"]["BACKEND"] == "django_tasks_rq.RQBackend"
    assert production.RQ_QUEUES["default"]["URL"] == "redis://cache.internal:6379/2"
    assert production.RQ["JOB_CLASS"] == "django_tasks_rq.Job"
    assert "django_rq" in production.INSTALLED_APPS


def test_every_variable_read_by_settings_is_documented() -> None:
    """Each environment variable the settings read appears in ``.env.example``."""
    missing = read_variables() - documented_variables()

    assert not missing, f"document these in .env.example: {sorted(missing)}"
