from django.core.exceptions import PermissionDenied

from portal.access import get_visible_or_404, is_officer_of, member_roles, officer_county_ids

from .models import (
    CountyOffice,
    Membership,
    Organisation,
    Partnership,
    PlannedActivity,
    RuleSettings,
)


def can_manage_partnership(user, partnership):
    return is_officer_of(user, partnership.region.county_office_id)


def get_partnership_for_user(request, pk, write=False):
    queryset = Partnership.objects.visible_to(request.user).select_related("region__county_office")
    return get_visible_or_404(
        queryset, pk, write=write, can_write=lambda p: can_manage_partnership(request.user, p)
    )


def require_officer(user):
    """Case officers and admins only; others get 403 on management pages."""
    if not (user.is_superuser or officer_county_ids(user)):
        raise PermissionDenied


def managed_county_offices(user):
    if user.is_superuser:
        return CountyOffice.objects.all()
    return CountyOffice.objects.filter(pk__in=officer_county_ids(user))


def get_organisation_for_user(request, pk):
    require_officer(request.user)
    return get_visible_or_404(Organisation.objects.manageable_by(request.user), pk)


def get_rule_settings_for_user(request, pk):
    require_officer(request.user)
    queryset = RuleSettings.objects.filter(county_office__in=managed_county_offices(request.user))
    return get_visible_or_404(queryset.select_related("scheme", "county_office"), pk)


# The activity plan ----------------------------------------------------------------------


def can_add_activity(user, partnership_id):
    """Coordinators and UH contacts of the partnership (the county office only reads)."""
    return bool(member_roles(user).get(partnership_id))


def can_edit_activity(user, activity):
    """Coordinators edit every activity of their partnership; a UH contact those they added."""
    roles = member_roles(user).get(activity.partnership_id, ())
    if Membership.Role.COORDINATOR in roles:
        return True
    return Membership.Role.UH_CONTACT in roles and activity.created_by_id == user.pk


def activity_partnerships(user):
    """The partnerships where the user may add activities."""
    return Partnership.objects.filter(pk__in=member_roles(user)).order_by("name")


def get_partnership_for_activity(request, pk):
    """A partnership to add an activity to: 404 outside reach, 403 for the county office."""
    partnership = get_partnership_for_user(request, pk)
    if not can_add_activity(request.user, partnership.pk):
        raise PermissionDenied
    return partnership


def get_activity_for_user(request, pk, write=False):
    queryset = PlannedActivity.objects.visible_to(request.user).select_related(
        "partnership__region__county_office"
    )
    return get_visible_or_404(
        queryset, pk, write=write, can_write=lambda a: can_edit_activity(request.user, a)
    )
