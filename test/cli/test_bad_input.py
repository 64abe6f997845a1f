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
import shutil
import signal
import subprocess
import sys
import tempfile
import time

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
row("overflowing number", "0 B listen 80 backlog 99999999999999999999999\n", "FILE:1:23: error: bad number \"99999999999999999999999\"")
row("overflowing time", "link both delay 99999999999999999999ms\n", "FILE:1:17: error: bad time \"99999999999999999999ms\": out of range")
row("port out of range", "0 A connect B:99999 as c\n", "FILE:1:13: error: bad port in \"B:99999\"")
row("tunable out of range", "set * tcp_syn_retries 1000\n", "FILE:1:7: error: tcp_syn_retries: value 1000 out of range 1..127")
row("a FreeBSD sysctl on a host without the freebsd personality",
    "set A net.inet.tcp.insecure_syn 1\n",
    "FILE:1:7: error: net.inet.tcp.insecure_syn is a FreeBSD sysctl, and host A does not run the freebsd personality here: put \"set A personality freebsd\" on an earlier line")
row("times going backwards", "10ms A connect B:80 as c\n5ms A close c\n", "FILE:2:1: error: time goes backwards: 5ms is before the previous line's 10ms")
row("a flood from a host to itself", "0 B listen 80\n0 flood A->A port 80 rate 10/s for 1s\n",
    "FILE:2:9: error: bad direction \"A->A\": a flood goes from one host to another, such as A->B")
row("an accept on a serve pattern's port",
    "0 B serve 80 request 100 response 100\n0 B accept 80 as s\n",
    "FILE:2:12: error: accept on port 80 of host B, but that port is the serve pattern's of line 1, which accepts its connections itself")
row("a serve pattern's listener closed by its port",
    "0 B serve 80 request 100 response 100\n1s B close 80\n",
    "FILE:2:12: error: port 80 of host B is the listener of the serve pattern of line 1, which the pattern owns")
row("unknown host", "0 Q listen 80\n", "FILE:1:3: error: \"Q\" is neither a host (A, B) nor a verb")
row("unknown socket name", "0 A send nope 10\n", "FILE:1:10: error: socket \"nope\" on host A is not named yet")
row("unterminated string", "title \"abc\n", "FILE:1:7: error: unterminated string")
row("binary garbage", bytes(range(256)) * 8, "FILE:1:1: error: unexpected byte 0x00; scenario files are text")
row("a NUL inside a line", b"0 A connect B:80 as c\x00x\n", "FILE:1:22: error: unexpected byte 0x00")
row("a line of 1 MB", "#" + "x" * (1 << 20) + "\n", "FILE:1:1: error: line longer than 65536 bytes")
row("a file of 100 MB", b"# x\n" * (25 << 20), "FILE:1:1: error: file of 104857600 bytes is larger than the 67108864-byte limit")
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
        (["--max-memory", "1MiB"], "--max-memory 1MiB: expected a size of at least 4MiB"),
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

# --- hostile input, second round (issue 20) -------------------------------------------------
def run_pkt(script, *args, timeout=120):
    with tempfile.TemporaryDirectory() as d:
        path = os.path.join(d, "t.pkt")
        open(path, "w").write(script)
        p = subprocess.run([TCPSIM, "pkt", path, *args], capture_output=True, text=True,
                           timeout=timeout, cwd=d)
        return p.returncode, p.stdout, p.stderr


rc, out, err, left, _, trace = run_file("2000s B listen 80\n")
check("a first event 2000 s away (beyond the event ring): runs, exit 0",
      rc == 0 and "2000.000000000 B   app       listen(80" in trace, f"rc={rc} {err[:300]}")
rc, out, err = run_pkt("0 socket(..., SOCK_STREAM, IPPROTO_TCP) = 3\n"
                       "+0 bind(3, ..., ...) = 0\n+0 listen(3, 1) = 0\n"
                       "+0...2000 poll([{fd=3, events=POLLIN, revents=0}], 1, 2000000) = 0\n")
