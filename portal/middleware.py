from django.conf import settings
from django.http import HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

# Only our own origin: no inline scripts or styles, no CDNs.
DEFAULT_CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self'; connect-src 'self'; frame-ancestors 'none'; form-action 'self'; "
    "base-uri 'self'; object-src 'none'"
)


class ContentSecurityPolicyMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        self.policy = getattr(settings, "CONTENT_SECURITY_POLICY", DEFAULT_CSP)

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Content-Security-Policy", self.policy)
        return response


class RequestSizeLimitMiddleware:
    """Refuse request bodies above MAX_REQUEST_SIZE (413) before anything reads them.

    Django limits form fields (DATA_UPLOAD_MAX_MEMORY_SIZE) but streams uploaded files to
    disk whatever their size; this stops a huge upload at the door. Forms that accept files
    check their own, smaller limits and say so in the form.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if length > settings.MAX_REQUEST_SIZE:
            # The page in the site's layout (templates/413.html); the session and the user are
            # not loaded yet, so it has no menu.
            megabytes = settings.MAX_REQUEST_SIZE // (1024 * 1024)
            return render(request, "413.html", {"size": megabytes}, status=413)
        return self.get_response(request)


def _has_nul(values):
    return any("\x00" in value for value in values)


class RefuseNulBytesMiddleware:
    """Refuse a NUL byte in the path, the query string or a posted form field (400).

    No text of ours contains one, PostgreSQL cannot store one, and a lookup with one fails
    in the database: such a request is invalid input, answered at the door in Norwegian.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        suspect = "\x00" in request.path_info or _has_nul(
            value for _key, values in request.GET.lists() for value in [_key, *values]
        )
        if not suspect and request.method == "POST":
            try:
                suspect = _has_nul(
                    value for _key, values in request.POST.lists() for value in [_key, *values]
                )
            except Exception:  # noqa: BLE001 - a broken body is Django's to refuse later
                suspect = False
        if suspect:
            message = _("The request contains invalid characters (a NUL byte) and was refused.")
            return HttpResponse(message, status=400, content_type="text/plain; charset=utf-8")
        return self.get_response(request)


class PrivateCacheMiddleware:
    """`Cache-Control: private, no-store` on everything a logged-in user gets: pages with
    their data and downloads stay out of shared caches and the browser's back/forward cache."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            response.headers["Cache-Control"] = "private, no-store"
        return response
