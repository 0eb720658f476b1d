"""Manifest validation behind scripts/validate-manifests (see there)."""
import copy
import json
import pathlib
import subprocess
import sys
import tempfile

import jsonschema
import yaml

root = pathlib.Path(sys.argv[1])
directories = [pathlib.Path(p) for p in sys.argv[2:]]
if not directories:
    sys.exit("usage: validate-manifests DIR...")
venv = root / ".venv-tools" / "bin"
vpa_schema = json.loads((root / "models/schemas/verticalpodautoscaler-autoscaling.k8s.io-v1.json").read_text())
vpa_validator = jsonschema.Draft202012Validator(vpa_schema, format_checker=jsonschema.FormatChecker())

# Patches may set only container names and resources; anything else would be a surprise in review.
PATCHABLE_CONTAINER_KEYS = {"name", "resources"}


def base_object(kind, metadata, patch):
    """The smallest valid workload of `kind` a patch can be merged into: its containers exist
    with a CPU and a memory limit, so the patch's deletions have something to delete."""
    labels = {"app": metadata["name"]}
    containers = [{"name": c["name"], "image": "registry.example/" + c["name"] + ":current",
                   "resources": {"requests": {"cpu": "1", "memory": "1Gi"}, "limits": {"cpu": "2", "memory": "1Gi"}}}
                  for c in patch["spec"]["template"]["spec"]["containers"]]
    template = {"metadata": {"labels": labels}, "spec": {"containers": containers}}
    spec = {"selector": {"matchLabels": labels}, "template": template}
    if kind == "StatefulSet":
        spec["serviceName"] = metadata["name"]
    return {"apiVersion": "apps/v1", "kind": kind, "metadata": dict(metadata), "spec": spec}


def merge_patch(target, patch):
    """Strategic merge for what Headroom's patches contain: maps merge, containers by name."""
    containers = patch["spec"]["template"]["spec"]["containers"]
    existing = target["spec"]["template"]["spec"]["containers"]
    for container in containers:
        extra = set(container) - PATCHABLE_CONTAINER_KEYS
        if extra:
            raise ValueError(f"patch touches container fields {sorted(extra)}")
        match = next((c for c in existing if c["name"] == container["name"]), None)
        if match is None:
            match = {"name": container["name"], "image": "registry.example/" + container["name"] + ":current"}
            existing.append(match)
        match.setdefault("resources", {})
        for section, values in container.get("resources", {}).items():
            merged = match["resources"].setdefault(section, {})
            for key, value in values.items():
                if value is None:
                    merged.pop(key, None)  # strategic merge: null deletes the key
                else:
                    merged[key] = value
            if not merged:
                del match["resources"][section]
    return target


failures = 0
checked = 0
with tempfile.TemporaryDirectory() as scratch:
    for directory in directories:
        files = sorted(directory.rglob("*.yaml"))
        if not files:
            print(f"{directory}: no manifests", file=sys.stderr)
            failures += 1
        for path in files:
            try:
                documents = [d for d in yaml.safe_load_all(path.read_text()) if d is not None]
                for document in documents:
                    kind = document.get("kind")
                    checked += 1
                    if kind == "VerticalPodAutoscaler":
                        errors = sorted(vpa_validator.iter_errors(document), key=lambda e: list(e.path))
                        if errors:
                            raise ValueError("; ".join(f"{'/'.join(map(str, e.path)) or '<root>'}: {e.message}" for e in errors))
                    elif path.name.endswith(".patch.yaml"):
                        merged = merge_patch(base_object(kind, document["metadata"], document), document)
                        candidate = pathlib.Path(scratch) / (path.stem + ".merged.yaml")
                        candidate.write_text(yaml.safe_dump(merged))
                        result = subprocess.run([venv / "kubernetes-validate", "--strict", "--quiet", str(candidate)],
                                                capture_output=True, text=True)
                        if result.returncode != 0:
                            raise ValueError((result.stdout + result.stderr).strip())
                    else:
                        result = subprocess.run([venv / "kubernetes-validate", "--strict", "--quiet", str(path)],
                                                capture_output=True, text=True)
                        if result.returncode != 0 or "WARN" in result.stdout:
                            raise ValueError((result.stdout + result.stderr).strip() or f"kubernetes-validate exit {result.returncode}")
            except Exception as error:  # noqa: BLE001 - every failure is reported per file
                failures += 1
                print(f"{path}: {error}", file=sys.stderr)
print(f"validate-manifests: {checked} objects checked, {failures} failed")
sys.exit(1 if failures else 0)
