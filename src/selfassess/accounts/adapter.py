"""django-allauth adapter: accounts are created by council admins, not by open sign-up."""

import time

from allauth.account.adapter import DefaultAccountAdapter
from allauth.account.internal.flows.login import get_authentication_records
from allauth.core import context
from allauth.mfa.adapter import DefaultMFAAdapter
from allauth.mfa.models import Authenticator
from django.urls import reverse

# A password typed to sign in this long ago still counts as "confirm it is you" for
# setting up two-factor authentication, so an admin made to set it up straight after
# signing in is not asked for the password twice in a row.
FRESH_SIGN_IN_SECONDS = 300


class AccountAdapter(DefaultAccountAdapter):
    def is_open_for_signup(self, request) -> bool:
        return False

    def is_reauthentication_required(self, *, app: str, **kwargs) -> bool:
        """Only for setting up a first authenticator app: everything else (turning it
        off, showing or renewing recovery codes, changing the password) always asks
        again, so a borrowed session cannot remove someone's second factor."""
        required = super().is_reauthentication_required(app=app, **kwargs)
        request = getattr(self, "request", None) or context.request
        if (
            not required
            or request is None
            or not request.user.is_authenticated
            or request.path != reverse("mfa_activate_totp")
            or Authenticator.objects.filter(user=request.user).exists()
        ):
            return required
        records = get_authentication_records(request, request.user)
        newest = max((r.get("at", 0) for r in records if r.get("method") == "password"), default=0)
        return time.time() - newest > FRESH_SIGN_IN_SECONDS


class MFAAdapter(DefaultMFAAdapter):
    def get_totp_label(self, user) -> str:
        return user.email
