from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from needs.models import NeedReport
from portal.access import AccessQuerySet
from portal.texts import LONG, MEDIUM, SHORT, text_field

from . import amounts

# The four answers of the form and how the owner's and the UH's parts are used, in form order.
NARRATIVE_FIELDS = (
    "anchoring",
    "collective_development",
    "teacher_education",
    "long_term_plan",
    "owner_use",
    "uh_use",
)


class MeasureQuerySet(AccessQuerySet):
    """Access to a measure is access to its need report."""

    def visible_to(self, user):
        return self.filter(report__in=NeedReport.objects.visible_to(user))

    def editable_by(self, user):
        return self.filter(report__in=NeedReport.objects.editable_by(user))


class Measure(models.Model):
    """Tiltak: one measure of a need report, with its owner and UH budgets."""

    class Purpose(models.TextChoices):
        ASSESSMENT = "assessment", _("Assessment/analysis")
        PLANNING = "planning", _("Planning of measures")
        IMPLEMENTATION = "implementation", _("Implementation of measures")

    report = models.ForeignKey(NeedReport, on_delete=models.CASCADE, related_name="measures")
    position = models.PositiveIntegerField(default=0)
    lock_version = models.PositiveIntegerField(default=1)
    updated_at = models.DateTimeField(auto_now=True)
    is_continuation = models.BooleanField(_("continuation of last year's measure"), default=False)
    continued_from = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    name = models.CharField(_("name of the measure"), max_length=300, blank=True)
    owner_amount = models.PositiveBigIntegerField(amounts.LABELS["owner_amount"], default=0)
    uh_amount = models.PositiveBigIntegerField(amounts.LABELS["uh_amount"], default=0)
    purpose = models.CharField(
        _("what the grant is for"), max_length=20, choices=Purpose.choices, blank=True
    )
    anchoring = text_field(
        _(
            "How is the measure anchored in each kindergarten and school, involving staff and "
            "leaders, and in professional dialogue with UH?"
        ),
        blank=True,
        max_length=LONG,
    )
    collective_development = text_field(
        _(
            "How will the measure promote collective processes for professional development "
            "that develop the kindergarten or school?"
        ),
        blank=True,
        max_length=LONG,
    )
    teacher_education = text_field(
        _("How does this collaboration help strengthen teacher education?"),
        blank=True,
        max_length=LONG,
    )
    long_term_plan = text_field(
        _("How is this measure anchored in the long-term plan?"), blank=True, max_length=LONG
    )
    owner_use = text_field(_("How the owner's part will be used"), blank=True, max_length=LONG)
    uh_use = text_field(_("How the UH's part will be used"), blank=True, max_length=LONG)
    coordinator_funds_needed = models.BooleanField(
        _("Are coordinator funds needed for this measure?"), null=True, blank=True
    )
    coordinator_amount = models.PositiveBigIntegerField(
        _("of which coordinator funds (kr)"), null=True, blank=True
    )
    coordinator_justification = text_field(_("justification"), blank=True, max_length=MEDIUM)
    spring_this_year = models.BooleanField(_("spring"), default=False)
    autumn_this_year = models.BooleanField(_("autumn"), default=False)
    spring_next_year = models.BooleanField(_("spring next year"), default=False)
    target_group = text_field(_("target group"), blank=True, max_length=SHORT)

    # Continuation estimates after the school year: autumn Y+1, Y+2 and Y+3
    # (amounts.CONTINUATION_FIELDS).
    cont1_owner = models.PositiveBigIntegerField(null=True, blank=True)
    cont1_owner_reason = text_field(blank=True, max_length=MEDIUM)
    cont1_uh = models.PositiveBigIntegerField(null=True, blank=True)
    cont1_uh_reason = text_field(blank=True, max_length=MEDIUM)
    cont2_owner = models.PositiveBigIntegerField(null=True, blank=True)
    cont2_owner_reason = text_field(blank=True, max_length=MEDIUM)
    cont2_uh = models.PositiveBigIntegerField(null=True, blank=True)
    cont2_uh_reason = text_field(blank=True, max_length=MEDIUM)
    cont3_owner = models.PositiveBigIntegerField(null=True, blank=True)
    cont3_owner_reason = text_field(blank=True, max_length=MEDIUM)
    cont3_uh = models.PositiveBigIntegerField(null=True, blank=True)
    cont3_uh_reason = text_field(blank=True, max_length=MEDIUM)

    objects = MeasureQuerySet.as_manager()

    class Meta:
        ordering = ["position", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(owner_amount__gte=0) & Q(uh_amount__gte=0),
                name="measure_amounts_not_negative",
            ),
            models.CheckConstraint(
                condition=Q(owner_amount__lte=10**12) & Q(uh_amount__lte=10**12),
                name="measure_amounts_not_absurd",
            ),
        ]
        indexes = [models.Index(fields=["report", "position"])]
        verbose_name = _("measure")
        verbose_name_plural = _("measures")

    def __str__(self):
        return self.name or str(_("(unnamed measure)"))

    def get_absolute_url(self):
        return reverse("measures:edit", args=[self.report_id, self.pk])

    # The amounts a UH confirmation covers: changing any of them clears it.
    AMOUNT_FIELDS = amounts.AMOUNT_FIELDS

    @property
    def total(self):
        return self.owner_amount + self.uh_amount

    def amounts(self):
        return [getattr(self, name) for name in self.AMOUNT_FIELDS]

    @classmethod
    def amount_label(cls, name, year):
        """The label of an amount field as the measure form shows it for a report's year."""
        return amounts.amount_label(name, year)

    def continuation_rows(self, year):
        """[(label, owner, owner reason, uh, uh reason)] for autumn Y+1, Y+2, Y+3."""
        return [
            (
                amounts.continuation_period(i, year),
                getattr(self, f"cont{i}_owner"),
                getattr(self, f"cont{i}_owner_reason"),
                getattr(self, f"cont{i}_uh"),
                getattr(self, f"cont{i}_uh_reason"),
            )
            for i in amounts.CONTINUATION_YEARS
        ]