check("a packetdrill poll of 2000 s: passes, exit 0",
      rc == 0 and "status=pass" in out and "time=2000.000000" in out, f"rc={rc} {out} {err}")

rc, out, err, left, _, _ = run_file(
    "set A ip_local_port_range 40000 40009\n0 B serve 80 request 100 response 100\n"
    "+0 A fetch B:80 count 200000 request 100 response 100\n"
    "1s expect A client failed 199990\n+0 expect A client completed 10\n", "--no-trace")
check("200,000 requests, all but ten failing at once (EADDRNOTAVAIL): no stack overflow, "
      "every failure counted, exit 0", rc == 0 and "2 expects, 0 failed" in err, f"rc={rc} {err[:300]}")

row("link delay and jitter whose sum with the time passes 2^63 ns",
    "link both delay 2305843009s jitter 2305843009s\n0 B listen 80\n0 A connect B:80 as c\n",
    "FILE: at simulated time 4384219036640ms the next event lies beyond the end of "
    "simulated time (2^62 ns, 146 years)")

# 71,768 connects after the 28,232 ports ran out (held by connections in SYN_SENT, the
# link being down): each used to scan the whole range (minutes); a failed search is now
# remembered until a port is given up.
rc, out, err, left, _, _ = run_file(
    "end 2s\n0 link A->B down\n0 B listen 80 backlog 65535\n"
    "+0 A fetch B:80 count 100000 request 100 response 100 every 1us concurrent\n"
    "1s expect A client failed 71768\n", "--no-trace", timeout=240)
check("100,000 concurrent connects, 71,768 after the ports ran out: each fails at once, "
      "exit 0 well within the time limit", rc == 0 and "1 expects, 0 failed" in err,
      f"rc={rc} {err[:300]}")

# ... and the memory of a failed search ends when a TIME_WAIT gives its port up.
rc, out, err, left, _, trace = run_file(
    "link both delay 5ms\nset A ip_local_port_range 40000 40009\n"
    "0 B serve 80 request 100 response 1000\n"
    "+0 A fetch B:80 count 30 request 100 response 1000 every 3s\n"
    "200s expect A client completed 19\n+0 expect A client failed 11\n")
check("ports exhausted by TIME_WAIT until 60 s: connects fail, then succeed again at 63 s",
      rc == 0 and "2 expects, 0 failed" in err
      and "60.000000000 A   app       connect(client.21, 10.0.0.2:80) = -1 EADDRNOTAVAIL" in trace
      and "63.010000000 A   app       connect(client.22, 10.0.0.2:80) = 0" in trace,
      f"rc={rc} {err[:300]}")

