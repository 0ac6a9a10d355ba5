from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from portal import workflow
from portal.access import (
    AccessQuerySet,
    forum_county_ids,
    member_partnership_ids,
    officer_county_ids,
    partnership_ids_with_role,
)

from .fields import AccountNumberField, OrgNumberField


class CountyOfficeQuerySet(AccessQuerySet):
    def visible_to(self, user):
        """The offices' names are public within the portal."""
        return self.all() if user.is_authenticated else self.none()

    def editable_by(self, user):
        """The offices whose work the user does: their own as case officer; every one for an
        administrator."""
        if not user.is_authenticated:
            return self.none()
        if user.is_superuser:
            return self.all()
        office_ids = officer_county_ids(user)
        # none() for a user with no office, so that require_officer asks no query.
        return self.filter(pk__in=office_ids) if office_ids else self.none()

    def forum_of(self, user):
        """The offices whose samarbeidsforum the user is a member of."""
        if not user.is_authenticated:
            return self.none()
        office_ids = forum_county_ids(user)
        return self.filter(pk__in=office_ids) if office_ids else self.none()

    def choices_for(self, user):
        """The offices of editable_by(user) that a filter offers to choose between: none()
        (known without a query) for a case officer of a single office, who has no choice."""
        if user.is_authenticated and not user.is_superuser and len(officer_county_ids(user)) < 2:
            return self.none()
        return self.editable_by(user)


class CountyOffice(models.Model):
    """Statsforvalteren i <county>: reviews and funds the county's partnerships."""

    name = models.CharField(_("name"), max_length=200, unique=True)
    county = models.CharField(_("county"), max_length=100)
    officers = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        through="CountyMembership",
        related_name="county_offices",
        verbose_name=_("case officers"),
    )

    objects = CountyOfficeQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("county office")
        verbose_name_plural = _("county offices")

    def __str__(self):
        return self.name


class CountyMembership(models.Model):
    """A case officer of a county office."""

    county_office = models.ForeignKey(
        CountyOffice, on_delete=models.CASCADE, verbose_name=_("county office")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, verbose_name=_("user")
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["county_office", "user"],
                name="unique_county_member",
                violation_error_message=_("This user is already a case officer here."),
            )
        ]
        verbose_name = _("case officer")
        verbose_name_plural = _("case officers")

    def __str__(self):
        return f"{self.user} – {self.county_office}"


class Region(models.Model):
    """Kompetanseregion, e.g. Salten."""

    county_office = models.ForeignKey(
        CountyOffice,
        on_delete=models.PROTECT,
        related_name="regions",
        verbose_name=_("county office"),
    )
    name = models.CharField(_("name"), max_length=100)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["county_office", "name"],
                name="unique_region_name",
                violation_error_message=_(
                    "This county office already has a region with this name."
                ),
            )
        ]
        verbose_name = _("competence region")
        verbose_name_plural = _("competence regions")

    def __str__(self):
        return self.name


class Scheme(models.Model):
    """Rekom, Dekom or Kompetanseløftet."""

    REKOM = "rekom"
    DEKOM = "dekom"
    KOMPETANSELOFTET = "kompetanseloftet"

    code = models.SlugField(_("code"), max_length=30, unique=True)
    name = models.CharField(_("name"), max_length=200)
    short_name = models.CharField(_("short name"), max_length=50)
    summary_label = models.CharField(_("label in the summary table"), max_length=50)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["order"]
        verbose_name = _("scheme")
        verbose_name_plural = _("schemes")

    def __str__(self):
        return self.short_name


