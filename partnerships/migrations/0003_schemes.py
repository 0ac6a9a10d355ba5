from django.db import migrations

SCHEMES = [
    ("rekom", "Regional ordning for kompetanseutvikling i barnehage", "Rekom", "Regional ordning", 1),
    ("dekom", "Desentralisert ordning for kompetanseutvikling i skole", "Dekom", "Desentralisert ordning", 2),
    (
        "kompetanseloftet",
        "Kompetanseløftet for spesialpedagogikk og inkluderende praksis",
        "Kompetanseløftet",
        "Kompetanseløftet",
        3,
    ),
]


def create_schemes(apps, schema_editor):
    Scheme = apps.get_model("partnerships", "Scheme")
    for code, name, short_name, summary_label, order in SCHEMES:
        Scheme.objects.update_or_create(
            code=code,
            defaults={
                "name": name,
                "short_name": short_name,
                "summary_label": summary_label,
                "order": order,
            },
        )


class Migration(migrations.Migration):
    dependencies = [("partnerships", "0002_initial")]
    operations = [migrations.RunPython(create_schemes, migrations.RunPython.noop)]
