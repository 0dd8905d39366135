"""Pages do not jump once drawn. On a phone the menu used to fold away only when the
script file ran, after the page was on screen, moving everything up (Lighthouse measured
a cumulative layout shift of 0.17-0.18); and a chart without its size pushed what follows
down when it arrived. Here the scripts and charts arrive late, as on a slow connection,
under the site's real Content-Security-Policy, and every main signed-in page must shift
by less than 0.1 in total."""

import datetime
import json
import time

import pytest

from selfassess.interchange.json_format import import_assessment
from selfassess.plans import services as plans

from .conftest import PHONE, sign_in

pytestmark = pytest.mark.django_db(transaction=True)

# Chromium's layout-shift entries since the page started, less those right after input.
LAYOUT_SHIFT = """() => new Promise(resolve => {
  let total = 0;
  new PerformanceObserver(list => {
    for (const entry of list.getEntries()) {
      if (!entry.hadRecentInput) total += entry.value;
    }
  }).observe({type: 'layout-shift', buffered: true});
  setTimeout(() => resolve(total), 500);
})"""


def test_signed_in_pages_do_not_move_after_they_first_draw(
    live_server, browser, framework, council, seed002, admin, editor
):
    assessment = import_assessment(json.dumps(seed002), council=council).assessment
    action = plans.create_action(
        assessment=assessment,
        user=editor,
        data=plans.ActionInput(
            title="Safety at ward surgeries",
            description="",
            lead="Monitoring Officer",
            partners="",
            target_date=datetime.date(2030, 3, 31),
            priority="high",
            status="not_started",
            refs=["3.3"],
        ),
    )
    context = browser.new_context(viewport=PHONE)  # the site's own policy applies
    page = context.new_page()
    policy_breaches = []
    page.on(
        "console",
        lambda m: policy_breaches.append(m.text) if "Content Security Policy" in m.text else None,
    )

    def late(route):
        time.sleep(0.4)
        route.continue_()

    page.route("**/static/js/*.js", late)
    page.route("**/*.svg", late)
    sign_in(page, live_server.url, admin.email)
    council_url = f"{live_server.url}/councils/example"
    base = f"{council_url}/assessments/{assessment.pk}"
    shifts = {}
    for path in (
        f"{council_url}/",
        f"{base}/",
        f"{base}/principles/1/",
        f"{base}/summary/",
        f"{base}/plan/",
        f"{base}/plan/actions/{action.pk}/",
        f"{base}/report/",
        f"{base}/sign-off/",
        f"{council_url}/people/",
        f"{live_server.url}/account/",
    ):
        page.goto(path)
        page.wait_for_load_state("networkidle")
        assert page.evaluate(
            "['js-enabled', 'govuk-frontend-supported']"
            ".every(c => document.body.classList.contains(c))"
        ), path
        shifts[path.removeprefix(live_server.url)] = page.evaluate(LAYOUT_SHIFT)
    context.close()
    assert policy_breaches == []
    moved = {path: round(total, 3) for path, total in shifts.items() if total >= 0.1}
    assert not moved, f"pages that moved after they were drawn: {moved}"


def test_the_phone_menu_still_opens_while_the_script_is_on_its_way(
    live_server, browser, framework, council, editor
):
    """Until the script runs, the folded menu opens for as long as it has focus."""
    context = browser.new_context(viewport=PHONE)
    page = context.new_page()
    sign_in(page, live_server.url, editor.email)
    page.route("**/static/js/init.js", lambda route: route.abort())  # the script never comes
    page.goto(f"{live_server.url}/toolkit/")
    menu = page.get_by_role("button", name="Menu")
    sign_out = page.locator("#navigation").get_by_role("link", name="Sign out")
    assert menu.is_visible() and not sign_out.is_visible()
    menu.focus()
    assert sign_out.is_visible()
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.closest('#navigation') !== null")
    context.close()
