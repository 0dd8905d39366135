"""Session idle timeout without a database write on every request; no caching of what
a signed-in person is shown."""

import time

from django.conf import settings
from django.http import HttpRequest
from django.utils.cache import patch_cache_control

REFRESHED = "_idle_refreshed"


def leaves_idle_timer(view):
    """Marks a view whose requests do not count as activity (the timeout warning asking
    how long is left must not itself keep the session alive)."""
    view.leaves_idle_timer = True
    return view


def session_ends_at(request: HttpRequest) -> float | None:
    """When the signed-in session ends if nothing more happens, as a Unix time; None
    for someone not signed in. The session was last saved, with a new expiry, when the
    timer was last refreshed, and its expiry is dated from that moment (core.sessions)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or not hasattr(request, "session"):
        return None
    return request.session.get(REFRESHED, time.time()) + settings.SESSION_COOKIE_AGE


def refresh(request: HttpRequest) -> None:
    request.session[REFRESHED] = int(time.time())  # marks the session modified: new expiry


class IdleTimeoutMiddleware:
    """Signed-in sessions expire SESSION_COOKIE_AGE after the last activity. Rather than
    saving the session on every request (a write per page view, which serialises
    SQLite under load), the expiry is pushed forward at most once per
    SESSION_REFRESH_SECONDS; the idle limit is therefore exact to within that interval."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest):
        return self.get_response(request)

    def process_view(self, request: HttpRequest, view_func, view_args, view_kwargs) -> None:
        session = getattr(request, "session", None)
        if (
            session is not None
            and request.user.is_authenticated
            and not getattr(view_func, "leaves_idle_timer", False)
            and time.time() - session.get(REFRESHED, 0) >= settings.SESSION_REFRESH_SECONDS
        ):
            refresh(request)


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
