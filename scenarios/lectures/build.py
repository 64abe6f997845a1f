#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Fills the generated parts of the lecture pages from real runs, or checks them.

    scenarios/lectures/build.py TCPSIM            rewrite the pages' blocks and img/*.svg
    scenarios/lectures/build.py TCPSIM --check    change nothing; exit 1 if anything is stale

TCPSIM is the tcpsim binary (./build/sim/tcpsim). A page marks each generated block with
a comment that says what to run, and an end comment:

    <!-- tcpsim: ladder scenarios/handshake/basic.scn --to 50ms -->
    ... (generated: the picture, then the command and its output) ...
    <!-- /tcpsim -->

Kinds of block:

    ladder FILE [OPTION...]       tcpsim ladder FILE OPTION...: the SVG ladder (img/), then
                                  the command and the text ladder
    trace FILE [OPTION...] grep RE   tcpsim run FILE OPTION... | grep -E 'RE': the command
                                  and the matching trace lines
    plot-cwnd FILE [OPTION...]    tcpsim run FILE --no-trace --plot-cwnd: the plot (img/)

The Chinese pages (zh/) carry the same markers; their pictures are drawn with --lang zh
into the same img/, named zh-PAGE-N.svg.

Every run must pass its scenario's expects (exit status 0), so a page never shows a run
that contradicts the scenario's own checks. The images are named after the page and
the block's place in it (img/03-four-way-close-1.svg); an image no page uses is removed
(or, with --check, reported).
"""
import os
import re
import shlex
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.abspath(os.path.join(HERE, "..", ".."))
IMG = os.path.join(HERE, "img")
SHOWN_BINARY = "./build/sim/tcpsim"  # how pages spell the binary (run from the top)

BLOCK = re.compile(r"(<!-- tcpsim: (.*?) -->\n)(.*?)(<!-- /tcpsim -->)", re.S)


class BlockError(Exception):
    pass


def run(tcpsim, args):
    """Runs tcpsim from the top of the tree; returns its standard output."""
    p = subprocess.run([tcpsim] + args, cwd=ROOT, capture_output=True, text=True)
    if p.returncode != 0:
        raise BlockError(f"`tcpsim {' '.join(args)}` exited {p.returncode}:\n{p.stderr}")
    return p.stdout


def shown(words):
    return " ".join(shlex.quote(w) for w in words)


def fence(text):
    return "```text\n" + text.rstrip("\n") + "\n```\n"


def render(tcpsim, spec, image_name, tmp, lang="en"):
    """Returns (the block's text, the image's bytes or None) for one marker. A Chinese
    page (lang "zh", in zh/) has the same markers as the English one: its pictures are
    drawn with --lang zh and its images, in the shared img/, are named zh-..."""
    words = shlex.split(spec)
    if len(words) < 2:
        raise BlockError(f"'{spec}': expected KIND FILE [OPTION...]")
    kind, scn, opts = words[0], words[1], words[2:]
    img = "img" if lang == "en" else "../img"
    if lang != "en" and kind in ("ladder", "plot-cwnd"):
        opts = opts + ["--lang", lang]
    if not os.path.isfile(os.path.join(ROOT, scn)):
        raise BlockError(f"'{spec}': no such scenario {scn}")
    svg = os.path.join(tmp, "picture.svg")
    if kind == "ladder":
        out = run(tcpsim, ["ladder", scn] + opts + ["--ladder-svg", svg])
        with open(svg, "rb") as f:
            picture = f.read()
        alt = f"The ladder diagram of {scn}" if lang == "en" else f"{scn} 的时序图"
        text = (f"![{alt}]({img}/{image_name})\n\n"
                + fence(f"$ {SHOWN_BINARY} ladder {shown([scn] + opts)}\n" + out))
        return text, picture
    if kind == "trace":
        if len(opts) < 2 or opts[-2] != "grep":
            raise BlockError(f"'{spec}': a trace block ends with grep REGEX")
        pattern, opts = opts[-1], opts[:-2]
        out = run(tcpsim, ["run", scn] + opts)
        lines = [ln for ln in out.splitlines() if re.search(pattern, ln)]
        cmd = f"$ {SHOWN_BINARY} run {shown([scn] + opts)} | grep -E {shlex.quote(pattern)}"
        return fence("\n".join([cmd] + lines)), None
    if kind == "plot-cwnd":
        run(tcpsim, ["run", scn, "--no-trace", "-q"] + opts + ["--plot-cwnd", svg])
        with open(svg, "rb") as f:
            picture = f.read()
        cmd = f"$ {SHOWN_BINARY} run {shown([scn] + opts)} --no-trace --plot-cwnd cwnd.svg"
        alt = f"The congestion window of {scn}" if lang == "en" else f"{scn} 的拥塞窗口"
        text = f"![{alt}]({img}/{image_name})\n\n" + fence(cmd)
        return text, picture
    raise BlockError(f"'{spec}': unknown kind {kind} (ladder, trace, plot-cwnd)")


def build_page(tcpsim, path, tmp):
    """Returns the page's new text and the images it uses {name: bytes}."""
    with open(path, encoding="utf-8") as f:
        old = f.read()
    stem = os.path.splitext(os.path.basename(path))[0]
    lang = "zh" if os.path.basename(os.path.dirname(path)) == "zh" else "en"
    if lang != "en":
        stem = f"{lang}-{stem}"
    images = {}
    count = 0

    def fill(m):
        nonlocal count
        count += 1
        name = f"{stem}-{count}.svg"
        try:
            text, picture = render(tcpsim, m.group(2), name, tmp, lang)
        except BlockError as e:
            raise BlockError(f"{os.path.relpath(path, ROOT)}: {e}") from None
        if picture is not None:
            images[name] = picture
        return m.group(1) + text + m.group(4)

    return old, BLOCK.sub(fill, old), images


