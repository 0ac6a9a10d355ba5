"""The permission matrix's table, part two: the entries added after the first ones (the
annual report, the activity plan, comments), added to MATRIX of permission_matrix_table.py.
test_permission_matrix.py imports MATRIX from here, so it has every entry. New entries go at
the end of this file (what an entry means: the top of tests/portal/test_permission_matrix.py).
"""

from tests.portal.permission_matrix_table import (
    A_READERS,
    HIDDEN,
    LOCKED,
    MATRIX,
    OFFICER_LIST,
    OFFICERS,
    OFFICERS_OF_A,
    OK,
    POST_ONLY,
    Entry,
    grid,
)

# New entries go at the end of this file (see the top of test_permission_matrix.py). ---------


# reporting: the annual report (rapport) of w.allocated. The state is set up by the `args`
# function, once per entry before the roles' requests (each of which is rolled back).


def annual_draft(w):
    """w.allocated's annual report: a complete draft."""
    from reporting.annual import annual_report_start

    annual = annual_report_start(need_report=w.allocated, user=w.alice)
    annual.lines.update(
        owner_used=20_000, uh_used=70_000, effect="Bedre lesing", process="Ok", structure="Ok"
    )
    annual.unused_note = "Rimeligere enn planlagt"
    annual.save()
    return annual


def annual_submitted(w):
    from reporting.annual import annual_report_confirm_uh, annual_report_submit

    draft = annual_draft(w)
    annual_report_confirm_uh(annual=draft, user=w.ulla)
    return annual_report_submit(annual=draft, user=w.alice)


ANNUAL_DRAFT_PAGE = grid(
    404, alice=OK, ulla=OK, olga=HIDDEN, root=OK, fiona=HIDDEN
)  # officers: status only
ANNUAL_WRITERS = grid(
    404, alice=OK, ulla=403, olga=403, root=403, fiona=403
)  # the coordinator only

MATRIX["reporting:annual_status"] = Entry(shows=lambda w: w.partnership_name, get=OFFICER_LIST)
MATRIX["reporting:annual_export"] = Entry(shows=lambda w: w.partnership_name, get=OFFICER_LIST)
MATRIX["reporting:annual_deadline"] = Entry(
    args=lambda w: [w.county_a.pk, 2024],
    get=POST_ONLY,
    post=OFFICERS_OF_A,
    data=lambda w: {f"office{w.county_a.pk}-due_date": "2025-02-01"},
)
MATRIX["reporting:annual_detail"] = Entry(
    args=lambda w: [annual_draft(w).need_report_id],
    shows=lambda w: "Bedre lesing",
    get=ANNUAL_DRAFT_PAGE,
)
MATRIX["reporting:annual_detail#submitted"] = Entry(
    args=lambda w: [annual_submitted(w).need_report_id],
    shows=lambda w: "Bedre lesing",
    get={**A_READERS, "fiona": HIDDEN},  # the forum does not read annual reports
)
MATRIX["reporting:annual_detail#not-started"] = Entry(
    args=lambda w: [w.allocated.pk],
    shows=lambda w: w.partnership_name,
    get=A_READERS,
)
MATRIX["reporting:annual_start"] = Entry(
    args=lambda w: [w.allocated.pk], get=POST_ONLY, post=ANNUAL_WRITERS
)
MATRIX["reporting:annual_edit"] = Entry(
    args=lambda w: [annual_draft(w).need_report_id],
    shows=lambda w: "Bedre lesing",
    get=ANNUAL_WRITERS,
    post=ANNUAL_WRITERS,
    data=lambda w: {"version": annual_draft(w).lock_version},
)
MATRIX["reporting:annual_edit#submitted"] = Entry(
    args=lambda w: [annual_submitted(w).need_report_id], get=LOCKED
)
MATRIX["reporting:annual_submit"] = Entry(
    args=lambda w: [annual_draft(w).need_report_id], get=POST_ONLY, post=ANNUAL_WRITERS
)
MATRIX["reporting:annual_confirm"] = Entry(
    args=lambda w: [annual_draft(w).need_report_id],
    get=POST_ONLY,
    post=grid(404, alice=403, ulla=OK, olga=403, root=403, fiona=403),
)
# The annual report's comments go through the need report's comment views (subject=annual).
MATRIX["needs:comment_add#annual"] = Entry(
    args=lambda w: [annual_draft(w).need_report_id],
    get=POST_ONLY,
    post=grid(404, alice=OK, ulla=OK, olga=403, root=403, fiona=403),
    data=lambda w: {"text": "Stemmer for UH", "subject": "annual"},
)
MATRIX["needs:comment_add#annual-submitted"] = Entry(
    args=lambda w: [annual_submitted(w).need_report_id],
    get=POST_ONLY,
    post=grid(404, alice=OK, ulla=OK, olga=OK, root=OK, fiona=403),
    data=lambda w: {"text": "Takk", "subject": "annual"},
)


