"""The annual report: selectors (figures, status across a county, who to remind) and services
(start, save, confirm, submit, return, approve, deadlines, comments, reminders).

The arithmetic of spending against the allocation is pure Python in annual_rules.py; the
sentences users read are made from its findings here, translated.
"""

from dataclasses import dataclass, field
from datetime import timedelta

from django.db import transaction
from django.db.models import Prefetch, Sum
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from needs.models import NeedReport
from needs.services import save_if_current
from partnerships.models import Membership
from portal.money import format_kroner
from portal.notifications import notify, officers_for, recipients_for

from . import annual_rules as rules
from .annual_models import (
    AnnualComment,
    AnnualMeasure,
    AnnualReport,
    AnnualReportDeadline,
    AnnualReportVersion,
)

Status = AnnualReport.Status
CONTINUATION_FIELDS = (
    "cont1_owner",
    "cont1_uh",
    "cont2_owner",
    "cont2_uh",
    "cont3_owner",
    "cont3_uh",
)
EVALUATION_FIELDS = ("effect", "process", "structure")


class AnnualReportError(Exception):
    """A refused action, with the reasons for the user."""

    def __init__(self, problems):
        if isinstance(problems, str):
            problems = [problems]
        super().__init__(problems)
        self.problems = problems

    def __str__(self):
        return " ".join(str(p) for p in self.problems)


def evaluation_parts():
    return {
        "effect": _("effect/result"),
        "process": _("process"),
        "structure": _("structure"),
    }


def is_multi_year(measure):
    """A measure with estimates for the years after this one (years 2 and 3)."""
    return any(getattr(measure, name) for name in CONTINUATION_FIELDS)


# Selectors -------------------------------------------------------------------------------


def annual_lines(annual):
    return list(
        annual.lines.select_related("measure__allocation").order_by(
            "measure__position", "measure_id"
        )
    )


def spending_line(line):
    allocation = getattr(line.measure, "allocation", None)
    return rules.SpendingLine(
        allocated_owner=allocation.owner_amount if allocation else 0,
        allocated_uh=allocation.uh_amount if allocation else 0,
        used_owner=line.owner_used,
        used_uh=line.uh_used,
        label=line.measure.name,
    )


def describe_finding(finding):
    figures = {
        "number": finding.figures["number"],
        "measure": finding.figures["measure"] or _("(unnamed measure)"),
        "used": format_kroner(finding.figures["used"]),
        "allocated": format_kroner(finding.figures["allocated"]),
        "excess": format_kroner(finding.figures["excess"]),
    }
    if finding.figures["side"] == rules.OWNER:
        text = _(
            "Measure %(number)s “%(measure)s”: the owner used %(used)s, which is %(excess)s "
            "more than the %(allocated)s allocated."
        )
    else:
        text = _(
            "Measure %(number)s “%(measure)s”: UH used %(used)s, which is %(excess)s "
            "more than the %(allocated)s allocated."
        )
    return text % figures


@dataclass
class Row:
    number: int
    line: object
    spending: rules.SpendingLine
    multi_year: bool


@dataclass
class AnnualSummary:
    rows: list
    totals: rules.SpendingTotals
    findings: list = field(default_factory=list)

    @property
    def spending(self):
        return [row.spending for row in self.rows]


def annual_summary(annual, lines=None):
    lines = annual_lines(annual) if lines is None else lines
    rows = [
        Row(number, line, spending_line(line), is_multi_year(line.measure))
        for number, line in enumerate(lines, start=1)
    ]
    spending = [row.spending for row in rows]
    return AnnualSummary(
        rows=rows,
        totals=rules.spending_totals(spending),
        findings=[describe_finding(f) for f in rules.spending_findings(spending)],
    )


def uh_amounts(lines):
    return {str(line.measure_id): line.uh_used for line in lines}


def uh_confirmation_valid(annual, lines):
    return annual.uh_confirmed_at is not None and annual.uh_confirmed_amounts == uh_amounts(lines)


def submission_problems(annual, summary):
    sides = {rules.OWNER: _("the owner"), rules.UH: _("UH")}
    problems = [
        _("Measure %(number)s: fill in the amount used by %(side)s (write 0 if nothing was used).")
        % {"number": number, "side": sides[side]}
        for number, side in rules.missing_amounts(summary.spending)
    ]
    parts = evaluation_parts()
    for row in summary.rows:
        missing = [parts[name] for name in EVALUATION_FIELDS if not getattr(row.line, name).strip()]
        if missing:
            problems.append(
                _("Measure %(number)s: write the evaluation (%(parts)s).")
                % {"number": row.number, "parts": ", ".join(missing)}
            )
    if summary.totals.unused and not annual.unused_note.strip():
        problems.append(
            _("Explain the unused funds (%(amount)s) under “About unused funds”.")
            % {"amount": format_kroner(summary.totals.unused)}
        )
    return problems


