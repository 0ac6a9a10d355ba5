"""The allocation page of a county, scheme and year (samarbeidsforum priorities, allocation
per measure within the frame) and rescaling the allocations when the frame changes."""

from collections import defaultdict
from types import SimpleNamespace

from django.contrib import messages
from django.db.models import Exists, OuterRef, Subquery
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from measures.models import Measure
from partnerships.access import require_officer
from portal.access import is_officer_of
from portal.money import MoneyError, parse_kroner
from portal.pagecache import cached_page
from portal.paging import get_page
from portal.workflow import Refused

from . import listing, rules
from .allocation_sql import allocation_figures, allocation_head
from .findings import describe
from .models import Allocation, RuleException
from .review import (
    allocated_split_findings,
    allocation_queryset,
    allocations_save,
    frame_set,
    priorities_set,
    rescale_apply,
    rescale_preview,
)

ALLOCATION_PAGE_SIZE = 20  # reports (of about 8 measures each) per page


def _allocation_context(request, head, year):
    """The frame, the totals of every report in the scheme-year (in the database), and one
    page of reports with their measures; saving saves the page's reports."""
    office, scheme, frame, settings = head
    figures = allocation_figures(office, scheme, year)
    rows = (
        allocation_queryset(office, scheme, year)
        .select_related("partnership")
        .only("status", "priority", "priority_note", "partnership__name")
        # The allocation is checked against the split rule only (allocated_split_findings):
        # whether that rule has an exception is all the page needs to know of exceptions.
        .annotate(
            split_excepted=Exists(
                RuleException.objects.filter(
                    report=OuterRef("pk"), code=rules.UH_SHARE_BELOW_MINIMUM
                )
            )
        )
        .order_by("priority", "partnership__name", "pk")
    )
    page = get_page(request, rows, per_page=ALLOCATION_PAGE_SIZE, count=figures["count"])
    reports = list(page.object_list)
    measures = _measures_of(reports)
    ruleset = rules.RuleSet(
        settings.min_uh_share_percent, settings.cofinancing_percent, settings.coordinator_cap
    )
    url, labels = listing.url_maker("needs:detail"), listing.status_labels()
    on_page = 0
    for report in reports:
        report.url, report.status_label = url(report.pk), labels[report.status]
        report.measure_list = measures[report.pk]
        report.requested = sum(m.owner_amount + m.uh_amount for m in report.measure_list)
        allocated = [m for m in report.measure_list if m.allocated_owner is not None]
        report.allocated_owner = sum(m.allocated_owner for m in allocated)
        report.allocated_uh = sum(m.allocated_uh for m in allocated)
        report.allocated = report.allocated_owner + report.allocated_uh
        report.allocation_findings = [
            (describe(f), report.split_excepted and f.code == rules.UH_SHARE_BELOW_MINIMUM)
            for f in allocated_split_findings(report.allocated_owner, report.allocated_uh, ruleset)
        ]
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


def _measures_of(reports):
    """{report id: [its measures, in order]} for a page of reports, as plain rows with
    allocated_owner and allocated_uh (None when nothing is allocated to the measure).

    One query of tuples: model instances (a measure and its allocation) and a queryset per
    report (prefetch_related) cost several times the query. The allocation amounts come from
    correlated subqueries, an index lookup per measure: joined instead, PostgreSQL hashes
    the whole national allocation table.
    """
    allocation = Allocation.objects.filter(measure=OuterRef("pk"))
    rows = (
        Measure.objects.filter(report__in=[r.pk for r in reports])
        .annotate(
            allocated_owner=Subquery(allocation.values("owner_amount")),
            allocated_uh=Subquery(allocation.values("uh_amount")),
        )
        .order_by("position", "pk")
        .values_list(
            "pk",
            "report_id",
            "name",
            "owner_amount",
            "uh_amount",
            "allocated_owner",
            "allocated_uh",
        )
    )
    measures = defaultdict(list)
    for pk, report_id, name, owner, uh, allocated_owner, allocated_uh in rows:
        measures[report_id].append(
            SimpleNamespace(
                pk=pk,
                name=name,
                owner_amount=owner,
                uh_amount=uh,
                allocated_owner=allocated_owner,
                allocated_uh=allocated_uh,
            )
        )
    return measures