class OrganisationQuerySet(AccessQuerySet):
    def owners(self):
        return self.exclude(kind=Organisation.Kind.UH)

    def universities(self):
        return self.filter(kind=Organisation.Kind.UH)

    def visible_to(self, user):
        """Case officers see their counties' organisations, those without a county (UH
        used across counties) and those their counties' partnerships use; administrators all."""
        if not user.is_authenticated:
            return self.none()
        if user.is_superuser:
            return self.all()
        office_ids = officer_county_ids(user)
        if not office_ids:
            return self.none()
        used = Partnership.objects.filter(region__county_office_id__in=office_ids)
        return self.filter(
            Q(county_office_id__in=office_ids)
            | Q(county_office__isnull=True)
            | Q(pk__in=used.values("owners"))
            | Q(pk__in=used.values("uh_partners"))
        )

    def editable_by(self, user):
        """Administrators change every organisation; a case officer only those of their own
        counties (an organisation without a county, a UH used across counties, only
        administrators)."""
        if not user.is_authenticated:
            return self.none()
        if user.is_superuser:
            return self.all()
        return self.filter(county_office_id__in=officer_county_ids(user))

    def declarable_by(self, user):
        """What a forum member or case officer may declare a tie to: the organisations of
        their counties (as officer or forum member) and those without a county (UH)."""
        if not user.is_authenticated:
            return self.none()
        if user.is_superuser:
            return self.all()
        office_ids = officer_county_ids(user) | forum_county_ids(user)
        return self.filter(Q(county_office_id__in=office_ids) | Q(county_office__isnull=True))

    def in_use(self):
        """Organisations that some partnership has as owner or UH partner."""
        return self.filter(
            Q(pk__in=Partnership.owners.through.objects.values("organisation_id"))
            | Q(pk__in=Partnership.uh_partners.through.objects.values("organisation_id"))
        )


class LanguageForm(models.TextChoices):
    """The written form an organisation has adopted (språklova § 15): letters and mail to it
    are written in it."""

    NB = "nb", _("Bokmål")
    NN = "nn", _("Nynorsk")


class Organisation(models.Model):
    """A school/kindergarten owner or a university/college (UH)."""

    class Kind(models.TextChoices):
        MUNICIPALITY = "municipality", _("Municipality")
        COUNTY_MUNICIPALITY = "county_municipality", _("County municipality")
        PRIVATE_OWNER = "private_owner", _("Private owner")
        UH = "uh", _("University or university college")

    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=30, choices=Kind.choices)
    org_number = OrgNumberField(
        _("organisation number"),
        unique=True,
        error_messages={
            "unique": _("An organisation with this organisation number is already registered.")
        },
    )
    account_number = AccountNumberField(_("account number"), blank=True)
    payment_reference = models.CharField(
        _("payment reference"),
        max_length=200,
        blank=True,
        help_text=_("What payments should be marked with."),
    )
    county_office = models.ForeignKey(
        CountyOffice,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="organisations",
        verbose_name=_("county office"),
        help_text=_("Owners belong to a county; a university may serve several."),
    )
    language_form = models.CharField(
        _("language form"),
        max_length=2,
        choices=LanguageForm.choices,
        default=LanguageForm.NB,
        help_text=_(
            "Bokmål or nynorsk, as the organisation has adopted: letters and e-mail to it use it."
        ),
    )

    objects = OrganisationQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("partnerships:organisation_edit", args=[self.pk])

    @property
    def is_uh(self):
        return self.kind == self.Kind.UH

    def is_used(self):
        """Whether a partnership has it as owner or UH partner."""
        return self.owner_partnerships.exists() or self.uh_partnerships.exists()

    def using_county_office_ids(self):
        """The county offices whose partnerships use it; else its own county (if any)."""
        ids = set(
            Partnership.objects.filter(Q(owners=self) | Q(uh_partners=self)).values_list(
                "region__county_office_id", flat=True
            )
        )
        if not ids and self.county_office_id:
            ids = {self.county_office_id}
        return ids


