"""The log-in backend: Django's, with the user's roles loaded in the same query.

Every page needs the user's partnership roles and county offices (navigation, access checks,
lists). Django's backend loads the user with one query and `portal.access` would load the
roles with two more; here one hand-written query (built from the models' metadata, so it
follows their fields) brings the user and its roles as arrays. Compiling the same thing
with the ORM costs about 2 ms of Python on every request; this costs 0.3 ms (`make bench`).
Nothing is cached beyond the request: a role taken away counts from the next request on.
"""

from functools import cache

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.core.exceptions import ValidationError
from django.db import connection

from partnerships.models import CountyMembership, Membership

from .access import remember_roles
from .sql import column, fetch_one, from_row, select_list, table


@cache
def _user_with_roles_sql():
    User = get_user_model()
    columns = select_list(User, "u")
    user_pk = f"u.{column(User, User._meta.pk.name)}"
    memberships = (
        f"FROM {table(Membership)} m WHERE m.{column(Membership, 'user')} = {user_pk} "
        f"ORDER BY m.{column(Membership, 'id')}"
    )
    counties = (
        f"FROM {table(CountyMembership)} c WHERE c.{column(CountyMembership, 'user')} = {user_pk}"
    )
    return (
        f"SELECT {columns}, "  # noqa: S608 - names from model metadata, values as parameters
        f"ARRAY(SELECT m.{column(Membership, 'partnership')} {memberships}), "
        f"ARRAY(SELECT m.{column(Membership, 'role')} {memberships}), "
        f"ARRAY(SELECT c.{column(CountyMembership, 'county_office')} {counties}) "
        f"FROM {table(User)} u WHERE {user_pk} = %s"
    )


class PortalBackend(ModelBackend):
    def get_user(self, user_id):
        if connection.vendor != "postgresql":  # SQLite, for trying the portal: Django's way
            return super().get_user(user_id)
        User = get_user_model()
        try:
            user_id = User._meta.pk.to_python(user_id)
        except ValidationError:  # a tampered session: no such user
            return None
        row = fetch_one(_user_with_roles_sql(), [user_id])
        if row is None:
            return None
        user, end = from_row(User, row)
        if not self.user_can_authenticate(user):
            return None
        partnership_ids, role_names, county_ids = row[end:]
        remember_roles(
            user, memberships=zip(partnership_ids, role_names, strict=True), county_ids=county_ids
        )
        return user
