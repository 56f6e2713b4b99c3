#!/usr/bin/env bash
# The crash test at full size: 10,000 contacts signing up over a minute into
# a campaign with transactional and marketing emails, a webhook and a short
# wait, while journey server (the real binary, SQLite) is killed with SIGKILL
# at random moments, at least five times, and started again; then every
# check of internal/loadgen's TestCrashSafety (bench/README.md). CI runs the
# same test with 3,000 contacts over 30 s (JOURNEY_CRASH=1, .ci/run).
#
# Usage: bash bench/crash.sh          (from anywhere in a clone; about 4
#        minutes on 2 cores)
# Environment: CONTACTS=10000 SPREAD=60s KILLS=5, and SEED=N to replay the
# kills' moments of a run that failed (it prints its seed).
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
echo "machine: $(nproc) CPUs, load average $(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo unknown)" >&2
export JOURNEY_CRASH=1
export JOURNEY_CRASH_CONTACTS=${CONTACTS:-10000}
export JOURNEY_CRASH_SPREAD=${SPREAD:-60s}
export JOURNEY_CRASH_KILLS=${KILLS:-5}
if [[ -n "${SEED:-}" ]]; then
	export JOURNEY_CRASH_SEED=$SEED
fi
exec go test -count 1 -v -timeout 0 -run '^TestCrashSafety$' ./internal/loadgen/
