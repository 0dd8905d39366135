"""A committee paper as a council would send it: seed 002's scores, a 20-action forward
plan with progress updates (some actions overdue), an officer's covering summary and
recommendations, and a closed round of councillors' feedback with comments."""

import datetime
import json

from selfassess.assessments import services as assessments
from selfassess.feedback import services as feedback
from selfassess.interchange.json_format import import_assessment
from selfassess.plans import services as plans
from selfassess.reports import services as reports
from tests.feedback.test_results import invited_token

ALL_REFS = [f"{p}.{s}" for p in range(1, 6) for s in range(1, 6)]

SUMMARY = (
    "In June 2024 the Local Government Association published a toolkit for councils to "
    "assess how well they prevent and tackle the abuse and intimidation of councillors.\n\n"
    "Officers have scored the council against its 25 statements. The council scores 28 "
    "out of 50: support for councillors' wellbeing and risk assessment are the weakest "
    "areas, and the relationship with the police the strongest."
)
RECOMMENDATIONS = (
    "1. That the committee notes the self-assessment and the councillors' feedback.\n"
    "2. That the committee endorses the forward plan and asks for a progress report in "
    "six months."
)
MINUTE = "Standards Committee, 12 March 2025, minute 34"
COMMENTS = {
    "1": "Nobody told me where to go for support after the meeting in March",
    "3": "The safeguarding officer was great when I reported a threat",
}

# Twenty actions in plain English: (title, what will be done, statement, progress).
ACTIONS = [
    ("Publish a councillor safety page", "A page on the members' intranet that brings together personal safety advice, who to contact and how to report abuse.", "1.1", "Draft page shared with group leaders for comment."),  # noqa: E501
    ("Hold termly wellbeing drop-ins", "Informal sessions each term where councillors can talk to the Monitoring Officer and the occupational health service in confidence.", "1.2", "First drop-in held; seven councillors came."),  # noqa: E501
    ("Add self-care to the induction programme", "A session on boundaries, managing email and social media out of hours, and where to find support.", "1.3", ""),  # noqa: E501
    ("Train member services staff to spot distress", "Half-day training for democratic services and member support officers on recognising distress and signposting support.", "1.4", "Training booked with the occupational health provider for September."),  # noqa: E501
    ("Survey councillors on wellbeing support every year", "An annual question set in the councillor survey, with the results reported to this committee.", "1.5", ""),  # noqa: E501
    ("Offer a personal risk assessment to every councillor", "A short self-assessment form and a follow-up conversation with an officer for anyone who asks, covering home address, surgeries, travel and online presence. " * 3, "2.1", "Form drafted with the police Force Elected Official Adviser; pilot with six councillors agreed."),  # noqa: E501
    ("Write guidance on mitigating common risks", "Practical guidance on surgeries, canvassing, home visits and social media, linked from the risk assessment form.", "2.2", ""),  # noqa: E501
    ("Agree an escalation route for emerging risks", "A named officer and a 24-hour route for councillors to raise a risk, with an agreed response time.", "2.3", "Route agreed by the Chief Executive; to be published with the safety page."),  # noqa: E501
    ("Fund home security measures where risk is high", "A small budget for alarms, door cameras and other measures recommended by the police after an individual risk assessment.", "2.4", ""),  # noqa: E501
    ("Review every serious incident", "A short post-incident review with the councillor, the police and officers, and a note of what changed.", "2.5", "Template for the review agreed."),  # noqa: E501
    ("Publish the process for raising concerns", "A one-page flowchart of how to report abuse, who does what and how quickly.", "3.1", ""),  # noqa: E501
    ("Name a safeguarding lead for councillors", "Confirm the designated officer, a deputy, and how councillors reach them out of hours.", "3.2", "Lead named; deputy to be confirmed."),  # noqa: E501
    ("Brief councillors on support after an incident", "A briefing at full council and a page on the intranet.", "3.3", ""),  # noqa: E501
    ("Train officers who support councillors", "Training for the people named in the process on helping a councillor through reporting.", "3.4", ""),  # noqa: E501
    ("Review the process with councillors each year", "A short annual review with group leaders and the Standards Committee.", "3.5", ""),  # noqa: E501
    ("Agree a single point of contact with the police", "Through Operation Ford, a named police contact for the council and a route for urgent concerns.", "4.1", "Meeting held with the Force Elected Official Adviser."),  # noqa: E501
    ("Hold a joint police and council briefing", "A session for councillors on what the police can do, how to report, and what to expect.", "4.3", ""),  # noqa: E501
    ("Agree an information-sharing protocol", "A protocol with the police for sharing information about serious threats, within data protection law.", "4.4", ""),  # noqa: E501
    ("Adopt a public statement on respectful debate", "A statement, agreed by all groups, of what the council regards as abuse and what it will do about it.", "5.1", "Draft statement with group leaders."),  # noqa: E501
    ("Run awareness sessions on online abuse", "Sessions with the LGA on handling online abuse and harassment, open to councillors and staff.", "5.4", ""),  # noqa: E501
]  # fmt: skip


def committee_paper(council, seed002, editor, admin, *, complete: bool, today=None):
    """The assessment, ready for a report. `complete` signs it off with a minute."""
    today = today or datetime.date.today()
    assessment = import_assessment(json.dumps(seed002), council=council, user=editor).assessment
    for i, (title, description, ref, progress) in enumerate(ACTIONS):
        action = plans.create_action(
            assessment=assessment,
            user=editor,
            data=plans.ActionInput(
                title=title,
                description=description,
                lead=["Monitoring Officer", "Head of Democratic Services", "Police liaison"][i % 3],
                partners="Kent Police" if i % 4 == 0 else "",
                # Every third action's target date has passed: overdue while still open.
                target_date=today + datetime.timedelta(days=-30 if i % 3 == 0 else 60 + i),
                priority=["high", "medium", "low"][i % 3],
                status="in_progress" if i % 2 == 0 else "not_started",
                refs=[ref],
            ),
        )
        if progress:
            plans.add_progress(
                action=action,
                user=editor,
                on=today - datetime.timedelta(days=40),
                text=f"Earlier update on {title.lower()}",
            )
            plans.add_progress(
                action=action, user=editor, on=today - datetime.timedelta(days=5), text=progress
            )
    reports.save_covering_report(
        assessment=assessment,
        user=editor,
        summary=SUMMARY,
        recommendations=RECOMMENDATIONS,
        seen_version=0,
    )
    round_ = feedback.open_round(
        assessment=assessment,
        user=admin,
        opens_on=today - datetime.timedelta(days=1),
        closes_on=today + datetime.timedelta(days=20),
        introduction="From the Monitoring Officer.",
        shared_link=True,
    )
    # Ten councillors invited personally: enough for their comments to be shown word for
    # word (SURVEY_MIN_RESPONSES_FOR_COMMENTS).
    for i in range(10):
        token = invited_token(round_)
        feedback.submit(
            token,
            {
                "statements": {ref: (i + n) % 3 for n, ref in enumerate(ALL_REFS)},
                "comments": {k: v for k, v in COMMENTS.items() if i == int(k)},
                "experience": {"frequency": "Several times"} if i % 2 else {},
            },
        )
    feedback.close_round(round_=round_, user=admin)  # sealed by the task it queues
    if complete:
        assessments.sign_off(
            assessment=assessment,
            user=admin,
            agreed_by="Standards Committee",
            agreed_on=today - datetime.timedelta(days=1),
            minute_reference=MINUTE,
        )
        assessment.refresh_from_db()
    return assessment
