# SPDX-License-Identifier: GPL-3.0-or-later
"""Peers for `sockscope-cli send`, written with Python's socket module: a
server that never stops sending, one that sends a byte now and then, one
that resets in the middle of its answer, a sink that counts what it is
sent, and a UDP target with a third party beside it. Each listens on
127.0.0.1 (or ::1) on a port the system chooses, serves one client in a
thread of its own, and stops when the test leaves its `with` block.

run() starts the CLI and watches it: its exit status, what it printed,
how long it ran, and its resident memory read from /proc every 20 ms (it
is killed once past `kill_rss_kib`, so that a client that reads without
end cannot take this machine's memory)."""

import hashlib
import os
import socket
import struct
import subprocess
import threading
import time

from taplib import rss_kib

ENV = dict(os.environ, LC_ALL="C.UTF-8", LANGUAGE="")
SANITIZED = os.environ.get("SOCKSCOPE_SANITIZE", "none") != "none"


class TcpPeer:
    """Accepts one connection on loopback and runs self.serve(conn) on it."""

    def __init__(self, family=socket.AF_INET):
        self.listener = socket.socket(family, socket.SOCK_STREAM)
        self.listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.listener.bind(("::1" if family == socket.AF_INET6 else "127.0.0.1", 0))
        self.listener.listen(8)
        self.port = self.listener.getsockname()[1]
        self.stopping = threading.Event()
        self.connected = threading.Event()
        self.done = threading.Event()
        self.error = None
        self.thread = threading.Thread(target=self._run, daemon=True)

    def _run(self):
        self.listener.settimeout(0.1)
        try:
            while not self.stopping.is_set():
                try:
                    conn, _ = self.listener.accept()
                except socket.timeout:
                    continue
                self.connected.set()
                with conn:
                    self.serve(conn)
                return
        except OSError as error:
            self.error = error
        finally:
            self.done.set()

    def serve(self, conn):
        raise NotImplementedError

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.stopping.set()
        self.thread.join(timeout=20)
        self.listener.close()

    def accepted_nobody(self):
        """True when no client connected, not even into the backlog."""
        self.stopping.set()
        self.thread.join(timeout=20)
        self.listener.setblocking(False)
        try:
            self.listener.accept()[0].close()
            return False
        except BlockingIOError:
            return not self.connected.is_set()


class Flood(TcpPeer):
    """Sends 64 KiB after 64 KiB until the client goes."""

    def serve(self, conn):
        block = b"F" * 65536
        try:
            while not self.stopping.is_set():
                conn.sendall(block)
        except OSError:
            pass


class Trickle(TcpPeer):
    """One byte every 0.2 s, for ever: never silent long enough for --timeout."""

    def serve(self, conn):
        try:
            while not self.stopping.wait(0.2):
                conn.sendall(b".")
        except OSError:
            pass


class Script(TcpPeer):
    """Sends each piece after its pause, then closes (or resets)."""

    def __init__(self, pieces, reset=False, family=socket.AF_INET):
        super().__init__(family)
        self.pieces = pieces
        self.reset = reset

    def serve(self, conn):
        for pause, data in self.pieces:
            time.sleep(pause)
            conn.sendall(data)
        if self.reset:
            # SO_LINGER with a zero timeout: close() sends RST, not FIN.
            conn.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            return
        # What the client sent is read, or closing would reset the connection.
        self.stopping.wait(0.3)
        conn.setblocking(False)
        try:
            while conn.recv(65536):
                pass
        except OSError:
            pass


class Sink(TcpPeer):
    """Reads until the client shuts down or goes; counts and hashes the bytes."""

    def __init__(self, family=socket.AF_INET, keep=1 << 20, on_bytes=None):
        super().__init__(family)
        self.count = 0
        self.sha = hashlib.sha256()
        self.head = bytearray()
        self.keep = keep
        self.on_bytes = on_bytes

    def serve(self, conn):
        conn.settimeout(60)
        try:
            while True:
                data = conn.recv(1 << 16)
                if not data:
                    return
                self.count += len(data)
                self.sha.update(data)
                if len(self.head) < self.keep:
                    self.head += data[: self.keep - len(self.head)]
                if self.on_bytes:
                    self.on_bytes(self.count)
        except OSError:
            pass


