#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""The Sockets page as a lecturer uses it (S11): start the echo server with
its switch, connect the client, type a message, send it, and see the echo
come back and every send and receive in the event list."""

import os
import re
import socket
import sys

sys.path.insert(0, os.path.dirname(__file__))
from sockscope_e2e import (  # noqa: E402
    App, Tap, listening_port, skip_unless_usable, states, wait_for)

skip_unless_usable()
tap = Tap()
SHOTS = os.environ.get("SOCKSCOPE_SCREENSHOT_DIR") or os.path.join(
    os.environ["MESON_BUILD_ROOT"], "screenshots")


@tap.case
def test_echo_lab_by_clicking():
    with App() as app:
        app.start("--page=sockets")
        app.click("check box", "Run TCP echo", action="toggle")
        port = listening_port(app)

        # The client now points at the server that was started.
        app.click("push button", "Connect")
        # Two lines: an address is never broken across them.
        wait_for(lambda: any(re.match(rf"Connected to 127\.0\.0\.1:{port}\nfrom 127\.0\.0\.1:\d+",
                                      label.name or "")
                             for label in app.find_all("list item") + app.find_all("label")),
                 what="the client to connect")

        app.click_at(app.find("text", "Payload"))
        app.type_text("Hello, echo!")
        app.click("push button", "Send")

        # The echo, in the Received label (which the event list also shows).
        wait_for(lambda: [label for label in app.find_all("label", "Hello, echo!")
                          if label.description == "Received bytes"],
                 what="the echo in Received")

        # The event list shows the calls, with the bytes as sent.
        app.click("page tab", "List")
        for call in ("listen", "accept", "connect", "send", "recv"):
            app.find("label", call)
        wait_for(lambda: len(app.find_all("label", "Hello, echo!")) >= 4,
                 what="the four transfers of the message in the list")
        app.screenshot(os.path.join(SHOTS, "sockets-echo.png"))

        # A real peer no one here wrote sees the same server.
        with socket.create_connection(("127.0.0.1", port), timeout=10) as s:
            s.sendall(b"from python")
            assert s.recv(100) == b"from python"

        app.click("check box", "Run TCP echo", action="toggle")
        wait_for(lambda: app.find_all("label", "Stopped"), what="the server to stop")


@tap.case
def test_start_server_option():
    with App() as app:
        app.start("--page=sockets", "--start-server=udp-upper:0")
        port = listening_port(app, "the UDP upper-case server")
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
            s.settimeout(10)
            s.sendto(b"shout", ("127.0.0.1", port))
            assert s.recvfrom(100)[0] == b"SHOUT"


@tap.case
def test_bad_payload_is_explained():
    with App() as app:
        app.start("--page=sockets")
        app.click("check box", "Run TCP echo", action="toggle")
        listening_port(app)
        app.click("push button", "Connect")
        wait_for(lambda: app.find_all("push button", "Disconnect"), what="the client to connect")
        app.click_at(app.find("text", "Payload"))
        app.type_text("ab\\q")
        app.click("push button", "Send")
        app.find("label", "Unknown escape “\\q” at column 3: use \\r, \\n, \\t, \\\\, \\0 or \\xHH")


@tap.case
def test_narrow_window_shows_controls_and_events_in_turn():
    with App() as app:
        app.start("--page=sockets")
        app.resize(360, 640)
        # Narrow, the controls come first, over the events; the toggle in
        # the events' bar (a toggle: GTK 4.8 calls it a push button,
        # pressed) or F9 folds them away and brings them back.
        # GTK 4.8 keeps the extents of what it hides, so what is not shown
        # cannot be told from here; what is shown, and the way there, can.
        app.find("list", "Servers")
        toggle = app.find("push button", "Show Controls")
        assert "pressed" in states(toggle), states(toggle)
        app.keys("F9")
        wait_for(lambda: "pressed" not in states(toggle), what="F9 to fold the controls away")
        app.find("image", "Timeline of socket events")
        app.click("page tab", "List")
        app.find("tree table", "Socket events")
        app.click("push button", "Show Controls")
        wait_for(lambda: "pressed" in states(toggle), what="the toggle to bring the controls back")
        app.find("check box", "Run TCP echo")


@tap.case
def test_refused_is_explained():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]  # bound, not listening
        with App() as app:
            app.start("--page=sockets")
            spin = app.find("spin button", "Port")
            spin.queryValue().currentValue = port
            app.click("push button", "Connect")
            wait_for(lambda: [label for label in app.find_all("label")
                              if (label.name or "").endswith("(ECONNREFUSED)")],
                     what="the refusal, explained")


tap.run()
