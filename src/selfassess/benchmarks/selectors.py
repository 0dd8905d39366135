"""Reads for benchmarks. They never write.

Two kinds: what a snapshot counts (`contributions`, read by services.publish_snapshot in a
handful of queries per 2,000 councils), and what pages show of a published snapshot. A
snapshot never changes once written, so a page reads it from the database once per process
(`latest` and `published`, cached by id) and a council's page then costs one small query
(which snapshot is the latest) however many councils there are."""

from __future__ import annotations

import datetime
import threading
from collections import OrderedDict
from dataclasses import dataclass, field
from fractions import Fraction

from django.conf import settings

from selfassess.assessments.models import Assessment, Response, Status
from selfassess.core.dates import months_before
from selfassess.councils.models import Council, CouncilType, Region
from selfassess.feedback.selectors import survey_gaps
from selfassess.frameworks.models import Framework
from selfassess.frameworks.selectors import DEFAULT_FRAMEWORK, current_framework, framework_parts

from . import disclosure
from .disclosure import GAP_BANDS, Contribution, Figures, GapFigures, Group, GroupLabel
from .formats import group_names
from .models import Snapshot

CHUNK = 2000  # assessments per query, well inside every database's limit on parameters


@dataclass(frozen=True)
class Layout:
    """The toolkit version a snapshot lays out: its principles' refs, and what the public
    document says about it."""

    framework: Framework
    principles: dict[int, list[str]]
    toolkit: dict
    scale: list[dict]
    principle_rows: list[dict]


def layout(slug: str = DEFAULT_FRAMEWORK) -> Layout | None:
    """The newest version of the toolkit, whose statements a snapshot compares."""
    framework = current_framework(slug)
    if framework is None:
        return None
    parts = framework_parts(framework)
    principles = {
        p.number: [s.ref for s in parts.statements.values() if s.principle_id == p.pk]
        for p in parts.principles
    }
    return Layout(
        framework=framework,
        principles=principles,
        toolkit={"id": framework.slug, "version": framework.version, "title": framework.title},
        scale=[{"value": level.value, "label": level.label} for level in parts.levels],
        principle_rows=[
            {
                "number": p.number,
                "title": p.title,
                "maximum": parts.maximum(len(principles[p.number])),
                "statements": [
                    {"ref": s.ref, "text": s.text}
                    for s in parts.statements.values()
                    if s.principle_id == p.pk
                ],
            }
            for p in parts.principles
        ],
    )


def agreed_from(today: datetime.date) -> datetime.date:
    """The first day an assessment may have been agreed on and still count."""
    return months_before(today, settings.BENCHMARK_WINDOW_MONTHS)


def contributions(chosen: Layout, today: datetime.date) -> list[Contribution]:
    """Every sharing council's contribution: its latest agreed (complete) assessment on this
    toolkit, agreed within the window, whose statements are the layout's (matched by ref),
    with its councillors' survey gaps where a round's results can be shown. A council with
    no region yet, or whose latest agreed assessment is on a version with other refs, is
    left out."""
    refs = {ref for these in chosen.principles.values() for ref in these}
    candidates = (
        Assessment.objects.filter(
            council__shares_benchmarks=True,
            status=Status.COMPLETE,
            framework__slug=chosen.framework.slug,
            agreed_on__gte=agreed_from(today),
            agreed_on__lte=today,
        )
        .exclude(council__region="")
        .order_by("council_id", "-agreed_on", "-assessed_on", "-pk")
        .values_list("pk", "council_id", "council__type", "council__region")
    )
    latest: dict[int, tuple[int, str, str]] = {}
    for pk, council_id, council_type, region in candidates:
        latest.setdefault(council_id, (pk, council_type, region))
    ids = [pk for pk, _, _ in latest.values()]
    scores: dict[int, dict[str, int]] = {pk: {} for pk in ids}
    gaps = {}
    principles = sorted(chosen.principles.items())
    for start in range(0, len(ids), CHUNK):
        chunk = ids[start : start + CHUNK]
        for assessment_id, ref, score in Response.objects.filter(
            assessment_id__in=chunk
        ).values_list("assessment_id", "statement__ref", "score"):
            scores[assessment_id][ref] = score
        usable = {pk: scores[pk] for pk in chunk if _usable(scores[pk], refs)}
        gaps.update(survey_gaps(usable, principles, today))
    out = []
    for council_id, (pk, council_type, region) in latest.items():
        if not _usable(scores[pk], refs):
            continue
        gap = gaps.get(pk)
        out.append(
            Contribution(
                council=str(council_id),
                council_type=council_type,
                region=region,
                assessment=str(pk),
                scores=scores[pk],
                survey=str(gap.round_id) if gap else None,
                survey_gaps=gap.gaps if gap else None,
            )
        )
    return out


