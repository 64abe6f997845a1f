#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Runs every packetdrill script of the public suites against tcpsim, strictly, and sets
tcpsim's verdicts beside Linux 6.18's.

Usage: run_suite.py TCPSIM [--dir DIR] [--expected FILE] [--update] [--verbose]
                    [--ip-version ipv4|ipv6|ipv4-mapped-ipv6|all]
       run_suite.py TCPSIM --personality freebsd [--dir DIR] [--verbose]

With --personality freebsd the FreeBSD suite (nplab/bsd) runs under `tcpsim pkt
--personality freebsd` (FreeBSD's defaults, its #ifdef FreeBSD branches) and each
verdict is set beside the one test/packetdrill/expected-freebsd.txt gives (script,
status, reason): a listed pass that stops passing, or a script missing from that table,
fails the run.

DIR defaults to $TCPSIM_PACKETDRILL_DIR, else ../shared/packetdrill beside the source
tree; when it does not exist the test is skipped (exit 77). Each script runs as
`tcpsim pkt --tolerance_usecs=14000 SCRIPT` (strict comparison, as packetdrill: flags,
seq, ack, length, window, options, timing; the tolerance Linux's verdicts were measured
with; one process, with a time limit). Linux 6.18's verdicts come from
DIR/linux-6.18-verdicts.tsv.

The expected table (test/packetdrill/expected.txt) has, for every script, tcpsim's
verdict, Linux's verdict, and a reason wherever tcpsim does not pass. The run fails
(exit 1) when
  - a script crashes the runner (a signal, an exit status tcpsim never gives) or runs
    past the time limit;
  - a script listed as `pass` no longer passes: a regression;
  - a script of the suites is missing from the table, or the table names one that is
    not there, or its Linux column is not what the verdict file says;
  - tcpsim and Linux disagree on a script that both run (pass or fail) and the table
    gives no reason.
It prints the agreement with Linux over the scripts that both run. A script that now
does better than the table says is reported as an improvement; --update rewrites the
statuses and the Linux column (keeping the reasons) after a review.

--ip-version runs every script in another address mode, or in all three as packetdrill's
run_all.py does, with its flags: ipv6 with --mtu=1520 (so the MSS is IPv4's 1460),
--local_ip=fd3d:0a0b:17d6::1 --remote_ip=fd3d:fa7b:d17d::1; ipv4-mapped-ipv6 with IPv4's
addresses. The expected table holds the IPv4 verdicts: the other modes are reported per
directory, with every script whose verdict differs from its IPv4 one; they fail the run
only on a crash or a time-out.
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
                     r'col=(\d+) events=(\d+)/(\d+) time=([0-9.*]+) compare=(\S+)'
                     r'(?: tolerance_usecs=\d+)? reason="((?:[^"\\]|\\.)*)"$')
TOLERANCE_USECS = 14000  # as linux-6.18-verdicts.tsv was measured
LINUX_VERDICTS = "linux-6.18-verdicts.tsv"


def find_scripts(root):
    out = []
    for d, _, files in os.walk(root):
        for f in files:
            if f.endswith(".pkt"):
                out.append(os.path.relpath(os.path.join(d, f), root))
    return sorted(out)


# packetdrill's run_all.py, per mode (its -D values name cmsg levels tcpsim has no use for).
MODE_FLAGS = {
    "ipv4": [],
    "ipv6": ["--ip_version=ipv6", "--mtu=1520", "--local_ip=fd3d:0a0b:17d6::1",
             "--remote_ip=fd3d:fa7b:d17d::1"],
    "ipv4-mapped-ipv6": ["--ip_version=ipv4-mapped-ipv6", "--local_ip=192.168.0.1",
                         "--remote_ip=192.0.2.1"],
}


def run_one(tcpsim, root, rel, mode="ipv4", personality=None):
    start = time.monotonic()
    try:
        extra = [f"--personality={personality}"] if personality else []
        p = subprocess.run([tcpsim, "pkt", f"--tolerance_usecs={TOLERANCE_USECS}",
                            *MODE_FLAGS[mode], *extra, rel], cwd=root, capture_output=True,
                           text=True, timeout=TIME_LIMIT_S)
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
    return rel, status, where, m.group(9).replace('\\"', '"'), took


def read_expected(path):
    table = {}
    if not os.path.exists(path):
        return table
    with open(path, encoding="utf-8") as f:
        for line in f:
            line = line.rstrip("\n")
            if not line.strip() or line.startswith("#"):
                continue
            parts = line.split(None, 3)
            if len(parts) < 3:
                continue
            table[parts[0]] = (parts[1], parts[3] if len(parts) > 3 else "", parts[2])
    return table


def read_linux(root, where=None):
    """script -> Linux's verdict (pass, fail), or {} when the file is absent; `where`
    gets script -> "line N" of Linux's first error."""
    out = {}
    path = os.path.join(root, LINUX_VERDICTS)
    if not os.path.exists(path):
        return out
    with open(path, encoding="utf-8") as f:
        for line in f:
            if line.startswith("#") or not line.strip():
                continue
            parts = line.rstrip("\n").split("\t")
            if len(parts) >= 2 and parts[1] in ("pass", "fail"):
                out[parts[0]] = parts[1]
                m = re.match(r"[^:]*\.pkt:(\d+):", parts[2] if len(parts) > 2 else "")
                if where is not None and parts[1] == "fail":
                    where[parts[0]] = f"line {m.group(1)}" if m else "?"
    return out


def write_expected(path, table, results, linux, linux_where):
    header = []
    if os.path.exists(path):
        with open(path, encoding="utf-8") as f:
            header = [l for l in f if l.startswith("#")]
    with open(path, "w", encoding="utf-8") as f:
        f.writelines(header)
        for rel, status, where, reason, _ in results:
            old = table.get(rel, ("", "", ""))[1]
            lx = linux.get(rel, "-")
            if status == "pass" and lx in ("pass", "-"):
                why = ""
            elif status == "unsupported":
                why = reason  # the construct, as tcpsim names it: always current
            elif status == lx:
                why = f"both fail: tcpsim at {where}: {reason}; Linux at {linux_where.get(rel, '?')}"
            else:
                why = old
            f.write(f"{rel:<64} {status:<12} {lx:<5} {why}".rstrip() + "\n")


def print_directories(title, per_dir, n):
    """Prints the verdicts per directory under `title` and their total; the total."""
    print(f"{title}\n{'directory':<44} {'pass':>5} {'fail':>5} {'unsup':>6} {'error':>6}")
    total = {"pass": 0, "fail": 0, "unsupported": 0, "error": 0}
    for d in sorted(per_dir):
        c = per_dir[d]
        for k in total:
            total[k] += c[k]
        print(f"{d:<44} {c['pass']:>5} {c['fail']:>5} {c['unsupported']:>6} {c['error']:>6}")
    print(f"{'total (' + str(n) + ' scripts)':<44} {total['pass']:>5} "
          f"{total['fail']:>5} {total['unsupported']:>6} {total['error']:>6}")
    return total


def report_modes(tcpsim, root, scripts, base, modes, jobs):
    """Runs `scripts` in each of `modes`; prints counts per mode and directory, and the
    scripts whose verdict differs from IPv4's. Returns the crashes and time-outs."""
    problems = []
    v4 = {rel: status for rel, status, _, _, _ in base}
    for mode in modes:
        with concurrent.futures.ThreadPoolExecutor(max_workers=max(1, jobs)) as ex:
            res = list(ex.map(lambda s: run_one(tcpsim, root, s, mode), scripts))
        per_dir = {}
        changed = []
        for rel, status, where, reason, _ in res:
            c = per_dir.setdefault(os.path.dirname(rel),
                                   {"pass": 0, "fail": 0, "unsupported": 0, "error": 0})
            if status in ("crash", "timeout"):
                problems.append(f"{rel} ({mode}): {status}: {reason}")
                c["error"] += 1
                continue
            c[status] += 1
            if status != v4.get(rel):
                changed.append(f"  {v4.get(rel)} -> {status:<11} {rel}"
                               f" ({where}{': ' if where and reason else ''}{reason})"[:300])
        total = print_directories(f"\n--ip_version={mode}", per_dir, len(scripts))
        print(f"{len(changed)} script(s) with a verdict other than over IPv4:")
        for line in changed:
            print(line)
        print(f"packetdrill {mode}: {total['pass']} pass, {total['fail']} fail, "
              f"{total['unsupported']} unsupported, {total['error']} error")
    return problems


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
    ap.add_argument("--ip-version", default="ipv4",
                    choices=["ipv4", "ipv6", "ipv4-mapped-ipv6", "all"])
    ap.add_argument("--personality", choices=["freebsd"])
    args = ap.parse_args()
    root = os.path.abspath(args.dir)
    if not os.path.isdir(root):
        print(f"packetdrill suites not found at {root}: skipped")
        return 77
    tcpsim = os.path.abspath(args.tcpsim)
    if args.personality:
        return run_personality(tcpsim, root, args, here)
    scripts = find_scripts(root)
    with concurrent.futures.ThreadPoolExecutor(max_workers=max(1, args.jobs)) as ex:
        results = list(ex.map(lambda s: run_one(tcpsim, root, s), scripts))
    others = [m for m in MODE_FLAGS if m != "ipv4" and args.ip_version in (m, "all")]
    other_problems = report_modes(tcpsim, root, scripts, results, others, args.jobs)
    if args.ip_version not in ("ipv4", "all"):
        for p in other_problems:
            print(f"PROBLEM: {p}")
        return 1 if other_problems else 0

    table = read_expected(args.expected)
    linux_where = {}
    linux = read_linux(root, linux_where)
    problems = []
    improvements = []
    both = []
    where_of = {rel: where for rel, _, where, _, _ in results}
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
        lx = linux.get(rel, "-")
        if status in ("pass", "fail") and lx in ("pass", "fail"):
            both.append((rel, status, lx))
        want = table.get(rel)
        if want is None:
            problems.append(f"{rel}: not in {os.path.basename(args.expected)} (now {status})")
            continue
        if want[0] == "pass" and status != "pass":
            problems.append(f"{rel}: REGRESSION: expected pass, now {status}: {where} {reason}")
        elif RANK.get(status, 0) > RANK.get(want[0], 0):
            improvements.append(f"{rel}: now {status} (table says {want[0]})")
        if want[2] != lx:
            problems.append(f"{rel}: the table's Linux column says {want[2]}, "
                            f"{LINUX_VERDICTS} says {lx}")
        if status in ("pass", "fail") and lx in ("pass", "fail") and status != lx \
                and not want[1]:
            problems.append(f"{rel}: tcpsim says {status}, Linux {lx}, and the table "
                            f"gives no reason")
    for rel in sorted(set(table) - set(scripts)):
        problems.append(f"{rel}: in the table but not in the suites")

    total = print_directories("", per_dir, len(scripts))
    for i in improvements:
        print(f"improvement: {i}")
    agree = sum(1 for _, a, b in both if a == b)
    same_line = sum(1 for rel, a, b in both if a == b == "fail"
                    and linux_where.get(rel) == where_of.get(rel))
    if both:
        tp = sum(1 for _, a, b in both if a == "pass" and b == "pass")
        print(f"agreement with Linux 6.18 (strict): {agree} of {len(both)} scripts that both "
              f"run ({100.0 * agree / len(both):.1f} %); both pass {tp}, both fail "
              f"{agree - tp}; tcpsim alone passes "
              f"{sum(1 for _, a, b in both if a == 'pass' and b == 'fail')}, Linux alone "
              f"passes {sum(1 for _, a, b in both if a == 'fail' and b == 'pass')}; of the "
              f"scripts both fail, {same_line} fail at the same line")
    if args.update:
        write_expected(args.expected, table, results, linux, linux_where)
        print(f"updated {args.expected}")
    problems += other_problems
    return finish(problems, "packetdrill", total)


def finish(problems, label, counts):
    """Prints the problems and the summary line; the exit status."""
    for p in problems:
        print(f"PROBLEM: {p}")
    print(f"{label}: {counts['pass']} pass, {counts['fail']} fail, "
          f"{counts['unsupported']} unsupported, {counts['error']} error; "
          f"{len(problems)} problem(s)")
    return 1 if problems else 0


def run_personality(tcpsim, root, args, here):
    """The FreeBSD suite under personality freebsd, against expected-freebsd.txt."""
    suite = os.path.join("nplab", "bsd")
    scripts = [s for s in find_scripts(root) if s.startswith(suite + os.sep)]
    with concurrent.futures.ThreadPoolExecutor(max_workers=max(1, args.jobs)) as ex:
        results = list(ex.map(lambda s: run_one(tcpsim, root, s, personality=args.personality), scripts))
    table = {}
    path = os.path.join(here, f"expected-{args.personality}.txt")
    if os.path.exists(path):
        with open(path, encoding="utf-8") as f:
            for line in f:
                if line.strip() and not line.startswith("#"):
                    parts = line.rstrip("\n").split(None, 2)
                    table[parts[0]] = (parts[1], parts[2] if len(parts) > 2 else "")
    problems = []
    counts = {"pass": 0, "fail": 0, "unsupported": 0, "error": 0}
    for rel, status, where, reason, _ in results:
        if status in ("crash", "timeout"):
            problems.append(f"{rel}: {status}: {reason}")
            continue
        counts[status] += 1
        print(f"  {status:<11} {rel}" + (f" ({where}: {reason})" if reason else "")[:300])
        want = table.get(rel)
        if want is None:
            problems.append(f"{rel}: not in {os.path.basename(path)} (now {status})")
        elif want[0] == "pass" and status != "pass":
            problems.append(f"{rel}: REGRESSION: expected pass, now {status}: {where} {reason}")
        elif status != want[0]:
            print(f"  changed: {rel}: {want[0]} -> {status}")
    return finish(problems, f"packetdrill ({args.personality})", counts)


if __name__ == "__main__":
    sys.exit(main())
