"""Councils and who belongs to them, with which role."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.functional import cached_property


class CouncilType(models.TextChoices):
    COUNTY = "county", "County council"
    DISTRICT = "district", "District council"
    UNITARY = "unitary", "Unitary authority"
    METROPOLITAN = "metropolitan", "Metropolitan borough"
    LONDON_BOROUGH = "london_borough", "London borough"
    COMBINED = "combined", "Combined authority"
    TOWN_PARISH = "town_parish", "Town or parish council"
    WELSH = "welsh", "Welsh principal council"
    SCOTTISH = "scottish", "Scottish council"
    OTHER = "other", "Other"


class Region(models.TextChoices):
    """The nine English regions, and the three other nations."""

    NORTH_EAST = "north_east", "North East"
    NORTH_WEST = "north_west", "North West"
    YORKSHIRE = "yorkshire", "Yorkshire and the Humber"
    EAST_MIDLANDS = "east_midlands", "East Midlands"
    WEST_MIDLANDS = "west_midlands", "West Midlands"
    EAST = "east", "East of England"
    LONDON = "london", "London"
    SOUTH_EAST = "south_east", "South East"
    SOUTH_WEST = "south_west", "South West"
    WALES = "wales", "Wales"
    SCOTLAND = "scotland", "Scotland"
    NORTHERN_IRELAND = "northern_ireland", "Northern Ireland"


# A council's size, in councillors, for the host's console: (upper bound, label).
SIZE_BANDS: tuple[tuple[int, str], ...] = (
    (20, "Up to 20 councillors"),
    (40, "21 to 40 councillors"),
    (60, "41 to 60 councillors"),
    (80, "61 to 80 councillors"),
)
SIZE_MAX = 500


def size_band(councillors: int | None) -> str:
    """The console's size band for a number of councillors ("Not known" for none)."""
    if councillors is None:
        return "Not known"
    for upper, label in SIZE_BANDS:
        if councillors <= upper:
            return label
    return f"Over {SIZE_BANDS[-1][0]} councillors"


class Council(models.Model):
    name = models.CharField(max_length=200)
    slug = models.SlugField(max_length=100, unique=True)
    type = models.CharField(max_length=20, choices=CouncilType.choices)
    # Empty only for a council made before regions existed: the host sets it (a council
    # without one is left out of benchmarks until then).
    region = models.CharField(max_length=20, choices=Region.choices, blank=True)
    councillors = models.PositiveSmallIntegerField(
        "number of councillors", null=True, blank=True, help_text="Seats on the council"
    )
    shares_benchmarks = models.BooleanField(
        default=False,
        help_text="The council's admins chose to count its agreed assessments in benchmarks",
    )
    shares_benchmarks_changed_at = models.DateTimeField(null=True, blank=True)
    next_review_on = models.DateField(
        "next review due", null=True, blank=True, help_text="When the council next re-assesses"
    )
    review_reminder_days = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        default=30,
        help_text="Remind the admins this many days before the next review (empty: never)",
    )
    draft_reminder_days = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        default=90,
        help_text="Remind the admins of an assessment in progress this many days (empty: never)",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(type__in=CouncilType.values), name="council_type_valid"
            ),
            models.CheckConstraint(
                condition=Q(region__in=[*Region.values, ""]), name="council_region_valid"
            ),
            models.CheckConstraint(
                condition=Q(councillors__isnull=True)
                | Q(councillors__gte=1, councillors__lte=SIZE_MAX),
                name="council_councillors_in_range",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def size_band(self) -> str:
        return size_band(self.councillors)

    @cached_property
    def current_member_ids(self) -> frozenset[int]:
        """Who belongs now; read once per page (the council object is per request)."""
        return frozenset(self.memberships.order_by().values_list("user_id", flat=True))

    def person_label(self, user) -> str:
        """A person's name as the council's history shows it: someone removed from the
        council, or whose account is gone, is shown as a former user."""
        members = self.current_member_ids  # read first, so a page's query count is fixed
        if user is None or user.pk not in members:
            return "Former user"
        return user.display_name


class Role(models.TextChoices):
    ADMIN = "admin", "Admin"
    EDITOR = "editor", "Editor"
    VIEWER = "viewer", "Viewer"


ROLE_RANK = {Role.VIEWER: 1, Role.EDITOR: 2, Role.ADMIN: 3}

ROLE_DESCRIPTIONS = {
    Role.ADMIN: "Manages people, signs off and reopens assessments, and can score.",
    Role.EDITOR: "Starts assessments, scores statements and writes evidence.",
    Role.VIEWER: "Reads assessments, for example committee members.",
}


class Membership(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    council = models.ForeignKey(Council, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(max_length=10, choices=Role.choices)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["council__name", "user__email"]
        constraints = [
            models.UniqueConstraint(fields=["user", "council"], name="membership_unique"),
            models.CheckConstraint(condition=Q(role__in=Role.values), name="membership_role_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.user} – {self.council} ({self.get_role_display()})"

    def allows(self, minimum: str) -> bool:
        return ROLE_RANK[Role(self.role)] >= ROLE_RANK[Role(minimum)]

    @property
    def can_edit(self) -> bool:
        return self.allows(Role.EDITOR)

    @property
    def is_admin(self) -> bool:
        return self.allows(Role.ADMIN)


class Invitation(models.Model):
    """An admin's invitation for a person to join a council with a role. The emailed link
    carries a random token; only its SHA-256 is stored. It works once, until it expires,
    and only for the address it was sent to."""

    council = models.ForeignKey(Council, on_delete=models.CASCADE, related_name="invitations")
    email = models.EmailField(max_length=254)
    full_name = models.CharField(max_length=150, blank=True)
    role = models.CharField(max_length=10, choices=Role.choices)
    token_hash = models.CharField(max_length=64, unique=True)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    accepted_at = models.DateTimeField(null=True, blank=True)
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    message = models.ForeignKey(
        "background.Email",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="The latest email of this invitation, in the outbox",
    )

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(condition=Q(role__in=Role.values), name="invitation_role_valid"),
            # One open invitation per person per council.
            models.UniqueConstraint(
                fields=["council", "email"],
                condition=Q(accepted_at__isnull=True, withdrawn_at__isnull=True),
                name="invitation_one_open",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.email} to {self.council} ({self.get_role_display()})"

    def is_usable(self, now) -> bool:
        return self.accepted_at is None and self.withdrawn_at is None and now < self.expires_at
