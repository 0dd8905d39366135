"""Everything a report shows, gathered once in a fixed number of queries and shared by
every format (HTML, PDF, Word, Excel, CSV), so the formats cannot disagree."""

import datetime
import re
from dataclasses import dataclass, field

from django.utils import timezone
from django.utils.text import slugify

from selfassess.assessments.compare import Comparison, compare
from selfassess.assessments.models import Assessment, Response
from selfassess.assessments.selectors import (
    AssessmentView,
    LevelGroup,
    assessment_view,
    statements_by_level,
)
from selfassess.feedback.selectors import Results, latest_closed_results
from selfassess.plans import selectors as plan_selectors
from selfassess.plans.models import Action, DismissedSuggestion, ProgressUpdate

from .charts import chart_size_px, principle_chart
from .models import CoveringReport
from .selectors import covering_of

# XML 1.0 (inside .docx and .xlsx) cannot hold these control characters at all.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def xml_safe(text: str) -> str:
    """Text with the characters XML cannot carry removed; everything else kept as typed."""
    return _NOT_XML.sub("", text)


@dataclass
class PlanRow:
    action: Action
    refs: list[str]
    overdue: bool
    latest: ProgressUpdate | None = None


@dataclass
class ReportData:
    assessment: Assessment
    view: AssessmentView
    by_level: list[LevelGroup]
    actions: list[PlanRow]
    generated_on: datetime.date
    comparison: Comparison | None = None
    feedback: Results | None = None
    covering: CoveringReport | None = None
    # Statements scored below the top of the scale that no action covers.
    gaps_without_action: list[Response] = field(default_factory=list)
    # False leaves the councillors' comments, word for word, out of every format.
    include_comments: bool = True
    dismissed: list[DismissedSuggestion] = field(default_factory=list)

    @property
    def council(self):
        return self.assessment.council

    @property
    def is_draft(self) -> bool:
        return not self.assessment.is_complete

    @property
    def has_comments(self) -> bool:
        """The councillors' feedback has comments (whether or not this report shows them)."""
        return bool(self.feedback) and any(p.comments for p in self.feedback.principles)

    def chart_svg(self) -> bytes:
        return principle_chart(self.view)

    @property
    def chart_size(self) -> tuple[int, int]:
        """The chart's width and height in CSS pixels, for its <img>."""
        return chart_size_px(len(self.view.principles))

    def file_name(self, extension: str, suffix: str = "") -> str:
        """Council, assessment and date, e.g. example-district-council-baseline-2024-2024-06-12."""
        stem = slugify(f"{self.council.name} {self.assessment.title} {self.assessment.assessed_on}")
        return f"{stem}{suffix}.{extension}"


def report_data(
    assessment: Assessment,
    today: datetime.date | None = None,
    since: Assessment | None = None,
    include_comments: bool = True,
) -> ReportData:
    """The report; with `since`, an earlier assessment of the same council, it also
    carries the section "Change since <since>"; with `include_comments` False, the
    councillors' feedback without their comments."""
    today = today or timezone.localdate()
    view = assessment_view(assessment)
    comparison = None
    if since is not None:
        if since.council_id != assessment.council_id or since.pk == assessment.pk:
            raise ValueError("Compare with another assessment of the same council")
        comparison = compare(assessment_view(since), view)
    actions = list(plan_selectors.actions_for(assessment))
    latest = plan_selectors.latest_progress(assessment) if actions else {}
    rows = [
        PlanRow(a, [s.ref for s in a.statements.all()], a.is_overdue(today), latest.get(a.pk))
        for a in sorted(actions, key=_plan_order)
    ]
    covered = {ref for row in rows for ref in row.refs}
    return ReportData(
        assessment=assessment,
        view=view,
        by_level=statements_by_level(view),
        actions=rows,
        generated_on=today,
        comparison=comparison,
        feedback=latest_closed_results(assessment, view),
        covering=covering_of(assessment),
        gaps_without_action=[
            r
            for p in view.principles
            for r in p.responses
            if plan_selectors.is_gap(r.score, view.levels) and r.statement.ref not in covered
        ],
        include_comments=include_comments,
        dismissed=plan_selectors.dismissed_suggestions(assessment),
    )


def _plan_order(action: Action):
    first = min(
        ((s.principle.number, s.position) for s in action.statements.all()), default=(99, 99)
    )
    return (first, action.target_date or datetime.date.max, action.pk)


def score_rows(report: ReportData) -> list[tuple]:
    """One row per statement: principle, ref, statement, score, level, evidence, links."""
    labels = {lv.value: lv.label for lv in report.view.levels}
    return [
        (
            f"{p.principle.number}. {p.principle.title}",
            r.statement.ref,
            r.statement.text,
            r.score,
            labels.get(r.score, "Not yet scored"),
            r.evidence,
            list(r.links),
        )
        for p in report.view.principles
        for r in p.responses
    ]


PLAN_HEADERS = [
    "Action", "What will be done", "Statements", "Lead", "Partners", "Target date",
    "Priority", "Status", "Overdue", "Latest progress on", "Latest progress",
]  # fmt: skip


def plan_rows(report: ReportData) -> list[tuple]:
    """One row per action, in PLAN_HEADERS order; the dates as dates."""
    return [
        (
            row.action.title,
            row.action.description,
            row.refs,
            row.action.lead,
            row.action.partners,
            row.action.target_date,
            row.action.get_priority_display(),
            row.action.get_status_display(),
            "Yes" if row.overdue else "No",
            row.latest.on if row.latest else None,
            row.latest.text if row.latest else "",
        )
        for row in report.actions
    ]


def gap_rows(report: ReportData) -> list[tuple]:
    """One row per gap without an action: principle, ref, statement, score, level."""
    labels = {lv.value: lv.label for lv in report.view.levels}
    principles = {r.statement.ref: p.principle for p in report.view.principles for r in p.responses}
    return [
        (
            f"{principles[r.statement.ref].number}. {principles[r.statement.ref].title}",
            r.statement.ref,
            r.statement.text,
            r.score,
            labels.get(r.score, ""),
        )
        for r in report.gaps_without_action
    ]


DISMISSED_HEADERS = ["Statement", "Suggested action", "Reason", "Dismissed on"]


def dismissed_rows(report: ReportData) -> list[tuple]:
    """One row per dismissed suggestion, in DISMISSED_HEADERS order; the day as a date."""
    return [
        (d.statement.ref, d.title, d.reason, timezone.localtime(d.at).date())
        for d in report.dismissed
    ]
