"""Odd input, downloads, headers and production settings (issue 18, part A). Each test names
the finding it guards in its docstring; /work/notes/harden1-map.md maps them."""

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import override_settings
from django.urls import reverse

from measures.models import Measure
from needs.models import NeedReport
from portal import params
from portal.money import MoneyError, parse_count, parse_kroner
from reporting import pdf
from tests.needs.conftest import make_measure, make_report

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.django_db


# Numbers and identifiers ------------------------------------------------------------------


@pytest.mark.parametrize("value", ["²", "٣", "1_000", "-1", str(2**31), "", " ", "1" * 5000, None])
def test_parse_int_takes_plain_ascii_digits_in_range_only(value):
    assert params.parse_int(value) is None


def test_parse_int_and_year():
    assert params.parse_int(" 42 ") == 42
    assert params.parse_year("2024") == 2024
    assert params.parse_year("99999") is None


@pytest.mark.parametrize(
    "url",
    [
        "/needs/?year=%C2%B2",
        "/needs/?year=%D9%A3",
        "/needs/?page=%C2%B2",
        f"/needs/?year={2**31}",
        "/reporting/statistics/?county=%C2%B2",
        "/reporting/exports/need-reports.csv?year=-1",
        "/reporting/annual/?year=99999",
        "/needs/review/?year=99999",
        "/activity-plan/?year=%C2%B2",
    ],
)
def test_odd_numbers_in_query_strings_are_400_not_500(login, cast, url):
    """76 of 2 600 fuzzed requests gave 500: "²" in year/county/page, 2**31, …"""
    response = login(cast.root).get(url)
    assert response.status_code in (200, 400)
    if response.status_code == 400:
        assert "Ugyldig forespørsel" in response.content.decode()


def test_a_comment_with_measure_abc_is_400(login, cast):
    """A comment's measure=abc gave 500."""
    report = make_report(cast.partnership_a)
    response = login(cast.alice).post(
        reverse("needs:comment_add", args=[report.pk]), {"text": "Hei", "measure": "abc"}
    )
    assert response.status_code == 400
    assert not report.comments.exists()


def test_a_comment_next_that_is_not_a_path_goes_back_to_the_report(login, cast):
    report = make_report(cast.partnership_a)
    response = login(cast.alice).post(
        reverse("needs:comment_add", args=[report.pk]), {"text": "Hei", "next": "²"}
    )
    assert response.status_code == 302 and response.url.startswith(report.get_absolute_url())


def test_year_99999_on_the_deadline_form_is_404_not_500(login, cast):
    """Year 99999 on deadline and frame forms gave 500 (smallint out of range)."""
    client = login(cast.olga)
    for url in (
        f"/reporting/annual/deadline/{cast.county_a.pk}/99999/",
        f"/reporting/annual/deadline/{cast.county_a.pk}/{2**31}/",
        f"/needs/allocation/{cast.county_a.pk}/dekom/99999/",
    ):
        assert client.post(url, {"due_date": "01.02.2025"}).status_code == 404, url


def test_counts_and_amounts_take_the_thousands_dot():
    """A count stored "50.000" as 50; amounts refused "50.000" as "no øre"."""
    assert parse_kroner("50.000") == 50_000
    assert parse_kroner("1.544.000") == 1_544_000
    assert parse_count("50.000") == 50_000
    for text in ("12,50", "12.5"):
        with pytest.raises(MoneyError) as error:
            parse_kroner(text)
        assert error.value.code == "decimals"
    with pytest.raises(MoneyError):
        parse_kroner("1" * 10_000)  # not int()'s 4 300-digit ValueError


