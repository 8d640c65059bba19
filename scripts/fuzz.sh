#!/bin/sh
# fuzz.sh -- `make fuzz`: build the libFuzzer harnesses (clang, ASan + UBSan) and run each for FUZZ_SECONDS.
# usage: scripts/fuzz.sh BUILD_DIR [SECONDS]   (needs clang and libclang-rt-14-dev, Debian's clang 14)
# Each target starts from a seed corpus taken from test/data (and the shipped files) and keeps what it
# finds in BUILD_DIR/fuzz/corpus/TARGET; a crash, a leak or a timeout (10 s an input) fails the run and
# leaves the input in BUILD_DIR/fuzz/ (crash-*, leak-*, timeout-*).
set -eu
B=${1:?usage: scripts/fuzz.sh BUILD_DIR [SECONDS]}
SECS=${2:-60}
F=$B/fuzz
mkdir -p "$F"
command -v clang >/dev/null 2>&1 || { echo "fuzz.sh: error: clang is missing (apt-get install clang libclang-rt-14-dev)" >&2; exit 1; }
make --no-print-directory BUILD="$F/lib" CC=clang SAN=address,undefined,fuzzer-no-link OPENMP=0 \
    "$F/lib/libsparsedse.a" >"$F/build.log" 2>&1 || { cat "$F/build.log" >&2; exit 1; }
CFL="-std=c11 -D_DEFAULT_SOURCE -O1 -g -Iinclude $(pkg-config --cflags yaml-0.1 sqlite3) -fsanitize=fuzzer,address,undefined"
LIBS="$(pkg-config --libs yaml-0.1 sqlite3) -lm -lpthread"
# a copy of the parse fixtures, so that the inputs' relative references (../net.yaml) resolve
rm -rf "$F/data" && mkdir -p "$F/data" && cp -r test/data/parse "$F/data/" && cp -r spaces workloads "$F/data/"
status=0
for t in space workload tech npy mapping; do
    clang $CFL test/fuzz/fuzz_$t.c "$F/lib/libsparsedse.a" $LIBS -o "$F/fuzz_$t"
    seeds=$F/seeds/$t
    rm -rf "$seeds" && mkdir -p "$seeds" "$F/corpus/$t"
    case $t in
    space) cp test/data/parse/good/*.yaml test/data/parse/bad/bad_*.yaml spaces/*.yaml "$seeds/"; dir=$F/data/parse/good ;;
    workload) cp test/data/parse/bad/wl_*.yaml test/data/parse/*.yaml workloads/*.yaml "$seeds/"; dir=$F/data/parse ;;
    tech) cp spaces/tech/*.yaml "$seeds/"; dir=$F/data/parse ;;
    npy) find test/data -name '*.npy' -exec cp {} "$seeds/" \; ; dir=$F/data/parse ;;
    mapping) cp test/data/traffic/*.yaml test/data/parse/bad/map_*.yaml "$seeds/"; dir=$F/data/parse ;;
    esac
    echo "fuzz.sh: fuzz_$t for $SECS s" >&2
    if ! (cd "$F" && FUZZ_DIR="$PWD/data/${dir#$F/data/}" ./fuzz_$t -max_total_time="$SECS" -timeout=10 \
            -rss_limit_mb=2048 -print_final_stats=1 "corpus/$t" "seeds/$t" >"fuzz_$t.log" 2>&1); then
        echo "fuzz.sh: error: fuzz_$t failed; see $F/fuzz_$t.log" >&2
        tail -30 "$F/fuzz_$t.log" >&2
        status=1
    else
        grep -E "stat::number_of_executed_units|cov:" "$F/fuzz_$t.log" | tail -2 >&2 || true
    fi
done
exit $status
