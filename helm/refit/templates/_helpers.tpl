{{/* Names, labels and images shared by the templates. */}}

{{- define "refit.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* The prefix of every object's name: the release name, plus the chart name unless it is in it. */}}
{{- define "refit.fullname" -}}
{{- if .Values.fullnameOverride }}
{{- .Values.fullnameOverride | trunc 40 | trimSuffix "-" }}
{{- else }}
{{- $name := default .Chart.Name .Values.nameOverride }}
{{- if contains $name .Release.Name }}
{{- .Release.Name | trunc 40 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-%s" .Release.Name $name | trunc 40 | trimSuffix "-" }}
{{- end }}
{{- end }}
{{- end }}

{{- define "refit.operator.fullname" -}}
{{- printf "%s-operator" (include "refit.fullname" .) }}
{{- end }}

{{- define "refit.nodeUpdater.fullname" -}}
{{- printf "%s-node-updater" (include "refit.fullname" .) }}
{{- end }}

{{/* The ServiceAccounts are named after their component. */}}
{{- define "refit.operator.serviceAccountName" -}}
{{- include "refit.operator.fullname" . }}
{{- end }}

{{- define "refit.nodeUpdater.serviceAccountName" -}}
{{- include "refit.nodeUpdater.fullname" . }}
{{- end }}

{{/* The user name the API server gives the node-updater's service account. */}}
{{- define "refit.nodeUpdater.userName" -}}
{{- printf "system:serviceaccount:%s:%s" .Release.Namespace (include "refit.nodeUpdater.serviceAccountName" .) }}
{{- end }}

{{- define "refit.labels" -}}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
app.kubernetes.io/name: {{ include "refit.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/part-of: refit
{{- with .Values.commonLabels }}
{{ toYaml . }}
{{- end }}
{{- end }}

{{- define "refit.operator.selectorLabels" -}}
app.kubernetes.io/name: {{ include "refit.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/component: operator
{{- end }}

{{- define "refit.nodeUpdater.selectorLabels" -}}
app.kubernetes.io/name: {{ include "refit.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/component: node-updater
{{- end }}

{{- define "refit.operator.labels" -}}
{{ include "refit.labels" . }}
app.kubernetes.io/component: operator
{{- end }}

{{- define "refit.nodeUpdater.labels" -}}
{{ include "refit.labels" . }}
app.kubernetes.io/component: node-updater
{{- end }}

{{/* repository:tag, or repository@digest when a digest is given. */}}
{{- define "refit.image" -}}
{{- $image := index . 0 }}
{{- $chart := index . 1 }}
{{- if $image.digest }}
{{- printf "%s@%s" $image.repository $image.digest }}
{{- else }}
{{- printf "%s:%s" $image.repository (default $chart.AppVersion $image.tag) }}
{{- end }}
{{- end }}

{{/* Namespaces where the node-updater may read SELinux module ConfigMaps. */}}
{{- define "refit.moduleConfigMapNamespaces" -}}
{{- if .Values.nodeUpdater.moduleConfigMapNamespaces }}
{{- toJson (uniq .Values.nodeUpdater.moduleConfigMapNamespaces) }}
{{- else }}
{{- toJson (list .Release.Namespace) }}
{{- end }}
{{- end }}
