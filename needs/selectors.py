"""Reads that cross relations: the figures shown on a report page, in a fixed number of queries."""

from dataclasses import dataclass, field

from django.db.models import Count, Exists, FilteredRelation, OuterRef, Q, Subquery, Sum
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _

from measures.models import Measure
from partnerships.models import CountyOffice, Partnership, RuleSettings, Scheme

from . import rules
from .findings import describe, rule_title
from .models import Comment, CommentRead, NeedReport, UhConfirmation


@dataclass
class ShownFinding:
    code: str
    title: str
    text: str
    excepted: bool
    exception_text: str = ""


@dataclass
class ReportSummary:
    report: NeedReport
    measures: list
    ruleset: rules.RuleSet
    findings: list
    shown: list
    blocking: list
    scheme_rows: list = field(default_factory=list)
    sum_row: tuple = (0, 0, 0)

    @property
    def owner(self):
        return sum(m.owner_amount for m in self.measures)

    @property
    def uh(self):
        return sum(m.uh_amount for m in self.measures)

    @property
    def total(self):
        return self.owner + self.uh

    @property
    def allocated_owner(self):
        return sum(m.allocation.owner_amount for m in self.measures if hasattr(m, "allocation"))

    @property
    def allocated_uh(self):
        return sum(m.allocation.uh_amount for m in self.measures if hasattr(m, "allocation"))


def ruleset_for(report):
    """The rule set of the report's county, scheme and year (the settings the report loader
    brought along, NeedReport.with_rule_settings, when it did)."""
    settings = report.rule_settings() or RuleSettings.for_report(
        report.partnership.region.county_office_id, report.scheme_id, report.year
    )
    return rules.RuleSet(
        min_uh_share_percent=settings.min_uh_share_percent,
        cofinancing_percent=settings.cofinancing_percent,
        coordinator_cap=settings.coordinator_cap,
        max_measure_amount=settings.max_measure_amount,
    )


def figures_of(measures):
    return [
        rules.MeasureFigures(
            owner=m.owner_amount,
            uh=m.uh_amount,
            coordinator=m.coordinator_amount or 0,
            label=m.name or f"#{index}",
        )
        for index, m in enumerate(measures, start=1)
    ]


def scheme_summary(partnership_id, year):
    """Rows Regional / Desentralisert / Kompetanseløftet and Sum, columns owner / UH / total:
    one query, the stored totals of the partnership's reports of the year, per scheme."""
    rows = (
        Scheme.objects.annotate(
            year_report=FilteredRelation(
                "needreport",
                condition=Q(needreport__partnership_id=partnership_id, needreport__year=year),
            )
        )
        .annotate(
            owner=Coalesce(Sum("year_report__requested_owner"), 0),
            uh=Coalesce(Sum("year_report__requested_uh"), 0),
        )
        .order_by("order", "pk")
        .values_list("summary_label", "owner", "uh")
    )
    rows = [(label, owner, uh, owner + uh) for label, owner, uh in rows]
    sum_row = tuple(sum(row[i] for row in rows) for i in (1, 2, 3))
    return rows, sum_row


# Long texts a page of totals and findings never shows: left out of its measure query.
PAGE_DEFERRED_FIELDS = (
    "anchoring",
    "collective_development",
    "teacher_education",
    "long_term_plan",
    "coordinator_justification",
    "cont1_owner_reason",
    "cont1_uh_reason",
    "cont2_owner_reason",
    "cont2_uh_reason",
    "cont3_owner_reason",
    "cont3_uh_reason",
)


# What `figures_of` reads of a measure: all that the summary partial (totals, rule check,
# scheme table) needs of them.
FIGURE_FIELDS = ("report_id", "position", "name", "owner_amount", "uh_amount", "coordinator_amount")


def report_summary(report, measures=None, *, for_page=False, figures_only=False):
    """Totals, findings and the scheme summary of a report.

    `for_page`: the measures are for showing totals and checking completeness only, so their
    long narrative texts are not loaded (never use that for snapshots or exports).
    `figures_only`: the measures are for the summary partial alone (its refresh after each
    autosave), so only their figures are loaded, without their allocations.
    """
    if measures is None:
        if figures_only:
            queryset = report.measures.only(*FIGURE_FIELDS)
        else:
            queryset = report.measures.select_related("allocation")
        if for_page and not figures_only:
            queryset = queryset.defer(*PAGE_DEFERRED_FIELDS)
        measures = list(queryset)
    ruleset = ruleset_for(report)
    findings = rules.check_report(figures_of(measures), ruleset, report.cofinancing_amount)
    exceptions = {e.code: e for e in report.exceptions.all()}
    shown = [
        ShownFinding(
            code=f.code,
            title=rule_title(f.code),
            text=describe(f),
            excepted=f.code in exceptions,
            exception_text=exceptions[f.code].justification if f.code in exceptions else "",
        )
        for f in findings
    ]
    rows, sum_row = scheme_summary(report.partnership_id, report.year)
    return ReportSummary(
        report=report,
        measures=measures,
        ruleset=ruleset,
        findings=findings,
        shown=shown,
        blocking=rules.blocking(findings, exceptions.keys()),
        scheme_rows=rows,
        sum_row=sum_row,
    )


