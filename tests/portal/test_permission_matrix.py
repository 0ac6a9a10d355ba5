"""The permission matrix: every named URL of our apps, for every role of the cast.

For each URL the table MATRIX says how to build its arguments from the `world` (the cast of
tests/conftest.py plus need reports in several states) and what each role gets on GET and,
where the view writes, on POST. The table is in two modules next to this one:
permission_matrix_table.py (grid, Entry, the shared grids, the first entries) and
permission_matrix_entries.py (the later entries: NEW ENTRIES GO AT ITS END).

    anonymous -> the login page (LOGIN)      outsider -> 404
    read-only member -> 403 on writes        allowed -> 200 (or 302 after a POST) AND the
                                             object's data in the response (OK)

A URL pattern without an entry fails `test_permission_matrix[<name>]` with the entry to add.

HOW TO ADD AN ENTRY (for a new URL "app:name"): append to the end of
tests/portal/permission_matrix_entries.py (import what you use from permission_matrix_table)

    MATRIX["app:name"] = Entry(
        args=lambda w: [w.draft.pk],               # reverse() args, from the world below
        shows=lambda w: w.draft_measure.name,      # text an allowed user must see (GET)
        get=grid(404, alice=OK, ulla=OK, root=OK), # default for logged-in roles, then overrides
        post=grid(404, alice=OK, ulla=403, root=403),  # only where the view writes
    )

- `grid(default, **roles)` fills every role: anonymous gets LOGIN unless you say otherwise
  (e.g. anonymous=404 for a token feed); the other roles get `default` unless named.
  Roles: anonymous, alice (coordinator of A), ulla (UH contact of A), bob (coordinator of B,
  the outsider), olga (case officer of A's county), otto (case officer of another county),
  root (administrator, a member of nothing).
- Outcomes: OK, HIDDEN (200 without the `shows` text: a list filtered to what the user may
  see), LOGIN, 403, 404, 405 (GET on a POST-only view), or ok(lambda w: "other text") when
  one role sees different data. On POST, OK is 200 or a redirect that is not the login page.
- POSTs send `data(w)` (default: nothing). Every request runs in a savepoint that is rolled
  back, so a POST that deletes or submits does not disturb the next role.
- Several cases for one URL: add keys with a suffix, e.g. MATRIX["needs:edit#submitted"].
- If your URL needs an object the world lacks, create it in `world()` in this file (keep it
  small).
- Every write URL is also posted WITHOUT a CSRF token (test_writes_need_a_csrf_token): 403.
"""

import html
import io
import re
import zipfile
from types import SimpleNamespace

import pytest
from django.conf import settings
from django.db import transaction
from django.test import Client
from django.urls import URLResolver, get_resolver, reverse
from django.views.i18n import set_language

from needs.commitments import refresh_commitments
from needs.models import Frame, NeedReport
from partnerships.models import RuleSettings
from reporting import pdf
from reporting.models import ExportJob
from tests.factories import scheme, submit_directly
from tests.needs.conftest import make_allocation, make_measure, make_report
from tests.portal.permission_matrix_entries import MATRIX  # every entry of both modules
from tests.portal.permission_matrix_table import HIDDEN, LOGIN, OK, ROLES, ok

pytestmark = pytest.mark.django_db

ENTRIES_FILE = "tests/portal/permission_matrix_entries.py"


# Django's own views are Django's to test: the admin, django.contrib.auth.urls (our login
# view in portal/urls.py shadows theirs and has an entry) and set_language.
def _skipped_resolver(resolver):
    module = getattr(resolver.urlconf_module, "__name__", "")
    return resolver.namespace == "admin" or module.startswith("django.")


def url_patterns():
    """{"namespace:name": route} for every URL pattern of our apps, in resolver order."""
    found = {}

    def walk(patterns, namespace, prefix):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                if _skipped_resolver(pattern):
                    continue
                inner = ":".join(n for n in (namespace, pattern.namespace) if n)
                walk(pattern.url_patterns, inner, prefix + str(pattern.pattern))
                continue
            if pattern.callback is set_language:
                continue
            name = pattern.name or f"<unnamed {prefix}{pattern.pattern}>"
            found.setdefault(
                f"{namespace}:{name}" if namespace else name, prefix + str(pattern.pattern)
            )

    walk(get_resolver().url_patterns, "", "/")
    return found


def matrix_keys():
    """Every URL name and every MATRIX key (so stale entries show up as well)."""
    names = set(url_patterns())
    return sorted(names | set(MATRIX))


def pytest_generate_tests(metafunc):
    if "matrix_key" in metafunc.fixturenames:
        metafunc.parametrize("matrix_key", matrix_keys())
    if "write_key" in metafunc.fixturenames:
        keys = [key for key, entry in MATRIX.items() if OK in (entry.post or {}).values()]
        metafunc.parametrize("write_key", sorted(keys))


