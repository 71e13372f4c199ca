"""The generated part of docs/RELIABILITY.md: Markdown from the inputs, each figure beside the
command that produced it. Only the text between the markers is replaced."""

from typing import Any

from tests.reliability_report.sources import Inputs

START = "<!-- reliability-report:start -->"
END = "<!-- reliability-report:end -->"
COMMAND = "uv run --frozen python -m tests.reliability_report"
KINDS = {"kill": "kills", "nats_restart": "NATS restarts", "nats_freeze": "NATS freezes",
         "postgres_restart": "PostgreSQL crashes"}  # fmt: skip
TITLES = {"short-sqlite": "short, SQLite", "short-postgres": "short, PostgreSQL",
          "soak-sqlite": "soak, SQLite", "soak-postgres": "soak, PostgreSQL"}  # fmt: skip


def _n(value: Any) -> str:
    return f"{value:,}" if isinstance(value, int) else str(value)


def _faults(run: dict[str, Any]) -> str:
    injected = run["faults_injected"]
    total = sum(injected.values())
    parts = ", ".join(f"{_n(n)} {KINDS.get(k, k)}" for k, n in sorted(injected.items()))
    return f"{_n(total)} ({parts})"


def _rows(run: dict[str, Any]) -> dict[str, str]:
    seconds = run.get("seconds", {})
    events = run.get("events", {})
    return {
        "command": f"`uv run --frozen {run['command']}`",
        "recorded": run.get("recorded_at", "?"),
        "faults injected": _faults(run),
        "events: mentions / posts": f"{_n(events.get('mentions', 0))} / {_n(events.get('posts', 0))}",
        "**lost**": f"**{_n(run['lost'])}**",
        "**duplicated**": f"**{_n(run['duplicated'])}**",
        "violations": "; ".join(run["violations"]) or "none",
        "recovery p50 / max": f"{run['recovery_p50_s']} s / {run['recovery_max_s']} s",
        "not back within the cap": _n(run.get("not_recovered_within_cap", 0)),
        "exited on their own": ", ".join(run.get("unexpected_exits", [])) or "none",
        "start / workload / drain": " / ".join(
            f"{seconds.get(k, '?')} s" for k in ("start", "load", "drain")
        ),
    }


def fault_section(runs: dict[str, dict[str, Any]]) -> list[str]:
    lines = ["### Fault runs", ""]
    if not runs:
        return [*lines, "No run recorded yet (`--record-fault-run`).", ""]
    names = list(runs)
    rows = {name: _rows(run) for name, run in runs.items()}
    lines.append("| | " + " | ".join(TITLES.get(n, n) for n in names) + " |")
    lines.append("|---|" + "---|" * len(names))
    for label in rows[names[0]]:
        lines.append(f"| {label} | " + " | ".join(rows[n][label] for n in names) + " |")
    lines += ["", "Recovery by kind of fault and how it was measured (p50 / max, count):", ""]
    for name, run in runs.items():
        kinds = run.get("recovery_by_kind", {})
        spread = "; ".join(
            f"{kind} {s['p50_s']} s / {s['max_s']} s ({_n(s['count'])})"
            for kind, s in kinds.items()
        )
        lines.append(f"- {TITLES.get(name, name)}: {spread or 'not recorded'}")
    return [*lines, ""]


def fuzz_section(fuzz: dict[str, Any] | None) -> list[str]:
    lines = ["### Fuzzing", ""]
    if fuzz is None:
        return [*lines, "Not recorded yet (`VIGIE_FUZZ_OUT=tests/fuzz/results/fuzz.json "
                "uv run pytest tests/fuzz`).", ""]  # fmt: skip
    lines += [f"Command: `{fuzz['command']}` ({fuzz.get('recorded_at', '?')}).", ""]
    lines += ["| surface | cases | operations | outcomes |", "|---|---|---|---|"]
    for surface in ("grpc", "graphql"):
        if surface in fuzz:
            s = fuzz[surface]
            outcomes = ", ".join(f"{k} {_n(v)}" for k, v in sorted(s["outcomes"].items()))
            lines.append(f"| {surface} | {_n(s['cases'])} | {_n(s['operations'])} | {outcomes} |")
    return [*lines, ""]


