"""Reads of the toolkit: which version is current, and a framework with its parts."""

from django.db.models import Prefetch, QuerySet

from .models import Framework, Principle, Statement

DEFAULT_FRAMEWORK = "lga-ending-abuse"


def current_framework(slug: str = DEFAULT_FRAMEWORK) -> Framework | None:
    """The newest loaded version of a toolkit (versions sort as dates, e.g. 2024-06)."""
    return Framework.objects.filter(slug=slug).order_by("-version").first()


def principles_with_statements(framework: Framework) -> QuerySet[Principle]:
    """The framework's principles in order, each with its statements: two queries."""
    return framework.principles.order_by("number").prefetch_related(
        Prefetch("statements", queryset=Statement.objects.order_by("position"))
    )
