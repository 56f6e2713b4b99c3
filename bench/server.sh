#!/usr/bin/env bash
# Measures journey server against its performance goals (bench/README.md),
# on SQLite, from a load generator in a process of its own over loopback
# (internal/cmd/journey-load), each measurement on a fresh database:
#
#   1. events: EVENTS_RATE events/s for EVENTS_FOR, each enrolling or
#      advancing a contact: sustained >= 5,000/s with p99 <= 50 ms;
#   2. timers: 100,000 waits due evenly over one minute: p99 <= 1 s late;
#   3. deliveries: emails/s to an SMTP sink >= 50% of River's own
#      trivial-job rate (runtime/queue's BenchmarkTrivialJobs, defaults),
#      both measured in this run, the same number of each;
#   4. memory: the server's peak RSS with 1,000,000 contacts enrolled
#      <= 1.2 x that with 100,000.
#
# Usage: bash bench/server.sh            (from anywhere in a clone; about
#        25 minutes on 2 cores, most of it enrolling the 1,000,000)
# Environment:
#   ONLY=events,timers,deliveries,memory   the measurements to run
#   EVENTS_RATE=5000  EVENTS_FOR=60s  EVENTS_CONNS=64
#   TIMERS=100000     DELIVERIES=20000
#   MEMORY_SMALL=100000  MEMORY_LARGE=1000000
#   OUT=file          also keep the raw BENCH lines there
#   JOURNEY_BENCH_DIR where the databases go (default: a temporary
#                     directory, removed at the end)
# Exit status: 0 when every goal measured is met, 1 when one is missed, 2
# when the benchmark could not run.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
ONLY=${ONLY:-events,timers,deliveries,memory}
EVENTS_RATE=${EVENTS_RATE:-5000}
EVENTS_FOR=${EVENTS_FOR:-60s}
EVENTS_CONNS=${EVENTS_CONNS:-64}
TIMERS=${TIMERS:-100000}
DELIVERIES=${DELIVERIES:-20000}
MEMORY_SMALL=${MEMORY_SMALL:-100000}
MEMORY_LARGE=${MEMORY_LARGE:-1000000}
work=$(mktemp -d "${TMPDIR:-/tmp}/journey-server-bench.XXXXXX")
trap 'rm -rf "$work"' EXIT
dbroot=${JOURNEY_BENCH_DIR:-$work/db}
mkdir -p "$dbroot"
out=$work/bench.out
: >"$out"

machine() { echo "machine: $(nproc) CPUs, load average $(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo unknown)" >&2; }
echo "$(go version)" >&2
machine
for what in cmd/journey internal/cmd/journey-load; do
	echo "+ go build ./$what" >&2
	if ! go build -o "$work/$(basename "$what")" "./$what"; then
		echo "server.sh: ./$what does not build" >&2
		exit 2
	fi
done

# load MEASUREMENT ARGS...: one measurement; its BENCH lines (prefixed with
# PREFIX when set) go to $out.
load() {
	local prefix=${PREFIX:-}
	machine
	echo "+ journey-load $*" >&2
	if ! "$work/journey-load" -journey "$work/journey" -dir "$dbroot" "$@" >"$work/last.out"; then
		echo "server.sh: journey-load $1 failed" >&2
		exit 2
	fi
	sed "s/^BENCH /BENCH $prefix/" "$work/last.out" >>"$out"
}

if [[ ",$ONLY," == *,events,* ]]; then
	load events -rate "$EVENTS_RATE" -for "$EVENTS_FOR" -conns "$EVENTS_CONNS"
fi
if [[ ",$ONLY," == *,timers,* ]]; then
	load timers -waits "$TIMERS"
fi
if [[ ",$ONLY," == *,deliveries,* ]]; then
	load deliveries -n "$DELIVERIES"
	machine
	echo "+ go test -bench 'BenchmarkTrivialJobs/defaults' -benchtime ${DELIVERIES}x ./runtime/queue/" >&2
	if ! go test -run '^$' -bench 'BenchmarkTrivialJobs/defaults$' -benchtime "${DELIVERIES}x" ./runtime/queue/ >"$work/trivial.out"; then
		cat "$work/trivial.out" >&2
		echo "server.sh: BenchmarkTrivialJobs failed" >&2
		exit 2
	fi
	awk '/jobs\/s/ { for (i = 1; i < NF; i++) if ($(i+1) == "jobs/s") print "BENCH trivial_jobs_per_s " $i " jobs/s" }' "$work/trivial.out" >>"$out"
