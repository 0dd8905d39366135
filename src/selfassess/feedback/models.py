"""The anonymous councillor feedback survey.

Anonymity is built into the tables, not promised by the screens:

- A `Ballot` is one way in: a personal invitation (name and email) or a ticket from the
  shared link. It stores only a hash of its token; the token itself exists in the email
  or the councillor's browser. While a councillor works through the survey their
  answers are kept on the ballot *encrypted with a key derived from that token*, which
  the server does not keep, so nobody reading the database can read a draft.
- On submission the answers become a `SurveyResponse` that has no foreign key, no
  token, no timestamp and a random id: nothing joins it to a ballot, an email or a
  person. The ballot's draft is wiped and it only records `answered`.
- When the round closes, before any result can be seen, it is "sealed": its responses
  are rewritten in one transaction in a random order with new ids, and every ballot is
  rewritten in the same transaction, so neither storage order nor the database's own
  bookkeeping (PostgreSQL's xmin, for one) remembers who answered when.
- While a round is open, someone who can read the database itself could still pair a
  response with the ballot marked in the same transaction. Results are never shown
  before sealing; rewriting every ballot on every submission closed that gap too, but
  cost O(ballots) per answer and made a spike of 1,000 answers fail (BENCHMARKS.md).
"""

import datetime
import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from selfassess.assessments.models import Assessment
from selfassess.core.dates import long_date


class Round(models.Model):
    assessment = models.ForeignKey(
        Assessment, on_delete=models.CASCADE, related_name="feedback_rounds"
    )
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    opens_on = models.DateField()
    closes_on = models.DateField()
    introduction = models.TextField(blank=True)
    access_code = models.CharField(
        max_length=20, blank=True, help_text="For the shared link; empty means no shared link"
    )
    closed_at = models.DateTimeField(null=True, blank=True, help_text="Closed early by an admin")
    tally = models.JSONField(
        default=dict, blank=True, help_text="The answers counted when the round was sealed"
    )
    sealed_at = models.DateTimeField(
        null=True,
        blank=True,
        help_text="When the closed round's responses were rewritten in a shuffled order",
    )
    personal_answers_deleted_at = models.DateTimeField(
        null=True,
        blank=True,
        help_text="When comments and experience answers were deleted (SURVEY_RETENTION_MONTHS)",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-opens_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(closes_on__gte=models.F("opens_on")), name="round_closes_after_opening"
            ),
        ]

    def __str__(self) -> str:
        return f"Feedback on {self.assessment} ({self.opens_on}–{self.closes_on})"

    def is_open(self, today) -> bool:
        """The one rule for a round taking answers: opened, not past its closing date,
        not closed early."""
        return self.not_open_because(today) is None

    def is_closed(self, today) -> bool:
        return self.closed_at is not None or today > self.closes_on

    def not_open_because(self, today) -> str | None:
        """Why the round takes no answers today, in words for the councillor; None while
        it is open."""
        if today < self.opens_on:
            return f"This survey opens on {long_date(self.opens_on)}"
        if self.is_closed(today):
            return "This survey has closed"
        return None

    def answering_stopped_on(self) -> datetime.date:
        """The day answering stopped: the closing date, or earlier if an admin closed the
        round early (closing it after the closing date does not put it later)."""
        if self.closed_at is not None:
            return min(timezone.localdate(self.closed_at), self.closes_on)
        return self.closes_on


class Ballot(models.Model):
    class Kind(models.TextChoices):
        INVITED = "invited", "Personal invitation"
        SHARED = "shared", "Shared link"

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="ballots")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    name = models.CharField(max_length=200, blank=True)
    email = models.EmailField(blank=True)
    token_hash = models.CharField(max_length=64, unique=True)
    draft = models.BinaryField(blank=True, default=b"", help_text="Encrypted with the token")
    answered = models.BooleanField(default=False)
    sent_at = models.DateTimeField(null=True, blank=True)
    reminded_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name", "email", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["round", "email"],
                condition=Q(kind="invited"),
                name="ballot_one_invitation_per_email",
            ),
            models.CheckConstraint(
                condition=Q(kind="shared") | ~Q(email=""), name="ballot_invitation_has_email"
            ),
        ]

    def __str__(self) -> str:
        return self.email or f"shared ticket {self.pk}"


class SurveyResponse(models.Model):
    """One councillor's submitted answers. Deliberately nothing here but the round and
    the answers: see the module docstring."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="responses")
    # {"statements": {"1.1": 0|1|2|null}, "comments": {"1": "..."},
    #  "experience": {"frequency": "...", "where": ["..."]}}; null = "Don't know".
    answers = models.JSONField()

    def __str__(self) -> str:
        return f"Response to {self.round_id}"
