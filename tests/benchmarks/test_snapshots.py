"""What a snapshot counts, how it is kept, and who publishes it: each sharing council's
latest agreed assessment within the window, on the toolkit's statements matched by ref,
with its survey gaps as the results page works them out; kept for ever; published by the
task, the host's button and `manage.py compute_benchmark`, never by a page."""

import datetime

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import IntegrityError, transaction
from django.utils import timezone

from selfassess.assessments.selectors import assessment_view
from selfassess.audit.models import Action, AuditEvent
from selfassess.benchmarks import selectors, services, tasks
from selfassess.benchmarks.disclosure import ALL, SnapshotRecord
from selfassess.benchmarks.models import KeptForEver, Snapshot
from selfassess.core.dates import months_before
from selfassess.councils import services as councils
from selfassess.councils.models import Council
from selfassess.feedback.selectors import results

from .conftest import REFS, agree, make_council, random_scores, surveyed


def counted(snapshot: Snapshot) -> dict[str, str]:
    """Council id -> assessment id, as the private record of the all-councils group has
    them (the test reads the record only to check what was counted)."""
    record = SnapshotRecord.from_json(snapshot.record)
    return {key[0]: key[1] for key in record.groups.get(ALL, ())}


def group(snapshot: Snapshot, name: str) -> dict:
    return next(g for g in snapshot.content["groups"] if g["group"] == name)


def test_each_sharing_councils_latest_agreed_assessment_in_the_window_counts(framework):
    sharing = [make_council(f"s{i}", "district", "east") for i in range(4)]
    older = agree(sharing[0], random_scores(1), days_ago=400)
    newer = agree(sharing[0], random_scores(2), days_ago=20)
    assert older.pk != newer.pk
    agree(sharing[1], random_scores(3), version="2024-06")  # the same refs: counts
    agree(sharing[2], random_scores(4))
    agree(sharing[3], random_scores(5))
    # Left out: not sharing; only an assessment agreed too long ago; only a draft; no
    # region recorded yet.
    agree(make_council("n0", "district", "east", shares=False), random_scores(6))
    agree(make_council("n1", "district", "east"), random_scores(7), days_ago=800)
    make_council("n2", "district", "east")
    agree(make_council("n3", "district", ""), random_scores(8))

    snapshot = services.publish_snapshot()

    assert counted(snapshot) == {
        str(sharing[0].pk): str(newer.pk),
        **{str(c.pk): str(c.assessments.get().pk) for c in sharing[1:]},
    }
    everyone = group(snapshot, "all")
    assert everyone["councils"] == 4
    scores = [random_scores(2), random_scores(3), random_scores(4), random_scores(5)]
    for ref in REFS:
        assert everyone["statements"][ref] == [
            sum(s[ref] == value for s in scores) for value in (0, 1, 2)
        ]
    totals = [sum(s[f"1.{i}"] for i in range(1, 6)) for s in scores]
    assert everyone["principle_totals"]["1"] == [totals.count(t) for t in range(11)]
    assert snapshot.window_months == 24
    assert snapshot.agreed_from == months_before(timezone.localdate(), 24)


def test_the_window_is_a_setting(framework, settings):
    for i in range(4):
        agree(make_council(f"s{i}", "district", "east"), random_scores(i), days_ago=100)
    settings.BENCHMARK_WINDOW_MONTHS = 3
    assert counted(services.publish_snapshot()) == {}
    settings.BENCHMARK_WINDOW_MONTHS = 4
    assert len(counted(services.publish_snapshot())) == 4


def test_survey_gaps_are_the_results_pages_and_keep_its_threshold(framework, settings):
    councils_ = [make_council(f"s{i}", "district", "east") for i in range(5)]
    assessments = [agree(c, random_scores(i)) for i, c in enumerate(councils_)]
    for i, assessment in enumerate(assessments[:4]):
        surveyed(assessment, i % 3)
    surveyed(assessments[4], 2, answers=1)  # below SURVEY_MIN_RESPONSES (2): not used
    chosen = selectors.layout()
    found = {c.council: c for c in selectors.contributions(chosen, timezone.localdate())}
    for assessment in assessments[:4]:
        view = assessment_view(assessment)
        [round_] = assessment.feedback_rounds.all()
        page = results(round_, view)
        mine = found[str(assessment.council_id)]
        assert mine.survey == str(round_.pk)
        assert mine.survey_gaps == {p.number: p.gap for p in page.principles}
    assert found[str(councils_[4].pk)].survey is None


