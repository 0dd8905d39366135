"""Benchmark data: N councils x M assessments x 25 responses, forward plans, feedback.

Use it as a function (`generate(...)`, after Django is set up) or as a script against the
database the environment names:

    SQLITE_PATH=/tmp/b.sqlite3 .venv/bin/python -m bench.generate --migrate \
        --councils 20 --assessments 3 --actions 100 --feedback 1000

Rows go in with bulk_create, in batches, so 10,000 councils (250,000 responses) take
seconds rather than minutes; the shapes are the ones the services write (one "created"
Change per assessment, a Change per scored statement, the Action-statement links, the
"action added" PlanChange per action). A feedback round is opened with the real service,
`feedback.services.open_round(shared_link=True)`; its responses go through
`services.add_invitations` + `services.submit` (the councillor's path, one transaction
each), or with `feedback_bulk=True` straight in as answered ballots and responses.

Everything is deterministic for a given `seed`.
"""

from __future__ import annotations

import argparse
import datetime
import random
import time
from dataclasses import dataclass, field

PASSWORD = "bench password that is long enough"  # noqa: S105 - benchmark-only accounts
BATCH = 2000

WORDS = (  # noqa: SIM905 - a paragraph reads better than a list
    "council officers councillors abuse intimidation support policy training safety police "
    "social media monitoring reporting process review standards committee member officer "
    "guidance leaflet briefing liaison wellbeing counselling security home address "
    "protocol escalation partners annual evaluation feedback survey induction group leaders "
    "communication channels point of contact case log risk assessment legal advice"
).split()

LEADS = [
    "Monitoring Officer",
    "Head of Democratic Services",
    "Chief Executive",
    "Head of Communications",
    "Community Safety Manager",
    "HR Business Partner",
    "Member Development Officer",
]


def text(rng: random.Random, words: int) -> str:
    out = " ".join(rng.choice(WORDS) for _ in range(words))
    return out[0].upper() + out[1:] + "."


def survey_answers(rng: random.Random, refs: list[str], survey: dict) -> dict:
    """One councillor's answers, as the survey pages build them."""
    statements = {ref: rng.choice([0, 1, 1, 2, 2, None]) for ref in refs}
    comments = {str(n): text(rng, 25) for n in range(1, 6) if rng.random() < 0.2}
    experience: dict = {}
    for q in survey.get("experience", {}).get("questions", []):
        if rng.random() < 0.3:
            continue
        if q["type"] == "multiple":
            experience[q["id"]] = rng.sample(q["options"], k=rng.randint(1, 2))
        else:
            experience[q["id"]] = rng.choice(q["options"])
    return {"statements": statements, "comments": comments, "experience": experience}


@dataclass
class Generated:
    framework_id: int
    council_slugs: list[str] = field(default_factory=list)
    # Per council: the assessment ids, oldest first; the last is the current (draft) one.
    assessments: dict[str, list[int]] = field(default_factory=dict)
    editors: dict[str, str] = field(default_factory=dict)  # council slug -> editor email
    password: str = PASSWORD
    rounds: dict[int, dict] = field(default_factory=dict)  # assessment id -> round info
    seconds: float = 0.0
    rows: dict[str, int] = field(default_factory=dict)

    def current(self, slug: str) -> int:
        return self.assessments[slug][-1]


def ensure_framework():
    from selfassess.frameworks.loader import BUNDLED_FRAMEWORK, load_framework

    return load_framework(BUNDLED_FRAMEWORK).framework


def _bulk(model, objs, counts: dict, batch: int = BATCH):
    objs = list(objs)
    out = []
    for i in range(0, len(objs), batch):
        out += model.objects.bulk_create(objs[i : i + batch])
    counts[model.__name__] = counts.get(model.__name__, 0) + len(objs)
    return out


