"""The annual-report deadline gets one home: each AnnualReportDeadline (per county office and
year) becomes Deadline rows of kind annual_report for that county and year, one per scheme
with need reports there that year (every scheme when there are none), then the old model
goes. A Deadline already set for the same county, scheme and year is kept as it is (it was
set on the deadlines page, per scheme, and is what the reminders already used).
"""

from django.db import migrations

ANNUAL_REPORT = "annual_report"


def forwards(apps, schema_editor):
    AnnualReportDeadline = apps.get_model("reporting", "AnnualReportDeadline")
    Deadline = apps.get_model("reporting", "Deadline")
    NeedReport = apps.get_model("needs", "NeedReport")
    Scheme = apps.get_model("partnerships", "Scheme")
    every_scheme = list(Scheme.objects.values_list("pk", flat=True))
    for old in AnnualReportDeadline.objects.all():
        schemes = set(
            NeedReport.objects.filter(
                partnership__region__county_office_id=old.county_office_id, year=old.year
            ).values_list("scheme_id", flat=True)
        ) or set(every_scheme)
        for scheme_id in sorted(schemes):
            Deadline.objects.get_or_create(
                county_office_id=old.county_office_id,
                scheme_id=scheme_id,
                year=old.year,
                kind=ANNUAL_REPORT,
                defaults={"due_date": old.due_date, "set_by_id": old.set_by_id},
            )


def backwards(apps, schema_editor):
    """Back to one date per county office and year: the earliest of its schemes'."""
    AnnualReportDeadline = apps.get_model("reporting", "AnnualReportDeadline")
    Deadline = apps.get_model("reporting", "Deadline")
    for deadline in Deadline.objects.filter(kind=ANNUAL_REPORT).order_by("due_date"):
        AnnualReportDeadline.objects.get_or_create(
            county_office_id=deadline.county_office_id,
            year=deadline.year,
            defaults={"due_date": deadline.due_date, "set_by_id": deadline.set_by_id},
        )


class Migration(migrations.Migration):
    dependencies = [
        ("needs", "0001_initial"),
        ("partnerships", "0001_initial"),
        ("reporting", "0009_norwegian_names_and_constraint_messages"),
    ]

    operations = [
        migrations.RunPython(forwards, backwards),
        migrations.DeleteModel(name="AnnualReportDeadline"),
    ]
