import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse

from partnerships.models import Membership, Organisation, Partnership, RuleSettings

pytestmark = pytest.mark.django_db


def test_login_page_is_norwegian(client):
    response = client.get(reverse("login"))
    page = response.content.decode()
    assert '<html lang="nb">' in page
    assert "Logg inn" in page


def test_language_switch_shows_nynorsk(client, cast):
    client.force_login(cast.alice)
    response = client.post(
        reverse("set_language"), {"language": "nn", "next": reverse("portal:dashboard")}
    )
    assert response.status_code == 302
    page = client.get(reverse("portal:dashboard")).content.decode()
    assert '<html lang="nn">' in page
    assert "Mine partnarskap" in page  # nynorsk, not bokmål's "Mine partnerskap"


def test_login_and_logout(client, cast):
    response = client.post(reverse("login"), {"username": "alice", "password": "pw"})
    assert response.status_code == 302
    page = client.get(reverse("portal:dashboard")).content.decode()
    assert "God opplæring for alle" in page
    client.post(reverse("logout"))
    assert client.get(reverse("portal:dashboard")).status_code == 302


def test_password_reset_sends_mail(client, cast, django_capture_on_commit_callbacks):
    cast.alice.email = "alice@example.no"
    cast.alice.save()
    with django_capture_on_commit_callbacks(execute=True):  # the mail task runs on commit
        response = client.post(reverse("password_reset"), {"email": "alice@example.no"})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    assert "alice@example.no" in mail.outbox[0].to


def test_security_headers(client):
    response = client.get(reverse("login"))
    assert response.headers["X-Frame-Options"] == "DENY"
    csp = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp
    assert "unsafe-inline" not in csp


def test_pages_load_no_external_assets(client):
    page = client.get(reverse("login")).content.decode()
    assert "http://" not in page.replace("http://testserver", "")
    assert "https://" not in page


def test_demo_command_is_idempotent():
    call_command("demo", verbosity=0)
    counts = [m.objects.count() for m in (Organisation, Partnership, Membership, RuleSettings)]
    call_command("demo", verbosity=0)
    assert counts == [
        m.objects.count() for m in (Organisation, Partnership, Membership, RuleSettings)
    ]
    goa = Partnership.objects.get(name="God opplæring for alle")
    assert sorted(o.name for o in goa.owners.all()) == [
        "Alstahaug kommune",
        "Leirfjord kommune",
        "Lurøy kommune",
        "Træna kommune",
    ]
    hinn = goa.uh_partners.get()
    assert (hinn.org_number, hinn.account_number) == ("918108467", "76940500660")
    assert Organisation.objects.get(name="Alstahaug kommune").org_number == "938712441"
    assert Organisation.objects.filter(kind="municipality").count() == 20


def test_demo_dry_run_saves_nothing():
    call_command("demo", "--dry-run", verbosity=0)
    assert not Partnership.objects.exists()


def test_demo_accounts_log_in(client):
    call_command("demo", verbosity=0)
    for username in ["koordinator.goa", "uh.hinn", "koordinator.salten", "sf.nordland", "admin"]:
        assert client.login(username=username, password="demo"), username


@pytest.mark.parametrize("count", [1, 6])
def test_dashboard_lists_my_reports_with_totals(login, cast, count, django_assert_num_queries):
    from needs.models import NeedReport
    from tests.needs.conftest import make_report

    for year in range(2024, 2024 + count):
        make_report(cast.partnership_a, year=year, measures=[(40_000, 60_000)])
    make_report(cast.partnership_b, measures=[(1, 2)])
    client = login(cast.alice)
    client.get(reverse("portal:dashboard"))
    # Session, user, the user's roles (partnerships and county offices in one query), unread
    # comments, my reports, and their count. A member without a county office has
    # CountyOffice.editable_by() == none(), which asks no query. The annual-report overview
    # adds two: the allocated reports to write and the annual reports to confirm. The
    # deadlines panel three: the upcoming deadlines, overdue need and annual reports.
    with django_assert_num_queries(11):
        response = client.get(reverse("portal:dashboard"))
    reports = response.context["my_reports"]
    assert [r.partnership for r in reports] == [cast.partnership_a] * count
    assert reports[0].year == 2023 + count  # the newest first
    page = response.content.decode().replace("\u00a0", " ")
    assert "100 000 kr" in page and "60,0 %" in page
    report = reports[0]
    row = f'<a href="{report.get_absolute_url()}">God opplæring for alle, Dekom {report.year}</a>'
    assert row in page
    assert "Sunnhordland-nettverket, Dekom" not in page
    assert response.context["waiting"] is None
    # The county office sees how many wait in its queue (only its own county's).
    NeedReport.objects.filter(partnership=cast.partnership_a).update(status="submitted")
    NeedReport.objects.filter(partnership=cast.partnership_b).update(status="submitted")
    response = login(cast.olga).get(reverse("portal:dashboard"))
    assert response.context["waiting"] == count
    assert response.context["my_reports"] == []


