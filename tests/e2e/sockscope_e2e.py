# SPDX-License-Identifier: GPL-3.0-or-later
"""Drive the real sockscope binary the way a screen-reader user would: find
controls in the accessibility tree (AT-SPI) by role and accessible name,
activate them, type, read labels; and take screenshots of what is on the
screen.

Runs with Debian's /usr/bin/python3 (python3-pyatspi) inside an X display and
a D-Bus session with the accessibility bus started (build-aux/test does
that). Keys go through the X server's XTEST extension (xdotool), as a
keyboard's would."""

import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.join(os.path.dirname(__file__), ".."))
from taplib import SkipCase, Tap  # noqa: E402,F401 - re-exported for the tests

try:
    import pyatspi
except ImportError:  # reported as a skip by skip_unless_usable()
    pyatspi = None

BUILD = os.environ.get("MESON_BUILD_ROOT", "")
SANITIZED = os.environ.get("SOCKSCOPE_SANITIZE", "none") not in ("", "none")
APP_ID = "io.github.sockscope.Sockscope"
# SOCKSCOPE_E2E_TIMEOUT=120 for an app slowed down on purpose, e.g. by
# ASAN_OPTIONS=fast_unwind_on_malloc=0 to see whole stacks of its leaks.
DEFAULT_TIMEOUT = float(os.environ.get("SOCKSCOPE_E2E_TIMEOUT", "10"))


def skip_unless_usable():
    """Print a TAP plan that skips everything, and exit, when this machine
    cannot run end-to-end tests; say why. Where build-aux/test has set
    SOCKSCOPE_REQUIRE_E2E, the same reason is a failure: there the harness
    was installed, and a skip would hide that it broke."""
    reason = None
    if pyatspi is None:
        reason = "python3-pyatspi is not importable by " + sys.executable
    elif not os.environ.get("DISPLAY"):
        reason = "no X display (run through ./build-aux/test, which starts Xvfb)"
    elif not os.environ.get("DBUS_SESSION_BUS_ADDRESS"):
        reason = "no D-Bus session bus"
    elif not shutil.which("xdotool"):
        reason = "xdotool is not installed"
    if reason and os.environ.get("SOCKSCOPE_REQUIRE_E2E"):
        print(f"1..1\nnot ok 1 end-to-end tests cannot run: {reason}")
        sys.exit(1)
    if reason:
        print(f"1..0 # SKIP {reason}")
        sys.exit(0)


# GLib keeps its quarks in one array that grows by 2,048 at a time, and
# leaves the array it outgrows where it was, on purpose, so that lookups
# need no lock ("This leaks the old quarks array", glib/gquark.c). An app
# with more than 2,048 quarks (GTK's classes and properties, ours, the
# About window's) leaves that first array: 16,384 bytes, one object, from
# g_malloc, whose stack ends there because GLib has no frame pointers. A
# suppression could only name g_malloc, which would hide every leak of
# GLib's: this takes out exactly that block, and the next ones' (32 and
# 64 KiB), nothing else.
QUARK_BLOCK = re.compile(
    r"Direct leak of (16384|32768|65536) byte\(s\) in 1 object\(s\) allocated from:\n"
    r"\s+#0 0x[0-9a-f]+ in (__interceptor_)?malloc [^\n]*\n"
    r"\s+#1 0x[0-9a-f]+ in g_malloc \([^)\n]*libglib-2\.0\.so[^)\n]*\)\n\n")


def without_quark_blocks(log):
    return QUARK_BLOCK.sub("", log)


def wait_for(predicate, timeout=DEFAULT_TIMEOUT, what="a condition"):
    """Poll predicate until it returns something truthy; return that."""
    deadline = time.monotonic() + timeout
    last_error = None
    while time.monotonic() < deadline:
        try:
            value = predicate()
            if value:
                return value
        except Exception as error:  # the tree changes under us; try again
            last_error = error
        time.sleep(0.05)
    raise AssertionError(f"timed out after {timeout:.0f} s waiting for {what}"
                         + (f" (last error: {last_error})" if last_error else ""))


def on_screen(acc):
    """True when the widget has a size on screen. GTK 4.8 reports every
    widget of a window as 'visible', even the pages of a stack that are not
    shown; a zero-sized extent is what tells them apart."""
    try:
        ext = acc.queryComponent().getExtents(pyatspi.WINDOW_COORDS)
    except NotImplementedError:
        return True
    return ext.width > 0 and ext.height > 0


