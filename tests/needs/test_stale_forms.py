"""Every form that carries a version: missing or malformed -> 400 and nothing saved; an
outdated one -> a conflict, nothing overwritten."""

import pytest
from django.urls import reverse

from needs.models import NeedReport
from tests.reporting.annual_helpers import annual, form_data, need  # noqa: F401 - fixtures

from .conftest import make_report

BAD_VERSIONS = [None, "", "abc", "-1", "1.5", "1e3", "٣"]


def _with_version(data, version):
    data = dict(data)
    if version is None:
        data.pop("version", None)
    else:
        data["version"] = version
    return data


@pytest.fixture
def report(cast):
    return make_report(cast.partnership_a, measures=[(77_000, 123_000)])


@pytest.mark.parametrize("version", BAD_VERSIONS)
@pytest.mark.parametrize("autosave", [False, True])
def test_measure_form_without_a_valid_version_saves_nothing(login, cast, report, version, autosave):
    measure = report.measures.get()
    headers = {"x-requested-with": "autosave"} if autosave else {}
    data = _with_version({"name": "Endret", "owner_amount": "90 000"}, version)

    response = login(cast.alice).post(
        reverse("measures:edit", args=[report.pk, measure.pk]), data, headers=headers
    )

    assert response.status_code == 400
    measure.refresh_from_db()
    assert (measure.name, measure.owner_amount, measure.lock_version) == ("Tiltak 1", 77_000, 1)


def test_measure_form_with_an_outdated_version_overwrites_nothing(login, cast, report):
    measure = report.measures.get()
    client = login(cast.alice)
    url = reverse("measures:edit", args=[report.pk, measure.pk])
    first = client.post(url, {"name": "A", "owner_amount": "77 000", "version": 1}, follow=True)
    assert first.status_code == 200

    for stale in ("1", "0"):
        response = client.post(url, {"name": "B", "owner_amount": "90 000", "version": stale})
        assert response.status_code == 200
        assert response.context["conflicts"]
    measure.refresh_from_db()
    assert (measure.name, measure.owner_amount) == ("A", 77_000)


@pytest.mark.parametrize("version", BAD_VERSIONS)
def test_details_form_without_a_valid_version_saves_nothing(login, cast, report, version):
    data = _with_version({"owner_contact_name": "Ny Person"}, version)

    response = login(cast.alice).post(reverse("needs:edit", args=[report.pk]), data)

    assert response.status_code == 400
    fresh = NeedReport.objects.get(pk=report.pk)
    assert fresh.owner_contact_name == "Tone Dalen"
    assert fresh.lock_version == report.lock_version


@pytest.mark.parametrize("version", BAD_VERSIONS)
def test_annual_form_without_a_valid_version_saves_nothing(login, cast, annual, version):  # noqa: F811
    lines = [("1", "2", "Effekt", "Prosess", "Struktur")] * annual.lines.count()
    data = _with_version(form_data(annual, lines, unused_note="Endret"), version)

    response = login(cast.alice).post(
        reverse("reporting:annual_edit", args=[annual.need_report_id]), data
    )

    assert response.status_code == 400
    annual.refresh_from_db()
    assert annual.unused_note == ""
    assert not annual.lines.filter(effect="Effekt").exists()
