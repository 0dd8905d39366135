"""The host console's one write that spans two of councils' services."""

from django.db import transaction

from selfassess.accounts.models import User
from selfassess.councils import services as councils
from selfassess.councils.models import Council, Invitation, Role


@transaction.atomic
def create_council(
    *,
    name: str,
    slug: str,
    type: str,  # noqa: A002 - the council's field
    region: str,
    councillors: int | None,
    admin_email: str,
    admin_name: str,
    by: User,
    request=None,
) -> tuple[Council, Invitation]:
    """A new council and the invitation of its first admin, both or neither: the email is
    queued in the same transaction and sent once it commits."""
    council = councils.create_council(
        name=name,
        slug=slug,
        type=type,
        region=region,
        councillors=councillors,
        by=by,
        request=request,
    )
    invitation = councils.invite(
        council=council, email=admin_email, role=Role.ADMIN, full_name=admin_name, by=by
    )
    return council, invitation
