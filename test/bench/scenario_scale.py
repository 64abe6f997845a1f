#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""How scenario set-up scales with named sockets: parse, check and compile a scenario of
N connects, each named, for N = 10k, 100k, 1M (the run stops after its first event).

Usage: scenario_scale.py TCPSIM [--repeat R]

Prints, per N, the median of R runs of wall and CPU time (user + system, from
getrusage of the child), and the ratio to the previous N: linear set-up shows ~10x per
10x more sockets (issue 17: the check was quadratic, 20,000 sockets took 4 s).
"""
import argparse
import os
import resource
import statistics
import subprocess
import tempfile
import time


def one(tcpsim, path):
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.monotonic()
    subprocess.run([tcpsim, "run", path, "--no-trace", "--max-events", "1"],
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    wall = time.monotonic() - t0
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("tcpsim")
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    print(f"load average {os.getloadavg()[0]:.2f} on {os.cpu_count()} CPUs")
    print(f"{'sockets':>9} {'wall s':>8} {'cpu s':>8} {'x prev (cpu)':>13}")
    prev = None
    with tempfile.TemporaryDirectory() as d:
        for n in (10000, 100000, 1000000):
            path = os.path.join(d, f"s{n}.scn")
            with open(path, "w") as f:
                f.write("hosts A=10.0.0.1 B=10.0.0.2\n0 B listen 80\n")
                for i in range(n):
                    f.write(f"+0 A connect B:80 as c{i}\n")
            runs = [one(args.tcpsim, path) for _ in range(args.repeat)]
            wall = statistics.median(r[0] for r in runs)
            cpu = statistics.median(r[1] for r in runs)
            ratio = f"{cpu / prev:.1f}x" if prev else "-"
            print(f"{n:>9} {wall:>8.2f} {cpu:>8.2f} {ratio:>13}")
            prev = cpu if cpu > 0 else None


if __name__ == "__main__":
    main()
