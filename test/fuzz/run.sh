#!/bin/sh
# SPDX-License-Identifier: MIT
# Builds the libFuzzer harnesses with clang (ASan+UBSan, coverage) and runs each for
# SECONDS (default 60), one at a time, then reports executions and crashes per harness.
#
#   test/fuzz/run.sh [SECONDS]
#
# Corpora grow in build-fuzz/corpus/HARNESS (seeded from scenarios/**/*.scn and from
# the segments a few bundled scenarios send); crashes land in build-fuzz/artifacts/HARNESS.
# FUZZ_PARALLEL=1 runs them side by side; the summary gives CPU and wall time per harness.
# FUZZ_TIMEOUT=S (default 20): libFuzzer's per-input limit, in wall-clock seconds; raise
# it when the harnesses share a loaded machine at low priority.
# A crash worth keeping goes, once fixed, into test/fuzz/regressions/HARNESS/, which the
# normal test suite replays. Environment: FUZZ_HARNESSES="parse seg sim" to choose.
set -eu
cd "$(dirname "$0")/../.."
secs=${1:-60}
dir=build-fuzz
harnesses=${FUZZ_HARNESSES:-parse seg sim capture}

if ! command -v clang >/dev/null 2>&1; then
    echo "fuzz: clang is needed (Debian: apt-get install clang libclang-rt-dev)" >&2
    exit 77
fi
san="-fsanitize=address,undefined -fno-sanitize-recover=all"
opts="-Dfuzz=true -Dbuildtype=debug -Db_lundef=false -Dc_args=-fsanitize=fuzzer-no-link"
if [ -d "$dir" ]; then
    CC=clang meson setup --reconfigure "$dir" $opts "-Db_sanitize=address,undefined" >/dev/null
else
    CC=clang meson setup "$dir" $opts "-Db_sanitize=address,undefined" >/dev/null
fi
targets=""
for h in $harnesses; do targets="$targets test/fuzz/fuzz_$h"; done
ninja -C "$dir" $targets test/fuzz/fuzz_seed_segs >/dev/null
: "$san"

# Seeds: the bundled scenarios; the segments they send; every kept regression input.
mkdir -p "$dir/corpus/parse" "$dir/corpus/sim" "$dir/corpus/seg" "$dir/corpus/capture"
cp test/replay/captures/*.pcap "$dir/corpus/capture/"
for f in scenarios/*/*.scn; do
    n=$(echo "$f" | tr '/' '_')
    cp "$f" "$dir/corpus/parse/$n"
    cp "$f" "$dir/corpus/sim/$n"
done
"$dir/test/fuzz/fuzz_seed_segs" "$dir/corpus/seg" scenarios/handshake/basic.scn \
    scenarios/retransmit/sack-two-holes.scn scenarios/listen/syncookie-options.scn \
    scenarios/transfer/zero-window.scn scenarios/faults/rst-injection.scn \
    scenarios/rst/refused.scn >/dev/null
# A dictionary of the language's words, for the two scenario harnesses.
grep -ohE '[A-Za-z_][A-Za-z_0-9.>*-]*' scenarios/*/*.scn scenarios/README.md | sort -u |
    sed 's/.*/"&"/' >"$dir/scenario.dict"

ASAN_OPTIONS=detect_leaks=1:abort_on_error=1:allocator_may_return_null=1
UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1
export ASAN_OPTIONS UBSAN_OPTIONS
# One harness: its corpus, its log, and a one-line summary with wall and CPU time.
run_one() {
    h=$1
    rm -rf "$dir/artifacts/$h"; mkdir -p "$dir/artifacts/$h"
    case $h in
        seg) extra="-max_len=4096" ;;
        parse) extra="-max_len=65536 -dict=$dir/scenario.dict" ;;
        sim) extra="-max_len=8192 -dict=$dir/scenario.dict" ;;
        capture) extra="-max_len=16384" ;;
    esac
    log="$dir/fuzz-$h.log"
    timer=""
    [ -x /usr/bin/time ] && timer="/usr/bin/time -f fuzz-cpu:%U+%S:wall:%e"
    set +e
    $timer "$dir/test/fuzz/fuzz_$h" "$dir/corpus/$h" "test/fuzz/regressions/$h" $extra \
        -max_total_time="$secs" -timeout="${FUZZ_TIMEOUT:-20}" -rss_limit_mb=4096 -print_final_stats=1 \
        -artifact_prefix="$dir/artifacts/$h/" >"$log" 2>&1
    rc=$?
    set -e
    runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
    cov=$(grep -oE 'cov: [0-9]+' "$log" | tail -1)
    cpu=$(sed -n 's/^fuzz-cpu:\([^:]*\):wall:\(.*\)$/, CPU \1 s, wall \2 s/p' "$log" | tail -1)
    crashes=$(ls "$dir/artifacts/$h" | wc -l)
    echo "fuzz $h: ${runs:-?} executions (limit ${secs} s)${cpu}, ${cov:-cov: ?}, exit $rc, $crashes artifact(s) in $dir/artifacts/$h"
    return "$rc"
}

# FUZZ_PARALLEL=1 runs the harnesses side by side (one process each) instead of in turn.
status=0
if [ "${FUZZ_PARALLEL:-0}" = 1 ]; then
    pids=""
    for h in $harnesses; do
        run_one "$h" &
        pids="$pids $!"
    done
    for p in $pids; do
        wait "$p" || status=1
    done
else
    for h in $harnesses; do
        run_one "$h" || status=1
    done
fi
exit $status
