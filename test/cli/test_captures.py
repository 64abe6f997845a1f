#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Captures out: gzip-compressed outputs (-o x.trace.gz, --jsonl x.jsonl.gz, --pcap x.gz)
and pcapng (--pcapng) with host names and a comment per packet, read back by a small
pcapng reader here and, when installed, by tshark.

  test_captures.py TCPSIM SOURCE_ROOT

Each check prints "ok - ..." or "not ok - ...".
"""
import gzip
import os
import shutil
import struct
import subprocess
import sys
import tempfile

TCPSIM, ROOT = os.path.abspath(sys.argv[1]), os.path.abspath(sys.argv[2])
SCN = os.path.join(ROOT, "scenarios")
LOSSY = os.path.join(ROOT, "docs/examples/sweep/lossy.scn")
results = []


def check(name, cond, detail=""):
    results.append(bool(cond))
    print(("ok - " if cond else "not ok - ") + name + ("" if cond else f"\n    {detail}"))


def run(*args):
    p = subprocess.run([TCPSIM, *args], capture_output=True, timeout=120)
    return p.returncode, p.stdout, p.stderr.decode()


def read(path):
    with open(path, "rb") as f:
        return f.read()


def pcapng_blocks(data):
    """(type, body) of every block; checks each block's two lengths agree."""
    out, off = [], 0
    while off < len(data):
        btype, blen = struct.unpack_from("<II", data, off)
        assert blen % 4 == 0 and struct.unpack_from("<I", data, off + blen - 4)[0] == blen
        out.append((btype, data[off + 8:off + blen - 4]))
        off += blen
    return out


def options(buf):
    opts, off = [], 0
    while off + 4 <= len(buf):
        code, n = struct.unpack_from("<HH", buf, off)
        if code == 0:
            break
        opts.append((code, buf[off + 4:off + 4 + n]))
        off += 4 + n + (4 - n % 4) % 4
    return opts


