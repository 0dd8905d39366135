"""The survey spike: `n` councillors answer through the shared link within `window`
seconds, each as a phone browser would, over loopback.

Each councillor arrives at a random moment in the window (uniform, seeded) and then,
without pausing, goes through: GET the shared link, POST the access code (with CSRF),
follow to the survey's start page, open page 1, POST each principle page (five
statements answered 0, 1, 2 or "don't know", sometimes a comment) and follow each
redirect to the next page, POST the experience page empty, follow to the check page,
POST it and follow to the thank-you page: 18 requests. Each phone has its own
connection per request, as phones do, so requests the workers cannot take yet wait in
the server's listen queue; that wait counts in their latency. With `concurrency` > 0,
at most that many requests are on the wire at once (the rest wait in the client, and
that wait counts too). A request with no reply in 60 s is an error (a person gives up).
"""

from __future__ import annotations

import asyncio
import random
import re
import time
from collections import Counter
from urllib.parse import urlsplit

from . import http11
from .httpload import Recorder, csrf_from, new_client
from .stats import loadavg, summary_ms

TOKEN_PATH = re.compile(r"^/survey/([^/]+)/$")


async def councillor(
    i: int, *, base_url: str, limit, public_id: str, code: str, rng, rec: Recorder
) -> str:
    """Returns "submitted" or the step that failed."""
    c = new_client(base_url, limit)
    try:
        r = await rec.request("GET shared link", c.get(f"/survey/shared/{public_id}/"), 200)
        if r is None:
            return "shared link"
        csrf = csrf_from(r.text)
        r = await rec.request(
            "POST access code",
            c.post(
                f"/survey/shared/{public_id}/", data={"code": code, "csrfmiddlewaretoken": csrf}
            ),
            302,
        )
        if r is None:
            return "access code"
        m = TOKEN_PATH.match(urlsplit(r.headers["location"]).path)
        if not m:
            rec.errors["POST access code"]["unexpected redirect"] += 1
            return "access code"
        token = m.group(1)
        base = f"/survey/{token}/"
        if await rec.request("GET start", c.get(base), 200) is None:
            return "start"
        if await rec.request("GET survey page", c.get(f"{base}page/1/"), 200) is None:
            return "page 1"
        for page in range(1, 7):
            data = {"csrfmiddlewaretoken": csrf}
            if page <= 5:
                for k in range(1, 6):
                    data[f"s{page}.{k}"] = rng.choice(["0", "1", "1", "2", "2", "dk"])
                data["comment"] = (
                    f"Councillor {i}: support on principle {page} could be clearer."
                    if rng.random() < 0.2
                    else ""
                )
            r = await rec.request("POST survey page", c.post(f"{base}page/{page}/", data=data), 302)
            if r is None:
                return f"page {page}"
            nxt = urlsplit(r.headers["location"]).path
            label = "GET check" if page == 6 else "GET survey page"
            if await rec.request(label, c.get(nxt), 200) is None:
                return f"after page {page}"
        r = await rec.request(
            "POST check (submit)", c.post(f"{base}check/", data={"csrfmiddlewaretoken": csrf}), 302
        )
        if r is None:
            return "submit"
        if await rec.request("GET done", c.get(r.headers["location"]), 200) is None:
            return "done page"
        return "submitted"
    except (http11.HTTPError, KeyError, ValueError) as exc:
        rec.errors["flow"][type(exc).__name__] += 1
        return "exception"


def _tenth(values: list[float], which: int) -> list[float]:
    k = max(1, len(values) // 10)
    return values[:k] if which == 0 else values[-k:]


async def run_spike(
    *,
    base_url: str,
    public_id: str,
    code: str,
    worker_pids,
    n: int = 1000,
    window: float = 120.0,
    concurrency: int = 200,
    grace: float = 240.0,
    seed: int = 2,
) -> dict:
    from .httpload import cpu_seconds

    rng = random.Random(seed)  # noqa: S311 - benchmark data, not secrets
    arrivals = sorted(rng.uniform(0, window) for _ in range(n))
    limit = asyncio.Semaphore(concurrency) if concurrency > 0 else None
    rec = Recorder()
    outcomes: Counter = Counter()
    flow_seconds: list[float] = []
    finished_at: list[float] = []
    t0 = time.perf_counter()

    async def one(i: int, at: float):
        await asyncio.sleep(max(0.0, t0 + at - time.perf_counter()))
        start = time.perf_counter()
        outcome = await councillor(
            i,
            base_url=base_url,
            limit=limit,
            public_id=public_id,
            code=code,
            rng=random.Random(seed * 100_000 + i),  # noqa: S311 - benchmark data, not secrets
            rec=rec,
        )
        outcomes[outcome] += 1
        if outcome == "submitted":
            flow_seconds.append(time.perf_counter() - start)
            finished_at.append(time.perf_counter() - t0)

    cpu0, ccpu0 = cpu_seconds(worker_pids()), time.process_time()
    tasks = [asyncio.ensure_future(one(i, at)) for i, at in enumerate(arrivals)]
    # Bounded: whoever has not finished `window + grace` seconds after the start is given
    # up on and counted as "not finished".
    _, pending = await asyncio.wait(tasks, timeout=window + grace)
    for task in pending:
        task.cancel()
    if pending:
        await asyncio.gather(*pending, return_exceptions=True)
    outcomes["not finished (deadline)"] += len(pending)
    elapsed = time.perf_counter() - t0
    cpu1, ccpu1 = cpu_seconds(worker_pids()), time.process_time()
    total = sum(rec.count.values())
    all_latencies = [x for v in rec.latencies.values() for x in v]
    return {
        "councillors": n,
        "window_seconds": window,
        "concurrency_cap": concurrency,
        "deadline_seconds": window + grace,
        "seconds": round(elapsed, 1),
        "last_submission_at_seconds": round(max(finished_at), 1) if finished_at else None,
        "submitted": outcomes["submitted"],
        "outcomes": dict(outcomes),
        "requests": total,
        "rps": round(total / elapsed, 1),
        "errors": rec.error_total(),
        "error_kinds": {k: dict(v) for k, v in rec.errors.items() if v},
        "latency_ms": summary_ms(all_latencies),
        "by_request": {label: summary_ms(v) for label, v in rec.latencies.items()},
        "submit_latency_ms": summary_ms(rec.latencies["POST check (submit)"]),
        # Does a submission cost more as the round fills up? In order of completion.
        "submit_latency_first_tenth_ms": summary_ms(
            _tenth(rec.latencies["POST check (submit)"], 0)
        ),
        "submit_latency_last_tenth_ms": summary_ms(
            _tenth(rec.latencies["POST check (submit)"], -1)
        ),
        "whole_survey_seconds": {
            k: (round(v / 1000, 2) if v is not None else None)
            for k, v in summary_ms(flow_seconds).items()
            if k != "n"
        },
        "server_cpu_ms_per_request": round(1000 * (cpu1 - cpu0) / total, 2) if total else None,
        "client_cpu_share": round((ccpu1 - ccpu0) / elapsed, 2),
        "loadavg_after": loadavg(),
    }
