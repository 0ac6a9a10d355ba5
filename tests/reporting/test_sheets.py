"""Spreadsheet exports (xlsx/csv): who may export what, what each user sees, formula
injection, query counts and the demo's payment list."""

import io

import openpyxl
import pytest
from django.core.management import call_command
from django.urls import reverse

from measures.models import Measure
from needs.models import NeedReport
from reporting.resources import to_csv, to_xlsx
from tests.factories import make_org
from tests.needs.conftest import make_allocation, make_measure, make_report
from tests.reporting import sheets_helpers
from tests.reporting.sheets_helpers import Status, submitted

pytestmark = pytest.mark.django_db

# Fixture shared with the other spreadsheet module.
report_a = sheets_helpers.report_a


SEED_MEASURES = [
    "Datainnsamling for å analysere egne behov",
    "Pedagogisk analyse",
    "Magisk måned",
    "Koordinator",
]


def xlsx_rows(response):
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    content = b"".join(response.streaming_content) if response.streaming else response.content
    sheet = openpyxl.load_workbook(io.BytesIO(content)).worksheets[0]
    return [[cell.value for cell in row] for row in sheet.iter_rows()]


def as_dicts(rows):
    headers = rows[0]
    return [dict(zip(headers, row, strict=True)) for row in rows[1:]]


@pytest.fixture
def report_b(cast):
    return make_report(cast.partnership_b, measures=[(5_000, 20_000)])


EXPORTS = ["export_reports", "export_measures", "export_allocations", "export_payments"]


# Permissions -----------------------------------------------------------------------------


def test_anonymous_goes_to_login(client, report_a):
    urls = [reverse("reporting:exports")]
    urls += [reverse(f"reporting:{name}", args=["xlsx"]) for name in EXPORTS]
    urls += [
        reverse("reporting:report_measures", args=[report_a.pk, "xlsx"]),
        reverse("reporting:measure_import", args=[report_a.pk]),
        reverse("reporting:measure_import_template", args=["xlsx"]),
    ]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 302 and response.url.startswith(reverse("login")), url
    response = client.post(reverse("reporting:measure_import_confirm", args=[report_a.pk]))
    assert response.status_code == 302 and response.url.startswith(reverse("login"))


@pytest.mark.parametrize(
    "who,status",
    [("alice", 200), ("ulla", 200), ("bob", 404), ("olga", 404), ("otto", 404), ("root", 200)],
)
def test_report_measures_export_follows_report_access(login, cast, report_a, who, status):
    url = reverse("reporting:report_measures", args=[report_a.pk, "xlsx"])
    assert login(getattr(cast, who)).get(url).status_code == status


def test_officer_exports_the_report_once_submitted(login, cast, report_a):
    submitted(report_a)
    response = login(cast.olga).get(reverse("reporting:report_measures", args=[report_a.pk, "csv"]))
    assert response.status_code == 200
    assert "Tiltak 1" in response.content.decode("utf-8-sig")


@pytest.mark.parametrize(
    "who,status",
    [("alice", 403), ("ulla", 403), ("bob", 403), ("olga", 200), ("otto", 200), ("root", 200)],
)
def test_payment_list_only_for_officers_and_admins(login, cast, report_a, who, status):
    client = login(getattr(cast, who))
    for fmt in ("xlsx", "csv"):
        assert client.get(reverse("reporting:export_payments", args=[fmt])).status_code == status


@pytest.mark.parametrize("who", ["alice", "ulla", "bob", "olga", "otto", "root"])
def test_everyone_logged_in_has_the_other_exports(login, cast, report_a, who):
    client = login(getattr(cast, who))
    response = client.get(reverse("reporting:exports"))
    assert response.status_code == 200
    payments = reverse("reporting:export_payments", args=["xlsx"])
    assert (payments in response.content.decode()) == (who in ("olga", "otto", "root"))
    for name in EXPORTS[:3]:
        for fmt in ("xlsx", "csv"):
            assert client.get(reverse(f"reporting:{name}", args=[fmt])).status_code == 200


def test_unknown_format_is_404(login, cast):
    assert login(cast.root).get("/reporting/exports/measures.pdf").status_code == 404


