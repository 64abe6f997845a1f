#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""tcpsim's benchmarks, and ns-3 on the same work in the same run.

Builds tcpsim with optimisation (build-bench/), runs each workload REPS times and prints
a Markdown table: median wall time, simulated segments and events, wall nanoseconds per
segment, peak RSS (tcpsim's own VmHWM), connection blocks at the peak and bytes per block
(peak RSS less an empty run's, over the blocks); with --with-ns3, ns-3's median on the
same work (../shared/bench/ns3, built with its build.sh) and the ratio. The machine is
shared and noisy: compare only figures from one run, and read medians. What the figures
mean and where the time goes: test/bench/README.md.

Usage: test/bench/bench.py [--reps 5] [--with-ns3] [--only NAME,...] [--quick]
"""
import argparse
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
SCN = os.path.join(ROOT, "test", "bench", "scenarios")
NS3 = os.path.join(os.path.dirname(ROOT), "shared", "bench", "ns3")
STATS = re.compile(r"stats: events (\d+), segments (\d+), connection blocks at most (\d+)")
# tcpsim's own peak resident size (VmHWM): the child's rusage would also count the
# forked Python it started as, before exec.
RSS = re.compile(r"peak RSS (\d+) KiB")


def peak_rss(err, fallback):
    m = RSS.search(err)
    return int(m.group(1)) if m else fallback

# name: (tcpsim arguments, ns-3 command or None, target text)
WORKLOADS = [
    ("bulk", ["bulk.scn", "--no-trace"], ["bin/tcp_bulk"],
     ">= 50x ns-3, <= 250 ns per segment"),
    ("lossy", ["lossy.scn", "--no-trace"],
     ["bin/tcp_bulk", "--rate=10Mbps", "--delay=25ms", "--bytes=10000000",
      "--lossRate=0.01", "--seed=1", "--runNumber=1"], ""),
    ("lossy-100MB", ["lossy-100MB.scn", "--no-trace"],
     ["bin/tcp_bulk", "--rate=10Mbps", "--delay=25ms", "--bytes=100000000",
      "--lossRate=0.01", "--seed=1", "--runNumber=1"], ">= 50x ns-3"),
    ("bulk+trace", ["bulk.scn", "-o", "{tmp}/bulk.trace"],
     ["bin/tcp_bulk", "--pcap=1", "--tracePrefix={tmp}/ns3"], ">= 10x ns-3 with pcap"),
    ("bulk+pcap", ["bulk.scn", "--no-trace", "--pcap", "{tmp}/bulk.pcap"],
     ["bin/tcp_bulk", "--pcap=1", "--tracePrefix={tmp}/ns3"], ">= 10x ns-3 with pcap"),
    ("many-short", ["many-short.scn", "--no-trace"],
     ["bin/tcp_many_short", "--n=10000", "--interval=1ms", "--rate=1Gbps", "--delay=1ms"],
     ">= 1000x ns-3"),
    ("short-10k", ["short-10k.scn", "--no-trace"], None, "linear: see short-100k"),
    ("short-100k", ["short-100k.scn", "--no-trace"], None, "<= 11x short-10k"),
    ("short-1M", ["short-1M.scn", "--no-trace"], None,
     "runs, linear, <= 1 KiB per TIME_WAIT connection"),
    ("syn-flood-1M", ["syn-flood-1M.scn", "--no-trace"], None,
     "runs, memory bounded by the queues"),
]


def run_measured(cmd, cwd=None):
    """Runs cmd; returns (wall seconds, peak RSS in KiB, stderr)."""
    t0 = time.perf_counter()
    p = subprocess.Popen(cmd, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                         text=True)
    _, status, usage = os.wait4(p.pid, 0)
    wall = time.perf_counter() - t0
    err = p.stderr.read()
    p.stderr.close()
    p.returncode = os.waitstatus_to_exitcode(status)
    if p.returncode != 0:
        raise RuntimeError(f"{' '.join(cmd)} exited {p.returncode}: {err[-500:]}")
    return wall, usage.ru_maxrss, err


def build(builddir):
    if not os.path.exists(os.path.join(builddir, "build.ninja")):
        subprocess.run(["meson", "setup", builddir, "--buildtype=release", "-Db_lto=true"], cwd=ROOT,
                       check=True, stdout=subprocess.DEVNULL)
    subprocess.run(["ninja", "-C", builddir], cwd=ROOT, check=True, stdout=subprocess.DEVNULL)


def fmt_ms(s):
    return f"{s * 1e3:.1f} ms" if s < 10 else f"{s:.2f} s"


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--reps", type=int, default=5)
    ap.add_argument("--build", default=os.path.join(ROOT, "build-bench"))
    ap.add_argument("--with-ns3", action="store_true")
    ap.add_argument("--only", default="")
    ap.add_argument("--quick", action="store_true", help="one rep, skip the 1M workloads")
    a = ap.parse_args()
    reps = 1 if a.quick else a.reps
    only = set(filter(None, a.only.split(",")))
    build(a.build)
    tcpsim = os.path.join(a.build, "sim", "tcpsim")
    have_pcap = "--pcap" in subprocess.run([tcpsim, "run", "--help"], capture_output=True,
                                           text=True).stdout
    if a.with_ns3 and not os.path.exists(os.path.join(NS3, "bin", "tcp_bulk")):
        subprocess.run(["./build.sh"], cwd=NS3, check=True)
    tmp = tempfile.mkdtemp(prefix="tcpsim-bench-")
    rows = []
    # What the process weighs with nothing simulated: subtracted before dividing the
    # peak resident size by the connection blocks alive at the peak.
    base_rss = statistics.median(
        peak_rss(r[2], r[1]) for r in
        (run_measured([tcpsim, "run", os.path.join(SCN, "baseline.scn"), "--no-trace",
                       "--quiet", "--stats"]) for _ in range(3)))
    try:
        for name, args, ns3, target in WORKLOADS:
            if only and name not in only:
                continue
            if a.quick and "1M" in name:
                continue
            if "--pcap" in args and not have_pcap:
                rows.append((name, None, None, None, "no --pcap in this build", target))
                continue
            argv = [tcpsim, "run", os.path.join(SCN, args[0])] + \
                [x.format(tmp=tmp) for x in args[1:]] + ["--stats", "--quiet"]
            walls, rss, stats = [], [], None
            for _ in range(reps):
                w, m, err = run_measured(argv)
                walls.append(w)
                rss.append(peak_rss(err, m))
                stats = STATS.search(err)
            ns3_med = None
            if a.with_ns3 and ns3 is not None:
                ns3_walls = [run_measured([x.format(tmp=tmp) for x in ns3], cwd=NS3)[0]
                             for _ in range(reps)]
                ns3_med = statistics.median(ns3_walls)
            rows.append((name, statistics.median(walls), stats, max(rss), ns3_med, target))
        bench_ev = os.path.join(a.build, "test", "bench_ev")
        if (not only or "engine" in only) and os.path.exists(bench_ev):
            n = "1000000" if a.quick else "10000000"
            out = subprocess.run([bench_ev, n], capture_output=True, text=True, check=True).stdout
            rows.append(("engine", None, out.strip(), None, None,
                         ">= 10 M ops/s, <= 64 B per timer"))
    finally:
        shutil.rmtree(tmp, ignore_errors=True)

    print(f"tcpsim benchmarks, median of {reps}, {os.cpu_count()} CPUs, "
          f"{time.strftime('%Y-%m-%d')}")
    print()
    print(f"Bytes per block: (peak RSS - {base_rss} KiB of an empty run) / connection blocks "
          "alive at the peak.")
    print()
    print("| workload | wall | segments | events | segments/s | ns/segment | peak RSS | blocks "
          "| bytes/block | ns-3 | ratio | target |")
    print("|---|---|---|---|---|---|---|---|---|---|---|---|")
    for name, wall, stats, rss, ns3_med, target in rows:
        if name == "engine":
            print(f"| engine | {stats} | | | | | | | | | | {target} |")
            continue
        if wall is None:
            print(f"| {name} | skipped: {ns3_med} | | | | | | | | | | {target} |")
            continue
        ev = seg = blocks = "?"
        nsps = per_block = rate = "?"
        if stats:
            ev, seg, blocks = stats.group(1), stats.group(2), stats.group(3)
            nsps = f"{wall * 1e9 / int(seg):.0f}"
            rate = f"{int(seg) / wall / 1e6:.1f} M"
            per_block = f"{(rss - base_rss) * 1024 / int(blocks):.0f}" if int(blocks) > 1000 else "-"
        ns3s = fmt_ms(ns3_med) if ns3_med else "-"
        ratio = f"{ns3_med / wall:.0f}x" if ns3_med else "-"
        print(f"| {name} | {fmt_ms(wall)} | {seg} | {ev} | {rate} | {nsps} | {rss // 1024} MiB | "
              f"{blocks} | {per_block} | {ns3s} | {ratio} | {target} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
