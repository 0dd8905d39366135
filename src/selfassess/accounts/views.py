"""A person's own account: signing out everywhere. (The account page and the
personal-data download show several apps' data, so they live in workspace.)"""

from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.views.decorators.http import require_POST

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
