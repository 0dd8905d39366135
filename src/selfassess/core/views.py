"""Pages that belong to no council: the start page and the toolkit's introduction."""

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from selfassess.councils.models import Membership
from selfassess.frameworks.selectors import current_framework, principles_with_statements


def home(request: HttpRequest) -> HttpResponse:
    if not request.user.is_authenticated:
        return render(request, "core/start.html", {"framework": current_framework()})
    memberships = list(Membership.objects.filter(user=request.user).select_related("council"))
    if len(memberships) == 1:
        return redirect("councils:home", slug=memberships[0].council.slug)
    return render(request, "core/home.html", {"memberships": memberships})


def toolkit(request: HttpRequest) -> HttpResponse:
    framework = current_framework()
    context = {"framework": framework}
    if framework is not None:
        principles = list(principles_with_statements(framework))
        levels = list(framework.levels.order_by("value"))
        top = levels[-1].value
        context |= {
            "principles": principles,
            "levels": levels,
            "principle_max": top * len(principles[0].statements.all()),
            "overall_max": top * sum(len(p.statements.all()) for p in principles),
        }
    return render(request, "core/toolkit.html", context)


def accessibility(request: HttpRequest) -> HttpResponse:
    return render(request, "core/accessibility.html")


def _protection_facts() -> dict:
    return {
        "idle_minutes": settings.SESSION_COOKIE_AGE // 60,
        "retention_months": settings.SURVEY_RETENTION_MONTHS,
        "min_responses": settings.SURVEY_MIN_RESPONSES,
        "invitation_days": settings.INVITATION_DAYS,
        "audit_months": settings.AUDIT_RETENTION_MONTHS,
    }


def privacy(request: HttpRequest) -> HttpResponse:
    return render(request, "core/privacy.html", _protection_facts())


def security(request: HttpRequest) -> HttpResponse:
    return render(request, "core/security.html", _protection_facts())


def healthz(request: HttpRequest) -> HttpResponse:
    """For load balancers and monitoring: answers without touching the database, so it
    is also the benchmark suite's baseline for the server's own cost per request."""
    return HttpResponse("ok\n", content_type="text/plain")