# --- outputs: all commit together or none; same paths refused; signals clean up; bounded
FOREVER = BASIC + "1s A option c keepalive keepidle 1 keepintvl 1\n"
with tempfile.TemporaryDirectory() as d:
    good = os.path.join(d, "ok.scn")
    open(good, "w").write(BASIC + "+1s A send c 100000\n")
    old = os.path.join(d, "old.trace")
    open(old, "w").write("the previous trace\n")
    if os.path.exists("/dev/full"):
        p = subprocess.run([TCPSIM, "run", good, "-o", old, "--jsonl", os.path.join(d, "j"),
                            "--pcap", "/dev/full"], capture_output=True, text=True)
        check("--pcap on a full device fails: exit 2, names the path and errno, and the "
              "earlier -o and --jsonl outputs are not committed either",
              p.returncode == 2 and "/dev/full: write failed: No space left on device" in p.stderr
              and open(old).read() == "the previous trace\n"
              and sorted(os.listdir(d)) == ["ok.scn", "old.trace"], p.stderr + str(os.listdir(d)))
    for args, text in [
            (["-o", "x.trace", "--jsonl", "./x.trace"],
             "run: -o x.trace and --jsonl ./x.trace name the same file"),
            (["--no-trace", "--pcap", "x", "--plot-seq", "sub/../x"],
             "run: --pcap x and --plot-seq sub/../x name the same file"),
            (["-o", "ok.scn"], "run: -o ok.scn names the input scenario"),
            (["--ladder-svg", "-", "--plot-seq", "-", "--no-trace"],
             "more than one output goes to standard output"),
            (["--max-output", "lots"], "--max-output lots: expected a size")]:
        p = subprocess.run([TCPSIM, "run", "ok.scn", *args], capture_output=True, text=True,
                           cwd=d)
        check("refused before the run: " + " ".join(args),
              p.returncode == 2 and text in p.stderr and p.stdout == ""
              and sorted(os.listdir(d)) == ["ok.scn", "old.trace"], p.stderr)
    fv = os.path.join(d, "forever.scn")
    open(fv, "w").write(FOREVER)
    for sig in (signal.SIGINT, signal.SIGTERM):
        p = subprocess.Popen([TCPSIM, "run", fv, "-o", "t.trace", "--pcap", "t.pcap"], cwd=d,
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        for _ in range(200):
            if any(".tmp-" in f for f in os.listdir(d)):
                break
            time.sleep(0.01)
        time.sleep(0.2)
        p.send_signal(sig)
        p.wait(timeout=30)
        check(f"{signal.Signals(sig).name} during a run: no temporary left behind",
              p.returncode == -sig and sorted(os.listdir(d)) == ["forever.scn", "ok.scn", "old.trace"],
              f"rc={p.returncode} {os.listdir(d)}")
    # tcpsim check writes its trace under TMPDIR: a signal leaves nothing there either.
    tmpdir = os.path.join(d, "tmp")
    os.mkdir(tmpdir)
    open(os.path.join(d, "fe.scn"), "w").write("end 1h\n" + FOREVER)
    subprocess.run([TCPSIM, "check", "fe.scn", "--update"], cwd=d, capture_output=True)
    open(os.path.join(d, "fe.scn"), "w").write(FOREVER)
    p = subprocess.Popen([TCPSIM, "check", "fe.scn"], cwd=d, env={**os.environ, "TMPDIR": tmpdir},
                         stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    for _ in range(200):
        if os.listdir(tmpdir):
            break
        time.sleep(0.01)
    time.sleep(0.2)
    p.send_signal(signal.SIGINT)
    p.wait(timeout=30)
    check("SIGINT during tcpsim check: nothing left in TMPDIR",
          p.returncode == -signal.SIGINT and os.listdir(tmpdir) == [], f"rc={p.returncode} {os.listdir(tmpdir)}")
row("a run whose outputs pass --max-output", FOREVER,
    "FILE: the outputs passed the limit of 1048576 bytes (--max-output) at simulated time",
    "--max-output", "1MiB")

# --- wrong results without an error, second round ------------------------------------------
row("a title with an escaped line break", 'title "a\\nb"\n',
    "FILE:1:7: error: a title is one line of text: no control bytes")
row("a title with an escaped byte that is not UTF-8", 'title "a\\xffb"\n',
    "FILE:1:7: error: a title is one line of text")
row("a raw 0xFF byte in a title", b'title "a\xffb"\n',
    "FILE:1:9: error: unexpected byte 0xff; scenario files are text (UTF-8)")
row("a NUL in a comment", b"# a\x00b\n", "FILE:1:4: error: unexpected byte 0x00")
row("a 0xFF byte in a comment", b"0 B listen 80 # \xff\n", "FILE:1:17: error: unexpected byte 0xff")
row("a control byte in a string", b'title "a\x01"\n', "FILE:1:9: error: unexpected byte 0x01")
row("a UTF-8 byte order mark", b"\xef\xbb\xbf0 B listen 80\n",
    "FILE:1:1: error: the file begins with a UTF-8 byte order mark (bytes EF BB BF); save it without one")
rc, out, err, left, _, trace = run_file("# caf\u00e9\ntitle \"\u63e1\u624b\"\n0 B listen 80\n",
                                        "--ladder-svg", "l.svg")
check("UTF-8 text in a comment and a title: accepted, the title in the trace header",
      rc == 0 and '# title "\u63e1\u624b"' in trace, err)

row("a forged segment of 1 GB", BASIC + "1s inject A->B data len 1GB for s\n",
    "FILE:4:21: error: a forged segment carries at most 65495 bytes (one IPv4 packet); got 1000000000")
row("recv of 0 bytes", BASIC + "+0 B recv s 0\n",
    "FILE:4:13: error: a size of 0; expected at least one byte, or no size for whatever is there")


def run_cmd(args, stdin=b"", files=None):
    """Runs tcpsim ARGS in a fresh directory holding `files` (name -> text)."""
    with tempfile.TemporaryDirectory() as d:
        for name, text in (files or {}).items():
            open(os.path.join(d, name), "w").write(text)
        p = subprocess.run([TCPSIM, *args], input=stdin, capture_output=True, cwd=d,
                           timeout=120)
        return p.returncode, p.stdout.decode(errors="replace"), p.stderr.decode(errors="replace")


TTT = (" 00:00:00.000000 IP 10.0.0.1.45452 > 10.0.0.2.80: Flags [S], seq 1, win 64240, length 0\n"
       " 00:00:00.010000 IP 10.0.0.2.80 > 10.0.0.1.45452: Flags [S.], seq 5, ack 2, win 65160, length 0\n")
for flag, text in [("-ttt", TTT), ("-ttttt", TTT.replace(" 00:00:00.010000", " 00:00:00.010000"))]:
    rc, out, err = run_cmd(["diff", "a.txt", "b.txt"], files={"a.txt": text, "b.txt": text})
    check(f"tcpdump {flag} text: exit 2, says which time stamps to use instead",
          rc == 2 and "a.txt:1: error: a relative tcpdump time stamp (-ttt or -ttttt)" in err
          and "-tt (seconds)" in err, f"rc={rc} {err}")
rc, out, err = run_cmd(["diff", "-", "-"], stdin=b"")
check("tcpsim diff - -: exit 2, both standard input",
      rc == 2 and "diff: A and B are both standard input" in err, f"rc={rc} {err}")

rc, out, err, left, _, trace = run_file(
    "link both delay 0 jitter 0 reorder 1% 0\n0 B listen 80\n0 A connect B:80 as c\n"
    "0 delay A->B next 1 [S] by 0\n+0 duplicate A->B next 1 [.] by 0\n1s link A->B delay 0\n")
check("a bare 0 as a time in link parameters and faults: accepted, as the docs say",
      rc == 0 and "duplicated 1" in trace, f"rc={rc} {err[:300]}")

row("a time tunable out of range: the range in its unit, not in ns",
    "set * tcp_fin_timeout 100000\n",
    "FILE:1:7: error: tcp_fin_timeout: value 100000 out of range 0s..86400s (a bare number is in s)")
row("... with a unit", "set * tcp_rto_min_us 0\n",
    "FILE:1:7: error: tcp_rto_min_us: value 0 out of range 1us..3600000000us (a bare number is in us)")

row("a seed past 2^64-1 in the file", "seed 18446744073709551616\n",
    "FILE:1:6: error: bad seed \"18446744073709551616\"; expected a whole number from 0 to 18446744073709551615")
rc, out, err, left, _, trace = run_file("seed 18446744073709551615\n0 B listen 80\n")
check("seed 2^64-1 in the file, as --seed takes it: accepted",
      rc == 0 and "# seed 18446744073709551615" in trace, err)

rc, out, err, left, _, trace = run_file("0 B listen 80\n1s B close 80\n+0 B close 80\n")
check("a listener closed by its port is traced by its port, not as close(?)",
      rc == 0 and "1.000000000 B   app       close(80) = 0" in trace
      and "close(80) = -1 EBADF" in trace and "?" not in trace, trace[-400:])

rc, out, err, left, _, trace = run_file(BASIC + "1s B reboot\n+0 expect B s state CLOSED\n+0 ss B\n")
check("B reboot without B crash: the connections are lost, as its note says",
      rc == 0 and "ESTABLISHED -> CLOSED (host crashed)" in trace
      and "ESTAB " not in trace and "1 expects, 0 failed" in err, err + trace[-600:])

# 110048 bytes: Linux's first send buffer is 87040 in truesize (tcp_sndbuf_expand()); the
# write fills skbs of 31856 (half the window), each charged 832 bytes more, and its first
# 14480 bytes leave at once (IW10), so the unsent rest of that skb is filled up again:
# 14480 + 3 x 31856 queued before the next skb would start past the buffer.
rc, out, err, left, _, trace = run_file(
    "link both delay 10ms\nset * tcp_retries2 3\n" + BASIC +
    "1s link A->B down\n+0 A send c 10MB\n+0 A send c 10\n+0 A send c 10\n")
check("a send blocked when the connection times out returns its partial count, and the "
      "next send gets the pending ETIMEDOUT (as on Linux), not ENOTCONN",
      rc == 0 and "A   app       send(c, 10000000) = 110048" in trace
      and trace.count("send(c, 10) = -1 ETIMEDOUT") == 1, trace[-800:])

rc, out, err, left, _, trace = run_file(BASIC + "+1s A send c 100000\n", "--max-memory", "4MiB")
check("--max-memory 4MiB, the documented minimum: a run with a trace fits", rc == 0, err)

row("rate 0bps (which meant unlimited)", "link both rate 0bps\n",
    "FILE:1:16: error: rate 0bps would never send a byte; expected a rate such as 10Mbps, or unlimited")
rc, out, err, left, _, trace = run_file("link both rate 1Mbps\n" + BASIC + "1s link both rate unlimited\n")
check("rate unlimited lifts a rate", rc == 0, err)

t0 = time.monotonic()
row("a run that never goes quiet: --max-time (wall clock)", FOREVER,
    "FILE: the run took longer than 1s of wall-clock time (--max-time)",
    "--max-time", "1s", "--max-events", "1000000000000", "--max-output", "unlimited")
check("... stopped within seconds", time.monotonic() - t0 < 20, str(time.monotonic() - t0))
row("bad --max-time", BASIC, "--max-time soon: expected a wall-clock time", "--max-time", "soon")

if shutil.which("tcpdump"):
    with tempfile.TemporaryDirectory() as d:
        open(os.path.join(d, "ok.scn"), "w").write(BASIC + "+1s A send c 100000\n")
        subprocess.run([TCPSIM, "run", "ok.scn", "-q", "-o", "ok.trace", "--pcap", "ok.pcap"],
                       cwd=d, check=True)
        for v in ("-v", "-vv"):
            txt = subprocess.run(["tcpdump", "-n", v, "-r", "ok.pcap"], cwd=d,
                                 capture_output=True, text=True).stdout
            open(os.path.join(d, "cap.txt"), "w").write(txt)
            p = subprocess.run([TCPSIM, "diff", "ok.trace", "cap.txt"], cwd=d,
                               capture_output=True, text=True)
            check(f"tcpdump {v} text of tcpsim's own capture (seq printed on pure ACKs) agrees "
                  "with its trace", p.returncode == 0 and "agree" in p.stdout
                  and (v == "-v" or "seq 1, ack 1" in txt), p.stdout[:600])

script = ("0 socket(..., SOCK_STREAM, IPPROTO_TCP) = 3\n+0 bind(3, ..., ...) = 0\n"
          "+0 listen(3, 1) = 0\n")
rc, out, err = run_cmd(["pkt", "t.pkt", "--trace", "./t.pkt"], files={"t.pkt": script})
check("tcpsim pkt --trace naming the script: refused, exit 2",
      rc == 2 and "pkt: --trace ./t.pkt names the script" in err, f"rc={rc} {err}")

for bad in ("abc", "12.5x", "-1", "nan", "1001"):
    rc, out, err = run_cmd(["pkt", "t.pkt", f"--tolerance_percent={bad}"], files={"t.pkt": script})
    check(f"tcpsim pkt --tolerance_percent={bad}: refused, exit 2",
          rc == 2 and "--tolerance_percent needs a number 0..1000" in err, f"rc={rc} {err}")

passed = sum(results)
failed = len(results) - passed
print(f"CUNIT-SUMMARY passed={passed} failed={failed}")
sys.exit(1 if failed else 0)
