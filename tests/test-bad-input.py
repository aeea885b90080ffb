#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Every input of sockscope-cli, given what a user gets wrong: empty, huge,
control characters, broken UTF-8, numbers out of range, malformed
addresses, privileged ports, ports in use, unreachable hosts, a datagram
too long. Each row of the table says what must be said; for each the test
also checks that nothing else happened: no answer printed, no file written
by --record, no server left running (each must end at once), and the
words are clean UTF-8 with no control character. Loopback, or a network
namespace of the test's own."""

import atexit
import os
import resource
import shutil
import socket
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(__file__))
from sendpeers import SANITIZED, Flood, Script, Trickle, UdpTarget, closed_udp_port  # noqa: E402
from taplib import SkipCase, Tap  # noqa: E402

CLI = os.path.abspath(sys.argv[1])
ENV = dict(os.environ, LC_ALL="C.UTF-8", LANGUAGE="")
tap = Tap()
WORK = tempfile.mkdtemp(prefix="sockscope-bad-input-")
atexit.register(shutil.rmtree, WORK, ignore_errors=True)
RECORD = os.path.join(WORK, "session.json")
HUGE = "9" * 5000
LONG_NAME = ".".join(["a" * 50] * 6)  # 305 characters
LABEL_64 = "b" * 64 + ".example"


def busy_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    s.listen(1)
    return s, s.getsockname()[1]


HELD, HELD_PORT = busy_port()
UDP_HELD = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
UDP_HELD.bind(("127.0.0.1", 0))
UDP_HELD_PORT = UDP_HELD.getsockname()[1]
BIG_FILE = os.path.join(WORK, "big.bin")
with open(BIG_FILE, "wb") as f:
    f.write(b"x" * 70000)
# A listener that never accepts nor reads, with room in its backlog.
NEVER_READS = socket.socket()
NEVER_READS.bind(("127.0.0.1", 0))
NEVER_READS.listen(64)
NEVER_READS_PORT = NEVER_READS.getsockname()[1]
CLOSED_UDP_PORT = closed_udp_port()
SPARSE = os.path.join(WORK, "sparse-1t")
with open(SPARSE, "wb") as f:
    f.truncate(1 << 40)
FIFO = os.path.join(WORK, "fifo")
os.mkfifo(FIFO)
# Paths --record cannot write a session to, though they end in .json.
FOLDER_JSON = os.path.join(WORK, "folder.json")
os.mkdir(FOLDER_JSON)
FIFO_JSON = os.path.join(WORK, "fifo.json")
os.mkfifo(FIFO_JSON)
ESCAPING_PATH = os.path.join(WORK, "no\x1b]0;pwned\x07such.sock")

