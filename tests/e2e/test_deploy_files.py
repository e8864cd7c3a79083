"""The deployment files, linted offline and checked against the binary they run: hadolint
(Dockerfile), yamllint (compose, Kubernetes), kubernetes-validate --strict (Kubernetes schemas,
bundled), systemd-analyze verify (unit); every `serve` flag they pass exists, every IDCARD_OCR_*
variable they set is one the binary reads, every probe path is in docs/openapi.json. No
container engine runs here: building the image and starting compose/Kubernetes are not tested."""
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from e2e_support import REPO, bin_path
from openapi_support import SPEC

VENV_BIN = Path(sys.executable).parent
K8S = sorted((REPO / "deploy" / "k8s").glob("*.yaml"))
UNIT = REPO / "deploy" / "systemd" / "idcard-ocr.service"


def run(*cmd, **kw):
    proc = subprocess.run([str(c) for c in cmd], capture_output=True, text=True, cwd=REPO, timeout=120, **kw)
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    return proc


def test_hadolint():
    run(VENV_BIN / "hadolint", "--config", REPO / ".hadolint.yaml", REPO / "Dockerfile")


def test_yamllint():
    run(VENV_BIN / "yamllint", "-s", "-c", REPO / ".yamllint.yaml", REPO / "compose.yaml", *K8S)


def test_kubernetes_schemas():
    manifests = [p for p in K8S if p.name != "kustomization.yaml"]
    out = run(VENV_BIN / "kubernetes-validate", "--strict", *manifests).stdout
    assert out.count(" passed ") == len(manifests), out
    kustomized = yaml.safe_load((REPO / "deploy" / "k8s" / "kustomization.yaml").read_text())["resources"]
    assert sorted(kustomized) == sorted(p.name for p in manifests)


def test_systemd_unit_verifies(tmp_path):
    exe = shutil.which("systemd-analyze")
    if not exe:
        if os.environ.get("CI") == "true":
            pytest.fail("systemd-analyze not found (make test-deps installs systemd)")
        pytest.skip("systemd-analyze not found")
    # verify insists that ExecStart's binary exists: point it at the one just built.
    unit = tmp_path / UNIT.name
    unit.write_text(UNIT.read_text().replace("/usr/local/bin/idcard-ocr", str(bin_path())))
    run(exe, "verify", unit)


def serve_flags() -> set:
    help_text = run(bin_path(), "serve", "--help").stdout
    return set(re.findall(r"(--[a-z][a-z-]+)", help_text))


def k8s_container():
    deployment = yaml.safe_load((REPO / "deploy" / "k8s" / "deployment.yaml").read_text())
    return deployment["spec"]["template"]["spec"]["containers"][0]


def commands() -> dict:
    """Each file's `serve ...` argument list."""
    compose = yaml.safe_load((REPO / "compose.yaml").read_text())
    docker_cmd = re.search(r'^CMD (\[.*\])$', (REPO / "Dockerfile").read_text(), re.M).group(1)
    exec_start = re.search(r"^ExecStart=\S+ (.*)$", UNIT.read_text(), re.M).group(1).split()
    return {"compose": compose["services"]["ocr"]["command"], "k8s": k8s_container()["args"],
            "Dockerfile": yaml.safe_load(docker_cmd), "systemd": exec_start}


def test_serve_flags_exist():
    known = serve_flags()
    for where, args in commands().items():
        assert args[0] == "serve", where
        used = {a.split("=")[0] for a in args if a.startswith("--")}
        assert used <= known, (where, used - known)


def test_environment_variables_are_read_by_the_binary():
    source = "".join(p.read_text() for p in (REPO / "src").rglob("*.cpp"))
    read = set(re.findall(r'"(IDCARD_OCR_[A-Z_]+)"', source))
    files = [REPO / "Dockerfile", REPO / "compose.yaml", UNIT, *K8S]
    used = set()
    for f in files:
        used |= set(re.findall(r"\b(IDCARD_OCR_[A-Z_]+)", f.read_text()))
    assert used and used <= read, used - read


def test_probes_are_documented_endpoints():
    c = k8s_container()
    paths = {c[p]["httpGet"]["path"] for p in ("startupProbe", "readinessProbe", "livenessProbe")}
    assert paths == {"/healthz", "/readyz"} and paths <= set(SPEC["paths"])
    assert "/readyz" in (REPO / "Dockerfile").read_text()
