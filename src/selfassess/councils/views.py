"""A council's people: members, roles and invitations (and accepting an invitation),
and the council's audit log."""

from allauth.account.internal.flows.login import record_authentication
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from selfassess.audit.models import Action as AuditAction

from . import services
from .access import membership_for
from .forms import AcceptInvitationForm, AddMemberForm, ChangeRoleForm, SharingForm
from .models import ROLE_DESCRIPTIONS, Invitation, Membership, Role
from .selectors import council_log


def _people(request, membership, form, status=200) -> HttpResponse:
    council = membership.council
    return render(
        request,
        "councils/people.html",
        {
            "council": council,
            "membership": membership,
            "members": council.memberships.select_related("user").order_by("user__email"),
            "invitations": services.pending_invitations(council),
            "now": timezone.now(),
            "form": form,
            "roles": [(r.value, r.label, ROLE_DESCRIPTIONS[r]) for r in Role],
        },
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def people(request: HttpRequest, slug: str) -> HttpResponse:
    membership = membership_for(request, slug, Role.ADMIN)
    council = membership.council
    form = AddMemberForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            invitation = services.invite(
                council=council,
                email=form.cleaned_data["email"],
                role=form.cleaned_data["role"],
                full_name=form.cleaned_data["full_name"],
                by=request.user,
            )
        except services.MembershipError as exc:
            form.add_error("email", str(exc))
        else:
            messages.success(
                request,
                f"We are emailing an invitation to {invitation.email} (the list below shows "
                f"when it has gone). They join as {invitation.get_role_display().lower()} when "
                f"they accept it; the link works for {settings.INVITATION_DAYS} days.",
            )
            return redirect("councils:people", slug=slug)
    return _people(request, membership, form, status=400 if form.errors else 200)


@login_required
@require_POST
def invitation_action(request: HttpRequest, slug: str, invitation_id: int) -> HttpResponse:
    membership = membership_for(request, slug, Role.ADMIN)
    invitation = get_object_or_404(Invitation, council=membership.council, pk=invitation_id)
    what = request.POST.get("do")
    try:
        if what == "resend":
            services.resend(invitation=invitation, by=request.user)
            messages.success(request, f"We are emailing a new link to {invitation.email}.")
        elif what == "withdraw":
            services.withdraw(invitation=invitation, by=request.user)
            messages.success(request, f"Withdrew the invitation to {invitation.email}.")
        else:
            messages.error(request, "Choose to send the invitation again or to withdraw it.")
    except services.MembershipError as exc:
        messages.error(request, str(exc))
    return redirect("councils:people", slug=slug)


@login_required
@require_POST
def change_role(request: HttpRequest, slug: str, member_id: int) -> HttpResponse:
    membership = membership_for(request, slug, Role.ADMIN)
    target = get_object_or_404(Membership, council=membership.council, pk=member_id)
    form = ChangeRoleForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Select a role: admin, editor or viewer.")
    else:
        try:
            services.change_role(
                membership=target, role=form.cleaned_data["role"], by=request.user
            )
        except services.MembershipError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, f"Changed {target.user.email}’s role.")
    return redirect("councils:people", slug=slug)


@login_required
@require_http_methods(["GET", "POST"])
def remove(request: HttpRequest, slug: str, member_id: int) -> HttpResponse:
    membership = membership_for(request, slug, Role.ADMIN)
    target = get_object_or_404(
        Membership.objects.select_related("user"), council=membership.council, pk=member_id
    )
    if request.method == "GET":
        return render(
            request,
            "councils/remove.html",
            {"council": membership.council, "membership": membership, "target": target},
        )
    try:
        services.remove_member(membership=target, by=request.user)
    except services.MembershipError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, f"Removed {target.user.email} from {membership.council}.")
    return redirect("councils:people", slug=slug)


@login_required
def audit_log(request: HttpRequest, slug: str) -> HttpResponse:
    membership = membership_for(request, slug, Role.ADMIN)
    kinds = list(AuditAction.choices)
    what = request.GET.get("what", "")
    if what not in AuditAction.values:
        what = ""
    page = Paginator(council_log(membership.council, what), 50).get_page(request.GET.get("page"))
    return render(
        request,
        "councils/audit.html",
        {
            "council": membership.council,
            "membership": membership,
            "page": page,
            "kinds": kinds,
            "what": what,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def sharing(request: HttpRequest, slug: str) -> HttpResponse:
    """A council's admins choose whether its agreed assessments count in benchmarks."""
    if not settings.BENCHMARKS:
        raise Http404
    membership = membership_for(request, slug, Role.ADMIN)
    council = membership.council
    form = SharingForm(
        request.POST if request.method == "POST" else None,
        initial={"shares": "yes" if council.shares_benchmarks else "no"},
    )
    if request.method == "POST" and form.is_valid():
        services.set_benchmark_sharing(
            council=council, shares=form.chosen, by=request.user, request=request
        )
        if form.chosen:
            messages.success(
                request,
                f"{council.name} now shares its latest agreed assessment in benchmarks, "
                "from the next snapshot.",
            )
        else:
            messages.success(
                request,
                f"{council.name} no longer shares in benchmarks. Later snapshots leave it "
                "out; those already published stay as they were.",
            )
        return redirect("councils:sharing", slug=slug)
    return render(
        request,
        "councils/sharing.html",
        {
            "council": council,
            "membership": membership,
            "form": form,
            "k": settings.BENCHMARK_K,
            "group_minimum": settings.BENCHMARK_K + 1,
            "window_months": settings.BENCHMARK_WINDOW_MONTHS,
        },
        status=400 if form.errors else 200,
    )


@require_http_methods(["GET", "POST"])
def invitation(request: HttpRequest, token: str) -> HttpResponse:
    """The page an invitation email links to. It works once, until it expires, for the
    address it was sent to."""
    try:
        invite = services.find_invitation(token)
    except services.InvitationNotValid as exc:
        return render(request, "accounts/invitation_invalid.html", {"reason": str(exc)}, status=404)
    user = request.user if request.user.is_authenticated else None
    existing = services.account_for(invite.email)
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
            member = services.accept(
                token=token,
                user=user,
                full_name=form.cleaned_data["full_name"] if form else "",
                password=form.cleaned_data["password1"] if form else "",
            )
        except services.InvitationNotValid as exc:
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
        return redirect("workspace:council", slug=invite.council.slug)
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
