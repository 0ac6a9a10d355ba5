from django.conf import settings
from django.db import models
from django.db.models import Exists, OuterRef, Q, Subquery
from django.db.models.functions import JSONObject
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from partnerships.fields import AccountNumberField, OrgNumberField
from partnerships.models import (
    CountyOffice,
    Membership,
    Partnership,
    RuleSettings,
    Scheme,
    Tie,
)
from portal.access import (
    AccessQuerySet,
    forum_county_ids,
    member_partnership_ids,
    officer_county_ids,
    partnership_ids_with_role,
)
from portal.models import SubmittedVersion
from portal.texts import LONG, MEDIUM, text_field
from portal.workflow import NEED_REPORT_STEPS, Workflow, roles_on

# The rule settings a report's rule check reads (NeedReportQuerySet.with_rule_settings).
RULE_SETTING_FIELDS = (
    "min_uh_share_percent",
    "cofinancing_percent",
    "coordinator_cap",
    "max_measure_amount",
)


class NeedReportQuerySet(AccessQuerySet):
    def visible_to(self, user):
        """Members see their partnerships' reports; case officers and the members of the
        samarbeidsforum their county's, never drafts."""
        if not user.is_authenticated:
            return self.none()
        if user.is_superuser:
            return self.all()
        # Plain id lists (looked up once per request) instead of correlated subqueries:
        # PostgreSQL estimates them well, so it never scans the national measures table.
        member_ids = member_partnership_ids(user)
        visible = Q(partnership_id__in=member_ids)
        office_ids = officer_county_ids(user) | forum_county_ids(user)
        if office_ids:
            visible |= Q(partnership__region__county_office_id__in=office_ids) & ~Q(
                status=NeedReport.Status.DRAFT
            )
        return self.filter(visible)

    def editable_by(self, user):
        """Coordinators of the partnership, while the report is a draft or returned."""
        if not user.is_authenticated:
            return self.none()
        coordinator_of = partnership_ids_with_role(user, Membership.Role.COORDINATOR)
        return self.filter(
            partnership_id__in=coordinator_of, status__in=NeedReport.EDITABLE_STATUSES
        )

    def reviewable_by(self, user):
        """What the county office works on: the reports of the user's county offices, never
        drafts (an administrator: every report, as visible_to). The review queue, statistics
        and payment lists read this, not the member's view."""
        if user.is_authenticated and user.is_superuser:
            return self.all()
        return self.filter(
            partnership__region__county_office__in=CountyOffice.objects.editable_by(user)
        ).exclude(status=NeedReport.Status.DRAFT)

    def allocations_shown_to(self, user):
        """The reports whose allocations the user sees: allocations are the county office's
        work (reviewable_by) until the decision; once allocated, everyone who sees the report."""
        return self.visible_to(user).filter(status=NeedReport.Status.ALLOCATED) | self.filter(
            pk__in=NeedReport.objects.reviewable_by(user).values("pk")
        )

    def with_rule_settings(self):
        """`rs_found`: the rule settings of the report's county, scheme and year as
        {field: value}, or None when the county set none (then the model's defaults are in
        force), in the same query: one subquery (one per field cost every page that loads a
        report 1.5 ms of query building)."""
        found = RuleSettings.objects.filter(
            county_office=OuterRef("partnership__region__county_office"),
            scheme=OuterRef("scheme"),
            year=OuterRef("year"),
        ).order_by()
        values = JSONObject(**{name: name for name in RULE_SETTING_FIELDS})
        return self.annotate(
            rs_found=Subquery(found.values(json=values)[:1], output_field=models.JSONField())
        )

    def with_uh_flag(self):
        """`has_uh`: whether the partnership has a UH partner (then the UH must confirm)."""
        through = Partnership.uh_partners.through
        return self.annotate(
            has_uh=Exists(through.objects.filter(partnership_id=OuterRef("partnership_id")))
        )


