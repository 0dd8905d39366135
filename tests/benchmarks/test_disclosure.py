"""Benchmarks' disclosure control: no council's answers can be worked out from anything
published, from any combination of groups and snapshots.

How the attack tests work
-------------------------
Every published number is a count over the members of a group, so anything anyone can work
out is a weighted sum of the councils' contributions, with weights built by adding and
subtracting published groups (each group, in each snapshot, is a row of 0s and 1s over
every contribution ever made: council and assessment, or council, assessment and survey
round for the survey-gap table). The set of weight vectors that can be built is the row
space of that membership matrix. Something about a few councils can be worked out exactly
when the row space holds a non-zero vector that is non-zero only on their contributions:
a single contribution (e_x), one council's old assessment minus its new one (e_x - e_y),
or any small mixture. The promise is that every non-zero vector in the row space touches
at least K + 1 councils; a council that knows its own answers (its columns removed) still
faces K others.

`find_disclosure` below decides that exactly, with integer arithmetic, and shares no code
with the module:

1. Columns that are equal (contributions in exactly the same published groups) get equal
   weight in every vector of the row space, so they are merged into classes. A vector that
   is non-zero on a class touches every council in it; a class of K + 1 or more councils
   can never be part of a disclosure.
2. The vectors that are zero on all those big classes form a subspace. Row-reducing with
   the big classes' columns first, the echelon rows that start in a small class's column
   are a basis of it (none: nothing can be disclosed).
3. Otherwise, take the kernel of that basis (the vectors orthogonal to the subspace): a
   vector of the subspace is zero outside a set S of columns exactly when the kernel's
   rows for S are linearly dependent. The test tries every set of columns touching K or
   fewer councils, one column at a time, and reports one whose kernel rows are dependent.

The hypothesis test generates small populations (10 to 60 councils, four council types and
five regions of very different sizes, "Welsh principal councils" all in Wales beside a few
other councils there, so many groups sit near K), runs two to four snapshots with councils
joining, withdrawing, agreeing new assessments, moving region and running new surveys, and
audits everything published, for the public and for several councils that know their own
contributions. Its examples are fixed (derandomized) so CI repeats them; set
HYPOTHESIS_EXPLORE=1 to look for new ones.
"""

import itertools
import math
import os
import random
from dataclasses import dataclass, replace
from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from selfassess.benchmarks.disclosure import (
    ALL,
    GAP_BANDS,
    PROTECT,
    TOO_FEW,
    Contribution,
    GroupLabel,
    SnapshotRecord,
    comparison_groups,
    compute_snapshot,
    gap_band,
    visible_groups,
)

FULL = {n: [f"{n}.{i}" for i in range(1, 6)] for n in range(1, 6)}  # the toolkit's shape
SMALL = {1: ["1.1", "1.2"], 2: ["2.1", "2.2"]}  # enough for the property test, and quicker


# --- the independent auditor -------------------------------------------------------------------


