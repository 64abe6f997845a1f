#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Runs one scenario over many seeds: every run must exit 0 (all its expects hold).

usage: seeds.py TCPSIM SCENARIO [FIRST LAST]

A bundled scenario pins one seed for its golden trace; some behaviours (the zero-window
ACKs of transfer/two-writers) only show over many loss patterns.
"""
import subprocess
import sys


def main():
    tcpsim, scn = sys.argv[1], sys.argv[2]
    first, last = (int(sys.argv[3]), int(sys.argv[4])) if len(sys.argv) > 4 else (1, 40)
    failed = []
    for seed in range(first, last + 1):
        r = subprocess.run([tcpsim, 'run', scn, '--seed', str(seed), '--no-trace'],
                           capture_output=True, text=True)
        if r.returncode != 0:
            failed.append(seed)
            sys.stdout.write('seed %d: exit %d\n%s%s' % (seed, r.returncode, r.stdout, r.stderr))
    n = last - first + 1
    print('%s: %d seeds, %d failed%s' % (scn, n, len(failed),
                                        (' (' + ' '.join(map(str, failed)) + ')') if failed else ''))
    return 1 if failed else 0


if __name__ == '__main__':
    sys.exit(main())
