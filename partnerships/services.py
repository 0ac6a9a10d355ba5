"""Writes to organisations that others must hear about: a change of organisation number or
account number (where the grants are paid) goes into the change log of every county office
whose partnerships use the organisation, and is e-mailed to their case officers."""

from django.urls import reverse
from django.utils.translation import gettext as _

from portal.notifications import notify, officers_for

from .models import CountyOffice

WATCHED_FIELDS = ("org_number", "account_number")


def watched_values(organisation):
    """The values of the watched fields, to compare after a change."""
    return {name: getattr(organisation, name) for name in WATCHED_FIELDS}


def organisation_changed(*, organisation, before, user):
    """Call after saving `organisation` (in the same transaction), with `before` from
    watched_values() as it was loaded: logs and notifies each watched field that changed."""
    from needs.models import AuditEntry  # the county offices' change log

    changed = [name for name in WATCHED_FIELDS if before.get(name) != getattr(organisation, name)]
    if not changed or before.get("org_number") is None:  # nothing, or a new organisation
        return []
    offices = list(CountyOffice.objects.filter(pk__in=organisation.using_county_office_ids()))
    labels = {name: organisation._meta.get_field(name).verbose_name for name in changed}
    entries = []
    for office in offices:
        for name in changed:
            entries.append(
                AuditEntry(
                    county_office=office,
                    actor=user,
                    subject=_("%(field)s of %(organisation)s")
                    % {"field": str(labels[name]).capitalize(), "organisation": organisation.name}
                    + f" ({_('org. no.')} {organisation.org_number})",
                    old_value=before[name],
                    new_value=getattr(organisation, name),
                )
            )
    AuditEntry.objects.bulk_create(entries)
    recipients = [officer for office in offices for officer in officers_for(office)]
    notify(
        "organisation_changed",
        None,
        recipients,
        exclude=user,
        organisation=organisation,
        changes=[(labels[name], before[name], getattr(organisation, name)) for name in changed],
        actor=user,
        url=reverse("partnerships:organisation_edit", args=[organisation.pk]),
    )
    return entries


def organisation_audit(organisation, user):
    """The change log entries about the organisation that the user may see (AuditEntry's
    visible_to: their county offices' log)."""
    from needs.models import AuditEntry

    return list(
        AuditEntry.objects.visible_to(user)
        .filter(report=None, subject__contains=f"({_('org. no.')} {organisation.org_number})")
        .select_related("actor")[:50]
    )
