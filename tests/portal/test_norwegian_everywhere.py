"""No English and no raw technical text reaches users, in bokmål or nynorsk: every form's
errors, labels and help texts, every mail template (the notifications and Django's own
password-reset mail) and the admin's main pages. A text fails on an English word from the
list below or on the name of a database constraint."""

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings
from django.contrib import admin
from django.core import mail
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from needs.models import NeedReport, UhConfirmation
from partnerships.models import Organisation, Partnership
from tests.needs.conftest import make_report

pytestmark = pytest.mark.django_db

LANGUAGES = ["nb", "nn"]

# Words and phrases that are English and not Norwegian (as whole words, any case), and
# Django's own English texts that show when a translation is missing.
ENGLISH = re.compile(
    r"\b("
    r"the|this|that|these|with|from|your|you|please|has|have|been|was|were|will|would|"
    r"must|cannot|should|which|field|required|enter|ensure|select|valid|invalid|"
    r"already|exists|characters?|password|username|report|measure|submitted|returned|"
    r"approved|changed|confirmed|county office|constraint|violated|can add|can change|"
    r"can delete|can view|show counts|hide counts|add another|save and|log out|"
    r"view site|recent actions|search|action|delete|history|home|"
    r"organisation|partnership|user|users|groups|permissions|yes|true|false|none"
    r")\b",
    re.IGNORECASE,
)


def constraint_names():
    return {c.name for model in apps.get_models() for c in model._meta.constraints}


def english_in(text):
    """The English words and constraint names in `text` (sorted, unique)."""
    found = {m.group(0) for m in ENGLISH.finditer(text)}
    found |= {name for name in constraint_names() if name in text}
    return sorted(found)


class _Text(HTMLParser):
    """The text a person reads: tag contents (not scripts or styles) and the attributes
    that screen readers and tooltips show."""

    def __init__(self):
        super().__init__()
        self.parts, self._skip = [], 0

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style"):
            self._skip += 1
        for name, value in attrs:
            if name in ("title", "aria-label", "placeholder", "alt") and value:
                self.parts.append(value)
            if name == "value" and tag == "input" and ("type", "submit") in attrs:
                self.parts.append(value or "")

    def handle_endtag(self, tag):
        if tag in ("script", "style"):
            self._skip -= 1

    def handle_data(self, data):
        if not self._skip:
            self.parts.append(data)


def visible_text(html):
    parser = _Text()
    parser.feed(html)
    return " ".join(" ".join(parser.parts).split())


# Forms -------------------------------------------------------------------------------------


def _form_cases(cast):
    """Every form of the portal, unbound (labels, help texts) and bound with wrong data."""
    from measures.forms import MeasureForm
    from needs.forms import CommentForm, ReportCreateForm, ReportDetailsForm
    from partnerships.forms import ImportForm, OrganisationForm, PartnershipForm, RuleSettingsForm
    from partnerships.models import CountyOffice, RuleSettings
    from portal.forms import NotificationSettingsForm
    from reporting.annual_forms import DeadlineForm

    report = make_report(cast.partnership_a, measures=[(10_000, 20_000)])
    measure = report.measures.get()
    offices = CountyOffice.objects.all()
    wrong = {
        "name": "",
        "org_number": "123",
        "account_number": "12",
        "owner_amount": "999 999 999 999",
        "uh_amount": "tusen",
        "min_uh_share_percent": "150",
        "cofinancing_percent": "150",
        "year": "1800",
        "email": "ikke-en-adresse",
        "owner_contact_email": "ikke-en-adresse",
        "text": "",
        "due_date": "i morgen",
        "version": "1",
    }
    return {
        "MeasureForm": lambda data: MeasureForm(data, instance=measure, year=2024),
        "ReportCreateForm": lambda data: ReportCreateForm(
            data, partnerships=Partnership.objects.all()
        ),
        "ReportDetailsForm": lambda data: ReportDetailsForm(data, instance=report),
        "CommentForm": lambda data: CommentForm(data),
        "OrganisationForm": lambda data: OrganisationForm(
            data, county_offices=offices, user=cast.olga
        ),
        "PartnershipForm": lambda data: PartnershipForm(data, county_offices=offices),
        "RuleSettingsForm": lambda data: RuleSettingsForm(
            data, county_offices=offices, instance=RuleSettings()
        ),
        "ImportForm": lambda data: ImportForm(data, {}),
        "NotificationSettingsForm": lambda data: NotificationSettingsForm(data, user=cast.alice),
        "DeadlineForm": lambda data: DeadlineForm(data),
    }, wrong


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_forms_labels_and_errors_are_norwegian(cast, language):
    cases, wrong = _form_cases(cast)
    problems = {}
    for name, make in cases.items():
        with translation.override(language):
            try:
                unbound, bound = make(None), make(wrong)
            except TypeError:  # another constructor: say so instead of passing quietly
                problems[name] = ["constructor"]
                continue
            bound.is_valid()
            texts = [
                str(field.label or "") + " " + str(field.help_text or "")
                for field in unbound.fields.values()
            ]
            texts += [str(m) for messages in bound.errors.values() for m in messages]
        found = english_in(" ".join(texts))
        if found:
            problems[name] = found
    assert not problems, problems