def generate(
    *,
    councils: int = 1,
    assessments: int = 1,
    actions: int = 0,
    feedback: int = 0,
    feedback_councils: int = 1,
    feedback_bulk: bool = False,
    close_feedback: bool = True,
    actions_on_all: bool = False,
    editors: bool = True,
    history: bool = True,
    evidence_words: int = 60,
    prefix: str = "bench",
    start: int = 0,
    seed: int = 1,
    today: datetime.date | None = None,
    all_agreed: bool = False,
    national: bool = False,
) -> Generated:
    """Create `councils` councils (slugs `{prefix}-{start}` ...), each with `assessments`
    assessments of 25 scored responses (the earlier ones signed off, the newest a draft
    started from the one before), `actions` actions on the newest (on every one with
    `actions_on_all`), one editor each, and
    on the first `feedback_councils` a shared-link feedback round of `feedback`
    responses (closed afterwards when `close_feedback`, so summaries and reports show
    results). With `all_agreed` the newest assessment is agreed too; with `national` each
    council is as a national host holds it: a region, a number of councillors, and
    sharing in benchmarks."""
    from django.contrib.auth.hashers import make_password
    from django.db import transaction
    from django.utils import timezone

    from selfassess.accounts.models import User
    from selfassess.assessments.models import Assessment, Change, Response, Status
    from selfassess.councils.models import Council, CouncilType, Membership, Region, Role
    from selfassess.feedback import services as feedback_services
    from selfassess.feedback import tokens
    from selfassess.feedback.models import Ballot, SurveyResponse
    from selfassess.frameworks.models import Statement
    from selfassess.plans.models import Action, ActionStatus, PlanChange, Priority, ProgressUpdate

    t0 = time.perf_counter()
    rng = random.Random(seed * 1_000_003 + start)  # noqa: S311 - benchmark data, not secrets
    today = today or timezone.localdate()
    now = timezone.now()
    framework = ensure_framework()
    statements = list(
        Statement.objects.filter(framework=framework).order_by("principle__number", "position")
    )
    refs = [s.ref for s in statements]
    types = list(CouncilType.values)
    regions = list(Region.values)
    out = Generated(framework_id=framework.pk)
    counts = out.rows

    with transaction.atomic():
        council_objs = _bulk(
            Council,
            (
                Council(
                    name=f"Bench {types[i % len(types)].replace('_', ' ').title()} Council {i}",
                    slug=f"{prefix}-{i}",
                    type=types[i % len(types)],
                    next_review_on=today + datetime.timedelta(days=180 + i % 300),
                    # Types and regions out of step, so that every type is in every region.
                    region=regions[(i // len(types)) % len(regions)] if national else "",
                    councillors=20 + i % 60 if national else None,
                    shares_benchmarks=national,
                )
                for i in range(start, start + councils)
            ),
            counts,
        )
        out.council_slugs = [c.slug for c in council_objs]
        users: dict[int, User] = {}
        if editors:
            hashed = make_password(PASSWORD)  # one hash for all: hashing is slow on purpose
            user_objs = _bulk(
                User,
                (
                    User(
                        email=f"editor-{c.slug}@bench.example",
                        full_name=f"Editor {c.slug}",
                        password=hashed,
                    )
                    for c in council_objs
                ),
                counts,
            )
            _bulk(
                Membership,
                (
                    Membership(user=u, council=c, role=Role.EDITOR)
                    for u, c in zip(user_objs, council_objs, strict=True)
                ),
                counts,
            )
            users = {c.pk: u for u, c in zip(user_objs, council_objs, strict=True)}
            out.editors = {c.slug: u.email for u, c in zip(user_objs, council_objs, strict=True)}

        # Assessments, oldest first per council, then link each to the one before.
        assessment_objs = []
        for c in council_objs:
            for k in range(assessments):
                years_back = assessments - 1 - k
                latest = years_back == 0 and not all_agreed
                assessed_on = today.replace(month=1, day=15) - datetime.timedelta(
                    days=365 * years_back
                )
                agreed_on = min(assessed_on + datetime.timedelta(days=60), today)
                assessment_objs.append(
                    Assessment(
                        council=c,
                        framework=framework,
                        title=f"Self-assessment {assessed_on.year}",
                        assessed_on=assessed_on,
                        status=Status.DRAFT if latest else Status.COMPLETE,
                        agreed_by="" if latest else "Standards Committee",
                        agreed_on=None if latest else agreed_on,
                        signed_off_at=None if latest else now,
                        signed_off_by=None if latest else users.get(c.pk),
                        created_by=users.get(c.pk),
                    )
                )
        assessment_objs = _bulk(Assessment, assessment_objs, counts)
        by_council: dict[int, list[Assessment]] = {}
        for a in assessment_objs:
            by_council.setdefault(a.council_id, []).append(a)
        relinked = []
        for chain in by_council.values():
            for before, after in zip(chain, chain[1:], strict=False):
                after.previous = before
                relinked.append(after)
        if relinked:
            Assessment.objects.bulk_update(relinked, ["previous"], batch_size=BATCH)
        slug_of = {c.pk: c.slug for c in council_objs}
        out.assessments = {slug_of[cid]: [a.pk for a in chain] for cid, chain in by_council.items()}

        # 25 responses per assessment, scored, with evidence and a link or two.
        response_objs = []
        change_objs = []
        for a in assessment_objs:
            user = users.get(a.council_id)
            change_objs.append(
                Change(assessment=a, user=user, field=Change.Field.CREATED, after=a.title, at=now)
            )
            for s in statements:
                score = rng.choice([0, 1, 1, 2, 2])
                links = [
                    f"https://{a.council_id}.bench.example/{s.ref}/{j}"
                    for j in range(rng.randint(0, 2))
                ]
                response_objs.append(
                    Response(
                        assessment=a,
                        statement=s,
                        score=score,
                        evidence=text(rng, evidence_words) if evidence_words else "",
                        links=links,
                        version=1,
                        updated_by=user,
                        updated_at=now,
                    )
                )
        response_objs = _bulk(Response, response_objs, counts)
        if history:
            change_objs += [
                Change(
                    assessment_id=r.assessment_id,
                    response=r,
                    field=Change.Field.SCORE,
                    before="",
                    after=str(r.score),
                    user_id=r.updated_by_id,
                    at=now,
                )
                for r in response_objs
            ]
        _bulk(Change, change_objs, counts)

        # The forward plan of each council's newest assessment.
        if actions:
            through = Action.statements.through
            action_objs = []
            cover = []
            planned = [
                a
                for chain in by_council.values()
                for a in (chain if actions_on_all else chain[-1:])
            ]
            for a in planned:
                for i in range(actions):
                    status = rng.choice(list(ActionStatus.values))
                    action_objs.append(
                        Action(
                            assessment=a,
                            title=f"Action {i + 1}: {text(rng, 6)}"[:200],
                            description=text(rng, 40),
                            lead=rng.choice(LEADS),
                            partners="Police, LGA" if i % 3 == 0 else "",
                            target_date=today + datetime.timedelta(days=rng.randint(-90, 365)),
                            priority=rng.choice(list(Priority.values)),
                            status=status,
                            created_by=users.get(a.council_id),
                        )
                    )
                    cover.append(rng.sample(statements, k=rng.randint(1, 2)))
            action_objs = _bulk(Action, action_objs, counts)
            _bulk(
                through,
                (
                    through(action_id=act.pk, statement_id=s.pk)
                    for act, ss in zip(action_objs, cover, strict=True)
                    for s in ss
                ),
                counts,
            )
            _bulk(
                PlanChange,
                (
                    PlanChange(
                        assessment_id=act.assessment_id,
                        action=act,
                        field=PlanChange.Field.ACTION_CREATED,
                        after=act.title,
                        note="Covers " + ", ".join(s.ref for s in ss),
                        user_id=act.created_by_id,
                        at=now,
                    )
                    for act, ss in zip(action_objs, cover, strict=True)
                ),
                counts,
            )
            _bulk(
                ProgressUpdate,
                (
                    ProgressUpdate(
                        action=act, on=today, text=text(rng, 20), user_id=act.created_by_id
                    )
                    for act in action_objs[::3]
                ),
                counts,
            )

    # Feedback: a shared-link round per council (first `feedback_councils`).
    if feedback:
        survey = framework.survey
        for chain in list(by_council.values())[:feedback_councils]:
            a = chain[-1]
            round_ = feedback_services.open_round(
                assessment=a,
                user=users.get(a.council_id),
                opens_on=today - datetime.timedelta(days=14),
                closes_on=today + datetime.timedelta(days=14),
                introduction="Please tell us how well the council supports you.",
                shared_link=True,
            )
            if feedback_bulk:
                with transaction.atomic():
                    _bulk(
                        Ballot,
                        (
                            # Personal invitations, answered: only these count towards
                            # the results' threshold (shared-link answers do not).
                            Ballot(
                                round=round_,
                                kind=Ballot.Kind.INVITED,
                                email=f"councillor{i}@example.org",
                                token_hash=tokens.token_hash(tokens.new_token()),
                                answered=True,
                            )
                            for i in range(feedback)
                        ),
                        counts,
                    )
                    _bulk(
                        SurveyResponse,
                        (
                            SurveyResponse(round=round_, answers=survey_answers(rng, refs, survey))
                            for _ in range(feedback)
                        ),
                        counts,
                    )
            else:
                # Councillors invited personally, each answering with their own link
                # (only these count towards the results' threshold).
                feedback_services.add_invitations(
                    round_=round_,
                    people=[
                        feedback_services.Invitee(f"Cllr {i}", f"councillor{i}@example.org")
                        for i in range(feedback)
                    ],
                )
                for link in Ballot.objects.filter(round=round_).values_list("link", flat=True):
                    token = tokens.open_link(link)
                    feedback_services.submit(token, survey_answers(rng, refs, survey))
                counts["SurveyResponse"] = counts.get("SurveyResponse", 0) + feedback
            if close_feedback:
                feedback_services.close_round(round_=round_, user=users.get(a.council_id))
                # The consumer seals a closed round; here there is none, so seal it now.
                feedback_services.seal_round(round_=round_)
            out.rounds[a.pk] = {
                "public_id": str(round_.public_id),
                "access_code": round_.access_code,
                "round_id": round_.pk,
                "closed": close_feedback,
            }
    out.seconds = time.perf_counter() - t0
    return out


def closed_rounds(assessment_ids: list[int], *, answers: int, seed: int = 1) -> dict[str, int]:
    """A councillor survey round on each assessment, closed and sealed as sealing leaves
    it (answers counted into its tally), with `answers` councillors invited personally who
    answered: in bulk, as the councillors' path would take minutes for 10,000 councils."""
    from django.db import transaction
    from django.utils import timezone

    from selfassess.feedback.models import Ballot, Round, SurveyResponse
    from selfassess.feedback.tally import tally
    from selfassess.frameworks.models import Statement

    rng = random.Random(seed)  # noqa: S311 - benchmark data, not secrets
    framework = ensure_framework()
    refs = list(
        Statement.objects.filter(framework=framework)
        .order_by("principle__number", "position")
        .values_list("ref", flat=True)
    )
    today = timezone.localdate()
    now = timezone.now()
    counts: dict[str, int] = {}
    with transaction.atomic():
        rounds = []
        responses = []
        for assessment_id in assessment_ids:
            rounds.append(
                Round(
                    assessment_id=assessment_id,
                    opens_on=today - datetime.timedelta(days=40),
                    closes_on=today - datetime.timedelta(days=10),
                    sealed_at=now,
                )
            )
            responses.append(
                [survey_answers(rng, refs, framework.survey) for _ in range(answers)]
            )
        rounds = _bulk(Round, rounds, counts)
        _bulk(
            Ballot,
            (
                Ballot(
                    round=r,
                    kind=Ballot.Kind.INVITED,
                    name=f"Cllr {j}",
                    email=f"cllr{j}-{r.pk}@bench.example",
                    token_hash=f"{r.pk:032x}{j:032x}",
                    answered=True,
                    sent_at=now,
                )
                for r in rounds
                for j in range(answers)
            ),
            counts,
        )
        _bulk(
            SurveyResponse,
            (
                SurveyResponse(round=r, answers=a)
                for r, given in zip(rounds, responses, strict=True)
                for a in given
            ),
            counts,
        )
        # Counted as sealing counts them (feedback.tally), one round at a time.
        for r in rounds:
            r.tally = tally(r)
        Round.objects.bulk_update(rounds, ["tally"], batch_size=500)
    return counts


def open_survey_round(assessment_id: int) -> dict:
    """A fresh open shared-link round on an assessment, for the survey spike."""
    from django.utils import timezone

    from selfassess.assessments.models import Assessment
    from selfassess.feedback import services as feedback_services

    today = timezone.localdate()
    round_ = feedback_services.open_round(
        assessment=Assessment.objects.select_related("framework").get(pk=assessment_id),
        user=None,
        opens_on=today - datetime.timedelta(days=1),
        closes_on=today + datetime.timedelta(days=14),
        introduction="",
        shared_link=True,
    )
    return {"public_id": str(round_.public_id), "access_code": round_.access_code, "id": round_.pk}


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--migrate", action="store_true", help="migrate the database first")
    parser.add_argument("--councils", type=int, default=10)
    parser.add_argument("--assessments", type=int, default=1, help="per council")
    parser.add_argument("--actions", type=int, default=20, help="on each newest assessment")
    parser.add_argument("--feedback", type=int, default=0, help="survey responses per round")
    parser.add_argument("--feedback-councils", type=int, default=1)
    parser.add_argument("--feedback-bulk", action="store_true")
    parser.add_argument("--no-history", action="store_true")
    parser.add_argument("--prefix", default="bench")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)

    from bench import djsetup

    djsetup.setup()
    if args.migrate:
        djsetup.migrate()
    out = generate(
        councils=args.councils,
        assessments=args.assessments,
        actions=args.actions,
        feedback=args.feedback,
        feedback_councils=args.feedback_councils,
        feedback_bulk=args.feedback_bulk,
        history=not args.no_history,
        prefix=args.prefix,
        seed=args.seed,
    )
    print(f"generated in {out.seconds:.1f} s: {out.rows}")
    print(
        f"editors sign in with password {out.password!r}, "
        f"e.g. {next(iter(out.editors.values()), '-')}"
    )


if __name__ == "__main__":
    main()
