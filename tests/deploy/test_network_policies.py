"""The Kubernetes network policies and scrape annotations: nothing reaches or leaves a Vern pod but
what a service's configuration makes it call (its peers' URL settings, its databases, the IdP, SMTP,
the journal vendor, the newsletter providers), what calls it, the ingress controller and Prometheus.

Each service's allowed peers are read from the policies and compared with the calls its settings
and the ConfigMap make, so a new `<P>_<PEER>_URL` without a policy (or a policy without a call)
fails here."""

from __future__ import annotations

from functools import cache
from typing import Any

import pytest
import yaml

from tests.deploy import test_manifests
from tests.deploy.test_manifests import SERVICES, SETTINGS, Doc, pod_spec

INTERNET = {"cidr": "0.0.0.0/0", "except": ["10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16"]}
HTTPS = 443
POSTGRESQL = 5432


@cache
def applied_objects() -> list[Doc]:
    return test_manifests.applied_objects()


def objects_of(kind: str) -> dict[str, Doc]:
    return {d["metadata"]["name"]: d for d in applied_objects() if d["kind"] == kind}


def policies() -> dict[str, Doc]:
    return objects_of("NetworkPolicy")


def config() -> dict[str, str]:
    data: dict[str, str] = objects_of("ConfigMap")["vern-config"]["data"]
    return data


def pod_labels(name: str) -> dict[str, str]:
    labels: dict[str, str] = objects_of("Deployment")[name]["spec"]["template"]["metadata"][
        "labels"
    ]
    return labels


def selects(selector: Doc, labels: dict[str, str]) -> bool:
    assert set(selector) <= {"matchLabels"}, selector  # no matchExpressions to misread
    return bool(selector.get("matchLabels", {}).items() <= labels.items())


def policies_for(labels: dict[str, str], kind: str) -> list[Doc]:
    return [
        p
        for p in policies().values()
        if kind in p["spec"]["policyTypes"] and selects(p["spec"]["podSelector"], labels)
    ]


def allowing(labels: dict[str, str], kind: str) -> list[Doc]:
    """The policies that allow something (all but the default deny)."""
    return [p for p in policies_for(labels, kind) if p["metadata"]["name"] != "default-deny"]


def ports(rule: Doc) -> set[tuple[str, int]]:
    return {(p["protocol"], p["port"]) for p in rule["ports"]}


def peer_settings(svc: str) -> dict[str, str]:
    """`svc`'s settings that name another service's address, by setting: `<peer>_url` (its API)
    or `<peer>_<what>_url` (e.g. consent's `dsar_jwks_url`, dsar's published keys)."""
    fields = SETTINGS[svc].model_fields
    return {
        name: peer
        for name in fields
        if name.endswith("_url") and (peer := name.split("_")[0]) in SERVICES and peer != svc
    }


def called_services(svc: str) -> set[str]:
    """The services `svc` calls: each of its peer settings is set in the ConfigMap to an address
    of that service in the cluster."""
    settings = peer_settings(svc)
    for name, peer in settings.items():
        key = f"{svc.upper()}_{name.upper()}"
        address = f"http://{peer}:{SERVICES[peer]}"
        value = config().get(key)
        assert value == address or (value or "").startswith(f"{address}/{peer}/"), key
    return set(settings.values())


def external_calls(svc: str) -> dict[str, set[tuple[str, int]]]:
    """What `svc` calls outside the cluster, with the ports, from its settings."""
    fields = SETTINGS[svc].model_fields
    prefix = f"{svc.upper()}_"
    calls = {"postgresql": {("TCP", POSTGRESQL)}}
    assert {"database_url", "keystore_url"} <= set(fields)
    if "token_issuer" in fields:
        calls["idp"] = {("TCP", HTTPS)}
    if "smtp_host" in fields:
        calls["smtp"] = {("TCP", int(config()[f"{prefix}SMTP_PORT"]))}
    if "journal_webhook_url" in fields:
        assert config()[f"{prefix}JOURNAL_WEBHOOK_URL"].startswith("https://")
        calls["journal-vendor"] = {("TCP", HTTPS)}
    if {"sendgrid_api_url", "mailchimp_api_url"} & set(fields):
        calls["newsletter-providers"] = {("TCP", HTTPS)}
    return calls


def egress_of(svc: str) -> dict[str, tuple[list[Doc], set[tuple[str, int]]]]:
    """`<svc>-to-<peer>` policies: the peer, whom each lets the service reach, on which ports."""
    found = {}
    for policy in policies_for(pod_labels(svc), "Egress"):
        name = policy["metadata"]["name"]
        if name in {"default-deny", "dns"}:
            continue
        assert name.startswith(f"{svc}-to-"), name
        (rule,) = policy["spec"]["egress"]
        found[name.removeprefix(f"{svc}-to-")] = (rule["to"], ports(rule))
    return found


def test_everything_in_the_namespace_is_denied_unless_allowed() -> None:
    deny = policies()["default-deny"]["spec"]
    assert deny == {"podSelector": {}, "policyTypes": ["Ingress", "Egress"]}
    dns = policies()["dns"]["spec"]
    assert dns["podSelector"] == {}
    assert dns["policyTypes"] == ["Egress"]
    (rule,) = dns["egress"]
    assert ports(rule) == {("UDP", 53), ("TCP", 53)}