# (arguments, exit status, words the message must hold)
CASES = [
    # serve
    (["serve"], 2, "name one kind of server: tcp-echo, udp-echo"),
    (["serve", "tcp-ecko"], 2, "“tcp-ecko” is not a kind of server"),
    (["serve", "tcp-echo", "--port", "70000"], 2,
     "--port: “70000” is not a number from 0 to 65535"),
    (["serve", "tcp-echo", "--port", "-1"], 2, "--port: “-1” is not a number from 0 to 65535"),
    (["serve", "tcp-echo", "--port", ""], 2, "--port: “” is not a number from 0 to 65535"),
    (["serve", "tcp-echo", "--port", HUGE], 2, "is not a number from 0 to 65535"),
    (["serve", "tcp-echo", "--port", "8o"], 2, "--port: “8o” is not a number"),
    (["serve", "tcp-echo", "--bind", "999.1.1.1"], 2, "is not an address to listen on"),
    (["serve", "tcp-echo", "--bind", ""], 2, "is not an address to listen on"),
    (["serve", "tcp-echo", "--bind", "192.0.2.1"], 1, "(EADDRNOTAVAIL)"),
    (["serve", "tcp-echo", "--backlog", "-1"], 2, "--backlog: “-1” is not a number from 0 to 4096"),
    (["serve", "tcp-echo", "--read-buffer", "0"], 2, "--read-buffer"),
    (["serve", "tcp-echo", "--max-connections", "0"], 2, "--max-connections"),
    (["serve", "tcp-echo", "--idle-timeout", "86401"], 2,
     "--idle-timeout: “86401” is not a number from 0 to 86400"),
    (["serve", "tcp-echo", "--idle-timeout", "1.5"], 2, "--idle-timeout: “1.5” is not a number"),
    (["serve", "tcp-echo", "--port", str(HELD_PORT)], 1, "(EADDRINUSE)"),
    (["serve", "udp-echo", "--port", str(UDP_HELD_PORT)], 1, "(EADDRINUSE)"),
    (["serve", "tcp-message", "--message", "\\q"], 2, "Unknown escape “\\q”"),
    (["serve", "unix-echo"], 2, "unix-echo listens on a path: give it with --path"),
    (["serve", "unix-echo", "--path", "/nonexistent-folder/echo.sock"], 1, ""),
    (["serve", "unix-echo", "--path", "/tmp/" + "p" * 200], 1,
     "The path is 205 bytes long; the path of a Unix-domain socket holds at most"),
    (["serve", "tcp-echo", "--record", "session.txt"], 2, "does not end in .pcapng, .csv or .json"),
    (["serve", "tcp-echo", "--record", "/nonexistent-folder/s.json"], 2, "does not exist"),
    (["serve", "tcp-echo", "--record", FOLDER_JSON], 2,
     f"Could not write “folder.json”: “{FOLDER_JSON}” is a folder"),
    (["serve", "tcp-echo", "--record", FIFO_JSON], 2, "is not a regular file (a device, a FIFO"),
    (["serve", "tcp-echo", "--record", "/proc/sockscope.pcapng"], 2,
     "Could not write “sockscope.pcapng”: no file can be created in the folder “/proc”"),
    (["serve", "tcp-echo", "--record", "/etc/hostname/sockscope.json"], 2,
     "“/etc/hostname” is a file, not a folder (ENOTDIR)"),
    (["serve", "tcp-echo", "--max-events", "5"], 2,
     "--max-events: “5” is not a number from 1000 to 20000000"),
    (["serve", "tcp-echo", "--max-events", HUGE], 2, "--max-events: "),
    (["serve", "tcp-echo", "--max-events", "\x1b[31m"], 2, "--max-events: “\\x1b[31m”"),
    (["serve", "http", "--request-timeout", "-1"], 2,
     "--request-timeout: “-1” is not a number from 0 to 86400"),
    (["serve", "\x1b]0;kind\x07"], 2, "“\\x1b]0;kind\\x07” is not a kind of server"),
    # send
    (["send"], 2, "give a HOST, a PORT and at most one PAYLOAD"),
    (["send", "127.0.0.1"], 2, "give a HOST, a PORT and at most one PAYLOAD"),
    (["send", "127.0.0.1", "70000", "hi"], 2, "PORT: “70000” is not a number from 1 to 65535"),
    (["send", "127.0.0.1", "abc", "hi"], 2, "PORT: “abc” is not a number from 1 to 65535"),
    (["send", "127.0.0.1", "\x1b[2J", "hi"], 2, "PORT: “\\x1b[2J” is not a number"),
    (["send", "127.0.0.1", "7", "--chunk", "\x1b]0;pwned\x07"], 2,
     "--chunk: “\\x1b]0;pwned\\x07” is not a number"),
    (["send", "127.0.0.1", "7", "bad \\q escape"], 2, "Unknown escape “\\q”"),
    (["send", "127.0.0.1", "7", "--hex", "4g"], 2, "“g”"),
    (["send", "127.0.0.1", "7", "--hex", "486"], 2, "hex"),
    (["send", "127.0.0.1", "7", "--chunk", "x"], 2, "--chunk"),
    (["send", "127.0.0.1", "7", "--delay", "-5"], 2, "--delay"),
    (["send", "127.0.0.1", "7", "--timeout", "0"], 2, "--timeout"),
    (["send", "127.0.0.1", "7", "--read-buffer", "0"], 2, "--read-buffer"),
    (["send", "127.0.0.1", "7", "--udp", "--unix"], 2, "--udp and --unix do not go together"),
    (["send", "127.0.0.1", "7", "--udp", "--shutdown"], 2,
     "--shutdown is for TCP and Unix streams: a UDP socket has no connection to shut down"),
    (["send", "127.0.0.1", "7", "hi", "--file", BIG_FILE], 2, "not both"),
    (["send", "127.0.0.1", "7", "--file", "/nonexistent/file"], 1, "/nonexistent/file"),
    (["send", "127.0.0.1", "9", "--udp", "--file", BIG_FILE], 2,
     "A datagram of 70000 bytes is too long: one UDP datagram holds at most 65507 bytes"),
    (["send", "127.0.0.1", "9", "--udp", "--file", BIG_FILE, "--chunk", "65508"], 2,
     "A datagram of 65508 bytes is too long"),
    (["send", "127.0.0.1", str(socket.socket().getsockname()[1] or 9), "hi"], 1,
     "The connection was refused: nothing is listening on that port (ECONNREFUSED)"),
        (["send", "", "7", "hi"], 2, "The name is empty"),
    (["send", "999.1.1.1", "7", "hi"], 2, "is not a valid IPv4 address"),
    (["send", "bad host", "7", "hi"], 2, "a space"),
    (["send", "127.0.0.1", "7", "--record", "x.doc"], 2, "does not end in .pcapng, .csv or .json"),
    (["send", "127.0.0.1", "7", "hi", "--record", FOLDER_JSON], 2, "is a folder"),
    (["send", "127.0.0.1", "7", "hi", "--max-events", "0"], 2, "--max-events: “0”"),
    (["send", "--unix", "/tmp/" + "p" * 200, "hi"], 1, "(ENAMETOOLONG)"),
    (["send", "--unix", ESCAPING_PATH, "hi"], 1, "no\\x1b]0;pwned\\x07such.sock"),
    (["send", "127.0.0.1", "7", "--max-receive", "1x"], 2,
     "--max-receive: “1x” is not a number of bytes such as 1048576, 64K, 64M or 1G"),
    (["send", "127.0.0.1", "7", "--max-receive", "-1"], 2, "--max-receive: “-1” is not"),
    (["send", "127.0.0.1", "7", "--max-send", HUGE], 2, "--max-send: “99999"),
    (["send", "127.0.0.1", "7", "--max-send", "99999999999G"], 2,
     "--max-send: “99999999999G” is not a number of bytes"),
    (["send", "127.0.0.1", "7", "--max-time", "604801"], 2,
     "--max-time: “604801” is not a number from 0 to 604800"),
    (["send", "127.0.0.1", "7", "--file", WORK], 1, "It is a folder, not a file (EISDIR)"),
    (["send", "127.0.0.1", "7", "--file", SPARSE], 2, "that --max-send allows"),
    (["send", "127.0.0.1", "7", "hello", "--max-send", "4"], 2,
     "The payload is 5 bytes, more than the 4 bytes that --max-send allows"),
    (["send", "--udp", "127.0.0.1", str(CLOSED_UDP_PORT), "hi"], 1,
     "with an ICMP error: The connection was refused: nothing is listening on that port "
     "(ECONNREFUSED)"),
    (["send", "--udp", "127.0.0.1", str(UDP_HELD_PORT), "--file", "/dev/zero"], 1,
     "gives more than 65507 bytes: one UDP datagram holds at most 65507 bytes"),
    (["send", "127.0.0.1", str(NEVER_READS_PORT), "--file", FIFO, "--max-time", "1"], 3,
     "Stopped after 1 second, the limit of --max-time"),
    (["send", "127.0.0.1", str(NEVER_READS_PORT), "--file", "/dev/zero", "--max-send", "64K"], 3,
     "/dev/zero” after 64.0"),
    (["send", "127.0.0.1", str(NEVER_READS_PORT), "--file", SPARSE, "--max-send", "0",
      "--max-time", "1"], 3, "Stopped after 1 second"),
    (["send", "127.0.0.1", str(NEVER_READS_PORT), "--file", "/proc/self/mem"], 1,
     "Could not read what was to be sent: Input/output error"),
    # lookup
    (["lookup"], 2, "name a kind of lookup first"),
    (["lookup", "whois", "x"], 2, "“whois” is not a kind of lookup"),
    (["lookup", "addrinfo", ""], 2, "Both the host and the service are empty"),
    (["lookup", "addrinfo", LONG_NAME], 2, "DNS allows at most 253"),
    (["lookup", "addrinfo", LABEL_64], 2, "DNS allows at most 63"),
    (["lookup", "addrinfo", "bad name"], 2, "a space"),
    (["lookup", "addrinfo", "tab\there"], 2, "the control character U+0009"),
    (["lookup", "addrinfo", "999.1.1.1"], 2, "is not a valid IPv4 address"),
    (["lookup", "addrinfo", "--", "-bad.example"], 2, "begins or ends with a hyphen"),
    (["lookup", "addrinfo", "a..b"], 2, "an empty label"),
    (["lookup", "addrinfo", "localhost", "70000"], 2, "Port 70000 is out of range"),
    (["lookup", "addrinfo", "--", "localhost", "-http"], 2,
     "does not begin with a letter or a digit"),
    (["lookup", "addrinfo", "localhost", "--family", "ipv5"], 2, "--family: “ipv5” is not one of"),
    (["lookup", "addrinfo", "localhost", "--flags", "canonical"], 2, "--flags: “canonical”"),
    (["lookup", "addrinfo", "localhost", "--timeout", "0"], 2, "--timeout"),
    (["lookup", "service", "a" * 70], 2, "The service name is too long"),
    (["lookup", "service", "+22"], 2, "does not begin with a letter or a digit"),
    (["lookup", "reverse", ""], 2, "The name is empty"),
    (["lookup", "records", "192.0.2.1"], 2, "DNS records belong to names, not addresses"),
    (["lookup", "records", "example.org", "--type", "aaaa"], 2, "--type: “aaaa” is not one of"),
    (["lookup", "me", "extra"], 2, "“me” takes no arguments"),
    # services, constants
    (["services", "--class", "private"], 2, "--class: “private” is not one of"),
    (["services", "a", "b"], 2, "give at most one QUERY"),
    (["constants", "XX_"], 2, "no constant begins with “XX_”"),
    (["constants", "A", "B"], 2, "give at most one PREFIX"),
    # address
    (["address"], 2, "give one ADDRESS"),
    (["address", ""], 2, "The address is empty"),
    (["address", HUGE], 2, "is not a valid IPv4 address"),
    (["address", "1.2.3.4.5"], 2, "is not a valid IPv4 address"),
    (["address", "::1::1"], 2, "is not a valid IPv6 address"),
    (["address", "12345::"], 2, "is not a valid IPv6 address"),
    (["address", "[::1]:65536"], 2, "Port 65536 is out of range"),
    (["address", "[::1"], 2, "has “[” but no “]”"),
    (["address", "fe80::1%"], 2, "with no interface after it"),
    (["address", "192.0.2.1\x1b[2J"], 2, "a space or a control character"),
    (["address", "\u202e1.1.1.1"], 2, ""),
    (["address", "example.org"], 2, "use the Lookup page"),
    # port
    (["port"], 2, "give one PORT"),
    (["port", "70000"], 2, "Port 70000 is out of range"),
    (["port", "--", "-1"], 2, "Port -1 is out of range"),
    (["port", "abc"], 2, "“abc” is not a port number"),
    (["port", ""], 2, "The port is empty"),
    (["port", HUGE], 2, "is out of range"),
    (["port", "0"], 2, "Port 0 is not a port to ask about"),
    (["port", "22", "--proto", "icmp"], 2, "--proto: “icmp” is not one of tcp, udp, both"),
    (["port", "1-2000", "--check", "127.0.0.1"], 2, "at most 1024 may be checked at once"),
    (["port", "30-20", "--check", "127.0.0.1"], 2, "runs backwards"),
    (["port", "22", "--check", "bad host"], 2, "a space"),
    (["port", "22", "--check", "127.0.0.1", "--timeout", "x"], 2, "--timeout"),
    (["port", "22", "--check", "127.0.0.1", "--concurrency", "0"], 2, "--concurrency"),
]

