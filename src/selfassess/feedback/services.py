"""Writes for councillor feedback: opening rounds, inviting, answering, closing.

The councillor's side (open_ballot, save_draft, submit) works only from the token in
the link; it never touches anything that could tie a submitted response to a ballot.
"""

import csv
import datetime
import functools
import io
import itertools
import secrets
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, connection, transaction
from django.db.models import F, Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from selfassess.accounts.models import User
from selfassess.assessments import services as assessment_services
from selfassess.assessments.models import Assessment
from selfassess.audit import services as audit
from selfassess.audit.models import Action as AuditAction
from selfassess.background.models import Email
from selfassess.background.services import (
    Message,
    NotRetryable,
    after_commit,
    queue_emails,
    retry_email,
)
from selfassess.core.dates import day_month, short_date
from selfassess.councils.models import Council

from . import questions, tokens
from .models import Ballot, Round, SurveyResponse
from .tally import tally


class SurveyError(Exception):
    """A reason the councillor or the admin cannot go on; the message is for them."""


class LinkNotValid(SurveyError):
    pass


class AlreadyAnswered(SurveyError):
    pass


class RoundNotOpen(SurveyError):
    pass


class SharedLinkFull(SurveyError):
    pass


@dataclass(frozen=True)
class Invitee:
    name: str
    email: str


def parse_invitees(text: str) -> tuple[list[Invitee], list[str]]:
    """Lines or CSV rows of "Name, email" (or just an email). Returns the people and a
    problem per bad line, numbered as the user sees them."""
    people: list[Invitee] = []
    problems: list[str] = []
    seen: set[str] = set()
    text = text.replace("\r\n", "\n").replace("\r", "\n").strip("\n")
    if "\x00" in text:
        return [], ["The list contains a NUL character: save the file again as a plain CSV"]
    first = True
    rows = csv.reader(io.StringIO(text))
    for number in itertools.count(1):
        try:
            row = next(rows)
        except StopIteration:
            break
        except csv.Error as exc:
            problems.append(f"Line {number}: cannot be read as CSV ({exc})")
            break
        cells = [c.strip() for c in row if c.strip()]
        if not cells:
            continue
        email = cells[-1].lower()
        name = ", ".join(cells[:-1])
        if first and email in {"email", "email address", "e-mail"}:
            first = False
            continue  # a CSV header row
        first = False
        try:
            validate_email(email)
            if len(email) > 254:
                raise ValidationError("too long")
        except ValidationError:
            problems.append(f"Line {number}: “{cells[-1][:80]}” is not an email address")
            continue
        if len(name) > 200:
            problems.append(f"Line {number}: the name must be 200 characters or fewer")
            continue
        if email in seen:
            problems.append(f"Line {number}: {email} is listed twice")
            continue
        seen.add(email)
        people.append(Invitee(name=name, email=email))
    return people, problems


def _record(round_: Round, user, note: str) -> None:
    assessment_services.record_event(
        assessment=round_.assessment, user=user, after="feedback", note=note
    )


@transaction.atomic
def open_round(
    *,
    assessment: Assessment,
    user: User | None,
    opens_on: datetime.date,
    closes_on: datetime.date,
    introduction: str,
    shared_link: bool,
    reminder_days: int | None = 3,
) -> Round:
    if closes_on < opens_on:
        raise SurveyError("The closing date must be on or after the opening date")
    if not assessment.framework.survey:
        raise SurveyError("This toolkit version has no councillor survey")
    round_ = Round.objects.create(
        assessment=assessment,
        opens_on=opens_on,
        closes_on=closes_on,
        introduction=introduction.strip(),
        access_code=_access_code() if shared_link else "",
        reminder_days=reminder_days,
        created_by=user,
    )
    when = f"{day_month(opens_on)} to {short_date(closes_on)}"
    _record(round_, user, f"Opened councillor feedback, {when}")
    audit.record(
        AuditAction.ROUND_OPENED,
        f"Opened councillor feedback on “{assessment.title}”, {when}",
        actor=user,
        council=assessment.council,
    )
    return round_


def _access_code() -> str:
    alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O or 1/I to misread
    return "-".join("".join(secrets.choice(alphabet) for _ in range(4)) for _ in range(2))


@transaction.atomic
def close_round(*, round_: Round, user: User | None) -> Round:
    locked = Round.objects.select_for_update().get(pk=round_.pk)
    if locked.closed_at is None:
        locked.closed_at = timezone.now()
        locked.save(update_fields=["closed_at"])
        _record(locked, user, "Closed councillor feedback")
        audit.record(
            AuditAction.ROUND_CLOSED,
            f"Closed councillor feedback on “{locked.assessment.title}”",
            actor=user,
            council=locked.assessment.council,
        )
    round_.closed_at = locked.closed_at
    if locked.sealed_at is None:
        after_commit(lambda: _seal_later(locked.pk))
    return locked


