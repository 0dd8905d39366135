"""The benchmark phases. bench/run.py runs each in its own process, against its own fresh
database (a new SQLite file, or a throwaway PostgreSQL server from scripts/with-postgres):

    python -m bench.phases PHASE --config CONFIG.json --out RESULT.json

Phases: load (pages under HTTP load, worker memory), survey (the councillors' spike),
reports (Word, PDF, Excel generation), queries (query counts per page as data grows),
scaling (council trend page; cross-council aggregate over 100 to 10,000 councils),
benchmarks (a national host's snapshot and the summary page's added cost, 100 to 10,000
councils), profile (pyinstrument, for targets that were missed).
"""

from __future__ import annotations

import argparse
import asyncio
import datetime
import json
import os
import random
import signal
import sys
import time
from pathlib import Path

from . import djsetup
from .stats import loadavg, median


def _timed(fn, runs: int) -> tuple[float, list[float]]:
    """(first run, the following `runs` runs) in seconds."""
    t0 = time.perf_counter()
    fn()
    cold = time.perf_counter() - t0
    warm = []
    for _ in range(runs):
        t0 = time.perf_counter()
        fn()
        warm.append(time.perf_counter() - t0)
    return cold, warm


def _close_db() -> None:
    from django.db import connections

    connections.close_all()


def _log_dir(cfg: dict, phase: str) -> str:
    """gunicorn's logs go beside the results, where they outlive the phase."""
    path = Path(cfg["results_dir"]) / f"gunicorn-{phase}-{os.environ.get('BENCH_DB', 'db')}"
    path.mkdir(parents=True, exist_ok=True)
    return str(path)


# --- load: pages under HTTP load -----------------------------------------------------


def phase_load(cfg: dict) -> dict:
    from .generate import generate
    from .httpload import run_load
    from .server import Gunicorn

    djsetup.migrate()
    gen = generate(
        councils=cfg["users"],
        assessments=cfg["load_assessments"],
        actions=cfg["load_actions"],
        feedback=cfg["load_feedback"],
        feedback_councils=cfg["users"],
        feedback_bulk=True,
        prefix="load",
    )
    accounts = [
        {
            "email": gen.editors[slug],
            "password": gen.password,
            "slug": slug,
            "assessment_id": gen.current(slug),
        }
        for slug in gen.council_slugs
    ]
    _close_db()
    out = {
        "database": djsetup.database_label(),
        "generated": gen.rows,
        "generate_seconds": round(gen.seconds, 1),
    }
    _close_db()
    with Gunicorn(
        workers=cfg["workers"],
        worker_class=cfg["worker_class"],
        threads=cfg["threads"],
        log_dir=_log_dir(cfg, "load"),
    ) as server:
        out["server"] = {"command": " ".join(server.command[1:]), "workers": cfg["workers"]}
        out["memory_before"] = server.memory()
        out |= asyncio.run(
            run_load(
                base_url=server.url,
                accounts=accounts,
                worker_pids=server.worker_pids,
                users=cfg["users"],
                duration=cfg["duration"],
                browse_duration=cfg["browse_duration"],
                think=cfg["think"],
                warmup=cfg["warmup"],
            )
        )
        out["memory_after"] = server.memory()
        out["server_log_tail"] = server.log_tail(15)
    from django.conf import settings

    out["password_hasher"] = settings.PASSWORD_HASHERS[0].rsplit(".", 1)[-1]
    out["import_memory"] = _import_memory()
    return out


