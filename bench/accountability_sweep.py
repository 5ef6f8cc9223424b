"""The accountability sweep (issue 5) over 1,000,000 open steps in PostgreSQL.

Creates its own database (``DATABASE_URL``, default
postgresql://postgres@127.0.0.1:5432/motcua_bench_sweep; the dossier
benchmark's ``motcua_bench_dossiers`` is never touched), migrates it, builds
20 wards with a centre, an office and six officers each through the ORM, then
writes ``--steps`` running dossiers (default 1,000,000) with one open step
each using ``COPY``: appointments and step deadlines spread over the next
ten working days' worth of wall time around "now", their due-soon and late
columns filled as the services would.

Then it times :func:`motcua.dossiers.services_accountability.accountability_sweep`:

1. **steady state** — the rows that changed state in the last five minutes
   (the sweep's period): what every run does;
2. **idle** — the same sweep again: nothing left to record, only the partial
   indexes are read;
3. **backlog** — after ``--backlog-minutes`` (default 60) without a sweep
   (scheduler down): every state change of that hour at once.

Each run records one event per change and writes its notifications (in-app
and e-mail for the assignee, the heads and, for dossiers, the one-stop
unit). Usage: ``python bench/accountability_sweep.py [--steps 1000000]
[--force] [--backlog-minutes 60]``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from catalog_search import ensure_database, setup_django

DEFAULT_URL = "postgresql://postgres@127.0.0.1:5432/motcua_bench_sweep"
WARDS = 20
STATE_TABLE = "bench_accountability_sweep"
# Deadlines spread over this much wall time around "now" (about ten working days).
SPREAD = dt.timedelta(days=14)


def database_url() -> str:
    return os.environ.get("DATABASE_URL") or DEFAULT_URL


def build_world() -> dict[str, object]:
    """Units, officers and one published procedure, through the ORM (small)."""
    from motcua.accounts.constants import Role, UnitKind
    from motcua.accounts.models import Officer, OfficerRole, Unit, User
    from motcua.accounts.services import unit_create
    from motcua.catalog.models import Procedure, ProcedureVersion
    from motcua.catalog.services import catalog_import

    sample = Path(__file__).resolve().parents[1] / "src/motcua/catalog/tests/data"
    if not Procedure.objects.exists():
        catalog_import(path=sample / "dvcqg_sample.jsonl")
    version = ProcedureVersion.objects.filter(procedure__code="1.004222").first()
    assert version is not None

    def make_unit(code: str, **fields: object) -> tuple[Unit, bool]:
        existing = Unit.objects.filter(code=code).first()
        if existing is not None:
            return existing, False
        return unit_create(code=code, **fields), True

    province, _ = make_unit("B01", name="Tỉnh Bench", kind=UnitKind.PROVINCE)
    wards = []
    for index in range(WARDS):
        ward, created = make_unit(
            f"B{index:03d}", name=f"Phường Bench {index}", kind=UnitKind.COMMUNE, parent=province
        )
        centre, _ = make_unit(
            f"B{index:03d}-TT",
            name=f"Trung tâm PVHCC Bench {index}",
            kind=UnitKind.SERVICE_CENTRE,
            parent=ward,
            agency_code=f"000.00.{index:02d}.B01",
        )
        office, _ = make_unit(
            f"B{index:03d}-VP",
            name=f"Văn phòng Bench {index}",
            kind=UnitKind.DEPARTMENT,
            parent=ward,
        )
        if created:
            people = [
                (centre, Role.COUNTER_OFFICER),
                (office, Role.SPECIALIST),
                (office, Role.SPECIALIST),
                (office, Role.SPECIALIST),
                (office, Role.HEAD),
                (ward, Role.LEADER),
            ]
            for number, (unit, role) in enumerate(people):
                user = User.objects.create(
                    username=f"bench-sweep-{index}-{number}",
                    full_name=f"Cán bộ {index}-{number}",
                    email=f"cb{index}-{number}@bench.invalid",
                )
                officer = Officer.objects.create(user=user, unit=unit)
                OfficerRole.objects.create(officer=officer, role=role)
        specialists = list(
            Officer.objects.filter(unit=office, roles__role=Role.SPECIALIST).values_list(
                "pk", flat=True
            )
        )
        wards.append((ward.pk, centre.pk, office.pk, specialists))
    return {"version": version.pk, "wards": wards}


def load(total: int, world: dict[str, object], now: dt.datetime) -> float:
    """COPY ``total`` running dossiers, each with one open step, in one transaction."""
    import random

    from django.db import connection

    rng = random.Random(42)
    wards = world["wards"]
    version = world["version"]
    started = time.perf_counter()
    created = now.isoformat()
    dossier_columns = (
        "id, code, reference, lookup_secret, status, rule_set, procedure_version_id, "
        "receiving_unit_id, processing_unit_id, channel, applicant_kind, applicant_name, "
        "applicant_id_number, applicant_phone, applicant_email, applicant_address, "
        "applicant_search, received_at, received_outside_hours, appointment_original, "
        "appointment, paused_seconds, outcome, return_channel, result_location, "
        "reminders_sent, supplement_requests, event_count, due_soon_from, late_from, "
        "created_at, updated_at"
    )
    step_columns = (
        "id, dossier_id, sequence, name, unit_id, agency_name, assignee_id, started_at, "
        "due_at, outcome, note, due_soon_at, late_from"
    )
    with connection.cursor() as cursor:
        raw = cursor.cursor
        with raw.copy(f"COPY dossiers_dossier ({dossier_columns}) FROM STDIN") as copy:
            for pk in range(1, total + 1):
                ward, centre, office, _people = wards[pk % len(wards)]  # type: ignore[index]
                # The appointment anywhere in the spread; due soon a working day before
                # (approximated as 24 h of wall time here: the engine is not the subject).
                appointment = now + (rng.random() - 0.5) * SPREAD
                received = appointment - dt.timedelta(days=9)
                copy.write_row(
                    (
                        pk,
                        f"B-{pk:09d}",
                        f"BS{pk:010d}",
                        "",
                        "in_progress",
                        "2025",
                        version,
                        centre,
                        ward,
                        "in_person",
                        "person",
                        "Người nộp",
                        "",
                        "",
                        "",
                        "",
                        "nguoi nop",
                        received,
                        False,
                        appointment,
                        appointment,
                        0,
                        "",
                        "counter",
                        "",
                        0,
                        0,
                        1,
                        appointment - dt.timedelta(days=1),
                        appointment,
                        created,
                        created,
                    )
                )
        with raw.copy(f"COPY dossiers_dossierstep ({step_columns}) FROM STDIN") as copy:
            for pk in range(1, total + 1):
                ward, centre, office, people = wards[pk % len(wards)]  # type: ignore[index]
                due = now + (rng.random() - 0.5) * SPREAD
                copy.write_row(
                    (
                        pk,
                        pk,
                        1,
                        "Thẩm định, xử lý hồ sơ",
                        office,
                        "",
                        people[pk % len(people)],
                        due - dt.timedelta(days=3),
                        due,
                        "",
                        "",
                        due - dt.timedelta(days=1),
                        due,
                    )
                )
        cursor.execute("SELECT setval('dossiers_dossier_id_seq', %s)", [total])
        cursor.execute("SELECT setval('dossiers_dossierstep_id_seq', %s)", [total])
        cursor.execute(f"CREATE TABLE {STATE_TABLE} (steps integer, now timestamptz)")
        cursor.execute(f"INSERT INTO {STATE_TABLE} VALUES (%s, %s)", [total, now])  # noqa: S608 - a constant name
        cursor.execute("ANALYZE dossiers_dossier")
        cursor.execute("ANALYZE dossiers_dossierstep")
    return time.perf_counter() - started


def pending(now: dt.datetime) -> dict[str, int]:
    from motcua.dossiers.models import Dossier, DossierStep

    return {
        "step due soon": DossierStep.objects.filter(
            due_soon_at__lte=now, due_soon_notified_at__isnull=True
        ).count(),
        "step late": DossierStep.objects.filter(
            late_from__lte=now, late_notified_at__isnull=True
        ).count(),
        "dossier due soon": Dossier.objects.filter(
            due_soon_from__lte=now, due_soon_recorded_at__isnull=True
        ).count(),
        "dossier late": Dossier.objects.filter(
            late_from__lte=now, late_recorded_at__isnull=True
        ).count(),
    }


def mark_recorded_before(moment: dt.datetime) -> None:
    """What earlier sweeps would have recorded: every change before ``moment``."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE dossiers_dossierstep SET due_soon_notified_at = due_soon_at "
            "WHERE due_soon_at < %s AND due_soon_notified_at IS NULL",
            [moment],
        )
        cursor.execute(
            "UPDATE dossiers_dossierstep SET late_notified_at = late_from "
            "WHERE late_from < %s AND late_notified_at IS NULL",
            [moment],
        )
        cursor.execute(
            "UPDATE dossiers_dossier SET due_soon_recorded_at = due_soon_from "
            "WHERE due_soon_from < %s AND due_soon_recorded_at IS NULL",
            [moment],
        )
        cursor.execute(
            "UPDATE dossiers_dossier SET late_recorded_at = late_from "
            "WHERE late_from < %s AND late_recorded_at IS NULL",
            [moment],
        )
        # What autovacuum does between sweeps: the recorded rows leave the
        # partial indexes for good.
        cursor.execute("VACUUM ANALYZE dossiers_dossierstep")
        cursor.execute("VACUUM ANALYZE dossiers_dossier")


