from django.core.exceptions import PermissionDenied

from portal.access import get_visible_or_404, is_officer_of, officer_county_ids

from .models import CountyOffice, Organisation, Partnership, RuleSettings


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
