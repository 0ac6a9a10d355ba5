"""The standard cast, healthchecks-style.

- alice: coordinator of partnership A
- ulla: UH contact of partnership A (read-only on amounts)
- bob: coordinator of partnership B in another county (the outsider)
- olga: case officer of county A (Statsforvalteren i Nordland)
- otto: case officer of county B (sees nothing of county A)
- root: administrator
- fiona: member of county A's samarbeidsforum (reads submitted reports, comments)
"""

from datetime import UTC, datetime
from types import SimpleNamespace

import pytest
from django.db import DatabaseError, transaction

from needs.totals import drift
from partnerships.models import ForumMembership, Organisation

from .factories import make_county, make_org, make_partnership, make_region, make_user


@pytest.fixture(autouse=True)
def _stored_totals_match_the_rows(request):
    """After every test that uses the database, each need report's stored totals must equal
    the sums of its measures and allocations (what `manage.py check_totals` checks): every
    flow that writes an amount keeps them, and test data written by hand refreshes them."""
    names = request.fixturenames
    marker = request.node.get_closest_marker("django_db")
    transactional = "transactional_db" in names or "live_server" in names
    if marker is not None and marker.kwargs.get("transaction"):
        transactional = True
    if not (transactional or marker is not None or "db" in names):
        yield
        return
    # Set up the database first, so this check runs before its rollback.
    request.getfixturevalue("transactional_db" if transactional else "db")
    yield
    try:
        wrong = [(report.pk, fields) for report, fields in drift()]
    except DatabaseError:
        return  # the test left its transaction failed on purpose (an IntegrityError tested)
    assert not wrong, (
        f"stored totals differ from the rows (report, {{field: (stored, rows)}}): {wrong}"
    )


@pytest.fixture(autouse=True)
def _tasks_run_on_commit(monkeypatch):
    """Tasks (mail, exports) go to the real database queue, and the real database worker
    runs them when the enqueuing transaction commits, as in production. Inside a test
    nothing commits: a task becomes due only when `django_capture_on_commit_callbacks(
    execute=True)` runs its transaction's callbacks, so `mail.outbox` fills as a mailbox
    would (and a task of a transaction that never "committed" never runs). The worker's
    connection check is skipped: inside a test's transaction it would close the connection."""
    from django_tasks.signals import task_enqueued
    from django_tasks_db.management.commands import db_worker
    from django_tasks_db.models import DBTaskResult

    from portal.tasks import run_queued_tasks

    monkeypatch.setattr(db_worker, "close_old_connections", lambda: None)
    # (run_queued_tasks sets up no signal handlers: the browser tests' live server runs it
    # outside the main thread, where Python refuses them.)
    held_until = datetime(9000, 1, 1, tzinfo=UTC)

    def hold_until_commit(sender, task_result, **kwargs):
        row = DBTaskResult.objects.filter(id=task_result.id)
        run_after = row.values_list("run_after", flat=True).get()
        row.update(run_after=held_until)

        def commit():
            row.update(run_after=run_after)
            run_queued_tasks()

        transaction.on_commit(commit)

    task_enqueued.connect(hold_until_commit, dispatch_uid="tests-hold-until-commit")
    yield
    task_enqueued.disconnect(dispatch_uid="tests-hold-until-commit")


@pytest.fixture
def cast(db):
    alice = make_user("alice", first_name="Alice", last_name="Koordinator")
    ulla = make_user("ulla", first_name="Ulla", last_name="Universitet")
    bob = make_user("bob", first_name="Bob", last_name="Utenfor")
    olga = make_user("olga", first_name="Olga", last_name="Saksbehandler")
    otto = make_user("otto", first_name="Otto", last_name="Annetfylke")
    root = make_user("root", is_superuser=True, is_staff=True)
    fiona = make_user("fiona", first_name="Fiona", last_name="Forum")

    county_a = make_county("Statsforvalteren i Nordland", officer=olga)
    county_b = make_county("Statsforvalteren i Vestland", officer=otto)
    ForumMembership.objects.create(county_office=county_a, user=fiona)
    region_a = make_region(county_a, "Ytre Helgeland")
    region_b = make_region(county_b, "Sunnhordland")
    owner_a1 = make_org("Alstahaug kommune", county=county_a)
    owner_a2 = make_org("Træna kommune", county=county_a)
    owner_b = make_org("Stord kommune", county=county_b)
    uh = make_org("Høgskolen i Innlandet", kind=Organisation.Kind.UH)
    partnership_a = make_partnership(
        region_a,
        "God opplæring for alle",
        owners=[owner_a1, owner_a2],
        uh=[uh],
        coordinators=[alice],
        uh_contacts=[ulla],
    )
    partnership_b = make_partnership(
        region_b, "Sunnhordland-nettverket", owners=[owner_b], uh=[uh], coordinators=[bob]
    )
    return SimpleNamespace(**locals())


@pytest.fixture
def login(client):
    def _login(user):
        client.force_login(user)
        return client

    return _login
