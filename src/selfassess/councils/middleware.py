"""Council admins must use two-factor authentication."""

from allauth.mfa.models import Authenticator
from django.shortcuts import redirect
from django.urls import reverse

from selfassess.accounts.views import CONTINUE_AFTER_TWO_FACTOR

from .models import Membership, Role

# What an admin without two-factor authentication may still reach: setting it up (and the
# password check allauth asks for first), signing out, and pages that are not about
# anyone's data.
ALLOWED_NAMES = (
    "mfa_activate_totp",
    "mfa_index",
    "account_reauthenticate",
    "account_logout",
    "workspace:account",
    "privacy",
    "security",
    "accessibility",
    "healthz",
)


class RequireTwoFactorForAdmins:
    def __init__(self, get_response):
        self.get_response = get_response
        self._allowed: tuple[str, ...] | None = None

    def allowed_paths(self) -> tuple[str, ...]:
        if self._allowed is None:
            self._allowed = tuple(reverse(name) for name in ALLOWED_NAMES)
        return self._allowed

    def __call__(self, request):
        user = request.user
        request.two_factor_required = False
        if user.is_authenticated:
            if request.path == self.allowed_paths()[0]:
                # The set-up page says why it is being asked for.
                request.two_factor_required = admin_without_two_factor(user)
            elif (
                request.path not in self.allowed_paths()
                and not request.path.startswith(("/static/", "/survey/"))
                and admin_without_two_factor(user)
            ):
                if request.method == "GET":
                    request.session[CONTINUE_AFTER_TWO_FACTOR] = request.get_full_path()
                return redirect(reverse("mfa_activate_totp"))
        return self.get_response(request)


def admin_without_two_factor(user) -> bool:
    """Is this person an admin of any council, or staff (Django admin), without an
    authenticator app? One simple query for most people (not an admin: no), two for
    admins; cheaper on every page than one query with a subquery."""
    if not user.is_staff and not Membership.objects.filter(user=user, role=Role.ADMIN).exists():
        return False
    return not Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()
