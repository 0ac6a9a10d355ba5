"""Reads for the activity plan: half-years, the activities a user sees, month grids, iCalendar."""

import calendar
from datetime import date

from django.db.models import Max, Min, Prefetch
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from measures.models import Measure
from partnerships import ical
from partnerships.models_plan import CalendarFeedToken, PlannedActivity

SPRING, AUTUMN = "spring", "autumn"


def half_year_of(day):
    return day.year, SPRING if day.month <= 6 else AUTUMN


def half_year_bounds(year, half):
    """(first day, first day after) of Vår (January–June) or Høst (July–December)."""
    if half == SPRING:
        return date(year, 1, 1), date(year, 7, 1)
    return date(year, 7, 1), date(year + 1, 1, 1)


def half_year_label(year, half):
    if half == SPRING:
        return _("Spring %(year)s") % {"year": year}
    return _("Autumn %(year)s") % {"year": year}


def adjacent_half_years(year, half):
    previous = (year, SPRING) if half == AUTUMN else (year - 1, AUTUMN)
    following = (year + 1, SPRING) if half == AUTUMN else (year, AUTUMN)
    return previous, following


def visible_measures(user):
    """Measure.visible_to: measures of the need reports the user sees (the county office
    never sees drafts)."""
    return Measure.objects.visible_to(user)


def measure_choices(user, partnership):
    return (
        visible_measures(user)
        .filter(report__partnership=partnership)
        .select_related("report__scheme")
        .order_by("-report__year", "report__scheme__order", "position", "pk")
    )


def with_details(activities, user):
    """Partnership and the measures this user may see, in two queries in all."""
    measures = visible_measures(user).select_related("report__scheme").order_by("position")
    return activities.select_related("partnership__lead_owner").prefetch_related(
        Prefetch("measures", queryset=measures)
    )


def plan_activities(user, *, start, end, partnership=None, measure=None, kind=None):
    activities = PlannedActivity.objects.visible_to(user).overlapping(start, end)
    if partnership is not None:
        activities = activities.filter(partnership=partnership)
    if measure is not None:
        activities = activities.filter(measures=measure)
    if kind:
        activities = activities.filter(kind=kind)
    return with_details(activities, user)


def plan_years(user, around):
    """The years the year filter offers: those with activities, and the years around `around`."""
    bounds = PlannedActivity.objects.visible_to(user).aggregate(
        first=Min("starts_at"), last=Max("starts_at")
    )
    first = min(timezone.localtime(bounds["first"]).year if bounds["first"] else around, around)
    last = max(timezone.localtime(bounds["last"]).year if bounds["last"] else around, around)
    return list(range(first - 1, last + 2))


def group_by_month(activities):
    """[(first day of the month, [activities starting that month])] in date order."""
    months = {}
    for activity in activities:
        months.setdefault(activity.start_date.replace(day=1), []).append(activity)
    return list(months.items())


def month_weeks(year, month, activities):
    """The month as weeks (Monday first): [(ISO week, [(day, in month, [activities])])]."""
    by_day = {}
    for activity in activities:
        for day in activity.days():
            by_day.setdefault(day, []).append(activity)
    weeks = []
    for week in calendar.Calendar(firstweekday=0).monthdatescalendar(year, month):
        days = [(day, day.month == month, by_day.get(day, [])) for day in week]
        weeks.append((week[0].isocalendar().week, days))
    return weeks


def active_feed_token(user):
    return CalendarFeedToken.objects.visible_to(user).active().first()


# iCalendar ------------------------------------------------------------------------------


def activity_description(activity):
    parts = []
    if activity.theme:
        parts.append(activity.theme)
    labelled = [
        (_("Participants"), activity.participants),
        (_("Responsible"), activity.responsible),
        (_("Preparation"), activity.preparation),
        (_("Measures"), "; ".join(str(m) for m in activity.measures.all())),
        (_("Notes"), activity.notes),
    ]
    parts.extend(f"{label}: {value}" for label, value in labelled if value)
    parts.append(_("Partnership: %(name)s") % {"name": activity.partnership.name})
    return "\n\n".join(parts)


def activity_location(activity):
    if activity.online and activity.place:
        return _("%(place)s / online") % {"place": activity.place}
    if activity.online:
        return _("Online")
    return activity.place


def activity_event(activity, *, url, domain):
    """An ical.Event, written in the partnership's language (bokmål or nynorsk)."""
    with translation.override(activity.partnership.language):
        return ical.Event(
            uid=f"planned-activity-{activity.pk}@{domain}",
            summary=activity.title,
            start=activity.start_date if activity.all_day else activity.starts_at,
            end=activity.end_date if activity.all_day else activity.ends_at,
            all_day=activity.all_day,
            stamp=activity.updated_at,
            location=activity_location(activity),
            description=activity_description(activity),
            url=url,
            categories=[str(activity.get_kind_display())],
            sequence=activity.sequence,
        )