# What each user sees ---------------------------------------------------------------------


def test_acceptance_demo_measures_for_officer_but_not_for_other_partnership(client):
    call_command("demo", verbosity=0)
    NeedReport.objects.filter(partnership__name="God opplæring for alle").update(
        status=Status.SUBMITTED
    )
    url = reverse("reporting:export_measures", args=["xlsx"])

    assert client.login(username="sf.nordland", password="demo")
    names = {row["Tiltak"] for row in as_dicts(xlsx_rows(client.get(url)))}
    assert set(SEED_MEASURES) <= names
    assert len([n for n in names if n]) >= 8

    client.logout()
    assert client.login(username="koordinator.salten", password="demo")
    rows = xlsx_rows(client.get(url))
    names = {row["Tiltak"] for row in as_dicts(rows)}
    assert not names & set(SEED_MEASURES)
    assert rows[0][:3] == ["Behovsmelding-ID", "År", "Ordning"]


def test_officers_do_not_see_drafts_or_other_counties(login, cast, report_a, report_b):
    url = reverse("reporting:export_measures", args=["xlsx"])
    assert as_dicts(xlsx_rows(login(cast.olga).get(url))) == []
    submitted(report_a)
    submitted(report_b)
    rows = as_dicts(xlsx_rows(login(cast.olga).get(url)))
    assert {r["Partnerskap"] for r in rows} == {"God opplæring for alle"}
    rows = as_dicts(xlsx_rows(login(cast.otto).get(url)))
    assert {r["Partnerskap"] for r in rows} == {"Sunnhordland-nettverket"}
    rows = as_dicts(xlsx_rows(login(cast.bob).get(url)))
    assert {r["Partnerskap"] for r in rows} == {"Sunnhordland-nettverket"}


def test_measures_export_columns_and_filters(login, cast, report_a):
    make_report(cast.partnership_a, year=2025, measures=[(1, 2)])
    make_report(cast.partnership_a, scheme_code="rekom", measures=[(3, 4)])
    client = login(cast.alice)
    url = reverse("reporting:export_measures", args=["xlsx"])
    rows = as_dicts(xlsx_rows(client.get(url, {"year": "2024", "scheme": "dekom"})))
    assert len(rows) == 2
    first = rows[0]
    assert first["År"] == 2024 and first["Ordning"] == "Dekom"
    assert first["Nr"] == 1 and first["Tiltak"] == "Tiltak 1"
    assert first["Eier (kr)"] == 40_000 and first["UH (kr)"] == 60_000
    assert first["Totalt (kr)"] == 100_000
    assert first["Formål"] == "Gjennomføring av tiltak"
    assert first["Status"] == "Utkast"
    assert (first["Vår"], first["Høst"]) == ("Nei", "Ja")
    assert first["Målgruppe"] == "Alle ansatte"
    assert len(as_dicts(xlsx_rows(client.get(url, {"year": "2025"})))) == 1
    assert len(as_dicts(xlsx_rows(client.get(url)))) == 4


def test_need_report_export_has_totals_and_share(login, cast, report_a):
    response = login(cast.alice).get(reverse("reporting:export_reports", args=["xlsx"]))
    (row,) = as_dicts(xlsx_rows(response))
    assert row["Partnerskap"] == "God opplæring for alle"
    assert row["Region"] == "Ytre Helgeland"
    assert row["Statsforvalter"] == "Statsforvalteren i Nordland"
    assert (row["Eier (kr)"], row["UH (kr)"], row["Totalt (kr)"]) == (50_000, 60_000, 110_000)
    assert row["UH-andel (%)"] == pytest.approx(54.5)


def test_csv_is_semicolon_separated_with_bom_and_decimal_comma(login, cast, report_a):
    response = login(cast.alice).get(reverse("reporting:export_reports", args=["csv"]))
    assert response["Content-Type"].startswith("text/csv")
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeffBehovsmelding-ID;År;Ordning;")
    assert text.splitlines()[1].endswith(";50000;60000;110000;54,5")