def states(acc):
    return {pyatspi.stateToString(s) for s in acc.getState().getStates()}


class App:
    """One run of the app, in a private configuration directory so that what
    it remembers (window size, last page) persists across restarts of the
    same App object and nowhere else."""

    def __init__(self, config_dir=None, dark=False, high_contrast=False, prefix=(),
                 leak_check=True):
        self._own_config = config_dir is None
        # False: LeakSanitizer leaves this run alone, where what GTK runs
        # for us leaks in ways that cannot be named (its memory errors
        # still abort the app).
        self.leak_check = leak_check
        self.prefix = list(prefix)  # a command the app runs under, e.g. unshare
        self.config_dir = config_dir or tempfile.mkdtemp(prefix="sockscope-e2e-")
        self.dark = dark
        self.high_contrast = high_contrast
        self.process = None
        self.accessible = None
        self.log_path = os.path.join(self.config_dir, "app.log")

    # -- life cycle ---------------------------------------------------------

    def environment(self):
        env = dict(os.environ)
        for key in ("G_DEBUG", "GTK_A11Y", "NO_AT_BRIDGE", "GSETTINGS_BACKEND",
                    "WAYLAND_DISPLAY"):
            env.pop(key, None)
        env["GDK_BACKEND"] = "x11"  # xdotool and import speak X11
        env["GSETTINGS_SCHEMA_DIR"] = os.path.join(BUILD, "data")
        env["SOCKSCOPE_DATA_DIR"] = os.path.join(BUILD, "data")
        env["GSETTINGS_BACKEND"] = "keyfile"
        env["XDG_CONFIG_HOME"] = self.config_dir
        env["LANGUAGE"] = "en"
        env["LC_ALL"] = "C.UTF-8"
        env["ADW_DEBUG_COLOR_SCHEME"] = "prefer-dark" if self.dark else "prefer-light"
        env["ADW_DEBUG_HIGH_CONTRAST"] = "1" if self.high_contrast else "0"
        if not self.leak_check and "ASAN_OPTIONS" in env:
            env["ASAN_OPTIONS"] = env["ASAN_OPTIONS"].replace("detect_leaks=1", "detect_leaks=0")
        # GNOME's own font and title-bar buttons, as a GNOME session sets
        # them, for screenshots that look like the desktop the app is made for.
        gtk_dir = os.path.join(self.config_dir, "gtk-4.0")
        os.makedirs(gtk_dir, exist_ok=True)
        with open(os.path.join(gtk_dir, "settings.ini"), "w", encoding="utf-8") as f:
            f.write("[Settings]\ngtk-font-name=Cantarell 11\n"
                    "gtk-decoration-layout=appmenu:close\n")
        return env

    def start(self, *args):
        binary = os.path.join(BUILD, "src", "sockscope")
        for attempt in range(3):
            if getattr(self, "log", None):
                self.log.close()
            # A fresh log per attempt: only the last one is the app's.
            self.log = open(self.log_path, "wb" if attempt else "ab")
            self.process = subprocess.Popen([*self.prefix, binary, *args], env=self.environment(),
                                            stdout=self.log, stderr=subprocess.STDOUT)
            # Now and then Xvfb refuses a client at once ("cannot open
            # display"), with nothing in its own log; that is the display's
            # fault, not the app's, so it is said and tried again. The app
            # is up as soon as it is on the accessibility bus.
            wait_for(lambda: self.process.poll() is not None or self._on_bus(),
                     what="sockscope on the a11y bus, or gone")
            if self.process.poll() is None or "cannot open display" not in self.output():
                break
            print(f"# retrying: Xvfb refused sockscope's connection: {self.output().strip()}",
                  flush=True)
            time.sleep(0.5)
        self.accessible = wait_for(self._find_application, what="sockscope on the a11y bus")
        wait_for(lambda: self.window(), what="the main window")
        self.focus()
        return self

    def _on_bus(self):
        desktop = pyatspi.Registry.getDesktop(0)
        for app in desktop:
            try:
                if app is not None and app.get_process_id() == self.process.pid:
                    return app
            except Exception:
                continue
        return None

    def _find_application(self):
        app = self._on_bus()
        if app is not None:
            return app
        if self.process.poll() is not None:
            raise AssertionError(f"sockscope exited with {self.process.returncode}: "
                                 + self.output())
        return None

    def output(self):
        self.log.flush()
        with open(self.log_path, encoding="utf-8", errors="replace") as f:
            return f.read()

    def wait_exit(self, timeout=DEFAULT_TIMEOUT):
        try:
            return self.process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            raise AssertionError(f"sockscope still running after {timeout:.0f} s") from None

    def stop(self):
        """SIGTERM, which the app takes as Ctrl+Q; in the sanitized build
        LeakSanitizer then looks at what is left, and any report of the
        sanitizers in the app's log, from this run or an earlier one of the
        test, fails it."""
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=30 if SANITIZED else 5)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        if getattr(self, "log", None):
            self.log.close()
        reports = self.sanitizer_reports()
        if reports:
            raise AssertionError("the sanitizers reported:\n" + reports)

    def sanitizer_reports(self):
        if not os.path.exists(self.log_path):
            return ""
        with open(self.log_path, encoding="utf-8", errors="replace") as f:
            text = without_quark_blocks(f.read())
        marks = ("ERROR: AddressSanitizer", "Direct leak of", "Indirect leak of",
                 "LeakSanitizer has encountered", "runtime error:")
        starts = [text.find(m) for m in marks if m in text]
        return text[min(starts):][:20000] if starts else ""

    def warnings(self):
        """The warnings and criticals the app logged in all its runs."""
        if not os.path.exists(self.log_path):
            return []
        with open(self.log_path, encoding="utf-8", errors="replace") as f:
            return [ln for ln in f if "-WARNING **" in ln or "-CRITICAL **" in ln]

    def cleanup(self):
        self.stop()
        if self._own_config:
            shutil.rmtree(self.config_dir, ignore_errors=True)

    def __enter__(self):
        return self

    def __exit__(self, exc_type, *exc):
        self.stop()
        try:
            # The app's own warnings fail the test that caused them, unless
            # the test failed already for a reason of its own.
            if exc_type is None:
                warnings = self.warnings()
                assert not warnings, "sockscope warned:\n" + "".join(warnings)
        finally:
            self.cleanup()

    # -- finding things -----------------------------------------------------

    def windows(self):
        return [w for w in self.accessible if w is not None]

    def window(self, name="Sockscope"):
        for w in self.windows():
            if w.name == name and "showing" in states(w):
                return w
        return None

    def find_all(self, role=None, name=None, root=None, visible_only=True):
        """Every accessible under root (default: every window of the app)
        with that role name (e.g. 'push button') and accessible name."""
        found = []
        stack = [root] if root is not None else self.windows()
        while stack:
            acc = stack.pop()
            try:
                shown = not visible_only or on_screen(acc)
                # What was never on screen (a page not shown yet) holds
                # nothing on screen: not walked, which keeps a search of a
                # big tree quick.
                if not shown:
                    continue
                if ((role is None or acc.getRoleName() == role)
                        and (name is None or acc.name == name)):
                    found.append(acc)
                stack.extend(c for c in acc if c is not None)
            except Exception:
                continue
        return found

    def find(self, role=None, name=None, root=None, timeout=DEFAULT_TIMEOUT):
        """The one accessible on screen with that role and name, waiting
        for it to appear."""
        def one():
            hits = self.find_all(role, name, root)
            return hits[0] if hits else None
        return wait_for(one, timeout, what=f"{role or 'anything'} named {name!r} on screen")

    def is_shown(self, role, name, root=None):
        return bool(self.find_all(role, name, root))

    # -- acting -------------------------------------------------------------

    def activate(self, acc, action="click"):
        """Run the widget's own accessible action, as a screen reader does."""
        iface = acc.queryAction()
        names = [iface.getName(i) for i in range(iface.nActions)]
        assert action in names, f"{acc.getRoleName()} {acc.name!r} has actions {names}"
        iface.doAction(names.index(action))

    def click(self, role, name, root=None, action="click"):
        """Activate the control with that role and name. A composite widget
        (a menu button, say) may show as two nested accessibles of one name;
        the one that carries the action is the control."""
        def actionable():
            for acc in self.find_all(role, name, root):
                try:
                    iface = acc.queryAction()
                except NotImplementedError:
                    continue
                if action in [iface.getName(i) for i in range(iface.nActions)]:
                    return acc
            return None
        acc = wait_for(actionable, what=f"{role} named {name!r} that can {action}")
        self.activate(acc, action)
        return acc

    def x_window(self, title="Sockscope"):
        """The X window id of the app's window with that title: the newest
        that is not a tooltip, for a tooltip under the pointer is a small
        window of the same title."""
        result = wait_for(lambda: subprocess.run(
            ["xdotool", "search", "--onlyvisible", "--pid", str(self.process.pid),
             "--name", f"^{title}$"], capture_output=True, text=True).stdout.split(),
            what=f"the X window {title!r}")

        def small(window):
            out = subprocess.run(["xdotool", "getwindowgeometry", "--shell", window],
                                 capture_output=True, text=True).stdout
            geometry = dict(line.split("=", 1) for line in out.split())
            return int(geometry.get("WIDTH", 0)) < 150 or int(geometry.get("HEIGHT", 0)) < 80
        if len(result) > 1:
            result = [w for w in result if not small(w)] or result
        return result[-1]

    def focus(self, title="Sockscope"):
        subprocess.run(["xdotool", "windowfocus", "--sync", self.x_window(title)], check=True,
                       capture_output=True)

    def keys(self, *combos, window="Sockscope"):
        """Press key combinations, e.g. keys('ctrl+2'), in the window with
        that title, as a keyboard would."""
        self.focus(window)
        subprocess.run(["xdotool", "key", "--clearmodifiers", *combos], check=True)

    def type_text(self, text, window="Sockscope"):
        self.focus(window)
        subprocess.run(["xdotool", "type", "--delay", "20", text], check=True)

    def scroll_into_view(self, acc):
        """Scroll with the mouse wheel over the widget's column until the
        widget is inside the window, as a user would: GTK 4.8 gives
        scroll bars no AT-SPI value to set."""
        window = self.x_window()
        for _ in range(40):
            ext = acc.queryComponent().getExtents(pyatspi.WINDOW_COORDS)
            width, height = self.window_size()
            if ext.y >= 0 and ext.y + ext.height <= height:
                return
            button = "5" if ext.y + ext.height > height else "4"
            x, y = self._wheel_point(ext, width, height)
            subprocess.run(["xdotool", "mousemove", "--window", window, str(x), str(y),
                            "click", "--repeat", "3", button], check=True)
            time.sleep(0.1)
        raise AssertionError(f"could not scroll {acc.getRoleName()} {acc.name!r} into view")

    # Widgets that take the wheel for themselves: a spin button's value, a
    # slider's, a text's own scrolling.
    WHEEL_TAKERS = ("spin button", "slider", "text")

    def _wheel_point(self, ext, width, height):
        """Where to turn the wheel to scroll the column that holds @ext, in
        the X window's coordinates: over the column, and not over a widget
        that takes the wheel itself (a spin button there would change its
        value instead). GTK 4.8 answers no AT-SPI hit test, so the places
        of those widgets come from the tree."""
        (x_w, x_h) = self.x_geometry()
        dx, dy = (x_w - width) // 2, (x_h - height) // 2
        takers = []
        for role in self.WHEEL_TAKERS:
            for acc in self.find_all(role):
                e = acc.queryComponent().getExtents(pyatspi.WINDOW_COORDS)
                takers.append((e.x - 4, e.y - 4, e.x + e.width + 4, e.y + e.height + 4))
        for y in (height // 2, height // 3, 2 * height // 3, height // 4, 3 * height // 4):
            for x in (ext.x + ext.width // 2, ext.x - 6, 4):
                x = min(max(x, 1), width - 1)
                if not any(x0 <= x <= x1 and y0 <= y <= y1 for x0, y0, x1, y1 in takers):
                    return dx + x, dy + y
        return dx + 4, dy + height // 2

    def click_at(self, acc):
        """Click the middle of a widget with the pointer, for widgets whose
        accessible has no action (a text view to type into, say)."""
        self.scroll_into_view(acc)
        ext = acc.queryComponent().getExtents(pyatspi.WINDOW_COORDS)
        # Just after a resize, the X window may still have its old size.
        (x_w, x_h), (w, h) = wait_for(
            lambda: (lambda g, s: (g, s) if g[0] >= s[0] and g[1] >= s[1] else None)(
                self.x_geometry(), self.window_size()),
            what="the X window to take the window's size")
        x = (x_w - w) // 2 + ext.x + ext.width // 2
        y = (x_h - h) // 2 + ext.y + ext.height // 2
        window = self.x_window()
        self.focus()
        # The pointer goes there first and the click comes a moment later,
        # as a hand's does: a tooltip shown where the pointer was (a server
        # row's, several lines tall, over the client's controls below it)
        # hides as the pointer leaves its widget, and a click sent with
        # the move landed on the tooltip's window instead.
        subprocess.run(["xdotool", "mousemove", "--window", window, str(x), str(y)], check=True)
        time.sleep(0.3)
        subprocess.run(["xdotool", "click", "1"], check=True)

    def x_geometry(self, title="Sockscope"):
        """The size of the X window, which is the window plus the frame GTK
        draws around it where no compositor draws one."""
        out = subprocess.run(["xdotool", "getwindowgeometry", "--shell", self.x_window(title)],
                             capture_output=True, text=True, check=True).stdout
        geometry = dict(line.split("=", 1) for line in out.split())
        return int(geometry["WIDTH"]), int(geometry["HEIGHT"])

    def window_size(self):
        """The main window's size as GTK and the user see it (what the app
        saves and restores), from its accessible's extents."""
        ext = self.window().queryComponent().getExtents(pyatspi.WINDOW_COORDS)
        return ext.width, ext.height

    def resize(self, width, height):
        """Resize the main window to width × height, as a window manager
        would; waits until the window has that size."""
        frame_w, frame_h = (x - w for x, w in zip(self.x_geometry(), self.window_size()))
        subprocess.run(["xdotool", "windowsize", "--sync", self.x_window(),
                        str(width + frame_w), str(height + frame_h)], check=True,
                       capture_output=True)
        wait_for(lambda: self.window_size() == (width, height),
                 what=f"a {width}×{height} window (now {self.window_size()})")

    # -- reading ------------------------------------------------------------

    def selected_tab(self):
        """The page the window's view switcher shows (not the tabs of a
        stack switcher inside a page)."""
        tabs = [t for t in self.find_all("page tab") if "selected" in states(t)
                and t.parent is not None and t.parent.name == "AdwViewSwitcher"]
        return tabs[0].name if tabs else None

    def screenshot(self, path):
        """The main window as the screen shows it, to a PNG file; without the
        frame GTK draws around it where no compositor draws a shadow."""
        os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
        time.sleep(0.5)  # let transitions and the last frame finish
        (x_w, x_h), (w, h) = self.x_geometry(), self.window_size()
        crop = f"{w}x{h}+{(x_w - w) // 2}+{(x_h - h) // 2}"
        subprocess.run(["import", "-window", self.x_window(), "-crop", crop, "+repage", path],
                       check=True)
        return path


# -- what several tests read ---------------------------------------------------

def listening_port(app, server="the TCP echo server"):
    """The port a server of the Sockets page listens on, from the subtitle
    its row shows once it listens ("Listening on 127.0.0.1:PORT"): the
    first such row, so the server the test started, when it started one."""
    def find():
        for label in app.find_all("label"):
            match = re.match(r"Listening on 127\.0\.0\.1:(\d+)", label.name or "")
            if match:
                return int(match.group(1))
        return None
    return wait_for(find, what=f"{server} to listen")


def extents(acc):
    """Where a widget is in its window: (x, y, width, height)."""
    ext = acc.queryComponent().getExtents(pyatspi.WINDOW_COORDS)
    return ext.x, ext.y, ext.width, ext.height


def apart(a, b):
    """Whether two extents do not overlap (touching edges do not)."""
    ax, ay, aw, ah = a
    bx, by, bw, bh = b
    return ax + aw <= bx or bx + bw <= ax or ay + ah <= by or by + bh <= ay


def overlap(a, b):
    """Whether two extents share some area."""
    return not apart(a, b)


def inside(inner, outer):
    """Whether the extents @inner lie whole within @outer."""
    ix, iy, iw, ih = inner
    ox, oy, ow, oh = outer
    return ix >= ox and iy >= oy and ix + iw <= ox + ow and iy + ih <= oy + oh