def _seal_later(round_id: int) -> None:
    from .tasks import seal

    seal(round_id)


@transaction.atomic
def seal_round(*, round_: Round) -> Round:
    """Once a round has closed: forget the order in which people answered. Responses are
    rewritten in a random order with new random ids, all in one transaction, and every
    ballot's draft is wiped. Idempotent; results are only read from a sealed round."""
    locked = Round.objects.select_for_update().get(pk=round_.pk)
    if locked.sealed_at is not None or not locked.is_closed(timezone.localdate()):
        return locked
    answers = list(SurveyResponse.objects.filter(round=locked).values_list("answers", flat=True))
    secrets.SystemRandom().shuffle(answers)
    SurveyResponse.objects.filter(round=locked).delete()
    SurveyResponse.objects.bulk_create(SurveyResponse(round=locked, answers=a) for a in answers)
    Ballot.objects.filter(round=locked).update(draft=b"", answered=F("answered"))
    locked.tally = tally(locked)
    locked.sealed_at = timezone.now()
    locked.save(update_fields=["sealed_at", "tally"])
    round_.sealed_at = locked.sealed_at
    return locked


def seal_closed_rounds(today: datetime.date | None = None) -> int:
    """Seal every round that has closed by date and is not sealed yet (each in its own
    transaction); how many. Run by the scheduler, so results never wait for a page to
    write."""
    today = today or timezone.localdate()
    sealed = 0
    for pk in Round.objects.filter(sealed_at__isnull=True).filter(
        Q(closes_on__lt=today) | Q(closed_at__isnull=False)
    ).values_list("pk", flat=True):
        if seal_round(round_=Round(pk=pk)).sealed_at is not None:
            sealed += 1
    return sealed


@transaction.atomic
def add_invitations(*, round_: Round, people: list[Invitee]) -> tuple[int, int]:
    """Add invitations, each with its own link; return (added, already invited)."""
    existing = set(round_.ballots.filter(kind=Ballot.Kind.INVITED).values_list("email", flat=True))
    new = [p for p in people if p.email not in existing]
    ballots = []
    for person in new:
        token = tokens.new_token()
        ballots.append(
            Ballot(
                round=round_,
                kind=Ballot.Kind.INVITED,
                name=person.name,
                email=person.email,
                token_hash=tokens.token_hash(token),
                link=tokens.seal_link(token),
            )
        )
    Ballot.objects.bulk_create(ballots)
    return len(new), len(people) - len(new)


def survey_url(token: str) -> str:
    return settings.SITE_URL + _survey_path().replace("TOKEN", token)


@functools.cache
def _survey_path() -> str:
    """The survey's address with TOKEN in place of a link's token: one reverse() for a
    thousand invitations."""
    return reverse("feedback:start", args=["TOKEN"])


def _link(ballot: Ballot) -> str:
    """The ballot's link. A ballot made before links were kept (or after the server's
    key changed) gets a new one: the old link stops working and a draft saved under it
    cannot be opened any more, which the email then says."""
    token = tokens.open_link(ballot.link)
    if token is None:
        token = tokens.new_token()
        ballot.token_hash = tokens.token_hash(token)
        ballot.link = tokens.seal_link(token)
        ballot.draft = b""
        ballot.link_replaced = True
    return token


# Stand-ins for what differs between councillors, put in after the email is rendered:
# the template is rendered once per kind of email, not once per councillor.
_NAME, _URL = "\x00name\x00", "\x00url\x00"


def _messages(round_: Round, ballots: list[Ballot], *, reminder: bool, automatic: bool = False):
    """Each ballot's invitation (or reminder) email, with its own link."""
    council = round_.assessment.council
    kind = "reminder" if reminder else "invitation"
    rendered: dict[tuple[bool, bool], str] = {}
    out = []
    for ballot in ballots:
        token = _link(ballot)
        variant = (bool(ballot.name), getattr(ballot, "link_replaced", False))
        if variant not in rendered:
            rendered[variant] = render_to_string(
                "feedback/email_invitation.txt",
                {
                    "name": _NAME if variant[0] else "",
                    "round": round_,
                    "council": council,
                    "url": _URL,
                    "reminder": reminder,
                    "automatic": automatic,
                    "replaced": variant[1],
                    "minimum": settings.SURVEY_MIN_RESPONSES,
                },
            )
        out.append(
            Message(
                to=ballot.email,
                subject=(
                    f"{'Reminder: ' if reminder else ''}{council.name}: your anonymous "
                    "feedback on support for councillors facing abuse"
                ),
                body=rendered[variant]
                .replace(_NAME, ballot.name)
                .replace(_URL, survey_url(token)),
                purpose=f"Survey {kind}",
                topic=f"round:{round_.pk}:{kind}",
                dedupe_key=f"round:{round_.pk}:auto-reminder:{ballot.pk}" if automatic else None,
            )
        )
    return out


