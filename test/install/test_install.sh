#!/bin/sh
# SPDX-License-Identifier: MIT
# meson install into a temporary DESTDIR, then use what was installed as a user would:
# the program runs a bundled scenario by name, the man pages and completions are there,
# the shared library exports only tcpsim_* symbols, and a small C program builds against
# the installed pkg-config file and runs a scenario through the API.
# Usage: test_install.sh BUILD_DIR SOURCE_ROOT
set -eu
build=$(cd "$1" && pwd)
src=$(cd "$2" && pwd)
dest=$(mktemp -d)
trap 'rm -rf "$dest"' EXIT
fail() { echo "FAIL: $*"; exit 1; }

meson install -C "$build" --destdir "$dest" --no-rebuild --quiet >/dev/null 2>&1 ||
    meson install -C "$build" --destdir "$dest" --no-rebuild
prefix=$(meson introspect "$build" --buildoptions |
         python3 -c 'import json,sys; print([o["value"] for o in json.load(sys.stdin) if o["name"]=="prefix"][0])')
root="$dest$prefix"

tcpsim=$root/bin/tcpsim
[ -x "$tcpsim" ] || fail "no $tcpsim"
lib=$(find "$root" -name 'libtcpsim.so.0*' -type f | head -1)
[ -n "$lib" ] || fail "no libtcpsim.so installed"
libdir=$(dirname "$lib")
[ -e "$libdir/libtcpsim.so" ] || fail "no libtcpsim.so development link"
for h in sim.h scenario.h units.h view.h pkt.h; do
    [ -f "$root/include/tcpsim/$h" ] || fail "no include/tcpsim/$h"
done
pc=$(find "$root" -name tcpsim.pc | head -1)
[ -n "$pc" ] || fail "no tcpsim.pc"
[ -f "$root/share/man/man1/tcpsim.1" ] || fail "no tcpsim(1)"
[ -f "$root/share/man/man5/tcpsim-scenario.5" ] || fail "no tcpsim-scenario(5)"
[ -f "$root/share/bash-completion/completions/tcpsim" ] || fail "no bash completion"
[ -f "$root/share/zsh/site-functions/_tcpsim" ] || fail "no zsh completion"
[ -f "$root/share/tcpsim/scenarios/handshake/basic.scn" ] || fail "no bundled scenarios"
[ -f "$root/share/tcpsim/scenarios/handshake/basic.trace" ] || fail "no golden traces"
[ ! -e "$root/share/tcpsim/scenarios/meson.build" ] || fail "meson.build installed"
if command -v man >/dev/null 2>&1; then
    MANWIDTH=80 man -l "$root/share/man/man1/tcpsim.1" 2>&1 | grep -q "SCENARIOS BY NAME" ||
        fail "man -l cannot render tcpsim(1)"
fi
bash -n "$root/share/bash-completion/completions/tcpsim" || fail "bash completion does not parse"

# Only the public API is exported.
extra=$(nm -D --defined-only "$lib" | awk '$2 ~ /^[TDRBVW]$/ {print $3}' | grep -v '^tcpsim_' || true)
[ -z "$extra" ] || fail "libtcpsim exports non-API symbols: $(echo $extra | head -c 300)"
nm -D --defined-only "$lib" | grep -q ' tcpsim_scenario_run$' || fail "tcpsim_scenario_run not exported"

# The installed program finds a bundled scenario by name, from anywhere, and its trace is
# the golden one.
cd "$dest"
env -u TCPSIM_SCENARIO_PATH "$tcpsim" run handshake/basic -o run.trace --quiet ||
    fail "tcpsim run handshake/basic after install"
cmp -s run.trace "$src/scenarios/handshake/basic.trace" ||
    fail "the installed run of handshake/basic differs from its golden trace"
env -u TCPSIM_SCENARIO_PATH "$tcpsim" scenarios | grep -qx 'retransmit/syn-lost' ||
    fail "tcpsim scenarios does not list retransmit/syn-lost"
env -u TCPSIM_SCENARIO_PATH "$tcpsim" check close/time-wait --quiet >/dev/null ||
    fail "tcpsim check close/time-wait after install"

# A program built against the installed pkg-config file. The DESTDIR stands for the
# prefix, so the file's prefix line says where it is now (glib's own .pc is untouched).
mkdir pc
sed "s|^prefix=.*|prefix=$root|" "$pc" > pc/tcpsim.pc
export PKG_CONFIG_PATH="$dest/pc"
cflags=$(pkg-config --cflags tcpsim) || fail "pkg-config --cflags tcpsim"
libs=$(pkg-config --libs tcpsim) || fail "pkg-config --libs tcpsim"
${CC:-cc} -std=c11 -Wall -Werror -o api_example "$src/test/install/api_example.c" $cflags $libs ||
    fail "cannot build against the installed tcpsim"
out=$(LD_LIBRARY_PATH="$libdir" ./api_example "$root/share/tcpsim/scenarios/handshake/basic.scn") ||
    fail "api_example: $out"
echo "$out"
echo "$out" | grep -q '^handshake, request, response and close: 8 expects, 0 failed' ||
    fail "unexpected api_example output"
echo "install: ok ($prefix into a DESTDIR; $(nm -D --defined-only "$lib" | grep -c ' tcpsim_') API symbols)"
