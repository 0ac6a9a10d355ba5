"""The allocation page of a county, scheme and year (samarbeidsforum priorities, allocation
per measure within the frame) and rescaling the allocations when the frame changes."""

from html import escape

from django.contrib import messages
from django.db.models import Count, Prefetch, Sum
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from measures.models import Measure
from partnerships.access import require_officer
from partnerships.models import CountyOffice, RuleSettings, Scheme
from portal.access import is_officer_of
from portal.money import MoneyError, parse_kroner
from portal.paging import get_page
from portal.templatetags.portal_tags import kr, kroner

from . import rules
from .findings import describe
from .models import Frame, RuleException
from .review import (
    ReviewError,
    allocation_findings,
    allocation_queryset,
    allocations_save,
    frame_set,
    priorities_set,
    rescale_apply,
    rescale_preview,
)

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
