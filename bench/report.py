"""The markdown table of a benchmark result: both repetitions, their median, the target."""

from __future__ import annotations

import statistics
from collections.abc import Callable

Row = tuple[str, Callable[[dict], float], str, Callable[[float, dict], bool] | None]


def _m(run: dict) -> dict:
    return run["main"]


def _rename(runs_key: str, position: int) -> Callable[[dict], float]:
    """Rename seconds for the smallest (0), middle (1) or largest (2) record count."""

    def get(run: dict) -> float:
        source = (
            run["main"]["rename_embedded"] if runs_key == "embedded" else run["rename_mongomock"]
        )
        return source[position]["seconds"]

    return get


def _export(position: int) -> Callable[[dict], float]:
    def get(run: dict) -> float:
        keys = sorted((k for k in run["main"] if k.startswith("export_")), key=lambda k: int(k[7:]))
        return run["main"][keys[position]]["seconds"]

    return get


ROWS: list[Row] = [
    (
        "1. create median ms (bcrypt 12)",
        lambda r: _m(r)["create_r12"]["median_ms"],
        "≤ bcrypt + 30 ms",
        lambda v, r: v <= _m(r)["bcrypt_r12_ms"] + 30,
    ),
    ("1. create p90 ms (bcrypt 12)", lambda r: _m(r)["create_r12"]["p90_ms"], "", None),
    (
        "1. create median ms (bcrypt 4)",
        lambda r: r["many_orgs"]["create_r4"]["median_ms"],
        "≤ bcrypt + 30 ms",
        lambda v, r: v <= _m(r)["bcrypt_r4_ms"] + 30,
    ),
    ("   bcrypt hash alone ms (12)", lambda r: _m(r)["bcrypt_r12_ms"], "", None),
    (
        "2. login median ms",
        lambda r: _m(r)["login_r12"]["median_ms"],
        "≤ bcrypt + 15 ms",
        lambda v, r: v <= _m(r)["bcrypt_r12_ms"] + 15,
    ),
    ("3. GET /org/get req/s c=1", lambda r: _m(r)["get_c1"]["rps"], "", None),
    (
        "3. GET /org/get req/s c=8",
        lambda r: _m(r)["get_c8"]["rps"],
        "≥ 1200",
        lambda v, r: v >= 1200,
    ),
    ("3. GET /org/get p50 ms c=8", lambda r: _m(r)["get_c8"]["p50_ms"], "", None),
    (
        "3. GET /org/get p99 ms c=8",
        lambda r: _m(r)["get_c8"]["p99_ms"],
        "≤ 20",
        lambda v, r: v <= 20,
    ),
    ("3. GET /org/get req/s c=32", lambda r: _m(r)["get_c32"]["rps"], "", None),
    ("3. GET /org/get p99 ms c=32", lambda r: _m(r)["get_c32"]["p99_ms"], "", None),
    (
        "4. p50 growth under 2 login loops",
        lambda r: _m(r)["get_under_logins"]["p50_growth"],
        "",
        None,
    ),
    (
        "4. p99 growth under 2 login loops",
        lambda r: _m(r)["get_under_logins"]["p99_growth"],
        "≤ 2×",
        lambda v, r: v <= 2,
    ),
    ("5. rename s, 0 records (embedded)", _rename("embedded", 0), "", None),
    ("5. rename s, 10k records (embedded)", _rename("embedded", 1), "", None),
    ("5. rename s, 100k records (embedded)", _rename("embedded", 2), "≤ 1 s", lambda v, r: v <= 1),
    ("5. rename s, 0 records (mongomock)", _rename("mongomock", 0), "", None),
    (
        "5. rename s, 100k records (mongomock)",
        _rename("mongomock", 2),
        "flat (≤ 0 records + 50 ms)",
        lambda v, r: v <= _rename("mongomock", 0)(r) + 0.05,
    ),
    ("6. GET req/s c=8, 10 orgs", lambda r: r["many_orgs"]["get_10_orgs"]["rps"], "", None),
    ("6. GET req/s c=8, many orgs", lambda r: r["many_orgs"]["get_many_orgs"]["rps"], "", None),
    (
        "6. GET p50 ratio many/10 orgs",
        lambda r: round(
            r["many_orgs"]["get_many_orgs"]["p50_ms"] / r["many_orgs"]["get_10_orgs"]["p50_ms"], 2
        ),
        "≤ 1.2",
        lambda v, r: v <= 1.2,
    ),
    ("7. bulk insert records/s", lambda r: _m(r)["bulk_insert"]["records_per_s"], "", None),
    ("7. list page (50) median ms, 100k org", lambda r: _m(r)["list_page"]["median_ms"], "", None),
    ("7. export s, 10k records", _export(0), "", None),
    ("7. export s, 100k records", _export(1), "≤ 10 s", lambda v, r: v <= 10),
    (
        "8. max worker RSS MB after 6",
        lambda r: max(r["many_orgs"]["rss_after_many_orgs_mb"]),
        "≤ 150",
        lambda v, r: v <= 150,
    ),
    ("8. max worker RSS MB after 7", lambda r: max(_m(r)["rss_after_records_mb"]), "", None),
]


def table(result: dict) -> str:
    runs = result["runs"]
    lines = [
        f"cores: {result['cores']}, "
        f"gunicorn workers×threads: {result['workers']}×{result['threads']}, "
        f"orgs seeded for 6: {result['seeded_orgs']['count']}",
        "",
        "| scenario | run 1 | run 2 | median | target | holds |",
        "| --- | ---: | ---: | ---: | --- | --- |",
    ]
    for label, get, target, check in ROWS:
        values = [get(run) for run in runs]
        median = round(statistics.median(values), 3)
        holds = ""
        if check is not None:
            ok = all(check(v, run) for v, run in zip(values, runs, strict=True))
            holds = "yes" if ok else "NO"
        cells = " | ".join(f"{v:g}" for v in values)
        lines.append(f"| {label} | {cells} | {median:g} | {target} | {holds} |")
    moved = all(
        r["all_moved"]
        for run in runs
        for r in run["main"]["rename_embedded"] + run["rename_mongomock"]
    )
    complete = all(
        v["complete"] for run in runs for k, v in run["main"].items() if k.startswith("export_")
    )
    lines += ["", f"every record moved on every rename: {moved}; every export complete: {complete}"]
    return "\n".join(lines)
