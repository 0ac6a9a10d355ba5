from partnerships.models import Membership
from portal.access import get_visible_or_404, is_officer_of, member_roles

from .models import NeedReport


def is_coordinator(user, partnership_id):
    return Membership.Role.COORDINATOR in member_roles(user).get(partnership_id, ())


def is_uh_contact(user, partnership_id):
    return Membership.Role.UH_CONTACT in member_roles(user).get(partnership_id, ())


def can_comment(user, report):
    """Members of the partnership, and the county office once the report is submitted."""
    if report.partnership_id in member_roles(user):
        return True
    return report.status != NeedReport.Status.DRAFT and is_officer_of(
        user, report.partnership.region.county_office_id
    )


def can_confirm(user, report):
    """Only the partnership's UH contacts confirm the UH part, and only while it can change."""
    return report.is_editable and is_uh_contact(user, report.partnership_id)


def can_edit_report(user, report):
    """Coordinators of the partnership edit drafts and returned reports (NeedReport.editable_by)."""
    may_change = getattr(report, "may_change", None)
    if may_change is not None:
        return may_change
    return NeedReport.objects.editable_by(user).filter(pk=report.pk).exists()


def get_report_for_user(request, pk, write=False):
    """404 outside `NeedReport.visible_to`; 403 on a write outside `editable_by`.

    The report comes in one query with its partnership, region, county office and scheme,
    `has_uh`, `may_change` (editable_by) and the rule settings in force (`rule_settings()`,
    unsaved defaults when the county set none) that `ruleset_for` takes instead of a query
    of its own.
    """
    queryset = (
        NeedReport.objects.visible_to(request.user)
        .with_access(request.user)
        .select_related("partnership__region__county_office", "scheme")
        .with_uh_flag()
        .with_rule_settings()
    )
    return get_visible_or_404(queryset, pk, write=write, user=request.user)
