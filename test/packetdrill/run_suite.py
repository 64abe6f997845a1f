#!/usr/bin/env python3
"""Runs every packetdrill script of the public suites against tcpsim and reports.

Usage: run_suite.py TCPSIM [--dir DIR] [--expected FILE] [--update] [--verbose]

DIR defaults to $TCPSIM_PACKETDRILL_DIR, else ../shared/packetdrill beside the source
tree; when it does not exist the test is skipped (exit 77). Each script runs as
`tcpsim pkt SCRIPT` (one process, with a time limit); its summary line gives
pass / fail / unsupported / error. The report counts them per directory.

It is a report, not a gate on the scripts: a script that fails is not a test failure.
The run fails (exit 1) only when
  - a script crashes the runner (a signal, an exit status tcpsim never gives) or runs
    past the time limit;
  - a script listed as `pass` in the expected table (test/packetdrill/expected.txt) no
    longer passes: a regression;
  - a script of the suites is missing from the table, or the table names one that is
    not there (the table must say, for every script, what it does and why).
A script that now does better than the table says is reported as an improvement;
--update rewrites the statuses in the table (keeping the reasons) after a review.
"""
import argparse
import concurrent.futures
import os
import re
import subprocess
import sys
import time

TIME_LIMIT_S = 30
KNOWN_EXITS = {0: "pass", 1: "fail", 2: "error", 77: "unsupported"}
RANK = {"pass": 3, "fail": 2, "unsupported": 1, "error": 0}
SUMMARY = re.compile(r'^pkt-result status=(\w+) file="((?:[^"\\]|\\.)*)" line=(\d+) '
                     r'col=(\d+) events=(\d+)/(\d+) time=([0-9.*]+) reason="((?:[^"\\]|\\.)*)"$')


def find_scripts(root):
    out = []
    for d, _, files in os.walk(root):
        for f in files:
            if f.endswith(".pkt"):
                out.append(os.path.relpath(os.path.join(d, f), root))
    return sorted(out)


def run_one(tcpsim, root, rel):
    start = time.monotonic()
    try:
        p = subprocess.run([tcpsim, "pkt", rel], cwd=root, capture_output=True, text=True,
                           timeout=TIME_LIMIT_S)
    except subprocess.TimeoutExpired:
        return rel, "timeout", "", f"ran past {TIME_LIMIT_S}s", 0.0
    took = time.monotonic() - start
    if p.returncode not in KNOWN_EXITS:
        return rel, "crash", "", f"exit status {p.returncode}: {p.stderr.strip()[-300:]}", took
    m = None
    for line in p.stdout.splitlines():
        m = SUMMARY.match(line) or m
    if m is None:
        return rel, "crash", "", f"no summary line (exit {p.returncode})", took
    status = m.group(1)
    if KNOWN_EXITS[p.returncode] != status:
        return rel, "crash", "", f"exit {p.returncode} but status {status}", took
    where = f"line {m.group(3)}" if m.group(3) != "0" else ""
    return rel, status, where, m.group(8).replace('\\"', '"'), took


def read_expected(path):
    table = {}
    if not os.path.exists(path):
        return table
    with open(path, encoding="utf-8") as f:
        for line in f:
            line = line.rstrip("\n")
            if not line.strip() or line.startswith("#"):
                continue
            parts = line.split(None, 2)
            if len(parts) < 2:
                continue
            table[parts[0]] = (parts[1], parts[2] if len(parts) > 2 else "")
    return table


def write_expected(path, table, results):
    header = []
    if os.path.exists(path):
        with open(path, encoding="utf-8") as f:
            header = [l for l in f if l.startswith("#")]
    with open(path, "w", encoding="utf-8") as f:
        f.writelines(header)
        for rel, status, _, reason, _ in results:
            old = table.get(rel, ("", ""))[1]
            why = old if old else ("" if status == "pass" else reason)
            f.write(f"{rel:<64} {status:<12} {why}".rstrip() + "\n")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("tcpsim")
    here = os.path.dirname(os.path.abspath(__file__))
    default_dir = os.environ.get("TCPSIM_PACKETDRILL_DIR",
                                 os.path.join(here, "..", "..", "..", "shared", "packetdrill"))
    ap.add_argument("--dir", default=default_dir)
    ap.add_argument("--expected", default=os.path.join(here, "expected.txt"))
    ap.add_argument("--update", action="store_true")
    ap.add_argument("--verbose", "-v", action="store_true")
    ap.add_argument("--jobs", "-j", type=int, default=2)
    args = ap.parse_args()
    root = os.path.abspath(args.dir)
    if not os.path.isdir(root):
        print(f"packetdrill suites not found at {root}: skipped")
        return 77
    tcpsim = os.path.abspath(args.tcpsim)
    scripts = find_scripts(root)
    with concurrent.futures.ThreadPoolExecutor(max_workers=max(1, args.jobs)) as ex:
        results = list(ex.map(lambda s: run_one(tcpsim, root, s), scripts))

    table = read_expected(args.expected)
    problems = []
    improvements = []
    per_dir = {}
    for rel, status, where, reason, took in results:
        d = os.path.dirname(rel)
        counts = per_dir.setdefault(d, {"pass": 0, "fail": 0, "unsupported": 0, "error": 0})
        if status in ("crash", "timeout"):
            problems.append(f"{rel}: {status}: {reason}")
            counts["error"] += 1
            continue
        counts[status] += 1
        if args.verbose or status != "pass":
            line = f"  {status:<11} {rel}"
            if where or reason:
                line += f" ({where}{': ' if where and reason else ''}{reason})"
            if args.verbose or status in ("fail", "error"):
                print(line[:300])
        want = table.get(rel)
        if want is None:
            problems.append(f"{rel}: not in {os.path.basename(args.expected)} (now {status})")
        elif want[0] == "pass" and status != "pass":
            problems.append(f"{rel}: REGRESSION: expected pass, now {status}: {where} {reason}")
        elif RANK.get(status, 0) > RANK.get(want[0], 0):
            improvements.append(f"{rel}: now {status} (table says {want[0]})")
    for rel in sorted(set(table) - set(scripts)):
        problems.append(f"{rel}: in the table but not in the suites")

    print(f"\n{'directory':<44} {'pass':>5} {'fail':>5} {'unsup':>6} {'error':>6}")
    total = {"pass": 0, "fail": 0, "unsupported": 0, "error": 0}
    for d in sorted(per_dir):
        c = per_dir[d]
        for k in total:
            total[k] += c[k]
        print(f"{d:<44} {c['pass']:>5} {c['fail']:>5} {c['unsupported']:>6} {c['error']:>6}")
    print(f"{'total (' + str(len(scripts)) + ' scripts)':<44} {total['pass']:>5} "
          f"{total['fail']:>5} {total['unsupported']:>6} {total['error']:>6}")
    for i in improvements:
        print(f"improvement: {i}")
    if args.update:
        write_expected(args.expected, table, results)
        print(f"updated {args.expected}")
    for p in problems:
        print(f"PROBLEM: {p}")
    print(f"packetdrill: {total['pass']} pass, {total['fail']} fail, "
          f"{total['unsupported']} unsupported, {total['error']} error; "
          f"{len(problems)} problem(s)")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
