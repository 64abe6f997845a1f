#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Project lint: the rules of the style guide that a machine can check.

  1. State changes only through tcp_set_state(): no `->state =` outside tcp_fsm.c.
  2. File sizes: .c files in sim/ at most 700 lines, test files at most 900, unless
     allowlisted below with a reason.
  3. Every `RFC 9293 §X.Y...` cited in sim/ names a section that exists (rfc9293-sections.txt).
  4. Module dependencies: a file includes only headers of modules it may see.
  5. No file-scope mutable variables in sim/ (static data must be const).
  6. Every source file (C, Python, shell, meson) says its licence in its first lines:
     `SPDX-License-Identifier: MIT`, as LICENSE and meson.build do.

Prints every violation as file:line: message; exits 1 if there is any.
"""
import os
import re
import sys

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))

SIZE_ALLOW = {
    # file: reason
}

# Which modules a module's files may include (by directory under sim/).
# wire (the segment, its codec, addresses) sits below tcp and trace and sees nothing.
MAY_SEE = {
    "engine": {"engine"},
    "wire": {"wire"},
    "tcp": {"engine", "wire", "tcp", "trace"},
    "link": {"engine", "wire", "link", "tcp", "trace"},
    "trace": {"engine", "wire", "trace"},
    "world": {"engine", "wire", "tcp", "link", "trace", "world", "view"},
    "scenario": {"scenario"},
    "diff": {"diff"},
    "pkt": {"engine", "wire", "tcp", "link", "trace", "world", "pkt"},
    "replay": {"replay", "diff"},
    "cli": {"cli", "diff", "explore"},
    # tcpsim explore drives the real world from outside: it builds it from a scenario and
    # reads connections, links and the event queue to choose, check and hash.
    "explore": {"explore", "engine", "wire", "tcp", "link", "trace", "world", "scenario"},
    "view": {"engine", "wire", "tcp", "link", "trace", "view"},
}
# Trace readers see of tcp and link only the numbers trace events carry (tcp_why.h,
# link_why.h), not the internals; the segment type itself is in wire.
SEGMENT_ONLY = {"tcp_why.h"}
OBSERVERS = {"link", "trace", "view"}
LINK_FOR_OBSERVERS = {"link_why.h"}


def sim_files(ext=(".c", ".h")):
    for d, _, files in os.walk(os.path.join(ROOT, "sim")):
        for f in sorted(files):
            if f.endswith(ext):
                yield os.path.join(d, f)


def rel(p):
    return os.path.relpath(p, ROOT)


def check_state_assignment(errors):
    pat = re.compile(r"->state\s*=[^=]")
    for path in sim_files():
        if path.endswith("tcp_fsm.c"):
            continue
        with open(path, encoding="utf-8") as f:
            for n, line in enumerate(f, 1):
                if pat.search(line):
                    errors.append(f"{rel(path)}:{n}: state assigned outside tcp_set_state()")


def check_sizes(errors):
    test_dir = os.path.join(ROOT, "test")
    paths = list(sim_files((".c",)))
    for d, _, files in os.walk(test_dir):
        paths += [os.path.join(d, f) for f in files if f.endswith(".c")]
    for path in paths:
        with open(path, encoding="utf-8") as f:
            n = sum(1 for _ in f)
        cap = 900 if path.startswith(test_dir) else 700
        if n > cap and rel(path) not in SIZE_ALLOW:
            errors.append(f"{rel(path)}:1: {n} lines, over the cap of {cap}")


def check_rfc_sections(errors):
    with open(os.path.join(os.path.dirname(__file__), "rfc9293-sections.txt"), encoding="utf-8") as f:
        known = {line.split()[0] for line in f if line.strip() and not line.startswith("#")}
    pat = re.compile(r"RFC 9293 §([0-9]+(?:\.[0-9]+)*)")
    for path in sim_files():
        with open(path, encoding="utf-8") as f:
            for n, line in enumerate(f, 1):
                for m in pat.finditer(line):
                    sec = m.group(1).rstrip(".")
                    if sec not in known:
                        errors.append(f"{rel(path)}:{n}: RFC 9293 §{sec} is not a section of RFC 9293")


def check_deps(errors):
    inc = re.compile(r'#include\s+"([^"]+)"')
    for path in sim_files():
        module = rel(path).split(os.sep)[1]
        allowed = MAY_SEE.get(module)
        if allowed is None:
            continue
        with open(path, encoding="utf-8") as f:
            for n, line in enumerate(f, 1):
                m = inc.search(line)
                if not m:
                    continue
                target = os.path.normpath(os.path.join(os.path.dirname(path), m.group(1)))
                if not target.startswith(os.path.join(ROOT, "sim")):
                    continue
                tmod = rel(target).split(os.sep)[1]
                if tmod not in allowed:
                    errors.append(f"{rel(path)}:{n}: module {module} may not include {m.group(1)}")
                elif tmod == "tcp" and module in OBSERVERS and os.path.basename(target) not in SEGMENT_ONLY:
                    errors.append(f"{rel(path)}:{n}: {module} may see only the segment type of tcp")
                elif tmod == "link" and module == "view" and os.path.basename(target) not in LINK_FOR_OBSERVERS:
                    errors.append(f"{rel(path)}:{n}: {module} may see only link_why.h of link")


# file: the one mutable static it may hold, and why.
GLOBAL_ALLOW = {
    "sim/tcp/tcp_invariants.c": ("inv_handler", "tcpsim explore records a broken invariant "
                                 "instead of aborting; the checks are called from places "
                                 "that reach no simulation, and one handler serves a process"),
    "sim/explore/explore.c": ("cur_world", "the invariant handler's only way back to the one "
                              "world a process explores at a time"),
    "sim/engine/ev.c": ("ring_bits", "a process setting read by every queue it creates "
                        "(tcpsim explore keeps its worlds' rings small to copy them); passing "
                        "it down through every way a simulation is built would reach every "
                        "caller for one program"),
    "sim/engine/pool.c": ("first_chunk", "a process setting for every pool it creates, as "
                          "ring_bits in ev.c"),
    "sim/trace/outfile.c": ("tmp_table", "a signal handler has no other way to reach the "
                            "temporaries it must remove; each simulation lists only its own"),
}


def check_globals(errors):
    # A `static` object that is not const, at file scope or inside a function (function
    # definitions put the return type on its own line, so they never match).
    pat = re.compile(r"^\s*static\s+(?!const\b)(?!inline\b)[^(;]*[=;]\s*$")
    pat_array = re.compile(r"^\s*static\s+(?!const\b)[^(]*\[[^\]]*\]\s*[=;]")
    for path in sim_files():
        with open(path, encoding="utf-8") as f:
            for n, line in enumerate(f, 1):
                head = line.split("=")[0]
                allowed = GLOBAL_ALLOW.get(rel(path))
                if allowed and allowed[0] in head:
                    continue
                if (pat.match(line) or pat_array.match(line)) and "(" not in head:
                    errors.append(f"{rel(path)}:{n}: mutable static variable")


def check_spdx(errors):
    import subprocess
    try:
        files = subprocess.run(["git", "ls-files"], cwd=ROOT, capture_output=True, text=True,
                               check=True).stdout.split()
    except (OSError, subprocess.CalledProcessError):
        return  # not a git checkout (a release tarball): nothing to list
    for f in files:
        base = os.path.basename(f)
        if not (f.endswith((".c", ".h", ".py", ".sh", ".ini"))
                or base in ("meson.build", "meson_options.txt")):
            continue
        path = os.path.join(ROOT, f)
        if not os.path.exists(path):
            continue
        with open(path, encoding="utf-8") as fh:
            head = [fh.readline() for _ in range(3)]
        if not any("SPDX-License-Identifier: MIT" in line for line in head):
            errors.append(f"{f}:1: no SPDX-License-Identifier: MIT in the first three lines")


def main():
    errors = []
    check_state_assignment(errors)
    check_sizes(errors)
    check_rfc_sections(errors)
    check_deps(errors)
    check_globals(errors)
    check_spdx(errors)
    for e in errors:
        print(e)
    print(f"lint: {len(errors)} problem(s)")
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
