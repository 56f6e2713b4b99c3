#!/usr/bin/env bash
# Applies a rename (a moved block) to a journey server holding a million
# contacts, and measures the apply and the server's answers meanwhile
# (bench/README.md). JOURNEY_BENCH_CONTACTS=N runs a smaller size.
set -euo pipefail
cd "$(dirname "$0")/.."
JOURNEY_BENCH_APPLY=1 go test ./internal/seed/ -run '^$' -bench ApplyMovedMillion -benchtime 1x -timeout 40m "$@"
