"""Session idle timeout without a database write on every request."""

import time

from django.conf import settings
from django.http import HttpRequest

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
