"""Validation of deploy/ behind scripts/validate-deploy (see there)."""
import json
import pathlib
import subprocess
import sys
import tempfile
import urllib.parse

import jsonschema
import yaml

root = pathlib.Path(sys.argv[1])
directory = pathlib.Path(sys.argv[2])
venv = root / ".venv-tools" / "bin"
failures = []


def fail(where, message):
    failures.append(f"{where}: {message}")


def schema(name):
    document = json.loads((root / "models/schemas" / name).read_text())
    return jsonschema.Draft202012Validator(document, format_checker=jsonschema.FormatChecker())


custom = {
    "ServiceMonitor": schema("servicemonitor-monitoring.coreos.com-v1.json"),
    "VerticalPodAutoscaler": schema("verticalpodautoscaler-autoscaling.k8s.io-v1.json"),
}

def render(kustomization):
    rendered = subprocess.run([venv / "kubectl", "kustomize", str(kustomization)], capture_output=True, text=True)
    if rendered.returncode != 0:
        sys.exit(f"validate-deploy: kubectl kustomize {kustomization}: {rendered.stderr.strip()}")
    return [d for d in yaml.safe_load_all(rendered.stdout) if d is not None]


def name(obj):
    return f"{obj.get('kind')}/{obj.get('metadata', {}).get('name')}"


def check_schemas(objects, label):
    """Kubernetes' own schemas for core kinds, the project's for custom resources."""
    core = [o for o in objects if o.get("kind") not in custom]
    for obj in objects:
        validator = custom.get(obj.get("kind"))
        if validator:
            for error in sorted(validator.iter_errors(obj), key=lambda e: list(e.path)):
                fail(f"{label}{name(obj)}", f"{'/'.join(map(str, error.path)) or '<root>'}: {error.message}")
    # One run for all of them (its messages name each resource): a Python start per object is slow.
    with tempfile.TemporaryDirectory() as scratch:
        path = pathlib.Path(scratch) / "core.yaml"
        path.write_text(yaml.safe_dump_all(core))
        result = subprocess.run([venv / "kubernetes-validate", "--strict", "--quiet", str(path)], capture_output=True, text=True)
        if result.returncode != 0 or "WARN" in result.stdout:
            fail(f"{label}core kinds", (result.stdout + result.stderr).strip() or f"kubernetes-validate exit {result.returncode}")


# The one write the service may hold: patch on the VPA status subresource, with write-back on.
VPA_STATUS_WRITE = ("autoscaling.k8s.io", "verticalpodautoscalers/status", "patch")
# Replicas sharing the work (serve --replicas-shard) write their Leases: in a namespaced Role only.
LEASE_WRITE = (["coordination.k8s.io"], ["leases"], {"list", "create", "update"})


