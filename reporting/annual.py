"""The annual report's services: start, save, confirm, submit, return, approve and deadlines.
What they read comes from annual_selectors.py; the deadline and its reminders are
reporting.Deadline's (deadlines.py, kind annual_report). Comments,
read marks and the UH confirmation are needs.collaboration's, as for the need report.
"""

from django.utils import timezone
from django.utils.translation import gettext as _

from needs.collaboration import clear_confirmation_if_changed, uh_confirm
from needs.services import save_if_current, workflow_reports
from portal.money import format_kroner
from portal.notifications import notify, officers_for, recipients_for
from portal.workflow import Refused, acting_on

from .annual_models import (
    AnnualMeasure,
    AnnualReport,
    AnnualReportVersion,
)
from .annual_selectors import (
    annual_summary,
    annual_url,
    build_snapshot,
    submission_problems,
    uh_amounts_filled_in,
    uh_confirmation,
)
from .deadlines import annual_deadline_set


class AnnualReportError(Refused):
    """A refused action, with the reasons for the user."""

    def __init__(self, problems):
        if isinstance(problems, str):
            problems = [problems]
        super().__init__(" ".join(str(p) for p in problems))
        self.problems = problems


def workflow_annuals():
    """Annual reports as the workflow locks them, with what `roles_of` and services read."""
    return AnnualReport.objects.select_related(
        "need_report__partnership__region__county_office",
        "need_report__scheme",
    )


# Services --------------------------------------------------------------------------------


def annual_report_start(*, need_report, user):
    """The annual report of an allocated need report, with a line per measure."""
    with acting_on(workflow_reports(), need_report.pk, "start_annual", user) as need_report:
        return _start(need_report, user)


def _start(need_report, user):
    annual, created = AnnualReport.objects.get_or_create(
        need_report=need_report, defaults={"created_by": user}
    )
    if created:
        AnnualMeasure.objects.bulk_create(
            AnnualMeasure(annual_report=annual, measure=measure)
            for measure in need_report.measures.all()
        )
    return annual


def annual_report_save(*, annual, user, expected_version, fields, lines):
    """Save what is valid: `fields` of the annual report (already set on it) and
    `lines`: [(line, field names)], only if nobody saved since `expected_version`.

    Returns False (and saves nothing) on a conflict. A changed UH amount clears the UH
    confirmation.
    """
    with acting_on(workflow_annuals(), annual.pk, "edit", user) as locked:
        was_ready = uh_amounts_filled_in(locked)
        if not save_if_current(annual, expected_version, fields):
            return False
        for line, names in lines:
            if names:
                line.save(update_fields=names)
        cleared = clear_confirmation_if_changed(subject=locked, user=user)
        if cleared is not None:
            _ask_uh_to_confirm(locked, user, cleared=cleared)
        elif not was_ready and uh_amounts_filled_in(locked):
            _ask_uh_to_confirm(locked, user)
    return True


def _ask_uh_to_confirm(annual, user, cleared=None):
    """Tell the UH contacts that the annual report waits for their confirmation: the UH
    amounts are all filled in now, or a change of them `cleared` the confirmation."""
    state = uh_confirmation(annual)
    if not state.required or state.valid:
        return
    report = annual.need_report
    notify(
        "annual_confirmation",
        report,
        recipients_for(report.partnership, ["uh_contact"]),
        exclude=user,
        actor=user,
        cleared=cleared,
        url=annual_url(annual),
    )


def annual_report_confirm_uh(*, annual, user):
    """The UH contact confirms the UH spending as it is now (None if it already is)."""
    return uh_confirm(subject=annual, user=user, check=_uh_amounts_filled_in)


def _uh_amounts_filled_in(annual):
    if not uh_amounts_filled_in(annual):
        raise AnnualReportError(
            _("The coordinator must fill in what UH used before UH can confirm it.")
        )


def annual_report_submit(*, annual, user):
    """Submit as a new immutable version, or refuse with the reasons."""
    with acting_on(workflow_annuals(), annual.pk, "submit", user) as annual:
        return _submit(annual, user)


def _submit(annual, user):
    summary = annual_summary(annual)
    problems = submission_problems(annual, summary)
    if problems:
        raise AnnualReportError(problems)
    now = timezone.now()
    AnnualReportVersion.objects.create(
        annual_report=annual,
        number=annual.next_version_number(),
        snapshot=build_snapshot(annual, summary),
        submitted_at=now,
        submitted_by=user,
    )
    annual.status = annual.workflow.target("submit")
    annual.submitted_at = now
    annual.submitted_by = user
    annual.lock_version += 1
    annual.save(
        update_fields=["status", "submitted_at", "submitted_by", "lock_version", "updated_at"]
    )
    report = annual.need_report
    notify(
        "annual_submitted",
        report,
        officers_for(report.partnership.region.county_office),
        exclude=user,
        actor=user,
        url=annual_url(annual),
    )
    return annual


def annual_report_return(*, annual, user, message):
    with acting_on(workflow_annuals(), annual.pk, "return", user) as annual:
        return _return(annual, message)


def _return(annual, message):
    if not message.strip():
        raise AnnualReportError(_("Write a message to the coordinators about what to change."))
    annual.status = annual.workflow.target("return")
    annual.return_message = message.strip()
    annual.lock_version += 1
    annual.save(update_fields=["status", "return_message", "lock_version", "updated_at"])
    report = annual.need_report
    # The UH contacts hear of it too: a returned report usually needs their confirmation again.
    notify(
        "annual_decided",
        report,
        recipients_for(report.partnership, ["coordinator", "uh_contact"]),
        annual=annual,
        message=annual.return_message,
        url=annual_url(annual),
    )
    return annual


def annual_report_approve(*, annual, user, unused_handling=""):
    """Approve; when funds are unused the county office says what happens to them."""
    with acting_on(workflow_annuals(), annual.pk, "approve", user) as annual:
        return _approve(annual, user, unused_handling)


def _approve(annual, user, unused_handling):
    if uh_confirmation(annual).problem:
        raise AnnualReportError(
            _(
                "The UH contact has not confirmed the UH part of this annual report. Return it "
                "to the partnership so that the UH contact can confirm it."
            )
        )
    summary = annual_summary(annual)
    if unused_handling and unused_handling not in AnnualReport.UnusedHandling.values:
        raise AnnualReportError(_("Choose what happens to the unused funds."))
    if summary.totals.unused and not unused_handling:
        raise AnnualReportError(
            _("%(amount)s is unused: choose whether it is paid back or carried over.")
            % {"amount": format_kroner(summary.totals.unused)}
        )
    annual.status = annual.workflow.target("approve")
    annual.unused_handling = unused_handling if summary.totals.unused else ""
    annual.decided_at = timezone.now()
    annual.decided_by = user
    annual.lock_version += 1
    annual.save(
        update_fields=[
            "status",
            "unused_handling",
            "decided_at",
            "decided_by",
            "lock_version",
            "updated_at",
        ]
    )
    report = annual.need_report
    notify(
        "annual_decided",
        report,
        recipients_for(report.partnership, ["coordinator"]),
        annual=annual,
        unused=summary.totals.unused,
        url=annual_url(annual),
    )
    return annual


def deadline_set(*, county_office, year, due_date, user):
    """The annual-report deadline of a county's year: Deadline rows of kind annual_report,
    one per scheme (deadlines.annual_deadline_set)."""
    return annual_deadline_set(county_office=county_office, year=year, due_date=due_date, user=user)
