"""Pages that belong to no council and read no app's data: the accessibility statement,
privacy notice, security page and the health check."""

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


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
