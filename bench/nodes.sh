#!/usr/bin/env bash
# The three-node proof (bench/README.md, "Several servers on PostgreSQL"):
# three journey server processes on one PostgreSQL database, CONTACTS
# contacts whose waits fall due in the same minute with a marketing email
# each, journey mailsink as the SMTP server, and River's leader node killed
# with SIGKILL a third of the way through. It prints a PASS or FAIL line per
# check, with the numbers, then the figures (rates, lateness, the kill).
#
# Usage: bash bench/nodes.sh [CONTACTS]    (from anywhere in a clone)
#   CONTACTS defaults to 100000 (about 15 minutes on 2 busy cores: 5 of them
#   waiting for the due minute while the contacts are imported).
#   bash bench/nodes.sh 3000 is a quick check (about 2 minutes).
# Environment:
#   JOURNEY_POSTGRES_URL  a PostgreSQL server whose user may create
#                         databases; without it, .ci/postgres starts a
#                         throwaway one (PostgreSQL from Debian's packages)
#   NODES=3               journey servers
#   LEAD=5m               least time before the due minute (default: 20 s
#                         plus CONTACTS/400 s, for the import)
#   KILL=false            run without the kill
#   OUT=dir               keep the plan, the CSV files and every process's
#                         log there (default: a temporary directory, removed)
# Exit status: 0 when every check passed, 1 when one failed, 2 when the proof
# could not run.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
CONTACTS=${1:-100000}
if ! [[ "$CONTACTS" =~ ^[0-9]+$ ]] || ((CONTACTS < 3)); then
	echo "usage: bash bench/nodes.sh [CONTACTS >= 3]" >&2
	exit 2
fi
work=$(mktemp -d "${TMPDIR:-/tmp}/journey-nodes.XXXXXX")
trap 'rm -rf "$work"' EXIT
out=${OUT:-$work/run}

echo "machine: $(nproc) CPUs, load average $(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo unknown), $(go version)" >&2
echo "+ go build ./cmd/journey ./internal/cmd/nodeproof" >&2
go build -o "$work/journey" ./cmd/journey
go build -o "$work/nodeproof" ./internal/cmd/nodeproof

proof=("$work/nodeproof" -journey "$work/journey" -contacts "$CONTACTS" -nodes "${NODES:-3}"
	-kill="${KILL:-true}" -dir "$out")
if [[ -n "${LEAD:-}" ]]; then
	proof+=(-lead "$LEAD")
fi
status=0
if [[ -n "${JOURNEY_POSTGRES_URL:-}" ]]; then
	"${proof[@]}" || status=$?
else
	bash .ci/postgres "${proof[@]}" || status=$?
fi
echo "machine after: load average $(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo unknown)" >&2
exit "$status"
