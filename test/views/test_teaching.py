#!/usr/bin/env python3
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

passed = sum(results)
print(f"{passed} passed, {len(results) - passed} failed")
sys.exit(0 if passed == len(results) else 1)