def timed_sweep(label: str, now: dt.datetime) -> None:
    from django.db import connection

    from motcua.dossiers.services_accountability import accountability_sweep
    from motcua.notifications.models import Notification

    before = Notification.objects.count()
    todo = pending(now)
    started = time.perf_counter()
    report = accountability_sweep(now=now)
    seconds = time.perf_counter() - started
    written = Notification.objects.count() - before
    print(
        f"{label:<13} {seconds:6.2f} s  changes {report.total:>6} "
        f"({', '.join(f'{k} {v}' for k, v in todo.items())})  notifications {written}"
        + (f"  skipped locked {report.skipped_locked}" if report.skipped_locked else "")
    )
    assert connection.vendor == "postgresql"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--steps", type=int, default=1_000_000)
    parser.add_argument("--force", action="store_true", help="drop and reload the rows")
    parser.add_argument("--backlog-minutes", type=int, default=60)
    args = parser.parse_args()
    url = database_url()
    if url.rstrip("/").endswith("/motcua_bench_dossiers"):
        raise SystemExit("refusing to write into motcua_bench_dossiers: use your own database")
    ensure_database(url)
    setup_django(url)

    from django.core.management import call_command
    from django.db import connection, transaction
    from django.utils import timezone

    call_command("migrate", verbosity=0, interactive=False)
    with connection.cursor() as cursor:
        cursor.execute("SELECT to_regclass(%s)", [STATE_TABLE])
        loaded = cursor.fetchone()[0] is not None
        if loaded and args.force:
            cursor.execute(f"DROP TABLE {STATE_TABLE}")
            cursor.execute(
                "TRUNCATE dossiers_dossierevent, dossiers_dossierstep, dossiers_dossier, "
                "notifications_notification CASCADE"
            )
            loaded = False
    world = build_world()
    now = timezone.now().replace(microsecond=0)
    if not loaded:
        with transaction.atomic():
            seconds = load(args.steps, world, now)
        print(f"loaded {args.steps:,} running dossiers and open steps in {seconds:.0f} s")
    else:
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT steps, now FROM {STATE_TABLE}")  # noqa: S608 - a constant name
            steps, loaded_now = cursor.fetchone()
        print(f"reusing {steps:,} open steps loaded at {loaded_now:%Y-%m-%d %H:%M}")
        now = loaded_now
    # Each run moves "now" forward so that there is something new to record.
    with connection.cursor() as cursor:
        cursor.execute("SELECT coalesce(max(at), %s) FROM dossiers_dossierevent", [now])
        latest = cursor.fetchone()[0]
    start = max(now, latest) + dt.timedelta(minutes=1)
    mark_recorded_before(start)
    print(f"open steps: {args.steps:,}; sweep as of {timezone.localtime(start):%Y-%m-%d %H:%M}")
    timed_sweep("first (5 min)", start + dt.timedelta(minutes=5))
    timed_sweep("idle", start + dt.timedelta(minutes=5))
    timed_sweep(
        f"backlog {args.backlog_minutes} min",
        start + dt.timedelta(minutes=5 + args.backlog_minutes),
    )


if __name__ == "__main__":
    main()