def check_policy(objects, label):
    # Policy.
    by_kind = {}
    for obj in objects:
        by_kind.setdefault(obj["kind"], []).append(obj)
    deployments = by_kind.get("Deployment", [])
    secrets = set()
    if len(deployments) != 1:
        fail(label + "deploy", f"expected one Deployment, found {len(deployments)}")
    for deployment in deployments:
        where = label + name(deployment)
        pod = deployment["spec"]["template"]["spec"]
        security = pod.get("securityContext", {})
        if security.get("runAsNonRoot") is not True:
            fail(where, "pod securityContext.runAsNonRoot must be true")
        if security.get("seccompProfile", {}).get("type") != "RuntimeDefault":
            fail(where, "pod seccompProfile must be RuntimeDefault")
        if pod.get("terminationGracePeriodSeconds", 30) < 120:
            fail(where, "terminationGracePeriodSeconds must leave a cycle time to finish (at least 120)")
        claims = {v["name"] for v in pod.get("volumes", []) if "persistentVolumeClaim" in v}
        secrets = {v["name"] for v in pod.get("volumes", []) if "secret" in v}
        for container in pod["containers"]:
            at = f"{where} container {container['name']}"
            context = container.get("securityContext", {})
            if context.get("readOnlyRootFilesystem") is not True:
                fail(at, "readOnlyRootFilesystem must be true")
            if context.get("allowPrivilegeEscalation") is not False:
                fail(at, "allowPrivilegeEscalation must be false")
            if "ALL" not in context.get("capabilities", {}).get("drop", []):
                fail(at, "capabilities must drop ALL")
            resources = container.get("resources", {})
            if not {"cpu", "memory"} <= set(resources.get("requests", {})) or "memory" not in resources.get("limits", {}):
                fail(at, "needs CPU and memory requests and a memory limit")
            if container.get("livenessProbe", {}).get("httpGet", {}).get("path") != "/healthz":
                fail(at, "livenessProbe must GET /healthz")
            if container.get("readinessProbe", {}).get("httpGet", {}).get("path") != "/readyz":
                fail(at, "readinessProbe must GET /readyz")
            args = container.get("args", [])
            if not any(a.startswith("--listen=") for a in args):
                fail(at, "must set --listen explicitly (the binary binds 127.0.0.1 otherwise)")
            store = next((a.split("=", 1)[1] for a in args if a.startswith("--db=")), None)
            mounts = [m for m in container.get("volumeMounts", []) if m["name"] in claims]
            def in_secret(path):
                return path is not None and any(path.startswith(m["mountPath"].rstrip("/") + "/")
                                                for m in container.get("volumeMounts", []) if m["name"] in secrets)
            if store is not None and store.startswith("postgres://"):
                # A shared PostgreSQL: no password in the URL, the password and the CA from a Secret.
                if "@" in store and ":" in store.split("://", 1)[1].split("@", 1)[0]:
                    fail(at, "--db must not carry a password")
                if not in_secret(next((a.split("=", 1)[1] for a in args if a.startswith("--db-password-file=")), None)):
                    fail(at, "a PostgreSQL --db needs --db-password-file in a Secret mount")
                query = urllib.parse.parse_qs(urllib.parse.urlparse(store).query)
                if query.get("sslmode") != ["verify-full"] or not in_secret((query.get("sslrootcert") or [None])[0]):
                    fail(at, "a PostgreSQL --db must verify the server (sslmode=verify-full, sslrootcert in a Secret mount)")
            elif store is None or not any(store.startswith(m["mountPath"].rstrip("/") + "/") for m in mounts):
                fail(at, "--db must point into a PersistentVolumeClaim mount")
            if "--replicas-shard" in args:
                names = {e.get("name"): e.get("valueFrom", {}).get("fieldRef", {}).get("fieldPath") for e in container.get("env", [])}
                if names.get("POD_NAME") != "metadata.name" or names.get("POD_NAMESPACE") != "metadata.namespace":
                    fail(at, "--replicas-shard needs POD_NAME and POD_NAMESPACE from the downward API (the Lease holder and namespace)")
                if store is None or not store.startswith("postgres://"):
                    fail(at, "--replicas-shard needs a PostgreSQL --db (the replicas share one store)")
        labels = deployment["spec"]["template"]["metadata"].get("labels", {})
        services = [s for s in by_kind.get("Service", []) if s["spec"].get("selector")
                    and all(labels.get(k) == v for k, v in s["spec"]["selector"].items())]
        if not services:
            fail(where, "no Service selects its pods")
        for monitor in by_kind.get("ServiceMonitor", []):
            wanted = monitor["spec"]["selector"].get("matchLabels", {})
            selected = [s for s in services if all(s["metadata"].get("labels", {}).get(k) == v for k, v in wanted.items())]
            ports = {p.get("name") for s in selected for p in s["spec"]["ports"]}
            if not selected:
                fail(label + name(monitor), "selects no Service of the Deployment")
            for endpoint in monitor["spec"]["endpoints"]:
                if endpoint.get("port") not in ports:
                    fail(label + name(monitor), f"port {endpoint.get('port')} is not a port of the selected Service")
                if endpoint.get("path", "/metrics") != "/metrics":
                    fail(label + name(monitor), "scrapes a path other than /metrics")
    writes_back = any("--write-vpa-status" in c.get("args", []) for d in deployments for c in d["spec"]["template"]["spec"]["containers"])
    shares = any("--replicas-shard" in c.get("args", []) for d in deployments for c in d["spec"]["template"]["spec"]["containers"])
    may_patch_status = False
    may_write_leases = False
    for role in by_kind.get("ClusterRole", []) + by_kind.get("Role", []):
        for rule in role.get("rules", []):
            verbs = set(rule.get("verbs", []))
            if verbs <= {"get", "list", "watch"}:
                pass
            elif (writes_back and verbs == {"patch"} and rule.get("apiGroups") == [VPA_STATUS_WRITE[0]]
                  and rule.get("resources") == [VPA_STATUS_WRITE[1]]):
                may_patch_status = True
            elif (shares and role["kind"] == "Role" and verbs == LEASE_WRITE[2] and rule.get("apiGroups") == LEASE_WRITE[0]
                  and rule.get("resources") == LEASE_WRITE[1]):
                may_write_leases = True
            else:
                fail(label + name(role), f"verbs {rule.get('verbs')} beyond get/list/watch"
                     + ("" if not writes_back else " (write-back may only patch autoscaling.k8s.io verticalpodautoscalers/status)"))
            if "secrets" in rule.get("resources", []) or "*" in rule.get("resources", []):
                fail(label + name(role), "reads secrets or every resource")
    if writes_back and not may_patch_status:
        fail(label + "deploy", "--write-vpa-status without a role to patch verticalpodautoscalers/status")
    if shares and not may_write_leases:
        fail(label + "deploy", "--replicas-shard without a namespaced Role to list, create and update coordination.k8s.io leases")
    if shares and any(d["spec"].get("replicas", 1) < 2 for d in deployments):
        fail(label + "deploy", "--replicas-shard with fewer than 2 replicas")

