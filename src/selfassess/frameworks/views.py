"""The toolkit's own pages: its introduction, principles, statements and scale."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from .selectors import current_framework, framework_parts, principles_with_statements


def toolkit(request: HttpRequest) -> HttpResponse:
    framework = current_framework()
    context = {"framework": framework}
    if framework is not None:
        parts = framework_parts(framework)
        context |= {
            "principles": list(principles_with_statements(framework)),
            "levels": list(parts.levels),
            "principle_max": parts.principle_maximum,
            "overall_max": parts.maximum(len(parts.statements)),
        }
    return render(request, "frameworks/toolkit.html", context)
