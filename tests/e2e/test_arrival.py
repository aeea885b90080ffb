#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Receive times are the kernel's (issue 15, item 9): the app is stopped
(SIGSTOP) for 300 ms while a Python client sends, as a busy main loop or a
screen reader walking the window would hold it; the receive still says
when its bytes arrived, and that they were read about 300 ms later. The
gap between two arrivals is the client's own, within 5 ms."""

import os
import re
import signal
import socket
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(__file__))
from sockscope_e2e import (  # noqa: E402
    App, Tap, listening_port, skip_unless_usable, wait_for)

skip_unless_usable()
tap = Tap()
TIMELINE = "Timeline of socket events"
UNITS = {"s": 1e6, "ms": 1e3, "µs": 1.0}


def micros(number, unit):
    return float(number) * UNITS[unit]


def walk_descriptions(app):
    """What the timeline tells the accessibility tree of each event the
    keyboard reaches on the listener's lane and the connection's."""
    widget = app.find("image", TIMELINE)
    app.click_at(widget)
    seen = []
    for key in ["Home", *["Right"] * 3, "Down", *["Left"] * 8, *["Right"] * 8]:
        subprocess.run(["xdotool", "key", "--clearmodifiers", key], check=True)
        time.sleep(0.05)
        text = widget.description
        if text and text not in seen:
            seen.append(text)
    return seen


def arrival(descriptions, byte):
    """The server's receive of @byte: (arrived µs, waited µs)."""
    pattern = (r"^recv of 1 byte at [\d.]+ (?:s|ms|µs) \(arrived at ([\d.]+) (s|ms|µs): "
               r"the bytes waited ([\d.]+) (s|ms|µs) in the receive buffer\) on tcp-echo .*“"
               + byte + r"”")
    for text in descriptions:
        match = re.search(pattern, text)
        if match:
            return (micros(match.group(1), match.group(2)), micros(match.group(3), match.group(4)))
    raise AssertionError(f"no receive of “{byte}” with its arrival in:\n" + "\n".join(descriptions))


@tap.case
def test_arrival_survives_a_stopped_main_loop():
    """A, then B sent while the app is stopped for 300 ms."""
    with App() as app:
        app.start("--page=sockets", "--start-server=tcp-echo")
        port = listening_port(app)
        with socket.create_connection(("127.0.0.1", port), timeout=10) as client:
            # Each send bracketed by the clock before and after it: a pause
            # of this busy machine between a clock and a call is not the
            # app's error.
            before_a = time.monotonic()
            client.sendall(b"A")
            after_a = time.monotonic()
            assert client.recv(1) == b"A"
            os.kill(app.process.pid, signal.SIGSTOP)
            try:
                before_b = time.monotonic()
                client.sendall(b"B")
                after_b = time.monotonic()
                time.sleep(0.3)
            finally:
                os.kill(app.process.pid, signal.SIGCONT)
            assert client.recv(1) == b"B"

        descriptions = wait_for(lambda: (lambda d: d if any("“B”" in t for t in d) else None)(
            walk_descriptions(app)), what="B's receive on the timeline")
        arrived_a, _ = arrival(descriptions, "A")
        arrived_b, waited_b = arrival(descriptions, "B")
        shortest, longest = (before_b - after_a) * 1e6, (after_b - before_a) * 1e6
        assert shortest - 5000 <= arrived_b - arrived_a <= longest + 5000, \
            (arrived_b - arrived_a, shortest, longest)
        assert 290000 <= waited_b <= 1500000, waited_b


tap.run()
