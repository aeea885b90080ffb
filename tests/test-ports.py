#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""The Ports page's core through `sockscope-cli services|constants|address|
port`: the catalogue against `getent services` line for line (the system's
database and the built-in copy), the constants against Python's socket
module, the address inspector against Python's ipaddress and
socket.inet_pton, local port status with socat listening on TCP and UDP,
IPv4 and IPv6, the connect check against loopback ports with one listener
and the rest closed (and a full backlog that drops the SYN: filtered), and
bad input. Loopback only."""

import ipaddress
import json
import os
import random
import shutil
import signal
import socket
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(__file__))
from taplib import SkipCase, Tap  # noqa: E402

CLI = os.path.abspath(sys.argv[1])
ENV = dict(os.environ, LC_ALL="C.UTF-8", LANGUAGE="")
tap = Tap()


def cli(*args, env=None, check=True, prefix=()):
    result = subprocess.run([*prefix, CLI, *args], capture_output=True, text=True, timeout=60,
                            env=env or ENV)
    if check:
        assert result.returncode == 0, (args, result.returncode, result.stderr)
    return result


def cli_json(*args, **kwargs):
    return json.loads(cli(*args, "--json", **kwargs).stdout)


def free_port(kind=socket.SOCK_STREAM, family=socket.AF_INET):
    with socket.socket(family, kind) as s:
        s.bind(("::1" if family == socket.AF_INET6 else "127.0.0.1", 0))
        return s.getsockname()[1]


def port_free_for_both():
    """A port below the ephemeral range that neither TCP nor UDP holds: other
    tests, running at the same time, bind port 0 and connect from the
    ephemeral range, so they cannot take it between now and the check."""
    rng = random.Random()
    for _ in range(200):
        port = rng.randint(20000, 32000)
        try:
            for family, host in ((socket.AF_INET, "0.0.0.0"), (socket.AF_INET6, "::")):
                for kind in (socket.SOCK_STREAM, socket.SOCK_DGRAM):
                    with socket.socket(family, kind) as s:
                        if family == socket.AF_INET6:
                            s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 1)
                        s.bind((host, port))
        except OSError:
            continue
        return port
    raise AssertionError("no port from 20000 to 32000 is free for TCP and UDP")


def getent_services():
    out = subprocess.run(["getent", "services"], capture_output=True, text=True,
                         check=True).stdout
    rows = []
    for line in out.splitlines():
        words = line.split()
        port, proto = words[1].split("/")
        rows.append((words[0], int(port), proto, words[2:]))
    return rows


def catalogue_rows(data):
    return [(s["name"], s["port"], s["protocol"], s["aliases"]) for s in data["services"]]


# -- the catalogue ----------------------------------------------------------

@tap.case
def test_catalogue_is_getent_services_line_for_line():
    data = cli_json("services")
    expected = getent_services()
    assert len(expected) > 100, "the services database here is nearly empty"
    assert data["total"] == len(expected) and data["skipped"] == 0, data["total"]
    assert catalogue_rows(data) == expected
    assert "getservent" in data["source"]


@tap.case
def test_builtin_copy_reads_the_same_as_getent():
    # The built-in table is netbase's file; Debian's database is that file.
    for data in (cli_json("services", "--builtin"),
                 cli_json("services", env=dict(ENV, SOCKSCOPE_SERVICES="builtin"))):
        assert "netbase" in data["source"], data["source"]
        assert catalogue_rows(data) == getent_services()


@tap.case
def test_port_classes_at_their_bounds():
    classes = {(s["port"], s["protocol"]): s["class"] for s in cli_json("services")["services"]}
    for (port, _), port_class in classes.items():
        expected = ("well-known" if port <= 1023 else "registered" if port <= 49151
                    else "dynamic")
        assert port_class == expected, (port, port_class)
    for name in ("well-known", "registered", "dynamic"):
        chosen = cli_json("services", "--class", name)["services"]
        assert chosen and all(s["class"] == name for s in chosen), name
    assert classes[(22, "tcp")] == "well-known"


@tap.case
def test_search_by_name_alias_and_number():
    assert [(s["name"], s["port"]) for s in cli_json("services", "ssh")["services"]] == \
        [("ssh", 22)]
    smtp = cli_json("services", "mail")["services"]  # smtp's alias
    assert ("smtp", 25) in [(s["name"], s["port"]) for s in smtp]
    by_port = cli_json("services", "53")["services"]
    assert {(s["name"], s["protocol"]) for s in by_port} == {("domain", "tcp"), ("domain", "udp")}
    udp = cli_json("services", "domain", "--proto", "udp")["services"]
    assert [(s["port"], s["protocol"]) for s in udp if s["name"] == "domain"] == [(53, "udp")]
    assert all(s["protocol"] == "udp" and "domain" in s["name"] for s in udp), udp
    text = cli("services", "ssh").stdout
    assert "ssh" in text and "22" in text and "well-known" in text, text
    assert "No entry matches." in cli("services", "no-such-service-here").stdout


@tap.case
def test_the_lecture_s_well_known_ports():
    services = cli_json("services", "--class", "well-known")["services"]
    names = {(s["port"], s["protocol"]): s["name"] for s in services}
    for port, name in ((20, "ftp-data"), (21, "ftp"), (22, "ssh"), (23, "telnet"),
                       (25, "smtp"), (53, "domain"), (80, "http"), (443, "https")):
        assert names.get((port, "tcp")) == name, (port, names.get((port, "tcp")))


# -- the constants ----------------------------------------------------------

@tap.case
def test_constants_are_python_s_values_here():
    data = cli_json("constants")
    by_name = {c["name"]: c["value"] for c in data["constants"]}
    compared = 0
    for name, value in by_name.items():
        if hasattr(socket, name):
            assert int(getattr(socket, name)) == value, (name, value, getattr(socket, name))
            compared += 1
    assert compared >= 80, f"only {compared} constants compared with Python"
    # The lecture's constants are all there, and every group has its prefix.
    for name in ("AF_INET", "AF_INET6", "AF_UNIX", "AF_UNSPEC", "SOCK_STREAM", "SOCK_DGRAM",
                 "SOCK_RAW", "IPPROTO_TCP", "IPPROTO_UDP", "IPPROTO_IP", "SOL_SOCKET",
                 "SO_REUSEADDR", "AI_CANONNAME", "AI_PASSIVE", "NI_NAMEREQD", "MSG_PEEK",
                 "SHUT_WR"):
        assert name in by_name, name
    for c in data["constants"]:
        assert c["name"].startswith(c["group"]), c
        assert c["meaning"], c
    # Those Python's socket module knows as well are its own values here.
    assert {"AF_INET", "AF_UNIX", "SOCK_STREAM", "SO_REUSEADDR", "MSG_PEEK"} <= \
        {n for n in by_name if hasattr(socket, n)}


@tap.case
def test_a_plain_socket_is_what_python_makes():
    plain = cli_json("constants")["default_socket"]
    with socket.socket() as s:
        assert (plain["family"], plain["type"], plain["protocol"]) == \
            (int(s.family), int(s.type), s.proto)
        assert plain["kernel_protocol"] == s.getsockopt(socket.SOL_SOCKET, socket.SO_PROTOCOL)
    assert plain["kernel_protocol"] == socket.IPPROTO_TCP
    text = cli("constants").stdout
    assert "it chose IPPROTO_TCP (6)" in text, text[-400:]


@tap.case
def test_constants_by_prefix():
    data = cli_json("constants", "SO_")
    assert data["constants"] and all(c["name"].startswith("SO_") for c in data["constants"])
    text = cli("constants", "shut").stdout
    assert "SHUT_RD" in text and "SHUT_WR" in text and "AF_INET" not in text, text
    bad = cli("constants", "ZZZ_", check=False)
    assert bad.returncode == 2 and "no constant begins with “ZZZ_”" in bad.stderr, bad


# -- the address inspector --------------------------------------------------

ADDRESSES = ["127.0.0.1", "10.1.2.3", "172.16.5.4", "192.168.1.100", "169.254.7.7",
             "192.0.2.1", "198.51.100.10", "203.0.113.255", "224.0.0.1", "239.1.2.3",
             "8.8.8.8", "0.0.0.0", "255.255.255.255", "240.0.0.1", "100.64.0.1",
             "::1", "::", "fe80::1", "fd12:3456::1", "ff02::1", "ff0e::1", "2001:db8::1",
             "2001:db8:85a3:42::8a2e:370:7334", "::ffff:192.0.2.1", "2606:4700::1111"]


def expected_kind(ip):
    """Our kind from Python's flags, in our order of precedence."""
    if ip.is_unspecified:
        return {"unspecified"}
    if ip.is_loopback:
        return {"loopback"}
    if ip.version == 6 and ip.ipv4_mapped is not None:
        return {"ipv4-mapped"}
    if ip.is_link_local:
        return {"link-local"}
    if ip.is_multicast:
        return {"multicast"}
    if ip == ipaddress.ip_address("255.255.255.255"):
        return {"broadcast"}
    if ip.is_private:
        # Python counts documentation and reserved ranges among the private ones.
        return {"private", "documentation", "reserved", "benchmarking"}
    if ip.is_global:
        return {"global"}
    return {"shared", "reserved"}


@tap.case
def test_inspector_against_ipaddress_and_inet_pton():
    for text in ADDRESSES:
        data = cli_json("address", text)
        ip = ipaddress.ip_address(text)
        family = socket.AF_INET if ip.version == 4 else socket.AF_INET6
        assert data["family_value"] == family, (text, data)
        assert data["address"] == socket.inet_ntop(family, socket.inet_pton(family, text)), \
            (text, data["address"])
        assert data["packed"] == socket.inet_pton(family, text).hex(" "), (text, data["packed"])
        assert data["integer"] == str(int(ip)), (text, data["integer"])
        assert data["reverse_name"] == ip.reverse_pointer, (text, data["reverse_name"])
        assert data["kind"] in expected_kind(ip), (text, data["kind"], expected_kind(ip))
        assert data["inet_aton_only"] is False
    # The named kinds, where Python lumps several together.
    kinds = {t: cli_json("address", t)["kind"] for t in
             ("192.0.2.1", "2001:db8::1", "10.1.2.3", "fd12:3456::1", "100.64.0.1")}
    assert kinds == {"192.0.2.1": "documentation", "2001:db8::1": "documentation",
                     "10.1.2.3": "private", "fd12:3456::1": "private",
                     "100.64.0.1": "shared"}, kinds
    # Where Python lumps ranges together or lags the IANA registries, the
    # registries decide.
    for text, kind in (("64:ff9b::c000:201", "global"), ("2001::1", "reserved"),
                       ("192.0.0.9", "global"), ("192.0.0.100", "reserved"),
                       ("3fff::1", "documentation"), ("2001:2::1", "benchmarking"),
                       ("198.18.0.1", "benchmarking"), ("fec0::1", "reserved"),
                       ("100::1", "reserved"), ("255.255.255.255", "broadcast")):
        assert cli_json("address", text)["kind"] == kind, (text, kind)
    assert cli_json("address", "ff03::1")["multicast_scope"] == "a realm"
    mapped = cli_json("address", "::ffff:192.0.2.1")
    assert mapped["mapped"] == str(ipaddress.ip_address("::ffff:192.0.2.1").ipv4_mapped)
    assert cli_json("address", "ff02::1")["multicast_scope"] == "the local link"


@tap.case
def test_inspector_python_lines_run():
    """The "same in Python" lines, pasted into Python as the page offers
    them: each runs, and says what the inspector says (a scoped address's
    reverse name included, which Python's reverse_pointer refuses)."""
    for text in ADDRESSES + ["fe80::1%lo", "fe80::1%1", "127.1"]:
        data = cli_json("address", text)
        lines = data["python"].splitlines()
        assert lines[0] == "import ipaddress, socket", (text, lines)
        scope = {}
        exec(lines[0], scope)
        values = [eval(line, scope) for line in lines[1:]]
        assert values[0].hex(" ") == data["packed"], (text, values[0], data["packed"])
        assert values[-1] == data["reverse_name"], (text, values[-1], data["reverse_name"])
        if len(values) == 3:
            assert str(values[1]) == data["integer"], (text, values[1], data["integer"])


@tap.case
def test_inspector_socket_addresses_and_scope():
    v4 = cli_json("address", "192.0.2.1:8080")
    assert (v4["address"], v4["port"]) == ("192.0.2.1", 8080)
    v6 = cli_json("address", "[2001:db8::1]:443")
    assert (v6["address"], v6["port"]) == ("2001:db8::1", 443)
    scoped = cli_json("address", "fe80::1%lo")
    assert scoped["scope"] == "lo" and scoped["scope_id"] == socket.if_nametoindex("lo"), scoped
    assert scoped["kind"] == "link-local"
    assert scoped["packed"] == socket.inet_pton(socket.AF_INET6, "fe80::1").hex(" ")
    numeric = cli_json("address", "[fe80::1%7]:22")
    assert (numeric["scope_id"], numeric["port"]) == (7, 22), numeric
    unknown = cli_json("address", "fe80::1%nosuch0")
    assert (unknown["scope_known"], unknown["scope_id"]) == (False, 0), unknown
    assert "nosuch0 (no such interface here)" in cli("address", "fe80::1%nosuch0").stdout


@tap.case
def test_inspector_old_forms_inet_aton_reads():
    for text in ("127.1", "10.1", "0x7f.1", "2130706433"):
        data = cli_json("address", text)
        assert data["inet_aton_only"] is True, text
        assert data["packed"] == socket.inet_aton(text).hex(" "), (text, data["packed"])
        assert data["address"] == socket.inet_ntoa(socket.inet_aton(text)), text
    text = cli("address", "127.1").stdout
    assert "only inet_aton() reads" in text and "127.0.0.1" in text, text


@tap.case
def test_inspector_bad_input_is_explained():
    cases = {
        "": "The address is empty",
        "999.1.1.1": "is not a valid IPv4 address",
        "1.2.3.4.5": "is not a valid IPv4 address",
        "::1::2": "is not a valid IPv6 address",
        "gggg::1": "is not a valid IPv6 address",
        "[::1": "has “[” but no “]”",
        "[127.0.0.1]:80": "Only IPv6 addresses go in brackets",
        "fe80::1%": "with no interface after it",
        "192.0.2.1%eth0": "Only IPv6 addresses take a “%”",
        "localhost": "use the Lookup page",
        "192.0.2.1:99999": "Port 99999 is out of range",
        "192.0.2.1:http": "is not a port number",
        "1.2.3.4 5": "a space or a control character",
        "1.2.3.4\x07": "a space or a control character",
        "ßtraße": "contains letters no address holds",
        "[2001:db8::1]x": "has text after “]”",
        "fe80::1%x');print('x": "names an interface no system has",
        "fe80::1%averyveryverylongname": "names an interface no system has",
    }
    for text, words in cases.items():
        result = cli("address", "--", text, check=False)
        assert result.returncode == 2, (text, result)
        assert words in result.stderr, (text, result.stderr)
        assert result.stdout == "", (text, result.stdout)


# -- local port status ------------------------------------------------------

class Socat:
    """socat holding a port: a TCP listener or a bound UDP socket."""

    def __init__(self, address):
        if not shutil.which("socat"):
            raise SkipCase("socat is not installed")
        # One way only: socat stays until it is stopped, whatever stdin holds.
        self.proc = subprocess.Popen(["socat", "-u", address, "STDOUT"], stdin=subprocess.DEVNULL,
                                     stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)

    def wait_bound(self, port, protocol):
        table = {"tcp": "/proc/net/tcp", "tcp6": "/proc/net/tcp6", "udp": "/proc/net/udp",
                 "udp6": "/proc/net/udp6"}[protocol]
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            with open(table) as f:
                if f":{port:04X} " in f.read():
                    return
            assert self.proc.poll() is None, self.proc.stderr.read()
            time.sleep(0.05)
        raise AssertionError(f"socat never bound {port}/{protocol}")

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.proc.send_signal(signal.SIGTERM)
        self.proc.wait(timeout=10)
        self.proc.stderr.close()


def bind_states(data, protocol):
    return {p["address"]: p["state"] for p in data["bind"][protocol]}


@tap.case
def test_port_status_with_socat_listening_tcp_ipv4():
    port = free_port()
    before = cli_json("port", str(port), "--proto", "tcp")
    assert set(bind_states(before, "tcp").values()) == {"free"}, before
    assert before["listening"] == []
    with Socat(f"TCP4-LISTEN:{port},bind=127.0.0.1,reuseaddr") as socat:
        socat.wait_bound(port, "tcp")
        data = cli_json("port", str(port), "--proto", "tcp")
        states = bind_states(data, "tcp")
        assert states["127.0.0.1"] == "in-use" and states["0.0.0.0"] == "in-use", states
        assert states["::1"] == "free" and states["::"] == "free", states
        in_use = [p for p in data["bind"]["tcp"] if p["address"] == "127.0.0.1"][0]
        assert "(EADDRINUSE)" in in_use["message"], in_use
        assert data["listening"] == [{"protocol": "tcp", "address": "127.0.0.1", "port": port,
                                      "state": "LISTEN", "uid": os.getuid(),
                                      "process": f"socat (pid {socat.proc.pid})"}], data
        text = cli("port", str(port), "--proto", "tcp").stdout
        assert "In use: another socket holds it" in text and "socat (pid" in text, text


@tap.case
def test_port_status_with_socat_listening_tcp_ipv6():
    port = free_port(family=socket.AF_INET6)
    with Socat(f"TCP6-LISTEN:{port},bind=[::1],reuseaddr") as socat:
        socat.wait_bound(port, "tcp6")
        data = cli_json("port", str(port), "--proto", "tcp")
        states = bind_states(data, "tcp")
        assert states["::1"] == "in-use" and states["::"] == "in-use", states
        assert states["127.0.0.1"] == "free", states
        assert [(e["protocol"], e["address"]) for e in data["listening"]] == [("tcp6", "::1")]


@tap.case
def test_port_status_with_socat_bound_udp_both_families():
    port = free_port(socket.SOCK_DGRAM)
    with Socat(f"UDP4-RECV:{port},bind=127.0.0.1") as socat:
        socat.wait_bound(port, "udp")
        data = cli_json("port", str(port), "--proto", "udp")
        assert bind_states(data, "udp")["127.0.0.1"] == "in-use", data
        assert "tcp" not in data["bind"]
        assert [(e["protocol"], e["address"], e["state"]) for e in data["listening"]] == \
            [("udp", "127.0.0.1", "UNCONN")], data
    port = port_free_for_both()
    with Socat(f"UDP6-RECV:{port},bind=[::1]") as socat:
        socat.wait_bound(port, "udp6")
        data = cli_json("port", str(port))
        assert bind_states(data, "udp")["::1"] == "in-use", data
        # TCP is another namespace of ports: still free.
        assert set(bind_states(data, "tcp").values()) == {"free"}, data
        assert [(e["protocol"], e["address"]) for e in data["listening"]] == [("udp6", "::1")]


@tap.case
def test_a_udp_socket_connected_still_holds_its_port():
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        s.bind(("127.0.0.1", 0))
        s.connect(("127.0.0.1", 9))
        port = s.getsockname()[1]
        data = cli_json("port", str(port), "--proto", "udp")
    assert [(e["protocol"], e["state"]) for e in data["listening"]] == \
        [("udp", "ESTABLISHED")], data
    assert bind_states(data, "udp")["127.0.0.1"] == "in-use", data


@tap.case
def test_a_process_name_cannot_write_to_the_terminal():
    # Any program may call itself anything; the name is shown, not obeyed.
    code = ("import ctypes, socket, sys, time\n"
            "ctypes.CDLL(None).prctl(15, b'\\x1b]0;owned\\x07x\\xff', 0, 0, 0)\n"
            "s = socket.socket(); s.bind(('127.0.0.1', 0)); s.listen(1)\n"
            "print(s.getsockname()[1], flush=True); time.sleep(30)\n")
    child = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, text=True)
    try:
        port = int(child.stdout.readline())
        text = cli("port", str(port), "--proto", "tcp")
        assert "\x1b" not in text.stdout and "\x07" not in text.stdout, repr(text.stdout)
        assert f"?]0;owned?x\ufffd (pid {child.pid})" in text.stdout, text.stdout
        data = json.loads(cli("port", str(port), "--proto", "tcp", "--json").stdout)
        assert data["listening"][0]["process"] == f"?]0;owned?x\ufffd (pid {child.pid})"
    finally:
        child.kill()
        child.wait()
        child.stdout.close()


@tap.case
def test_privileged_port_denied_to_nobody():
    if os.getuid() != 0 or not shutil.which("setpriv"):
        raise SkipCase("needs root and setpriv to run the check as an ordinary user")
    with open("/proc/sys/net/ipv4/ip_unprivileged_port_start") as f:
        start = int(f.read())
    if start <= 80:
        raise SkipCase(f"this machine lets anyone bind from port {start}")
    result = cli("port", "80", "--proto", "tcp", "--json",
                 prefix=("setpriv", "--reuid=nobody", "--regid=nogroup", "--clear-groups"))
    data = json.loads(result.stdout)
    assert set(bind_states(data, "tcp").values()) == {"denied"}, data
    assert all("(EACCES)" in p["message"] for p in data["bind"]["tcp"]), data
    assert data["privileged"] is True and data["class"] == "well-known"


@tap.case
def test_port_facts_class_ephemeral_and_database():
    with open("/proc/sys/net/ipv4/ip_local_port_range") as f:
        low, high = (int(w) for w in f.read().split())
    data = cli_json("port", "22")
    assert (data["class"], data["services"]["tcp"]) == ("well-known", "ssh"), data
    assert data["ephemeral_range"] == [low, high]
    inside = cli_json("port", str(low))
    assert inside["ephemeral"] is True and cli_json("port", str(low - 1))["ephemeral"] is False
    text = cli("port", str(low)).stdout
    assert f"ephemeral range {low}–{high} (/proc/sys/net/ipv4/ip_local_port_range)" in text


# -- the connect check ------------------------------------------------------

@tap.case
def test_connect_check_one_listener_among_closed_ports():
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen(8)
        port = listener.getsockname()[1]
        first = max(1, port - 4)
        data = cli_json("port", f"{first}-{first + 9}", "--check", "127.0.0.1",
                        "--concurrency", "3")
    states = {r["port"]: r["state"] for r in data["results"]}
    assert sorted(states) == list(range(first, first + 10)), states
    for p, state in states.items():
        if p == port:
            assert state == "open", states
        else:
            # Another test's listener may sit in the range; nothing else answers.
            assert state in ("refused", "open"), states
    assert data["addresses"] == ["127.0.0.1"]
    assert all(r["elapsed_us"] > 0 for r in data["results"])


@tap.case
def test_connect_check_ipv6_and_by_name():
    with socket.socket(socket.AF_INET6) as listener:
        listener.bind(("::1", 0))
        listener.listen(4)
        port = listener.getsockname()[1]
        data = cli_json("port", str(port), "--check", "::1")
        assert [(r["port"], r["state"]) for r in data["results"]] == [(port, "open")], data
    text = cli("port", str(port), "--check", "::1").stdout
    assert "0 open, 1 refused" in text, text


@tap.case
def test_connect_check_of_a_name_tries_each_of_its_addresses():
    # localhost is 127.0.0.1 and ::1; a server on one of them only is open
    # there and refused on the other, and the check says which is which.
    expected = {a[4][0] for a in socket.getaddrinfo("localhost", None, type=socket.SOCK_STREAM)}
    if len(expected) < 2:
        raise SkipCase(f"localhost has only {expected} here")
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen(4)
        port = listener.getsockname()[1]
        data = cli_json("port", str(port), "--check", "localhost")
    assert set(data["addresses"]) == expected, data
    states = {r["address"]: r["state"] for r in data["results"]}
    assert states.pop("127.0.0.1") == "open", data
    assert set(states.values()) == {"refused"}, data


@tap.case
def test_connect_check_full_backlog_is_filtered():
    # A listener that never accepts, its queue full: the kernel drops the
    # next SYN, as a firewall would, and the connect times out.
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen(0)
        port = listener.getsockname()[1]
        fillers = []
        for _ in range(3):
            s = socket.socket()
            s.setblocking(False)
            s.connect_ex(("127.0.0.1", port))
            fillers.append(s)
        time.sleep(0.2)
        try:
            data = cli_json("port", str(port), "--check", "127.0.0.1", "--timeout", "300")
        finally:
            for s in fillers:
                s.close()
    [result] = data["results"]
    assert result["state"] == "filtered", data
    assert 250_000 <= result["elapsed_us"] < 5_000_000, result


@tap.case
def test_connect_check_network_unreachable_in_an_empty_namespace():
    if os.getuid() != 0 or not shutil.which("unshare"):
        raise SkipCase("needs root and unshare for a network namespace of the test's own")
    probe = subprocess.run(["unshare", "--net", "true"], capture_output=True)
    if probe.returncode != 0:
        raise SkipCase("network namespaces are not allowed here: "
                       + probe.stderr.decode(errors="replace").strip())
    # A new namespace's loopback is down: there is no route even to 127.0.0.1.
    data = json.loads(cli("port", "22", "--check", "127.0.0.1", "--json",
                          prefix=("unshare", "--net")).stdout)
    [result] = data["results"]
    assert result["state"] == "failed" and "(ENETUNREACH)" in result["message"], result


@tap.case
def test_connect_check_interrupted():
    # Into a full backlog with a minute's timeout: SIGINT stops it at once.
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen(0)
        port = listener.getsockname()[1]
        fillers = [socket.socket() for _ in range(3)]
        for s in fillers:
            s.setblocking(False)
            s.connect_ex(("127.0.0.1", port))
        time.sleep(0.2)
        proc = subprocess.Popen([CLI, "port", str(port), "--check", "127.0.0.1",
                                 "--timeout", "60000"],
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=ENV,
                                text=True)
        time.sleep(0.5)
        started = time.monotonic()
        proc.send_signal(signal.SIGINT)
        out, err = proc.communicate(timeout=10)
        for s in fillers:
            s.close()
    assert proc.returncode == 130, (proc.returncode, out, err)
    assert time.monotonic() - started < 5


# -- bad input --------------------------------------------------------------

@tap.case
def test_bad_ports_are_explained():
    cases = [
        (("port", "70000"), "Port 70000 is out of range: ports go from 0 to 65535"),
        (("port", "--", "-1"), "Port -1 is out of range: ports go from 0 to 65535"),
        (("port", "abc"), "“abc” is not a port number"),
        (("port", ""), "The port is empty"),
        (("port", "22x"), "“22x” is not a port number"),
        (("port",), "give one PORT"),
        (("port", "22", "--proto", "sctp"), "--proto: “sctp” is not one of tcp, udp, both"),
        (("port", "1-5000", "--check", "127.0.0.1"),
         "The range 1–5000 holds 5000 ports; at most 1024 may be checked at once"),
        (("port", "25-20", "--check", "127.0.0.1"), "The range 25–20 runs backwards"),
        (("port", "20-", "--check", "127.0.0.1"), "The port is empty"),
        (("port", "22", "--check", ""), "The name is empty"),
        (("port", "22", "--check", "bad host"), "a space"),
        (("port", "22", "--check", "999.1.1.1"), "is not a valid IPv4 address"),
        (("port", "22", "--check", "127.0.0.1", "--timeout", "0"),
         "--timeout: “0” is not a number from 1 to 600000"),
        (("port", "22", "--check", "127.0.0.1", "--proto", "udp"), "UDP has no connection"),
        (("port", "0"), "Port 0 is not a port to ask about"),
        (("port", "0-10", "--check", "127.0.0.1"), "Port 0 is not a port to ask about"),
        (("port", "22", "--check", "127.0.0.1", "--concurrency", "65"),
         "--concurrency: “65” is not a number from 1 to 64"),
        (("services", "--class", "secret"), "--class: “secret” is not one of"),
        (("services", "a", "b"), "give at most one QUERY"),
        (("address",), "give one ADDRESS"),
    ]
    for args, words in cases:
        result = cli(*args, check=False)
        assert result.returncode == 2, (args, result)
        assert words in result.stderr, (args, result.stderr)


@tap.case
def test_help_lists_the_ports_commands():
    text = cli("--help").stdout
    for name in ("services", "constants", "address", "port"):
        assert f"\n  {name} " in text, text
    assert "--check" in cli("port", "--help").stdout


tap.run()
