"""Targets and the markdown summary of a benchmark run. Targets are compared, never
asserted: a miss is reported, with the profile of where the time goes."""

from __future__ import annotations

PAGES = ["task list", "principle", "summary", "plan", "save principle"]
PROFILE_FOR_PAGE = {
    "task list": "page:task list",
    "principle": "page:principle",
    "summary": "page:summary",
    "plan": "page:plan",
    "save principle": "save:principle",
}
REPORT_TARGETS = {"docx": 0.5, "pdf": 1.5, "xlsx": 0.3}
SURVEY_GRACE_SECONDS = 5
P95_TARGET_MS = 50
RATIO_TARGET = 0.5
AGGREGATE_TARGET_MS = 300
MEMORY_TARGET_MIB = 150
SNAPSHOT_TARGET_S = 30
BENCHMARK_PAGE_TARGET_MS = 5
# "Constant in the number of councils": the added cost at the largest size is within this
# much of the smallest's (timer noise on a shared machine is about half a millisecond).
BENCHMARK_PAGE_DRIFT_MS = 1.0


def _fmt(value, unit="", digits=1):
    if value is None:
        return "–"
    if isinstance(value, float):
        value = f"{value:,.{digits}f}"
    elif isinstance(value, int):
        value = f"{value:,}"
    return f"{value}{unit}"