def ulla_annual_comment(w):
    """The UH contact's comment on the draft annual report (the county office does not see it)."""
    from needs.collaboration import comment_create

    if not hasattr(w, "annual_comment"):
        w.annual_comment = comment_create(subject=annual_draft(w), user=w.ulla, text="Stemmer")
    return w.annual_comment


MATRIX["needs:comment_edit#annual"] = Entry(
    args=lambda w: [annual_draft(w).need_report_id, ulla_annual_comment(w).pk],
    shows=lambda w: "Stemmer",
    get=grid(404, alice=403, ulla=OK, root=403),
    post=grid(404, alice=403, ulla=OK, root=403),
    data=lambda w: {"text": "Stemmer for UH"},
)
MATRIX["needs:comment_delete#annual"] = Entry(
    args=lambda w: [annual_draft(w).need_report_id, ulla_annual_comment(w).pk],
    get=POST_ONLY,
    post=grid(404, alice=403, ulla=OK, root=403),
)
MATRIX["reporting:annual_review"] = Entry(
    args=lambda w: [annual_submitted(w).need_report_id],
    get=POST_ONLY,
    post=grid(404, alice=403, ulla=403, olga=OK, root=OK, fiona=403),
    data=lambda w: {"action": "approve", "unused_handling": "returned"},
)
MATRIX["reporting:annual_pdf"] = Entry(
    args=lambda w: [annual_draft(w).need_report_id],
    shows=lambda w: "Bedre lesing",
    get=grid(404, alice=OK, ulla=OK, root=OK),
)
MATRIX["reporting:annual_version_pdf"] = Entry(
    args=lambda w: [annual_submitted(w).need_report_id, 1],
    shows=lambda w: "Bedre lesing",
    get={**A_READERS, "fiona": 404},  # the forum does not read annual reports
)


# partnerships: the activity plan (/activity-plan/). Its objects are made by the `args`
# functions, like the annual report's above.

PLAN_TITLE = "Kompetansedag i matrisen"


def plan_activity(w):
    """An all-day activity of partnership A in August 2024, added by alice."""
    from datetime import date

    from partnerships.models_plan import PlannedActivity, local_datetime

    return PlannedActivity.objects.create(
        partnership=w.partnership_a,
        title=PLAN_TITLE,
        kind=PlannedActivity.Kind.COMPETENCE_DAY,
        starts_at=local_datetime(date(2024, 8, 13)),
        ends_at=local_datetime(date(2024, 8, 13)),
        all_day=True,
        created_by=w.alice,
    )


def plan_feed_token(w, revoke=False):
    from partnerships.services_plan import feed_token_create, feed_token_revoke

    plan_activity(w)
    token = feed_token_create(user=w.alice)
    if revoke:
        feed_token_revoke(user=w.alice)
    return token


def plan_form(w):
    return {
        "title": "Ledersamling i matrisen",
        "kind": "leader_meeting",
        "start_date": "2024-10-16",
        "start_time": "09:00",
        "end_time": "15:00",
    }


PLAN_READERS = grid(HIDDEN, alice=OK, ulla=OK, olga=OK, root=OK)  # lists: filtered
PLAN_A_READERS = grid(404, alice=OK, ulla=OK, olga=OK, root=OK)
PLAN_ADDERS = grid(404, alice=OK, ulla=OK, olga=403, root=403)  # members add
PLAN_EDITORS = grid(404, alice=OK, ulla=403, olga=403, root=403)  # alice's own activity

