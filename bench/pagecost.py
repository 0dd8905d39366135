"""Server CPU per page and per report, in-process: a quick check while working on speed.

    .venv/bin/python -m bench.pagecost                    # every page and report
    .venv/bin/python -m bench.pagecost --pages plan --runs 30 --profile
    .venv/bin/python -m bench.pagecost --reports pdf,docx --pages none

Pages go through Django's test client (DEBUG off, cached templates), so the numbers
include the client's own overhead but no HTTP or gunicorn. The CPU column is
`time.process_time()` for this process, which is what matters on a shared machine: the
wall clock moves with the load, the CPU time much less. The data is the load phase's
shape (1 council, 3 assessments, a 100-action plan, a closed round of 50 responses) in
a SQLite file that is made once and kept (`--db`); reports use a second council with 20
actions and `--report-feedback` responses submitted the councillors' way."""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent

PAGES = {
    "task list": "",
    "principle": "principles/1/",
    "summary": "summary/",
    "plan": "plan/",
    "report": "report/",
}


def _setup(db_dir: Path) -> None:
    if str(REPO) not in sys.path:
        sys.path.insert(0, str(REPO))
    from bench import djsetup

    djsetup.setup_in_process(db_dir, "pagecost")


def _data(db_dir: Path, report_feedback: int) -> dict:
    from bench import djsetup
    from bench.generate import generate

    djsetup.migrate()  # also after a new migration in the working tree
    info_file = db_dir / "pagecost.json"
    if info_file.exists():
        return json.loads(info_file.read_text())
    pages = generate(
        councils=1, assessments=3, actions=100, feedback=50, feedback_bulk=True, prefix="page"
    )
    reports = generate(
        councils=1,
        assessments=2,
        actions=20,
        feedback=report_feedback,
        feedback_bulk=False,
        prefix="report",
    )
    slug, rslug = pages.council_slugs[0], reports.council_slugs[0]
    info = {
        "editor": pages.editors[slug],
        "base": f"/councils/{slug}/assessments/{pages.current(slug)}/",
        "report_assessment": reports.current(rslug),
    }
    info_file.write_text(json.dumps(info))
    return info


def _measure(fn, runs: int) -> dict:
    fn()  # first run: imports, caches
    cpu, wall = [], []
    for _ in range(runs):
        c0, w0 = time.process_time(), time.perf_counter()
        fn()
        cpu.append(time.process_time() - c0)
        wall.append(time.perf_counter() - w0)
    return {
        "cpu_ms": round(1000 * statistics.median(cpu), 1),
        "cpu_min_ms": round(1000 * min(cpu), 1),
        "wall_ms": round(1000 * statistics.median(wall), 1),
    }


def _calls(fn) -> int:
    """Python function calls for one run (cProfile): a measure of the work done that,
    unlike time, does not move with the load on a shared machine."""
    import cProfile
    import pstats

    fn()
    profiler = cProfile.Profile()
    profiler.enable()
    fn()
    profiler.disable()
    return pstats.Stats(profiler).total_calls


def _profile(fn, runs: int, interval: float) -> str:
    from pyinstrument import Profiler

    from bench.profiling import by_area

    profiler = Profiler(interval=interval)
    fn()
    profiler.start()
    for _ in range(runs):
        fn()
    profiler.stop()
    areas = by_area(profiler.last_session)
    lines = [f"  {a['share']:>5.0%}  {a['area']}" for a in areas]
    return (
        "\n".join(lines)
        + "\n"
        + profiler.output_text(
            unicode=False, color=False, show_all=os.environ.get("PAGECOST_ALL") == "1"
        )
    )


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--db",
        default=str(Path(tempfile.gettempdir()) / "selfassess-pagecost"),
        help="data directory, kept between runs",
    )
    parser.add_argument("--pages", default=",".join(PAGES), help="pages, or 'none'")
    parser.add_argument("--reports", default="docx,pdf", help="formats, or 'none'")
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--report-runs", type=int, default=3)
    parser.add_argument("--report-feedback", type=int, default=1000)
    parser.add_argument("--profile", action="store_true", help="print a pyinstrument tree")
    parser.add_argument(
        "--cold-charts",
        action="store_true",
        help="forget drawn charts before each report, so every render draws its chart",
    )
    args = parser.parse_args(argv)

    _setup(Path(args.db))
    info = _data(Path(args.db), args.report_feedback)

    from django.test import Client

    from selfassess.accounts.models import User

    results = {}
    pages = [] if args.pages == "none" else args.pages.split(",")
    if pages:
        client = Client()
        client.force_login(User.objects.get(email=info["editor"]))
        for name in pages:
            path = info["base"] + PAGES[name]

            def get(path=path):
                response = client.get(path)
                assert response.status_code == 200, (path, response.status_code)

            results[name] = _measure(get, args.runs) | {"calls": _calls(get)}
            print(f"{name:<10} {results[name]}", flush=True)
            if args.profile:
                print(_profile(get, args.runs, 0.0005))

    formats = [] if args.reports == "none" else args.reports.split(",")
    if formats:
        from selfassess.assessments.models import Assessment
        from selfassess.reports.context import report_data
        from selfassess.reports.formats import FORMATS

        assessment = Assessment.objects.select_related("council", "framework").get(
            pk=info["report_assessment"]
        )
        results["report_data"] = _measure(lambda: report_data(assessment), args.runs) | {
            "calls": _calls(lambda: report_data(assessment))
        }
        print(f"{'report_data':<10} {results['report_data']}", flush=True)
        data = report_data(assessment)
        from selfassess.reports import charts

        def render(key):
            if args.cold_charts and hasattr(charts, "_principle_scores"):
                charts._principle_scores.cache_clear()
            return FORMATS[key].render(data)

        for key in formats:
            results[key] = _measure(lambda key=key: render(key), args.report_runs) | {
                "calls": _calls(lambda key=key: render(key))
            }
            out = FORMATS[key].render(data)
            extra = ""
            if key == "pdf":
                from bench.phases import _pdf_pages

                extra = f" pages={_pdf_pages(out)}"
            print(f"{key:<10} {results[key]} bytes={len(out)}{extra}", flush=True)
            if args.profile:
                print(_profile(lambda key=key: FORMATS[key].render(data), 1, 0.005))
    return 0


if __name__ == "__main__":
    sys.exit(main())
