"""A council's home page and its people."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from selfassess.assessments.compare import principle_scale, trend
from selfassess.assessments.selectors import assessment_list
from selfassess.audit.models import Action as AuditAction
from selfassess.audit.selectors import council_log

from . import services
from .access import membership_for
from .forms import AddMemberForm, ChangeRoleForm, ReviewDateForm
from .models import ROLE_DESCRIPTIONS, Invitation, Membership, Role


def _home(request, membership, review_form=None, status=200) -> HttpResponse:
    council = membership.council
    today = timezone.localdate()
    rows = trend(council, today)
    principles, maximum = principle_scale(rows[-1].assessment.framework_id) if rows else ([], 0)
    if review_form is None:
        review_form = ReviewDateForm()
        review_form.initial_date("next_review_on", council.next_review_on)
    return render(
        request,
        "councils/home.html",
        {
            "council": council,
            "membership": membership,
            "assessments": assessment_list(council),
            "trend": rows,
            "trend_principles": principles,
            "trend_maximum": maximum,
            "review_overdue": bool(council.next_review_on and council.next_review_on < today),
            "review_form": review_form,
        },
        status=status,
    )


@login_required
def home(request: HttpRequest, slug: str) -> HttpResponse:
    return _home(request, membership_for(request, slug))


@login_required
@require_POST
def review_date(request: HttpRequest, slug: str) -> HttpResponse:
    membership = membership_for(request, slug, Role.ADMIN)
    form = ReviewDateForm(request.POST)
    if not form.is_valid():
        return _home(request, membership, review_form=form, status=400)
    services.set_review_date(council=membership.council, on=form.cleaned_data["next_review_on"])
    messages.success(request, "Review date saved.")
    return redirect("councils:home", slug=slug)


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
        except OSError:
            form.add_error(
                "email",
                "The invitation could not be sent because the email server did not answer. "
                "Nothing was saved; try again later.",
            )
        else:
            messages.success(
                request,
                f"We have emailed an invitation to {invitation.email}. They join as "
                f"{invitation.get_role_display().lower()} when they accept it; the link works "
                f"for {settings.INVITATION_DAYS} days.",
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
            messages.success(request, f"We have emailed a new link to {invitation.email}.")
        elif what == "withdraw":
            services.withdraw(invitation=invitation, by=request.user)
            messages.success(request, f"Withdrew the invitation to {invitation.email}.")
        else:
            messages.error(request, "Choose to send the invitation again or to withdraw it.")
    except services.MembershipError as exc:
        messages.error(request, str(exc))
    except OSError:
        messages.error(request, "The email server did not answer. Nothing was changed.")
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
