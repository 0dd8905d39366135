"""Reading the audit log: what one council's admins may see."""

from django.db.models import Q, QuerySet

from .models import ACCOUNT_ACTIONS, AuditEvent


def council_log(council, action: str = "") -> QuerySet[AuditEvent]:
    """The council's own events, and account events (sign-ins, failed sign-ins, security
    changes) of the people who belong to the council now. A failed sign-in has no
    account, so it is matched by the address that was tried."""
    members = council.memberships.values("user_id")
    member_emails = council.memberships.values("user__email")
    account_events = Q(action__in=ACCOUNT_ACTIONS) & (
        Q(actor_id__in=members) | Q(actor__isnull=True, actor_email__in=member_emails)
    )
    events = AuditEvent.objects.filter(Q(council=council) | account_events)
    if action:
        events = events.filter(action=action)
    return events.order_by("-at", "-pk")
