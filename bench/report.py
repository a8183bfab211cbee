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


def _fair(run: dict) -> dict:
    return run["main"]["get_under_logins"]


def _growth_rows(label: str, key: str, field: str, limit: float) -> list[Row]:
    """The figure at 100 orgs, at many orgs, and their ratio against ``limit``."""

    def at(size: str) -> Callable[[dict], float]:
        return lambda r: r["scale"][size][key][field]

    def ratio(r: dict) -> float:
        return round(at("many")(r) / at("few")(r), 2)

    return [
        (f"{label}, 100 orgs", at("few"), "", None),
        (f"{label}, many orgs", at("many"), "", None),
        (f"{label}, growth", ratio, f"≤ {limit}×", lambda v, r: v <= limit),
    ]


ROWS: list[Row] = [
    (
        "1. create median ms (bcrypt 12)",
        lambda r: _m(r)["create_r12"]["median_ms"],
        "≤ bcrypt + 30 ms",
        lambda v, r: v <= _m(r)["bcrypt_r12_ms"] + 30,
    ),
    ("1. create p90 ms (bcrypt 12)", lambda r: _m(r)["create_r12"]["p90_ms"], "", None),
    (
        "1. create median ms (bcrypt 4, many orgs)",
        lambda r: r["scale"]["many"]["create"]["median_ms"],
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
    ("4. GET p99 ms c=16 alone", lambda r: _fair(r)["alone"]["p99_ms"], "", None),
    (
        "4. GET p99 ms c=16 + 2 login loops",
        lambda r: _fair(r)["with_2_login_loops"]["p99_ms"],
        "",
        None,
    ),
    (
        "4. GET p99 growth under 2 login loops",
        lambda r: _fair(r)["p99_growth"],
        "≤ 1.5×",
        lambda v, r: v <= 1.5,
    ),
    ("4. login p50 ms alone", lambda r: _fair(r)["login_alone_p50_ms"], "", None),
    ("4. login p50 ms under 16 GET clients", lambda r: _fair(r)["login_loaded_p50_ms"], "", None),
    (
        "4. login p50 growth under load",
        lambda r: _fair(r)["login_p50_growth"],
        "≤ 2.5×",
        lambda v, r: v <= 2.5,
    ),
    ("4. logins done in the loaded run", lambda r: _fair(r)["logins_done"], "", None),
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
    *_growth_rows("6. create median ms (bcrypt 4)", "create", "median_ms", 1.2),
    *_growth_rows("6. login median ms (bcrypt 4)", "login", "median_ms", 1.2),
    *_growth_rows("6. GET /org/get p50 ms c=8", "get_c8", "p50_ms", 1.2),
    ("7. bulk insert records/s", lambda r: _m(r)["bulk_insert"]["records_per_s"], "", None),
    (
        "7. list page (50) median ms, 100k org",
        lambda r: _m(r)["list_page"]["median_ms"],
        "≤ 50",
        lambda v, r: v <= 50,
    ),
    ("7. export s, 10k records", _export(0), "", None),
    ("7. export s, 100k records", _export(1), "≤ 10 s", lambda v, r: v <= 10),
    ("8. max worker RSS MB, 100 orgs", lambda r: max(r["scale"]["few"]["rss_mb"]), "", None),
    (
        "8. max worker RSS MB, many orgs",
        lambda r: max(r["scale"]["many"]["rss_mb"]),
        "≤ 150",
        lambda v, r: v <= 150,
    ),
    ("8. max worker RSS MB after 7", lambda r: max(_m(r)["rss_after_records_mb"]), "", None),
]


def table(result: dict) -> str:
    rows = ROWS + FLOOR_ROWS + mix_rows()
    runs = result["runs"]
    lines = [
        f"cores: {result['cores']}, "
        f"gunicorn workers×threads: {result['workers']}×{result['threads']}, "
        f"orgs: 100 and {result['seeded_orgs']['count']} (6, 8, 10)",
        "",
        "| scenario | "
        + " | ".join(f"run {i + 1}" for i in range(len(runs)))
        + " | median | target | holds |",
        "| --- | " + "---: | " * len(runs) + "---: | --- | --- |",
    ]
    for label, get, target, check in rows:
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


def _floor(name: str, field: str = "rps") -> Callable[[dict], float]:
    """A floor figure: the median over scenario 9's interleaved rounds."""
    return lambda r: _m(r)["floor"][name][field]


FLOOR_ROWS: list[Row] = [
    ("9. bare WSGI hello-world req/s c=8", _floor("hello"), "", None),
    ("9. /healthz req/s c=8", _floor("healthz"), "", None),
    ("9. GET /org/get req/s c=8", _floor("get"), "", None),
    ("9. GET /org/get p99 ms c=8", _floor("get", "p99_ms"), "≤ 10 ms", lambda v, r: v <= 10),
    (
        "9. GET /org/get ÷ /healthz",
        lambda r: _m(r)["floor"]["get_over_healthz"],
        "≥ 0.85",
        lambda v, r: v >= 0.85,
    ),
    (
        "9. /healthz ÷ hello-world",
        lambda r: _m(r)["floor"]["healthz_over_hello"],
        "≥ 0.8",
        lambda v, r: v >= 0.8,
    ),
]


def mix_rows() -> list[Row]:
    """Scenario 10 (a day in the life): per route, at 100 and at many orgs, and the growth."""
    from bench.mix import MIX

    def get(size: str, route: str, field: str) -> Callable[[dict], float]:
        return lambda r: r["scale"][size]["mix"][route][field]

    def growth(route: str, field: str) -> Callable[[dict], float]:
        return lambda r: round(get("many", route, field)(r) / get("few", route, field)(r), 2)

    rows: list[Row] = []
    for route in MIX:
        for field in ("p50_ms", "p99_ms", "rps"):
            rows.append((f"10. mix {route} {field}, 100 orgs", get("few", route, field), "", None))
            rows.append(
                (f"10. mix {route} {field}, many orgs", get("many", route, field), "", None)
            )
        rows.append(
            (
                f"10. mix {route} p50 growth",
                growth(route, "p50_ms"),
                "≤ 1.2×",
                lambda v, r: v <= 1.2,
            )
        )
        rows.append((f"10. mix {route} p99 growth", growth(route, "p99_ms"), "", None))
    rows.append(
        (
            "10. mix total req/s, many ÷ 100 orgs",
            lambda r: round(
                sum(v["rps"] for v in r["scale"]["many"]["mix"].values())
                / sum(v["rps"] for v in r["scale"]["few"]["mix"].values()),
                2,
            ),
            "≥ 1/1.2 (0.83)",
            lambda v, r: v >= 1 / 1.2,
        )
    )
    rows.append(
        (
            "10. mix non-2xx responses",
            lambda r: sum(
                v["non_2xx"] for size in ("few", "many") for v in r["scale"][size]["mix"].values()
            ),
            "0",
            lambda v, r: v == 0,
        )
    )
    return rows
