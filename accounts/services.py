"""Writes of the log-in: invitations, binding a provider's subject to an account, the second
factor's device."""

import re
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django_otp.plugins.otp_totp.models import TOTPDevice

from partnerships.models import CountyMembership, Membership
from portal.tasks import queue_mail

from .models import ExternalIdentity, Invitation

INVITATION_DAYS = 14
# The demo's officers and administrator (manage.py demo) have this authenticator key, so that
# `LOCAL_LOGIN_OTP=1 make run` can be tried: base32 NNXW24DFORQW443FOBXXE5DBNRSW4IJB (README).
DEMO_TOTP_KEY = b"kompetanseportalen!!".hex()


def demo_second_factor(user):
    """Give a demo account the documented authenticator key (replacing any other)."""
    TOTPDevice.objects.filter(user=user).exclude(key=DEMO_TOTP_KEY).delete()
    TOTPDevice.objects.get_or_create(
        user=user, key=DEMO_TOTP_KEY, defaults={"name": "Demo", "confirmed": True}
    )


@transaction.atomic
def invitation_create(*, email, role, partnership=None, county_office=None, invited_by):
    """Store an invitation and queue its link as a mail task (sent by the worker once the
    transaction commits). The form has checked that `invited_by` may invite to this place."""
    invitation = Invitation(
        email=email.strip(),
        role=role,
        partnership=partnership if role != Invitation.Role.OFFICER else None,
        county_office=county_office if role == Invitation.Role.OFFICER else None,
        invited_by=invited_by,
        expires_at=timezone.now() + timedelta(days=INVITATION_DAYS),
    )
    token = invitation.new_token()
    invitation.save()
    url = settings.SITE_URL.rstrip("/") + reverse("accounts:invitation_accept", args=[token])
    language = partnership.language if partnership is not None else settings.LANGUAGE_CODE
    with translation.override(language):
        body = render_to_string(
            "accounts/invitation_email.txt",
            {"invitation": invitation, "url": url, "days": INVITATION_DAYS},
        )
    subject, _sep, text = body.strip().partition("\n")
    queue_mail(subject=subject, body=text.strip(), to=[invitation.email])
    return invitation


def _verified_email(claims):
    """The e-mail address, only when the provider says it has verified it."""
    verified = claims.get("email_verified")
    if verified is True or str(verified).lower() == "true":
        return (claims.get("email") or "").strip()
    return ""


def _new_username(email):
    base = re.sub(r"[^\w.@+-]", "", email.split("@")[0])[:120] or "bruker"
    User = get_user_model()
    candidate, number = base, 1
    while User.objects.filter(username=candidate).exists():
        number += 1
        candidate = f"{base}{number}"
    return candidate


def _invited_user(invitation, claims):
    """The account for an invitation: the one active account with the invited address (the
    link proves the address), else a new account without a password."""
    User = get_user_model()
    matches = list(User.objects.filter(email__iexact=invitation.email, is_active=True)[:2])
    if len(matches) == 1:
        return matches[0]
    user = User(
        username=_new_username(invitation.email),
        email=invitation.email,
        first_name=(claims.get("given_name") or "")[:150],
        last_name=(claims.get("family_name") or "")[:150],
    )
    user.set_unusable_password()
    user.save()
    return user


def _accept(invitation, user):
    if invitation.role == Invitation.Role.OFFICER:
        CountyMembership.objects.get_or_create(county_office=invitation.county_office, user=user)
    else:
        Membership.objects.get_or_create(
            partnership=invitation.partnership, user=user, role=invitation.role
        )
    invitation.accepted_at = timezone.now()
    invitation.accepted_by = user
    invitation.save(update_fields=["accepted_at", "accepted_by"])


@transaction.atomic
def user_for_login(*, provider, subject, claims, invitation_token=""):
    """The account that a provider's subject logs in to, or None (nobody we know).

    1. A subject bound before logs in to its account (and accepts the invitation in hand).
    2. Else the invitation whose link this browser followed binds the subject to the invited
       account; without a link, a pending invitation to the e-mail address the provider has
       verified does the same.
    3. Else nobody: no account is made for a stranger.
    """
    invitations = Invitation.objects.select_for_update().pending()
    invitation = invitations.with_token(invitation_token).first()
    identity = (
        ExternalIdentity.objects.select_related("user")
        .filter(provider=provider, subject=subject)
        .first()
    )
    if identity is None and invitation is None:
        email = _verified_email(claims)
        if email:
            invitation = invitations.filter(email__iexact=email).order_by("created_at").first()
    if identity is not None:
        user = identity.user
        if not user.is_active:
            return None
        identity.last_login_at = timezone.now()
        identity.save(update_fields=["last_login_at"])
    elif invitation is not None:
        user = _invited_user(invitation, claims)
        try:
            with transaction.atomic():
                ExternalIdentity.objects.create(
                    user=user, provider=provider, subject=subject, last_login_at=timezone.now()
                )
        except IntegrityError:  # the same person's log-in in another tab won the race
            return None
    else:
        return None
    if invitation is not None:
        _accept(invitation, user)
    return user
