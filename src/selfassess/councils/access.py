"""The one gate to a council's data: membership of that council, with a minimum role.

Every view that shows or changes council data starts here. A council the user does not
belong to is answered with 404, so its existence is not revealed; a role too low for
the action gets 403.
"""

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest

from .models import Membership, Role


def membership_for(request: HttpRequest, slug: str, minimum: str = Role.VIEWER) -> Membership:
    user = request.user
    if not user.is_authenticated:
        raise Http404
    try:
        # One person, one membership per council (a unique constraint): no ordering needed.
        membership = Membership.objects.select_related("council").get(
            user=user, council__slug=slug
        )
    except Membership.DoesNotExist:
        raise Http404 from None
    if not membership.allows(minimum):
        raise PermissionDenied("Your role on this council does not allow this.")
    return membership


def page_context(membership: Membership, assessment=None, **extra) -> dict:
    """What every council page's template needs: the council, the user's membership (for
    what they may do) and, on assessment pages, the assessment."""
    return {
        "council": membership.council,
        "membership": membership,
        "assessment": assessment,
    } | extra
