"""Writes in the activity plan: save and delete activities, create and revoke feed tokens."""

import secrets
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from .models_plan import CalendarFeedToken

# How often a feed's "last used" is written (calendar programs poll every few minutes).
LAST_USED_RESOLUTION = timedelta(hours=1)


@transaction.atomic
def planned_activity_save(*, activity, measures, user):
    """Create or update an activity and its measures. The form has checked the measures."""
    if activity.pk is None:
        activity.created_by = user
    else:
        activity.sequence += 1
    activity.save()
    activity.measures.set(measures)
    return activity


@transaction.atomic
def planned_activity_delete(*, activity):
    activity.delete()


@transaction.atomic
def feed_token_create(*, user):
    """A new secret feed token (returned once, stored hashed); earlier ones stop working."""
    feed_token_revoke(user=user)
    token = secrets.token_urlsafe(32)
    CalendarFeedToken.objects.create(user=user, token_hash=CalendarFeedToken.hash(token))
    return token


def feed_token_revoke(*, user):
    return CalendarFeedToken.objects.editable_by(user).active().update(revoked_at=timezone.now())


def feed_token_user(token):
    """The active user a feed token belongs to, or None (unknown, revoked or inactive).

    The lookup is by the SHA-256 of a 256-bit random token, so timing says nothing useful.
    """
    if not token or len(token) > 100:
        return None
    found = (
        CalendarFeedToken.objects.active()
        .filter(token_hash=CalendarFeedToken.hash(token), user__is_active=True)
        .select_related("user")
        .first()
    )
    if found is None:
        return None
    now = timezone.now()
    if found.last_used_at is None or now - found.last_used_at > LAST_USED_RESOLUTION:
        CalendarFeedToken.objects.filter(pk=found.pk).update(last_used_at=now)
    return found.user