def security_section(counts: dict[str, int] | None) -> list[str]:
    lines = ["### Isolation, roles and token attacks", ""]
    if counts is None:
        return [*lines, "Not counted.", ""]
    isolation = sum(v for k, v in counts.items() if k.startswith("isolation"))
    lines += [
        "Command: `uv run --frozen python -m tests.security.matrix --count` (the cases the "
        "suites in tests/security generate from the committed contracts; they run in CI).",
        "",
        f"- isolation cases: **{_n(isolation)}** ("
        + ", ".join(f"{k} {_n(v)}" for k, v in counts.items() if k.startswith("isolation"))
        + ")",
        f"- token attacks: {_n(sum(v for k, v in counts.items() if k.startswith('token')))} ("
        + ", ".join(f"{k} {_n(v)}" for k, v in counts.items() if k.startswith("token"))
        + ")",
        f"- role matrix: {_n(counts.get('role_matrix', 0))}",
        f"- all security cases: {_n(sum(counts.values()))}",
    ]
    return [*lines, ""]


FLOODS = (
    ("tenant_b_during_tenant_a_graphql_flood", "tenant A's GraphQL flood (one token)"),
    ("tenant_b_during_tenant_a_partner_grpc_flood", "tenant A's partner gRPC flood"),
)


def _ms(figures: dict[str, Any]) -> str:
    return f"{figures['p50_ms']} / {figures['p99_ms']} ms"


def abuse_section(abuse: dict[str, Any] | None) -> list[str]:
    lines = ["### Abuse", ""]
    if abuse is None:
        return [*lines, "Not measured yet (`uv run python bench/bench_abuse.py`).", ""]
    load = abuse.get("load_average", [])
    lines += [f"Command: `{abuse['command']}` (load average {load}).", ""]
    lines += ["| abusive request | refused with | refusal p50 / p99 |", "|---|---|---|"]
    for name, figures in abuse["refusals"].items():
        outcomes = ", ".join(f"{k}: {_n(v)}" for k, v in figures["outcomes"].items())
        lines.append(f"| {name} | {outcomes} | {_ms(figures)} |")
    for key, label in FLOODS:
        by_outcome = abuse.get(key, {}).get("flood", {}).get("latency_by_outcome", {})
        for outcome, figures in by_outcome.items():
            if not outcome.startswith(("200", "0 OK")):
                lines.append(f"| {label}, each request | {outcome}: {_n(figures['n'])} | "
                             f"{_ms(figures)} |")  # fmt: skip
    lines += ["", "| tenant B's query (p50 / p99) | latency | tenant A's flood got |",
              "|---|---|---|"]  # fmt: skip
    for key, label in (("tenant_b_alone", "alone"), *FLOODS):
        if key in abuse:
            flood = abuse[key].get("flood", {}).get("outcomes", {})
            got = ", ".join(f"{k}: {_n(v)}" for k, v in flood.items()) or "-"
            lines.append(f"| {label} | {_ms(abuse[key])} | {got} |")
    return [*lines, ""]


def render(inputs: Inputs) -> str:
    lines = [
        START,
        "",
        f"*Generated by `{COMMAND}` from the recorded runs; do not edit between the markers.*",
        "",
        *fault_section(inputs.fault_runs),
        *fuzz_section(inputs.fuzz),
        *security_section(inputs.security),
        *abuse_section(inputs.abuse),
        END,
    ]
    return "\n".join(lines)


def replace_region(document: str, region: str) -> str:
    """The document with its generated region replaced (appended when it has none yet)."""
    if START in document and END in document:
        before = document.split(START, 1)[0]
        after = document.split(END, 1)[1]
        return before + region + after
    return document.rstrip("\n") + "\n\n## Figures of record\n\n" + region + "\n"