def _usable(scores: dict[str, int | None], refs: set[str]) -> bool:
    return set(scores) == refs and all(s in (0, 1, 2) for s in scores.values())


def history(toolkit: str) -> list[disclosure.SnapshotRecord]:
    """The private record of every snapshot of this toolkit published so far."""
    return [
        disclosure.SnapshotRecord.from_json(text)
        for text in Snapshot.objects.filter(toolkit=toolkit)
        .order_by("pk")
        .values_list("record", flat=True)
    ]


# --- published snapshots, as pages read them --------------------------------------------


@dataclass(frozen=True)
class Published:
    """A published snapshot, parsed once per process: its public content, and its groups
    as `disclosure` reads them (with who is in each, for what one council may see)."""

    id: int
    created_at: datetime.datetime
    toolkit: str
    content: dict
    snapshot: disclosure.Snapshot
    # Table rows rendered for this snapshot, shared by every council's page
    # (templatetags/benchmarks.py); they go when the snapshot leaves the cache.
    rows: dict = field(default_factory=dict, compare=False, repr=False)

    @property
    def k(self) -> int:
        return self.snapshot.k

    @property
    def agreed_from(self) -> datetime.date:
        return datetime.date.fromisoformat(self.content["agreed_from"])

    @property
    def groups(self) -> list[dict]:
        return self.content["groups"]

    def group(self, name: str) -> dict | None:
        return next((g for g in self.groups if g["group"] == name), None)


def _parse(row: Snapshot) -> Published:
    groups = []
    for g in row.content["groups"]:
        label = GroupLabel.parse(g["group"])
        if not g["shown"]:
            groups.append(Group(label, None, g["withheld"]))
            continue
        figures = Figures(
            councils=g["councils"],
            statements={ref: tuple(c) for ref, c in g["statements"].items()},
            totals={int(n): tuple(c) for n, c in g["principle_totals"].items()},
        )
        gap = g["survey_gap"]
        gap_figures = (
            GapFigures(gap["councils"], {int(n): tuple(c) for n, c in gap["bands"].items()})
            if gap["shown"]
            else None
        )
        groups.append(Group(label, figures, None, gap_figures, gap["withheld"]))
    record = disclosure.SnapshotRecord.from_json(row.record)
    return Published(
        id=row.pk,
        created_at=row.created_at,
        toolkit=row.toolkit,
        content=row.content,
        snapshot=disclosure.Snapshot(
            k=row.k,
            groups=tuple(groups),
            # Pages only ask who is in each group (`visible_groups`), so each process keeps
            # the councils alone, a third of the record's size, not the assessments and
            # fingerprints that only the next snapshot's check needs.
            record=disclosure.SnapshotRecord(
                groups={g: frozenset((k[0],) for k in keys) for g, keys in record.groups.items()},
                gap_groups={
                    g: frozenset((k[0],) for k in keys) for g, keys in record.gap_groups.items()
                },
            ),
        ),
    )


