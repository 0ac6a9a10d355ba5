"""Writes with side effects on need reports: create, save with a version check, submit."""

from datetime import timedelta

from django.db import transaction
from django.db.models import F
from django.forms.models import model_to_dict
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from measures.models import Measure
from portal.notifications import notify, officers_for, recipients_for
from portal.workflow import acting_on

from .findings import describe
from .models import Activity, NeedReport, ReportVersion
from .selectors import confirmation_state, report_summary
from .totals import refresh_totals

MEASURE_COPY_EXCLUDE = {
    "id",
    "report",
    "position",
    "lock_version",
    "updated_at",
    "continued_from",
    "is_continuation",
}


def workflow_reports():
    """Need reports as the workflow locks them: with what `roles_of` and the services read."""
    return NeedReport.objects.select_related("partnership__region__county_office", "scheme")


def editing(report, user):
    """`with editing(report, user) as report:` – the report locked for a change of its
    contents, refused (workflow.Refused) unless the user may edit it now."""
    return acting_on(workflow_reports(), report.pk, "edit", user)


class SubmissionRefused(Exception):
    def __init__(self, problems):
        super().__init__(problems)
        self.problems = problems


def prefill_contacts(report):
    """Contacts, numbers and references from the partnership's first owner and UH."""
    partnership = report.partnership
    sides = [
        ("owner", partnership.owners.prefetch_related("contacts").first()),
        ("uh", partnership.uh_partners.prefetch_related("contacts").first()),
    ]
    for side, organisation in sides:
        if organisation is None:
            continue
        setattr(report, f"{side}_org_number", organisation.org_number)
        setattr(report, f"{side}_account_number", organisation.account_number)
        setattr(report, f"{side}_payment_reference", organisation.payment_reference)
        contact = next(iter(organisation.contacts.all()), None)
        if contact:
            setattr(report, f"{side}_contact_name", contact.name)
            setattr(report, f"{side}_contact_role", contact.role)
            setattr(report, f"{side}_contact_phone", contact.phone)
            setattr(report, f"{side}_contact_email", contact.email)


# Edits by the same person to the same thing within this window are one feed entry
# (autosave saves every few seconds).
ACTIVITY_COALESCE = timedelta(minutes=30)


def record_activity(*, report, actor, kind, measure=None, measure_name="", coalesce=False):
    """One entry in the report's activity feed (who, what, when, which measure)."""
    now = timezone.now()
    measure_id = measure.pk if measure is not None else None
    if measure is not None:
        measure_name = measure.name
    if coalesce:
        last = Activity.objects.filter(report=report).order_by("-at", "-pk").first()
        if (
            last is not None
            and last.kind == kind
            and last.actor_id == getattr(actor, "pk", None)
            and last.measure_id == measure_id
            and now - last.at < ACTIVITY_COALESCE
        ):
            Activity.objects.filter(pk=last.pk).update(at=now, measure_name=measure_name)
            return last
    return Activity.objects.create(
        report=report,
        actor=actor,
        kind=kind,
        at=now,
        measure_id=measure_id,
        measure_name=measure_name,
    )


@transaction.atomic
def need_report_create(*, partnership, scheme, year, user, copy_last_year=False):
    report = NeedReport(partnership=partnership, scheme=scheme, year=year, created_by=user)
    prefill_contacts(report)
    report.save()
    if copy_last_year:
        previous = NeedReport.objects.filter(
            partnership=partnership, scheme=scheme, year=year - 1
        ).first()
        if previous is not None:
            copy_measures(previous, report)
            refresh_totals(report)
    record_activity(report=report, actor=user, kind=Activity.Kind.CREATED)
    return report


def copy_measures(source, target):
    copies = []
    for position, measure in enumerate(source.measures.all(), start=1):
        values = {k: v for k, v in model_to_dict(measure).items() if k not in MEASURE_COPY_EXCLUDE}
        copies.append(
            Measure(
                **values,
                report=target,
                position=position,
                is_continuation=True,
                continued_from=measure,
            )
        )
    Measure.objects.bulk_create(copies)


def save_if_current(instance, expected_version, fields):
    """Save `fields` only if nobody saved since `expected_version`. Returns True if saved.

    One UPDATE with the version in its WHERE clause: two saves based on the same
    version cannot both succeed, so nobody's work is silently overwritten.
    """
    values = {name: getattr(instance, name) for name in fields}
    if "updated_at" in {f.name for f in instance._meta.fields}:
        values["updated_at"] = timezone.now()
    updated = (
        type(instance)
        .objects.filter(pk=instance.pk, lock_version=expected_version)
        .update(lock_version=F("lock_version") + 1, **values)
    )
    if updated:
        instance.lock_version = expected_version + 1
    return bool(updated)


def report_details_save(*, report, user, values, expected_version, formsets=()):
    """Contacts, co-determination and units (`values`), and the valid `formsets` (other
    parties, participants), if nobody saved the report since `expected_version`."""
    with editing(report, user):
        for name, value in values.items():
            setattr(report, name, value)
        if not save_if_current(report, expected_version, list(values)):
            return False
        record_activity(report=report, actor=user, kind=Activity.Kind.DETAILS_EDITED, coalesce=True)
        for formset in formsets:
            if formset.is_valid():
                formset.save()
    return True


