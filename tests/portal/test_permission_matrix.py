"""The permission matrix: every named URL of our apps, for every role of the cast.

For each URL the table MATRIX (at the END of this file) says how to build its arguments from
the `world` (the cast of tests/conftest.py plus need reports in several states) and what each
role gets on GET and, where the view writes, on POST:

    anonymous -> the login page (LOGIN)      outsider -> 404
    read-only member -> 403 on writes        allowed -> 200 (or 302 after a POST) AND the
                                             object's data in the response (OK)

A URL pattern without an entry fails `test_permission_matrix[<name>]` with the entry to add.

HOW TO ADD AN ENTRY (for a new URL "app:name"): append to the end of this file

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
- If your URL needs an object the world lacks, create it in `world()` below (keep it small).
- Every write URL is also posted WITHOUT a CSRF token (test_writes_need_a_csrf_token): 403.
"""

import html
import io
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from types import SimpleNamespace
from typing import Any

import pytest
from django.conf import settings
from django.db import transaction
from django.test import Client
from django.urls import URLResolver, get_resolver, reverse
from django.views.i18n import set_language

from needs.models import Allocation, Frame, NeedReport
from partnerships.models import RuleSettings
from reporting import pdf
from reporting.models import ExportJob
from tests.factories import scheme, submit_directly
from tests.needs.conftest import make_measure, make_report

pytestmark = pytest.mark.django_db

ROLES = ("anonymous", "alice", "ulla", "bob", "olga", "otto", "root")
THIS_FILE = "tests/portal/test_permission_matrix.py"

# Outcomes (plain ints 403, 404, 405 are outcomes too).
LOGIN = "login"
OK = "ok"
HIDDEN = "hidden"


@dataclass(frozen=True)
class ok:  # noqa: N801 - reads like the constant OK in the table
    """OK, but this role sees other data than the entry's `shows`: ok(lambda w: "...")."""

    text: Callable


def grid(default, *, anonymous=LOGIN, **roles):
    unknown = set(roles) - set(ROLES)
    if unknown:
        raise ValueError(f"Unknown role(s) {sorted(unknown)}; the roles are {ROLES}")
    return {"anonymous": anonymous, **{role: roles.get(role, default) for role in ROLES[1:]}}


@dataclass
class Entry:
    args: Callable[[Any], list] = lambda w: []
    shows: Callable[[Any], str] | None = None
    get: dict = field(default_factory=dict)
    post: dict | None = None
    data: Callable[[Any], dict] = lambda w: {}
    query: str = ""


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
    measure = make_measure(w.allocated, 20_000, 80_000, name="Inkluderende praksis")
    Allocation.objects.create(measure=measure, owner_amount=20_000, uh_amount=80_000)
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
            text = html.unescape(text)
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
        f"of {THIS_FILE}, e.g.\n\n"
        f'MATRIX["{key}"] = Entry(\n'
        f"    args=lambda w: [w.draft.pk],\n"
        f"    shows=lambda w: w.partnership_name,\n"
        f"    get=grid(404, alice=OK, ulla=OK, root=OK),\n"
        f"    post=grid(404, alice=OK, ulla=403, root=403),  # only if the view writes\n"
        f")\n\n(See the top of the file for what each part means.)"
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
    assert not missing, f"Add MATRIX entries at the end of {THIS_FILE} for: {missing}"


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


# The table ---------------------------------------------------------------------------------

# Who sees partnership A's objects, and who may change them.
A_READERS = grid(404, alice=OK, ulla=OK, olga=OK, root=OK)  # submitted/allocated reports
DRAFT_READERS = grid(404, alice=OK, ulla=OK, root=OK)  # officers never see drafts
DRAFT_WRITERS = grid(404, alice=OK, ulla=403, root=403)  # only the coordinator writes
LOCKED = grid(404, alice=403, ulla=403, olga=403, root=403)  # a submitted report
POST_ONLY = grid(405)  # require_POST: GET is 405 once logged in
OFFICERS = grid(403, olga=OK, otto=OK, root=OK)  # officer pages without an object
OFFICERS_OF_A = grid(403, olga=OK, otto=404, root=OK)  # an object of A's county
OFFICER_LIST = grid(403, olga=OK, otto=HIDDEN, root=OK)  # filtered to the officer's county
USER_LIST = grid(HIDDEN, alice=OK, ulla=OK, olga=OK, root=OK)  # filtered to what one sees
EVERYONE = grid(OK)

