"""The council's calendar: its admins are reminded before the annual review and of an
assessment long in progress, once each, with a setting on the council and a way to
switch reminders off that every email names."""

import datetime
import email.header

from django.utils import timezone

from selfassess.assessments import services as assessments
from selfassess.assessments.models import Assessment
from selfassess.councils import services

TODAY = datetime.date(2026, 11, 30)


def test_admins_are_reminded_before_the_review_once(council, admin, editor, smtp):
    council.next_review_on = TODAY + datetime.timedelta(days=31)
    council.save()
    assert services.send_review_reminders(TODAY) == 0  # not yet: 30 days before
    assert services.send_review_reminders(TODAY + datetime.timedelta(days=1)) == 1
    (message,) = smtp.messages
    assert message["To"] == admin.email  # admins only
    body = smtp.body(message)
    assert "next review" in body and "in 30 days" in body
    assert "you are an admin of Example District Council" in body
    assert "http://testserver/account/#emails" in body
    assert services.send_review_reminders(TODAY + datetime.timedelta(days=2)) == 0  # once
    council.review_reminder_days = None  # the council's setting: never
    council.next_review_on = TODAY + datetime.timedelta(days=400)
    council.save()
    assert services.send_review_reminders(TODAY + datetime.timedelta(days=390)) == 0


def test_admins_are_reminded_of_an_assessment_long_in_progress(
    framework, council, admin, editor, smtp
):
    a = assessments.create_assessment(
        council=council, user=editor, title="Draft 2026", assessed_on=TODAY
    )
    Assessment.objects.filter(pk=a.pk).update(
        created_at=timezone.now() - datetime.timedelta(days=89)
    )
    today = timezone.localdate()
    assert assessments.send_draft_reminders(today) == 0
    Assessment.objects.filter(pk=a.pk).update(
        created_at=timezone.now() - datetime.timedelta(days=91)
    )
    assert assessments.send_draft_reminders(today) == 1
    subject = str(email.header.make_header(email.header.decode_header(smtp.messages[0]["Subject"])))
    assert "“Draft 2026” has been in progress for 91 days" in subject
    assert assessments.send_draft_reminders(today) == 0  # once per assessment
    admin.reminders_by_email = False
    admin.save()
    Assessment.objects.filter(pk=a.pk).update(
        status="complete", agreed_by="x", agreed_on=TODAY, signed_off_at=timezone.now()
    )
    assert assessments.send_draft_reminders(today) == 0
