"""The annual report (rapport) on the partnership's side: the page for every role, writing
without losing input, submitting, the UH confirmation, comments and the PDF."""

import pytest
from django.core import mail
from django.urls import reverse

from needs.models import UhConfirmation
from reporting.models import AnnualReport
from tests.needs.conftest import make_report
from tests.reporting import annual_helpers
from tests.reporting.annual_helpers import (
    COMPLETE,
    Status,
    confirm_by_uh,
    fill_in,
    form_data,
    line_prefixes,
    page,
    pdf_text,
    submit,
    url,
)

pytestmark = pytest.mark.django_db

# Fixtures shared with the other annual report module.
need = annual_helpers.need
annual = annual_helpers.annual


# The annual report page -------------------------------------------------------------------


def test_detail_anonymous_is_sent_to_login(client, need):
    response = client.get(url("annual_detail", need))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize("who", ["bob", "otto"])
def test_detail_outsiders_get_404(cast, login, need, annual, who):
    assert login(getattr(cast, who)).get(url("annual_detail", need)).status_code == 404


def test_detail_of_a_need_report_that_is_not_allocated_is_404(cast, login):
    draft = make_report(cast.partnership_a)
    assert login(cast.alice).get(url("annual_detail", draft)).status_code == 404


def test_not_started_coordinator_may_start_others_only_see_the_status(cast, login, need):
    text = page(login(cast.alice).get(url("annual_detail", need)))
    assert "Start rapporteringen" in text or url("annual_start", need) in text
    for user in (cast.ulla, cast.olga):
        text = page(login(user).get(url("annual_detail", need)))
        assert url("annual_start", need) not in text
        assert 'data-testid="not-started"' in text


def test_start_creates_a_line_per_measure(cast, login, need):
    response = login(cast.alice).post(url("annual_start", need))
    assert response.status_code == 302
    annual = AnnualReport.objects.get(need_report=need)
    assert annual.status == Status.DRAFT
    assert [line.measure.name for line in annual.lines.all()] == ["Leseløft", "Koordinator"]
    # Starting again changes nothing.
    login(cast.alice).post(url("annual_start", need))
    assert annual.lines.count() == 2


@pytest.mark.parametrize("who,status", [("ulla", 403), ("olga", 403), ("root", 403), ("bob", 404)])
def test_start_by_others_is_refused(cast, login, need, who, status):
    assert login(getattr(cast, who)).post(url("annual_start", need)).status_code == status
    assert not AnnualReport.objects.exists()


def test_draft_content_for_members_but_not_for_the_county_office(cast, login, need, annual):
    line = annual.lines.first()
    line.effect = "Elevene leser mer"
    line.save()
    for user in (cast.alice, cast.ulla):
        assert "Elevene leser mer" in page(login(user).get(url("annual_detail", need)))
    text = page(login(cast.olga).get(url("annual_detail", need)))
    assert "Elevene leser mer" not in text
    assert 'data-testid="draft-hidden"' in text


# Writing: never lose input -----------------------------------------------------------------


def test_edit_saves_valid_fields_and_keeps_the_rest_with_an_error(cast, login, need, annual):
    client = login(cast.alice)
    data = form_data(
        annual,
        [("abc", "50 000", "Bra effekt", "", ""), ("-5", "", "", "", "")],
    )
    response = client.post(url("annual_edit", need), data)
    assert response.status_code == 200
    text = page(response)
    assert "Skriv beløpet i hele kroner" in text or "whole kroner" in text
    assert "abc" in text  # what was typed is still in the form
    first, second = annual.lines.order_by("measure__position")
    assert (first.owner_used, first.uh_used, first.effect) == (None, 50_000, "Bra effekt")
    assert second.owner_used is None  # negative spending is rejected
    # The form carries the version saved now, so the next save is not a false conflict.
    annual.refresh_from_db()
    assert str(response.context["form"]["version"].value()) == str(annual.lock_version)
    data = form_data(annual, COMPLETE, version=response.context["form"]["version"].value())
    assert client.post(url("annual_edit", need), data).status_code == 302


