"""Reads of the toolkit: which version is current, and a framework's parts.

A loaded framework is never edited (models.py), so its parts are read from the database
once per process and shared by every request (framework_parts)."""

import re
import threading
from dataclasses import dataclass

from django.db.models import Prefetch, QuerySet

from .models import Framework, Principle, ScaleLevel, Statement

DEFAULT_FRAMEWORK = "lga-ending-abuse"


def version_key(version: str) -> tuple:
    """How versions sort: as dates, with numbers compared as numbers, so 2024-06 comes
    before 2024-06.1, 2024-06.2 before 2024-06.10, and both before 2024-07."""
    return tuple(
        (0, int(part), "") if part.isdigit() else (1, 0, part)
        for part in re.findall(r"[0-9]+|[^0-9._-]+", version)
    )


def current_framework(slug: str = DEFAULT_FRAMEWORK) -> Framework | None:
    """The newest loaded version of a toolkit, by version_key (one query over its
    versions, which are few)."""
    return max(
        Framework.objects.filter(slug=slug),
        key=lambda f: version_key(f.version),
        default=None,
    )


def principles_with_statements(framework: Framework) -> QuerySet[Principle]:
    """The framework's principles in order, each with its statements: two queries."""
    return framework.principles.order_by("number").prefetch_related(
        Prefetch("statements", queryset=Statement.objects.order_by("position"))
    )


@dataclass(frozen=True)
class FrameworkParts:
    """A toolkit version's scale, principles and statements, in order. Shared by every
    request of a process: read it, never change it."""

    levels: tuple[ScaleLevel, ...]
    principles: tuple[Principle, ...]
    statements: dict[int, Statement]  # by pk, in principle and position order

    @property
    def top(self) -> int:
        """The scale's highest value (2, Comprehensive, in the LGA toolkit)."""
        return self.levels[-1].value if self.levels else 0

    @property
    def values(self) -> tuple[int, ...]:
        return tuple(level.value for level in self.levels)

    def maximum(self, statements: int) -> int:
        """The most that `statements` statements can score: the one rule for a maximum
        (10 for a principle of five statements, 50 for the toolkit)."""
        return self.top * statements

    @property
    def principle_maximum(self) -> int:
        """The most any one principle can score."""
        sizes = [
            sum(1 for s in self.statements.values() if s.principle_id == p.pk)
            for p in self.principles
        ]
        return self.maximum(max(sizes, default=0))


_PARTS: dict[tuple, FrameworkParts] = {}
_PARTS_LOCK = threading.Lock()


def framework_key(framework: Framework) -> tuple:
    """What identifies a loaded framework for a per-process cache: the id, and the
    content hash and load time too, so a framework deleted and loaded again under the
    same id (tests do) is a new key."""
    return (framework.pk, framework.content_hash, framework.loaded_at)


def framework_parts(framework: Framework) -> FrameworkParts:
    """The framework's parts, read from the database once per process, under
    framework_key."""
    key = framework_key(framework)
    parts = _PARTS.get(key)
    if parts is None:
        principles = tuple(Principle.objects.filter(framework=framework).order_by("number"))
        by_pk = {p.pk: p for p in principles}
        statements = list(
            Statement.objects.filter(framework=framework).order_by("principle__number", "position")
        )
        for statement in statements:
            statement.principle = by_pk[statement.principle_id]
        parts = FrameworkParts(
            levels=tuple(ScaleLevel.objects.filter(framework=framework).order_by("value")),
            principles=principles,
            statements={s.pk: s for s in statements},
        )
        with _PARTS_LOCK:
            _PARTS[key] = parts
    return parts