@pytest.mark.parametrize("language", LANGUAGES)
def test_password_validation_messages_are_norwegian(language):
    from django.contrib.auth.password_validation import validate_password
    from django.core.exceptions import ValidationError

    with translation.override(language):
        with pytest.raises(ValidationError) as refused:
            validate_password("1234")
        text = " ".join(refused.value.messages)
    assert not english_in(text), text
    assert "8" in text


# Mail --------------------------------------------------------------------------------------

NOTIFICATIONS = sorted(
    p.name for p in (Path(settings.BASE_DIR) / "templates" / "notifications").glob("*.txt")
)


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("template", NOTIFICATIONS)
def test_every_mail_template_is_norwegian(cast, language, template):
    report = make_report(cast.partnership_a, measures=[(10_000, 20_000)])
    confirmation = UhConfirmation(
        report=report, version_number=1, amounts={}, confirmed_by=cast.ulla
    )
    context = {
        "report": report,
        "user": cast.alice,
        "actor": cast.olga,
        "url": "https://portal.example.no/x/",
        "message": "Flytt midlar til UH",
        "confirmation": confirmation,
        "organisation": cast.owner_a1,
        "changes": [("Kontonummer", "1", "2")],
        "unused": 0,
        "days_left": 3,
        "due_date": None,
    }
    with translation.override(language):
        text = render_to_string(f"notifications/{template}", context)
    assert not english_in(text), (template, english_in(text), text)


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_password_reset_mail_is_norwegian_and_names_the_site_from_settings(
    client, cast, language, settings, django_capture_on_commit_callbacks
):
    settings.SITE_URL = "https://kompetanse.example.no"
    settings.SITE_NAME = "Kompetanseportalen"
    cast.alice.email = "alice@example.no"
    cast.alice.save()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("password_reset"),
            {"email": "alice@example.no"},
            HTTP_ACCEPT_LANGUAGE=language,
        )
    [message] = mail.outbox
    assert "Kompetanseportalen" in message.subject and "\n" not in message.subject
    assert "https://kompetanse.example.no/accounts/reset/" in message.body
    assert "testserver" not in message.body + message.subject
    assert "alice" in message.body
    assert not english_in(message.subject + " " + message.body.replace("alice", "")), message.body


# Admin -------------------------------------------------------------------------------------


def _admin_urls():
    urls = [reverse("admin:index")]
    for model, model_admin in admin.site._registry.items():
        if model._meta.app_label not in {
            "portal",
            "partnerships",
            "needs",
            "measures",
            "reporting",
        }:
            continue
        name = f"admin:{model._meta.app_label}_{model._meta.model_name}"
        urls += [reverse(f"{name}_changelist"), reverse(f"{name}_add")]
    return urls


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_admins_main_pages_are_norwegian(client, cast, language):
    make_report(cast.partnership_a, measures=[(10_000, 20_000)])
    client.force_login(cast.root)
    problems = {}
    for url in _admin_urls():
        response = client.get(url, HTTP_ACCEPT_LANGUAGE=language)
        if response.status_code == 403:
            continue  # read-only pages have no add page
        assert response.status_code == 200, url
        found = english_in(visible_text(response.content.decode()))
        if found:
            problems[url] = found
    for url, words in problems.items():
        print(url, words)
    assert not problems, problems


def test_the_admin_groups_numbers_filters_kinds_and_shows_roles(client, cast):
    client.force_login(cast.root)
    org = cast.owner_a1
    text = client.get(reverse("admin:partnerships_organisation_changelist")).content.decode()
    assert f"{org.org_number[:3]} {org.org_number[3:6]} {org.org_number[6:]}" in text
    account = org.account_number
    assert f"{account[:4]} {account[4:6]} {account[6:]}" in text

    page = client.get(
        reverse("admin:partnerships_partnership_change", args=[cast.partnership_a.pk])
    )
    form = page.context["adminform"].form
    assert not form.fields["owners"].queryset.filter(kind=Organisation.Kind.UH).exists()
    assert set(form.fields["uh_partners"].queryset.values_list("kind", flat=True)) == {
        Organisation.Kind.UH
    }
    users = client.get(reverse("admin:portal_user_changelist")).content.decode()
    assert f"Koordinator: {cast.partnership_a.name}" in users
    assert f"Saksbehandler: {cast.county_a.name}" in users


def test_need_reports_annual_reports_and_activities_are_read_only_in_the_admin(client, cast):
    report = make_report(cast.partnership_a, measures=[(10_000, 20_000)])
    client.force_login(cast.root)
    assert client.get(reverse("admin:needs_needreport_changelist")).status_code == 200
    change = client.get(reverse("admin:needs_needreport_change", args=[report.pk]))
    assert change.status_code == 200 and 'name="_save"' not in change.content.decode()
    assert client.get(reverse("admin:needs_needreport_add")).status_code == 403
    assert client.get(reverse("admin:reporting_annualreport_changelist")).status_code == 200
    assert client.get(reverse("admin:needs_activity_changelist")).status_code == 200
    assert NeedReport.objects.filter(pk=report.pk).exists()