_CACHE: OrderedDict[tuple[int, datetime.datetime], Published] = OrderedDict()
_CACHE_LOCK = threading.Lock()
CACHED_SNAPSHOTS = 4


def _cached(pk: int, created_at: datetime.datetime) -> Published:
    key = (pk, created_at)  # the date too: a test database may use an id again
    found = _CACHE.get(key)
    if found is None:
        found = _parse(Snapshot.objects.get(pk=pk))
        with _CACHE_LOCK:
            _CACHE[key] = found
            while len(_CACHE) > CACHED_SNAPSHOTS:
                _CACHE.popitem(last=False)
    return found


def latest(toolkit: str = DEFAULT_FRAMEWORK) -> Published | None:
    """The newest published snapshot of the toolkit: one query, and the snapshot itself
    only the first time this process sees it."""
    row = (
        Snapshot.objects.filter(toolkit=toolkit)
        .order_by("-created_at", "-pk")
        .values_list("pk", "created_at")
        .first()
    )
    return _cached(*row) if row else None


def published(pk: int) -> Published | None:
    row = Snapshot.objects.filter(pk=pk).values_list("pk", "created_at").first()
    return _cached(*row) if row else None


def snapshot_list() -> list[tuple[int, datetime.datetime]]:
    """Every published snapshot, newest first: id and date."""
    return list(Snapshot.objects.order_by("-created_at", "-pk").values_list("pk", "created_at"))


# --- what one council's summary page shows -------------------------------------------------


@dataclass(frozen=True)
class Segment:
    """One score's part of a bar drawn 100 units wide."""

    score: int
    x: str
    width: str


def segments(counts: tuple[int, ...] | list[int]) -> list[Segment]:
    """A stacked bar of the counts, each part as wide as its share (exact, so the parts
    always meet and fill the bar)."""
    whole = sum(counts)
    out, start = [], 0
    for score, n in enumerate(counts):
        if n and whole:
            out.append(Segment(score, f"{100 * start / whole:.2f}", f"{100 * n / whole:.2f}"))
        start += n
    return out


def _percent(part: int, whole: int) -> int:
    return round(Fraction(100 * part, whole)) if whole else 0


@dataclass(frozen=True)
class GroupStatement:
    """A statement's figures in one group: the same for every council comparing with it."""

    ref: str
    counts: tuple[int, ...]  # councils scoring 0, 1, 2
    shares: tuple[int, ...]  # the same as whole percentages
    most: int  # the score most councils gave (the higher one of a tie)
    segments: list[Segment]

    @property
    def most_share(self) -> int:
        return self.shares[self.most]


@dataclass(frozen=True)
class GroupPrinciple:
    """A principle's figures in one group, worked out once per process and snapshot."""

    number: int
    title: str
    maximum: int
    councils: int
    median: int
    below: tuple[int, ...]  # below[t]: councils with a total under t (t = 0 .. maximum + 1)
    statements: list[GroupStatement]
    gap_band: int | None  # the band of the group's middle council, if shown
    gap_bands: tuple[int, ...] | None  # the group's councils in each band
    gap_councils: int | None
    gap_segments: list[Segment]

    @property
    def gap_band_label(self) -> str:
        return GAP_BANDS[self.gap_band] if self.gap_band is not None else ""


def _group_principles(found: Published, group: Group) -> list[GroupPrinciple]:
    """The figures a council's page shows of one group, kept with the snapshot."""
    key = ("group", str(group.label))
    cached = found.rows.get(key)
    if cached is not None:
        return cached
    figures, gap = group.figures, group.gap
    n = figures.councils
    out = []
    for p in found.content["principles"]:
        number = p["number"]
        statements = []
        for s in p["statements"]:
            counts = figures.statements[s["ref"]]
            statements.append(
                GroupStatement(
                    ref=s["ref"],
                    counts=counts,
                    shares=tuple(_percent(c, n) for c in counts),
                    most=max(range(len(counts)), key=lambda v, c=counts: (c[v], v)),
                    segments=segments(counts),
                )
            )
        totals = figures.totals[number]
        below = [0]
        for count in totals:
            below.append(below[-1] + count)
        out.append(
            GroupPrinciple(
                number=number,
                title=p["title"],
                maximum=p["maximum"],
                councils=n,
                median=figures.median_total(number),
                below=tuple(below),
                statements=statements,
                gap_band=gap.typical_band(number) if gap else None,
                gap_bands=gap.bands[number] if gap else None,
                gap_councils=gap.councils if gap else None,
                gap_segments=segments(gap.bands[number]) if gap else [],
            )
        )
    found.rows[key] = out
    return out


