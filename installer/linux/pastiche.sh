#!/bin/sh
# /usr/bin/pastiche: the app and its command line (pastiche --help). ONNX Runtime reads
# ORT_DISABLE_TELEMETRY when it starts; set here, the launcher needs no second JVM to set it.
# The short command-line runs go to the launcher with C1 only and the serial collector
# (bin/pastiche-cli); the app and `bench` to the default one (docs/engine.md, "Fourth round").
ORT_DISABLE_TELEMETRY=1
export ORT_DISABLE_TELEMETRY
case "$1" in
  stylize|styles|--help|-h|--version|-V) exec /opt/pastiche/bin/pastiche-cli "$@" ;;
esac
exec /opt/pastiche/bin/Pastiche "$@"
