"""A council's home page and its people."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from selfassess.assessments.compare import principle_scale, trend
from selfassess.assessments.selectors import assessment_list

from . import services
from .access import membership_for
from .forms import AddMemberForm, ChangeRoleForm, ReviewDateForm
from .models import ROLE_DESCRIPTIONS, Membership, Role


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


@login_required
@require_http_methods(["GET", "POST"])
def people(request: HttpRequest, slug: str) -> HttpResponse:
    membership = membership_for(request, slug, Role.ADMIN)
    council = membership.council
    form = AddMemberForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            added = services.add_member(
                council=council,
                email=form.cleaned_data["email"],
                role=form.cleaned_data["role"],
                full_name=form.cleaned_data["full_name"],
            )
        except services.MembershipError as exc:
            form.add_error("email", str(exc))
        else:
            messages.success(
                request,
                f"{added.user.email} is now a {added.get_role_display().lower()}. If they are "
                "new, they set their password with “Forgot your password?” on the sign-in page.",
            )
            return redirect("councils:people", slug=slug)
    members = council.memberships.select_related("user").order_by("user__email")
    return render(
        request,
        "councils/people.html",
        {
            "council": council,
            "membership": membership,
            "members": members,
            "form": form,
            "roles": [(r.value, r.label, ROLE_DESCRIPTIONS[r]) for r in Role],
        },
        status=400 if form.is_bound and form.errors else 200,
    )


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
            services.change_role(membership=target, role=form.cleaned_data["role"])
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
        services.remove_member(membership=target)
    except services.MembershipError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, f"Removed {target.user.email} from {membership.council}.")
    return redirect("councils:people", slug=slug)
