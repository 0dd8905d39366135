"""Disclosure control for benchmarks: which groups of councils a snapshot may show.

Plain Python, no Django. Using it:

- `compute_snapshot(contributions, principles=..., k=..., history=[records...])` takes each
  sharing council's `Contribution` and the `SnapshotRecord` of every snapshot published
  before, and returns a `Snapshot`: every group (`Group`: figures, or why it is withheld)
  and the new snapshot's `record`, to be stored privately with it (`to_json`/`from_json`).
- `visible_groups` and `comparison_groups` say which published groups a council may see.
- `Figures` and `GapFigures` hold only counts; `share`, `median_total` and `typical_band`
  work out what a page says from them.

For the host's data protection officer
======================================

What is published
-----------------
A snapshot shows groups of councils: all sharing councils, each council type, each region
(nothing finer). For a group it shows only *counts*: how many councils are in it, how many
scored 0, 1 and 2 on each statement, and how many reached each principle total (0 to 10).
Where councils also ran the councillor survey, a second table counts how many councils'
councillors saw each principle much lower, lower, about the same, higher or much higher
than the officers' score. Percentages, medians and "typical" bands are worked out from
those counts, so they say nothing the counts do not.

The promise
-----------
With the setting K (at least 3, 5 unless the host chooses otherwise): nobody can work out
anything about the answers of fewer than K councils other than themselves, from any
combination of figures, groups and snapshots, ever. That covers the public, and it covers a
council that knows its own answers and takes them away from a group's figures. To keep
that promise every figure, and every sum or difference of figures that anyone could form,
must rest on at least K + 1 councils. In particular a group is only ever shown when it has
at least K + 1 councils, so a council that takes itself out still faces K others.

Why figures can be combined, and what combining can do
------------------------------------------------------
Think of each council's answers as a row of marks: a 1 under "statement 1.1 scored 2", a 1
under "principle 1 total 7", and so on. Every published number is the sum of one column of
those marks over the members of a group. Anyone can add and subtract published numbers,
and multiply them by constants, so what can be worked out is exactly this: pick a weight
for each council, and read off the weighted sum of their marks, for any weights that can
be built from the published groups. "All councils minus every type but one" gives weight
1 to the members of the missing type and 0 to everyone else; "this snapshot minus the last
one" gives +1 to a council that joined and -1 to one that left. A combination is harmless
when it gives a non-zero weight to at least K + 1 councils, because then it only ever
describes a crowd. It is a disclosure when it gives non-zero weight to K or fewer. The
rules below make sure that every combination gives non-zero weight to nobody, or to at
least K + 1 councils. The test file checks this by brute force on hundreds of small,
awkward populations, with exact arithmetic and its own independent code.

One snapshot: a network of types and regions
--------------------------------------------
Draw a point for every type that is shown and every region that is shown. Groups that are
withheld are merged into one point "every other type" and one point "every other region";
if the all-councils group is withheld too, those two points are merged into one. Each
council is a link between its type's point and its region's point.

Any combination of the snapshot's groups gives each point a value, and gives a council the
value of its type's point minus the value of its region's point (a little algebra: the
all-councils figure moves all the type points together, a type's figure moves its own
point, a region's its own). So a combination touches exactly the councils whose two points
have different values, that is, the links that cross between points of different values.

The rule: every council's two points must be joined by at least K + 1 chains of councils
that share no council (a well-known result, Menger's theorem, says this is the same as
"you cannot separate the two points without cutting at least K + 1 links"). Then if a
combination gives a council's two points different values, every one of those chains must
change value somewhere along it, so each chain has a council the combination touches, and
the chains share no council: at least K + 1 councils are touched. (A council whose type
and region both fall in the merged "every other" point needs no chains: no combination can
give it any weight.)

This catches every differencing attack inside one snapshot, however it is dressed up:
"all councils minus the other types" (the "every other type" point is cut off by the few
links of the hidden type), "region minus type" when a region is almost one type (Wales and
"Welsh principal councils" are cut off from the rest by the handful of other councils in
Wales), and combinations of types and regions together. For one snapshot the rule is also
exact: when two linked points can be separated by K or fewer links, giving one side the
value 1 and the other 0 is a combination that touches only those K or fewer councils, so
the rule never refuses a set of groups that was safe.

Many snapshots: only new contributions can carry new figures
------------------------------------------------------------
A council's contribution is its council, the assessment it shares, and a fingerprint of
the answers (so an assessment reopened and changed counts as a new contribution). A
contribution is *new* in a snapshot when no group published before has ever included it:
a council that joined, a council that agreed a new assessment, or one that was only ever
in withheld groups. A council that withdrew, or that replaced its assessment, leaves its
old contribution behind in the old snapshots, and the new snapshot must not let anyone
subtract their way to it.

The rule for every snapshot after the first is the rule above, with the chains made of new
contributions only: every council in the snapshot must have its two points joined by at
least K + 1 chains of *new* contributions that share no council. For the first snapshot
every contribution is new, so it is the same rule.

Why that is enough. Suppose someone combines this snapshot's figures with any number of
earlier ones, and split the combination into the part built from earlier snapshots and
the part built from this one. On a new contribution the earlier part is zero (no earlier
group contains it), so the combination's weight there is the new part alone. If the new
part gives any council's two points different values, the K + 1 chains of new
contributions joining them each contain a link whose ends differ, so the combination
touches at least K + 1 councils. If it does not, the new part is zero on every council in
this snapshot, and the combination is simply a combination of earlier snapshots, to which
the same argument applies, snapshot by snapshot, back to the first. So every combination of
everything ever published touches nobody or at least K + 1 councils.

What this means in practice: a group is shown again when enough new contributions reach
it, with enough spread; a group whose change since the last snapshot is small (one
council joined, one left, one re-assessed) is withheld in that snapshot, and so is
whatever would let it be worked out. At national scale every snapshot has hundreds of new
assessments and nearly every group is shown.

Unchanged groups. A group whose members, with exactly the same contributions, form a
group that was published before repeats figures already public and adds nothing; it is
shown again and left out of the check (so the regions where nobody changed keep their
figures in a snapshot where one council elsewhere joined).

Raising K. The check never looks back at what was published under an earlier K; it makes
sure a new snapshot adds nothing below the K it is computed with. Figures already
published stay as they were (the viewing rule, `visible_groups`, stops showing a council
any group, or survey table, with fewer than the new K councils besides itself).

Which groups to hold back
-------------------------
When the rule fails, groups are withheld one at a time until it holds: the smallest shown
group on the weak side of the cut that failed, or, when only "every other" points are on
that side, the smallest group of that kind that brings new contributions into them (the
all-councils group last of all). Withholding everything always satisfies the rule. This
choice only decides how much is shown; safety comes from the rule, checked again after
every step.

Survey gaps
-----------
The survey table counts different marks (the gap between councillors' view and the
officers' score), so sums of it never mix with the score table's sums; it has its own
contributions (council, assessment, survey round, gap fingerprint), its own record and
the same rule, applied separately. It is offered only for groups whose scores are shown,
and shown only where at least K + 1 of the group's councils have a survey gap.

What the host must keep
-----------------------
For every snapshot ever published, its record (`SnapshotRecord`): for each group shown,
the set of contributions it counted. The record names councils, so it is private to the
host; only the figures are public. Every published snapshot's record must be passed in
when computing the next one, for ever, even if a snapshot is taken off the public page
(someone may have kept a copy). A snapshot computed but never published must not be
passed in: a group identical to one of its groups would then count as a repeat of public
figures and be shown without the check.

What this does not cover
------------------------
- Councils that club together: two councils pooling their own answers can take both out.
  The promise is about one council's own knowledge (a larger K covers more).
- Answers that are public anyway: councils take their self-assessment to a public
  committee, so some scores are already in committee papers. Every published answer makes
  the remaining crowd in its groups smaller for anyone who has read those papers.
- Everyone alike: if every council in a group scored 2 on a statement, "100 % scored 2"
  tells everyone each member's score there. Counts cannot avoid this; a council reading
  its own group can also see, say, that all K others scored 2 where it scored 0.
- Who takes part: the number of councils in each group, and with a survey gap, is
  published. That is about taking part, not answers, and the model above assumes an
  onlooker may know who shares.
"""