class NeedReport(models.Model):
    """Behovsmelding: one per partnership, scheme and year."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted")
        RETURNED = "returned", _("Returned for changes")
        REVIEWED = "reviewed", _("Reviewed")
        ALLOCATED = "allocated", _("Allocated")
        REJECTED = "rejected", _("Rejected")

    workflow = Workflow(NEED_REPORT_STEPS, status_labels=lambda: dict(NeedReport.Status.choices))
    EDITABLE_STATUSES = workflow.states_allowing("edit")

    partnership = models.ForeignKey(
        Partnership,
        on_delete=models.PROTECT,
        related_name="need_reports",
        verbose_name=_("partnership"),
    )
    scheme = models.ForeignKey(Scheme, on_delete=models.PROTECT, verbose_name=_("scheme"))
    year = models.PositiveSmallIntegerField(_("year"))
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.DRAFT
    )
    lock_version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    return_message = text_field(_("message from the county office"), blank=True, max_length=LONG)

    # Contacts, prefilled from the organisations and editable per report.
    owner_contact_name = models.CharField(_("name"), max_length=200, blank=True)
    owner_contact_role = models.CharField(_("role"), max_length=200, blank=True)
    owner_contact_phone = models.CharField(_("phone"), max_length=30, blank=True)
    owner_contact_email = models.EmailField(_("e-mail"), blank=True)
    owner_account_number = AccountNumberField(_("account number"), blank=True)
    owner_org_number = OrgNumberField(_("organisation number"), blank=True)
    owner_payment_reference = models.CharField(_("payment reference"), max_length=200, blank=True)
    uh_contact_name = models.CharField(_("name"), max_length=200, blank=True)
    uh_contact_role = models.CharField(_("role"), max_length=200, blank=True)
    uh_contact_phone = models.CharField(_("phone"), max_length=30, blank=True)
    uh_contact_email = models.EmailField(_("e-mail"), blank=True)
    uh_account_number = AccountNumberField(_("account number"), blank=True)
    uh_org_number = OrgNumberField(_("organisation number"), blank=True)
    uh_payment_reference = models.CharField(_("payment reference"), max_length=200, blank=True)

    codetermination_discussed = models.BooleanField(
        _("discussed in co-determination"), null=True, blank=True
    )
    cofinancing_amount = models.PositiveBigIntegerField(
        _("owner co-financing (kr)"),
        null=True,
        blank=True,
        help_text=_("The owners' own contribution (egenandel), where the county requires one."),
    )
    municipal_kindergartens = models.PositiveIntegerField(
        _("municipal kindergartens"), null=True, blank=True
    )
    private_kindergartens = models.PositiveIntegerField(
        _("private kindergartens"), null=True, blank=True
    )
    public_schools = models.PositiveIntegerField(_("public schools"), null=True, blank=True)
    private_schools = models.PositiveIntegerField(_("private schools"), null=True, blank=True)
    pp_services = models.CharField(_("PP services"), max_length=200, blank=True)

    # The county office's side: samarbeidsforum priority and the decision.
    priority = models.PositiveIntegerField(_("priority"), null=True, blank=True)
    priority_note = text_field(_("note from the samarbeidsforum"), blank=True, max_length=MEDIUM)
    decision_reason = text_field(_("reason for the decision"), blank=True, max_length=LONG)
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    # Stored totals of the measures, kept by needs.totals.refresh_totals (checked by
    # `manage.py check_totals`): lists, queue, allocation and statistics read these.
    requested_owner = models.PositiveBigIntegerField(_("requested for owners (kr)"), default=0)
    requested_uh = models.PositiveBigIntegerField(_("requested for UH (kr)"), default=0)
    requested_coordinator = models.PositiveBigIntegerField(default=0)
    requested_total = models.PositiveBigIntegerField(_("requested in all (kr)"), default=0)
    allocated_owner = models.PositiveBigIntegerField(_("allocated to owners (kr)"), default=0)
    allocated_uh = models.PositiveBigIntegerField(_("allocated to UH (kr)"), default=0)
    allocated_total = models.PositiveBigIntegerField(_("allocated in all (kr)"), default=0)

    objects = NeedReportQuerySet.as_manager()

    class Meta:
        ordering = ["-year", "partnership__name", "scheme__order"]
        constraints = [
            models.UniqueConstraint(
                fields=["partnership", "scheme", "year"],
                name="one_report_per_partnership_scheme_year",
            ),
        ]
        verbose_name = _("need report")
        verbose_name_plural = _("need reports")

    def __str__(self):
        return f"{self.partnership} – {self.scheme} {self.year}"

    STORED_TOTALS = (
        "requested_owner",
        "requested_uh",
        "requested_coordinator",
        "requested_total",
        "allocated_owner",
        "allocated_uh",
        "allocated_total",
    )

    def save(self, *args, **kwargs):
        """A save never writes the stored totals: only needs.totals.refresh_totals does, so a
        report loaded before an amount changed cannot put its old totals back."""
        if not self._state.adding and kwargs.get("update_fields") is None:
            kwargs["update_fields"] = [
                f.name
                for f in self._meta.concrete_fields
                if not f.primary_key and f.name not in self.STORED_TOTALS
            ]
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("needs:detail", args=[self.pk])

    def roles_of(self, user):
        """The user's roles in the workflow table (needs `partnership__region` loaded)."""
        return roles_on(
            user,
            partnership_id=self.partnership_id,
            county_office_id=self.partnership.region.county_office_id,
        )

    def allows(self, action, user):
        """Whether `user` may take `action` now (to show it; acting checks again, locked)."""
        return self.workflow.allows(action, self.status, self.roles_of(user))

    def tie_of(self, user):
        """The user's first declared tie to this report's partnership, its owners or its UH
        partners (forvaltningsloven § 6), or None."""
        return (
            Tie.objects.filter(user=user)
            .touching(self.partnership)
            .select_related("organisation", "partnership")
            .first()
        )

    def next_version_number(self):
        """The number the next submission gets (1 for a report never submitted)."""
        return self.versions.count() + 1

    def rule_settings(self):
        """The rule settings in force (unsaved), from the with_rule_settings() annotations
        when the report was loaded with them; else None."""
        if not hasattr(self, "rs_found"):
            return None
        return RuleSettings(
            county_office_id=self.partnership.region.county_office_id,
            scheme_id=self.scheme_id,
            year=self.year,
            **(self.rs_found or {}),
        )

    @property
    def is_editable(self):
        return self.status in self.EDITABLE_STATUSES

    @property
    def latest_version(self):
        return self.versions.order_by("-number").first()


