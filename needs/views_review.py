"""Statsforvalteren's pages: the review queue and actions on a report (allocation is in
views_allocation.py)."""

from collections import defaultdict

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from partnerships.access import require_officer
from partnerships.models import CountyOffice, RuleSettings
from portal import params
from portal.paging import get_page
from portal.texts import LONG, posted_text
from portal.workflow import OFFICER, Refused

from . import listing, rules
from .access import get_report_for_user
from .collaboration import comment_create
from .findings import describe, rule_title
from .models import AuditEntry, NeedReport, RuleException
from .review import (
    ReviewError,
    decision_recipients,
    exception_record,
    report_decide,
    report_mark_reviewed,
    report_return,
)

SORTS = {
    "partnership": ["partnership__name", "scheme__order"],
    "scheme": ["scheme__order", "partnership__name"],
    "status": ["status", "partnership__name"],
    "total": ["-requested_total", "partnership__name"],
    "priority": ["priority", "partnership__name"],
}


def _int_param(request, name):
    return params.query_int(request, name)


QUEUE_PAGE_SIZE = 50


def queue(request):
    """The county's submitted reports for one year, 50 to a page, with the rule check of each
    and the totals of everything the filter matches (from the reports' stored totals)."""
    require_officer(request.user)
    offices = CountyOffice.objects.editable_by(request.user)
    # The queue never shows a draft (an administrator's reviewable_by holds them all).
    scope = NeedReport.objects.reviewable_by(request.user).exclude(status=NeedReport.Status.DRAFT)
    choices = listing.filter_choices(offices, scope)
    years = choices["years"]
    year = params.query_year(request) or (years[0] if years else None)
    filters = {
        "year": year,
        "scheme": request.GET.get("scheme", ""),
        "region": _int_param(request, "region"),
        "status": request.GET.get("status", ""),
        "partnership": _int_param(request, "partnership"),
        "sort": request.GET.get("sort", "partnership"),
    }
    reports = filtered(scope, filters)
    totals = listing.totals_of(reports)
    ordering = SORTS.get(filters["sort"], SORTS["partnership"])
    page = get_page(
        request,
        listing.queue_rows(reports, ordering),
        per_page=QUEUE_PAGE_SIZE,
        count=totals["count"],
    )
    reports = list(page.object_list)
    excepted, rulesets = _exceptions_and_rulesets(reports, request.user)
    for report in reports:
        ruleset = rulesets.get(
            (report.partnership.region.county_office_id, report.scheme_id, report.year),
            rules.RuleSet(),
        )
        owner, uh = report.requested_owner, report.requested_uh
        findings = (
            rules.check_split(owner, uh, ruleset)
            + rules.check_cofinancing(owner, report.cofinancing_amount, ruleset)
            + rules.check_coordinator(
                [rules.MeasureFigures(owner, uh, report.requested_coordinator)],
                rules.RuleSet(coordinator_cap=ruleset.coordinator_cap),
            )
        )
        report.findings_shown = [
            (rule_title(f.code), describe(f), f.code in excepted[report.pk]) for f in findings
        ]
    return render(
        request,
        "needs/review/queue.html",
        {
            "reports": reports,
            "page": page,
            "totals": {k: totals[k] for k in ("owner", "uh", "total")},
            "count": totals["count"],
            "filters": filters,
            "year_choices": [(y, y) for y in years],
            "scheme_choices": [(s.code, s.short_name) for s in choices["schemes"]],
            "region_choices": [(r.pk, r.name) for r in choices["regions"]],
            "status_choices": [
                (s.value, s.label) for s in NeedReport.Status if s != NeedReport.Status.DRAFT
            ],
            "partnership_choices": choices["partnerships"],
            "schemes": choices["schemes"],
            "offices": choices["offices"],
        },
    )


