#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Captures real Linux TCP connections for `tcpsim replay`: each case runs a small
Python client and server in two network namespaces joined by a veth pair (192.0.2.1 and
192.0.2.2, TEST-NET-1 addresses that exist only inside the namespaces this script makes),
and tcpdump records the client's side.

Usage: make_captures.py OUTDIR [CASE...]   (as root; needs ip, tcpdump, unshare support)
Exit 77 when the machine cannot make namespaces or has no tcpdump.

The kernel's own settings of a fresh namespace apply (tcp_rmem, cubic, ...); the MTU is
1500. Every connection is bounded in time and the namespaces are removed at the end.
"""
import os
import shutil
import subprocess
import sys
import textwrap
import time

A, B = "192.0.2.1", "192.0.2.2"
PORT = 8080

# Each case: (server code, client code, extra setup run in B after the connection is
# up: None or (delay seconds, shell command)). Code runs with `socket`, `time`, `struct`
# imported; the server listens on PORT; the client connects to B.
CASES = {
    "close-client-first": (
        """
        s = listen()
        c, _ = s.accept()
        c.recv(1000)
        c.sendall(b"r" * 200)
        while c.recv(1000):
            pass
        time.sleep(0.05)
        c.close()
        """,
        """
        c = socket.create_connection((B, PORT))
        c.sendall(b"q" * 100)
        got = 0
        while got < 200:
            got += len(c.recv(1000))
        time.sleep(0.1)
        c.close()
        time.sleep(0.3)
        """, None),
    "close-server-first": (
        """
        s = listen()
        c, _ = s.accept()
        c.recv(1000)
        c.sendall(b"r" * 300)
        c.close()
        """,
        """
        c = socket.create_connection((B, PORT))
        c.sendall(b"q" * 100)
        while c.recv(1000):
            pass
        time.sleep(0.1)
        c.close()
        time.sleep(0.3)
        """, None),
    "half-close": (
        """
        s = listen()
        c, _ = s.accept()
        n = 0
        while True:
            d = c.recv(1000)
            if not d:
                break
            n += len(d)
        time.sleep(0.1)
        c.sendall(b"r" * n)
        c.close()
        """,
        """
        c = socket.create_connection((B, PORT))
        c.sendall(b"q" * 500)
        c.shutdown(socket.SHUT_WR)
        while c.recv(1000):
            pass
        c.close()
        time.sleep(0.3)
        """, None),
    "refused": (
        """
        time.sleep(0.5)
        """,
        """
        try:
            socket.create_connection((B, PORT + 1), timeout=1)
        except OSError:
            pass
        time.sleep(0.1)
        """, None),
    "window-limited": (
        """
        s = listen(rcvbuf=8192)
        c, _ = s.accept()
        time.sleep(0.3)
        n = 0
        while n < 40000:
            d = c.recv(4096)
            if not d:
                break
            n += len(d)
            time.sleep(0.02)
        while c.recv(4096):
            pass
        c.close()
        """,
        """
        c = socket.create_connection((B, PORT))
        c.sendall(b"d" * 40000)
        c.shutdown(socket.SHUT_WR)
        while c.recv(1000):
            pass
        c.close()
        time.sleep(0.3)
        """, None),
    "keepalive": (
        """
        s = listen()
        c, _ = s.accept()
        while c.recv(1000):
            pass
        c.close()
        """,
        """
        c = socket.create_connection((B, PORT))
        c.setsockopt(socket.SOL_SOCKET, socket.SO_KEEPALIVE, 1)
        c.setsockopt(socket.IPPROTO_TCP, socket.TCP_KEEPIDLE, 1)
        c.setsockopt(socket.IPPROTO_TCP, socket.TCP_KEEPINTVL, 1)
        c.setsockopt(socket.IPPROTO_TCP, socket.TCP_KEEPCNT, 3)
        time.sleep(3.5)
        c.close()
        time.sleep(0.3)
        """, None),
    "peer-vanishes": (
        """
        s = listen()
        c, _ = s.accept()
        c.recv(1000)
        time.sleep(5)
        """,
        """
        c = socket.create_connection((B, PORT))
        c.setsockopt(socket.IPPROTO_TCP, socket.TCP_USER_TIMEOUT, 3000)
        c.sendall(b"q" * 100)
        time.sleep(0.3)
        try:
            c.sendall(b"w" * 100)
            c.recv(1000)
        except OSError:
            pass
        c.close()
        """, (0.2, "ip addr del 192.0.2.2/24 dev vb")),
}

PRELUDE = """
import socket, struct, time
B, PORT = %r, %d
def listen(rcvbuf=None):
    s = socket.socket()
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    if rcvbuf:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, rcvbuf)
    s.bind(("0.0.0.0", PORT))
    s.listen(8)
    s.settimeout(10)
    return s
""" % (B, PORT)


def sh(*args, check=True):
    return subprocess.run(args, check=check, capture_output=True, text=True)


def run_case(name, outdir):
    server, client, later = CASES[name]
    tag = f"tsr{os.getpid() % 10000}"
    na, nb = f"{tag}a", f"{tag}b"
    sh("ip", "netns", "add", na)
    sh("ip", "netns", "add", nb)
    try:
        sh("ip", "link", "add", "va", "netns", na, "type", "veth", "peer", "name", "vb",
           "netns", nb)
        for ns, dev, addr in ((na, "va", A), (nb, "vb", B)):
            sh("ip", "-n", ns, "addr", "add", f"{addr}/24", "dev", dev)
            sh("ip", "-n", ns, "link", "set", dev, "up", "mtu", "1500")
            sh("ip", "-n", ns, "link", "set", "lo", "up")
            # No offloads: what tcpdump sees is what the wire carries.
            subprocess.run(["ip", "netns", "exec", ns, "ethtool", "-K", dev, "tso", "off",
                            "gso", "off", "gro", "off"], capture_output=True)
        pcap = os.path.join(outdir, f"{name}.pcap")
        dump = subprocess.Popen(["ip", "netns", "exec", na, "tcpdump", "-i", "va", "-U", "-s",
                                 "128", "-w", pcap, "tcp"], stdout=subprocess.DEVNULL,
                                stderr=subprocess.DEVNULL)
        time.sleep(0.5)
        srv = subprocess.Popen(["ip", "netns", "exec", nb, sys.executable, "-c",
                                PRELUDE + textwrap.dedent(server)])
        time.sleep(0.2)
        cli = subprocess.Popen(["ip", "netns", "exec", na, sys.executable, "-c",
                                PRELUDE + textwrap.dedent(client)])
        if later:
            time.sleep(later[0])
            sh("ip", "netns", "exec", nb, *later[1].split())
        for p in (cli, srv):
            try:
                p.wait(timeout=20)
            except subprocess.TimeoutExpired:
                p.kill()
        time.sleep(0.3)
        dump.terminate()
        dump.wait(timeout=5)
        return pcap
    finally:
        sh("ip", "netns", "del", na, check=False)
        sh("ip", "netns", "del", nb, check=False)


def main():
    if len(sys.argv) < 2:
        print(__doc__)
        return 2
    if os.geteuid() != 0 or not shutil.which("tcpdump") or not shutil.which("ip"):
        print("make_captures: needs root, ip and tcpdump: skipped")
        return 77
    probe = subprocess.run(["unshare", "-n", "true"], capture_output=True)
    if probe.returncode != 0:
        print("make_captures: cannot make network namespaces here: skipped")
        return 77
    outdir = sys.argv[1]
    os.makedirs(outdir, exist_ok=True)
    for name in sys.argv[2:] or sorted(CASES):
        print(f"make_captures: {name}: {run_case(name, outdir)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
