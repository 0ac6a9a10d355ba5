"""UH contacts on need reports: comments, the UH confirmation, notifications and activity."""

import pytest
from django.core import mail
from django.urls import reverse

from measures.models import Measure
from needs.models import Activity, Comment, NeedReport, UhConfirmation
from needs.services import need_report_submit
from needs.totals import refresh_totals
from portal.notifications import KINDS
from tests.factories import confirm_uh

from .conftest import make_report

pytestmark = pytest.mark.django_db


def detail(report):
    return reverse("needs:detail", args=[report.pk])


def comment_url(report):
    return reverse("needs:comment_add", args=[report.pk])


def edit_measure(client, measure, **changes):
    data = {
        "name": measure.name,
        "owner_amount": str(measure.owner_amount),
        "uh_amount": str(measure.uh_amount),
        "purpose": measure.purpose,
        "owner_use": measure.owner_use,
        "uh_use": measure.uh_use,
        "target_group": measure.target_group,
        "coordinator_funds_needed": "False",
        "autumn_this_year": "on",
        "version": measure.lock_version,
        **changes,
    }
    return client.post(reverse("measures:edit", args=[measure.report_id, measure.pk]), data)


@pytest.fixture
def sends(django_capture_on_commit_callbacks):
    """``with sends(): ...``: run the mail that is queued for after the commit."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


@pytest.fixture
def report(cast):
    # 40 000 / 60 000: exactly 60 % to UH, complete: only the UH confirmation is missing.
    return make_report(cast.partnership_a, measures=[(40_000, 60_000), (10_000, 15_000)])


# The UH contact reads but never writes amounts ---------------------------------------------


def test_uh_contact_reads_report_but_cannot_change_it(login, cast, report):
    client = login(cast.ulla)
    page = client.get(detail(report)).content.decode().replace("\u00a0", " ")
    assert "God opplæring for alle" in page and "60 000 kr" in page
    measure = report.measures.first()
    assert edit_measure(client, measure, owner_amount="1").status_code == 403
    assert client.post(reverse("needs:submit", args=[report.pk])).status_code == 403
    assert client.post(reverse("needs:edit", args=[report.pk]), {}).status_code == 403
    assert client.post(reverse("measures:create", args=[report.pk])).status_code == 403
    measure.refresh_from_db()
    assert measure.owner_amount == 40_000


# Comments ----------------------------------------------------------------------------------


def test_uh_comment_on_measure_reaches_coordinator(login, cast, report, sends):
    measure = report.measures.get(position=2)
    client = login(cast.ulla)
    with sends():
        response = client.post(
            comment_url(report), {"text": "Kan vi flytte samlingen?", "measure": measure.pk}
        )
    assert response.status_code == 302 and response.url.endswith(
        f"/measures/{measure.pk}/#comments"
    )
    comment = Comment.objects.get()
    assert (comment.author, comment.measure, comment.report) == (cast.ulla, measure, report)
    # The coordinator is told by e-mail; the author is not.
    assert [m.to for m in mail.outbox] == [["alice@example.no"]]
    assert "Kan vi flytte samlingen?" in mail.outbox[0].body
    assert "Tiltak 2" in mail.outbox[0].body

    alice = login(cast.alice)
    dashboard = alice.get(reverse("portal:dashboard"))
    assert [(r.pk, r.unread) for r in dashboard.context["unread_reports"]] == [(report.pk, 1)]
    response = alice.get(detail(report))
    assert response.context["unread_comments"] == 1
    page = response.content.decode()
    assert "Kan vi flytte samlingen?" in page
    assert "Tiltak 2" in page
    # Seen now: the dashboard no longer counts it.
    assert list(alice.get(reverse("portal:dashboard")).context["unread_reports"]) == []
    assert alice.get(detail(report)).context["unread_comments"] == 0
    # It is also on the measure's own page.
    page = alice.get(reverse("measures:edit", args=[report.pk, measure.pk])).content.decode()
    assert "Kan vi flytte samlingen?" in page


def test_comment_text_is_escaped_and_links_are_linkified(login, cast, report):
    client = login(cast.alice)
    text = '<script>alert("x")</script> Se https://www.udir.no/kvalitet'
    client.post(comment_url(report), {"text": text})
    page = login(cast.ulla).get(detail(report)).content.decode()
    assert '<script>alert("x")</script>' not in page
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in page
    assert '<a href="https://www.udir.no/kvalitet"' in page


def test_empty_comment_keeps_page_with_message(login, cast, report):
    response = login(cast.alice).post(comment_url(report), {"text": "   "})
    assert response.status_code == 400
    assert "Skriv en kommentar" in response.content.decode()
    assert not Comment.objects.exists()


def test_edit_and_delete_own_comment_only(login, cast, report):
    comment = Comment.objects.create(report=report, author=cast.ulla, text="Første utkast")
    edit = reverse("needs:comment_edit", args=[report.pk, comment.pk])
    delete = reverse("needs:comment_delete", args=[report.pk, comment.pk])
    # Someone else's comment: the coordinator may see it but not change it.
    alice = login(cast.alice)
    assert alice.post(edit, {"text": "Endret"}).status_code == 403
    assert alice.post(delete).status_code == 403
    # The outsider does not even learn that it exists.
    bob = login(cast.bob)
    assert bob.post(edit, {"text": "Endret"}).status_code == 404
    assert bob.post(delete).status_code == 404

    ulla = login(cast.ulla)
    assert "Første utkast" in ulla.get(edit).content.decode()
    assert ulla.post(edit, {"text": "Andre utkast"}).status_code == 302
    comment.refresh_from_db()
    assert comment.text == "Andre utkast" and comment.edited_at is not None
    assert ulla.post(delete).status_code == 302
    comment.refresh_from_db()
    assert comment.is_deleted
    page = ulla.get(detail(report)).content.decode()
    assert "Andre utkast" not in page
    assert "slettet" in page  # "Kommentar fra … slettet …"
    # A deleted comment can be neither edited nor deleted again.
    assert ulla.post(edit, {"text": "Igjen"}).status_code == 403


@pytest.mark.parametrize("who", ["bob", "otto"])
def test_outsiders_cannot_comment_or_see_comments(login, cast, report, who):
    Comment.objects.create(report=report, author=cast.ulla, text="Intern merknad")
    client = login(getattr(cast, who))
    assert client.post(comment_url(report), {"text": "Hei"}).status_code == 404
    assert Comment.objects.count() == 1
    assert client.get(reverse("portal:dashboard")).context["unread_reports"] == []


def test_county_office_comments_only_on_submitted_reports(login, cast, report, sends):
    olga = login(cast.olga)
    # Drafts are not the county office's business.
    assert olga.post(comment_url(report), {"text": "Hei"}).status_code == 404
    confirm_uh(report, cast.ulla)
    need_report_submit(report=report, user=cast.alice)
    mail.outbox.clear()
    with sends():
        response = olga.post(comment_url(report), {"text": "Hvorfor to samlinger?"})
    assert response.status_code == 302
    assert sorted(m.to[0] for m in mail.outbox) == ["alice@example.no", "ulla@example.no"]
    assert "Hvorfor to samlinger?" in login(cast.alice).get(detail(report)).content.decode()


def test_anonymous_is_sent_to_login(client, report):
    response = client.post(comment_url(report), {"text": "Hei"})
    assert response.status_code == 302 and response.url.startswith(reverse("login"))
    response = client.post(reverse("needs:confirm", args=[report.pk]))
    assert response.status_code == 302 and response.url.startswith(reverse("login"))


def test_muted_comment_notifications_are_not_sent(login, cast, report, sends):
    alice = login(cast.alice)
    response = alice.post(
        reverse("portal:notification_settings"),
        {"wanted": [kind for kind in KINDS if kind != "comment"]},
    )
    assert response.status_code == 302
    cast.alice.refresh_from_db()
    assert cast.alice.muted_notifications == ["comment"]
    page = alice.get(reverse("portal:notification_settings")).content.decode()
    assert 'value="comment"' in page and 'value="confirmation" class="ds-input" id' in page
    ulla = login(cast.ulla)
    with sends():
        ulla.post(comment_url(report), {"text": "Hei"})
    assert mail.outbox == []
    # Confirmations are still wanted.
    with sends():
        ulla.post(reverse("needs:confirm", args=[report.pk]))
    assert [m.to for m in mail.outbox] == [["alice@example.no"]]


# The UH confirmation -----------------------------------------------------------------------


def test_submission_needs_the_uh_confirmation(login, cast, report, sends):
    alice = login(cast.alice)
    response = alice.get(detail(report))
    assert response.context["problems"] == [
        "UH-kontakten har ennå ikke bekreftet UH-delen av denne versjonen."
    ]
    alice.post(reverse("needs:submit", args=[report.pk]))
    report.refresh_from_db()
    assert report.status == NeedReport.Status.DRAFT

    ulla = login(cast.ulla)
    page = ulla.get(detail(report)).content.decode()
    assert "UH har sett behovsmeldingen og bekrefter sin del" in page
    with sends():
        assert ulla.post(reverse("needs:confirm", args=[report.pk])).status_code == 302
    confirmation = UhConfirmation.objects.get()
    assert (confirmation.confirmed_by, confirmation.version_number) == (cast.ulla, 1)
    assert [m.to for m in mail.outbox] == [["alice@example.no"]]

    alice = login(cast.alice)
    assert alice.get(detail(report)).context["problems"] == []
    alice.post(reverse("needs:submit", args=[report.pk]))
    report.refresh_from_db()
    assert report.status == NeedReport.Status.SUBMITTED


@pytest.mark.parametrize(("who", "status"), [("alice", 403), ("olga", 404), ("bob", 404)])
def test_only_the_uh_contact_confirms(login, cast, report, who, status):
    response = login(getattr(cast, who)).post(reverse("needs:confirm", args=[report.pk]))
    assert response.status_code == status
    assert not UhConfirmation.objects.exists()


def test_changing_an_amount_clears_the_confirmation_with_the_reason(login, cast, report, sends):
    confirm_uh(report, cast.ulla)
    mail.outbox.clear()
    measure = report.measures.get(position=2)
    alice = login(cast.alice)
    # A text change does not touch the confirmation.
    assert edit_measure(alice, measure, name="Nytt navn").status_code == 302
    assert not UhConfirmation.objects.get().is_cleared
    measure.refresh_from_db()
    with sends():
        response = edit_measure(alice, measure, uh_amount="17 000")
    assert response.status_code == 302
    confirmation = UhConfirmation.objects.get()
    assert confirmation.is_cleared and confirmation.cleared_by == cast.alice
    assert confirmation.cleared_changes == [
        {"number": 2, "measure": "Nytt navn", "field": "uh_amount", "old": 15_000, "new": 17_000}
    ]
    # The UH contact is told (and other coordinators, if any; not the one who changed it).
    assert [m.to for m in mail.outbox] == [["ulla@example.no"]]
    page = alice.get(detail(report)).content.decode().replace("\u00a0", " ")
    assert "Tiltak 2 «Nytt navn»" in page or "Tiltak 2 “Nytt navn”" in page
    assert "15 000 kr" in page and "17 000 kr" in page
    problems = alice.get(detail(report)).context["problems"]
    assert any("bekreftelsen" in p for p in problems), problems
    alice.post(reverse("needs:submit", args=[report.pk]))
    report.refresh_from_db()
    assert report.status == NeedReport.Status.DRAFT
    # A new confirmation lets the report through.
    login(cast.ulla).post(reverse("needs:confirm", args=[report.pk]))
    login(cast.alice).post(reverse("needs:submit", args=[report.pk]))
    report.refresh_from_db()
    assert report.status == NeedReport.Status.SUBMITTED


def test_autosave_reports_the_cleared_confirmation(login, cast, report):
    confirm_uh(report, cast.ulla)
    measure = report.measures.get(position=1)
    response = login(cast.alice).post(
        reverse("measures:edit", args=[report.pk, measure.pk]),
        {"name": measure.name, "uh_amount": "61 000", "version": measure.lock_version},
        HTTP_X_REQUESTED_WITH="autosave",
    )
    assert response.json()["confirmation_cleared"] is True
    assert UhConfirmation.objects.get().is_cleared


def test_deleting_a_measure_clears_the_confirmation(login, cast, report):
    confirm_uh(report, cast.ulla)
    measure = report.measures.get(position=2)
    login(cast.alice).post(reverse("measures:delete", args=[report.pk, measure.pk]))
    confirmation = UhConfirmation.objects.get()
    assert confirmation.is_cleared
    assert confirmation.cleared_changes == [
        {"id": str(measure.pk), "number": None, "measure": "Tiltak 2", "field": ""}
    ]
    assert "Tiltak 2" in confirmation.change_lines()[0]


def test_later_changes_are_added_to_the_reason(login, cast, report):
    confirm_uh(report, cast.ulla)
    first, second = report.measures.get(position=1), report.measures.get(position=2)
    alice = login(cast.alice)
    edit_measure(alice, second, uh_amount="17 000")
    edit_measure(alice, first, uh_amount="61 000")
    second.refresh_from_db()
    edit_measure(alice, second, uh_amount="15 000")  # back to what the UH confirmed
    confirmation = UhConfirmation.objects.get()
    assert [
        (c["number"], c["field"], c["old"], c["new"]) for c in confirmation.cleared_changes
    ] == [(1, "uh_amount", 60_000, 61_000)]
    # Only the first change tells everyone and enters the feed.
    assert Activity.objects.filter(kind=Activity.Kind.CONFIRMATION_CLEARED).count() == 1


def test_amounts_changed_behind_the_form_still_block_submission(login, cast, report):
    confirm_uh(report, cast.ulla)
    Measure.objects.filter(report=report, position=1).update(uh_amount=70_000)
    refresh_totals(report)
    problems = login(cast.alice).get(detail(report)).context["problems"]
    assert problems == [
        "Beløpene er endret siden UH-kontakten bekreftet. UH-kontakten må bekrefte på nytt."
    ]


def test_returned_report_needs_a_new_confirmation(login, cast, report):
    confirm_uh(report, cast.ulla)
    need_report_submit(report=report, user=cast.alice)
    NeedReport.objects.filter(pk=report.pk).update(status=NeedReport.Status.RETURNED)
    problems = login(cast.alice).get(detail(report)).context["problems"]
    assert problems == ["UH-kontakten har ennå ikke bekreftet UH-delen av denne versjonen."]
    confirm_uh(report, cast.ulla)
    assert login(cast.alice).get(detail(report)).context["problems"] == []


# Activity feed -----------------------------------------------------------------------------


def test_activity_feed_shows_who_did_what(login, cast, report):
    alice, ulla = login(cast.alice), None
    measure = report.measures.get(position=1)
    edit_measure(alice, measure, target_group="Ledere")
    ulla = login(cast.ulla)
    ulla.post(comment_url(report), {"text": "Ser bra ut", "measure": measure.pk})
    ulla.post(reverse("needs:confirm", args=[report.pk]))
    alice = login(cast.alice)
    alice.post(reverse("needs:submit", args=[report.pk]))
    kinds = list(Activity.objects.order_by("at", "pk").values_list("kind", "actor__username"))
    assert kinds == [
        ("measure_edited", "alice"),
        ("commented", "ulla"),
        ("confirmed", "ulla"),
        ("submitted", "alice"),
    ]
    page = alice.get(detail(report)).content.decode()
    assert "bekreftet UH-delen" in page
    assert "Ulla Universitet" in page


def test_activity_shows_the_latest_ten_and_offers_the_rest(login, cast, report):
    for i in range(12):
        Activity.objects.create(
            report=report, actor=cast.alice, kind="commented", measure_name=f"m{i}"
        )
    client = login(cast.ulla)
    response = client.get(detail(report))
    assert len(response.context["activity"]) == 10 and response.context["activity_more"]
    assert "?activity=all" in response.content.decode()
    response = client.get(detail(report) + "?activity=all")
    assert len(response.context["activity"]) == 12 and not response.context["activity_more"]
