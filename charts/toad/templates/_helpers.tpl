{{/* Names, labels and small shared pieces. */}}

{{- define "toad.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{/* <release>-toad, or the release name alone when it already says toad. */}}
{{- define "toad.fullname" -}}
{{- if .Values.fullnameOverride -}}
{{- .Values.fullnameOverride | trunc 40 | trimSuffix "-" -}}
{{- else -}}
{{- $name := default .Chart.Name .Values.nameOverride -}}
{{- if contains $name .Release.Name -}}
{{- .Release.Name | trunc 40 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name $name | trunc 40 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}
{{- end -}}

{{/* A component's resource name: (list $ "gateway") -> toad-gateway */}}
{{- define "toad.componentName" -}}
{{- $root := index . 0 -}}
{{- printf "%s-%s" (include "toad.fullname" $root) (index . 1) -}}
{{- end -}}

{{/* Selector labels of a component: (list $ "gateway") */}}
{{- define "toad.selectorLabels" -}}
{{- $root := index . 0 -}}
app.kubernetes.io/name: {{ include "toad.name" $root }}
app.kubernetes.io/instance: {{ $root.Release.Name }}
app.kubernetes.io/component: {{ index . 1 }}
{{- end -}}

{{/* Full labels of a component: (list $ "gateway") */}}
{{- define "toad.labels" -}}
{{- $root := index . 0 -}}
{{ include "toad.selectorLabels" . }}
app.kubernetes.io/part-of: toad
app.kubernetes.io/version: {{ $root.Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ $root.Release.Service }}
helm.sh/chart: {{ printf "%s-%s" $root.Chart.Name $root.Chart.Version | replace "+" "_" }}
{{- with $root.Values.commonLabels }}
{{ toYaml . }}
{{- end }}
{{- end -}}

{{/* Label every TOAD service pod carries; NetworkPolicies admit peers by it. */}}
{{- define "toad.serviceTierLabels" -}}
app.kubernetes.io/instance: {{ .Release.Name }}
toad.dev/tier: service
{{- end -}}

{{/* The TOAD image reference. */}}
{{- define "toad.image" -}}
{{- $img := .Values.image -}}
{{- if $img.digest -}}
{{- printf "%s@%s" $img.repository $img.digest -}}
{{- else -}}
{{- printf "%s:%s" $img.repository (default .Chart.AppVersion $img.tag) -}}
{{- end -}}
{{- end -}}

{{/* A data service image: (dict "image" .Values.nats.image) */}}
{{- define "toad.dataImage" -}}
{{- printf "%s:%s" .image.repository .image.tag -}}
{{- end -}}

{{/* Namespace of the sandbox job pods. */}}
{{- define "toad.jobsNamespace" -}}
{{- default .Release.Namespace .Values.services.sandbox.jobs.namespace -}}
{{- end -}}

{{/* Pod-level and container-level security defaults for data services: (dict "uid" 1000) */}}
{{- define "toad.dataPodSecurityContext" -}}
runAsNonRoot: true
runAsUser: {{ .uid }}
runAsGroup: {{ .uid }}
fsGroup: {{ .uid }}
fsGroupChangePolicy: OnRootMismatch
seccompProfile:
  type: RuntimeDefault
{{- end -}}

{{- define "toad.containerSecurityContext" -}}
allowPrivilegeEscalation: false
readOnlyRootFilesystem: {{ if hasKey . "readOnly" }}{{ .readOnly }}{{ else }}true{{ end }}
runAsNonRoot: true
capabilities:
  drop: [ALL]
{{- end -}}

{{/* A PVC spec: (dict "p" .Values.redis.persistence) */}}
{{- define "toad.pvcSpec" -}}
accessModes: [ReadWriteOnce]
{{- with .p.storageClassName }}
storageClassName: {{ . | quote }}
{{- end }}
resources:
  requests:
    storage: {{ .p.size }}
{{- end -}}

{{/* imagePullSecrets block, if any. */}}
{{- define "toad.imagePullSecrets" -}}
{{- with .Values.imagePullSecrets }}
imagePullSecrets:
{{- toYaml . | nindent 2 }}
{{- end }}
{{- end -}}

{{/* Milliseconds a service may drain: its grace period less the preStop sleep and 5 s of margin (at least 1 s). */}}
{{- define "toad.drainTimeoutMs" -}}
{{- max 1000 (mul (sub (sub (int .terminationGracePeriodSeconds) (int .preStopSleepSeconds)) 5) 1000) -}}
{{- end -}}
