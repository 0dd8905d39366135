"""Writing to the audit log. Call `record` inside the transaction that does the thing,
so an event is logged exactly when the change it describes is saved."""

import datetime

from django.http import HttpRequest

from selfassess.core.client import client_ip

from .models import Action, AuditEvent


def client_address(request: HttpRequest | None) -> str | None:
    """The address the request came from, behind as many proxies as TRUSTED_PROXIES
    says (core.client.client_ip); none for what no request caused."""
    if request is None:
        return None
    return client_ip(request)


def record(
    action: Action,
    summary: str,
    *,
    actor=None,
    council=None,
    request: HttpRequest | None = None,
    actor_email: str = "",
) -> AuditEvent:
    if actor is not None and getattr(actor, "is_authenticated", False):
        actor_email = actor.email
    else:
        actor = None
    return AuditEvent.objects.create(
        action=action,
        summary=summary[:500],
        actor=actor,
        actor_email=actor_email[:254],
        council=council,
        ip_address=client_address(request),
    )


SIGN_IN_ACTIONS = (Action.SIGNED_IN, Action.SIGN_IN_FAILED)


def apply_retention(*, cutoff: datetime.date) -> int:
    """Entries from before `cutoff`: sign-ins and failed sign-ins are deleted, other
    entries keep what happened but lose the client address. How many were deleted."""
    old = AuditEvent.objects.filter(at__date__lt=cutoff)
    deleted = old.filter(action__in=SIGN_IN_ACTIONS).expire()
    old.forget_addresses()
    return deleted
