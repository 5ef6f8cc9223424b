"""The dossier tables carry only the indexes something reads (migration 0005).

Every index is written at every intake; Django's second B-tree for LIKE 'prefix%'
on unique and indexed text columns, and a foreign key's own index where a unique
index starts with the same column, are read by nothing here.
"""

from __future__ import annotations

import pytest
from django.db import connection

pytestmark = [pytest.mark.django_db, pytest.mark.postgres]

TABLES = ("dossiers_dossier", "dossiers_dossierstep", "dossiers_dossierevent")


def _indexes() -> dict[str, str]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = ANY(%s)", [list(TABLES)]
        )
        return dict(cursor.fetchall())


def test_no_pattern_index_and_no_index_repeating_a_unique_ones_first_column() -> None:
    indexes = _indexes()

    assert not [name for name, sql in indexes.items() if "pattern_ops" in sql]
    for table in ("dossiers_dossierstep", "dossiers_dossierevent"):
        assert not [
            name
            for name, sql in indexes.items()
            if f" ON public.{table} " in sql and sql.endswith("(dossier_id)")
        ]


def test_the_constraints_and_searches_keep_their_indexes() -> None:
    indexes = _indexes()

    for name in (
        "dossiers_dossier_code_key",
        "dossiers_dossier_reference_key",
        "dossiers_dossier_idempotency_key_key",
        "dossiers_one_open_step",
        "dossiers_step_sequence",
        "dossiers_event_sequence",
        "dossiers_applicant_id_number",
        "dossiers_dossier_participants_name",
        "dossiers_dossier_code_upper_trgm",
        "dossiers_dossier_phone_trgm",
        "dossiers_dossier_reference_upper",
    ):
        assert name in indexes, name
    assert "dossiers_dossier_applicant_trgm" not in indexes  # replaced by the next
    assert (
        "(participants, applicant_search gin_trgm_ops)"
        in (indexes["dossiers_dossier_participants_name"])
    )
    assert indexes["dossiers_dossier_code_key"].startswith("CREATE UNIQUE INDEX")
    assert indexes["dossiers_one_open_step"].startswith("CREATE UNIQUE INDEX")


def test_a_name_search_finds_its_rows_by_scope_and_name_in_one_index() -> None:
    from motcua.dossiers.selectors import dossier_search
    from motcua.dossiers.tests.conftest import build_ward

    ward = build_ward()
    sql, params = dossier_search(user=ward.counter.user, query="van binh").query.sql_with_params()
    with connection.cursor() as cursor:
        # A few test rows would be read whole; the plan for many is what matters.
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("EXPLAIN " + sql, params)
        plan = "\n".join(row[0] for row in cursor.fetchall())

    assert "dossiers_dossier_participants_name" in plan
    condition = plan[plan.index("Index Cond:") :].splitlines()[0]
    assert "participants ?|" in condition and "applicant_search" in condition
