{{/* The services config contract: where each data service and upstream service is. */}}

{{- define "toad.natsUrl" -}}
{{- if .Values.nats.enabled -}}
{{- printf "nats://%s:4222" (include "toad.componentName" (list . "nats")) -}}
{{- else -}}
{{- required "nats.external.url is required when nats.enabled is false (TOAD needs JetStream)" .Values.nats.external.url -}}
{{- end -}}
{{- end -}}

{{/* REDIS_URL when it holds no secret; empty when it comes from a Secret (see toad.secretEnv). */}}
{{- define "toad.plainRedisUrl" -}}
{{- if .Values.redis.enabled -}}
{{- if not .Values.redis.auth.existingSecret -}}
{{- printf "redis://%s:6379" (include "toad.componentName" (list . "redis")) -}}
{{- end -}}
{{- else if not .Values.redis.external.secretName -}}
{{- required "redis.external.url or redis.external.secretName is required when redis.enabled is false" .Values.redis.external.url -}}
{{- end -}}
{{- end -}}

{{- define "toad.qdrantUrl" -}}
{{- if .Values.qdrant.enabled -}}
{{- printf "http://%s:6333" (include "toad.componentName" (list . "qdrant")) -}}
{{- else -}}
{{- .Values.qdrant.external.url -}}
{{- end -}}
{{- end -}}

{{- define "toad.falkordbUrl" -}}
{{- if .Values.falkordb.enabled -}}
{{- printf "redis://%s:6379" (include "toad.componentName" (list . "falkordb")) -}}
{{- else -}}
{{- .Values.falkordb.external.url -}}
{{- end -}}
{{- end -}}

{{- define "toad.vllmBaseUrl" -}}
{{- if .Values.vllm.enabled -}}
{{- printf "http://%s:8000/v1" (include "toad.componentName" (list . "vllm")) -}}
{{- else -}}
{{- .Values.vllm.external.baseUrl -}}
{{- end -}}
{{- end -}}

{{/*
Container env entries that come from Secrets (REDIS_URL with a password, or an external
REDIS_URL kept in a Secret). Dependent variables: REDIS_PASSWORD must precede REDIS_URL.
*/}}
{{- define "toad.secretEnv" -}}
{{- if and .Values.redis.enabled .Values.redis.auth.existingSecret }}
- name: REDIS_PASSWORD
  valueFrom:
    secretKeyRef:
      name: {{ .Values.redis.auth.existingSecret }}
      key: {{ .Values.redis.auth.key }}
- name: REDIS_URL
  value: {{ printf "redis://:$(REDIS_PASSWORD)@%s:6379" (include "toad.componentName" (list . "redis")) | quote }}
{{- else if and (not .Values.redis.enabled) .Values.redis.external.secretName }}
- name: REDIS_URL
  valueFrom:
    secretKeyRef:
      name: {{ .Values.redis.external.secretName }}
      key: {{ .Values.redis.external.secretKey }}
{{- end }}
{{- end -}}

{{/* envFrom: the shared ConfigMap, then the chart's and the user's Secrets. */}}
{{- define "toad.envFrom" -}}
- configMapRef:
    name: {{ include "toad.componentName" (list . "env") }}
{{- if .Values.secrets.create }}
- secretRef:
    name: {{ include "toad.componentName" (list . "secrets") }}
{{- end }}
{{- with .Values.secrets.existingSecret }}
- secretRef:
    name: {{ . }}
    optional: true
{{- end }}
{{- end -}}
