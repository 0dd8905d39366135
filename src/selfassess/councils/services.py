"""Writes for councils and their people. Every change to who belongs, and with which
role, is written to the audit log in the same transaction."""

import datetime

from django.conf import settings
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from selfassess.accounts.models import User
from selfassess.audit.models import Action
from selfassess.audit.services import record
from selfassess.background.services import Message, queue_email, queue_emails
from selfassess.core.dates import long_date
from selfassess.core.tokens import new_token, token_hash

from .models import Council, CouncilType, Invitation, Membership, Region, Role


class MembershipError(Exception):
    pass


class InvitationNotValid(Exception):
    """The link is unknown, used, withdrawn or expired; the message says which, as far as
    it is safe to say."""


def _role_label(role: str) -> str:
    return Role(role).label.lower()


def _new_link() -> tuple[str, str, datetime.datetime]:
    """A fresh token for an invitation link, its hash and when it expires."""
    token = new_token()
    expires_at = timezone.now() + datetime.timedelta(days=settings.INVITATION_DAYS)
    return token, token_hash(token), expires_at


def invitation_url(token: str) -> str:
    return settings.SITE_URL + reverse("invitation", args=[token])


def _send_invitation(invitation: Invitation, token: str) -> None:
    context = {
        "invitation": invitation,
        "council": invitation.council,
        "url": invitation_url(token),
        "role": _role_label(invitation.role),
        "days": settings.INVITATION_DAYS,
        "has_account": account_for(invitation.email) is not None,
    }
    invitation.message = queue_email(
        to=invitation.email,
        subject=f"You are invited to {invitation.council.name} on {settings.PRODUCT_NAME}",
        body=render_to_string("councils/email_invitation.txt", context),
        purpose="Invitation to join a council",
        topic=f"council:{invitation.council_id}:invitation",
    )
    invitation.save(update_fields=["message"])


@transaction.atomic
def invite(*, council: Council, email: str, role: str, full_name: str = "", by: User) -> Invitation:
    """Invite a person to the council with a role and email them a link. Nothing is
    given until they accept: they set their own password, or sign in if they already
    have an account."""
    email = email.strip().lower()
    if Membership.objects.filter(council=council, user__email=email).exists():
        raise MembershipError(f"{email} is already a member of {council}")
    token, hashed, expires_at = _new_link()
    try:
        with transaction.atomic():
            invitation = Invitation.objects.create(
                council=council,
                email=email,
                full_name=full_name.strip(),
                role=role,
                token_hash=hashed,
                invited_by=by,
                expires_at=expires_at,
            )
    except IntegrityError:
        raise MembershipError(
            f"{email} already has an invitation waiting. Send it again from the list of "
            "invitations below, or withdraw it."
        ) from None
    record(
        Action.INVITED,
        f"Invited {email} as {_role_label(role)}",
        actor=by,
        council=council,
    )
    # Queued in the same transaction, and sent once it commits; the People page shows
    # whether it went.
    _send_invitation(invitation, token)
    return invitation


@transaction.atomic
def resend(*, invitation: Invitation, by: User) -> Invitation:
    """A new link with a new expiry; the old link stops working."""
    locked = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if locked.accepted_at or locked.withdrawn_at:
        raise MembershipError("This invitation has already been accepted or withdrawn")
    token, locked.token_hash, locked.expires_at = _new_link()
    locked.save(update_fields=["token_hash", "expires_at"])
    record(Action.INVITED, f"Sent the invitation to {locked.email} again", actor=by,
           council=locked.council)
    _send_invitation(locked, token)
    return locked


@transaction.atomic
def withdraw(*, invitation: Invitation, by: User) -> None:
    locked = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if locked.accepted_at or locked.withdrawn_at:
        return
    locked.withdrawn_at = timezone.now()
    locked.save(update_fields=["withdrawn_at"])
    record(Action.INVITATION_WITHDRAWN, f"Withdrew the invitation to {locked.email}", actor=by,
           council=locked.council)


def find_invitation(token: str) -> Invitation:
    invitation = (
        Invitation.objects.select_related("council").filter(token_hash=token_hash(token)).first()
    )
    if invitation is None or invitation.withdrawn_at:
        raise InvitationNotValid("This invitation link is not valid.")
    if invitation.accepted_at:
        raise InvitationNotValid("This invitation has already been accepted.")
    if invitation.expires_at <= timezone.now():
        raise InvitationNotValid(
            "This invitation has expired. Ask the council’s admin to send it again."
        )
    return invitation


