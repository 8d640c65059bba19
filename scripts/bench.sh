#!/bin/sh
# bench.sh -- `make bench`: run the benchmark programs and time the CLI sweep; prints key=value lines.
# usage: scripts/bench.sh [path/to/sparsedse]   (benchmark programs are looked up beside it)
set -eu

bin=${1:-build/sparsedse}
dir=$(dirname "$bin")
space=${BENCH_SPACE:-spaces/default.yaml}

if [ -x "$dir/bench_sweep" ]; then
    echo "# bench_sweep: storage pipeline alone (nearly free evaluator) vs a bare SQLite insert"
    "$dir/bench_sweep" synthetic
    if [ -f "$space" ]; then
        echo "# bench_sweep: $space end to end (real model) vs a bare SQLite insert of as many result rows"
        "$dir/bench_sweep" "$space"
    fi
else
    echo "# bench_sweep: $dir/bench_sweep not built, skipped"
fi

if [ -x "$dir/bench_memory" ]; then
    echo "# bench_memory: the memory model on ${MEMORY_SPACE:-spaces/paper.yaml} (CPU time of one thread)"
    "$dir/bench_memory" "${MEMORY_SPACE:-spaces/paper.yaml}"
fi

if [ -x "$dir/bench_perf" ]; then
    echo "# bench_perf"
    "$dir/bench_perf"
fi

if [ -x "$bin" ] && [ -f "$space" ]; then
    echo "# cli: $bin sweep $space (wall clock, process start to exit)"
    tmp=$(mktemp -d)
    trap 'rm -rf "$tmp"' EXIT
    t0=$(date +%s.%N)
    "$bin" sweep "$space" --db "$tmp/bench.db" --quiet
    t1=$(date +%s.%N)
    rows=$("$bin" runs --db "$tmp/bench.db" | awk '$1 == "1" { print $6 }')
    awk -v a="$t0" -v b="$t1" -v r="$rows" 'BEGIN {
        s = b - a
        printf "cli_sweep_result_rows=%d\ncli_sweep_seconds=%.3f\ncli_sweep_rows_per_s=%.0f\n", r, s, (s > 0 ? r / s : 0)
    }'
fi
