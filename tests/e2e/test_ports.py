#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""The Ports page as a student uses it (S7–S10): search the services
database for ssh, pick it, read port 22 and its class, start a server on a
free port from it; a port's status with a listener on it, the connect check
of loopback ports, bad input; the constants filtered; an address and a
number byte by byte; the narrow page. Screenshots for the README."""

import os
import socket
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(__file__))
from sockscope_e2e import App, Tap, skip_unless_usable, wait_for  # noqa: E402

skip_unless_usable()
tap = Tap()
SHOTS = os.environ.get("SOCKSCOPE_SCREENSHOT_DIR") or os.path.join(
    os.environ["MESON_BUILD_ROOT"], "screenshots")
N_SERVICES = len(subprocess.run(["getent", "services"], capture_output=True, text=True,
                                check=True).stdout.splitlines())


def labels(app, predicate, root=None):
    return [acc.name for acc in app.find_all("label", root=root) if predicate(acc.name or "")]


def has_label(app, text, root=None):
    return bool(labels(app, lambda name: name == text, root))


def fill(app, name, text, role="text"):
    """Click into an entry, replace what it holds, as a keyboard would."""
    app.click_at(app.find(role, name))
    app.keys("ctrl+a", "BackSpace")
    if text:
        app.type_text(text)


def alerts(app):
    """What the alerts on screen say: each what went wrong, in words."""
    return [acc.name for alert in app.find_all("alert")
            for acc in app.find_all("label", root=alert) if acc.name]


def alert_text(app):
    found = alerts(app)
    return found[0] if found else None


def open_tab(app, name):
    app.click("page tab", name)


def table(app):
    return app.find("tree table", "Services database")


def search_and_pick(app, query, name):
    fill(app, "Search services", query, role="entry")
    wait_for(lambda: has_label(app, name, root=table(app)), what=f"{name} in the table")
    cell = [acc for acc in app.find_all("label", name, root=table(app))][0]
    app.click_at(cell)


@tap.case
def test_search_ssh_pick_it_see_port_22_and_its_class():
    with App() as app:
        app.start("--page=ports")
        wait_for(lambda: has_label(app, f"{N_SERVICES} entries. The system’s services database "
                                        "(getservent), usually /etc/services"),
                 what="the catalogue read, with its source")
        app.resize(1100, 760)
        search_and_pick(app, "ssh", "ssh")
        wait_for(lambda: has_label(app, f"1 of {N_SERVICES} entries"), what="one match")
        wait_for(lambda: has_label(app, "22/tcp"), what="port 22/tcp in the detail")
        assert has_label(app, "Well-known: 0–1023"), labels(app, lambda n: "–" in n)
        assert has_label(app, "Privileged here: only administrators may listen below 1024")
        assert has_label(app, "nc 127.0.0.1 22")
        wait_for(lambda: labels(app, lambda n: n in ("Nothing listens on it",)
                                or n.startswith("tcp · LISTEN")),
                 what="what listens on 22, from the kernel's tables")
        app.screenshot(os.path.join(SHOTS, "ports-services.png"))

        # The table sorts by a column's header, and filters by class.
        fill(app, "Search services", "", role="entry")
        app.click_at(app.find("combo box", "Port class"))
        time.sleep(0.5)
        app.keys("Down", "Down", "Return")  # Registered
        wait_for(lambda: labels(app, lambda n: n.startswith("Registered")
                                and n.count(" ") == 0, root=table(app)),
                 what="registered ports")
        assert not labels(app, lambda n: n == "Well-known", root=table(app))


@tap.case
def test_start_a_server_from_a_free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
    # A registered port of the database that nothing holds here.
    services = subprocess.run(["getent", "services"], capture_output=True, text=True,
                              check=True).stdout.splitlines()
    port, name = None, None
    for line in services:
        words = line.split()
        number, proto = words[1].split("/")
        if proto == "tcp" and 1024 <= int(number) <= 49151:
            with socket.socket() as s:
                try:
                    s.bind(("127.0.0.1", int(number)))
                except OSError:
                    continue
            port, name = int(number), words[0]
            break
    assert port is not None, "no free registered port in the services database"
    with App() as app:
        app.start("--page=ports")
        app.resize(1100, 760)
        search_and_pick(app, str(port), name)
        button = f"Start a TCP Echo Server on {port}"
        app.click("push button", button)
        wait_for(lambda: app.selected_tab() == "Sockets", what="the Sockets page")
        wait_for(lambda: labels(app, lambda n: f"127.0.0.1:{port}" in n),
                 what=f"the echo server listening on {port}")
        with socket.create_connection(("127.0.0.1", port), timeout=5) as c:
            c.sendall(b"ping")
            assert c.recv(16) == b"ping"


@tap.case
def test_port_status_and_connect_check():
    with App() as app:
        app.start("--page=ports")
        app.resize(1100, 760)
        open_tab(app, "Status")
        wait_for(lambda: has_label(app, "Listening Sockets"), what="the Status tab")
        with socket.socket() as listener:
            listener.bind(("127.0.0.1", 0))
            listener.listen(4)
            port = listener.getsockname()[1]
            fill(app, "Port", str(port))
            app.keys("Return")
            wait_for(lambda: labels(app, lambda n: n.startswith("In use: another socket holds "
                                                                "it")),
                     what="the port in use")
            wait_for(lambda: has_label(app, f"127.0.0.1:{port}"), what="the listener's row")
            me = f"python3 (pid {os.getpid()})"
            wait_for(lambda: labels(app, lambda n: n == f"tcp · LISTEN · {me}"),
                     what="the listener's process")

            fill(app, "Port or Range, Such as 20-25", f"{port - 2}-{port + 2}")
            app.click("push button", "Check")
            wait_for(lambda: labels(app, lambda n: n.startswith("1 open, ")
                                    and "at 127.0.0.1, in" in n),
                     what="the connect check done")
            summary = labels(app, lambda n: n.startswith("1 open, "))[0]
            assert "filtered" in summary and ", 0 failed" in summary, summary
            assert labels(app, lambda n: n.startswith("Open, in ")), "no open row"
            app.screenshot(os.path.join(SHOTS, "ports-status.png"))

        # Bad input, in words, and nothing checked.
        fill(app, "Port", "70000")
        app.keys("Return")
        wait_for(lambda: alert_text(app) == "Port 70000 is out of range: ports go from 0 to "
                                            "65535", what="the range explained")
        fill(app, "Port or Range, Such as 20-25", "1-5000")
        app.click("push button", "Check")
        wait_for(lambda: "The range 1–5000 holds 5000 ports; at most 1024 may be checked at "
                         "once" in alerts(app), what="the range too big explained")


@tap.case
def test_constants_filtered():
    with App() as app:
        app.start("--page=ports")
        app.resize(1000, 700)
        open_tab(app, "Constants")
        wait_for(lambda: has_label(app, "AF_INET"), what="the constants")
        assert has_label(app, str(socket.AF_INET6)), "AF_INET6's value"
        fill(app, "Search constants", "shut", role="entry")
        wait_for(lambda: has_label(app, "SHUT_WR") and not has_label(app, "AF_INET"),
                 what="only the SHUT_ constants")
        assert has_label(app, "Stop sending: the peer's next receive returns 0 bytes, the end "
                              "of the stream")


@tap.case
def test_address_and_byte_order():
    with App() as app:
        app.start("--page=ports")
        app.resize(1000, 760)
        open_tab(app, "Addresses")
        wait_for(lambda: has_label(app, "htons(8080) = 36895 (0x901f)"),
                 what="8080 in network order")
        assert has_label(app, "90 1f") and has_label(app, "1f 90")
        fill(app, "Address", "[2001:db8::1]:443")
        app.keys("Return")
        wait_for(lambda: has_label(app, "Documentation"), what="the address's kind")
        assert has_label(app, "20 01 0d b8 00 00 00 00 00 00 00 00 00 00 00 01")
        assert has_label(app, "443")
        assert has_label(app, "1.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.8.b.d.0.1.0.0.2"
                              ".ip6.arpa")
        app.screenshot(os.path.join(SHOTS, "ports-addresses.png"))
        fill(app, "Address", "999.1.1.1")
        app.keys("Return")
        wait_for(lambda: (alert_text(app) or "").startswith("“999.1.1.1” is not a valid IPv4 "
                                                            "address"),
                 what="a bad address explained")
        assert not has_label(app, "Documentation")
        fill(app, "Number, in Decimal or After 0x in Hex", "70000")
        wait_for(lambda: has_label(app, "70000 does not fit in 16 bits: htons() takes numbers "
                                        "from 0 to 65535 (0xffff)"),
                 what="a number too big explained")


@tap.case
def test_narrow_page_goes_to_the_detail_and_back():
    with App() as app:
        app.start("--page=ports")
        app.resize(360, 640)
        search_and_pick(app, "http", "http")
        wait_for(lambda: has_label(app, "80/tcp"), what="the detail of http, alone")
        app.screenshot(os.path.join(SHOTS, "ports-narrow.png"))
        # GTK 4.8 keeps the extents of what it hides, so what is not shown
        # cannot be told from here; the way back, and the table working
        # again, can.
        app.click("push button", "All Services")
        search_and_pick(app, "ssh", "ssh")
        wait_for(lambda: has_label(app, "22/tcp"), what="the detail of ssh, from the table")
        # The four parts do not fit side by side: a list picks one.
        app.click_at(app.find("combo box", "Part of the page"))
        time.sleep(0.5)
        app.keys("Down", "Down", "Down", "Return")
        wait_for(lambda: has_label(app, "Address Inspector"), what="the Addresses part, narrow")


tap.run()