# Bytes that are not UTF-8, where an argument can carry them.
BYTES_CASES = [
    ([b"address", b"192.0.2.\xff"], 2, "The text is not valid UTF-8"),
    ([b"port", b"22\xe2"], 2, ""),
    ([b"port", b"20-\xe2", b"--check", b"127.0.0.1"], 2, "The text is not valid UTF-8"),
    ([b"lookup", b"addrinfo", b"\xf2\xf2.example"], 2, "not valid UTF-8"),
    ([b"services", b"\xff"], 0, ""),
]


# Peers that misbehave, each started for its row: (peer, arguments after
# the port, exit status, words). UDP rows send to the target's port.
PEER_CASES = [
    (lambda: Flood(), ["hi"], 3, "received, the limit of --max-receive"),
    (lambda: Flood(), ["hi", "--max-receive", "0", "--max-time", "1"], 3,
     "Stopped after 1 second, the limit of --max-time"),
    (lambda: Trickle(), ["hi", "--max-time", "1", "--timeout", "10000"], 3,
     "Stopped after 1 second"),
    # The peer's reset races our send: read first, the reset is said as
    # such; sent after it, the kernel says EPIPE, the error already taken
    # by the read that met the reset. Either way, the address connected to.
    (lambda: Script([(0.0, b"half an answer")], reset=True), ["hi"], 1,
     ("The connection was reset by the peer (ECONNRESET)",
      "The peer has closed the connection; nothing more can be sent (EPIPE)")),
    (lambda: UdpTarget(lambda t: t.third_party(b"not the answer")), ["--udp", "hi"], 0,
     "Ignored a datagram of 14 bytes from 127.0.0.1:"),
]