def _head(request, office_pk, scheme_code, year):
    """(office, scheme, frame or None, rule settings): 404 unless the user is an officer of
    that county office and the scheme exists."""
    head = (
        allocation_head(office_pk, scheme_code, year)
        if is_officer_of(request.user, office_pk)
        else None
    )
    if head is None:
        raise Http404
    return head


def _save_frame(request, office, scheme, year, errors):
    """The frame form: a redirect when saved; else None, with `errors` {input name: message}
    and a message on top. The inputs are then shown as typed."""
    values = {}
    for key in ("frame_amount", "frame_committed"):
        try:
            values[key] = parse_kroner(request.POST.get(key)) or 0
        except MoneyError:
            errors[key] = _("Whole kroner, e.g. 50 000.")
    if errors:
        messages.error(request, _("Write the frame in whole kroner, e.g. 10 000 000."))
        return None
    if values["frame_committed"] > values["frame_amount"]:
        errors["frame_committed"] = _("What is committed cannot be more than the frame.")
        messages.error(request, errors["frame_committed"])
        return None
    frame_set(
        county_office=office,
        scheme=scheme,
        year=year,
        amount=values["frame_amount"],
        committed=values["frame_committed"],
        user=request.user,
    )
    messages.success(request, _("The frame was saved."))
    return redirect(request.path)


def _save_allocations(request, head, year, errors):
    """The priorities and allocations of the page's reports: a redirect when saved; else None,
    with `errors` {input name: message} and a message on top.

    A wrong priority or amount anywhere saves nothing. Allocations exceeding the frame (or no
    frame) are refused all together (allocations_save); the priorities are saved before, in
    a transaction of their own, and stay saved. Either way the page shows what was typed.
    """
    office, scheme = head[:2]
    context = _allocation_context(request, head, year)
    entries, priorities = {}, {}
    for report in context["reports"]:
        key = f"priority_{report.pk}"
        priority = request.POST.get(key, "").strip()
        if priority and not (priority.isascii() and priority.isdigit() and len(priority) < 10):
            errors[key] = _("A whole number, e.g. 1.")
        priorities[report.pk] = (
            int(priority) if priority and key not in errors else None,
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
        messages.error(request, _("Nothing was saved. Correct the fields marked with an error."))
        return None
    try:
        priorities_set(reports=context["reports"], entries=priorities, user=request.user)
        allocations_save(
            county_office=office, scheme=scheme, year=year, entries=entries, user=request.user
        )
    except Refused as error:
        messages.error(request, str(error))
        return None
    messages.success(request, _("The allocations were saved."))
    return redirect(request.get_full_path())


@cached_page
def allocation(request, office_pk, scheme_code, year):
    require_officer(request.user)
    head = _head(request, office_pk, scheme_code, year)
    office, scheme = head[:2]
    errors, frame_posted, posted = {}, None, None
    if request.method == "POST":
        if "save_frame" in request.POST:
            response = _save_frame(request, office, scheme, year, errors)
            frame_posted = request.POST
        else:
            response = _save_allocations(request, head, year, errors)
            posted = request.POST
        if response is not None:
            return response
    context = _allocation_context(request, head, year)
    # A refused post: the inputs of the form that was sent show what was typed.
    context.update(errors=errors, posted=posted, frame_posted=frame_posted)
    return render(request, "needs/review/allocation.html", context)


def rescale(request, office_pk, scheme_code, year):
    require_officer(request.user)
    office, scheme, frame, _settings = _head(request, office_pk, scheme_code, year)
    if frame is None:
        raise Http404
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
            try:
                rescale_apply(
                    county_office=office,
                    scheme=scheme,
                    year=year,
                    new_amount=new_amount,
                    user=request.user,
                )
            except Refused as error:
                messages.error(request, str(error))
            else:
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