NORDLAND = "Statsforvalteren i Nordland"
MATRIX = {
    # portal
    "portal:dashboard": Entry(
        shows=lambda w: w.partnership_name,
        get=grid(
            HIDDEN,
            alice=OK,
            ulla=OK,
            olga=ok(lambda w: NORDLAND),
            otto=ok(lambda w: "Statsforvalteren i Vestland"),
            root=ok(lambda w: NORDLAND),
        ),
    ),
    "login": Entry(
        shows=lambda w: 'name="password"',
        get=grid(OK, anonymous=OK),
        post=grid(OK, anonymous=OK),  # no credentials: the form again, with an error
    ),
    # partnerships
    "partnerships:list": Entry(
        shows=lambda w: w.partnership_name, get=grid(HIDDEN, alice=OK, ulla=OK, olga=OK, root=OK)
    ),
    "partnerships:create": Entry(shows=lambda w: 'name="name"', get=OFFICERS, post=OFFICERS),
    "partnerships:detail": Entry(
        args=lambda w: [w.partnership_a.pk], shows=lambda w: w.partnership_name, get=A_READERS
    ),
    "partnerships:edit": Entry(
        args=lambda w: [w.partnership_a.pk],
        shows=lambda w: w.partnership_name,
        get=grid(404, alice=403, ulla=403, olga=OK, root=OK),
        post=grid(404, alice=403, ulla=403, olga=OK, root=OK),
    ),
    "partnerships:organisation_list": Entry(shows=lambda w: w.owner_a1.name, get=OFFICER_LIST),
    "partnerships:organisation_create": Entry(
        shows=lambda w: 'name="org_number"', get=OFFICERS, post=OFFICERS
    ),
    "partnerships:organisation_edit": Entry(
        args=lambda w: [w.owner_a1.pk],
        shows=lambda w: w.owner_a1.name,
        get=OFFICERS_OF_A,
        post=OFFICERS_OF_A,
    ),
    "partnerships:organisation_import": Entry(
        shows=lambda w: 'type="file"', get=OFFICERS, post=OFFICERS
    ),
    "partnerships:organisation_import_confirm": Entry(get=POST_ONLY, post=OFFICERS),
    "partnerships:organisation_import_template": Entry(shows=lambda w: "org", get=OFFICERS),
    "partnerships:rules_list": Entry(shows=lambda w: "55", get=OFFICER_LIST),
    "partnerships:rules_create": Entry(
        shows=lambda w: 'name="min_uh_share_percent"', get=OFFICERS, post=OFFICERS
    ),
    "partnerships:rules_edit": Entry(
        args=lambda w: [w.rules.pk],
        shows=lambda w: 'value="55"',
        get=OFFICERS_OF_A,
        post=OFFICERS_OF_A,
    ),
    # needs
    "needs:list": Entry(shows=lambda w: w.partnership_name, get=USER_LIST),
    "needs:create": Entry(
        shows=lambda w: w.partnership_name,
        get=grid(403, alice=OK, bob=ok(lambda w: w.partnership_b.name)),
        post=grid(403, alice=OK, bob=OK),
    ),
    "needs:detail": Entry(
        args=lambda w: [w.draft.pk], shows=lambda w: w.draft_measure.name, get=DRAFT_READERS
    ),
    "needs:detail#submitted": Entry(
        args=lambda w: [w.submitted.pk], shows=lambda w: "Matematikk i praksis", get=A_READERS
    ),
    "needs:edit": Entry(
        args=lambda w: [w.draft.pk],
        shows=lambda w: w.draft.owner_contact_name,
        get=DRAFT_WRITERS,
        post=DRAFT_WRITERS,
        # An empty POST leaves the form unbound and the view fails (500): send one field.
        data=lambda w: {"owner_contact_name": "Tone Dalen", "version": w.draft.lock_version},
    ),
    "needs:edit#submitted": Entry(args=lambda w: [w.submitted.pk], get=LOCKED, post=LOCKED),
    "needs:summary": Entry(
        args=lambda w: [w.draft.pk], shows=lambda w: "100 000", get=DRAFT_READERS
    ),
    "needs:submit": Entry(args=lambda w: [w.draft.pk], get=POST_ONLY, post=DRAFT_WRITERS),
    "needs:versions": Entry(
        args=lambda w: [w.submitted.pk], shows=lambda w: w.partnership_name, get=A_READERS
    ),
    "needs:version": Entry(
        args=lambda w: [w.submitted.pk, 1], shows=lambda w: "Matematikk i praksis", get=A_READERS
    ),
    "needs:review_action": Entry(
        args=lambda w: [w.submitted.pk],
        get=POST_ONLY,
        post=grid(404, alice=403, ulla=403, olga=OK, root=OK),
        data=lambda w: {"action": "reviewed"},
    ),
    "needs:queue": Entry(shows=lambda w: w.partnership_name, get=OFFICER_LIST),
    "needs:allocation": Entry(
        args=lambda w: [w.county_a.pk, "dekom", 2024],
        shows=lambda w: "Matematikk i praksis",
        get=OFFICERS_OF_A,
        post=OFFICERS_OF_A,
    ),
    "needs:rescale": Entry(
        args=lambda w: [w.county_a.pk, "dekom", 2024],
        query="?new_amount=6000000",
        shows=lambda w: "5 000 000",  # the frame now
        get=OFFICERS_OF_A,
        post=OFFICERS_OF_A,
    ),
    # measures (under /needs/<report>/measures/)
    "measures:create": Entry(args=lambda w: [w.draft.pk], get=POST_ONLY, post=DRAFT_WRITERS),
    "measures:edit": Entry(
        args=lambda w: [w.draft.pk, w.draft_measure.pk],
        shows=lambda w: w.draft_measure.name,
        get=DRAFT_READERS,
        post=DRAFT_WRITERS,
        # An empty POST leaves the form unbound and the view fails (500): send one field.
        data=lambda w: {"name": w.draft_measure.name, "version": w.draft_measure.lock_version},
    ),
    "measures:delete": Entry(
        args=lambda w: [w.draft.pk, w.draft_measure.pk],
        shows=lambda w: w.draft_measure.name,
        get=DRAFT_WRITERS,
        post=DRAFT_WRITERS,
    ),
    "measures:move": Entry(
        args=lambda w: [w.draft.pk, w.draft_measure.pk], get=POST_ONLY, post=DRAFT_WRITERS
    ),
    # reporting: PDFs
    "reporting:report_pdf": Entry(
        args=lambda w: [w.draft.pk], shows=lambda w: w.draft_measure.name, get=DRAFT_READERS
    ),
    "reporting:version_pdf": Entry(
        args=lambda w: [w.submitted.pk, 1], shows=lambda w: "Matematikk i praksis", get=A_READERS
    ),
    "reporting:allocation_letter": Entry(
        args=lambda w: [w.allocated.pk], shows=lambda w: "Inkluderende praksis", get=A_READERS
    ),
    "reporting:allocation_letter#preview": Entry(
        # Before the decision only the case officers see the letter (a draft).
        args=lambda w: [w.submitted.pk],
        shows=lambda w: "Matematikk i praksis",
        get=grid(404, olga=OK, root=OK),
    ),
    "reporting:letter_settings": Entry(
        args=lambda w: [w.county_a.pk, "dekom", 2024],
        shows=lambda w: NORDLAND,
        get=OFFICERS_OF_A,
        post=OFFICERS_OF_A,
    ),
    "reporting:pdf_exports": Entry(
        shows=lambda w: NORDLAND,
        get=grid(403, olga=OK, otto=HIDDEN, root=OK),
        post=OFFICERS,
    ),
    "reporting:pdf_export_download": Entry(
        args=lambda w: [w.job.pk], shows=lambda w: "god-opplaering-for-alle", get=OFFICERS_OF_A
    ),
    # reporting: spreadsheets and statistics
    "reporting:exports": Entry(shows=lambda w: "need-reports.xlsx", get=EVERYONE),
    "reporting:export_reports": Entry(
        args=lambda w: ["csv"], shows=lambda w: w.partnership_name, get=USER_LIST
    ),
    "reporting:export_measures": Entry(
        args=lambda w: ["xlsx"], shows=lambda w: "Matematikk i praksis", get=USER_LIST
    ),
    "reporting:export_allocations": Entry(
        args=lambda w: ["csv"], shows=lambda w: "Inkluderende praksis", get=USER_LIST
    ),
    "reporting:export_payments": Entry(
        args=lambda w: ["csv"], shows=lambda w: w.partnership_name, get=OFFICER_LIST
    ),
    "reporting:report_measures": Entry(
        args=lambda w: [w.draft.pk, "csv"],
        shows=lambda w: w.draft_measure.name,
        get=DRAFT_READERS,
    ),
    "reporting:measure_import": Entry(
        args=lambda w: [w.draft.pk],
        shows=lambda w: w.partnership_name,
        get=DRAFT_WRITERS,
        post=DRAFT_WRITERS,
    ),
    "reporting:measure_import_confirm": Entry(
        args=lambda w: [w.draft.pk], get=POST_ONLY, post=DRAFT_WRITERS
    ),
    "reporting:measure_import_template": Entry(
        args=lambda w: ["csv"], shows=lambda w: "Navn", get=EVERYONE
    ),
    "reporting:statistics": Entry(shows=lambda w: w.region_a.name, get=OFFICER_LIST),
    "reporting:statistics_xlsx": Entry(shows=lambda w: w.region_a.name, get=OFFICER_LIST),
}

