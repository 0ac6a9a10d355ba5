"""The life cycle of everything that is submitted: who may do what, in which state.

Each kind of submitted thing has one table below. A row is an action, the states it may be
taken in, the state it leads to (None: it changes contents, not the state) and who may take
it. Nothing else in the code tests a status to decide what may happen:

- `Workflow.allows(action, state, roles)` answers whether to show a button or a form;
- `acting_on(queryset, pk, action, user)` does it: it opens a transaction, locks the row
  (SELECT … FOR UPDATE), reads the state again under the lock and refuses with a message
  when the table does not allow the action now (someone else got there first).

Every write to a report's contents (a measure saved, deleted, moved or imported, the details,
an allocation, a priority) is the action "edit" or an officer's action, so it takes the same
lock as submitting, returning and deciding: an autosave and "Send inn" cannot interleave.

Who: "coordinator" and "uh_contact" are roles in the partnership, "member" is either,
"officer" is a case officer of the partnership's county office (administrators count as
officers everywhere), "forum" a member of the county's samarbeidsforum (reads and comments,
decides nothing).

Impartiality (forvaltningsloven § 6): the actions in IMPARTIAL rank, allocate or decide; a
user with a declared tie to the report may not take them. The services check it under the
same lock (needs.review.refuse_if_tied), since a tie is data, not a role.
"""

from contextlib import contextmanager
from dataclasses import dataclass

from django.db import OperationalError, transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .access import forum_county_ids, is_officer_of, member_roles

COORDINATOR, UH_CONTACT, MEMBER, OFFICER = "coordinator", "uh_contact", "member", "officer"
FORUM = "forum"

DRAFT, SUBMITTED, RETURNED = "draft", "submitted", "returned"
REVIEWED, ALLOCATED, REJECTED, APPROVED = "reviewed", "allocated", "rejected", "approved"

OPEN = (DRAFT, RETURNED)  # the partnership may change the contents
SENT = (SUBMITTED, REVIEWED)  # with the county office, not yet decided
DECIDED = (ALLOCATED, REJECTED)
COMMITTING = (ALLOCATED,)  # its multi-year measures bind later frames (needs.commitments)


@dataclass(frozen=True)
class Step:
    action: str
    sources: tuple
    target: str | None
    who: str


# fmt: off
NEED_REPORT_STEPS = [
    #    action              may be taken in                         leads to   by
    Step("edit",             OPEN,                                   None,      COORDINATOR),
    Step("confirm_uh",       OPEN,                                   None,      UH_CONTACT),
    Step("submit",           OPEN,                                   SUBMITTED, COORDINATOR),
    Step("comment",          (DRAFT, *SENT, RETURNED, *DECIDED),     None,      MEMBER),
    Step("comment",          (*SENT, RETURNED, *DECIDED),            None,      OFFICER),
    Step("comment",          (*SENT, RETURNED, *DECIDED),            None,      FORUM),
    Step("mark_reviewed",    (SUBMITTED,),                           REVIEWED,  OFFICER),
    Step("return",           SENT,                                   RETURNED,  OFFICER),
    Step("record_exception", SENT,                                   None,      OFFICER),
    Step("prioritise",       (*SENT, ALLOCATED),                     None,      OFFICER),
    Step("allocate",         (*SENT, ALLOCATED),                     None,      OFFICER),
    Step("decide",           SENT,                                   ALLOCATED, OFFICER),
    Step("reject",           SENT,                                   REJECTED,  OFFICER),
    Step("start_annual",     (ALLOCATED,),                           None,      COORDINATOR),
    Step("request_change",   (ALLOCATED,),                           None,      COORDINATOR),
    Step("apply_change",     (ALLOCATED,),                           None,      OFFICER),
]

# Ranking, allocating and deciding: refused to whoever declared a tie to the report.
IMPARTIAL = ("prioritise", "allocate", "decide", "reject", "apply_change")

# A change request (endringssøknad) to an allocated report: the coordinator proposes, the UH
# contact confirms, the county office approves (the change is then applied) or rejects.
UH_CONFIRMED, WITHDRAWN = "uh_confirmed", "withdrawn"