MATRIX["plan:half_year"] = Entry(
    args=lambda w: plan_activity(w) and [],
    query="?year=2024&half=autumn",
    shows=lambda w: PLAN_TITLE,
    get=PLAN_READERS,
)
MATRIX["plan:month"] = Entry(
    args=lambda w: plan_activity(w) and [],
    query="?year=2024&month=8",
    shows=lambda w: PLAN_TITLE,
    get=PLAN_READERS,
)
MATRIX["plan:pdf"] = Entry(
    args=lambda w: plan_activity(w) and [],
    query="?year=2024&half=autumn",
    shows=lambda w: PLAN_TITLE,
    get=PLAN_READERS,
)
MATRIX["plan:choose"] = Entry(get=grid(403, alice=302, ulla=302, bob=302))
MATRIX["plan:create"] = Entry(
    args=lambda w: [w.partnership_a.pk],
    shows=lambda w: 'name="title"',
    get=PLAN_ADDERS,
    post=PLAN_ADDERS,
    data=plan_form,
)
MATRIX["plan:detail"] = Entry(
    args=lambda w: [plan_activity(w).pk], shows=lambda w: PLAN_TITLE, get=PLAN_A_READERS
)
MATRIX["plan:edit"] = Entry(
    args=lambda w: [plan_activity(w).pk],
    shows=lambda w: PLAN_TITLE,
    get=PLAN_EDITORS,
    post=PLAN_EDITORS,
    data=plan_form,
)
MATRIX["plan:delete"] = Entry(
    args=lambda w: [plan_activity(w).pk],
    shows=lambda w: PLAN_TITLE,
    get=PLAN_EDITORS,
    post=PLAN_EDITORS,
)
MATRIX["plan:partnership_calendar"] = Entry(
    args=lambda w: plan_activity(w) and [w.partnership_a.pk],
    shows=lambda w: PLAN_TITLE,
    get=PLAN_A_READERS,
)
MATRIX["plan:feed_settings"] = Entry(
    shows=lambda w: 'name="action"',
    get=grid(OK),
    post=grid(OK),
    data=lambda w: {"action": "create"},
)
MATRIX["plan:feed"] = Entry(  # the token is the only credential: alice's feed for anyone
    args=lambda w: [plan_feed_token(w)],
    shows=lambda w: PLAN_TITLE,
    get=grid(OK, anonymous=OK),
)
MATRIX["plan:feed#revoked"] = Entry(
    args=lambda w: [plan_feed_token(w, revoke=True)], get=grid(404, anonymous=404)
)


# Comments and the UH confirmation (needs/views_comments.py), e-mail settings (portal) -------


def ulla_comment(w):
    """A comment by the UH contact on the draft's measure (only its author edits it)."""
    from needs.models import Comment

    if not hasattr(w, "comment"):
        w.comment = Comment.objects.create(
            report=w.draft, measure=w.draft_measure, author=w.ulla, text="Kan vi starte i august?"
        )
    return w.comment


