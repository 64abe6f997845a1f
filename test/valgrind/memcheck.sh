#!/bin/sh
# SPDX-License-Identifier: MIT
# Runs a few bundled scenarios and the kept fuzz inputs under valgrind's memcheck; any
# invalid access, use of uninitialized memory or definite/indirect leak fails it.
#
#   memcheck.sh TCPSIM FUZZ_REPLAY SOURCE_ROOT
#
# Exits 77 (meson's "skipped") when valgrind is not installed.
set -eu
tcpsim=$1
replay=$2
root=$3
if ! command -v valgrind >/dev/null 2>&1; then
    echo "valgrind not installed: skipped (Debian: apt-get install valgrind)"
    exit 77
fi
vg="valgrind --quiet --error-exitcode=99 --leak-check=full --show-leak-kinds=definite,indirect
    --errors-for-leak-kinds=definite,indirect --track-origins=yes"
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
status=0
passed=0
failed=0
run() { # EXPECTED_EXIT NAME COMMAND...
    want=$1
    name=$2
    shift 2
    rc=0
    $vg "$@" >"$out/stdout" 2>"$out/stderr" || rc=$?
    if [ "$rc" = "$want" ]; then
        echo "ok - memcheck: $name"
        passed=$((passed + 1))
    else
        echo "not ok - memcheck: $name (exit $rc, expected $want; 99: valgrind found errors)"
        tail -40 "$out/stderr"
        status=1
        failed=$((failed + 1))
    fi
}
s=$root/scenarios
run 0 "handshake/basic" "$tcpsim" run "$s/handshake/basic.scn" -o "$out/basic.trace"
run 0 "transfer/lossy-10MB --no-trace" "$tcpsim" run "$s/transfer/lossy-10MB.scn" --no-trace
run 0 "listen/syn-flood-cookies" "$tcpsim" run "$s/listen/syn-flood-cookies.scn" -o "$out/flood.trace"
run 0 "timewait/tw-reuse" "$tcpsim" run "$s/timewait/tw-reuse.scn" -o "$out/tw.trace"
run 0 "faults/crash-reboot" "$tcpsim" run "$s/faults/crash-reboot.scn" -o "$out/crash.trace"
run 2 "a run stopped by --max-events" "$tcpsim" run "$s/handshake/basic.scn" --max-events 10 -o "$out/x"
run 2 "a run stopped by --max-memory" "$tcpsim" run "$root/test/valgrind/grows.scn" --max-memory 4MiB
run 2 "a located scenario error" "$tcpsim" run "$root/test/valgrind/grows.scn" --set nope=1
for h in parse seg sim; do
    run 0 "fuzz regressions $h" "$replay" "$h" "$root/test/fuzz/regressions/$h"
done
echo "CUNIT-SUMMARY passed=$passed failed=$failed"
exit $status
