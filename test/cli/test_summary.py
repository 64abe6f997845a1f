#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Results a program can read: tcpsim run --summary (checked against the JSON Schema in
docs/summary.schema.json and against the trace of the same run), --counters, --param and
scenario templates, the trace headers' --set lines, and the everyday polish of the
command line (help CMD, did you mean, run -, scenarios by name).

  test_summary.py TCPSIM SOURCE_ROOT

Each check prints "ok - ..." or "not ok - ...".
"""
import json
import os
import re
import subprocess
import sys
import tempfile

TCPSIM, ROOT = os.path.abspath(sys.argv[1]), os.path.abspath(sys.argv[2])
SCN = os.path.join(ROOT, "scenarios")
results = []


def check(name, cond, detail=""):
    results.append(bool(cond))
    print(("ok - " if cond else "not ok - ") + name + ("" if cond else f"\n    {detail}"))


def run(*args, stdin=None, env=None):
    p = subprocess.run([TCPSIM, *args], capture_output=True, text=True, timeout=120,
                       input=stdin, env=env)
    return p.returncode, p.stdout, p.stderr


with open(os.path.join(ROOT, "docs", "summary.schema.json")) as f:
    SCHEMA = json.load(f)
try:
    import jsonschema
except ImportError:
    jsonschema = None
    print("# python3-jsonschema not installed: the schema is checked by key lists only")


def valid(doc):
    if jsonschema is not None:
        try:
            jsonschema.validate(doc, SCHEMA)
            return True, ""
        except jsonschema.ValidationError as e:
            return False, str(e).splitlines()[0]
    want = SCHEMA["required"]
    return list(doc.keys()) == want, f"keys {list(doc.keys())} != {want}"


def summary_of(path, *extra):
    rc, out, err = run("run", path, "--no-trace", "--summary", "-", "-q", *extra)
    return rc, (json.loads(out) if out.strip() else None), err


# Every bundled scenario's summary is one valid JSON object, and says what its run said.
names = []
with open(os.path.join(SCN, "meson.build")) as f:
    names = re.findall(r"^  '([a-z0-9/-]+)',$", f.read().split("ladder_scenarios")[0], re.M)
bad = []
for n in names:
    rc, doc, err = summary_of(os.path.join(SCN, n + ".scn"))
    ok, why = valid(doc) if doc else (False, err)
    if not ok or doc["status"] != ("ok" if rc == 0 else "failed") or doc["expects_failed"] != 0:
        bad.append(f"{n}: {why or doc['status']}")
check(f"the summaries of all {len(names)} bundled scenarios are valid and all 'ok'",
      names and not bad, "; ".join(bad[:5]))

# handshake/basic, field by field.
rc, doc, _ = summary_of(os.path.join(SCN, "handshake/basic.scn"), "--set", "A.tcp_syn_retries=3")
a = [c for c in doc["connections"] if c["host"] == "A"]
b = [c for c in doc["connections"] if c["host"] == "B"]
check("handshake/basic: one connection each side, named as the scenario names them",
      len(a) == 1 and len(b) == 1 and a[0]["name"] == "c" and b[0]["name"] == "s",
      doc["connections"])
check("handshake/basic: the client went SYN_SENT, ESTABLISHED ... TIME_WAIT, then closed",
      a[0]["states"] == ["CLOSED", "SYN_SENT", "ESTABLISHED", "FIN_WAIT_1", "FIN_WAIT_2",
                         "TIME_WAIT"] and a[0]["final_state"] == "CLOSED", a[0])
check("handshake/basic: 18 request bytes sent, 100 response bytes delivered",
      a[0]["bytes_sent"] == 18 and a[0]["bytes_delivered"] == 100 and b[0]["bytes_sent"] == 100,
      a[0])
check("handshake/basic: established at 30 ms, completed (TIME_WAIT) at 180 ms",
      a[0]["established_ns"] == 30000000 and a[0]["completed_ns"] == 180000000, a[0])
check("the summary records the seed, the version and every --set",
      doc["seed"] == 7 and doc["sets"] == ["A.tcp_syn_retries=3"] and
      doc["tcpsim_version"] == run("--version")[1].split()[1], doc["sets"])
check("handshake/basic: 8 expects, each with its place and verdict",
      doc["expects_total"] == 8 and len(doc["expects"]) == 8 and
      all(e["ok"] and re.search(r"basic\.scn:\d+:\d+$", e["where"]) for e in doc["expects"]), doc["expects"][:2])
check("handshake/basic: counters by nstat's names, per host",
      doc["counters"]["A"].get("TcpActiveOpens") == 1 and
      doc["counters"]["B"].get("TcpPassiveOpens") == 1, doc["counters"])

# retransmit/syn-lost: the retransmission and the link's drop agree with the trace.
path = os.path.join(SCN, "retransmit/syn-lost.scn")
rc, doc, _ = summary_of(path)
rc2, trace, _ = run("run", path, "-q")
a = [c for c in doc["connections"] if c["host"] == "A"][0]
sent_re = len([ln for ln in trace.splitlines() if " A->B sent " in ln and "retransmit" in ln])
check("syn-lost: the client's retransmissions are the trace's retransmitted segments",
      a["retransmissions"] == sent_re == 1, (a["retransmissions"], sent_re))
ab = [l for l in doc["links"] if l["from"] == "A" and l["to"] == "B"][0]
check("syn-lost: the A->B link summary is the trace's note summary line",
      f"summary A->B: sent {ab['sent']}, delivered {ab['delivered']}, dropped {ab['dropped']}"
      in trace and ab["drops"] == {"scripted": 1}, ab)

# A failed expect: status failed, the verdict and what was got.
rc, doc, _ = summary_of(os.path.join(SCN, "retransmit/syn-retries-2.scn"), "--set",
                        "A.tcp_syn_retries=3")
check("a failing expect: exit 1, status failed, the failed check with what it got",
      rc == 1 and doc["status"] == "failed" and doc["expects_failed"] >= 1 and
      any(not e["ok"] and e["got"] for e in doc["expects"]), doc and doc["expects"])
check("the failed connection names its error", any(
      c["error"] == "ETIMEDOUT" for c in doc["connections"]), doc["connections"])

# --counters: nstat's format, the same numbers as the summary.
rc, _, err = run("run", os.path.join(SCN, "handshake/basic.scn"), "--no-trace", "-q",
                 "--counters")
lines = err.splitlines()
check("--counters prints a #kernel line per host and nstat-format rows",
      lines[0] == "#kernel A 10.0.0.1" and "#kernel B 10.0.0.2" in lines and
      re.match(r"^TcpActiveOpens {18}1 {18}0\.0$", lines[1]), err)

# Trace and JSON lines headers: the version, every --set and --param.
with tempfile.TemporaryDirectory() as d:
    tr, jl = os.path.join(d, "t.trace"), os.path.join(d, "t.jsonl")
    rc, _, err = run("run", os.path.join(SCN, "handshake/basic.scn"), "-q", "-o", tr,
                     "--jsonl", jl, "--set", "*.tcp_fin_timeout=30", "--set",
                     "B.tcp_synack_retries=2")
    with open(tr) as f:
        head = [ln for ln in f.read().splitlines() if ln.startswith("# set")]
    with open(jl) as f:
        hdr = json.loads(f.readline())
    check("the trace header has a # set line per --set, in order",
          head == ["# set *.tcp_fin_timeout=30", "# set B.tcp_synack_retries=2"], head)
    check("the JSON lines header has the version and every --set",
          hdr.get("tcpsim_version") and hdr.get("sets") == ["*.tcp_fin_timeout=30",
                                                           "B.tcp_synack_retries=2"], hdr)
    rc, out, err = run("diff", tr, os.path.join(SCN, "handshake/basic.trace"))
    check("diff reads a trace whose header has # set lines", rc in (0, 1), err)

# JSON lines: app, expect and ss events carry their parts as fields.
rc, out, _ = run("run", os.path.join(SCN, "rst/refused.scn"), "--no-trace", "--jsonl", "-",
                 "-q")
ev = [json.loads(l) for l in out.splitlines()]
apps = [e for e in ev if e["event"] == "app" and e["call"] == "connect" and e["returned"]]
check("JSON lines app: the refused connect's call, result and errno",
      apps and apps[0]["result"] == -1 and apps[0]["errno"] == "ECONNREFUSED" and
      apps[0]["name"] == "c" and apps[0]["rport"] == 80, apps)
exps = [e for e in ev if e["event"] == "expect"]
check("JSON lines expect: the check, what was expected and got, and the verdict",
      exps and all(e["ok"] is True and e["check"] and e["expected"] for e in exps) and
      any(e["expected"] == "ECONNREFUSED" for e in exps), exps[:2])
rc, out, _ = run("run", os.path.join(SCN, "listen/syn-flood-cookies.scn"), "--no-trace",
                 "--jsonl", "-", "-q")
rows = [json.loads(l) for l in out.splitlines() if '"event":"ss"' in l]
socks = [r for r in rows if r["state"] is not None]
check("JSON lines ss: each socket's row has its state and queues as numbers",
      socks and all(isinstance(r["recv_q"], int) and r["lport"] for r in socks) and
      any(r["state"] == "LISTEN" for r in socks), rows[:3])

# Templates: ${NAME}, ${NAME:-DEFAULT}, --param, run - (standard input).
template = """# a template: ${LOSS} and ${RTT} in a comment are left alone
title "template"
link both delay ${RTT:-20ms}
link A->B loss ${LOSS}
0ms B listen 80
10ms A connect B:80 as c
+0 B accept 80 as s
+10ms A send c 1000
+0 B recv s 1000
+1s A close c
+0 B close s
"""
rc, out, err = run("run", "-", "--param", "LOSS=0%", "-q", stdin=template)
check("run - reads the scenario from standard input, --param fills ${LOSS}, the default "
      "${RTT:-20ms}", rc == 0 and "# param LOSS=0%" in out and
      re.search(r"^0\.030000000 B->A", out, re.M), err or out[:300])
rc, out, err = run("run", "-", "-q", stdin=template)
check("a parameter with no value is an error naming it and its place",
      rc == 2 and "-:4:" in err and "${LOSS}" in err and "--param LOSS=VALUE" in err, err)
rc, out, err = run("run", "-", "-q", "--param", "LOSS=0", "--param", "LOS=1", stdin=template)
check("a --param that the scenario does not use is an error", rc == 2 and "LOS" in err, err)
rc, out, err = run("run", "-", "--no-trace", "--summary", "-", "-q", "--param", "LOSS=0",
                   "--param", "RTT=5ms", stdin=template)
doc = json.loads(out) if rc == 0 else {}
check("the summary records the params", doc.get("params") == ["LOSS=0", "RTT=5ms"], err)

# check takes --set and --seed: what a knob or a seed changes against the golden trace.
rc, out, err = run("check", os.path.join(SCN, "handshake/basic.scn"), "--set",
                   "*.tcp_window_scaling=0", "-q")
check("check --set: a knob that changes the trace makes check exit 1", rc == 1, out + err)
rc, out, err = run("check", os.path.join(SCN, "faults/loss-bernoulli.scn"), "--seed", "4")
check("check --seed: another seed's losses differ from the golden trace",
      rc == 1 and "first divergence" in out, out[:300] + err)
rc, out, err = run("check", os.path.join(SCN, "faults/loss-bernoulli.scn"), "--seed", "4",
                   "--update")
check("check --update refuses --seed (a golden trace is the scenario's own run)",
      rc == 2 and "--update" in err, err)

# Everyday polish.
rc, out, err = run("help", "run")
check("tcpsim help run is tcpsim run --help, and says 'tcpsim run'",
      rc == 0 and "tcpsim run [OPTION" in out, out[:200])
rc, out, err = run("rnu", "x")
check("an unknown command gets a 'did you mean'", rc == 2 and 'did you mean "run"' in err, err)
rc, out, err = run("run", os.path.join(SCN, "handshake/basic.scn"), "--set",
                   "A.tcp_synack_retrys=2")
check("an unknown knob gets a 'did you mean'",
      rc == 2 and 'did you mean "tcp_synack_retries"' in err, err)
master, slave = os.openpty()
p = subprocess.run([TCPSIM, "run", os.path.join(SCN, "handshake/basic.scn"), "--no-trace",
                    "--pcap", "-", "-q"], stdout=slave, stderr=subprocess.PIPE, text=True,
                   timeout=60)
os.close(slave)
os.close(master)
check("a binary capture to a terminal is refused", p.returncode == 2 and
      "not to a terminal" in p.stderr, p.stderr)
rc, out, err = run("ladder", "--help")
rc2, out2, err2 = run("ladder", os.path.join(SCN, "handshake/basic.scn"), "--no-trace")
check("ladder does not offer run's --no-trace, and says whose option it is",
      rc == 0 and "--no-trace" not in out and rc2 == 2 and "run's option" in err2, err2)
env = dict(os.environ, TCPSIM_SCENARIO_PATH=SCN)
with tempfile.TemporaryDirectory() as d:
    p = subprocess.run([TCPSIM, "run", "handshake/basic", "-q"], capture_output=True,
                       text=True, env=env, cwd=d)
    with open(os.path.join(SCN, "handshake/basic.trace")) as f:
        golden = f.read()
    check("tcpsim run handshake/basic finds it by name and prints the golden trace",
          p.returncode == 0 and p.stdout == golden, p.stderr)
rc, out, err = run("scenarios", env=env)
check("tcpsim scenarios lists the bundled scenarios by name",
      rc == 0 and "handshake/basic" in out.splitlines() and
      len(out.splitlines()) >= len(names), out[:200])

print(f"{sum(results)} passed, {len(results) - sum(results)} failed")
sys.exit(0 if all(results) else 1)