def no_more_memory_than_a_gib():
    # A client that reads what does not end (/dev/zero) must not take this
    # machine's memory when it regresses. AddressSanitizer maps terabytes.
    if not SANITIZED:
        resource.setrlimit(resource.RLIMIT_AS, (1 << 30, 1 << 30))


def run(args):
    if os.path.exists(RECORD):
        os.unlink(RECORD)
    argv = [os.fsencode(CLI), *[a if isinstance(a, bytes) else a.encode() for a in args]]
    try:
        result = subprocess.run(argv, capture_output=True, timeout=15, env=ENV, cwd=WORK,
                                preexec_fn=no_more_memory_than_a_gib)
    except subprocess.TimeoutExpired:
        raise AssertionError(f"{args}: still running after 15 s: it took the bad value")
    return result


def check(args, status, words):
    record = [*args, b"--record" if isinstance(args[0], bytes) else "--record",
              os.fsencode(RECORD) if isinstance(args[0], bytes) else RECORD] \
        if args and args[0] in ("serve", "send") and "--record" not in args else args
    result = run(record)
    stderr = result.stderr.decode("utf-8")  # clean UTF-8, or this raises
    assert result.returncode == status, (args, result.returncode, stderr)
    assert any(w in stderr for w in ((words,) if isinstance(words, str) else words)), \
        (args, stderr)
    # A peer gone as it came still has the address connected to said
    assert "Connected to  " not in stderr and "Sending to  " not in stderr, (args, stderr)
    if status != 0:
        assert stderr.strip(), (args, "no message")
        assert not any(ord(c) < 0x20 and c != "\n" for c in stderr), (args, repr(stderr))
        # Nothing else: no answer, no file, no socket left behind.
        assert b"Listening on" not in result.stdout, (args, result.stdout)
        if status == 2:
            assert not os.path.exists(RECORD), (args, "a file was written")
    # The temporary file a session is written through never stays behind.
    left = [n for n in os.listdir(WORK) if n.startswith(".")]
    assert not left, (args, "left behind", left)