# New entries go below this line (see the top of the file). --------------------------------


# reporting: the annual report (rapport) of w.allocated. The state is set up by the `args`
# function, once per entry before the roles' requests (each of which is rolled back).


def annual_draft(w):
    """w.allocated's annual report: a complete draft."""
    from reporting.annual import annual_report_start

    annual = annual_report_start(need_report=w.allocated, user=w.alice)
    annual.lines.update(
        owner_used=20_000, uh_used=70_000, effect="Bedre lesing", process="Ok", structure="Ok"
    )
    annual.unused_note = "Rimeligere enn planlagt"
    annual.save()
    return annual


def annual_submitted(w):
    from reporting.annual import annual_report_submit

    return annual_report_submit(annual=annual_draft(w), user=w.alice)


ANNUAL_DRAFT_PAGE = grid(404, alice=OK, ulla=OK, olga=HIDDEN, root=OK)  # officers: status only
ANNUAL_WRITERS = grid(404, alice=OK, ulla=403, olga=403, root=403)  # the coordinator only

MATRIX["reporting:annual_status"] = Entry(shows=lambda w: w.partnership_name, get=OFFICER_LIST)
MATRIX["reporting:annual_export"] = Entry(shows=lambda w: w.partnership_name, get=OFFICER_LIST)
MATRIX["reporting:annual_deadline"] = Entry(
    args=lambda w: [w.county_a.pk, 2024],
    get=POST_ONLY,
    post=OFFICERS_OF_A,
    data=lambda w: {f"office{w.county_a.pk}-due_date": "2025-02-01"},
)
MATRIX["reporting:annual_detail"] = Entry(
    args=lambda w: [annual_draft(w).need_report_id],
    shows=lambda w: "Bedre lesing",
    get=ANNUAL_DRAFT_PAGE,
)
MATRIX["reporting:annual_detail#submitted"] = Entry(
    args=lambda w: [annual_submitted(w).need_report_id],
    shows=lambda w: "Bedre lesing",
    get=A_READERS,
)
MATRIX["reporting:annual_detail#not-started"] = Entry(
    args=lambda w: [w.allocated.pk],
    shows=lambda w: w.partnership_name,
    get=A_READERS,
)
MATRIX["reporting:annual_start"] = Entry(
    args=lambda w: [w.allocated.pk], get=POST_ONLY, post=ANNUAL_WRITERS
)
MATRIX["reporting:annual_edit"] = Entry(
    args=lambda w: [annual_draft(w).need_report_id],
    shows=lambda w: "Bedre lesing",
    get=ANNUAL_WRITERS,
    post=ANNUAL_WRITERS,
)
MATRIX["reporting:annual_edit#submitted"] = Entry(
    args=lambda w: [annual_submitted(w).need_report_id], get=LOCKED
)
MATRIX["reporting:annual_submit"] = Entry(
    args=lambda w: [annual_draft(w).need_report_id], get=POST_ONLY, post=ANNUAL_WRITERS
)
MATRIX["reporting:annual_confirm"] = Entry(
    args=lambda w: [annual_draft(w).need_report_id],
    get=POST_ONLY,
    post=grid(404, alice=403, ulla=OK, olga=403, root=403),
)
MATRIX["reporting:annual_comment"] = Entry(
    args=lambda w: [annual_draft(w).need_report_id],
    get=POST_ONLY,
    post=grid(404, alice=OK, ulla=OK, olga=403, root=403),
    data=lambda w: {"text": "Stemmer for UH"},
)
MATRIX["reporting:annual_comment#submitted"] = Entry(
    args=lambda w: [annual_submitted(w).need_report_id],
    get=POST_ONLY,
    post=grid(404, alice=OK, ulla=OK, olga=OK, root=OK),
    data=lambda w: {"text": "Takk"},
)
MATRIX["reporting:annual_review"] = Entry(
    args=lambda w: [annual_submitted(w).need_report_id],
    get=POST_ONLY,
    post=grid(404, alice=403, ulla=403, olga=OK, root=OK),
    data=lambda w: {"action": "approve", "unused_handling": "returned"},
)
MATRIX["reporting:annual_pdf"] = Entry(
    args=lambda w: [annual_draft(w).need_report_id],
    shows=lambda w: "Bedre lesing",
    get=grid(404, alice=OK, ulla=OK, root=OK),
)
MATRIX["reporting:annual_version_pdf"] = Entry(
    args=lambda w: [annual_submitted(w).need_report_id, 1],
    shows=lambda w: "Bedre lesing",
    get=A_READERS,
)


