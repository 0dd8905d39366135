"""HTTP load against a running server, from this (separate) process, over loopback.

Two kinds of run, both with one virtual user per editor (each its own council, its own
assessment and its own session, so saves never conflict with each other):

- saturation: `users` clients send one request after another with no pause, for
  `duration` seconds, to one page at a time. This gives the most requests per second the
  server manages for that page, and the latency under that queue. The trivial view
  (`/healthz` if it answers 200, else the anonymous login page) is measured the same
  way, as the baseline each page's throughput is compared with; so is the login page.
- browse: the same users work as people do, with a pause ("think time") between pages:
  task list, principle 1, save principle 1, summary, plan, and round again. This gives
  the latency people would see with `users` of them at work at once.

Every request's latency is measured from opening the connection to having read the whole
body (bench/http11.py, a lean client, so that the load generator leaves the cores to
the server).
Server CPU per request is read from /proc (utime + stime of the gunicorn workers), which
is steadier than wall-clock numbers on a shared machine.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import os
import random
import re
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from . import http11
from .stats import loadavg, summary_ms

CSRF_INPUT = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
HIDDEN = re.compile(r'name="(r\d+-\d+)-(version|digest)" value="([^"]*)"')
CLK_TCK = os.sysconf("SC_CLK_TCK")
PRINCIPLE_REFS = [f"1.{i}" for i in range(1, 6)]
LOGIN_PAGE = "/accounts/login/"


def csrf_from(html: str) -> str:
    m = CSRF_INPUT.search(html)
    if not m:
        raise ValueError("no csrfmiddlewaretoken in the page")
    return m.group(1)


def values_digest(score, evidence: str, links: list[str]) -> str:
    """The same fingerprint as selfassess.assessments.services.values_digest: a browser
    sends back the one its page carried; the client computes it after its own saves."""
    canonical = json.dumps([score, evidence, list(links)], ensure_ascii=False)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def cpu_seconds(pids: list[int]) -> float:
    total = 0
    for pid in pids:
        try:
            with open(f"/proc/{pid}/stat") as f:
                fields = f.read().rsplit(")", 1)[1].split()
            total += int(fields[11]) + int(fields[12])  # utime, stime
        except (OSError, IndexError, ValueError):
            pass
    return total / CLK_TCK


def new_client(base_url: str, limit=None, timeout: float = 60.0) -> http11.Client:
    """One browser: its own cookies; `limit` caps requests on the wire across clients."""
    return http11.Client(base_url, timeout=timeout, limit=limit)


@dataclass
class Recorder:
    latencies: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    errors: dict[str, Counter] = field(default_factory=lambda: defaultdict(Counter))
    count: Counter = field(default_factory=Counter)

    async def request(self, label: str, coro, expect: int | tuple[int, ...]):
        expect = (expect,) if isinstance(expect, int) else expect
        t0 = time.perf_counter()
        try:
            response = await coro
        except http11.HTTPError as exc:
            self.count[label] += 1
            self.errors[label][type(exc).__name__] += 1
            return None
        elapsed = time.perf_counter() - t0
        self.count[label] += 1
        self.latencies[label].append(elapsed)
        if response.status_code not in expect:
            self.errors[label][f"HTTP {response.status_code}"] += 1
            return None
        return response

    def error_total(self, label: str | None = None) -> int:
        if label is not None:
            return sum(self.errors[label].values())
        return sum(sum(c.values()) for c in self.errors.values())


@dataclass
class VirtualUser:
    index: int
    email: str
    password: str
    slug: str
    assessment_id: int
    client: http11.Client
    versions: dict[str, int] = field(default_factory=dict)
    digests: dict[str, str] = field(default_factory=dict)
    csrf: str = ""
    saves: int = 0

    @property
    def base(self) -> str:
        return f"/councils/{self.slug}/assessments/{self.assessment_id}/"

    def path(self, page: str) -> str:
        return {
            "task list": self.base,
            "principle": self.base + "principles/1/",
            "summary": self.base + "summary/",
            "plan": self.base + "plan/",
        }[page]

    async def login(self, rec: Recorder) -> bool:
        r = await rec.request("login form", self.client.get("/accounts/login/"), 200)
        if r is None:
            return False
        data = {
            "login": self.email,
            "password": self.password,
            "csrfmiddlewaretoken": csrf_from(r.text),
        }
        r = await rec.request("login", self.client.post("/accounts/login/", data=data), 302)
        return r is not None

    def read_principle_page(self, html: str) -> None:
        """Take the hidden version and digest of each statement from the page, as a
        browser would send them back, and the CSRF token."""
        self.csrf = csrf_from(html)
        for prefix, kind, value in HIDDEN.findall(html):
            ref = prefix[1:].replace("-", ".")
            if kind == "version":
                self.versions[ref] = int(value)
            else:
                self.digests[ref] = value

    async def open_principle(self, rec: Recorder, label: str = "principle") -> bool:
        r = await rec.request(label, self.client.get(self.path("principle")), 200)
        if r is None:
            return False
        self.read_principle_page(r.text)
        return True

    def save_data(self) -> dict:
        """The principle 1 form with every statement changed, as a person saving it."""
        self.saves += 1
        data = {"csrfmiddlewaretoken": self.csrf, "return": "1"}
        for ref in PRINCIPLE_REFS:
            p = "r" + ref.replace(".", "-")
            data |= {
                f"{p}-score": str(1 + (self.saves + int(ref[-1])) % 2),
                f"{p}-evidence": (
                    f"Benchmark save {self.saves} by user {self.index}: the council's protocol "
                    "for handling abuse of councillors was reviewed by the standards committee."
                ),
                f"{p}-links": f"https://bench.example/evidence/{self.saves}",
                f"{p}-version": str(self.versions.get(ref, 0)),
                f"{p}-digest": self.digests.get(ref, ""),
            }
        return data

    async def save(self, rec: Recorder, label: str = "save principle") -> bool:
        if not self.versions and not await self.open_principle(rec, "principle (for save)"):
            return False
        data = self.save_data()
        r = await rec.request(label, self.client.post(self.path("principle"), data=data), 302)
        if r is None:
            # Re-read the page so the next save starts from what is saved.
            self.versions.clear()
            return False
        for ref in PRINCIPLE_REFS:
            p = "r" + ref.replace(".", "-")
            self.versions[ref] = self.versions.get(ref, 0) + 1
            self.digests[ref] = values_digest(
                int(data[f"{p}-score"]), data[f"{p}-evidence"], [data[f"{p}-links"]]
            )
        return True


async def _closed_loop(users, op, duration: float, rec: Recorder) -> float:
    """Each user runs `op(user)` back to back until `duration` has passed."""
    end = time.perf_counter() + duration

    async def loop(user):
        while time.perf_counter() < end:
            await op(user)

    t0 = time.perf_counter()
    await asyncio.gather(*(loop(u) for u in users))
    return time.perf_counter() - t0


def _result(rec: Recorder, label: str, elapsed: float, cpu: float, client_cpu: float) -> dict:
    n = rec.count[label]
    return {
        "requests": n,
        "seconds": round(elapsed, 2),
        "rps": round(n / elapsed, 1) if elapsed else None,
        "errors": rec.error_total(label),
        "error_kinds": dict(rec.errors[label]),
        "latency_ms": summary_ms(rec.latencies[label]),
        "server_cpu_ms_per_request": round(1000 * cpu / n, 2) if n else None,
        "client_cpu_share": round(client_cpu / elapsed, 2) if elapsed else None,
        "loadavg_after": loadavg(),
    }


async def run_load(
    *,
    base_url: str,
    accounts: list[dict],
    worker_pids,
    users: int = 20,
    duration: float = 15.0,
    browse_duration: float = 30.0,
    think: float = 1.0,
    warmup: float = 3.0,
    pages: tuple[str, ...] = ("task list", "principle", "summary", "plan", "save principle"),
    seed: int = 1,
) -> dict:
    """`accounts`: [{"email", "password", "slug", "assessment_id"}], one per user."""
    rng = random.Random(seed)  # noqa: S311 - benchmark data, not secrets
    out: dict = {"users": users, "duration": duration, "think": think}
    anon_client = new_client(base_url)
    # The trivial view: /healthz when it answers 200, else the anonymous login page. The
    # login page is measured as well: a second baseline that renders a template and a
    # form but reads no council data.
    trivial = "/healthz"
    try:
        r = await anon_client.get(trivial)
        if r.status_code != 200:
            trivial = LOGIN_PAGE
    except http11.HTTPError:
        trivial = LOGIN_PAGE
    out["trivial_path"] = trivial

    vusers = [
        VirtualUser(
            index=i,
            email=a["email"],
            password=a["password"],
            slug=a["slug"],
            assessment_id=a["assessment_id"],
            client=new_client(base_url),
        )
        for i, a in enumerate(accounts[:users])
    ]
    if len(vusers) < users:
        raise ValueError(f"{users} users wanted but only {len(accounts)} accounts made")
    setup = Recorder()
    t0 = time.perf_counter()
    ok = await asyncio.gather(*(u.login(setup) for u in vusers))
    out["login"] = {
        "seconds": round(time.perf_counter() - t0, 2),
        "failed": ok.count(False),
        "latency_ms": summary_ms(setup.latencies["login"]),
        "note": "one password check per login (the configured hasher), all at once",
    }
    if not all(ok):
        raise RuntimeError(f"login failed for {ok.count(False)} users: {dict(setup.errors)}")
    for u in vusers:
        await u.open_principle(setup, "principle (for save)")

    # Warm every worker's templates and imports before measuring.
    anon = [new_client(base_url) for _ in range(users)]

    async def warm(u):
        for page in ("task list", "principle", "summary", "plan"):
            await u.client.get(u.path(page))
        await u.client.get(trivial)

    warm_end = time.perf_counter() + warmup
    while time.perf_counter() < warm_end:
        await asyncio.gather(*(warm(u) for u in vusers))

    # Saturation, one page at a time, the baseline first.
    saturation = {}
    plan = [("trivial", trivial)]
    if trivial != LOGIN_PAGE:
        plan.append(("login page (anonymous)", LOGIN_PAGE))
    plan += [(p, p) for p in pages]
    for name, page in plan:
        rec = Recorder()
        if page in {trivial, LOGIN_PAGE}:
            clients = anon

            async def op(c, rec=rec, name=name, page=page):
                await rec.request(name, c.get(page), 200)

        elif name == "save principle":
            clients = vusers

            async def op(u, rec=rec):
                await u.save(rec)

        else:
            clients = vusers

            async def op(u, rec=rec, page=page, name=name):
                await rec.request(name, u.client.get(u.path(page)), 200)

        cpu0, ccpu0 = cpu_seconds(worker_pids()), time.process_time()
        elapsed = await _closed_loop(clients, op, duration, rec)
        cpu1, ccpu1 = cpu_seconds(worker_pids()), time.process_time()
        saturation[name] = _result(rec, name, elapsed, cpu1 - cpu0, ccpu1 - ccpu0)
        saturation[name]["path"] = (
            page
            if page in {trivial, LOGIN_PAGE}
            else (vusers[0].path("principle") if name == "save principle" else vusers[0].path(page))
        )
    base_rps = saturation["trivial"]["rps"] or 0
    login_rps = saturation.get("login page (anonymous)", {}).get("rps") or base_rps
    for res in saturation.values():
        res["ratio_to_trivial"] = round(res["rps"] / base_rps, 2) if base_rps else None
        res["ratio_to_login_page"] = round(res["rps"] / login_rps, 2) if login_rps else None
    out["saturation"] = saturation

    # Browse: people at work, with think time.
    rec = Recorder()
    end = time.perf_counter() + browse_duration

    async def person(u: VirtualUser):
        await asyncio.sleep(rng.uniform(0, think))  # do not start in step
        while time.perf_counter() < end:
            for step in ("task list", "principle", "save principle", "summary", "plan"):
                if time.perf_counter() >= end:
                    return
                if step == "principle":
                    await u.open_principle(rec)
                elif step == "save principle":
                    await u.save(rec)
                else:
                    await rec.request(step, u.client.get(u.path(step)), 200)
                await asyncio.sleep(rng.uniform(0.5, 1.5) * think)

    cpu0, ccpu0 = cpu_seconds(worker_pids()), time.process_time()
    t0 = time.perf_counter()
    await asyncio.gather(*(person(u) for u in vusers))
    elapsed = time.perf_counter() - t0
    cpu1, ccpu1 = cpu_seconds(worker_pids()), time.process_time()
    total = sum(rec.count.values())
    out["browse"] = {
        "seconds": round(elapsed, 2),
        "requests": total,
        "rps": round(total / elapsed, 1),
        "errors": rec.error_total(),
        "error_kinds": {k: dict(v) for k, v in rec.errors.items() if v},
        "server_cpu_ms_per_request": round(1000 * (cpu1 - cpu0) / total, 2) if total else None,
        "client_cpu_share": round((ccpu1 - ccpu0) / elapsed, 2),
        "all_pages_latency_ms": summary_ms([x for v in rec.latencies.values() for x in v]),
        "pages": {label: summary_ms(v) for label, v in rec.latencies.items()},
        "loadavg_after": loadavg(),
    }
    return out