@tap.case
def test_the_table_has_sixty_bad_values():
    assert len(CASES) + len(BYTES_CASES) >= 60, len(CASES)


@tap.case
def test_each_bad_value_is_explained_and_changes_nothing():
    failures = []
    for args, status, words in CASES:
        try:
            check(args, status, words)
        except AssertionError as error:
            failures.append(str(error))
    assert not failures, "\n".join(failures)


@tap.case
def test_hostile_peers_are_explained_and_end():
    failures = []
    for make_peer, args, status, words in PEER_CASES:
        with make_peer() as peer:
            try:
                check(["send", *(["--udp"] if "--udp" in args else []), "127.0.0.1",
                       str(peer.port), *[a for a in args if a != "--udp"]], status, words)
            except AssertionError as error:
                failures.append(str(error))
    assert not failures, "\n".join(failures)


@tap.case
def test_bytes_that_are_not_utf8():
    failures = []
    for args, status, words in BYTES_CASES:
        try:
            result = run(args)
            stderr = result.stderr.decode("utf-8")
            assert result.returncode == status, (args, result.returncode, stderr)
            assert words in stderr, (args, stderr)
            result.stdout.decode("utf-8")
        except AssertionError as error:
            failures.append(str(error))
    assert not failures, "\n".join(failures)


@tap.case
def test_privileged_port_as_an_ordinary_user():
    if os.getuid() != 0 or not shutil.which("setpriv"):
        raise SkipCase("needs root and setpriv to run as an ordinary user")
    with open("/proc/sys/net/ipv4/ip_unprivileged_port_start") as f:
        if int(f.read()) <= 80:
            raise SkipCase("this machine lets anyone bind port 80")
    result = subprocess.run(["setpriv", "--reuid=nobody", "--regid=nogroup", "--clear-groups",
                             CLI, "serve", "http", "--port", "80"],
                            capture_output=True, text=True, timeout=30, env=ENV)
    assert result.returncode == 1, result
    assert "(EACCES)" in result.stderr and "Permission denied" in result.stderr, result.stderr


@tap.case
def test_unreachable_in_an_empty_namespace():
    if os.getuid() != 0 or not shutil.which("unshare"):
        raise SkipCase("needs root and unshare for a network namespace of the test's own")
    if subprocess.run(["unshare", "--net", "true"], capture_output=True).returncode != 0:
        raise SkipCase("network namespaces are not allowed here")
    result = subprocess.run(["unshare", "--net", CLI, "send", "127.0.0.1", "7", "hi"],
                            capture_output=True, text=True, timeout=30, env=ENV)
    assert result.returncode == 1, result
    assert "(ENETUNREACH)" in result.stderr, result.stderr


tap.run()
