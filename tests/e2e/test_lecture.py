#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""The lecture (issue 15): S11, S13, S14 over TCP and over UDP, S15, S16 and
S17 played as a lecturer plays them, by clicking, with the seeds' own Python
clients beside the app where the notes have them; each played twice, once in
normal mode and once in projector mode (F5 pressed first, then played), at
1280×800 and at 1920×1080. No zoom key is pressed: what a room must read is
checked from the running app as it shows itself.

For each scenario, mode and size:
- the timeline follows the exchange: the scenario's counts are among its
  words, which lie inside it, and the exchange spans at least half of its
  width (bands wide enough to read);
- no two words on the timeline overlap, and none crosses the controls or the
  inspector;
- the controls the scenario needs are in the window and not cut by the
  column that scrolls them (scrolled to, as a lecturer scrolls);
- the Received area holds exactly the bytes that came, one block a receive,
  each block's header saying its size.
A screenshot of each goes to the screenshot folder, lecture-NAME-WIDTH.png
and lecture-NAME-WIDTH-projector.png."""

import os
import re
import select
import socket
import subprocess
import sys
import threading
import time

sys.path.insert(0, os.path.dirname(__file__))
from sockscope_e2e import (App, Tap, extents, inside, on_screen, overlap,  # noqa: E402
                           skip_unless_usable, wait_for)

skip_unless_usable()
import pyatspi  # noqa: E402  (skip_unless_usable has checked it imports)

tap = Tap()
SHOTS = os.environ.get("SOCKSCOPE_SCREENSHOT_DIR") or os.path.join(
    os.environ["MESON_BUILD_ROOT"], "screenshots")
TIMELINE = "Timeline of socket events"
LAPTOP, PROJECTOR = (1280, 800), (1920, 1080)


# -- reading what the window shows -------------------------------------------

class View:
    """The parts of the window a lecture looks at, each found once: walking
    the whole accessibility tree takes a second, so searches start from the
    part that holds what is sought."""

    def __init__(self, app):
        self.app = app
        self.timeline = app.find("image", TIMELINE)
        # The column of controls: the scroll pane that holds the servers
        # and the rest of the client, and the flap that holds it and, pinned
        # under it, the client's state, Connect, payload and Send.
        node = app.find("list", "Servers")
        while node.getRoleName() != "scroll pane":
            node = node.parent
        self.column = node
        self.flap = node.parent
        self.client = app.find("filler", "ScopeClientPanel", root=self.column)
        # Shown only with a selection.
        self.inspector = next(iter(app.find_all("filler", "ScopeEventInspector",
                                                visible_only=False)), None)
        self.controls = {}

    def control(self, role, name):
        """The control of that role and name in the flap (the one on
        screen: GTK keeps a folded expander's rows at zero size), and the
        scroll panes it sits in."""
        acc, panes = self.controls.get((role, name), (None, None))
        if acc is None or acc.name != name or not on_screen(acc):
            acc = wait_for(lambda: [a for a in self.app.find_all(role, name, root=self.flap)
                                    if on_screen(a)], what=f"{role} {name!r}")[0]
            panes = panes_of(acc)
            self.controls[(role, name)] = acc, panes
        return acc, panes

    def labels(self, root=None):
        return [label.name or "" for label in self.app.find_all("label", root=root or self.flap)]

    def reading(self):
        """What the timeline says of itself and the words it shows (lane
        names, counts, groups, times, queue badges: its child labels), once
        two readings agree a little longer apart than the app takes to tell
        a screen reader of a change (SCOPE_TIMELINE_ACCESSIBLE_MS, 500 ms):
        the view eases to the exchange after a resize, and its description
        may lag its words by that much."""
        def read():
            return self.timeline.description or "", [
                (label.name, extents(label))
                for label in self.app.find_all("label", root=self.timeline) if label.name]

        def settled():
            first = read()
            time.sleep(0.6)
            return first if first[1] and read() == first else None
        return wait_for(settled, what="the timeline's words to settle")

    def obstacles(self):
        """What no word of the timeline may cross: the flap of controls
        and the inspector, where they are in the window."""
        width, height = self.app.window_size()
        found = [("the controls", extents(self.flap))]
        if self.inspector is not None and on_screen(self.inspector):
            found.append(("the inspector", extents(self.inspector)))
        return [(name, rect) for name, rect in found
                if rect[2] > 0 and overlap(rect, (0, 0, width, height))]


UNITS = {"µs": 1, "ms": 1e3, "s": 1e6, "min": 60e6, "h": 3600e6, "d": 86400e6}
OFFSET = re.compile(r"^([+-]\d+(?:\.\d+)?) (µs|ms|s|min|h|d)$")


def offset_us(text):
    match = OFFSET.match(text or "")
    return float(match.group(1)) * UNITS[match.group(2)] if match else None


def assert_exchange_readable(view, told, what):
    """The timeline follows the latest exchange; @told(words) says whether
    the scenario's counts are among its words; the exchange's span, in
    pixels from two of the axis' own times, fills at least half of the
    timeline's width; the words lie inside the timeline, apart from each
    other, the controls and the inspector."""
    widget = view.timeline
    described, words = wait_for(lambda: (lambda reading: reading if reading[0].startswith(
        "Following the latest exchange") else None)(view.reading()),
        what=f"{what}: the timeline following the exchange")
    span = re.search(r", \+0 µs to (\+\S+ \S+)\.", described)
    assert span, f"{what}: no span in {described!r}"
    names = [text for text, _ in words]
    assert told(names), f"{what}: the counts are not among the timeline's words {names}"
    ticks = sorted((rect[0], offset_us(text)) for text, rect in words
                   if offset_us(text) is not None)
    assert len(ticks) >= 3, f"{what}: fewer than three times on the axis: {words}"
    (x0, t0), (x1, t1) = ticks[0], ticks[-1]
    area = extents(widget)
    taken = (x1 - x0) / (t1 - t0) * offset_us(span.group(1))
    # An exchange of one moment (S17's queue) has no width to fill.
    assert taken >= 0.5 * area[2] or offset_us(span.group(1)) == 0, \
        f"{what}: the exchange ({described}) takes {taken:.0f} of {area[2]} px; {ticks}"
    others = view.obstacles()
    for i, (text, rect) in enumerate(words):
        assert inside(rect, area), f"{what}: {text!r} {rect} leaves the timeline {area}"
        for other, other_rect in words[i + 1:]:
            assert not overlap(rect, other_rect), \
                f"{what}: {text!r} {rect} overlaps {other!r} {other_rect}"
        for name, other_rect in others:
            assert not overlap(rect, other_rect), \
                f"{what}: {text!r} {rect} crosses {name} {other_rect}"


def panes_of(acc):
    """The scroll panes @acc sits in, which cut what it shows."""
    panes = []
    node = acc.parent
    while node is not None:
        if node.getRoleName() == "scroll pane":
            panes.append(node)
        node = node.parent
    return panes


def clip_of(app, panes):
    """The part of the window where what sits in @panes can be seen."""
    width, height = app.window_size()
    x0, y0, x1, y1 = 0, 0, width, height
    for pane in panes:
        x, y, w, h = extents(pane)
        x0, y0, x1, y1 = max(x0, x), max(y0, y), min(x1, x + w), min(y1, y + h)
    return x0, y0, x1 - x0, y1 - y0


def reveal(view, acc, panes, what):
    """Scroll the column with the wheel, turned in its left margin (where
    no spin button takes the wheel), until @acc is in view, as a lecturer
    scrolls; then it must be whole in the window and in @panes, not cut."""
    app = view.app
    window = None
    clicks, last = "3", None
    for _ in range(40):
        rect, clip = extents(acc), clip_of(app, panes)
        if rect[1] >= clip[1] and rect[1] + rect[3] <= clip[1] + clip[3]:
            break
        if window is None:
            window = app.x_window()
            (x_w, x_h), (width, height) = app.x_geometry(), app.window_size()
            column = extents(view.column)
            x = (x_w - width) // 2 + column[0] + 4
            y = (x_h - height) // 2 + column[1] + column[3] // 2
        button = "5" if rect[1] + rect[3] > clip[1] + clip[3] else "4"
        # Past it: back a click at a time, as a hand slows down near what
        # it looks for (S16's Received, 340 px in a column of 497, was
        # stepped over both ways by three clicks).
        if last is not None and button != last:
            clicks = "1"
        last = button
        subprocess.run(["xdotool", "mousemove", "--window", window, str(x), str(y),
                        "click", "--repeat", clicks, "--delay", "30", button], check=True)
        time.sleep(0.1)
    rect, clip = extents(acc), clip_of(app, panes)
    assert inside(rect, clip), f"{what}: {acc.getRoleName()} {acc.name!r} {rect} is cut by {clip}"


def reach(view, role, name, what):
    """The control as a lecturer reaches it, whole in view. Returns it."""
    acc, panes = view.control(role, name)
    reveal(view, acc, panes, what)
    return acc


def checked(acc):
    return "checked" in {pyatspi.stateToString(s) for s in acc.getState().getStates()}


# The escapes the Received area writes for bytes that are not shown as they
# are (scope_payload_render_text): read back, they give the bytes.
ESCAPES = {"r": b"\r", "n": b"\n", "t": b"\t", "\\": b"\\", "0": b"\0"}


def unescape(text):
    """The bytes of a block as Received shows them: a line ends after each
    "\\n" escape, and a newline byte is never shown as it is, so a real
    line break stands for no byte."""
    out, i = bytearray(), 0
    while i < len(text):
        if text[i] == "\n":
            i += 1
        elif text[i] == "\\" and text[i + 1] in ESCAPES:
            out += ESCAPES[text[i + 1]]
            i += 2
        elif text[i] == "\\" and text[i + 1] == "x":
            out.append(int(text[i + 2:i + 4], 16))
            i += 4
        else:
            out += text[i].encode()
            i += 1
    return bytes(out)


def received(view):
    """The Received area's blocks, oldest first (top to bottom): (header,
    bytes, label) each."""
    blocks = []
    for label in view.app.find_all("label", root=view.client, visible_only=False):
        if label.description == "Received bytes":
            header = label.parent[0]
            blocks.append((extents(label)[1], header.name, unescape(label.name), label))
    return [block[1:] for block in sorted(blocks, key=lambda block: block[0])]


def assert_received(view, port, expected, what):
    """Exactly @expected's bytes, in blocks: @expected is a list of bytes
    (one block each) or, where TCP may join the chunks of a stream, one
    bytes object that the blocks make together. Every block's header gives
    its own size and the server's address; the column scrolls to the
    Received area."""
    want = b"".join(expected) if isinstance(expected, list) else expected
    try:
        blocks = wait_for(lambda: (lambda blocks: blocks if b"".join(
            data for _, data, _ in blocks) == want else None)(received(view)),
            what=f"{what}: Received holding {expected!r}")
    except AssertionError as error:
        raise AssertionError(f"{error}; it holds {[d for _, d, _ in received(view)]}") from None
    if isinstance(expected, list):
        assert [data for _, data, _ in blocks] == expected, \
            f"{what}: blocks {[data for _, data, _ in blocks]}, not {expected}"
    for header, data, _ in blocks:
        assert header == f"{len(data)} byte{'s' if len(data) != 1 else ''} from " \
                         f"127.0.0.1:{port}", f"{what}: block {data!r} headed {header!r}"
    newest = blocks[-1][2]
    panes = panes_of(newest)
    reveal(view, panes[0], panes[1:], what + ": the Received area")
    # The newest block in view from its start (its header), whole where it
    # fits with its header.
    rect, clip = extents(newest), clip_of(view.app, panes)
    header_top = extents(newest.parent[0])[1]
    top_in_view = clip[1] <= header_top <= rect[1] < clip[1] + clip[3]
    assert top_in_view and (inside(rect, clip) or rect[1] + rect[3] - header_top > clip[3]), \
        f"{what}: the newest block {rect} is cut by the Received area {clip}"


def kernel_queue(kind, port):
    """Recv-Q of the sockets on @port (ss): for a TCP connection the bytes
    waiting in its receive buffer, for a listener its accept queue, for UDP
    the memory its waiting datagrams take."""
    out = subprocess.run(["ss", "-Hn" + ("t" if kind == "tcp" else "u") + "a",
                          f"sport = :{port}"], capture_output=True, text=True,
                         check=True).stdout
    return [(line.split()[0], int(line.split()[1])) for line in out.splitlines() if line]


# -- playing ------------------------------------------------------------------

class Lecture:
    """One play of a scenario in one window: the server it started, and
    what the room must see (the counts, the controls, the bytes)."""

    def __init__(self, app, what):
        self.app = app
        self.view = View(app)
        self.what = what
        self.port = None
        self.counts = None     # a test of the timeline's words
        self.controls = []     # (role, name) that the scenario needs
        self.expected = None   # what Received must hold, see assert_received

    def reach(self, role, name):
        acc = reach(self.view, role, name, self.what)
        self.controls.append((role, name))
        return acc

    def says(self, pattern, root=None):
        """Wait until a label of the column (or of @root) matches, line by
        line (a server row adds a line when it took another port than the
        notes')."""
        try:
            return wait_for(lambda: [m for m in (re.search(pattern, text, re.M)
                                                 for text in self.view.labels(root)) if m],
                            what=f"{self.what}: a label matching {pattern!r}")[0]
        except AssertionError as error:
            raise AssertionError(f"{error}; the labels: {self.view.labels(root)}") from None

    def start_server(self, title):
        self.app.activate(self.reach("check box", f"Run {title}"), "toggle")
        row = self.app.find("list item", title, root=self.view.column)
        self.port = int(self.says(r"^Listening on 127\.0\.0\.1:(\d+)", row).group(1))
        return self.port

    def open_options(self, title):
        """Click the server row's title, as a lecturer opens its folded
        options (a running server shows only what acts at once)."""
        self.app.click_at(wait_for(lambda: [label for label in self.app.find_all(
            "label", title, root=self.view.column) if on_screen(label)],
            what=f"{self.what}: the title of {title}")[0])

    def switch(self, name, on):
        acc = self.reach("check box", name)
        if checked(acc) != on:
            self.app.activate(acc, "toggle")
        wait_for(lambda: checked(acc) == on, what=f"{self.what}: {name} {on}")

    def spin(self, name, value):
        """A spin button of a server row (the client's folded Send Options
        has a Read Buffer too, at no size while folded)."""
        acc = self.reach("spin button", name)
        acc.queryValue().currentValue = value
        wait_for(lambda: acc.queryValue().currentValue == value,
                 what=f"{self.what}: {name} = {value}")

    def connect(self):
        """Connect: the client has followed the server started last."""
        self.app.activate(reach(self.view, "push button", "Connect", self.what))
        self.local_port = int(self.says(
            rf"^(?:Connected|Sending) to 127\.0\.0\.1:{self.port}\nfrom 127\.0\.0\.1:(\d+)$",
            self.view.flap).group(1))
        self.reach("push button", "Disconnect")

    def send(self, text):
        """Type into the payload and send with Ctrl+Enter, Send in view."""
        payload = self.reach("text", "Payload")
        self.app.click_at(payload)
        self.app.keys("ctrl+a", "BackSpace")
        self.app.type_text(text)
        wait_for(lambda: payload.queryText().getText(0, -1) == text,
                 what=f"{self.what}: {text!r} typed")
        self.reach("push button", "Send")
        self.app.keys("ctrl+Return")

    def received(self):
        return b"".join(data for _, data, _ in received(self.view))


def count_in(*words):
    return lambda shown: all(w in shown for w in words)


# "3× recv · 16 + 16 + 11 bytes", "2× recvfrom · 3 + 16 bytes", "5 calls · 80
# bytes": each call's size up to four calls, else the total.
GROUP = re.compile(r"^\d+×? \S+ · [\d,.]+(?: \+ [\d,.]+)* bytes?$")


def said(*counts):
    """Each of @counts said alone, or, where counts would collide, a group
    that says them together ("3 calls · 48 bytes"), whose detail a
    selection shows."""
    return lambda shown: all(c in shown or any(GROUP.match(w) for w in shown)
                             for c in counts)


def chunks(**least):
    """Each size said at least as often as asked, alone ("16") or in a
    group that names each call's size ("4× recv · 16 + 16 + 16 + 9
    bytes"), not in a total: S11's server in projector mode said "3× send
    · 48 bytes" and nothing of its receives (the tenth trial)."""
    def told(shown):
        seen = {}
        for word in shown:
            if re.fullmatch(r"[\d,.]+", word):
                numbers = [word]
            elif re.fullmatch(r"[\d,.]+(?: \+ [\d,.]+)+", word):
                # Where "4× recv · …" has no room: "16 + 16 + 16 + 9"
                numbers = word.split(" + ")
            elif GROUP.match(word) and " + " in word:
                numbers = re.findall(r"[\d,.]+(?= \+| bytes?$)", word.split(" · ", 1)[1])
            else:
                continue
            for number in numbers:
                seen[number] = seen.get(number, 0) + 1
        return all(seen.get(size.lstrip("_"), 0) >= n for size, n in least.items())
    return told


def s11(lec):
    """The echo lab with a read buffer of 16: a 41-byte message reaches the
    server in reads of 16, 16 and 9. First the notes' own client (seed 001)
    against the notes' port, then the app's client."""
    port = lec.start_server("TCP echo")
    lec.spin("Read Buffer", 16)
    with socket.create_connection(("127.0.0.1", port), timeout=10) as s:
        s.send(b"Hello, world")
        data = b""
        while len(data) < 12:
            data += s.recv(1024)
        assert data == b"Hello, world", data
    lec.connect()
    message = "Hi!Hope you're well; this is the echo lab"
    lec.send(message)
    lec.expected = message.encode()
    # The server's reads of 16, 16 and 9 and its echoes of each; the
    # client's send and its one receive of the echo.
    lec.counts = chunks(_16=4, _9=2, _41=2)


def s13(lec):
    """UDP upper-case: the notes' client (seed 001) binds port 0, sends a
    datagram and gets it back in capitals; then the app's client."""
    port = lec.start_server("UDP upper-case")
    # Its lane is there once it is bound, before any datagram (the trials
    # started S13 and S14 with nothing on the timeline).
    lane = f"udp-upper 127.0.0.1:{port} (UDP)"
    wait_for(lambda: any(text == lane for text, _ in lec.view.reading()[1]),
             what=f"{lec.what}: the lane “{lane}” before any datagram")
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        s.settimeout(10)
        s.bind(("127.0.0.1", 0))
        s.sendto(b"MixedCaseString", ("127.0.0.1", port))
        assert s.recvfrom(1024) == (b"MIXEDCASESTRING", ("127.0.0.1", port))
        # The port the system chose for the notes' client, which has no
        # lane, on the server's receive (the fifteenth trial found it only
        # in the inspector).
        told = f"15 from :{s.getsockname()[1]}"
        wait_for(lambda: any(text == told for text, _ in lec.view.reading()[1]),
                 what=f"{lec.what}: “{told}” on the timeline")
    lec.connect()
    # The client bound a port of the system's choice, and says which.
    lec.says(rf"^Sending to 127\.0\.0\.1:{port}\nfrom 127\.0\.0\.1:[1-9]\d*$", lec.view.flap)
    lec.send("MixedCaseString")
    lec.expected = [b"MIXEDCASESTRING"]
    lec.counts = said("15")


def s14(lec, title, kind):
    """Reading paused, the client sends "Hi!" and "Hope you're well"; each
    send waits until the kernel holds its bytes in the server's socket;
    then reading resumes."""
    port = lec.start_server(title)
    lec.switch("Pause Reading", True)
    lec.connect()
    held = 0
    for text in ("Hi!", "Hope you're well"):
        lec.send(text)
        if kind == "tcp":
            held += len(text)
            # The connection's Recv-Q (the listener's line says 0).
            wait_for(lambda: any(q == held for state, q in kernel_queue("tcp", port)
                                 if state == "ESTAB"),
                     what=f"{lec.what}: {held} bytes waiting in the server's socket")
        else:
            before = held
            wait_for(lambda: kernel_queue("udp", port)[0][1] > before,
                     what=f"{lec.what}: the datagram {text!r} waiting at the server")
            held = kernel_queue("udp", port)[0][1]
    # While reading is paused, the timeline says what waits, as ss does
    # (the sixth trial saw nothing of it until the read, the tenth nothing
    # of the datagrams): bytes on a stream, each datagram over UDP.
    waiting = f"{held} bytes unread" if kind == "tcp" else "2 datagrams unread · 19 bytes"
    wait_for(lambda: any(text == waiting for text, _ in lec.view.reading()[1]),
             what=f"{lec.what}: “{waiting}” on the timeline")
    lec.switch("Pause Reading", False)


def s14_tcp(lec):
    s14(lec, "TCP echo", "tcp")
    # The server's one read of both sends, and its one echo.
    lec.expected = [b"Hi!Hope you're well"]
    lec.counts = said("3", "16", "19")
    disconnect(lec)


def s14_udp(lec):
    s14(lec, "UDP echo", "udp")
    lec.expected = [b"Hi!", b"Hope you're well"]
    lec.counts = said("3", "16")
    disconnect(lec)


def disconnect(lec):
    """The lesson told, the lecturer disconnects: the exchange stays in
    view (the fourteenth trial's view went to the UDP client's close alone,
    the fifteenth's to the TCP client's close and the server's zero-byte
    read), and so do the echoes in Received, until the next connection."""
    want = b"".join(lec.expected)
    wait_for(lambda: b"".join(data for _, data, _ in received(lec.view)) == want,
             what=f"{lec.what}: the echoes received")
    lec.app.activate(reach(lec.view, "push button", "Disconnect", lec.what))
    lec.controls.remove(("push button", "Disconnect"))
    lec.reach("push button", "Connect")


def s15(lec):
    """A message of exactly two read buffers, then shutdown(SHUT_WR): the
    notes' loop (seed 002) reads until the zero-byte read, and so does the
    app's client."""
    port = lec.start_server("TCP echo")
    lec.spin("Read Buffer", 16)
    message = b"0123456789abcdef0123456789abcdef"
    with socket.create_connection(("127.0.0.1", port), timeout=10) as s:
        s.sendall(message)
        s.shutdown(socket.SHUT_WR)
        echoed = b""
        while part := s.recv(16):
            echoed += part
        assert echoed == message, echoed
    lec.connect()
    lec.send(message.decode())
    wait_for(lambda: lec.received() == message, what=f"{lec.what}: the echo, before shutting down")
    lec.app.activate(lec.reach("push button", "Shut Down Writing"))
    lec.says("^The peer has finished sending$", lec.view.flap)
    lec.expected = message
    # The exchange in view is the end: the client's shutdown, and the
    # server's connection that read the zero-byte read and closed a few
    # milliseconds before the client's own, its lane not folded away.
    lec.counts = count_in(f"client 127.0.0.1:{lec.local_port} → 127.0.0.1:{port}",
                          f"tcp-echo :{port} ← 127.0.0.1:{lec.local_port}")

def s16(lec):
    """GET by hand to the tiny HTTP server; the notes' client (seed 000)
    asks the same, and the page the app shows is the one Python got."""
    port = lec.start_server("Tiny HTTP")
    request = b"GET / HTTP/1.1\r\nHost: localhost\r\n\r\n"
    with socket.create_connection(("127.0.0.1", port), timeout=10) as s:
        s.sendall(request)
        page = b""
        while chunk := s.recv(4096):
            page += chunk
    lec.connect()
    lec.send(request.decode().replace("\r", "\\r").replace("\n", "\\n"))
    lec.says("^The peer has finished sending$", lec.view.flap)
    # The Date header may have ticked a second between the two requests.
    date = re.compile(rb"\r\nDate: [^\r]*")
    got = lec.received()
    assert date.sub(b"", got) == date.sub(b"", page), f"{lec.what}: {got!r} is not {page!r}"
    lec.expected = got
    lec.counts = said(str(len(request)))


def s17(lec):
    """Accepting paused, eight of the notes' clients connect (seed 001's
    s.connect, without waiting): the kernel queues backlog + 1 of them and
    the rest wait in SYN-SENT; the row and the timeline say how many wait,
    as many as ss says."""
    port = lec.start_server("TCP echo")
    lec.switch("Pause Accepting", True)
    lec.open_options("TCP echo")
    lec.reach("spin button", "Listen Backlog")
    clients = []
    for _ in range(8):
        s = socket.socket()
        s.setblocking(False)
        s.connect_ex(("127.0.0.1", port))
        clients.append(s)
    waiting = wait_for(lambda: [q for state, q in kernel_queue("tcp", port)
                                if state == "LISTEN" and q == 6],
                       what=f"{lec.what}: six connections in the accept queue")[0]
    lec.says(rf"\b{waiting} waiting to be accepted, backlog 5$")
    # The queue while accepting is paused, said on the listener's lane, and
    # what its being full means (left out at 1280×800 in projector mode,
    # with no room beside the count).
    lec.counts = count_in(f"tcp-echo listening on 127.0.0.1:{port}",
                          f"{waiting} waiting · backlog 5",
                          "full · new clients wait in SYN-SENT")
    # The notes' clients send as soon as they connect (s.sendall): those
    # the kernel established send now, their bytes waiting in it until
    # each connection is accepted and read.
    lec.talking = []
    for s in clients:
        try:
            s.send(HELLO)
            lec.talking.append(s)
        except OSError:
            pass     # still in SYN-SENT
    assert len(lec.talking) >= 6, f"{lec.what}: {len(lec.talking)} clients could send"
    # And wait for the echo, to close as soon as it comes; those in
    # SYN-SENT send once the kernel lets them in, after accepting resumes.
    # Those still in SYN-SENT talk too once let in, at the next SYN the
    # kernel sends (1, 3, 7, 15, 31 s...), which the test does not wait for.
    lec.echoes = {}
    lec.readers = [threading.Thread(target=read_echo_and_close, args=(s, lec.echoes),
                                    daemon=True) for s in lec.talking]
    late = [threading.Thread(target=talk_when_connected, args=(s, lec.echoes), daemon=True)
            for s in clients if s not in lec.talking]
    for t in lec.readers + late:
        t.start()
    return clients


HELLO = b"Hello, world"


def read_echo_and_close(s, echoes):
    """The notes' client after its sendall: data = s.recv(1024), then
    s.close() at once; the server reads the end of it."""
    data = b""
    try:
        s.setblocking(True)
        s.settimeout(300)
        while len(data) < len(HELLO):
            chunk = s.recv(1024)
            if not chunk:
                break
            data += chunk
    except (OSError, ValueError):
        pass     # closed by the test's end
    s.close()
    echoes[s] = data


def talk_when_connected(s, echoes):
    """The notes' client whose SYN waits: connected when the kernel sends
    it again (1, 3, 7 s...), it sends, reads its echo and closes."""
    try:
        select.select([], [s], [], 300)
        if s.getsockopt(socket.SOL_SOCKET, socket.SO_ERROR) == 0:
            s.settimeout(300)
            s.sendall(HELLO)
            read_echo_and_close(s, echoes)
            return
    except (OSError, ValueError):
        pass     # closed by the test's end
    s.close()


def echoed(lec):
    """Each client that sent while accepting was paused had its echo and
    closed."""
    for t in lec.readers:
        t.join(60)
    assert [lec.echoes.get(s) for s in lec.talking] == [HELLO] * len(lec.talking), \
        f"{lec.what}: the echoes {lec.echoes}"


def followed_after_resuming(lec, size):
    """Resumed, the listener accepts the six that waited and each reads and
    echoes the bytes that waited: the view follows them, from the bytes'
    arrival, with the listener's lane (its queue emptied, its accepts) in
    view and the echoes said. It showed the last connection's end alone,
    20 µs wide, and the queue and the accepts were gone (the twelfth
    trial)."""
    lec.app.resize(*size)
    twelve = str(len(HELLO))
    assert_exchange_readable(
        lec.view, lambda shown: f"tcp-echo listening on 127.0.0.1:{lec.port}" in shown
        and chunks(**{"_" + twelve: 4})(shown), f"{lec.what}, resumed")


def accepted_as_kernel_says(lec):
    """Once accepting resumes and the six that waited have their echo and
    close, the row counts the connections the kernel has established at
    the server's end: the two in SYN-SENT whenever their SYN is sent again
    (1, 3, 7, 15 s...), which a test cannot wait for."""
    row = " ".join(lec.view.labels(lec.app.find("list item", "TCP echo", root=lec.view.column)))
    match = re.search(r"\b(\d+) connections?\b", row)
    established = sum(1 for state, _ in kernel_queue("tcp", lec.port) if state == "ESTAB")
    return match and int(match.group(1)) == established


SCENARIOS = {"s11": s11, "s13": s13, "s14-tcp": s14_tcp, "s14-udp": s14_udp,
             "s15": s15, "s16": s16, "s17": s17}


def check(lec, name, size, projector):
    app = lec.app
    app.resize(*size)
    what = f"{name} at {size[0]}×{size[1]}{', projector' if projector else ''}"
    lec.what = what
    try:
        assert_exchange_readable(lec.view, lec.counts, what)
        # Top to bottom, as the eye goes and the column scrolls once.
        needed = [lec.view.control(role, control)[0]
                  for role, control in dict.fromkeys(lec.controls)]
        for acc in sorted(needed, key=lambda acc: extents(acc)[1]):
            reach(lec.view, acc.getRoleName(), acc.name, what)
        if lec.expected is not None:
            assert_received(lec.view, lec.port, lec.expected, what)
    finally:
        # Last, with the column at the client and its Received area; a
        # failure leaves its picture too.
        app.screenshot(os.path.join(SHOTS, f"lecture-{name}-{size[0]}"
                                    f"{'-projector' if projector else ''}.png"))


def lecture(name, projector):
    """Play @name in a window of its own: in normal mode at the laptop's
    size, then look at it at the projector's; in projector mode (F5 first)
    at the projector's size, then at the laptop's."""
    sizes = (PROJECTOR, LAPTOP) if projector else (LAPTOP, PROJECTOR)
    with App() as app:
        app.start("--page=sockets")
        app.resize(*sizes[0])
        if projector:
            app.keys("F5")
            wait_for(lambda: app.is_shown("push button", "Leave Projector Mode"),
                     what="projector mode")
        lec = Lecture(app, f"{name}{' projector' if projector else ''}")
        clients = SCENARIOS[name](lec) or []
        try:
            for size in sizes:
                check(lec, name, size, projector)
            if name == "s17":
                lec.switch("Pause Accepting", False)
                echoed(lec)
                wait_for(lambda: accepted_as_kernel_says(lec), what=f"{lec.what}: the "
                         "row counting what the kernel holds")
                for size in reversed(sizes):
                    followed_after_resuming(lec, size)
        finally:
            for s in clients:
                s.close()


def case(name):
    def run():
        t = time.monotonic()
        lecture(name, projector=False)
        lecture(name, projector=True)
        print(f"# {name} took {time.monotonic() - t:.0f} s", flush=True)
    run.__name__ = "test_" + name.replace("-", "_")
    tap.case(run)


for scenario in SCENARIOS:
    case(scenario)


if __name__ == "__main__":
    tap.run()
