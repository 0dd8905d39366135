"""The world the hostile-input tests attack: a council with each role, a scored draft
assessment with an action and an open feedback round, a signed-off assessment, another
member, a survey token, a password-reset key, the host's staff and a published benchmark."""

import datetime
import json
import re

import pytest
from django.core import mail

from selfassess.accounts.models import User
from selfassess.benchmarks.services import publish_snapshot
from selfassess.councils import services as council_services
from selfassess.councils.models import Membership, Role
from selfassess.feedback import services as feedback
from selfassess.interchange.json_format import import_assessment
from selfassess.plans import services as plans

from ..conftest import give_totp, make_member


@pytest.fixture
def world(framework, council, admin, editor, viewer, seed002, settings):
    settings.BENCHMARKS = True  # the sharing page, the host's publishing and the open data
    draft = import_assessment(json.dumps(seed002), council=council, user=editor).assessment
    signed = seed002 | {
        "title": "Signed off 2023",
        "status": "complete",
        "sign_off": {"agreed_by": "Standards Committee", "agreed_on": "2024-06-20"},
    }
    complete = import_assessment(json.dumps(signed), council=council, user=editor).assessment
    action = plans.create_action(
        assessment=draft,
        user=editor,
        data=plans.ActionInput(
            title="Name a police contact",
            description="Agree one named contact.",
            lead="Chief Executive",
            partners="Kent Police",
            target_date=datetime.date(2030, 6, 30),
            priority="high",
            status="in_progress",
            refs=["1.1"],
        ),
    )
    plans.add_progress(action=action, user=editor, on=datetime.date(2024, 7, 1), text="Met them")
    today = datetime.date.today()
    round_ = feedback.open_round(
        assessment=draft,
        user=admin,
        opens_on=today - datetime.timedelta(days=1),
        closes_on=today + datetime.timedelta(days=9),
        introduction="From the Monitoring Officer.",
        shared_link=True,
    )
    feedback.add_invitations(round_=round_, people=[feedback.Invitee("Cllr A", "a@example.org")])
    token = feedback.shared_ticket(round_.public_id, round_.access_code)
    # Every statement answered, so that the check page can send the answers.
    refs = [s.ref for s in draft.framework.statements.all()]
    feedback.save_draft(token, {"statements": dict.fromkeys(refs, 1), "comments": {}})
    make_member(council, Role.VIEWER, "target@example.org", "Tara Target")
    mail.outbox.clear()
    invitation = council_services.invite(
        council=council, email="newcomer@example.org", role=Role.EDITOR, by=admin
    )
    invitation_token = re.search(r"/invitations/([^/\s]+)/", mail.outbox[-1].body).group(1)
    staff = User.objects.create_user(
        email="host@example.org", password="a long test password", full_name="Hal Host"
    )
    staff.is_staff = True
    staff.save(update_fields=["is_staff"])
    give_totp(staff)  # staff must use two-factor authentication
    snapshot = publish_snapshot()
    from allauth.account.forms import default_token_generator
    from allauth.account.utils import user_pk_to_url_str

    return {
        "council": council,
        "draft": draft,
        "complete": complete,
        "action": action,
        "round": round_,
        "token": token,
        "invitation": invitation,
        "invitation_token": invitation_token,
        "gap_ref": "1.3",  # scored 0 in seed 002, no action covers it
        "target": Membership.objects.get(user__email="target@example.org"),
        "users": {"admin": admin, "editor": editor, "viewer": viewer, "staff": staff},
        "snapshot": snapshot,
        "reset": (user_pk_to_url_str(editor), default_token_generator.make_token(editor)),
    }
