"""The forum's recommendation page: case officers record it, the forum's members read it."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from partnerships.models import CountyOffice, Scheme
from portal.forms import expected_version
from portal.workflow import Refused

from .conflicts import tie_reason, ties_by_report
from .forms import PriorityFormSet
from .forms_forum import RecommendationForm
from .forum import recommendation_record, recommendation_reports
from .models import ForumRecommendation, NeedReport


def _head(request, office_pk, scheme_code):
    """(office, scheme, may record): 404 unless the user is a case officer or forum member
    of the office."""
    user = request.user
    offices = CountyOffice.objects.editable_by(user) | CountyOffice.objects.forum_of(user)
    office = get_object_or_404(offices, pk=office_pk)
    scheme = get_object_or_404(Scheme, code=scheme_code)
    may_record = CountyOffice.objects.editable_by(user).filter(pk=office.pk).exists()
    return office, scheme, may_record


def recommendation(request, office_pk, scheme_code, year):
    office, scheme, may_record = _head(request, office_pk, scheme_code)
    if request.method == "POST" and not may_record:
        raise PermissionDenied  # the forum recommends; a case officer records
    found = (
        ForumRecommendation.objects.visible_to(request.user)
        .filter(county_office=office, scheme=scheme, year=year)
        .select_related("recorded_by")
        .first()
    )
    reports = list(recommendation_reports(office, scheme, year))
    ties = ties_by_report(request.user, reports) if may_record else {}
    for report in reports:
        report.tie_reason = tie_reason(ties[report.pk]) if report.pk in ties else ""
    rankable = [r for r in reports if r.pk not in ties]
    posted = request.POST if request.method == "POST" and may_record else None
    version = found.lock_version if found else 1
    form = RecommendationForm(
        posted,
        initial={
            "version": version,
            "meeting_date": found.meeting_date if found else None,
            "note": found.note if found else "",
        },
    )
    priorities = PriorityFormSet(
        posted,
        prefix="reports",
        rows=rankable,
        initial=[
            {"report": r.pk, "priority": r.priority, "note": r.priority_note} for r in rankable
        ],
    )
    if posted is not None:
        valid = form.is_valid() & priorities.is_valid()
        if expected_version(form) is None:
            return HttpResponseBadRequest(_("The form was incomplete. Nothing was saved."))
        if valid:
            try:
                recommendation_record(
                    county_office=office,
                    scheme=scheme,
                    year=year,
                    meeting_date=form.cleaned_data["meeting_date"],
                    note=form.cleaned_data["note"],
                    entries=priorities.entries(),
                    user=request.user,
                    expected_version=expected_version(form),
                )
            except Refused as error:
                messages.error(request, str(error))
            else:
                messages.success(request, _("The forum's recommendation was recorded."))
                return redirect(request.path)
        else:
            messages.error(
                request, _("Nothing was saved. Correct the fields marked with an error.")
            )
    by_report = priorities.by_row()
    for report in reports:
        report.form = by_report.get(report.pk)
    recusals = list(found.recusals.select_related("user", "report__partnership")) if found else []
    return render(
        request,
        "needs/forum/recommendation.html",
        {
            "office": office,
            "scheme": scheme,
            "year": year,
            "recommendation": found,
            "reports": reports,
            "form": form,
            "priorities": priorities,
            "may_record": may_record,
            "recusals": recusals,
        },
    )


FORUM_LINKS_SHOWN = 6


def forum_dashboard_context(user):
    """The dashboard's forum section (templates/needs/forum/_dashboard.html): the offices
    whose forum the user sits in, links to the newest recommendations of the user's
    counties, and whether the user declares ties (forum members and case officers)."""
    forum_offices = list(CountyOffice.objects.forum_of(user))
    offices = CountyOffice.objects.editable_by(user) | CountyOffice.objects.forum_of(user)
    if not forum_offices and offices.query.is_empty():
        return {"forum_offices": [], "forum_links": [], "declares_ties": False}
    links = (
        NeedReport.objects.visible_to(user)
        .filter(partnership__region__county_office__in=offices)
        .exclude(status=NeedReport.Status.DRAFT)
        .values_list(
            "partnership__region__county_office_id",
            "partnership__region__county_office__county",
            "scheme__code",
            "scheme__short_name",
            "year",
        )
        .distinct()
        .order_by("-year", "partnership__region__county_office__county", "scheme__code")
    )
    return {
        "forum_offices": forum_offices,
        "forum_links": list(links[:FORUM_LINKS_SHOWN]),
        "declares_ties": True,
    }