@dataclass(frozen=True)
class StatementRow:
    """A statement on one council's page: its own score beside the group's figures."""

    group: str  # the group compared with, "type:district"
    phrase: str  # its name in a sentence, "district councils"
    figures: GroupStatement
    own: int | None  # the council's score here, or None if not scored
    labels: dict[int, str]  # the scale's labels

    @property
    def ref(self) -> str:
        return self.figures.ref

    @property
    def own_label(self) -> str:
        return self.labels.get(self.own, "") if self.own is not None else "Not scored"

    @property
    def most_label(self) -> str:
        return self.labels.get(self.figures.most, "")

    @property
    def own_share(self) -> int | None:
        """The share of the group that gave the council's own score here."""
        return self.figures.shares[self.own] if self.own is not None else None

    @property
    def cells(self) -> list[tuple[int, bool]]:
        """Each score's share, and whether it is the council's own."""
        return [(share, score == self.own) for score, share in enumerate(self.figures.shares)]


@dataclass(frozen=True)
class PrincipleRow:
    """A principle on one council's page."""

    group: str
    figures: GroupPrinciple
    own: int | None  # the council's total, or None with a statement unscored
    statements: list[StatementRow]
    gap_own: float | None  # the council's own survey gap, if its results are shown

    @property
    def number(self) -> int:
        return self.figures.number

    @property
    def title(self) -> str:
        return self.figures.title

    @property
    def shares(self) -> tuple[int, int, int] | None:
        """Percentages of the group with a lower, the same and a higher total."""
        if self.own is None:
            return None
        below, n = self.figures.below, self.figures.councils
        lower = below[self.own]
        same = below[self.own + 1] - lower
        return _percent(lower, n), _percent(same, n), _percent(n - lower - same, n)

    @property
    def gap_own_words(self) -> str:
        """The council's own gap in words: "2.1 points below your score"."""
        if self.gap_own is None:
            return ""
        if self.gap_own == 0:
            return "the same as your score"
        side = "below" if self.gap_own < 0 else "above"
        size = abs(self.gap_own)
        return f"{size:.1f} point{'' if size == 1 else 's'} {side} your score"


@dataclass(frozen=True)
class Choice:
    """One of the groups a council may compare itself with: its type, its region, all."""

    key: str  # "type", "region" or "all"
    name: str
    phrase: str
    councils: int | None  # None when the group cannot be shown to this council


@dataclass(frozen=True)
class Comparison:
    snapshot: Published
    choices: list[Choice]
    chosen: Choice
    principles: list[PrincipleRow]
    shares_benchmarks: bool

    @property
    def gap_bands(self) -> list[str]:
        return list(GAP_BANDS)

    @property
    def has_gaps(self) -> bool:
        return any(p.figures.gap_band is not None for p in self.principles)


CHOICE_ORDER = ("type", "region", "all")


