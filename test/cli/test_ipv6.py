#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Every bundled scenario over both families (issue 15).

  test_ipv6.py TCPSIM SOURCE_ROOT

For each bundled scenario:

1. `run` and `run --ip-version ipv6-same-mss` give the same trace, line for line, once
   exactly this is normalised:
     - an IPv4 address a.b.c.d in the IPv4 trace is written as the IPv6 address the option
       gives it (2001:db8::a.b.c.d; a forged flood source, which belongs to no host,
       64:ff9b::a.b.c.d, RFC 6052);
     - an IPv6 socket address in brackets, [ADDR]:PORT, is written ADDR:PORT;
     - runs of spaces are one space (ss pads its columns to the address's width);
     - the header's "# hosts" and "# ip-version" lines are left out;
     - what is a keyed hash of the addresses, and so must differ between the families:
       the ISN ("iss N", RFC 6528 §3), the timestamp offset (TS val and a non-zero TS
       ecr, Linux's secure_tcp_ts_off()), and the ephemeral port a connect picks
       (RFC 6056 §3.3.4): ports are renamed in order of first appearance (p1, p2, ...) in
       each trace, so the two must use them in the same pattern.
   ipv6-same-mss makes every MTU 20 bytes larger, so the MSS, segment sizes, windows and
   everything that follows from them are IPv4's: any other difference is a defect.
   ipv6-same-mss also has the links charge each IPv6 packet its IPv4 size (serialization,
   queue, MTU), so that a rate-limited link times both families alike. The EXCEPTIONS
   below differ by design (a port hash, a per-family SYN cookie table): they are only run.
2. `run --ip-version ipv6` (MTUs as written) runs to the end (exit 0 or 1: an expect may
   count segments that IPv6's smaller MSS changes), and the first SYN of each run that
   announces an MSS announces 20 bytes less than over IPv4 (1440 for 1460).

Each check prints "ok - ..." or "not ok - ...".
"""
import ipaddress
import os
import re
import subprocess
import sys
import tempfile

TCPSIM, ROOT = os.path.abspath(sys.argv[1]), os.path.abspath(sys.argv[2])
results = []


def check(name, cond, detail=""):
    results.append(bool(cond))
    print(("ok - " if cond else "not ok - ") + name + ("" if cond else f"\n    {detail}"))


def bundled():
    with open(os.path.join(ROOT, "scenarios", "meson.build")) as f:
        text = f.read()
    block = text[text.index("bundled_scenarios = ["):]
    block = block[:block.index("]")]
    return re.findall(r"'([^']+)'", block)


def run(scn, out, *extra):
    p = subprocess.run([TCPSIM, "run", os.path.join(ROOT, "scenarios", scn + ".scn"), "-q",
                        "-o", out, *extra], capture_output=True, text=True, timeout=300)
    return p.returncode, p.stderr


V4 = re.compile(r"(?<![0-9.:a-f])(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})(?![0-9])")


def v6_of(m, host_addrs):
    v4 = ipaddress.IPv4Address(".".join(m.groups()))
    prefix = "2001:db8::" if str(v4) in host_addrs else "64:ff9b::"
    v6 = str(ipaddress.IPv6Address(int(ipaddress.IPv6Address(prefix)) + int(v4)))
    rest = m.string[m.end():]
    # An address with a port after a colon (ss, connect) is bracketed, as IPv6's are.
    return f"[{v6}]" if re.match(r":\d", rest) else v6


# Scenarios whose story differs by family, and why: they are run, not compared.
EXCEPTIONS = {
    # Where the ephemeral port hash (RFC 6056, over the addresses) lands for 10.0.0.1.
    "handshake/self-connect": "its third connect lands on port 40008, its own listener's",
    # Linux's SYN cookies encode the MSS by a per-family table (IPv6: 1220, 1420, 1440,
    # 8940; IPv4: 536, 1300, 1440, 1460): the peer's 1300 comes back as 1220.
    "listen/syncookie-options": "the cookie's MSS table is IPv6's",
}
# Already IPv6 (dual-stack): ipv6-same-mss changes its MTUs, which is what it is about.
ALREADY_V6 = {"handshake/ipv6"}

ENDPOINT = re.compile(r"((?:[0-9a-f]*:)+[0-9a-f.]*?)(\.|\]:)(\d+)(?![0-9])")


def rename_ports(line, names):
    def sub(m):
        port = m.group(3)
        if port not in names:
            names[port] = f"p{len(names) + 1}"
        return m.group(1) + m.group(2) + names[port]
    return ENDPOINT.sub(sub, line)


# Lines printed in tuple order at one instant (a crash closes every connection, sorted
# by tuple): their order follows the ports.
SORTED_BY_TUPLE = re.compile(r"\(host crashed\)$")


def normalise(path, v4):
    with open(path) as f:
        lines = f.read().splitlines()
    hosts = set()
    for line in lines:
        if line.startswith("# hosts "):
            hosts = {w.split("=", 1)[1] for w in line.split()[2:]}
    out = []
    names = {}
    for line in lines:
        if line.startswith(("# hosts ", "# ip-version ")):
            continue
        if v4:
            line = re.sub(r"(flood: .* from \S+)/(\d+)$",
                          lambda m: f"{m.group(1)}/{int(m.group(2)) + 96}", line)
            # "0.010000000" is a time, not an address: only four-part numbers qualify. An
            # address with a port after a colon (ss, connect) is bracketed as IPv6's are.
            line = V4.sub(lambda m: v6_of(m, hosts), line)
        line = re.sub(r"iss \d+", "iss *", line)
        line = re.sub(r"TS val \d+ ecr (\d+)",
                      lambda m: "TS val * ecr " + ("0" if m.group(1) == "0" else "*"), line)
        if re.search(r"Flags \[R\.?\], seq \d{6,}", line):
            line = re.sub(r"seq \d+", "seq *", line)  # absolute: the ISN's side of a reset
        line = rename_ports(line, names)
        out.append(re.sub(r" +", " ", line))
    # A run of lines sorted by tuple is compared as a set.
    i = 0
    while i < len(out):
        j = i
        while j < len(out) and SORTED_BY_TUPLE.search(out[j]):
            j += 1
        out[i:j] = sorted(out[i:j])
        i = max(j, i + 1)
    return out


def first_syn_mss(path):
    with open(path) as f:
        for line in f:
            m = re.search(r"Flags \[S\].*options \[mss (\d+)", line)
            if m and " sent " in line:
                return int(m.group(1))
    return None


scns = bundled()
diverged = []
mss_bad = []
run_bad = []
with tempfile.TemporaryDirectory() as tmp:
    for scn in scns:
        a = os.path.join(tmp, "v4.trace")
        b = os.path.join(tmp, "v6same.trace")
        c = os.path.join(tmp, "v6.trace")
        ra, ea = run(scn, a)
        rb, eb = run(scn, b, "--ip-version", "ipv6-same-mss")
        rc, ec = run(scn, c, "--ip-version", "ipv6")
        if ra not in (0, 1) or rb not in (0, 1) or rc not in (0, 1):
            run_bad.append(f"{scn}: exit {ra}/{rb}/{rc}: {(ea or eb or ec).strip()[:200]}")
            continue
        if scn in EXCEPTIONS or scn in ALREADY_V6:
            continue
        if ra != rb:
            diverged.append(f"{scn}: exit {ra} over IPv4, {rb} over IPv6")
            continue
        na, nb = normalise(a, True), normalise(b, False)
        if na != nb:
            i = next((k for k in range(min(len(na), len(nb))) if na[k] != nb[k]),
                     min(len(na), len(nb)))
            diverged.append(f"{scn}: line {i + 1}:\n      v4: {na[i] if i < len(na) else '(end)'}"
                            f"\n      v6: {nb[i] if i < len(nb) else '(end)'}")
        with open(c) as f:
            if "# ip-version ipv6\n" not in f.read(2000):
                run_bad.append(f"{scn}: the IPv6 trace's header does not say # ip-version ipv6")
        m4, m6 = first_syn_mss(a), first_syn_mss(c)
        if m4 is not None and m6 != m4 - 20:
            mss_bad.append(f"{scn}: first SYN mss {m4} over IPv4, {m6} over IPv6")

check(f"all {len(scns)} bundled scenarios run over IPv4, IPv6, and ipv6-same-mss",
      not run_bad, "\n    ".join(run_bad))
check(f"over IPv6 with MTUs 20 bytes larger, the trace is IPv4's but for the addresses "
      f"({len(scns) - len(EXCEPTIONS) - len(ALREADY_V6)} compared; {len(EXCEPTIONS)} "
      f"exceptions: {', '.join(sorted(EXCEPTIONS))})",
      not diverged, "\n    ".join(diverged[:10]) + (f"\n    ... {len(diverged)} in all"
                                                     if len(diverged) > 10 else ""))
check("over IPv6 the first SYN announces an MSS 20 bytes smaller (1440 for 1460)",
      not mss_bad, "\n    ".join(mss_bad[:10]))
sys.exit(0 if all(results) else 1)
