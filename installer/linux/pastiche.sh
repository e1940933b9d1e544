#!/bin/sh
# /usr/bin/pastiche: the app and its command line (pastiche --help). ONNX Runtime reads
# ORT_DISABLE_TELEMETRY when it starts; set here, the launcher needs no second JVM to set it.
ORT_DISABLE_TELEMETRY=1
export ORT_DISABLE_TELEMETRY
exec /opt/pastiche/bin/Pastiche "$@"