from __future__ import annotations

import hashlib
import json
import math
from collections import defaultdict, deque
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from functools import cached_property
from typing import NamedTuple

MIN_K = 3
DEFAULT_K = 5

# Why a group is withheld.
TOO_FEW = "too_few"  # fewer than K + 1 councils (or, for a survey gap, with a survey)
PROTECT = "protect"  # withheld so that it, or another group, cannot be worked out

# Bands of the gap between councillors' view of a principle and the officers' total, on the
# principle's 0-10 scale (councillors' view minus officers' score); `gap_band` places a gap.
GAP_BANDS: tuple[str, ...] = (
    "Councillors' view 2 or more points lower",
    "Councillors' view more than half a point and less than 2 points lower",
    "About the same (half a point apart or less)",
    "Councillors' view more than half a point and less than 2 points higher",
    "Councillors' view 2 or more points higher",
)
_HALF, _TWO = Fraction(1, 2), Fraction(2)


class GroupLabel(NamedTuple):
    """A group of councils: ("all", ""), ("type", council type) or ("region", region)."""

    kind: str
    key: str = ""

    def __str__(self) -> str:
        return self.kind if self.kind == "all" else f"{self.kind}:{self.key}"

    @classmethod
    def parse(cls, text: str) -> GroupLabel:
        kind, _, key = text.partition(":")
        if kind == "all" and not key:
            return ALL
        if kind in ("type", "region") and key:
            return cls(kind, key)
        raise ValueError(f"{text!r} is not a group: use all, type:NAME or region:NAME")