@pytest.mark.parametrize("svc", SERVICES)
def test_a_service_reaches_exactly_the_services_its_settings_call(svc: str) -> None:
    egress = egress_of(svc)
    in_cluster = {peer for peer in egress if peer in SERVICES}
    assert in_cluster == called_services(svc)
    for peer in in_cluster:
        to, allowed = egress[peer]
        assert to == [{"podSelector": {"matchLabels": pod_labels(peer)}}]
        assert allowed == {("TCP", SERVICES[peer])}


@pytest.mark.parametrize("svc", SERVICES)
def test_a_service_leaves_the_cluster_only_for_what_its_settings_call(svc: str) -> None:
    egress = egress_of(svc)
    outside = {peer: allowed for peer, (_, allowed) in egress.items() if peer not in SERVICES}
    assert outside == external_calls(svc)
    for peer, (to, _) in egress.items():
        if peer in {"idp", "journal-vendor", "newsletter-providers"}:
            assert to == [{"ipBlock": INTERNET}], peer  # public addresses only, never the cluster's
        elif peer == "postgresql":
            assert all(set(target) == {"ipBlock"} for target in to)


@pytest.mark.parametrize("svc", SERVICES)
def test_a_service_is_reached_by_its_callers_the_ingress_controller_and_prometheus(
    svc: str,
) -> None:
    (ingress,) = allowing(pod_labels(svc), "Ingress")
    assert ingress["metadata"]["name"] == f"{svc}-ingress"
    callers: set[str] = set()
    outside: list[Doc] = []
    for rule in ingress["spec"]["ingress"]:
        assert ports(rule) == {("TCP", SERVICES[svc])}
        for source in rule["from"]:
            if "namespaceSelector" in source:
                outside.append(source)
            else:
                (name,) = [
                    n for n in SERVICES if source["podSelector"]["matchLabels"] == pod_labels(n)
                ]
                callers.add(name)
    assert callers == {caller for caller in SERVICES if svc in called_services(caller)}
    namespaces = {
        s["namespaceSelector"]["matchLabels"]["kubernetes.io/metadata.name"] for s in outside
    }
    assert namespaces == {"ingress-nginx", "monitoring"}


def test_the_spa_is_reached_by_the_ingress_controller_only_and_calls_nothing() -> None:
    labels = pod_labels("spa")
    (ingress,) = allowing(labels, "Ingress")
    (rule,) = ingress["spec"]["ingress"]
    (source,) = rule["from"]
    assert source["namespaceSelector"]["matchLabels"] == {
        "kubernetes.io/metadata.name": "ingress-nginx"
    }
    assert ports(rule) == {("TCP", 8080)}
    assert [p["metadata"]["name"] for p in policies_for(labels, "Egress")] == [
        "default-deny",
        "dns",
    ]


def test_migration_jobs_reach_postgresql_only() -> None:
    for job in objects_of("Job").values():
        labels = job["spec"]["template"]["metadata"]["labels"]
        egress = [p["metadata"]["name"] for p in policies_for(labels, "Egress")]
        assert sorted(egress) == ["default-deny", "dns", "migrate-to-postgresql"], egress
        assert not [
            p for p in policies_for(labels, "Ingress") if p["metadata"]["name"] != "default-deny"
        ]


def test_every_policy_selects_a_pod_and_every_pod_is_under_the_default_deny() -> None:
    pods: list[dict[str, Any]] = [
        w["spec"]["template"]["metadata"]["labels"]
        for w in applied_objects()
        if w["kind"] in {"Deployment", "Job"}
    ]
    for name, policy in policies().items():
        assert any(selects(policy["spec"]["podSelector"], labels) for labels in pods), name
    for labels in pods:
        assert policies()["default-deny"] in policies_for(labels, "Egress")


@pytest.mark.parametrize("svc", SERVICES)
def test_prometheus_scrapes_each_service_pod_at_its_metrics_path(svc: str) -> None:
    deployment = objects_of("Deployment")[svc]
    annotations = deployment["spec"]["template"]["metadata"]["annotations"]
    assert annotations == {
        "prometheus.io/scrape": "true",
        "prometheus.io/port": str(SERVICES[svc]),
        "prometheus.io/path": f"/{svc}/metrics",
    }
    port = pod_spec(deployment)["containers"][0]["ports"][0]["containerPort"]
    assert port == SERVICES[svc]


def test_no_service_monitor_is_assumed() -> None:
    # Scrape annotations, not the Prometheus Operator's ServiceMonitor (see deploy/README.md).
    assert not [d for d in applied_objects() if d["kind"] == "ServiceMonitor"]


@pytest.mark.parametrize("svc", SERVICES)
def test_compose_sets_every_peer_url_a_service_calls(svc: str) -> None:
    compose = yaml.safe_load((test_manifests.DEPLOY / "compose.yaml").read_text(encoding="utf-8"))
    environment = compose["services"][svc].get("environment", {})
    for name, peer in peer_settings(svc).items():
        key = f"{svc.upper()}_{name.upper()}"
        # The same address as in the cluster: compose names its services as Kubernetes does.
        assert environment.get(key) == config()[key], (key, peer)
