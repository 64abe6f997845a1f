#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""The JSON lines trace (tcpsim run --jsonl FILE), read with Python's own JSON parser, and
the run's output options (--jsonl, --pcap, --pcap-at) as a user meets them.

  test_jsonl.py TCPSIM SCENARIOS_DIR

For a few bundled scenarios, the JSON lines and the text trace of the same run must tell
the same story: one object per text line, in order, with the same time, WHO, event and
segment text; every line of an event kind has the same keys in the same order; relative
and absolute numbers agree. Each check prints "ok - ..." or "not ok - ...".
"""
import json
import os
import subprocess
import sys
import tempfile

TCPSIM, SCENARIOS = sys.argv[1], sys.argv[2]
results = []


def check(name, cond, detail=""):
    results.append(bool(cond))
    print(("ok - " if cond else "not ok - ") + name + ("" if cond else f"\n    {detail}"))


def run(*args):
    p = subprocess.run([TCPSIM, *args], capture_output=True, text=True, timeout=120)
    return p.returncode, p.stdout, p.stderr


SEGMENT_KEYS = ["time_ns", "who", "host", "peer", "event", "src", "sport", "dst", "dport",
                "flags", "seq", "seq_abs", "ack", "ack_abs", "win", "len", "urg", "options",
                "tcpdump", "annotation"]
KIND_KEYS = {
    "sent": SEGMENT_KEYS + ["tx", "tx_count"],
    "delivered": SEGMENT_KEYS + ["note", "damage"],
    "dropped": SEGMENT_KEYS + ["reason"],
    "discarded": SEGMENT_KEYS + ["reason"],
    "state": ["time_ns", "who", "host", "peer", "event", "name", "laddr", "lport", "raddr",
              "rport", "from", "to", "cause", "iss"],
    "timer": ["time_ns", "who", "host", "peer", "event", "name", "laddr", "lport", "raddr",
              "rport", "timer", "count", "next_timeout_ns"],
    "cc": ["time_ns", "who", "host", "peer", "event", "name", "laddr", "lport", "raddr",
           "rport", "cwnd", "ssthresh", "cause"],
    "app": ["time_ns", "who", "host", "peer", "event", "name", "laddr", "lport", "raddr",
            "rport", "call", "returned", "result", "errno", "text"],
    "expect": ["time_ns", "who", "host", "peer", "event", "check", "expected", "got", "ok",
               "text"],
    "note": ["time_ns", "who", "host", "peer", "event", "text"],
    "ss": ["time_ns", "who", "host", "peer", "event", "name", "laddr", "lport", "raddr",
           "rport", "state", "recv_q", "send_q", "text"],
}


def text_events(trace):
    """(time_ns, who, event, body) for each event line of a text trace."""
    out = []
    for line in trace.splitlines():
        if line.startswith("#"):
            continue
        t, who, ev, body = line.split(None, 3)
        sec, frac = t.split(".")
        out.append((int(sec) * 10**9 + int(frac), who, ev, body))
    return out


def expected_body(o):
    if o["event"] in ("sent", "delivered", "dropped", "discarded"):
        ann = o["annotation"]
        return o["tcpdump"] + (f" ({ann})" if ann else "")
    if o["event"] in ("app", "expect", "note", "ss"):
        return o["text"]
    return None  # state, timer, cc: checked field by field below


def check_scenario(name, extra=()):
    path = name if os.path.isabs(name) else os.path.join(SCENARIOS, name)
    with tempfile.TemporaryDirectory() as d:
        tpath, jpath = os.path.join(d, "t.trace"), os.path.join(d, "t.jsonl")
        rc, _, err = run("run", path, "-o", tpath, "--jsonl", jpath, *extra)
        check(f"{name}: runs with --jsonl", rc == 0, err)
        trace = open(tpath, encoding="utf-8").read()
        lines = open(jpath, encoding="utf-8").read().splitlines()
    objs = []
    bad = None
    for n, line in enumerate(lines, 1):
        try:
            objs.append(json.loads(line))
        except ValueError as e:
            bad = f"line {n}: {e}: {line[:120]}"
            break
    check(f"{name}: every line is one JSON object", bad is None and objs, bad)
    head, events = objs[0], objs[1:]
    check(f"{name}: header first", head.get("event") == "header" and head.get("version") == 1
          and head.get("format") == "tcpsim-jsonl"
          and [h["name"] for h in head["hosts"]] == ["A", "B"], head)
    texts = text_events(trace)
    check(f"{name}: one object per text trace line", len(events) == len(texts),
          f"{len(events)} objects, {len(texts)} lines")
    mismatch = None
    for o, (t, who, ev, body) in zip(events, texts):
        want = expected_body(o)
        if o["time_ns"] != t or o["who"] != who or o["event"] != ev or \
                (want is not None and want != body):
            mismatch = f"{o}\n    vs {t} {who} {ev} {body}"
            break
    check(f"{name}: same times, hosts, events and bodies as the text trace", mismatch is None,
          mismatch)
    keys_bad = [o for o in events if list(o.keys()) != KIND_KEYS[o["event"]]]
    check(f"{name}: each kind has its keys, in the documented order", not keys_bad,
          keys_bad[:1])
    segs = [o for o in events if o["event"] in ("sent", "delivered", "dropped", "discarded")]
    isn = {}
    for o in events:
        if o["event"] == "state" and o["iss"] is not None:
            isn[(o["laddr"], o["lport"], o["raddr"], o["rport"])] = o["iss"]
    rel_bad = []
    for o in segs:
        base = isn.get((o["src"], o["sport"], o["dst"], o["dport"]))
        if o["seq"] is not None and base is not None and (o["seq_abs"] - base) % 2**32 != o["seq"]:
            rel_bad.append(o)
        if "S" not in o["flags"] and o["flags"] != "none" and "." in o["flags"] and o["ack_abs"] is None:
            rel_bad.append(o)
    check(f"{name}: relative = absolute - ISN (from the state lines)", not rel_bad, rel_bad[:1])
    return events


ev = check_scenario("retransmit/fast-retransmit.scn")
fast = [o for o in ev if o["event"] == "sent" and o["tx"] == "fast"]
check("fast-retransmit: one segment sent with tx fast, annotated",
      len(fast) == 1 and fast[0]["annotation"] == "retransmit: fast" and fast[0]["seq"] == 5841,
      fast)
check("fast-retransmit: cc events included with 'trace cc'", any(o["event"] == "cc" for o in ev))

ev = check_scenario("retransmit/rto-backoff.scn")
rto = [o for o in ev if o["event"] == "sent" and o["tx"] == "rto"]
check("rto-backoff: RTO retransmissions count up", [o["tx_count"] for o in rto] == [1, 2],
      [o["tx_count"] for o in rto])
timers = [o for o in ev if o["event"] == "timer" and o["timer"] == "rto"]
check("rto-backoff: timers carry their next timeout in ns",
      timers and all(isinstance(o["next_timeout_ns"], int) for o in timers), timers[:1])

ev = check_scenario("retransmit/sack-two-holes.scn")
sacks = [opt for o in ev if o["event"] == "sent" for opt in o["options"] if opt["kind"] == "sack"]
check("sack-two-holes: SACK blocks, relative and absolute",
      sacks and all(len(s["blocks"]) == len(s["blocks_abs"]) for s in sacks), sacks[:1])

ev = check_scenario("transfer/zero-window.scn")
check("zero-window: zero windows are in the win field",
      any(o["event"] == "sent" and o["win"] == 0 for o in ev))

check_scenario("faults/rst-injection.scn")
ev = check_scenario("listen/syn-flood-cookies.scn")
check("syn-flood-cookies: ss rows and syncookie SYN-ACKs",
      any(o["event"] == "ss" for o in ev)
      and any(o["event"] == "sent" and o["tx"] == "syncookie" and o["annotation"] == "syncookie"
              for o in ev))
check_scenario("handshake/basic.scn", ("--absolute",))

with tempfile.TemporaryDirectory() as d:
    scn = os.path.join(d, "corrupt.scn")
    open(scn, "w").write("link both delay 10ms\nlink A->B corrupt 20%\n0 B listen 80\n"
                         "0 A connect B:80 as c\n+0 B accept 80 as s\n100ms A send c 20000\n"
                         "+0 B recv s 20000\n")
    ev = check_scenario(scn)
    hurt = [o for o in ev if o["event"] == "delivered" and o["note"] == "corrupted"]
    whole = [o for o in ev if o["event"] == "delivered" and o["note"] != "corrupted"]
    check("corrupted deliveries name the damaged byte and mask; others have none",
          hurt and all(0 <= o["damage"]["offset"] < 20 + 20 + 40 + o["len"]
                       and 1 <= o["damage"]["mask"] <= 255 for o in hurt)
          and all(o["damage"] is None for o in whole), hurt[:1])

# --- the run's output options -----------------------------------------------------
basic = os.path.join(SCENARIOS, "handshake", "basic.scn")
rc, out, err = run("run", basic, "--pcap-at", "B")
check("--pcap-at without --pcap: exit 2", rc == 2 and "--pcap-at needs --pcap" in err, err)
rc, out, err = run("run", basic, "--no-trace", "--pcap", "-", "--jsonl", "-")
check("two outputs to standard output: exit 2", rc == 2 and "standard output" in err, err)
with tempfile.TemporaryDirectory() as d:
    rc, out, err = run("run", basic, "--pcap", os.path.join(d, "x.pcap"), "--pcap-at", "C")
    check("an unknown capture point: exit 2, the points named, no file",
          rc == 2 and 'expected a host (A, B) or "sent" or "delivered"' in err
          and os.listdir(d) == [], err)
    forever = os.path.join(d, "forever.scn")
    open(forever, "w").write("0 B listen 80\n0 A connect B:80 as c\n+0 B accept 80 as s\n"
                             "1s A option c keepalive keepidle 1 keepintvl 1\n")
    rc, out, err = run("run", forever, "-o", os.path.join(d, "t"), "--jsonl", os.path.join(d, "j"),
                       "--pcap", os.path.join(d, "p"), "--max-events", "5000")
    check("a run that fails writes no half output: no trace, JSON lines or pcap",
          rc == 2 and os.listdir(d) == ["forever.scn"], os.listdir(d))
    outs = []
    for i in range(2):
        run("run", basic, "-q", "--no-trace", "--jsonl", os.path.join(d, f"{i}.jsonl"),
            "--pcap", os.path.join(d, f"{i}.pcap"))
        outs.append((open(os.path.join(d, f"{i}.jsonl"), "rb").read(),
                     open(os.path.join(d, f"{i}.pcap"), "rb").read()))
    check("two runs write byte-identical JSON lines and pcap", outs[0] == outs[1])
    check("the pcap starts with the nanosecond magic, little-endian, link type 101",
          outs[0][1][:4] == bytes([0x4d, 0x3c, 0xb2, 0xa1])
          and outs[0][1][20:24] == bytes([101, 0, 0, 0]), outs[0][1][:24])
p = subprocess.run([TCPSIM, "run", basic, "-q", "--no-trace", "--pcap", "-"], capture_output=True,
                   timeout=120)
check("--pcap - writes the capture to standard output", p.returncode == 0
      and p.stdout == outs[0][1], p.stderr)
rc, out, err = run("run", "--help")
check("run --help documents --jsonl, --pcap and --pcap-at",
      "--jsonl" in out and "--pcap " in out and "--pcap-at" in out, out)

passed = sum(results)
failed = len(results) - passed
print(f"CUNIT-SUMMARY passed={passed} failed={failed}")
sys.exit(1 if failed else 0)
