"""The annual report's comments and UH confirmation move into the shared tables of
needs.collaboration (Comment and UhConfirmation with `annual_report` set)."""

from django.db import migrations

EDITABLE = ("draft", "returned")


def to_shared(apps, schema_editor):
    AnnualComment = apps.get_model("reporting", "AnnualComment")
    AnnualReport = apps.get_model("reporting", "AnnualReport")
    Comment = apps.get_model("needs", "Comment")
    UhConfirmation = apps.get_model("needs", "UhConfirmation")
    Comment.objects.bulk_create(
        Comment(
            report_id=c.annual_report.need_report_id,
            annual_report_id=c.annual_report_id,
            author_id=c.author_id,
            text=c.text,
            created_at=c.created_at,
        )
        for c in AnnualComment.objects.select_related("annual_report").order_by("pk")
    )
    for annual in AnnualReport.objects.filter(uh_confirmed_at__isnull=False):
        # For the version being written, or once submitted, for the submitted one.
        submitted = annual.versions.count()
        UhConfirmation.objects.create(
            report_id=annual.need_report_id,
            annual_report=annual,
            version_number=submitted + 1 if annual.status in EDITABLE else submitted,
            amounts={key: [used] for key, used in annual.uh_confirmed_amounts.items()},
            confirmed_by_id=annual.uh_confirmed_by_id,
            confirmed_at=annual.uh_confirmed_at,
        )


def from_shared(apps, schema_editor):
    AnnualComment = apps.get_model("reporting", "AnnualComment")
    AnnualReport = apps.get_model("reporting", "AnnualReport")
    Comment = apps.get_model("needs", "Comment")
    UhConfirmation = apps.get_model("needs", "UhConfirmation")
    shared = Comment.objects.filter(annual_report__isnull=False, deleted_at__isnull=True)
    AnnualComment.objects.bulk_create(
        AnnualComment(
            annual_report_id=c.annual_report_id,
            author_id=c.author_id,
            text=c.text,
            created_at=c.created_at,
        )
        for c in shared.order_by("pk")
    )
    confirmations = UhConfirmation.objects.filter(annual_report__isnull=False)
    for c in confirmations.filter(cleared_at__isnull=True).order_by("confirmed_at", "pk"):
        AnnualReport.objects.filter(pk=c.annual_report_id).update(
            uh_confirmed_at=c.confirmed_at,
            uh_confirmed_by_id=c.confirmed_by_id,
            uh_confirmed_amounts={key: used[0] for key, used in c.amounts.items()},
        )
    Comment.objects.filter(annual_report__isnull=False).delete()
    confirmations.delete()


class Migration(migrations.Migration):
    dependencies = [
        ("reporting", "0002_annual_report"),
        ("needs", "0005_collaboration_annual_report"),
    ]

    operations = [
        migrations.RunPython(to_shared, from_shared),
    ]
