"""The deployment files: Kubernetes manifests against the Kubernetes schemas, the compose file
and the nginx template that both it and the proxy tests use."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml
from nginx_support import TEMPLATE, check_config, nginx_conf

from gradscape.server.spawn import REPO

K8S = REPO / "deploy" / "kubernetes"
COMPOSE = REPO / "deploy" / "compose" / "compose.yaml"
MANIFESTS = sorted(p for p in K8S.glob("*.yaml") if p.name != "kustomization.yaml")


def validate(*paths: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "kubernetes_validate", "--strict", "--quiet",
                           *map(str, paths)], capture_output=True, text=True, check=False)


def load(name: str) -> dict[str, Any]:
    doc: dict[str, Any] = yaml.safe_load((K8S / name).read_text())
    return doc


def test_every_manifest_is_valid_against_the_kubernetes_schemas() -> None:
    result = validate(*MANIFESTS)
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_validator_rejects_a_misspelt_field(tmp_path: Path) -> None:
    # So the test above could fail: strict validation catches a typo in a probe.
    bad = (K8S / "deployment.yaml").read_text().replace("periodSeconds: 5", "periodSecond: 5")
    (tmp_path / "bad.yaml").write_text(bad)
    assert validate(tmp_path / "bad.yaml").returncode != 0


def test_kustomization_lists_every_manifest() -> None:
    listed = yaml.safe_load((K8S / "kustomization.yaml").read_text())["resources"]
    assert sorted(listed) == [p.name for p in MANIFESTS]


def test_deployment_probes_health_and_bounds_resources() -> None:
    deployment = load("deployment.yaml")
    pod = deployment["spec"]["template"]
    container = pod["spec"]["containers"][0]
    port_names = {p["name"]: p["containerPort"] for p in container["ports"]}
    for probe in ("readinessProbe", "livenessProbe"):
        get = container[probe]["httpGet"]
        assert get["path"] == "/api/health" and get["port"] in port_names
    # Readiness drops a draining pod at the first 503; liveness must not kill it meanwhile.
    assert container["readinessProbe"]["failureThreshold"] == 1
    assert container["livenessProbe"]["failureThreshold"] >= 3
    limits, requests = container["resources"]["limits"], container["resources"]["requests"]
    assert limits["memory"] and limits["cpu"] and requests["memory"] and requests["cpu"]
    assert pod["spec"]["terminationGracePeriodSeconds"] >= 10
    selector = deployment["spec"]["selector"]["matchLabels"]
    assert selector.items() <= pod["metadata"]["labels"].items()


def test_service_hpa_and_ingress_point_at_the_deployment_without_affinity() -> None:
    deployment, service = load("deployment.yaml"), load("service.yaml")
    hpa, ingress = load("hpa.yaml"), load("ingress.yaml")
    labels = deployment["spec"]["template"]["metadata"]["labels"]
    assert service["spec"]["selector"].items() <= labels.items()
    assert service["spec"].get("sessionAffinity", "None") == "None"
    assert hpa["spec"]["scaleTargetRef"] == {"apiVersion": "apps/v1", "kind": "Deployment",
                                             "name": deployment["metadata"]["name"]}
    assert hpa["spec"]["metrics"][0]["resource"]["name"] == "cpu"
    notes = ingress["metadata"]["annotations"]
    assert int(notes["nginx.ingress.kubernetes.io/proxy-read-timeout"]) >= 3600
    assert int(notes["nginx.ingress.kubernetes.io/proxy-send-timeout"]) >= 3600
    assert not any("affinity" in key for key in notes)
    backend = ingress["spec"]["rules"][0]["http"]["paths"][0]["backend"]["service"]
    assert backend["name"] == service["metadata"]["name"]
    assert backend["port"]["name"] in {p["name"] for p in service["spec"]["ports"]}


def test_compose_puts_nginx_with_the_shared_template_in_front_of_replicas() -> None:
    compose = yaml.safe_load(COMPOSE.read_text())
    app, proxy = compose["services"]["gradscape"], compose["services"]["nginx"]
    assert app["deploy"]["replicas"] >= 2 and "ports" not in app  # reached through nginx only
    mounted = [v.split(":")[0] for v in proxy["volumes"]]
    assert (COMPOSE.parent / mounted[0]).resolve() == TEMPLATE
    assert proxy["depends_on"]["gradscape"]["condition"] == "service_healthy"
    subnet = compose["networks"]["default"]["ipam"]["config"][0]["subnet"]
    assert app["environment"]["GRADSCAPE_TRUSTED_PROXIES"] == subnet
    upstream = proxy["environment"]["GRADSCAPE_UPSTREAM"]
    assert upstream == "server gradscape:8000 max_fails=0;"


@pytest.mark.parametrize("backends", [["127.0.0.1:9001"], ["127.0.0.1:9001", "127.0.0.1:9002"]])
def test_the_nginx_template_is_a_valid_nginx_config(tmp_path: Path, backends: list[str]) -> None:
    result = check_config(nginx_conf(8080, backends, tmp_path), tmp_path)
    assert result.returncode == 0, result.stderr