def echelon(rows: list[list[int]]) -> list[list[int]]:
    """Row echelon form over the rationals, kept in integers: each step replaces a row by
    pivot * row - entry * pivot_row and divides by the row's common factor."""
    rows = [list(r) for r in rows if any(r)]
    done = []
    width = len(rows[0]) if rows else 0
    for col in range(width):
        pivot = next((r for r in rows if r[col]), None)
        if pivot is None:
            continue
        rows.remove(pivot)
        done.append(pivot)
        kept = []
        for r in rows:
            if r[col]:
                r = [pivot[col] * a - r[col] * b for a, b in zip(r, pivot, strict=True)]
                common = math.gcd(*r)
                if common > 1:
                    r = [a // common for a in r]
            if any(r):
                kept.append(r)
        rows = kept
    return done


def reduce(row: list[int], basis: list[tuple[int, list[int]]]) -> list[int]:
    """`row` less multiples of the echelon `basis` ((pivot column, row) pairs, each row zero
    at the pivots before its own), in integers."""
    for col, base in basis:
        if row[col]:
            row = [base[col] * a - row[col] * b for a, b in zip(row, base, strict=True)]
            common = math.gcd(*row)
            if common > 1:
                row = [a // common for a in row]
    return row


def find_disclosure(rows: list[list[int]], owners: list[str], threshold: int):
    """A set of fewer than `threshold` councils on which some non-zero combination of
    `rows` is concentrated, or None. `owners[j]` is the council of column j."""
    classes: dict[tuple[int, ...], list[int]] = {}
    for j in range(len(owners)):
        column = tuple(r[j] for r in rows)
        if any(column):
            classes.setdefault(column, []).append(j)
    groups = list(classes.values())
    councils = [frozenset(owners[j] for j in g) for g in groups]
    big = [i for i, c in enumerate(councils) if len(c) >= threshold]
    small = [i for i, c in enumerate(councils) if len(c) < threshold]
    matrix = [[r[groups[i][0]] for i in big + small] for r in {tuple(r) for r in rows}]
    basis = [r[len(big) :] for r in echelon(matrix) if not any(r[: len(big)])]
    used = [j for j in range(len(small)) if any(r[j] for r in basis)]
    if not basis:
        return None
    return smallest_support(
        [[r[j] for j in used] for r in basis], [councils[small[j]] for j in used], threshold
    )


def smallest_support(basis: list[list[int]], councils: list[frozenset], threshold: int):
    """Step 3: the rows of the subspace's kernel, one per column. A vector of the subspace
    is zero outside a set S of columns exactly when the kernel rows of S are linearly
    dependent, so search the sets of columns touching fewer than `threshold` councils,
    adding one column at a time to an echelon basis, for one whose new row reduces to 0."""
    reduced = [[Fraction(a) for a in r] for r in basis]
    pivots = []
    for row in reduced:  # reduced row echelon form, in fractions (the subspace is small)
        col = next(j for j, a in enumerate(row) if a)
        row[:] = [a / row[col] for a in row]
        for other in reduced:
            if other is not row and other[col]:
                other[:] = [a - other[col] * b for a, b in zip(other, row, strict=True)]
        pivots.append(col)
    free = [j for j in range(len(councils)) if j not in pivots]
    kernel = {f: [int(f == g) for g in free] for f in free}
    for row, col in zip(reduced, pivots, strict=True):
        entries = [-row[f] for f in free]
        scale = math.lcm(*(a.denominator for a in entries))
        kernel[col] = [int(a * scale) for a in entries]

    def search(start: int, chosen: list, touched: frozenset):
        for j in range(start, len(councils)):
            now = touched | councils[j]
            if len(now) >= threshold:
                continue
            row = reduce(kernel[j], chosen)
            if not any(row):
                return now
            col = next(i for i, a in enumerate(row) if a)
            found = search(j + 1, [*chosen, (col, row)], now)
            if found:
                return found
        return None

    return search(0, [], frozenset())


# --- populations ----------------------------------------------------------------------------


@dataclass
class Member:
    """One sharing council as the test sees it."""

    council: str
    council_type: str
    region: str
    assessment: str
    scores: dict
    survey: str | None = None
    gaps: dict | None = None

    def contribution(self) -> Contribution:
        return Contribution(
            self.council,
            self.council_type,
            self.region,
            self.assessment,
            dict(self.scores),
            self.survey,
            dict(self.gaps) if self.gaps is not None else None,
        )


def scores_for(rng: random.Random, layout: dict) -> dict:
    return {ref: rng.choice((0, 1, 2)) for refs in layout.values() for ref in refs}


def gaps_for(rng: random.Random, layout: dict) -> dict:
    # Tenths, as the survey results round them; exactly on the band edges now and then.
    return {n: Fraction(rng.choice([-25, -20, -12, -5, 0, 3, 5, 17, 20, 31]), 10) for n in layout}


TYPES = ["district", "unitary", "county", "welsh"]
TYPE_WEIGHTS = [10, 5, 2, 2]
REGIONS = ["south_east", "north_west", "east", "london"]
REGION_WEIGHTS = [8, 4, 2, 1]


def new_member(rng: random.Random, number: int, layout: dict) -> Member:
    council_type = rng.choices(TYPES, TYPE_WEIGHTS)[0]
    if council_type == "welsh":
        region = "wales"
    else:
        region = rng.choices([*REGIONS, "wales"], [*REGION_WEIGHTS, 1])[0]
    member = Member(f"c{number}", council_type, region, f"c{number}-a1", scores_for(rng, layout))
    if rng.random() < 0.6:
        member.survey, member.gaps = f"c{number}-s1", gaps_for(rng, layout)
    return member


def next_population(rng: random.Random, members: list[Member], changes: int, layout: dict):
    """The next snapshot's sharing councils after `changes` random events."""
    members = [replace(m) for m in members]
    for _ in range(changes):
        event = rng.choices(["join", "withdraw", "replace", "move", "survey"], [4, 2, 5, 1, 2])[0]
        if event == "join" or not members:
            members.append(new_member(rng, 1000 + len(members) + rng.randrange(10**6), layout))
            continue
        member = rng.choice(members)
        if event == "withdraw":
            members.remove(member)
        elif event == "replace":
            member.assessment = f"{member.assessment}+"
            member.scores = scores_for(rng, layout)
            member.survey = member.gaps = None
        elif event == "move" and member.council_type != "welsh":
            member.region = rng.choice(REGIONS)
        else:
            member.survey = f"{member.assessment}-s{rng.randrange(10**6)}"
            member.gaps = gaps_for(rng, layout)
    return members


# --- auditing what was published ------------------------------------------------------------


def member_of(label: GroupLabel, member: Member) -> bool:
    return (
        label == ALL
        or (label.kind == "type" and label.key == member.council_type)
        or (label.kind == "region" and label.key == member.region)
    )


def published_rows(populations, snapshots, layout):
    """Every published group of every snapshot as a set of contributions (worked out here
    from who was in the population, not taken from the module), after checking that the
    published figures are really the counts over those members."""
    score_rows, gap_rows = [], []
    for members, snapshot in zip(populations, snapshots, strict=True):
        for group in snapshot.groups:
            if not group.published:
                continue
            inside = [m for m in members if member_of(group.label, m)]
            assert group.figures.councils == len(inside) > snapshot.k
            for ref in (r for refs in layout.values() for r in refs):
                assert list(group.figures.statements[ref]) == [
                    sum(m.scores[ref] == s for m in inside) for s in (0, 1, 2)
                ]
            for n, refs in layout.items():
                totals = [sum(m.scores[r] for r in refs) for m in inside]
                assert list(group.figures.totals[n]) == [
                    totals.count(t) for t in range(2 * len(refs) + 1)
                ]
            score_rows.append({(m.council, m.assessment) for m in inside})
            if group.gap is not None:
                with_gap = [m for m in inside if m.gaps is not None]
                assert group.gap.councils == len(with_gap) > snapshot.k
                for n in layout:
                    assert list(group.gap.bands[n]) == [
                        sum(band_of(m.gaps[n]) == b for m in with_gap)
                        for b in range(len(GAP_BANDS))
                    ]
                gap_rows.append({(m.council, m.assessment, m.survey) for m in with_gap})
    return score_rows, gap_rows


def band_of(gap: Fraction) -> int:
    """The bands as documented, written out again here."""
    edges = [Fraction(-2), Fraction(-1, 2), Fraction(1, 2), Fraction(2)]
    if gap <= edges[0]:
        return 0
    if gap < edges[1]:
        return 1
    if gap <= edges[2]:
        return 2
    return 3 if gap < edges[3] else 4


def matrix_of(rows: list[set]) -> tuple[list[list[int]], list[str]]:
    columns = sorted(set().union(*rows)) if rows else []
    return [[int(c in r) for c in columns] for r in rows], [c[0] for c in columns]


def audit(rows: list[set], k: int, viewers=()):
    """Fail if anything about K or fewer councils can be worked out from `rows`, or
    anything about K - 1 or fewer others by one of `viewers` knowing its own answers."""
    matrix, owners = matrix_of(rows)
    found = find_disclosure(matrix, owners, k + 1)
    assert found is None, f"the published figures give away councils {sorted(found)}"
    for viewer in viewers:
        audit_viewer(rows, k, viewer)


def audit_viewer(rows: list[set], k: int, viewer: str):
    """The viewer's own contributions are known to it: take their columns out."""
    matrix, owners = matrix_of(rows)
    keep = [j for j, owner in enumerate(owners) if owner != viewer]
    found = find_disclosure(
        [[row[j] for j in keep] for row in matrix], [owners[j] for j in keep], k
    )
    assert found is None, f"{viewer} can work out councils {sorted(found)}"


def run(populations, k, layout=SMALL, **kwargs):
    snapshots, history = [], []
    for members in populations:
        snapshot = compute_snapshot(
            [m.contribution() for m in members],
            principles=layout,
            k=k,
            history=history,
            **kwargs,
        )
        snapshots.append(snapshot)
        history.append(SnapshotRecord.from_json(snapshot.record.to_json()))
    return snapshots


EXAMPLES = settings(
    max_examples=300,
    database=None,
    deadline=None,
    derandomize=not os.environ.get("HYPOTHESIS_EXPLORE"),
    suppress_health_check=[HealthCheck.too_slow],
)


@EXAMPLES
@given(
    k=st.sampled_from([3, 4, 5]),
    size=st.integers(10, 60),
    changes=st.lists(st.sampled_from([0, 1, 2, 3, 5, 8, 20, 40]), min_size=1, max_size=3),
    seed=st.integers(0, 2**32 - 1),
)
def test_nothing_published_gives_away_fewer_than_k_councils(k, size, changes, seed):
    rng = random.Random(seed)  # noqa: S311 - test data, not secrets
    populations = [[new_member(rng, i, SMALL) for i in range(size)]]
    for n in changes:
        populations.append(next_population(rng, populations[-1], n, SMALL))
    snapshots = run(populations, k)
    score_rows, gap_rows = published_rows(populations, snapshots, SMALL)
    everyone = sorted({m.council for members in populations for m in members})
    viewers = rng.sample(everyone, 3)
    audit(score_rows, k, viewers)
    audit(gap_rows, k, viewers)


# --- the auditor can fail --------------------------------------------------------------------


def publish_everything_big_enough(populations, k):
    """A naive publisher: every group of more than K councils, in every snapshot."""
    rows = []
    for members in populations:
        labels = {ALL}
        labels |= {GroupLabel("type", m.council_type) for m in members}
        labels |= {GroupLabel("region", m.region) for m in members}
        for label in labels:
            inside = {(m.council, m.assessment) for m in members if member_of(label, m)}
            if len(inside) > k:
                rows.append(inside)
    return rows


def brute_force(rows: list[list[int]], owners: list[str], threshold: int) -> bool:
    """Whether some set of fewer than `threshold` councils carries a non-zero combination:
    removing their columns lowers the rank exactly when one does."""
    full = len(echelon(rows))
    for size in range(1, threshold):
        for chosen in itertools.combinations(sorted(set(owners)), size):
            keep = [j for j, o in enumerate(owners) if o not in chosen]
            if len(echelon([[r[j] for j in keep] for r in rows])) < full:
                return True
    return False


@settings(max_examples=300, database=None, derandomize=True, deadline=None)
@given(
    rows=st.lists(st.lists(st.integers(0, 1), min_size=9, max_size=9), min_size=1, max_size=6),
    owners=st.lists(st.sampled_from("abcdefg"), min_size=9, max_size=9),
    threshold=st.integers(2, 4),
)
def test_the_auditor_agrees_with_trying_every_set_of_councils(rows, owners, threshold):
    found = find_disclosure(rows, owners, threshold)
    assert (found is not None) == brute_force(rows, owners, threshold)
    if found is not None:
        assert len(found) < threshold
        keep = [j for j, o in enumerate(owners) if o not in found]
        assert len(echelon([[r[j] for j in keep] for r in rows])) < len(echelon(rows))


def test_the_auditor_finds_all_minus_the_other_types():
    assert find_disclosure([[1, 1, 1, 1], [1, 1, 1, 0]], ["a", "b", "c", "d"], 3) == {"d"}
    rows = [{("a", "1"), ("b", "1"), ("c", "1"), ("d", "1")}, {("a", "1"), ("b", "1"), ("c", "1")}]
    with pytest.raises(AssertionError, match=r"give away councils \['d'\]"):
        audit(rows, 2)


def test_the_auditor_finds_one_councils_old_and_new_assessment():
    # The same ten councils twice, one of them with a new assessment the second time.
    first = {(f"c{i}", "a") for i in range(10)}
    second = first - {("c0", "a")} | {("c0", "b")}
    with pytest.raises(AssertionError, match=r"give away councils \['c0'\]"):
        audit([first, second], 5)


def test_the_auditor_finds_what_a_naive_publisher_gives_away():
    rng = random.Random(3)  # noqa: S311 - test data, not secrets
    populations = [[new_member(rng, i, SMALL) for i in range(40)]]
    populations.append([*populations[0], new_member(rng, 40, SMALL)])
    with pytest.raises(AssertionError, match="give away councils"):
        audit(publish_everything_big_enough(populations, 3), 3)


def test_the_auditor_finds_a_member_taking_itself_out():
    rows = [{(f"c{i}", "a") for i in range(5)}]
    audit_viewer(rows, 4, "c0")  # five councils: four others
    with pytest.raises(AssertionError, match="c0 can work out councils"):
        audit_viewer(rows, 5, "c0")
    audit_viewer(rows, 5, "c9")  # five others for a council outside the group


def test_the_auditor_passes_a_mixture_that_touches_enough_councils():
    # Two overlapping groups of six whose difference is two groups of three: K = 5 needs
    # six councils touched, and the difference touches six.
    a = {(f"c{i}", "a") for i in range(9)}
    b = {(f"c{i}", "a") for i in range(3, 12)}
    audit([a, b], 5)
    with pytest.raises(AssertionError):
        audit([a, b], 6)


# --- the named attacks, one by one ---------------------------------------------------------


def make(council, council_type, region, assessment="a1", seed=0, gaps=False, layout=FULL):
    rng = random.Random(f"{council}{assessment}{seed}")  # noqa: S311 - test data
    member = Member(council, council_type, region, assessment, scores_for(rng, layout))
    if gaps:
        member.survey, member.gaps = f"{assessment}-s", gaps_for(rng, layout)
    return member


def shown(snapshot) -> set[str]:
    return {str(g.label) for g in snapshot.groups if g.published}


def test_all_minus_the_other_types_cannot_reveal_a_small_type():
    members = [make(f"d{i}", "district", "east") for i in range(20)]
    members += [make(f"u{i}", "unitary", "east") for i in range(20)]
    members += [make(f"c{i}", "county", "east") for i in range(2)]
    (snapshot,) = run([members], 5, FULL)
    assert snapshot.group(GroupLabel("type", "county")).withheld == TOO_FEW
    # With "all" and both big types shown, all minus them would be the two counties.
    assert {"all", "type:district", "type:unitary"} - shown(snapshot)
    assert PROTECT in {
        snapshot.group(GroupLabel("type", t)).withheld for t in ("district", "unitary")
    }
    audit(published_rows([members], [snapshot], FULL)[0], 5, ["c0", "d0"])


def test_region_minus_type_cannot_reveal_the_few_other_councils_in_a_region():
    # Wales: twelve Welsh principal councils and two town councils ("other").
    members = [make(f"w{i}", "welsh", "wales") for i in range(12)]
    members += [make(f"t{i}", "other", "wales") for i in range(2)]
    members += [make(f"t{i}", "other", "east") for i in range(2, 30)]
    members += [make(f"d{i}", "district", "east") for i in range(15)]
    members += [make(f"e{i}", "district", "london") for i in range(12)]
    (snapshot,) = run([members], 5, FULL)
    assert not {"region:wales", "type:welsh"} <= shown(snapshot)
    audit(published_rows([members], [snapshot], FULL)[0], 5, ["t0", "w0"])
    assert "all" in shown(snapshot)


def first_and_second(change):
    first = [make(f"d{i}", "district", ["east", "london"][i % 2]) for i in range(30)]
    first += [make(f"u{i}", "unitary", ["east", "london"][i % 2]) for i in range(30)]
    return first, change([replace(m) for m in first])


def test_snapshot_minus_previous_cannot_reveal_a_council_that_joined():
    first, second = first_and_second(lambda ms: [*ms, make("new", "district", "east")])
    one, two = run([first, second], 5, FULL)
    assert shown(one) == {"all", "type:district", "type:unitary", "region:east", "region:london"}
    # Every group the new council is in is withheld; the others repeat their figures.
    assert shown(two) == {"type:unitary", "region:london"}
    for label in shown(two):
        group = GroupLabel.parse(label)
        assert two.group(group).figures == one.group(group).figures
    audit(published_rows([first, second], [one, two], FULL)[0], 5, ["new", "d0"])


def test_snapshot_minus_previous_cannot_reveal_a_replaced_assessment():
    def new_assessment(members):
        members[0] = make("d0", "district", "east", assessment="a2", seed=1)
        return members

    first, second = first_and_second(new_assessment)
    assert first[0].scores != second[0].scores
    one, two = run([first, second], 5, FULL)
    assert shown(two) == {"type:unitary", "region:london"}
    audit(published_rows([first, second], [one, two], FULL)[0], 5, ["d0", "u1"])


def test_snapshot_minus_previous_cannot_reveal_a_council_that_withdrew():
    first, second = first_and_second(lambda ms: ms[1:])
    one, two = run([first, second], 5, FULL)
    assert shown(two) == {"type:unitary", "region:london"}
    audit(published_rows([first, second], [one, two], FULL)[0], 5, ["d0"])


def test_an_assessment_changed_after_it_was_shared_counts_as_new():
    def reopened(members):
        members[0] = replace(members[0], scores={**members[0].scores, "1.1": 2, "1.2": 0})
        return members

    first, second = first_and_second(reopened)
    assert first[0].scores != second[0].scores
    one, two = run([first, second], 5, FULL)
    assert shown(two) == {"type:unitary", "region:london"}


def test_a_later_snapshot_with_many_new_assessments_is_shown():
    def many(members):
        # Half of every type in every region agree a new assessment; three councils join.
        for i, m in enumerate(members):
            if i % 4 < 2:
                members[i] = make(m.council, m.council_type, m.region, "a2", seed=2)
        return [*members, *(make(f"j{i}", "unitary", "east") for i in range(3))]

    first, second = first_and_second(many)
    one, two = run([first, second], 5, FULL)
    assert shown(two) == shown(one)
    assert two.group(ALL).figures.councils == 63
    audit(published_rows([first, second], [one, two], FULL)[0], 5, ["d0", "j0"])


def test_a_group_that_grows_by_too_few_new_councils_is_not_shown_yet():
    # Counties: three (withheld), then five with two new ones. Shown at the second
    # snapshot, they would give away the first snapshot's three counties (the other types
    # withheld with them then, minus those types now), or the two new ones.
    first = [make(f"d{i}", "district", "east") for i in range(30)]
    first += [make(f"o{i}", "other", "east") for i in range(8)]
    first += [make(f"c{i}", "county", "east") for i in range(3)]
    second = [*first, make("c3", "county", "east"), make("c4", "county", "east")]
    one, two = run([first, second], 3, FULL)
    assert one.group(GroupLabel("type", "county")).withheld == TOO_FEW
    assert "type:county" not in shown(two)
    audit(published_rows([first, second], [one, two], FULL)[0], 3, ["c4", "o0"])


def test_a_council_that_moves_region_is_not_revealed():
    def moved(members):
        members[0] = replace(members[0], region="london")
        return members

    first, second = first_and_second(moved)
    one, two = run([first, second], 5, FULL)
    # Nobody new: east lost d0 and london gained it, so both would show its answers.
    assert shown(two) == {"all", "type:district", "type:unitary"}
    audit(published_rows([first, second], [one, two], FULL)[0], 5, ["d0"])


def test_a_council_that_comes_back_with_the_same_assessment_repeats_old_figures():
    first, second = first_and_second(lambda ms: ms[1:])
    one, two, three = run([first, second, first], 5, FULL)
    assert shown(three) == shown(one)
    assert [g.figures for g in three.groups] == [g.figures for g in one.groups]
    audit(published_rows([first, second, first], [one, two, three], FULL)[0], 5, ["d0"])


def test_a_new_survey_alone_changes_only_the_survey_table():
    first = [make(f"d{i}", "district", "east", gaps=True) for i in range(12)]
    first += [make(f"u{i}", "unitary", "london", gaps=True) for i in range(12)]
    second = [replace(m) for m in first]
    second[0].survey, second[0].gaps = "d0-s2", {n: Fraction(-3) for n in FULL}
    one, two = run([first, second], 5, FULL)
    assert shown(two) == shown(one)
    assert {str(g.label) for g in two.groups if g.gap} == {"type:unitary", "region:london"}
    score_rows, gap_rows = published_rows([first, second], [one, two], FULL)
    audit(gap_rows, 5, ["d0"])


def test_k_below_three_is_refused():
    members = [make(f"d{i}", "district", "east") for i in range(10)]
    for k in (2, 0, -1, True, 3.0, "5", None):
        with pytest.raises(ValueError, match="K must be a whole number of at least 3"):
            compute_snapshot([m.contribution() for m in members], principles=FULL, k=k)


# --- what councils see -----------------------------------------------------------------------


def test_groups_are_shown_only_with_more_than_k_councils():
    members = [make(f"d{i}", "district", "east") for i in range(6)]
    members += [make(f"u{i}", "unitary", "east") for i in range(6)]
    (snapshot,) = run([members], 5, FULL)
    assert shown(snapshot) == {"all", "type:district", "type:unitary", "region:east"}
    # Five districts are too few; then all minus districts is the same as unitary.
    (snapshot,) = run([members[1:]], 5, FULL)
    assert snapshot.group(GroupLabel("type", "district")).withheld == TOO_FEW
    assert snapshot.group(GroupLabel("type", "unitary")).withheld == PROTECT
    assert shown(snapshot) == {"all", "region:east"}


def test_a_council_sees_a_group_only_with_k_others_in_it():
    members = [make(f"d{i}", "district", ["east", "london"][i % 2]) for i in range(12)]
    members += [make(f"u{i}", "unitary", ["east", "london"][i % 2]) for i in range(12)]
    (snapshot,) = run([members], 5, FULL)
    seen = comparison_groups(snapshot, council="d0", council_type="district", region="east", k=5)
    assert {k: g.label for k, g in seen.items()} == {
        "all": ALL,
        "type": GroupLabel("type", "district"),
        "region": GroupLabel("region", "east"),
    }
    # The host raises K to 11 afterwards: twelve districts are eleven others for d0, and
    # twelve others for a council that is not a district; twelve in the east, eleven others.
    seen = comparison_groups(snapshot, council="d0", council_type="district", region="east", k=11)
    assert seen["type"] is not None and seen["region"] is not None
    seen = comparison_groups(snapshot, council="d0", council_type="district", region="east", k=12)
    assert seen["all"] is not None and seen["type"] is None and seen["region"] is None
    seen = comparison_groups(snapshot, council="u1", council_type="unitary", region="london", k=12)
    labels = {g.label for g in visible_groups(snapshot, council="u1", k=12)}
    assert GroupLabel("type", "district") in labels and seen["type"] is None


def test_survey_gaps_are_shown_only_where_more_than_k_councils_have_one():
    members = [make(f"d{i}", "district", "east", gaps=i < 6) for i in range(10)]
    members += [make(f"u{i}", "unitary", "east", gaps=i < 6) for i in range(10)]
    (snapshot,) = run([members], 5, FULL)
    gaps = {str(g.label): g.gap.councils for g in snapshot.groups if g.gap is not None}
    assert gaps == {"all": 12, "type:district": 6, "type:unitary": 6, "region:east": 12}
    # One unitary council fewer with a survey: five are too few, and then "all" minus
    # districts would be those five.
    members[10] = make("u0", "unitary", "east")
    (snapshot,) = run([members], 5, FULL)
    district = snapshot.group(GroupLabel("type", "district"))
    unitary = snapshot.group(GroupLabel("type", "unitary"))
    assert unitary.published and unitary.gap is None and unitary.gap_withheld == TOO_FEW
    assert district.published and district.gap is None and district.gap_withheld == PROTECT
    assert snapshot.group(ALL).gap.councils == 11
    audit(published_rows([members], [snapshot], FULL)[1], 5, ["d0", "u1"])


def test_a_council_that_knows_it_is_in_a_gap_group_of_k_plus_one_still_faces_k():
    members = [make(f"d{i}", "district", "east", gaps=i < 6) for i in range(10)]
    (snapshot,) = run([members], 5, FULL)
    [group] = [g for g in visible_groups(snapshot, council="d0", k=5) if g.label == ALL]
    assert group.gap.councils == 6
    [group] = [g for g in visible_groups(snapshot, council="d0", k=6) if g.label == ALL]
    assert group.gap is None and group.gap_withheld == TOO_FEW


def test_empty_groups_named_by_the_host_are_withheld_like_small_ones():
    members = [make(f"d{i}", "district", "east") for i in range(10)]
    (snapshot,) = run([members], 5, FULL, types=["county"], regions=["wales"])
    for label in ("type:county", "region:wales"):
        assert snapshot.group(GroupLabel.parse(label)).withheld == TOO_FEW


# --- figures -------------------------------------------------------------------------------------


def test_figures_are_counts_a_council_can_read():
    members = [make(f"d{i}", "district", "east") for i in range(10)]
    for i, m in enumerate(members):
        m.scores = {ref: 2 if i < 6 else 1 for ref in m.scores}
        m.scores["1.1"] = [0, 1, 2, 2, 2, 2, 2, 1, 0, 2][i]
    (snapshot,) = run([members], 5, FULL)
    figures = snapshot.group(GroupLabel("type", "district")).figures
    assert figures.councils == 10
    assert figures.statements["1.1"] == (2, 2, 6)
    assert figures.share("1.1", 2) == Fraction(3, 5)  # "60 % of district councils score 2"
    assert figures.totals[2][10] == 6 and figures.totals[2][5] == 4
    assert figures.median_total(2) == 10


def test_gap_bands_follow_their_edges():
    assert [gap_band(g) for g in (-10, -2, -1.9, -0.6, -0.5, 0, 0.5, 0.6, 1.9, 2, 10)] == [
        0,
        0,
        1,
        1,
        2,
        2,
        2,
        3,
        3,
        4,
        4,
    ]
    assert all(gap_band(Fraction(g, 10)) == band_of(Fraction(g, 10)) for g in range(-100, 101))


def test_a_record_survives_being_stored():
    members = [make(f"d{i}", "district", "east", gaps=True) for i in range(10)]
    (snapshot,) = run([members], 5, FULL)
    assert SnapshotRecord.from_json(snapshot.record.to_json()) == snapshot.record
    assert snapshot.record.groups[ALL] == snapshot.record.groups[GroupLabel("type", "district")]
    for text in ("", "[]", '{"groups": {}}', '{"groups": {"x": []}, "gap_groups": {}}'):
        with pytest.raises(ValueError, match="not a snapshot record"):
            SnapshotRecord.from_json(text)


# --- bad input ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (dict(council="d1"), "council 'd1' contributes twice"),
        (dict(scores={"1.1": 2}), "must have a score for every statement"),
        (dict(scores={**make("x", "t", "r").scores, "1.1": 3}), "a score is 0, 1 or 2"),
        (dict(scores={**make("x", "t", "r").scores, "1.1": True}), "a score is 0, 1 or 2"),
        (dict(region=""), "has no region"),
        (dict(survey="s"), "both the survey round and its gaps"),
        (dict(survey="s", survey_gaps={1: 0}), "a survey gap for every principle"),
        (dict(survey="s", survey_gaps=dict.fromkeys(FULL, 10.5)), "between -10 and 10"),
        (dict(survey="s", survey_gaps=dict.fromkeys(FULL, float("nan"))), "not a number"),
        (dict(survey="s", survey_gaps=dict.fromkeys(FULL, Decimal("sNaN"))), "not a number"),
        (dict(survey="s", survey_gaps=dict.fromkeys(FULL, "1")), "not a number"),
    ],
)
def test_bad_contributions_are_refused_with_a_clear_message(change, message):
    members = [make(f"d{i}", "district", "east").contribution() for i in range(10)]
    members[0] = replace(members[0], **change)
    with pytest.raises(ValueError, match=message):
        compute_snapshot(members, principles=FULL, k=5)


def test_bad_principles_and_history_are_refused():
    members = [make(f"d{i}", "district", "east").contribution() for i in range(10)]
    with pytest.raises(ValueError, match="repeats a statement ref"):
        compute_snapshot(members, principles={1: ["1.1"], 2: ["1.1"]}, k=5)
    with pytest.raises(ValueError, match="must list its statement refs"):
        compute_snapshot(members, principles={1: "1.1"}, k=5)
    with pytest.raises(ValueError, match="SnapshotRecord of each earlier snapshot"):
        compute_snapshot(members, principles=FULL, k=5, history=[{"groups": {}}])