ALL = GroupLabel("all")

# What one council contributes to a snapshot's sums, as far as disclosure is concerned:
# (council, assessment, fingerprint of its answers). A survey gap's key adds the round.
Key = tuple[str, ...]


@dataclass(frozen=True)
class Contribution:
    """What one sharing council contributes to a snapshot."""

    council: str  # an opaque, stable id
    council_type: str
    region: str
    assessment: str  # the id of the agreed assessment it shares
    scores: Mapping[str, int]  # statement ref -> 0, 1 or 2, every statement of the toolkit
    survey: str | None = None  # the id of the survey round its gaps come from
    # principle number -> councillors' view minus officers' total, every principle
    survey_gaps: Mapping[int, int | float | Decimal | Fraction] | None = None


@dataclass(frozen=True)
class Figures:
    """A published group's counts. Everything else a page shows is worked out from them."""

    councils: int
    statements: Mapping[str, tuple[int, int, int]]  # ref -> councils scoring 0, 1, 2
    totals: Mapping[int, tuple[int, ...]]  # principle -> councils at each total 0..max

    def share(self, ref: str, score: int) -> Fraction:
        """The fraction of the group's councils that scored `score` on statement `ref`."""
        return Fraction(self.statements[ref][score], self.councils)

    def median_total(self, principle: int) -> int:
        """The principle total of the middle council (the lower one of an even group)."""
        return _median_index(self.totals[principle])


@dataclass(frozen=True)
class GapFigures:
    """A published group's survey gaps: per principle, councils in each of `GAP_BANDS`."""

    councils: int
    bands: Mapping[int, tuple[int, ...]]

    def typical_band(self, principle: int) -> int:
        """The index in `GAP_BANDS` of the band of the middle council."""
        return _median_index(self.bands[principle])


@dataclass(frozen=True)
class Group:
    """One group of a snapshot: its figures, or why it is withheld."""

    label: GroupLabel
    figures: Figures | None
    withheld: str | None  # TOO_FEW or PROTECT when figures is None
    gap: GapFigures | None = None
    gap_withheld: str | None = None  # TOO_FEW or PROTECT when the group is shown without gaps

    @property
    def published(self) -> bool:
        return self.figures is not None


