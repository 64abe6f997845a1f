#!/bin/sh
# SPDX-License-Identifier: MIT
# Builds tcpsim and runs the whole test suite: unit tests (CUnit), golden traces of every
# bundled scenario, the bad-input catalogue, the property tests, the fuzz regression
# inputs, valgrind memcheck on a few scenarios, and the lint checks; then the same (but
# valgrind) under AddressSanitizer and UndefinedBehaviorSanitizer. Invariant checks are
# on in both builds. Ends with the line "N passed, N failed".
#
# On a fresh Debian machine, as root, it installs what it needs first (apt-get).
# Environment: TCPSIM_NO_SANITIZE=1 skips the sanitizer build.
set -eu
cd "$(dirname "$0")/.."

deps="meson ninja-build pkg-config gcc libc6-dev libglib2.0-dev zlib1g-dev libcunit1-dev libpcap-dev python3"
# For the interop test: tcpdump and tshark read the pcap files (wireshark-common asks
# one debconf question, answered by its default under DEBIAN_FRONTEND=noninteractive).
deps="$deps tcpdump tshark"
# For the interactive page test (test/views/test_html.py): Debian's chromium, headless.
deps="$deps chromium"
# For the memcheck test (test/valgrind/memcheck.sh).
deps="$deps valgrind"
# For the sweep test: GNU parallel runs the shards; the summary test validates against
# docs/summary.schema.json with python3-jsonschema.
deps="$deps parallel python3-jsonschema"
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    # For the i386 test (test/cross/check_i386.sh): a 32-bit toolchain and libraries.
    if [ "$(dpkg --print-architecture)" = amd64 ]; then
        dpkg --print-foreign-architectures | grep -qx i386 || dpkg --add-architecture i386
        deps="$deps gcc-multilib libglib2.0-dev:i386 zlib1g-dev:i386 libcunit1-dev:i386"
    fi
    missing=""
    for p in $deps; do
        # dpkg-query, not dpkg -s: a package installed for two architectures (amd64 and
        # i386 for the cross test) makes dpkg -s fail as ambiguous.
        dpkg-query -W -f='${Status}\n' "$p" 2>/dev/null | grep -q ' installed$' ||
            missing="$missing $p"
    done
    if [ -n "$missing" ]; then
        echo "run_all: installing$missing"
        apt-get update -qq
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $missing >/dev/null
    fi
fi

status=0
run_suite() { # NAME BUILDDIR [meson options...]
    name=$1
    dir=$2
    shift 2
    if [ -d "$dir" ]; then
        meson setup --reconfigure "$dir" "$@" >/dev/null
    else
        meson setup "$dir" "$@" >/dev/null
    fi
    start=$(date +%s)
    echo "run_all: building $dir ($(ninja -C "$dir" -n 2>/dev/null | grep -c '^\[') steps)"
    { ninja -C "$dir"; echo $? > "$dir/.run_all-ninja"; } | awk '/^\[/ { split($1, a, /[\[\/\]]/); if (a[2] % 50 == 0 || a[2] == a[3]) printf "run_all:   %s/%s compiled\n", a[2], a[3]; next } { print }'
    [ "$(cat "$dir/.run_all-ninja")" = 0 ] || { echo "run_all: the build failed"; exit 1; }
    echo "run_all: $name (built in $(( $(date +%s) - start )) s)"
    meson test -C "$dir" --print-errorlogs --num-processes 2 || status=1
    echo "run_all: $name done after $(( $(date +%s) - start )) s"
}
all_start=$(date +%s)

run_suite "tests" build-test -Dbuildtype=debugoptimized
if [ "${TCPSIM_NO_SANITIZE:-0}" != 1 ]; then
    # Any undefined behaviour or leak fails the test that met it.
    export ASAN_OPTIONS=detect_leaks=1:halt_on_error=1:abort_on_error=0
    export UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1
    run_suite "tests under ASan+UBSan" build-asan -Dbuildtype=debug \
        -Db_sanitize=address,undefined -Db_lundef=false \
        -Dc_args=-fno-sanitize-recover=all
fi

python3 test/summarize.py build-test/meson-logs/testlog.json \
    $( [ "${TCPSIM_NO_SANITIZE:-0}" != 1 ] && echo build-asan/meson-logs/testlog.json )
echo "run_all: $(( $(date +%s) - all_start )) s in all"
exit $status
