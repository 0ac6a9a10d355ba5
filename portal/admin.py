"""The administrators' admin: users with their roles in Norwegian, and a read-only base for the
records that only the portal's own pages and services write."""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.contrib.auth.models import Group
from django.utils.translation import gettext_lazy as _

from .models import User


class ReadOnlyAdmin(admin.ModelAdmin):
    """Shown, never changed here: reports and their history are written by the portal's
    workflow (locks, totals, notifications), which the admin would bypass."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(User)
class PortalUserAdmin(UserAdmin):
    list_display = ["username", "full_name", "email", "roles", "administrator", "active"]
    list_filter = []
    # Access follows the roles below (memberships and county offices), not Django's
    # permissions and groups, so those are not offered.
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        (_("Personal info"), {"fields": ("first_name", "last_name", "email")}),
        (_("Access"), {"fields": ("is_active", "is_staff", "is_superuser")}),
        (_("Important dates"), {"fields": ("last_login", "date_joined")}),
    )

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .prefetch_related("memberships__partnership", "countymembership_set__county_office")
        )

    @admin.display(description=_("name"), ordering="last_name")
    def full_name(self, user):
        return user.get_full_name()

    @admin.display(description=_("roles"))
    def roles(self, user):
        roles = [
            f"{membership.get_role_display()}: {membership.partnership.name}"
            for membership in user.memberships.all()
        ]
        roles += [
            f"{_('Case officer')}: {officer.county_office.name}"
            for officer in user.countymembership_set.all()
        ]
        if user.is_superuser:
            roles.insert(0, str(_("Administrator")))
        return "; ".join(roles) or "–"

    @admin.display(description=_("administrator"))
    def administrator(self, user):
        return _("Yes") if user.is_superuser else _("No")

    @admin.display(description=_("active"))
    def active(self, user):
        return _("Yes") if user.is_active else _("No")


admin.site.unregister(Group)
admin.site.site_header = _("Kompetanseportalen: administration")
admin.site.site_title = _("Kompetanseportalen")
admin.site.index_title = _("Administration")
