"""The regional activity plan: half-year and month views, activities, iCalendar and the PDF.

Every view goes through the access helpers in partnerships/access.py (outsider → 404,
county office → read only, 403 on writes). The calendar feed is the one page without a
login: it answers to its secret token only (404 for an unknown or revoked one).
"""

from datetime import date

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.dates import MONTHS
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from partnerships import ical
from partnerships.access import (
    activity_partnerships,
    get_activity_for_user,
    get_partnership_for_activity,
    get_partnership_for_user,
)
from partnerships.models import Partnership
from partnerships.models_plan import PlannedActivity
from partnerships.services_plan import (
    feed_token_create,
    feed_token_revoke,
    feed_token_user,
    planned_activity_delete,
    planned_activity_save,
)
from portal import downloads
from reporting.pdf import file_slug, render_pdf

from .forms import PlanFilterForm, PlannedActivityForm
from .selectors import (
    SPRING,
    active_feed_token,
    activity_event,
    adjacent_half_years,
    group_by_month,
    half_year_bounds,
    half_year_label,
    half_year_of,
    month_weeks,
    plan_activities,
    plan_years,
    with_details,
)

UID_DOMAIN = "kompetanseportalen"


class Plan:
    """The filters of a plan view, read from the query string (bad values are ignored)."""

    def __init__(self, request):
        today = timezone.localdate()
        self.request = request
        # may_plan: whether the user may add activities to it (Partnership.plannable_by).
        plannable = Partnership.objects.plannable_by(request.user).filter(pk=OuterRef("pk"))
        self.partnerships = (
            Partnership.objects.visible_to(request.user)
            .annotate(may_plan=Exists(plannable))
            .order_by("name")
        )
        self.form = PlanFilterForm(
            request.GET,
            partnerships=self.partnerships,
            user=request.user,
            years=plan_years(request.user, today.year),
            month_names=MONTHS,
        )
        self.form.is_valid()
        value = self.form.value
        self.year = value("year") or today.year
        self.half = value("half") or half_year_of(today)[1]
        self.month = value("month") or today.month
        # The filters show what the heading says: without a choice (or with a bad one) the
        # form shows the period the page is about, not its first option.
        data = request.GET.copy()
        for key in ("year", "half", "month"):
            data[key] = str(getattr(self, key))
        self.form.data = data
        self.today = today
        self.partnership = value("partnership")
        self.measure = value("measure")
        self.kind = value("kind")

    def activities(self, start, end):
        return plan_activities(
            self.request.user,
            start=start,
            end=end,
            partnership=self.partnership,
            measure=self.measure,
            kind=self.kind,
        )

    def url(self, name, **changes):
        """The URL of a plan view with the current filters, some of them changed."""
        query = self.request.GET.copy()
        for key, value in changes.items():
            query[key] = value
        return f"{reverse(name)}?{query.urlencode()}" if query else reverse(name)

    def context(self):
        user = self.request.user
        partnership = self.partnership
        if partnership is not None and partnership.may_plan:
            add_url = reverse("plan:create", args=[partnership.pk])
        elif partnership is None and activity_partnerships(user).exists():
            add_url = reverse("plan:choose")
        else:
            add_url = None
        return {
            "filter_form": self.form,
            "partnership": partnership,
            "measure": self.measure,
            "add_url": add_url,
            "show_partnership": partnership is None,
        }


def half_year(request):
    plan = Plan(request)
    start, end = half_year_bounds(plan.year, plan.half)
    activities = list(plan.activities(start, end))
    previous, following = adjacent_half_years(plan.year, plan.half)
    context = plan.context() | {
        "title": half_year_label(plan.year, plan.half),
        "months": group_by_month(activities),
        "activity_count": len(activities),
        "previous_url": plan.url("plan:half_year", year=previous[0], half=previous[1]),
        "previous_label": half_year_label(*previous),
        "next_url": plan.url("plan:half_year", year=following[0], half=following[1]),
        "next_label": half_year_label(*following),
        # The month view of the period: this month if the half-year is the current one.
        "month_url": plan.url(
            "plan:month",
            year=plan.year,
            month=plan.today.month if start <= plan.today < end else start.month,
        ),
        "pdf_url": plan.url("plan:pdf", year=plan.year, half=plan.half),
    }
    return render(request, "partnerships/plan_half_year.html", context)


