"""django-allauth adapter: accounts are created by council admins, not by open sign-up;
signing in keeps what that person typed before their session ended, and only that."""

import datetime
import time

from allauth.account.adapter import DefaultAccountAdapter
from allauth.account.internal.flows.login import get_authentication_records
from allauth.core import context
from allauth.mfa.adapter import DefaultMFAAdapter
from allauth.mfa.models import Authenticator
from django.urls import reverse
from django.utils import timezone

from selfassess.core import kept

# A password typed to sign in this long ago still counts as "confirm it is you" for
# setting up two-factor authentication, so an admin made to set it up straight after
# signing in is not asked for the password twice in a row.
FRESH_SIGN_IN_SECONDS = 300


class AccountAdapter(DefaultAccountAdapter):
    def is_open_for_signup(self, request) -> bool:
        return False

    def login(self, request, user) -> None:
        super().login(request, user)
        kept.keep_only_for(request, user.pk)

    def is_reauthentication_required(self, *, app: str, **kwargs) -> bool:
        """Relaxed only for setting up a first authenticator app, and for seeing the
        recovery codes that set-up has just made: everything else (turning it off,
        renewing codes, seeing them later, changing the password) always asks again, so
        a borrowed session cannot remove or copy someone's second factor."""
        required = super().is_reauthentication_required(app=app, **kwargs)
        request = getattr(self, "request", None) or context.request
        if not required or request is None or not request.user.is_authenticated:
            return required
        authenticators = Authenticator.objects.filter(user=request.user)
        if request.path == reverse("mfa_activate_totp"):
            relaxed = not authenticators.exists()
        elif request.path == reverse("mfa_view_recovery_codes"):
            just_made = timezone.now() - datetime.timedelta(seconds=FRESH_SIGN_IN_SECONDS)
            relaxed = not authenticators.filter(created_at__lt=just_made).exists()
        else:
            relaxed = False
        if not relaxed:
            return required
        records = get_authentication_records(request, request.user)
        newest = max((r.get("at", 0) for r in records if r.get("method") == "password"), default=0)
        return time.time() - newest > FRESH_SIGN_IN_SECONDS


class MFAAdapter(DefaultMFAAdapter):
    def get_totp_label(self, user) -> str:
        return user.email
