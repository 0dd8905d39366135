"""For whoever runs the server: invite a council's first admin (or anyone) by email, the
same invitation an admin sends from the People page. Creates the council if asked to."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.core.validators import validate_email
from django.db import transaction
from django.utils.text import slugify

from selfassess.councils import services
from selfassess.councils.models import Council, CouncilType, Region, Role


class Command(BaseCommand):
    help = "Email an invitation to join a council: manage.py invite SLUG EMAIL [--role admin]"

    def add_arguments(self, parser):
        parser.add_argument("slug", help="the council's slug, as in /councils/SLUG/")
        parser.add_argument("email")
        parser.add_argument("--role", choices=Role.values, default=Role.ADMIN)
        parser.add_argument("--name", default="", help="the person's full name")
        parser.add_argument(
            "--create",
            metavar="COUNCIL NAME",
            help="create the council first, with this name (and --type, --region)",
        )
        parser.add_argument("--type", choices=CouncilType.values, default=CouncilType.OTHER)
        parser.add_argument(
            "--region", choices=Region.values, default="", help="for a council created here"
        )

    def handle(self, *args, slug, email, role, name, create, type, region, **options):
        email = email.strip().lower()
        try:
            validate_email(email)
        except ValidationError:
            raise CommandError(f"{email!r} is not an email address") from None
        if not email.isascii():
            raise CommandError("Use an address with only the letters a to z, digits and . _ - + @")
        with transaction.atomic():  # a council created here is kept only if the email went
            self._invite(slug, email, role, name, create, type, region)

    def _invite(self, slug, email, role, name, create, type, region):
        council = Council.objects.filter(slug=slug).first()
        if council is None:
            if not create:
                raise CommandError(f"There is no council {slug!r}; add --create 'Its name'")
            if slug != slugify(slug):
                raise CommandError(f"{slug!r} is not a usable slug; try {slugify(slug)!r}")
            council = services.create_council(
                name=create, slug=slug, type=type, region=region, councillors=None, by=None
            )
            self.stdout.write(f"Created {council.name} (/councils/{slug}/).")
        try:
            invitation = services.invite(
                council=council, email=email, role=role, full_name=name, by=None
            )
        except services.MembershipError as exc:
            raise CommandError(str(exc)) from None
        except OSError as exc:
            raise CommandError(
                f"The email server did not answer ({exc}); nothing was saved"
            ) from None
        role_name = invitation.get_role_display().lower()
        self.stdout.write(
            f"Invited {invitation.email} to {council.name} as {role_name}; "
            f"the link works for {settings.INVITATION_DAYS} days."
        )
