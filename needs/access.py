from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404

from partnerships.models import Membership
from portal.access import is_officer_of, member_roles

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
    """Coordinators of the partnership edit drafts and returned reports; nobody else does."""
    return report.is_editable and is_coordinator(user, report.partnership_id)


def get_report_for_user(request, pk, write=False):
    """404 outside the user's reach; 403 on a write by someone who may only read.

    The report comes with its partnership, region, county office and scheme, and `has_uh`.
    """
    report = get_object_or_404(
        NeedReport.objects.visible_to(request.user)
        .select_related("partnership__region__county_office", "scheme")
        .with_uh_flag(),
        pk=pk,
    )
    if write and not can_edit_report(request.user, report):
        raise PermissionDenied
    return report
