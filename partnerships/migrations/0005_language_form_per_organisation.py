import django.db.models.deletion
from django.db import migrations, models


def partnership_language_to_lead_owner(apps, schema_editor):
    """Each partnership gets its first owner as lead owner. Where the partnership wrote in
    nynorsk, its lead owner is taken to have adopted nynorsk (the partnership's documents
    then stay in nynorsk); every other organisation starts in bokmål."""
    Partnership = apps.get_model("partnerships", "Partnership")
    for partnership in Partnership.objects.all():
        lead = partnership.owners.order_by("name", "pk").first()
        if lead is None:
            continue
        partnership.lead_owner = lead
        partnership.save(update_fields=["lead_owner"])
        if partnership.language == "nn" and lead.language_form != "nn":
            lead.language_form = "nn"
            lead.save(update_fields=["language_form"])


def lead_owner_to_partnership_language(apps, schema_editor):
    Partnership = apps.get_model("partnerships", "Partnership")
    for partnership in Partnership.objects.select_related("lead_owner"):
        if partnership.lead_owner is not None:
            partnership.language = partnership.lead_owner.language_form
            partnership.save(update_fields=["language"])


class Migration(migrations.Migration):
    dependencies = [
        ("partnerships", "0004_planned_activities_and_feed_tokens"),
    ]

    operations = [
        migrations.AddField(
            model_name="organisation",
            name="language_form",
            field=models.CharField(
                choices=[("nb", "Bokmål"), ("nn", "Nynorsk")],
                default="nb",
                help_text=(
                    "Bokmål or nynorsk, as the organisation has adopted: letters and e-mail "
                    "to it use it."
                ),
                max_length=2,
                verbose_name="language form",
            ),
        ),
        migrations.AddField(
            model_name="partnership",
            name="lead_owner",
            field=models.ForeignKey(
                blank=True,
                help_text=(
                    "The partnership's documents and e-mail use this owner's language form. "
                    "Empty: the first owner."
                ),
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="led_partnerships",
                to="partnerships.organisation",
                verbose_name="lead owner",
            ),
        ),
        migrations.RunPython(
            partnership_language_to_lead_owner, lead_owner_to_partnership_language
        ),
        migrations.RemoveField(
            model_name="partnership",
            name="language",
        ),
    ]
