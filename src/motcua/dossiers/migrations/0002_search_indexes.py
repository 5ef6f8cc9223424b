"""PostgreSQL only: indexes for the counter's dossier search (``dossier_search``).

Every branch of the search's OR must be indexable, or PostgreSQL reads the
whole table: ``applicant_search LIKE '%…%'`` and ``applicant_phone LIKE '%…'``
need trigram GIN indexes, ``UPPER(code) = …`` and ``UPPER(code) LIKE '%…'``
(``iexact``, ``iendswith``) one on ``UPPER(code)``, ``UPPER(reference) = …`` a
btree on ``UPPER(reference)``. Measured on 1,000,000 dossiers
(bench/dossiers_http.py, docs/performance.md): a name search went from 1.6 s
(page) + 7.9 s (count) to about 0.2 s, a phone-number search from 8.8 s to
11 ms. Built CONCURRENTLY, so adding them to a live database blocks no
writes; SQLite needs none. The pg_trgm extension comes from
catalog 0002_search_indexes.
"""

from django.db import migrations

INDEXES = {
    "dossiers_dossier_applicant_trgm": "USING gin (applicant_search gin_trgm_ops)",
    "dossiers_dossier_phone_trgm": "USING gin (applicant_phone gin_trgm_ops)",
    "dossiers_dossier_code_upper_trgm": "USING gin (upper(code) gin_trgm_ops)",
    "dossiers_dossier_reference_upper": "(upper(reference))",
}


def _create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, definition in INDEXES.items():
        schema_editor.execute(
            f"CREATE INDEX CONCURRENTLY IF NOT EXISTS {name} ON dossiers_dossier {definition}"
        )


def _drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in INDEXES:
        schema_editor.execute(f"DROP INDEX CONCURRENTLY IF EXISTS {name}")


class Migration(migrations.Migration):
    # CREATE INDEX CONCURRENTLY cannot run inside a transaction.
    atomic = False

    dependencies = [
        ("dossiers", "0001_initial"),
        ("catalog", "0002_search_indexes"),
    ]

    operations = [migrations.RunPython(_create, _drop)]
