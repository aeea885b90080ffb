#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Our TCP echo server (sockscope-cli serve tcp-echo, nothing recorded) against
socat's (TCP-LISTEN,fork PIPE), with the same Python client, in one run:

- bulk: SOCKSCOPE_BENCH_BYTES (default 1 GiB) in 64 KiB writes, read back
  whole; throughput ratio ours / socat (target >= 1.0)
- ping-pong: SOCKSCOPE_BENCH_ROUNDS (default 100,000) round trips of 64
  bytes on one connection; ratio ours / socat (target >= 1.0)
- memory: a client that writes as fast as it can and reads slowly, for a
  bounded time; our server's peak RSS, which backpressure must bound

Loopback only; every run stops by itself."""

import os
import re
import shutil
import socket
import subprocess
import sys
import threading
import time

CLI = sys.argv[1]
BULK = int(os.environ.get("SOCKSCOPE_BENCH_BYTES", str(1 << 30)))
ROUNDS = int(os.environ.get("SOCKSCOPE_BENCH_ROUNDS", "100000"))
SLOW_SECONDS = float(os.environ.get("SOCKSCOPE_BENCH_SLOW_SECONDS", "8"))
CHUNK = 64 * 1024


def start_ours():
    process = subprocess.Popen([CLI, "serve", "tcp-echo", "--read-buffer", str(CHUNK)],
                               stdout=subprocess.PIPE, text=True)
    match = re.match(r"Listening on 127\.0\.0\.1:(\d+)", process.stdout.readline())
    return process, int(match.group(1))


def start_socat():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    process = subprocess.Popen(["socat", f"TCP-LISTEN:{port},bind=127.0.0.1,reuseaddr,fork",
                                "PIPE"])
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return process, port
        except OSError:
            time.sleep(0.05)
    raise RuntimeError("socat did not listen")


def bulk(port):
    data = bytes(range(256)) * (CHUNK // 256)
    received = 0
    with socket.create_connection(("127.0.0.1", port)) as s:
        s.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

        def reader():
            nonlocal received
            while received < BULK:
                chunk = s.recv(1 << 20)
                if not chunk:
                    break
                received += len(chunk)

        thread = threading.Thread(target=reader)
        start = time.monotonic()
        thread.start()
        sent = 0
        while sent < BULK:
            s.sendall(data)
            sent += len(data)
        thread.join()
        elapsed = time.monotonic() - start
    assert received >= BULK, f"only {received} of {BULK} bytes came back"
    return BULK / elapsed


def ping_pong(port):
    message = b"p" * 64
    with socket.create_connection(("127.0.0.1", port)) as s:
        s.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        start = time.monotonic()
        for _ in range(ROUNDS):
            s.sendall(message)
            got = 0
            while got < 64:
                got += len(s.recv(64 - got))
        return ROUNDS / (time.monotonic() - start)


def rss_kib(pid):
    with open(f"/proc/{pid}/status", encoding="ascii") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0


def slow_reader_peak(process, port):
    """Writes without pause, reads 4 KiB every 10 ms; returns the peak RSS
    of the server and how much the client got to write."""
    stop = time.monotonic() + SLOW_SECONDS
    base = rss_kib(process.pid)
    peak = base
    written = 0
    data = b"s" * CHUNK
    with socket.create_connection(("127.0.0.1", port)) as s:
        s.setblocking(False)
        while time.monotonic() < stop and written < (1 << 30):
            try:
                written += s.send(data)
            except BlockingIOError:
                pass
            try:
                s.recv(4096)
            except BlockingIOError:
                pass
            time.sleep(0.01)
            peak = max(peak, rss_kib(process.pid))
    return base, peak, written


def main():
    if shutil.which("socat") is None:
        print("bench-echo: socat is not installed")
        return 77
    ours, ours_port = start_ours()
    theirs, theirs_port = start_socat()
    try:
        ours_bulk = bulk(ours_port)
        theirs_bulk = bulk(theirs_port)
        print(f"bulk echo, {BULK >> 20} MiB in 64 KiB writes: sockscope "
              f"{ours_bulk / 2**20:.0f} MiB/s, socat {theirs_bulk / 2**20:.0f} MiB/s: "
              f"ratio {ours_bulk / theirs_bulk:.2f}")
        ours_pp = ping_pong(ours_port)
        theirs_pp = ping_pong(theirs_port)
        print(f"ping-pong, {ROUNDS} round trips of 64 bytes: sockscope {ours_pp:.0f}/s, "
              f"socat {theirs_pp:.0f}/s: ratio {ours_pp / theirs_pp:.2f}")
        base, peak, written = slow_reader_peak(ours, ours_port)
        print(f"slow reader for {SLOW_SECONDS:.0f} s ({written >> 20} MiB written): sockscope "
              f"RSS {base / 1024:.1f} MiB at rest, peak {peak / 1024:.1f} MiB")
    finally:
        for process in (ours, theirs):
            process.terminate()
            process.wait()
    return 0


sys.exit(main())
