#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Runs the scripts of test/packetdrill/linux-measured/ against tcpsim's Linux personality.

Usage: run_measured.py TCPSIM [SCRIPT...]

Each script there was written for a behaviour the public suites do not pin down, and was
run on Linux 6.18.44 (x86_64, HZ 250) under upstream packetdrill with
--tolerance_usecs=4000: it passed there. Its first comment lines say what it shows. Here
each must pass under `tcpsim pkt --tolerance_usecs=4000` (strict: flags, seq, ack,
window, options, send times; tcpsim pkt charges the receive buffer for the linear skbs
of packetdrill's tun device, rx_skb tun), over IPv4 and, unless the script sets its own
MTU, over IPv6 as Linux passed them too. Exit 1 if any fails, with its verdict line.
"""
import glob
import os
import subprocess
import sys


def main(argv):
    if len(argv) < 2:
        print(__doc__)
        return 2
    tcpsim = argv[1]
    here = os.path.join(os.path.dirname(os.path.abspath(__file__)), "linux-measured")
    scripts = argv[2:] or sorted(glob.glob(os.path.join(here, "*.pkt")))
    failed = runs = 0
    for path in scripts:
        modes = [("ipv4", [])]
        if not any(line.startswith("--mtu") for line in open(path)):
            # Linux passed these over IPv6 too (run_all.py's flags: MSS 1460 there).
            modes.append(("ipv6", ["--ip_version=ipv6", "--mtu=1520"]))
        for mode, flags in modes:
            runs += 1
            r = subprocess.run([tcpsim, "pkt", "--tolerance_usecs=4000", *flags, path],
                               capture_output=True, text=True, timeout=60)
            verdict = (r.stdout.strip().splitlines() or ["(no output)"])[-1]
            ok = r.returncode == 0 and "status=pass" in verdict
            print(f"{'pass' if ok else 'FAIL'}  {os.path.basename(path)} ({mode})")
            if not ok:
                failed += 1
                print("      " + verdict)
                for line in r.stderr.strip().splitlines()[-5:]:
                    print("      " + line)
    print(f"linux-measured: {runs - failed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
