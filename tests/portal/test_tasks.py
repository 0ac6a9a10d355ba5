"""Background work: mail as tasks on the real database worker, retried; a mail server that is
down never fails a saved action; names with line breaks never break a mail header."""

import socket
from datetime import timedelta

import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from needs.models import Comment, NeedReport
from portal import tasks
from portal.notifications import notify, recipients_for
from tests.factories import confirm_uh
from tests.needs.conftest import make_report


def closed_port():
    """A local port with nothing listening: connecting is refused at once."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def mail_server_down(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = closed_port()
    settings.EMAIL_TIMEOUT = 2


def mail_tasks(status=None):
    results = DBTaskResult.objects.filter(task_path="portal.tasks.send_mail_task")
    return results.filter(status=status) if status else results


def run_worker():
    """The real worker, as `manage.py db_worker --batch` runs it."""
    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)


# The worker ---------------------------------------------------------------------------------


@pytest.mark.django_db
def test_queued_mail_waits_for_the_worker_and_the_worker_sends_it(cast):
    tasks.queue_mail(subject="Hei", body="Tekst", to=["alice@example.no"])
    assert mail.outbox == []  # queued, not sent by the request
    assert mail_tasks("READY").count() == 1
    # Tasks of a test are held until its transaction "commits"; release this one by hand.
    mail_tasks().update(run_after=timezone.now())

    run_worker()

    assert [m.to for m in mail.outbox] == [["alice@example.no"]]
    assert mail.outbox[0].subject == "Hei"
    assert mail_tasks("SUCCESSFUL").count() == 1


@pytest.mark.django_db
def test_a_failed_mail_is_recorded_logged_and_retried_later(cast, mail_server_down, caplog):
    tasks.queue_mail(subject="Hei", body="Tekst", to=["alice@example.no"])
    mail_tasks().update(run_after=timezone.now())

    run_worker()

    failed = mail_tasks("FAILED").get()
    assert "ConnectionRefusedError" in failed.traceback
    retry = mail_tasks("READY").get()
    assert retry.args_kwargs["kwargs"]["attempt"] == 2
    assert retry.run_after > timezone.now() + timedelta(seconds=30)
    assert "retrying" in caplog.text
    # When it is due and the server answers again, the retry delivers.
    mail_tasks("READY").update(run_after=timezone.now())
    from django.conf import settings

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    run_worker()
    assert [m.to for m in mail.outbox] == [["alice@example.no"]]


@pytest.mark.django_db
def test_the_last_attempt_gives_up_without_queuing_another(cast, mail_server_down):
    tasks.send_mail_task.enqueue(
        subject="Hei", body="Tekst", to=["a@example.no"], attempt=tasks.MAX_ATTEMPTS
    )
    mail_tasks().update(run_after=timezone.now())
    run_worker()
    assert mail_tasks("FAILED").count() == 1
    assert not mail_tasks("READY").exists()


# A mail server that is down -------------------------------------------------------------------


@pytest.fixture
def people(cast):
    for user in (cast.alice, cast.ulla, cast.olga):
        user.email = f"{user.username}@example.no"
        user.save()
    return cast


def test_with_the_mail_server_down_comment_submit_return_and_decide_succeed(
    people, login, mail_server_down, django_capture_on_commit_callbacks
):
    """Each action answers as usual and is saved; the worker (run when the action's
    transaction commits) records the failed mail and queues a retry."""
    cast = people
    report = make_report(cast.partnership_a, measures=[(40_000, 60_000), (20_000, 30_000)])
    confirm_uh(report, cast.ulla)
    alice = login(cast.alice)

    def act(client, url, data=None):
        before = mail_tasks("FAILED").count()
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(url, data or {})
        assert response.status_code in (200, 302), response.status_code
        assert mail_tasks("FAILED").count() > before  # the worker tried, and recorded it
        return response

    act(alice, reverse("needs:comment_add", args=[report.pk]), {"text": "Hei\nsammen"})
    assert Comment.objects.filter(report=report, text="Hei\nsammen").exists()

    act(alice, reverse("needs:submit", args=[report.pk]))
    report.refresh_from_db()
    assert report.status == NeedReport.Status.SUBMITTED

    olga = login(cast.olga)
    review = reverse("needs:review_action", args=[report.pk])
    act(olga, review, {"action": "return", "message": "Flytt mer til UH"})
    report.refresh_from_db()
    assert report.status == NeedReport.Status.RETURNED

    NeedReport.objects.filter(pk=report.pk).update(status=NeedReport.Status.SUBMITTED)
    act(olga, review, {"action": "reject", "confirmed": "1", "reason": "Ikke innenfor ordningen"})
    report.refresh_from_db()
    assert report.status == NeedReport.Status.REJECTED

    assert mail.outbox == []
    # Every failed mail has its second attempt queued.
    retries = [r for r in mail_tasks("READY") if r.args_kwargs["kwargs"].get("attempt") == 2]
    assert len(retries) == mail_tasks("FAILED").count() >= 4


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_comment_with_the_mail_server_down_is_not_a_500_outside_a_test_transaction(
    people, mail_server_down
):
    """As in production: the request's transaction really commits, and whatever runs on
    commit (here the worker itself) cannot turn the saved comment into an error."""
    from django.test import Client

    cast = people
    report = make_report(
        cast.partnership_a, measures=[(40_000, 60_000)], status=NeedReport.Status.SUBMITTED
    )
    client = Client(raise_request_exception=False)
    client.force_login(cast.olga)
    response = client.post(reverse("needs:comment_add", args=[report.pk]), {"text": "Hei"})
    assert response.status_code == 302
    assert Comment.objects.filter(report=report, text="Hei").exists()
    assert mail_tasks("FAILED").exists()


# Mail headers ----------------------------------------------------------------------------------


@pytest.mark.parametrize("breaker", ["\r\n", "\r", "\n", "\u2028", "\x85", "\x0b"])
def test_clean_subject_keeps_one_line(breaker):
    subject = tasks.clean_subject(f"Ny kommentar: A{breaker}Bcc: evil@example.com")
    assert subject == "Ny kommentar: A Bcc: evil@example.com"


def test_clean_subject_shortens_long_subjects():
    assert len(tasks.clean_subject("x" * 1000)) == tasks.SUBJECT_MAX


@pytest.mark.parametrize("breaker", ["\r\n", "\r", "\n", "\u2028"])
def test_a_partnership_name_with_a_line_break_never_breaks_a_notification(
    people, breaker, django_capture_on_commit_callbacks
):
    cast = people
    cast.partnership_a.name = f"God opplæring{breaker}Bcc: evil@example.com"
    cast.partnership_a.save()
    report = make_report(cast.partnership_a, measures=[(1, 1)], status="submitted")
    report.partnership.refresh_from_db()

    with django_capture_on_commit_callbacks(execute=True):
        notify(
            "submitted",
            report,
            recipients_for(report.partnership),
            actor="Alice",
            url="/needs/1/",
        )

    assert mail_tasks("SUCCESSFUL").count() == 2 and not mail_tasks("FAILED").exists()
    for message in mail.outbox:
        assert message.subject.endswith("God opplæring Bcc: evil@example.com, Dekom 2024")
        raw = message.message().as_string()
        assert "\nBcc:" not in raw
        assert message.recipients() == message.to  # nobody added
    # The body keeps its own lines; the name within it is on one line.
    assert "Alice" in mail.outbox[0].body
