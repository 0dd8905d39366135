"""Server CPU and Python calls per councillor's survey, in-process: a quick check while
working on the survey spike's speed.

    .venv/bin/python -m bench.surveycost                  # CPU ms, calls, queries
    .venv/bin/python -m bench.surveycost --profile        # and a pyinstrument tree
    .venv/bin/python -m bench.surveycost --html DIR       # every page's HTML, for diffs

One councillor's survey is the spike's 18 requests (bench/survey.py): GET the shared
link, POST the access code (with CSRF, checked), the start page, page 1, each page POSTed
and its redirect followed, the check page POSTed and the thank-you page. They go through
Django's test client (DEBUG off, cached templates), so the numbers include the client's
own overhead but no HTTP or gunicorn. CPU is `time.process_time()` for this process;
the machine may be shared, so compare best-of-several runs, alternately; the call count
(cProfile) does not move with the load. The data is the spike's: one council, one
assessment, an open shared-link round, with `--ballots` ballots already in it (some with
drafts, some answered), in a SQLite file made once and kept (`--db`).

`--html DIR` writes the HTML of every page a councillor can see, with the survey token
and CSRF tokens replaced by fixed strings: the normal flow, and the pages with errors
(a principle page and the experience page posted wrongly, the check page with missing
answers, the refusals), so that two versions of the code can be compared byte for byte
(`diff -r`)."""

from __future__ import annotations

import argparse
import json
import os
import re
import statistics
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlencode

REPO = Path(__file__).resolve().parent.parent
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
TOKEN_PATH = re.compile(r"^/survey/([^/]+)/$")


def _setup(db_dir: Path) -> None:
    if str(REPO) not in sys.path:
        sys.path.insert(0, str(REPO))
    from bench import djsetup

    # As in the spike: every councillor comes from one address.
    djsetup.setup_in_process(db_dir, "surveycost", {"SURVEY_TICKETS_PER_HOUR": "100000000"})


def _data(db_dir: Path, ballots: int) -> dict:
    """The spike's round, with `ballots` ballots: a third answered, a third with a
    draft, a third not started. Kept between runs (the round stays open two weeks)."""
    from bench import djsetup

    djsetup.migrate()
    info_file = db_dir / f"surveycost-{ballots}.json"
    if info_file.exists():
        return json.loads(info_file.read_text())
    from bench.generate import generate, open_survey_round
    from selfassess.feedback import services

    gen = generate(councils=1, assessments=1, actions=20, prefix=f"survey{ballots}")
    info = open_survey_round(gen.current(gen.council_slugs[0]))
    refs = [f"{p}.{k}" for p in range(1, 6) for k in range(1, 6)]
    for i in range(ballots):
        token = services.shared_ticket(info["public_id"], info["access_code"])
        if i % 3 == 0:
            continue
        draft = {"statements": {r: (i + n) % 3 for n, r in enumerate(refs[: 5 * (1 + i % 5)])}}
        if i % 3 == 1:
            services.save_draft(token, draft)
        else:
            services.submit(token, draft)
    info_file.write_text(json.dumps(info))
    return info


def _post(client, path: str, data: dict):
    """A form post as a phone's browser sends it (and bench/survey.py): urlencoded, not
    the test client's default multipart."""
    return client.post(
        path, urlencode(data, doseq=True), content_type="application/x-www-form-urlencoded"
    )


def _answers(i: int, page: int) -> dict:
    """The spike's answers for councillor i, without its random generator: fixed, so
    two runs post the same."""
    choices = ["0", "1", "1", "2", "2", "dk"]
    data = {f"s{page}.{k}": choices[(i * 7 + page * 5 + k) % 6] for k in range(1, 6)}
    data["comment"] = (
        f"Councillor {i}: support on principle {page} could be clearer." if i % 5 == 0 else ""
    )
    return data


class Flow:
    """One councillor's 18 requests; `pages` collects (name, status, html) if given."""

    def __init__(self, info: dict, pages: list | None = None):
        self.info = info
        self.pages = pages
        self.i = 0

    def _keep(self, name, response):
        if self.pages is not None:
            self.pages.append((name, response.status_code, response.content.decode()))

    def __call__(self) -> None:
        from django.test import Client

        self.i += 1
        i = self.i
        c = Client(enforce_csrf_checks=True)
        shared = f"/survey/shared/{self.info['public_id']}/"
        r = c.get(shared)
        assert r.status_code == 200, r.status_code
        self._keep("shared", r)
        csrf = CSRF.search(r.content.decode()).group(1)
        r = _post(c, shared, {"code": self.info["access_code"], "csrfmiddlewaretoken": csrf})
        assert r.status_code == 302, r.status_code
        base = r["Location"]
        self.token = TOKEN_PATH.match(base).group(1)
        r = c.get(base)
        assert r.status_code == 200, r.status_code
        self._keep("start", r)
        r = c.get(f"{base}page/1/")
        assert r.status_code == 200, r.status_code
        self._keep("page-1", r)
        for page in range(1, 7):
            data = _answers(i, page) if page <= 5 else {}
            r = _post(c, f"{base}page/{page}/", data | {"csrfmiddlewaretoken": csrf})
            assert r.status_code == 302, (page, r.status_code)
            r = c.get(r["Location"])
            assert r.status_code == 200, (page, r.status_code)
            self._keep(f"page-{page + 1}" if page < 6 else "check", r)
        r = _post(c, f"{base}check/", {"csrfmiddlewaretoken": csrf})
        assert r.status_code == 302, r.status_code
        r = c.get(r["Location"])
        assert r.status_code == 200, r.status_code
        self._keep("done", r)


