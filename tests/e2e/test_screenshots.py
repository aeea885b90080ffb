#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""The screenshots of the README and the AppStream metainfo, taken from the
running app: each page in the light style, the Lookup page in the dark
style, and a narrow window. Written to $SOCKSCOPE_SCREENSHOT_DIR, or to
screenshots/ in the build tree; ./build-aux/screenshots writes them to
data/screenshots/."""

import os
import subprocess
import sys

sys.path.insert(0, os.path.dirname(__file__))
from sockscope_e2e import App, Tap, skip_unless_usable, wait_for  # noqa: E402

skip_unless_usable()
tap = Tap()
OUT = os.environ.get("SOCKSCOPE_SCREENSHOT_DIR") or os.path.join(
    os.environ["MESON_BUILD_ROOT"], "screenshots")
SIZE = (1000, 700)


def measure(path):
    """Width, height, number of distinct colours and mean brightness (0–1)."""
    out = subprocess.run(["convert", path, "-format", "%w %h %k %[fx:mean]", "info:"],
                         capture_output=True, text=True, check=True).stdout.split()
    return int(out[0]), int(out[1]), int(out[2]), float(out[3])


def shoot(app, tab, name, size=SIZE):
    app.resize(*size)
    if tab:
        app.click("page tab", tab)
        wait_for(lambda: app.selected_tab() == tab, what=f"the {tab} page")
    path = app.screenshot(os.path.join(OUT, name))
    width, height, colours, mean = measure(path)
    assert (width, height) == size, f"{name} is {width}×{height}"
    # A blank or half-drawn window has a handful of colours; text and icons
    # antialiased on a real page have hundreds.
    assert colours > 100, f"{name} has only {colours} colours: nothing drawn?"
    return mean


brightness = {}


@tap.case
def test_light_pages():
    with App(dark=False) as app:
        app.start()
        for tab in ("Lookup", "Ports", "Sockets"):
            brightness[tab] = shoot(app, tab, f"{tab.lower()}-light.png")
        assert all(b > 0.6 for b in brightness.values()), brightness


@tap.case
def test_dark_style():
    with App(dark=True) as app:
        app.start()
        mean = shoot(app, "Lookup", "lookup-dark.png")
        assert mean < 0.4, f"the dark screenshot is not dark: mean brightness {mean:.2f}"


@tap.case
def test_high_contrast():
    with App(high_contrast=True) as app:
        app.start()
        shoot(app, "Lookup", "lookup-hc.png")
    light = os.path.join(OUT, "lookup-light.png")
    result = subprocess.run(["compare", "-metric", "AE", light, os.path.join(OUT, "lookup-hc.png"),
                             "null:"], capture_output=True, text=True)
    changed = int(float(result.stderr.split()[0]))
    assert changed > 1000, f"high contrast changed only {changed} pixels of the light style"


@tap.case
def test_narrow_window():
    with App(dark=False) as app:
        app.start()
        shoot(app, None, "narrow-light.png", size=(360, 640))


tap.run()
