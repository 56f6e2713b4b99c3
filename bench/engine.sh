#!/usr/bin/env bash
# Measures the engine against its performance goals (bench/README.md):
#
#   1. engine steps per second >= 50% of a raw-SQL baseline that claims the
#      same due tokens and writes the same rows per step;
#   2. the cost of a due wait does not depend on how many are pending: the
#      first due steps take <= 1.10 x as long per step with SIZE contacts
#      enrolled as with SIZE/10, each measured in its own run (the CPU
#      time per step is printed beside it, as a check on the machine's
#      load; so is a comparison in turns on copies of both databases, which
#      bench/README.md explains is not used yet);
#   3. memory is flat in the number of contacts: peak RSS of the SIZE
#      process <= 1.2 x that of the SIZE/10 one, each taken when its engine
#      run ends (getrusage; before the baseline and the comparison).
#
# Usage: bash bench/engine.sh [SIZE]     (from anywhere in a clone)
#   SIZE defaults to 1000000 contacts (about 45 minutes on 2 cores); the small
#   run has SIZE/10. bash bench/engine.sh 20000 is a quick check.
# Environment:
#   BATCH=500          steps per RunDue transaction (and per baseline one)
#   FIRST=N            due steps timed on their own for goal 2
#                      (default min(50000, SIZE/20))
#   BASELINE_STEPS=N   baseline steps (default: as many as the engine ran)
#   PROFILE=dir        keep CPU profiles of the small run there
#                      (enroll.cpu, drive.cpu, with the test binary)
#   OUT=file           also keep the raw BENCH lines of both runs there
#   JOURNEY_BENCH_DIR  where the SQLite files go (default: a temporary
#                      directory, removed at the end)
# Exit status: 0 when every goal is met, 1 when one is missed, 2 when the
# benchmark could not run.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
SIZE=${1:-1000000}
if ! [[ "$SIZE" =~ ^[0-9]+$ ]] || ((SIZE < 100)); then
	echo "usage: bash bench/engine.sh [SIZE >= 100]" >&2
	exit 2
fi
SMALL=$((SIZE / 10))
BATCH=${BATCH:-500}
FIRST=${FIRST:-$((SIZE / 20 < 50000 ? SIZE / 20 : 50000))}
if ((FIRST < 1)); then FIRST=1; fi
work=$(mktemp -d "${TMPDIR:-/tmp}/journey-engine-bench.XXXXXX")
trap 'rm -rf "$work"' EXIT
dbroot=${JOURNEY_BENCH_DIR:-$work}

echo "machine: $(nproc) CPUs, load average $(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo unknown), $(go version)" >&2
echo "+ go test -c -o $work/runtime.test ./runtime/" >&2
if ! go test -c -o "$work/runtime.test" ./runtime/; then
	echo "engine.sh: the test binary does not build" >&2
	exit 2
fi
if [[ -n "${PROFILE:-}" ]]; then
	mkdir -p "$PROFILE"
	cp "$work/runtime.test" "$PROFILE/runtime.test"
fi

timer=()
if [[ -x /usr/bin/time ]] && /usr/bin/time -v true >/dev/null 2>&1; then
	timer=(/usr/bin/time -v -o)
fi