@dataclass(frozen=True)
class SnapshotRecord:
    """What a snapshot published, to be kept (privately) for every later snapshot: for each
    group shown, the contributions it counted, and the same for survey gaps."""

    groups: Mapping[GroupLabel, frozenset[Key]]
    gap_groups: Mapping[GroupLabel, frozenset[Key]]

    @cached_property
    def _councils(self) -> dict[tuple[bool, GroupLabel], frozenset[str]]:
        """The councils of each group (and survey-gap group), worked out once per record,
        so that a page asking what one council may see does not walk every member."""
        index = {(False, g): frozenset(k[0] for k in keys) for g, keys in self.groups.items()}
        index.update(
            {(True, g): frozenset(k[0] for k in keys) for g, keys in self.gap_groups.items()}
        )
        return index

    def others(self, label: GroupLabel, council: str, *, gap: bool = False) -> int:
        """How many members of a published group (or its survey-gap table) are not
        `council`."""
        members = (self.gap_groups if gap else self.groups)[label]
        return len(members) - (council in self._councils[gap, label])

    def to_json(self) -> str:
        return json.dumps(
            {
                "groups": {str(g): sorted(map(list, keys)) for g, keys in self.groups.items()},
                "gap_groups": {
                    str(g): sorted(map(list, keys)) for g, keys in self.gap_groups.items()
                },
            },
            sort_keys=True,
            separators=(",", ":"),
        )

    @classmethod
    def from_json(cls, text: str) -> SnapshotRecord:
        try:
            data = json.loads(text)
            parts = [
                {
                    GroupLabel.parse(g): frozenset(_key(k) for k in keys)
                    for g, keys in data[part].items()
                }
                for part in ("groups", "gap_groups")
            ]
        except (KeyError, TypeError, AttributeError, ValueError) as error:
            raise ValueError(f"not a snapshot record ({error})") from None
        return cls(groups=parts[0], gap_groups=parts[1])


def _key(value: object) -> Key:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ValueError(f"{value!r} is not a contribution key")
    return tuple(value)


@dataclass(frozen=True)
class Snapshot:
    """The outcome of `compute_snapshot`: every group (shown or withheld), and the record."""

    k: int
    groups: tuple[Group, ...]
    record: SnapshotRecord

    def group(self, label: GroupLabel) -> Group | None:
        return next((g for g in self.groups if g.label == label), None)


def compute_snapshot(
    contributions: Iterable[Contribution],
    *,
    principles: Mapping[int, Sequence[str]],
    k: int = DEFAULT_K,
    history: Iterable[SnapshotRecord] = (),
    types: Iterable[str] = (),
    regions: Iterable[str] = (),
) -> Snapshot:
    """Decide what a new snapshot publishes.

    `principles` maps each principle number to its statement refs (the toolkit version the
    snapshot compares); `history` is the record of every snapshot published before, in any
    order; `types` and `regions` may name groups to list as withheld even when no sharing
    council is in them (so "withheld" never tells an empty group from a small one).
    Raises ValueError, naming the problem, for anything it cannot use."""
    k = _check_k(k)
    layout = _check_principles(principles)
    rows = _check_contributions(contributions, layout)
    history = list(history)
    if not all(isinstance(r, SnapshotRecord) for r in history):
        raise ValueError("history must be the SnapshotRecord of each earlier snapshot")
    need = k + 1

    cells = {key: (c.council_type, c.region) for key, c, _ in rows}
    score_status, score_members = _select(
        cells,
        need,
        seen=_union(r.groups for r in history),
        before={m for r in history for m in r.groups.values()},
    )
    shown = {g for g, s in score_status.items() if s is None}

    gap_cells = {gap_key: cells[key] for key, _, gap_key in rows if gap_key is not None}
    gap_status, gap_members = _select(
        gap_cells,
        need,
        seen=_union(r.gap_groups for r in history),
        before={m for r in history for m in r.gap_groups.values()},
        allowed=shown,
    )

    figures = _figures(rows, layout, shown)
    gap_figures = _gap_figures(rows, layout, {g for g, s in gap_status.items() if s is None})
    labels = {ALL, *score_status}
    labels.update(GroupLabel("type", t) for t in types)
    labels.update(GroupLabel("region", r) for r in regions)
    groups = []
    for label in sorted(labels, key=_label_order):
        if label in shown:
            groups.append(
                Group(
                    label,
                    figures[label],
                    None,
                    gap=gap_figures.get(label),
                    gap_withheld=gap_status.get(label, TOO_FEW),
                )
            )
        else:
            groups.append(Group(label, None, score_status.get(label, TOO_FEW)))
    record = SnapshotRecord(
        groups={g: score_members[g] for g in shown},
        gap_groups={g: gap_members[g] for g, s in gap_status.items() if s is None},
    )
    return Snapshot(k=k, groups=tuple(groups), record=record)


