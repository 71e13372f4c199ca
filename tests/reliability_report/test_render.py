"""The report renders from recorded JSON: a fault run kept compact (its per-fault list folded
into recovery figures per kind), fuzz counts, security counts and the abuse benchmark, written
between the markers of a document whose hand-written prose is kept."""

import json
from datetime import UTC, datetime
from pathlib import Path

from tests.reliability_report.render import END, START, render, replace_region
from tests.reliability_report.sources import Inputs, compact, read, record_fault_run

RUN = {
    "command": "python -m tests.fault.run --mode soak --backend postgres --seed 9",
    "mode": "soak", "backend": "postgres", "seed": 9,
    "faults_injected": {"kill": 4, "nats_restart": 1, "postgres_restart": 1},
    "events": {"mentions": 1234, "posts": 56}, "lost": 0, "duplicated": 0, "violations": [],
    "recovery_p50_s": 0.8, "recovery_max_s": 5.5, "unexpected_exits": [],
    "not_recovered_within_cap": 0, "seconds": {"start": 60.0, "load": 300.0, "drain": 2.0},
    "details": {"big": "left out"},
    "faults": [
        {"kind": "kill", "target": "listener-api", "recovery_s": 5.5, "recovery_measure": "throughput"},
        {"kind": "kill", "target": "listener-worker", "recovery_s": 1.5, "recovery_measure": "throughput"},
        {"kind": "kill", "target": "directory-api", "recovery_s": 0.5, "recovery_measure": "ready"},
        {"kind": "kill", "target": "directory-worker", "recovery_s": None, "recovery_measure": "ready"},
        {"kind": "nats_restart", "target": "nats", "recovery_s": 0.8},
        {"kind": "postgres_restart", "target": "postgres", "recovery_s": 4.0},
    ],
}  # fmt: skip
FUZZ = {"command": "VIGIE_FUZZ_OUT=f.json uv run pytest tests/fuzz", "recorded_at": "2026-12-06",
        "grpc": {"cases": 900, "operations": 180, "outcomes": {"OK": 100, "INVALID_ARGUMENT": 800}},
        "graphql": {"cases": 700, "operations": 140, "outcomes": {"200": 700}}}  # fmt: skip
ABUSE = {
    "command": "uv run python bench/bench_abuse.py --samples 10 --flooders 2",
    "load_average": [1.0, 1.0, 1.0, 1.2, 1.1, 1.0],
    "refusals": {"graphql_too_deep": {"p50_ms": 3.0, "p99_ms": 9.0, "max_ms": 9.0, "n": 10,
                                      "outcomes": {"200 QUERY_TOO_DEEP": 10}}},
    "tenant_b_alone": {"p50_ms": 20.0, "p99_ms": 40.0, "max_ms": 41.0, "n": 10, "outcomes": {}},
    "tenant_b_during_tenant_a_graphql_flood": {
        "p50_ms": 22.0, "p99_ms": 45.0, "max_ms": 50.0, "n": 10, "outcomes": {},
        "flood": {"outcomes": {"200": 200, "429 RATE_LIMITED": 5000}, "latency_by_outcome": {
            "200": {"p50_ms": 30.0, "p99_ms": 60.0, "max_ms": 61.0, "n": 200},
            "429 RATE_LIMITED": {"p50_ms": 2.0, "p99_ms": 7.0, "max_ms": 8.0, "n": 5000}}}},
}  # fmt: skip


def test_a_fault_run_is_kept_without_its_fault_list_but_with_recovery_per_kind(
    tmp_path: Path,
) -> None:
    kept = compact(RUN, datetime(2026, 12, 6, 6, 30, tzinfo=UTC))
    assert "faults" not in kept and "details" not in kept
    assert kept["recovery_by_kind"]["kill (throughput)"] == {"count": 2, "p50_s": 3.5, "max_s": 5.5}
    assert kept["recovery_by_kind"]["kill (ready)"]["count"] == 1  # the one never back: not a time
    assert kept["recorded_at"] == "2026-12-06 06:30 UTC"
    full = tmp_path / "run.json"
    full.write_text(json.dumps(RUN))
    assert record_fault_run(full, tmp_path / "results").name == "soak-postgres.json"


def test_the_report_renders_every_figure_with_its_command(tmp_path: Path) -> None:
    results = tmp_path / "results"
    run = tmp_path / "run.json"
    run.write_text(json.dumps(RUN))
    record_fault_run(run, results)
    (tmp_path / "fuzz.json").write_text(json.dumps(FUZZ))
    (tmp_path / "abuse.json").write_text(json.dumps(ABUSE))
    inputs = read(results, tmp_path / "fuzz.json", tmp_path / "abuse.json", security=False)
    inputs.security = {"isolation_grpc": 10, "isolation_graphql_http": 5, "token_attacks_grpc": 3,
                       "role_matrix": 2}  # fmt: skip
    text = render(inputs)
    assert "| faults injected | 6 (4 kills, 1 NATS restarts, 1 PostgreSQL crashes) |" in text
    assert "| **lost** | **0** |" in text and "| **duplicated** | **0** |" in text
    assert "| events: mentions / posts | 1,234 / 56 |" in text
    assert "| recovery p50 / max | 0.8 s / 5.5 s |" in text
    assert f"`uv run --frozen {RUN['command']}`" in text
    assert "kill (throughput) 3.5 s / 5.5 s (2)" in text
    assert "| grpc | 900 | 180 | INVALID_ARGUMENT 800, OK 100 |" in text
    assert "isolation cases: **15**" in text and "all security cases: 20" in text
    assert "| graphql_too_deep | 200 QUERY_TOO_DEEP: 10 | 3.0 / 9.0 ms |" in text
    assert "| alone | 20.0 / 40.0 ms | - |" in text
    assert "429 RATE_LIMITED: 5,000" in text
    assert (
        "| tenant A's GraphQL flood (one token), each request | 429 RATE_LIMITED: 5,000 | 2.0 / 7.0 ms |"
        in text
    )
    assert ABUSE["command"] in text and FUZZ["command"] in text


def test_only_the_region_between_the_markers_is_replaced() -> None:
    document = f"# Title\n\nprose\n\n{START}\nold figures\n{END}\n\nmore prose\n"
    updated = replace_region(document, f"{START}\nnew\n{END}")
    assert updated == f"# Title\n\nprose\n\n{START}\nnew\n{END}\n\nmore prose\n"
    first = replace_region("# Title\n", f"{START}\nnew\n{END}")
    assert first.endswith(f"{START}\nnew\n{END}\n") and first.startswith("# Title\n")


def test_missing_inputs_say_how_to_produce_them(tmp_path: Path) -> None:
    text = render(Inputs())
    assert "No run recorded yet" in text and "VIGIE_FUZZ_OUT" in text
    assert "bench/bench_abuse.py" in text
