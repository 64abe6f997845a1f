#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""tcpsim explore: a child's world copied back from its parent's snapshot against a world
rebuilt from the prefix for every child (--no-snapshots), in the same run.

Each repetition runs the two one after the other (the order alternating), so the
machine's load falls on both alike; the ratio is the median of the per-repetition ratios,
with their spread. Both must report the same states and transitions (the search is the
same; only how a child's world is made differs), or the benchmark fails.

Usage: test/bench/explore_bench.py [--tcpsim build/sim/tcpsim] [--prefix established]
                                   [--depth 7] [--reps 5]
"""
import argparse
import os
import re
import statistics
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from bench import ROOT, cpu_busy, med_spread, run_measured  # noqa: E402

FIGURES = re.compile(r"depth (\d+), (\d+) states, (\d+) transitions")


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--tcpsim", default=os.path.join(ROOT, "build", "sim", "tcpsim"))
    ap.add_argument("--prefix", default="established",
                    help="a bundled prefix (scenarios/explore/NAME.prefix) or a path")
    ap.add_argument("--depth", type=int, default=7)
    ap.add_argument("--reps", type=int, default=5)
    a = ap.parse_args()
    prefix = a.prefix if os.path.exists(a.prefix) else os.path.join(
        ROOT, "scenarios", "explore", a.prefix + ".prefix")
    base = [a.tcpsim, "explore", prefix, "--depth", str(a.depth), "-q"]
    sides = {"snapshots": ([], [], []), "rebuilt": ([], [], [])}
    figures = set()
    for rep in range(a.reps):
        order = ["snapshots", "rebuilt"] if rep % 2 == 0 else ["rebuilt", "snapshots"]
        for name in order:
            cmd = base + (["--no-snapshots"] if name == "rebuilt" else [])
            busy0 = cpu_busy()
            wall, cpu, _, out = run_measured(cmd)
            busy1 = cpu_busy()
            m = FIGURES.search(out)
            if m is None:
                sys.exit(f"explore_bench: no figures in: {out}")
            figures.add(m.groups())
            w, c, o = sides[name]
            w.append(wall)
            c.append(cpu)
            if busy0 is not None and busy1 is not None:
                o.append(max(0.0, (busy1 - busy0 - cpu) / wall))
    if len(figures) != 1:
        sys.exit(f"explore_bench: the two ways disagree: {sorted(figures)}")
    depth, states, transitions = next(iter(figures))
    print(f"tcpsim explore {os.path.relpath(prefix, ROOT)} --depth {depth}: {states} states, "
          f"{transitions} transitions; median (min–max) of {a.reps} repetitions\n")
    print("| worlds | wall | CPU | µs CPU a transition | others (CPUs busy) |")
    print("|---|---|---|---|---|")
    for name, (w, c, o) in sides.items():
        per = statistics.median(c) / int(transitions) * 1e6
        others = f"{statistics.median(o):.2f}" if o else "?"
        print(f"| {name} | {med_spread(w)} | {med_spread(c)} | {per:.1f} | {others} |")
    rw = [r / s for r, s in zip(sides["rebuilt"][0], sides["snapshots"][0])]
    rc = [r / s for r, s in zip(sides["rebuilt"][1], sides["snapshots"][1])]
    print(f"\nrebuilt / snapshots: wall {statistics.median(rw):.1f}× "
          f"({min(rw):.1f}–{max(rw):.1f}), CPU {statistics.median(rc):.1f}× "
          f"({min(rc):.1f}–{max(rc):.1f})")


if __name__ == "__main__":
    main()