def visible_groups(snapshot: Snapshot, *, council: str, k: int) -> list[Group]:
    """The published groups `council` may see, with the setting K as it is now: never a group
    with fewer than K councils besides it, and never survey gaps from fewer than K others.
    (A snapshot computed with this K already guarantees both; this also applies a K raised
    since the snapshot was made.)"""
    k = _check_k(k)
    seen = []
    for group in snapshot.groups:
        if not group.published:
            continue
        if snapshot.record.others(group.label, council) < k:
            continue
        if group.gap is not None and snapshot.record.others(group.label, council, gap=True) < k:
            group = Group(group.label, group.figures, None, None, TOO_FEW)
        seen.append(group)
    return seen


def comparison_groups(
    snapshot: Snapshot, *, council: str, council_type: str, region: str, k: int
) -> dict[str, Group | None]:
    """The groups a council compares itself with: "all", "type" (its type) and "region" (its
    region), each the published group it may see, or None."""
    visible = {g.label: g for g in visible_groups(snapshot, council=council, k=k)}
    return {
        "all": visible.get(ALL),
        "type": visible.get(GroupLabel("type", council_type)),
        "region": visible.get(GroupLabel("region", region)),
    }


# --- input checks -------------------------------------------------------------------------


def _check_k(k: object) -> int:
    if isinstance(k, bool) or not isinstance(k, int) or k < MIN_K:
        raise ValueError(f"K must be a whole number of at least {MIN_K}, not {k!r}")
    return k


@dataclass(frozen=True)
class _Layout:
    principles: tuple[tuple[int, tuple[str, ...]], ...]
    refs: frozenset[str]


def _check_principles(principles: Mapping[int, Sequence[str]]) -> _Layout:
    if not isinstance(principles, Mapping) or not principles:
        raise ValueError("principles must map each principle number to its statement refs")
    for number in principles:
        if isinstance(number, bool) or not isinstance(number, int):
            raise ValueError(f"principle number {number!r} is not a whole number")
    layout = []
    refs: set[str] = set()
    for number in sorted(principles):
        these = principles[number]
        if isinstance(these, str) or not these or not all(isinstance(r, str) for r in these):
            raise ValueError(f"principle {number} must list its statement refs")
        if refs & set(these) or len(set(these)) != len(these):
            raise ValueError(f"principle {number} repeats a statement ref")
        refs.update(these)
        layout.append((number, tuple(these)))
    return _Layout(tuple(layout), frozenset(refs))


class _NotANumber(ValueError):
    pass


def _exact(value: object) -> Fraction:
    """A gap as an exact fraction (a float as the decimal it prints as: 0.1 is 1/10)."""
    if (
        isinstance(value, bool)
        or not isinstance(value, int | float | Decimal | Fraction)
        or (isinstance(value, float) and not math.isfinite(value))
        or (isinstance(value, Decimal) and not value.is_finite())
    ):
        raise _NotANumber(f"{value!r} is not a number")
    if isinstance(value, float):
        return Fraction(Decimal(repr(value)))
    return Fraction(value)


def _fingerprint(*parts: object) -> str:
    return hashlib.sha256(json.dumps(parts, separators=(",", ":")).encode()).hexdigest()[:32]