def test_negative_spending_is_rejected_with_a_message(cast, login, need, annual):
    data = form_data(annual, [("-1 000", "0", "", "", ""), ("0", "0", "", "", "")])
    text = page(login(cast.alice).post(url("annual_edit", need), data))
    assert "Beløpet kan ikke være negativt" in text or "cannot be negative" in text
    assert annual.lines.order_by("measure__position").first().owner_used is None


def test_spending_over_the_allocation_is_saved_and_shown_as_a_finding(cast, login, need, annual):
    client = login(cast.alice)
    data = form_data(annual, [("50 000", "60 000", "", "", ""), ("10 000", "0", "", "", "")])
    assert client.post(url("annual_edit", need), data).status_code == 302
    text = page(client.get(url("annual_detail", need)))
    assert 'data-testid="findings"' in text
    assert "50 000 kr" in text and "10 000 kr" in text and "40 000 kr" in text


def test_a_stale_version_saves_nothing_and_says_so(cast, login, need, annual):
    client = login(cast.alice)
    stale = annual.lock_version
    client.post(url("annual_edit", need), form_data(annual, COMPLETE))
    data = form_data(annual, [("1", "2", "x", "y", "z"), ("3", "", "", "", "")], version=stale)
    response = client.post(url("annual_edit", need), data)
    assert response.status_code == 200
    assert 'role="alert"' in page(response)
    assert annual.lines.order_by("measure__position").first().owner_used == 40_000


@pytest.mark.parametrize("who,status", [("ulla", 403), ("olga", 403), ("bob", 404), ("otto", 404)])
def test_edit_by_others_is_refused(cast, login, need, annual, who, status):
    client = login(getattr(cast, who))
    assert client.get(url("annual_edit", need)).status_code == status
    assert client.post(url("annual_edit", need), fill_in(annual)).status_code == status
    assert annual.lines.first().owner_used is None


def test_plan_changes_only_for_multi_year_measures(cast, login, need, annual):
    measure = need.measures.get(name="Leseløft")
    measure.cont2_uh = 50_000
    measure.save()
    text = page(login(cast.alice).get(url("annual_edit", need)))
    first, second = line_prefixes(annual)
    assert f'name="{first}-plan_changes"' in text
    assert f'name="{second}-plan_changes"' not in text


# Submitting --------------------------------------------------------------------------------


def test_an_incomplete_report_is_not_submitted(cast, login, need, annual):
    response = login(cast.alice).post(url("annual_submit", need))
    assert response.status_code == 302
    annual.refresh_from_db()
    assert annual.status == Status.DRAFT
    assert not annual.versions.exists()


def test_submit_makes_an_immutable_version_and_locks_it(
    cast, login, need, annual, django_capture_on_commit_callbacks
):
    cast.olga.email = "olga@example.no"
    cast.olga.save()
    client = login(cast.alice)
    with django_capture_on_commit_callbacks(execute=True):
        submit(client, annual)
    annual.refresh_from_db()
    assert annual.status == Status.SUBMITTED
    version = annual.versions.get()
    assert version.snapshot["lines"][0]["used_owner"] == 40_000
    assert version.snapshot["lines"][0]["effect"] == "Bedre leseferdigheter"
    with pytest.raises(ValueError):
        version.save()
    # The UH contact was asked to confirm once the UH amounts were in; then the office heard.
    assert [m.to for m in mail.outbox] == [["ulla@example.no"], ["olga@example.no"]]
    assert client.get(url("annual_edit", need)).status_code == 403
    assert client.post(url("annual_submit", need)).status_code == 403


