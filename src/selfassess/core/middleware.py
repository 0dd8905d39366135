"""Session idle timeout without a database write on every request; no caching of what
a signed-in person is shown."""

import time

from django.conf import settings
from django.http import HttpRequest
from django.utils.cache import patch_cache_control

REFRESHED = "_idle_refreshed"


class IdleTimeoutMiddleware:
    """Signed-in sessions expire SESSION_COOKIE_AGE after the last activity. Rather than
    saving the session on every request (a write per page view, which serialises
    SQLite under load), the expiry is pushed forward at most once per
    SESSION_REFRESH_SECONDS; the idle limit is therefore exact to within that interval."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest):
        session = getattr(request, "session", None)
        if session is not None and request.user.is_authenticated:
            now = int(time.time())
            if now - session.get(REFRESHED, 0) >= settings.SESSION_REFRESH_SECONDS:
                session[REFRESHED] = now  # marks the session modified: saved, new expiry
        return self.get_response(request)


class NoStoreWhenSignedIn:
    """Every response to a signed-in person carries `Cache-Control: private, no-store`:
    pages show a council's data, and neither a shared cache nor the browser's own disk
    should keep a copy after the person signs out. Directives a view set itself are
    kept (patch_cache_control merges, and drops `public`); static files never reach
    here (nginx, or WhiteNoise before the session is read, answers them)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest):
        signed_in = request.user.is_authenticated
        response = self.get_response(request)
        if signed_in or request.user.is_authenticated:
            patch_cache_control(response, private=True, no_store=True)
        return response