def test_allocation_is_shown_to_partnership_only_when_decided(login, cast, report_a):
    submitted(report_a)
    first = report_a.measures.order_by("position").first()
    make_allocation(first, 30_000, 50_000)
    url = reverse("reporting:export_allocations", args=["xlsx"])

    rows = as_dicts(xlsx_rows(login(cast.olga).get(url)))
    assert (rows[0]["Søkt eier (kr)"], rows[0]["Tildelt eier (kr)"]) == (40_000, 30_000)
    assert rows[0]["Tildelt totalt (kr)"] == 80_000
    assert rows[1]["Tildelt eier (kr)"] is None

    rows = as_dicts(xlsx_rows(login(cast.alice).get(url)))
    assert rows[0]["Søkt UH (kr)"] == 60_000 and rows[0]["Tildelt UH (kr)"] is None
    report_a.status = Status.ALLOCATED
    report_a.save()
    rows = as_dicts(xlsx_rows(login(cast.alice).get(url)))
    assert rows[0]["Tildelt UH (kr)"] == 50_000
    assert as_dicts(xlsx_rows(login(cast.bob).get(url))) == []


def test_payment_list_one_line_per_payee(login, cast, report_a, report_b):
    alstahaug = cast.owner_a1
    report_a.owner_org_number = alstahaug.org_number
    report_a.owner_payment_reference = "Dekom 2024"
    report_a.uh_org_number = "974767880"  # not an organisation of the partnership
    report_a.status = Status.ALLOCATED
    report_a.save()
    for measure in report_a.measures.all():
        make_allocation(measure, 10_000, 20_000)
    submitted(report_b)  # not allocated: no payment
    make_allocation(report_b.measures.first(), 1, 1)

    rows = as_dicts(
        xlsx_rows(login(cast.olga).get(reverse("reporting:export_payments", args=["xlsx"])))
    )
    assert rows == [
        {
            "Mottaker": alstahaug.name,
            "Organisasjonsnummer": alstahaug.org_number,
            "Kontonummer": report_a.owner_account_number,
            "Merking": "Dekom 2024",
            "Ordning": "Dekom",
            "År": 2024,
            "Beløp (kr)": 20_000,
            "Mottakertype": "Eier",
            "Partnerskap": "God opplæring for alle",
            "Statsforvalter": "Statsforvalteren i Nordland",
        },
        {
            "Mottaker": "God opplæring for alle",
            "Organisasjonsnummer": "974767880",
            "Kontonummer": report_a.uh_account_number,
            "Merking": None,
            "Ordning": "Dekom",
            "År": 2024,
            "Beløp (kr)": 40_000,
            "Mottakertype": "UH",
            "Partnerskap": "God opplæring for alle",
            "Statsforvalter": "Statsforvalteren i Nordland",
        },
    ]
    assert (
        as_dicts(
            xlsx_rows(login(cast.otto).get(reverse("reporting:export_payments", args=["xlsx"])))
        )
        == []
    )


def test_payee_name_is_the_partnerships_uh_with_that_number(login, cast, report_a):
    report_a.uh_org_number = cast.uh.org_number
    report_a.status = Status.ALLOCATED
    report_a.save()
    make_allocation(report_a.measures.first(), 0, 5)
    other = make_org("Annen kommune", county=cast.county_a)  # not in the partnership
    report_a.owner_org_number = other.org_number
    report_a.save()
    response = login(cast.root).get(reverse("reporting:export_payments", args=["xlsx"]))
    rows = as_dicts(xlsx_rows(response))
    assert [(r["Mottaker"], r["Mottakertype"], r["Beløp (kr)"]) for r in rows] == [
        ("Høgskolen i Innlandet", "UH", 5)
    ]


# Formula injection -----------------------------------------------------------------------


