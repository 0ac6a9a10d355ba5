from collections import Counter

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import prefetch_related_objects
from django.http import HttpResponseBadRequest, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from partnerships.models import Partnership, Scheme
from portal import params
from portal.forms import PARTLY_SAVED, based_on, expected_version, valid_values
from portal.paging import get_page
from portal.templatetags.portal_tags import share
from portal.workflow import Refused

from . import listing
from .access import can_comment, can_confirm, can_edit_report, get_report_for_user
from .collaboration import mark_comments_read
from .compare import compare_snapshots
from .conflicts import tie_reason
from .forms import (
    CommentForm,
    OtherPartyFormSet,
    ParticipantFormSet,
    ReportCreateForm,
    ReportDetailsForm,
)
from .models import NeedReport
from .selectors import confirmation_state, is_unread, report_comments, report_summary
from .services import (
    SubmissionRefused,
    build_snapshot,
    need_report_create,
    need_report_submit,
    report_details_save,
    submission_problems,
)
from .views_change import change_context
from .views_review import audit_for, can_review

LIST_PAGE_SIZE = 50
REQUESTED = ("requested_owner", "requested_uh", "requested_total")


def report_list(request):
    """One year at a time (the latest unless another or "all" is asked for), 50 to a page,
    with the totals of everything the filter matches."""
    visible = NeedReport.objects.visible_to(request.user)
    years = list(visible.order_by("-year").values_list("year", flat=True).distinct())
    # ?year=all (or empty) lists every year; without ?year the latest.
    if request.GET.get("year", "latest").strip() in ("", "all"):
        year = None
    else:
        year = params.query_year(request, default=years[0] if years else None)
    scheme = request.GET.get("scheme")
    reports = visible
    if year is not None:
        reports = reports.filter(year=year)
    if scheme:
        reports = reports.filter(scheme__code=scheme)
    totals = listing.totals_of(reports)
    rows = (
        reports.select_related("partnership", "scheme")
        .only("year", "status", "partnership__name", "scheme__short_name", *REQUESTED)
        .order_by("-year", "partnership__name", "scheme__order", "pk")
    )
    page = get_page(request, rows, per_page=LIST_PAGE_SIZE, count=totals["count"])
    can_create = not Partnership.objects.coordinated_by(request.user).query.is_empty()
    return render(
        request,
        "needs/needreport_list.html",
        {
            "reports": list(page.object_list),
            "page": page,
            "totals": totals,
            "totals_share": share(totals["uh"], totals["total"]),
            "years": years,
            "schemes": Scheme.objects.all(),
            "selected_year": "all" if year is None else str(year),
            "selected_scheme": scheme,
            "can_create": can_create,
        },
    )


def report_create(request):
    partnerships = Partnership.objects.coordinated_by(request.user)
    if partnerships.query.is_empty():
        raise PermissionDenied
    form = ReportCreateForm(request.POST or None, partnerships=partnerships)
    if request.method == "POST" and form.is_valid():
        report = need_report_create(**form.cleaned_data, user=request.user)
        messages.success(request, _("The need report was created."))
        return redirect(report)
    existing = getattr(form, "existing", None)
    return render(request, "needs/needreport_create.html", {"form": form, "existing": existing})


def _summary_context(request, report, summary):
    return {
        "report": report,
        "summary": summary,
        "can_edit": can_edit_report(request.user, report),
    }


def report_detail(request, pk):
    report = get_report_for_user(request, pk)
    prefetch_related_objects([report], "participants", "other_parties")
    summary = report_summary(report, for_page=True)
    context = _summary_context(request, report, summary)
    # Submitting stamps the report and stores version 1: never submitted, no versions.
    context["versions"] = (
        list(report.versions.only("report_id", "number", "submitted_at"))
        if report.submitted_at
        else []
    )
    confirmation = confirmation_state(
        report, summary.measures, next_version=len(context["versions"]) + 1
    )
    context["confirmation"] = confirmation
    context["can_confirm"] = can_confirm(request.user, report)
    context["problems"] = (
        submission_problems(report, summary, confirmation) if context["can_edit"] else []
    )
    # Only the UH confirmation is missing: "Submit" waits for it, and the coordinator can ask.
    context["waiting_for_uh"] = bool(confirmation.problem) and context["problems"] == [
        confirmation.problem
    ]
    context.update(comment_context(request, report, summary.measures))
    # The latest entries, one more than shown to know whether to offer the rest.
    activity = report.activity.select_related("actor")
    if request.GET.get("activity") != "all":
        activity = activity[: ACTIVITY_SHOWN + 1]
    activity = list(activity)
    context["activity_more"] = (
        request.GET.get("activity") != "all" and len(activity) > ACTIVITY_SHOWN
    )
    context["activity"] = activity[:ACTIVITY_SHOWN] if context["activity_more"] else activity
    context["can_review"] = can_review(request.user, report)
    if context["can_review"]:
        context["audit"] = audit_for(report)
        tie = report.tie_of(request.user)
        context["tie_reason"] = tie_reason(tie) if tie else ""
        context["exception_choices"] = [
            (s.code, s.title) for s in summary.shown if s.code != "total_zero"
        ]
    context.update(change_context(request, report))
    context["show_allocation"] = (
        context["can_review"] or report.status == NeedReport.Status.ALLOCATED
    )
    return render(request, "needs/needreport_detail.html", context)