# The collaboration on a report or on its annual report -----------------------------------


def thread_of(subject):
    """The keys of a subject's comments, read marks and confirmations: a need report, or its
    annual report (with `report` its need report)."""
    if isinstance(subject, NeedReport):
        return {"report": subject, "annual_report": None}
    return {"report": subject.need_report, "annual_report": subject}


def amounts_of(measures):
    """{measure id: [amounts]} of the measures with any amount: what a UH confirmation covers.

    Measures without amounts are left out, so adding an empty measure changes nothing.
    """
    return {str(m.pk): m.amounts() for m in measures if any(m.amounts())}


def current_amounts(subject, measures=None):
    """(amounts a UH confirmation covers now, the measures in order, the amount fields)."""
    if not isinstance(subject, NeedReport):
        return subject.uh_amounts()
    measures = list(subject.measures.all()) if measures is None else measures
    return amounts_of(measures), measures, Measure.AMOUNT_FIELDS


@dataclass
class ConfirmationState:
    required: bool
    confirmation: object  # the latest UhConfirmation, or None
    next_version: int
    problem: str = ""  # why the report is not confirmed for submission; "" when it is

    @property
    def valid(self):
        return self.required and not self.problem

    @property
    def cleared(self):
        """Cleared by a change of amounts since the UH confirmed this version."""
        c = self.confirmation
        return c is not None and c.is_cleared and c.version_number == self.next_version


def confirmation_state(subject, measures=None, *, next_version=None):
    """Whether the UH has confirmed what would be submitted now (the next version's amounts),
    of a need report (with its `measures` when loaded) or of an annual report."""
    if next_version is None:
        next_version = subject.next_version_number()
    report = thread_of(subject)["report"]
    required = getattr(report, "has_uh", None)
    if required is None:
        required = report.partnership.uh_partners.exists()
    confirmations = UhConfirmation.objects.filter(**thread_of(subject))
    confirmation = confirmations.select_related("confirmed_by", "cleared_by").first()
    confirmation = confirmation if required else None
    state = ConfirmationState(required, confirmation, next_version)
    if not required:
        return state
    if confirmation is None or confirmation.version_number != next_version:
        state.problem = _("The UH contact has not yet confirmed the UH part of this version.")
    elif confirmation.is_cleared:
        state.problem = _(
            "The UH confirmation was cleared because amounts changed. "
            "The UH contact must confirm again."
        )
    elif confirmation.amounts != current_amounts(subject, measures)[0]:
        state.problem = _(
            "Amounts have changed since the UH contact confirmed. "
            "The UH contact must confirm again."
        )
    return state


def report_comments(subject, measure=None, *, reader=None, measures=None):
    """The thread of a need report or an annual report, oldest first. With `reader`, each
    comment carries `last_read`: when that user last read the thread (one query for both).

    A comment's measure is taken from `measures` (the report's, already loaded) or is
    `measure`, rather than joined: a measure row is wide and the page has them anyway.
    """
    thread = thread_of(subject)
    comments = Comment.objects.filter(**thread).select_related("author")
    if measure is not None:
        comments = comments.filter(measure=measure)
    elif measures is None:
        comments = comments.select_related("measure")
    if reader is not None:
        comments = comments.annotate(
            last_read=Subquery(
                CommentRead.objects.filter(user=reader, **thread).values("last_read_at")[:1]
            )
        )
    comments = list(comments)
    if measure is not None or measures is not None:
        by_id = {measure.pk: measure} if measure is not None else {m.pk: m for m in measures}
        for comment in comments:
            if comment.measure_id in by_id:
                comment.measure = by_id[comment.measure_id]
    return comments


def is_unread(comment, user, last_read):
    return (
        not comment.is_deleted
        and comment.author_id != user.pk
        and (last_read is None or comment.created_at > last_read)
    )


def unread_comment_counts(user):
    """{report id: number of unread comments} on the reports the user works with.

    Comment.visible_to: members' partnerships and officers' counties (not drafts); an
    administrator only their own partnerships', not every report they could open. One query.
    """
    comments = Comment.objects.visible_to(user)
    if user.is_superuser:
        # An administrator follows the threads of their own partnerships, not every report.
        comments = comments.filter(report__partnership__in=Partnership.objects.member_of(user))
    elif (
        Partnership.objects.member_of(user).query.is_empty()
        and CountyOffice.objects.editable_by(user).query.is_empty()
    ):
        return {}  # no partnership and no county office: no threads to follow
    # Unread: no read mark at or after the comment. NOT EXISTS becomes an anti-join with the
    # user's few read marks, not a subquery per comment of the whole table (issue 9).
    # The need reports' threads (an annual report's unread comments show on its own page).
    read = CommentRead.objects.filter(
        user=user,
        report=OuterRef("report_id"),
        annual_report=None,
        last_read_at__gte=OuterRef("created_at"),
    )
    rows = (
        comments.filter(~Exists(read), deleted_at__isnull=True, annual_report=None)
        .exclude(author=user)
        .values("report_id")
        .annotate(unread=Count("pk"))
        .order_by()
    )
    return {row["report_id"]: row["unread"] for row in rows}
