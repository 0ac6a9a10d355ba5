"""A county office's rule settings per scheme and year (the split rule's minimum UH share,
co-financing, the coordinator cap). Imported by partnerships/models.py, so they are models of
the partnerships app."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from portal.access import AccessQuerySet

# No measure in these schemes asks for more per part; a county may set another ceiling.
DEFAULT_MAX_MEASURE_AMOUNT = 50_000_000


class RuleSettingsQuerySet(AccessQuerySet):
    def visible_to(self, user):
        """The rule pages are the county office's: the same as editable_by."""
        return self.editable_by(user)

    def editable_by(self, user):
        offices = self.model._meta.get_field("county_office").related_model.objects
        return self.filter(county_office__in=offices.editable_by(user))


class RuleSettings(models.Model):
    """The rules of one county, scheme and year. Data, not code."""

    county_office = models.ForeignKey(
        "partnerships.CountyOffice",
        on_delete=models.CASCADE,
        related_name="rule_settings",
        verbose_name=_("county office"),
    )
    scheme = models.ForeignKey(
        "partnerships.Scheme", on_delete=models.PROTECT, verbose_name=_("scheme")
    )
    year = models.PositiveSmallIntegerField(_("year"))
    min_uh_share_percent = models.PositiveSmallIntegerField(
        _("minimum UH share (%)"),
        default=60,
        help_text=_("The lowest share of a need report's total that must go to UH."),
    )
    cofinancing_percent = models.PositiveSmallIntegerField(
        _("owner co-financing (%)"),
        null=True,
        blank=True,
        help_text=_("The owner's own contribution as a share of the grant it receives."),
    )
    coordinator_cap = models.PositiveBigIntegerField(
        _("cap on coordinator funds (kr)"),
        null=True,
        blank=True,
        help_text=_("The most a need report may ask for coordinator funds. Empty: no cap."),
    )

    max_measure_amount = models.PositiveBigIntegerField(
        _("highest amount per measure part (kr)"),
        default=DEFAULT_MAX_MEASURE_AMOUNT,
        help_text=_(
            "The most one amount of a measure may be (the owner's part, the UH's part, each "
            "continuation estimate). Catches typing errors such as extra digits."
        ),
    )

    objects = RuleSettingsQuerySet.as_manager()

    class Meta:
        ordering = ["-year", "scheme__order"]
        constraints = [
            models.UniqueConstraint(
                fields=["county_office", "scheme", "year"],
                name="unique_rule_settings",
                violation_error_message=_(
                    "This county office already has rule settings for this scheme and year. "
                    "Change those instead."
                ),
            ),
            models.CheckConstraint(
                condition=Q(min_uh_share_percent__lte=100),
                name="min_uh_share_percent_lte_100",
                violation_error_message=_("The minimum UH share cannot be more than 100 percent."),
            ),
            models.CheckConstraint(
                condition=Q(cofinancing_percent__isnull=True) | Q(cofinancing_percent__lte=100),
                name="cofinancing_percent_lte_100",
                violation_error_message=_(
                    "The owner co-financing cannot be more than 100 percent."
                ),
            ),
            models.CheckConstraint(
                condition=Q(max_measure_amount__gte=1),
                name="max_measure_amount_positive",
                violation_error_message=_(
                    "The highest amount per measure part must be at least 1 kr."
                ),
            ),
        ]
        verbose_name = _("rule settings")
        verbose_name_plural = _("rule settings")

    def __str__(self):
        return f"{self.county_office} – {self.scheme} – {self.year}"

    @classmethod
    def for_report(cls, county_office, scheme, year):
        """The settings in force; unsaved defaults when the county has set none."""
        # One row at most (unique): no ordering, so no join of the schemes for "scheme__order".
        found = (
            cls.objects.filter(county_office=county_office, scheme=scheme, year=year)
            .order_by()
            .first()
        )
        return found or cls(
            county_office_id=getattr(county_office, "pk", county_office),
            scheme_id=getattr(scheme, "pk", scheme),
            year=year,
        )


# The regional activity plan lives in its own module; imported here so Django registers it.
