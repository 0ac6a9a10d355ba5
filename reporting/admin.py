from django.contrib import admin

from .models import ExportJob, LetterSettings, StoredPdf


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
