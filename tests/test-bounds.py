#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Memory that stops growing, and outputs that never stop the server.

`sockscope-cli serve` keeps only what it is asked to: nothing without
--record or --events, each event until printed with --events, the session
within its limits with --record. Each case drives the real server on
loopback and watches its resident memory from /proc: it must be flat once
what may be kept is kept, however long the traffic goes on. A reader that
stops reading --events must not freeze the server, and Ctrl+C must still
end it. Every load here is bounded in count and time, and stops by itself."""

import json
import os
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time

sys.path.insert(0, os.path.dirname(__file__))
from loadclients import connect_close, for_count, for_seconds, udp_ping_pong  # noqa: E402
from taplib import Tap, recv_all, rss_kib  # noqa: E402

CLI = os.path.abspath(sys.argv[1])
ENV = dict(os.environ, LC_ALL="C.UTF-8", LANGUAGE="")
# Under AddressSanitizer memory holds a quarantine and shadow of its own:
# the bounds on RSS are for the build users run.
SANITIZED = os.environ.get("SOCKSCOPE_SANITIZE", "none") != "none"
tap = Tap()


class Serve:
    """`sockscope-cli serve KIND --port 0 OPTIONS…`; stdout is a pipe the
    test may read or leave alone."""

    def __init__(self, kind, *options, stdout=subprocess.PIPE):
        self.proc = subprocess.Popen([CLI, "serve", kind, "--port", "0", *options],
                                     stdout=stdout, stderr=subprocess.PIPE, env=ENV)
        stream = self.proc.stderr if "--events" in options else self.proc.stdout
        line = stream.readline().decode()
        assert line.startswith("Listening on 127.0.0.1:"), line + self.proc.stderr.read().decode()
        self.port = int(line.split(":")[1].split()[0])

    def rss(self):
        return rss_kib(self.proc.pid)

    def stop(self, timeout=10, stdout_read_elsewhere=False):
        """Ctrl+C; returns the exit status and standard error. A test whose
        thread reads standard output says so: two readers would split it."""
        self.proc.send_signal(signal.SIGINT)
        try:
            if stdout_read_elsewhere:
                self.proc.wait(timeout=timeout)
                err = self.proc.stderr.read()
            else:
                _, err = self.proc.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.communicate()
            raise AssertionError(f"serve did not end within {timeout} s of Ctrl+C")
        return self.proc.returncode, err.decode()


def udp_for(port, seconds):
    return udp_ping_pong(port, for_seconds(seconds))


def rss_under_udp(server, rounds, seconds=1.5):
    """RSS after each of @rounds of 1-byte datagrams, after one to warm up."""
    udp_for(server.port, seconds)
    samples = []
    for _ in range(rounds):
        udp_for(server.port, seconds)
        samples.append(server.rss())
    return samples


def assert_flat(samples, slack_kib, what):
    growth = samples[-1] - samples[0]
    assert growth <= slack_kib, (f"{what}: RSS grew {growth} KiB from {samples[0]} KiB "
                                 f"(samples {samples}), more than {slack_kib} KiB")


@tap.case
def test_udp_datagrams_without_record_keep_nothing():
    """The issue's first find: 1-byte datagrams at udp-echo with no
    --record grew 5.6 MB → 201 MB in 10 s."""
    server = Serve("udp-echo")
    try:
        samples = rss_under_udp(server, 4)
        if not SANITIZED:
            assert_flat(samples, 1024, "udp-echo, nothing asked to be kept")
    finally:
        code, err = server.stop()
    assert code == 0, err


@tap.case
def test_connect_close_cycles_leave_nothing_behind():
    """40,000 cycles left 448 bytes each for good; now a cycle costs
    nothing once it is over."""
    cycles = 1000 if SANITIZED else 4000
    server = Serve("tcp-echo", "--backlog", "128")
    try:
        connect_close(server.port, for_count(cycles))
        before = server.rss()
        connect_close(server.port, for_count(2 * cycles))
        after = server.rss()
        if not SANITIZED:
            # 2 × 4,000 cycles at 448 bytes each would be 3.5 MiB.
            assert_flat([before, after], 512, "connect/close cycles")
    finally:
        code, err = server.stop()
    assert code == 0, err


@tap.case
def test_events_alone_forget_what_is_printed():
    """With --events and no --record, each event is forgotten once printed:
    the server prints for months in the same memory."""
    server = Serve("udp-echo", "--events")
    lines = []

    def read():
        for line in server.proc.stdout:
            lines.append(line)

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    try:
        samples = rss_under_udp(server, 4)
        if not SANITIZED:
            assert_flat(samples, 1536, "udp-echo --events")
    finally:
        code, err = server.stop(stdout_read_elsewhere=True)
        reader.join(timeout=10)
    assert code == 0, err
    events = [json.loads(line) for line in lines]
    assert len(events) > 1000, len(events)
    assert not [e for e in events if e["kind"] == "dropped"], "a reader that reads lost lines"
    # Indices go on across the forgetting: every event once, in order.
    indices = [e["index"] for e in events]
    gaps = [(a, b) for a, b in zip(indices, indices[1:]) if b != a + 1]
    assert not gaps, gaps[:10]


@tap.case
def test_a_reader_that_stops_reading_does_not_stop_the_server():
    """The issue's sixth find: serve --events with nobody reading froze
    after about 49 clients, and then ignored Ctrl+C."""
    server = Serve("tcp-echo", "--events", "--backlog", "128")
    try:
        # Nobody reads stdout: the pipe (64 KiB) and then the queue (1 MiB)
        # fill, each echo printing its 4 KiB twice.
        for i in range(300):
            with socket.create_connection(("127.0.0.1", server.port), timeout=5) as s:
                payload = f"client {i} ".encode() * 400
                s.sendall(payload)
                s.shutdown(socket.SHUT_WR)
                assert recv_all(s) == payload, i
    finally:
        started = time.monotonic()
        code, err = server.stop(timeout=10)
        took = time.monotonic() - started
    assert code == 0, err
    assert "lines of events were dropped: standard output was not read fast enough" in err, err
    # Two seconds for what is queued, then it goes: no freeze.
    assert took < 6, took


@tap.case
def test_lines_dropped_are_said_in_the_stream():
    """A reader that pauses and comes back finds a "dropped" line where
    lines are missing, with their count."""
    server = Serve("tcp-echo", "--events", "--backlog", "128")
    try:
        for i in range(300):
            with socket.create_connection(("127.0.0.1", server.port), timeout=5) as s:
                s.sendall(b"x" * 4000)
                s.shutdown(socket.SHUT_WR)
                recv_all(s)
        # Room again: the next events come after the note of what was lost.
        out = []

        def read():
            for line in server.proc.stdout:
                out.append(json.loads(line))

        reader = threading.Thread(target=read, daemon=True)
        reader.start()
        time.sleep(0.5)
        connect_close(server.port, for_count(3))
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline and not [e for e in out if e["kind"] == "dropped"]:
            time.sleep(0.05)
    finally:
        code, err = server.stop(stdout_read_elsewhere=True)
    assert code == 0, err
    dropped = [e for e in out if e["kind"] == "dropped"]
    assert dropped, "no line says what was dropped"
    assert dropped[0]["count"] > 0
    assert "standard output was not read fast enough" in dropped[0]["message"]


@tap.case
def test_record_stops_at_its_limit_and_memory_with_it():
    """--record keeps the session within --max-events: at the limit the
    recording stops, says so once, and memory stops growing; the file says
    where it stopped and how much came after."""
    with tempfile.TemporaryDirectory() as work:
        path = os.path.join(work, "s.json")
        server = Serve("udp-echo", "--record", path, "--max-events", "20000")
        try:
            samples = rss_under_udp(server, 3, seconds=2)
            if not SANITIZED:
                assert_flat(samples, 1024, "udp-echo --record at its limit")
        finally:
            code, err = server.stop(timeout=30)
        assert code == 0, err
        assert err.count("Recording stopped at ") == 2, err   # when it happened, and at exit
        assert "the session holds its limit of 20000 events" in err, err
        with open(path, encoding="utf-8") as f:
            session = json.load(f)
        header = session["header"]
        assert header["recording"] == "stopped", header
        assert header["n_events"] == 20000
        assert len(session["events"]) == 20000
        assert header["dropped_events"] > 0
        assert header["stop"].startswith("Recording stopped at "), header["stop"]
        assert not [n for n in os.listdir(work) if n != "s.json"], os.listdir(work)


tap.run()
