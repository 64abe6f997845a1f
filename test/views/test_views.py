#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""The views as a user meets them: the ladder (text and SVG), the plots, explain mode,
their options and errors.

  test_views.py TCPSIM SCENARIOS_DIR

Each SVG must be well-formed XML and hold exactly the arrows the trace says it should;
every output must be byte-identical from one run to the next. Each check prints
"ok - ..." or "not ok - ..."; the summary line counts them.
"""
import os
import re
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET

TCPSIM, SCENARIOS = sys.argv[1], sys.argv[2]
SVG = "{http://www.w3.org/2000/svg}"
results = []


def run(*args):
    p = subprocess.run([TCPSIM, *args], capture_output=True, text=True, timeout=300)
    return p.returncode, p.stdout, p.stderr


def check(name, cond, detail=""):
    results.append(bool(cond))
    print(("ok - " if cond else "not ok - ") + name + ("" if cond else f"\n    {detail}"))


def scn(name):
    return os.path.join(SCENARIOS, name + ".scn")


def read(path):
    with open(path, encoding="utf-8") as f:
        return f.read()


def trace_events(name, *extra):
    """(time, who, event, body) of each line of the text trace."""
    rc, out, err = run("run", scn(name), "-q", *extra)
    assert rc in (0, 1), err
    lines = []
    for line in out.splitlines():
        if line.startswith("#"):
            continue
        t, who, ev, body = line.split(None, 3)
        lines.append((t, who, ev, body))
    return lines


def group(root, gid):
    for g in root.iter(SVG + "g"):
        if g.get("id") == gid:
            return g
    return None


def ladder_arrows(svg_path):
    """Arrows drawn in a ladder SVG: one line each; an X adds two lines of class x."""
    root = ET.parse(svg_path).getroot()
    lines = [l for l in group(root, "arrows").iter(SVG + "line")]
    arrows = [l for l in lines if l.get("class") != "x"]
    xs = [l for l in lines if l.get("class") == "x"]
    return arrows, xs


with tempfile.TemporaryDirectory() as d:
    # --- the ladder as SVG: well-formed, one arrow per delivery or drop --------------------
    for name in ["handshake/basic", "retransmit/syn-lost", "close/simultaneous",
                 "faults/old-duplicate-syn", "retransmit/fast-retransmit",
                 "retransmit/sack-two-holes", "faults/loss-burst"]:
        svg = os.path.join(d, name.replace("/", "-") + ".svg")
        rc, out, err = run("ladder", scn(name), "-q", "-o", os.devnull, "--ladder-svg", svg)
        try:
            arrows, xs = ladder_arrows(svg)
            parsed = True
        except (ET.ParseError, OSError, AttributeError) as e:
            parsed, arrows, xs = False, [], []
            err += str(e)
        check(f"ladder SVG of {name} is well-formed XML", rc == 0 and parsed, err)
        ev = trace_events(name)
        ends = [e for e in ev if e[2] in ("delivered", "dropped") and e[1] in ("A->B", "B->A")]
        drops = [e for e in ev if e[2] == "dropped" and e[1] in ("A->B", "B->A")]
        check(f"ladder SVG of {name}: an arrow per delivery or drop ({len(ends)})",
              len(arrows) == len(ends), f"{len(arrows)} arrows")
        check(f"ladder SVG of {name}: an X per drop ({len(drops)})", len(xs) == 2 * len(drops),
              f"{len(xs) // 2} X")
        rc2, _, _ = run("ladder", scn(name), "-q", "-o", os.devnull, "--ladder-svg", svg + "2")
        check(f"ladder SVG of {name} is byte-identical on a second run",
              rc2 == 0 and read(svg) == read(svg + "2"))

    # --- the text ladder ---------------------------------------------------------------
    rc, out, err = run("ladder", scn("handshake/basic"), "-q")
    lines = out.splitlines()
    check("tcpsim ladder prints the ladder, exit 0",
          rc == 0 and lines[0] == "# tcpsim ladder v1", err)
    check("the ladder fits in 100 columns", all(len(l) <= 100 for l in lines),
          max(lines, key=len))
    check("the ladder shows states beside the columns",
          re.search(r"SYN_SENT \|", out) and re.search(r"\| SYN_RECEIVED", out), out)
    check("the ladder labels arrows compactly",
          "SYN seq=0" in out and "SYN-ACK seq=0 ack=1" in out
          and "seq 1:19 (18 bytes) PSH-ACK ack=1" in out,
          out)
    rc, out2, _ = run("ladder", scn("handshake/basic"), "-q")
    check("two ladders are byte-identical", out == out2)

    rc, out, err = run("ladder", scn("handshake/basic"), "-q", "--segments", "3")
    check("--segments 3 draws the handshake only",
          rc == 0 and "ACK ack=1" in out and "PSH-ACK" not in out and "FIN" not in out, out)
    rc, out, err = run("ladder", scn("handshake/basic"), "-q", "--from", "100ms", "--to", "150ms")
    check("--from/--to cut the ladder to the window",
          rc == 0 and "seq 1:19 (18 bytes) PSH-ACK" in out and "SYN seq=0" not in out and "FIN" not in out, out)
    rc, out, err = run("ladder", scn("handshake/basic"), "-q", "--app")
    check("--app adds the application calls", rc == 0 and "connect() ..." in out, out)

    # --- errors: exit 2, clear message, no output ------------------------------------------
    rc, out, err = run("ladder", scn("handshake/basic"), "--from", "2s", "--to", "1s")
    check("--to before --from: exit 2", rc == 2 and "comes before" in err and out == "", err)
    rc, out, err = run("ladder", scn("handshake/basic"), "--from", "soon")
    check("a bad --from: exit 2", rc == 2 and "--from soon" in err, err)
    rc, out, err = run("ladder", scn("handshake/basic"), "--segments", "-1")
    check("negative --segments: exit 2", rc == 2, err)
    rc, out, err = run("run", scn("handshake/basic"), "--segments", "3")
    check("ladder options without a ladder: exit 2", rc == 2 and "shape the ladder" in err, err)
    rc, out, err = run("ladder", scn("handshake/basic"), "--ladder-svg", "/nonexistent/dir/x.svg")
    check("an SVG that cannot be written: exit 2, named", rc == 2 and "/nonexistent/dir" in err, err)
    rc, out, err = run("ladder")
    check("ladder without a FILE: exit 2", rc == 2 and "scenario FILE" in err, err)
    rc, out, err = run("ladder", "--help")
    check("ladder --help documents the options",
          rc == 0 and "--ladder-svg" in out and "--segments" in out, out)

    # --- plots: well-formed, one mark per segment, ACK and cwnd counts as in the trace ---------
    def polyline_points(g):
        pl = g.find(SVG + "polyline")
        return 0 if pl is None else len(pl.get("points").split())

    for name in ["congestion/slow-start", "retransmit/fast-retransmit",
                 "retransmit/sack-two-holes", "transfer/zero-window"]:
        seq = os.path.join(d, name.replace("/", "-") + "-seq.svg")
        cwnd = os.path.join(d, name.replace("/", "-") + "-cwnd.svg")
        rc, out, err = run("run", scn(name), "-q", "--no-trace", "--plot-seq", seq,
                           "--plot-cwnd", cwnd)
        try:
            sroot = ET.parse(seq).getroot()
            croot = ET.parse(cwnd).getroot()
            parsed = True
        except (ET.ParseError, OSError) as e:
            parsed = False
            err += str(e)
        check(f"plots of {name} are well-formed XML", rc == 0 and parsed, err)
        if not parsed:
            continue
        ev = trace_events(name, "--cc")
        # The plotted direction is the one that sent the most payload.
        sent = {}
        for t, who, e, body in ev:
            m = re.search(r"length (\d+)", body)
            if e == "sent" and m and int(m.group(1)) > 0:
                key = body.split(":")[0]
                sent.setdefault(key, []).append((who, body))
        flow = max(sent, key=lambda k: sum(int(re.search(r"length (\d+)", b).group(1))
                                          for _, b in sent[k]))
        who = sent[flow][0][0]
        back = "->".join(reversed(who.split("->")))
        src, dst = flow.split(" > ")
        segs = len(group(sroot, "data").findall(SVG + "line")) + \
            len(group(sroot, "rexmit").findall(SVG + "line"))
        check(f"sequence plot of {name}: a bar per data segment sent ({len(sent[flow])})",
              segs == len(sent[flow]), f"{segs} bars")
        rexmits = sum(1 for _, b in sent[flow] if "(retransmit" in b)
        check(f"sequence plot of {name}: retransmissions marked ({rexmits})",
              len(group(sroot, "rexmit").findall(SVG + "line")) == rexmits)
        acks = [b for t, w, e, b in ev
                if e == "delivered" and w == back and b.startswith(f"{dst} > {src}:")
                and re.search(r"Flags \[[^\]]*\.", b)]
        g = group(sroot, "acks")
        check(f"sequence plot of {name}: an ACK step per ACK the sender got ({len(acks)})",
              int(g.get("data-acks")) == len(acks) and polyline_points(g) == 2 * len(acks) - 1,
              f"{g.get('data-acks')} ACKs, {polyline_points(g)} points")
        ccs = [b for t, w, e, b in ev if e == "cc"]
        # A flow the peer's window limits never grows cwnd (RFC 7661): no series then.
        cg = group(croot, "cwnd")
        series = [] if cg is None else [s for s in cg.findall(SVG + "g")]
        counted = sum(int(s.get("data-events")) for s in series)
        points = sum(len(pl.get("points").split()) for s in series
                     for pl in s.findall(SVG + "polyline") if "cwnd" in pl.get("class"))
        check(f"cwnd plot of {name}: a step per cc line of the trace ({len(ccs)})",
              counted == len(ccs) and points == 2 * len(ccs) - len(series),
              f"{counted} events, {points} points, {len(series)} series")
        rc2, _, _ = run("run", scn(name), "-q", "--no-trace", "--plot-seq", seq + "2",
                        "--plot-cwnd", cwnd + "2")
        check(f"plots of {name} are byte-identical on a second run",
              read(seq) == read(seq + "2") and read(cwnd) == read(cwnd + "2"))

    seq = os.path.join(d, "nodata-seq.svg")
    rc, out, err = run("run", scn("retransmit/syn-lost"), "-q", "--no-trace", "--plot-seq", seq)
    check("a run with no data plots a page that says so",
          rc == 0 and "no data segments" in read(seq) and ET.parse(seq) is not None, err)
    seq = os.path.join(d, "window-seq.svg")
    rc, out, err = run("run", scn("congestion/slow-start"), "-q", "--no-trace", "--plot-seq", seq,
                       "--from", "200ms", "--to", "300ms")
    root = ET.parse(seq).getroot()
    check("--from/--to cut the plot to the window",
          rc == 0 and 0 < len(group(root, "data").findall(SVG + "line")) < 200, err)
    rc, out, err = run("run", scn("handshake/basic"), "--from", "1s")
    check("--from without a picture: exit 2", rc == 2 and "--from and --to" in err, err)

    # --- explain: the trace's own lines, each explained line followed by a sentence ---------
    explained_kinds = ("sent", "dropped", "discarded", "state", "timer")
    names = sorted(os.path.relpath(os.path.join(dp, f), SCENARIOS)[:-4]
                   for dp, _, fs in os.walk(SCENARIOS) for f in fs
                   if f.endswith(".scn") and os.path.exists(os.path.join(dp, f[:-4] + ".trace")))
    for lang in ("en", "zh"):
        same, covered, bad = True, True, []
        for name in names:
            rc, out, err = run("explain", scn(name), "-q", "--lang", lang)
            _, trace, _ = run("run", scn(name), "-q")
            lines = out.splitlines()
            plain = [l for l in lines if not l.startswith("    ") and not l.startswith("# explained")]
            if rc not in (0, 1) or plain != trace.splitlines():
                same = False
                bad.append(name)
            for k, l in enumerate(lines):
                parts = l.split(None, 3)
                if len(parts) > 2 and not l.startswith(("#", " ")) and parts[2] in explained_kinds:
                    if k + 1 >= len(lines) or not lines[k + 1].startswith("    "):
                        covered = False
                        bad.append(f"{name}: {l[:90]}")
        check(f"explain --lang {lang}: the trace lines are the text trace's, byte for byte",
              same, bad[:5])
        check(f"explain --lang {lang}: every segment sent, drop, discard, state and timer "
              "is explained", covered, bad[:5])

    rc, out, err = run("explain", scn("handshake/basic"), "-q")
    check("explain says why TIME_WAIT is entered, citing the RFC",
          "Enters TIME_WAIT: our FIN was acknowledged and the peer's FIN arrived; "
          "waits 2*MSL = 60 s (RFC 9293 §3.10.7.4)." in out, out)
    rc, out, err = run("explain", scn("retransmit/synack-lost"), "-q")
    check("explain says why a SYN-ACK is retransmitted, with the knob and the try",
          "SYN-ACK retransmitted: no ACK within RTO 1 s (tcp_synack_retries 5, try 2)." in out, out)
    rc, out, err = run("explain", scn("retransmit/synack-lost"), "-q", "--lang", "zh")
    check("explain --lang zh speaks Chinese", "重传 SYN-ACK" in out and "三次握手" in out, out)
    path = os.path.join(d, "x.explain")
    rc, out, err = run("explain", scn("handshake/basic"), "-q", "-o", path)
    check("explain -o writes the file, nothing to stdout",
          rc == 0 and out == "" and "Passive open" in read(path), err)
    rc, out, err = run("explain", scn("handshake/basic"), "--lang", "fr")
    check("explain --lang fr: exit 2, the languages named",
          rc == 2 and "expected en or zh" in err and out == "", err)
    rc, out, err = run("run", scn("handshake/basic"), "--lang", "zh")
    check("--lang with nothing to say it in: exit 2", rc == 2 and "--lang chooses" in err, err)
    rc, out, err = run("explain", "--help")
    check("explain --help documents --lang", rc == 0 and "--lang" in out, out)

passed = sum(results)
print(f"{passed} passed, {len(results) - passed} failed")
sys.exit(0 if passed == len(results) else 1)