def _html(info: dict, out: Path) -> None:
    """Every page a councillor sees, normal and with errors, tokens replaced."""
    from django.test import Client

    pages: list = []
    flow = Flow(info, pages)
    flow.i = 4  # councillor 5 writes comments (i % 5 == 0), so the comment box is filled
    flow()
    done_token = flow.token
    c = Client(enforce_csrf_checks=True)
    shared = f"/survey/shared/{info['public_id']}/"
    csrf = CSRF.search(c.get(shared).content.decode()).group(1)
    r = c.post(shared, {"code": "WRONG-CODE", "csrfmiddlewaretoken": csrf})
    pages.append(("shared-wrong-code", r.status_code, r.content.decode()))
    r = c.post(shared, {"code": info["access_code"], "csrfmiddlewaretoken": csrf})
    base = r["Location"]
    token = TOKEN_PATH.match(base).group(1)
    for name, path, data in [
        ("page-1-empty", f"{base}page/1/", {}),
        ("page-2-bad", f"{base}page/2/", {"s2.1": "7", "s2.2": "1", "comment": "x" * 2001}),
        ("page-2-partial", f"{base}page/2/", {"s2.1": "dk", "s2.3": "2", "comment": "<b>&"}),
        ("page-6-bad", f"{base}page/6/", {"frequency": "nope", "where": ["nowhere"]}),
        ("check-missing", f"{base}check/", {}),
    ]:
        r = c.post(path, data | {"csrfmiddlewaretoken": csrf})
        pages.append((name, r.status_code, r.content.decode()))
    c.post(f"{base}page/1/", _answers(1, 1) | {"csrfmiddlewaretoken": csrf})
    experience = {"frequency": "Once or twice", "where": ["In person", "By phone"]}
    c.post(f"{base}page/6/", experience | {"csrfmiddlewaretoken": csrf})
    for name, path in [
        ("start-continue", base),
        ("page-1-answered", f"{base}page/1/"),
        ("page-6-again", f"{base}page/6/"),
        ("check-partial", f"{base}check/"),
        ("page-7-missing", f"{base}page/7/"),
        ("bad-link", "/survey/not-a-real-token/"),
        ("answered", f"/survey/{done_token}/"),
        ("shared-bad", "/survey/shared/00000000-0000-0000-0000-000000000000/"),
    ]:
        r = c.get(path)
        pages.append((name, r.status_code, r.content.decode()))
    out.mkdir(parents=True, exist_ok=True)
    for name, status, html in pages:
        html = html.replace(token, "TOKEN").replace(done_token, "TOKEN")
        html = CSRF.sub('name="csrfmiddlewaretoken" value="CSRF"', html)
        (out / f"{name}.html").write_text(f"<!-- {status} -->\n{html}")
    print(f"{len(pages)} pages written to {out}")


def _calls_and_queries(fn) -> tuple[int, int]:
    import cProfile
    import pstats

    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    fn()
    profiler = cProfile.Profile()
    profiler.enable()
    fn()
    profiler.disable()
    with CaptureQueriesContext(connection) as ctx:
        fn()
    return pstats.Stats(profiler).total_calls, len(ctx.captured_queries)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--db",
        default=str(Path(tempfile.gettempdir()) / "selfassess-surveycost"),
        help="data directory, kept between runs",
    )
    parser.add_argument("--ballots", type=int, default=300, help="ballots already in the round")
    parser.add_argument("--runs", type=int, default=20, help="councillors timed")
    parser.add_argument("--profile", action="store_true", help="print a pyinstrument tree")
    parser.add_argument("--html", metavar="DIR", help="write every page's HTML to DIR")
    args = parser.parse_args(argv)

    _setup(Path(args.db))
    info = _data(Path(args.db), args.ballots)
    if args.html:
        _html(info, Path(args.html))
        return 0

    flow = Flow(info)
    flow()  # first run: imports, caches, compiled templates
    cpu, wall = [], []
    for _ in range(args.runs):
        c0, w0 = time.process_time(), time.perf_counter()
        flow()
        cpu.append(time.process_time() - c0)
        wall.append(time.perf_counter() - w0)
    calls, queries = _calls_and_queries(flow)
    result = {
        "cpu_ms": round(1000 * statistics.median(cpu), 1),
        "cpu_min_ms": round(1000 * min(cpu), 1),
        "wall_ms": round(1000 * statistics.median(wall), 1),
        "cpu_ms_per_request": round(1000 * min(cpu) / 18, 2),
        "calls": calls,
        "queries": queries,
    }
    print(f"per councillor (18 requests): {result}", flush=True)
    if args.profile:
        from pyinstrument import Profiler

        from bench.profiling import by_area

        profiler = Profiler(interval=0.0005)
        profiler.start()
        for _ in range(args.runs):
            flow()
        profiler.stop()
        for a in by_area(profiler.last_session):
            print(f"  {a['share']:>5.0%}  {a['area']}")
        print(
            profiler.output_text(
                unicode=False, color=False, show_all=os.environ.get("PAGECOST_ALL") == "1"
            )
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
