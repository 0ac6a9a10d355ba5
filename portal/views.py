from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from needs.models import NeedReport
from needs.overview import officer_overview
from needs.selectors import unread_comment_counts
from needs.views_forum import forum_dashboard_context
from partnerships.models import CountyOffice, Partnership
from reporting.annual_overview import annual_overview_context
from reporting.deadlines import dashboard_deadlines

from .forms import NotificationSettingsForm

UNREAD_SHOWN = 10


def dashboard(request):
    user = request.user
    memberships = user.memberships.select_related("partnership").order_by("partnership__name")
    offices = CountyOffice.objects.editable_by(user)
    unread = unread_comment_counts(user)
    # Only the first few (a county can have hundreds): most unread first, then the newest
    # report. Chosen from the counts, so only those few reports are read.
    shown = sorted(unread, key=lambda pk: (-unread[pk], -pk))[:UNREAD_SHOWN]
    unread_reports = (
        sorted(
            NeedReport.objects.filter(pk__in=shown)
            .select_related("partnership", "scheme")
            .only("year", "partnership__name", "scheme__short_name"),
            key=lambda report: shown.index(report.pk),
        )
        if shown
        else []
    )
    for report in unread_reports:
        report.unread = unread[report.pk]
    return render(
        request,
        "portal/dashboard.html",
        {
            "memberships": memberships,
            "offices": offices,
            "unread_reports": unread_reports,
            "unread_more": len(unread) - len(unread_reports),
            "my_reports": _my_reports(user),
            "waiting": _waiting_for_review(user, offices),
            **dashboard_deadlines(user),
            **officer_overview_context(user, offices),
            **forum_dashboard_context(user),
            **annual_overview_context(user, offices=offices),
        },
    )


MY_REPORTS_SHOWN = 12


def _my_reports(user):
    """The newest need reports of the user's own partnerships, with their totals."""
    mine = Partnership.objects.member_of(user)
    if mine.query.is_empty():
        return []
    return list(
        NeedReport.objects.visible_to(user)
        .filter(partnership__in=mine)
        .select_related("partnership", "scheme")
        .only(
            "year",
            "status",
            "partnership__name",
            "scheme__short_name",
            "requested_uh",
            "requested_total",
        )
        .order_by("-year", "partnership__name", "scheme__order")[:MY_REPORTS_SHOWN]
    )


def officer_overview_context(user, offices):
    """The case officer's overview (templates/portal/partials/officer_overview.html): reports to
    review per scheme and year, and the frame with what is left. Nothing for non-officers."""
    if offices.query.is_empty():
        return {}
    rows = officer_overview(user)
    return {
        "officer_overview": rows,
        "officer_overview_offices": len({row.county_office_id for row in rows}),
    }


def _waiting_for_review(user, offices):
    """Submitted reports waiting in the county offices' queues, or None for non-officers."""
    if offices.query.is_empty():
        return None
    return NeedReport.objects.reviewable_by(user).filter(status=NeedReport.Status.SUBMITTED).count()


def notification_settings(request):
    data = request.POST if request.method == "POST" else None
    form = NotificationSettingsForm(data, user=request.user)
    if request.method == "POST" and form.is_valid():
        request.user.muted_notifications = form.muted()
        request.user.save(update_fields=["muted_notifications"])
        messages.success(request, _("Your e-mail settings were saved."))
        return redirect("portal:notification_settings")
    return render(request, "portal/notification_settings.html", {"form": form})


@login_not_required
def accessibility(request):
    """The accessibility statement (tilgjengelighetserklæring), linked from every page's
    footer; the published one on uustatus.no when its address is set."""
    return render(
        request,
        "portal/accessibility.html",
        {
            "statement_url": settings.ACCESSIBILITY_STATEMENT_URL,
            "support_email": settings.SUPPORT_EMAIL,
        },
    )
