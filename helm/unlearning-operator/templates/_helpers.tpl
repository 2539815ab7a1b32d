{{- define "uo.fullname" -}}
{{- if contains .Chart.Name .Release.Name -}}{{ .Release.Name | trunc 63 | trimSuffix "-" }}{{- else -}}{{ printf "%s-%s" .Release.Name .Chart.Name | trunc 63 | trimSuffix "-" }}{{- end -}}
{{- end -}}

{{- define "uo.labels" -}}
app.kubernetes.io/name: {{ .Chart.Name }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version }}
{{- end -}}

{{- define "uo.selector" -}}
app.kubernetes.io/name: {{ .Chart.Name }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end -}}

{{- define "uo.serviceAccount" -}}
{{- default (include "uo.fullname" .) .Values.serviceAccount.name -}}
{{- end -}}

{{- define "uo.image" -}}
{{ .Values.image.repository }}:{{ default .Chart.AppVersion .Values.image.tag }}
{{- end -}}

{{- define "uo.workerImage" -}}
{{- $repo := default .Values.image.repository .Values.worker.image.repository -}}
{{- if .Values.worker.image.digest -}}
{{ $repo }}@{{ .Values.worker.image.digest }}
{{- else -}}
{{ $repo }}:{{ default (default .Chart.AppVersion .Values.image.tag) .Values.worker.image.tag }}
{{- end -}}
{{- end -}}

{{/* Image prefixes spec.runtime.image may name: the values', or every tag of the worker image and its CUDA variant. */}}
{{- define "uo.allowedImages" -}}
{{- $repo := default .Values.image.repository .Values.worker.image.repository -}}
{{- $own := list (printf "%s:" $repo) (printf "%s-cuda:" $repo) -}}
{{- if .Values.worker.image.digest }}{{ $own = list (printf "%s@%s" $repo .Values.worker.image.digest) }}{{ end -}}
{{- join "," (default $own .Values.worker.allowedImages) -}}
{{- end -}}

{{/* The namespaces that hold models: the watched ones, or the release namespace when all are watched. */}}
{{- define "uo.modelNamespaces" -}}
{{- $all := list .Release.Namespace -}}
{{- range .Values.watchNamespaces }}{{ $all = append $all . }}{{ end -}}
{{- uniq $all | join "," -}}
{{- end -}}
