import datetime
import math
import time

from django.conf import settings
from django.http import HttpRequest

from .middleware import session_ends_at


def product(request: HttpRequest) -> dict:
    return {"product_name": settings.PRODUCT_NAME, "benchmarks_on": settings.BENCHMARKS}


def session_timer(request: HttpRequest) -> dict:
    """When a signed-in session ends if nothing more happens: the timeout warning counts
    down to it, and pages with forms say it in words for those without JavaScript."""
    ends_at = session_ends_at(request)
    if ends_at is None:
        return {}
    return {
        "session_timer": {
            "ends_in": max(0, math.ceil(ends_at - time.time())),
            "ends_at": datetime.datetime.fromtimestamp(ends_at, tz=datetime.UTC),
            "warn_before": settings.SESSION_WARNING_SECONDS,
        }
    }