def test_unused_funds_must_be_explained_before_submission(cast, login, need, annual):
    client = login(cast.alice)
    lines = [("30 000", "60 000", "a", "b", "c"), ("10 000", "", "d", "e", "f")]
    client.post(url("annual_edit", need), form_data(annual, lines))
    text = page(client.get(url("annual_detail", need)))
    assert "10 000 kr" in text
    client.post(url("annual_submit", need))
    annual.refresh_from_db()
    assert annual.status == Status.DRAFT
    client.post(url("annual_edit", need), form_data(annual, lines, unused_note="Avlyst samling"))
    confirm_by_uh(annual)
    client.post(url("annual_submit", need))
    annual.refresh_from_db()
    assert annual.status == Status.SUBMITTED


@pytest.mark.parametrize("who,status", [("ulla", 403), ("olga", 403), ("bob", 404)])
def test_submit_by_others_is_refused(cast, login, need, annual, who, status):
    login(cast.alice).post(url("annual_edit", need), fill_in(annual))
    assert login(getattr(cast, who)).post(url("annual_submit", need)).status_code == status
    annual.refresh_from_db()
    assert annual.status == Status.DRAFT


# UH confirmation and comments ----------------------------------------------------------------


def confirmation(annual):
    return UhConfirmation.objects.filter(annual_report=annual).first()


def test_uh_confirms_and_a_changed_uh_amount_clears_it(cast, login, need, annual):
    login(cast.alice).post(url("annual_edit", need), fill_in(annual))
    assert login(cast.ulla).post(url("annual_confirm", need)).status_code == 302
    confirmed = confirmation(annual)
    assert confirmed.confirmed_by == cast.ulla and confirmed.report == need
    assert confirmed.version_number == 1 and not confirmed.is_cleared
    assert 'data-testid="uh-confirmed"' in page(login(cast.ulla).get(url("annual_detail", need)))
    # Not on the need report's own confirmation.
    assert not need.uh_confirmations.filter(annual_report=None).exists()

    # An owner amount changes: the confirmation stands.
    annual.refresh_from_db()
    lines = [COMPLETE[0], ("9 000", "", "Koordinert", "Månedlige møter", "Videreføres")]
    login(cast.alice).post(url("annual_edit", need), form_data(annual, lines))
    annual.refresh_from_db()
    assert annual.lines.get(measure__name="Koordinator").owner_used == 9_000
    assert not confirmation(annual).is_cleared
    # A UH amount changes: it is cleared, with the change listed.
    lines = [("40 000", "55 000", "a", "b", "c"), lines[1]]
    login(cast.alice).post(url("annual_edit", need), form_data(annual, lines))
    cleared = confirmation(annual)
    assert cleared.is_cleared and cleared.cleared_by == cast.alice
    assert cleared.cleared_changes == [
        {"number": 1, "measure": "Leseløft", "field": "uh_used", "old": 60_000, "new": 55_000}
    ]
    text = page(login(cast.alice).get(url("annual_detail", need)))
    assert 'data-testid="uh-not-confirmed"' in text and "60 000 kr" in text
    # Confirming again makes a new confirmation of the new amounts.
    login(cast.ulla).post(url("annual_confirm", need))
    assert confirmation(annual).amounts[str(annual.lines.first().measure_id)] == [55_000]
    assert not confirmation(annual).is_cleared


def test_uh_cannot_confirm_before_the_uh_amounts_are_filled_in(cast, login, need, annual):
    login(cast.ulla).post(url("annual_confirm", need))
    assert confirmation(annual) is None


@pytest.mark.parametrize("who,status", [("alice", 403), ("olga", 403), ("bob", 404)])
def test_only_uh_contacts_confirm(cast, login, need, annual, who, status):
    assert login(getattr(cast, who)).post(url("annual_confirm", need)).status_code == status
    assert confirmation(annual) is None


def post_comment(client, need, text):
    return client.post(reverse("needs:comment_add", args=[need.pk]), {"text": text, **ANNUAL})


ANNUAL = {"subject": "annual"}


