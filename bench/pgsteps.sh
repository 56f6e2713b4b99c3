#!/usr/bin/env bash
# The engine's steps per second on PostgreSQL (bench/README.md, "Steps on
# PostgreSQL"): one engine node and NODES of them, each a process running
# what journey server's scheduler runs, against a raw SQL baseline (FOR
# UPDATE SKIP LOCKED, then the token, timeline and delivery rows a step
# writes) with the same batch size and connections, in turns, on copies of
# one database of CONTACTS contacts due in the same minute.
#
# Usage: bash bench/pgsteps.sh [CONTACTS]   (from anywhere in a clone)
#   CONTACTS defaults to 20000 (about 5 minutes on 2 busy cores with 2
#   rounds); bash bench/pgsteps.sh 5000 is a quick check.
# Environment:
#   JOURNEY_POSTGRES_URL  a PostgreSQL server whose user may create
#                         databases; without it, .ci/postgres starts a
#                         throwaway one (PostgreSQL from Debian's packages)
#   ROUNDS=2              rounds of the runs, in turns
#   NODES=3               nodes of the larger runs
#   BATCH=200             steps per transaction (the scheduler's)
#   BEFORE=REV            also run the engine of git revision REV (a commit
#                         that has internal/cmd/pgsteps) in every round:
#                         a before and after in one run
#   PROFILE=dir           keep every node's CPU profile, log and the plan
#                         there, with the pgsteps binary
# Exit status: 0 when both goals are met, 1 when one is missed, 2 when the
# benchmark could not run.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
CONTACTS=${1:-20000}
if ! [[ "$CONTACTS" =~ ^[0-9]+$ ]] || ((CONTACTS < 1)); then
	echo "usage: bash bench/pgsteps.sh [CONTACTS >= 1]" >&2
	exit 2
fi
work=$(mktemp -d "${TMPDIR:-/tmp}/journey-pgsteps.XXXXXX")
trap 'rm -rf "$work"' EXIT

echo "machine: $(nproc) CPUs, load average $(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo unknown), $(go version)" >&2
echo "+ go build ./internal/cmd/pgsteps" >&2
go build -o "$work/pgsteps" ./internal/cmd/pgsteps
args=(-contacts "$CONTACTS" -rounds "${ROUNDS:-2}" -nodes "${NODES:-3}" -batch "${BATCH:-200}")
if [[ -n "${BEFORE:-}" ]]; then
	rev=$(git rev-parse --short "$BEFORE")
	echo "+ go build ./internal/cmd/pgsteps at $rev (BEFORE)" >&2
	mkdir "$work/before"
	git archive "$rev" | tar -x -C "$work/before"
	(cd "$work/before" && go build -o "$work/pgsteps-before" ./internal/cmd/pgsteps)
	args+=(-before "$work/pgsteps-before")
fi
if [[ -n "${PROFILE:-}" ]]; then
	mkdir -p "$PROFILE"
	cp "$work/pgsteps" "$PROFILE/pgsteps"
	args+=(-profile -dir "$PROFILE")
else
	args+=(-dir "$work/run")
fi
status=0
if [[ -n "${JOURNEY_POSTGRES_URL:-}" ]]; then
	"$work/pgsteps" "${args[@]}" || status=$?
else
	bash .ci/postgres "$work/pgsteps" "${args[@]}" || status=$?
fi
echo "machine after: load average $(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo unknown)" >&2
exit "$status"
