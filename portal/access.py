"""Access rules shared by the apps.

Each app has one helper, healthchecks-style (`get_<thing>_for_user`): an object outside
the user's reach answers 404 (we do not reveal that it exists); a user who may see it
but not change it gets 403 on writes.
"""

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404


def get_visible_or_404(queryset, pk, *, write=False, can_write=None):
    obj = get_object_or_404(queryset, pk=pk)
    if write and (can_write is None or not can_write(obj)):
        raise PermissionDenied
    return obj


def remember_roles(user, *, memberships, county_ids):
    """Keep the user's roles on the user object for this request (`portal.backends` loads
    them together with the user)."""
    user._member_roles = _roles_by_partnership(memberships)
    user._officer_county_ids = set(county_ids)


def _roles_by_partnership(memberships):
    roles = {}
    for partnership_id, role in memberships:
        roles.setdefault(partnership_id, set()).add(role)
    return roles


def officer_county_ids(user):
    """Ids of the county offices where the user is a case officer (cached per request user)."""
    cached = getattr(user, "_officer_county_ids", None)
    if cached is None:
        cached = set(user.county_offices.values_list("pk", flat=True))
        user._officer_county_ids = cached
    return cached


def member_roles(user):
    """{partnership id: {role, …}} for the user's memberships (cached per request user)."""
    cached = getattr(user, "_member_roles", None)
    if cached is None:
        memberships = user.memberships.values_list("partnership_id", "role")
        cached = user._member_roles = _roles_by_partnership(memberships)
    return cached


def member_partnership_ids(user):
    """Ids of the partnerships where the user has any role."""
    return set(member_roles(user))


def is_officer_of(user, county_office_id):
    return user.is_superuser or county_office_id in officer_county_ids(user)