def _import_memory() -> list[dict]:
    """bench/importmem.py in a fresh process: what a worker's memory is made of."""
    import subprocess

    done = subprocess.run(  # noqa: S603 - our own fixed command
        [sys.executable, "-m", "bench.importmem"],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    try:
        return json.loads(done.stdout)
    except ValueError:
        return [{"step": "failed", "rss_mib": 0, "error": done.stderr[-500:]}]


# --- survey: the councillors' spike --------------------------------------------------


def phase_survey(cfg: dict) -> dict:
    from .generate import generate, open_survey_round
    from .server import Gunicorn
    from .survey import run_spike

    djsetup.migrate()
    gen = generate(councils=1, assessments=1, actions=20, prefix="survey")
    info = open_survey_round(gen.current(gen.council_slugs[0]))
    _close_db()
    out = {"database": djsetup.database_label()}
    env = {}
    if cfg["survey_tickets_per_hour"] != "default":
        # Every simulated phone comes from 127.0.0.1; the app allows
        # SURVEY_TICKETS_PER_HOUR code entries per address per hour.
        env["SURVEY_TICKETS_PER_HOUR"] = str(cfg["survey_tickets_per_hour"])
    out["survey_tickets_per_hour"] = cfg["survey_tickets_per_hour"]
    with Gunicorn(
        workers=cfg["workers"],
        worker_class=cfg["worker_class"],
        threads=cfg["threads"],
        env=env,
        log_dir=_log_dir(cfg, "survey"),
    ) as server:
        out["memory_before"] = server.memory()
        out |= asyncio.run(
            run_spike(
                base_url=server.url,
                public_id=info["public_id"],
                code=info["access_code"],
                worker_pids=server.worker_pids,
                n=cfg["survey_n"],
                window=cfg["survey_window"],
                concurrency=cfg["survey_concurrency"],
                grace=cfg["survey_grace"],
            )
        )
        out["memory_after"] = server.memory()
        out["server_log_tail"] = server.log_tail(15)

    from selfassess.feedback.models import Ballot, SurveyResponse

    rows = SurveyResponse.objects.filter(round_id=info["id"]).count()
    answered = Ballot.objects.filter(round_id=info["id"], answered=True).count()
    drafts_left = (
        Ballot.objects.filter(round_id=info["id"], answered=True).exclude(draft=b"").count()
    )
    out["database_after"] = {
        "survey_responses": rows,
        "ballots_answered": answered,
        "ballots": Ballot.objects.filter(round_id=info["id"]).count(),
        "answered_ballots_with_draft_left": drafts_left,
        # A councillor told "sent" whose answers are not in the table.
        "lost": max(0, out["submitted"] - rows),
        # Rows for councillors whose submit the client saw fail (not an error in itself:
        # a response stored while the reply was lost).
        "stored_but_not_confirmed": max(0, rows - out["submitted"]),
    }
    return out


# --- reports: Word, PDF, Excel -------------------------------------------------------


def phase_reports(cfg: dict) -> dict:
    from selfassess.assessments.models import Assessment
    from selfassess.reports.context import report_data
    from selfassess.reports.formats import FORMATS

    from .generate import generate

    djsetup.migrate()
    gen = generate(
        councils=1,
        assessments=2,
        actions=cfg["report_actions"],
        feedback=cfg["report_feedback"],
        feedback_bulk=False,  # through personal links + submit, as councillors do
        prefix="report",
    )
    assessment = Assessment.objects.select_related("council", "framework").get(
        pk=gen.current(gen.council_slugs[0])
    )
    runs = cfg["report_runs"]
    out: dict = {
        "database": djsetup.database_label(),
        "generate_seconds": round(gen.seconds, 1),
        "generated": gen.rows,
        "runs": runs,
    }
    cold, warm = _timed(lambda: report_data(assessment), runs)
    data = report_data(assessment)
    out["report_data"] = {
        "cold_s": round(cold, 4),
        "median_s": round(median(warm), 4),
        "runs_s": [round(x, 4) for x in warm],
    }
    out["content"] = {
        "statements": sum(len(p.responses) for p in data.view.principles),
        "actions": len(data.actions),
        "feedback_responses": data.feedback.responses if data.feedback else 0,
    }
    formats = {}
    for key in cfg["report_formats"]:
        fmt = FORMATS[key]
        cold, warm = _timed(lambda fmt=fmt: fmt.render(data), runs)
        size = len(fmt.render(data))
        pages = _pdf_pages(fmt.render(data)) if key == "pdf" else None
        formats[key] = {
            "pages": pages,
            "cold_s": round(cold, 4),
            "median_s": round(median(warm), 4),
            "min_s": round(min(warm), 4),
            "max_s": round(max(warm), 4),
            "runs_s": [round(x, 4) for x in warm],
            "bytes": size,
            # What a download costs: gathering the report plus rendering it.
            "with_report_data_median_s": round(median(warm) + out["report_data"]["median_s"], 4),
        }
    out["formats"] = formats
    out["loadavg_after"] = loadavg()
    return out


def _pdf_pages(pdf: bytes) -> int | None:
    """The PDF's page count, with pypdf when it is installed (a dev dependency)."""
    try:
        import io

        from pypdf import PdfReader
    except ImportError:
        return None
    return len(PdfReader(io.BytesIO(pdf)).pages)


# --- queries: counts per page as the data grows --------------------------------------

QUERY_PAGES = {
    "task list": "",
    "principle page": "principles/1/",
    "summary": "summary/",
    "plan": "plan/",
    "report (on screen)": "report/",
}


def _count(client, method: str, path: str, data=None, expect=(200,)) -> tuple[int, float]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as ctx:
        t0 = time.perf_counter()
        response = client.post(path, data) if method == "POST" else client.get(path)
        elapsed = time.perf_counter() - t0
    if response.status_code not in expect:
        raise RuntimeError(f"{method} {path}: HTTP {response.status_code}")
    return len(ctx.captured_queries), elapsed


def _save_form(client, path: str, n: int) -> dict:
    """The principle page's form, filled in as a person changing every statement."""
    from .httpload import HIDDEN, csrf_from

    html = client.get(path).content.decode()
    data = {"csrfmiddlewaretoken": csrf_from(html), "return": "1"}
    for prefix, kind, value in HIDDEN.findall(html):
        data[f"{prefix}-{kind}"] = value
        if kind == "version":
            data[f"{prefix}-score"] = str(n % 3)
            data[f"{prefix}-evidence"] = f"Evidence, save {n}"
            data[f"{prefix}-links"] = f"https://bench.example/{n}"
    return data


def phase_queries(cfg: dict) -> dict:
    from django.test import Client

    from selfassess.accounts.models import User

    from .generate import generate

    djsetup.migrate()
    cells = [(a, x) for x in cfg["query_assessments"] for a in cfg["query_actions"]]
    results = {}
    for actions, assessments in cells:
        gen = generate(
            councils=1,
            assessments=assessments,
            actions=actions,
            actions_on_all=True,
            feedback=cfg["query_feedback"],
            feedback_bulk=True,
            prefix=f"q{actions}x{assessments}",
        )
        slug = gen.council_slugs[0]
        client = Client()
        client.force_login(User.objects.get(email=gen.editors[slug]))
        base = f"/councils/{slug}/assessments/{gen.current(slug)}/"
        for page, tail in QUERY_PAGES.items():
            client.get(base + tail)  # warm
            n, _ = _count(client, "GET", base + tail)
            results.setdefault(page, {})[f"{actions} actions, {assessments} assessments"] = n
        client.get(f"/councils/{slug}/")
        n, _ = _count(client, "GET", f"/councils/{slug}/")
        results.setdefault("council page (trend)", {})[
            f"{actions} actions, {assessments} assessments"
        ] = n
        data = _save_form(client, base + "principles/1/", 1)
        n, _ = _count(client, "POST", base + "principles/1/", data, expect=(302,))
        results.setdefault("save principle (POST, 5 statements changed)", {})[
            f"{actions} actions, {assessments} assessments"
        ] = n
    rows = {
        page: {"counts": counts, "grows": len(set(counts.values())) > 1}
        for page, counts in results.items()
    }
    return {
        "database": djsetup.database_label(),
        "columns": [f"{a} actions, {x} assessments" for a, x in cells],
        "survey_responses_per_round": cfg["query_feedback"],
        "pages": rows,
    }


# --- scaling: the council trend page; the cross-council aggregate ---------------------


def phase_scaling(cfg: dict) -> dict:
    from django.db import connection
    from django.test import Client

    from selfassess.accounts.models import User

    from .aggregate import mean_score_by_statement_and_council_type, query_sql
    from .generate import generate

    djsetup.migrate()
    out: dict = {"database": djsetup.database_label(), "aggregate": []}
    runs = cfg["aggregate_runs"]
    made = 0
    for size in cfg["aggregate_sizes"]:
        t0 = time.perf_counter()
        while made < size:
            step = min(size - made, 2000)
            generate(
                councils=step,
                assessments=1,
                actions=0,
                editors=False,
                history=False,
                prefix="agg",
                start=made,
                seed=3,
            )
            made += step
        gen_s = time.perf_counter() - t0
        with connection.cursor() as cur:
            cur.execute("ANALYZE")
        cold, warm = _timed(mean_score_by_statement_and_council_type, runs)
        rows = mean_score_by_statement_and_council_type()
        out["aggregate"].append(
            {
                "councils": size,
                "responses": size * 25,
                "generate_s": round(gen_s, 1),
                "cold_ms": round(cold * 1000, 1),
                "median_ms": round(median(warm) * 1000, 1),
                "min_ms": round(min(warm) * 1000, 1),
                "runs_ms": [round(x * 1000, 1) for x in warm],
                "result_rows": len(rows),
            }
        )
    for before, after in zip(out["aggregate"], out["aggregate"][1:], strict=False):
        after["growth_vs_previous"] = round(after["median_ms"] / before["median_ms"], 2)
        after["size_factor"] = after["councils"] / before["councils"]
    out["aggregate_sql"] = query_sql()
    with connection.cursor() as cur:
        sql, params = _aggregate_sql_params()
        if connection.vendor == "postgresql":
            cur.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql, params)
        else:
            cur.execute("EXPLAIN QUERY PLAN " + sql, params)
        out["aggregate_plan"] = [" ".join(str(c) for c in row) for row in cur.fetchall()]

    # The council page, whose trend covers every assessment, with 1 and 10 assessments
    # (each with a plan), among all the councils above.
    trend = {}
    for assessments in cfg["trend_assessments"]:
        gen = generate(
            councils=1,
            assessments=assessments,
            actions=cfg["trend_actions"],
            actions_on_all=True,
            prefix=f"trend{assessments}",
        )
        slug = gen.council_slugs[0]
        client = Client()
        client.force_login(User.objects.get(email=gen.editors[slug]))
        row = {}
        for label, path in (
            ("council page", f"/councils/{slug}/"),
            ("trend chart (SVG)", f"/councils/{slug}/assessments/trend.svg"),
        ):
            cold, warm = _timed(
                lambda path=path, client=client: _count(client, "GET", path), cfg["trend_runs"]
            )
            n, _ = _count(client, "GET", path)  # after the first request's session work
            row[label] = {
                "queries": n,
                "cold_ms": round(cold * 1000, 1),
                "median_ms": round(median(warm) * 1000, 1),
            }
        trend[f"{assessments} assessments"] = row
    out["trend"] = trend
    out["survey_submit"] = _submit_cost(cfg["submit_round_sizes"], cfg["submit_runs"])
    out["loadavg_after"] = loadavg()
    return out


