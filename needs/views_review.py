"""Statsforvalteren's pages: the review queue, actions on a report, and allocation."""

from html import escape

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count, F, Prefetch, Sum
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.html import format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from measures.models import Measure
from partnerships.access import managed_county_offices, require_officer
from partnerships.models import CountyOffice, Partnership, Region, RuleSettings, Scheme
from portal.access import is_officer_of
from portal.money import MoneyError, parse_kroner
from portal.paging import get_page
from portal.templatetags.portal_tags import kr, kroner, share

from . import listing, rules
from .access import get_report_for_user
from .findings import describe, rule_title
from .models import AuditEntry, Frame, NeedReport, RuleException
from .review import (
    ReviewError,
    allocation_findings,
    allocation_queryset,
    allocations_save,
    exception_record,
    frame_set,
    priorities_set,
    report_decide,
    report_mark_reviewed,
    report_return,
    rescale_apply,
    rescale_preview,
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


ALLOCATION_PAGE_SIZE = 20  # reports (of about 8 measures each) per page


def _allocation_context(request, office, scheme, year):
    """The frame, the totals of every report in the scheme-year (in the database), and one
    page of reports with their measures; saving saves the page's reports."""
    frame = Frame.objects.filter(county_office=office, scheme=scheme, year=year).first()
    base = allocation_queryset(office, scheme, year)
    figures = base.order_by().aggregate(
        count=Count("pk", distinct=True),
        requested_owner=Sum("measures__owner_amount", default=0),
        requested_uh=Sum("measures__uh_amount", default=0),
        allocated_owner=Sum("measures__allocation__owner_amount", default=0),
        allocated_uh=Sum("measures__allocation__uh_amount", default=0),
    )
    measures = Measure.objects.select_related("allocation").only(
        "report_id",
        "position",
        "name",
        "owner_amount",
        "uh_amount",
        "allocation__measure_id",
        "allocation__owner_amount",
        "allocation__uh_amount",
    )
    rows = (
        base.select_related("partnership", "scheme")
        .only("status", "priority", "priority_note", "partnership__name", "scheme__short_name")
        .prefetch_related(
            Prefetch("measures", queryset=measures),
            Prefetch("exceptions", queryset=RuleException.objects.only("report_id", "code")),
        )
        .order_by("priority", "partnership__name", "pk")
    )
    page = get_page(request, rows, per_page=ALLOCATION_PAGE_SIZE, count=figures["count"])
    reports = list(page.object_list)
    settings = RuleSettings.for_report(office, scheme, year)
    ruleset = rules.RuleSet(
        settings.min_uh_share_percent, settings.cofinancing_percent, settings.coordinator_cap
    )
    on_page = 0
    for report in reports:
        report.measure_list = list(report.measures.all())
        report.requested = sum(m.total for m in report.measure_list)
        report.allocated_owner = sum(
            m.allocation.owner_amount for m in report.measure_list if hasattr(m, "allocation")
        )
        report.allocated_uh = sum(
            m.allocation.uh_amount for m in report.measure_list if hasattr(m, "allocation")
        )
        report.allocated = report.allocated_owner + report.allocated_uh
        excepted = {e.code for e in report.exceptions.all()}
        report.allocation_findings = [
            (describe(f), f.code in excepted)
            for f in allocation_findings(report, report.measure_list, ruleset)
        ]
        report.measure_rows = _measure_rows(report)
        on_page += report.allocated
    allocated = figures["allocated_owner"] + figures["allocated_uh"]
    committed = frame.committed if frame else 0
    amount = frame.amount if frame else 0
    return {
        "office": office,
        "scheme": scheme,
        "year": year,
        "frame": frame,
        "reports": reports,
        "page": page,
        "allocated": allocated,
        # What the other pages hold: the live total adds this page's inputs to it.
        "allocated_elsewhere": allocated - on_page,
        "committed": committed,
        "remaining": amount - committed - allocated,
        "requested": figures["requested_owner"] + figures["requested_uh"],
    }


MEASURE_ROW = (
    '<tr><th scope="row" class="fw-normal">{name}</th>'
    '<td class="num">{req_owner}</td><td class="num">{req_uh}</td>'
    '<td><label class="visually-hidden" for="owner-{pk}">{owner_label}: {name}</label>'
    '<input class="form-control form-control-sm" data-alloc="{report}" '
    'id="owner-{pk}" name="owner_{pk}" inputmode="numeric" value="{owner}"></td>'
    '<td><label class="visually-hidden" for="uh-{pk}">{uh_label}: {name}</label>'
    '<input class="form-control form-control-sm" data-alloc="{report}" '
    'id="uh-{pk}" name="uh_{pk}" inputmode="numeric" value="{uh}"></td></tr>'
)


def _measure_rows(report):
    """The allocation table's rows of one report, as HTML.

    A page holds some 160 measures with two labelled inputs each; built here, that costs a
    fraction of the same markup through the template engine. They go into the table of
    templates/needs/review/allocation.html. Every text is escaped (html.escape, quotes too);
    the rest are numbers.
    """
    owner_label = escape(_("Allocated owner"))
    uh_label = escape(_("Allocated UH"))
    rows = []
    for m in report.measure_list:
        allocation = getattr(m, "allocation", None)
        rows.append(
            MEASURE_ROW.format(
                name=escape(m.name),
                req_owner=kr(m.owner_amount),
                req_uh=kr(m.uh_amount),
                pk=int(m.pk),
                report=int(report.pk),
                owner_label=owner_label,
                uh_label=uh_label,
                owner=kroner(allocation.owner_amount if allocation else m.owner_amount),
                uh=kroner(allocation.uh_amount if allocation else m.uh_amount),
            )
        )
    return mark_safe("\n".join(rows))  # noqa: S308 (escaped above)


def _office_scheme(request, office_pk, scheme_code):
    office = get_object_or_404(CountyOffice, pk=office_pk)
    if not is_officer_of(request.user, office.pk):
        raise Http404
    return office, get_object_or_404(Scheme, code=scheme_code)


def allocation(request, office_pk, scheme_code, year):
    require_officer(request.user)
    office, scheme = _office_scheme(request, office_pk, scheme_code)
    errors = {}
    if request.method == "POST":
        if "save_frame" in request.POST:
            try:
                amount = parse_kroner(request.POST.get("frame_amount")) or 0
                committed = parse_kroner(request.POST.get("frame_committed")) or 0
                if committed > amount:
                    raise ReviewError(_("What is committed cannot be more than the frame."))
                frame_set(
                    county_office=office,
                    scheme=scheme,
                    year=year,
                    amount=amount,
                    committed=committed,
                    user=request.user,
                )
                messages.success(request, _("The frame was saved."))
                return redirect(request.path)
            except MoneyError:
                messages.error(request, _("Write the frame in whole kroner, e.g. 10 000 000."))
            except ReviewError as error:
                messages.error(request, str(error))
        else:
            context = _allocation_context(request, office, scheme, year)
            entries, priorities = {}, {}
            for report in context["reports"]:
                priority = request.POST.get(f"priority_{report.pk}", "").strip()
                priorities[report.pk] = (
                    int(priority) if priority.isdigit() else None,
                    request.POST.get(f"note_{report.pk}", "").strip(),
                )
                for measure in report.measure_list:
                    values = []
                    for side in ("owner", "uh"):
                        key = f"{side}_{measure.pk}"
                        try:
                            values.append(parse_kroner(request.POST.get(key)) or 0)
                        except MoneyError:
                            errors[key] = _("Whole kroner, e.g. 50 000.")
                    if len(values) == 2:
                        entries[measure.pk] = tuple(values)
            if errors:
                messages.error(
                    request, _("Nothing was saved. Correct the fields marked with an error.")
                )
            else:
                try:
                    priorities_set(
                        reports=context["reports"], entries=priorities, user=request.user
                    )
                    allocations_save(
                        county_office=office,
                        scheme=scheme,
                        year=year,
                        entries=entries,
                        user=request.user,
                    )
                    messages.success(request, _("The allocations were saved."))
                    return redirect(request.get_full_path())
                except ReviewError as error:
                    messages.error(request, str(error))
    context = _allocation_context(request, office, scheme, year)
    context["errors"] = errors
    context["posted"] = request.POST if errors or request.method == "POST" else None
    return render(request, "needs/review/allocation.html", context)


def rescale(request, office_pk, scheme_code, year):
    require_officer(request.user)
    office, scheme = _office_scheme(request, office_pk, scheme_code)
    frame = get_object_or_404(Frame, county_office=office, scheme=scheme, year=year)
    raw = request.POST.get("new_amount") or request.GET.get("new_amount", "")
    preview = None
    try:
        new_amount = parse_kroner(raw)
    except MoneyError:
        new_amount = None
        messages.error(request, _("Write the new frame in whole kroner."))
    if new_amount is not None:
        if new_amount < frame.committed:
            messages.error(request, _("The new frame is smaller than what is already committed."))
        elif request.method == "POST":
            rescale_apply(
                county_office=office,
                scheme=scheme,
                year=year,
                new_amount=new_amount,
                user=request.user,
            )
            messages.success(request, _("The frame was changed and the allocations rescaled."))
            return redirect("needs:allocation", office.pk, scheme.code, year)
        else:
            preview = rescale_preview(
                county_office=office, scheme=scheme, year=year, new_amount=new_amount
            )
    return render(
        request,
        "needs/review/rescale.html",
        {
            "office": office,
            "scheme": scheme,
            "year": year,
            "frame": frame,
            "preview": preview,
            "raw": raw,
        },
    )


def audit_for(report):
    return AuditEntry.objects.filter(report=report).select_related("actor")[:200]
