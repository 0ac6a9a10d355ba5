import pytest
from django.urls import reverse

from measures.models import Measure
from tests.needs.conftest import make_report

pytestmark = pytest.mark.django_db

AUTOSAVE = {"HTTP_X_REQUESTED_WITH": "autosave"}


@pytest.fixture
def report(cast):
    return make_report(cast.partnership_a, measures=[(40_000, 60_000)])


def edit_url(measure):
    return reverse("measures:edit", args=[measure.report_id, measure.pk])


def test_add_measure_and_autosave_updates_summary(login, cast, report):
    client = login(cast.alice)
    response = client.post(reverse("measures:create", args=[report.pk]))
    measure = report.measures.order_by("-position").first()
    assert response.url == edit_url(measure)
    assert measure.position == 2

    response = client.post(
        edit_url(measure),
        {
            "name": "Nettverk",
            "owner_amount": "1 000",
            "uh_amount": "50 000 kr",
            "version": measure.lock_version,
        },
        **AUTOSAVE,
    )
    data = response.json()
    assert data["status"] == "saved"
    assert data["errors"] == {}
    measure.refresh_from_db()
    assert (measure.name, measure.owner_amount, measure.uh_amount) == ("Nettverk", 1_000, 50_000)
    assert data["version"] == measure.lock_version
    assert "151\u00a0000\u00a0kr" in data["summary_html"]  # 41 000 + 110 000


def test_bad_money_is_rejected_beside_the_field_and_the_rest_is_saved(login, cast, report):
    measure = report.measures.get()
    response = login(cast.alice).post(
        edit_url(measure),
        {
            "name": "Nytt navn",
            "owner_amount": "50 000,50",
            "uh_amount": "tusen",
            "target_group": "Ledere",
            "version": measure.lock_version,
        },
        **AUTOSAVE,
    )
    data = response.json()
    assert data["status"] == "saved"
    assert "øre" in data["errors"]["owner_amount"][0]
    assert "hele kroner" in data["errors"]["uh_amount"][0]
    measure.refresh_from_db()
    assert (measure.name, measure.target_group) == ("Nytt navn", "Ledere")
    assert (measure.owner_amount, measure.uh_amount) == (40_000, 60_000)


def test_form_post_with_error_keeps_typed_values(login, cast, report):
    measure = report.measures.get()
    response = login(cast.alice).post(
        edit_url(measure),
        {
            "name": "Med feil",
            "owner_amount": "-5",
            "uh_amount": "70 000",
            "version": measure.lock_version,
        },
    )
    assert response.status_code == 200
    form = response.context["form"]
    assert form["owner_amount"].value() == "-5"
    assert "negativt" in form.errors["owner_amount"][0]
    measure.refresh_from_db()
    assert (measure.name, measure.uh_amount) == ("Med feil", 70_000)


def test_conflicting_saves_do_not_overwrite_and_show_both_values(login, cast, report):
    measure = report.measures.get()
    loaded_version = measure.lock_version
    client = login(cast.alice)
    # Someone else saves first, based on the same version.
    first = client.post(
        edit_url(measure),
        {
            "name": "Tiltak 1",
            "owner_amount": "30 000",
            "uh_amount": "60 000",
            "version": loaded_version,
        },
        **AUTOSAVE,
    )
    assert first.json()["status"] == "saved"
    # The second save is based on the outdated version: refused, nothing overwritten.
    second = client.post(
        edit_url(measure),
        {
            "name": "Tiltak 1",
            "owner_amount": "45 000",
            "uh_amount": "60 000",
            "version": loaded_version,
        },
        **AUTOSAVE,
    )
    assert second.json()["status"] == "conflict"
    measure.refresh_from_db()
    assert measure.owner_amount == 30_000

    # Without JavaScript (or after pressing Save) the person sees both values ...
    response = client.post(
        edit_url(measure),
        {
            "name": "Tiltak 1",
            "owner_amount": "45 000",
            "uh_amount": "60 000",
            "version": loaded_version,
        },
    )
    conflicts = {c["name"]: c for c in response.context["conflicts"]}
    assert conflicts["owner_amount"]["mine"] == "45 000"
    assert conflicts["owner_amount"]["theirs"] == "30 000"
    measure.refresh_from_db()
    assert measure.owner_amount == 30_000
    # ... and chooses: keeping the other person's value keeps 30 000; the form now
    # carries the current version, so the save goes through.
    new_version = response.context["form"].data["version"]
    response = client.post(
        edit_url(measure),
        {
            "name": "Tiltak 1 endret",
            "owner_amount": "45 000",
            "uh_amount": "60 000",
            "keep_owner_amount": "theirs",
            "version": new_version,
        },
    )
    assert response.status_code == 302
    measure.refresh_from_db()
    assert (measure.name, measure.owner_amount) == ("Tiltak 1 endret", 30_000)


def test_reorder_and_delete(login, cast, report):
    second = Measure.objects.create(report=report, name="B", position=2)
    first = report.measures.get(position=1)
    client = login(cast.alice)
    client.post(reverse("measures:move", args=[report.pk, second.pk]), {"direction": "up"})
    assert list(report.measures.values_list("pk", flat=True)) == [second.pk, first.pk]
    client.post(reverse("measures:delete", args=[report.pk, second.pk]))
    assert list(report.measures.values_list("pk", flat=True)) == [first.pk]


def test_measure_of_another_report_is_404(login, cast, report):
    other = make_report(cast.partnership_b, measures=[(1, 1)])
    measure = other.measures.get()
    client = login(cast.alice)
    # Right report id, wrong measure: 404 even though alice may edit her own report.
    url = reverse("measures:edit", args=[report.pk, measure.pk])
    assert client.get(url).status_code == 404


