"""The data-region settings the Kubernetes component ships are the ones the proof runs, and they
keep every service's events in their region."""

from pathlib import Path

import yaml
from vigie_runtime.regions import (
    AGGREGATES_PRODUCER,
    REGION_PRIVATE_PRODUCERS,
    denied_exports,
    denied_imports,
    group_stream_config,
    leafnodes_block,
)

ROOT = Path(__file__).resolve().parents[2]
COMPONENT = ROOT / "deploy" / "k8s" / "components" / "data-region"


def test_the_component_leaf_node_settings_are_the_ones_the_proof_runs() -> None:
    shipped = (COMPONENT / "leafnodes.conf").read_text()
    settings = "".join(line for line in shipped.splitlines(True) if not line.startswith("#"))
    assert settings == leafnodes_block("$VIGIE_NATS_HUB_URL", "/etc/nats/hub/hub.creds")


def test_every_service_events_are_denied_out_of_a_region_and_aggregates_are_not() -> None:
    services = {p.name for p in (ROOT / "services").iterdir() if (p / "pyproject.toml").exists()}
    assert services <= set(REGION_PRIVATE_PRODUCERS)
    out = denied_exports()
    assert {f"vigie.{s}.>" for s in services} <= set(out)
    assert not any(s.startswith(f"vigie.{AGGREGATES_PRODUCER}") for s in out)
    assert "_INBOX.>" in out  # a message fetched from a local stream arrives on an inbox
    assert f"vigie.{AGGREGATES_PRODUCER}.>" in denied_imports()


def test_the_group_regions_are_the_overlays_using_the_component() -> None:
    overlays = ROOT / "deploy" / "k8s" / "overlays"
    regions = sorted(
        o.name
        for o in overlays.iterdir()
        if "components/data-region" in (o / "kustomization.yaml").read_text()
    )
    component = yaml.safe_load((COMPONENT / "kustomization.yaml").read_text())
    (common,) = [g for g in component["configMapGenerator"] if g["name"] == "vigie-common"]
    literals = dict(item.split("=", 1) for item in common["literals"])
    assert literals["VIGIE_GROUP_REGIONS"].split(",") == regions
    assert literals["VIGIE_GROUP_HUB_DOMAIN"] == "hub"


def test_the_hub_stream_sources_only_aggregates_from_each_region_domain() -> None:
    config = group_stream_config(["us", "eu", "us"])
    assert [s.external.api for s in config.sources or [] if s.external] == [
        "$JS.eu.API",
        "$JS.us.API",
    ]
    for source in config.sources or []:
        assert source.name == "VIGIE_AGGREGATES"
        sources = [t.src for t in source.subject_transforms or []]
        assert all(s.startswith("vigie.aggregates.*.") for s in sources)
