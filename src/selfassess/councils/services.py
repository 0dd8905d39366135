"""Writes for councils and their people."""

from django.db import transaction

from selfassess.accounts.models import User

from .models import Council, Membership, Role


class MembershipError(Exception):
    pass


@transaction.atomic
def add_member(*, council: Council, email: str, role: str, full_name: str = "") -> Membership:
    """Give a person a role on the council, creating their account if they have none.

    A new account has no usable password: the person sets one through "Forgot your
    password?" on the sign-in page, so nobody else ever knows it.
    """
    email = email.strip().lower()
    user = User.objects.filter(email__iexact=email).first()
    if user is None:
        user = User.objects.create_user(email=email, full_name=full_name.strip())
    if Membership.objects.filter(council=council, user=user).exists():
        raise MembershipError(f"{email} is already a member of {council}")
    return Membership.objects.create(council=council, user=user, role=role)


def _admins_left(council: Council, excluding: Membership) -> int:
    return (
        Membership.objects.filter(council=council, role=Role.ADMIN).exclude(pk=excluding.pk).count()
    )


def _lock_council(council: Council) -> None:
    """Serialise changes to one council's people, so two admins demoting each other at
    the same moment cannot leave the council with none."""
    Council.objects.select_for_update().get(pk=council.pk)


@transaction.atomic
def change_role(*, membership: Membership, role: str) -> Membership:
    _lock_council(membership.council)
    locked = Membership.objects.select_for_update().get(pk=membership.pk)
    if (
        locked.role == Role.ADMIN
        and role != Role.ADMIN
        and not _admins_left(locked.council, locked)
    ):
        raise MembershipError("A council must keep at least one admin")
    locked.role = role
    locked.save(update_fields=["role"])
    return locked


@transaction.atomic
def remove_member(*, membership: Membership) -> None:
    _lock_council(membership.council)
    locked = Membership.objects.select_for_update().get(pk=membership.pk)
    if locked.role == Role.ADMIN and not _admins_left(locked.council, locked):
        raise MembershipError("A council must keep at least one admin")
    locked.delete()


def set_review_date(*, council: Council, on) -> Council:
    council.next_review_on = on
    council.save(update_fields=["next_review_on"])
    return council