REQUIRED_REPORT_FIELDS = [
    "owner_contact_name",
    "owner_contact_email",
    "owner_org_number",
    "owner_account_number",
]
REQUIRED_UH_FIELDS = ["uh_contact_name", "uh_contact_email", "uh_org_number", "uh_account_number"]
REQUIRED_MEASURE_FIELDS = ["name", "purpose", "owner_use", "target_group"]


def completeness_problems(report, measures, uh_required=None):
    problems = []
    field_names = list(REQUIRED_REPORT_FIELDS)
    if uh_required is None:
        uh_required = report.partnership.uh_partners.exists()
    if uh_required:
        field_names += REQUIRED_UH_FIELDS
    for name in field_names:
        if not getattr(report, name):
            label = NeedReport._meta.get_field(name).verbose_name
            side = _("owner") if name.startswith("owner") else _("UH")
            problems.append(
                _("Contact for %(side)s: “%(field)s” is missing.") % {"side": side, "field": label}
            )
    if report.codetermination_discussed is None:
        problems.append(_("Answer whether the report has been discussed in co-determination."))
    elif report.codetermination_discussed and not report.participants.all():
        problems.append(_("List who took part in the co-determination discussion."))
    if not measures:
        problems.append(_("The report has no measures. Add at least one."))
    for index, measure in enumerate(measures, start=1):
        for name in REQUIRED_MEASURE_FIELDS:
            if not getattr(measure, name):
                problems.append(
                    _("Measure %(number)s: “%(field)s” is missing.")
                    % {"number": index, "field": Measure._meta.get_field(name).verbose_name}
                )
        if measure.uh_amount and not measure.uh_use:
            problems.append(
                _("Measure %(number)s: describe how the UH's part will be used.")
                % {"number": index}
            )
        if measure.coordinator_funds_needed is None:
            problems.append(
                _("Measure %(number)s: answer whether coordinator funds are needed.")
                % {"number": index}
            )
        if not (measure.spring_this_year or measure.autumn_this_year or measure.spring_next_year):
            problems.append(
                _("Measure %(number)s: choose at least one half-year.") % {"number": index}
            )
    return problems


def submission_problems(report, summary=None, confirmation=None):
    """What stops submission; `confirmation` is the report's ConfirmationState if known."""
    summary = summary or report_summary(report)
    problems = [describe(f) for f in summary.blocking]
    confirmation = confirmation or confirmation_state(report, summary.measures)
    problems += completeness_problems(report, summary.measures, confirmation.required)
    if confirmation.problem:
        problems.append(confirmation.problem)
    return problems


def build_snapshot(report, summary):
    """Everything a submitted version shows, as JSON-ready data."""
    report_fields = model_to_dict(
        report,
        exclude=["id", "partnership", "scheme", "created_by", "submitted_by", "lock_version"],
    )
    report_fields.pop("submitted_at", None)
    return {
        "partnership": report.partnership.name,
        "region": report.partnership.region.name,
        "county_office": report.partnership.region.county_office.name,
        "scheme": report.scheme.code,
        "scheme_name": report.scheme.name,
        "year": report.year,
        "report": report_fields,
        "other_parties": [
            {"name": p.name, "contact_person": p.contact_person, "kind": p.kind}
            for p in report.other_parties.all()
        ],
        "participants": [{"role": p.role, "name": p.name} for p in report.participants.all()],
        "measures": [
            {k: v for k, v in model_to_dict(m).items() if k not in {"report", "continued_from"}}
            for m in summary.measures
        ],
        "totals": {"owner": summary.owner, "uh": summary.uh, "total": summary.total},
        "scheme_rows": [list(row) for row in summary.scheme_rows],
        "sum_row": list(summary.sum_row),
        "min_uh_share_percent": summary.ruleset.min_uh_share_percent,
        "findings": [
            {"code": s.code, "text": s.text, "excepted": s.excepted} for s in summary.shown
        ],
    }


def need_report_submit(*, report, user):
    """Submit a draft or returned report as a new immutable version, or refuse with reasons
    (SubmissionRefused, or workflow.Refused when the report is no longer open)."""
    with acting_on(workflow_reports(), report.pk, "submit", user) as report:
        summary = report_summary(report)
        problems = submission_problems(report, summary)
        if problems:
            raise SubmissionRefused(problems)
        return _submit(report, summary, user)


def _submit(report, summary, user):
    now = timezone.now()
    number = report.next_version_number()
    ReportVersion.objects.create(
        report=report,
        number=number,
        snapshot=build_snapshot(report, summary),
        submitted_at=now,
        submitted_by=user,
    )
    report.status = report.workflow.target("submit")
    report.submitted_at = now
    report.submitted_by = user
    report.lock_version += 1
    report.save(
        update_fields=["status", "submitted_at", "submitted_by", "lock_version", "updated_at"]
    )
    record_activity(report=report, actor=user, kind=Activity.Kind.SUBMITTED)
    notify(
        "submitted",
        report,
        [
            *officers_for(report.partnership.region.county_office),
            *recipients_for(report.partnership),
        ],
        exclude=user,
        actor=user,
        url=reverse("needs:detail", args=[report.pk]),
    )
    return report
