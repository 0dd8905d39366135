"""Benchmarks: councils compare themselves with councils like them, and the sector sees
the national picture, without anyone being able to work out one council's answers.

A national host switches it on (`BENCHMARKS=1`). A council's admins choose to share
(`councils.Council.shares_benchmarks`, on the page `councils.views.sharing`). A snapshot
(`models.Snapshot`) is published by the task `tasks.publish_monthly` (the first of each
month, at night), by the host console's button (`tasks.publish`) or by `manage.py
compute_benchmark`; never while a page is being read. `services.publish_snapshot` counts
each sharing council's latest agreed assessment, agreed within BENCHMARK_WINDOW_MONTHS, on
the toolkit's statements matched by ref, with the councillors' survey gaps where a round's
results can be shown (`selectors.contributions`), and hands them, with the private record of
every snapshot published before, to `disclosure.compute_snapshot`, which decides which
groups (all councils, each type, each region) may be shown: only groups of at least K + 1
councils (BENCHMARK_K, 5, never below 3), so that a member never faces fewer than K others,
and none that could be worked out by subtraction, within a snapshot or between snapshots
(its docstring explains the rule and what it does not cover). A snapshot keeps its public
`content` (counts only; `formats.py` writes its JSON and CSV downloads, docs/formats.md)
and its private `record` (which contributions each shown group counted; it names councils
and never leaves the database). Snapshots are never changed or deleted.

Pages: `views.py` is the public open data (/benchmarks/, each snapshot at
/benchmarks/ID/, its downloads; `manage.py export_benchmark` writes the same files);
`selectors.comparison` is what a council's summary page shows beside its own scores, only
for the groups `disclosure.comparison_groups` lets it see, from the latest snapshot read
once per process (one small query a page, whatever the number of councils).
"""