def account_for(email: str) -> User | None:
    """The account with exactly this (already lower-cased) address. Never a
    case-insensitive database match: with some PostgreSQL locales UPPER() folds
    different letters together (dotless ı and i), which would let an invitation to one
    address reach another person's account."""
    return User.objects.filter(email=email.strip().lower()).first()


@transaction.atomic
def accept(*, token: str, user: User | None, full_name: str = "", password: str = "") -> User:
    """Accept an invitation: as the signed-in person it was sent to, or, for an address
    with no account yet, by creating one with the password they choose. An existing
    account is never given a password here: its owner signs in (with two-factor
    authentication where they have it), or resets their password by email first."""
    invitation = find_invitation(token)
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    # Look again now the row is locked: a withdrawal or a new link may have just landed.
    if invitation.token_hash != token_hash(token) or invitation.withdrawn_at:
        raise InvitationNotValid("This invitation link is not valid.")
    if invitation.accepted_at:
        raise InvitationNotValid("This invitation has already been accepted.")
    if invitation.expires_at <= timezone.now():
        raise InvitationNotValid("This invitation has expired.")
    if user is None:
        if account_for(invitation.email) is not None:
            raise InvitationNotValid("Sign in to accept this invitation.")
        user = User.objects.create_user(
            email=invitation.email, full_name=(full_name.strip() or invitation.full_name)
        )
        user.set_password(password)
        user.save(update_fields=["password"])
        record(Action.PASSWORD_CHANGED, "Set a password from an invitation", actor=user)
    elif user.email != invitation.email:
        raise InvitationNotValid(
            f"This invitation is for {invitation.email}. Sign out, then open the link again."
        )
    if not Membership.objects.filter(council=invitation.council, user=user).exists():
        Membership.objects.create(council=invitation.council, user=user, role=invitation.role)
    invitation.accepted_at = timezone.now()
    invitation.save(update_fields=["accepted_at"])
    record(
        Action.INVITATION_ACCEPTED,
        f"{user.email} accepted the invitation and joined as {_role_label(invitation.role)}",
        actor=user,
        council=invitation.council,
    )
    return user


def pending_invitations(council: Council):
    return council.invitations.filter(
        accepted_at__isnull=True, withdrawn_at__isnull=True
    ).select_related("invited_by", "message").order_by("email")


def _admins_left(council: Council, excluding: Membership) -> int:
    return (
        Membership.objects.filter(council=council, role=Role.ADMIN).exclude(pk=excluding.pk).count()
    )


def _lock_council(council: Council) -> None:
    """Serialise changes to one council's people, so two admins demoting each other at
    the same moment cannot leave the council with none."""
    Council.objects.select_for_update().get(pk=council.pk)


@transaction.atomic
def change_role(*, membership: Membership, role: str, by: User) -> Membership:
    _lock_council(membership.council)
    locked = Membership.objects.select_for_update().select_related("user").get(pk=membership.pk)
    if (
        locked.role == Role.ADMIN
        and role != Role.ADMIN
        and not _admins_left(locked.council, locked)
    ):
        raise MembershipError("A council must keep at least one admin")
    before = locked.role
    if before == role:
        return locked
    locked.role = role
    locked.save(update_fields=["role"])
    if before == Role.ADMIN:
        _withdraw_sent_by(locked, by)
    record(
        Action.ROLE_CHANGED,
        f"Changed {locked.user.email} from {_role_label(before)} to {_role_label(role)}",
        actor=by,
        council=locked.council,
    )
    return locked


@transaction.atomic
def remove_member(*, membership: Membership, by: User) -> None:
    """The person loses access; what they wrote stays, shown as by a former user."""
    _lock_council(membership.council)
    locked = Membership.objects.select_for_update().select_related("user").get(pk=membership.pk)
    if locked.role == Role.ADMIN and not _admins_left(locked.council, locked):
        raise MembershipError("A council must keep at least one admin")
    record(
        Action.MEMBER_REMOVED,
        f"Removed {locked.user.email} ({_role_label(locked.role)})",
        actor=by,
        council=locked.council,
    )
    _withdraw_sent_by(locked, by)
    locked.delete()


def _withdraw_sent_by(membership: Membership, by: User) -> None:
    """Someone who is no longer an admin of the council: the invitations they sent and
    nobody has accepted stop working."""
    pending = Invitation.objects.select_for_update().filter(
        council=membership.council,
        invited_by=membership.user,
        accepted_at__isnull=True,
        withdrawn_at__isnull=True,
    )
    for invitation in pending:
        invitation.withdrawn_at = timezone.now()
        invitation.save(update_fields=["withdrawn_at"])
        record(
            Action.INVITATION_WITHDRAWN,
            f"Withdrew the invitation to {invitation.email}: "
            f"{membership.user.email} is no longer an admin",
            actor=by,
            council=membership.council,
        )