def _exceptions_and_rulesets(reports, user):
    """{report id: codes of its rule exceptions} and {(office id, scheme id, year): RuleSet}
    for a page of reports: two queries."""
    excepted = defaultdict(set)
    codes = RuleException.objects.filter(report__in=[r.pk for r in reports])
    for report_id, code in codes.values_list("report_id", "code"):
        excepted[report_id].add(code)
    settings = RuleSettings.objects.visible_to(user).filter(year__in={r.year for r in reports})
    rulesets = {
        (office_id, scheme_id, year): rules.RuleSet(min_share, cofinancing, cap)
        for office_id, scheme_id, year, min_share, cofinancing, cap in settings.values_list(
            "county_office_id",
            "scheme_id",
            "year",
            "min_uh_share_percent",
            "cofinancing_percent",
            "coordinator_cap",
        )
    }
    return excepted, rulesets


def filtered(reports, filters):
    """The queue's filter (the values of `filters`; empty ones match all) on `reports`."""
    lookups = {
        "year": "year",
        "scheme": "scheme__code",
        "region": "partnership__region_id",
        "status": "status",
        "partnership": "partnership_id",
    }
    return reports.filter(**{lookups[name]: filters[name] for name in lookups if filters[name]})


def can_review(user, report):
    """The county office's side of the report page (review, exceptions, decision)."""
    return OFFICER in report.roles_of(user)


def get_report_for_officer(request, pk):
    report = get_report_for_user(request, pk)
    if not can_review(request.user, report):
        raise PermissionDenied
    return report


@require_POST
def review_action(request, pk):
    report = get_report_for_officer(request, pk)
    action = request.POST.get("action")
    try:
        if action == "return":
            message = posted_text(request, "message", LONG)
            if not message:
                raise ReviewError(_("Write a message to the coordinators about what to change."))
            report_return(report=report, user=request.user, message=message)
            messages.success(request, _("The report was returned. The coordinators are notified."))
        elif action == "reviewed":
            message = request.POST.get("message", "").strip()
            # A message typed before "Mark as reviewed" is kept: posted as the officer's
            # comment on the report (which notifies the partnership), in the same transaction.
            with transaction.atomic():
                report_mark_reviewed(report=report, user=request.user)
                if message:
                    comment_create(subject=report, user=request.user, text=message)
            if message:
                messages.success(
                    request,
                    _("The report is marked as reviewed. Your message was posted as a comment."),
                )
            else:
                messages.success(request, _("The report is marked as reviewed."))
        elif action == "exception":
            code = request.POST.get("code", "")
            justification = posted_text(request, "justification", LONG)
            valid_codes = {
                rules.UH_SHARE_BELOW_MINIMUM,
                rules.COFINANCING_TOO_LOW,
                rules.COORDINATOR_CAP_EXCEEDED,
            }
            if code not in valid_codes or not justification:
                raise ReviewError(_("Choose a rule and write a justification for the exception."))
            exception_record(
                report=report, user=request.user, code=code, justification=justification
            )
            messages.success(request, _("The exception was recorded."))
        elif action in ("allocate", "reject") and request.POST.get("confirmed") != "1":
            # A decision notifies the partnership and cannot be undone: a page says what
            # will happen and to whom, and nothing is written until it is confirmed.
            return _confirm_decision(request, report, action)
        elif action in ("allocate", "reject"):
            report_decide(
                report=report,
                user=request.user,
                allocate=action == "allocate",
                reason=posted_text(request, "reason", LONG),
            )
            messages.success(request, _("The decision was saved. The partnership is notified."))
        else:
            raise ReviewError(_("Unknown action."))
    except Refused as error:
        messages.error(request, str(error))
    return redirect(report)


def _confirm_decision(request, report, action):
    allocated = sum(
        m.allocation.total
        for m in report.measures.select_related("allocation")
        if hasattr(m, "allocation")
    )
    return render(
        request,
        "needs/review/decision_confirm.html",
        {
            "report": report,
            "action": action,
            "reason": request.POST.get("reason", "").strip(),
            "allocated": allocated,
            "recipients": decision_recipients(report),
        },
    )


def audit_for(report):
    return AuditEntry.objects.filter(report=report).select_related("actor")[:200]
