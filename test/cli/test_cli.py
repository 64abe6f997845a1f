#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""The tcpsim program as a user meets it: exit statuses, messages, --help, -o.

  test_cli.py TCPSIM SCENARIOS_DIR

Each check prints "ok - ..." or "not ok - ..."; the summary line counts them.
"""
import os
import re
import subprocess
import sys
import tempfile

TCPSIM, SCENARIOS = sys.argv[1], sys.argv[2]
results = []


def run(*args, stdin=None):
    p = subprocess.run([TCPSIM, *args], input=stdin, capture_output=True, text=True, timeout=120)
    return p.returncode, p.stdout, p.stderr


def check(name, cond, detail=""):
    results.append(cond)
    print(("ok - " if cond else "not ok - ") + name + ("" if cond else f"\n    {detail}"))


def scenario(text):
    f = tempfile.NamedTemporaryFile("w", suffix=".scn", delete=False)
    f.write(text)
    f.close()
    return f.name


basic = os.path.join(SCENARIOS, "handshake", "basic.scn")

rc, out, err = run("--help")
check("--help exits 0 and lists the commands", rc == 0 and "run FILE" in out, out)
rc, out, err = run("run", "--help")
check("run --help documents the options", rc == 0 and "--seed" in out and "--set" in out, out)
rc, out, err = run("--version")
check("--version prints the version", rc == 0 and out.startswith("tcpsim "), out)
rc, out, err = run()
check("no command: usage on stderr, exit 2", rc == 2 and "Usage" in err, err)
rc, out, err = run("frobnicate")
check("unknown command: exit 2", rc == 2 and "unknown command" in err, err)

rc, out, err = run("run", basic)
check("a bundled scenario runs, exit 0", rc == 0 and out.startswith("# tcpsim trace v1"), err)
rc2, out2, _ = run("run", basic)
check("two runs print byte-identical traces", out == out2)

rc, out, err = run("run", basic, "--no-trace", "--quiet", "--stats")
m = re.search(r"stats: events (\d+), segments (\d+), connection blocks at most (\d+), simulated "
              r"[0-9.]+ s, wall [0-9.]+ s, \d+ ns of wall time per segment, simulation memory at "
              r"most (\d+) bytes, peak RSS (\d+) KiB", err)
check("--stats: what the run cost, on stderr, nothing on stdout",
      rc == 0 and out == "" and m is not None and int(m.group(2)) == 10 and int(m.group(3)) == 3
      and int(m.group(4)) > 0 and int(m.group(5)) > 0, err)

bad = scenario("0 B listen 80\n10ms A lisen 90\n")
rc, out, err = run("run", bad)
check("a broken file: located error, exit 2, nothing simulated",
      rc == 2 and f"{bad}:2:8: error: unknown verb" in err and out == "", err)

failing = scenario("0 A connect B:80 as c\n1s expect A c state ESTABLISHED\n")
rc, out, err = run("run", failing)
check("a failed expect: exit 1 with the location and values",
      rc == 1 and f"{failing}:2:1: expect failed: A c state ESTABLISHED: expected ESTABLISHED, got CLOSED" in err,
      err)

rc, out, err = run("run", "/nonexistent/x.scn")
check("a missing file: exit 2", rc == 2 and "No such file" in err, err)

rc, out, err = run("run", basic, "--set", "B.tcp_nonsense=1")
check("--set with an unknown knob: exit 2", rc == 2 and "unknown knob" in err, err)
rc, out, err = run("run", basic, "--set", "Q.tcp_syn_retries=1")
check("--set with an unknown host: exit 2", rc == 2 and "unknown host" in err, err)
rc, out, err = run("run", basic, "--set", "*.msl=5s", "--no-trace")
check("--set *.msl shortens TIME_WAIT (the 60 s expect now fails)", rc == 1 and "got CLOSED" in err, err)

with tempfile.TemporaryDirectory() as d:
    path = os.path.join(d, "out.trace")
    rc, out, err = run("run", basic, "-o", path)
    check("-o writes the trace to the file, nothing to stdout",
          rc == 0 and out == "" and open(path).read().startswith("# tcpsim trace v1"), err)
    forever = scenario("0 B listen 80\n0 A connect B:80 as c\n+0 B accept 80 as s\n"
                       "1s A option c keepalive keepidle 1 keepintvl 1\n")
    path2 = os.path.join(d, "never.trace")
    rc, out, err = run("run", forever, "-o", path2, "--max-events", "5000")
    check("an endless run stops at --max-events: exit 2, no output file",
          rc == 2 and "did not end after 5000 events" in err and not os.path.exists(path2)
          and os.listdir(d) == ["out.trace"], err + str(os.listdir(d)))

with tempfile.TemporaryDirectory() as d:
    # A device or a pipe is written in place: a temporary renamed over /dev/null would
    # have replaced the device with a file.
    fifo = os.path.join(d, "pipe")
    os.mkfifo(fifo)
    import threading
    got = []
    reader = threading.Thread(target=lambda: got.append(open(fifo).read()))
    reader.start()
    rc, out, err = run("run", basic, "-o", fifo)
    reader.join(60)
    check("-o to a FIFO writes through it and leaves it a FIFO, with no temporary beside it",
          rc == 0 and got and got[0].startswith("# tcpsim trace v1")
          and os.path.exists(fifo) and not os.path.isfile(fifo) and os.listdir(d) == ["pipe"],
          err + str(os.listdir(d)))

rc, out, err = run("run", basic, "--seed", "99")
check("--seed changes the ISNs", rc == 0 and out != out2 and "# seed 99" in out)

rc, out, err = run("knobs")
check("knobs lists tunables with Linux defaults",
      rc == 0 and "tcp_syn_retries" in out and " 6 " in out and "somaxconn" in out, out[:200])

rc, out, err = run("counters")
check("counters lists every nstat name with a description",
      rc == 0 and "TcpExtListenOverflows" in out and "accept queue was full" in out
      and all(len(line.split(None, 1)) == 2 for line in out.splitlines()), out[:200])

def pkt(text):
    f = tempfile.NamedTemporaryFile("w", suffix=".pkt", delete=False)
    f.write(text)
    f.close()
    return f.name


SERVER = ("0 socket(..., SOCK_STREAM, IPPROTO_TCP) = 3\n"
          "+0 bind(3, ..., ...) = 0\n+0 listen(3, 1) = 0\n"
          "+0 < S 0:0(0) win 32792 <mss 1000>\n+0 > S. 0:0(0) ack 1 <...>\n"
          "+.1 < . 1:1(0) ack 1 win 257\n+0 accept(3, ..., ...) = 4\n")
rc, out, err = run("pkt", "--help")
check("pkt --help documents --compare and the exit statuses",
      rc == 0 and "--compare" in out and "77 unsupported" in out, out)
good = pkt(SERVER + "+0 write(4, ..., 100) = 100\n+0 > P. 1:101(100) ack 1\n")
rc, out, err = run("pkt", good)
check("pkt: a passing script exits 0 with a pass summary line",
      rc == 0 and out.startswith("pkt-result status=pass ") and "events=9/9" in out, out + err)
wrong = pkt(SERVER + "+0 write(4, ..., 100) = 100\n+0 > P. 1:51(50) ack 1\n")
rc, out, err = run("pkt", wrong)
check("pkt: a difference exits 1 with the script line, script and actual packets",
      rc == 1 and f"{wrong}:9: error: live packet payload: expected 50 bytes vs actual 100"
      in err and "script packet:" in err and "actual packet:" in err and "status=fail" in out,
      err)
unsup = pkt(SERVER + "+0 `sysctl -q net.ipv4.tcp_ecn=1`\n")
rc, out, err = run("pkt", unsup)
check("pkt: an unsupported construct exits 77, located and named",
      rc == 77 and f"{unsup}:8:1: unsupported: sysctl tcp_ecn=1" in err, err)
broken = pkt("0 socket(..., SOCK_STREAM, IPPROTO_TCP) = 3\n+0 < S 0:0(0)\n")
rc, out, err = run("pkt", broken)
check("pkt: a syntax error exits 2 with file:line:col",
      rc == 2 and f"{broken}:2:6: error: window must be specified" in err, err)
rc, out, err = run("pkt", good, "--compare", "bogus")
check("pkt: a bad --compare exits 2", rc == 2 and "unknown field" in err, err)
rc, out, err = run("pkt", good)
check("pkt: the summary says the comparison was strict, with its tolerance",
      "compare=all tolerance_usecs=4000 " in out, out)
rc, out, err = run("pkt", good, "--compare", "lenient")
check("pkt: --compare lenient is named in the summary", rc == 0 and "compare=lenient " in out,
      out)
late = pkt(SERVER + "+0 write(4, ..., 100) = 100\n+.01 > P. 1:101(100) ack 1\n")
rc, out, err = run("pkt", late)
rc2, out2, err2 = run("pkt", late, "--tolerance_usecs", "20000")
check("pkt: --tolerance_usecs widens the timing tolerance as packetdrill's flag does",
      rc == 1 and "timing error" in err and rc2 == 0 and "tolerance_usecs=20000" in out2,
      err + out2)
rc, out, err = run("pkt", late, "--tolerance_usecs", "-1")
check("pkt: a negative --tolerance_usecs exits 2", rc == 2 and "tolerance_usecs" in err, err)
ifdef = pkt(SERVER + "#ifdef Custom\n+0 write(4, ..., 100) = 100\n#else\n"
            "+0 write(4, ..., 10) = 10\n#endif\n+0 > P. 1:101(100) ack 1\n")
rc, out, err = run("pkt", ifdef)
rc2, out2, err2 = run("pkt", ifdef, "-D", "Custom")
check("pkt: -D NAME chooses an #ifdef branch", rc == 1 and rc2 == 0, err + err2)
rc, out, err = run("pkt", ifdef, "-D", "no good")
check("pkt: a -D that is not a name exits 2", rc == 2 and "-D no good" in err, err)

# Every file a command's --help names in its example exists (an example that names a
# file nobody has teaches nothing).
root = os.path.dirname(os.path.abspath(SCENARIOS))
for cmd in ("run", "ladder", "explain", "quiz", "diff", "check", "pkt", "replay", "sweep",
            "explore", "knobs", "counters", "scenarios"):
    rc, out, err = run(cmd, "--help")
    named = [m for line in (out + err).splitlines() if re.search(r"example|e\.g\.", line, re.I)
             for m in re.findall(r"\bscenarios/[\w./-]+\.\w+", line)]
    missing = [m for m in named if not os.path.exists(os.path.join(root, m))]
    check(f"{cmd} --help: the files its examples name exist", rc == 0 and not missing,
          f"rc {rc}, missing {missing}")

passed = sum(results)
failed = len(results) - passed
print(f"CUNIT-SUMMARY passed={passed} failed={failed}")
sys.exit(1 if failed else 0)