def month(request):
    plan = Plan(request)
    start = date(plan.year, plan.month, 1)
    end = date(plan.year + plan.month // 12, plan.month % 12 + 1, 1)
    previous = date(plan.year - 1, 12, 1) if plan.month == 1 else date(plan.year, plan.month - 1, 1)
    activities = list(plan.activities(start, end))
    context = plan.context() | {
        "title": f"{MONTHS[plan.month].capitalize()} {plan.year}",
        "weeks": month_weeks(plan.year, plan.month, activities),
        "activity_count": len(activities),
        "previous_url": plan.url("plan:month", year=previous.year, month=previous.month),
        "previous_label": f"{MONTHS[previous.month].capitalize()} {previous.year}",
        "next_url": plan.url("plan:month", year=end.year, month=end.month),
        "next_label": f"{MONTHS[end.month].capitalize()} {end.year}",
        "half_year_url": plan.url("plan:half_year", year=plan.year, half=half_year_of(start)[1]),
    }
    return render(request, "partnerships/plan_month.html", context)


def plan_pdf(request):
    """The printable half-year plan, like the calendar table of seed 003."""
    plan = Plan(request)
    start, end = half_year_bounds(plan.year, plan.half)
    activities = list(plan.activities(start, end))
    partnership = plan.partnership
    language = partnership.language if partnership else translation.get_language()
    context = {
        "partnership": partnership,
        "measure": plan.measure,
        "kind": plan.kind and PlannedActivity.Kind(plan.kind).label,
        "year": plan.year,
        "half": plan.half,
        "months": group_by_month(activities),
        "show_partnership": partnership is None,
        "generated": timezone.localtime(),
    }
    content = render_pdf("reporting/pdf/activity_plan.html", context, language=language)
    name = file_slug(partnership.name) if partnership else "alle"
    half = "var" if plan.half == SPRING else "host"
    response = HttpResponse(content, content_type="application/pdf")
    return downloads.attach(
        response, downloads.file_name("aktivitetsplan", name, half, plan.year, ext="pdf")
    )


# Activities -----------------------------------------------------------------------------


def activity_detail(request, pk):
    loaded = get_activity_for_user(request, pk)
    activity = with_details(PlannedActivity.objects.filter(pk=loaded.pk), request.user).get()
    context = {
        "activity": activity,
        "can_edit": loaded.may_change,
        "plan_url": _plan_url(activity),
    }
    return render(request, "partnerships/activity_detail.html", context)


def _plan_url(activity):
    """The half-year view of the activity's partnership where the activity is."""
    year, half = half_year_of(activity.start_date)
    query = f"year={year}&half={half}&partnership={activity.partnership_id}"
    return f"{reverse('plan:half_year')}?{query}"


def activity_choose_partnership(request):
    partnerships = list(activity_partnerships(request.user))
    if not partnerships:
        raise PermissionDenied
    if len(partnerships) == 1:
        return redirect("plan:create", partnerships[0].pk)
    return render(
        request, "partnerships/activity_choose_partnership.html", {"partnerships": partnerships}
    )


def activity_create(request, partnership_pk):
    partnership = get_partnership_for_activity(request, partnership_pk)
    initial = {"measures": request.GET.getlist("measure")}
    if request.GET.get("date"):
        initial["start_date"] = request.GET["date"]
    return _activity_form(request, PlannedActivity(partnership=partnership), initial)


def activity_edit(request, pk):
    return _activity_form(request, get_activity_for_user(request, pk, write=True))


def _activity_form(request, activity, initial=None):
    form = PlannedActivityForm(
        request.POST or None,
        instance=activity,
        initial=initial,
        partnership=activity.partnership,
        user=request.user,
    )
    if request.method == "POST":
        if form.is_valid():
            activity = form.save(commit=False)
            planned_activity_save(
                activity=activity, measures=form.cleaned_data["measures"], user=request.user
            )
            messages.success(request, _("The activity was saved."))
            return redirect(activity)
        messages.error(request, _("The activity was not saved. Correct the fields marked."))
    return render(request, "partnerships/activity_form.html", {"form": form, "activity": activity})


def activity_delete(request, pk):
    activity = get_activity_for_user(request, pk, write=True)
    if request.method == "POST":
        plan_url = _plan_url(activity)
        planned_activity_delete(activity=activity)
        messages.success(request, _("The activity was deleted."))
        return redirect(plan_url)
    return render(request, "partnerships/activity_confirm_delete.html", {"activity": activity})


# iCalendar ------------------------------------------------------------------------------


def _calendar_response(request, activities, *, name, filename, attachment):
    events = [
        activity_event(
            activity,
            url=request.build_absolute_uri(activity.get_absolute_url()),
            domain=UID_DOMAIN,
        )
        for activity in activities
    ]
    response = HttpResponse(
        ical.calendar(events, name=name).encode(), content_type="text/calendar; charset=utf-8"
    )
    downloads.attach(response, filename, inline=not attachment)
    response["Cache-Control"] = "private, no-store"
    response["X-Robots-Tag"] = "noindex"
    return response


def partnership_calendar(request, pk):
    """Download: the partnership's whole activity plan as an .ics file."""
    partnership = get_partnership_for_user(request, pk)
    activities = with_details(
        PlannedActivity.objects.visible_to(request.user).filter(partnership=partnership),
        request.user,
    )
    return _calendar_response(
        request,
        activities,
        name=_("Activity plan: %(name)s") % {"name": partnership.name},
        filename=f"aktivitetsplan-{file_slug(partnership.name)}.ics",
        attachment=True,
    )


@login_not_required
@require_safe
def feed(request, token):
    """The user's subscription feed: everything the token's user may see now, nothing else."""
    user = feed_token_user(token)
    if user is None:
        raise Http404("No such calendar feed.")
    activities = with_details(PlannedActivity.objects.visible_to(user), user)
    return _calendar_response(
        request,
        activities,
        name=_("Activity plan (Kompetanseportalen)"),
        filename="aktivitetsplan.ics",
        attachment=False,
    )


def feed_settings(request):
    """Create (and see once), replace or revoke the address of one's own calendar feed."""
    feed_url = None
    if request.method == "POST":
        if request.POST.get("action") == "revoke":
            feed_token_revoke(user=request.user)
            messages.success(request, _("The calendar address was revoked. It no longer works."))
            return redirect("plan:feed_settings")
        token = feed_token_create(user=request.user)
        feed_url = request.build_absolute_uri(reverse("plan:feed", args=[token]))
    context = {
        "active": active_feed_token(request.user),
        "feed_url": feed_url,
        "webcal_url": feed_url and "webcal://" + feed_url.split("://", 1)[1],
    }
    return render(request, "partnerships/calendar_feed.html", context)