# Members comment on drafts; the county office comments once the report is submitted.
MATRIX["needs:comment_add"] = Entry(
    args=lambda w: [w.draft.pk],
    get=POST_ONLY,
    post=grid(404, alice=OK, ulla=OK, root=403),
    data=lambda w: {"text": "En kommentar"},
)
MATRIX["needs:comment_add#submitted"] = Entry(
    args=lambda w: [w.submitted.pk],
    get=POST_ONLY,
    post=grid(
        404, alice=OK, ulla=OK, olga=OK, root=OK, fiona=OK
    ),  # admins act as the county office
    data=lambda w: {"text": "Et spørsmål fra Statsforvalteren"},
)
MATRIX["needs:comment_edit"] = Entry(
    args=lambda w: [w.draft.pk, ulla_comment(w).pk],
    shows=lambda w: "Kan vi starte i august?",
    get=grid(404, alice=403, ulla=OK, root=403),
    post=grid(404, alice=403, ulla=OK, root=403),
    data=lambda w: {"text": "Kan vi starte i september?"},
)
MATRIX["needs:comment_delete"] = Entry(
    args=lambda w: [w.draft.pk, ulla_comment(w).pk],
    get=POST_ONLY,
    post=grid(404, alice=403, ulla=OK, root=403),
)
MATRIX["needs:confirm"] = Entry(
    args=lambda w: [w.draft.pk], get=POST_ONLY, post=grid(404, alice=403, ulla=OK, root=403)
)
MATRIX["needs:confirm#submitted"] = Entry(
    args=lambda w: [w.submitted.pk],
    get=POST_ONLY,
    post=grid(404, alice=403, ulla=403, olga=403, root=403, fiona=403),
)
MATRIX["portal:notification_settings"] = Entry(
    shows=lambda w: 'value="comment"',
    get=grid(OK),
    post=grid(OK),
    data=lambda w: {"wanted": ["comment", "submitted"]},
)
# Log-in (accounts/): no OpenID Connect provider is configured in the matrix (tests/accounts
# has them); the answers without one are the same for everyone, logged in or not.
MATRIX["logout"] = Entry(get=grid(405), post=grid(OK))
MATRIX["accounts:oidc_start"] = Entry(args=lambda w: ["test"], get=grid(404, anonymous=404))
MATRIX["accounts:oidc_callback"] = Entry(get=grid(400, anonymous=400))
# Without a right password just given, the second step sends back to the log-in page.
MATRIX["accounts:otp_verify"] = Entry(get=grid(302, anonymous=302), post=grid(302, anonymous=302))
MATRIX["accounts:otp_enrol"] = Entry(get=grid(302, anonymous=302), post=grid(302, anonymous=302))
MATRIX["accounts:invitations"] = Entry(
    shows=lambda w: 'name="email"',
    get=OFFICERS,
    post=OFFICERS,
    data=lambda w: {
        "email": "ny@example.no",
        "role": "coordinator",
        "partnership": w.partnership_a.pk,
    },
)
MATRIX["accounts:invitation_accept"] = Entry(
    args=lambda w: ["not-a-token"], get=grid(404, anonymous=404)
)


# The samarbeidsforum, ties and change requests (issue 20: points 3 and 4) ------------------


def fiona_tie(w):
    """fiona's declared tie to one of A's owners (only she may remove it)."""
    from partnerships.models import Tie

    if not hasattr(w, "tie"):
        w.tie = Tie.objects.create(user=w.fiona, organisation=w.owner_a1, description="Styreleder")
    return w.tie


def recommendation(w):
    """The forum's recommendation for A's county, Dekom 2024 (w.submitted is in it)."""
    from needs.models import ForumRecommendation

    if not hasattr(w, "recommendation"):
        w.recommendation = ForumRecommendation.objects.create(
            county_office=w.county_a, scheme=w.submitted.scheme, year=w.submitted.year
        )
    return w.recommendation


def change_submitted(w):
    """A change request to the allocated report, filed and waiting for UH."""
    from needs.models import ChangeRequest

    if not hasattr(w, "change"):
        w.change = ChangeRequest.objects.create(
            report=w.allocated, status=ChangeRequest.Status.SUBMITTED, reason="Flytte midler"
        )
    return w.change


def change_draft(w):
    """A draft change request to another allocated report of A (Dekom 2023)."""
    from needs.models import ChangeRequest, NeedReport
    from tests.needs.conftest import make_allocation, make_measure, make_report

    if not hasattr(w, "change_draft"):
        report = make_report(
            w.partnership_a, scheme_code="dekom", year=2023, status=NeedReport.Status.ALLOCATED
        )
        w.draft_change_measure = make_measure(report, 50_000, 50_000, name="Lesing i fag")
        make_allocation(w.draft_change_measure, 50_000, 50_000)
        w.change_draft = ChangeRequest.objects.create(report=report)
    return w.change_draft


def change_draft_data(w):
    prefix = f"m{w.draft_change_measure.pk}"
    return {
        "version": "1",
        "reason": "Mer til UH",
        f"{prefix}-alloc_owner": "40 000",
        f"{prefix}-alloc_uh": "60 000",
        f"{prefix}-name": "Lesing i fag",
        f"{prefix}-target_group": "Lærere",
    }