def build_snapshot(annual, summary):
    """Everything a submitted version (and the PDF) shows, as JSON-ready data."""
    report = annual.need_report
    return {
        "partnership": report.partnership.name,
        "region": report.partnership.region.name,
        "county_office": report.partnership.region.county_office.name,
        "scheme": report.scheme.code,
        "scheme_name": report.scheme.name,
        "year": report.year,
        "status": annual.status,
        "approved_at": annual.decided_at.isoformat() if annual.decided_at else "",
        "approved_by": str(annual.decided_by or "") if annual.decided_at else "",
        "unused_note": annual.unused_note,
        "unused_handling": annual.unused_handling,
        "uh_confirmed_by": str(annual.uh_confirmed_by or "")
        if uh_confirmation_valid(annual, [r.line for r in summary.rows])
        else "",
        "uh_confirmed_at": annual.uh_confirmed_at.isoformat()
        if annual.uh_confirmed_at and uh_confirmation_valid(annual, [r.line for r in summary.rows])
        else "",
        "lines": [
            {
                "measure_id": row.line.measure_id,
                "name": row.line.measure.name,
                "allocated_owner": row.spending.allocated_owner,
                "allocated_uh": row.spending.allocated_uh,
                "used_owner": row.line.owner_used,
                "used_uh": row.line.uh_used,
                "effect": row.line.effect,
                "process": row.line.process,
                "structure": row.line.structure,
                "plan_changes": row.line.plan_changes,
                "multi_year": row.multi_year,
            }
            for row in summary.rows
        ],
    }


def snapshot_figures(data):
    """Per-line unused amounts, totals and findings of snapshot-shaped data (for the PDF)."""
    spending = [
        rules.SpendingLine(
            line["allocated_owner"],
            line["allocated_uh"],
            line["used_owner"],
            line["used_uh"],
            line["name"],
        )
        for line in data["lines"]
    ]
    lines = [
        {
            **line,
            "number": number,
            "unused_owner": s.unused(rules.OWNER),
            "unused_uh": s.unused(rules.UH),
        }
        for number, (line, s) in enumerate(zip(data["lines"], spending, strict=True), start=1)
    ]
    return {
        "lines": lines,
        "totals": rules.spending_totals(spending),
        "findings": [describe_finding(f) for f in rules.spending_findings(spending)],
    }


@dataclass
class StatusRow:
    report: NeedReport
    annual: AnnualReport | None
    allocated: int
    totals: rules.SpendingTotals | None  # only once submitted: officers never see drafts

    @property
    def status(self):
        return self.annual.status if self.annual else "not_started"

    @property
    def status_label(self):
        return self.annual.get_status_display() if self.annual else _("Not started")


def allocated_reports(offices, year, scheme_code=""):
    reports = NeedReport.objects.filter(
        partnership__region__county_office__in=offices,
        year=year,
        status=NeedReport.Status.ALLOCATED,
    )
    if scheme_code:
        reports = reports.filter(scheme__code=scheme_code)
    return reports


def county_status(offices, year, scheme_code=""):
    """One row per allocated need report of the year: its annual report's status and figures.

    Three queries however many reports: the reports (with their allocated total and annual
    report), and the lines of the submitted annual reports.
    """
    reports = list(
        allocated_reports(offices, year, scheme_code)
        .select_related("partnership__region", "scheme", "annual_report")
        .annotate(
            allocated_sum=Sum("measures__allocation__owner_amount", default=0)
            + Sum("measures__allocation__uh_amount", default=0)
        )
        .order_by("partnership__region__name", "partnership__name", "scheme__order")
    )
    annuals = [
        r.annual_report
        for r in reports
        if hasattr(r, "annual_report") and r.annual_report.status != Status.DRAFT
    ]
    lines_by_annual = {}
    for line in (
        AnnualMeasure.objects.filter(annual_report__in=annuals)
        .select_related("measure__allocation")
        .order_by("measure__position", "measure_id")
    ):
        lines_by_annual.setdefault(line.annual_report_id, []).append(line)
    rows = []
    for report in reports:
        annual = getattr(report, "annual_report", None)
        totals = None
        if annual is not None and annual.status != Status.DRAFT:
            lines = lines_by_annual.get(annual.pk, [])
            totals = rules.spending_totals([spending_line(line) for line in lines])
        rows.append(StatusRow(report, annual, report.allocated_sum, totals))
    return rows


