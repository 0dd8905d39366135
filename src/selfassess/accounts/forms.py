"""Forms of allauth's that behave differently here (settings.MFA_FORMS)."""

from allauth.core import context
from allauth.mfa.totp.forms import ActivateTOTPForm
from allauth.mfa.totp.internal.auth import SECRET_SESSION_KEY


class SteadyActivateTOTPForm(ActivateTOTPForm):
    """Setting up an authenticator app. allauth makes a new secret each time the page is
    shown, so someone who scanned the QR code and then reloaded the page had an app that
    gave codes for the old secret: "Incorrect code". Here the secret in the session stays
    until it is activated (allauth then removes it) or the session ends."""

    def __init__(self, *args, **kwargs) -> None:
        pending = context.request.session.get(SECRET_SESSION_KEY)
        super().__init__(*args, **kwargs)
        if pending and not self.is_bound:
            self.secret = context.request.session[SECRET_SESSION_KEY] = pending
