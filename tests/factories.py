"""Small make_* helpers for test data. Every number they make is a valid MOD11 number."""

import itertools

from django.contrib.auth import get_user_model

from partnerships.identifiers import ACCOUNT_WEIGHTS, ORG_WEIGHTS, with_check_digit
from partnerships.models import (
    CountyMembership,
    CountyOffice,
    Membership,
    Organisation,
    Partnership,
    Region,
    Scheme,
)

_counter = itertools.count(1)


def _valid_number(weights, start):
    for candidate in itertools.count(start):
        number = with_check_digit(str(candidate), weights)
        if number:
            return number


def make_org_number():
    return _valid_number(ORG_WEIGHTS, 91000000 + next(_counter) * 7)


def make_account_number():
    return _valid_number(ACCOUNT_WEIGHTS, 1200000000 + next(_counter) * 13)


def make_user(username, **extra):
    extra.setdefault("email", f"{username}@example.no")
    user = get_user_model().objects.create_user(username=username, password="pw", **extra)
    return user


def make_county(name="Statsforvalteren i Testfylke", officer=None):
    county = CountyOffice.objects.create(name=name, county=name.split(" i ")[-1])
    if officer is not None:
        CountyMembership.objects.create(county_office=county, user=officer)
    return county


def make_region(county, name=None):
    return Region.objects.create(county_office=county, name=name or f"Region {next(_counter)}")


def make_org(name=None, kind=Organisation.Kind.MUNICIPALITY, county=None, **extra):
    return Organisation.objects.create(
        name=name or f"Organisasjon {next(_counter)}",
        kind=kind,
        org_number=make_org_number(),
        account_number=make_account_number(),
        county_office=county,
        **extra,
    )


def make_partnership(region, name=None, owners=(), uh=(), coordinators=(), uh_contacts=()):
    partnership = Partnership.objects.create(
        region=region, name=name or f"Partnerskap {next(_counter)}"
    )
    partnership.owners.set(owners)
    partnership.uh_partners.set(uh)
    for user in coordinators:
        Membership.objects.create(
            partnership=partnership, user=user, role=Membership.Role.COORDINATOR
        )
    for user in uh_contacts:
        Membership.objects.create(
            partnership=partnership, user=user, role=Membership.Role.UH_CONTACT
        )
    return partnership


def scheme(code):
    return Scheme.objects.get(code=code)


def confirm_uh(report, user=None):
    """The UH contact confirms the UH part of the version to be submitted (the service)."""
    from needs.collaboration import uh_confirm
    from partnerships.models import Membership

    if user is None:
        membership = report.partnership.memberships.filter(role=Membership.Role.UH_CONTACT).first()
        user = membership.user if membership else None
    return uh_confirm(subject=report, user=user)


def submit_directly(report, user=None):
    """Version 1, straight in the database, bypassing the submission rules (for tests about
    access or pages, not about submission: tests/needs covers those)."""
    from django.utils import timezone

    from needs.models import NeedReport, ReportVersion
    from needs.selectors import report_summary
    from needs.services import build_snapshot

    user = user or report.created_by
    now = timezone.now()
    ReportVersion.objects.create(
        report=report,
        number=1,
        snapshot=build_snapshot(report, report_summary(report)),
        submitted_at=now,
        submitted_by=user,
    )
    NeedReport.objects.filter(pk=report.pk).update(
        status=NeedReport.Status.SUBMITTED, submitted_at=now, submitted_by=user
    )
    report.refresh_from_db()
    return report
