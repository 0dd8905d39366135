"""An admin invites a person to a council with a role; the person accepts through the
emailed link, setting their own password or signing in."""

import datetime
from urllib.parse import urlparse

import pytest
from django.test import Client
from django.utils import timezone

from selfassess.accounts.models import User
from selfassess.audit.models import Action, AuditEvent
from selfassess.councils.models import Invitation, Membership, Role


def invitation_path(inbox, address: str) -> str:
    message = inbox.to(address)[-1]
    line = next(ln for ln in inbox.body(message).splitlines() if "/invitations/" in ln)
    return urlparse(line.strip()).path


def invite(client, email="New.Person@Example.org", role="editor", name="New Person"):
    return client.post(
        "/councils/example/people/", {"email": email, "role": role, "full_name": name}
    )


def test_new_person_accepts_and_sets_their_own_password(council, login, admin, smtp):
    resp = invite(login(admin))
    assert resp.status_code == 302
    # Nothing is given until they accept: no account, no membership yet.
    assert not User.objects.filter(email="new.person@example.org").exists()
    invitation = Invitation.objects.get(email="new.person@example.org")
    path = invitation_path(smtp, "new.person@example.org")
    token = path.rstrip("/").rsplit("/", 1)[-1]
    assert len(token) >= 40 and token not in invitation.token_hash  # only a hash is stored
    people = login(admin).get("/councils/example/people/").content.decode()
    assert "new.person@example.org" in people and "Invitations waiting" in people

    visitor = Client()
    page = visitor.get(path).content.decode()
    assert "Join Example District Council as editor" in page
    # A weak or mismatched password is refused with a message, and nothing is created.
    resp = visitor.post(path, {"full_name": "New Person", "password1": "short", "password2": "x"})
    assert resp.status_code == 400 and "There is a problem" in resp.content.decode()
    assert not User.objects.filter(email="new.person@example.org").exists()
    password = "correct horse battery staple"
    resp = visitor.post(
        path, {"full_name": "New Person", "password1": password, "password2": password}
    )
    assert resp.status_code == 302 and resp["Location"] == "/councils/example/"
    user = User.objects.get(email="new.person@example.org")
    assert user.full_name == "New Person" and user.check_password(password)
    assert Membership.objects.get(user=user, council=council).role == Role.EDITOR
    assert visitor.get("/councils/example/").status_code == 200  # signed in
    # The link works once.
    assert Client().get(path).status_code == 404
    actions = set(AuditEvent.objects.filter(council=council).values_list("action", flat=True))
    assert {Action.INVITED, Action.INVITATION_ACCEPTED} <= actions


def test_existing_account_signs_in_to_accept(council, other_council, login, admin, smtp):
    from ..conftest import make_member

    existing = make_member(other_council, Role.EDITOR, "known@example.org")
    invite(login(admin), email="known@example.org", role="viewer")
    path = invitation_path(smtp, "known@example.org")
    anonymous = Client()
    page = anonymous.get(path).content.decode()
    assert "Sign in to accept" in page
    # Setting a password through the link is not possible for an account that has one.
    anonymous.post(
        path, {"full_name": "X", "password1": "hijack password 1", "password2": "hijack password 1"}
    )
    existing.refresh_from_db()
    assert existing.check_password("a long test password")
    assert not Membership.objects.filter(user=existing, council=council).exists()
    # Someone else signed in cannot accept it either.
    stranger = login(make_member(other_council, Role.VIEWER, "stranger@example.org"))
    resp = stranger.post(path)
    assert "You are signed in as stranger@example.org" in resp.content.decode()
    assert not Membership.objects.filter(council=council, user__email="stranger@example.org")
    # The right person, signed in, accepts.
    resp = login(existing).post(path)
    assert resp.status_code == 302
    assert Membership.objects.get(user=existing, council=council).role == Role.VIEWER


def test_expired_withdrawn_resent_and_unknown_links(council, login, admin, smtp):
    client = login(admin)
    invite(client, email="late@example.org")
    invitation = Invitation.objects.get(email="late@example.org")
    first = invitation_path(smtp, "late@example.org")
    Invitation.objects.filter(pk=invitation.pk).update(
        expires_at=timezone.now() - datetime.timedelta(seconds=1)
    )
    page = Client().get(first)
    assert page.status_code == 404 and "has expired" in page.content.decode()
    # Sending again gives a new link; the old one stays dead.
    client.post(f"/councils/example/invitations/{invitation.pk}/", {"do": "resend"})
    second = invitation_path(smtp, "late@example.org")
    assert second != first
    assert Client().get(first).status_code == 404
    assert Client().get(second).status_code == 200
    client.post(f"/councils/example/invitations/{invitation.pk}/", {"do": "withdraw"})
    assert Client().get(second).status_code == 404
    assert Client().get("/invitations/" + "A" * 43 + "/").status_code == 404
    assert not User.objects.filter(email="late@example.org").exists()


def test_invitation_refused_when_already_member_or_waiting(council, login, admin, editor, smtp):
    client = login(admin)
    resp = invite(client, email="editor@example.org")
    assert resp.status_code == 400 and "already a member" in resp.content.decode()
    invite(client, email="twice@example.org")
    resp = invite(client, email="TWICE@example.org")
    assert resp.status_code == 400 and "already has an invitation" in resp.content.decode()
    assert Invitation.objects.filter(email="twice@example.org").count() == 1
    assert len(smtp.to("twice@example.org")) == 1


