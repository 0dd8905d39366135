"""django-allauth adapter: accounts are created by council admins, not by open sign-up;
sign-in limits that cannot be turned into a lock-out; account emails in our own words,
with links from SITE_URL; signing in keeps what that person typed before their session
ended, and only that."""

import datetime
import time
from urllib.parse import quote

from allauth.account.adapter import DefaultAccountAdapter
from allauth.account.internal.flows.login import get_authentication_records
from allauth.account.internal.userkit import filter_users_by_email
from allauth.core import context
from allauth.core import context as allauth_context
from allauth.core.internal import ratelimit
from allauth.mfa.adapter import DefaultMFAAdapter
from allauth.mfa.models import Authenticator
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.sites.shortcuts import get_current_site
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone

from selfassess.background.services import queue_email
from selfassess.core import kept
from selfassess.core.client import client_ip

# A password typed to sign in this long ago still counts as "confirm it is you" for
# setting up two-factor authentication, so an admin made to set it up straight after
# signing in is not asked for the password twice in a row.
FRESH_SIGN_IN_SECONDS = 300


class AccountAdapter(DefaultAccountAdapter):
    def is_open_for_signup(self, request) -> bool:
        return False

    def get_client_ip(self, request: HttpRequest) -> str:
        """allauth's limits per client address count by the same address as the audit
        log and the survey code's limit (core.client.client_ip, TRUSTED_PROXIES)."""
        address = client_ip(request)
        if address is None:
            raise PermissionDenied("The address this request came from is not known")
        return address

    def _get_login_attempts_cache_key(self, request: HttpRequest, **credentials) -> str:
        """Failed sign-ins are counted per address tried, written as stored. (allauth
        puts the request's host name in front, which the client chooses among
        ALLOWED_HOSTS, so one address could have been given several counts.) A password
        reset clears this count through the same key."""
        return _address_tried(credentials).lower()

    def pre_authenticate(self, request: HttpRequest, **credentials) -> None:
        """Counts a sign-in attempt before its password is checked; a successful one is
        taken back off every count (allauth's `authenticate` rolls the usage back), so
        the counts hold failures only. Two counts, in the shared cache:

        - Per address tried (`login_failed`, 5 in 5 minutes), whether or not the address
          has an account: this stops a brute force on one account, from however many
          client addresses. Past it even the right password for that address is refused
          until the count falls; a password reset clears it. Counting made-up addresses
          too means the refusal says nothing about whether an account exists.
        - Per client address (`login_failed_account`, 10 a minute), counting only
          failures for addresses that have an account: this stops password spraying
          (one password tried on many accounts) from one place. Failures for made-up
          addresses never enter it, so nobody (a typo-prone colleague or an attacker
          behind the same office address) can fill it with made-up addresses and lock
          out everyone behind that address. Once it is full, every attempt from that
          client address is refused whatever the address tried, so the refusal cannot
          be used to test which addresses have accounts.

        What remains: a full per-client count can only be reached by failures against
        real accounts, and whoever can do that from a shared address does hold up the
        others behind it for the minute; someone who knows a person's address can keep
        that one person out for 5 minutes at a time (a password reset lets them in);
        someone who keeps a client address's count one short of full can tell, about
        one address a minute, whether an address has an account. The `login` limit
        (any attempt, 120 a minute per client address) is a flood guard, far above what
        one office's people do, that bounds the password hashing one address can make
        the server do."""
        usage = ratelimit.consume(
            request,
            app="allauth.account",
            action="login_failed",
            key=self._get_login_attempts_cache_key(request, **credentials),
        )
        if usage is None:
            raise self.validation_error("too_many_login_attempts")
        has_account = _names_an_account(_address_tried(credentials))
        per_client = ratelimit.consume(
            request,
            app="allauth.account",
            action="login_failed_account",
            dry_run=not has_account,
        )
        if per_client is None:
            usage.rollback()
            raise self.validation_error("too_many_login_attempts")
        if has_account:
            usage.usage.extend(per_client.usage)
        self._login_failed_rl_usage = usage

    def get_reset_password_from_key_url(self, key: str) -> str:
        """The link in a password reset email starts with SITE_URL, never with the
        request's Host header, which whoever asks for the reset chooses."""
        path = reverse("account_reset_password_from_key", kwargs={"uidb36": "UID", "key": "KEY"})
        return settings.SITE_URL + path.replace("UID-KEY", quote(key))

    def send_password_reset_mail(self, user, email: str, context: dict) -> None:
        """templates/account/email/password_reset_key_*.txt, told how long the link
        works (Django's PASSWORD_RESET_TIMEOUT)."""
        extra = {
            "product_name": settings.PRODUCT_NAME,
            "valid_for": _duration(settings.PASSWORD_RESET_TIMEOUT),
        }
        super().send_password_reset_mail(user, email, context | extra)

    def send_mail(self, template_prefix: str, email: str, context: dict) -> None:
        """Every account email goes through the outbox (background), as the product's own
        do: the page answers at once and a mail server that is down is tried again."""
        request = allauth_context.request  # (the argument `context` hides the module)
        ctx = {"request": request, "email": email, "current_site": get_current_site(request)}
        message = self.render_mail(template_prefix, email, ctx | context)
        queue_email(
            to=email,
            subject=message.subject,
            body=message.body,
            purpose=f"Account email ({template_prefix.rsplit('/', 1)[-1]})",
            topic="account",
        )

    def format_email_subject(self, subject: str) -> str:
        """Subjects as our templates write them (allauth would put the request's host
        name in front)."""
        return subject

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


def _address_tried(credentials: dict) -> str:
    return str(credentials.get("email") or credentials.get("username") or "").strip()


def _names_an_account(address: str) -> bool:
    """Whether either authentication backend would find an account for `address`:
    allauth's looks it up lower-cased, Django's ModelBackend exactly as typed."""
    if not address:
        return False
    users = get_user_model()._default_manager
    return bool(filter_users_by_email(address, for_login=True)) or (
        users.filter(email=address).exists()
    )


def _duration(seconds: int) -> str:
    """'3 days', '1 hour', '90 minutes'."""
    if seconds % 86400 == 0:
        amount, unit = seconds // 86400, "day"
    elif seconds % 3600 == 0:
        amount, unit = seconds // 3600, "hour"
    else:
        amount, unit = max(1, seconds // 60), "minute"
    return f"{amount} {unit}" + ("" if amount == 1 else "s")
