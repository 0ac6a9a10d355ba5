"""Odd input on every URL: never a 500.

Every URL of the permission matrix (tests/portal/permission_matrix_*.py) is requested as a
user the matrix lets in, with odd values in each path argument, in each query parameter the
view reads and in each form field it reads (GET and POST). Which parameters a view reads is
found out by watching its QueryDicts on one ordinary request: no list to keep up to date.
A 500 (or an exception escaping the view) fails the URL's case.
"""

import pytest
from django.http import QueryDict
from django.urls import reverse

from tests.portal.permission_matrix_entries import MATRIX
from tests.portal.permission_matrix_table import HIDDEN, OK, ok
from tests.portal.test_permission_matrix import request_as, world  # noqa: F401 - fixture

pytestmark = pytest.mark.django_db

ODD = [
    "²",  # passes str.isdigit(), fails int()
    "٣",  # an Arabic-Indic three: isdigit() and int() both accept it
    "\x00",
    "nul\x00byte",
    str(2**31),
    str(2**63),
    "-1",
    "99999",
    "a\r\nb",
    "a\u2028b",
    "abc",
    "1" * 10_000,
    "x" * 10_000,
]
# One key at a time (the all-at-once requests carry every value of ODD).
ODD_EACH = ["²", "x" * 10_000]
# Path arguments are matched by the URL's converter first; a few values are enough there.
ODD_PATH = ["²", str(2**63), "99999", "a%0D%0Ab"]
# The CSRF token and a stale form's version have tests of their own; the cookie-less client
# sends no token anyway.
NOT_FUZZED = {"csrfmiddlewaretoken"}

GETTERS = ("get", "getlist", "__getitem__", "__contains__")


class Watch:
    """Records the keys looked up in any QueryDict while active."""

    def __init__(self, monkeypatch):
        self.keys = set()
        self.active = False
        for name in GETTERS:
            original = getattr(QueryDict, name, None) or getattr(dict, name)
            monkeypatch.setattr(QueryDict, name, self._wrap(original))

    def _wrap(self, original):
        def watched(qd, key, *args, **kwargs):
            if self.active and isinstance(key, str):
                self.keys.add(key)
            return original(qd, key, *args, **kwargs)

        return watched

    def run(self, call):
        self.keys, self.active = set(), True
        try:
            call()
        finally:
            self.active = False
        return self.keys - NOT_FUZZED


def allowed_role(expectations):
    for role in ("alice", "olga", "root", "ulla", "bob", "otto", "anonymous"):
        outcome = (expectations or {}).get(role)
        if outcome in (OK, HIDDEN) or isinstance(outcome, ok):
            return role
    return None


def path_variants(name, args):
    """The URL with each argument in turn replaced by each odd path value."""
    url = reverse(name, args=args)
    segments = url.split("/")
    for arg in args:
        text = str(arg)
        if text not in segments:
            continue
        index = segments.index(text)
        for value in ODD_PATH:
            changed = list(segments)
            changed[index] = value
            yield "/".join(changed)


def pytest_generate_tests(metafunc):
    if "fuzz_key" in metafunc.fixturenames:
        metafunc.parametrize("fuzz_key", sorted(MATRIX))


def test_odd_input_never_gives_500(fuzz_key, world, monkeypatch):  # noqa: F811
    entry = MATRIX[fuzz_key]
    name = fuzz_key.split("#")[0]
    args = entry.args(world)
    url = reverse(name, args=args)
    base_query = QueryDict(entry.query.lstrip("?"))
    watch = Watch(monkeypatch)
    failures = []

    def attempt(role, method, target, data):
        try:
            response = request_as(world, role, method, target, data)
        except Exception as error:  # noqa: BLE001 - what escapes the view is the finding
            failures.append(f"{method} {target[:120]!r} {list(data)[:5]}: {error!r}"[:400])
            return None
        if response.status_code >= 500:
            failures.append(f"{method} {target[:120]!r} {str(data)[:200]}: 500")
        return response

    get_role = allowed_role(entry.get)
    post_role = allowed_role(entry.post)
    if get_role:
        query_keys = watch.run(lambda: attempt(get_role, "GET", url + entry.query, {}))
        query_keys |= set(base_query)
        for target in path_variants(name, args):
            attempt(get_role, "GET", target + entry.query, {})
        for value in ODD:
            query = base_query.copy()
            for key in query_keys:
                query[key] = value
            attempt(get_role, "GET", f"{url}?{query.urlencode()}", {})
        for key in sorted(query_keys):
            for value in ODD_EACH:
                query = base_query.copy()
                query[key] = value
                attempt(get_role, "GET", f"{url}?{query.urlencode()}", {})
    if post_role:
        data = entry.data(world)
        form_keys = watch.run(lambda: attempt(post_role, "POST", url + entry.query, data))
        form_keys |= set(data)
        for target in path_variants(name, args):
            attempt(post_role, "POST", target + entry.query, data)
        for value in ODD:
            # Every field odd at once, then each field alone (a view may stop at the first).
            attempt(post_role, "POST", url + entry.query, dict.fromkeys(form_keys, value))
        for key in sorted(form_keys):
            for value in ODD_EACH:
                attempt(post_role, "POST", url + entry.query, {**data, key: value})
    assert not failures, f"{fuzz_key}:\n" + "\n".join(failures[:40])
