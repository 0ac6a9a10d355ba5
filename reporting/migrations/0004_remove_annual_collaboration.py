"""The annual report's own comments and UH confirmation fields, now in the shared tables
(0003)."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("reporting", "0003_shared_collaboration")]

    operations = [
        migrations.RemoveField(model_name="annualreport", name="uh_confirmation_cleared_at"),
        migrations.RemoveField(model_name="annualreport", name="uh_confirmed_amounts"),
        migrations.RemoveField(model_name="annualreport", name="uh_confirmed_at"),
        migrations.RemoveField(model_name="annualreport", name="uh_confirmed_by"),
        migrations.DeleteModel(name="AnnualComment"),
    ]
