#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""tcpsim diff and tcpsim check as a user meets them.

  test_diff.py TCPSIM SCENARIOS_DIR

Pairs of traces with known divergences are made by running a bundled scenario twice
with one knob changed (--set, --seed); the first divergence's lines and kind, and the exit
statuses, are checked. Each check prints "ok - ..." or "not ok - ...".
"""
import gzip
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time

TCPSIM, SCENARIOS = os.path.abspath(sys.argv[1]), os.path.abspath(sys.argv[2])
results = []


def check(name, cond, detail=""):
    results.append(bool(cond))
    print(("ok - " if cond else "not ok - ") + name + ("" if cond else f"\n    {detail}"))


def tcpsim(*args, cwd=None, stdin=None):
    p = subprocess.run([TCPSIM, *args], capture_output=True, text=True, timeout=300, cwd=cwd,
                       input=stdin)
    return p.returncode, p.stdout, p.stderr


def first_divergence(out):
    m = re.search(r"^first divergence at (.+?):(\w+), (.+?):(\w+): (.*)$", out, re.M)
    return m.groups() if m else None


work = tempfile.mkdtemp(prefix="tcpsim-diff-test-")


def pair(scenario, *knob, name="x"):
    """Runs a scenario plainly and with `knob`; returns the two trace names (in work)."""
    a, b = f"{name}-a.trace", f"{name}-b.trace"
    path = os.path.join(SCENARIOS, scenario)
    tcpsim("run", path, "-q", "-o", a, cwd=work)
    tcpsim("run", path, "-q", "-o", b, *knob, cwd=work)
    return a, b


# --- knob changes and their first divergence --------------------------------------
# (b's header has one more line: "# set ..." records the knob, so its lines are one later.)
a, b = pair("retransmit/syn-blackhole-linux.scn", "--set", "A.tcp_syn_retries=3", name="syn")
rc, out, err = tcpsim("diff", a, b, cwd=work)
check("tcp_syn_retries 3: exit 1, first divergence at the 8th RTO's timer (no next timeout)",
      rc == 1 and first_divergence(out) == (a, "32", b, "33", "different timer")
      and 'rto expired #8, next timeout 16s" -> "c 10.0.0.1.45452>10.0.0.2.80: rto expired #8"' in out,
      out + err)
check("tcp_syn_retries 3: three SYN retransmissions fewer (missing, sent and dropped)",
      re.search(r"^  missing segment +6$", out, re.M), out)

a, b = pair("handshake/basic.scn", "--set", "*.tcp_window_scaling=0", name="ws")
rc, out, err = tcpsim("diff", a, b, "--context", "0", cwd=work)
check("tcp_window_scaling 0: the SYN's options differ first",
      rc == 1 and first_divergence(out) == (a, "11", b, "12", "different options")
      and "options [mss 1460,sackOK,TS val 822621346 ecr 0,nop,wscale 10] -> "
          "[mss 1460,sackOK,TS val 822621346 ecr 0]" in out, out + err)
check("tcp_window_scaling 0: windows differ, counted", re.search(r"^  different win +16$", out, re.M),
      out)
rc, out, err = tcpsim("diff", a, b, "--ignore", "options,window", cwd=work)
check("... and agree with --ignore options,window", rc == 0 and "agree: 58 events" in out, out + err)

a, b = pair("faults/loss-bernoulli.scn", "--seed", "2", name="loss")
rc, out, err = tcpsim("diff", a, b, "--ignore", "isn,ports,ts", cwd=work)
check("another loss seed: the first segment the new seed loses is missing as delivered",
      rc == 1 and first_divergence(out) == (a, "20", b, "20", "missing segment")
      and "note: seed differs: 3 vs 2" in out, out + err)
rc, out, err = tcpsim("diff", a, b, "--ignore", "isn,ports,ts", "--all", cwd=work)
total = int(re.search(r"differ: (\d+) divergences", out).group(1))
listed = len(re.findall(r"^  \S+:\d+, \S+:\w+: ", out, re.M))
check("--all lists every divergence", total > 100 and listed == total, f"{total} vs {listed}")
rc, out, err = tcpsim("diff", a, b, cwd=work)
check("without --ignore ports every segment differs (the ephemeral port changed)",
      rc == 1 and first_divergence(out)[4] == "missing event", out[:500])

# --- time tolerances ------------------------------------------------------------
a = os.path.join(work, "syn-a.trace")
lines = open(a).read().splitlines(keepends=True)
late = []
for i, line in enumerate(lines):
    if i >= 30 and not line.startswith("#"):
        t, rest = line.split(" ", 1)
        sec, frac = t.split(".")
        ns = int(sec) * 10**9 + int(frac) + 400000  # 400 us later
        line = f"{ns // 10**9}.{ns % 10**9:09d} {rest}"
    late.append(line)
open(os.path.join(work, "late.trace"), "w").write("".join(late))
rc, out, err = tcpsim("diff", "syn-a.trace", "late.trace", cwd=work)
check("times 400us later: timing shifts from line 31 on",
      rc == 1 and first_divergence(out) == ("syn-a.trace", "31", "late.trace", "31", "timing shift")
      and "largest +400us" in out, out)
rc, out, err = tcpsim("diff", "syn-a.trace", "late.trace", "--ignore-time-within", "1ms", cwd=work)
check("... agree with --ignore-time-within 1ms", rc == 0, out)
rc, out, err = tcpsim("diff", "syn-a.trace", "late.trace", "--ignore", "time", "-q", cwd=work)
check("... agree with --ignore time; -q prints nothing", rc == 0 and out == "", out)

# --- errors -------------------------------------------------------------------------
rc, out, err = tcpsim("diff", "syn-a.trace", "late.trace", "--ignore", "window,colour", cwd=work)
check("an unknown --ignore item: exit 2, the valid items listed",
      rc == 2 and 'unknown item "colour"; the items are: time, isn, ports' in err, err)
rc, out, err = tcpsim("diff", "syn-a.trace", "late.trace", "--ignore-time-within", "5", cwd=work)
check("--ignore-time-within without a unit: exit 2", rc == 2 and "--ignore-time-within" in err, err)
rc, out, err = tcpsim("diff", "syn-a.trace", cwd=work)
check("one trace only: exit 2", rc == 2 and "two traces are needed" in err, err)
rc, out, err = tcpsim("diff", "syn-a.trace", "nonexistent.trace", cwd=work)
check("a missing file: exit 2", rc == 2 and "nonexistent.trace" in err, err)
broken = lines[:12] + ["0.5 A->B sent 10.0.0.1.1 > 10.0.0.2.80: Flags [S], win 1\n"] + lines[12:]
open(os.path.join(work, "broken.trace"), "w").write("".join(broken))
rc, out, err = tcpsim("diff", "syn-a.trace", "broken.trace", cwd=work)
check("a broken line: exit 2 with file:line", rc == 2 and "broken.trace:13: error: sent segment"
      in err, err)
rc, out, err = tcpsim("diff", "syn-a.trace", "syn-a.trace", "--pcap-at", "C", cwd=work)
check("--pcap-at an unknown host: exit 2", rc == 2 and 'unknown capture point "C"' in err, err)
open(os.path.join(work, "bad.gz"), "w").write("not gzip")
rc, out, err = tcpsim("diff", "syn-a.trace", "bad.gz", cwd=work)
check("a .gz that is not gzip: exit 2", rc == 2 and "bad.gz: not a gzip file" in err, err)
with open(os.path.join(work, "good.trace.gz"), "wb") as f:
    f.write(gzip.compress(open(a, "rb").read()))
rc, out, err = tcpsim("diff", "syn-a.trace", "good.trace.gz", cwd=work)
check("a gzipped trace is read", rc == 0, out + err)
rc, out, err = tcpsim("diff", "syn-a.trace", "-", cwd=work, stdin=open(a).read())
check("\"-\" reads standard input", rc == 0, out + err)
rc, out, err = tcpsim("diff", "--help")
check("diff --help documents the options", rc == 0 and "--ignore-time-within" in out
      and "--pcap-at" in out and "Exit status" in out, out)

# --- speed: two 22000-line traces that differ everywhere ----------------------------
a, b = pair("transfer/lossy-10MB.scn", "--seed", "5", name="big")
start = time.monotonic()
rc, out, err = tcpsim("diff", a, b, "--ignore", "isn,ports,ts", cwd=work)
took = time.monotonic() - start
check(f"22000-line traces that differ everywhere diff in {took:.2f}s (under 20s)",
      rc == 1 and took < 20, out[:300])

# --- tcpsim check ----------------------------------------------------------------
scn = os.path.join(work, "rto.scn")
shutil.copy(os.path.join(SCENARIOS, "retransmit", "rto-backoff.scn"), scn)
rc, out, err = tcpsim("check", scn)
check("check without a golden trace: exit 2, how to make one", rc == 2 and "--update" in err, err)
rc, out, err = tcpsim("check", "--update", scn)
golden = os.path.join(work, "rto.trace")
check("check --update writes the golden trace", rc == 0 and os.path.exists(golden), out + err)
rc, out, err = tcpsim("check", scn)
check("check after --update: exit 0", rc == 0 and "agree" in out, out + err)
text = open(scn).read().replace('"important"', '"importanT"')
open(scn, "w").write(text)
rc, out, err = tcpsim("check", scn)
check("check of a changed scenario: exit 1, the first divergence named",
      rc == 1 and first_divergence(out) == (golden, "25", "this run", "25", "different app result")
      and "tcpsim check --update" in out, out + err)
rc, out, err = tcpsim("check", os.path.join(SCENARIOS, "transfer", "lossy-10MB.scn"), cwd=work)
check("check of a bundled scenario with a .gz golden, from another directory: exit 0",
      rc == 0 and "lossy-10MB.trace.gz and this run agree" in out, out + err)
big = os.path.join(work, "big.scn")
shutil.copy(os.path.join(SCENARIOS, "transfer", "lossy-10MB.scn"), big)
rc, out, err = tcpsim("check", "--update", big)
check("check --update of a trace over 1 MiB writes it gzip-compressed",
      rc == 0 and os.path.exists(big[:-4] + ".trace.gz") and not os.path.exists(big[:-4] + ".trace"),
      out + err)
rc, out, err = tcpsim("check", big)
check("... and checks against it", rc == 0, out + err)

shutil.rmtree(work)
passed = sum(results)
failed = len(results) - passed
print(f"CUNIT-SUMMARY passed={passed} failed={failed}")
sys.exit(1 if failed else 0)
