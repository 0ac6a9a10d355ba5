"""The workflow under concurrent requests, with real transactions from two connections.

Each race is made deterministic: the first request is held inside its transaction (after it
took the report's lock) until the second one has been sent, then let go. With the report
locked by every writer, the second request waits and then sees the first one's result.
"""

import importlib
import threading
import time

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from needs import services as need_services
from needs.models import AuditEntry, NeedReport, UhConfirmation
from tests.factories import confirm_uh

from .conftest import make_report

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

Status = NeedReport.Status
HELD = 0.6  # seconds the first request keeps its transaction open after the second is sent


def client_for(user):
    client = Client()
    client.force_login(user)
    return client


class Held:
    """Wrap `module.name` so that its first call signals, then waits until released."""

    def __init__(self, monkeypatch, target):
        self.entered, self.release = threading.Event(), threading.Event()
        module, name = target.rsplit(".", 1)
        original = getattr(importlib.import_module(module), name)

        def held(*args, **kwargs):
            if not self.entered.is_set():
                self.entered.set()
                assert self.release.wait(10)
            return original(*args, **kwargs)

        monkeypatch.setattr(target, held)


def in_thread(function):
    """Run `function` in a thread with its own database connection; returns (thread, box)."""
    box = {}

    def run():
        try:
            box["result"] = function()
        except Exception as error:  # noqa: BLE001 - handed to the test
            box["error"] = error
        finally:
            connection.close()

    thread = threading.Thread(target=run)
    thread.start()
    return thread, box


def race(first, second, held):
    """Start `first`, wait until it is held inside its transaction, start `second`, let the
    first go after HELD seconds, and return both results."""
    one, first_box = in_thread(first)
    assert held.entered.wait(10), "the first request never reached its transaction"
    two, second_box = in_thread(second)
    time.sleep(HELD)
    held.release.set()
    one.join(15)
    two.join(15)
    assert "error" not in first_box and "error" not in second_box, (first_box, second_box)
    return first_box["result"], second_box["result"]


@pytest.fixture
def submittable(cast):
    """A complete draft that passes every rule (UH 75 %), its UH part confirmed."""
    report = make_report(cast.partnership_a, measures=[(100_000, 300_000)])
    confirm_uh(report, cast.ulla)
    return report


def autosave(user, measure, **changes):
    data = {"name": measure.name, "version": measure.lock_version, **changes}
    return client_for(user).post(
        reverse("measures:edit", args=[measure.report_id, measure.pk]),
        data,
        headers={"x-requested-with": "autosave"},
    )


def submit(user, report):
    return client_for(user).post(reverse("needs:submit", args=[report.pk]), follow=True)


def test_autosave_sent_during_submit_is_refused_after_it(cast, submittable, monkeypatch):
    measure = submittable.measures.get()
    # "Send inn" holds the report while it builds the version; the autosave arrives then.
    held = Held(monkeypatch, "needs.services.build_snapshot")

    submitted, saved = race(
        lambda: submit(cast.alice, submittable),
        lambda: autosave(cast.alice, measure, uh_amount="400 000"),
        held,
    )

    assert submitted.status_code == 200
    assert saved.status_code in (200, 403)
    if saved.status_code == 200:
        assert saved.json()["status"] == "refused"
    submittable.refresh_from_db()
    measure.refresh_from_db()
    assert submittable.status == Status.SUBMITTED
    version = submittable.versions.get()
    assert measure.uh_amount == 300_000
    assert version.snapshot["measures"][0]["uh_amount"] == 300_000
    assert version.snapshot["totals"]["uh"] == submittable.requested_uh == 300_000


def test_autosave_that_lands_first_is_in_the_report_and_clears_the_confirmation(
    cast, submittable, monkeypatch
):
    measure = submittable.measures.get()
    # The autosave holds the report while it records what it saved; "Send inn" arrives then.
    held = Held(monkeypatch, "measures.services.record_activity")

    saved, submitted = race(
        lambda: autosave(cast.alice, measure, uh_amount="400 000"),
        lambda: submit(cast.alice, submittable),
        held,
    )

    assert saved.json()["status"] == "saved"
    page = submitted.content.decode()
    assert "UH-kontakten må bekrefte på nytt" in page
    submittable.refresh_from_db()
    measure.refresh_from_db()
    assert submittable.status == Status.DRAFT
    assert not submittable.versions.exists()
    assert measure.uh_amount == 400_000
    assert submittable.requested_uh == 400_000
    assert UhConfirmation.objects.get(report=submittable).is_cleared


@pytest.fixture
def sent(submittable, cast):
    need_services.need_report_submit(report=submittable, user=cast.alice)
    return submittable


def review_post(user, report, action, **data):
    return client_for(user).post(
        reverse("needs:review_action", args=[report.pk]),
        {"action": action, "confirmed": "1", **data},
        follow=True,
    )


def test_of_two_officers_acting_at_once_exactly_one_succeeds(cast, sent, monkeypatch):
    other = type(cast.olga).objects.create_user("olav", password="x")
    sent.partnership.region.county_office.officers.add(other)
    held = Held(monkeypatch, "needs.review._set_status")

    returned, rejected = race(
        lambda: review_post(cast.olga, sent, "return", message="Mer til UH"),
        lambda: review_post(other, sent, "reject", reason="Utenfor ordningen"),
        held,
    )

    sent.refresh_from_db()
    assert sent.status == Status.RETURNED
    assert "Behovsmeldingen ble sendt tilbake." in returned.content.decode()
    refused = rejected.content.decode()
    assert "Noen andre kan ha" in refused
    status_changes = AuditEntry.objects.filter(report=sent, subject="Status")
    assert [(e.old_value, e.new_value) for e in status_changes] == [
        ("Sendt inn", "Returnert for endringer")
    ]


def test_two_submits_at_once_make_one_version(cast, submittable, monkeypatch):
    held = Held(monkeypatch, "needs.services.build_snapshot")

    first, second = race(
        lambda: submit(cast.alice, submittable),
        lambda: submit(cast.alice, submittable),
        held,
    )

    submittable.refresh_from_db()
    assert submittable.status == Status.SUBMITTED
    assert submittable.versions.count() == 1
    pages = first.content.decode() + second.content.decode()
    assert "Noen andre kan ha" in pages or second.status_code == 403


def test_a_request_that_waits_too_long_for_the_lock_gives_up_with_a_message(
    cast, submittable, monkeypatch
):
    from django.db import connection as main_connection

    from portal.workflow import BUSY, Refused

    assert "lock_timeout" in main_connection.settings_dict["OPTIONS"]["options"]
    held = Held(monkeypatch, "needs.services.build_snapshot")
    one, _box = in_thread(lambda: submit(cast.alice, submittable))
    assert held.entered.wait(10)
    with main_connection.cursor() as cursor:  # shorter than the 5 s of the settings
        cursor.execute("SET lock_timeout = '300ms'")
    try:
        with pytest.raises(Refused) as refused:
            need_services.need_report_submit(report=submittable, user=cast.alice)
    finally:
        held.release.set()
        one.join(15)
        with main_connection.cursor() as cursor:
            cursor.execute("RESET lock_timeout")  # back to the connection's 5 s
    assert str(refused.value) == str(BUSY)
    submittable.refresh_from_db()
    assert submittable.status == Status.SUBMITTED and submittable.versions.count() == 1