class ContactPerson(models.Model):
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        related_name="contacts",
        verbose_name=_("organisation"),
    )
    name = models.CharField(_("name"), max_length=200)
    role = models.CharField(_("role"), max_length=200, blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("contact person")
        verbose_name_plural = _("contact persons")

    def __str__(self):
        return self.name


class PartnershipQuerySet(AccessQuerySet):
    def visible_to(self, user):
        """Its members, the case officers of its county and administrators."""
        if not user.is_authenticated:
            return self.none()
        if user.is_superuser:
            return self.all()
        return self.filter(
            Q(pk__in=member_partnership_ids(user))
            | Q(region__county_office_id__in=officer_county_ids(user))
        )

    def editable_by(self, user):
        """The case officers of its county and administrators."""
        if not user.is_authenticated:
            return self.none()
        if user.is_superuser:
            return self.all()
        return self.filter(region__county_office_id__in=officer_county_ids(user))

    def declarable_by(self, user):
        """The partnerships of the counties where the user is case officer or forum member:
        those they may declare a tie to."""
        if not user.is_authenticated:
            return self.none()
        if user.is_superuser:
            return self.all()
        office_ids = officer_county_ids(user) | forum_county_ids(user)
        return self.filter(region__county_office_id__in=office_ids)

    def member_of(self, user):
        """The partnerships where the user is coordinator or UH contact (none(), known
        without a query, when there are none)."""
        ids = member_partnership_ids(user) if user.is_authenticated else ()
        return self.filter(pk__in=ids) if ids else self.none()

    def coordinated_by(self, user):
        """The partnerships where the user is coordinator: where they may start a need report
        (none(), known without a query, when there are none)."""
        if not user.is_authenticated:
            return self.none()
        ids = partnership_ids_with_role(user, Membership.Role.COORDINATOR)
        return self.filter(pk__in=ids) if ids else self.none()

    def plannable_by(self, user):
        """Where the user may add activities to the activity plan: their own partnerships
        (the county office only reads the plan)."""
        return self.member_of(user)


class Partnership(models.Model):
    """Partnerskap / kompetansenettverk: owners and UH that report needs together."""

    Language = LanguageForm

    name = models.CharField(_("name"), max_length=200)
    region = models.ForeignKey(
        Region, on_delete=models.PROTECT, related_name="partnerships", verbose_name=_("region")
    )
    owners = models.ManyToManyField(
        Organisation, related_name="owner_partnerships", blank=True, verbose_name=_("owners")
    )
    uh_partners = models.ManyToManyField(
        Organisation, related_name="uh_partnerships", blank=True, verbose_name=_("UH partners")
    )
    lead_owner = models.ForeignKey(
        Organisation,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="led_partnerships",
        verbose_name=_("lead owner"),
        help_text=_(
            "The partnership's documents and e-mail use this owner's language form. "
            "Empty: the first owner."
        ),
    )
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL, through="Membership", related_name="partnerships"
    )

    objects = PartnershipQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["region", "name"],
                name="unique_partnership_name",
                violation_error_message=_("The region already has a partnership with this name."),
            )
        ]
        verbose_name = _("partnership")
        verbose_name_plural = _("partnerships")

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("partnerships:detail", args=[self.pk])

    @property
    def county_office(self):
        return self.region.county_office

    @property
    def language(self):
        """The language form of the partnership's documents and e-mail: its lead owner's
        (the form sets the first owner when none is chosen); bokmål without one."""
        owner = self.lead_owner
        return owner.language_form if owner else LanguageForm.NB


class Membership(models.Model):
    """A user's role in a partnership: coordinator (owner side) or UH contact."""

    class Role(models.TextChoices):
        # The workflow's roles (portal/workflow.py) are these values.
        COORDINATOR = workflow.COORDINATOR, _("Coordinator")
        UH_CONTACT = workflow.UH_CONTACT, _("UH contact")

    partnership = models.ForeignKey(
        Partnership,
        on_delete=models.CASCADE,
        related_name="memberships",
        verbose_name=_("partnership"),
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="memberships",
        verbose_name=_("user"),
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["partnership", "user", "role"],
                name="unique_partnership_role",
                violation_error_message=_("This user already has this role in the partnership."),
            )
        ]
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")

    def __str__(self):
        return f"{self.user} – {self.get_role_display()} – {self.partnership}"


# The rule settings and the activity plan live in their own modules; imported here so Django
# registers their models (and `from partnerships.models import RuleSettings` keeps working).
from .models_forum import ForumMembership, Tie  # noqa: E402, F401
from .models_plan import CalendarFeedToken, PlannedActivity  # noqa: E402, F401
from .models_rules import RuleSettings  # noqa: E402, F401