fi
if [[ ",$ONLY," == *,memory,* ]]; then
	PREFIX=small_ load memory -contacts "$MEMORY_SMALL"
	PREFIX=large_ load memory -contacts "$MEMORY_LARGE"
fi
machine
if [[ -n "${OUT:-}" ]]; then
	cp "$out" "$OUT"
fi

awk -v small="$MEMORY_SMALL" -v large="$MEMORY_LARGE" -v cpus="$(nproc)" -v load="$(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo unknown)" '
{ v[$2] = $3; seen[$2] = 1 }
function goal(label, measured, target, ok, cmp, unit) {
	printf "%-56s %10.2f %-6s %s %8.2f   %s\n", label, measured, unit, cmp, target, ok ? "PASS" : "MISS"
	if (!ok) missed = 1
}
END {
	printf "\njourney server benchmark (SQLite, load generator over loopback; %d CPUs, load average %s at the end)\n\n", cpus, load
	if (seen["events_per_s"]) {
		printf "events: %d sent at %d/s asked, %d failed, in %.1f s; p50 %.1f ms, p90 %.1f ms, p99 %.1f ms, max %.1f ms\n",
			v["events_sent"], v["events_target_per_s"], v["events_failed"], v["events_seconds"], v["events_p50_ms"], v["events_p90_ms"], v["events_p99_ms"], v["events_max_ms"]
		printf "        server CPU %.0f us/event, load generator CPU %.0f us/event\n", v["events_server_cpu_us_per_event"], v["events_loadgen_cpu_us_per_event"]
	}
	if (seen["timers_p99_s"])
		printf "timers: %d waits due over %d s; p50 %.3f s, p99 %.3f s late; within 0.1 s %.1f%%, 0.5 s %.1f%%, 1 s %.1f%%; server CPU %.0f us/step\n",
			v["timers_waits"], v["timers_spread_s"], v["timers_p50_s"], v["timers_p99_s"], 100*v["timers_within_0.1s"], 100*v["timers_within_0.5s"], 100*v["timers_within_1s"], v["timers_server_cpu_us_per_step"]
	if (seen["deliveries_per_s"])
		printf "deliveries: %d emails in %.1f s, %.0f emails/s (server CPU %.0f us/email); River trivial jobs %.0f jobs/s\n",
			v["deliveries_sent"], v["deliveries_seconds"], v["deliveries_per_s"], v["deliveries_server_cpu_us_per_email"], v["trivial_jobs_per_s"]
	if (seen["large_memory_peak_rss_kib"])
		printf "memory: %d contacts: RSS %d KiB enrolled, %d KiB after stats, peak %d KiB; %d contacts: %d, %d, peak %d KiB\n",
			small, v["small_memory_rss_enrolled_kib"], v["small_memory_rss_kib"], v["small_memory_peak_rss_kib"],
			large, v["large_memory_rss_enrolled_kib"], v["large_memory_rss_kib"], v["large_memory_peak_rss_kib"]
	printf "\n%-56s %17s %11s   %s\n", "goal", "measured", "target", "result"
	if (seen["events_per_s"]) {
		goal("1a. events/s sustained", v["events_per_s"], 5000, v["events_per_s"] >= 5000, ">=", "/s")
		goal("1b. events p99 latency", v["events_p99_ms"], 50, v["events_p99_ms"] <= 50, "<=", "ms")
	}
	if (seen["timers_p99_s"])
		goal("2. timer lateness p99", v["timers_p99_s"], 1, v["timers_p99_s"] <= 1, "<=", "s")
	if (seen["deliveries_per_s"] && v["trivial_jobs_per_s"] > 0) {
		r = v["deliveries_per_s"] / v["trivial_jobs_per_s"]
		goal("3. deliveries/s / River trivial jobs/s", r, 0.5, r >= 0.5, ">=", "x")
	}
	if (seen["large_memory_peak_rss_kib"] && v["small_memory_peak_rss_kib"] > 0) {
		m = v["large_memory_peak_rss_kib"] / v["small_memory_peak_rss_kib"]
		goal("4. peak RSS " large " / " small " contacts", m, 1.2, m <= 1.2, "<=", "x")
	}
	exit missed
}' "$out"