# run N LABEL: one process; BENCH lines to $work/LABEL.out, peak RSS (KiB,
# from /usr/bin/time -v when present) to $work/LABEL.rss.
run() {
	local n=$1 label=$2 dir="$dbroot/$2" profile="" keep="" pending=""
	mkdir -p "$dir"
	if [[ "$label" == small ]]; then
		profile=${PROFILE:-}
		keep=$dbroot/enrolled-small.db
	else
		pending=$dbroot/enrolled-small.db
	fi
	echo "+ JOURNEY_BENCH_CONTACTS=$n runtime.test -test.run '^TestEngineBench\$'   ($label run)" >&2
	local cmd=(env JOURNEY_BENCH_CONTACTS="$n" JOURNEY_BENCH_BATCH="$BATCH" JOURNEY_BENCH_FIRST="$FIRST"
		JOURNEY_BENCH_DIR="$dir" JOURNEY_BENCH_PROFILE="$profile"
		JOURNEY_BENCH_KEEP_ENROLLED="$keep" JOURNEY_BENCH_PENDING_DB="$pending"
		JOURNEY_BENCH_BASELINE_STEPS="${BASELINE_STEPS:--1}"
		"$work/runtime.test" -test.run '^TestEngineBench$' -test.v -test.timeout 0)
	if ((${#timer[@]})); then
		cmd=("${timer[@]}" "$work/$label.time" "${cmd[@]}")
	fi
	if ! (cd runtime && "${cmd[@]}") >"$work/$label.log"; then
		cat "$work/$label.log" >&2
		echo "engine.sh: the $label run failed" >&2
		exit 2
	fi
	grep '^BENCH ' "$work/$label.log" >"$work/$label.out"
	if [[ -f "$work/$label.time" ]]; then
		awk -F': ' '/Maximum resident set size/{print $2}' "$work/$label.time" >"$work/$label.rss"
	else
		awk '$2 == "rss_peak_process" {print $3}' "$work/$label.out" >"$work/$label.rss"
	fi
	rm -rf "$dir"
	if [[ -n "$pending" ]]; then
		rm -f "$pending"
	fi
}

run "$SMALL" small
run "$SIZE" large
if [[ -n "${OUT:-}" ]]; then
	{
		sed 's/^/small /' "$work/small.out"
		echo "small BENCH rss_peak_time_v $(cat "$work/small.rss") KiB"
		sed 's/^/large /' "$work/large.out"
		echo "large BENCH rss_peak_time_v $(cat "$work/large.rss") KiB"
	} >"$OUT"
fi

awk -v small="$SMALL" -v size="$SIZE" -v batch="$BATCH" -v first="$FIRST" \
	-v rss_small="$(cat "$work/small.rss")" -v rss_large="$(cat "$work/large.rss")" '
FNR == 1 { run = (FILENAME ~ /small.out$/) ? "s" : "l" }
{ v[run, $2] = $3 }
function ratio(a, b) { return b > 0 ? a / b : 0 }
function row(label, fmt, key) {
	printf "%-38s " fmt " " fmt "\n", label, v["s", key], v["l", key]
}
function goal(label, measured, target, ok, cmp) {
	printf "%-52s %8.2f x   %s %.2f   %s\n", label, measured, cmp, target, ok ? "PASS" : "FAIL"
	if (!ok) missed = 1
}
END {
	printf "\nengine benchmark: examples/onboarding, campaign trial_onboarding, SQLite file, %d steps per transaction\n\n", batch
	printf "%-38s %14s %14s\n", "", small " contacts", size " contacts"
	row("enrolled contacts/s (2 tx each)", "%14.0f", "enroll_contacts_per_s")
	row("engine steps (due waits run)", "%14d", "engine_steps")
	row("engine seconds", "%14.1f", "engine_seconds")
	row("engine steps/s", "%14.0f", "engine_steps_per_s")
	row("baseline steps/s (raw SQL)", "%14.0f", "baseline_steps_per_s")
	row("engine / baseline, wall", "%14.2f", "engine_vs_baseline")
	row("engine / baseline, CPU time", "%14.2f", "engine_vs_baseline_cpu")
	row("rows written per step", "%14.2f", "per_step_writes")
	row("engine us/step, whole run", "%14.1f", "engine_us_per_step")
	row("engine us/step, first " first " steps", "%14.1f", "first_us_per_step")
	row("  CPU us/step, first " first " steps", "%14.1f", "first_cpu_us_per_step")
	printf "%-38s %14.1f %14.1f\n", "  same, in turns on both databases", v["l", "pending_small_us_per_step"], v["l", "pending_large_us_per_step"]
	printf "%-38s %14.1f %14.1f\n", "  CPU, in turns on both databases", v["l", "pending_small_cpu_us_per_step"], v["l", "pending_large_cpu_us_per_step"]
	row("tokens pending at the first step", "%14d", "first_pending_at_start")
	row("database MiB at the end", "%14.0f", "db_mib_after_drive")
	row("peak RSS KiB after enroll + engine", "%14d", "rss_peak_after_engine")
	printf "%-38s %14d %14d\n", "peak RSS KiB, whole process", rss_small, rss_large
	printf "\n%-52s %10s   %7s   %s\n", "goal", "measured", "target", "result"
	goal("1. engine steps/s / baseline steps/s (" size ")", v["l", "engine_vs_baseline"], 0.5, v["l", "engine_vs_baseline"] >= 0.5, ">=")
	p = ratio(v["l", "first_us_per_step"], v["s", "first_us_per_step"])
	goal("2. us/step of the first " first " due: " size " / " small, p, 1.10, p > 0 && p <= 1.10, "<=")
	m = ratio(v["l", "rss_peak_after_engine"], v["s", "rss_peak_after_engine"])
	goal("3. peak RSS: " size " / " small, m, 1.20, m > 0 && m <= 1.20, "<=")
	printf "\n(in CPU time: goal 1 %.2f x, goal 2 %.2f x; goal 2 over every step of the runs: %.2f x; in turns on both databases: %.2f x, not used)\n", \
		v["l", "engine_vs_baseline_cpu"], ratio(v["l", "first_cpu_us_per_step"], v["s", "first_cpu_us_per_step"]), \
		ratio(v["l", "engine_us_per_step"], v["s", "engine_us_per_step"]), v["l", "pending_large_vs_small"]
	exit missed
}' "$work/small.out" "$work/large.out"
