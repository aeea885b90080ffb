#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Soak: the worst loads for memory, for minutes, and the resident memory
of sockscope-cli over time. Every store has a bound; once what may be kept
is kept, RSS must be flat however long the load goes on.

Scenarios (SOCKSCOPE_SOAK_SECONDS each, default 120):
- udp-echo with 1-byte datagrams, as fast as one client goes: nothing
  recorded; --events read by a pipe to /dev/null; --record with the
  default limits (it stops at 1,000,000 events)
- tcp-echo, connect and close cycles: nothing recorded; --record
- send against a peer that never stops sending (its default limits off,
  so that it runs the whole time)

For each: RSS at the start and at every sixth of the time; the figure is
the growth over the last two thirds (once every bound that can be reached
is reached) as a ratio to the RSS at the start (flat: 0.00).
Loopback only; every run stops by itself."""

import os
import re
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time

sys.path.insert(0, os.path.join(os.path.dirname(__file__), ".."))
from loadclients import connect_close, udp_ping_pong  # noqa: E402
from taplib import rss_kib  # noqa: E402

CLI = os.path.abspath(sys.argv[1])
SECONDS = float(os.environ.get("SOCKSCOPE_SOAK_SECONDS", "120"))
ENV = dict(os.environ, LC_ALL="C.UTF-8", LANGUAGE="")


def serve(kind, *options, stdout=subprocess.PIPE):
    proc = subprocess.Popen([CLI, "serve", kind, "--port", "0", "--backlog", "128", *options],
                            stdout=stdout, stderr=subprocess.PIPE, env=ENV)
    stream = proc.stderr if "--events" in options else proc.stdout
    line = stream.readline().decode()
    match = re.match(r"Listening on 127\.0\.0\.1:(\d+)", line)
    if not match:
        raise RuntimeError(line + proc.stderr.read().decode())
    return proc, int(match.group(1))


def udp_load(port, stop):
    return udp_ping_pong(port, lambda: not stop.is_set())


def cycle_load(port, stop):
    return connect_close(port, lambda: not stop.is_set())


def endless_sender(stop, sent):
    """A server that sends to whoever connects until the end of the run;
    sent[0] counts the bytes the kernel took."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(4)
    port = listener.getsockname()[1]

    def run():
        listener.settimeout(0.5)
        chunk = b"endless " * 8192
        while not stop.is_set():
            try:
                conn, _ = listener.accept()
            except socket.timeout:
                continue
            conn.settimeout(0.5)
            with conn:
                while not stop.is_set():
                    try:
                        conn.sendall(chunk)
                        sent[0] += len(chunk)
                    except socket.timeout:
                        continue
                    except OSError:
                        break
        listener.close()

    threading.Thread(target=run, daemon=True).start()
    return port


def watch(pid, load, stop):
    """Runs @load until SECONDS have passed; returns RSS samples, taken at
    the start and at every sixth of the time."""
    result = {}
    worker = threading.Thread(target=lambda: result.update(n=load(stop)), daemon=True)
    started = time.monotonic()
    worker.start()
    samples = [(0.0, rss_kib(pid))]
    for sixth in range(1, 7):
        while time.monotonic() - started < SECONDS * sixth / 6:
            time.sleep(0.2)
        samples.append((time.monotonic() - started, rss_kib(pid)))
    stop.set()
    worker.join(timeout=30)
    return samples, result.get("n", 0)


def report(name, samples, count, unit):
    start, third, (t, end) = samples[0][1], samples[2][1], samples[-1]
    growth = (end - third) / start
    series = " ".join(f"{rss / 1024:.1f}" for _, rss in samples)
    print(f"{name:<40} RSS MiB every {SECONDS / 6:.0f} s: {series}", flush=True)
    print(f"{'':<40} growth over the last two thirds ÷ RSS at the start {growth:+.2f}; "
          f"{count:,} {unit} in {t:.0f} s", flush=True)


def end(proc):
    proc.send_signal(signal.SIGINT)
    try:
        proc.wait(timeout=120)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


def main():
    print(f"Soak: {SECONDS:.0f} s a scenario; RSS at the start and every {SECONDS / 6:.0f} s",
          flush=True)
    with tempfile.TemporaryDirectory() as work:
        scenarios = [
            ("udp-echo, 1-byte datagrams", "udp-echo", [], udp_load, "datagrams"),
            ("udp-echo --events (read)", "udp-echo", ["--events"], udp_load, "datagrams"),
            ("udp-echo --record (stops at 1M events)", "udp-echo",
             ["--record", os.path.join(work, "udp.pcapng")], udp_load, "datagrams"),
            ("tcp-echo, connect/close cycles", "tcp-echo", [], cycle_load, "cycles"),
            ("tcp-echo --record, cycles", "tcp-echo",
             ["--record", os.path.join(work, "tcp.pcapng")], cycle_load, "cycles"),
        ]
        for name, kind, options, load, unit in scenarios:
            stdout = subprocess.DEVNULL if "--events" in options else subprocess.PIPE
            if "--events" in options:
                # Read, as a log collector would: to /dev/null through a pipe.
                proc, port = serve(kind, *options)
                threading.Thread(target=lambda p=proc: [None for _ in p.stdout],
                                 daemon=True).start()
            else:
                proc, port = serve(kind, *options, stdout=stdout)
            stop = threading.Event()
            samples, count = watch(proc.pid, lambda s, p=port, f=load: f(p, s), stop)
            end(proc)
            report(name, samples, count, unit)

        # send: a peer that never stops; send's own limits off for the run.
        stop = threading.Event()
        sent = [0]
        port = endless_sender(stop, sent)
        options = os.environ.get("SOCKSCOPE_SOAK_SEND_OPTIONS", "--max-receive 0 --max-time 0")
        proc = subprocess.Popen([CLI, "send", "127.0.0.1", str(port), "hi", "--timeout",
                                 str(int(SECONDS * 2000)), *options.split()],
                                stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=ENV)
        time.sleep(0.5)
        samples, _ = watch(proc.pid, lambda s: s.wait(), stop)
        still = proc.poll() is None
        end(proc)
        report("send, from a peer that never stops", samples, sent[0] // (1024 * 1024),
               "MiB received")
        if not still:
            print("  (send ended by itself before the run was over: its default limit; "
                  "SOCKSCOPE_SOAK_SEND_OPTIONS sets others)", flush=True)


main()
