#!/bin/sh
# The image's entrypoint: runs one service, named by the first argument or by SERVICE.
# exec: node becomes the container's main process and gets SIGTERM itself (runService shuts down).
set -eu
service="${1:-${SERVICE:-}}"
case "$service" in
  auth | messages | roulette | media | gateway) ;;
  *)
    echo "run-service: name the service to run: SERVICE=auth|messages|roulette|media|gateway or as the command (got '$service')" >&2
    exit 64
    ;;
esac
cd /app
exec node --import tsx "services/$service/src/main.ts"
