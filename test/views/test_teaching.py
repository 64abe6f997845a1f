#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""The teaching views (issue 16): ladders that tell many connections apart, labels that
teach, explain sentences checked against their trace lines.

  test_teaching.py TCPSIM SCENARIOS_DIR

Each check prints "ok - ..." or "not ok - ..."; the summary line counts them.
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


def run(*args, env=None):
    p = subprocess.run([TCPSIM, *args], capture_output=True, text=True, timeout=300, env=env)
    return p.returncode, p.stdout, p.stderr


def check(name, cond, detail=""):
    results.append(bool(cond))
    print(("ok - " if cond else "not ok - ") + name + ("" if cond else f"\n    {detail}"))


def cubic_beta(before, ssthresh):
    """CUBIC's reduction: 0.7 of the bytes (RFC 9438), or Linux's 717/1024 of the whole
    segments, for a segment size dividing both windows."""
    if abs(ssthresh - 0.7 * before) <= 0.01 * before:
        return True
    return any(ssthresh % segs == 0 and before % (ssthresh // segs) == 0 and
               (before // (ssthresh // segs)) * 717 // 1024 == segs
               for segs in range(3, ssthresh // 88 + 1))


def scn(name):
    return os.path.join(SCENARIOS, name + ".scn")


def group(root, gid):
    for g in root.iter(SVG + "g"):
        if g.get("id") == gid:
            return g
    return None


def svg_of(d, name, *opts):
    path = os.path.join(d, name.replace("/", "-") + ".svg")
    rc, out, err = run("ladder", scn(name), "-q", *opts, "--ladder-svg", path)
    return rc, out, err, ET.parse(path).getroot()


def arrow_labels(text):
    """The labels of the arrows in a text ladder: what follows a sending."""
    return re.findall(r"[|:][\\/_.-]+ (\S.*?)(?:  |$)", text)


with tempfile.TemporaryDirectory() as d:
    # --- many connections: a name on every arrow and state, a colour each ----------------
    rc, out, err = run("ladder", scn("timewait/port-exhaustion"), "-q", "--connections", "3")
    names = re.findall(r"\[(client\.\d+)\]", out)
    check("--connections 3 draws three connections, named in the header",
          rc == 0 and "# 3 connections" in out and set(names) == {"client.1", "client.2", "client.3"},
          out[:600])
    sends = [l for l in out.splitlines() if re.search(r"\|\\_+ ", l)]
    check("every arrow of a many-connection ladder says whose it is",
          sends and all(re.search(r"\|\\_+ \[client\.\d\] ", l) for l in sends), sends[:3])
    states = re.findall(r"(\[client\.\d\]) *\|", out)
    check("state labels say whose they are", len(states) >= 3, out[:800])
    rc, out, err = run("ladder", scn("timewait/port-exhaustion"), "-q", "--only", "client.2")
    check("--only client.2 draws that connection alone, unnamed",
          rc == 0 and "10.0.0.1.40006" not in out and "[client" not in out
          and out.count("SYN seq=0") == 1, out[:600])
    rc, out2, err = run("ladder", scn("timewait/port-exhaustion"), "-q", "--only", "40006")
    check("--only PORT picks the connection by its client port", rc == 0 and out2 == out, out2[:300])
    rc, out, err = run("ladder", scn("handshake/basic"), "-q", "--connections", "-2")
    check("--connections -2: exit 2", rc == 2, err)
    rc, out, err = run("run", scn("handshake/basic"), "--only", "c")
    check("--only without a ladder: exit 2", rc == 2 and "shape the ladder" in err, err)

    rc, out, err, root = svg_of(d, "timewait/port-exhaustion", "--connections", "4", "-o", os.devnull)
    strokes = {re.search(r"stroke:(#[0-9a-f]+)", l.get("style", "")).group(1)
               for l in group(root, "arrows").iter(SVG + "line") if "stroke:" in l.get("style", "")}
    check("the SVG gives each of four connections its own colour", len(strokes) == 4, strokes)

    rc, out, err, root = svg_of(d, "listen/accept-overflow", "--to", "200ms", "--lanes",
                                "-o", os.devnull)
    ends = {}
    for l in group(root, "arrows").iter(SVG + "line"):
        st = re.search(r"stroke:(#[0-9a-f]+)", l.get("style", ""))
        if st and l.get("class") != "x":
            ends.setdefault(st.group(1), set()).update({round(float(l.get("x1"))), round(float(l.get("x2")))})
    lanes = [v for v in ends.values()]
    check("--lanes: each connection's arrows run between lane lines of their own",
          len(lanes) == 3 and all(len(v) == 2 for v in lanes)
          and len(set.union(*lanes)) == 6, ends)
    rc, out, err = run("ladder", scn("handshake/basic"), "-q", "--lanes")
    check("--lanes without an SVG or a page: exit 2", rc == 2 and "--lanes" in err, err)

    # --- a flood comes from its spoofed sources ------------------------------------------
    rc, out, err = run("ladder", scn("listen/syn-flood"), "-q", "--from", "1s", "--to", "1.03s")
    check("the flood's text ladder has a column for the spoofed sources",
          rc == 0 and "spoofed sources" in out and re.search(r"^\S* *:\\_+ \[:\d+\] SYN", out, re.M),
          out[:900])
    rc, out, err, root = svg_of(d, "listen/syn-flood", "--from", "1s", "--to", "1.03s", "-o", os.devnull)
    texts = [t.text for t in root.iter(SVG + "text")]
    xs = {}
    for t in root.iter(SVG + "text"):
        if t.get("class") == "host":
            xs[t.text.split()[0]] = float(t.get("x"))
    lines = [l for l in group(root, "arrows").iter(SVG + "line") if l.get("class") != "x"]
    from_spoofed = [l for l in lines if float(l.get("x1")) < xs["A"] - 20]
    check("forged SYNs start at the spoofed sources' column, not at host A",
          "spoofed sources" in texts and len(from_spoofed) >= 4, (xs, len(from_spoofed)))

    # --- a self-connect draws its loop ----------------------------------------------------
    rc, out, err, root = svg_of(d, "handshake/self-connect", "--from", "250ms", "-o", os.devnull)
    loops = list(group(root, "arrows").iter(SVG + "polyline"))
    _, trace, _ = run("run", scn("handshake/self-connect"), "-q")
    selfs = [l for l in trace.splitlines() if " A->A delivered " in l and
             l.split()[0] >= "0.250000000"]
    check(f"a self-connect's SVG draws a loop per segment to itself ({len(selfs)})",
          len(loops) == len(selfs) and len(selfs) > 0, f"{len(loops)} loops")
    rc, out, err = run("ladder", scn("handshake/self-connect"), "-q", "--from", "250ms")
    check("a self-connect's text ladder draws its loops",
          out.count("------.") == len(selfs) and "|<-----'" in out, out[:800])

    # --- labels that teach ------------------------------------------------------------------
    rc, out, err = run("ladder", scn("handshake/basic"), "-q")
    check("a data segment's label starts with its seq range and size, flags beside it",
          "seq 1:19 (18 bytes) PSH-ACK ack=1" in out and "PSH-ACK 1:19" not in out, out)
    rc, out, err = run("ladder", scn("handshake/basic"), "-q", "--textbook")
    check("--textbook numbers from the ISNs: seq=x, seq=y ack=x+1, ack=y+1",
          rc == 0 and "SYN seq=x" in out and "SYN-ACK seq=y ack=x+1" in out
          and "ACK seq=x+1 ack=y+1" in out and "seq x+1:x+19 (18 bytes)" in out, out)
    rc, out, err = run("ladder", scn("handshake/basic"), "-q", "--textbook", "--absolute")
    check("--textbook with --absolute: exit 2", rc == 2, err)
    rc, out, err = run("ladder", scn("transfer/zero-window"), "-q", "--window")
    _, trace, _ = run("run", scn("transfer/zero-window"), "-q")
    sent = [l for l in trace.splitlines() if " sent " in l and "Flags [R" not in l]
    labels = [l for l in out.splitlines() if re.search(r"[\\/]_* ", l) or "_ " in l]
    check("--window: a window on every segment's label",
          out.count(" win=") >= len(sent) - 2 and "win=64512" in out, f"{out.count(' win=')} of {len(sent)}")
    rc, out, err = run("ladder", scn("transfer/zero-window"), "-q")
    check("a zero-window probe shows seq = SND.UNA-1",
          re.search(r"ACK seq=\d+ \(SND\.UNA-1\) ack=1 .*\(probe #1\)", out), out[:2000])
    rc, out, err = run("ladder", scn("close/last-ack-lost"), "-q")
    check("a FIN re-ACKed in TIME_WAIT is a note, not a discard",
          "(TIME_WAIT: ACKed" in out and "discard: TIME_WAIT" not in out, out)
    rc, out, err, root = svg_of(d, "close/last-ack-lost", "-o", os.devnull)
    notes = [t for t in root.iter(SVG + "text") if t.text and "TIME_WAIT: ACKed" in t.text]
    check("... and in the SVG it is grey, not red", notes and notes[0].get("class") == "note",
          [t.get("class") for t in notes])
    boxes = list(group(root, "labels").iter(SVG + "rect"))
    check("every arrow label has a box behind it, so no arrow strikes through it",
          len(boxes) == len([l for l in group(root, "arrows").findall(SVG + "line")
                             if l.get("class") != "x"]), len(boxes))
    rc, out, err = run("ladder", scn("handshake/basic"), "-q", "--linear-time")
    rows = [l for l in out.splitlines() if not l.startswith("#")]
    check("--linear-time: no idle stretch left out, the run fits in a few hundred rows",
          rc == 0 and ":" not in "".join(r[27:29] for r in rows) and len(rows) < 300
          and "+70 ms" not in out, len(rows))
    path = os.path.join(d, "slides.svg")
    rc, out, err = run("ladder", scn("transfer/zero-window"), "-q", "-o", os.devnull, "--from",
                       "90ms", "--to", "5.01s", "--ladder-svg", path, "--slides")
    pages = sorted(f for f in os.listdir(d) if re.fullmatch(r"slides-\d+\.svg", f))
    ok = rc == 0 and len(pages) > 1
    sizes = []
    for f in pages:
        root = ET.parse(os.path.join(d, f)).getroot()
        sizes.append((root.get("width"), root.get("height")))
        vb = [int(v) for v in root.get("viewBox").split()]
        style = "".join(root.find(SVG + "style").itertext())
        big = re.search(r"\.seg,\.seg-rx\{font-size:(\d+)px", style)
        # Drawn at 1600 px from a drawing vb[2] wide: the type as seen on the slide.
        seen = int(big.group(1)) * 1600 / vb[2] if big else 0
        ok = ok and seen >= 24
    check(f"--slides: {len(pages)} pages of 1600x900 with type of 24 px or more",
          ok and set(sizes) == {("1600", "900")}, (rc, err, pages, sizes))
    rc, out, err = run("ladder", scn("handshake/basic"), "-q", "--slides")
    check("--slides without --ladder-svg: exit 2", rc == 2 and "--ladder-svg" in err, err)

    # --- explain: each sentence against the trace line it explains, every bundled scenario ---
    def pairs(out):
        """(trace line, sentence or None) for each line of explain's output."""
        lines = out.splitlines()
        res = []
        for k, l in enumerate(lines):
            if l.startswith("#") or l.startswith("    "):
                continue
            nxt = lines[k + 1] if k + 1 < len(lines) else ""
            res.append((l, nxt[4:] if nxt.startswith("    ") else None))
        return res

    def secs(text):
        m = re.fullmatch(r"([\d.]+) ?(min|s|ms|us|ns)", text.strip())
        if not m:
            return None
        return float(m.group(1)) * {"min": 60, "s": 1, "ms": 1e-3, "us": 1e-6, "ns": 1e-9}[m.group(2)]

    def tuple_of(line):
        m = re.search(r"(\d+\.\d+\.\d+\.\d+\.\d+)>(\d+\.\d+\.\d+\.\d+\.\d+)", line)
        if m:
            return m.group(1), m.group(2)
        m = re.search(r"(\d+\.\d+\.\d+\.\d+\.\d+) > (\d+\.\d+\.\d+\.\d+\.\d+):", line)
        return (m.group(1), m.group(2)) if m else None

    names = sorted(os.path.relpath(os.path.join(dp, f), SCENARIOS)[:-4]
                   for dp, _, fs in os.walk(SCENARIOS) for f in fs
                   if f.endswith(".scn") and (os.path.exists(os.path.join(dp, f[:-4] + ".trace"))
                                              or os.path.exists(os.path.join(dp, f[:-4] + ".trace.gz"))))
    bad = {}
    checked = 0

    def wrong(rule, name, line, sentence):
        bad.setdefault(rule, []).append(f"{name}: {line[:100]}\n      {sentence}")

    for name in names:
        rc, out, err = run("explain", scn(name), "-q", "--cc")
        rcz, outz, _ = run("explain", scn(name), "-q", "--cc", "--lang", "zh")
        en, zh = pairs(out), pairs(outz)
        if len(en) != len(zh):
            wrong("zh has the same lines", name, "", "")
            continue
        sack = {}        # sender endpoint -> its SYN offered SACK
        next_of = {}     # (host, tuple) -> the next timeout the last timer line announced
        cwnd_of = {}     # (host, tuple) -> the last cc line's cwnd
        rexmits = {}     # sending tuple -> highest "rto #k"
        closed = {}      # socket name -> the cause of its last change to CLOSED
        for (line, sen), (_, senz) in zip(en, zh):
            parts = line.split(None, 3)
            if len(parts) < 4:
                continue
            t, who, kind, body = parts
            tup = tuple_of(body)
            if kind == "sent" and "Flags [S" in body and tup:
                sack[tup[0]] = "sackOK" in body
            if kind == "sent" and tup:
                m = re.search(r"retransmit: rto #(\d+)", body)
                if m:
                    rexmits[tup] = max(rexmits.get(tup, 0), int(m.group(1)))
            if kind == "state":
                m = re.match(r"(\S+) \S+: \w+ -> CLOSED \(([^,)]*)", body)
                if m:
                    closed[m.group(1)] = m.group(2)
            if sen is None:
                continue
            checked += 1
            # Every placeholder filled, in both languages; the same numbers in both.
            if "{" in sen or "{" in (senz or "") or re.search(r" (after|within|is|to|RTO) [,;.:)]", sen):
                wrong("placeholders filled", name, line, sen)
            if senz is None or sorted(re.findall(r"\d+", sen)) != sorted(re.findall(r"\d+", senz)):
                wrong("the same numbers in Chinese", name, line, f"{sen}\n      {senz}")
            if kind == "timer" and tup:
                m = re.search(r"expired #(\d+)(?:, next timeout (\S+))?", body)
                key = (who, tup)
                after = re.search(r"expired after ([\d.]+ ?m?s)", sen)
                if after and key in next_of and abs(secs(after.group(1)) - next_of[key]) > 0.5e-6:
                    wrong("a timer expires after the timeout announced before", name, line, sen)
                nxt = secs(m.group(2)) if m and m.group(2) else None
                if "doubles to" in sen:
                    dbl = secs(re.search(r"doubles to ([\d.]+ ?m?s)", sen).group(1))
                    if dbl != nxt or (after and abs(dbl - 2 * secs(after.group(1))) > 1e-9):
                        wrong("'doubles' only when it doubles", name, line, sen)
                if "not doubled" in sen and (not after or nxt != secs(after.group(1))):
                    wrong("'not doubled' only when the wait stays", name, line, sen)
                if nxt is not None:
                    next_of[key] = nxt
                tries = re.search(r"(\d+) retransmissions have taken", sen)
                limit = re.search(r"(tcp_\w+) (\d+)", sen)
                if tries and m and int(tries.group(1)) != int(m.group(1)) - 1:
                    wrong("the retransmissions counted are the trace's", name, line, sen)
                if "went unanswered" in sen and limit and m and int(limit.group(2)) != int(m.group(1)) - 1:
                    wrong("'went unanswered' only when the count is the knob's", name, line, sen)
            if kind == "state" and tup:
                to = re.search(r"-> (\w+)", body).group(1)
                if sen.startswith("Enters TIME_WAIT") and to != "TIME_WAIT":
                    wrong("TIME_WAIT sentences on TIME_WAIT lines", name, line, sen)
                if "retransmissions exhausted" in body:
                    n = rexmits.get(tup, 0)
                    tries = re.search(r"after (\d+) retransmissions", sen)
                    limit = re.search(r"(tcp_\w+) (\d+)", sen)
                    if tries and int(tries.group(1)) != n:
                        wrong("the retransmissions counted are the trace's", name, line, sen)
                    if "went unanswered" in sen and limit and int(limit.group(2)) != n:
                        wrong("'went unanswered' only when the count is the knob's", name, line, sen)
                    if tries and limit and int(limit.group(2)) == n:
                        wrong("'time budget' only when the count is not the knob's", name, line, sen)
            if kind == "cc" and tup:
                m = re.search(r"cwnd (\d+) ssthresh (\d+)", body)
                cwnd, ssth = int(m.group(1)), int(m.group(2))
                key = (who, tup)
                prev = cwnd_of.get(key)
                if "beta = 0.7" in sen or "beta = 717/1024" in sen:
                    arrow = re.search(r"(\d+) -> (\d+)", sen)
                    if not arrow or prev is None or int(arrow.group(1)) != prev or \
                            int(arrow.group(2)) != ssth or not cubic_beta(prev, ssth):
                        wrong("CUBIC's 0.7 only where ssthresh is 0.7 of cwnd", name, line, sen)
                if "half the data in flight" in sen and prev is not None and ssth * 2 > prev + 2920:
                    wrong("'half' only where ssthresh is at most half of cwnd", name, line, sen)
                for num in re.findall(r"\b\d{3,}\b", sen.replace("717/1024", "")):
                    if int(num) not in (cwnd, ssth, prev) and not re.search(r"RFC " + num, sen):
                        wrong("cc numbers are the line's", name, line, sen)
                cwnd_of[key] = cwnd
            if "RFC 6675" in sen and tup and kind in ("sent", "cc"):
                if not (sack.get(tup[0]) and sack.get(tup[1])):
                    wrong("RFC 6675 only where SACK was negotiated", name, line, sen)
            if "RFC 6582 §3.2 step 4" in sen and tup and sack.get(tup[0]) and sack.get(tup[1]):
                wrong("NewReno's partial ACKs only without SACK", name, line, sen)
            if kind == "app":
                m = re.search(r" = (-1 (\w+)|\S+)$", body) or re.search(r" = -1 (\w+) \(", body)
                err = re.search(r" = -1 (\w+)", body)
                if err and err.group(1) not in sen:
                    wrong("an error is named by its errno", name, line, sen)
                sock = re.match(r"\w+\(([^,)]+)", body)
                if "a RST arrived" in sen and (not sock or closed.get(sock.group(1)) != "rcv RST"):
                    wrong("ECONNRESET blames a RST only when one arrived", name, line, sen)
                if "aborted this connection itself" in sen and \
                        (not sock or closed.get(sock.group(1)) != "abort"):
                    wrong("ECONNRESET blames an abort only when there was one", name, line, sen)
                if re.match(r"recv\(.*\) = 0$", body) and "FIN" not in sen:
                    wrong("recv() = 0 is the peer's FIN", name, line, sen)
                ret = re.search(r"^(send|recv)\(.*\) = (\d+)$", body)
                if ret and ret.group(2) != "0" and f"returns {ret.group(2)}" not in sen:
                    wrong("send()/recv() sentences say what they returned", name, line, sen)
    for rule in ["placeholders filled", "the same numbers in Chinese",
                 "a timer expires after the timeout announced before", "'doubles' only when it doubles",
                 "'not doubled' only when the wait stays", "the retransmissions counted are the trace's",
                 "'went unanswered' only when the count is the knob's",
                 "'time budget' only when the count is not the knob's",
                 "TIME_WAIT sentences on TIME_WAIT lines", "CUBIC's 0.7 only where ssthresh is 0.7 of cwnd",
                 "'half' only where ssthresh is at most half of cwnd", "cc numbers are the line's",
                 "RFC 6675 only where SACK was negotiated", "NewReno's partial ACKs only without SACK",
                 "an error is named by its errno", "recv() = 0 is the peer's FIN",
                 "ECONNRESET blames a RST only when one arrived",
                 "ECONNRESET blames an abort only when there was one",
                 "send()/recv() sentences say what they returned", "zh has the same lines"]:
        check(f"explain, every scenario ({checked} sentences): {rule}", rule not in bad,
              "\n    ".join(bad.get(rule, [])[:4]))
    rc, out, err = run("explain", scn("retransmit/syn-blackhole-linux"), "-q")
    check("explain: Linux's linear SYN retries are not called a backoff",
          "not doubled: Linux keeps the first retries linear (tcp_syn_linear_timeouts" in out
          and "Time budget spent" in out and "Retransmissions exhausted" not in out, out[-1500:])
    rc, out, err = run("explain", scn("congestion/cubic"), "-q", "--cc")
    check("explain: CUBIC's reduction is Linux's beta, 717/1024 of whole segments, not half",
          "Fast retransmit (CUBIC, SACK): ssthresh becomes beta = 717/1024 of cwnd in whole "
          "segments, 198376 -> 137560" in out
          and "half" not in "".join(l for l in out.splitlines() if "(fast retransmit)" in l), "")
    rc, out, err = run("explain", scn("close/half-close"), "-q")
    check("explain: recv() = 0 is the end of the stream after the peer's FIN",
          "recv() returns 0: the peer's FIN arrived" in out, out[-800:])

    # --- Chinese throughout ----------------------------------------------------------------
    import unicodedata

    def columns(line):
        return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in line)

    rc, out, err = run("ladder", scn("retransmit/syn-lost"), "-q", "--lang", "zh")
    check("ladder --lang zh: timers, retransmissions, link drops and the key in Chinese",
          rc == 0 and "(重传超时 #1)" in out and "(超时重传 #1)" in out and "脚本丢弃" in out
          and "报文段，从发送到到达" in out, out)
    lines = out.splitlines()
    cols = {columns(l.rstrip()) for l in lines if "|" in l}
    bars = {columns(l[:l.rindex("|")]) for l in lines if l.count("|") == 2}
    check("ladder --lang zh: Chinese labels keep the columns where they are (wide characters)",
          max(columns(l) for l in lines) <= 100 and len(bars) == 1, (bars, max(cols)))
    rc, out, err = run("ladder", scn("close/last-ack-lost"), "-q", "--lang", "zh")
    rc, zw, err = run("ladder", scn("transfer/zero-window"), "-q", "--lang", "zh")
    check("ladder --lang zh: discard reasons and the TIME_WAIT note in Chinese",
          "(TIME_WAIT：再次" in out and "丢弃：在窗口之外" in zw and "discard:" not in zw
          and "零窗口探测" in zw, zw[-1500:])
    rc, out, err, root = svg_of(d, "listen/syn-flood", "--from", "1s", "--to", "1.03s",
                                "-o", os.devnull, "--lang", "zh")
    style = "".join(root.find(SVG + "style").itertext())
    texts = [t.text for t in root.iter(SVG + "text")]
    check("ladder SVG --lang zh: CJK fonts in the stacks, Chinese legend and columns",
          "Noto Sans CJK SC" in style and "WenQuanYi Micro Hei" in style
          and "伪造的源地址" in texts and "在链路上丢失" in texts and "时间（秒）" in texts, texts[:12])
    cw, sq = os.path.join(d, "cwnd-zh.svg"), os.path.join(d, "seq-zh.svg")
    rc, out, err = run("run", scn("congestion/slow-start"), "-q", "--no-trace", "--lang", "zh",
                       "--plot-cwnd", cw, "--plot-seq", sq)
    ct = [t.text for t in ET.parse(cw).getroot().iter(SVG + "text")]
    st = [t.text for t in ET.parse(sq).getroot().iter(SVG + "text")]
    check("plots --lang zh: titles, axes and legends in Chinese",
          rc == 0 and "拥塞窗口" in ct and "时间（秒）" in ct and "字节" in ct
          and "数据报文段" in st and "重传" in st and "序号（字节）" in st, (ct[:6], st[:6]))
    env = dict(os.environ, LANG="zh_CN.UTF-8", LC_ALL="", LC_MESSAGES="")
    rc, out, err = run("explain", scn("handshake/basic"), "-q", env=env)
    rc2, out2, _ = run("explain", scn("handshake/basic"), "-q", "--lang", "en", env=env)
    check("LANG=zh_CN.UTF-8 chooses Chinese where --lang is not given; --lang en still wins",
          "被动打开" in out and "Passive open" in out2, out[:400])
    rc, out, err = run("explain", scn("handshake/basic"), "-q", "--lang", "zh")
    rc, flood, err = run("explain", scn("listen/syn-flood"), "-q", "--lang", "zh")
    rc, acc, err = run("explain", scn("listen/accept-overflow"), "-q", "--lang", "zh")
    check("explain --lang zh uses the textbook terms: 三次握手, 四次挥手, 半连接队列, 全连接队列",
          "三次握手" in out and "四次挥手" in out and "半连接队列" in flood and "全连接队列" in acc,
          "")

    # --- quiz: worksheets with their keys ------------------------------------------------------
    rc, sheet, err = run("quiz", scn("handshake/basic"), "--seed", "3")
    rc2, sheet2, _ = run("quiz", scn("handshake/basic"), "--seed", "3")
    rc3, sheet3, _ = run("quiz", scn("handshake/basic"), "--seed", "4")
    check("quiz: a worksheet with four kinds of question and a key; the same seed, the same "
          "sheet; another seed, another sheet",
          rc == 0 and all(h in sheet for h in ("## 1. Fill in the blanks", "## 2. States",
                                                 "## 3. What is sent next?", "## 4. Put in order",
                                                 "# Answer key"))
          and sheet == sheet2 and sheet != sheet3, err + sheet[:300])
    questions, key = sheet.split("\n---\n")
    qs = dict(re.findall(r"^ ?(\d+)\) (.*)$", questions, re.M))
    ks = dict(re.findall(r"^ ?(\d+)\) (.*)$", key, re.M))
    ok, bad = True, []
    for n, q in qs.items():
        if re.match(r"[\d.]+ s  \w+ -> \w+  ", q) and "______" in q:
            answer, full = re.match(r"(\S+(?: \S+)?)   \((.*)\)$", ks[n]).groups()
            label = q.split("  ")[-1]
            number = answer.split("=")[-1].split(" ")[-1]
            if label.replace("______", number) != full:
                ok, bad = False, bad + [(q, ks[n])]
    _, trace, _ = run("run", scn("handshake/basic"), "-q")
    states = set(re.findall(r"-> (\w+) \(", trace))
    for n, q in qs.items():
        if "Which state" in q:
            st = ks[n].split()[0]
            if st not in states:
                ok, bad = False, bad + [(q, ks[n])]
    order = [k for k in ks.values() if re.fullmatch(r"[a-e](, [a-e])+", k)]
    check("quiz: each blank's answer fills it back to the segment's label; state answers are "
          "states the run entered; the order is a shuffle",
          ok and order and sorted(order[0].split(", ")) == list("abcde")[:len(order[0].split(", "))]
          and order[0].split(", ") != sorted(order[0].split(", ")), bad[:3])
    kf = os.path.join(d, "key.md")
    rc, sheet, err = run("quiz", scn("listen/accept-overflow"), "--seed", "5", "--lang", "zh", "--key", kf)
    check("quiz --lang zh --key FILE: a Chinese sheet, the key in its own file",
          rc == 0 and "## 1. 填空" in sheet and "答案" not in sheet and "# 答案" in open(kf).read()
          and "在状态 LISTEN 下收到" in sheet, sheet[:600])
    rc, out, err = run("quiz", scn("handshake/basic"), "--seed", "many")
    rc2, out2, err2 = run("quiz", scn("handshake/basic"), "--lang", "fr")
    check("quiz: a bad --seed or --lang: exit 2", rc == 2 and rc2 == 2 and "--seed many" in err, err)

passed = sum(results)
print(f"{passed} passed, {len(results) - passed} failed")
sys.exit(0 if passed == len(results) else 1)
