from portal.access import get_visible_or_404

from .models import ChangeRequest, NeedReport

# Who may take which step (comment, confirm, submit, review) is the workflow's table
# (portal/workflow.py); who may see and change a report, NeedReport's QuerySet.


def can_comment(user, report):
    return report.allows("comment", user)


def can_confirm(user, report):
    return report.allows("confirm_uh", user)


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


def get_change_for_user(request, pk, write=False):
    """A change request: 404 outside `ChangeRequest.visible_to`; 403 on a write outside
    `editable_by` (the coordinators, while it is a draft)."""
    queryset = ChangeRequest.objects.visible_to(request.user).select_related(
        "report__partnership__region__county_office", "report__scheme", "created_by"
    )
    return get_visible_or_404(queryset, pk, write=write, user=request.user)
