"""A person's own account: security settings, signing out everywhere, what the product
holds about them, and accepting an invitation to a council."""

import json

from allauth.account.internal.flows.login import record_authentication
from allauth.mfa.models import Authenticator
from django.contrib import messages
from django.contrib.auth import login, logout
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from selfassess.audit.models import Action, AuditEvent
from selfassess.audit.services import record
from selfassess.councils import services as council_services
from selfassess.councils.models import Invitation, Membership

from .forms import AcceptInvitationForm


@login_required
def account(request: HttpRequest) -> HttpResponse:
    user = request.user
    return render(
        request,
        "accounts/account.html",
        {
            "memberships": Membership.objects.filter(user=user).select_related("council"),
            "two_factor": Authenticator.objects.filter(
                user=user, type=Authenticator.Type.TOTP
            ).exists(),
        },
    )


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


def _iso(value) -> str | None:
    return value.isoformat() if value else None


def personal_data_document(user) -> dict:
    """Everything the product holds that is about this person or was written by them.
    Councillors' survey answers are not here: nothing links an answer to anyone."""
    from selfassess.assessments.models import Change
    from selfassess.feedback.models import Ballot
    from selfassess.plans.models import Action as PlanAction
    from selfassess.plans.models import ProgressUpdate

    email = user.email
    changes = Change.objects.filter(user=user).select_related(
        "assessment__council", "response__statement"
    )
    return {
        "format": "selfassess/personal-data@1",
        "produced_at": _iso(timezone.now()),
        "account": {
            "email": email,
            "full_name": user.full_name,
            "joined": _iso(user.date_joined),
            "last_sign_in": _iso(user.last_login),
            "two_factor_authentication": Authenticator.objects.filter(
                user=user, type=Authenticator.Type.TOTP
            ).exists(),
        },
        "memberships": [
            {"council": m.council.name, "role": m.get_role_display(), "since": _iso(m.created_at)}
            for m in Membership.objects.filter(user=user).select_related("council")
        ],
        "invitations": [
            {
                "council": i.council.name,
                "role": i.get_role_display(),
                "sent": _iso(i.created_at),
                "accepted": _iso(i.accepted_at),
                "withdrawn": _iso(i.withdrawn_at),
            }
            for i in Invitation.objects.filter(email=email).select_related("council")
        ],
        "audit_log": [
            {
                "at": _iso(e.at),
                "what": e.get_action_display(),
                "summary": e.summary,
                "ip_address": e.ip_address,
            }
            for e in AuditEvent.objects.filter(actor=user)
            | AuditEvent.objects.filter(actor__isnull=True, actor_email=email)
        ],
        "assessment_changes": [
            {
                "at": _iso(c.at),
                "council": c.assessment.council.name,
                "assessment": c.assessment.title,
                "statement": c.response.statement.ref if c.response_id else None,
                "what": c.get_field_display(),
                "before": c.before,
                "after": c.after,
                "note": c.note,
            }
            for c in changes
        ],
        "actions_added": [
            {"at": _iso(a.created_at), "assessment": a.assessment.title, "title": a.title}
            for a in PlanAction.objects.filter(created_by=user).select_related("assessment")
        ],
        "progress_updates": [
            {"on": _iso(u.on), "action": u.action.title, "text": u.text}
            for u in ProgressUpdate.objects.filter(user=user).select_related("action")
        ],
        "survey_invitations": [
            {
                "council": b.round.assessment.council.name,
                "round_opened": _iso(b.round.opens_on),
                "sent": _iso(b.sent_at),
                "reminded": _iso(b.reminded_at),
                "answered": b.answered,
            }
            for b in Ballot.objects.filter(email__iexact=email).select_related(
                "round__assessment__council"
            )
            if b.email.lower() == email  # iexact narrows; the exact address decides
        ],
        "survey_answers": (
            "Not included: councillors' answers are stored with nothing that links them "
            "to a person, so the product cannot tell which answers are yours."
        ),
    }


@login_required
def personal_data(request: HttpRequest) -> HttpResponse:
    user = request.user
    record(
        Action.PERSONAL_DATA_DOWNLOADED,
        "Downloaded their personal data",
        actor=user,
        request=request,
    )
    body = json.dumps(personal_data_document(user), indent=2, ensure_ascii=False)
    response = HttpResponse(body, content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="self-assess-your-data.json"'
    response["Cache-Control"] = "private, no-store"
    return response


@require_http_methods(["GET", "POST"])
def invitation(request: HttpRequest, token: str) -> HttpResponse:
    """The page an invitation email links to. It works once, until it expires, for the
    address it was sent to."""
    try:
        invite = council_services.find_invitation(token)
    except council_services.InvitationNotValid as exc:
        return render(request, "accounts/invitation_invalid.html", {"reason": str(exc)}, status=404)
    user = request.user if request.user.is_authenticated else None
    existing = council_services.account_for(invite.email)
    needs_password = user is None and existing is None
    form = None
    if needs_password:
        form = AcceptInvitationForm(
            request.POST if request.method == "POST" else None,
            email=invite.email,
            initial={"full_name": invite.full_name},
        )
    wrong_person = user is not None and user.email != invite.email
    sign_in_first = user is None and not needs_password
    may_accept = user is not None and not wrong_person
    if request.method == "POST" and (may_accept or (form is not None and form.is_valid())):
        try:
            member = council_services.accept(
                token=token,
                user=user,
                full_name=form.cleaned_data["full_name"] if form else "",
                password=form.cleaned_data["password1"] if form else "",
            )
        except council_services.InvitationNotValid as exc:
            return render(
                request, "accounts/invitation_invalid.html", {"reason": str(exc)}, status=404
            )
        if user is None:
            login(request, member, backend="django.contrib.auth.backends.ModelBackend")
            # They have just typed their new password: count it as signing in, so that
            # setting up two-factor authentication does not ask for it again at once.
            record_authentication(request, member, method="password", email=member.email)
        messages.success(
            request,
            f"You have joined {invite.council.name} as {invite.get_role_display().lower()}.",
        )
        return redirect("councils:home", slug=invite.council.slug)
    return render(
        request,
        "accounts/invitation.html",
        {
            "invite": invite,
            "form": form,
            "signed_in_as": user,
            "wrong_person": wrong_person,
            "sign_in_first": sign_in_first,
        },
        status=400 if form is not None and form.errors else 200,
    )
