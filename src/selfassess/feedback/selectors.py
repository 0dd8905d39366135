"""Reads for councillor feedback: a round's state, and its results.

Results are computed only for a closed round with at least SURVEY_MIN_RESPONSES
responses: while a round is open, watching the numbers change after each submission
could reveal who said what, and below the threshold a few answers identify people.
"""

from dataclasses import dataclass, field
from functools import cached_property

from django.conf import settings
from django.db.models import Count, Q
from django.utils import timezone

from selfassess.assessments.models import Assessment
from selfassess.assessments.selectors import AssessmentView
from selfassess.background.models import Email
from selfassess.frameworks.models import Framework

from .models import Ballot, Round
from .tally import tally


@dataclass
class RoundState:
    round: Round
    invited: int
    emailed: int
    answered_invited: int
    answered_shared: int
    responses: int
    is_open: bool
    is_closed: bool
    not_yet_open: bool
    # The invitation emails by outbox status, and reminders (counted, never listed: who
    # was reminded is who had not answered).
    invitations: dict[str, int] = field(default_factory=dict)
    reminders: dict[str, int] = field(default_factory=dict)

    @property
    def response_rate(self) -> int | None:
        if not self.invited:
            return None
        return round(100 * self.answered_invited / self.invited)

    @property
    def sending(self) -> bool:
        """Emails of the round still on their way (the page refreshes itself)."""
        return any(
            counts.get(s, 0) for counts in (self.invitations, self.reminders)
            for s in (Email.Status.QUEUED, Email.Status.SENDING)
        )

    @property
    def threshold_met(self) -> bool:
        """Enough councillors invited personally have answered for results to be shown:
        answers through the shared link do not count towards it (anyone with the code
        could send several)."""
        return threshold_met(self.answered_invited)

    @property
    def comments_shown(self) -> bool:
        """Comments word for word, which can identify their writer, need a larger round:
        SURVEY_MIN_RESPONSES_FOR_COMMENTS councillors invited personally."""
        return self.answered_invited >= settings.SURVEY_MIN_RESPONSES_FOR_COMMENTS


def threshold_met(answered_invited: int) -> bool:
    """The one rule for enough answers to show a round's results."""
    return answered_invited >= settings.SURVEY_MIN_RESPONSES


def _by_status(emails) -> dict[str, int]:
    return dict(emails.values_list("status").annotate(n=Count("pk")).order_by())


def round_state(round_: Round, today=None) -> RoundState:
    today = today or timezone.localdate()
    counts = round_.ballots.aggregate(
        n_invited=Count("pk", filter=Q(kind=Ballot.Kind.INVITED)),
        n_emailed=Count("pk", filter=Q(kind=Ballot.Kind.INVITED, sent_at__isnull=False)),
        n_answered=Count("pk", filter=Q(kind=Ballot.Kind.INVITED, answered=True)),
        n_shared=Count("pk", filter=Q(kind=Ballot.Kind.SHARED, answered=True)),
    )
    return RoundState(
        round=round_,
        invited=counts["n_invited"],
        emailed=counts["n_emailed"],
        answered_invited=counts["n_answered"],
        answered_shared=counts["n_shared"],
        responses=round_.responses.count(),
        is_open=round_.is_open(today),
        is_closed=round_.is_closed(today),
        not_yet_open=today < round_.opens_on,
        invitations=_by_status(Email.objects.filter(pk__in=round_.ballots.values("invitation"))),
        reminders=_by_status(Email.objects.filter(topic=f"round:{round_.pk}:reminder")),
    )


def invitation_list(round_: Round) -> list[Ballot]:
    """Who was invited and how each invitation email is doing; never whether they have
    answered."""
    return list(
        round_.ballots.filter(kind=Ballot.Kind.INVITED)
        .select_related("invitation")
        .defer("draft", "link", "answered")
    )


def rounds_for(assessment: Assessment) -> list[Round]:
    return list(assessment.feedback_rounds.order_by("-opens_on", "-pk"))


@dataclass
class StatementResult:
    ref: str
    text: str
    officer_score: int | None
    counts: dict  # answer value (or "dont_know") -> count
    answered: int  # excluding "don't know"
    guidance: dict = field(default_factory=dict)  # the statement's, from its toolkit

    # Worked out once: a results page reads each of these several times, for hundreds
    # of cells (cached_property suits a dataclass that is made once and never changed).
    @cached_property
    def mean(self) -> float | None:
        if not self.answered:
            return None
        return sum(v * n for v, n in self.counts.items() if v != "dont_know") / self.answered

    @cached_property
    def cells(self) -> list[int]:
        """The counts in the order of the survey's answers, "don't know" left out."""
        return [n for v, n in self.counts.items() if v != "dont_know"]

    @property
    def dont_know(self) -> int:
        return self.counts.get("dont_know", 0)

    @property
    def all_dont_know(self) -> bool:
        """Everyone who answered this statement said they do not know: a finding in
        itself (councillors have not heard of what the council says it does)."""
        return not self.answered and self.dont_know > 0

    @cached_property
    def gap(self) -> float | None:
        """Councillors' mean minus the officers' score: negative means councillors see
        the council doing less well than its own assessment says."""
        if self.mean is None or self.officer_score is None:
            return None
        return round(self.mean - self.officer_score, 2)