class OtherParty(models.Model):
    """The list of other owners and UH in the partnership, as written in the report."""

    class Kind(models.TextChoices):
        OWNER = "owner", _("Owner")
        UH = "uh", _("UH")

    report = models.ForeignKey(NeedReport, on_delete=models.CASCADE, related_name="other_parties")
    name = models.CharField(_("name of owner/UH"), max_length=200)
    contact_person = models.CharField(_("contact person"), max_length=200, blank=True)
    kind = models.CharField(_("owner/UH"), max_length=10, choices=Kind.choices)

    class Meta:
        ordering = ["pk"]
        verbose_name = _("other owner or UH")
        verbose_name_plural = _("other owners and UH")

    def __str__(self):
        return self.name


class CodeterminationParticipant(models.Model):
    report = models.ForeignKey(NeedReport, on_delete=models.CASCADE, related_name="participants")
    role = models.CharField(_("role"), max_length=200)
    name = models.CharField(_("name"), max_length=200)

    class Meta:
        ordering = ["pk"]
        verbose_name = _("participant in co-determination")
        verbose_name_plural = _("participants in co-determination")

    def __str__(self):
        return f"{self.role}: {self.name}"


class RuleException(models.Model):
    """The county office's documented exception to a rule for one report."""

    report = models.ForeignKey(NeedReport, on_delete=models.CASCADE, related_name="exceptions")
    code = models.CharField(_("rule"), max_length=50)
    justification = text_field(_("justification"), max_length=LONG)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["report", "code"], name="one_exception_per_rule")
        ]
        verbose_name = _("rule exception")
        verbose_name_plural = _("rule exceptions")

    def __str__(self):
        return f"{self.report} – {self.code}"


class ReportVersion(SubmittedVersion):
    """An immutable snapshot of a submitted need report (version 1, 2, …)."""

    report = models.ForeignKey(NeedReport, on_delete=models.CASCADE, related_name="versions")

    class Meta(SubmittedVersion.Meta):
        constraints = [
            models.UniqueConstraint(fields=["report", "number"], name="unique_report_version")
        ]

    def __str__(self):
        return f"{self.report} v{self.number}"


# The county office's side (frames, allocations, the change log) and the UH collaboration
# live in their own modules; imported here so Django registers their models.
from .models_allocation import Allocation, AuditEntry, Commitment, Frame  # noqa: E402, F401
from .models_change import ChangeLine, ChangeRequest  # noqa: E402, F401
from .models_collaboration import (  # noqa: E402, F401
    Activity,
    Comment,
    CommentRead,
    UhConfirmation,
)
from .models_forum import ForumRecommendation, Recusal  # noqa: E402, F401
