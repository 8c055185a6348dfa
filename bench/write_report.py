"""Summaries and the printed table of bench/write_bench.py (split out to keep modules short)."""

from __future__ import annotations

import collections
import json
import statistics
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PHASES = ("trivial", "insert", "submit", "review")


def summarise(phase: str, outputs: list[dict], duration: float) -> dict:
    merged = collections.defaultdict(list)
    ops = collections.Counter()
    errors = []
    for out in outputs:
        for kind, rows in out["results"].items():
            merged[kind].extend(rows)
        ops.update(out["ops"])
        errors.extend(out["errors"])
    kinds = {}
    requests = 0
    error_count = 0
    ok_status = {"trivial": 200, "insert": 200, "submit": 201, "claim": 200, "confirm": 200}
    for kind, rows in merged.items():
        latencies = sorted(ms for ms, _ in rows)
        statuses = collections.Counter(status for _, status in rows)
        bad = sum(n for status, n in statuses.items() if status != ok_status[kind])
        requests += len(rows)
        error_count += bad
        kinds[kind] = {
            "requests": len(rows),
            "errors": bad,
            "statuses": dict(statuses),
            "p50_ms": round(statistics.median(latencies), 1) if latencies else None,
            "p95_ms": round(latencies[int(len(latencies) * 0.95) - 1], 1) if latencies else None,
        }
    return {
        "phase": phase,
        "requests": requests,
        "errors": error_count,
        "req_per_s": round(requests / duration, 1),
        "kinds": kinds,
        "ops": dict(ops),
        "error_samples": errors[:5],
    }


def report(args, label, commit, phases, rss, seed_data, profiled) -> None:
    by_phase = collections.defaultdict(list)
    for result in phases:
        by_phase[result["phase"]].append(result)

    def mean(values):
        return sum(values) / len(values)

    def cpu_mean(results, process):
        return round(mean([r["cpu_ms_per_request"][process] for r in results]), 1)

    trivial = mean([r["req_per_s"] for r in by_phase["trivial"]])
    rows = []
    for phase in PHASES:
        results = by_phase[phase]
        kinds = sorted({k for r in results for k in r["kinds"]})
        for kind in kinds:
            per = [r["kinds"][kind] for r in results if kind in r["kinds"]]
            rps = mean([k["requests"] for k in per]) / args.duration
            rows.append(
                {
                    "phase": phase,
                    "request": kind,
                    "req_per_s": round(rps, 1),
                    "p50_ms": round(mean([k["p50_ms"] for k in per]), 1),
                    "p95_ms": round(mean([k["p95_ms"] for k in per]), 1),
                    "errors": sum(k["errors"] for k in per),
                }
            )
        phase_rps = mean([r["req_per_s"] for r in results])
        rows.append(
            {
                "phase": phase,
                "request": "(phase)",
                "req_per_s": round(phase_rps, 1),
                "ratio": round(phase_rps / trivial, 3),
                "errors": sum(r["errors"] for r in results),
                "app_cpu_ms": cpu_mean(results, "gunicorn"),
                "db_cpu_ms": cpu_mean(results, "postgres"),
            }
        )
    print(
        f"\n{label}: {seed_data['reports']:,} reports, {args.clients} clients, "
        f"{args.workers} workers, {args.rounds} x {args.duration:.0f} s per phase "
        f"(means over rounds; CPU = gunicorn workers / PostgreSQL backends per request)"
    )
    print(
        "| phase | req/s | ratio to trivial | p50 ms | p95 ms | errors "
        "| app CPU ms/req | PG CPU ms/req |"
    )
    print("|---|---|---|---|---|---|---|---|")
    for phase in PHASES:
        total = next(r for r in rows if r["phase"] == phase and r["request"] == "(phase)")
        kinds = [r for r in rows if r["phase"] == phase and r["request"] != "(phase)"]
        latency = ", ".join(f"{k['p50_ms']}" for k in kinds)
        latency95 = ", ".join(f"{k['p95_ms']}" for k in kinds)
        name = phase if len(kinds) == 1 else f"{phase} ({' + '.join(k['request'] for k in kinds)})"
        print(
            f"| {name} | {total['req_per_s']} | {total['ratio']:.1%} | {latency} | {latency95} "
            f"| {total['errors']} | {total['app_cpu_ms']} | {total['db_cpu_ms']} |"
        )
    confirmed = sum(r["ops"].get("confirmed", 0) for r in by_phase["review"])
    print(
        f"\nconfirmations: {confirmed / (args.rounds * args.duration):.1f}/s; "
        f"peak RSS of the gunicorn workers: {rss['workers_peak_mb']} MB"
    )
    for phase in ("insert", "submit", "review"):
        print(f"\ntop waits in pg_stat_activity, {phase} (share of sampled active backends):")
        for result in by_phase[phase]:
            waits = result["waits"]
            print(
                f"  round {result['round']}: {waits['active_backends_mean']} active backends "
                f"on average over {waits['samples']} samples"
            )
            for top in waits["top"][:5]:
                print(f"    {top['share']:5.0%}  {top['wait']:32s} {top['query']}")
        for result in by_phase[phase]:
            for sample in result["error_samples"][:2]:
                print(f"  error: {sample}")
    for name, result in profiled.items():
        print(
            f"\nprofile, one {name} at a time: {result['ms_per_request_unprofiled']} ms "
            "(unprofiled); share of profiled time:"
        )
        for part, share in result["shares"].items():
            print(f"    {share:5.0%}  {part}")
        print(f"  {result.get('sql_statements_per_request')} SQL statements; the costliest:")
        for query in result.get("slowest_sql", []):
            print(f"    {query['ms_per_request']:6.1f} ms  {query['sql']}")
    out = ROOT / "bench" / "results"
    out.mkdir(exist_ok=True)
    path = out / f"write-{label}-{datetime.now(UTC):%Y%m%dT%H%M%SZ}.json"
    args_json = {k: str(v) for k, v in vars(args).items()}
    path.write_text(
        json.dumps(
            {
                "label": label,
                "commit": commit,
                "args": args_json,
                "summary": rows,
                "phases": phases,
                "rss": rss,
                "profile": profiled,
            },
            indent=2,
        )
    )
    print(f"\nsaved {path.relative_to(ROOT)}")