@dataclass
class PrincipleResult:
    number: int
    title: str
    statements: list[StatementResult]
    comments: list[str] = field(default_factory=list)

    @property
    def dont_know(self) -> int:
        return sum(s.dont_know for s in self.statements)

    @cached_property
    def officer_total(self) -> int | None:
        scores = [s.officer_score for s in self.statements]
        return None if None in scores else sum(scores)

    @cached_property
    def councillor_total(self) -> float | None:
        means = [s.mean for s in self.statements]
        return None if None in means else round(sum(means), 1)

    @cached_property
    def gap(self) -> float | None:
        if self.officer_total is None or self.councillor_total is None:
            return None
        return round(self.councillor_total - self.officer_total, 1)


@dataclass
class ExperienceResult:
    id: str
    text: str
    kind: str
    answered: int
    rows: list[tuple[str, int, int]]  # option, count, percentage of those answering


@dataclass
class Results:
    round: Round
    state: RoundState
    responses: int
    principles: list[PrincipleResult]
    experience: list[ExperienceResult]
    answer_labels: dict
    comments_withheld: bool = False

    @property
    def comments_minimum(self) -> int:
        return settings.SURVEY_MIN_RESPONSES_FOR_COMMENTS

    @cached_property
    def statements_by_gap(self) -> list[StatementResult]:
        """Largest gaps first, whichever direction."""
        rows = [s for p in self.principles for s in p.statements if s.gap is not None]
        return sorted(rows, key=lambda s: (-abs(s.gap), s.ref))

    @cached_property
    def statements_without_gap(self) -> list[StatementResult]:
        """Statements with no average to compare: everyone said they do not know, or the
        council has not scored it. Never left out of the results."""
        return [s for p in self.principles for s in p.statements if s.gap is None]

    @cached_property
    def principles_by_gap(self) -> list[PrincipleResult]:
        """Largest gaps first. A principle with no total to compare (a statement nobody
        could answer, or one the council has not scored) comes last, never left out: its
        "Don't know" answers are a finding too."""
        return sorted(
            self.principles, key=lambda p: (p.gap is None, -abs(p.gap or 0), p.number)
        )

    @cached_property
    def largest_gaps(self) -> list[StatementResult]:
        """The statement or statements where councillors' view and the council's score
        differ most (none if they nowhere differ)."""
        rows = self.statements_by_gap
        if not rows or not rows[0].gap:
            return []
        return [s for s in rows if abs(s.gap) == abs(rows[0].gap)]

    def statement(self, ref: str) -> StatementResult | None:
        return next((s for p in self.principles for s in p.statements if s.ref == ref), None)


def _counts(statements: dict, values: list, ref: str) -> dict:
    """A statement's answers from a round's tally: per answer value, and "dont_know"."""
    seen = statements.get(ref, {})
    return {v: seen.get(str(v), 0) for v in values} | {"dont_know": seen.get("dk", 0)}


class ResultsWithheld(Exception):
    def __init__(self, reason: str):
        self.reason = reason
        super().__init__(reason)