def test_dashboard_escapes_what_users_typed(login, cast):
    from tests.needs.conftest import make_report

    cast.partnership_a.name = 'Nettverk <script>alert("x")</script>'
    cast.partnership_a.save()
    make_report(cast.partnership_a, measures=[(1, 2)])
    page = login(cast.alice).get(reverse("portal:dashboard")).content.decode()
    assert "<script>alert" not in page
    assert "Nettverk &lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;, Dekom" in page


def test_main_menu_per_role_with_the_users_name_and_a_working_log_out(cast, client):
    import re

    from django.test import Client

    cast.alice.first_name = "Alice <b>"
    cast.alice.save()
    queue = reverse("needs:queue")
    for user, sees_queue in [(cast.alice, False), (cast.olga, True), (cast.alice, False)]:
        browser = Client(enforce_csrf_checks=True)
        browser.force_login(user)
        page = browser.get(reverse("portal:dashboard")).content.decode()
        assert (f'href="{queue}"' in page) is sees_queue
        assert str(user).replace("<", "&lt;").replace(">", "&gt;") in page
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
        assert browser.post(reverse("logout"), {"csrfmiddlewaretoken": token}).status_code == 302
        assert browser.get(reverse("portal:dashboard")).status_code == 302  # logged out


def test_refusals_are_norwegian_pages_of_the_portal(cast, login):
    from tests.needs.conftest import make_report

    report = make_report(cast.partnership_a, measures=[(1_000, 2_000)])
    measure = report.measures.get()
    hidden = login(cast.bob).get(reverse("needs:detail", args=[report.pk]))
    assert hidden.status_code == 404
    assert "Fant ikke siden" in hidden.content.decode()
    refused = login(cast.ulla).post(
        reverse("measures:edit", args=[report.pk, measure.pk]), {"name": "X", "version": 1}
    )
    assert refused.status_code == 403
    text = refused.content.decode()
    assert "Ikke tillatt" in text and "Ingenting ble endret" in text
    measure.refresh_from_db()
    assert measure.name == "Tiltak 1"


@pytest.mark.parametrize("count", [1, 4])
def test_officer_dashboard_shows_what_waits_and_what_is_left_of_the_frame(
    login, cast, count, django_assert_max_num_queries
):
    from needs.models import NeedReport
    from needs.models_allocation import Frame
    from tests.needs.conftest import make_allocation, make_report

    for year in range(2024, 2024 + count):
        make_report(cast.partnership_a, year=year, measures=[(40_000, 60_000)], status="submitted")
    # 300 000 kr allocated in 2024 (through the rows, so the stored totals agree).
    make_allocation(NeedReport.objects.get(year=2024).measures.get(), 120_000, 180_000)
    Frame.objects.create(
        county_office=cast.county_a,
        scheme=NeedReport.objects.first().scheme,
        year=2024,
        amount=1_000_000,
        committed=200_000,
    )
    client = login(cast.olga)
    client.get(reverse("portal:dashboard"))
    # The overview's, the annual-report overview's, the forum's and the deadlines panel's
    # queries (three: upcoming, overdue need and annual reports), none per row.
    with django_assert_max_num_queries(17):
        response = client.get(reverse("portal:dashboard"))
    rows = response.context["officer_overview"]
    assert len(rows) == min(count, 2)  # the newest two years
    page = response.content.decode().replace("\u00a0", " ")
    assert 'data-testid="officer-overview"' in page
    if count == 1:
        assert rows[0].submitted == 1 and rows[0].left == 500_000
        assert "500 000 kr" in page
    # A member without a county office sees no overview (and asks no query for it).
    assert "officer_overview" not in login(cast.alice).get(reverse("portal:dashboard")).context