def submitted_lines(offices, year, scheme_code=""):
    """The measures of the year's submitted and approved annual reports (for the export)."""
    return list(
        AnnualMeasure.objects.filter(
            annual_report__need_report__in=allocated_reports(offices, year, scheme_code)
        )
        .exclude(annual_report__status=Status.DRAFT)
        .select_related(
            "annual_report__need_report__partnership__region",
            "annual_report__need_report__scheme",
            "measure__allocation",
        )
        .order_by(
            "annual_report__need_report__partnership__name",
            "annual_report__need_report__scheme__order",
            "measure__position",
        )
    )


def deadline_for(need_report):
    return AnnualReportDeadline.objects.filter(
        county_office_id=need_report.partnership.region.county_office_id, year=need_report.year
    ).first()


# Services --------------------------------------------------------------------------------


def _url(annual_or_report):
    report = getattr(annual_or_report, "need_report", annual_or_report)
    return reverse("reporting:annual_detail", args=[report.pk])


@transaction.atomic
def annual_report_start(*, need_report, user):
    """The annual report of an allocated need report, with a line per measure."""
    if need_report.status != NeedReport.Status.ALLOCATED:
        raise AnnualReportError(_("Only allocated need reports have an annual report."))
    annual, created = AnnualReport.objects.get_or_create(
        need_report=need_report, defaults={"created_by": user}
    )
    if created:
        AnnualMeasure.objects.bulk_create(
            AnnualMeasure(annual_report=annual, measure=measure)
            for measure in need_report.measures.all()
        )
    return annual


def _clear_confirmation_if_changed(annual, lines):
    if annual.uh_confirmed_at is None or annual.uh_confirmed_amounts == uh_amounts(lines):
        return False
    annual.uh_confirmed_at = None
    annual.uh_confirmed_by = None
    annual.uh_confirmed_amounts = {}
    annual.uh_confirmation_cleared_at = timezone.now()
    AnnualReport.objects.filter(pk=annual.pk).update(
        uh_confirmed_at=None,
        uh_confirmed_by=None,
        uh_confirmed_amounts={},
        uh_confirmation_cleared_at=annual.uh_confirmation_cleared_at,
    )
    return True


@transaction.atomic
def annual_report_save(*, annual, expected_version, fields, lines):
    """Save what is valid: `fields` of the annual report (already set on it) and
    `lines`: [(line, field names)], only if nobody saved since `expected_version`.

    Returns False (and saves nothing) on a conflict. A changed UH amount clears the UH
    confirmation.
    """
    if not annual.is_editable:
        raise AnnualReportError(_("The annual report has been submitted and is locked."))
    if not save_if_current(annual, expected_version, fields):
        return False
    for line, names in lines:
        if names:
            line.save(update_fields=names)
    _clear_confirmation_if_changed(annual, annual_lines(annual))
    return True


@transaction.atomic
def annual_report_confirm_uh(*, annual, user):
    """The UH contact confirms the UH spending as it is now."""
    if not annual.is_editable:
        raise AnnualReportError(_("The annual report has been submitted and is locked."))
    lines = annual_lines(annual)
    missing = rules.missing_amounts([spending_line(line) for line in lines])
    if any(side == rules.UH for _number, side in missing):
        raise AnnualReportError(
            _("The coordinator must fill in what UH used before UH can confirm it.")
        )
    annual.uh_confirmed_at = timezone.now()
    annual.uh_confirmed_by = user
    annual.uh_confirmed_amounts = uh_amounts(lines)
    annual.uh_confirmation_cleared_at = None
    annual.save(
        update_fields=[
            "uh_confirmed_at",
            "uh_confirmed_by",
            "uh_confirmed_amounts",
            "uh_confirmation_cleared_at",
            "updated_at",
        ]
    )
    return annual


@transaction.atomic
def annual_report_submit(*, annual, user):
    """Submit as a new immutable version, or refuse with the reasons."""
    annual = (
        AnnualReport.objects.select_for_update(of=("self",))
        .select_related(
            "need_report__partnership__region__county_office",
            "need_report__scheme",
            "uh_confirmed_by",
        )
        .get(pk=annual.pk)
    )
    if not annual.is_editable:
        raise AnnualReportError(_("The annual report has already been submitted."))
    summary = annual_summary(annual)
    problems = submission_problems(annual, summary)
    if problems:
        raise AnnualReportError(problems)
    now = timezone.now()
    AnnualReportVersion.objects.create(
        annual_report=annual,
        number=annual.versions.count() + 1,
        snapshot=build_snapshot(annual, summary),
        submitted_at=now,
        submitted_by=user,
    )
    annual.status = Status.SUBMITTED
    annual.submitted_at = now
    annual.submitted_by = user
    annual.lock_version += 1
    annual.save(
        update_fields=["status", "submitted_at", "submitted_by", "lock_version", "updated_at"]
    )
    report = annual.need_report
    notify(
        "annual_submitted",
        report,
        officers_for(report.partnership.region.county_office),
        exclude=user,
        actor=user,
        url=_url(annual),
    )
    return annual