def evaluate(results: dict) -> list[dict]:
    targets = []

    def add(name, target, measured, met, profile=None, note=""):
        targets.append(
            {
                "name": name,
                "target": target,
                "measured": measured,
                "met": met,
                "profile": profile,
                "note": note,
            }
        )

    load = results["sqlite"].get("load")
    if load:
        for page in PAGES:
            b = load["browse"]["pages"].get(page, {})
            s = load["saturation"].get(page, {})
            p95 = b.get("p95")
            add(
                f"{page}: p95, {load['users']} users at work (think time {load['think']} s)",
                f"< {P95_TARGET_MS} ms",
                _fmt(p95, " ms"),
                p95 is not None and p95 < P95_TARGET_MS,
                PROFILE_FOR_PAGE[page],
            )
            sp95 = s.get("latency_ms", {}).get("p95")
            add(
                f"{page}: p95, {load['users']} users with no pause (saturation)",
                f"< {P95_TARGET_MS} ms",
                _fmt(sp95, " ms"),
                sp95 is not None and sp95 < P95_TARGET_MS,
                PROFILE_FOR_PAGE[page],
                f"queueing: {load['users']} requests always in flight",
            )
            ratio = s.get("ratio_to_trivial")
            login = s.get("ratio_to_login_page")
            add(
                f"{page}: throughput vs trivial view (`{load['trivial_path']}`)",
                f">= {RATIO_TARGET}",
                _fmt(ratio, "", 2)
                + (
                    f" ({_fmt(login, '', 2)} vs the login page)"
                    if load["trivial_path"] != "/accounts/login/"
                    else ""
                ),
                ratio is not None and ratio >= RATIO_TARGET,
                PROFILE_FOR_PAGE[page],
            )
            errors = s.get("errors", 0) + sum(
                load["browse"].get("error_kinds", {}).get(page, {}).values()
            )
            if errors:
                add(f"{page}: errors", "0", _fmt(errors), False, PROFILE_FOR_PAGE[page])
    for db_name in ("sqlite", "postgres"):
        survey = results[db_name].get("survey")
        if not survey:
            continue
        on = "" if db_name == "sqlite" else " (PostgreSQL)"
        db = survey["database_after"]
        add(
            f"survey spike{on}: {survey['councillors']} councillors, errors",
            "0",
            _fmt(survey["errors"]),
            survey["errors"] == 0,
            "survey",
        )
        add(
            f"survey spike{on}: submissions lost (told sent, no row)",
            "0",
            _fmt(db["lost"]),
            db["lost"] == 0,
        )
        add(
            f"survey spike{on}: all submitted",
            _fmt(survey["councillors"]),
            _fmt(survey["submitted"]),
            survey["submitted"] == survey["councillors"],
            "survey",
        )
        last = survey.get("last_submission_at_seconds")
        # The last councillor arrives just before the window ends and still has 18
        # requests to make: 5 s is ample for those on a server that keeps up (0.3 s at
        # 15 ms each). A server falling behind builds a queue that takes far longer to
        # clear, so anything past that is a miss. (This allowed 30 s until 2026-11-22.)
        add(
            f"survey spike{on}: all done within the {survey['window_seconds']:.0f} s window",
            f"<= {survey['window_seconds']:.0f} s (+ 5 s for the last arrival's own requests)",
            _fmt(last, " s"),
            last is not None and last <= survey["window_seconds"] + SURVEY_GRACE_SECONDS,
            "survey",
        )
        p95 = survey["latency_ms"]["p95"]
        add(
            f"survey spike{on}: p95 of every request",
            f"< {P95_TARGET_MS} ms (page target)",
            _fmt(p95, " ms"),
            p95 is not None and p95 < P95_TARGET_MS,
            "survey",
        )
    reports = results["sqlite"].get("reports")
    if reports:
        for key, limit in REPORT_TARGETS.items():
            f = reports["formats"].get(key)
            if not f:
                continue
            measured = f["with_report_data_median_s"]
            add(
                f"report {key}: report_data + render, median",
                f"< {limit} s",
                _fmt(measured, " s", 3),
                measured < limit,
                f"report:{key}",
            )
    for db_name in ("sqlite", "postgres"):
        scaling = results[db_name].get("scaling")
        if not scaling:
            continue
        rows = scaling["aggregate"]
        biggest = rows[-1]
        label = "PostgreSQL" if db_name == "postgres" else "SQLite"
        if db_name == "postgres" or not results["postgres"].get("scaling"):
            add(
                f"aggregate over {biggest['councils']:,} councils ({label})",
                f"< {AGGREGATE_TARGET_MS} ms"
                + ("" if db_name == "postgres" else " (target is for PostgreSQL)"),
                _fmt(biggest["median_ms"], " ms"),
                biggest["median_ms"] < AGGREGATE_TARGET_MS,
            )
        growth_db = "postgres" if results["postgres"].get("scaling") else "sqlite"
        for row in rows[1:] if db_name == growth_db else []:
            factor = row["growth_vs_previous"]
            add(
                f"aggregate growth {row['councils'] // int(row['size_factor']):,} -> "
                f"{row['councils']:,} councils ({label})",
                f"linear or better (<= {row['size_factor']:.0f}x, 20% noise allowed)",
                _fmt(factor, "x", 2),
                factor <= row["size_factor"] * 1.2,
            )
    for db_name in ("sqlite", "postgres"):
        queue = results[db_name].get("queue")
        for run in queue["runs"] if queue else []:
            on = f" ({run['storage']} queue, {'PostgreSQL' if db_name == 'postgres' else 'SQLite'})"
            add(
                f"{run['invitations']:,} survey invitations{on}: the officer's request",
                "< 1 s",
                _fmt(run["request_s"], " s", 2),
                run["request_s"] < 1,
            )
            add(
                f"{run['invitations']:,} survey invitations{on}: every message reaches the "
                "SMTP sink",
                f"{run['invitations']:,}",
                f"{run['delivered']:,} (last at {_fmt(run['last_delivery_s'], ' s')}, "
                f"{_fmt(run['messages_per_s'])} messages/s)",
                run["delivered"] == run["invitations"],
            )
    for db_name in ("sqlite", "postgres"):
        bench = results[db_name].get("benchmarks")
        if not bench or not bench["sizes"]:
            continue
        label = "PostgreSQL" if db_name == "postgres" else "SQLite"
        biggest = bench["sizes"][-1]
        add(
            f"benchmark snapshot over {biggest['councils']:,} councils ({label})",
            f"< {SNAPSHOT_TARGET_S} s",
            _fmt(biggest["publish_s"], " s", 2),
            biggest["publish_s"] < SNAPSHOT_TARGET_S,
        )
        worst = max(row["added_cpu_ms"] for row in bench["sizes"])
        add(
            f"summary page's added cost with benchmarks, up to {biggest['councils']:,} "
            f"councils ({label})",
            f"< {BENCHMARK_PAGE_TARGET_MS} ms CPU",
            ", ".join(
                f"{row['councils']:,}: {row['added_cpu_ms']:.2f} ms" for row in bench["sizes"]
            ),
            worst < BENCHMARK_PAGE_TARGET_MS,
        )
        first = bench["sizes"][0]
        add(
            f"summary page's added cost constant from {first['councils']:,} to "
            f"{biggest['councils']:,} councils ({label})",
            f"within {BENCHMARK_PAGE_DRIFT_MS} ms, and the same queries",
            f"{biggest['added_cpu_ms'] - first['added_cpu_ms']:+.2f} ms; "
            f"queries {first['queries_on']} -> {biggest['queries_on']}",
            abs(biggest["added_cpu_ms"] - first["added_cpu_ms"]) <= BENCHMARK_PAGE_DRIFT_MS
            and biggest["queries_on"] == first["queries_on"],
        )
    mem = []
    for phase in ("load", "survey"):
        r = results["sqlite"].get(phase)
        if r:
            workers = r["memory_after"]["workers"].values()
            peak = max((m.get("VmHWM", 0) for m in workers), default=0)
            now = max((m.get("VmRSS", 0) for m in workers), default=0)
            mem.append((phase, peak, now))
    if mem:
        worst = max(peak for _, peak, _ in mem)
        add(
            "gunicorn worker peak RSS (VmHWM) after the load",
            f"< {MEMORY_TARGET_MIB} MiB",
            "; ".join(f"{p}: peak {pk:.0f} MiB, RSS now {n:.0f} MiB" for p, pk, n in mem),
            worst < MEMORY_TARGET_MIB,
        )
    return targets