def test_the_details_form_stores_a_count_with_the_thousands_dot(login, cast):
    report = make_report(cast.partnership_a)
    response = login(cast.alice).post(
        reverse("needs:edit", args=[report.pk]),
        {
            "version": report.lock_version,
            "municipal_kindergartens": "1.200",
            "private_kindergartens": "²",
            "participants-TOTAL_FORMS": "0",
            "participants-INITIAL_FORMS": "0",
            "others-TOTAL_FORMS": "0",
            "others-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code in (200, 302)
    report.refresh_from_db()
    assert report.municipal_kindergartens == 1200
    assert report.private_kindergartens is None


# Downloads ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "scheme", ['"; filename="evil.exe', "a\r\nb", "a\u2028b", "dekom\x7f", "x" * 500]
)
def test_download_names_never_carry_the_query_parameter(login, cast, scheme):
    """?scheme=%22%3B%20filename%3D%22evil.exe answered
    filename="rapporter-"; filename="evil.exe-2024.xlsx"; a CR or U+2028 gave 500."""
    response = login(cast.olga).get(reverse("reporting:annual_export"), {"scheme": scheme})
    assert response.status_code == 200
    disposition = response["Content-Disposition"]
    assert re.fullmatch(r'attachment; filename="[a-z0-9-]+\.xlsx"', disposition), disposition
    assert "evil" not in disposition


def test_export_names_are_safe(login, cast):
    response = login(cast.olga).get(
        reverse("reporting:export_reports", args=["csv"]), {"scheme": '"; filename="x.exe'}
    )
    assert re.fullmatch(r'attachment; filename="[a-z0-9-]+\.csv"', response["Content-Disposition"])


# Errors: NUL bytes at the edge --------------------------------------------------------------


def test_nul_bytes_in_query_and_post_are_refused_in_norwegian(login, cast):
    """NUL bytes in query strings and POSTed texts gave 500 with PostgreSQL's English text."""
    client = login(cast.olga)
    for response in (
        client.get("/needs/?scheme=%00"),
        client.get("/needs/%00/"),
        client.post(reverse("needs:list"), {"text": "a\x00b"}),
    ):
        assert response.status_code in (400, 404)
        body = response.content.decode()
        assert "PostgreSQL" not in body and "NUL (0x00)" not in body
    assert "ugyldige tegn" in client.get("/needs/?scheme=%00").content.decode()


# Cache-Control ------------------------------------------------------------------------------


def test_authenticated_pages_and_downloads_are_private_no_store(login, cast):
    """Authenticated pages and downloads carried no Cache-Control."""
    user = login(cast.olga)
    for url in (reverse("portal:dashboard"), reverse("reporting:export_reports", args=["csv"])):
        assert user.get(url)["Cache-Control"] == "private, no-store", url


# Production settings ------------------------------------------------------------------------


def _settings_value(name, **env):
    code = f"from django.conf import settings; print(repr(getattr(settings, {name!r}, None)))"
    environment = {
        **{k: v for k, v in os.environ.items() if k not in ("DEBUG", "SECURE_PROXY_SSL_HEADER")},
        "DJANGO_SETTINGS_MODULE": "portal.settings",
        "SECRET_KEY": "x" * 60,
        **env,
    }
    result = subprocess.run(
        [sys.executable, "-c", f"import django; django.setup(); {code}"],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        check=True,
    )
    return result.stdout.strip()


def test_the_proxy_header_is_trusted_only_when_configured():
    """SECURE_PROXY_SSL_HEADER was always trusted while compose publishes gunicorn directly."""
    assert _settings_value("SECURE_PROXY_SSL_HEADER") == "None"
    configured = _settings_value(
        "SECURE_PROXY_SSL_HEADER", SECURE_PROXY_SSL_HEADER="X-Forwarded-Proto"
    )
    assert configured == "('HTTP_X_FORWARDED_PROTO', 'https')"


def compose_environment():
    """The web service's environment from docker-compose.yml, ${VAR:-default} resolved to the
    default and ${VAR:?...} to a value an operator must set."""
    text = (ROOT / "docker-compose.yml").read_text()
    block = text.split("\n  web:\n", 1)[1].split("\n    environment:\n", 1)[1]
    env = {}
    for line in block.splitlines():
        if not line.startswith("      ") or line.strip().startswith("#"):
            if line.strip() and not line.startswith("      "):
                break
            continue
        key, _, value = line.strip().partition(":")
        value = value.strip().strip('"')
        required = re.fullmatch(r"\$\{(\w+):\?[^}]*\}", value)
        default = re.fullmatch(r"\$\{(\w+):-([^}]*)\}", value)
        if required:
            value = "compose-check-" + "k" * 50 if key == "SECRET_KEY" else "portal.example"
        elif default:
            value = default.group(2)
        env[key] = value
    return env


def test_check_deploy_is_clean_with_composes_environment():
    """Compose turned SSL redirect and secure cookies off by default: check --deploy warned."""
    env = compose_environment()
    assert env["SECURE_SSL_REDIRECT"] == "1" and env["SECURE_COOKIES"] == "1"
    env["DATABASE_URL"] = os.environ.get("DATABASE_URL", "sqlite:///compose-check.sqlite3")
    environment = {
        # Not the test run's own switches (DEBUG, or DJANGO_ALLOW_ASYNC_UNSAFE that the
        # browser tests set), which production never has.
        **{
            k: v
            for k, v in os.environ.items()
            if k not in ("DEBUG", "DJANGO_ALLOW_ASYNC_UNSAFE", "SECURE_PROXY_SSL_HEADER")
        },
        "DJANGO_SETTINGS_MODULE": "portal.settings",
        **env,
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr


@override_settings(DEBUG=False, DEMO_WITHOUT_DEBUG=False)
def test_demo_refuses_without_debug_unless_forced():
    """manage.py demo reset admin's password to 'demo' even with DEBUG off."""
    with pytest.raises(CommandError, match="--force"):
        call_command("demo", verbosity=0)


# Texts ----------------------------------------------------------------------------------------


def test_every_free_text_field_has_a_limit():
    """A 3 MB text field and a 5 MB annual-report comment were accepted."""
    from django.apps import apps

    unlimited = [
        f"{model.__name__}.{field.name}"
        for model in apps.get_models()
        if model._meta.app_label in {"portal", "partnerships", "needs", "measures", "reporting"}
        for field in model._meta.get_fields()
        if getattr(field, "get_internal_type", lambda: "")() == "TextField" and not field.max_length
    ]
    # Written by the portal itself, never typed: the change log, an export's error, the
    # reports a reminder was about.
    assert sorted(unlimited) == [
        "AuditEntry.new_value",
        "AuditEntry.old_value",
        "ExportJob.error",
        "ReminderSent.reports",
    ]


def test_a_too_long_narrative_is_refused_with_a_norwegian_message(login, cast):
    report = make_report(cast.partnership_a)
    measure = make_measure(report, 1000, 1000)
    limit = Measure._meta.get_field("anchoring").max_length
    response = login(cast.alice).post(
        reverse("measures:edit", args=[report.pk, measure.pk]),
        {"version": measure.lock_version, "name": measure.name, "anchoring": "x" * (limit + 1)},
    )
    measure.refresh_from_db()
    assert len(measure.anchoring) <= limit
    assert "eller færre tegn" in response.content.decode()


def test_a_too_long_comment_is_refused(login, cast):
    report = make_report(cast.partnership_a)
    response = login(cast.alice).post(
        reverse("needs:comment_add", args=[report.pk]), {"text": "x" * 5_000_001}
    )
    assert response.status_code == 400
    assert not report.comments.exists()


def test_pdfs_break_long_words():
    css = (ROOT / "static/reporting/pdf.css").read_text()
    assert "overflow-wrap: anywhere" in css


def test_the_longest_savable_word_renders_a_pdf(cast):
    """One word of 20 000 characters made the PDF take 4 s, 100 000 killed the worker. The
    limits keep a word under 5 000 and pdf.css breaks it (bench/limits.py times it)."""
    report = make_report(cast.partnership_a)
    limit = Measure._meta.get_field("anchoring").max_length
    make_measure(report, 1000, 1000, anchoring="W" * limit, uh_use="W" * limit)
    report = NeedReport.objects.select_related("partnership", "scheme").get(pk=report.pk)
    content = pdf.render_need_report(pdf.report_data(report), language="nb", draft=True)
    assert content.startswith(b"%PDF")
