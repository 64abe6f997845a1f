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

passed = sum(results)
print(f"{passed} passed, {len(results) - passed} failed")
sys.exit(0 if passed == len(results) else 1)
