"""Who may see and do what with an annual report (the reporting app's access helper).

The annual report belongs to an allocated need report, so reaching it starts from the
need report: outside the user's reach -> 404 (needs.access). Case officers see the
status of a draft but not its content; writes by someone who may only read -> 403.
"""

from django.core.exceptions import PermissionDenied
from django.http import Http404

from needs.access import get_report_for_user
from needs.models import NeedReport
from portal.workflow import OFFICER

from .annual_models import AnnualReport


def annual_of(need_report, user=None):
    """The need report's annual report or None; for `user`, with `may_see` and `may_change`
    (AnnualReport.visible_to / editable_by) in the same query."""
    if user is None:
        try:
            return need_report.annual_report
        except AnnualReport.DoesNotExist:
            return None
    annual = AnnualReport.objects.with_access(user).filter(need_report=need_report).first()
    if annual is not None:
        annual.need_report = need_report
        need_report.annual_report = annual
    return annual


def _may(annual, flag, queryset):
    value = getattr(annual, flag, None)
    if value is not None:
        return value
    return queryset.filter(pk=annual.pk).exists()


def can_read(user, need_report, annual):
    """The content: AnnualReport.visible_to (members always; the county office once it has
    been submitted)."""
    if annual is None:
        return False
    return _may(annual, "may_see", AnnualReport.objects.visible_to(user))


# Who may take which step is the workflow's table (portal/workflow.py).


def can_edit(user, need_report, annual):
    """AnnualReport.editable_by; before there is one, the workflow's "start_annual"
    (coordinators, once the need report is allocated)."""
    if annual is None:
        return need_report.allows("start_annual", user)
    return _may(annual, "may_change", AnnualReport.objects.editable_by(user))


def can_confirm(user, need_report, annual):
    return annual is not None and annual.allows("confirm_uh", user)


def can_review(user, need_report, annual):
    return annual is not None and (annual.allows("return", user) or annual.allows("approve", user))


def is_reviewer(user, need_report, annual):
    """The county office's officers, in any state: a review posted from a page loaded before
    someone else acted is refused by the workflow with its message, not with a bare 403."""
    return annual is not None and OFFICER in annual.roles_of(user)


def get_annual_for_user(request, pk, check=None):
    """(need report, annual report or None) for an allocated need report the user can see.

    `check(user, need_report, annual)` guards a write: False -> 403.
    """
    need_report = get_report_for_user(request, pk)
    if need_report.status != NeedReport.Status.ALLOCATED:
        raise Http404("Only allocated need reports have an annual report.")
    annual = annual_of(need_report, request.user)
    if check is not None and not check(request.user, need_report, annual):
        raise PermissionDenied
    return need_report, annual
