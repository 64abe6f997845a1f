#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""The interactive page (--html) in a real browser: Debian's chromium, headless, driven
over its DevTools pipe (--remote-debugging-pipe) by the small driver below.

  test_html.py TCPSIM SCENARIOS_DIR

Exit 77 (skipped) when no chromium is installed (apt-get install chromium). For every
ladder of the lecture pack and a few more runs, the page is checked to be self-contained
(nothing fetched), then stepped through with the keyboard as a student would: at each
step the time shown, the arrows shown, the events in the details pane and the states
highlighted in the state diagram must be the ones the page's own data says; Home, End
and #step=N in the address jump; a connection's checkbox hides its arrows; hovering an
arrow shows its trace line and explain sentence; the windows chart draws cwnd. Each
check prints "ok - ..." or "not ok - ..."; the summary line counts them.
"""
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time

TCPSIM, SCENARIOS = os.path.abspath(sys.argv[1]), sys.argv[2]
LECTURES = os.path.join(SCENARIOS, "lectures")
CHROMIUM = os.environ.get("CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser")
if not CHROMIUM:
    print("chromium not found (apt-get install chromium): skipped")
    sys.exit(77)
results = []


def check(name, cond, detail=""):
    results.append(bool(cond))
    print(("ok - " if cond else "not ok - ") + name + ("" if cond else f"\n    {detail}"))


class Browser:
    """One headless chromium showing one page, spoken to over the DevTools pipe: commands
    on its fd 3, answers and events on its fd 4, one JSON message per NUL."""

    def __init__(self, url, profile):
        r1, w1 = os.pipe()
        r2, w2 = os.pipe()

        def child():
            os.dup2(r1, 3)
            os.dup2(w2, 4)
            os.set_inheritable(3, True)
            os.set_inheritable(4, True)

        self.p = subprocess.Popen(
            [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--remote-debugging-pipe",
             "--user-data-dir=" + profile, "--window-size=1400,900", url],
            close_fds=False, preexec_fn=child, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        os.close(r1)
        os.close(w2)
        self.w = os.fdopen(w1, "wb", buffering=0)
        self.r = os.fdopen(r2, "rb", buffering=0)
        self.n = 0
        self.buf = b""
        self.errors = []
        targets = self.send("Target.getTargets")["targetInfos"]
        page = [t for t in targets if t["type"] == "page"][0]
        self.s = self.send("Target.attachToTarget", {"targetId": page["targetId"], "flatten": True})["sessionId"]
        self.send("Runtime.enable", session=True)
        for _ in range(100):
            if self.js("document.body && document.body.dataset.step"):
                break
            time.sleep(0.1)

    def send(self, method, params=None, session=False):
        self.n += 1
        msg = {"id": self.n, "method": method, "params": params or {}}
        if session:
            msg["sessionId"] = self.s
        self.w.write(json.dumps(msg).encode() + b"\0")
        while True:
            while b"\0" not in self.buf:
                chunk = self.r.read(1 << 16)
                if not chunk:
                    raise RuntimeError("chromium went away")
                self.buf += chunk
            raw, self.buf = self.buf.split(b"\0", 1)
            m = json.loads(raw)
            if m.get("method") == "Runtime.exceptionThrown":
                self.errors.append(m["params"]["exceptionDetails"].get("text", "?") + " " +
                                   str(m["params"]["exceptionDetails"].get("exception", {}).get("description", "")))
            if m.get("id") == self.n:
                if "error" in m:
                    raise RuntimeError(m["error"])
                return m.get("result", {})

    def js(self, expr):
        r = self.send("Runtime.evaluate", {"expression": expr, "returnByValue": True}, session=True)
        if "exceptionDetails" in r:
            self.errors.append(str(r["exceptionDetails"]))
            return None
        return r["result"].get("value")

    def key(self, key, code):
        for typ in ("rawKeyDown", "keyUp"):
            self.send("Input.dispatchKeyEvent",
                      {"type": typ, "key": key, "code": key, "windowsVirtualKeyCode": code}, session=True)

    def close(self):
        try:
            self.send("Browser.close")
        except (RuntimeError, OSError):
            pass
        try:
            self.p.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.p.kill()


def page_data(path):
    with open(path, encoding="utf-8") as f:
        text = f.read()
    m = re.search(r'<script type="application/json" id="data">(.*?)</script>', text, re.S)
    return text, json.loads(m.group(1))


def expected(D):
    steps = sorted({a["r0"] for a in D["arrows"]} |
                   {a["r1"] for a in D["arrows"] if a["end"] != "none"} |
                   {l["r"] for l in D["labels"]}) or [0]
    nbytes = [0] * len(D["conns"])
    for a in D["arrows"]:
        if a["c"] >= 0:
            nbytes[a["c"]] += a["len"]
    focus = 0
    for i, b in enumerate(nbytes):
        if b > nbytes[focus]:
            focus = i
    return steps, focus


def row_time(D, r):
    for k in range(r, -1, -1):
        if D["rows"][k] >= 0:
            t = D["rows"][k]
            return f"{t // 10**9}.{t % 10**9:09d} s"
    return "0.000000000 s"


def at_step(D, steps, focus, k):
    row = steps[k]
    visible = sum(1 for a in D["arrows"] if a["r0"] <= row)
    lines = set()
    for a in D["arrows"]:
        if a["r0"] == row:
            lines.add(a["line"])
        if a["r1"] == row and a["end"] != "none" and a.get("line1"):
            lines.add(a["line1"])
    for l in D["labels"]:
        if l["r"] == row:
            lines.add(l["line"])
    init = D["conns"][focus]["init"] if D["conns"] else ["", ""]
    cur = [init[0] or "-", init[1] or "-"]
    for s in D["states"]:
        if s["c"] == focus and s["r"] <= row and s["side"] in (0, 1):
            cur[s["side"]] = s["to"]
    return {"time": row_time(D, row), "visible": visible, "lines": lines, "fsm": ",".join(cur)}


STATE_JS = """JSON.stringify({step: +document.body.dataset.step,
  visible: +document.body.dataset.visible,
  time: document.getElementById('now-time').textContent,
  fsm: document.querySelector('#fsm svg').dataset.current,
  lines: Array.from(document.querySelectorAll('#details .line')).map(e => e.textContent),
  hidden: document.querySelectorAll('#ladder-pane svg .later').length})"""


def ladders():
    """(name, scenario, options) of every ladder in the lecture pack, and a few more."""
    out = []
    for f in sorted(os.listdir(LECTURES)):
        if not f.endswith(".md"):
            continue
        with open(os.path.join(LECTURES, f), encoding="utf-8") as fh:
            for m in re.finditer(r"<!-- tcpsim: ladder (\S+)(.*?) -->", fh.read()):
                out.append((f"{f[:-3]}: {m.group(1)}{m.group(2)}", m.group(1), m.group(2).split()))
    out.append(("congestion/slow-start", "scenarios/congestion/slow-start.scn", ["--to", "300ms"]))
    out.append(("timewait/port-exhaustion", "scenarios/timewait/port-exhaustion.scn", ["--to", "1s"]))
    return out


ROOT = os.path.dirname(os.path.abspath(SCENARIOS))
with tempfile.TemporaryDirectory() as d:
    # --- one page from each command, the same bytes, self-contained ------------------------
    pages = {}
    for cmd in ("run", "ladder", "explain"):
        path = os.path.join(d, f"basic-{cmd}.html")
        p = subprocess.run([TCPSIM, cmd, os.path.join(SCENARIOS, "handshake/basic.scn"), "-q",
                            "-o", os.devnull, "--html", path], capture_output=True, text=True)
        pages[cmd] = open(path, "rb").read() if p.returncode == 0 and os.path.exists(path) else b""
    check("--html works on run, ladder and explain, giving the same page",
          pages["run"] and pages["run"] == pages["ladder"] == pages["explain"])
    text = pages["ladder"].decode("utf-8")
    external = re.findall(r"(?:src|href)\s*=\s*[\"'](?!#)[^\"']+|@import|url\((?!#)[^)]*\)|https?://(?!www\.w3\.org/2000/svg)\S+", text)
    check("the page is self-contained: nothing to fetch (no src, href, @import, url())",
          not external and "<script src" not in text and "<link" not in text, external[:5])

    # --- every lecture ladder, stepped through in the browser --------------------------------
    for name, scn, opts in ladders():
        path = os.path.join(d, re.sub(r"[^\w.-]+", "_", name) + ".html")
        p = subprocess.run([TCPSIM, "ladder", scn, "-q", "-o", os.devnull, *opts, "--html", path],
                           capture_output=True, text=True, cwd=ROOT)
        if p.returncode != 0:
            check(f"{name}: the page is written", False, p.stderr)
            continue
        _, D = page_data(path)
        steps, focus = expected(D)
        prof = tempfile.mkdtemp(dir=d)
        b = Browser("file://" + path + "#step=1", prof)
        try:
            bad = []
            k = 0
            limit = min(len(steps), 120)
            while True:
                got = json.loads(b.js(STATE_JS) or "{}")
                want = at_step(D, steps, focus, k)
                if got.get("step") != k + 1 or got.get("time") != want["time"] or \
                        got.get("visible") != want["visible"] or got.get("fsm") != want["fsm"] or \
                        set(got.get("lines", [])) != want["lines"]:
                    bad.append(f"step {k + 1}: shown {got}, expected {want}")
                    break
                if k + 1 >= limit:
                    break
                b.key("ArrowRight", 39)
                k += 1
            check(f"{name}: {limit} steps by the arrow key show the right time, arrows, "
                  "events and states", not bad, bad[:1])
            b.key("End", 35)
            end = json.loads(b.js(STATE_JS))
            b.key("Home", 36)
            home = json.loads(b.js(STATE_JS))
            check(f"{name}: End and Home jump to the last and first steps",
                  end["step"] == len(steps) and end["hidden"] == 0 and home["step"] == 1,
                  (end["step"], len(steps), home["step"]))
            mid = len(steps) // 2 + 1
            b.js(f"location.hash = '#step={mid}'")
            time.sleep(0.1)
            got = json.loads(b.js(STATE_JS))
            check(f"{name}: #step={mid} in the address shows that step",
                  got["step"] == mid and got["time"] == at_step(D, steps, focus, mid - 1)["time"], got)
            if len(D["conns"]) > 1:
                b.key("End", 35)
                before = json.loads(b.js(STATE_JS))["visible"]
                b.js("document.querySelector('#conns input[data-c=\"0\"]').click()")
                after = json.loads(b.js(STATE_JS))["visible"]
                n0 = sum(1 for a in D["arrows"] if a["c"] == 0)
                off = b.js("document.querySelectorAll('#ladder-pane svg [data-c=\"0\"].off').length")
                check(f"{name}: unticking connection {D['conns'][0]['name']} hides its {n0} arrows",
                      before - after == n0 and off > 0, (before, after, n0, off))
                b.js("document.querySelector('#conns input[data-c=\"0\"]').click()")
            if D["arrows"]:
                i = next((k for k, a in enumerate(D["arrows"]) if a.get("why")), 0)
                b.key("End", 35)
                b.js(f"document.querySelector('#ladder-pane svg line[data-a=\"{i}\"], #ladder-pane svg polyline[data-a=\"{i}\"]')"
                     ".dispatchEvent(new MouseEvent('mouseover', {bubbles: true}))")
                det = b.js("document.getElementById('details').textContent")
                a = D["arrows"][i]
                check(f"{name}: hovering an arrow shows its whole segment and why it was sent",
                      det and a["line"] in det and (a.get("why") or "") in det, det)
            check(f"{name}: no script error", not b.errors, b.errors[:3])
        finally:
            b.close()

    # --- the page in Chinese ----------------------------------------------------------------
    path = os.path.join(d, "basic-zh.html")
    subprocess.run([TCPSIM, "ladder", os.path.join(SCENARIOS, "handshake/basic.scn"), "-q",
                    "-o", os.devnull, "--lang", "zh", "--html", path], check=True)
    b = Browser("file://" + path + "#step=3", tempfile.mkdtemp(dir=d))
    try:
        got = b.js("[document.documentElement.lang, document.getElementById('h-fsm').textContent, "
                   "document.getElementById('step-label').textContent, "
                   "document.getElementById('details').textContent]")
        check("--lang zh: the page speaks Chinese (headings, steps, explain sentences)",
              got and got[0] == "zh-CN" and got[1].startswith("状态图") and "第 3 步" in got[2]
              and "主动打开" in got[3] + b.js("JSON.stringify(JSON.parse(document.getElementById('data').textContent).labels)"),
              got)
        check("no script error on the Chinese page", not b.errors, b.errors[:3])
    finally:
        b.close()

    # --- the windows, in sync -----------------------------------------------------------------
    path = os.path.join(d, "slow-start.html")
    subprocess.run([TCPSIM, "ladder", os.path.join(SCENARIOS, "congestion/slow-start.scn"), "-q",
                    "-o", os.devnull, "--to", "300ms", "--html", path], check=True)
    _, D = page_data(path)
    b = Browser("file://" + path + "#step=40", tempfile.mkdtemp(dir=d))
    try:
        paths = b.js("Array.from(document.querySelectorAll('#windows path')).map(p => p.dataset.series)")
        cx = b.js("+document.querySelector('#windows .win-cursor').getAttribute('x1')")
        b.key("End", 35)
        cx2 = b.js("+document.querySelector('#windows .win-cursor').getAttribute('x1')")
        check("the windows chart draws cwnd, ssthresh, the receive window, the flight and SRTT",
              paths and {"cwnd", "rwnd", "flight", "srtt"} <= set(paths), paths)
        check("the windows chart's cursor moves with the timeline", cx is not None and cx2 > cx,
              (cx, cx2))
        check("no script error on the windows page", not b.errors, b.errors[:3])
    finally:
        b.close()

    path = os.path.join(d, "accept-overflow.html")
    subprocess.run([TCPSIM, "ladder", os.path.join(SCENARIOS, "listen/accept-overflow.scn"), "-q",
                    "-o", os.devnull, "--html", path], check=True)
    b = Browser("file://" + path + "#step=1", tempfile.mkdtemp(dir=d))
    try:
        q = b.js("""(() => { const r = {};
          document.querySelectorAll('#windows path').forEach(p => {
            const ys = (p.getAttribute('d').match(/[VM][^A-Z]*/g) || []).map(v => parseFloat(v.split(/[ ,]/).pop()));
            r[p.dataset.series] = ys; });
          return JSON.stringify(Object.keys(r)); })()""")
        check("the listener's SYN queue and accept queue are drawn against time",
              q and "synq" in q and "acceptq" in q, q)
        check("no script error on the queues page", not b.errors, b.errors[:3])
    finally:
        b.close()

passed = sum(results)
print(f"{passed} passed, {len(results) - passed} failed")
sys.exit(0 if passed == len(results) else 1)
