"""An action's owner is one of the council's people; each owner gets a weekly digest of
the actions due soon or overdue, once a week, unless they switched it off; every
digest says why it came and links to that setting."""

import datetime

from selfassess.background.models import Email
from selfassess.plans import services
from selfassess.plans.models import Action, PlanChange

from .conftest import ACTION, plan_url

TODAY = datetime.date(2026, 11, 30)  # a Monday


def action(scored, user, title, target, owner=None, status="not_started"):
    return services.create_action(
        assessment=scored,
        user=user,
        data=services.ActionInput(
            title=title,
            description="",
            lead="",
            partners="",
            target_date=target,
            priority="high",
            status=status,
            refs=["1.1"],
            owner_id=owner.pk if owner else None,
        ),
    )


def test_an_owner_is_chosen_from_the_councils_people(scored, login, editor, viewer, outsider):
    client = login(editor)
    form = client.get(plan_url(scored, "actions/new/")).content.decode()
    assert ">Vic Viewer</option>" in form and "Olly Outsider" not in form
    resp = client.post(
        plan_url(scored, "actions/new/"),
        ACTION | {"owner": str(viewer.pk), "statements": ["1.1"]},
    )
    assert resp.status_code == 302
    made = Action.objects.get()
    assert made.owner == viewer
    refused = client.post(
        plan_url(scored, "actions/new/"),
        ACTION | {"title": "Not theirs", "owner": str(outsider.pk), "statements": ["1.1"]},
    )
    assert refused.status_code == 400 and Action.objects.count() == 1
    edit = client.post(
        plan_url(scored, f"actions/{made.pk}/edit/"),
        ACTION | {"owner": "", "statements": ["1.1"], "version": "0"},
    )
    assert edit.status_code == 302
    made.refresh_from_db()
    assert made.owner is None
    change = PlanChange.objects.get(field="owner")
    assert (change.before, change.after) == ("Vic Viewer", "")


def test_the_weekly_digest(scored, editor, viewer, smtp):
    action(scored, editor, "Overdue one", TODAY - datetime.timedelta(days=3), owner=viewer)
    action(scored, editor, "Due soon", TODAY + datetime.timedelta(days=10), owner=viewer)
    action(scored, editor, "Far off", TODAY + datetime.timedelta(days=60), owner=viewer)
    action(
        scored, editor, "Done", TODAY - datetime.timedelta(days=3), owner=viewer, status="complete"
    )
    action(scored, editor, "Nobody's", TODAY - datetime.timedelta(days=3))
    assert services.send_digests(TODAY) == 1
    (message,) = smtp.messages
    body = smtp.body(message).replace("\r\n", "\n")
    assert message["To"] == viewer.email
    assert "Overdue (1):\n- Overdue one" in body and "- Due soon" in body
    assert "Far off" not in body and "Done" not in body and "Nobody's" not in body
    assert "Why you are getting this: you own these actions" in body
    assert "http://testserver/account/#emails" in body
    assert services.send_digests(TODAY + datetime.timedelta(days=2)) == 0  # once a week
    assert services.send_digests(TODAY + datetime.timedelta(days=7)) == 1


def test_no_digest_for_those_who_switched_it_off_or_left(scored, editor, viewer, login, smtp):
    action(scored, editor, "Overdue one", TODAY - datetime.timedelta(days=3), owner=viewer)
    client = login(viewer)
    page = client.get("/account/").content.decode()
    assert (
        'id="reminders_by_email" name="reminders_by_email" type="checkbox" value="on" checked'
        in page
    )
    assert client.post("/account/emails/", {}).status_code == 302
    viewer.refresh_from_db()
    assert not viewer.reminders_by_email
    assert services.send_digests(TODAY) == 0
    viewer.reminders_by_email = True
    viewer.save()
    viewer.memberships.all().delete()  # no longer in the council
    assert services.send_digests(TODAY) == 0
    assert not Email.objects.exists()
