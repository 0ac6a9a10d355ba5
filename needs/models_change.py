"""Change requests (endringssøknader) to an allocated need report: move money between its
measures within the allocation, or change a measure's content, half-years or continuation
estimates. Their life cycle is the workflow's CHANGE_REQUEST_STEPS; writes are in
needs/changes.py. Imported by needs/models.py."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from partnerships.models import Membership
from portal import workflow
from portal.access import AccessQuerySet, member_partnership_ids, partnership_ids_with_role
from portal.texts import LONG, text_field
from portal.workflow import CHANGE_REQUEST_STEPS, Workflow, roles_on


class ChangeRequestQuerySet(AccessQuerySet):
    def visible_to(self, user):
        """The partnership's members see all of them; the county office (reviewable_by)
        those that are no longer drafts."""
        if not user.is_authenticated:
            return self.none()
        reports = self.model.report.field.related_model.objects
        return self.filter(
            Q(report__partnership_id__in=member_partnership_ids(user))
            | (Q(report__in=reports.reviewable_by(user)) & ~Q(status=ChangeRequest.Status.DRAFT))
        )

    def editable_by(self, user):
        """The partnership's coordinators, while it is a draft."""
        if not user.is_authenticated:
            return self.none()
        coordinator_of = partnership_ids_with_role(user, Membership.Role.COORDINATOR)
        return self.filter(
            report__partnership_id__in=coordinator_of, status__in=ChangeRequest.EDITABLE
        )


class ChangeRequest(models.Model):
    class Status(models.TextChoices):
        DRAFT = workflow.DRAFT, _("Draft")
        SUBMITTED = workflow.SUBMITTED, _("Waiting for UH")
        UH_CONFIRMED = workflow.UH_CONFIRMED, _("Confirmed by UH")
        APPROVED = workflow.APPROVED, _("Approved")
        REJECTED = workflow.REJECTED, _("Rejected")
        WITHDRAWN = workflow.WITHDRAWN, _("Withdrawn")

    workflow = Workflow(
        CHANGE_REQUEST_STEPS, status_labels=lambda: dict(ChangeRequest.Status.choices)
    )
    EDITABLE = workflow.states_allowing("edit")
    OPEN = (Status.DRAFT, Status.SUBMITTED, Status.UH_CONFIRMED)

    report = models.ForeignKey(
        "needs.NeedReport", on_delete=models.CASCADE, related_name="change_requests"
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.DRAFT
    )
    reason = text_field(_("why the change is needed"), blank=True, max_length=LONG)
    lock_version = models.PositiveIntegerField(default=1)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    uh_confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    uh_confirmed_at = models.DateTimeField(_("confirmed by UH"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    decision_reason = text_field(_("the county office's reason"), blank=True, max_length=LONG)

    objects = ChangeRequestQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["report"],
                condition=Q(status__in=[workflow.DRAFT, workflow.SUBMITTED, workflow.UH_CONFIRMED]),
                name="one_open_change_request_per_report",
            )
        ]
        verbose_name = _("change request")
        verbose_name_plural = _("change requests")

    def __str__(self):
        return f"{self.report} – {self.pk}"

    def get_absolute_url(self):
        return reverse("needs:change_request", args=[self.pk])

    def roles_of(self, user):
        """The user's roles in the workflow table (needs `report__partnership__region`)."""
        return roles_on(
            user,
            partnership_id=self.report.partnership_id,
            county_office_id=self.report.partnership.region.county_office_id,
        )

    def allows(self, action, user):
        return self.workflow.allows(action, self.status, self.roles_of(user))


class ChangeLine(models.Model):
    """One measure's proposed change: the values before (when last saved; checked again
    when approved) and after, keyed as in needs.changes.FIELDS."""

    change_request = models.ForeignKey(
        ChangeRequest, on_delete=models.CASCADE, related_name="lines"
    )
    measure = models.ForeignKey("measures.Measure", on_delete=models.CASCADE, related_name="+")
    before = models.JSONField(default=dict)
    after = models.JSONField(default=dict)

    class Meta:
        ordering = ["measure__position", "measure_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["change_request", "measure"], name="one_change_line_per_measure"
            )
        ]
        verbose_name = _("changed measure")
        verbose_name_plural = _("changed measures")

    def __str__(self):
        return f"{self.change_request}: {self.measure_id}"