def _check_not_closed(round_: Round) -> None:
    if round_.is_closed(timezone.localdate()):
        raise RoundNotOpen("This feedback round has closed")


def _note_sent(ballots: list[Ballot], emails, **times) -> None:
    """Record on each ballot its email and when it was queued: one UPDATE statement run
    for each ballot (Django's bulk_update built a CASE per row, 4 s for 1,000), and a
    save for a ballot whose link was replaced."""
    by_ballot = dict(zip((b.pk for b in ballots), emails, strict=True)) if emails else {}
    table = Ballot._meta.db_table
    columns = list(times)
    assignments = ", ".join(f"{c} = %s" for c in columns)
    params = []
    for ballot in ballots:
        values = [times[c] for c in columns]
        if by_ballot:
            values.append(by_ballot[ballot.pk].pk)
        params.append([*values, ballot.pk])
    with connection.cursor() as cursor:
        cursor.executemany(
            f"UPDATE {table} SET {assignments}"  # noqa: S608 - our own table and columns
            + (", invitation_id = %s" if by_ballot else "")
            + " WHERE id = %s",
            params,
        )
    for ballot in ballots:
        if getattr(ballot, "link_replaced", False):
            ballot.save(update_fields=["token_hash", "link", "draft"])


@transaction.atomic
def send_invitations(*, round_: Round) -> int:
    """Queue an invitation to everyone invited and not yet emailed; how many. The emails
    go from the queue (background.Email); the round's page shows each one's progress."""
    _check_not_closed(round_)
    pending = list(
        Ballot.objects.select_for_update().filter(
            round=round_, kind=Ballot.Kind.INVITED, sent_at__isnull=True, answered=False
        )
    )
    emails = queue_emails(_messages(round_, pending, reminder=False))
    _note_sent(pending, emails, sent_at=timezone.now())
    return len(pending)


@transaction.atomic
def send_reminders(*, round_: Round, automatic: bool = False) -> int:
    """Queue a reminder, with the same link as the invitation (so part-way answers are
    kept), to everyone invited who has not answered; nobody else. How many."""
    _check_not_closed(round_)
    pending = Ballot.objects.select_for_update().filter(
        round=round_, kind=Ballot.Kind.INVITED, sent_at__isnull=False, answered=False
    )
    if automatic:  # nobody is reminded on the day they were invited
        pending = pending.filter(sent_at__date__lt=timezone.localdate())
    pending = list(pending)
    emails = queue_emails(_messages(round_, pending, reminder=True, automatic=automatic))
    _note_sent(pending, None, reminded_at=timezone.now())
    return len(emails)


def send_automatic_reminders(today: datetime.date | None = None) -> int:
    """Rounds whose automatic reminder is due today (their `reminder_days` before they
    close) and has not gone: remind those who have not answered. Run daily."""
    today = today or timezone.localdate()
    sent = 0
    for round_ in Round.objects.select_related("assessment__council").filter(
        auto_reminded_at__isnull=True,
        closed_at__isnull=True,
        reminder_days__isnull=False,
        opens_on__lte=today,
        closes_on__gte=today,
    ):
        if round_.closes_on - datetime.timedelta(days=round_.reminder_days) > today:
            continue
        with transaction.atomic():
            locked = Round.objects.select_for_update().get(pk=round_.pk)
            if locked.auto_reminded_at is not None:
                continue
            sent += send_reminders(round_=round_, automatic=True)
            locked.auto_reminded_at = timezone.now()
            locked.save(update_fields=["auto_reminded_at"])
    return sent


@transaction.atomic
def retry_failed_reminders(*, round_: Round) -> int:
    """Send again every reminder of the round that failed; how many. (Counted, never
    listed: who was reminded is who had not answered.)"""
    failed = list(
        Email.objects.filter(topic=f"round:{round_.pk}:reminder", status=Email.Status.FAILED)
    )
    for email in failed:
        retry_email(email=email)
    return len(failed)


