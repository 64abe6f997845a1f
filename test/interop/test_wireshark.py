#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""tcpsim's pcap as tcpdump and tshark read it.

  test_wireshark.py TCPSIM SCENARIOS_DIR

For a few bundled scenarios, captured at a host (tcpsim run --pcap --pcap-at):

  tcpdump  reads every packet with no complaint, finds every TCP checksum correct
           (-vvv), and its text (relative, -S, nanosecond) agrees with the run's trace
           under tcpsim diff;
  tshark   reads every packet with IP and TCP checksums good, no malformed packet, no
           error, no warning the run does not explain (zero window, window full, a
           segment the link lost before the capture point), and its TCP analysis flags
           (retransmission, fast_retransmission, duplicate_ack, zero_window) fall on
           exactly the frames the trace says.

What the trace says, from the run's JSON lines at the same capture point: a
retransmission is a segment sent with tx rto, fast, recovery, tlp, rack or syn_answer, or
one delivered that is the copy of such a segment (the latest sent that reads alike)
when the capture saw that data before (a receiver cannot tell a retransmission whose
original was lost on the way); a fast retransmission is one sent with tx fast, or with
tx rack when it resends the sequence number that two or more duplicate ACKs just
repeated (tshark names one by timing: within 20 ms of the duplicate ACKs it saw, which
only holds at the sender; at a receiver its fast retransmissions need only be
retransmissions); a zero
window is a segment with win 0 and no SYN, FIN or
RST; a duplicate ACK is RFC 5681 §2's, on the segments the capture holds: no data, no
SYN, FIN or RST, the same acknowledgment as the greatest before it in that direction,
the same window, and data outstanding the other way.

TCP reassembly is turned off in tshark (tcp.desegment_tcp_streams): the pattern payload
sent to port 80 is not HTTP, and with reassembly on Wireshark holds every segment in an
HTTP request that never ends and calls any retransmission into it an overlap error, as
it does in real captures. A separate run with reassembly on checks only that no
retransmitted byte conflicts with the original.

