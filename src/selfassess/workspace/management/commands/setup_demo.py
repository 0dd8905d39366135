import secrets

from django.core.management.base import BaseCommand
from django.db import transaction

from selfassess.accounts.models import User
from selfassess.councils.models import Council, CouncilType, Membership, Role


class Command(BaseCommand):
    help = (
        "Create a demo council and an admin for it, printing the sign-in once. "
        "Does nothing if any user exists already."
    )

    def add_arguments(self, parser):
        parser.add_argument("--email", default="admin@example.org")

    @transaction.atomic
    def handle(self, *args, email: str, **options):
        if User.objects.exists():
            self.stdout.write("Users exist already; no demo account created.")
            return
        council, _ = Council.objects.get_or_create(
            slug="demo", defaults={"name": "Demo Borough Council", "type": CouncilType.DISTRICT}
        )
        password = secrets.token_urlsafe(12)
        user = User.objects.create_user(email=email, password=password, full_name="Demo admin")
        Membership.objects.create(user=user, council=council, role=Role.ADMIN)
        self.stdout.write(
            self.style.SUCCESS(
                f"\nDemo council “{council.name}” created.\n"
                f"Sign in at http://127.0.0.1:8000/accounts/login/ with\n"
                f"  email:    {email}\n  password: {password}\n"
                "This is shown only once. Council admins must use two-factor authentication:\n"
                "after signing in, scan the QR code with an authenticator app on your phone.\n"
            )
        )
