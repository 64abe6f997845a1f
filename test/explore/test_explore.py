#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""tcpsim explore, a short depth (CI): both bundled prefixes explored with no invariant
or stream property broken, the same figures on every run, the workers adding up to a
search of the same depth (sharing one table of states), --find paths written as scenarios that replay to what they
were found for (a state; a duplicate, a reordering and a loss), and a prefix explore
cannot take refused with its reason.

Usage: test_explore.py TCPSIM SOURCE_ROOT
"""
import os
import re
import subprocess
import sys
import tempfile

TCPSIM, ROOT = sys.argv[1], sys.argv[2]
PREFIXES = os.path.join(ROOT, "scenarios", "explore")
failures = []


def explore(*args):
    p = subprocess.run([TCPSIM, "explore", "-q", *args], capture_output=True, text=True,
                       timeout=120)
    return p.returncode, p.stdout, p.stderr


def figures(out):
    m = re.search(r"depth (\d+).*?, (\d+) states, (\d+) transitions", out)
    return tuple(int(x) for x in m.groups()) if m else None


def check(cond, what):
    if not cond:
        failures.append(what)
        print("FAIL:", what)


# 1. Both prefixes, depth 4, nothing broken; a second run gives the same figures.
for name in ("handshake", "established"):
    prefix = os.path.join(PREFIXES, name + ".prefix")
    rc, out, err = explore(prefix, "--depth", "4", "--coverage")
    check(rc == 0, f"{name}: exit {rc}, expected 0: {out}{err}")
    f = figures(out)
    check(f is not None and f[0] == 4 and f[1] > 50, f"{name}: figures {f}: {out}")
    check("0 violation kind(s)" in out, f"{name}: violations: {out}")
    check("cells reached:" in out and "ESTABLISHED" in out, f"{name}: no coverage table")
    rc2, out2, _ = explore(prefix, "--depth", "4", "--coverage")
    check(out2.split(",")[1:3] == out.split(",")[1:3] and
          out2[out2.index("transitions explored"):] == out[out.index("transitions explored"):],
          f"{name}: not deterministic: {f} then {figures(out2)}")
    # Two workers: the same depth, every first choice covered by one of them.
    rc3, out3, err3 = explore(prefix, "--depth", "4", "--jobs", "2")
    f3 = figures(out3)
    check(rc3 == 0 and f3 is not None and f3[0] == 4 and f3[2] >= f[2],
          f"{name} --jobs 2: exit {rc3}, figures {f3} against {f}: {err3}")

# Snapshots: a node's world saved and copied back for each child (sim/explore/
# explore_heap.h) gives what rebuilding each child's world from the prefix gives: the
# same states, transitions and coverage, cell by cell (one worker: deterministic). A
# sanitizer build has no snapshots, and says so.
no_snapshots = "no snapshots in this build" in subprocess.run(
    [TCPSIM, "explore", os.path.join(PREFIXES, "handshake.prefix"), "--depth", "1"],
    capture_output=True, text=True, timeout=120).stderr
# The small-buffer prefix adds zero windows, window probes and TIME-WAIT's 60 s, which
# the copied worlds' small event ring (64 buckets, a second) keeps in its far heap.
for name, bounds in (("handshake", ["--depth", "7"]), ("established", ["--depth", "5"]),
                     ("small-buffers", ["--depth", "6", "--send-size", "1500", "--dups", "0",
                                        "--reorder", "0"])):
    prefix = os.path.join(PREFIXES, name + ".prefix")
    rc1, out1, err1 = explore(prefix, *bounds, "--coverage")
    rc2, out2, err2 = explore(prefix, *bounds, "--coverage", "--no-snapshots")
    f1, f2 = figures(out1), figures(out2)
    check(rc1 == 0 and rc2 == 0 and f1 is not None and f1 == f2 and
          out1[out1.index("transitions explored"):] == out2[out2.index("transitions explored"):],
          f"{name}: snapshots {f1}, rebuilt {f2}: {err1}{err2}")
    if name == "small-buffers":
        cells = {l.split()[0]: l.split()[1:] for l in out1.splitlines()
                 if l.split()[:1] and l.split()[0] in ("ESTABLISHED", "TIME_WAIT")}
        cols = out1[out1.index("transitions explored"):].splitlines()[1].split()
        est = dict(zip(cols, cells.get("ESTABLISHED", [])))
        check(est.get("t:persist", ".") != ".", f"small-buffers: no window probe: {out1}")
    r1 = re.search(r"(\d+) steps replayed", out1)
    r2 = re.search(r"(\d+) steps replayed", out2)
    check(r1 and r2 and (int(r1.group(1)) < int(r2.group(1)) or no_snapshots),
          f"{name}: snapshots replayed no fewer steps: {out1}{out2}")

# Two workers share one table of states: at depth 8 (the parent alone up to the first
# level of 512 paths or more, depth 6; the workers split it) they expand what one worker
# does, not each its own copy of the states they both meet (unshared, two workers met
# 29% more states than one).
hs = os.path.join(PREFIXES, "handshake.prefix")
f1 = figures(explore(hs, "--depth", "8")[1])
rc2, out2, err2 = explore(hs, "--depth", "8", "--jobs", "2")
f2 = figures(out2)
check(rc2 == 0 and f1 is not None and f2 is not None and f2[0] == 8 and
      f1[1] <= f2[1] <= f1[1] * 1.05,
      f"shared table: one worker {f1}, two {f2}: {err2}")

# The limits say which one stopped the search, and the last depth it completed: a 1 MiB
# table of states (131,072 slots, full at 98,304) holds the handshake to depth 8 (one
# worker; two share the table, and where it fills depends on their race: depth 7 or 8).
rc, out, err = explore(hs, "--depth", "9", "--table", "1MiB")
f = figures(out)
check(rc == 0 and f is not None and f[0] == 8 and
      "stopped by a full table of states (--table)" in out,
      f"--table 1MiB: exit {rc}, figures {f}: {out}{err}")
rc, out, err = explore(hs, "--depth", "9", "--jobs", "2", "--table", "1MiB")
f = figures(out)
check(rc == 0 and f is not None and f[0] in (7, 8) and
      "stopped by a full table of states (--table)" in out,
      f"--table 1MiB --jobs 2: exit {rc}, figures {f}: {out}{err}")
rc, out, err = explore(hs, "--depth", "9", "--max-states", "1000")
check(rc == 0 and "stopped by --max-states" in out, f"--max-states 1000: exit {rc}: {out}{err}")
for bad in ("100KiB", "2TiB", "lots"):
    rc, out, err = explore(hs, "--depth", "2", "--table", bad)
    check(rc == 2 and f"--table {bad}: expected a size from 1MiB to 1TiB" in err,
          f"--table {bad}: exit {rc}: {err}")

# The handshake prefix: the connect is explore's, so SYN_SENT meets a SYN-ACK.
rc, out, _ = explore(os.path.join(PREFIXES, "handshake.prefix"), "--depth", "3", "--coverage")
row = next((l for l in out.splitlines() if l.startswith("SYN_SENT")), "")
check(re.search(r"\d", row) is not None, f"handshake: SYN_SENT row empty: {row!r}")

# 2. --find: the shortest way to CLOSING is a simultaneous close; the scenario written
#    for it replays to CLOSING with tcpsim run.
with tempfile.TemporaryDirectory() as d:
    rc, out, err = explore(os.path.join(PREFIXES, "established.prefix"), "--depth", "3",
                           "--find", "CLOSING", "-o", d)
    check(rc == 1, f"--find: exit {rc}, expected 1: {out}{err}")
    check("(CLOSING)" in out and "(3 choices)" in out, f"--find: {out}")
    scn = os.path.join(d, "violation-1.scn")
    check(os.path.exists(scn), "--find: no scenario written")
    if os.path.exists(scn):
        text = open(scn).read()
        check("shutdown" in text and "link both delay 0ms" in text, f"scenario: {text}")
        run = subprocess.run([TCPSIM, "run", scn], capture_output=True, text=True, timeout=60)
        check(run.returncode == 0, f"written scenario: exit {run.returncode}: {run.stderr}")
        check(re.search(r"FIN_WAIT_1 -> CLOSING", run.stdout) is not None,
              "written scenario does not reach CLOSING")
        for ext in (".trace", ".ladder", ".explain"):
            p = os.path.join(d, "violation-1" + ext)
            check(os.path.exists(p) and os.path.getsize(p) > 0, f"no {ext} written")

# 3. --find COUNTER: paths that need a duplicate (a D-SACK sent), a reordering (data
#    queued out of order) and a loss (a retransmission); each written scenario, run,
#    counts the event on the host explore found it on.
for counter in ("TcpExtTCPDSACKOldSent", "TcpExtTCPOFOQueue", "TcpRetransSegs"):
    with tempfile.TemporaryDirectory() as d:
        rc, out, err = explore(os.path.join(PREFIXES, "established.prefix"), "--depth", "4",
                               "--find", counter, "-o", d)
        m = re.search(r"violation 1 \(\d choices\) (\S+): found: host (\w+) counter", out)
        check(rc == 1 and m is not None, f"--find {counter}: exit {rc}: {out}{err}")
        if m is None:
            continue
        run = subprocess.run([TCPSIM, "run", m.group(1), "--no-trace", "--counters"],
                             capture_output=True, text=True, timeout=60)
        host, value = None, 0
        for line in (run.stdout + run.stderr).splitlines():
            if line.startswith("#kernel "):
                host = line.split()[1]
            elif line.split()[:1] == [counter] and host == m.group(2):
                value = int(line.split()[1])
        check(value > 0, f"--find {counter}: the written scenario does not count it on "
                         f"{m.group(2)}: {run.stdout}{run.stderr}")

# 4. A prefix whose link has random loss, segments still in flight, or a failing expect
#    is refused.
with tempfile.TemporaryDirectory() as d:
    lossy = os.path.join(d, "lossy.scn")
    with open(lossy, "w") as f:
        f.write("link both delay 10ms loss 1%\n0 B listen 80\n+0 B accept 80 as s\n")
    rc, out, err = explore(lossy, "--depth", "2")
    check(rc == 2 and "random impairment" in err, f"lossy prefix: exit {rc}: {err}")
    busy = os.path.join(d, "busy.scn")
    with open(busy, "w") as f:
        f.write("link both delay 10ms\n0 B listen 80\n+0 A connect B:80 as c\n")
    rc, out, err = explore(busy, "--depth", "2")
    check(rc == 2 and "in flight" in err, f"busy prefix: exit {rc}: {err}")
    failing = os.path.join(d, "failing.scn")
    with open(failing, "w") as f:
        f.write("link both delay 10ms\n0 B listen 80\n+0 A connect B:80 as c\n"
                "1s expect A c state CLOSED\n")
    rc, out, err = explore(failing, "--depth", "2")
    check(rc == 2 and "prefix's own check failed" in err, f"failing prefix: exit {rc}: {err}")
    rc, out, err = explore(lossy, "--depth", "0")
    check(rc == 2 and "--depth" in err, f"--depth 0: exit {rc}: {err}")

print(f"explore: {len(failures)} failed")
sys.exit(1 if failures else 0)
