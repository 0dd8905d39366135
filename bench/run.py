"""Self-Assess benchmarks: the single entry point (`make bench`). Not part of `make test`.

    .venv/bin/python bench/run.py            # the full run, about 10 minutes
    .venv/bin/python bench/run.py --quick    # a smaller run, about 4-5 minutes
    .venv/bin/python bench/run.py --phases reports,queries --postgres-phases none

Each phase runs in its own process against its own fresh database: a new SQLite file in
a temporary directory, or (for --postgres-phases) a throwaway PostgreSQL server started
by scripts/with-postgres. Phases that serve HTTP start gunicorn with several workers and
DEBUG off, load it from the phase's process over loopback, and stop it when done. Every
process started here is stopped at the end, on error and on Ctrl-C too.

Results: RESULTS_DIR/results.json (everything measured), RESULTS_DIR/summary.md (tables,
each target met or missed) and RESULTS_DIR/profiles/ (pyinstrument, for missed targets).
Targets are compared, never asserted: the exit status is 0 unless a phase failed.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime
import json
import os
import platform
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from bench import report  # noqa: E402

ALL_PHASES = ["load", "survey", "reports", "queries", "scaling", "queue"]
# Phases that run only when asked for, or on PostgreSQL ('auto'): benchmarks is about a
# national host, whose database is PostgreSQL.
OTHER_PHASES = ["benchmarks"]

FULL = {
    "users": 20,
    "duration": 10.0,
    "browse_duration": 30.0,
    "think": 1.0,
    "warmup": 3.0,
    "workers": 4,
    "worker_class": "sync",
    "threads": 1,
    "load_assessments": 3,
    "load_actions": 100,
    "load_feedback": 50,
    "survey_n": 1000,
    "survey_window": 120.0,
    "survey_concurrency": 0,
    "survey_tickets_per_hour": 1_000_000,
    "survey_grace": 240.0,
    "report_actions": 20,
    "report_feedback": 1000,
    "report_runs": 5,
    "report_formats": ["docx", "pdf", "xlsx", "csv"],
    "query_actions": [1, 100],
    "query_assessments": [1, 10],
    "query_feedback": 20,
    "aggregate_sizes": [100, 1000, 10000],
    "aggregate_runs": 5,
    "trend_assessments": [1, 10],
    "trend_actions": 20,
    "trend_runs": 10,
    "submit_round_sizes": [10, 100, 1000, 10000],
    "submit_runs": 20,
    "queue_invitations": 1000,
    "profile_iterations": 30,
    "benchmark_sizes": [100, 1000, 10000],
    "benchmark_runs": 30,
}

QUICK = FULL | {
    "duration": 4.0,
    "browse_duration": 8.0,
    "warmup": 1.0,
    "survey_n": 150,
    "survey_window": 20.0,
    "survey_grace": 60.0,
    "report_feedback": 100,
    "report_runs": 3,
    "aggregate_sizes": [100, 1000],
    "aggregate_runs": 3,
    "trend_runs": 3,
    "submit_round_sizes": [10, 1000],
    "submit_runs": 5,
    "profile_iterations": 10,
    "benchmark_sizes": [100, 1000],
    "benchmark_runs": 15,
}

PHASE_TIMEOUT = {
    "load": 900,
    "survey": 900,
    "reports": 600,
    "queries": 600,
    "scaling": 900,
    "queue": 1200,
    "benchmarks": 1800,
    "profile": 600,
}


def _parse_list(value: str) -> list[str]:
    return [] if value in {"", "none"} else [v.strip() for v in value.split(",") if v.strip()]


def postgres_available() -> bool:
    if shutil.which("initdb") and shutil.which("pg_ctl"):
        return True
    return any(Path("/usr/lib/postgresql").glob("*/bin/initdb"))


def code_version() -> dict:
    """The commit measured, and whether src/ differed from it (read-only git)."""

    def git(*args: str) -> str:
        git_bin = shutil.which("git") or "git"
        done = subprocess.run(  # noqa: S603 - read-only git commands
            [git_bin, *args], cwd=REPO, capture_output=True, text=True, check=False
        )
        return done.stdout.strip()

    changed = [line for line in git("status", "--porcelain", "--", "src").splitlines() if line]
    return {
        "commit": git("rev-parse", "--short", "HEAD"),
        "subject": git("log", "-1", "--format=%s"),
        "src_files_changed_since_commit": len(changed),
    }


def calibrate() -> float:
    """Milliseconds for a fixed pure-Python loop (best of 5), to compare machines."""
    best = float("inf")
    for _ in range(5):
        t0 = time.perf_counter()
        sum(i * i for i in range(1_000_000))
        best = min(best, time.perf_counter() - t0)
    return round(best * 1000, 1)


def machine() -> dict:
    mem = ""
    try:
        with open("/proc/meminfo") as f:
            total_kib = int(f.readline().split()[1])
        mem = f"{total_kib / 1024 / 1024:.1f} GiB"
    except OSError:
        pass
    cpu = ""
    try:
        with open("/proc/cpuinfo") as f:
            cpu = next(
                (line.split(":", 1)[1].strip() for line in f if line.startswith("model name")), ""
            )
    except OSError:
        pass
    return {
        "cores": os.cpu_count(),
        "memory": mem,
        "cpu": cpu,
        "python": platform.python_version(),
        "platform": platform.platform(),
        "python_loop_ms": calibrate(),
        "loadavg_at_start": open("/proc/loadavg").read().split()[:3]
        if Path("/proc/loadavg").exists()
        else [],
    }


class PhaseFailed(RuntimeError):
    pass


def run_phase(name: str, cfg: dict, out_dir: Path, *, postgres: bool) -> dict:
    """Run one phase in its own process (and process group) with a fresh database."""
    work = Path(tempfile.mkdtemp(prefix=f"selfassess-bench-{name}-"))
    label = f"{name} ({'PostgreSQL' if postgres else 'SQLite'})"
    result_file = out_dir / f"{name}-{'postgres' if postgres else 'sqlite'}.json"
    config_file = work / "config.json"
    config_file.write_text(json.dumps(cfg))
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"} | {
        "VAR_DIR": str(work),
        "SQLITE_PATH": str(work / "bench.sqlite3"),
        "SECRET_KEY": secrets.token_urlsafe(50),
        "DEBUG": "0",
        "PYTHONPATH": os.pathsep.join([str(REPO), str(REPO / "src")]),
        "PYTHONUNBUFFERED": "1",
        "BENCH_DB": "postgres" if postgres else "sqlite",
    }
    env.pop("ALLOWED_HOSTS", None)  # the test client's "testserver" must pass
    cmd = [
        sys.executable,
        "-m",
        "bench.phases",
        name,
        "--config",
        str(config_file),
        "--out",
        str(result_file),
    ]
    if postgres:
        cmd = [str(REPO / "scripts" / "with-postgres"), *cmd]
    print(f"\n=== {label} ===", flush=True)
    t0 = time.monotonic()
    proc = subprocess.Popen(cmd, cwd=REPO, env=env, start_new_session=True)  # noqa: S603
    try:
        code = proc.wait(timeout=PHASE_TIMEOUT[name])
    except subprocess.TimeoutExpired as exc:
        raise PhaseFailed(f"{label} took longer than {PHASE_TIMEOUT[name]} s") from exc
    finally:
        _stop_group(proc)
        shutil.rmtree(work, ignore_errors=True)
    if code != 0 or not result_file.exists():
        raise PhaseFailed(f"{label} failed with exit status {code}")
    print(f"=== {label}: {time.monotonic() - t0:.0f} s ===", flush=True)
    return json.loads(result_file.read_text())


def _stop_group(proc: subprocess.Popen) -> None:
    """Stop the phase process and everything it started (its own process group)."""
    if proc.poll() is None:
        try:
            os.killpg(proc.pid, signal.SIGTERM)
        except ProcessLookupError:
            return
        with contextlib.suppress(subprocess.TimeoutExpired):
            proc.wait(timeout=60)
    # Anything of the group still there (a gunicorn worker, say).
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(proc.pid, signal.SIGKILL)
    if proc.poll() is None:
        proc.wait(timeout=10)


class Stopped(KeyboardInterrupt):
    """SIGTERM or SIGHUP: stop like Ctrl-C, stopping every process started here."""


def _stop_on_signal(signum, frame):
    raise Stopped(f"signal {signum}")


def main(argv=None) -> int:
    # Ctrl-C, `kill` and a closed terminal all end the run the same way: the phase's
    # process group (its gunicorn, its PostgreSQL) is stopped before we exit. SIGINT is
    # set explicitly because a shell's background job starts with it ignored.
    signal.signal(signal.SIGINT, signal.default_int_handler)
    signal.signal(signal.SIGTERM, _stop_on_signal)
    signal.signal(signal.SIGHUP, _stop_on_signal)
    parser = argparse.ArgumentParser(
        description="Self-Assess benchmarks", formatter_class=argparse.ArgumentDefaultsHelpFormatter
    )
    parser.add_argument("--quick", action="store_true", help="smaller sizes and shorter runs")
    parser.add_argument(
        "--phases",
        default=",".join(ALL_PHASES),
        help=f"SQLite phases to run, from {','.join(ALL_PHASES)}",
    )
    parser.add_argument(
        "--postgres-phases",
        default="auto",
        help="phases to run on PostgreSQL (scripts/with-postgres); "
        "'auto' = scaling and benchmarks when PostgreSQL is installed; 'none' to skip",
    )
    parser.add_argument(
        "--profile",
        default="auto",
        help="pyinstrument targets (page:summary, save:principle, report:pdf, "
        "survey), 'auto' = those of missed targets, 'none' to skip",
    )
    parser.add_argument("--out", default=None, help="results directory (default: a new temp dir)")
    parser.add_argument("--users", type=int, help="concurrent users for the page load")
    parser.add_argument("--duration", type=float, help="seconds per page at saturation")
    parser.add_argument("--browse-duration", type=float, help="seconds of browsing with think time")
    parser.add_argument("--think", type=float, help="mean think time between pages, seconds")
    parser.add_argument("--workers", type=int, help="gunicorn workers")
    parser.add_argument("--worker-class", choices=["sync", "gthread"], help="gunicorn worker class")
    parser.add_argument("--threads", type=int, help="threads per worker (gthread)")
    parser.add_argument("--load-actions", type=int, help="actions in each user's plan")
    parser.add_argument("--load-assessments", type=int, help="assessments per council (load)")
    parser.add_argument("--survey-n", type=int, help="councillors in the survey spike")
    parser.add_argument("--survey-window", type=float, help="seconds over which they arrive")
    parser.add_argument(
        "--survey-concurrency", type=int, help="most requests on the wire at once (0: no cap)"
    )
    parser.add_argument(
        "--survey-tickets-per-hour",
        help="SURVEY_TICKETS_PER_HOUR for the spike's server: every simulated "
        "phone shares 127.0.0.1; 'default' keeps the app's own limit",
    )
    parser.add_argument("--report-runs", type=int, help="runs per report format (median)")
    parser.add_argument("--report-feedback", type=int, help="survey responses in the report")
    parser.add_argument("--aggregate-sizes", help="councils, comma-separated, e.g. 100,1000,10000")
    parser.add_argument(
        "--benchmark-sizes", help="councils for the benchmarks phase, e.g. 100,1000,10000"
    )
    args = parser.parse_args(argv)

    cfg = dict(QUICK if args.quick else FULL)
    for key in (
        "users",
        "duration",
        "browse_duration",
        "think",
        "workers",
        "worker_class",
        "threads",
        "load_actions",
        "load_assessments",
        "survey_n",
        "survey_window",
        "survey_concurrency",
        "survey_tickets_per_hour",
        "report_runs",
        "report_feedback",
    ):
        if getattr(args, key) is not None:
            cfg[key] = getattr(args, key)
    if args.aggregate_sizes:
        cfg["aggregate_sizes"] = [int(x) for x in _parse_list(args.aggregate_sizes)]
    if args.benchmark_sizes:
        cfg["benchmark_sizes"] = [int(x) for x in _parse_list(args.benchmark_sizes)]

    phases = _parse_list(args.phases)
    if args.postgres_phases == "auto":
        pg_phases = ["scaling", "benchmarks"] if postgres_available() else []
    else:
        pg_phases = _parse_list(args.postgres_phases)
    unknown = (set(phases) | set(pg_phases)) - set(ALL_PHASES) - set(OTHER_PHASES)
    if unknown:
        parser.error(f"unknown phases: {', '.join(sorted(unknown))}")

    stamp = datetime.datetime.now().strftime("%Y%m%d-%H%M%S")
    out_dir = (
        Path(args.out) if args.out else Path(tempfile.gettempdir()) / f"selfassess-bench-{stamp}"
    )
    out_dir.mkdir(parents=True, exist_ok=True)
    cfg["profile_dir"] = str(out_dir / "profiles")
    cfg["results_dir"] = str(out_dir)

    results: dict = {
        "command": " ".join([Path(sys.executable).name, "bench/run.py", *(argv or sys.argv[1:])]),
        "mode": "quick" if args.quick else "full",
        "date": datetime.datetime.now().astimezone().isoformat(timespec="seconds"),
        "machine": machine(),
        "code": code_version(),
        "config": cfg,
        "sqlite": {},
        "postgres": {},
        "failures": [],
    }
    t0 = time.monotonic()
    status = 0
    try:
        for name in phases:
            try:
                results["sqlite"][name] = run_phase(name, cfg, out_dir, postgres=False)
            except PhaseFailed as exc:
                results["failures"].append(str(exc))
                status = 1
        for name in pg_phases:
            try:
                results["postgres"][name] = run_phase(name, cfg, out_dir, postgres=True)
            except PhaseFailed as exc:
                results["failures"].append(str(exc))
                status = 1
        targets = report.evaluate(results)
        results["targets"] = targets
        if args.profile == "auto":
            profile_targets = report.profile_targets_for(targets)
        else:
            profile_targets = _parse_list(args.profile)
        if profile_targets:
            try:
                results["sqlite"]["profile"] = run_phase(
                    "profile", cfg | {"profile_targets": profile_targets}, out_dir, postgres=False
                )
            except PhaseFailed as exc:
                results["failures"].append(str(exc))
                status = 1
    except KeyboardInterrupt:
        results["failures"].append("interrupted")
        status = 130
    finally:
        results["total_seconds"] = round(time.monotonic() - t0, 1)
        (out_dir / "results.json").write_text(json.dumps(results, indent=2, default=str))
        summary = report.markdown(results)
        (out_dir / "summary.md").write_text(summary)
    print("\n" + summary)
    print(f"\nResults: {out_dir}/results.json, {out_dir}/summary.md")
    return status


if __name__ == "__main__":
    sys.exit(main())