CHANGE_REQUEST_STEPS = [
    #    action              may be taken in                         leads to      by
    Step("edit",             (DRAFT,),                               None,         COORDINATOR),
    Step("submit",           (DRAFT,),                               SUBMITTED,    COORDINATOR),
    Step("withdraw",         (DRAFT, SUBMITTED),                     WITHDRAWN,    COORDINATOR),
    Step("confirm_uh",       (SUBMITTED,),                           UH_CONFIRMED, UH_CONTACT),
    Step("approve",          (UH_CONFIRMED,),                        APPROVED,     OFFICER),
    Step("reject",           (SUBMITTED, UH_CONFIRMED),              REJECTED,     OFFICER),
]

ANNUAL_REPORT_STEPS = [
    #    action              may be taken in                         leads to   by
    Step("edit",             OPEN,                                   None,      COORDINATOR),
    Step("confirm_uh",       OPEN,                                   None,      UH_CONTACT),
    Step("submit",           OPEN,                                   SUBMITTED, COORDINATOR),
    Step("comment",          (DRAFT, SUBMITTED, RETURNED, APPROVED), None,      MEMBER),
    Step("comment",          (SUBMITTED, RETURNED, APPROVED),        None,      OFFICER),
    Step("return",           (SUBMITTED,),                           RETURNED,  OFFICER),
    Step("approve",          (SUBMITTED,),                           APPROVED,  OFFICER),
]
# fmt: on


class Refused(Exception):
    """An action the workflow does not allow now, with the message for the user."""

    def __init__(self, message):
        super().__init__(message)
        self.message = message

    def __str__(self):
        return str(self.message)


BUSY = gettext_lazy(
    "Someone else is saving this report right now. Nothing was changed: try again in a moment."
)


class Workflow:
    def __init__(self, steps, *, status_labels):
        self.steps = steps
        self.status_labels = status_labels

    def allows(self, action, state, roles):
        return any(s.action == action and state in s.sources and s.who in roles for s in self.steps)

    def states_allowing(self, action):
        return tuple(
            dict.fromkeys(state for s in self.steps if s.action == action for state in s.sources)
        )

    def target(self, action):
        """The state `action` leads to (services set it; the table is the only place it is
        written down)."""
        return next((s.target for s in self.steps if s.action == action), None)

    def check(self, action, state, roles):
        """Refuse with a message unless `roles` may take `action` in `state`."""
        if self.allows(action, state, roles):
            return
        if any(s.action == action and s.who in roles for s in self.steps):
            # The user could take the action in another state: someone changed it meanwhile.
            raise Refused(
                _(
                    "This could not be done: the report is now “%(status)s”. Someone else "
                    "may have acted on it first. Nothing was changed."
                )
                % {"status": self.status_labels().get(state, state)}
            )
        raise Refused(_("You do not have permission to do this."))


def roles_on(user, *, partnership_id, county_office_id):
    """The roles of the table that `user` has for a partnership's report."""
    roles = set(member_roles(user).get(partnership_id, ()))
    if roles:
        roles.add(MEMBER)
    if is_officer_of(user, county_office_id):
        roles.add(OFFICER)
    if county_office_id in forum_county_ids(user):
        roles.add(FORUM)
    return roles


@contextmanager
def locked_transaction():
    """A transaction whose row locks, when another request holds them longer than the
    connection's lock_timeout (settings: 5 s on PostgreSQL), give up with Refused(BUSY)
    instead of an error page. Everything in it commits together."""
    try:
        with transaction.atomic():
            yield
    except OperationalError as error:
        if getattr(error.__cause__, "sqlstate", None) == "55P03":  # lock_not_available
            raise Refused(BUSY) from error
        raise


def lock_each(queryset, pks, action, user):
    """Inside `locked_transaction`: lock these rows (in id order, so two requests never wait
    for each other crosswise), then check `action` on each under the lock."""
    objs = list(queryset.select_for_update(of=("self",)).filter(pk__in=pks).order_by("pk"))
    for obj in objs:
        obj.workflow.check(action, obj.status, obj.roles_of(user))
    return objs


@contextmanager
def acting_on(queryset, pk, action, user):
    """Lock the object, check `action` under the lock, and yield it (still locked).

    The object's model provides `workflow` and `roles_of(user)`. Everything written inside
    the block commits together; an exception rolls all of it back.
    """
    with locked_transaction():
        obj = queryset.select_for_update(of=("self",)).get(pk=pk)
        obj.workflow.check(action, obj.status, obj.roles_of(user))
        yield obj
