"""Council admins manage who has which role; a council always keeps an admin."""

import threading

import pytest
from django.db import connection

from selfassess.accounts.models import User
from selfassess.councils import services
from selfassess.councils.models import Membership, Role


def test_adding_someone_twice_or_without_a_role_is_refused(council, login, admin, editor):
    client = login(admin)
    resp = client.post(
        "/councils/example/people/", {"email": "editor@example.org", "role": "viewer"}
    )
    assert resp.status_code == 400 and "already a member" in resp.content.decode()
    resp = client.post("/councils/example/people/", {"email": "not-an-email", "role": "boss"})
    page = resp.content.decode()
    assert "Enter an email address in the correct format" in page and "Select a role" in page
    assert Membership.objects.filter(council=council).count() == 2
    assert not council.invitations.exists()


def test_role_change_and_removal(council, login, admin, editor):
    client = login(admin)
    member = Membership.objects.get(user=editor)
    client.post(f"/councils/example/people/{member.pk}/role/", {"role": "viewer"})
    member.refresh_from_db()
    assert member.role == Role.VIEWER
    client.post(f"/councils/example/people/{member.pk}/role/", {"role": "owner"})
    member.refresh_from_db()
    assert member.role == Role.VIEWER
    client.post(f"/councils/example/people/{member.pk}/remove/")
    assert not Membership.objects.filter(pk=member.pk).exists()
    assert User.objects.filter(pk=editor.pk).exists()


def test_last_admin_cannot_be_demoted_or_removed(council, login, admin):
    client = login(admin)
    own = Membership.objects.get(user=admin)
    resp = client.post(f"/councils/example/people/{own.pk}/role/", {"role": "viewer"}, follow=True)
    assert "must keep at least one admin" in resp.content.decode()
    client.post(f"/councils/example/people/{own.pk}/remove/")
    own.refresh_from_db()
    assert own.role == Role.ADMIN


def test_only_admins_manage_people(council, login, editor, viewer):
    for user in (editor, viewer):
        client = login(user)
        assert client.get("/councils/example/people/").status_code == 403
        assert (
            client.post(
                "/councils/example/people/", {"email": "x@example.org", "role": "admin"}
            ).status_code
            == 403
        )
    assert not User.objects.filter(email="x@example.org").exists()


@pytest.mark.django_db(transaction=True)
def test_two_admins_demoting_each_other_at_once_leave_one_admin(council):
    from ..conftest import make_member

    first = make_member(council, Role.ADMIN, "a1@example.org")
    second = make_member(council, Role.ADMIN, "a2@example.org")
    barrier = threading.Barrier(2)
    errors: list[str] = []

    def demote(user):
        try:
            barrier.wait(timeout=10)
            services.change_role(
                membership=Membership.objects.get(user=user), role=Role.VIEWER, by=user
            )
        except services.MembershipError as exc:
            errors.append(str(exc))
        finally:
            connection.close()

    threads = [threading.Thread(target=demote, args=(u,)) for u in (first, second)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    assert errors == ["A council must keep at least one admin"]
    assert Membership.objects.filter(council=council, role=Role.ADMIN).count() == 1


def test_removing_a_person_asks_first(council, login, admin, editor):
    member = Membership.objects.get(user=editor)
    client = login(admin)
    page = client.get(f"/councils/example/people/{member.pk}/remove/").content.decode()
    assert "Are you sure you want to remove Eddie Editor from Example District Council?" in page
    assert Membership.objects.filter(pk=member.pk).exists()  # asking changes nothing
    client.post(f"/councils/example/people/{member.pk}/remove/")
    assert not Membership.objects.filter(pk=member.pk).exists()


def test_removed_person_is_shown_as_a_former_user(assessment, council, login, admin, editor):
    from selfassess.assessments.models import Change

    from ..assessments.helpers import principle_post, url

    client = login(editor)
    client.post(
        url(assessment, "principles/1/"), principle_post(assessment, 1, {"1.1": {"score": 2}})
    )
    history = url(assessment, "statements/1.1/history/")
    assert "Eddie Editor" in login(admin).get(history).content.decode()
    member = Membership.objects.get(user=editor, council=council)
    login(admin).post(f"/councils/example/people/{member.pk}/remove/")
    page = login(admin).get(history).content.decode()
    assert "Eddie Editor" not in page and "Former user" in page
    # The history itself is kept, still tied to the account.
    assert Change.objects.filter(assessment=assessment, user=editor).exists()
