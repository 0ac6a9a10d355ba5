"""The building blocks of access: the user's roles (cached per request user) and the base
of every model's access QuerySet.

Who may see and who may change a row is decided in exactly one place per model: its
QuerySet's `visible_to(user)` and `editable_by(user)` (subclasses of AccessQuerySet). Each
app has one helper, healthchecks-style (`get_<thing>_for_user`), a thin wrapper around them:
an object outside `visible_to` answers 404 (we do not reveal that it exists); a user who may
see it but is outside `editable_by` gets 403 on writes.
"""

from django.core.exceptions import PermissionDenied
from django.db import models
from django.db.models import CharField, Exists, OuterRef, Value
from django.shortcuts import get_object_or_404


class AccessQuerySet(models.QuerySet):
    """Subclasses define the model's two access rules; nothing else decides them."""

    def visible_to(self, user):  # pragma: no cover - every subclass defines it
        raise NotImplementedError

    def editable_by(self, user):  # pragma: no cover - every subclass defines it
        raise NotImplementedError

    def with_access(self, user):
        """Annotate `may_see` and `may_change` for `user`, from visible_to and editable_by
        themselves (an EXISTS each, in the same query): for pages that load one object and
        decide what to offer."""
        manager = self.model._default_manager
        return self.annotate(
            may_see=Exists(manager.visible_to(user).filter(pk=OuterRef("pk"))),
            may_change=Exists(manager.editable_by(user).filter(pk=OuterRef("pk"))),
        )


def get_visible_or_404(queryset, pk, *, write=False, user=None):
    """The object `pk` of `queryset` (a `visible_to` set): 404 if it is not there; with
    `write`, 403 unless it is in the model's `editable_by(user)` too."""
    if write and "may_change" not in queryset.query.annotations:
        # (A loader that annotated them for its page already is not annotated twice.)
        queryset = queryset.with_access(user)
    obj = get_object_or_404(queryset, pk=pk)
    if write and not obj.may_change:
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
    forum_rows = (
        user.forum_memberships.all()
        .annotate(role=Value(FORUM_ROW, output_field=CharField()))
        .values_list("county_office_id", "role")
    )
    rows = user.memberships.values_list("partnership_id", "role").union(
        county_rows, forum_rows, all=True
    )
    roles, county_ids, forum_ids = {}, set(), set()
    for pk, role in rows:
        if role == OFFICER_ROW:
            county_ids.add(pk)
        elif role == FORUM_ROW:
            forum_ids.add(pk)
        else:
            roles.setdefault(pk, set()).add(role)
    user._member_roles, user._officer_county_ids = roles, county_ids
    user._forum_county_ids = forum_ids


OFFICER_ROW = ""  # not a partnership role: marks the county office rows of _load_roles
FORUM_ROW = "forum"  # nor this: the county offices whose samarbeidsforum the user sits in


def officer_county_ids(user):
    """Ids of the county offices where the user is a case officer (cached per request user)."""
    if getattr(user, "_officer_county_ids", None) is None:
        _load_roles(user)
    return user._officer_county_ids


def forum_county_ids(user):
    """Ids of the county offices whose samarbeidsforum the user is a member of (cached)."""
    if getattr(user, "_forum_county_ids", None) is None:
        _load_roles(user)
    return user._forum_county_ids


def member_roles(user):
    """{partnership id: {role, …}} for the user's memberships (cached per request user)."""
    if getattr(user, "_member_roles", None) is None:
        _load_roles(user)
    return user._member_roles


def member_partnership_ids(user):
    """Ids of the partnerships where the user has any role."""
    return set(member_roles(user))


def partnership_ids_with_role(user, role):
    """Ids of the partnerships where the user has `role`."""
    return {pk for pk, roles in member_roles(user).items() if role in roles}


def is_officer_of(user, county_office_id):
    return user.is_superuser or county_office_id in officer_county_ids(user)
