"""The alert rules and the OpenTelemetry collector's configuration, checked against the code.

The rules may only name series the code exports (the registry of a process that imported every
module declaring metrics), with labels those series carry: a renamed metric fails here, not on
a quiet dashboard. The collector's pipelines may only name components the file defines.
"""

import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
import vigie_publisher.app.metrics
import vigie_reputation.app.metrics
import yaml
from prometheus_client import REGISTRY
from vigie_runtime import metrics

ROOT = Path(__file__).resolve().parents[2]
RULES = ROOT / "deploy/k8s/components/metrics/alert-rules.yaml"
COLLECTOR = ROOT / "deploy/k8s/components/tracing/collector-config.yaml"

# The modules whose import declares series; imported above, named here so none is dropped.
DECLARING = (metrics, vigie_reputation.app.metrics, vigie_publisher.app.metrics)
PROMQL_WORDS = {
    "by",
    "without",
    "on",
    "ignoring",
    "group_left",
    "group_right",
    "bool",
    "and",
    "or",
    "unless",
    "offset",
    "le",
}
ALERT_NAME = re.compile(r"Vigie[A-Z][A-Za-z]+")


def exported() -> dict[str, set[str]]:
    """Every sample name the registry can produce (`_bucket`, `_count`, ...) and its labels."""
    names: dict[str, set[str]] = {}
    for collector, produced in REGISTRY._collector_to_names.items():
        labels = set(getattr(collector, "_labelnames", ()))
        for name in produced:
            names[name] = labels | ({"le"} if name.endswith("_bucket") else set())
    return names


def rules() -> list[dict[str, Any]]:
    document = yaml.safe_load(RULES.read_text())
    return [rule for group in document["groups"] for rule in group["rules"]]


def series_in(expression: str) -> list[tuple[str, set[str]]]:
    """The series an expression reads, with the labels it matches on or groups by."""
    found = []
    for match in re.finditer(
        r"([a-zA-Z_:][a-zA-Z0-9_:]*)\s*(\{[^}]*\})?\s*(\[[^\]]*\])?", expression
    ):
        name, matchers = match.group(1), match.group(2) or ""
        end = match.end(1)
        following = expression[end:].lstrip()[:1]
        if following == "(" or name in PROMQL_WORDS or not name.startswith("vigie_"):
            continue
        labels = set(re.findall(r"([a-zA-Z_]+)\s*=~?", matchers))
        found.append((name, labels))
    return found


def grouping_labels(expression: str) -> set[str]:
    return {
        label.strip()
        for group in re.findall(r"\b(?:by|without)\s*\(([^)]*)\)", expression)
        for label in group.split(",")
    }


@pytest.mark.parametrize("rule", rules(), ids=lambda r: r["alert"])
def test_every_alert_reads_only_series_and_labels_the_code_exports(rule: dict[str, Any]) -> None:
    names = exported()
    expression = rule["expr"]
    read = series_in(expression)
    assert read, f"{rule['alert']} reads no Vigie series"
    every_label: set[str] = set()
    for name, labels in read:
        assert name in names, f"{rule['alert']} reads {name}, which no code exports"
        assert labels <= names[name], f"{rule['alert']}: {name} has no label {labels - names[name]}"
        every_label |= names[name]
    assert grouping_labels(expression) <= every_label, rule["alert"]


def test_every_alert_is_named_explained_and_ranked() -> None:
    seen = set()
    for rule in rules():
        assert ALERT_NAME.fullmatch(rule["alert"]), rule["alert"]
        assert rule["alert"] not in seen
        seen.add(rule["alert"])
        assert rule["labels"]["severity"] in {"page", "ticket"}
        assert rule["annotations"]["summary"]


def test_the_operations_guide_explains_every_alert() -> None:
    guide = (ROOT / "docs/OPERATIONS.md").read_text()
    for rule in rules():
        assert f"`{rule['alert']}`" in guide, f"docs/OPERATIONS.md says nothing of {rule['alert']}"


def test_the_rules_cover_what_the_issue_asks_to_watch() -> None:
    read = {name for rule in rules() for name, _ in series_in(rule["expr"])}
    for wanted in (
        "vigie_rpc_server_duration_seconds_count",
        "vigie_rpc_server_duration_seconds_bucket",
        "vigie_outbox_oldest_pending_age_seconds",
        "vigie_consumer_pending_messages",
        "vigie_consumer_redeliveries_total",
        "vigie_dead_letters",
        "vigie_capture_to_alert_seconds_bucket",
        "vigie_publication_lateness_seconds_bucket",
    ):
        assert wanted in read, wanted


def test_the_collector_pipelines_name_only_components_it_defines() -> None:
    config = yaml.safe_load(COLLECTOR.read_text())
    service = config["service"]
    for extension in service.get("extensions", []):
        assert extension in config["extensions"], extension
    assert service["pipelines"], "no pipeline"
    for name, pipeline in service["pipelines"].items():
        for kind in ("receivers", "processors", "exporters"):
            for component in pipeline.get(kind, []):
                assert component in config[kind], f"{name} names an undefined {component}"
        assert pipeline["receivers"] and pipeline["exporters"], name
        # The memory limiter must see data first, and batching comes last (the collector's
        # own advice): a limiter after the batch would refuse whole batches too late.
        processors = pipeline["processors"]
        assert processors[0] == "memory_limiter" and processors[-1] == "batch", name
    assert "traces" in service["pipelines"]
    otlp = config["receivers"]["otlp"]["protocols"]
    assert otlp["grpc"]["endpoint"].endswith(":4317")
    assert otlp["http"]["endpoint"].endswith(":4318")


def promtool() -> str:
    """Debian's `prometheus` package ships promtool (.ci/run installs it)."""
    found = shutil.which("promtool")
    if found is None:
        pytest.skip("promtool is not installed (apt-get install prometheus)")
    return found


def test_promtool_accepts_the_rule_file() -> None:
    checked = subprocess.run(
        [promtool(), "check", "rules", str(RULES)], capture_output=True, text=True, check=False
    )
    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert f"SUCCESS: {len(rules())} rules found" in checked.stdout


def test_each_alert_fires_on_the_series_it_watches_in_promtool_unit_tests() -> None:
    cases = Path(__file__).parent / "promtool" / "alert-rules-test.yaml"
    tested = subprocess.run(
        [promtool(), "test", "rules", str(cases)], capture_output=True, text=True, check=False
    )
    assert tested.returncode == 0, tested.stdout + tested.stderr
