"""The dossier's participants (units and assignees), filled in from its steps.

On PostgreSQL one UPDATE from the steps (10,000,000 dossiers: minutes, a new
version of every row); elsewhere (the embedded SQLite of a commune) row by row.
"""

from django.db import migrations, models

FILL_POSTGRESQL = """
UPDATE dossiers_dossier AS d
SET participants = p.keys
FROM (
    SELECT d2.id, jsonb_object_agg(k.key, true) AS keys
    FROM dossiers_dossier AS d2
    CROSS JOIN LATERAL (
        SELECT 'u' || d2.receiving_unit_id
        UNION SELECT 'u' || d2.processing_unit_id
        UNION SELECT 'u' || s.unit_id FROM dossiers_dossierstep AS s WHERE s.dossier_id = d2.id
        UNION SELECT 'o' || s.assignee_id FROM dossiers_dossierstep AS s WHERE s.dossier_id = d2.id
    ) AS k(key)
    WHERE k.key IS NOT NULL
    GROUP BY d2.id
) AS p
WHERE p.id = d.id
"""


def fill(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(FILL_POSTGRESQL)
        return
    Dossier = apps.get_model("dossiers", "Dossier")
    DossierStep = apps.get_model("dossiers", "DossierStep")
    keys: dict[int, dict[str, bool]] = {}
    for dossier_id, receiving, processing in Dossier.objects.values_list(
        "id", "receiving_unit_id", "processing_unit_id"
    ).iterator():
        keys[dossier_id] = {f"u{unit}": True for unit in (receiving, processing) if unit}
    for dossier_id, unit, assignee in DossierStep.objects.values_list(
        "dossier_id", "unit_id", "assignee_id"
    ).iterator():
        if unit:
            keys[dossier_id][f"u{unit}"] = True
        if assignee:
            keys[dossier_id][f"o{assignee}"] = True
    for dossier_id, participants in keys.items():
        Dossier.objects.filter(pk=dossier_id).update(participants=participants)


class Migration(migrations.Migration):

    dependencies = [
        ("dossiers", "0005_fewer_indexes"),
    ]

    operations = [
        migrations.AddField(
            model_name="dossier",
            name="participants",
            field=models.JSONField(blank=True, default=dict, editable=False),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
    ]
