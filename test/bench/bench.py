#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""tcpsim's benchmarks, with ns-3 and ns-2 on the same work in the same run.

Builds tcpsim with optimisation (build-bench/), then runs each workload REPS times. With
--with-ns3 / --with-ns2 every repetition runs tcpsim and the reference simulators one
after the other (a pair, or a triple), so that the machine's load falls on both sides
alike; a ratio is the median of the per-pair ratios, with their spread.

Prints two Markdown tables: time (wall and CPU medians with min-max spreads, the other
processes' load on the machine during the workload, ratios and goals) and work (segments,
events, nanoseconds per segment, peak RSS, connection blocks, bytes per block). The machine
is shared and noisy: compare only figures from one run. What the figures mean and where
the time goes: test/bench/README.md.

ns-3: the programs of ../shared/bench/ns3 (Debian's ns-3 3.37), built once with its
build.sh. ns-2: Debian's ns2 (2.35) running test/bench/ns2/tcp_bulk.tcl. Either is
skipped, with a note, when it is not installed.

Usage: test/bench/bench.py [--reps 5] [--with-ns3] [--with-ns2] [--only NAME,...] [--quick]
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
NS2DIR = os.path.join(ROOT, "test", "bench", "ns2")
NS3 = os.environ.get("TCPSIM_NS3_DIR",
                     os.path.join(os.path.dirname(ROOT), "shared", "bench", "ns3"))
STATS = re.compile(r"stats: events (\d+), segments (\d+), connection blocks at most (\d+)")
# tcpsim's own peak resident size (VmHWM): the child's rusage would also count the
# forked Python it started as, before exec.
RSS = re.compile(r"peak RSS (\d+) KiB")
OPS = re.compile(r"([\d.]+) M operations/s")

NS3_BULK = ["bin/tcp_bulk"]
NS3_LOSSY = ["bin/tcp_bulk", "--rate=10Mbps", "--delay=25ms", "--lossRate=0.01", "--seed=1",
             "--runNumber=1"]
NS3_PCAP = ["bin/tcp_bulk", "--pcap=1", "--tracePrefix={tmp}/ns3"]
NS2_BULK = ["ns", "tcp_bulk.tcl"]
NS2_LOSSY = ["ns", "tcp_bulk.tcl", "rate=10Mb", "delay=25ms", "loss=0.01"]

# name: (tcpsim arguments, ns-3 command, ns-2 command, goal as ns-3/tcpsim or None, label)
WORKLOADS = [
    ("bulk", ["bulk.scn", "--no-trace"], NS3_BULK, NS2_BULK, 100,
     "bulk 100 MB, 100 Mbit/s"),
    ("lossy", ["lossy.scn", "--no-trace"], NS3_LOSSY + ["--bytes=10000000"],
     NS2_LOSSY + ["bytes=10000000"], None, "lossy 1 %, 10 MB"),
    ("lossy-100MB", ["lossy-100MB.scn", "--no-trace"], NS3_LOSSY + ["--bytes=100000000"],
     NS2_LOSSY + ["bytes=100000000"], 50, "lossy 1 %, 100 MB"),
    ("bulk+trace", ["bulk.scn", "-o", "{tmp}/bulk.trace"], NS3_PCAP, None, 30,
     "bulk + text trace (ns-3: + pcap)"),
    ("bulk+pcap", ["bulk.scn", "--no-trace", "--pcap", "{tmp}/bulk.pcap"], NS3_PCAP, None, 20,
     "bulk + pcap (ns-3: + pcap)"),
    ("many-short", ["many-short.scn", "--no-trace"],
     ["bin/tcp_many_short", "--n=10000", "--interval=1ms", "--rate=1Gbps", "--delay=1ms"],
     None, 1000, "10,000 short connections"),
    ("short-10k", ["short-10k.scn", "--no-trace"], None, None, None, "short-10k"),
    ("short-100k", ["short-100k.scn", "--no-trace"], None, None, None, "short-100k"),
    ("short-1M", ["short-1M.scn", "--no-trace"], None, None, None, "short-1M"),
    ("syn-flood-1M", ["syn-flood-1M.scn", "--no-trace"], None, None, None, "syn-flood-1M"),
    ("start", ["baseline.scn", "--no-trace"], None, None, None, "empty run (process start)"),
]


def peak_rss(err, fallback):
    m = RSS.search(err)
    return int(m.group(1)) if m else fallback


def cpu_busy():
    """Jiffies the whole machine spent busy so far (all CPUs), from /proc/stat."""
    try:
        with open("/proc/stat") as f:
            v = [int(x) for x in f.readline().split()[1:]]
        return (sum(v) - v[3] - v[4]) / os.sysconf("SC_CLK_TCK")  # less idle, iowait
    except OSError:
        return None


def run_measured(cmd, cwd=None):
    """Runs cmd; returns (wall s, CPU s (user + system), peak RSS KiB, stderr+stdout)."""
    t0 = time.perf_counter()
    p = subprocess.Popen(cmd, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                         text=True)
    out = p.stdout.read()
    _, status, usage = os.wait4(p.pid, 0)
    wall = time.perf_counter() - t0
    p.stdout.close()
    p.returncode = os.waitstatus_to_exitcode(status)
    if p.returncode != 0:
        raise RuntimeError(f"{' '.join(cmd)} exited {p.returncode}: {out[-500:]}")
    return wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss, out


class Side:
    """One simulator's repetitions of one workload."""

    def __init__(self):
        self.wall, self.cpu, self.rss, self.out = [], [], [], ""

    def add(self, r):
        self.wall.append(r[0])
        self.cpu.append(r[1])
        self.rss.append(peak_rss(r[3], r[2]))
        self.out = r[3]


def build(builddir):
    if not os.path.exists(os.path.join(builddir, "build.ninja")):
        subprocess.run(["meson", "setup", builddir, "--buildtype=release", "-Db_lto=true"],
                       cwd=ROOT, check=True, stdout=subprocess.DEVNULL)
    subprocess.run(["ninja", "-C", builddir, "-j2"], cwd=ROOT, check=True,
                   stdout=subprocess.DEVNULL)


def ns3_ready(notes):
    if os.path.exists(os.path.join(NS3, "bin", "tcp_bulk")):
        return True
    if not shutil.which("pkg-config") or subprocess.run(
            ["pkg-config", "--exists", "ns3-internet"]).returncode != 0:
        notes.append("ns-3 is not installed (Debian: ns3 libns3-dev): its columns are empty.")
        return False
    r = subprocess.run(["nice", "./build.sh"], cwd=NS3)
    if r.returncode != 0:
        notes.append(f"ns-3's programs did not build in {NS3}: its columns are empty.")
        return False
    return True


def fmt_s(s):
    if s is None:
        return ""
    if s < 0.01:
        return f"{s * 1e3:.2f} ms"
    return f"{s * 1e3:.1f} ms" if s < 1 else f"{s:.2f} s"


def med_spread(xs):
    """'median (min-max)' of seconds."""
    if not xs:
        return ""
    return f"{fmt_s(statistics.median(xs))} ({fmt_s(min(xs))}–{fmt_s(max(xs))})"


def ratio_text(ref, ours, what="wall"):
    """Median and spread of the per-pair ratios ref / ours."""
    if not ref.wall:
        return "", None
    rs = [a / b for a, b in zip(getattr(ref, what), getattr(ours, what))]
    m = statistics.median(rs)
    return f"{m:.0f}× ({min(rs):.0f}–{max(rs):.0f})", m


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--reps", type=int, default=5)
    ap.add_argument("--build", default=os.path.join(ROOT, "build-bench"))
    ap.add_argument("--with-ns3", action="store_true")
    ap.add_argument("--with-ns2", action="store_true")
    ap.add_argument("--only", default="")
    ap.add_argument("--quick", action="store_true", help="one rep, skip the 1M workloads")
    ap.add_argument("--no-build", action="store_true", help="use --build as it is")
    a = ap.parse_args()
    reps = 1 if a.quick else a.reps
    only = set(filter(None, a.only.split(",")))
    notes = []
    if not a.no_build:
        build(a.build)
    tcpsim = os.path.join(a.build, "sim", "tcpsim")
    have_pcap = "--pcap" in subprocess.run([tcpsim, "run", "--help"], capture_output=True,
                                           text=True).stdout
    with_ns3 = a.with_ns3 and ns3_ready(notes)
    with_ns2 = a.with_ns2 and shutil.which("ns") is not None
    if a.with_ns2 and not with_ns2:
        notes.append("ns-2 is not installed (Debian: ns2): its columns are empty.")
    tmp = tempfile.mkdtemp(prefix="tcpsim-bench-")
    load_start = open("/proc/loadavg").read().split()[:3]
    t_start = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())
    rows = []
    # What the process weighs with nothing simulated: subtracted before dividing the
    # peak resident size by the connection blocks alive at the peak.
    base_rss = statistics.median(
        peak_rss(r[3], r[2]) for r in
        (run_measured([tcpsim, "run", os.path.join(SCN, "baseline.scn"), "--no-trace",
                       "--quiet", "--stats"]) for _ in range(3)))
    try:
        for name, args, ns3, ns2, goal, label in WORKLOADS:
            if only and name not in only:
                continue
            if a.quick and "1M" in name:
                continue
            if "--pcap" in args and not have_pcap:
                notes.append(f"{name}: this build has no --pcap.")
                continue
            argv = [tcpsim, "run", os.path.join(SCN, args[0])] + \
                [x.format(tmp=tmp) for x in args[1:]] + ["--stats", "--quiet"]
            ours, ref3, ref2 = Side(), Side(), Side()
            busy0, t0 = cpu_busy(), time.perf_counter()
            for _ in range(reps):
                ours.add(run_measured(argv))
                if with_ns3 and ns3:
                    ref3.add(run_measured([x.format(tmp=tmp) for x in ns3], cwd=NS3))
                if with_ns2 and ns2:
                    ref2.add(run_measured(ns2, cwd=NS2DIR))
                for f in os.listdir(tmp):
                    os.unlink(os.path.join(tmp, f))
            busy1, t1 = cpu_busy(), time.perf_counter()
            # The rest of the machine: CPUs kept busy by other processes meanwhile.
            others = None
            if busy0 is not None:
                mine = sum(ours.cpu) + sum(ref3.cpu) + sum(ref2.cpu)
                others = min(os.cpu_count(), max(0.0, (busy1 - busy0 - mine) / (t1 - t0)))
            rows.append((name, label, goal, ours, ref3, ref2, others))
        engine = None
        bench_ev = os.path.join(a.build, "test", "bench_ev")
        if (not only or "engine" in only) and os.path.exists(bench_ev):
            n = "1000000" if a.quick else "10000000"
            ops, out = [], ""
            busy0, t0 = cpu_busy(), time.perf_counter()
            cpus = []
            for _ in range(min(reps, 3) if not a.quick else 1):
                w, c, _, out = run_measured([bench_ev, n])
                ops.append(float(OPS.search(out).group(1)))
                cpus.append(c)
            busy1, t1 = cpu_busy(), time.perf_counter()
            others = max(0.0, (busy1 - busy0 - sum(cpus)) / (t1 - t0)) if busy0 else None
            engine = (ops, out.strip(), others)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    load_end = open("/proc/loadavg").read().split()[:3]

    cpu = ""
    try:
        cpu = [l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo")
               if l.startswith("model name")][0]
    except (OSError, IndexError):
        pass
    print(f"tcpsim benchmarks, {t_start}, median of {reps} "
          f"({'pairs run alternately' if with_ns3 or with_ns2 else 'tcpsim alone'}); "
          f"{os.cpu_count()} CPUs ({cpu}); load average {' '.join(load_start)} at the start, "
          f"{' '.join(load_end)} at the end; source commit {git_head()}"
          f"{' (--no-build: the binaries may be older)' if a.no_build else ''}")
    print()
    print("Time: median (min–max) of the repetitions. CPU = user + system of the process. "
          "Ratio = median (min–max) of reference wall / tcpsim wall over the pairs. "
          "Others = CPUs kept busy by other processes while the workload ran (of "
          f"{os.cpu_count()}).")
    print()
    print("| workload | tcpsim wall | tcpsim CPU | ns-3 wall | ns-3 CPU | ratio ns-3 wall "
          "| ratio ns-3 CPU | goal | ns-2 wall | ns-2 CPU | ratio ns-2 wall | ratio ns-2 CPU | others |")
    print("|---|---|---|---|---|---|---|---|---|---|---|---|---|")
    for name, label, goal, ours, ref3, ref2, others in rows:
        r3, m3 = ratio_text(ref3, ours)
        c3, n3 = ratio_text(ref3, ours, "cpu")
        r2, _ = ratio_text(ref2, ours)
        c2, _ = ratio_text(ref2, ours, "cpu")
        g = ""
        if goal:
            g = f"≥ {goal}×"
            if m3 is not None:
                g += (": wall " + ("met" if m3 >= goal else "**missed**") +
                      ", CPU " + ("met" if n3 >= goal else "**missed**"))
        print(f"| {label} | {med_spread(ours.wall)} | {med_spread(ours.cpu)} | "
              f"{med_spread(ref3.wall)} | {med_spread(ref3.cpu)} | {r3} | {c3} | {g} | "
              f"{med_spread(ref2.wall)} | {med_spread(ref2.cpu)} | {r2} | {c2} | "
              f"{'' if others is None else f'{others:.2f}'} |")
    if engine:
        ops, out, others = engine
        m = statistics.median(ops)
        print(f"| engine alone, 10 M timers | {m:.1f} M ops/s ({min(ops):.1f}–{max(ops):.1f}) "
              + "| " * 5 + f"| ≥ 10 M ops/s: {'met' if m >= 10 else '**missed**'} "
              + "| " * 4 + f"| {'' if others is None else f'{others:.2f}'} |")
    print()
    print("| workload | segments | events | ns/segment (wall) | peak RSS | blocks | bytes/block |")
    print("|---|---|---|---|---|---|---|")
    for name, label, goal, ours, ref3, ref2, others in rows:
        s = STATS.search(ours.out)
        wall = statistics.median(ours.wall)
        rss = max(ours.rss)
        ev = seg = blocks = per_block = nsps = "?"
        if s:
            ev, seg, blocks = s.group(1), s.group(2), s.group(3)
            nsps = f"{wall * 1e9 / int(seg):.0f}" if int(seg) else "-"
            per_block = f"{(rss - base_rss) * 1024 / int(blocks):.0f}" \
                if int(blocks) > 1000 else "-"
        print(f"| {name} | {seg} | {ev} | {nsps} | {rss / 1024:.1f} MiB | {blocks} | "
              f"{per_block} |")
    if engine:
        print()
        print(engine[1])
    print()
    print(f"Bytes per block: (peak RSS − {base_rss} KiB of an empty run) / connection blocks "
          "alive at the peak.")
    for n in notes:
        print(f"Note: {n}")
    return 0


def git_head():
    r = subprocess.run(["git", "-C", ROOT, "rev-parse", "--short", "HEAD"], capture_output=True,
                       text=True)
    dirty = subprocess.run(["git", "-C", ROOT, "status", "--porcelain", "--untracked-files=no"],
                           capture_output=True, text=True).stdout.strip()
    return (r.stdout.strip() or "?") + (" with uncommitted changes" if dirty else "")


if __name__ == "__main__":
    sys.exit(main())