ACTIVITY_SHOWN = 10


def comment_context(request, subject, measures=(), measure=None):
    """The thread (of a need report, a measure or an annual report), unread marks and form.

    Viewing the thread marks it read, so the unread count on the dashboard goes down.
    """
    comments = report_comments(
        subject, measure, reader=request.user, measures=measures if measure is None else None
    )
    for comment in comments:
        comment.unread = is_unread(comment, request.user, comment.last_read)
    if measure is None:
        per_measure = Counter(c.measure_id for c in comments if c.measure_id and not c.is_deleted)
        for item in measures:
            item.comment_count = per_measure.get(item.pk, 0)
    unread = sum(c.unread for c in comments)
    if unread:
        mark_comments_read(user=request.user, subject=subject)
    return {
        "comments": comments,
        "unread_comments": unread,
        "can_comment": can_comment(request.user, subject),
        "comment_form": CommentForm(),
        "comment_subject": "" if isinstance(subject, NeedReport) else "annual",
    }


def report_summary_partial(request, pk):
    report = get_report_for_user(request, pk)
    context = _summary_context(request, report, report_summary(report, figures_only=True))
    return render(request, "needs/partials/_summary.html", context)


def summary_html(request, report):
    context = _summary_context(request, report, report_summary(report, figures_only=True))
    return render_to_string("needs/partials/_summary.html", context, request=request)


def report_edit(request, pk):
    """Contacts, other owners/UH, co-determination and units. Saves what is valid."""
    report = get_report_for_user(request, pk, write=True)
    data = request.POST if request.method == "POST" else None
    form = ReportDetailsForm(data, instance=report)
    parties = OtherPartyFormSet(data, instance=report, prefix="parties")
    participants = ParticipantFormSet(data, instance=report, prefix="participants")
    conflict = False
    if request.method == "POST":
        form.is_valid()
        expected = expected_version(form)
        if expected is None:
            # Not a form of ours: saving it would blank every field.
            return HttpResponseBadRequest(_("The form was incomplete. Nothing was saved."))
        try:
            saved = report_details_save(
                report=report,
                user=request.user,
                values=valid_values(form),
                expected_version=expected,
                formsets=[parties, participants],
            )
        except Refused as refused:
            messages.error(request, str(refused))
        else:
            if not saved:
                conflict = True
                report.refresh_from_db()
                based_on(form, report.lock_version)
            elif form.is_valid() and parties.is_valid() and participants.is_valid():
                messages.success(request, _("Saved."))
                return redirect(report)
            else:
                # Saved: the next save builds on this version (the typed values stay shown).
                based_on(form, report.lock_version)
                messages.error(request, PARTLY_SAVED)
    return render(
        request,
        "needs/needreport_form.html",
        {
            "report": report,
            "form": form,
            "parties": parties,
            "participants": participants,
            "conflict": conflict,
        },
    )


@require_POST
def report_submit(request, pk):
    report = get_report_for_user(request, pk, write=True)
    try:
        need_report_submit(report=report, user=request.user)
    except SubmissionRefused as refused:
        for problem in refused.problems:
            messages.error(request, problem)
        messages.error(request, _("The report was not submitted. Fix the points above."))
    except Refused as refused:
        messages.error(request, str(refused))
    else:
        messages.success(
            request, _("The need report was submitted to the county office. It is now locked.")
        )
    return redirect(report)


def version_list(request, pk):
    report = get_report_for_user(request, pk)
    versions = list(report.versions.select_related("submitted_by"))
    a, b = request.GET.get("a"), request.GET.get("b")
    comparison = None
    by_number = {str(v.number): v for v in versions}
    current = None
    if a and b:
        if "current" in (a, b):
            current = build_snapshot(report, report_summary(report))
        left = current if a == "current" else by_number.get(a) and by_number[a].snapshot
        right = current if b == "current" else by_number.get(b) and by_number[b].snapshot
        if left and right:
            comparison = compare_snapshots(left, right)
    return render(
        request,
        "needs/version_list.html",
        {"report": report, "versions": versions, "comparison": comparison, "a": a, "b": b},
    )


def version_detail(request, pk, number):
    report = get_report_for_user(request, pk)
    version = get_object_or_404(report.versions, number=number)
    return render(
        request,
        "needs/version_detail.html",
        {"report": report, "version": version, "data": version.snapshot},
    )


def autosave_response(
    request, report, *, version, errors, saved=True, confirmation_cleared=False, summary=True
):
    """`saved`: False when someone else saved first (a conflict). A save refused field by
    field (`errors`) answers "saved" on its `version`, so the page shows the errors.
    `summary`: False when the save changed nothing the report summary shows (the page keeps
    the one it has)."""
    return JsonResponse(
        {
            "status": "saved" if saved else "conflict",
            "version": version,
            "errors": errors,
            "summary_html": summary_html(request, report) if saved and summary else "",
            "confirmation_cleared": confirmation_cleared,
        }
    )
