"""Load the official schedules shipped with motcua (data/official_vn.json).

Uses the historical models on purpose, so that later model changes never break
this migration; later years ship in later migrations or through the
``calendar load`` command, both idempotent.
"""

import datetime as dt
import json
from pathlib import Path

from django.db import migrations

DATA = Path(__file__).resolve().parents[1] / "data" / "official_vn.json"


def load(apps, schema_editor):
    CalendarYear = apps.get_model("workcalendar", "CalendarYear")
    CalendarDay = apps.get_model("workcalendar", "CalendarDay")
    CalendarRevision = apps.get_model("workcalendar", "CalendarRevision")
    raw = json.loads(DATA.read_text(encoding="utf-8"))
    for year, body in raw["years"].items():
        CalendarYear.objects.get_or_create(
            year=int(year),
            defaults={"status": body["status"], "legal_basis": body.get("legal_basis", "")},
        )
        for item in body["days"]:
            CalendarDay.objects.get_or_create(
                date=dt.date.fromisoformat(item["date"]),
                unit=None,
                defaults={
                    "kind": item["kind"],
                    "name": item["name"],
                    "legal_basis": item.get("legal_basis", ""),
                    "needs_confirmation": bool(item.get("needs_confirmation", False)),
                    "source": "official_bundle",
                },
            )
    revision = CalendarRevision.objects.first()
    if revision is None:
        CalendarRevision.objects.create(number=1)
    else:
        revision.number += 1
        revision.save()


class Migration(migrations.Migration):
    dependencies = [("workcalendar", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
