"""The annual report's selectors: its lines and figures, the findings as sentences, the
snapshot of a submitted version, and the status across a county.

The arithmetic of spending against the allocation is pure Python in annual_rules.py; the
sentences users read are made from its findings here, translated.
"""

from dataclasses import dataclass, field

from django.urls import reverse
from django.utils.translation import gettext as _

from measures.amounts import CONTINUATION_FIELDS
from needs.models import NeedReport
from needs.selectors import confirmation_state
from portal.money import format_kroner

from . import annual_rules as rules
from .annual_models import AnnualMeasure, AnnualReport
from .models_deadlines import Deadline

Status = AnnualReport.Status
EVALUATION_FIELDS = ("effect", "process", "structure")


def annual_url(annual_or_report):
    """The annual report's page (of an annual report or of its need report)."""
    report = getattr(annual_or_report, "need_report", annual_or_report)
    return reverse("reporting:annual_detail", args=[report.pk])


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


def uh_confirmation(annual):
    """The UH confirmation (needs.selectors.ConfirmationState) of the version being written,
    or once submitted, of the submitted version."""
    version = annual.next_version_number() - (0 if annual.is_editable else 1)
    return confirmation_state(annual, next_version=version)


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
    confirmation = uh_confirmation(annual)
    if confirmation.problem:
        problems.append(confirmation.problem)
    return problems


def uh_amounts_filled_in(annual, lines=None):
    """Whether every UH amount that was allocated has a used amount (UH can confirm)."""
    lines = annual_lines(annual) if lines is None else lines
    missing = rules.missing_amounts([spending_line(line) for line in lines])
    return not any(side == rules.UH for _number, side in missing)


def build_snapshot(annual, summary):
    """Everything a submitted version (and the PDF) shows, as JSON-ready data."""
    report = annual.need_report
    uh = uh_confirmation(annual)
    confirmed = uh.confirmation if uh.valid else None
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
        "uh_confirmed_by": str(confirmed.confirmed_by or "") if confirmed else "",
        "uh_confirmed_at": confirmed.confirmed_at.isoformat() if confirmed else "",
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
        rows.append(StatusRow(report, annual, report.allocated_total, totals))
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
    """The annual report's deadline: its county's, for its need report's scheme and year."""
    return Deadline.objects.filter(
        county_office_id=need_report.partnership.region.county_office_id,
        scheme_id=need_report.scheme_id,
        year=need_report.year,
        kind=Deadline.Kind.ANNUAL_REPORT,
    ).first()
