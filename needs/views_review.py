"""Statsforvalteren's pages: the review queue and actions on a report (allocation is in
views_allocation.py)."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import F, Prefetch
from django.shortcuts import redirect, render
from django.utils.html import format_html_join
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from partnerships.access import managed_county_offices, require_officer
from partnerships.models import Partnership, Region, RuleSettings, Scheme
from portal.access import is_officer_of
from portal.paging import get_page
from portal.templatetags.portal_tags import share

from . import listing, rules
from .access import get_report_for_user
from .findings import describe, rule_title
from .models import AuditEntry, NeedReport, RuleException
from .review import (
    ReviewError,
    exception_record,
    report_decide,
    report_mark_reviewed,
    report_return,
)

SORTS = {
    "partnership": ["partnership__name", "scheme__order"],
    "scheme": ["scheme__order", "partnership__name"],
    "status": ["status", "partnership__name"],
    "total": ["-total_sum", "partnership__name"],
    "priority": ["priority", "partnership__name"],
}


def _int_param(request, name):
    value = request.GET.get(name, "")
    return int(value) if value.isdigit() else None


QUEUE_PAGE_SIZE = 50


def queue(request):
    """The county's submitted reports for one year, 50 to a page, with the rule check of each
    and the totals of everything the filter matches (computed in the database)."""
    require_officer(request.user)
    offices = managed_county_offices(request.user)
    office_ids = [office.pk for office in offices]
    scope = NeedReport.objects.filter(partnership__region__county_office__in=office_ids).exclude(
        status=NeedReport.Status.DRAFT
    )
    years = list(scope.order_by("-year").values_list("year", flat=True).distinct())
    year = _int_param(request, "year") or (years[0] if years else None)
    filters = {
        "year": year,
        "scheme": request.GET.get("scheme", ""),
        "region": _int_param(request, "region"),
        "status": request.GET.get("status", ""),
        "partnership": _int_param(request, "partnership"),
        "sort": request.GET.get("sort", "partnership"),
    }
    reports = scope
    if year:
        reports = reports.filter(year=year)
    if filters["scheme"]:
        reports = reports.filter(scheme__code=filters["scheme"])
    if filters["region"]:
        reports = reports.filter(partnership__region_id=filters["region"])
    if filters["status"]:
        reports = reports.filter(status=filters["status"])
    if filters["partnership"]:
        reports = reports.filter(partnership_id=filters["partnership"])
    totals = listing.totals_of(reports)
    rows = (
        listing.with_sums(reports, "owner_amount", "uh_amount", "coordinator_amount")
        .annotate(total_sum=F("owner_sum") + F("uh_sum"))
        .select_related("partnership__region", "scheme")
        .only(
            "year",
            "status",
            "priority",
            "cofinancing_amount",
            "scheme__short_name",
            "partnership__name",
            "partnership__region__name",
            "partnership__region__county_office_id",
        )
        .order_by(*SORTS.get(filters["sort"], SORTS["partnership"]), "pk")
        .prefetch_related(
            Prefetch("exceptions", queryset=RuleException.objects.only("report_id", "code"))
        )
    )
    page = get_page(request, rows, per_page=QUEUE_PAGE_SIZE, count=totals["count"])
    reports = list(page.object_list)
    rulesets = {
        (r.county_office_id, r.scheme_id, r.year): rules.RuleSet(
            r.min_uh_share_percent, r.cofinancing_percent, r.coordinator_cap
        )
        for r in RuleSettings.objects.filter(county_office__in=office_ids, year=year)
    }
    url, labels = listing.url_maker("needs:detail"), listing.status_labels()
    for report in reports:
        report.url, report.status_label = url(report.pk), labels[report.status]
        ruleset = rulesets.get(
            (report.partnership.region.county_office_id, report.scheme_id, report.year),
            rules.RuleSet(),
        )
        findings = (
            rules.check_split(report.owner_sum, report.uh_sum, ruleset)
            + rules.check_cofinancing(report.owner_sum, report.cofinancing_amount, ruleset)
            + rules.check_coordinator(
                [rules.MeasureFigures(report.owner_sum, report.uh_sum, report.coordinator_sum)],
                rules.RuleSet(coordinator_cap=ruleset.coordinator_cap),
            )
        )
        excepted = {e.code for e in report.exceptions.all()}
        report.findings_shown = [
            (rule_title(f.code), describe(f), f.code in excepted) for f in findings
        ]
        report.uh_share = share(report.uh_sum, report.total_sum)
    return render(
        request,
        "needs/review/queue.html",
        {
            "reports": reports,
            "page": page,
            "totals": {k: totals[k] for k in ("owner", "uh", "total")},
            "count": totals["count"],
            "years": years,
            "filters": filters,
            "schemes": Scheme.objects.all(),
            "regions": Region.objects.filter(county_office__in=office_ids),
            "partnership_options": _options(
                Partnership.objects.filter(region__county_office__in=office_ids).values_list(
                    "pk", "name"
                ),
                filters["partnership"],
            ),
            "statuses": [s for s in NeedReport.Status if s != NeedReport.Status.DRAFT],
            "offices": offices,
        },
    )


def _options(choices, selected):
    """<option>s for a long <select> (a county's partnerships), built here: hundreds of
    options through the template engine would cost more than the rest of the page."""
    return format_html_join(
        "",
        '<option value="{}"{}>{}</option>',
        ((value, " selected" if value == selected else "", label) for value, label in choices),
    )


def can_review(user, report):
    return is_officer_of(user, report.partnership.region.county_office_id)


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
            message = request.POST.get("message", "").strip()
            if not message:
                raise ReviewError(_("Write a message to the coordinators about what to change."))
            report_return(report=report, user=request.user, message=message)
            messages.success(request, _("The report was returned. The coordinators are notified."))
        elif action == "reviewed":
            report_mark_reviewed(report=report, user=request.user)
            messages.success(request, _("The report is marked as reviewed."))
        elif action == "exception":
            code = request.POST.get("code", "")
            justification = request.POST.get("justification", "").strip()
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
        elif action in ("allocate", "reject"):
            report_decide(
                report=report,
                user=request.user,
                allocate=action == "allocate",
                reason=request.POST.get("reason", "").strip(),
            )
            messages.success(request, _("The decision was saved. The partnership is notified."))
        else:
            raise ReviewError(_("Unknown action."))
    except ReviewError as error:
        messages.error(request, str(error))
    return redirect(report)


def audit_for(report):
    return AuditEntry.objects.filter(report=report).select_related("actor")[:200]
