from django.contrib import admin
from import_export.admin import ImportExportModelAdmin

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
class OrganisationAdmin(ImportExportModelAdmin):
    list_display = [
        "name",
        "kind",
        "org_number",
        "account_number",
        "county_office",
        "language_form",
    ]
    list_filter = ["kind", "county_office", "language_form"]
    search_fields = ["name", "org_number"]
    inlines = [ContactInline]


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


@admin.register(Scheme)
class SchemeAdmin(admin.ModelAdmin):
    list_display = ["short_name", "code", "name", "order"]


@admin.register(RuleSettings)
class RuleSettingsAdmin(admin.ModelAdmin):
    list_display = ["county_office", "scheme", "year", "min_uh_share_percent"]
    list_filter = ["county_office", "scheme", "year"]