def test_mail_server_down_queues_the_invitation_and_says_so(council, login, admin, settings):
    """Inviting only queues the email: with the mail server down the invitation exists,
    is in the audit log, and the People page shows its email waiting to be tried again
    with the reason (tests/background/ shows the queue delivering once it is back)."""
    from ..conftest import free_port

    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", free_port()  # nobody listening
    client = login(admin)
    resp = invite(client, email="nobody@example.org")
    assert resp.status_code == 302
    invitation = Invitation.objects.select_related("message").get()
    assert invitation.message.status == "queued" and invitation.message.attempts == 1
    assert AuditEvent.objects.filter(action=Action.INVITED).exists()
    page = client.get("/councils/example/people/").content.decode()
    assert "Trying again: The mail server could not be reached" in page


def test_invited_admin_must_set_up_two_factor(council, login, admin, smtp):
    invite(login(admin), email="boss@example.org", role="admin")
    path = invitation_path(smtp, "boss@example.org")
    visitor = Client()
    password = "another long pass phrase"
    visitor.post(path, {"full_name": "Bo Boss", "password1": password, "password2": password})
    resp = visitor.get("/councils/example/")
    assert resp.status_code == 302 and resp["Location"] == "/accounts/2fa/totp/activate/"
    page = visitor.get("/accounts/2fa/totp/activate/").content.decode()
    assert "you must set up two-factor authentication" in page


def test_an_invitation_never_sets_the_password_of_an_existing_account(
    council, other_council, login, admin, smtp
):
    """An account nobody has set a password for yet (or whose password was disabled) is
    still someone's: the invitation link cannot give it one."""
    from ..conftest import give_totp

    alice = User.objects.create_user(email="alice@example.org")  # no usable password
    give_totp(alice)
    invite(login(admin), email="alice@example.org", role="admin")
    path = invitation_path(smtp, "alice@example.org")
    visitor = Client()
    page = visitor.get(path).content.decode()
    assert "Sign in to accept" in page and "Forgot your password?" in page
    resp = visitor.post(
        path,
        {
            "full_name": "Mallory",
            "password1": "taken over pass 1",
            "password2": "taken over pass 1",
        },
    )
    alice.refresh_from_db()
    assert not alice.has_usable_password()
    assert not Membership.objects.filter(user=alice).exists()
    assert visitor.get("/councils/example/").status_code == 302  # not signed in as Alice
    assert resp.status_code == 200


def test_lookalike_addresses_are_refused(council, login, admin, smtp):
    for lookalike in ("alıce@example.org", "alice@exampıe.org", "ſam@example.org"):
        resp = invite(login(admin), email=lookalike)
        assert resp.status_code == 400, lookalike
        assert "only the letters a to z" in resp.content.decode()
    assert not Invitation.objects.exists() and not smtp.messages


def test_an_admins_pending_invitations_stop_when_they_stop_being_admin(council, login, admin, smtp):
    from ..conftest import make_member

    second = make_member(council, Role.ADMIN, "second@example.org")
    invite(login(second), email="friend@example.org", role="admin")
    path = invitation_path(smtp, "friend@example.org")
    login(admin).post(
        f"/councils/example/people/{second.memberships.get().pk}/role/", {"role": "editor"}
    )
    assert Client().get(path).status_code == 404
    assert Invitation.objects.get(email="friend@example.org").withdrawn_at is not None


def test_command_invites_a_new_councils_first_admin(db, smtp):
    from django.core.management import call_command
    from django.core.management.base import CommandError

    call_command(
        "invite",
        "newtown",
        "Clerk@Newtown.gov.uk",
        "--create",
        "Newtown Town Council",
        "--type",
        "town_parish",
        "--name",
        "Cleo Clerk",
    )
    invitation = Invitation.objects.get()
    assert (invitation.council.name, invitation.email, invitation.role) == (
        "Newtown Town Council",
        "clerk@newtown.gov.uk",
        Role.ADMIN,
    )
    assert smtp.to("clerk@newtown.gov.uk")
    with pytest.raises(CommandError, match="There is no council"):
        call_command("invite", "nowhere", "x@example.org")


def test_a_lookalike_invitation_made_some_other_way_still_reaches_only_its_own_address(
    council, admin
):
    """Even if a look-alike address got past the form, it is its own address: PostgreSQL
    (whose test server runs a UTF-8 locale, where UPPER('ı') = 'I') must not match it to
    the real one."""
    from selfassess.councils import services

    alice = User.objects.create_user(email="alice@example.org")
    token = "L" * 43
    Invitation.objects.create(
        council=council,
        email="alıce@example.org",
        role=Role.ADMIN,
        invited_by=admin,
        token_hash=services.token_hash(token),
        expires_at=timezone.now() + datetime.timedelta(days=1),
    )
    assert services.account_for("alıce@example.org") is None
    member = services.accept(token=token, user=None, password="a new long password")
    assert member.pk != alice.pk and member.email == "alıce@example.org"
    alice.refresh_from_db()
    assert not alice.has_usable_password()
    assert not Membership.objects.filter(user=alice).exists()
