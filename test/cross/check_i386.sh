#!/bin/sh
# SPDX-License-Identifier: MIT
# The 32-bit build: configures tcpsim for i386 (test/cross/i386-linux-gnu.ini), builds
# the unit tests and the program, runs the tests, and checks four golden traces. Nothing in tcpsim may need a 64-bit target (no
# `unsigned __int128`, no size_t that must hold a uint64_t). Exits 77 (skipped) when no
# 32-bit toolchain is installed: on Debian, `dpkg --add-architecture i386` then
# `apt-get install gcc-multilib libglib2.0-dev:i386 zlib1g-dev:i386 libcunit1-dev:i386`.
# Usage: check_i386.sh SOURCE_ROOT WORK_DIR
set -eu
src=$1
dir=$2
cross="$src/test/cross/i386-linux-gnu.ini"

probe=$(mktemp -d)
trap 'rm -rf "$probe"' EXIT
printf 'int main(void) { return 0; }\n' > "$probe/t.c"
if ! gcc -m32 -o "$probe/t" "$probe/t.c" >/dev/null 2>&1; then
    echo "skipped: gcc -m32 cannot link (install gcc-multilib)"
    exit 77
fi
for m in glib-2.0 zlib cunit; do
    if ! i686-linux-gnu-pkg-config --exists "$m" 2>/dev/null; then
        echo "skipped: no i386 $m (install its :i386 -dev package)"
        exit 77
    fi
done

if [ ! -f "$dir/build.ninja" ]; then
    rm -rf "$dir"
    meson setup "$dir" "$src" --cross-file "$cross" -Dbuildtype=plain -Dinvariants=enabled \
        >"$probe/setup.log" 2>&1 || { cat "$probe/setup.log"; exit 1; }
fi
ninja -C "$dir" -j2 test/unit sim/tcpsim >"$probe/build.log" 2>&1 ||
    { cat "$probe/build.log"; exit 1; }
# The ELF header's class byte: 1 is ELFCLASS32.
if [ "$(od -An -tx1 -j4 -N1 "$dir/test/unit" | tr -d ' ')" != 01 ]; then
    echo "$dir/test/unit is not a 32-bit program"
    exit 1
fi
"$dir/test/unit"
# The 32-bit program gives the 64-bit golden traces byte for byte: CUBIC's cube, the
# random streams and the unit parser (the 128-bit arithmetic), a lossy bulk transfer.
for s in congestion/cubic faults/loss-bernoulli faults/loss-burst transfer/lossy-10MB; do
    "$dir/sim/tcpsim" check "$src/scenarios/$s.scn" --quiet ||
        { echo "i386: $s differs from its golden trace"; exit 1; }
done
echo "i386: 4 golden traces match"
