"""Impartiality (forvaltningsloven § 6): whoever declared a tie to a report's partnership, to
one of its owners or to its UH partners may not rank, allocate or decide on it.

The ties are data (partnerships.Tie, declared by each forum member and case officer on a page
of their own). The services that rank, allocate, decide and approve change requests call
`refuse_if_tied` under the report's lock; the pages show the same reason beforehand
(`ties_by_report`); the forum's recommendation records who stepped aside (`recusals_for`).
"""

from collections import defaultdict

from django.utils.translation import gettext as _

from partnerships.models import CountyMembership, ForumMembership, Partnership, Tie
from portal.workflow import Refused


def tie_reason(tie):
    """Why the tie's holder steps aside, in a sentence for the page and the record."""
    return _("declared tie to %(party)s: %(tie)s") % {"party": tie.party, "tie": tie.description}


class Tied(Refused):
    def __init__(self, tie, report):
        self.tie = tie
        super().__init__(
            _(
                "You may not rank, allocate or decide on the report from %(partnership)s: "
                "you have a %(reason)s (forvaltningsloven § 6). Another case officer must "
                "do it. Nothing was changed."
            )
            % {"partnership": report.partnership.name, "reason": tie_reason(tie)}
        )


def refuse_if_tied(report, user):
    """Call under the report's lock, before a ranking, allocation or decision is written."""
    tie = report.tie_of(user)
    if tie is not None:
        raise Tied(tie, report)


def _parties(partnership_ids):
    """{partnership id: ({organisation ids}, partnership id)}: its owners and UH partners."""
    organisations = defaultdict(set)
    for through in (Partnership.owners.through, Partnership.uh_partners.through):
        rows = through.objects.filter(partnership__in=partnership_ids)
        for partnership_id, organisation_id in rows.values_list(
            "partnership_id", "organisation_id"
        ):
            organisations[partnership_id].add(organisation_id)
    return organisations


def _first_tie(ties, partnership_id, organisations):
    return next(
        (
            tie
            for tie in ties
            if tie.partnership_id == partnership_id or tie.organisation_id in organisations
        ),
        None,
    )


def ties_by_report(user, reports):
    """{report id: the user's tie} for the reports (with `partnership_id`) the user may not
    rank, allocate or decide on. One query when the user declared no tie."""
    ties = list(Tie.objects.filter(user=user).select_related("organisation", "partnership"))
    if not ties:
        return {}
    organisations = _parties({r.partnership_id for r in reports})
    found = {}
    for report in reports:
        tie = _first_tie(ties, report.partnership_id, organisations[report.partnership_id])
        if tie is not None:
            found[report.pk] = tie
    return found


def recusals_for(county_office, reports):
    """[(report, user, role, reason)]: the forum members and case officers of the county
    office who have a declared tie to one of the reports, and so stepped aside from it."""
    forum = ForumMembership.objects.filter(county_office=county_office)
    officers = CountyMembership.objects.filter(county_office=county_office)
    forum_ids = set(forum.values_list("user_id", flat=True))
    officer_ids = set(officers.values_list("user_id", flat=True))
    ties = list(
        Tie.objects.filter(user__in=forum_ids | officer_ids)
        .select_related("user", "organisation", "partnership")
        .order_by("user__username", "pk")
    )
    if not ties:
        return []
    organisations = _parties({r.partnership_id for r in reports})
    found = []
    for report in reports:
        for user_id in dict.fromkeys(t.user_id for t in ties):
            mine = [t for t in ties if t.user_id == user_id]
            tie = _first_tie(mine, report.partnership_id, organisations[report.partnership_id])
            if tie is not None:
                role = "forum" if user_id in forum_ids else "officer"
                found.append((report, tie.user, role, tie_reason(tie)))
    return found
