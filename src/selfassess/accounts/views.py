"""A person's own account: signing out everywhere, whether they get reminders and digests
by email, and the way on after setting up two-factor authentication. (The account page
and the personal-data download show several apps' data, so they live in workspace.)"""

from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_POST

from selfassess.audit.models import Action
from selfassess.audit.services import record


@login_required
@require_POST
def sign_out_everywhere(request: HttpRequest) -> HttpResponse:
    user = request.user
    record(
        Action.SIGNED_OUT_EVERYWHERE,
        "Signed out on every device",
        actor=user,
        request=request,
    )
    user.end_all_sessions()
    logout(request)
    messages.success(request, "You have been signed out on every device, including this one.")
    return redirect("account_login")


@login_required
@require_POST
def email_settings(request: HttpRequest) -> HttpResponse:
    """Reminders and digests by email, on or off: the setting every such email links to."""
    user = request.user
    user.reminders_by_email = request.POST.get("reminders_by_email") == "on"
    user.save(update_fields=["reminders_by_email"])
    messages.success(
        request,
        "You will get reminders and digests by email."
        if user.reminders_by_email
        else "You will not get reminders or digests by email.",
    )
    return redirect(reverse("workspace:account") + "#emails")


# Where someone was going when they were sent to set up two-factor authentication first
# (councils.middleware sets it); the recovery codes page's "Continue" goes there.
CONTINUE_AFTER_TWO_FACTOR = "continue_after_two_factor"


@login_required
@require_GET
def continue_after_two_factor(request: HttpRequest) -> HttpResponse:
    destination = request.session.pop(CONTINUE_AFTER_TWO_FACTOR, "")
    if not url_has_allowed_host_and_scheme(
        destination, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        destination = ""
    return redirect(destination or "workspace:home")
