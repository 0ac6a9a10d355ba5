"""The log-in backend: Django's, with the user's roles loaded in the same query.

Every page needs the user's partnership roles and county offices (navigation, access checks,
lists). Django's backend loads the user with one query and `portal.access` would load the
roles with two more; here the roles come along as two arrays, so a logged-in request costs
one query for the user whatever it shows. Nothing is cached beyond the request: a role taken
away counts from the next request on.
"""

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.contrib.postgres.expressions import ArraySubquery
from django.db import connection
from django.db.models import OuterRef

from partnerships.models import CountyMembership, Membership

from .access import remember_roles


class PortalBackend(ModelBackend):
    def get_user(self, user_id):
        User = get_user_model()
        users = User._default_manager.filter(pk=user_id)
        postgres = connection.vendor == "postgresql"
        if postgres:
            memberships = Membership.objects.filter(user=OuterRef("pk")).order_by("pk")
            users = users.annotate(
                role_partnership_ids=ArraySubquery(memberships.values("partnership_id")),
                role_names=ArraySubquery(memberships.values("role")),
                role_county_ids=ArraySubquery(
                    CountyMembership.objects.filter(user=OuterRef("pk")).values(
                        "county_office_id"
                    )
                ),
            )
        user = users.first()
        if user is None or not self.user_can_authenticate(user):
            return None
        if postgres:
            remember_roles(
                user,
                memberships=zip(user.role_partnership_ids, user.role_names, strict=True),
                county_ids=user.role_county_ids,
            )
        return user
