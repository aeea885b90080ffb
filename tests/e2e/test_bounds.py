#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""The recorder's limits as a user meets them: the Event Limit of the
Preferences set low, a UDP echo server started with its switch, datagrams
past the limit. The page says above the events, in an alert a screen
reader speaks, when recording stopped and how much was dropped since; the
sentence is on screen whole, at 1280×800 and 1920×1080, normal and in
projector mode; the timeline's own description says it too; and the
Preferences show the limits. Screenshots of each."""

import os
import re
import socket
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(__file__))
from sockscope_e2e import (  # noqa: E402
    App, Tap, extents, listening_port, on_screen, skip_unless_usable, wait_for)

skip_unless_usable()
tap = Tap()
SHOTS = os.environ.get("SOCKSCOPE_SCREENSHOT_DIR") or os.path.join(
    os.environ["MESON_BUILD_ROOT"], "screenshots")
TIMELINE = "Timeline of socket events"
STOPPED = re.compile(r"^Recording stopped at [0-9.]+ s: the session holds its limit of 1000 "
                     r"events\. New Session \(Ctrl\+Shift\+N\) records again; the limits are "
                     r"in Preferences\.$")
DROPPED = re.compile(r"^(\d+) events since were counted, not kept\.$")


def config_with_event_limit(limit):
    config = tempfile.mkdtemp(prefix="sockscope-e2e-")
    folder = os.path.join(config, "glib-2.0", "settings")
    os.makedirs(folder)
    with open(os.path.join(folder, "keyfile"), "w", encoding="utf-8") as f:
        f.write(f"[io/github/sockscope/Sockscope]\nevent-limit=uint32 {limit}\n")
    return config


def stop_alert(app):
    found = [a for a in app.find_all("alert") if STOPPED.match(a.name or "")]
    return found[0] if found else None


def dropped_count(app):
    """What the line under the alert counts; None when it is not shown."""
    for label in app.find_all("label"):
        match = DROPPED.match(label.name or "")
        if match and on_screen(label):
            return int(match.group(1))
    return None


def assert_whole_on_screen(app, acc, size):
    """Inside the window, and tall enough for the lines its words wrap to:
    nothing of the sentence is cut."""
    x, y, w, h = extents(acc)
    width, height = size
    assert x >= 0 and y >= 0 and x + w <= width and y + h <= height, ((x, y, w, h), size)
    # A line of this text is at least 14 px; wrapped, it must be given them all.
    assert h >= 14 and w >= 300, (w, h)


def shoot(app, name, size):
    """The window as the screen shows it, checked: its size, a drawing in
    it, and the light style it was asked for."""
    path = app.screenshot(os.path.join(SHOTS, name))
    out = subprocess.run(["convert", path, "-format", "%w %h %k %[fx:mean]", "info:"],
                         capture_output=True, text=True, check=True).stdout.split()
    assert (int(out[0]), int(out[1])) == size, (out, size)
    assert int(out[2]) > 200, out
    assert float(out[3]) > 0.6, out


def flood(port, count):
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        for i in range(count):
            s.sendto(b"datagram %d" % i, ("127.0.0.1", port))
            if i % 64 == 63:
                time.sleep(0.005)


@tap.case
def test_recording_stops_at_the_event_limit_and_says_so():
    with App(config_dir=config_with_event_limit(1000)) as app:
        app.start("--page=sockets")
        app.resize(1280, 800)
        app.click("check box", "Run UDP echo", action="toggle")

        udp_port = listening_port(app, "the UDP echo server")
        assert stop_alert(app) is None

        # Datagrams until the limit is passed: the kernel drops what the
        # server's receive buffer cannot hold while the app is busy, so
        # the count it takes is not known beforehand (bounded: 15 s).
        def flood_until_stopped():
            flood(udp_port, 200)
            return stop_alert(app)
        alert = wait_for(flood_until_stopped, timeout=15, what="the recording stopped alert")
        said = alert.name
        dropped = wait_for(lambda: dropped_count(app), what="the count of what was dropped")
        assert dropped > 0
        assert on_screen(alert)
        assert_whole_on_screen(app, alert, (1280, 800))
        # More is counted under it as it comes; the alert itself, which a
        # screen reader says, stays as it was.
        flood(udp_port, 100)
        wait_for(lambda: (dropped_count(app) or 0) > dropped, what="the dropped count to grow")
        assert stop_alert(app).name == said
        # The timeline says it to a screen reader too, before any selection.
        assert app.find("image", TIMELINE).description.startswith("Recording stopped at "), \
            app.find("image", TIMELINE).description
        shoot(app, "recording-stopped.png", (1280, 800))

        app.resize(1920, 1080)
        assert_whole_on_screen(app, wait_for(lambda: stop_alert(app)), (1920, 1080))

        # Projector mode keeps it in sight.
        app.keys("F5")
        time.sleep(1)
        alert = wait_for(lambda: [a for a in app.find_all("alert") if STOPPED.match(a.name or "")
                                  and on_screen(a)], what="the alert in projector mode")[0]
        size = app.window_size()
        assert_whole_on_screen(app, alert, size)
        shoot(app, "recording-stopped-projector.png", tuple(size))
        app.keys("F5")
        time.sleep(1)

        # The Preferences show the limit in effect, and the other bounds.
        app.resize(1280, 800)
        app.keys("ctrl+comma")
        spin = wait_for(lambda: [a for a in app.find_all("spin button")
                                 if "Event Limit" in (a.name or "")], what="Event Limit")[0]
        assert spin.queryValue().currentValue == 1000, spin.queryValue().currentValue
        other = wait_for(lambda: [a for a in app.find_all("label")
                                  if (a.name or "").startswith("At most 65,536 sockets")],
                         what="the other limits")[0]
        assert on_screen(other)
        app.keys("Escape")

        # New Session lifts the stop: asked (nothing was exported), the
        # alert goes and the server's datagrams are recorded again.
        app.keys("ctrl+shift+n")
        # Named by its words alone, as a screen reader says it (libadwaita
        # 1.2 named it "_Start New Session Start New Session").
        app.click("push button", "Start New Session")
        wait_for(lambda: stop_alert(app) is None, what="the stop alert to go")
        flood(udp_port, 10)
        wait_for(lambda: "Recording stopped" not in app.find("image", TIMELINE).description
                 and "events" in app.find("image", TIMELINE).description,
                 what="the timeline to show the new session's events")


tap.run()
