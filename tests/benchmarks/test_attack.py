"""End to end: councils share through the product, two benchmarks are published with
councils joining, withdrawing, re-assessing, moving region and running new surveys in
between, and everything the public can download is attacked.

The attacker's material is the public JSON of every snapshot, parsed from the downloads,
never the app's own objects. The test knows who shared what at each snapshot (it made the
councils), so it rebuilds each published group's members, checks that the published
counts are exactly the counts over those members (so the rebuilt groups are the real
ones), and hands the groups to the independent auditor of test_disclosure.py, which fails
if any combination of anything published pins down fewer than K + 1 councils, or fewer
than K others for a council that knows its own answers. A naive publisher of the same
populations (every group of more than K councils) is caught by the same auditor, so the
audit is not one that cannot fail."""

import json
from dataclasses import dataclass, replace

import pytest

from selfassess.assessments.selectors import assessment_view
from selfassess.benchmarks import services
from selfassess.benchmarks.disclosure import gap_band
from selfassess.councils import services as councils
from selfassess.feedback.selectors import results

from .conftest import REFS, agree, make_council, random_scores, surveyed
from .test_disclosure import audit

K = 3


@dataclass(frozen=True)
class Shared:
    """What one council contributed to a snapshot, as the test (not the app) knows it."""

    council: str
    council_type: str
    region: str
    assessment: str
    scores: dict
    survey: str | None = None
    gaps: dict | None = None

    def member_of(self, group: str) -> bool:
        kind, _, key = group.partition(":")
        return (
            kind == "all"
            or (kind == "type" and key == self.council_type)
            or (kind == "region" and key == self.region)
        )


def share(council, assessment, round_=None) -> Shared:
    gaps = None
    if round_ is not None:
        page = results(round_, assessment_view(assessment))
        gaps = {p.number: p.gap for p in page.principles}
    return Shared(
        str(council.pk),
        council.type,
        council.region,
        str(assessment.pk),
        {r.statement.ref: r.score for r in assessment.responses.select_related("statement")},
        str(round_.pk) if round_ else None,
        gaps,
    )


def published_rows(doc: dict, members: list[Shared]) -> tuple[list[set], list[set]]:
    """Each shown group of a downloaded snapshot as the set of contributions it counted,
    after checking every published count against the members the test knows."""
    score_rows, gap_rows = [], []
    for group in doc["groups"]:
        if not group["shown"]:
            assert group["councils"] is None and group["statements"] is None
            continue
        inside = [m for m in members if m.member_of(group["group"])]
        assert group["councils"] == len(inside) > doc["k"]
        for ref in REFS:
            assert group["statements"][ref] == [
                sum(m.scores[ref] == v for m in inside) for v in (0, 1, 2)
            ]
        for p in doc["principles"]:
            totals = [sum(m.scores[s["ref"]] for s in p["statements"]) for m in inside]
            assert group["principle_totals"][str(p["number"])] == [
                totals.count(t) for t in range(p["maximum"] + 1)
            ]
        score_rows.append({(m.council, m.assessment) for m in inside})
        gap = group["survey_gap"]
        if gap["shown"]:
            surveyed_ = [m for m in inside if m.gaps is not None]
            assert gap["councils"] == len(surveyed_) > doc["k"]
            for number, counts in gap["bands"].items():
                assert counts == [
                    sum(gap_band(m.gaps[int(number)]) == b for m in surveyed_) for b in range(5)
                ]
            gap_rows.append({(m.council, m.assessment, m.survey) for m in surveyed_})
    return score_rows, gap_rows


def naive_rows(populations: list[list[Shared]]) -> list[set]:
    """What publishing every group of more than K councils would have given away."""
    rows = []
    for members in populations:
        groups = {"all"} | {f"type:{m.council_type}" for m in members}
        groups |= {f"region:{m.region}" for m in members}
        for group in groups:
            inside = {(m.council, m.assessment) for m in members if m.member_of(group)}
            if len(inside) > K:
                rows.append(inside)
    return rows


@pytest.fixture
def two_snapshots(framework, settings, client):
    settings.BENCHMARK_K = K
    plan = (
        [("district", "east")] * 7
        + [("district", "london")] * 6
        + [("unitary", "east")] * 4
        + [("unitary", "london")] * 5
        + [("welsh", "wales")] * 4
    )
    made = {}
    for i, (council_type, region) in enumerate(plan):
        council = make_council(f"c{i}", council_type, region)
        assessment = agree(council, random_scores(i), days_ago=60)
        round_ = surveyed(assessment, i % 3) if i % 3 != 1 else None
        made[council.slug] = (council, assessment, round_)
    first = [share(*made[slug]) for slug in sorted(made)]
    one = services.publish_snapshot()

    # Between the two: eight councils join (four of them the first county councils), one
    # stops sharing, four agree a new assessment (one of them Welsh), the host moves one
    # council to another region, and two councils run a new survey round.
    for i, (council_type, region) in enumerate(
        [("district", "east")] * 2 + [("unitary", "london")] * 2 + [("county", "east")] * 4
    ):
        council = make_council(f"j{i}", council_type, region)
        assessment = agree(council, random_scores(100 + i))
        made[council.slug] = (council, assessment, surveyed(assessment, 2) if i < 4 else None)
    councils.set_benchmark_sharing(council=made["c8"][0], shares=False, by=None)
    del made["c8"]
    for slug, seed in (("c0", 200), ("c9", 201), ("c15", 202), ("c23", 203)):
        council, _, _ = made[slug]
        made[slug] = (council, agree(council, random_scores(seed), days_ago=5), None)
    mover = made["c2"][0]
    councils.update_council(
        council=mover, type=mover.type, region="london", councillors=None, by=None
    )
    mover.refresh_from_db()
    made["c2"] = (mover, *made["c2"][1:])
    for slug in ("c3", "c4"):
        council, assessment, _ = made[slug]
        made[slug] = (council, assessment, surveyed(assessment, 1))
    second = [share(*made[slug]) for slug in sorted(made)]
    two = services.publish_snapshot()

    docs = [
        json.loads(client.get(f"/benchmarks/{s.pk}/download/json/").content) for s in (one, two)
    ]
    return [first, second], docs


def test_nothing_downloaded_from_two_snapshots_gives_a_council_away(two_snapshots):
    populations, docs = two_snapshots
    score_rows, gap_rows = [], []
    for members, doc in zip(populations, docs, strict=True):
        scores, gaps = published_rows(doc, members)
        score_rows += scores
        gap_rows += gaps
    assert len(score_rows) >= 6 and gap_rows  # enough is published for the audit to bite
    shown = [{g["group"] for g in doc["groups"] if g["shown"]} for doc in docs]
    assert "type:welsh" in shown[0] and "type:welsh" not in shown[1]  # one re-assessed
    assert {"all", "type:district"} <= shown[1]  # the second publishes new figures too
    viewers = sorted({m.council for members in populations for m in members})
    audit(score_rows, K, viewers)
    audit(gap_rows, K, viewers)


def test_the_same_audit_catches_a_naive_publisher(two_snapshots):
    populations, _ = two_snapshots
    with pytest.raises(AssertionError, match="give away councils"):
        audit(naive_rows(populations), K)


def test_the_rebuilt_groups_are_checked_against_the_published_counts(two_snapshots):
    """If the test's idea of a group were wrong, the counts would not match: the audit
    above is of the groups as really published."""
    populations, docs = two_snapshots
    wrong = [replace(m, scores=dict.fromkeys(REFS, 2)) for m in populations[0]]
    with pytest.raises(AssertionError):
        published_rows(docs[0], wrong)
