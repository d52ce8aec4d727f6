{{/*
The Pod the sandbox service creates for each workspace. The driver fills in:
  metadata.labels["toad.dev/workspace-id"], the clone container's TOAD_GIT_URL and
  TOAD_GIT_COMMIT, and may lower the workspace container's resources and
  activeDeadlineSeconds (CreateWorkspaceRequest.limits).
Network, by the pod label toad.dev/sandbox-egress (see sandbox-networkpolicy.yaml):
  clone  while the init container fetches the commit (git ports only, no cluster ranges);
  none   set by the driver once the init container finished: no traffic in or out;
  open   instead of none for a workspace created with network=true (no cluster ranges).
*/}}
{{- define "toad.sandboxPod" -}}
{{- $jobs := .Values.services.sandbox.jobs -}}
{{- $image := include "toad.image" . -}}
{{- if $jobs.image.repository -}}
{{- $image = printf "%s:%s" $jobs.image.repository (required "services.sandbox.jobs.image.tag is required with a custom repository" $jobs.image.tag) -}}
{{- end -}}
apiVersion: v1
kind: Pod
metadata:
  generateName: {{ include "toad.componentName" (list . "sandbox-") }}
  namespace: {{ include "toad.jobsNamespace" . }}
  labels:
    {{- include "toad.selectorLabels" (list . "sandbox-job") | nindent 4 }}
    app.kubernetes.io/part-of: toad
    toad.dev/tier: sandbox-job
    toad.dev/sandbox-egress: clone
    toad.dev/workspace-id: ""
spec:
  serviceAccountName: {{ include "toad.componentName" (list . "sandbox-job") }}
  automountServiceAccountToken: false
  enableServiceLinks: false
  restartPolicy: Never
  activeDeadlineSeconds: {{ $jobs.activeDeadlineSeconds }}
  terminationGracePeriodSeconds: 5
  {{- with $jobs.runtimeClassName }}
  runtimeClassName: {{ . }}
  {{- end }}
  {{- with (include "toad.imagePullSecrets" . | trim) }}{{ . | nindent 2 }}{{- end }}
  securityContext:
    {{- include "toad.dataPodSecurityContext" (dict "uid" 1000) | nindent 4 }}
  initContainers:
    - name: clone
      image: {{ include "toad.image" . }}
      imagePullPolicy: {{ .Values.image.pullPolicy }}
      command: ["sh", "-ec"]
      args:
        - |
          git init -q /workspace/repo
          cd /workspace/repo
          git remote add origin "$TOAD_GIT_URL"
          git fetch -q --depth 1 origin "$TOAD_GIT_COMMIT"
          git checkout -q --detach FETCH_HEAD
      env:
        - name: TOAD_GIT_URL
          value: ""
        - name: TOAD_GIT_COMMIT
          value: ""
        - name: HOME
          value: /tmp
      resources:
        requests: {cpu: 250m, memory: 256Mi}
        limits: {cpu: "1", memory: 1Gi}
      securityContext:
        {{- include "toad.containerSecurityContext" dict | nindent 8 }}
      volumeMounts:
        - name: workspace
          mountPath: /workspace
        - name: tmp
          mountPath: /tmp
  containers:
    - name: workspace
      image: {{ $image }}
      imagePullPolicy: {{ .Values.image.pullPolicy }}
      {{- with $jobs.command }}
      command: {{ toJson . }}
      {{- end }}
      {{- with $jobs.args }}
      args: {{ toJson . }}
      {{- end }}
      workingDir: /workspace/repo
      env:
        - name: HOME
          value: /tmp
      resources:
        {{- toYaml $jobs.resources | nindent 8 }}
      securityContext:
        {{- include "toad.containerSecurityContext" dict | nindent 8 }}
      volumeMounts:
        - name: workspace
          mountPath: /workspace
        - name: tmp
          mountPath: /tmp
  volumes:
    - name: workspace
      emptyDir:
        sizeLimit: {{ $jobs.workspaceSizeLimit }}
    - name: tmp
      emptyDir:
        sizeLimit: 2Gi
{{- end -}}
