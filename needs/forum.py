"""The samarbeidsforum's recommendation (innstilling): recorded by a case officer for a
county, scheme and year: the meeting date, a general note, the priority and a note per
report (stored on the reports, as on the allocation page), and who stepped aside.

Recording locks the recommendation row, then the reports (priorities_set: the workflow's
"prioritise", refused for a report the officer has a tie to), and records the recusals
from the declared ties of the forum's members and the county's case officers.
"""

from django.utils import timezone
from django.utils.translation import gettext as _

from portal.workflow import Refused, locked_transaction

from .conflicts import recusals_for
from .models import ForumRecommendation, Recusal
from .review import allocation_queryset, audit, priorities_set


def recommendation_reports(county_office, scheme, year):
    """The reports the forum recommends on: those the county office may still allocate."""
    return (
        allocation_queryset(county_office, scheme, year)
        .select_related("partnership__region__county_office", "scheme")
        .order_by("priority", "partnership__name", "pk")
    )


def recommendation_record(
    *, county_office, scheme, year, meeting_date, note, entries, user, expected_version
):
    """entries: {report id: (priority or None, note)}. Everything is saved, or nothing."""
    ForumRecommendation.objects.get_or_create(county_office=county_office, scheme=scheme, year=year)
    with locked_transaction():
        recommendation = ForumRecommendation.objects.select_for_update().get(
            county_office=county_office, scheme=scheme, year=year
        )
        if expected_version is not None and expected_version != recommendation.lock_version:
            raise Refused(
                _(
                    "Someone else recorded the recommendation while you typed. Nothing was "
                    "saved: see their version and enter yours again."
                )
            )
        reports = list(recommendation_reports(county_office, scheme, year))
        priorities_set(reports=reports, entries=entries, user=user)
        old = (recommendation.meeting_date, recommendation.note)
        recommendation.meeting_date, recommendation.note = meeting_date, note
        recommendation.recorded_by, recommendation.recorded_at = user, timezone.now()
        recommendation.lock_version += 1
        recommendation.save()
        recommendation.recusals.all().delete()
        Recusal.objects.bulk_create(
            Recusal(recommendation=recommendation, report=r, user=u, role=role, reason=reason)
            for r, u, role, reason in recusals_for(county_office, reports)
        )
        audit(
            actor=user,
            county_office=county_office,
            subject=_("Forum recommendation %(scheme)s %(year)s")
            % {"scheme": scheme.short_name, "year": year},
            old=f"{old[0] or '–'} {old[1]}".strip(),
            new=f"{meeting_date or '–'} {note}".strip(),
        )
    return recommendation
