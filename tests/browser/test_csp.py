"""The Content-Security-Policy allows no inline script or style, and the pages break no
rule of it: Chromium reports no violation while the journeys' pages load."""

import pytest

from .conftest import DESKTOP, sign_in

pytestmark = pytest.mark.django_db(transaction=True)


def test_pages_keep_to_the_content_security_policy(
    live_server, browser, framework, council, seed002, editor
):
    import json

    from selfassess.interchange.json_format import import_assessment

    assessment = import_assessment(json.dumps(seed002), council=council).assessment
    context = browser.new_context(viewport=DESKTOP)
    page = context.new_page()
    violations = []
    page.on(
        "console",
        lambda m: violations.append(m.text) if "Content Security Policy" in m.text else None,
    )
    response = page.goto(f"{live_server.url}/accounts/login/")
    policy = response.headers["content-security-policy"]
    assert "script-src 'self'" in policy and "style-src 'self'" in policy
    assert "unsafe-inline" not in policy
    sign_in(page, live_server.url, "editor@example.org")
    base = f"{live_server.url}/councils/example/assessments/{assessment.pk}"
    for path in ("/", "/principles/1/", "/summary/", "/plan/", "/report/"):
        page.goto(base + path)
        page.wait_for_load_state("networkidle")
    assert page.evaluate("document.body.classList.contains('govuk-frontend-supported')")
    assert violations == []
    chart = page.locator("img.app-chart")
    assert chart.evaluate("img => img.naturalWidth") > 0  # the SVG chart still draws
    context.close()
