#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Replays captures against tcpsim and checks the outcomes against test/replay/expected.txt.

Usage: run_replay.py TCPSIM [--update] [--fresh]

Three sets:
  capture   the captures of real Linux kept in test/replay/captures (made by
            make_captures.py on Linux 6.18.44), each replayed as the side that sent the
            first SYN and as the other, under the linux and the rfc personality;
  scenario  every bundled scenario (scenarios/*/*.scn, the lectures aside) run with
            `--pcap-at A` and its capture replayed as host A, with the scenario's `set`
            lines for A passed as --set: tcpsim must replay its own runs;
  fresh     (--fresh, or TCPSIM_REPLAY_FRESH=1) new captures of this machine's kernel,
            made now when it can (root, ip netns, tcpdump): reported, never a failure
            but for a crash (a real machine's timing varies from run to run).

expected.txt has a line per replay: set, name, options, status (pass, diverged,
unsupported), reason. The run fails (exit 1) when a replay crashes, when one listed as
`pass` no longer passes, when one is missing from the table, or when a replay that
diverges has no reason. --update rewrites the statuses, keeping the reasons.
"""
import argparse
import os
import re
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.abspath(os.path.join(HERE, "..", ".."))
EXITS = {0: "pass", 1: "diverged", 77: "unsupported"}


def replay(tcpsim, capture, args):
    p = subprocess.run([tcpsim, "replay", capture] + args, capture_output=True, text=True,
                       timeout=120)
    if p.returncode not in EXITS:
        return "crash", f"exit {p.returncode}: {p.stderr.strip()[-300:]}", p.stdout
    first = ""
    for line in p.stdout.splitlines():
        m = re.match(r"\s+(first divergence .*|unsupported.*)", line)
        if m:
            first = m.group(1)
            break
    return EXITS[p.returncode], first, p.stdout


def scenario_sets(path):
    sets = []
    with open(path, encoding="utf-8") as f:
        for line in f:
            m = re.match(r"set\s+(\*|A)\s+(\S+)\s+(.*?)\s*(#.*)?$", line)
            if m and m.group(2) == "personality":
                sets += ["--personality", m.group(3)]  # its stack's #ifdefs, its name
            elif m:
                sets += ["--set", f"{m.group(2)}={m.group(3)}"]
    return sets


def cases(tcpsim, tmp):
    caps = sorted(f for f in os.listdir(os.path.join(HERE, "captures")) if f.endswith(".pcap"))
    for c in caps:
        path = os.path.join(HERE, "captures", c)
        for as_server in (False, True):
            for pers in ("linux", "rfc"):
                if c == "refused.pcap" and as_server:
                    continue  # the refusing side has no socket to replay
                opts = ["--personality", pers]
                if as_server:
                    opts += ["--as", "192.0.2.2"]
                name = c[:-5] + (" as-server" if as_server else " as-client") + f" {pers}"
                yield "capture", name, path, opts
    scns = []
    for d in sorted(os.listdir(os.path.join(ROOT, "scenarios"))):
        if d == "lectures" or not os.path.isdir(os.path.join(ROOT, "scenarios", d)):
            continue
        for f in sorted(os.listdir(os.path.join(ROOT, "scenarios", d))):
            if f.endswith(".scn"):
                scns.append(os.path.join("scenarios", d, f))
    for s in scns:
        pcap = os.path.join(tmp, s.replace("/", "_") + ".pcap")
        r = subprocess.run([tcpsim, "run", os.path.join(ROOT, s), "--pcap", pcap, "--pcap-at",
                            "A", "-o", os.devnull], capture_output=True, text=True, timeout=300)
        if r.returncode not in (0, 1) or not os.path.exists(pcap):
            yield "scenario", s, None, [f"run failed: exit {r.returncode}"]
            continue
        yield "scenario", s, pcap, scenario_sets(os.path.join(ROOT, s))


def read_table(path):
    table = {}
    if os.path.exists(path):
        with open(path, encoding="utf-8") as f:
            for line in f:
                if line.startswith("#") or not line.strip():
                    continue
                parts = line.rstrip("\n").split("\t")
                if len(parts) >= 3:
                    table[(parts[0], parts[1])] = (parts[2], parts[3] if len(parts) > 3 else "")
    return table


def fresh(tcpsim):
    out = tempfile.mkdtemp(prefix="tcpsim-fresh-")
    p = subprocess.run([sys.executable, os.path.join(HERE, "make_captures.py"), out],
                       capture_output=True, text=True, timeout=300)
    if p.returncode == 77:
        print("fresh captures: " + p.stdout.strip())
        return []
    if p.returncode != 0:
        print(f"fresh captures could not be made: {p.stderr.strip()[-200:]}")
        return []
    problems = []
    for f in sorted(os.listdir(out)):
        st, why, _ = replay(tcpsim, os.path.join(out, f), [])
        print(f"  fresh {f:<28} {st:<11} {why[:150]}")
        if st == "crash":
            problems.append(f"fresh {f}: {why}")
    return problems


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("tcpsim")
    ap.add_argument("--update", action="store_true")
    ap.add_argument("--fresh", action="store_true")
    args = ap.parse_args()
    tcpsim = os.path.abspath(args.tcpsim)
    expected = os.path.join(HERE, "expected.txt")
    table = read_table(expected)
    results = []
    problems = []
    counts = {}
    with tempfile.TemporaryDirectory() as tmp:
        for kind, name, capture, opts in cases(tcpsim, tmp):
            if capture is None:
                st, why = "crash", opts[0]
            else:
                st, why, _ = replay(tcpsim, capture, opts)
            results.append((kind, name, st, why))
            counts[(kind, st)] = counts.get((kind, st), 0) + 1
            want = table.get((kind, name))
            if st == "crash":
                problems.append(f"{kind} {name}: {why}")
            elif want is None:
                problems.append(f"{kind} {name}: not in expected.txt (now {st}: {why[:120]})")
            elif want[0] == "pass" and st != "pass":
                problems.append(f"{kind} {name}: REGRESSION: expected pass, now {st}: {why}")
            elif st != "pass" and not want[1]:
                problems.append(f"{kind} {name}: {st} with no reason in expected.txt: {why}")
            elif want[0] != "pass" and st == "pass":
                print(f"improvement: {kind} {name}: now passes (table says {want[0]})")
            if st != "pass":
                print(f"  {kind:<8} {name:<48} {st:<11} {why[:140]}")
        # Every real capture also becomes a scenario (--emit-scenario): both ends in
        # tcpsim, the captured delay and losses; it must run, and its expects (what each
        # side read in the capture) must hold.
        captures = sorted(f for f in os.listdir(os.path.join(HERE, "captures"))
                          if f.endswith((".pcap", ".pcapng", ".txt")))
        for cap in captures:
            scn = os.path.join(tmp, cap + ".scn")
            subprocess.run([tcpsim, "replay", os.path.join(HERE, "captures", cap),
                            "--emit-scenario", scn], capture_output=True, text=True, timeout=120)
            if not os.path.exists(scn):
                problems.append(f"emit-scenario {cap}: no scenario written")
                continue
            r = subprocess.run([tcpsim, "run", scn, "-o", os.devnull], capture_output=True,
                               text=True, timeout=120)
            last = (r.stderr.strip().splitlines() or [""])[-1]
            if r.returncode != 0:
                problems.append(f"emit-scenario {cap}: the scenario fails (exit {r.returncode}): "
                                f"{r.stderr.strip()[:300]}")
            else:
                print(f"  emit-scenario {cap:<40} ok: {last}")
    if args.update:
        with open(expected, "w", encoding="utf-8") as f:
            f.write("# tcpsim replay: what each replay of test/replay/run_replay.py gives, and why it\n"
                    "# is not a pass. Columns (tab-separated): set, name, status, reason. A reason\n"
                    "# names the Linux mechanism tcpsim does not model yet (missing:), what the\n"
                    "# wire cannot show (inference:), or what is not a TCP's own doing (forged:).\n")
            for kind, name, st, why in results:
                old = table.get((kind, name), ("", ""))[1]
                f.write(f"{kind}\t{name}\t{st}\t{old if st != 'pass' else ''}".rstrip("\t") + "\n")
        print(f"updated {expected}")
    if args.fresh or os.environ.get("TCPSIM_REPLAY_FRESH") == "1":
        problems += fresh(tcpsim)
    for p in problems:
        print(f"PROBLEM: {p}")
    for kind in ("capture", "scenario"):
        print(f"replay {kind}s: " + ", ".join(f"{counts.get((kind, s), 0)} {s}"
                                               for s in ("pass", "diverged", "unsupported")))
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