# The world ---------------------------------------------------------------------------------


FAST_PDF = b"%PDF-1.7 permission matrix stand-in\n"
CSRF_VALUE = re.compile(r'(?<=name="csrfmiddlewaretoken") value="[^"]*"')


@pytest.fixture
def world(cast, settings, tmp_path, monkeypatch):
    """The cast plus partnership A's need reports in three states, and officer objects."""
    settings.MEDIA_ROOT = tmp_path / "media"
    # WeasyPrint takes a second a document; here the PDF is its HTML (tests/reporting checks
    # the real documents), so the matrix still sees which data went into it.
    monkeypatch.setattr(pdf, "html_to_pdf", lambda html: FAST_PDF + html.encode())
    w = SimpleNamespace(**vars(cast))
    w.partnership_name = cast.partnership_a.name
    # A draft (Rekom): alice edits it; ulla and root read it; officers do not see drafts.
    w.draft = make_report(cast.partnership_a, scheme_code="rekom")
    w.draft_measure = make_measure(w.draft, 40_000, 60_000, name="Leseløft i barnehagen")
    # Submitted (Dekom) as version 1: in olga's queue, read-only for everyone.
    w.submitted = make_report(cast.partnership_a, scheme_code="dekom")
    make_measure(w.submitted, 30_000, 70_000, name="Matematikk i praksis")
    submit_directly(w.submitted, cast.alice)
    # Allocated (Kompetanseløftet): its allocation letter is out.
    w.allocated = make_report(
        cast.partnership_a, scheme_code="kompetanseloftet", status=NeedReport.Status.ALLOCATED
    )
    measure = make_measure(
        w.allocated, 20_000, 80_000, name="Inkluderende praksis", cont1_owner=15_000
    )
    make_allocation(measure, 20_000, 80_000)
    refresh_commitments(w.allocated)  # 15 000 kr committed to Kompetanseløftet 2025
    w.commitment = w.allocated.commitments.get()
    # Partnership B's own report, so the outsider's lists are not simply empty.
    w.report_b = make_report(cast.partnership_b, status=NeedReport.Status.SUBMITTED)
    make_measure(w.report_b, 10_000, 90_000, name="Sunnhordland-tiltaket")

    w.frame = Frame.objects.create(
        county_office=cast.county_a, scheme=scheme("dekom"), year=2024, amount=5_000_000
    )
    w.rules = RuleSettings.objects.create(
        county_office=cast.county_a, scheme=scheme("dekom"), year=2024, min_uh_share_percent=55
    )
    w.job = ExportJob.objects.create(
        county_office=cast.county_a, scheme=scheme("dekom"), year=2024, status="done"
    )
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w") as bundle:
        bundle.writestr("behovsmelding-god-opplaering-for-alle-dekom-2024.pdf", b"%PDF-1.7")
    w.job.file.save("export.zip", io.BytesIO(archive.getvalue()))
    return w


# Running the matrix ------------------------------------------------------------------------


def response_text(response):
    """What a person would read: the page, a CSV, the cells of an XLSX, a PDF's text, the
    names in a ZIP, with the download's file name in front."""
    body = response.body
    kind = response.get("Content-Type", "")
    if body.startswith(FAST_PDF):
        text = body.decode()
    elif "pdf" in kind:
        from pypdf import PdfReader

        text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(body)).pages)
    elif "spreadsheetml" in kind:
        from openpyxl import load_workbook

        book = load_workbook(io.BytesIO(body), read_only=True)
        text = " ".join(
            str(value)
            for sheet in book.worksheets
            for row in sheet.iter_rows(values_only=True)
            for value in row
            if value is not None
        )
    elif "zip" in kind:
        text = " ".join(zipfile.ZipFile(io.BytesIO(body)).namelist())
    else:
        text = body.decode("utf-8", errors="replace")
        if "html" in kind:
            # A form's CSRF token is random text nobody reads: a short `shows` (a number)
            # could turn up in it by chance.
            text = html.unescape(CSRF_VALUE.sub("", text))
    text = f"{response.get('Content-Disposition', '')} {text}"
    return " ".join(text.replace("\u00a0", " ").split())


def is_login_redirect(response):
    return response.status_code == 302 and response["Location"].startswith(
        reverse("login") + "?next="
    )


