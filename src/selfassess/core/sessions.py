"""Django's database sessions, ending exactly when the idle timer says they end.

Django dates a session's expiry from the moment the session is saved, at the end of the
response; the idle timer (core.middleware) dates it from the moment the request began,
and the timeout warning counts down to that. Under load the two differ by a second or
more, long enough for a page saved just after the warning said "you have been signed
out" to be saved after all. Here the expiry is dated from the timer, so the server and
the warning agree to the second. The cookie itself lasts until the browser closes
(SESSION_EXPIRE_AT_BROWSER_CLOSE; allauth's ACCOUNT_SESSION_REMEMBER = False)."""

import datetime

from django.contrib.sessions.backends.db import SessionStore as DatabaseSessionStore

from .middleware import REFRESHED


class SessionStore(DatabaseSessionStore):
    def _dated(self, kwargs: dict) -> dict:
        refreshed = self.get(REFRESHED)
        if "modification" not in kwargs and refreshed is not None:
            kwargs["modification"] = datetime.datetime.fromtimestamp(refreshed, tz=datetime.UTC)
        return kwargs

    def get_expiry_date(self, **kwargs) -> datetime.datetime:
        return super().get_expiry_date(**self._dated(kwargs))

    def get_expiry_age(self, **kwargs) -> int:
        return super().get_expiry_age(**self._dated(kwargs))

    async def aget_expiry_date(self, **kwargs) -> datetime.datetime:
        return await super().aget_expiry_date(**self._dated(kwargs))

    async def aget_expiry_age(self, **kwargs) -> int:
        return await super().aget_expiry_age(**self._dated(kwargs))