Exits 77 (meson's "skipped") when neither tool is installed; runs the part it can when
only one is.
"""
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile

TCPSIM, SCENARIOS = os.path.abspath(sys.argv[1]), os.path.abspath(sys.argv[2])
TSHARK, TCPDUMP = shutil.which("tshark"), shutil.which("tcpdump")
if not TSHARK and not TCPDUMP:
    print("SKIP: neither tshark nor tcpdump is installed")
    sys.exit(77)

results = []


def check(name, cond, detail=""):
    results.append(bool(cond))
    print(("ok - " if cond else "not ok - ") + name + ("" if cond else f"\n    {detail}"))


def run(*cmd):
    p = subprocess.run(cmd, capture_output=True, text=True, timeout=300)
    return p.returncode, p.stdout, p.stderr


RETRANSMIT = {"rto", "fast", "recovery", "tlp", "rack", "syn_answer"}
WARNINGS_EXPLAINED = {"TCP Zero Window segment",
                      "TCP window specified by the receiver is now completely full"}
SEVERITY_WARN, SEVERITY_ERROR = 6291456, 8388608


def captured(events, host):
    """The segment events a capture at `host` holds, in order (as sink_pcap.c)."""
    out = []
    for o in events:
        if o["event"] == "sent" and o["host"] == host:
            out.append(o)
        elif o["event"] == "delivered" and o["peer"] == host and o["host"] != host:
            out.append(o)
    return out


def expected_flags(events, frames):
    """Frame numbers (1-based) the trace marks, by tshark's flag names."""
    flags = {k: set() for k in ("retransmission", "fast_retransmission", "duplicate_ack",
                                "zero_window")}
    last_sent = {}  # a delivered segment is the copy of the latest sent one that reads alike
    tx_of = {}
    for o in events:
        if o["event"] == "sent":
            last_sent[o["tcpdump"]] = o["tx"]
        elif o["event"] == "delivered":
            tx_of[id(o)] = last_sent.get(o["tcpdump"])
    sent_end = {}  # direction -> highest relative end seen in the capture
    last_ack = {}  # direction -> (greatest ack, its window)
    dups = {}  # direction -> duplicate ACKs of that greatest ack so far
    for n, o in enumerate(frames, 1):
        d = (o["src"], o["sport"], o["dst"], o["dport"])
        rev = (o["dst"], o["dport"], o["src"], o["sport"])
        f = o["flags"]
        tx = o["tx"] if o["event"] == "sent" else tx_of.get(id(o))
        seen_before = o["seq"] is not None and o["seq"] < sent_end.get(d, 0)
        if tx in RETRANSMIT and (o["event"] == "sent" or seen_before):
            flags["retransmission"].add(n)
        if tx == "fast" and o["event"] == "sent":
            flags["fast_retransmission"].add(n)
        if (tx == "rack" and o["event"] == "sent" and dups.get(rev, 0) >= 2
                and last_ack.get(rev, (None,))[0] == o["seq"]):
            flags["fast_retransmission"].add(n)
        if o["win"] == 0 and not set("SFR") & set(f):
            flags["zero_window"].add(n)
        if o["seq"] is not None:
            end = o["seq"] + o["len"] + ("S" in f) + ("F" in f)
            sent_end[d] = max(sent_end.get(d, 0), end)
        if o["ack"] is None:
            continue
        prev = last_ack.get(d)
        # Wireshark counts a repeated ACK as a duplicate with data outstanding, or when it
        # reports a duplicate in a D-SACK block (RFC 2883: a receiver's answer to a
        # retransmission it already had, such as a tail loss probe's).
        outstanding = sent_end.get(rev, 0) > o["ack"] or dsack(o)
        if (prev is not None and o["len"] == 0 and not set("SFR") & set(f)
                and o["ack"] == prev[0] and o["win"] == prev[1] and outstanding):
            flags["duplicate_ack"].add(n)
            dups[d] = dups.get(d, 0) + 1
        elif prev is None or o["ack"] > prev[0]:
            dups[d] = 0
        if prev is None or o["ack"] >= prev[0]:
            last_ack[d] = (o["ack"], o["win"])
    return flags


def dsack(o):
    """Whether the segment's first SACK block lies below its ACK (RFC 2883 §4, a D-SACK)."""
    m = re.search(r"sack \d+ \{(\d+):(\d+)\}", o.get("tcpdump", ""))
    return bool(m) and o["ack"] is not None and int(m.group(2)) <= o["ack"]


def explained(message, frame, events, frames):
    """A warning the trace accounts for."""
    if message in WARNINGS_EXPLAINED:
        return True
    if message == "D-SACK Sequence":
        return dsack(frames[frame - 1])
    if message.startswith("Previous segment(s) not captured"):
        o = frames[frame - 1]  # the link lost one before it, in that direction
        return any(e["event"] == "dropped" and e["src"] == o["src"] and e["dst"] == o["dst"]
                   and e["time_ns"] <= o["time_ns"] for e in events)
    return False


FIELDS = ["frame.number", "ip.version", "ipv6.plen", "ip.checksum.status", "tcp.checksum.status",
          "_ws.malformed",
          "_ws.expert.message", "_ws.expert.severity", "tcp.analysis.retransmission",
          "tcp.analysis.fast_retransmission", "tcp.analysis.duplicate_ack",
          "tcp.analysis.zero_window"]


def tshark_rows(pcap, *prefs):
    cmd = [TSHARK, "-r", pcap, "-n", "-T", "fields", "-E", "separator=\t", "-E", "aggregator=|",
           "-E", "occurrence=a", "-o", "tcp.check_checksum:TRUE", "-o", "ip.check_checksum:TRUE"]
    for p in prefs:
        cmd += ["-o", p]
    for f in FIELDS:
        cmd += ["-e", f]
    rc, out, err = run(*cmd)
    rows = [dict(zip(FIELDS, line.split("\t"))) for line in out.splitlines()]
    return rc, rows, err


def check_tshark(name, pcap, events, frames):
    rc, rows, err = tshark_rows(pcap, "tcp.desegment_tcp_streams:FALSE")
    check(f"{name}: tshark reads {len(frames)} frames", rc == 0 and len(rows) == len(frames),
          f"rc {rc}, {len(rows)} rows; {err[-300:]}")
    # IPv6 has no header checksum (RFC 8200 §3): its payload length must be the TCP
    # segment's, and the TCP checksum (over the §8.1 pseudo-header) good.
    v6 = [r for r in rows if r["ipv6.plen"]]
    bad_sum = [r["frame.number"] for r in rows
               if (r["ip.checksum.status"] != "1" and not r["ipv6.plen"])
               or r["tcp.checksum.status"] != "1"]
    check(f"{name}: every IP and TCP checksum is good ({len(v6)} IPv6 packets)", not bad_sum,
          bad_sum[:5])
    malformed = [r["frame.number"] for r in rows if r["_ws.malformed"]]
    check(f"{name}: no malformed packet", not malformed, malformed[:5])
    unexplained = []
    for r in rows:
        msgs = r["_ws.expert.message"].split("|") if r["_ws.expert.message"] else []
        sevs = r["_ws.expert.severity"].split("|") if r["_ws.expert.severity"] else []
        for m, s in zip(msgs, sevs):
            n = int(r["frame.number"])
            if int(s) >= SEVERITY_ERROR or (int(s) >= SEVERITY_WARN
                                            and not explained(m, n, events, frames)):
                unexplained.append((n, m))
    check(f"{name}: no error; no warning the trace does not explain", not unexplained,
          unexplained[:5])
    want = expected_flags(events, frames)
    sent = {n for n, o in enumerate(frames, 1) if o["event"] == "sent"}
    for flag, frames_wanted in want.items():
        got = {int(r["frame.number"]) for r in rows if r[f"tcp.analysis.{flag}"]}
        if flag == "fast_retransmission":  # judged where the retransmission is sent
            assert_subset = got - sent <= want["retransmission"]
            got &= sent
        else:
            assert_subset = True
        check(f"{name}: tshark's {flag} frames are the trace's ({len(frames_wanted)})",
              got == frames_wanted and assert_subset,
              f"tshark {sorted(got)}, trace {sorted(frames_wanted)}")
    rc, rows, err = tshark_rows(pcap)
    conflicts = [r["frame.number"] for r in rows if "Conflicting data" in r["_ws.expert.message"]]
    check(f"{name}: with reassembly on, no retransmitted byte differs from the original",
          rc == 0 and not conflicts, conflicts[:5])


def check_tcpdump(name, pcap, trace, frames, host, work):
    rc, out, err = run(TCPDUMP, "-n", "-r", pcap)
    noise = [l for l in err.splitlines() if not l.startswith("reading from file ")]
    lines = out.splitlines()
    check(f"{name}: tcpdump reads {len(frames)} packets without complaint",
          rc == 0 and not noise and len(lines) == len(frames)
          and not any(re.search(r"\[\|tcp\]|bad |truncated|invalid", l) for l in lines),
          f"rc {rc}, {len(lines)} lines, stderr {noise[:3]}")
    rc, out, err = run(TCPDUMP, "-n", "-vvv", "-r", pcap)
    correct = len(re.findall(r"cksum 0x[0-9a-f]+ \(correct\)", out))
    check(f"{name}: tcpdump -vvv finds every TCP checksum correct",
          rc == 0 and correct == len(frames) and "incorrect" not in out, f"{correct} correct")
    for flags in (["-n"], ["-n", "-S", "-tt"], ["-n", "-tttt", "--nano"]):
        rc, out, err = run(TCPDUMP, *flags, "-r", pcap)
        txt = os.path.join(work, "dump.txt")
        open(txt, "w").write(out)
        rc, dout, derr = run(TCPSIM, "diff", "--pcap-at", host, trace, txt)
        check(f"{name}: tcpdump {' '.join(flags)} text agrees with the trace (tcpsim diff)",
              rc == 0, (dout + derr)[-600:])


# IPv6 (issue 15): the same raw-IP link type carries IPv6 packets; a bundled scenario run
# with --ip-version ipv6, and the dual-stack handshake/ipv6 (both families in one capture).
V6 = ["--ip-version", "ipv6"]
V6_SAME = ["--ip-version", "ipv6-same-mss"]  # IPv4's segment sizes: the same story
CASES = [
    ("retransmit/fast-retransmit.scn", "A", []),
    ("retransmit/fast-retransmit.scn", "B", []),
    ("transfer/zero-window.scn", "A", []),
    ("transfer/zero-window.scn", "B", []),
    ("retransmit/rto-backoff.scn", "A", []),
    ("retransmit/rto-backoff.scn", "B", []),
    ("retransmit/sack-two-holes.scn", "A", []),
    ("retransmit/sack-two-holes.scn", "B", []),
    ("handshake/basic.scn", "A", []),
    ("handshake/ipv6.scn", "A", []),
    ("retransmit/fast-retransmit.scn", "A", V6),
    ("retransmit/sack-two-holes.scn", "B", V6_SAME),
    ("transfer/zero-window.scn", "B", V6),
]

work = tempfile.mkdtemp(prefix="tcpsim-wireshark-")
for scenario, host, extra in CASES:
    name = f"{scenario} at {host}" + (" over IPv6" if extra else "")
    pcap, trace, jsonl = (os.path.join(work, f) for f in ("x.pcap", "x.trace", "x.jsonl"))
    rc, out, err = run(TCPSIM, "run", os.path.join(SCENARIOS, scenario), "-q", "-o", trace,
                       "--jsonl", jsonl, "--pcap", pcap, "--pcap-at", host, *extra)
    check(f"{name}: runs", rc == 0, err)
    events = [json.loads(l) for l in open(jsonl)][1:]
    frames = captured(events, host)
    if TCPDUMP:
        check_tcpdump(name, pcap, trace, frames, host, work)
    if TSHARK:
        check_tshark(name, pcap, events, frames)

# Every bundled scenario's capture reads without one expert error: bulk and lossy runs
# use port 9 (discard), which no dissector desegments, so their pattern payload is not
# taken for a malformed HTTP stream (issue 18), and nothing else is malformed.
if TSHARK:
    for d in sorted(os.listdir(SCENARIOS)):
        if d == "lectures" or not os.path.isdir(os.path.join(SCENARIOS, d)):
            continue
        for f in sorted(os.listdir(os.path.join(SCENARIOS, d))):
            if not f.endswith(".scn"):
                continue
            pcap = os.path.join(work, "all.pcap")
            rc, out, err = run(TCPSIM, "run", os.path.join(SCENARIOS, d, f), "-q", "--no-trace",
                               "--pcap", pcap)
            rc2, rows, err2 = run(TSHARK, "-r", pcap, "-q", "-z", "expert,error")
            errors = [l for l in rows.splitlines() if l.strip() and l.split()[0].isdigit()]
            check(f"{d}/{f}: tshark -z expert finds no error in its capture",
                  rc in (0, 1) and rc2 == 0 and not errors, "\n".join(errors)[:300] or err2)
shutil.rmtree(work)

passed = sum(results)
failed = len(results) - passed
print(f"CUNIT-SUMMARY passed={passed} failed={failed}")
sys.exit(1 if failed else 0)
