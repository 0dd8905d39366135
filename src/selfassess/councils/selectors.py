"""Reads about a council's people: its audit log as its admins see it."""

from django.db.models import Exists, OuterRef, Q, QuerySet

from selfassess.audit.models import ACCOUNT_ACTIONS, AuditEvent

from .models import Membership


def council_log(council, action: str = "") -> QuerySet[AuditEvent]:
    """The council's own events, and account events (sign-ins, failed sign-ins, security
    changes) of the people who belong to the council now. A failed sign-in has no
    account, so it is matched by the address that was tried."""
    # Only what happened while they belonged: joining a council does not show its admins
    # the person's earlier sign-ins elsewhere.
    member_then = Exists(
        Membership.objects.filter(
            council=council, user_id=OuterRef("actor_id"), created_at__lte=OuterRef("at")
        )
    )
    address_of_member_then = Exists(
        Membership.objects.filter(
            council=council, user__email=OuterRef("actor_email"), created_at__lte=OuterRef("at")
        )
    )
    account_events = Q(action__in=ACCOUNT_ACTIONS) & (
        Q(actor__isnull=False) & member_then
        | Q(actor__isnull=True, actor_email__gt="") & address_of_member_then
    )
    events = AuditEvent.objects.filter(Q(council=council) | account_events)
    if action:
        events = events.filter(action=action)
    return events.order_by("-at", "-pk")
