"""The permission matrix's table, part one: the outcomes, grid(), Entry, the shared grids and
the entries of the first URLs. What an entry means and how to add one: the top of
tests/portal/test_permission_matrix.py. New entries go at the end of
tests/portal/permission_matrix_entries.py, which adds its entries to this MATRIX.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

ROLES = ("anonymous", "alice", "ulla", "bob", "olga", "otto", "root", "fiona")

# Outcomes (plain ints 403, 404, 405 are outcomes too).
LOGIN = "login"
OK = "ok"
HIDDEN = "hidden"


@dataclass(frozen=True)
class ok:  # noqa: N801 - reads like the constant OK in the table
    """OK, but this role sees other data than the entry's `shows`: ok(lambda w: "...")."""

    text: Callable


def grid(default, *, anonymous=LOGIN, **roles):
    unknown = set(roles) - set(ROLES)
    if unknown:
        raise ValueError(f"Unknown role(s) {sorted(unknown)}; the roles are {ROLES}")
    return {"anonymous": anonymous, **{role: roles.get(role, default) for role in ROLES[1:]}}


@dataclass
class Entry:
    args: Callable[[Any], list] = lambda w: []
    shows: Callable[[Any], str] | None = None
    get: dict = field(default_factory=dict)
    post: dict | None = None
    data: Callable[[Any], dict] = lambda w: {}
    query: str = ""


# The table ---------------------------------------------------------------------------------

# Who sees partnership A's objects, and who may change them.
# fiona (county A's samarbeidsforum) reads A's submitted reports, as olga does.
A_READERS = grid(404, alice=OK, ulla=OK, olga=OK, root=OK, fiona=OK)  # submitted/allocated
DRAFT_READERS = grid(404, alice=OK, ulla=OK, root=OK)  # officers never see drafts
DRAFT_WRITERS = grid(404, alice=OK, ulla=403, root=403)  # only the coordinator writes
LOCKED = grid(404, alice=403, ulla=403, olga=403, root=403, fiona=403)  # a submitted report
POST_ONLY = grid(405)  # require_POST: GET is 405 once logged in
OFFICERS = grid(403, olga=OK, otto=OK, root=OK)  # officer pages without an object
OFFICERS_OF_A = grid(403, olga=OK, otto=404, root=OK)  # an object of A's county
OFFICER_LIST = grid(403, olga=OK, otto=HIDDEN, root=OK)  # filtered to the officer's county
USER_LIST = grid(HIDDEN, alice=OK, ulla=OK, olga=OK, root=OK, fiona=OK)  # what one sees
EVERYONE = grid(OK)