# partnerships: the activity plan (/activity-plan/). Its objects are made by the `args`
# functions, like the annual report's above.

PLAN_TITLE = "Kompetansedag i matrisen"


def plan_activity(w):
    """An all-day activity of partnership A in August 2024, added by alice."""
    from datetime import date

    from partnerships.models_plan import PlannedActivity, local_datetime

    return PlannedActivity.objects.create(
        partnership=w.partnership_a,
        title=PLAN_TITLE,
        kind=PlannedActivity.Kind.COMPETENCE_DAY,
        starts_at=local_datetime(date(2024, 8, 13)),
        ends_at=local_datetime(date(2024, 8, 13)),
        all_day=True,
        created_by=w.alice,
    )


def plan_feed_token(w, revoke=False):
    from partnerships.services_plan import feed_token_create, feed_token_revoke

    plan_activity(w)
    token = feed_token_create(user=w.alice)
    if revoke:
        feed_token_revoke(user=w.alice)
    return token


def plan_form(w):
    return {
        "title": "Ledersamling i matrisen",
        "kind": "leader_meeting",
        "start_date": "2024-10-16",
        "start_time": "09:00",
        "end_time": "15:00",
    }


PLAN_READERS = grid(HIDDEN, alice=OK, ulla=OK, olga=OK, root=OK)  # lists: filtered
PLAN_A_READERS = grid(404, alice=OK, ulla=OK, olga=OK, root=OK)
PLAN_ADDERS = grid(404, alice=OK, ulla=OK, olga=403, root=403)  # members add
PLAN_EDITORS = grid(404, alice=OK, ulla=403, olga=403, root=403)  # alice's own activity

