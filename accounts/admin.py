from django.contrib import admin

from .models import ExternalIdentity, Invitation


@admin.register(ExternalIdentity)
class ExternalIdentityAdmin(admin.ModelAdmin):
    list_display = ["user", "provider", "subject", "created_at", "last_login_at"]
    list_filter = ["provider"]
    search_fields = ["user__username", "user__email", "subject"]
    raw_id_fields = ["user"]


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    list_display = ["email", "role", "partnership", "county_office", "created_at", "accepted_at"]
    list_filter = ["role"]
    search_fields = ["email"]
    exclude = ["token_hash"]
    raw_id_fields = ["invited_by", "accepted_by", "partnership", "county_office"]