def _check_contributions(
    contributions: Iterable[Contribution], layout: _Layout
) -> list[tuple[Key, Contribution, Key | None]]:
    """Each contribution with its key and, if it has survey gaps, its gap key."""
    rows = []
    councils: set[str] = set()
    numbers = {n for n, _ in layout.principles}
    for c in contributions:
        if not isinstance(c, Contribution):
            raise ValueError(f"{c!r} is not a Contribution")
        for name in ("council", "council_type", "region", "assessment"):
            if not isinstance(getattr(c, name), str) or not getattr(c, name):
                raise ValueError(f"a contribution has no {name.replace('_', ' ')}")
        who = f"council {c.council!r}"
        if c.council in councils:
            raise ValueError(f"{who} contributes twice")
        councils.add(c.council)
        if not isinstance(c.scores, Mapping) or set(c.scores) != layout.refs:
            raise ValueError(f"{who} must have a score for every statement, and no others")
        for ref, score in c.scores.items():
            if isinstance(score, bool) or not isinstance(score, int) or score not in (0, 1, 2):
                raise ValueError(f"{who} scores {ref} {score!r}: a score is 0, 1 or 2")
        answers = sorted(c.scores.items())
        key = (c.council, c.assessment, _fingerprint(answers))
        gap_key = None
        if (c.survey is None) != (c.survey_gaps is None):
            raise ValueError(f"{who} must give both the survey round and its gaps, or neither")
        if c.survey is not None:
            if not isinstance(c.survey, str) or not c.survey:
                raise ValueError(f"{who} has an empty survey round")
            if not isinstance(c.survey_gaps, Mapping) or set(c.survey_gaps) != numbers:
                raise ValueError(f"{who} must have a survey gap for every principle")
            gaps = []
            for number, refs in layout.principles:
                top = 2 * len(refs)
                try:
                    gap = _exact(c.survey_gaps[number])
                except _NotANumber:
                    raise ValueError(
                        f"{who} has a survey gap for principle {number} that is not a number"
                    ) from None
                if not -top <= gap <= top:
                    raise ValueError(
                        f"{who} has a survey gap of {gap} for principle {number}: "
                        f"it must be between -{top} and {top}"
                    )
                gaps.append((number, str(gap)))
            gap_key = (c.council, c.assessment, c.survey, _fingerprint(answers, gaps))
        rows.append((key, c, gap_key))
    return rows


# --- the rule -------------------------------------------------------------------------------


def _union(sets: Iterable[Mapping[GroupLabel, frozenset[Key]]]) -> set[Key]:
    seen: set[Key] = set()
    for groups in sets:
        for members in groups.values():
            seen.update(members)
    return seen


def _select(
    cells: Mapping[Key, tuple[str, str]],
    need: int,
    *,
    seen: set[Key],
    before: set[frozenset[Key]],
    allowed: set[GroupLabel] | None = None,
) -> tuple[dict[GroupLabel, str | None], dict[GroupLabel, frozenset[Key]]]:
    """For one family of sums (scores, or survey gaps): each group's status (None if shown,
    else why not) and each group's members.

    `cells` gives each contribution in the snapshot its (type, region); `seen` is every
    contribution an earlier published group counted; `before` the member sets of every
    earlier published group; `allowed`, if given, the only groups that may be shown."""
    members: dict[GroupLabel, set[Key]] = defaultdict(set)
    occupied: dict[tuple[str, str], int] = defaultdict(int)
    new: dict[tuple[str, str], int] = defaultdict(int)
    for key, (council_type, region) in cells.items():
        members[ALL].add(key)
        members[GroupLabel("type", council_type)].add(key)
        members[GroupLabel("region", region)].add(key)
        occupied[council_type, region] += 1
        if key not in seen:
            new[council_type, region] += 1
    frozen = {g: frozenset(m) for g, m in members.items()}
    status: dict[GroupLabel, str | None] = {}
    for label, these in frozen.items():
        if len(these) < need or (allowed is not None and label not in allowed):
            status[label] = TOO_FEW if len(these) < need else PROTECT
        else:
            status[label] = None
    # A group identical to one published before repeats public figures: shown, not checked.
    repeats = {g for g, m in frozen.items() if m in before}
    new_in = {g: sum(n for (t, r), n in new.items() if g in _labels_of(t, r)) for g in frozen}
    while True:
        checked = {g for g, s in status.items() if s is None and g not in repeats}
        failure = _first_failure(checked, occupied, new, need)
        if failure is None:
            return status, frozen
        status[_to_withhold(failure, checked, frozen, new_in)] = PROTECT