MATRIX["plan:half_year"] = Entry(
    args=lambda w: plan_activity(w) and [],
    query="?year=2024&half=autumn",
    shows=lambda w: PLAN_TITLE,
    get=PLAN_READERS,
)
MATRIX["plan:month"] = Entry(
    args=lambda w: plan_activity(w) and [],
    query="?year=2024&month=8",
    shows=lambda w: PLAN_TITLE,
    get=PLAN_READERS,
)
MATRIX["plan:pdf"] = Entry(
    args=lambda w: plan_activity(w) and [],
    query="?year=2024&half=autumn",
    shows=lambda w: PLAN_TITLE,
    get=PLAN_READERS,
)
MATRIX["plan:choose"] = Entry(get=grid(403, alice=302, ulla=302, bob=302))
MATRIX["plan:create"] = Entry(
    args=lambda w: [w.partnership_a.pk],
    shows=lambda w: 'name="title"',
    get=PLAN_ADDERS,
    post=PLAN_ADDERS,
    data=plan_form,
)
MATRIX["plan:detail"] = Entry(
    args=lambda w: [plan_activity(w).pk], shows=lambda w: PLAN_TITLE, get=PLAN_A_READERS
)
MATRIX["plan:edit"] = Entry(
    args=lambda w: [plan_activity(w).pk],
    shows=lambda w: PLAN_TITLE,
    get=PLAN_EDITORS,
    post=PLAN_EDITORS,
    data=plan_form,
)
MATRIX["plan:delete"] = Entry(
    args=lambda w: [plan_activity(w).pk],
    shows=lambda w: PLAN_TITLE,
    get=PLAN_EDITORS,
    post=PLAN_EDITORS,
)
MATRIX["plan:partnership_calendar"] = Entry(
    args=lambda w: plan_activity(w) and [w.partnership_a.pk],
    shows=lambda w: PLAN_TITLE,
    get=PLAN_A_READERS,
)
MATRIX["plan:feed_settings"] = Entry(
    shows=lambda w: 'name="action"',
    get=grid(OK),
    post=grid(OK),
    data=lambda w: {"action": "create"},
)
MATRIX["plan:feed"] = Entry(  # the token is the only credential: alice's feed for anyone
    args=lambda w: [plan_feed_token(w)],
    shows=lambda w: PLAN_TITLE,
    get=grid(OK, anonymous=OK),
)
MATRIX["plan:feed#revoked"] = Entry(
    args=lambda w: [plan_feed_token(w, revoke=True)], get=grid(404, anonymous=404)
)