def check(response, method, expected, entry, w):
    """None if the response is what the table expects, else a description."""
    status = response.status_code
    if expected == LOGIN:
        return None if is_login_redirect(response) else f"expected a login redirect, got {status}"
    if isinstance(expected, int):
        return None if status == expected else f"expected {expected}, got {status}"
    if is_login_redirect(response):
        return f"expected {expected}, got a login redirect"
    if method == "POST" and expected == OK:
        return None if status in (200, 302) else f"expected 200 or 302, got {status}"
    if status != 200:
        return f"expected 200 ({expected}), got {status}"
    text_of = expected.text if isinstance(expected, ok) else entry.shows
    if text_of is None:
        return "the entry has no `shows`: say which data an allowed user sees"
    text = " ".join(str(text_of(w)).split())
    found = text in response_text(response)
    if expected == HIDDEN and found:
        return f"the response shows {text!r}, which this user must not see"
    if expected != HIDDEN and not found:
        return f"the response does not show {text!r}"
    return None


# One client of each kind for the whole run: a new Client builds a new middleware chain, and
# WhiteNoise scans every static file when it starts.
_clients = {}


def _client(csrf_checks):
    if csrf_checks not in _clients:
        _clients[csrf_checks] = Client(enforce_csrf_checks=csrf_checks)
    return _clients[csrf_checks]


def session_of(w, role):
    """A session for the role, made once per test (outside the rolled-back savepoints)."""
    sessions = w.__dict__.setdefault("_sessions", {})
    if role not in sessions:
        client = _client(False)
        client.cookies.clear()
        client.force_login(getattr(w, role))
        sessions[role] = client.cookies[settings.SESSION_COOKIE_NAME].value
    return sessions[role]


def request_as(w, role, method, url, data, csrf_checks=False):
    client = _client(csrf_checks)
    client.cookies.clear()
    if role != "anonymous":
        client.cookies[settings.SESSION_COOKIE_NAME] = session_of(w, role)
    with transaction.atomic():
        if method == "GET":
            response = client.get(url)
        else:
            response = client.post(url, data)
        # Read a download before the rollback (a FileResponse streams from its file).
        response.body = (
            b"".join(response.streaming_content) if response.streaming else response.content
        )
        transaction.set_rollback(True)
    return response


def missing_entry_message(key, route):
    return (
        f"The URL {key!r} ({route}) has no entry in the permission matrix. Add one at the end "
        f"of {ENTRIES_FILE}, e.g.\n\n"
        f'MATRIX["{key}"] = Entry(\n'
        f"    args=lambda w: [w.draft.pk],\n"
        f"    shows=lambda w: w.partnership_name,\n"
        f"    get=grid(404, alice=OK, ulla=OK, root=OK),\n"
        f"    post=grid(404, alice=OK, ulla=403, root=403),  # only if the view writes\n"
        f")\n\n(See the top of tests/portal/test_permission_matrix.py for what each part means.)"
    )


def test_permission_matrix(matrix_key, world):
    patterns = url_patterns()
    name = matrix_key.split("#")[0]
    if "<unnamed" in matrix_key:
        pytest.fail(f"Give the URL pattern {patterns[matrix_key]} a name.", pytrace=False)
    if matrix_key not in MATRIX:
        pytest.fail(missing_entry_message(matrix_key, patterns[matrix_key]), pytrace=False)
    if name not in patterns:
        pytest.fail(
            f"MATRIX[{matrix_key!r}] names no URL pattern: remove the entry or fix its name.",
            pytrace=False,
        )
    entry = MATRIX[matrix_key]
    assert set(entry.get) == set(ROLES), f"{matrix_key}: get must name every role (use grid)"
    url = reverse(name, args=entry.args(world)) + entry.query
    problems = []
    for method, expectations in (("GET", entry.get), ("POST", entry.post)):
        if expectations is None:
            continue
        assert set(expectations) == set(ROLES), f"{matrix_key}: {method} needs every role"
        for role in ROLES:
            response = request_as(world, role, method, url, entry.data(world))
            problem = check(response, method, expectations[role], entry, world)
            if problem:
                problems.append(f"  {method} {url} as {role}: {problem}")
    if problems:
        pytest.fail(f"{matrix_key}:\n" + "\n".join(problems), pytrace=False)


def test_every_url_has_an_entry():
    """The same check as above in one list, for a quick overview of what is missing."""
    missing = [key for key in url_patterns() if key not in MATRIX]
    assert not missing, f"Add MATRIX entries at the end of {ENTRIES_FILE} for: {missing}"


def test_writes_need_a_csrf_token(write_key, world):
    """A POST without a CSRF token is refused (403) before the view runs, even by a user who
    may write (the check does not depend on the user, so one such user is enough)."""
    entry = MATRIX[write_key]
    url = reverse(write_key.split("#")[0], args=entry.args(world)) + entry.query
    role = next(role for role, expected in entry.post.items() if expected == OK)
    response = request_as(world, role, "POST", url, entry.data(world), csrf_checks=True)
    assert response.status_code == 403, f"POST {url} as {role} without a CSRF token"
    # Django's CSRF failure page, not the view's own 403 (the matrix shows the view lets
    # this user write when the token is there).
    assert "CSRF" in response.content.decode(), response.content[:300]