NORDLAND = "Statsforvalteren i Nordland"
MATRIX = {
    # portal
    "portal:dashboard": Entry(
        shows=lambda w: w.partnership_name,
        get=grid(
            HIDDEN,
            alice=OK,
            ulla=OK,
            olga=ok(lambda w: NORDLAND),
            otto=ok(lambda w: "Statsforvalteren i Vestland"),
            root=ok(lambda w: NORDLAND),
        ),
    ),
    "login": Entry(
        shows=lambda w: 'name="password"',
        get=grid(OK, anonymous=OK),
        post=grid(OK, anonymous=OK),  # no credentials: the form again, with an error
    ),
    # partnerships
    "partnerships:list": Entry(
        shows=lambda w: w.partnership_name, get=grid(HIDDEN, alice=OK, ulla=OK, olga=OK, root=OK)
    ),
    "partnerships:create": Entry(shows=lambda w: 'name="name"', get=OFFICERS, post=OFFICERS),
    "partnerships:detail": Entry(
        args=lambda w: [w.partnership_a.pk],
        shows=lambda w: w.partnership_name,
        get={**A_READERS, "fiona": 404},  # the forum reads reports, not partnerships
    ),
    "partnerships:edit": Entry(
        args=lambda w: [w.partnership_a.pk],
        shows=lambda w: w.partnership_name,
        get=grid(404, alice=403, ulla=403, olga=OK, root=OK),
        post=grid(404, alice=403, ulla=403, olga=OK, root=OK),
    ),
    "partnerships:organisation_list": Entry(shows=lambda w: w.owner_a1.name, get=OFFICER_LIST),
    "partnerships:organisation_create": Entry(
        shows=lambda w: 'name="org_number"', get=OFFICERS, post=OFFICERS
    ),
    "partnerships:organisation_edit": Entry(
        args=lambda w: [w.owner_a1.pk],
        shows=lambda w: w.owner_a1.name,
        get=OFFICERS_OF_A,
        post=OFFICERS_OF_A,
    ),
    "partnerships:organisation_import": Entry(
        shows=lambda w: 'type="file"', get=OFFICERS, post=OFFICERS
    ),
    "partnerships:organisation_import_confirm": Entry(get=POST_ONLY, post=OFFICERS),
    "partnerships:organisation_import_template": Entry(shows=lambda w: "org", get=OFFICERS),
    "partnerships:rules_list": Entry(shows=lambda w: "55", get=OFFICER_LIST),
    "partnerships:rules_create": Entry(
        shows=lambda w: 'name="min_uh_share_percent"', get=OFFICERS, post=OFFICERS
    ),
    "partnerships:rules_edit": Entry(
        args=lambda w: [w.rules.pk],
        shows=lambda w: 'value="55"',
        get=OFFICERS_OF_A,
        post=OFFICERS_OF_A,
    ),
    # needs
    "needs:list": Entry(shows=lambda w: w.partnership_name, get=USER_LIST),
    "needs:create": Entry(
        shows=lambda w: w.partnership_name,
        get=grid(403, alice=OK, bob=ok(lambda w: w.partnership_b.name)),
        post=grid(403, alice=OK, bob=OK),
    ),
    "needs:detail": Entry(
        args=lambda w: [w.draft.pk], shows=lambda w: w.draft_measure.name, get=DRAFT_READERS
    ),
    "needs:detail#submitted": Entry(
        args=lambda w: [w.submitted.pk], shows=lambda w: "Matematikk i praksis", get=A_READERS
    ),
    "needs:edit": Entry(
        args=lambda w: [w.draft.pk],
        shows=lambda w: w.draft.owner_contact_name,
        get=DRAFT_WRITERS,
        post=DRAFT_WRITERS,
        # An empty POST leaves the form unbound and the view fails (500): send one field.
        data=lambda w: {"owner_contact_name": "Tone Dalen", "version": w.draft.lock_version},
    ),
    "needs:edit#submitted": Entry(args=lambda w: [w.submitted.pk], get=LOCKED, post=LOCKED),
    "needs:summary": Entry(
        args=lambda w: [w.draft.pk], shows=lambda w: "100 000", get=DRAFT_READERS
    ),
    "needs:submit": Entry(args=lambda w: [w.draft.pk], get=POST_ONLY, post=DRAFT_WRITERS),
    "needs:versions": Entry(
        args=lambda w: [w.submitted.pk], shows=lambda w: w.partnership_name, get=A_READERS
    ),
    "needs:version": Entry(
        args=lambda w: [w.submitted.pk, 1], shows=lambda w: "Matematikk i praksis", get=A_READERS
    ),
    "needs:review_action": Entry(
        args=lambda w: [w.submitted.pk],
        get=POST_ONLY,
        post=grid(404, alice=403, ulla=403, olga=OK, root=OK, fiona=403),
        data=lambda w: {"action": "reviewed"},
    ),
    "needs:queue": Entry(shows=lambda w: w.partnership_name, get=OFFICER_LIST),
    "needs:allocation": Entry(
        args=lambda w: [w.county_a.pk, "dekom", 2024],
        shows=lambda w: "Matematikk i praksis",
        get=OFFICERS_OF_A,
        post=OFFICERS_OF_A,
    ),
    "needs:rescale": Entry(
        args=lambda w: [w.county_a.pk, "dekom", 2024],
        query="?new_amount=6000000",
        shows=lambda w: "5 000 000",  # the frame now
        get=OFFICERS_OF_A,
        post=OFFICERS_OF_A,
    ),
    # measures (under /needs/<report>/measures/)
    "measures:create": Entry(args=lambda w: [w.draft.pk], get=POST_ONLY, post=DRAFT_WRITERS),
    "measures:edit": Entry(
        args=lambda w: [w.draft.pk, w.draft_measure.pk],
        shows=lambda w: w.draft_measure.name,
        get=DRAFT_READERS,
        post=DRAFT_WRITERS,
        # An empty POST leaves the form unbound and the view fails (500): send one field.
        data=lambda w: {"name": w.draft_measure.name, "version": w.draft_measure.lock_version},
    ),
    "measures:delete": Entry(
        args=lambda w: [w.draft.pk, w.draft_measure.pk],
        shows=lambda w: w.draft_measure.name,
        get=DRAFT_WRITERS,
        post=DRAFT_WRITERS,
    ),
    "measures:move": Entry(
        args=lambda w: [w.draft.pk, w.draft_measure.pk], get=POST_ONLY, post=DRAFT_WRITERS
    ),
    # reporting: PDFs
    "reporting:report_pdf": Entry(
        args=lambda w: [w.draft.pk], shows=lambda w: w.draft_measure.name, get=DRAFT_READERS
    ),
    "reporting:version_pdf": Entry(
        args=lambda w: [w.submitted.pk, 1], shows=lambda w: "Matematikk i praksis", get=A_READERS
    ),
    "reporting:allocation_letter": Entry(
        args=lambda w: [w.allocated.pk], shows=lambda w: "Inkluderende praksis", get=A_READERS
    ),
    "reporting:allocation_letter#preview": Entry(
        # Before the decision only the case officers see the letter (a draft).
        args=lambda w: [w.submitted.pk],
        shows=lambda w: "Matematikk i praksis",
        get=grid(404, olga=OK, root=OK),
    ),
    "reporting:letter_settings": Entry(
        args=lambda w: [w.county_a.pk, "dekom", 2024],
        shows=lambda w: NORDLAND,
        get=OFFICERS_OF_A,
        post=OFFICERS_OF_A,
    ),
    "reporting:pdf_exports": Entry(
        shows=lambda w: NORDLAND,
        get=grid(403, olga=OK, otto=HIDDEN, root=OK),
        post=OFFICERS,
    ),
    "reporting:pdf_export_download": Entry(
        args=lambda w: [w.job.pk], shows=lambda w: "god-opplaering-for-alle", get=OFFICERS_OF_A
    ),
    # reporting: spreadsheets and statistics
    "reporting:exports": Entry(shows=lambda w: "need-reports.xlsx", get=EVERYONE),
    "reporting:export_reports": Entry(
        args=lambda w: ["csv"], shows=lambda w: w.partnership_name, get=USER_LIST
    ),
    "reporting:export_measures": Entry(
        args=lambda w: ["xlsx"], shows=lambda w: "Matematikk i praksis", get=USER_LIST
    ),
    "reporting:export_allocations": Entry(
        args=lambda w: ["csv"], shows=lambda w: "Inkluderende praksis", get=USER_LIST
    ),
    "reporting:export_payments": Entry(
        args=lambda w: ["csv"], shows=lambda w: w.partnership_name, get=OFFICER_LIST
    ),
    "reporting:report_measures": Entry(
        args=lambda w: [w.draft.pk, "csv"],
        shows=lambda w: w.draft_measure.name,
        get=DRAFT_READERS,
    ),
    "reporting:measure_import": Entry(
        args=lambda w: [w.draft.pk],
        shows=lambda w: w.partnership_name,
        get=DRAFT_WRITERS,
        post=DRAFT_WRITERS,
    ),
    "reporting:measure_import_confirm": Entry(
        args=lambda w: [w.draft.pk], get=POST_ONLY, post=DRAFT_WRITERS
    ),
    "reporting:measure_import_template": Entry(
        args=lambda w: ["csv"], shows=lambda w: "Navn", get=EVERYONE
    ),
    "reporting:statistics": Entry(shows=lambda w: w.region_a.name, get=OFFICER_LIST),
    "reporting:statistics_xlsx": Entry(shows=lambda w: w.region_a.name, get=OFFICER_LIST),
}

# More entries, and the place for new ones: tests/portal/permission_matrix_entries.py.