# Comments and the UH confirmation (needs/views_comments.py), e-mail settings (portal) -------


def ulla_comment(w):
    """A comment by the UH contact on the draft's measure (only its author edits it)."""
    from needs.models import Comment

    if not hasattr(w, "comment"):
        w.comment = Comment.objects.create(
            report=w.draft, measure=w.draft_measure, author=w.ulla, text="Kan vi starte i august?"
        )
    return w.comment


# Members comment on drafts; the county office comments once the report is submitted.
MATRIX["needs:comment_add"] = Entry(
    args=lambda w: [w.draft.pk],
    get=POST_ONLY,
    post=grid(404, alice=OK, ulla=OK, root=403),
    data=lambda w: {"text": "En kommentar"},
)
MATRIX["needs:comment_add#submitted"] = Entry(
    args=lambda w: [w.submitted.pk],
    get=POST_ONLY,
    post=grid(404, alice=OK, ulla=OK, olga=OK, root=OK),  # admins act as the county office
    data=lambda w: {"text": "Et spørsmål fra Statsforvalteren"},
)
MATRIX["needs:comment_edit"] = Entry(
    args=lambda w: [w.draft.pk, ulla_comment(w).pk],
    shows=lambda w: "Kan vi starte i august?",
    get=grid(404, alice=403, ulla=OK, root=403),
    post=grid(404, alice=403, ulla=OK, root=403),
    data=lambda w: {"text": "Kan vi starte i september?"},
)
MATRIX["needs:comment_delete"] = Entry(
    args=lambda w: [w.draft.pk, ulla_comment(w).pk],
    get=POST_ONLY,
    post=grid(404, alice=403, ulla=OK, root=403),
)
MATRIX["needs:confirm"] = Entry(
    args=lambda w: [w.draft.pk], get=POST_ONLY, post=grid(404, alice=403, ulla=OK, root=403)
)
MATRIX["needs:confirm#submitted"] = Entry(
    args=lambda w: [w.submitted.pk],
    get=POST_ONLY,
    post=grid(404, alice=403, ulla=403, olga=403, root=403),
)
MATRIX["portal:notification_settings"] = Entry(
    shows=lambda w: 'value="comment"',
    get=grid(OK),
    post=grid(OK),
    data=lambda w: {"wanted": ["comment", "submitted"]},
)