def _labels_of(council_type: str, region: str) -> tuple[GroupLabel, ...]:
    return ALL, GroupLabel("type", council_type), GroupLabel("region", region)


def _label_order(label: GroupLabel) -> tuple[int, str]:
    return ({"all": 0, "type": 1, "region": 2}[label.kind], label.key)


# The points of the network: a shown type or region, or one of the "every other" points.
OTHER_TYPES = GroupLabel("other", "types")
OTHER_REGIONS = GroupLabel("other", "regions")
OTHERS = GroupLabel("other", "all")  # both "every other" points, when "all" is withheld


@dataclass(frozen=True)
class _Failure:
    """A cut of fewer links than needed: the points on each side, and how many councils are
    linked to the points of each side."""

    sides: tuple[frozenset[GroupLabel], frozenset[GroupLabel]]
    weights: tuple[int, int]


def _first_failure(
    checked: set[GroupLabel],
    occupied: Mapping[tuple[str, str], int],
    new: Mapping[tuple[str, str], int],
    need: int,
) -> _Failure | None:
    """None if every occupied cell's two points are joined by `need` chains of new
    contributions that share none; otherwise a cut that has fewer."""
    other_types, other_regions = (
        (OTHER_TYPES, OTHER_REGIONS) if ALL in checked else (OTHERS, OTHERS)
    )

    def ends(council_type: str, region: str) -> tuple[GroupLabel, GroupLabel]:
        a, b = GroupLabel("type", council_type), GroupLabel("region", region)
        return (a if a in checked else other_types), (b if b in checked else other_regions)

    links: dict[GroupLabel, dict[GroupLabel, int]] = defaultdict(lambda: defaultdict(int))
    for cell, n in new.items():
        a, b = ends(*cell)
        if a != b:
            links[a][b] += n
            links[b][a] += n
    joined = _UnionFind()
    for cell in sorted(occupied):
        a, b = ends(*cell)
        if a == b or joined.find(a) == joined.find(b):
            continue
        side = _cut_below(links, a, b, need)
        if side is None:
            joined.union(a, b)
            continue
        weights = [0, 0]
        points: set[GroupLabel] = set()
        for other_cell, n in occupied.items():
            for point in ends(*other_cell):
                points.add(point)
                weights[point not in side] += n
        return _Failure((frozenset(side), frozenset(points - side)), (weights[0], weights[1]))
    return None


def _cut_below(
    links: Mapping[GroupLabel, Mapping[GroupLabel, int]],
    source: GroupLabel,
    sink: GroupLabel,
    need: int,
) -> set[GroupLabel] | None:
    """None if `need` chains sharing no link join source and sink (Menger: a flow of `need`
    through links of capacity 1 per council), else the points the source can still reach
    when the flow stops short: a cut of fewer than `need` links."""
    spare = {a: dict(b) for a, b in links.items()}
    flow = 0
    while flow < need:
        came_from = {source: source}
        queue = deque([source])
        while queue and sink not in came_from:
            here = queue.popleft()
            for there, capacity in spare.get(here, {}).items():
                if capacity > 0 and there not in came_from:
                    came_from[there] = here
                    queue.append(there)
        if sink not in came_from:
            return set(came_from)
        path = []
        here = sink
        while here != source:
            path.append((came_from[here], here))
            here = came_from[here]
        push = min(spare[a][b] for a, b in path)
        for a, b in path:
            spare[a][b] -= push
            spare.setdefault(b, {})
            spare[b][a] = spare[b].get(a, 0) + push
        flow += push
    return None


class _UnionFind:
    def __init__(self) -> None:
        self.parent: dict[GroupLabel, GroupLabel] = {}

    def find(self, x: GroupLabel) -> GroupLabel:
        self.parent.setdefault(x, x)
        while self.parent[x] != x:
            self.parent[x] = self.parent[self.parent[x]]
            x = self.parent[x]
        return x

    def union(self, a: GroupLabel, b: GroupLabel) -> None:
        self.parent[self.find(a)] = self.find(b)