@transaction.atomic
def retry_invitation(*, ballot: Ballot) -> None:
    """Send a failed invitation again (the same link)."""
    if ballot.invitation is None:
        raise SurveyError("This invitation has not been sent yet")
    try:
        retry_email(email=ballot.invitation)
    except NotRetryable as exc:
        raise SurveyError(str(exc)) from exc


@dataclass
class OpenBallot:
    """A survey link that may still be used: its ballot's id, the round (only the
    columns the survey shows or checks), the council (its name), what the round's
    survey asks (questions.py, per process) and the decrypted draft."""

    ballot_id: int
    token_hash: str
    round: Round
    council: Council
    questions: questions.Questions
    draft: dict


# The councillor's pages run on every request of a survey spike, so their reads and
# writes are SQL written out here rather than built by the ORM, which spent longer
# building these statements on every request than the database spent running them
# (bench/surveycost.py; each line below says by how much). All are plain SQL that
# SQLite and PostgreSQL both take, with parameters, over this app's own tables.
_SQL = {
    # Everything a survey page needs that can change, by the unique token hash: the
    # ballot's state and draft, the round's dates and whether it was closed, and the
    # council's name. What cannot change (the toolkit and the pages' structure) comes
    # from questions.for_round. Run through Round.objects.raw, which converts the
    # round's columns for the database in use. 0.16 ms; 1.15 ms as select_related()
    # across five tables, done twice on each POST.
    "lookup": (
        "SELECT r.id, r.public_id, r.assessment_id, r.opens_on, r.closes_on, r.closed_at,"
        " r.introduction, b.id AS ballot_id, b.answered AS ballot_answered,"
        " b.draft AS ballot_draft, a.framework_id AS framework_id,"
        " a.council_id AS council_id, c.name AS council_name"
        " FROM {ballot} b"
        " JOIN {round} r ON r.id = b.round_id"
        " JOIN {assessment} a ON a.id = r.assessment_id"
        " JOIN {council} c ON c.id = a.council_id"
        " WHERE b.token_hash = %s"
    ),
    # The round's row, locked where the database can (FOR UPDATE is added then), to
    # check it was not closed since the page was opened. 0.02 ms; 0.3 ms by the ORM.
    "round closed": "SELECT closed_at FROM {round} WHERE id = %s",
    # The writes, conditional on the same link not yet answered. 0.03 ms; 0.35 ms.
    "save draft": (
        "UPDATE {ballot} SET draft = %s WHERE id = %s AND token_hash = %s AND NOT answered"
    ),
    "mark answered": (
        "UPDATE {ballot} SET answered = %s, draft = %s"
        " WHERE id = %s AND token_hash = %s AND NOT answered"
    ),
}


@functools.cache
def _sql(name: str) -> str:
    return _SQL[name].format(
        ballot=Ballot._meta.db_table,
        round=Round._meta.db_table,
        assessment=Assessment._meta.db_table,
        council=Council._meta.db_table,
    )


def open_ballot(token: str) -> OpenBallot:
    """The ballot behind a link and its decrypted draft, if the link may still be used
    (otherwise LinkNotValid, AlreadyAnswered or RoundNotOpen)."""
    if not token or len(token) > 100:
        raise LinkNotValid("This link is not valid")
    hashed = tokens.token_hash(token)
    row = next(iter(Round.objects.raw(_sql("lookup"), [hashed])), None)
    if row is None:
        raise LinkNotValid("This link is not valid")
    if row.ballot_answered:
        raise AlreadyAnswered("You have already sent your answers. Thank you.")
    _check_open(row)
    return OpenBallot(
        ballot_id=row.ballot_id,
        token_hash=hashed,
        round=row,
        council=Council(pk=row.council_id, name=row.council_name),
        questions=questions.for_round(row.pk, row.public_id, row.framework_id),
        draft=tokens.unseal(token, bytes(row.ballot_draft)),
    )


def _check_open(round_: Round) -> None:
    if reason := round_.not_open_because(timezone.localdate()):
        raise RoundNotOpen(reason)


def _lock_open_round(opened: OpenBallot) -> None:
    """Inside a transaction: lock the round's row (as close_round does) and check it has
    not been closed since the link was opened, so no draft or answer can arrive after a
    round was closed and sealed. Its dates never change, and were checked already."""
    sql = _sql("round closed")
    if connection.features.has_select_for_update:
        sql += " " + connection.ops.for_update_sql()
    with connection.cursor() as cursor:
        cursor.execute(sql, [opened.round.pk])
        row = cursor.fetchone()
    if row is None:
        raise LinkNotValid("This link is not valid")
    if row[0] is not None:
        raise RoundNotOpen("This survey has closed")


