#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Goodput of one bulk transfer against link rate and random loss.

For each link rate and loss rate, runs a scenario that moves SIZE bytes from A to B
over a link of that rate with 20 ms one-way delay and the loss both ways, for several
seeds, and prints the median goodput (bytes the application read, over the time from
the first send to the last read) as a fraction of the link rate, next to the
Mathis et al. (1997) bound MSS / RTT * 1.22 / sqrt(p) for the same loss.

These are simulated times: the figures do not depend on the machine.

Usage: goodput.py TCPSIM [--size 10MB] [--seeds 5] [--cc cubic|reno]
"""
import argparse
import math
import re
import statistics
import subprocess
import sys

RATES = ["10Mbps", "100Mbps"]
LOSSES = ["0%", "0.1%", "1%", "5%"]
RECV = re.compile(r"^(\d+\.\d+) B\s+app\s+recv\(s, (\d+)\) = (\d+)$", re.M)
SEND = re.compile(r"^(\d+\.\d+) A\s+app\s+send\(c, \d+\) \.\.\.$", re.M)


def rate_bps(rate):
    n, unit = re.fullmatch(r"(\d+)(Mbps|Gbps)", rate).groups()
    return int(n) * (10**6 if unit == "Mbps" else 10**9)


def scenario(rate, loss, size, cc):
    return f"""link both delay 20ms rate {rate} loss {loss}
set * tcp_congestion_control {cc}
0 B listen 80
0 A connect B:80 as c
+0 B accept 80 as s
+0 A send c {size}
+0 B recv s {size}
+0 A close c
+0 B close s
"""


def run(tcpsim, text, seed):
    path = "/tmp/tcpsim-goodput.scn"
    with open(path, "w", encoding="utf-8") as f:
        f.write(text)
    out = subprocess.run([tcpsim, "run", path, "--seed", str(seed)], check=True,
                         capture_output=True, text=True).stdout
    start = float(SEND.search(out).group(1))
    end, _, got = RECV.search(out).groups()
    return int(got), float(end) - start


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("tcpsim")
    ap.add_argument("--size", default="10MB")
    ap.add_argument("--seeds", type=int, default=5)
    ap.add_argument("--cc", default="cubic", choices=["cubic", "reno"])
    a = ap.parse_args()
    print(f"{a.size} A->B, 20 ms one way, loss both ways, {a.cc}, median of {a.seeds} seeds")
    print()
    print("| link | loss | goodput | of link rate | Mathis bound |")
    print("|---|---|---|---|---|")
    for rate in RATES:
        for loss in LOSSES:
            samples = []
            for seed in range(1, a.seeds + 1):
                got, secs = run(a.tcpsim, scenario(rate, loss, a.size, a.cc), seed)
                samples.append(got * 8 / secs)
            bps = statistics.median(samples)
            p = float(loss.rstrip("%")) / 100
            bound = "-" if p == 0 else f"{1448 * 8 / 0.040 * 1.22 / math.sqrt(p) / 1e6:.1f} Mbit/s"
            print(f"| {rate} | {loss} | {bps / 1e6:.2f} Mbit/s | "
                  f"{100 * bps / rate_bps(rate):.0f}% | {bound} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