def _submit_cost(sizes: list[int], runs: int) -> list[dict]:
    """What one councillor's submission costs (feedback.services.shared_ticket + submit,
    in-process) in a round that already holds `size` answered ballots. It should not
    grow with the round (an earlier version rewrote every ballot on each submission)."""
    from selfassess.feedback import services as feedback_services
    from selfassess.feedback import tokens
    from selfassess.feedback.models import Ballot, Round

    from .generate import generate, open_survey_round, survey_answers

    gen = generate(councils=1, assessments=1, actions=0, prefix="submitcost")
    out = []

    rng = random.Random(5)  # noqa: S311 - benchmark data, not secrets
    refs = [f"{p}.{s}" for p in range(1, 6) for s in range(1, 6)]
    for size in sizes:
        info = open_survey_round(gen.current(gen.council_slugs[0]))
        round_ = Round.objects.get(pk=info["id"])
        Ballot.objects.bulk_create(
            (
                # Invitations, not shared-link tickets: a round hands out at most
                # SURVEY_SHARED_MAX tickets, and the runs below take theirs from it.
                Ballot(
                    round=round_,
                    kind=Ballot.Kind.INVITED,
                    email=f"councillor{i}@example.org",
                    token_hash=tokens.token_hash(tokens.new_token()),
                    answered=True,
                )
                for i in range(size)
            ),
            batch_size=2000,
        )
        survey = round_.assessment.framework.survey
        times = []
        for _ in range(runs):
            token = feedback_services.shared_ticket(info["public_id"], info["access_code"])
            answers = survey_answers(rng, refs, survey)
            t0 = time.perf_counter()
            feedback_services.submit(token, answers)
            times.append(time.perf_counter() - t0)
        out.append(
            {
                "ballots_in_round": size,
                "median_ms": round(median(times) * 1000, 2),
                "max_ms": round(max(times) * 1000, 2),
            }
        )
    return out


