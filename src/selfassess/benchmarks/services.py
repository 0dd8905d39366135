"""Publishing a benchmark snapshot: the one write of this app."""

import datetime

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from selfassess.accounts.models import User
from selfassess.audit.models import Action
from selfassess.audit.services import record
from selfassess.frameworks.selectors import DEFAULT_FRAMEWORK

from . import selectors
from .disclosure import ALL, compute_snapshot
from .formats import published_content
from .models import Snapshot

# Two snapshots computed at once would each be checked against the same history and not
# against each other: PostgreSQL serialises them with this advisory lock; SQLite's write
# lock, taken when the transaction begins, does the same.
LOCK_KEY = 0x5E1FA55E


class NothingToCompare(Exception):
    """The toolkit is not loaded, so there is nothing to lay a snapshot out by."""


def publish_snapshot(
    *,
    by: User | None = None,
    request=None,
    today: datetime.date | None = None,
    toolkit: str = DEFAULT_FRAMEWORK,
) -> Snapshot:
    """Count every sharing council's latest agreed assessment, decide which groups may be
    shown (disclosure.compute_snapshot, with every snapshot published before) and publish
    the result, for ever, at its own address. Recorded in the audit log."""
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_xact_lock(%s)", [LOCK_KEY])
        now = timezone.now()
        today = today or timezone.localdate(now)
        chosen = selectors.layout(toolkit)
        if chosen is None:
            raise NothingToCompare(f"The toolkit {toolkit!r} is not loaded")
        types, regions = selectors.regions_and_types()
        result = compute_snapshot(
            selectors.contributions(chosen, today),
            principles=chosen.principles,
            k=settings.BENCHMARK_K,
            history=selectors.history(chosen.framework.slug),
            types=types,
            regions=regions,
        )
        start = selectors.agreed_from(today)
        snapshot = Snapshot.objects.create(
            created_at=now,
            toolkit=chosen.framework.slug,
            toolkit_version=chosen.framework.version,
            k=result.k,
            window_months=settings.BENCHMARK_WINDOW_MONTHS,
            agreed_from=start,
            content=published_content(
                result.groups,
                toolkit=chosen.toolkit,
                scale=chosen.scale,
                principles=chosen.principle_rows,
                k=result.k,
                window_months=settings.BENCHMARK_WINDOW_MONTHS,
                agreed_from=start,
            ),
            record=result.record.to_json(),
        )
        shown = sum(g.published for g in result.groups)
        everyone = result.group(ALL)
        counted = everyone.figures.councils if everyone and everyone.published else None
        record(
            Action.BENCHMARK_PUBLISHED,
            f"Published benchmark {snapshot.pk}: {shown} of {len(result.groups)} groups shown"
            + (f", {counted} councils counted" if counted is not None else ""),
            actor=by,
            request=request,
        )
    return snapshot
