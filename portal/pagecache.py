"""A page cache for the main pages, keyed on the database's state itself.

A cached page is served only to the same session, user, CSRF secret, language, address and
day it was made for, and only while PostgreSQL's snapshot (`pg_current_snapshot()`) is the
one read just before the page was made. The snapshot names every transaction that had
finished: when any transaction commits or rolls back, the next snapshot differs. So a
saved measure, a new comment, a changed membership or an expired session (its row is read
anew on every request, before this) makes every page miss, and a hit is the page the view
would render now: same data, same permissions, same side effects already done.

Why the snapshot and not a counter bumped on every write: a counter row serialises all
writers (and can deadlock with their row locks), a sequence moves before its writer
commits. The snapshot needs no schema, no trigger and no lock. It changes more often than
the data the page shows (any write anywhere, sessions included), so a busy hour has fewer
hits; what matters is that a hit is never stale.

Only views decorated with `cached_page`, only GET, only on PostgreSQL, only outside a
transaction (inside one, the request's own writes do not change the snapshot), and never
with messages waiting to be shown. PAGE_CACHE=0 turns it off. The cache alias "pages" is
one per process by default.

A hit repeats the page's masked CSRF token. That does not help a BREACH-style attack: the
address is part of the key, so every response that reflects a different input is rendered,
and masked, anew.
"""

import hashlib
from functools import wraps

from django.conf import settings
from django.contrib.messages.storage.cookie import CookieStorage
from django.contrib.messages.storage.session import SessionStorage
from django.core.cache import caches
from django.db import connections
from django.http import HttpResponse
from django.utils import timezone

from .sql import fetch_one

CACHE_ALIAS = "pages"
MAX_BYTES = 1024 * 1024  # larger pages are rendered every time
CSRF_USED = "CSRF_COOKIE_NEEDS_UPDATE"  # set when the page used the CSRF token


def database_state(using="default"):
    """The snapshot text on PostgreSQL outside a transaction, else None (no caching)."""
    connection = connections[using]
    if connection.vendor != "postgresql" or connection.in_atomic_block:
        return None
    return fetch_one("SELECT pg_current_snapshot()::text", [], using)[0]


def page_key(request, view_name):
    """The cache key of this request, or None when it must not be served from the cache."""
    if not settings.PAGE_CACHE or request.method != "GET":
        return None
    user, session = request.user, request.session
    csrf_secret = request.META.get("CSRF_COOKIE")
    if not user.is_authenticated or not session.session_key or not csrf_secret:
        return None
    # Messages waiting in either place Django's default storage keeps them.
    if CookieStorage.cookie_name in request.COOKIES or SessionStorage.session_key in session:
        return None
    state = database_state()
    if state is None:
        return None
    parts = [
        state,
        connections["default"].settings_dict["NAME"],
        str(user.pk),
        session.session_key,
        csrf_secret,
        request.LANGUAGE_CODE,
        request.scheme,
        request.get_host(),
        request.get_full_path(),
        # A view may answer other clients or fragment requests differently.
        request.headers.get("X-Requested-With", ""),
        request.headers.get("HX-Request", ""),
        request.headers.get("Accept", ""),
        timezone.localdate().isoformat(),
        view_name,
    ]
    return "page:" + hashlib.sha256("\0".join(parts).encode()).hexdigest()


def _entry(request, response):
    """What is kept of a response: only whole HTML pages the view made without cookies."""
    if response.status_code != 200 or response.streaming or response.cookies:
        return None
    if not response.get("Content-Type", "").startswith("text/html"):
        return None
    if len(response.content) > MAX_BYTES:
        return None
    return response.content, list(response.items()), bool(request.META.get(CSRF_USED))


def _replay(request, entry):
    content, headers, csrf_used = entry
    if csrf_used:  # the CSRF middleware renews the cookie's expiry, as for a rendered page
        request.META[CSRF_USED] = True
    return HttpResponse(content, headers=dict(headers))


def cached_page(view):
    """Serve the view's GET answers from the page cache while nothing has changed."""
    view_name = f"{view.__module__}.{view.__qualname__}"

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        key = page_key(request, view_name)
        if key is None:
            return view(request, *args, **kwargs)
        cache = caches[CACHE_ALIAS]
        entry = cache.get(key)
        if entry is not None:
            return _replay(request, entry)
        response = view(request, *args, **kwargs)
        entry = _entry(request, response)
        if entry is not None:
            cache.set(key, entry)
        return response

    return wrapper
