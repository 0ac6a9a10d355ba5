"""The session backend of OpenID Connect log-ins.

A log-in through a provider is checked in accounts/oidc.py and bound to a user in
accounts/services.py; `django.contrib.auth.login` then needs a backend to name in the session,
and this is it. It authenticates nothing itself (no password, no token): it only loads the
user of a session that an OpenID Connect log-in made, if the account is still active.
"""

from django.contrib.auth.backends import ModelBackend

PATH = "accounts.backends.OIDCSessionBackend"


class OIDCSessionBackend(ModelBackend):
    def authenticate(self, request, **credentials):
        return None
