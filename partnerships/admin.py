from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from .identifiers import format_account_number, format_org_number
from .models import (
    ContactPerson,
    CountyMembership,
    CountyOffice,
    Membership,
    Organisation,
    Partnership,
    Region,
    RuleSettings,
    Scheme,
)


class CountyMembershipInline(admin.TabularInline):
    model = CountyMembership
    extra = 0


@admin.register(CountyOffice)
class CountyOfficeAdmin(admin.ModelAdmin):
    inlines = [CountyMembershipInline]
    list_display = ["name", "county"]


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin):
    list_display = ["name", "county_office"]
    list_filter = ["county_office"]


class ContactInline(admin.TabularInline):
    model = ContactPerson
    extra = 0


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    """Organisations are imported on the portal's own import page (which never erases), not
    here."""

    list_display = [
        "name",
        "kind",
        "org_number_grouped",
        "account_number_grouped",
        "county_office",
        "language_form",
    ]
    list_filter = ["kind", "county_office", "language_form"]
    search_fields = ["name", "org_number"]
    inlines = [ContactInline]

    @admin.display(description=_("organisation number"), ordering="org_number")
    def org_number_grouped(self, organisation):
        return format_org_number(organisation.org_number)

    @admin.display(description=_("account number"), ordering="account_number")
    def account_number_grouped(self, organisation):
        return format_account_number(organisation.account_number)


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["user"]


@admin.register(Partnership)
class PartnershipAdmin(admin.ModelAdmin):
    list_display = ["name", "region"]
    list_filter = ["region__county_office"]
    search_fields = ["name"]
    filter_horizontal = ["owners", "uh_partners"]
    inlines = [MembershipInline]

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        """Owners are offered only owners (municipalities, county municipalities, private
        owners), UH partners only universities and colleges."""
        if db_field.name == "owners":
            kwargs["queryset"] = Organisation.objects.owners()
        elif db_field.name == "uh_partners":
            kwargs["queryset"] = Organisation.objects.universities()
        return super().formfield_for_manytomany(db_field, request, **kwargs)


@admin.register(Scheme)
class SchemeAdmin(admin.ModelAdmin):
    list_display = ["short_name", "code", "name", "order"]


@admin.register(RuleSettings)
class RuleSettingsAdmin(admin.ModelAdmin):
    list_display = ["county_office", "scheme", "year", "min_uh_share_percent"]
    list_filter = ["county_office", "scheme", "year"]
