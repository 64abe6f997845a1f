#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""The bad-input catalogue (docs/errors.md), one check per row: what tcpsim says, where,
and that it exits 2 leaving no output file and no temporary behind.

  test_bad_input.py TCPSIM

Each row runs `tcpsim run FILE -o OUT` in a fresh directory; unless the row says
otherwise the run must exit 2, print the expected text on standard error (located
`file:line:col` where a line is at fault), write nothing to standard output, and leave
the directory holding only FILE.
"""
import os
import subprocess
import sys
import tempfile

TCPSIM = os.path.abspath(sys.argv[1])
results = []


def check(name, cond, detail=""):
    results.append(cond)
    print(("ok - " if cond else "not ok - ") + name + ("" if cond else f"\n    {detail}"))


def run_file(content, *args, name="bad.scn", timeout=120):
    """Writes content (str or bytes) to a fresh directory and runs it with -o there."""
    with tempfile.TemporaryDirectory() as d:
        path = os.path.join(d, name)
        with open(path, "wb") as f:
            f.write(content.encode() if isinstance(content, str) else content)
        out = os.path.join(d, "out.trace")
        p = subprocess.run([TCPSIM, "run", path, "-o", out, *args], capture_output=True,
                           timeout=timeout, cwd=d)
        left = sorted(os.listdir(d))
        trace = open(out, errors="replace").read() if os.path.exists(out) else ""
        return (p.returncode, p.stdout.decode(errors="replace"),
                p.stderr.decode(errors="replace"), left, path, trace)


def row(name, content, expect, *args, status=2):
    rc, out, err, left, path, _ = run_file(content, *args)
    want = expect.replace("FILE", path)
    clean = left == ["bad.scn"] if status == 2 else True
    check(f"{name}: exit {status}, says '{expect}'" + (", no output file" if status == 2 else ""),
          rc == status and want in err and out == "" and clean,
          f"rc={rc} files={left}\n    stderr: {err[:400]}")
    return err


BASIC = "0 B listen 80\n0 A connect B:80 as c\n+0 B accept 80 as s\n"

# --- the scenario language -------------------------------------------------------------
row("unknown verb", "0 A frob x\n", "FILE:1:5: error: unknown verb \"frob\"")
row("bad unit", "0 A connect B:80 as c\n10xs A close c\n", "FILE:2:1: error: bad time \"10xs\": unknown unit")
row("time without a unit", "0 A connect B:80 as c\n1 A close c\n", "FILE:2:1: error: bad time \"1\": a unit is required")
row("negative time", "link both delay -5ms\n", "FILE:1:17: error: bad time \"-5ms\"")
row("negative number", "0 B listen 80 backlog -1\n", "FILE:1:23: error: bad number \"-1\"")
row("overflowing number", "seed 99999999999999999999999\n", "FILE:1:6: error: bad number \"99999999999999999999999\"")
row("overflowing time", "link both delay 99999999999999999999ms\n", "FILE:1:17: error: bad time \"99999999999999999999ms\": out of range")
row("port out of range", "0 A connect B:99999 as c\n", "FILE:1:13: error: bad port in \"B:99999\"")
row("tunable out of range", "set * tcp_syn_retries 1000\n", "FILE:1:7: error: tcp_syn_retries: value 1000 out of range 1..127")
row("times going backwards", "10ms A connect B:80 as c\n5ms A close c\n", "FILE:2:1: error: time goes backwards: 5ms is before the previous line's 10ms")
row("unknown host", "0 Q listen 80\n", "FILE:1:3: error: \"Q\" is neither a host (A, B) nor a verb")
row("unknown socket name", "0 A send nope 10\n", "FILE:1:10: error: socket \"nope\" on host A is not named yet")
row("unterminated string", "title \"abc\n", "FILE:1:7: error: unterminated string")
row("binary garbage", bytes(range(256)) * 8, "FILE:1:1: error: unexpected byte 0x00; scenario files are text")
row("a NUL inside a line", b"0 A connect B:80 as c\x00x\n", "FILE:1:22: error: unexpected byte 0x00")
row("a line of 1 MB", "#" + "x" * (1 << 20) + "\n", "FILE:1:1: error: line longer than 65536 bytes")
row("a file of 100 MB", b"# x\n" * (25 << 20), "FILE:1:1: error: file of 104857600 bytes is larger than the 16777216-byte limit")
row("a million and one lines", "#\n" * 1000001, "FILE:1000001:2: error: more than 1000000 lines")
rc, out, err, left, _, _ = run_file("0 B listen 80\n" + "+0 ss\n" * 999998, "--no-trace")
check("999,999 lines (the limit is a million): accepted and run", rc == 0, err[:300])

# A closed socket: every later call on the name fails EBADF at run time, in the trace.
rc, out, err, left, path, trace = run_file(BASIC + "+0 A close c\n+1s A send c 10\n+0 A close c\n"
                                           "+0 expect A c error EBADF\n")
check("a closed socket: send and a second close fail EBADF in the trace, exit 0",
      rc == 0 and "send(c, 10) = -1 EBADF (Bad file descriptor)" in trace
      and "close(c) = -1 EBADF" in trace, err + trace[-500:])

# --- runs that would not end, or would not fit --------------------------------------------
forever = BASIC + "1s A option c keepalive keepidle 1 keepintvl 1\n"
row("a run that never goes quiet: --max-events", forever,
    "FILE: the run did not end after 5000 events", "--max-events", "5000")
rc, out, err, left, _, _ = run_file("end 1h\n" + forever)
check("... the same bounded by 'end 1h': exit 0 with a trace", rc == 0 and "out.trace" in left, err)
grow = "link A->B delay 1h\n0 B listen 80\n0 flood A->B port 80 rate 1000000/s for 1h\n"
row("a run whose state grows without bound: --max-memory", grow,
    "FILE: the simulation's memory passed the limit of 16777216 bytes (--max-memory)",
    "--max-memory", "16MiB")
row("... the default limit is 512 MiB", grow,
    "FILE: the simulation's memory passed the limit of 536870912 bytes")

# --- the command line --------------------------------------------------------------------
for args, text in [
        (["--seed", "x"], "--seed x: expected a whole number"),
        (["--seed", "-1"], "--seed -1: expected a whole number"),
        (["--set", "nope=1"], "--set nope=1: expected HOST.knob=value"),
        (["--set", "A.nope=1"], "unknown knob"),
        (["--set", "Q.tcp_syn_retries=1"], "unknown host"),
        (["--set", "A.tcp_syn_retries=x"], "bad number \"x\""),
        (["--max-events", "-1"], "--max-events -1: expected a whole number of events"),
        (["--max-events", "0"], "--max-events 0: expected a whole number of events"),
        (["--max-memory", "lots"], "--max-memory lots: expected a size"),
        (["--frobnicate"], "Unknown option --frobnicate")]:
    row("bad option " + " ".join(args), BASIC, text, *args)

with tempfile.TemporaryDirectory() as d:
    p = subprocess.run([TCPSIM, "run", d], capture_output=True, text=True)
    check("a directory as FILE: exit 2, not a regular file",
          p.returncode == 2 and "not a regular file" in p.stderr, p.stderr)
    good = os.path.join(d, "ok.scn")
    open(good, "w").write(BASIC)
    p = subprocess.run([TCPSIM, "run", good, "-o", os.path.join(d, "no", "such", "dir.trace")],
                       capture_output=True, text=True)
    check("-o into a missing directory: exit 2, cannot write, nothing left",
          p.returncode == 2 and "cannot write" in p.stderr and os.listdir(d) == ["ok.scn"],
          p.stderr + str(os.listdir(d)))
    old = os.path.join(d, "old.trace")
    open(old, "w").write("the previous trace\n")
    p = subprocess.run([TCPSIM, "run", good, "-o", old, "--max-events", "3"],
                       capture_output=True, text=True)
    check("a failed run leaves an existing -o file as it was",
          p.returncode == 2 and open(old).read() == "the previous trace\n"
          and sorted(os.listdir(d)) == ["ok.scn", "old.trace"], p.stderr + str(os.listdir(d)))

passed = sum(results)
failed = len(results) - passed
print(f"CUNIT-SUMMARY passed={passed} failed={failed}")
sys.exit(1 if failed else 0)
