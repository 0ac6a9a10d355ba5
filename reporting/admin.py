from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from portal.admin import ReadOnlyAdmin

from .models import AnnualReport, ExportJob, LetterSettings, StoredPdf


@admin.register(AnnualReport)
class AnnualReportAdmin(ReadOnlyAdmin):
    """Read-only: the annual report's workflow writes it."""

    list_display = ["need_report", "status", "submitted", "decided"]
    list_filter = ["status", "need_report__scheme", "need_report__year"]
    list_select_related = ["need_report__partnership", "need_report__scheme"]
    search_fields = ["need_report__partnership__name"]
    exclude = ["lock_version"]

    @admin.display(description=_("submitted"), ordering="submitted_at")
    def submitted(self, annual):
        return annual.submitted_at or "–"

    @admin.display(description=_("decided"), ordering="decided_at")
    def decided(self, annual):
        return annual.decided_at or "–"


@admin.register(StoredPdf)
class StoredPdfAdmin(admin.ModelAdmin):
    """Read-only: a stored PDF is the record of what was submitted."""

    list_display = ["version", "sha256", "size", "created_at"]
    list_select_related = ["version__report__partnership", "version__report__scheme"]
    readonly_fields = ["version", "file", "sha256", "size", "created_at"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(LetterSettings)
class LetterSettingsAdmin(admin.ModelAdmin):
    list_display = ["county_office", "scheme", "year", "signer_name", "updated_at"]
    list_filter = ["county_office", "scheme", "year"]
    readonly_fields = ["updated_at", "updated_by"]


@admin.register(ExportJob)
class ExportJobAdmin(admin.ModelAdmin):
    list_display = ["county_office", "scheme", "year", "status", "progress", "total", "created_at"]
    list_filter = ["status", "county_office", "scheme", "year"]
    list_select_related = ["county_office", "scheme"]
    readonly_fields = ["created_at", "started_at", "finished_at", "heartbeat_at"]