w = tempfile.mkdtemp()
try:
    basic = os.path.join(SCN, "handshake/basic.scn")
    p = lambda n: os.path.join(w, n)
    rc, plain, _ = run("run", basic, "-q")
    rc1, _, e1 = run("run", basic, "-q", "-o", p("a.trace.gz"), "--jsonl", p("a.jsonl.gz"),
                     "--pcap", p("a.pcap.gz"))
    run("run", basic, "-q", "-o", p("b.trace.gz"), "--no-trace", "--jsonl", p("a.jsonl"),
        "--pcap", p("a.pcap"))
    run("run", basic, "-q", "-o", p("b.trace.gz"))
    check("-o x.trace.gz writes gzip, and it holds the plain trace",
          rc1 == 0 and read(p("a.trace.gz"))[:2] == b"\x1f\x8b" and
          gzip.decompress(read(p("a.trace.gz"))) == plain, e1)
    check("the same run gives the same compressed bytes",
          read(p("a.trace.gz")) == read(p("b.trace.gz")))
    check("--jsonl x.jsonl.gz and --pcap x.pcap.gz too",
          gzip.decompress(read(p("a.jsonl.gz"))) == read(p("a.jsonl")) and
          gzip.decompress(read(p("a.pcap.gz"))) == read(p("a.pcap")))
    rc, out, err = run("diff", p("a.trace.gz"), os.path.join(SCN, "handshake/basic.trace"))
    check("diff reads the compressed trace", rc == 0, out.decode() + err)

    # pcapng on the lossy example: every packet of the classic capture, with comments.
    args = ["run", LOSSY, "--param", "LOSS=5%", "-q"]
    rc, trace, _ = run(*args)
    run(*args, "--no-trace", "--pcap", p("l.pcap"))
    rc, _, err = run(*args, "--no-trace", "--pcapng", p("l.pcapng"))
    blocks = pcapng_blocks(read(p("l.pcapng")))
    types = [t for t, _ in blocks]
    check("pcapng: a section header, an interface, host names, then packets",
          rc == 0 and types[:3] == [0x0A0D0D0A, 1, 4] and set(types[3:]) == {6}, err or types[:5])
    idb = dict(options(blocks[1][1][8:]))
    check("pcapng: the interface is the capture point (host A), in nanoseconds",
          idb.get(2) == b"A" and idb.get(9) == b"\x09", idb)
    nrb = blocks[2][1]
    check("pcapng: the hosts' names for their addresses",
          b"\x0a\x00\x00\x01A\x00" in nrb and b"\x0a\x00\x00\x02B\x00" in nrb, nrb)
    classic = read(p("l.pcap"))
    recs, off = [], 24
    while off < len(classic):
        n = struct.unpack_from("<I", classic, off + 8)[0]
        recs.append(classic[off + 16:off + 16 + n])
        off += 16 + n
    epbs = [b for t, b in blocks if t == 6]
    pkts = [b[20:20 + struct.unpack_from("<I", b, 12)[0]] for b in epbs]
    check("pcapng: the same packets as the classic capture, byte for byte",
          pkts == recs, (len(pkts), len(recs)))
    comments = []
    for b in epbs:
        n = struct.unpack_from("<I", b, 12)[0]
        o = dict(options(b[20 + n + (4 - n % 4) % 4:]))
        comments.append((o.get(1, b"").decode(), struct.unpack("<I", o[2])[0] if 2 in o else None))
    retrans_trace = sum(1 for ln in trace.decode().splitlines()
                        if " A->B sent " in ln and "(retransmit" in ln)
    retrans_ng = sum(1 for c, _ in comments if c.startswith("A->B sent: retransmit"))
    check("pcapng: each retransmission's comment says so, as the trace does",
          retrans_ng == retrans_trace > 0, (retrans_ng, retrans_trace))
    check("pcapng: direction flags from host A's interface (2 outbound, 1 inbound)",
          all((f == 2) == c.startswith("A->B sent") for c, f in comments), comments[:3])
    rc, _, err = run(*args, "--no-trace", "--pcapng", p("x.pcapng"), "--pcap", p("x.pcap"))
    check("--pcap and --pcapng together are refused", rc == 2 and "one capture" in err, err)

    # Captures in: tcpsim diff reads pcap and pcapng (libpcap), whatever the link layer.
    golden = os.path.join(SCN, "handshake/basic.trace")
    run("run", basic, "-q", "--no-trace", "--pcapng", p("a.pcapng"))
    rc, out, err = run("diff", "--help")
    if b"pcapng captures" not in out:
        print("# this tcpsim reads no captures (built without libpcap): skipped")
    else:
        for name in ["a.pcap", "a.pcapng", "a.pcap.gz"]:
            rc, out, err = run("diff", golden, p(name))
            check(f"diff reads {name} directly and it agrees with the golden trace",
                  rc == 0 and b"agree: 10 events" in out, out.decode() + err)
        # The same packets behind Ethernet (one with an 802.1Q tag) and an ARP frame.
        eth = bytearray(struct.pack("<IHHiIII", 0xa1b23c4d, 2, 4, 0, 0, 65535, 1))
        arp = b"\xff" * 6 + b"\x02" * 6 + b"\x08\x06" + b"\x00" * 28
        data = read(p("a.pcap"))
        off, k = 24, 0
        while off < len(data):
            sec, ns, n, _ = struct.unpack_from("<IIII", data, off)
            pkt = data[off + 16:off + 16 + n]
            hdr = b"\x02" * 12 + (b"\x81\x00\x00\x05" if k == 1 else b"") + b"\x08\x00"
            frame = hdr + pkt
            eth += struct.pack("<IIII", sec, ns, len(frame), len(frame)) + frame
            if k == 0:
                eth += struct.pack("<IIII", sec, ns, len(arp), len(arp)) + arp
            off += 16 + n
            k += 1
        with open(p("eth.pcap"), "wb") as f:
            f.write(eth)
        rc, out, err = run("diff", golden, p("eth.pcap"))
        check("diff reads an Ethernet capture (a VLAN tag, an ARP frame left out)",
              rc == 0 and b"agree: 10 events" in out, out.decode() + err)
        if shutil.which("tcpdump"):
            t = subprocess.run(["tcpdump", "-n", "-tt", "-r", p("l.pcap")], capture_output=True,
                               timeout=120)
            with open(p("l.txt"), "wb") as f:
                f.write(t.stdout)
            rc, out, err = run("diff", p("l.txt"), p("l.pcap"))
            check("the capture read directly is what tcpdump -n prints of it",
                  rc == 0 and b"agree" in out, out.decode()[:300] + err)
        with open(basic) as f:
            ported = f.read().replace("A connect B:80 as c", "A connect B:80 from 5555 as c")
        with open(p("port.scn"), "w") as f:
            f.write(ported)
        run("run", p("port.scn"), "-q", "--no-trace", "--pcap", p("port.pcap"))
        rc, out, err = run("diff", golden, p("port.pcap"))
        check("a capture whose only difference is its ports: diff says --ignore ports",
              rc == 1 and b"compare with --ignore ports" in out, out.decode()[-300:])
        rc, out, err = run("diff", golden, p("port.pcap"), "--ignore", "ports")
        check("... and with it they agree", rc == 0, out.decode()[-200:])
        with open(p("junk.pcap"), "wb") as f:
            f.write(bytes.fromhex("d4c3b2a1") + b"\x02\x00")
        rc, out, err = run("diff", golden, p("junk.pcap"))
        check("a truncated capture is an error (exit 2) naming the file",
              rc == 2 and "junk.pcap" in err, err)

    if shutil.which("tshark"):
        t = subprocess.run(["tshark", "-r", p("l.pcapng"), "-N", "n", "-T", "fields", "-e",
                            "ip.src_host", "-e", "frame.comment"],
                           capture_output=True, text=True, timeout=120)
        first = t.stdout.splitlines()[0].split("\t") if t.stdout else []
        check("tshark reads the pcapng: host names and comments",
              t.returncode == 0 and first == ["A", "A->B sent"], t.stdout[:200] + t.stderr)
        t = subprocess.run(["tshark", "-r", p("l.pcapng"), "-q", "-z", "expert,error"],
                           capture_output=True, text=True, timeout=120)
        check("tshark finds no error in the lossy example's capture (port 9, no dissector)",
              t.returncode == 0 and "Malformed" not in t.stdout and "Errors (" not in t.stdout,
              t.stdout)
    else:
        print("# tshark not installed: the Wireshark checks are skipped")
finally:
    shutil.rmtree(w)

print(f"{sum(results)} passed, {len(results) - sum(results)} failed")
sys.exit(0 if all(results) else 1)
