"""Need reports and their activity in the admin: read-only (the portal's workflow writes them)."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from portal.admin import ReadOnlyAdmin

from .models import Activity, NeedReport


@admin.register(NeedReport)
class NeedReportAdmin(ReadOnlyAdmin):
    list_display = ["partnership", "scheme", "year", "status", "requested", "allocated"]
    list_filter = ["status", "scheme", "year", "partnership__region__county_office"]
    list_select_related = ["partnership", "scheme"]
    search_fields = ["partnership__name"]
    exclude = ["lock_version"]

    @admin.display(description=_("requested (kr)"), ordering="requested_total")
    def requested(self, report):
        return report.requested_total

    @admin.display(description=_("allocated (kr)"), ordering="allocated_total")
    def allocated(self, report):
        return report.allocated_total


@admin.register(Activity)
class ActivityAdmin(ReadOnlyAdmin):
    list_display = ["when", "report_name", "kind", "who"]
    list_filter = ["kind"]
    list_select_related = ["report__partnership", "report__scheme", "actor"]

    @admin.display(description=_("time"), ordering="at")
    def when(self, activity):
        return activity.at

    @admin.display(description=_("need report"))
    def report_name(self, activity):
        return str(activity.report)

    @admin.display(description=_("by"))
    def who(self, activity):
        return activity.actor or "–"