def profile_targets_for(targets: list[dict]) -> list[str]:
    """The profile targets of missed targets (once each)."""
    out = []
    for t in targets:
        if t["met"] is False and t["profile"] and t["profile"] not in out:
            out.append(t["profile"])
    return out


def markdown(results: dict) -> str:
    lines: list[str] = []
    w = lines.append
    m = results["machine"]
    w(
        f"Run: `{results['command']}` ({results['mode']}), {results['date']}, "
        f"{results.get('total_seconds', 0):.0f} s"
    )
    w(
        f"Machine: {m['cores']} cores ({m['cpu']}), {m['memory']}, Python {m['python']}, "
        f"load average at start {' '.join(m['loadavg_at_start'])}; "
        f"calibration loop {m.get('python_loop_ms', '–')} ms "
        "(`sum(i*i for i in range(10**6))`, best of 5)"
    )
    code = results.get("code")
    if code:
        w(
            f"Code: commit {code['commit']} ({code['subject']})"
            + (
                f", with {code['src_files_changed_since_commit']} files under src/ changed "
                "since (another engineer was working in the tree)"
                if code["src_files_changed_since_commit"]
                else ""
            )
        )
    if results.get("failures"):
        w("")
        w("**Failures:** " + "; ".join(results["failures"]))

    if results.get("targets"):
        w("")
        w("### Targets")
        w("")
        w("| | target | measured | |")
        w("| --- | --- | --- | --- |")
        for t in results["targets"]:
            verdict = "met" if t["met"] else "**missed**"
            note = f" ({t['note']})" if t.get("note") else ""
            w(f"| {t['name']}{note} | {t['target']} | {t['measured']} | {verdict} |")

    load = results["sqlite"].get("load")
    if load:
        w("")
        w(
            f"### Pages under load ({load['database']}, gunicorn {load['server']['workers']} "
            f"{results['config']['worker_class']} workers, {load['users']} users)"
        )
        w("")
        w(
            f"Saturation: {load['users']} signed-in users, each sending its next request as soon "
            f"as the last one is answered, {load['duration']:.0f} s per page. Trivial view: "
            f"`{load['trivial_path']}` (anonymous)."
        )
        w("")
        w(
            "| page | requests | req/s | vs trivial | vs login page | p50 ms | p95 ms | p99 ms "
            "| errors | server CPU ms/req | client CPU share |"
        )
        w("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
        for name, r in load["saturation"].items():
            lat = r["latency_ms"]
            w(
                f"| {name} | {r['requests']:,} | {_fmt(r['rps'])} "
                f"| {_fmt(r['ratio_to_trivial'], '', 2)} "
                f"| {_fmt(r.get('ratio_to_login_page'), '', 2)} "
                f"| {_fmt(lat['p50'])} | {_fmt(lat['p95'])} | {_fmt(lat['p99'])} | {r['errors']} "
                f"| {_fmt(r['server_cpu_ms_per_request'])} | {_fmt(r['client_cpu_share'], '', 2)} |"
            )
        b = load["browse"]
        w("")
        w(
            f"At work: the same {load['users']} users going task list → principle 1 → save → "
            f"summary → plan, pausing {0.5 * load['think']:.1f}–{1.5 * load['think']:.1f} s "
            f"between pages, for {b['seconds']:.0f} s: {b['requests']:,} requests, "
            f"{_fmt(b['rps'])} req/s, {b['errors']} errors, "
            f"{_fmt(b['server_cpu_ms_per_request'])} server CPU ms/request."
        )
        w("")
        w("| page | requests | p50 ms | p95 ms | p99 ms | max ms |")
        w("| --- | ---: | ---: | ---: | ---: | ---: |")
        for name, lat in b["pages"].items():
            w(
                f"| {name} | {lat['n']:,} | {_fmt(lat['p50'])} | {_fmt(lat['p95'])} "
                f"| {_fmt(lat['p99'])} | {_fmt(lat['max'])} |"
            )
        lg = load["login"]
        w("")
        w(
            f"Sign-in of the {load['users']} users at once: {lg['seconds']} s in all, "
            f"p50 {_fmt(lg['latency_ms']['p50'])} ms, p95 {_fmt(lg['latency_ms']['p95'])} ms "
            f"(one {load.get('password_hasher', 'password')} check per sign-in, deliberately slow)."
        )

    for db_name in ("sqlite", "postgres"):
        survey = results[db_name].get("survey")
        if not survey:
            continue
        db = survey["database_after"]
        w("")
        w(f"### Survey spike ({survey['database']})")
        w("")
        w(
            f"{survey['councillors']:,} councillors arriving at random over "
            f"{survey['window_seconds']:.0f} s through the shared link, 18 requests each "
            + (
                f"(at most {survey['concurrency_cap']} requests on the wire at once)"
                if survey["concurrency_cap"]
                else "(each phone its own connection, no cap)"
            )
            + ": finished in "
            f"{survey['seconds']:.0f} s, last submission at "
            f"{_fmt(survey['last_submission_at_seconds'])} s; "
            f"{survey['requests']:,} requests, {_fmt(survey['rps'])} req/s, "
            f"**{survey['errors']} errors**, {survey['submitted']:,} submitted; "
            f"database afterwards: {db['survey_responses']:,} SurveyResponse rows, "
            f"{db['ballots_answered']:,} answered ballots, **{db['lost']} lost**, "
            f"{db['answered_ballots_with_draft_left']} answered ballots still holding a draft. "
            f"Server CPU {_fmt(survey['server_cpu_ms_per_request'])} ms/request; "
            f"client CPU share {_fmt(survey['client_cpu_share'], '', 2)}."
        )
        w("")
        w("| request | n | p50 ms | p95 ms | p99 ms | max ms |")
        w("| --- | ---: | ---: | ---: | ---: | ---: |")
        lat = survey["latency_ms"]
        w(
            f"| every request | {lat['n']:,} | {_fmt(lat['p50'])} | {_fmt(lat['p95'])} "
            f"| {_fmt(lat['p99'])} | {_fmt(lat['max'])} |"
        )
        for name, lat in survey["by_request"].items():
            w(
                f"| {name} | {lat['n']:,} | {_fmt(lat['p50'])} | {_fmt(lat['p95'])} "
                f"| {_fmt(lat['p99'])} | {_fmt(lat['max'])} |"
            )
        ws = survey["whole_survey_seconds"]
        w("")
        w(
            "One councillor's whole survey (18 requests, no pauses): "
            f"p50 {_fmt(ws['p50'], ' s', 2)}, "
            f"p95 {_fmt(ws['p95'], ' s', 2)}, max {_fmt(ws['max'], ' s', 2)}."
        )
        first, last = (
            survey["submit_latency_first_tenth_ms"],
            survey["submit_latency_last_tenth_ms"],
        )
        w("")
        w(
            "Submit (POST check) latency, first tenth of submissions: "
            f"p50 {_fmt(first['p50'])} ms; "
            f"last tenth: p50 {_fmt(last['p50'])} ms. Outcomes: "
            + ", ".join(f"{k} {v:,}" for k, v in survey["outcomes"].items())
            + (f". Errors: {survey['error_kinds']}" if survey["error_kinds"] else "")
            + f". SURVEY_TICKETS_PER_HOUR for this run: {survey.get('survey_tickets_per_hour')}."
        )

    reports = results["sqlite"].get("reports")
    if reports:
        c = reports["content"]
        w("")
        w(
            f"### Report generation ({reports['database']}; {c['statements']} statements, "
            f"{c['actions']} actions, feedback from {c['feedback_responses']:,} councillors; "
            f"median of {reports['runs']} runs after a first, cold run)"
        )
        w("")
        rd = reports["report_data"]
        w(
            f"`report_data(assessment)`: median {rd['median_s'] * 1000:.0f} ms "
            f"(cold {rd['cold_s'] * 1000:.0f} ms)."
        )
        w("")
        w("| format | render median | min | max | cold (first) | + report_data | size |")
        w("| --- | ---: | ---: | ---: | ---: | ---: | ---: |")
        for key, f in reports["formats"].items():
            w(
                f"| {key} | {f['median_s']:.3f} s | {f['min_s']:.3f} s | {f['max_s']:.3f} s "
                f"| {f['cold_s']:.3f} s | {f['with_report_data_median_s']:.3f} s "
                f"| {f['bytes'] / 1024:,.0f} KiB"
                + (f", {f['pages']} pages" if f.get("pages") else "")
                + " |"
            )

    for db_name in ("sqlite", "postgres"):
        q = results[db_name].get("queries")
        if not q:
            continue
        w("")
        w(
            f"### Queries per page ({q['database']}; Django test client, "
            f"CaptureQueriesContext; {q['survey_responses_per_round']} survey responses)"
        )
        w("")
        w("| page | " + " | ".join(q["columns"]) + " | grows? |")
        w("| --- | " + " | ".join("---:" for _ in q["columns"]) + " | --- |")
        for page, row in q["pages"].items():
            w(
                f"| {page} | "
                + " | ".join(str(row["counts"].get(c, "–")) for c in q["columns"])
                + f" | {'**yes**' if row['grows'] else 'no'} |"
            )

    for db_name in ("sqlite", "postgres"):
        s = results[db_name].get("scaling")
        if not s:
            continue
        w("")
        w(f"### Scaling ({s['database']})")
        w("")
        w(
            "Cross-council aggregate, mean score per statement by council type "
            "(`bench/aggregate.py`), one assessment (25 responses) per council:"
        )
        w("")
        w("| councils | responses | median ms | min ms | cold ms | growth vs previous | rows |")
        w("| ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
        for row in s["aggregate"]:
            growth = (
                f"{row['growth_vs_previous']:.2f}x for {row['size_factor']:.0f}x councils"
                if "growth_vs_previous" in row
                else "–"
            )
            w(
                f"| {row['councils']:,} | {row['responses']:,} | {row['median_ms']:.1f} "
                f"| {row['min_ms']:.1f} | {row['cold_ms']:.1f} | {growth} | {row['result_rows']} |"
            )
        w("")
        w(
            "Council page (trend of every assessment with plan delivery), Django test client, "
            "median:"
        )
        w("")
        w("| | " + " | ".join(s["trend"].keys()) + " |")
        w("| --- | " + " | ".join("---:" for _ in s["trend"]) + " |")
        labels = next(iter(s["trend"].values())).keys()
        for label in labels:
            w(
                f"| {label} | "
                + " | ".join(
                    f"{v[label]['median_ms']:.1f} ms, {v[label]['queries']} queries"
                    for v in s["trend"].values()
                )
                + " |"
            )

    for db_name in ("sqlite", "postgres"):
        s = results[db_name].get("scaling")
        if not s or not s.get("survey_submit"):
            continue
        w("")
        w(
            f"Survey submission (`shared_ticket` + `submit`, in-process, {s['database']}) "
            "by the number of ballots already in the round (it should not grow):"
        )
        w("")
        w("| ballots in round | median ms | max ms |")
        w("| ---: | ---: | ---: |")
        for row in s["survey_submit"]:
            w(f"| {row['ballots_in_round']:,} | {row['median_ms']:.1f} | {row['max_ms']:.1f} |")

    for db_name in ("sqlite", "postgres"):
        b = results[db_name].get("benchmarks")
        if not b:
            continue
        w("")
        w(f"### Benchmarks for a national host ({b['database']})")
        w("")
        w(
            f"Each council with a region, sharing, two agreed assessments and a closed survey "
            f"round of {b['survey_answers']} personal answers; K = {b['k']}. A snapshot "
            "(`benchmarks.services.publish_snapshot`, every earlier one as its history), then "
            "one council's summary page with benchmarks off and on, interleaved, in-process; "
            "CPU time, median."
        )
        w("")
        w(
            "| councils | generate s | snapshot s | counted | groups shown | record KiB "
            "| per-process copy MiB | first page after it ms | page off ms | page on ms "
            "| added ms | queries off / on |"
        )
        w("| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
        for row in b["sizes"]:
            w(
                f"| {row['councils']:,} | {row['generate_s']:.1f} | {row['publish_s']:.2f} "
                f"| {row['councils_counted'] or '–'} | {row['groups_shown']} of {row['groups']} "
                f"| {row['record_kib']:,} | {row['page_memory_mib']:.1f} "
                f"| {row['first_page_after_snapshot_ms']:.1f} | {row['page_off_cpu_ms']:.2f} "
                f"| {row['page_on_cpu_ms']:.2f} | {row['added_cpu_ms']:.2f} "
                f"| {row['queries_off']} / {row['queries_on']} |"
            )

    mem_rows = [(p, results["sqlite"][p]) for p in ("load", "survey") if results["sqlite"].get(p)]
    if mem_rows:
        w("")
        w("### gunicorn worker memory (MiB)")
        w("")
        w(
            "| after | worker VmHWM (peak) | worker VmRSS (now) | worker Pss (now) "
            "| before the load: VmHWM |"
        )
        w("| --- | --- | --- | --- | --- |")
        for phase, r in mem_rows:
            after = r["memory_after"]["workers"]
            before = r["memory_before"]["workers"]
            w(
                f"| {phase} | {', '.join(_fmt(v.get('VmHWM')) for v in after.values())} "
                f"| {', '.join(_fmt(v.get('VmRSS')) for v in after.values())} "
                f"| {', '.join(_fmt(v.get('Pss')) for v in after.values())} "
                f"| {', '.join(_fmt(v.get('VmHWM')) for v in before.values())} |"
            )
        imports = (results["sqlite"].get("load") or {}).get("import_memory")
        if imports:
            w("")
            w(
                "What a worker's memory is made of (VmRSS of a fresh process after each import, "
                "`bench/importmem.py`):"
            )
            w("")
            w("| step | RSS MiB | added MiB |")
            w("| --- | ---: | ---: |")
            for row in imports:
                w(f"| {row['step']} | {_fmt(row.get('rss_mib'))} | {_fmt(row.get('added_mib'))} |")

    prof = results["sqlite"].get("profile")
    if prof:
        w("")
        w("### Where the time goes (pyinstrument, in-process, Django test client)")
        for target, p in prof["profiles"].items():
            w("")
            w(
                f"**{target}**: {p['ms_per_step']:.1f} ms per step over {p['steps']} steps "
                f"(full tree: `{p['tree_file']}`)"
            )
            w("")
            w("| area | share | ms per step |")
            w("| --- | ---: | ---: |")
            for a in p["areas"]:
                if a["share"] < 0.01:
                    continue
                w(
                    f"| {a['area']} | {a['share'] * 100:.0f}% "
                    f"| {1000 * a['seconds'] / p['steps']:.1f} |"
                )
    return "\n".join(lines) + "\n"
