#!/bin/sh
# Make the docker sandbox usable on this machine: Debian's docker.io and debootstrap
# when missing, dockerd running (started in the background when it is not), and the
# sandbox image built (skipped when an image with the same recipe exists).
# Idempotent: a second run changes nothing. Needs root.
set -eu

log=${DOCKERD_LOG:-/var/log/dockerd.log}

if ! command -v dockerd >/dev/null 2>&1 || ! command -v debootstrap >/dev/null 2>&1; then
    echo "docker-setup: installing docker.io and debootstrap from Debian's packages"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -q
    apt-get install -y -q docker.io debootstrap
fi

if ! docker info >/dev/null 2>&1; then
    echo "docker-setup: starting dockerd (log: $log)"
    mkdir -p "$(dirname "$log")"
    nohup dockerd >"$log" 2>&1 &
    tries=0
    until docker info >/dev/null 2>&1; do
        tries=$((tries + 1))
        if [ "$tries" -gt 60 ]; then
            echo "docker-setup: dockerd did not answer within 60 s; last lines of $log:" >&2
            tail -n 20 "$log" >&2
            exit 1
        fi
        sleep 1
    done
fi

exec mcp-codesteer sandbox build