def test_comments_by_members_and_by_the_county_office_once_submitted(cast, login, need, annual):
    assert post_comment(login(cast.ulla), need, "Tallene stemmer for UH").status_code == 302
    comment = annual.comments.get()
    assert (comment.author, comment.report, comment.measure) == (cast.ulla, need, None)
    assert not need.comments.filter(annual_report=None).exists()  # not in the need report's
    assert post_comment(login(cast.olga), need, "x").status_code == 403
    assert post_comment(login(cast.bob), need, "x").status_code == 404
    submit(login(cast.alice), annual)
    post_comment(login(cast.olga), need, "Takk for rapporten")
    text = page(login(cast.alice).get(url("annual_detail", need)))
    assert "Tallene stemmer for UH" in text and "Takk for rapporten" in text


def test_a_need_report_without_annual_report_takes_no_annual_comment(cast, login, need):
    assert post_comment(login(cast.alice), need, "x").status_code == 404


def test_annual_comments_are_edited_and_deleted_by_their_author(cast, login, need, annual):
    post_comment(login(cast.ulla), need, "Tallene stemmer")
    comment = annual.comments.get()
    edit = reverse("needs:comment_edit", args=[need.pk, comment.pk])
    delete = reverse("needs:comment_delete", args=[need.pk, comment.pk])
    assert login(cast.alice).post(edit, {"text": "x"}).status_code == 403
    assert login(cast.olga).post(edit, {"text": "x"}).status_code == 404  # a draft's comment
    response = login(cast.ulla).post(edit, {"text": "Tallene stemmer for UH"})
    assert response["Location"] == url("annual_detail", need) + "#comments"
    comment.refresh_from_db()
    assert comment.text == "Tallene stemmer for UH" and comment.edited_at is not None
    assert login(cast.ulla).post(delete).status_code == 302
    comment.refresh_from_db()
    assert comment.is_deleted
    assert "Tallene stemmer for UH" not in page(login(cast.alice).get(url("annual_detail", need)))


def test_unread_annual_comments_are_marked_until_read(cast, login, need, annual):
    post_comment(login(cast.ulla), need, "Tallene stemmer")
    client = login(cast.alice)
    assert 'data-testid="unread-count"' in page(client.get(url("annual_detail", need)))
    # Viewing the page read them; the author never sees their own as unread.
    assert 'data-testid="unread-count"' not in page(client.get(url("annual_detail", need)))
    text = page(login(cast.ulla).get(url("annual_detail", need)))
    assert 'data-testid="unread-count"' not in text
    # The need report's own thread has nothing unread.
    assert 'data-testid="unread-count"' not in page(login(cast.olga).get(need.get_absolute_url()))


# PDF -------------------------------------------------------------------------------------------


def test_pdf_has_the_evaluation_and_the_used_and_unused_figures(cast, login, need, annual):
    client = login(cast.alice)
    lines = [("30 000", "60 000", "Bedre leseferdigheter", "Fire samlinger", "Forankret")]
    lines.append(("12 000", "", "Koordinert", "Møter", "Videreføres"))
    client.post(url("annual_edit", need), form_data(annual, lines, unused_note="Avlyst samling"))
    response = client.get(url("annual_pdf", need))
    assert response["Content-Type"] == "application/pdf"
    assert (
        "rapport-god-opplaering-for-alle-dekom-2024-utkast.pdf" in response["Content-Disposition"]
    )
    text = pdf_text(response.content)
    for expected in ["Bedre leseferdigheter", "Fire samlinger", "Forankret", "Avlyst samling"]:
        assert expected in text
    assert "40 000 30 000 10 000" in text  # owner: allocated, used, unused
    assert "12 000" in text and "2 000" in text  # spending over the allocation, with figures
    assert "UTKAST" in text