def _to_withhold(
    failure: _Failure,
    checked: set[GroupLabel],
    members: Mapping[GroupLabel, frozenset[Key]],
    new_in: Mapping[GroupLabel, int],
) -> GroupLabel:
    """Which group to withhold next (a choice for usefulness only; see the module notes):
    the smallest shown group on the lighter side of the failed cut; if that side has only
    "every other" points, the smallest group that would bring new contributions into them;
    the same on the other side; the all-councils group last."""

    def size(label: GroupLabel) -> tuple[int, tuple[int, str]]:
        return len(members[label]), _label_order(label)

    feeds = {OTHER_TYPES: {"type"}, OTHER_REGIONS: {"region"}, OTHERS: {"type", "region"}}
    order = (0, 1) if failure.weights[0] <= failure.weights[1] else (1, 0)
    for points in (failure.sides[i] for i in order):
        shown = [p for p in points if p in checked and p != ALL]
        if shown:
            return min(shown, key=size)
        kinds = set().union(*(feeds.get(p, set()) for p in points))
        feeders = [g for g in checked if g.kind in kinds and new_in[g] > 0]
        if feeders:
            return min(feeders, key=size)
    if ALL in checked:
        return ALL
    return min(checked, key=size)


# --- figures ----------------------------------------------------------------------------------


def _figures(
    rows: Sequence[tuple[Key, Contribution, Key | None]],
    layout: _Layout,
    shown: set[GroupLabel],
) -> dict[GroupLabel, Figures]:
    counts: dict[GroupLabel, dict[str, list[int]]] = {}
    totals: dict[GroupLabel, dict[int, list[int]]] = {}
    size: dict[GroupLabel, int] = defaultdict(int)
    for label in shown:
        counts[label] = {ref: [0, 0, 0] for ref in layout.refs}
        totals[label] = {n: [0] * (2 * len(refs) + 1) for n, refs in layout.principles}
    for _, c, _ in rows:
        labels = [g for g in _labels_of(c.council_type, c.region) if g in shown]
        if not labels:
            continue
        principle_totals = [
            (n, sum(c.scores[ref] for ref in refs)) for n, refs in layout.principles
        ]
        for label in labels:
            size[label] += 1
            these = counts[label]
            for ref, score in c.scores.items():
                these[ref][score] += 1
            for n, total in principle_totals:
                totals[label][n][total] += 1
    return {
        label: Figures(
            councils=size[label],
            statements={ref: tuple(v) for ref, v in sorted(counts[label].items())},
            totals={n: tuple(v) for n, v in totals[label].items()},
        )
        for label in shown
    }


def gap_band(gap: int | float | Decimal | Fraction) -> int:
    """The index in `GAP_BANDS` of a gap (councillors' view minus officers' total). A gap of
    exactly half a point is "about the same"; exactly 2 points is "2 or more"."""
    value = _exact(gap)
    if value <= -_TWO:
        return 0
    if value < -_HALF:
        return 1
    if value <= _HALF:
        return 2
    if value < _TWO:
        return 3
    return 4


def _gap_figures(
    rows: Sequence[tuple[Key, Contribution, Key | None]],
    layout: _Layout,
    shown: set[GroupLabel],
) -> dict[GroupLabel, GapFigures]:
    bands = {label: {n: [0] * len(GAP_BANDS) for n, _ in layout.principles} for label in shown}
    size: dict[GroupLabel, int] = defaultdict(int)
    for _, c, gap_key in rows:
        if gap_key is None:
            continue
        places = [(n, gap_band(c.survey_gaps[n])) for n, _ in layout.principles]
        for label in _labels_of(c.council_type, c.region):
            if label in shown:
                size[label] += 1
                for n, band in places:
                    bands[label][n][band] += 1
    return {
        label: GapFigures(size[label], {n: tuple(v) for n, v in bands[label].items()})
        for label in shown
    }


def _median_index(counts: Sequence[int]) -> int:
    middle = (sum(counts) + 1) // 2
    running = 0
    for index, n in enumerate(counts):
        running += n
        if running >= middle:
            return index
    raise ValueError("no councils")

