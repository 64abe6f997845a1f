#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Embeds the interactive page's template in C: embed.py page.html out.c

Writes `const char tcpsim_html_page[]`, the file's bytes as one string of concatenated
literals, a line each, so that tcpsim carries the page with it (no file to find at run
time, nothing to fetch)."""
import sys

src, dst = sys.argv[1], sys.argv[2]
with open(src, encoding="utf-8") as f:
    text = f.read()
out = ["/* Generated from sim/view/html/page.html by embed.py: do not edit. */",
       "extern const char tcpsim_html_page[];",
       "const char tcpsim_html_page[] ="]
for line in text.splitlines(keepends=True):
    esc = []
    for ch in line.encode("utf-8"):
        c = chr(ch)
        if c == "\\":
            esc.append("\\\\")
        elif c == '"':
            esc.append('\\"')
        elif c == "\n":
            esc.append("\\n")
        elif c == "?":
            esc.append("\\?")  # no trigraphs
        elif 32 <= ch < 127:
            esc.append(c)
        else:
            esc.append("\\%03o" % ch)
    out.append('    "' + "".join(esc) + '"')
out.append("    ;")
with open(dst, "w", encoding="ascii") as f:
    f.write("\n".join(out) + "\n")