def test_version_pdf_and_who_may_read_it(cast, login, need, annual):
    assert login(cast.olga).get(url("annual_pdf", need)).status_code == 404  # a draft
    submit(login(cast.alice), annual)
    for user in (cast.alice, cast.ulla, cast.olga):
        response = login(user).get(url("annual_version_pdf", need, 1))
        assert "Bedre leseferdigheter" in pdf_text(response.content)
    assert login(cast.bob).get(url("annual_version_pdf", need, 1)).status_code == 404
    assert login(cast.otto).get(url("annual_pdf", need)).status_code == 404
    assert "UTKAST" not in pdf_text(login(cast.olga).get(url("annual_pdf", need)).content)


# The UH confirmation counts (issue 22) ----------------------------------------------------------


def test_submission_is_refused_until_the_uh_contact_has_confirmed(cast, login, need, annual):
    client = login(cast.alice)
    client.post(url("annual_edit", need), fill_in(annual))
    response = client.post(url("annual_submit", need), follow=True)
    annual.refresh_from_db()
    assert annual.status == Status.DRAFT
    assert "UH-kontakten har ikke bekreftet" in page(response)
    confirm_by_uh(annual)
    client.post(url("annual_submit", need))
    annual.refresh_from_db()
    assert annual.status == Status.SUBMITTED


def test_without_a_uh_partner_no_confirmation_is_needed(cast, login):
    from reporting.annual import annual_report_start
    from tests.factories import make_partnership
    from tests.reporting.annual_helpers import allocated_report

    partnership = make_partnership(
        cast.region_a, "Uten UH", owners=[cast.owner_a1], coordinators=[cast.alice]
    )
    need = allocated_report(partnership, amounts=[("Leseløft", 40_000, 0)])
    annual = annual_report_start(need_report=need, user=cast.alice)
    client = login(cast.alice)
    client.post(
        url("annual_edit", need), fill_in(annual, [COMPLETE[0][:1] + ("",) + COMPLETE[0][2:]])
    )
    client.post(url("annual_submit", need))
    annual.refresh_from_db()
    assert annual.status == Status.SUBMITTED


def test_approval_is_refused_when_the_submitted_version_is_not_confirmed(cast, login, need, annual):
    from reporting.annual import annual_report_approve, annual_report_submit

    login(cast.alice).post(url("annual_edit", need), fill_in(annual))
    confirm_by_uh(annual)
    annual_report_submit(annual=annual, user=cast.alice)
    # A confirmation that no longer matches (as data from before the rule could be).
    UhConfirmation.objects.filter(annual_report=annual).delete()
    annual.refresh_from_db()
    response = login(cast.olga).post(url("annual_review", need), {"action": "approve"}, follow=True)
    annual.refresh_from_db()
    assert annual.status == Status.SUBMITTED
    assert "UH-kontakten har ikke bekreftet" in page(response)
    with pytest.raises(Exception, match="UH"):
        annual_report_approve(annual=annual, user=cast.olga)


def test_the_uh_contact_is_mailed_when_needed_when_cleared_and_when_returned(
    cast, login, need, annual, django_capture_on_commit_callbacks
):
    client = login(cast.alice)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url("annual_edit", need), fill_in(annual))
    [asked] = mail.outbox
    assert asked.to == ["ulla@example.no"] and "venter på din bekreftelse" in asked.subject
    assert "/reporting/" in asked.body or "http" in asked.body
    confirm_by_uh(annual)
    mail.outbox.clear()
    annual.refresh_from_db()
    lines = [("40 000", "55 000", "a", "b", "c"), COMPLETE[1]]
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url("annual_edit", need), form_data(annual, lines, unused_note="Billigere"))
    assert ["ulla@example.no"] in [m.to for m in mail.outbox]
    assert any("60 000" in m.body for m in mail.outbox if m.to == ["ulla@example.no"])
    confirm_by_uh(annual)
    client.post(url("annual_submit", need))
    annual.refresh_from_db()
    assert annual.status == Status.SUBMITTED
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        login(cast.olga).post(
            url("annual_review", need), {"action": "return", "message": "Bekreft UH-delen på nytt"}
        )
    assert sorted(m.to[0] for m in mail.outbox) == ["alice@example.no", "ulla@example.no"]