objects = render(directory)
check_schemas(objects, "")
check_policy(objects, "")
overlays = sorted(p.parent for p in directory.glob("overlays/*/kustomization.yaml"))
for overlay in overlays:
    rendered_overlay = render(overlay)
    check_schemas(rendered_overlay, f"overlays/{overlay.name}: ")
    check_policy(rendered_overlay, f"overlays/{overlay.name}: ")

# Examples: KEDA objects must point at the service's KEDA endpoint for their own scale target.
prediction_fields = {"predictedReplicas", "predictedMillicores.p50", "predictedMillicores.p90"}
examples = sorted((directory / "examples").glob("*.yaml")) if (directory / "examples").is_dir() else []
for path in examples:
    documents = [d for d in yaml.safe_load_all(path.read_text()) if d is not None]
    authentications = {d["metadata"]["name"] for d in documents if d.get("kind") == "TriggerAuthentication"}
    for obj in documents:
        if obj.get("kind") == "VerticalPodAutoscaler":
            for error in custom["VerticalPodAutoscaler"].iter_errors(obj):
                fail(f"{path.name} {name(obj)}", f"{'/'.join(map(str, error.path)) or '<root>'}: {error.message}")
            if "headroom" not in [r.get("name") for r in obj.get("spec", {}).get("recommenders", [])]:
                fail(f"{path.name} {name(obj)}", "spec.recommenders does not name headroom")
        if obj.get("kind") != "ScaledObject":
            continue
        where = f"{path.name} {name(obj)}"
        if obj.get("apiVersion") != "keda.sh/v1alpha1":
            fail(where, "apiVersion must be keda.sh/v1alpha1")
        target, namespace = obj["spec"]["scaleTargetRef"]["name"], obj["metadata"].get("namespace")
        for trigger in obj["spec"]["triggers"]:
            meta = trigger.get("metadata", {})
            if trigger.get("type") != "metrics-api":
                fail(where, "trigger type must be metrics-api")
                continue
            path_parts = urllib.parse.urlparse(meta.get("url", "")).path.strip("/").split("/")
            if path_parts != ["v1", "keda", namespace, target]:
                fail(where, f"url {meta.get('url')} is not /v1/keda/{namespace}/{target}")
            if meta.get("valueLocation") not in prediction_fields:
                fail(where, f"valueLocation {meta.get('valueLocation')} is not one of {sorted(prediction_fields)}")
            try:
                if float(meta.get("targetValue", "")) <= 0:
                    fail(where, "targetValue must be positive")
            except ValueError:
                fail(where, "targetValue must be a number")
            reference = trigger.get("authenticationRef", {}).get("name")
            if meta.get("authMode") == "bearer" and reference not in authentications:
                fail(where, f"authenticationRef {reference} names no TriggerAuthentication in the file")

for line in failures:
    print(line, file=sys.stderr)
print(f"validate-deploy: {len(objects)} objects, {len(overlays)} overlay(s) and {len(examples)} example file(s) checked, {len(failures)} problem(s)")
sys.exit(1 if failures else 0)
