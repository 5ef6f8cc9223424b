"""Seed the three default citizen-care letters and attach them to the
civil-status procedures already in the catalog (the demo loader attaches
them later when the catalog is imported afterwards)."""

from django.db import migrations

from motcua.letters.defaults import attach_default_procedures, create_default_templates


def seed(apps, schema_editor):
    template_model = apps.get_model("letters", "LetterTemplate")
    procedure_model = apps.get_model("catalog", "Procedure")
    create_default_templates(template_model)
    attach_default_procedures(template_model, procedure_model)


class Migration(migrations.Migration):
    dependencies = [
        ("letters", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(seed, migrations.RunPython.noop),
    ]
