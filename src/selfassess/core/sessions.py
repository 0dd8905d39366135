"""Django's database sessions, ending exactly when the idle timer says they end.

Django dates a session's expiry from the moment the session is saved, at the end of the
response; the idle timer (core.middleware) dates it from the moment the request began,
and the timeout warning counts down to that. Under load the two differ by a second or
more, long enough for a page saved just after the warning said "you have been signed
out" to be saved after all. Here the expiry is dated from the timer, so the server and
the warning agree to the second. Sessions still end when the browser closes
(ACCOUNT_SESSION_REMEMBER = False keeps the cookie a browser-session cookie)."""

import datetime

from django.contrib.sessions.backends.db import SessionStore as DatabaseSessionStore

from .middleware import REFRESHED


class SessionStore(DatabaseSessionStore):
    def get_expiry_date(self, **kwargs) -> datetime.datetime:
        refreshed = self.get(REFRESHED)
        if "modification" not in kwargs and refreshed is not None:
            kwargs["modification"] = datetime.datetime.fromtimestamp(refreshed, tz=datetime.UTC)
        return super().get_expiry_date(**kwargs)