def test_second_save_after_a_partial_save_is_not_a_conflict(login, cast, report):
    """Without JavaScript: a save with one bad field saves the rest; correcting the field and
    saving again from the page it shows must not be taken for someone else's change."""
    measure = report.measures.get()
    client = login(cast.alice)
    response = client.post(
        edit_url(measure),
        {
            "name": "Første",
            "owner_amount": "tusen",
            "uh_amount": "70 000",
            "version": measure.lock_version,
        },
    )
    assert response.status_code == 200
    shown_version = response.context["form"]["version"].value()
    measure.refresh_from_db()
    assert measure.name == "Første" and measure.uh_amount == 70_000
    response = client.post(
        edit_url(measure),
        {
            "name": "Første",
            "owner_amount": "30 000",
            "uh_amount": "70 000",
            "version": shown_version,
        },
    )
    assert response.status_code == 302
    measure.refresh_from_db()
    assert measure.owner_amount == 30_000


def test_empty_post_does_not_crash(login, cast, report):
    measure = report.measures.get()
    response = login(cast.alice).post(edit_url(measure), {})
    assert response.status_code == 400
    measure.refresh_from_db()
    assert measure.name  # nothing was emptied


def test_a_stale_save_of_what_autosave_just_stored_is_saved_not_a_conflict(login, cast, report):
    """Typing, then "Save and go back": the autosave fired on leaving the field stores the
    text and bumps the version while the click's post still carries the old one."""
    measure = report.measures.get()
    loaded = measure.lock_version
    client = login(cast.alice)
    data = {"name": "Nettverk lesing", "owner_amount": "40 000", "uh_amount": "60 000"}
    assert (
        client.post(edit_url(measure), {**data, "version": loaded}, **AUTOSAVE).json()["status"]
        == "saved"
    )
    response = client.post(edit_url(measure), {**data, "version": loaded})
    assert response.status_code == 302
    assert response.url == reverse("needs:detail", args=[report.pk])
    # A stale post that differs is still a conflict.
    response = client.post(edit_url(measure), {**data, "name": "Annet", "version": loaded})
    assert response.status_code == 200 and response.context["conflicts"]


def test_an_amount_above_the_countys_ceiling_is_refused_in_form_and_autosave(login, cast, report):
    from partnerships.models import RuleSettings

    measure = report.measures.get()
    client = login(cast.alice)
    data = {"name": "Tiltak", "owner_amount": "999 999 999 999", "uh_amount": "60 000"}
    response = client.post(edit_url(measure), {**data, "version": measure.lock_version}, **AUTOSAVE)
    [message] = response.json()["errors"]["owner_amount"]
    assert "50 000 000 kr" in message and "høyeste beløpet per tiltaksdel" in message
    measure.refresh_from_db()
    assert measure.owner_amount == 40_000
    RuleSettings.objects.create(
        county_office=cast.county_a,
        scheme=report.scheme,
        year=report.year,
        max_measure_amount=100_000,
    )
    response = client.post(
        edit_url(measure), {**data, "owner_amount": "200 000", "version": measure.lock_version}
    )
    assert "100 000 kr" in response.context["form"].errors["owner_amount"][0]
    measure.refresh_from_db()
    assert measure.owner_amount == 40_000


def test_an_amount_the_database_refuses_gets_a_message_and_nothing_is_saved(
    login, cast, report, monkeypatch
):
    # The form's amount check is left to the database's check constraints (no validation
    # queries per autosave); should a value ever pass the form, the refusal is a field message.
    monkeypatch.setattr("portal.forms.parse_kroner", lambda text: int(text) if text else None)
    measure = report.measures.get()
    client = login(cast.alice)
    data = {"name": "Nytt navn", "owner_amount": "-5", "uh_amount": "60000"}
    response = client.post(edit_url(measure), {**data, "version": measure.lock_version}, **AUTOSAVE)
    answer = response.json()
    assert answer["status"] == "saved" and answer["version"] == measure.lock_version
    assert answer["errors"] == {"owner_amount": ["Beløpet kan ikke være negativt."]}
    response = client.post(edit_url(measure), {**data, "version": measure.lock_version})
    assert response.status_code == 200
    assert response.context["form"].errors["owner_amount"]
    assert "Ingenting ble lagret" in response.content.decode()
    assert 'value="Nytt navn"' in response.content.decode()
    stored = Measure.objects.get(pk=measure.pk)
    assert (stored.name, stored.owner_amount, stored.lock_version) == (
        measure.name,
        40_000,
        measure.lock_version,
    )


def test_an_autosave_that_changes_nothing_the_summary_shows_sends_no_summary(login, cast, report):
    measure = report.measures.get()
    client = login(cast.alice)
    data = {"name": measure.name, "owner_amount": "40 000", "uh_amount": "60 000"}
    answer = client.post(
        edit_url(measure),
        {**data, "target_group": "Ledere", "version": measure.lock_version},
        **AUTOSAVE,
    ).json()
    assert answer["status"] == "saved" and answer["summary_html"] == ""  # the page keeps its own
    measure.refresh_from_db()
    assert measure.target_group == "Ledere"
    answer = client.post(
        edit_url(measure),
        {**data, "name": "Nytt navn", "target_group": "Ledere", "version": measure.lock_version},
        **AUTOSAVE,
    ).json()
    assert answer["status"] == "saved" and "data-total" in answer["summary_html"]
