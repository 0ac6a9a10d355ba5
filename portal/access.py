"""Access rules shared by the apps.

Each app has one helper, healthchecks-style (`get_<thing>_for_user`): an object outside
the user's reach answers 404 (we do not reveal that it exists); a user who may see it
but not change it gets 403 on writes.
"""

from django.core.exceptions import PermissionDenied
from django.db.models import CharField, Value
from django.shortcuts import get_object_or_404


def get_visible_or_404(queryset, pk, *, write=False, can_write=None):
    obj = get_object_or_404(queryset, pk=pk)
    if write and (can_write is None or not can_write(obj)):
        raise PermissionDenied
    return obj


def _load_roles(user):
    """The user's partnership roles and county offices, in one query (a UNION), kept on the
    user object for this request: a role taken away counts from the next request on."""
    county_rows = (
        user.county_offices.through.objects.filter(user=user)
        .annotate(role=Value(OFFICER_ROW, output_field=CharField()))
        .values_list("county_office_id", "role")
    )
    rows = user.memberships.values_list("partnership_id", "role").union(county_rows, all=True)
    roles, county_ids = {}, set()
    for pk, role in rows:
        if role == OFFICER_ROW:
            county_ids.add(pk)
        else:
            roles.setdefault(pk, set()).add(role)
    user._member_roles, user._officer_county_ids = roles, county_ids


OFFICER_ROW = ""  # not a partnership role: marks the county office rows of _load_roles


def officer_county_ids(user):
    """Ids of the county offices where the user is a case officer (cached per request user)."""
    if getattr(user, "_officer_county_ids", None) is None:
        _load_roles(user)
    return user._officer_county_ids


def member_roles(user):
    """{partnership id: {role, …}} for the user's memberships (cached per request user)."""
    if getattr(user, "_member_roles", None) is None:
        _load_roles(user)
    return user._member_roles


def member_partnership_ids(user):
    """Ids of the partnerships where the user has any role."""
    return set(member_roles(user))


def is_officer_of(user, county_office_id):
    return user.is_superuser or county_office_id in officer_county_ids(user)