def main(argv):
    check = "--check" in argv
    args = [a for a in argv if a != "--check"]
    if len(args) != 1:
        print("usage: build.py TCPSIM [--check]", file=sys.stderr)
        return 2
    tcpsim = os.path.abspath(args[0])
    pages = sorted(os.path.join(HERE, f) for f in os.listdir(HERE) if f.endswith(".md"))
    zh = os.path.join(HERE, "zh")
    if os.path.isdir(zh):
        pages += sorted(os.path.join(zh, f) for f in os.listdir(zh) if f.endswith(".md"))
    stale = []  # (path, what is wrong with it)
    wanted = {}
    with tempfile.TemporaryDirectory() as tmp:
        for page in pages:
            try:
                old, new, images = build_page(tcpsim, page, tmp)
            except BlockError as e:
                print(f"build.py: {e}", file=sys.stderr)
                return 1
            wanted.update(images)
            if new != old:
                stale.append((page, "out of date"))
                if not check:
                    with open(page, "w", encoding="utf-8") as f:
                        f.write(new)
    if wanted and not check:
        os.makedirs(IMG, exist_ok=True)
    for name, picture in sorted(wanted.items()):
        path = os.path.join(IMG, name)
        if not os.path.exists(path):
            stale.append((path, "missing"))
        elif open(path, "rb").read() != picture:
            stale.append((path, "out of date"))
        else:
            continue
        if not check:
            with open(path, "wb") as f:
                f.write(picture)
    for name in sorted(os.listdir(IMG)) if os.path.isdir(IMG) else []:
        if name not in wanted:
            stale.append((os.path.join(IMG, name), "used by no page"))
            if not check:
                os.remove(os.path.join(IMG, name))
    for path, what in stale:
        done = "" if check else " (fixed)"
        print(f"{os.path.relpath(path, ROOT)}: {what}{done}", file=sys.stderr if check else sys.stdout)
    if check and stale:
        print("build.py: the lecture pages do not match the simulator; run "
              "scenarios/lectures/build.py build/sim/tcpsim, then read the pages' prose "
              "against the new pictures", file=sys.stderr)
        return 1
    if check:
        print(f"build.py: {len(pages)} pages and {len(wanted)} pictures up to date")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