def _aggregate_sql_params():
    from .aggregate import aggregate_queryset

    return aggregate_queryset().query.sql_with_params()


# --- profile: where the time goes ----------------------------------------------------


def phase_profile(cfg: dict) -> dict:
    """Profile each target in-process with pyinstrument: pages through Django's test
    client (no HTTP, no gunicorn), a principle save, report formats, one councillor's
    whole survey. Only the measured step is profiled (not the set-up around it)."""
    from django.test import Client
    from pyinstrument import Profiler

    from selfassess.accounts.models import User
    from selfassess.assessments.models import Assessment
    from selfassess.reports.context import report_data
    from selfassess.reports.formats import FORMATS

    from .generate import generate
    from .profiling import by_area

    djsetup.migrate()
    gen = generate(
        councils=1,
        assessments=cfg["load_assessments"],
        actions=cfg["load_actions"],
        feedback=cfg["load_feedback"],
        feedback_bulk=True,
        prefix="profile",
    )
    slug = gen.council_slugs[0]
    client = Client()
    client.force_login(User.objects.get(email=gen.editors[slug]))
    base = f"/councils/{slug}/assessments/{gen.current(slug)}/"
    assessment = Assessment.objects.select_related("council", "framework").get(pk=gen.current(slug))
    out_dir = Path(cfg["profile_dir"])
    out_dir.mkdir(parents=True, exist_ok=True)
    pages = {
        "task list": "",
        "principle": "principles/1/",
        "summary": "summary/",
        "plan": "plan/",
        "trivial": None,
    }
    iterations = cfg["profile_iterations"]
    results = {}
    for target in cfg["profile_targets"]:
        kind, _, name = target.partition(":")
        # A coarser interval for the report libraries: their deep stacks make sampling
        # every 0.5 ms cost more than the work itself.
        profiler = Profiler(interval=0.005 if kind == "report" else 0.0005)
        steps = iterations
        if kind == "page":
            path = "/accounts/login/" if pages[name] is None else base + pages[name]
            c = Client() if pages[name] is None else client
            c.get(path)
            for _ in range(iterations):
                profiler.start()
                c.get(path)
                profiler.stop()
        elif kind == "save":
            path = base + "principles/1/"
            for i in range(iterations):
                data = _save_form(client, path, i)
                profiler.start()
                client.post(path, data)
                profiler.stop()
        elif kind == "report":
            data = report_data(assessment)
            FORMATS[name].render(data)
            steps = 2
            for _ in range(steps):
                profiler.start()
                FORMATS[name].render(report_data(assessment))
                profiler.stop()
        elif kind == "survey":
            steps = max(3, iterations // 3)
            _profile_survey(gen, steps, profiler)
        else:
            raise ValueError(f"unknown profile target {target}")
        session = profiler.last_session
        safe = target.replace(":", "-").replace(" ", "_")
        tree = profiler.output_text(unicode=False, color=False, show_all=False)
        (out_dir / f"{safe}.txt").write_text(tree)
        session.save(str(out_dir / f"{safe}.pyisession"))  # pyinstrument --load-prev
        results[target] = {
            "tree_file": str(out_dir / f"{safe}.txt"),
            "steps": steps,
            "ms_per_step": round(1000 * session.duration / steps, 1),
            "areas": by_area(session),
            "tree_head": _tree_head(tree, 45),
        }
    return {"database": djsetup.database_label(), "profiles": results}


def _tree_head(tree: str, lines: int) -> list[str]:
    body = [line for line in tree.splitlines() if line.strip()]
    start = next((i for i, line in enumerate(body) if line.lstrip()[:1].isdigit()), 0)
    return body[start : start + lines]


def _profile_survey(gen, steps: int, profiler) -> None:
    """One councillor's whole survey (18 requests), in-process, `steps` times."""
    from django.test import Client

    from .generate import open_survey_round

    info = open_survey_round(gen.current(gen.council_slugs[0]))
    for i in range(steps):
        profiler.start()
        c = Client()
        shared = f"/survey/shared/{info['public_id']}/"
        c.get(shared)
        r = c.post(shared, {"code": info["access_code"]})
        base = r["Location"]
        c.get(base)
        c.get(f"{base}page/1/")
        for page in range(1, 7):
            data = {f"s{page}.{k}": str((i + k) % 3) for k in range(1, 6)} if page <= 5 else {}
            r = c.post(f"{base}page/{page}/", data)
            c.get(r["Location"])
        r = c.post(f"{base}check/")
        c.get(r["Location"])
        profiler.stop()


# --- benchmarks: a national host's snapshot, and what it adds to a summary page -----------


def phase_benchmarks(cfg: dict) -> dict:
    """Councils as a national host holds them (a region each, sharing in benchmarks, two
    agreed assessments and a closed councillor survey round each), growing through
    `benchmark_sizes`: at each size, publishing a snapshot (services.publish_snapshot, with
    every earlier snapshot as its history, as the monthly task runs it), and the summary
    page of one council with benchmarks on and off, in-process (Django test client),
    interleaved so that the machine's load falls on both alike."""
    import tracemalloc

    from django.conf import settings
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from selfassess.accounts.models import User
    from selfassess.benchmarks import selectors, services
    from selfassess.benchmarks.models import Snapshot

    from .generate import closed_rounds, generate

    djsetup.migrate()
    settings.BENCHMARKS = True
    runs = cfg["benchmark_runs"]
    out: dict = {
        "database": djsetup.database_label(),
        "k": settings.BENCHMARK_K,
        "survey_answers": settings.SURVEY_MIN_RESPONSES,
        "sizes": [],
    }
    made = 0
    page = None
    for size in cfg["benchmark_sizes"]:
        t0 = time.perf_counter()
        while made < size:
            step = min(size - made, 2000)
            gen = generate(
                councils=step,
                assessments=2,
                actions=0,
                editors=page is None,
                history=False,
                evidence_words=0,
                prefix="nat",
                start=made,
                seed=5,
                all_agreed=True,
                national=True,
            )
            closed_rounds(
                [chain[-1] for chain in gen.assessments.values()],
                answers=settings.SURVEY_MIN_RESPONSES,
                seed=made,
            )
            if page is None:
                slug = gen.council_slugs[1]  # a district council
                page = (gen.editors[slug], f"/councils/{slug}/assessments/{gen.current(slug)}/")
            made += step
        gen_s = time.perf_counter() - t0
        with connection.cursor() as cur:
            cur.execute("ANALYZE")

        t0 = time.perf_counter()
        snapshot = services.publish_snapshot()
        publish_s = time.perf_counter() - t0
        groups = snapshot.content["groups"]
        everyone = next(g for g in groups if g["group"] == "all")

        client = Client()
        client.force_login(User.objects.get(email=page[0]))
        path = page[1] + "summary/"

        def get(on: bool, client=client, path=path) -> tuple[float, float, int, str]:
            settings.BENCHMARKS = on
            c0, w0 = time.process_time(), time.perf_counter()
            with CaptureQueriesContext(connection) as queries:
                response = client.get(path)
            cpu, wall = time.process_time() - c0, time.perf_counter() - w0
            assert response.status_code == 200, response.status_code
            return cpu, wall, len(queries), response.content.decode()

        _, cold_wall, _, body = get(True)  # the first page after a new snapshot reads it
        assert "Compared with other councils" in body
        get(False)
        on, off = [], []
        for _ in range(runs):
            off.append(get(False)[:3])
            on.append(get(True)[:3])
        added_cpu = [a[0] - b[0] for a, b in zip(on, off, strict=True)]
        row = Snapshot.objects.get(pk=snapshot.pk)
        tracemalloc.start()
        copy = selectors._parse(row)  # what each process keeps of the latest snapshot
        kept = tracemalloc.get_traced_memory()[0]
        tracemalloc.stop()
        del copy
        out["sizes"].append(
            {
                "councils": size,
                "responses": size * 2 * 25,
                "generate_s": round(gen_s, 1),
                "publish_s": round(publish_s, 2),
                "councils_counted": everyone["councils"],
                "groups_shown": sum(g["shown"] for g in groups),
                "groups": len(groups),
                "survey_gap_groups_shown": sum(
                    bool(g["survey_gap"] and g["survey_gap"]["shown"]) for g in groups
                ),
                "record_kib": round(len(row.record) / 1024),
                "page_memory_mib": round(kept / 2**20, 1),
                "first_page_after_snapshot_ms": round(cold_wall * 1000, 1),
                "page_off_cpu_ms": round(median([r[0] for r in off]) * 1000, 2),
                "page_on_cpu_ms": round(median([r[0] for r in on]) * 1000, 2),
                "page_off_wall_ms": round(median([r[1] for r in off]) * 1000, 2),
                "page_on_wall_ms": round(median([r[1] for r in on]) * 1000, 2),
                "added_cpu_ms": round(median(added_cpu) * 1000, 2),
                "queries_off": off[-1][2],
                "queries_on": on[-1][2],
            }
        )
        print(f"benchmarks: {out['sizes'][-1]}", flush=True)
    settings.BENCHMARKS = False
    out["loadavg_after"] = loadavg()
    return out


def phase_queue(cfg: dict) -> dict:
    from .queue import phase_queue as run

    return run(cfg)


PHASES = {
    "benchmarks": phase_benchmarks,
    "queue": phase_queue,
    "load": phase_load,
    "survey": phase_survey,
    "reports": phase_reports,
    "queries": phase_queries,
    "scaling": phase_scaling,
    "profile": phase_profile,
}


def _terminate(signum, frame):
    raise SystemExit(128 + signum)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("phase", choices=sorted(PHASES))
    parser.add_argument("--config", required=True)
    parser.add_argument("--out", required=True)
    args = parser.parse_args(argv)
    signal.signal(signal.SIGTERM, _terminate)  # so `with Gunicorn(...)` stops the server
    cfg = json.loads(Path(args.config).read_text())
    djsetup.setup()
    started = datetime.datetime.now(datetime.UTC)
    t0 = time.perf_counter()
    result = PHASES[args.phase](cfg)
    result["phase_seconds"] = round(time.perf_counter() - t0, 1)
    result["started_utc"] = started.isoformat(timespec="seconds")
    Path(args.out).write_text(json.dumps(result, indent=2, default=str))
    return 0


if __name__ == "__main__":
    sys.exit(main())