@transaction.atomic
def annual_report_return(*, annual, user, message):
    if annual.status != Status.SUBMITTED:
        raise AnnualReportError(_("Only submitted annual reports can be returned."))
    if not message.strip():
        raise AnnualReportError(_("Write a message to the coordinators about what to change."))
    annual.status = Status.RETURNED
    annual.return_message = message.strip()
    annual.lock_version += 1
    annual.save(update_fields=["status", "return_message", "lock_version", "updated_at"])
    report = annual.need_report
    notify(
        "annual_decided",
        report,
        recipients_for(report.partnership, ["coordinator"]),
        annual=annual,
        message=annual.return_message,
        url=_url(annual),
    )
    return annual


@transaction.atomic
def annual_report_approve(*, annual, user, unused_handling=""):
    """Approve; when funds are unused the county office says what happens to them."""
    if annual.status != Status.SUBMITTED:
        raise AnnualReportError(_("Only submitted annual reports can be approved."))
    summary = annual_summary(annual)
    if unused_handling and unused_handling not in AnnualReport.UnusedHandling.values:
        raise AnnualReportError(_("Choose what happens to the unused funds."))
    if summary.totals.unused and not unused_handling:
        raise AnnualReportError(
            _("%(amount)s is unused: choose whether it is paid back or carried over.")
            % {"amount": format_kroner(summary.totals.unused)}
        )
    annual.status = Status.APPROVED
    annual.unused_handling = unused_handling if summary.totals.unused else ""
    annual.decided_at = timezone.now()
    annual.decided_by = user
    annual.lock_version += 1
    annual.save(
        update_fields=[
            "status",
            "unused_handling",
            "decided_at",
            "decided_by",
            "lock_version",
            "updated_at",
        ]
    )
    report = annual.need_report
    notify(
        "annual_decided",
        report,
        recipients_for(report.partnership, ["coordinator"]),
        annual=annual,
        unused=summary.totals.unused,
        url=_url(annual),
    )
    return annual


@transaction.atomic
def annual_comment_add(*, annual, user, text):
    if not text.strip():
        raise AnnualReportError(_("Write a comment."))
    return AnnualComment.objects.create(annual_report=annual, author=user, text=text.strip())


@transaction.atomic
def deadline_set(*, county_office, year, due_date, user):
    deadline, _created = AnnualReportDeadline.objects.update_or_create(
        county_office=county_office, year=year, defaults={"due_date": due_date, "set_by": user}
    )
    return deadline


# Reminders -------------------------------------------------------------------------------

DEFAULT_REMINDER_DAYS = (14, 3)


@dataclass
class Reminder:
    report: NeedReport
    due_date: object
    days_left: int
    recipients: list


def reminders_due(*, today, days_before=DEFAULT_REMINDER_DAYS):
    """Who is reminded today: the coordinators of every allocated need report whose annual
    report is not yet submitted, when its county's deadline is `days_before` days away."""
    due_dates = {today + timedelta(days=days) for days in days_before}
    reminders = []
    deadlines = AnnualReportDeadline.objects.filter(due_date__in=due_dates).select_related(
        "county_office"
    )
    for deadline in deadlines.order_by("due_date", "county_office__name"):
        reports = (
            allocated_reports([deadline.county_office], deadline.year)
            .exclude(annual_report__status__in=[Status.SUBMITTED, Status.APPROVED])
            .select_related("partnership__region__county_office", "scheme")
            .prefetch_related(
                Prefetch(
                    "partnership__memberships",
                    queryset=Membership.objects.filter(
                        role=Membership.Role.COORDINATOR
                    ).select_related("user"),
                )
            )
            .order_by("partnership__name", "scheme__order")
        )
        for report in reports:
            recipients = [m.user for m in report.partnership.memberships.all() if m.user.email]
            reminders.append(
                Reminder(report, deadline.due_date, (deadline.due_date - today).days, recipients)
            )
    return reminders


def reminders_send(*, today, days_before=DEFAULT_REMINDER_DAYS, dry_run=False):
    """Send the reminders that are due today (or, on a dry run, only say who would get one)."""
    reminders = reminders_due(today=today, days_before=days_before)
    if not dry_run:
        for reminder in reminders:
            notify(
                "annual_reminder",
                reminder.report,
                reminder.recipients,
                due_date=reminder.due_date,
                days_left=reminder.days_left,
                url=_url(reminder.report),
            )
    return reminders
