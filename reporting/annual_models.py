"""The annual report (rapport): how an allocated need report's funds were used, and what came of
them. One per allocated need report; per measure the amounts used against the allocation and
the evaluation in three parts (seed 004: effect/result, process, structure).

Imported from reporting/models.py so Django finds the models in the `reporting` app.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from portal.access import (
    AccessQuerySet,
    member_partnership_ids,
    officer_county_ids,
    partnership_ids_with_role,
)
from portal.models import SubmittedVersion
from portal.texts import LONG, text_field
from portal.workflow import ANNUAL_REPORT_STEPS, Workflow, roles_on


class AnnualReportQuerySet(AccessQuerySet):
    def visible_to(self, user):
        """Members see their partnerships' annual reports; case officers their county's,
        never drafts (as with need reports)."""
        if not user.is_authenticated:
            return self.none()
        if user.is_superuser:
            return self.all()
        visible = Q(need_report__partnership_id__in=member_partnership_ids(user))
        office_ids = officer_county_ids(user)
        if office_ids:
            visible |= Q(need_report__partnership__region__county_office_id__in=office_ids) & ~Q(
                status=AnnualReport.Status.DRAFT
            )
        return self.filter(visible)

    def editable_by(self, user):
        """Coordinators of the partnership, while it is a draft or returned."""
        if not user.is_authenticated:
            return self.none()
        from partnerships.models import Membership

        coordinator_of = partnership_ids_with_role(user, Membership.Role.COORDINATOR)
        return self.filter(
            need_report__partnership_id__in=coordinator_of,
            status__in=AnnualReport.EDITABLE_STATUSES,
        )


class AnnualReport(models.Model):
    """Rapport: the year's report on an allocated need report."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted")
        RETURNED = "returned", _("Returned for changes")
        APPROVED = "approved", _("Approved")

    class UnusedHandling(models.TextChoices):
        RETURNED = "returned", _("Paid back to the county office")
        CARRIED_OVER = "carried_over", _("Carried over to next year")

    workflow = Workflow(
        ANNUAL_REPORT_STEPS, status_labels=lambda: dict(AnnualReport.Status.choices)
    )
    EDITABLE_STATUSES = workflow.states_allowing("edit")

    need_report = models.OneToOneField(
        "needs.NeedReport",
        on_delete=models.CASCADE,
        related_name="annual_report",
        verbose_name=_("need report"),
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.DRAFT
    )
    lock_version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    unused_note = text_field(
        _("about unused funds"),
        blank=True,
        help_text=_(
            "Why funds were not used, and whether you ask to carry them over to next year. "
            "The county office decides."
        ),
        max_length=LONG,
    )
    unused_handling = models.CharField(
        _("unused funds"), max_length=20, choices=UnusedHandling.choices, blank=True
    )
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    return_message = text_field(_("message from the county office"), blank=True, max_length=LONG)
    decided_at = models.DateTimeField(_("approved"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    objects = AnnualReportQuerySet.as_manager()

    class Meta:
        verbose_name = _("annual report")
        verbose_name_plural = _("annual reports")

    def __str__(self):
        return f"{self.need_report} – {self._meta.verbose_name}"

    def get_absolute_url(self):
        return reverse("reporting:annual_detail", args=[self.need_report_id])

    @property
    def is_editable(self):
        return self.status in self.EDITABLE_STATUSES

    def roles_of(self, user):
        """The user's roles in the workflow table (needs `need_report__partnership__region`)."""
        partnership = self.need_report.partnership
        return roles_on(
            user,
            partnership_id=partnership.pk,
            county_office_id=partnership.region.county_office_id,
        )

    def allows(self, action, user):
        return self.workflow.allows(action, self.status, self.roles_of(user))

    def next_version_number(self):
        return self.versions.count() + 1

    def uh_amounts(self):
        """What the UH confirms (needs.collaboration): ({measure id: [UH amount used]},
        the measures in order, the field names)."""
        lines = list(self.lines.select_related("measure"))
        amounts = {str(line.measure_id): [line.uh_used] for line in lines}
        return amounts, [line.measure for line in lines], ("uh_used",)


class AnnualMeasure(models.Model):
    """One measure in the annual report: what was used, and the evaluation."""

    annual_report = models.ForeignKey(AnnualReport, on_delete=models.CASCADE, related_name="lines")
    measure = models.ForeignKey(
        "measures.Measure", on_delete=models.CASCADE, related_name="+", verbose_name=_("measure")
    )
    owner_used = models.PositiveBigIntegerField(_("used by the owner (kr)"), null=True, blank=True)
    uh_used = models.PositiveBigIntegerField(_("used by UH (kr)"), null=True, blank=True)
    effect = text_field(
        _("Effect and results: what came of the measure for children, pupils and staff?"),
        blank=True,
        max_length=LONG,
    )
    process = text_field(
        _("Process: how was the measure carried out, and how did the collaboration with UH work?"),
        blank=True,
        max_length=LONG,
    )
    structure = text_field(
        _("Structure: how is the work anchored and organised, and what will be continued?"),
        blank=True,
        max_length=LONG,
    )
    plan_changes = text_field(
        _("Changes to the plan for years 2 and 3"),
        blank=True,
        help_text=_("For multi-year measures: what should change in the coming years, and why."),
        max_length=LONG,
    )

    class Meta:
        ordering = ["measure__position", "measure_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["annual_report", "measure"], name="one_annual_line_per_measure"
            ),
            models.CheckConstraint(
                condition=(Q(owner_used__isnull=True) | Q(owner_used__gte=0))
                & (Q(uh_used__isnull=True) | Q(uh_used__gte=0)),
                name="annual_spending_not_negative",
            ),
        ]
        verbose_name = _("measure in the annual report")
        verbose_name_plural = _("measures in the annual report")

    def __str__(self):
        return str(self.measure)


class AnnualReportVersion(SubmittedVersion):
    """An immutable snapshot of a submitted annual report (version 1, 2, …)."""

    annual_report = models.ForeignKey(
        AnnualReport, on_delete=models.CASCADE, related_name="versions"
    )

    class Meta(SubmittedVersion.Meta):
        constraints = [
            models.UniqueConstraint(
                fields=["annual_report", "number"], name="unique_annual_report_version"
            )
        ]

    def __str__(self):
        return f"{self.annual_report} v{self.number}"