class CouncilError(Exception):
    """A council cannot be created or changed as asked; the message says why."""


def _describe(council: Council) -> str:
    region = Region(council.region).label if council.region else "no region"
    size = f"{council.councillors} councillors" if council.councillors else "size not known"
    return f"{CouncilType(council.type).label}, {region}, {size}"


@transaction.atomic
def create_council(
    *,
    name: str,
    slug: str,
    type: str,  # noqa: A002 - the model's field
    region: str,
    councillors: int | None,
    by: User | None,
    request=None,
) -> Council:
    """A new council (by the host), recorded in its audit log. Its first admin is invited
    with `invite`, in the same transaction when the host's form does both."""
    if Council.objects.filter(slug=slug).exists():
        raise CouncilError(f"The address /councils/{slug}/ is taken: choose another")
    try:
        with transaction.atomic():
            council = Council.objects.create(
                name=name.strip(), slug=slug, type=type, region=region, councillors=councillors
            )
    except IntegrityError:
        raise CouncilError(f"The address /councils/{slug}/ is taken: choose another") from None
    record(
        Action.COUNCIL_CREATED,
        f"Created {council.name} ({_describe(council)})",
        actor=by,
        council=council,
        request=request,
    )
    return council


@transaction.atomic
def update_council(
    *,
    council: Council,
    type: str,  # noqa: A002 - the model's field
    region: str,
    councillors: int | None,
    by: User | None,
    request=None,
) -> Council:
    """The host corrects a council's type, region or size; recorded in its audit log."""
    locked = Council.objects.select_for_update().get(pk=council.pk)
    before = _describe(locked)
    locked.type, locked.region, locked.councillors = type, region, councillors
    after = _describe(locked)
    if after == before:
        return locked
    locked.save(update_fields=["type", "region", "councillors"])
    record(
        Action.COUNCIL_CHANGED,
        f"Changed {locked.name} from {before} to {after}",
        actor=by,
        council=locked,
        request=request,
    )
    return locked


@transaction.atomic
def set_benchmark_sharing(
    *, council: Council, shares: bool, by: User | None, request=None
) -> Council:
    """A council's admin turns sharing in benchmarks on or off. Off stops later snapshots
    counting the council; snapshots already published stay as they were."""
    locked = Council.objects.select_for_update().get(pk=council.pk)
    if locked.shares_benchmarks == shares:
        return locked
    locked.shares_benchmarks = shares
    locked.shares_benchmarks_changed_at = timezone.now()
    locked.save(update_fields=["shares_benchmarks", "shares_benchmarks_changed_at"])
    if shares:
        record(
            Action.BENCHMARKS_SHARED,
            "Chose to count the council's latest agreed assessment in benchmarks",
            actor=by,
            council=locked,
            request=request,
        )
    else:
        record(
            Action.BENCHMARKS_WITHDRAWN,
            "Stopped sharing in benchmarks: later snapshots leave the council out",
            actor=by,
            council=locked,
            request=request,
        )
    return locked


def set_review_date(*, council: Council, on) -> Council:
    council.next_review_on = on
    council.save(update_fields=["next_review_on"])
    return council


def send_review_reminders(today: datetime.date | None = None) -> int:
    """To each council's admins, `review_reminder_days` before its next review date:
    once per admin per review date (the date is in the dedupe key); nobody who switched
    reminders off. How many emails were queued."""
    today = today or timezone.localdate()
    messages = []
    for council in Council.objects.filter(
        next_review_on__isnull=False, review_reminder_days__isnull=False, next_review_on__gte=today
    ):
        if council.next_review_on - datetime.timedelta(days=council.review_reminder_days) > today:
            continue
        for admin in User.objects.filter(
            memberships__council=council,
            memberships__role=Role.ADMIN,
            is_active=True,
            reminders_by_email=True,
        ):
            context = {
                "admin": admin,
                "council": council,
                "days": (council.next_review_on - today).days,
                "council_url": (
                    settings.SITE_URL + reverse("workspace:council", args=[council.slug])
                ),
                "settings_url": settings.SITE_URL + reverse("workspace:account") + "#emails",
            }
            messages.append(
                Message(
                    to=admin.email,
                    subject=f"{council.name}: the annual review is due on "
                    f"{long_date(council.next_review_on)}",
                    body=render_to_string("councils/email_review_reminder.txt", context),
                    purpose="Review reminder",
                    topic=f"council:{council.pk}:review",
                    dedupe_key=f"review:{council.pk}:{council.next_review_on}:{admin.pk}",
                )
            )
    return len(queue_emails(messages))