class UdpTarget:
    """A UDP socket on loopback that waits for the client's datagram, then
    lets `answer(client_address)` do what the test wants."""

    def __init__(self, answer, family=socket.AF_INET):
        self.family = family
        self.host = "::1" if family == socket.AF_INET6 else "127.0.0.1"
        self.sock = socket.socket(family, socket.SOCK_DGRAM)
        self.sock.bind((self.host, 0))
        self.port = self.sock.getsockname()[1]
        self.answer = answer
        self.got = None
        self.client = None
        self.error = None
        self.thread = threading.Thread(target=self._run, daemon=True)

    def _run(self):
        self.sock.settimeout(20)
        try:
            self.got, self.client = self.sock.recvfrom(65536)
            self.answer(self)
        except Exception as error:  # noqa: BLE001 - reported by the test
            self.error = error

    def third_party(self, payload, count=1):
        """Datagrams to the client from another socket than the target."""
        with socket.socket(self.family, socket.SOCK_DGRAM) as other:
            other.bind((self.host, 0))
            for _ in range(count):
                other.sendto(payload, self.client)
            return other.getsockname()[1]

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.thread.join(timeout=20)
        self.sock.close()


class Result:
    def __init__(self, code, out, err, peak_kib, seconds, out_count):
        self.code = code
        self.out = out
        self.err = err
        self.peak_kib = peak_kib
        self.seconds = seconds
        self.out_count = out_count

    def __repr__(self):
        return (f"exit {self.code} after {self.seconds:.1f} s, peak RSS {self.peak_kib} KiB, "
                f"{self.out_count} bytes out, stderr {self.err[-600:]!r}")


def run(argv, timeout=30, kill_rss_kib=None, keep_out=16 << 20, stdout=None, env=None):
    """Runs argv, draining its output as it comes; kills it after `timeout`
    seconds or once its RSS passes `kill_rss_kib`."""
    start = time.monotonic()
    process = subprocess.Popen(argv, stdin=subprocess.DEVNULL,
                               stdout=stdout if stdout is not None else subprocess.PIPE,
                               stderr=subprocess.PIPE, env=env or ENV)
    out = bytearray()
    err = bytearray()
    counted = [0]

    def drain(stream, into, limit):
        while True:
            data = stream.read1(1 << 16)
            if not data:
                return
            counted[0] += len(data) if into is out else 0
            if len(into) < limit:
                into += data[: limit - len(into)]

    threads = [threading.Thread(target=drain, args=(process.stderr, err, 1 << 20), daemon=True)]
    if stdout is None:
        threads.append(threading.Thread(target=drain, args=(process.stdout, out, keep_out),
                                        daemon=True))
    for thread in threads:
        thread.start()
    peak = 0
    killed = None
    while process.poll() is None:
        peak = max(peak, rss_kib(process.pid))
        if kill_rss_kib and peak > kill_rss_kib:
            killed = f"killed: its RSS passed {kill_rss_kib} KiB"
        elif time.monotonic() - start > timeout:
            killed = f"killed: still running after {timeout} s"
        if killed:
            process.kill()
            break
        time.sleep(0.02)
    process.wait()
    for thread in threads:
        thread.join(timeout=20)
    seconds = time.monotonic() - start
    # GLib writes sizes with a no-break space before the unit: "64.0 MiB".
    text = err.decode("utf-8", "replace").replace("\u00a0", " ")
    text += f"\n[{killed}]" if killed else ""
    return Result(process.returncode, bytes(out), text, peak, seconds, counted[0])


def closed_udp_port(family=socket.AF_INET):
    """A UDP port nothing is bound to (bound a moment, then closed)."""
    with socket.socket(family, socket.SOCK_DGRAM) as s:
        s.bind(("::1" if family == socket.AF_INET6 else "127.0.0.1", 0))
        return s.getsockname()[1]