MATRIX["partnerships:ties"] = Entry(
    shows=lambda w: 'name="description"',
    get=grid(403, olga=OK, otto=OK, root=OK, fiona=OK),
    post=grid(403, olga=OK, otto=OK, root=OK, fiona=OK),
    data=lambda w: {"organisation": w.owner_a1.pk, "description": "Gift med rådmannen"},
)
MATRIX["partnerships:tie_delete"] = Entry(
    args=lambda w: [fiona_tie(w).pk],
    get=POST_ONLY,
    post=grid(403, olga=404, otto=404, root=404, fiona=OK),
)
MATRIX["needs:recommendation"] = Entry(
    args=lambda w: [w.county_a.pk, "dekom", w.submitted.year],
    shows=lambda w: w.partnership_name,
    get=grid(404, olga=OK, root=OK, fiona=OK),
    post=grid(404, olga=OK, root=OK, fiona=403),
    data=lambda w: {
        "version": "1",
        "meeting_date": "2024-03-15",
        "note": "Enstemmig",
        "reports-TOTAL_FORMS": "1",
        "reports-INITIAL_FORMS": "1",
        "reports-0-report": str(w.submitted.pk),
        "reports-0-priority": "1",
        "reports-0-note": "Godt forankret",
    },
)
MATRIX["reporting:recommendation_pdf"] = Entry(
    args=lambda w: [recommendation(w).county_office_id, "dekom", recommendation(w).year],
    shows=lambda w: w.partnership_name,
    get=grid(404, olga=OK, root=OK, fiona=OK),
)
MATRIX["needs:change_create"] = Entry(
    args=lambda w: [w.allocated.pk],
    get=POST_ONLY,
    post=grid(404, alice=OK, ulla=403, olga=403, root=403, fiona=403),
)
MATRIX["needs:change_request"] = Entry(
    args=lambda w: [change_submitted(w).pk],
    shows=lambda w: "Flytte midler",
    get=grid(404, alice=OK, ulla=OK, olga=OK, root=OK),
)
MATRIX["needs:change_request#draft"] = Entry(
    args=lambda w: [change_draft(w).pk],
    shows=lambda w: w.partnership_name,
    get=grid(404, alice=OK, ulla=OK),
)
MATRIX["needs:change_edit"] = Entry(
    args=lambda w: [change_draft(w).pk],
    shows=lambda w: "Lesing i fag",
    get=grid(404, alice=OK, ulla=403),
    post=grid(404, alice=OK, ulla=403),
    data=change_draft_data,
)
MATRIX["needs:change_act"] = Entry(
    args=lambda w: [change_submitted(w).pk],
    get=POST_ONLY,
    post=grid(404, alice=403, ulla=OK, olga=403, root=403),
    data=lambda w: {"action": "confirm_uh"},
)
MATRIX["needs:commitment"] = Entry(
    args=lambda w: [w.commitment.pk],
    shows=lambda w: "Inkluderende praksis",
    get=OFFICERS_OF_A,
    post=OFFICERS_OF_A,
    data=lambda w: {"action": "adjust", "amount": "10 000", "reason": "Justert etter søknad"},
)
# Password reset (portal/login.py): open to everyone; an empty form comes back with its error,
# a link with a wrong token says so.
MATRIX["password_reset"] = Entry(
    shows=lambda w: 'name="email"', get=grid(OK, anonymous=OK), post=grid(OK, anonymous=OK)
)
MATRIX["password_reset_confirm"] = Entry(
    args=lambda w: ["MQ", "not-a-token"],
    shows=lambda w: "Be om en ny",
    get=grid(OK, anonymous=OK),
)
MATRIX["reporting:deadlines"] = Entry(
    shows=lambda w: "Frister",
    get=grid(403, olga=OK, otto=OK, root=OK),
    post=grid(403, olga=OK, otto=OK, root=OK),
    data=lambda w: {
        "county_office": w.county_a.pk,
        "scheme": w.frame.scheme_id,
        "year": 2025,
        "kind": "need_report",
        "due_date": "2025-02-01",
    },
)
MATRIX["partnerships:organisation_import_template_xlsx"] = Entry(
    shows=lambda w: "Organisasjonsnummer", get=OFFICERS
)
# front (issue 19): asking the UH contact to confirm; the accessibility statement (public).
MATRIX["needs:confirm_request"] = Entry(
    args=lambda w: [w.draft.pk], get=POST_ONLY, post=grid(404, alice=OK, ulla=403, root=403)
)
MATRIX["portal:accessibility"] = Entry(shows=lambda w: "WCAG 2.1", get=grid(OK, anonymous=OK))
