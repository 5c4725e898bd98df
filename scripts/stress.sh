#!/usr/bin/env bash
# The whole test suite N times in a row (default 20) with every core kept busy by a
# `yes > /dev/null` each: a flaky test (one that passes only on an idle machine) fails here.
# The suite runs in one pytest worker per core (pytest-xdist) on top of the busy loops: each
# test gets less of a core than in a plain run, and the runs take about half as long.
# Stops at the first failing run; ends with one summary line.
#
#     scripts/stress.sh [N] [pytest arguments...]     e.g. scripts/stress.sh 1 -x
#
# Uses .venv/bin/pytest; the busy loops are stopped however the script ends.
set -uo pipefail
cd "$(dirname "$0")/.."

runs="${1:-20}"
shift $(( $# > 0 ? 1 : 0 ))
case "$runs" in '' | *[!0-9]*) echo "stress: N must be a number, not '$runs'" >&2; exit 2 ;; esac

cores=$(getconf _NPROCESSORS_ONLN 2>/dev/null || echo 2)
busy=()
stop_busy() {
    for pid in "${busy[@]}"; do kill "$pid" 2>/dev/null; done
    for pid in "${busy[@]}"; do wait "$pid" 2>/dev/null; done
    busy=()
}
trap stop_busy EXIT
trap 'stop_busy; exit 130' INT TERM
for _ in $(seq "$cores"); do
    yes >/dev/null &
    busy+=("$!")
done

started=$SECONDS
passed=0
for run in $(seq "$runs"); do
    log=$(mktemp "${TMPDIR:-/tmp}/canvas-tui-stress.XXXXXX")
    echo "stress: run $run of $runs ($cores cores busy)"
    run_started=$SECONDS
    if .venv/bin/pytest -p no:cacheprovider -n "$cores" -r fE "$@" >"$log" 2>&1; then
        passed=$((passed + 1))
        echo "stress: run $run passed in $((SECONDS - run_started)) s"
        rm -f "$log"
    else
        tail -n 40 "$log"
        echo "stress: FAILED on run $run of $runs after $passed passing run(s)" \
            "in $((SECONDS - started)) s; the whole output is in $log"
        exit 1
    fi
done
echo "stress: $passed of $runs runs passed in $((SECONDS - started)) s with $cores cores busy"
