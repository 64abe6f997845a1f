#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Totals test results from meson's testlog.json files.

A CUnit program prints "CUNIT-SUMMARY passed=N failed=M" and counts as its N + M tests;
every other meson test (a golden trace, a lint check) counts as one. Prints the failures,
then the line "N passed, N failed".
"""
import json
import re
import sys

SUMMARY = re.compile(r"CUNIT-SUMMARY passed=(\d+) failed=(\d+)")


def main(paths):
    passed = failed = 0
    failures = []
    for path in paths:
        with open(path, encoding="utf-8") as f:
            for line in f:
                t = json.loads(line)
                ok = t["result"] in ("OK", "EXPECTEDFAIL", "SKIP")
                m = SUMMARY.search(t.get("stdout", "") or "")
                if m:
                    p, fl = int(m.group(1)), int(m.group(2))
                    passed += p
                    failed += fl
                    if fl or not ok:
                        failures.append(f"{path}: {t['name']}")
                        if not fl:
                            failed += 1
                elif ok:
                    passed += 1
                else:
                    failed += 1
                    failures.append(f"{path}: {t['name']}")
    for f in failures:
        print("FAILED:", f)
    print(f"{passed} passed, {failed} failed")
    return 0 if failed == 0 else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
