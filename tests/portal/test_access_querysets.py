"""Per model, the rows `visible_to` and `editable_by` give each member of the standard cast
(tests/conftest.py): the one place where access is decided."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import AnonymousUser
from django.utils import timezone

from measures.models import Measure
from needs.models import AuditEntry, Comment, Frame, NeedReport
from partnerships.models import (
    CalendarFeedToken,
    CountyMembership,
    CountyOffice,
    Organisation,
    Partnership,
    PlannedActivity,
    RuleSettings,
)
from portal.models import User
from reporting.annual_models import AnnualReport
from reporting.models import ExportJob
from tests.factories import scheme
from tests.needs.conftest import make_report

pytestmark = pytest.mark.django_db
ROLES = ("alice", "ulla", "bob", "olga", "otto", "root")
S = NeedReport.Status


def _rows(cast, queryset_of):
    """{role: set of rows} for every role of the cast and the anonymous user."""
    rows = {role: set(queryset_of(getattr(cast, role))) for role in ROLES}
    rows["anonymous"] = set(queryset_of(AnonymousUser()))
    return rows


@pytest.fixture
def reports(cast):
    return {
        "a_draft": make_report(cast.partnership_a, year=2024, status=S.DRAFT, measures=[(1, 2)]),
        "a_returned": make_report(cast.partnership_a, year=2023, status=S.RETURNED),
        "a_submitted": make_report(cast.partnership_a, year=2022, status=S.SUBMITTED),
        "a_allocated": make_report(cast.partnership_a, year=2021, status=S.ALLOCATED),
        "b_draft": make_report(cast.partnership_b, year=2024, status=S.DRAFT, measures=[(1, 2)]),
        "b_submitted": make_report(cast.partnership_b, year=2022, status=S.SUBMITTED),
    }


def _names(reports, rows):
    return {name for name, report in reports.items() if report in rows}


def test_need_reports(cast, reports):
    seen = _rows(cast, NeedReport.objects.visible_to)
    a_all = {"a_draft", "a_returned", "a_submitted", "a_allocated"}
    expected = {
        "alice": a_all,
        "ulla": a_all,
        "bob": {"b_draft", "b_submitted"},
        "olga": a_all - {"a_draft"},  # officers never see drafts
        "otto": {"b_submitted"},
        "root": set(reports),
        "anonymous": set(),
    }
    assert {role: _names(reports, rows) for role, rows in seen.items()} == expected
    changed = _rows(cast, NeedReport.objects.editable_by)
    assert {role: _names(reports, rows) for role, rows in changed.items()} == {
        "alice": {"a_draft", "a_returned"},  # coordinators, while draft or returned
        "ulla": set(),
        "bob": {"b_draft"},
        "olga": set(),
        "otto": set(),
        "root": set(),
        "anonymous": set(),
    }
    reviewed = _rows(cast, NeedReport.objects.reviewable_by)
    assert _names(reports, reviewed["olga"]) == {"a_returned", "a_submitted", "a_allocated"}
    assert _names(reports, reviewed["alice"]) == set()
    shown = _rows(cast, NeedReport.objects.allocations_shown_to)
    assert {role: _names(reports, rows) for role, rows in shown.items()} == {
        # Members see allocations once decided; the county office while it works on them.
        "alice": {"a_allocated"},
        "ulla": {"a_allocated"},
        "bob": set(),
        "olga": {"a_returned", "a_submitted", "a_allocated"},
        "otto": {"b_submitted"},
        "root": set(reports),
        "anonymous": set(),
    }


def test_measures_follow_their_report(cast, reports):
    a_measure = Measure.objects.get(report=reports["a_draft"])
    b_measure = Measure.objects.get(report=reports["b_draft"])
    seen = _rows(cast, Measure.objects.visible_to)
    assert seen["alice"] == {a_measure} and seen["bob"] == {b_measure}
    assert seen["olga"] == set() and seen["root"] == {a_measure, b_measure}
    changed = _rows(cast, Measure.objects.editable_by)
    assert changed["alice"] == {a_measure} and changed["ulla"] == set()
    assert changed["root"] == set() and changed["olga"] == set()


def test_organisations(cast):
    seen = _rows(cast, Organisation.objects.visible_to)
    assert seen["olga"] == {cast.owner_a1, cast.owner_a2, cast.uh}
    assert seen["otto"] == {cast.owner_b, cast.uh}
    assert seen["alice"] == seen["anonymous"] == set()
    assert seen["root"] == set(Organisation.objects.all())
    changed = _rows(cast, Organisation.objects.editable_by)
    assert changed["olga"] == {cast.owner_a1, cast.owner_a2}  # never the shared UH
    assert changed["otto"] == {cast.owner_b}
    assert changed["root"] == set(Organisation.objects.all())
    assert changed["alice"] == changed["bob"] == set()


def test_partnerships_and_county_offices(cast):
    seen = _rows(cast, Partnership.objects.visible_to)
    assert seen["alice"] == seen["ulla"] == seen["olga"] == {cast.partnership_a}
    assert seen["bob"] == seen["otto"] == {cast.partnership_b}
    assert seen["root"] == {cast.partnership_a, cast.partnership_b}
    changed = _rows(cast, Partnership.objects.editable_by)
    assert changed["olga"] == {cast.partnership_a} and changed["alice"] == set()
    assert changed["root"] == {cast.partnership_a, cast.partnership_b}
    offices = _rows(cast, CountyOffice.objects.editable_by)
    assert offices["olga"] == {cast.county_a} and offices["otto"] == {cast.county_b}
    assert offices["alice"] == set() and offices["root"] == {cast.county_a, cast.county_b}
    assert CountyOffice.objects.editable_by(cast.alice).query.is_empty()  # no query needed
    coordinated = _rows(cast, Partnership.objects.coordinated_by)
    assert coordinated["alice"] == {cast.partnership_a} and coordinated["bob"] == {
        cast.partnership_b
    }
    assert coordinated["ulla"] == coordinated["olga"] == coordinated["root"] == set()
    assert Partnership.objects.coordinated_by(cast.ulla).query.is_empty()  # no query needed


def test_county_office_choices(cast):
    """A filter offers offices to choose between only to someone with more than one."""
    choices = _rows(cast, CountyOffice.objects.choices_for)
    assert choices["root"] == {cast.county_a, cast.county_b}
    assert all(choices[role] == set() for role in ("olga", "otto", "alice", "anonymous"))
    assert CountyOffice.objects.choices_for(cast.olga).query.is_empty()  # no query needed
    olga = User.objects.get(pk=cast.olga.pk)  # roles are read once per user object
    CountyMembership.objects.create(county_office=cast.county_b, user=olga)
    assert set(CountyOffice.objects.choices_for(olga)) == {cast.county_a, cast.county_b}


def test_calendar_feed_tokens_are_their_owners(cast):
    mine = CalendarFeedToken.objects.create(user=cast.alice, token_hash="a" * 64)
    CalendarFeedToken.objects.create(user=cast.olga, token_hash="b" * 64)
    for method in (CalendarFeedToken.objects.visible_to, CalendarFeedToken.objects.editable_by):
        got = _rows(cast, method)
        assert got["alice"] == {mine}
        assert got["root"] == got["bob"] == got["anonymous"] == set()


def test_county_work_rule_settings_frames_audit_and_exports(cast):
    dekom = scheme("dekom")
    rows = [
        RuleSettings.objects.create(county_office=cast.county_a, scheme=dekom, year=2024),
        Frame.objects.create(county_office=cast.county_a, scheme=dekom, year=2024),
        AuditEntry.objects.create(county_office=cast.county_a, subject="x"),
        ExportJob.objects.create(county_office=cast.county_a, scheme=dekom, year=2024),
    ]
    for row in rows:
        model = type(row)
        for method in (model.objects.visible_to, model.objects.editable_by):
            got = _rows(cast, method)
            assert got["olga"] == got["root"] == {row}, model
            assert got["otto"] == got["alice"] == got["anonymous"] == set(), model


def test_annual_reports(cast, reports):
    annual = AnnualReport.objects.create(need_report=reports["a_allocated"])
    seen = _rows(cast, AnnualReport.objects.visible_to)
    assert seen["alice"] == seen["ulla"] == seen["root"] == {annual}
    assert seen["olga"] == set()  # a draft
    assert seen["bob"] == seen["otto"] == set()
    assert _rows(cast, AnnualReport.objects.editable_by)["alice"] == {annual}
    annual.status = AnnualReport.Status.SUBMITTED
    annual.save()
    assert _rows(cast, AnnualReport.objects.visible_to)["olga"] == {annual}
    assert all(rows == set() for rows in _rows(cast, AnnualReport.objects.editable_by).values())


def test_comments(cast, reports):
    draft_comment = Comment.objects.create(report=reports["a_draft"], author=cast.alice, text="a")
    submitted = Comment.objects.create(report=reports["a_submitted"], author=cast.ulla, text="b")
    seen = _rows(cast, Comment.objects.visible_to)
    assert seen["alice"] == seen["ulla"] == {draft_comment, submitted}
    assert seen["olga"] == {submitted} and seen["otto"] == seen["bob"] == set()
    changed = _rows(cast, Comment.objects.editable_by)
    assert changed["alice"] == {draft_comment} and changed["ulla"] == {submitted}
    assert changed["root"] == set()


def test_planned_activities(cast):
    start = timezone.now()
    by_alice, by_ulla = (
        PlannedActivity.objects.create(
            partnership=cast.partnership_a,
            title=title,
            kind=PlannedActivity.Kind.MEETING,
            starts_at=start,
            ends_at=start + timedelta(hours=1),
            created_by=author,
        )
        for title, author in (("Samling", cast.alice), ("Fagdag", cast.ulla))
    )
    seen = _rows(cast, PlannedActivity.objects.visible_to)
    assert seen["alice"] == seen["ulla"] == seen["olga"] == seen["root"] == {by_alice, by_ulla}
    assert seen["bob"] == seen["otto"] == set()
    changed = _rows(cast, PlannedActivity.objects.editable_by)
    assert changed["alice"] == {by_alice, by_ulla}  # coordinators: every activity
    assert changed["ulla"] == {by_ulla}  # UH contacts: those they added
    assert changed["olga"] == changed["root"] == set()  # the county office only reads
    assert set(Partnership.objects.plannable_by(cast.ulla)) == {cast.partnership_a}
    assert not Partnership.objects.plannable_by(cast.olga).exists()
