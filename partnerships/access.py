"""The partnerships app's access helpers: thin wrappers around the models' `visible_to` and
`editable_by` (partnerships/models.py, models_plan.py), which alone decide access."""

from django.core.exceptions import PermissionDenied

from portal.access import get_visible_or_404

from .models import CountyOffice, Organisation, Partnership, PlannedActivity, RuleSettings


def can_manage_partnership(user, partnership):
    may_change = getattr(partnership, "may_change", None)
    if may_change is not None:
        return may_change
    return Partnership.objects.editable_by(user).filter(pk=partnership.pk).exists()


def get_partnership_for_user(request, pk, write=False):
    queryset = (
        Partnership.objects.visible_to(request.user)
        .with_access(request.user)
        .select_related("region__county_office")
    )
    return get_visible_or_404(queryset, pk, write=write, user=request.user)


def require_officer(user):
    """Case officers and admins only (someone with a county office to work for); others get
    403 on management pages."""
    if managed_county_offices(user).query.is_empty():  # known without a query
        raise PermissionDenied


def managed_county_offices(user):
    return CountyOffice.objects.editable_by(user)


def get_organisation_for_user(request, pk, write=False):
    """404 outside `Organisation.visible_to`; 403 on a write outside `editable_by`."""
    require_officer(request.user)
    return get_visible_or_404(
        Organisation.objects.visible_to(request.user).select_related("county_office"),
        pk,
        write=write,
        user=request.user,
    )


def get_rule_settings_for_user(request, pk):
    require_officer(request.user)
    queryset = RuleSettings.objects.editable_by(request.user)
    return get_visible_or_404(queryset.select_related("scheme", "county_office"), pk)


# The activity plan ----------------------------------------------------------------------


def can_add_activity(user, partnership_id):
    """Coordinators and UH contacts of the partnership (the county office only reads)."""
    return Partnership.objects.plannable_by(user).filter(pk=partnership_id).exists()


def can_edit_activity(user, activity):
    """Coordinators edit every activity of their partnership; a UH contact those they added."""
    may_change = getattr(activity, "may_change", None)
    if may_change is not None:
        return may_change
    return PlannedActivity.objects.editable_by(user).filter(pk=activity.pk).exists()


def activity_partnerships(user):
    """The partnerships where the user may add activities."""
    return Partnership.objects.plannable_by(user).order_by("name")


def get_partnership_for_activity(request, pk):
    """A partnership to add an activity to: 404 outside reach, 403 for the county office."""
    partnership = get_partnership_for_user(request, pk)
    if not can_add_activity(request.user, partnership.pk):
        raise PermissionDenied
    return partnership


def get_activity_for_user(request, pk, write=False):
    queryset = (
        PlannedActivity.objects.visible_to(request.user)
        .with_access(request.user)
        .select_related("partnership__region__county_office")
    )
    return get_visible_or_404(queryset, pk, write=write, user=request.user)
