from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from portal.access import AccessQuerySet
from portal.texts import DOCUMENT, text_field


class StoredPdfQuerySet(AccessQuerySet):
    """A stored PDF is seen by whoever sees its need report; nobody changes one."""

    def visible_to(self, user):
        from needs.models import NeedReport

        return self.filter(version__report__in=NeedReport.objects.visible_to(user))

    def editable_by(self, user):
        return self.none()


class StoredPdf(models.Model):
    """The PDF of a submitted version, rendered once from its snapshot and never again."""

    version = models.OneToOneField(
        "needs.ReportVersion", on_delete=models.CASCADE, related_name="stored_pdf"
    )
    file = models.FileField(upload_to="pdfs/versions/")
    sha256 = models.CharField(max_length=64)
    size = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = StoredPdfQuerySet.as_manager()

    class Meta:
        verbose_name = _("stored PDF")
        verbose_name_plural = _("stored PDFs")

    def __str__(self):
        return f"{self.version} ({self.sha256[:12]})"


DEFAULT_CONDITIONS = _(
    "The grant may only be used for the measures described in the need report, as allocated "
    "in this letter. Funds that are not used for the purpose must be repaid to the county "
    "office. The partnership reports on the use of the funds and the results of the measures "
    "to the collaboration forum (samarbeidsforum) by 1 February next year. The county office "
    "may check that the grant is used as conditioned."
)


class LetterSettings(models.Model):
    """The county office's conditions text and signer for its allocation letters."""

    county_office = models.ForeignKey(
        "partnerships.CountyOffice",
        on_delete=models.CASCADE,
        related_name="letter_settings",
        verbose_name=_("county office"),
    )
    scheme = models.ForeignKey(
        "partnerships.Scheme", on_delete=models.PROTECT, verbose_name=_("scheme")
    )
    year = models.PositiveSmallIntegerField(_("year"))
    conditions = text_field(_("conditions"), max_length=DOCUMENT)
    signer_name = models.CharField(_("signed by (name)"), max_length=200, blank=True)
    signer_title = models.CharField(_("signed by (title)"), max_length=200, blank=True)
    case_number = models.CharField(
        _("case number (our reference)"),
        max_length=50,
        blank=True,
        help_text=_(
            "The archive's case number, shown as “Our ref.” in the letters, e.g. 2026/1234."
        ),
    )
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["county_office", "scheme", "year"],
                name="one_letter_per_county_scheme_year",
                violation_error_message=_(
                    "There are already letter settings for this county office, scheme and year."
                ),
            )
        ]
        verbose_name = _("allocation letter settings")
        verbose_name_plural = _("allocation letter settings")

    def __str__(self):
        return f"{self.county_office} – {self.scheme} {self.year}"

    @classmethod
    def for_letter(cls, county_office_id, scheme_id, year):
        """The saved settings, or unsaved ones with the default conditions."""
        found = cls.objects.filter(
            county_office_id=county_office_id, scheme_id=scheme_id, year=year
        ).first()
        return found or cls(
            county_office_id=county_office_id, scheme_id=scheme_id, year=year, conditions=""
        )

    @property
    def conditions_text(self):
        return self.conditions or DEFAULT_CONDITIONS


class ExportJobQuerySet(AccessQuerySet):
    def active(self):
        return self.filter(status__in=ExportJob.ACTIVE)

    def visible_to(self, user):
        """A county's exports are its case officers' (and administrators')."""
        from partnerships.models import CountyOffice

        return self.filter(county_office__in=CountyOffice.objects.editable_by(user))

    def editable_by(self, user):
        return self.visible_to(user)


class ExportJob(models.Model):
    """A ZIP of all PDFs for a county, scheme and year, built on the task worker in parts
    (reporting.tasks)."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Running")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")

    ACTIVE = (Status.QUEUED, Status.RUNNING)

    county_office = models.ForeignKey(
        "partnerships.CountyOffice",
        on_delete=models.CASCADE,
        related_name="export_jobs",
        verbose_name=_("county office"),
    )
    scheme = models.ForeignKey(
        "partnerships.Scheme", on_delete=models.PROTECT, verbose_name=_("scheme")
    )
    year = models.PositiveSmallIntegerField(_("year"))
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.QUEUED
    )
    progress = models.PositiveIntegerField(default=0)
    total = models.PositiveIntegerField(default=0)
    # The job's reports are rendered in parts, one task each; the last part assembles the ZIP.
    parts_total = models.PositiveIntegerField(default=0)
    parts_done = models.PositiveIntegerField(default=0)
    file = models.FileField(upload_to="exports/", blank=True)
    error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    # Touched on every step: a running job that stops moving has lost its worker.
    heartbeat_at = models.DateTimeField(auto_now=True)

    objects = ExportJobQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["county_office", "scheme", "year"],
                condition=Q(status__in=["queued", "running"]),
                name="one_active_export_per_county_scheme_year",
            )
        ]
        verbose_name = _("PDF export")
        verbose_name_plural = _("PDF exports")

    def __str__(self):
        return f"{self.county_office} – {self.scheme} {self.year} ({self.status})"

    @property
    def is_active(self):
        return self.status in self.ACTIVE

    @property
    def filename(self):
        return f"behovsmeldinger-{self.scheme.code}-{self.year}-{self.pk}.zip"


# The annual report lives in its own module; imported here so Django registers the models.
from .annual_models import (  # noqa: E402, F401
    AnnualMeasure,
    AnnualReport,
    AnnualReportVersion,
)
from .models_deadlines import Deadline, ReminderSent  # noqa: E402, F401