def results(round_: Round, view: AssessmentView, today=None) -> Results:
    """The round's results, or ResultsWithheld saying why they cannot be shown yet."""
    state = round_state(round_, today)
    minimum = settings.SURVEY_MIN_RESPONSES
    if not state.is_closed:
        raise ResultsWithheld(
            "Results are shown once the round has closed, so that nobody can work out "
            "an answer by watching the numbers change."
        )
    if not state.threshold_met:
        raise ResultsWithheld(
            f"Results are shown only once at least {minimum} councillors invited "
            f"personally have answered, to keep councillors anonymous; answers through the "
            f"shared link are included then, but do not count towards the {minimum}. This "
            f"round had {state.answered_invited} from personal invitations."
        )
    if round_.sealed_at is None:
        # Sealing is a write, so it never happens here: closing a round seals it, and a
        # round that closes by date is sealed by services.seal_closed_rounds (a task).
        raise ResultsWithheld(
            "The answers are being counted. Results appear here shortly after the round "
            "closes."
        )
    survey = round_.assessment.framework.survey
    counted = round_.tally or tally(round_)
    values = [a["value"] for a in survey["answers"]]
    principles = []
    for pv in view.principles:
        statement_results = []
        for response in pv.responses:
            ref = response.statement.ref
            counts = _counts(counted["statements"], values, ref)
            statement_results.append(
                StatementResult(
                    ref=ref,
                    text=response.statement.text,
                    officer_score=response.score,
                    counts=counts,
                    answered=sum(n for v, n in counts.items() if v != "dont_know"),
                    guidance=response.statement.guidance,
                )
            )
        principles.append(
            PrincipleResult(
                number=pv.principle.number,
                title=pv.principle.title,
                statements=statement_results,
                comments=(
                    counted["comments"].get(str(pv.principle.number), [])
                    if state.comments_shown
                    else []
                ),
            )
        )
    experience = []
    for q in survey.get("experience", {}).get("questions", []):
        seen = counted["experience"].get(q["id"], {"answered": 0, "counts": {}})
        answered = seen["answered"]
        experience.append(
            ExperienceResult(
                id=q["id"],
                text=q["text"],
                kind=q["type"],
                answered=answered,
                rows=[
                    (
                        o,
                        seen["counts"].get(o, 0),
                        round(100 * seen["counts"].get(o, 0) / answered) if answered else 0,
                    )
                    for o in q["options"]
                ],
            )
        )
    return Results(
        round=round_,
        state=state,
        responses=counted["responses"],
        principles=principles,
        experience=experience,
        answer_labels={a["value"]: a["label"] for a in survey["answers"]},
        comments_withheld=not state.comments_shown,
    )


def latest_closed_results(assessment: Assessment, view: AssessmentView) -> Results | None:
    """Results of the most recent closed round that has enough responses, if any."""
    today = timezone.localdate()
    for round_ in rounds_for(assessment):
        if round_.is_closed(today):
            try:
                return results(round_, view, today)
            except ResultsWithheld:
                continue
    return None


@dataclass(frozen=True)
class SurveyGaps:
    """One assessment's latest round whose results can be shown, and each principle's gap
    (councillors' view minus the officers' total, as the results page shows it)."""

    round_id: int
    gaps: dict[int, float]


def survey_gaps(
    scores: dict[int, dict[str, int]],
    principles: list[tuple[int, list[str]]],
    today=None,
) -> dict[int, SurveyGaps]:
    """For many assessments at once (id -> score by statement ref), the principle gaps of
    each one's latest round whose results `results` would show: closed, sealed, with
    enough personal answers. In two queries however many assessments, read from each
    round's stored tally, never its responses. An assessment whose round has a principle
    nobody could answer (every councillor said they did not know a statement) is left
    out, as is one that has none of these rounds."""
    today = today or timezone.localdate()
    rounds = (
        Round.objects.filter(assessment_id__in=list(scores), sealed_at__isnull=False)
        .filter(Q(closed_at__isnull=False) | Q(closes_on__lt=today))
        .annotate(
            invited_answered=Count(
                "ballots", filter=Q(ballots__kind=Ballot.Kind.INVITED, ballots__answered=True)
            )
        )
        .order_by("assessment_id", "-opens_on", "-pk")
        .values_list(
            "pk",
            "assessment_id",
            "assessment__framework_id",
            "invited_answered",
            "tally__statements",
        )
    )
    chosen: dict[int, tuple[int, int, dict]] = {}
    for pk, assessment_id, framework_id, answered, statements in rounds:
        if assessment_id in chosen or not threshold_met(answered):
            continue
        if statements is None:  # sealed before tallies were stored
            statements = tally(Round(pk=pk))["statements"]
        chosen[assessment_id] = (pk, framework_id, statements)
    values = {
        pk: [a["value"] for a in survey.get("answers", [])]
        for pk, survey in Framework.objects.filter(
            pk__in={f for _, f, _ in chosen.values()}
        ).values_list("pk", "survey")
    }
    out = {}
    for assessment_id, (pk, framework_id, statements) in chosen.items():
        own = scores[assessment_id]
        gaps = {}
        for number, refs in principles:
            rows = []
            for ref in refs:
                counts = _counts(statements, values[framework_id], ref)
                answered = sum(n for v, n in counts.items() if v != "dont_know")
                rows.append(StatementResult(ref, "", own.get(ref), counts, answered))
            result = PrincipleResult(number=number, title="", statements=rows)
            if result.gap is None:
                break
            gaps[number] = result.gap
        else:
            out[assessment_id] = SurveyGaps(round_id=pk, gaps=gaps)
    return out