def test_every_exported_cell_is_neutralised(login, cast, report_a):
    make_measure(
        report_a,
        1,
        2,
        position=3,
        name='=HYPERLINK("http://evil.example","klikk")',
        target_group="+47 999",
        owner_use="-2+3",
        uh_use="@SUM(A1)",
        anchoring="\t=1",
    )
    client = login(cast.alice)
    response = client.get(reverse("reporting:export_measures", args=["xlsx"]))
    content = response.content
    sheet = openpyxl.load_workbook(io.BytesIO(content)).worksheets[0]
    cells = [cell for row in sheet.iter_rows() for cell in row]
    assert all(cell.data_type != "f" for cell in cells)
    values = [cell.value for cell in cells if isinstance(cell.value, str)]
    assert '\'=HYPERLINK("http://evil.example","klikk")' in values
    assert {"'+47 999", "'-2+3", "'@SUM(A1)", "'\t=1"} <= set(values)
    assert not [v for v in values if v[:1] in "=+-@\t\r"]

    text = client.get(reverse("reporting:export_measures", args=["csv"])).content.decode()
    assert ";\"'=HYPERLINK(" in text and ";'+47 999;" in text and ";'@SUM(A1);" in text


def test_writers_neutralise_any_dataset():
    import tablib

    dataset = tablib.Dataset(
        ["=1+1", "-5", 7, None, "\x01=2"], headers=["@a", "b", "c", "d", "e"], title="x"
    )
    sheet = openpyxl.load_workbook(io.BytesIO(to_xlsx(dataset))).worksheets[0]
    assert [c.value for c in sheet[1]] == ["'@a", "b", "c", "d", "e"]
    assert [c.value for c in sheet[2]] == ["'=1+1", "'-5", 7, None, "'=2"]
    assert to_csv(dataset).splitlines()[1] == "'=1+1;'-5;7;;\x01=2"


# Query counts ----------------------------------------------------------------------------


def _many_reports(partnership, count):
    for year in range(2000, 2000 + count):
        make_report(partnership, year=year, measures=[(10, 20), (30, 40)], status=Status.SUBMITTED)


@pytest.mark.parametrize("count", [5, 50])
def test_measures_export_query_count_does_not_grow(login, cast, django_assert_num_queries, count):
    _many_reports(cast.partnership_a, count)
    client = login(cast.olga)
    url = reverse("reporting:export_measures", args=["xlsx"])
    # session, user, its roles, measures
    with django_assert_num_queries(4):
        response = client.get(url)
    assert len(xlsx_rows(response)) == 2 * count + 1


@pytest.mark.parametrize("count", [5, 50])
def test_other_exports_query_counts_do_not_grow(login, cast, django_assert_num_queries, count):
    _many_reports(cast.partnership_a, count)
    NeedReport.objects.filter(year__lt=2003).update(status=Status.ALLOCATED)
    for measure in Measure.objects.all():
        make_allocation(measure, 1, 2)
    client = login(cast.olga)
    # session, user, its roles, reports (with their stored totals)
    with django_assert_num_queries(4):
        client.get(reverse("reporting:export_reports", args=["xlsx"]))
    # session, user, its roles, measures with allocations
    with django_assert_num_queries(4):
        client.get(reverse("reporting:export_allocations", args=["xlsx"]))
    # session, user, its roles, reports with payees (and their stored allocated totals)
    with django_assert_num_queries(4):
        response = client.get(reverse("reporting:export_payments", args=["xlsx"]))
    assert len(xlsx_rows(response)) == 1 + 3 * 2


def test_demo_payment_list_pays_hinn_to_its_account(client):
    """Issue 4's acceptance: the demo's allocated report puts HINN on the payment list with
    the org.nr and account number of seed 002 (digits only, as finance systems read them)."""
    call_command("demo", verbosity=0)
    assert client.login(username="sf.nordland", password="demo")
    rows = xlsx_rows(client.get(reverse("reporting:export_payments", args=["xlsx"])))
    header, lines = rows[0], rows[1:]
    hinn = [dict(zip(header, line, strict=True)) for line in lines if "HINN" in str(line[0])]
    assert len(hinn) == 1
    assert hinn[0]["Organisasjonsnummer"] == "918108467"
    assert hinn[0]["Kontonummer"] == "76940500660"
    assert hinn[0]["Mottakertype"] == "UH"
    # Another county's officer pays nothing of Nordland's.
    assert client.login(username="sf.osloviken", password="demo")
    rows = xlsx_rows(client.get(reverse("reporting:export_payments", args=["xlsx"])))
    assert not any("HINN" in str(line[0]) for line in rows[1:])
