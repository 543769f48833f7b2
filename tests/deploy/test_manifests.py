"""The deployment files: every Kubernetes manifest is valid against the Kubernetes schemas
(offline, strict, with the schemas `kubernetes-validate` ships), every workload keeps the probe,
resource and security rules, the compose file wires migrations, health checks and profiles as
intended, and every setting named anywhere is one the services actually read."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import kubernetes_validate
import pytest
import yaml

from vern.consent.config import ConsentSettings
from vern.dsar.config import DsarSettings
from vern.kit.settings import ServiceSettings
from vern.registry.config import RegistrySettings
from vern.scheduler.config import SchedulerSettings

ROOT = Path(__file__).resolve().parents[2]
DEPLOY = ROOT / "deploy"
K8S = DEPLOY / "k8s"
KUBERNETES_VERSION = "1.30.0"
NAMESPACE = "vern"

SERVICES = {"registry": 8001, "consent": 8002, "dsar": 8003, "scheduler": 8004}
AUTOSCALED = {"registry", "consent", "dsar"}
SETTINGS: dict[str, type[ServiceSettings]] = {
    "registry": RegistrySettings,
    "consent": ConsentSettings,
    "dsar": DsarSettings,
    "scheduler": SchedulerSettings,
}
# Settings that are secrets: only ever in a Secret or a git-ignored env file.
SECRET_SETTINGS = {
    "DATABASE_URL",
    "KEYSTORE_URL",
    "KEKS",
    "ACTIVE_KEK_ID",
    "BLIND_INDEX_KEY",
    "CLIENT_SECRET",
}
# A service's own secrets besides those.
SERVICE_SECRETS = {"registry": {"JOURNAL_WEBHOOK_SECRET"}}
SECRET_WORDS = re.compile(r"PASSWORD|SECRET|KEKS|BLIND_INDEX_KEY|DATABASE_URL|KEYSTORE_URL")
PLACEHOLDER = "CHANGE-ME"
ORG_PROFILE_PATH = "/etc/vern/org-profile.yaml"
PYTHON_UID = 10001

Doc = dict[str, Any]


# --- helpers ---------------------------------------------------------------------------------------


def load_all(path: Path) -> list[Doc]:
    return [doc for doc in yaml.safe_load_all(path.read_text(encoding="utf-8")) if doc]


def manifest_files() -> list[Path]:
    return sorted(p for p in K8S.glob("*.yaml") if p.name != "kustomization.yaml")


def is_example(path: Path) -> bool:
    return path.name.endswith(".example.yaml")


def applied_objects() -> list[Doc]:
    """The objects kustomization.yaml applies (every manifest but the example Secrets)."""
    return [doc for path in manifest_files() if not is_example(path) for doc in load_all(path)]


def objects_of(kind: str) -> dict[str, Doc]:
    return {d["metadata"]["name"]: d for d in applied_objects() if d["kind"] == kind}


def pod_spec(workload: Doc) -> Doc:
    spec: Doc = workload["spec"]["template"]["spec"]
    return spec


def only_container(workload: Doc) -> Doc:
    containers = pod_spec(workload)["containers"]
    assert len(containers) == 1, workload["metadata"]["name"]
    container: Doc = containers[0]
    return container


def env_names(settings: type[ServiceSettings], prefix: str) -> set[str]:
    return {prefix + name.upper() for name in settings.model_fields}


def read_env_file(path: Path) -> dict[str, str]:
    values = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        key, _, value = line.partition("=")
        values[key.strip()] = value.strip().strip("'")
    return values


def validate(doc: Doc) -> None:
    try:
        kubernetes_validate.validate(doc, KUBERNETES_VERSION, strict=True)
    except kubernetes_validate.ValidationError as exc:
        where = ".".join(str(part) for part in exc.path)
        pytest.fail(f"{doc['kind']}/{doc['metadata']['name']}: {where}: {exc.message}")
    except kubernetes_validate.SchemaNotFoundError as exc:
        pytest.fail(f"no schema for {doc['kind']} {doc['apiVersion']}: {exc.message}")


# --- Kubernetes: schemas ---------------------------------------------------------------------------


MANIFESTS = [
    pytest.param(path, index, doc, id=f"{path.name}:{doc['kind']}/{doc['metadata']['name']}")
    for path in manifest_files()
    for index, doc in enumerate(load_all(path))
]


@pytest.mark.parametrize(("path", "index", "doc"), MANIFESTS)
def test_manifest_is_valid_against_the_kubernetes_schema(path: Path, index: int, doc: Doc) -> None:
    validate(doc)


def test_the_validator_works_offline_and_rejects_a_wrong_manifest() -> None:
    deployment = objects_of("Deployment")["registry"]
    broken = yaml.safe_load(yaml.safe_dump(deployment))
    broken["spec"]["template"]["spec"]["containers"][0]["securityContext"]["readOnlyRootFs"] = True
    with pytest.raises(kubernetes_validate.ValidationError):
        kubernetes_validate.validate(broken, KUBERNETES_VERSION, strict=True)
    assert kubernetes_validate.validate(deployment, KUBERNETES_VERSION, strict=True) == "1.30"


def test_kustomization_lists_every_manifest_but_the_examples() -> None:
    kustomization = yaml.safe_load((K8S / "kustomization.yaml").read_text(encoding="utf-8"))
    listed = kustomization["resources"]
    assert len(listed) == len(set(listed))
    assert set(listed) == {p.name for p in manifest_files() if not is_example(p)}
    assert kustomization["namespace"] == NAMESPACE
    for generator in kustomization["configMapGenerator"]:
        for source in generator["files"]:
            assert (K8S / source.partition("=")[2]).is_file(), source


def test_every_object_is_in_the_vern_namespace() -> None:
    for doc in applied_objects():
        if doc["kind"] == "Namespace":
            assert doc["metadata"]["name"] == NAMESPACE
        else:
            assert doc["metadata"].get("namespace") == NAMESPACE, doc["metadata"]["name"]


# --- Kubernetes: workloads ---------------------------------------------------------------------------


WORKLOADS = [
    pytest.param(doc, id=f"{doc['kind']}/{doc['metadata']['name']}")
    for doc in applied_objects()
    if doc["kind"] in {"Deployment", "Job"}
]


@pytest.mark.parametrize("workload", WORKLOADS)
def test_workload_runs_as_non_root_read_only_without_capabilities(workload: Doc) -> None:
    spec = pod_spec(workload)
    assert spec["securityContext"]["runAsNonRoot"] is True
    assert spec["securityContext"]["seccompProfile"]["type"] == "RuntimeDefault"
    assert spec["automountServiceAccountToken"] is False
    # Service links would put e.g. REGISTRY_PORT=tcp://... into the services' settings prefix.
    assert spec["enableServiceLinks"] is False
    for container in spec["containers"]:
        context = container["securityContext"]
        assert context["runAsNonRoot"] is True
        assert context["readOnlyRootFilesystem"] is True
        assert context["allowPrivilegeEscalation"] is False
        assert context["capabilities"]["drop"] == ["ALL"]
        assert "privileged" not in context
        resources = container["resources"]
        assert {"cpu", "memory"} <= set(resources["limits"]), container["name"]
        assert {"cpu", "memory"} <= set(resources["requests"]), container["name"]


@pytest.mark.parametrize(
    "deployment",
    [pytest.param(d, id=name) for name, d in objects_of("Deployment").items()],
)
def test_every_deployment_has_both_probes(deployment: Doc) -> None:
    for container in pod_spec(deployment)["containers"]:
        assert container["livenessProbe"]["httpGet"]["path"]
        assert container["readinessProbe"]["httpGet"]["path"]


@pytest.mark.parametrize(("svc", "port"), SERVICES.items())
def test_service_deployment_serves_with_health_and_ready_probes(svc: str, port: int) -> None:
    deployment = objects_of("Deployment")[svc]
    container = only_container(deployment)
    assert container["command"] == [
        *("python", "-m", f"vern.{svc}", "serve"),
        *("--host", "0.0.0.0", "--port", str(port)),  # noqa: S104 - inside the pod
    ]
    assert container["ports"] == [{"name": "http", "containerPort": port, "protocol": "TCP"}]
    assert container["livenessProbe"]["httpGet"] == {"path": f"/{svc}/health", "port": "http"}
    assert container["readinessProbe"]["httpGet"] == {"path": f"/{svc}/ready", "port": "http"}
    assert container["envFrom"] == [
        {"configMapRef": {"name": "vern-config"}},
        {"secretRef": {"name": f"vern-{svc}"}},
    ]
    assert pod_spec(deployment)["securityContext"]["runAsUser"] == PYTHON_UID
    mounts = {m["name"]: m for m in container["volumeMounts"]}
    assert mounts["org-profile"]["mountPath"] == str(Path(ORG_PROFILE_PATH).parent)
    volumes = {v["name"]: v for v in pod_spec(deployment)["volumes"]}
    assert volumes["org-profile"]["configMap"]["name"] == "vern-org-profile"


def test_services_select_their_deployments_by_named_port() -> None:
    deployments = objects_of("Deployment")
    for name, service in objects_of("Service").items():
        deployment = deployments[name]
        labels = deployment["spec"]["template"]["metadata"]["labels"]
        assert service["spec"]["selector"].items() <= labels.items(), name
        assert deployment["spec"]["selector"]["matchLabels"].items() <= labels.items(), name
        named = {p["name"]: p["containerPort"] for p in only_container(deployment)["ports"]}
        for port in service["spec"]["ports"]:
            assert port["targetPort"] in named, name
    assert set(objects_of("Service")) == {*SERVICES, "spa"}


def test_stateless_services_autoscale_and_the_scheduler_does_not() -> None:
    autoscalers = objects_of("HorizontalPodAutoscaler")
    assert set(autoscalers) == AUTOSCALED
    deployments = objects_of("Deployment")
    for name, hpa in autoscalers.items():
        assert hpa["apiVersion"] == "autoscaling/v2"
        target = hpa["spec"]["scaleTargetRef"]
        assert (target["apiVersion"], target["kind"], target["name"]) == (
            "apps/v1",
            "Deployment",
            name,
        )
        assert hpa["spec"]["minReplicas"] >= 2
        # The autoscaler owns the count: a `replicas` here would reset it on every apply.
        assert "replicas" not in deployments[name]["spec"], name


def test_the_scheduler_runs_an_active_replica_and_a_standby_that_takes_over() -> None:
    scheduler = objects_of("Deployment")["scheduler"]
    assert scheduler["spec"]["replicas"] == 2
    # Rolling one replica at a time: the other keeps (or takes) the lock meanwhile.
    assert scheduler["spec"]["strategy"]["rollingUpdate"] == {"maxUnavailable": 1, "maxSurge": 0}


@pytest.mark.parametrize("svc", SERVICES)
def test_a_migration_job_per_service(svc: str) -> None:
    job = objects_of("Job")[f"{svc}-migrate"]
    assert job["apiVersion"] == "batch/v1"
    container = only_container(job)
    assert container["command"] == ["python", "-m", f"vern.{svc}", "migrate"]
    assert {"secretRef": {"name": f"vern-{svc}"}} in container["envFrom"]
    assert pod_spec(job)["restartPolicy"] == "Never"
    assert container["image"] == only_container(objects_of("Deployment")[svc])["image"]


def test_the_ingress_routes_by_prefix() -> None:
    (ingress,) = objects_of("Ingress").values()
    assert ingress["apiVersion"] == "networking.k8s.io/v1"
    services = objects_of("Service")
    routes = {}
    for rule in ingress["spec"]["rules"]:
        for path in rule["http"]["paths"]:
            assert path["pathType"] == "Prefix"
            backend = path["backend"]["service"]
            port_names = {p["name"] for p in services[backend["name"]]["spec"]["ports"]}
            assert backend["port"]["name"] in port_names
            routes[path["path"]] = backend["name"]
    assert routes == {f"/{svc}": svc for svc in SERVICES} | {"/": "spa"}


# --- Kubernetes: configuration and secrets ------------------------------------------------------------


def test_the_config_map_names_only_real_non_secret_settings() -> None:
    data = objects_of("ConfigMap")["vern-config"]["data"]
    known = set().union(*(env_names(cls, f"{svc.upper()}_") for svc, cls in SETTINGS.items()))
    assert set(data) <= known, set(data) - known
    for svc, port in SERVICES.items():
        prefix = f"{svc.upper()}_"
        assert data[f"{prefix}ENVIRONMENT"] == "production"
        assert data[f"{prefix}ORG_PROFILE"] == ORG_PROFILE_PATH
        secrets = SECRET_SETTINGS | SERVICE_SECRETS.get(svc, set())
        assert not {f"{prefix}{name}" for name in secrets} & set(data)
        for key, value in data.items():
            if key.endswith("_URL") and f"://{svc}:" in value:
                # The service's own address, or a path on it under its prefix.
                address = f"http://{svc}:{port}"
                assert value == address or value.startswith(f"{address}/{svc}/"), key
    peers = {"REGISTRY_CONSENT_URL", "DSAR_REGISTRY_URL", "DSAR_CONSENT_URL"}
    assert {*peers, "SCHEDULER_REGISTRY_URL"} <= set(data)


@pytest.mark.parametrize("svc", SERVICES)
def test_the_example_secret_holds_only_placeholders(svc: str) -> None:
    path = K8S / f"secret-{svc}.example.yaml"
    assert "EXAMPLE" in path.read_text(encoding="utf-8")
    (secret,) = load_all(path)
    assert secret["kind"] == "Secret"
    assert secret["metadata"]["name"] == f"vern-{svc}"
    prefix = f"{svc.upper()}_"
    secrets = SECRET_SETTINGS | SERVICE_SECRETS.get(svc, set())
    assert set(secret["stringData"]) == {prefix + name for name in secrets}
    assert set(secret["stringData"]) <= env_names(SETTINGS[svc], prefix)
    for key, value in secret["stringData"].items():
        assert PLACEHOLDER in value, key


def test_no_secret_is_applied_from_the_repository() -> None:
    assert not objects_of("Secret")


def test_the_org_profile_is_one_of_the_reference_profiles() -> None:
    profile = (K8S / "files" / "org-profile.yaml").read_bytes()
    assert any(profile == org.read_bytes() for org in (DEPLOY / "orgs").glob("*.yaml"))


@pytest.mark.skipif(shutil.which("kubectl") is None, reason="kubectl is not installed")
def test_the_kustomize_build_is_valid() -> None:
    built = subprocess.run(
        ["kubectl", "kustomize", str(K8S)], check=True, capture_output=True, text=True
    ).stdout
    docs = [doc for doc in yaml.safe_load_all(built) if doc]
    for doc in docs:
        validate(doc)
    (profile,) = [
        d["metadata"]["name"]
        for d in docs
        if d["kind"] == "ConfigMap" and d["metadata"]["name"].startswith("vern-org-profile-")
    ]
    for doc in docs:
        if doc["kind"] == "Deployment" and doc["metadata"]["name"] in SERVICES:
            volumes = {v["name"]: v for v in pod_spec(doc)["volumes"]}
            assert volumes["org-profile"]["configMap"]["name"] == profile


# --- compose ---------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def compose() -> dict[str, Doc]:
    loaded = yaml.safe_load((DEPLOY / "compose.yaml").read_text(encoding="utf-8"))
    services: dict[str, Doc] = loaded["services"]
    return services


def test_compose_runs_postgres_15_with_data_and_key_store_per_service(
    compose: dict[str, Doc],
) -> None:
    db = compose["db"]
    assert db["image"].startswith("postgres:15")
    assert "./postgres/initdb:/docker-entrypoint-initdb.d:ro" in db["volumes"]
    sql = (DEPLOY / "postgres" / "initdb" / "10-vern-databases.sql").read_text(encoding="utf-8")
    created = set(re.findall(r"CREATE DATABASE (\w+) OWNER vern_(\w+);", sql))
    assert created == {(name, svc) for svc in SERVICES for name in (svc, f"{svc}_keys")}


@pytest.mark.parametrize(("svc", "port"), SERVICES.items())
def test_compose_migrates_each_service_before_starting_it(
    compose: dict[str, Doc], svc: str, port: int
) -> None:
    migrate = compose[f"{svc}-migrate"]
    assert migrate["command"] == ["python", "-m", f"vern.{svc}", "migrate"]
    assert migrate["restart"] == "no"
    assert migrate["depends_on"]["db"]["condition"] == "service_healthy"
    service = compose[svc]
    assert service["command"][:4] == ["python", "-m", f"vern.{svc}", "serve"]
    assert service["command"][-2:] == ["--port", str(port)]
    assert service["depends_on"][f"{svc}-migrate"]["condition"] == (
        "service_completed_successfully"
    )
    assert service["depends_on"]["db"]["condition"] == "service_healthy"
    assert f"http://127.0.0.1:{port}/{svc}/ready" in " ".join(service["healthcheck"]["test"])
    for container in (migrate, service):
        assert container["env_file"] == [{"path": f"env/{svc}.env", "required": True}]
        assert container["read_only"] is True
        assert container["cap_drop"] == ["ALL"]
        assert container["build"]["dockerfile"] == "deploy/Dockerfile"


def test_compose_long_running_services_have_healthchecks(compose: dict[str, Doc]) -> None:
    for name, service in compose.items():
        if service.get("restart") == "no":  # one-shot: others wait for it to complete
            assert "healthcheck" not in service, name
        else:
            assert service["healthcheck"]["test"], name


def test_compose_dependencies_wait_on_health_or_completion(compose: dict[str, Doc]) -> None:
    for name, service in compose.items():
        for target, rule in service.get("depends_on", {}).items():
            assert target in compose, (name, target)
            if rule["condition"] == "service_healthy":
                assert "healthcheck" in compose[target], (name, target)
            else:
                assert rule["condition"] == "service_completed_successfully", (name, target)
                assert compose[target]["restart"] == "no", (name, target)


def test_compose_serves_the_spa_on_8080_after_the_services(compose: dict[str, Doc]) -> None:
    spa = compose["spa"]
    assert spa["build"]["dockerfile"] == "deploy/spa.Dockerfile"
    assert len(spa["ports"]) == 1
    assert spa["ports"][0].endswith(":8080")
    assert spa["depends_on"] == {svc: {"condition": "service_healthy"} for svc in SERVICES}


def test_compose_runs_the_dev_idp_only_in_the_dev_profile(compose: dict[str, Doc]) -> None:
    idp = compose["dev-idp"]
    assert idp["profiles"] == ["dev"]
    assert idp["build"]["dockerfile"] == "deploy/dev-idp.Dockerfile"
    assert all(port.startswith("127.0.0.1:") for port in idp["ports"])
    for name, service in compose.items():
        if name != "dev-idp":
            assert "profiles" not in service, name
            assert "dev-idp" not in service.get("depends_on", {}), name


def test_compose_takes_secrets_only_from_env_files(compose: dict[str, Doc]) -> None:
    ignored = (DEPLOY / ".gitignore").read_text(encoding="utf-8").splitlines()
    assert {"/env/*.env", "/.env"} <= set(ignored)
    for name, service in compose.items():
        for key in service.get("environment", {}):
            assert not SECRET_WORDS.search(key), (name, key)
        for env_file in service.get("env_file", []):
            assert (DEPLOY / f"{env_file['path']}.example").is_file(), env_file


@pytest.mark.parametrize("svc", SERVICES)
def test_env_examples_name_real_settings_with_placeholder_secrets(
    compose: dict[str, Doc], svc: str
) -> None:
    prefix = f"{svc.upper()}_"
    example = read_env_file(DEPLOY / "env" / f"{svc}.env.example")
    known = env_names(SETTINGS[svc], prefix)
    assert set(example) <= known, set(example) - known
    secrets = SECRET_SETTINGS | SERVICE_SECRETS.get(svc, set())
    assert {prefix + name for name in secrets} <= set(example)
    for key, value in example.items():
        if key.removeprefix(prefix) in secrets - {"ACTIVE_KEK_ID"}:
            assert PLACEHOLDER in value, key
    assert set(compose[svc].get("environment", {})) <= known


def test_postgres_env_example_holds_only_placeholders() -> None:
    example = read_env_file(DEPLOY / "env" / "postgres.env.example")
    sql = (DEPLOY / "postgres" / "initdb" / "10-vern-databases.sql").read_text(encoding="utf-8")
    for variable in re.findall(r"\\getenv \w+ (\w+)", sql):
        assert PLACEHOLDER in example[variable], variable
    assert PLACEHOLDER in example["POSTGRES_PASSWORD"]


# --- images and the proxy --------------------------------------------------------------------------------


def test_the_service_image_is_locked_slim_and_non_root() -> None:
    dockerfile = (DEPLOY / "Dockerfile").read_text(encoding="utf-8")
    assert "ARG PYTHON_IMAGE=python:3.11-slim" in dockerfile
    assert "uv sync --locked --no-dev" in dockerfile
    assert "tzdata" in dockerfile
    users = re.findall(r"^USER (\S+)", dockerfile, flags=re.MULTILINE)
    assert users == [f"{PYTHON_UID}:{PYTHON_UID}"]


def test_the_spa_image_builds_with_node_20_and_serves_unprivileged() -> None:
    dockerfile = (DEPLOY / "spa.Dockerfile").read_text(encoding="utf-8")
    assert re.search(r"^FROM node:20\S* AS build$", dockerfile, flags=re.MULTILINE)
    assert re.search(r"^FROM nginxinc/nginx-unprivileged:\S+", dockerfile, flags=re.MULTILINE)
    assert re.findall(r"^USER (\S+)", dockerfile, flags=re.MULTILINE)[-1] == "101:101"
    assert (
        objects_of("Deployment")["spa"]["spec"]["template"]["spec"]["securityContext"]["runAsUser"]
        == 101
    )


def test_nginx_routes_the_prefixes_and_sets_the_security_headers() -> None:
    conf = (DEPLOY / "nginx.conf").read_text(encoding="utf-8")
    for svc, port in SERVICES.items():
        assert f"server {svc}:{port};" in conf
        assert re.search(rf"location \^~ /{svc}/\s+{{ proxy_pass http://{svc}; }}", conf)
    assert "try_files $uri $uri/ /index.html;" in conf
    csp = re.search(r'add_header Content-Security-Policy "([^"]+)" always;', conf)
    assert csp
    assert "frame-ancestors 'none'" in csp.group(1)
    assert "default-src 'self'" in csp.group(1)
    assert "__OIDC_ORIGINS__" in csp.group(1)  # filled in by spa.Dockerfile
    assert 'add_header X-Content-Type-Options "nosniff" always;' in conf
    assert 'add_header Referrer-Policy "no-referrer" always;' in conf
    assert re.search(r'add_header Strict-Transport-Security "max-age=\d+', conf)
    # Metrics never leave the cluster network through the proxy.
    for svc in SERVICES:
        assert re.search(rf"location = /{svc}/metrics\s+{{ return 404; }}", conf)
    # add_header inside a location would silently drop the server-level headers there.
    server = conf[conf.index("server {") :]
    assert server.count("add_header") == conf.count("add_header")
    assert not re.search(r"location[^{]*\{[^}]*add_header", server)