def comparison(council: Council, view, feedback=None, wanted: str = "") -> Comparison | None:
    """What the summary page of one of `council`'s assessments shows beside its scores: the
    distribution among comparable councils (same type, same region, all), from the latest
    snapshot, only in groups the council may see (`disclosure.comparison_groups`, with the
    setting K as it is now). None when benchmarks are off, there is no snapshot of this
    toolkit, or none of the three groups can be shown. No query beyond `latest`'s one; the
    group's figures are worked out once per process (`_group_principles`)."""
    if not settings.BENCHMARKS:
        return None
    found = latest(view.assessment.framework.slug)
    if found is None:
        return None
    seen = disclosure.comparison_groups(
        found.snapshot,
        council=str(council.pk),
        council_type=council.type,
        region=council.region,
        k=settings.BENCHMARK_K,
    )
    labels = {
        "type": GroupLabel("type", council.type),
        "region": GroupLabel("region", council.region),
        "all": disclosure.ALL,
    }
    choices = []
    for key in CHOICE_ORDER:
        if key == "region" and not council.region:
            continue
        group = seen[key]
        name, phrase = group_names(labels[key])
        choices.append(
            Choice(key, name, phrase, group.figures.councils if group is not None else None)
        )
    usable = [c for c in choices if c.councils is not None]
    if not usable:
        return None
    chosen = next((c for c in usable if c.key == wanted), usable[0])
    group = seen[chosen.key]
    scale = {s["value"]: s["label"] for s in found.content["scale"]}
    own_scores = {r.statement.ref: r.score for p in view.principles for r in p.responses}
    own_gaps = {p.number: p.gap for p in feedback.principles} if feedback else {}
    label = str(group.label)
    rows = []
    for part in _group_principles(found, group):
        statements = [
            StatementRow(label, chosen.phrase, s, own_scores.get(s.ref), scale)
            for s in part.statements
        ]
        own = [row.own for row in statements]
        rows.append(
            PrincipleRow(
                group=label,
                figures=part,
                own=None if None in own else sum(own),
                statements=statements,
                gap_own=own_gaps.get(part.number),
            )
        )
    return Comparison(
        snapshot=found,
        choices=choices,
        chosen=chosen,
        principles=rows,
        shares_benchmarks=council.shares_benchmarks,
    )


# --- the public tables ---------------------------------------------------------------------


@dataclass(frozen=True)
class Overview:
    """One row of the public page's table of every group."""

    group: dict
    medians: list[int] | None  # each principle's middle total, if shown


def overview(found: Published) -> list[Overview]:
    groups = {g.label: g for g in found.snapshot.groups}
    numbers = [p["number"] for p in found.content["principles"]]
    out = []
    for g in found.groups:
        figures = groups[GroupLabel.parse(g["group"])].figures
        out.append(
            Overview(
                group=g,
                medians=[figures.median_total(n) for n in numbers] if figures else None,
            )
        )
    return out


def group_table(found: Published, name: str) -> list[dict] | None:
    """The statement table of one shown group: per principle, each statement's shares."""
    g = found.group(name)
    if g is None or not g["shown"]:
        return None
    n = g["councils"]
    label = GroupLabel.parse(name)
    figures = found.snapshot.group(label).figures
    gap = found.snapshot.group(label).gap
    return [
        {
            "number": p["number"],
            "title": p["title"],
            "maximum": p["maximum"],
            "median": figures.median_total(p["number"]),
            "gap_band": gap.typical_band(p["number"]) if gap else None,
            "gap_bands": gap.bands[p["number"]] if gap else None,
            "statements": [
                {
                    "ref": s["ref"],
                    "text": s["text"],
                    "counts": g["statements"][s["ref"]],
                    "shares": [_percent(c, n) for c in g["statements"][s["ref"]]],
                    "segments": segments(g["statements"][s["ref"]]),
                }
                for s in p["statements"]
            ],
        }
        for p in found.content["principles"]
    ]


def regions_and_types() -> tuple[list[str], list[str]]:
    """Every type and region, so a snapshot lists each group even when nobody is in it."""
    return list(CouncilType.values), list(Region.values)


def snapshot_row(pk: int) -> Snapshot | None:
    """A snapshot's row, for its downloads (its content, never its record)."""
    return Snapshot.objects.defer("record").filter(pk=pk).first()
