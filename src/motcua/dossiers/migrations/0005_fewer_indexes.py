"""Fewer indexes on the dossier tables: every one of them is paid at every intake.

Django adds a second B-tree (``varchar_pattern_ops``, for ``LIKE 'prefix%'``) to
each unique or indexed text column; no search here uses one (a dossier is found
by its whole code, reference or ID number; names and phones by trigram indexes,
migration 0002), and the folded name's own B-tree serves no "contains" either.
The steps' and events' index on their dossier repeats the first column of their
(dossier, sequence) unique index. Measured on 1,000,000 dossiers: inserting
2,000 dossiers took 407 ms with the six extra indexes, 219 ms without.

The unique columns become ``Meta.constraints`` under the names PostgreSQL
already gives them, so there this migration only drops indexes (and renames the
ID number's). SQLite, which has none of the pattern indexes, rebuilds its tables
from the models as usual.
"""

from typing import Any

import django.db.models.deletion
from django.db import migrations, models

_DOSSIER = "dossiers_dossier"
_PATTERN = ("code", "reference", "idempotency_key", "applicant_search", "applicant_id_number")
# (table, column) of plain B-trees dropped.
_PLAIN = (
    (_DOSSIER, "applicant_search"),
    ("dossiers_dossierstep", "dossier_id"),
    ("dossiers_dossierevent", "dossier_id"),
)
_ID_NUMBER = "dossiers_applicant_id_number"


def _dropped(editor: Any) -> list[tuple[str, str, str]]:
    """(index name, table, column definition) of each index this migration drops."""
    # Django's own naming of the indexes it made (a private helper, stable since 1.x).
    name = editor._create_index_name
    return [
        (name(_DOSSIER, [column], suffix="_like"), _DOSSIER, f"{column} varchar_pattern_ops")
        for column in _PATTERN
    ] + [(name(table, [column], suffix=""), table, column) for table, column in _PLAIN]


class _IndexesOnPostgresql(migrations.SeparateDatabaseAndState):
    """On PostgreSQL, drop and rename indexes by name; elsewhere, Django's operations."""

    def database_forwards(
        self, app_label: str, editor: Any, from_state: Any, to_state: Any
    ) -> None:
        if editor.connection.vendor != "postgresql":
            super().database_forwards(app_label, editor, from_state, to_state)
            return
        for index, _table, _column in _dropped(editor):
            editor.execute(f'DROP INDEX IF EXISTS "{index}"')
        old = editor._create_index_name(_DOSSIER, ["applicant_id_number"], suffix="")
        editor.execute(f'ALTER INDEX IF EXISTS "{old}" RENAME TO "{_ID_NUMBER}"')

    def database_backwards(
        self, app_label: str, editor: Any, from_state: Any, to_state: Any
    ) -> None:
        if editor.connection.vendor != "postgresql":
            super().database_backwards(app_label, editor, from_state, to_state)
            return
        old = editor._create_index_name(_DOSSIER, ["applicant_id_number"], suffix="")
        editor.execute(f'ALTER INDEX IF EXISTS "{_ID_NUMBER}" RENAME TO "{old}"')
        for index, table, column in _dropped(editor):
            editor.execute(f'CREATE INDEX IF NOT EXISTS "{index}" ON "{table}" ({column})')


OPERATIONS = [
    migrations.AlterField(
        model_name="dossier",
        name="applicant_id_number",
        field=models.CharField(
            blank=True, max_length=20, verbose_name="số định danh / mã số thuế"
        ),
    ),
    migrations.AlterField(
        model_name="dossier",
        name="applicant_search",
        field=models.CharField(editable=False, max_length=255),
    ),
    migrations.AlterField(
        model_name="dossier",
        name="code",
        field=models.CharField(
            blank=True,
            help_text="Cấp khi tiếp nhận hợp lệ: mã cơ quan-YYMMDD-số thứ tự (R1).",
            max_length=60,
            null=True,
            verbose_name="mã hồ sơ",
        ),
    ),
    migrations.AlterField(
        model_name="dossier",
        name="idempotency_key",
        field=models.CharField(blank=True, max_length=100, null=True),
    ),
    migrations.AlterField(
        model_name="dossier",
        name="reference",
        field=models.CharField(max_length=32, verbose_name="mã tra cứu"),
    ),
    migrations.AlterField(
        model_name="dossierevent",
        name="dossier",
        field=models.ForeignKey(
            db_index=False,
            on_delete=django.db.models.deletion.PROTECT,
            related_name="events",
            to="dossiers.dossier",
        ),
    ),
    migrations.AlterField(
        model_name="dossierstep",
        name="dossier",
        field=models.ForeignKey(
            db_index=False,
            on_delete=django.db.models.deletion.CASCADE,
            related_name="steps",
            to="dossiers.dossier",
        ),
    ),
    migrations.AddIndex(
        model_name="dossier",
        index=models.Index(fields=["applicant_id_number"], name="dossiers_applicant_id_number"),
    ),
    migrations.AddConstraint(
        model_name="dossier",
        constraint=models.UniqueConstraint(fields=("code",), name="dossiers_dossier_code_key"),
    ),
    migrations.AddConstraint(
        model_name="dossier",
        constraint=models.UniqueConstraint(
            fields=("reference",), name="dossiers_dossier_reference_key"
        ),
    ),
    migrations.AddConstraint(
        model_name="dossier",
        constraint=models.UniqueConstraint(
            fields=("idempotency_key",), name="dossiers_dossier_idempotency_key_key"
        ),
    ),
]


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0002_session_with_user"),
        ("catalog", "0002_search_indexes"),
        ("dossiers", "0004_accountability"),
    ]

    operations = [
        _IndexesOnPostgresql(
            state_operations=OPERATIONS,
            database_operations=OPERATIONS,
        ),
    ]