def test_a_later_survey_round_replaces_an_earlier_one(framework):
    c = make_council("s0", "district", "east")
    assessment = agree(c, random_scores(0))
    surveyed(assessment, 0)
    later = surveyed(assessment, 2)
    [mine] = selectors.contributions(selectors.layout(), timezone.localdate())
    assert mine.survey == str(later.pk)


def test_withdrawing_stops_later_snapshots_and_leaves_published_ones(framework, client):
    members = [make_council(f"s{i}", "district", "east") for i in range(6)]
    for i, c in enumerate(members):
        agree(c, random_scores(i))
    first = services.publish_snapshot()
    before = client.get(f"/benchmarks/{first.pk}/download/json/").content
    councils.set_benchmark_sharing(council=members[0], shares=False, by=None)
    second = services.publish_snapshot()
    assert str(members[0].pk) in counted(first)
    assert str(members[0].pk) not in SnapshotRecord.from_json(second.record).groups.get(
        ALL, frozenset()
    ) and all(
        key[0] != str(members[0].pk)
        for keys in SnapshotRecord.from_json(second.record).groups.values()
        for key in keys
    )
    # One council fewer: the groups it was in would give it away (this one minus the last),
    # so they are withheld; that takes the history of published snapshots.
    assert not group(second, "all")["shown"]
    assert client.get(f"/benchmarks/{first.pk}/download/json/").content == before
    Snapshot.objects.get(pk=first.pk)  # still there, as it was


def test_snapshots_are_kept_for_ever(framework):
    snapshot = services.publish_snapshot()
    with pytest.raises(KeptForEver):
        snapshot.save()
    with pytest.raises(KeptForEver):
        snapshot.delete()
    with pytest.raises(KeptForEver):
        Snapshot.objects.filter(pk=snapshot.pk).update(k=9)
    with pytest.raises(KeptForEver):
        Snapshot.objects.all().delete()


def test_the_database_keeps_the_rules(framework):
    snapshot = services.publish_snapshot()
    for change in ({"k": 2}, {"window_months": 0}):
        with pytest.raises(IntegrityError), transaction.atomic():
            Snapshot.objects.create(
                **{
                    "created_at": timezone.now(),
                    "toolkit": snapshot.toolkit,
                    "toolkit_version": snapshot.toolkit_version,
                    "k": 5,
                    "window_months": 24,
                    "agreed_from": snapshot.agreed_from,
                    "content": {},
                    "record": "{}",
                }
                | change
            )
    for change in ({"region": "atlantis"}, {"councillors": 0}, {"councillors": 501}):
        with pytest.raises(IntegrityError), transaction.atomic():
            Council.objects.create(name="X", slug=f"x-{len(change)}", type="district", **change)


def test_publishing_is_recorded_and_the_task_runs_it(framework, admin):
    for i in range(4):
        agree(make_council(f"s{i}", "district", "east"), random_scores(i))
    tasks.publish(admin.pk)  # immediate mode: runs here, as the consumer would
    snapshot = Snapshot.objects.get()
    event = AuditEvent.objects.get(action=Action.BENCHMARK_PUBLISHED)
    assert event.actor == admin and event.council is None
    assert f"Published benchmark {snapshot.pk}" in event.summary
    assert "4 councils counted" in event.summary


def test_the_monthly_task_waits_for_benchmarks_to_be_switched_on(framework, settings):
    due = tasks.publish_monthly.task_class().validate_datetime
    assert due(datetime.datetime(2026, 12, 1, 3, 30))  # the first of the month, at night
    assert not due(datetime.datetime(2026, 12, 2, 3, 30))
    settings.BENCHMARKS = False
    tasks.publish_monthly()
    assert not Snapshot.objects.exists()
    settings.BENCHMARKS = True
    tasks.publish_monthly()
    assert Snapshot.objects.count() == 1


def test_compute_benchmark_command(framework, settings, capsys):
    for i in range(4):
        agree(make_council(f"s{i}", "district", "east"), random_scores(i))
    call_command("compute_benchmark")
    snapshot = Snapshot.objects.get()
    assert f"Published benchmark {snapshot.pk}" in capsys.readouterr().out
    settings.BENCHMARKS = False
    with pytest.raises(CommandError, match="Benchmarks are off"):
        call_command("compute_benchmark")