def _write(name: str, params: list) -> bool:
    """One of the conditional ballot writes above; whether it changed the ballot."""
    with connection.cursor() as cursor:
        cursor.execute(_sql(name), params)
        return cursor.rowcount == 1


def _refused(token: str) -> SurveyError:
    """Why a ballot's conditional update changed nothing: answered, or a new link sent
    in the meantime (reminders replace the token)."""
    try:
        open_ballot(token)
    except SurveyError as exc:
        return exc
    return AlreadyAnswered("You have already sent your answers. Thank you.")


@transaction.atomic
def save_draft(token: str, answers: dict, *, opened: OpenBallot | None = None) -> None:
    """Encrypt and keep the draft; `opened` saves reading the ballot again when the
    caller has just opened it. The write is conditional (same link, not answered), so
    it cannot land on a ballot answered or re-sent in the meantime."""
    opened = opened or open_ballot(token)
    _lock_open_round(opened)
    draft = tokens.seal(token, answers)
    if not _write("save draft", [draft, opened.ballot_id, opened.token_hash]):
        raise _refused(token)


@transaction.atomic
def submit(token: str, answers: dict, *, opened: OpenBallot | None = None) -> None:
    """Store the answers as an anonymous response and mark the ballot answered, in one
    transaction, exactly once (`UPDATE … WHERE answered = false`)."""
    opened = opened or open_ballot(token)
    _lock_open_round(opened)
    if not _write("mark answered", [True, b"", opened.ballot_id, opened.token_hash]):
        raise _refused(token)
    SurveyResponse.objects.create(round_id=opened.round.pk, answers=answers)


@transaction.atomic
def shared_ticket(round_public_id, code: str) -> str:
    """Exchange the shared link's access code for a personal token of one's own."""
    try:
        # Unique, so get() (no ORDER BY); locked, for the ticket count below.
        round_ = Round.objects.select_for_update().get(public_id=round_public_id)
    except Round.DoesNotExist:
        raise LinkNotValid("This link is not valid") from None
    if not round_.access_code:
        raise LinkNotValid("This link is not valid")
    given = code.strip().upper().replace(" ", "").encode("utf-8")
    if not secrets.compare_digest(given, round_.access_code.encode("utf-8")):
        raise SurveyError("The access code is not right. Check it and try again")
    _check_open(round_)
    # Each round hands out at most SURVEY_SHARED_MAX tickets, so a leaked code cannot
    # flood it; with the round's row locked, two people at the limit cannot both pass.
    if round_.ballots.filter(kind=Ballot.Kind.SHARED).count() >= settings.SURVEY_SHARED_MAX:
        raise SharedLinkFull(
            "This survey’s shared link has been used as many times as it allows. "
            "Ask the council for a personal link"
        )
    token = tokens.new_token()
    try:
        Ballot.objects.create(
            round=round_, kind=Ballot.Kind.SHARED, token_hash=tokens.token_hash(token)
        )
    except IntegrityError as exc:  # a token collision: 2**-256, but never silently
        raise SurveyError("Please try again") from exc
    return token


PERSONAL_KEYS = ("comments", "experience")


@transaction.atomic
def forget_personal_answers(*, cutoff: datetime.date) -> tuple[int, int]:
    """Empty the comments and experience answers of every round whose answering stopped
    before `cutoff`, in its responses and its tally, keeping the scores; a round not yet
    sealed is sealed first, so the answers' order and the drafts go too. Returns (rounds,
    responses changed). Each round is done once."""
    rounds = responses = 0
    candidates = Round.objects.select_for_update().filter(
        Q(closes_on__lt=cutoff) | Q(closed_at__date__lt=cutoff),
        personal_answers_deleted_at__isnull=True,
    )
    for round_ in candidates:
        if round_.answering_stopped_on() >= cutoff:
            continue
        sealed = seal_round(round_=round_)
        round_.tally, round_.sealed_at = sealed.tally, sealed.sealed_at
        for response in SurveyResponse.objects.filter(round=round_):
            if any(response.answers.get(k) for k in PERSONAL_KEYS):
                response.answers = response.answers | {k: {} for k in PERSONAL_KEYS}
                response.save(update_fields=["answers"])
                responses += 1
        if round_.tally:
            round_.tally = round_.tally | {k: {} for k in PERSONAL_KEYS}
        round_.personal_answers_deleted_at = timezone.now()
        round_.save(update_fields=["tally", "personal_answers_deleted_at"])
        rounds += 1
    return rounds, responses
