"""Councillor feedback as a council runs it, in a real browser, with axe-core and the
reflow check at 1280 and 390 pixels wide: an editor (democratic services) opens a round
and invites two councillors; one answers part way on a phone; a reminder goes with the
same link and the answers are still there; the round is closed early, after asking,
and says the day it closed; the results count "Don't know" and show what good looks
like where the gap is largest."""

import json
import re

import pytest
from django.utils import timezone

from selfassess.feedback.models import Round, SurveyResponse
from selfassess.interchange.json_format import import_assessment

from ..feedback.test_results import respond
from .conftest import PHONE, sign_in
from .test_truthful_results import WIDE, at_both_widths

pytestmark = pytest.mark.django_db(transaction=True)

PARTLY, DONT_KNOW = 1, 3  # the radios' positions: 0 Not at all, 1 Partly, 2 Fully, 3 Don't know


def test_an_editor_runs_a_round_a_reminder_keeps_the_answers_and_the_results_tell_the_truth(
    live_server, framework, council, editor, seed002, smtp, settings, new_page, axe, screenshot
):
    settings.SITE_URL = live_server.url
    settings.SURVEY_MIN_RESPONSES = 3
    # The toolkit with its guidance.
    guided = seed002 | {"framework": seed002["framework"] | {"version": framework.version}}
    assessment = import_assessment(json.dumps(guided), council=council).assessment
    base = f"{live_server.url}/councils/example/assessments/{assessment.pk}/feedback/"

    page = new_page(viewport=WIDE)
    sign_in(page, live_server.url, editor.email)
    page.goto(base)
    page.get_by_role("link", name="Open a feedback round").click()
    at_both_widths(page, axe, screenshot, "survey-journey-new")
    page.get_by_role("button", name="Create the round").click()
    page.get_by_label("Names and email addresses").fill(
        "Cllr Jo Bloggs, jo@example.gov.uk\nCllr Sam Smith, sam@example.gov.uk"
    )
    page.get_by_role("button", name="Add to the invitation list").click()
    page.get_by_role("button", name="Send the invitations not yet sent").click()
    round_url = page.url.split("?")[0].split("#")[0]
    (invitation,) = smtp.to("jo@example.gov.uk")
    link = smtp.link(invitation)

    # Jo answers principle 1 on a phone, with a comment, and stops there.
    phone = new_page(viewport=PHONE)
    phone.goto(f"{live_server.url}{link}")
    phone.get_by_role("button", name="Start now").click()
    for position in range(1, 6):
        phone.locator(f'[id="id_s1.{position}_{PARTLY}"]').check()
    phone.get_by_label(re.compile("Is there anything you want to tell the council")).fill(
        "Half way through"
    )
    phone.get_by_role("button", name="Save and continue").click()

    # The editor reminds those who have not answered: Jo, with the same link.
    page.goto(round_url)
    page.get_by_role("button", name="Remind those who have not answered").click()
    reminder = smtp.to("jo@example.gov.uk")[-1]
    assert reminder["Subject"].startswith("Reminder:") and smtp.link(reminder) == link
    assert "your answers so far are kept" in smtp.body(reminder)
    at_both_widths(page, axe, screenshot, "survey-journey-reminded")
    body = page.locator("main").inner_text()
    assert "Reminders: 2 sent" in body and "jo@example.gov.uk" in body
    assert "Answered" not in body  # counts, never who

    # Jo follows the reminder: principle 1 is as Jo left it; Jo answers "Don't know" to
    # all of principle 5 and sends.
    phone.goto(f"{live_server.url}{link}page/1/")
    for position in range(1, 6):
        assert phone.locator(f'[id="id_s1.{position}_{PARTLY}"]').is_checked()
    assert phone.get_by_label(re.compile("Is there anything")).input_value() == "Half way through"
    axe(phone)
    for number in range(1, 6):
        for position in range(1, 6):
            option = DONT_KNOW if number == 5 else PARTLY
            phone.locator(f'[id="id_s{number}.{position}_{option}"]').check()
        phone.get_by_role("button", name="Save and continue").click()
    phone.get_by_role("button", name="Save and continue").click()  # their own experience
    phone.get_by_role("button", name="Send my answers").click()
    assert phone.get_by_role("heading", name="Answers sent").is_visible()
    (answered,) = SurveyResponse.objects.all()
    assert answered.answers["statements"]["1.1"] == 1
    assert answered.answers["statements"]["5.1"] is None

    # Two more councillors answer; nobody knows about statement 5.1.
    round_ = Round.objects.get()
    respond(round_, {"5.1": None, "2.1": 2, "4.2": 2})
    respond(round_, {"5.1": None, "2.1": 2, "4.2": 2})

    # Closing early asks first; "No" changes nothing; "Yes" closes it, and the round
    # says the day it closed.
    page.goto(round_url)
    page.get_by_role("link", name="Close the round now").click()
    at_both_widths(page, axe, screenshot, "survey-journey-close")
    page.get_by_role("link", name="No, keep it open").click()
    assert "Open until the end of" in page.locator("main").inner_text()
    page.get_by_role("link", name="Close the round now").click()
    page.get_by_role("button", name="Yes, close the round now").click()
    day = timezone.localdate(Round.objects.get().closed_at)
    closed = f"Closed early on {day.day} {day:%B %Y}"
    assert closed in page.locator("main").inner_text()
    at_both_widths(page, axe, screenshot, "survey-journey-closed")

    # The results: "Don't know" counted per principle and statement, 5.1 reported as a
    # finding, and what good looks like where councillors and the council differ most
    # (closed until asked for).
    page.goto(f"{round_url}results/")
    main = page.locator("main")
    principles = page.get_by_role("table", name="Principles, largest gap first")
    assert "“Don’t know” answers" in principles.inner_text()
    # Nobody could answer 5.1, so principle 5 has no councillors' total: still a row,
    # last, with Jo's five "Don't know" answers and the others' two.
    last = principles.locator("tbody tr").last
    assert last.locator("th").inner_text() == "5. Creating a culture of safety and respect"
    score, average, gap, dont_know = last.locator("td").all_inner_texts()
    assert (average, dont_know) == ("No total", "7") and gap.startswith("Not known")
    assert "every councillor who answered (3) said they don’t know" in main.inner_text()
    guidance = page.get_by_role("heading", name="What good looks like where the gap is largest")
    assert guidance.is_visible()
    details = main.locator("#largest-gap ~ details").first
    assert details.get_attribute("open") is None
    details.locator("summary").click()
    assert details.get_attribute("open") is not None
    at_both_widths(page, axe, screenshot, "survey-journey-results")
