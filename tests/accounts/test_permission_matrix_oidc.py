"""The permission matrix (tests/portal/test_permission_matrix.py) for people who logged in
through the OpenID Connect provider on the loopback instead of with a password: the same
table, the same answers for every URL and role."""

import pytest
from django.db import transaction
from django.test import Client
from django.urls import reverse

from accounts import backends
from accounts.models import ExternalIdentity
from tests.portal import test_permission_matrix as matrix
from tests.portal.permission_matrix_entries import MATRIX
from tests.portal.permission_matrix_table import ROLES
from tests.portal.test_permission_matrix import world  # noqa: F401 - the matrix's fixture

pytestmark = pytest.mark.django_db

PEOPLE = ROLES[1:]  # everyone but anonymous


def test_the_matrix_holds_for_people_logged_in_through_openid_connect(
    world,  # noqa: F811
    oidc_login,
    settings,
):
    sessions = {}
    for role in PEOPLE:
        ExternalIdentity.objects.create(
            user=getattr(world, role), provider="test", subject=f"matrix-{role}"
        )
        client = Client()
        response = oidc_login(client, f"matrix-{role}")
        assert response.status_code == 302, (role, response.content[:300])
        assert client.session["_auth_user_backend"] == backends.PATH
        assert client.session["_auth_user_id"] == str(getattr(world, role).pk)
        sessions[role] = client.cookies[settings.SESSION_COOKIE_NAME].value
    world._sessions = sessions  # what matrix.session_of hands out
    # The matrix's table is written for a portal without providers (its log-in page and the
    # start URL): the sessions made above stay valid without them.
    settings.OIDC_PROVIDERS = {}

    problems, checked = [], 0
    for key in matrix.matrix_keys():
        if key not in MATRIX or "<unnamed" in key:
            continue  # test_permission_matrix reports these
        # One savepoint per entry: what its `args` set up (a submitted annual report…) is
        # gone before the next, as in the matrix's own test, one test per entry.
        saved = dict(vars(world))  # objects an entry's helpers keep on the world
        with transaction.atomic():
            entry = MATRIX[key]
            url = reverse(key.split("#")[0], args=entry.args(world)) + entry.query
            for method, expectations in (("GET", entry.get), ("POST", entry.post)):
                if expectations is None:
                    continue
                for role in PEOPLE:
                    response = matrix.request_as(world, role, method, url, entry.data(world))
                    problem = matrix.check(response, method, expectations[role], entry, world)
                    checked += 1
                    if problem:
                        problems.append(f"  {key}: {method} {url} as {role}: {problem}")
            transaction.set_rollback(True)
        vars(world).clear()
        vars(world).update(saved)
    assert checked > 500
    assert not problems, "\n".join(problems)
